package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/catalog"
	"github.com/borderline/borderline/cql2"
	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

const (
	defaultLimit = 100
	// maxLimit caps limit; OGC API – Features asks servers to cap, not refuse.
	maxLimit = 10000
	maxQLen  = 200
)

// knownParams refuses a parameter not in names and one given twice.
func knownParams(v url.Values, names []string) error {
	for k, vals := range v {
		if !slices.Contains(names, k) {
			if len(names) == 1 {
				return badParam(k, "unknown parameter; this endpoint takes only %s", names[0])
			}
			return badParam(k, "unknown parameter; this endpoint takes %s and %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
		}
		if len(vals) > 1 {
			return badParam(k, "given %d times; give it once", len(vals))
		}
	}
	return nil
}

// onlyParams is knownParams for an endpoint that takes few.
func onlyParams(v url.Values, names ...string) error { return knownParams(v, names) }

// itemsRequest is what a request for a collection's items asks for: which
// features (query), in what format, and how each is shaped.
type itemsRequest struct {
	query    store.Query
	format   string
	simplify float64 // metres; 0: full precision
	shape    featureShape
}

// parseItemsRequest reads the query string of /collections/{id}/items,
// naming the first parameter that is wrong. Whether the ids of source and
// place exist is checked against the store afterwards (checkIDs).
func parseItemsRequest(r *http.Request, col catalog.Collection) (itemsRequest, error) {
	var ir itemsRequest
	v := r.URL.Query()
	if err := knownParams(v, col.ItemParams()); err != nil {
		return ir, err
	}
	var err error
	offered := itemFormats(col)
	if ir.format, err = chooseFormat(r, offered...); err != nil {
		return ir, err
	}
	if ir.query, err = parseFilters(v, col.ID); err != nil {
		return ir, err
	}
	if ir.query.Limit, err = parseLimit(v); err != nil {
		return ir, err
	}
	if ir.query.Offset, err = parseOffset(v); err != nil {
		return ir, err
	}
	if ir.query.Sort, err = parseSortby(v, col); err != nil {
		return ir, err
	}
	if ir.shape.properties, err = parseProperties(v, col); err != nil {
		return ir, err
	}
	if ir.shape.skipGeometry, err = parseSkipGeometry(v); err != nil {
		return ir, err
	}
	if ir.format == formatCSV {
		// The CSV is the import format: every column, and no geometry (the
		// places are named by id).
		for _, name := range []string{"properties", "skipGeometry"} {
			if v.Has(name) {
				return ir, badParam(name, "applies to GeoJSON; the CSV is the import format and always has every column")
			}
		}
	}
	if ir.simplify, err = parseSimplify(v, col.ID); err != nil {
		return ir, err
	}
	return ir, nil
}

// itemFormats are the formats a collection's items come in: JSON first, for
// the clients that accept anything.
func itemFormats(col catalog.Collection) []string {
	return append([]string{formatJSON, formatHTML}, col.Formats...)
}

// parseLimit reads limit: at least 1; above maxLimit it is capped (OGC API –
// Features lets a server cap rather than refuse) and numberReturned and the
// next link say what was sent.
func parseLimit(v url.Values) (int, error) {
	s := v.Get("limit")
	if s == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		if err != nil && len(s) > 0 && strings.Trim(s, "0123456789") == "" {
			return maxLimit, nil // digits past int: capped like any large limit
		}
		return 0, badParam("limit", "%q must be a whole number of at least 1", s)
	}
	return min(n, maxLimit), nil
}

// parseOffset reads offset: how many matching features to skip.
func parseOffset(v url.Values) (int, error) {
	s := v.Get("offset")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, badParam("offset", "%q must be a whole number of at least 0", s)
	}
	return n, nil
}

