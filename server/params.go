package server

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

const (
	defaultLimit = 100
	// maxLimit caps limit; OGC API – Features asks servers to cap, not refuse.
	maxLimit = 10000
	maxQLen  = 200
)

// itemParams are the query parameters /collections/{id}/items understands,
// in the order error messages list them.
var itemParams = []string{"bbox", "datetime", "limit", "offset", "category", "verification", "source", "place", "kind", "q", "simplify", "f"}

// knownParams refuses a parameter not in names and one given twice.
func knownParams(v url.Values, names []string) error {
	for k, vals := range v {
		if !slices.Contains(names, k) {
			return badParam(k, "unknown parameter; this endpoint takes %s and %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
		}
		if len(vals) > 1 {
			return badParam(k, "given %d times; give it once", len(vals))
		}
	}
	return nil
}

// parseItemsQuery turns the query string into a store query, naming the first
// parameter that is wrong. Whether the ids of source and place exist is
// checked against the store afterwards (checkIDs).
func parseItemsQuery(v url.Values, collection string) (store.Query, string, error) {
	if err := knownParams(v, itemParams); err != nil {
		return store.Query{}, "", err
	}
	q, err := parseFilters(v, collection)
	if err != nil {
		return q, "", err
	}
	q.Limit = defaultLimit
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, "", badParam("limit", "%q must be a whole number of at least 1", s)
		}
		q.Limit = min(n, maxLimit)
	}
	if s := v.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, "", badParam("offset", "%q must be a whole number of at least 0", s)
		}
		q.Offset = n
	}
	format := v.Get("f")
	switch format {
	case "", "json", "geojson":
		format = "json"
	case "csv":
		if collection != "incidents" {
			return q, "", badParam("f", "csv is available for the incidents collection; use json here")
		}
	default:
		return q, "", badParam("f", "%q is not a format; use json or csv", format)
	}
	return q, format, nil
}

// parseFilters reads the parameters that choose features, which the items
// and the counts share: bbox, datetime, category, verification, source,
// place, kind and q.
func parseFilters(v url.Values, collection string) (store.Query, error) {
	var q store.Query
	if s := v.Get("bbox"); s != "" {
		b, err := parseBBox(s)
		if err != nil {
			return q, err
		}
		q.BBox = b
	}
	if s, ok := v["datetime"]; ok {
		from, to, err := parseDatetime(s[0])
		if err != nil {
			return q, err
		}
		q.FromDay, q.ToDay = from, to
	}
	var err error
	if q.Categories, err = codesParam(v, "category", collection, []string{"incidents"}, data.Categories, "a category"); err != nil {
		return q, err
	}
	if q.Verifications, err = codesParam(v, "verification", collection, []string{"incidents"}, data.Verifications, "a verification code"); err != nil {
		return q, err
	}
	if q.SourceIDs, err = idsParam(v, "source", collection); err != nil {
		return q, err
	}
	if q.PlaceIDs, err = idsParam(v, "place", collection); err != nil {
		return q, err
	}
	if q.Kinds, err = codesParam(v, "kind", collection, []string{"places", "areas"}, data.PlaceKinds, "a kind of place"); err != nil {
		return q, err
	}
	if q.Text, err = textParam(v, collection); err != nil {
		return q, err
	}
	return q, nil
}

// textParam reads q, the words of a search.
func textParam(v url.Values, collection string) (string, error) {
	s := v.Get("q")
	if s == "" {
		return "", nil
	}
	if !slices.Contains([]string{"incidents", "places", "areas"}, collection) {
		return "", badParam("q", "text search is available on incidents, places and areas")
	}
	if !utf8.ValidString(s) {
		return "", badParam("q", "is not valid UTF-8 text")
	}
	if len([]rune(s)) > maxQLen {
		return "", badParam("q", "is longer than %d characters", maxQLen)
	}
	if len(store.SearchWords(s)) == 0 {
		// Otherwise it would filter nothing and "match" every incident.
		return "", badParam("q", "%q has no letters or digits to search for", s)
	}
	return s, nil
}