// parseSortby reads sortby: comma-separated sortable properties, each with
// an optional + (ascending, the default) or - (descending) before it.
func parseSortby(v url.Values, col catalog.Collection) ([]store.SortKey, error) {
	s, ok := v["sortby"]
	if !ok {
		return nil, nil
	}
	if strings.TrimSpace(s[0]) == "" {
		return nil, badParam("sortby", "is empty; give one or more of %s, each with - before it for descending", strings.Join(col.Sortables(), ", "))
	}
	var keys []store.SortKey
	for _, part := range strings.Split(s[0], ",") {
		name := strings.TrimSpace(part)
		var k store.SortKey
		switch {
		case strings.HasPrefix(name, "-"):
			k.Desc, name = true, name[1:]
		case strings.HasPrefix(name, "+"):
			name = name[1:]
		}
		k.Property = name
		p, known := col.Property(name)
		switch {
		case name == "":
			return nil, badParam("sortby", "%q has an empty key; give properties separated by single commas", s[0])
		case !known:
			return nil, badParam("sortby", "%q is not a property of %s; it can be sorted by %s", name, col.ID, strings.Join(col.Sortables(), ", "))
		case !p.Sortable:
			return nil, badParam("sortby", "%s cannot be sorted on; %s can be sorted by %s", name, col.ID, strings.Join(col.Sortables(), ", "))
		}
		for _, prev := range keys {
			if prev.Property == name {
				return nil, badParam("sortby", "%s is given twice", name)
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// parseProperties reads properties: the members of each feature's
// properties to send, comma-separated; none given sends them all. An
// empty value sends none (the ids and geometry only).
func parseProperties(v url.Values, col catalog.Collection) ([]string, error) {
	s, ok := v["properties"]
	if !ok {
		return nil, nil
	}
	names := []string{}
	if strings.TrimSpace(s[0]) == "" {
		return names, nil
	}
	for _, part := range strings.Split(s[0], ",") {
		name := strings.TrimSpace(part)
		if !slices.Contains(col.Members(), name) {
			return nil, badParam("properties", "%q is not a property of %s's features; they have %s", name, col.ID, strings.Join(col.Members(), ", "))
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names, nil
}

// parseSkipGeometry reads skipGeometry=true|false.
func parseSkipGeometry(v url.Values) (bool, error) {
	s, ok := v["skipGeometry"]
	if !ok {
		return false, nil
	}
	switch s[0] {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, badParam("skipGeometry", "%q must be true or false", s[0])
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
	if q.Categories, err = codesParam(v, "category", collection, data.Categories, "a category"); err != nil {
		return q, err
	}
	if q.Verifications, err = codesParam(v, "verification", collection, data.Verifications, "a verification code"); err != nil {
		return q, err
	}
	if q.SourceIDs, err = idsParam(v, "source", collection); err != nil {
		return q, err
	}
	if q.PlaceIDs, err = idsParam(v, "place", collection); err != nil {
		return q, err
	}
	if q.Kinds, err = codesParam(v, "kind", collection, data.PlaceKinds, "a kind of place"); err != nil {
		return q, err
	}
	if q.Text, err = textParam(v, collection); err != nil {
		return q, err
	}
	if q.Filter, err = parseFilter(v, collection); err != nil {
		return q, err
	}
	return q, nil
}

// maxFilterLen bounds filter= (the parser has its own, smaller, limits on
// nesting and list lengths).
const maxFilterLen = 8 << 10

// crs84Names are the ways filter-crs may name CRS84, the only one taken.
var crs84Names = []string{crs84, "https://www.opengis.net/def/crs/OGC/1.3/CRS84", "OGC:CRS84", "[OGC:CRS84]"}

// parseFilter reads filter (OGC API – Features Part 3): CQL2 in
// filter-lang, cql2-text (the default) or cql2-json, with coordinates in
// filter-crs, CRS84 only. It is compiled here, so that an unknown property
// or a value that does not fit is a 400 before anything is read.
func parseFilter(v url.Values, collection string) (*store.Filter, error) {
	text, ok := v["filter"]
	if !ok {
		for _, name := range []string{"filter-lang", "filter-crs"} {
			if v.Has(name) {
				return nil, badParam(name, "is given without a filter")
			}
		}
		return nil, nil
	}
	example := `category = 'arrests' AND verification = 'single_source'`
	switch {
	case strings.TrimSpace(text[0]) == "":
		return nil, badParam("filter", "is empty; give a CQL2 expression such as %s", example)
	case len(text[0]) > maxFilterLen:
		return nil, badParam("filter", "is longer than %d bytes", maxFilterLen)
	case !utf8.ValidString(text[0]):
		return nil, badParam("filter", "is not valid UTF-8 text")
	}
	if crs, ok := v["filter-crs"]; ok && !slices.Contains(crs84Names, crs[0]) {
		return nil, badParam("filter-crs", "%q is not offered; coordinates in a filter are longitude and latitude in %s", crs[0], crs84)
	}
	var e cql2.Expr
	var err error
	switch lang := v.Get("filter-lang"); lang {
	case "", "cql2-text":
		e, err = cql2.ParseText(text[0])
	case "cql2-json":
		e, err = cql2.ParseJSON([]byte(text[0]))
	default:
		return nil, badParam("filter-lang", "%q is not a filter language; use cql2-text (the default) or cql2-json", lang)
	}
	if err != nil {
		return nil, filterError(err, collection)
	}
	f, err := store.CompileFilter(collection, e)
	if err != nil {
		return nil, filterError(err, collection)
	}
	return f, nil
}

// filterError says what is wrong with a filter in words a person can act
// on, naming where.
func filterError(err error, collection string) error {
	var syntax *cql2.SyntaxError
	var property *cql2.PropertyError
	var typ *cql2.TypeError
	switch {
	case errors.As(err, &syntax):
		where := ""
		switch {
		case syntax.Path != "":
			where = " at " + syntax.Path
		case syntax.Pos > 0:
			where = fmt.Sprintf(" at character %d", syntax.Pos)
		}
		e := badParam("filter", "%s%s", syntax.Msg, where)
		e.Position, e.Path = syntax.Pos, syntax.Path
		return e
	case errors.As(err, &property):
		return badParam("filter", "%q is not a queryable of %s; it has %s (see /collections/%s/queryables)",
			property.Name, collection, strings.Join(property.Known, ", "), collection)
	case errors.As(err, &typ):
		if typ.Property == "" {
			return badParam("filter", "%s", typ.Msg)
		}
		return badParam("filter", "%s %s", typ.Property, typ.Msg)
	case errors.Is(err, store.ErrFilterUnsupported):
		return badParam("filter", "%s", strings.TrimPrefix(err.Error(), "cql2: "))
	}
	return fmt.Errorf("filter: %w", err)
}

// textParam reads q, the words of a search.
func textParam(v url.Values, collection string) (string, error) {
	s := v.Get("q")
	if s == "" {
		return "", nil
	}
	if only := catalog.With("q"); !slices.Contains(only, collection) {
		return "", badParam("q", "text search is available on %s", strings.Join(only, ", "))
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

// codesParam reads a comma-separated list of codes that only some
// collections take (categories of incidents, kinds of places).
func codesParam(v url.Values, name, collection string, codes []data.Code, what string) ([]string, error) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	if only := catalog.With(name); !slices.Contains(only, collection) {
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
	if only := catalog.With(name); !slices.Contains(only, collection) {
		return nil, badParam(name, "only %s can be filtered by %s", strings.Join(only, " and "), name)
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
	// GDAL 3.6 (Debian 12's) sends a date as "2021-01-01T": the day it names.
	if len(s) == len("2006-01-02T") && (s[10] == 'T' || s[10] == 't') {
		s = s[:10]
	}
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