// codesParam reads a comma-separated list of codes that only the collections
// `only` have (categories of incidents, kinds of places).
func codesParam(v url.Values, name, collection string, only []string, codes []data.Code, what string) ([]string, error) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	if !slices.Contains(only, collection) {
		return nil, badParam(name, "only %s can be filtered by %s", strings.Join(only, " and "), name)
	}
	var out []string
	for _, c := range strings.Split(s, ",") {
		c = strings.TrimSpace(c)
		if !data.ValidCode(codes, c) {
			return nil, badParam(name, "%q is not %s; use one or more of %s, separated by commas", c, what, strings.Join(data.CodeValues(codes), ", "))
		}
		out = append(out, c)
	}
	return out, nil
}

// idsParam reads a comma-separated list of source or place ids, which only
// incidents can be filtered by. Whether they exist is the store's to say.
func idsParam(v url.Values, name, collection string) ([]string, error) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	if collection != "incidents" {
		return nil, badParam(name, "only incidents can be filtered by %s", name)
	}
	if !utf8.ValidString(s) {
		return nil, badParam(name, "is not valid UTF-8 text")
	}
	var out []string
	for _, id := range strings.Split(s, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			return nil, badParam(name, "%q has an empty id; give ids separated by single commas", s)
		}
		out = append(out, id)
	}
	return out, nil
}

// parseBBox reads minLon,minLat,maxLon,maxLat (or the six-number 3-D form,
// whose heights are ignored) in CRS84. minLon > maxLon crosses the antimeridian.
func parseBBox(s string) (*orb.Bound, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return nil, badParam("bbox", "%q must be four numbers: minLon,minLat,maxLon,maxLat", s)
	}
	nums := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, badParam("bbox", "%q is not a number", p)
		}
		nums[i] = f
	}
	if len(nums) == 6 {
		nums = []float64{nums[0], nums[1], nums[3], nums[4]}
	}
	minLon, minLat, maxLon, maxLat := nums[0], nums[1], nums[2], nums[3]
	for _, lon := range []float64{minLon, maxLon} {
		if lon < -180 || lon > 180 {
			return nil, badParam("bbox", "longitude %g is outside -180..180", lon)
		}
	}
	for _, lat := range []float64{minLat, maxLat} {
		if lat < -90 || lat > 90 {
			return nil, badParam("bbox", "latitude %g is outside -90..90", lat)
		}
	}
	if minLat > maxLat {
		return nil, badParam("bbox", "the southern edge %g is north of the northern edge %g", minLat, maxLat)
	}
	return &orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}, nil
}

// parseDatetime reads an RFC 3339 date or date-time, or an interval of two
// with ".." (or nothing) for an open end. Incidents are dated to the day, so
// a date-time counts as the calendar day it names in its own offset.
func parseDatetime(s string) (from, to *int64, err error) {
	if s == "" {
		return nil, nil, badParam("datetime", "is empty; give a date such as 2020-08-26 or an interval such as 2020-08-01/2020-08-31")
	}
	start, end, isInterval := strings.Cut(s, "/")
	if !isInterval {
		d, err := parseDay(s)
		if err != nil {
			return nil, nil, err
		}
		return &d, &d, nil
	}
	if strings.Contains(end, "/") {
		return nil, nil, badParam("datetime", "%q has more than one '/'", s)
	}
	if start != "" && start != ".." {
		d, err := parseDay(start)
		if err != nil {
			return nil, nil, err
		}
		from = &d
	}
	if end != "" && end != ".." {
		d, err := parseDay(end)
		if err != nil {
			return nil, nil, err
		}
		to = &d
	}
	if from != nil && to != nil && *from > *to {
		return nil, nil, badParam("datetime", "the interval %q ends before it starts", s)
	}
	return from, to, nil
}

func parseDay(s string) (int64, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return data.DayNumber(t), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, badParam("datetime", "%q is not an RFC 3339 date (2020-08-26) or date-time (2020-08-26T00:00:00Z)", s)
	}
	y, m, d := t.Date()
	return data.DayNumber(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)), nil
}
