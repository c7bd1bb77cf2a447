package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// GET /collections/incidents/counts: how many incidents are in force on each
// day (or month) of a period, by category and by date precision, for the
// timeline's bar chart, so that the map need not load every incident to draw
// it. It lives next to items because it takes the same filters and counts the
// same collection; it is not a format of items (f=counts) because it is not a
// page of features, and limit, offset and numberMatched mean nothing to it.
// OGC API – Features defines no such resource and reserves nothing by this
// name under a collection.

// countParams are the query parameters of the counts, in the order error
// messages list them: the filters of the items, bin and f.
var countParams = []string{"bbox", "datetime", "category", "verification", "source", "place", "q", "filter", "filter-lang", "filter-crs", "bin", "f"}

const (
	// maxCountDays bounds a period counted by day (ten years; the chart of
	// 2020–2021 has 490 bars), maxCountLongDays one counted by week or month
	// (a century), so that no request allocates without end.
	maxCountDays     = 3660
	maxCountLongDays = 36525
)

// binNames are the values of bin=, by store.Bin.
var binNames = map[store.Bin]string{store.BinDay: "day", store.BinWeek: "week", store.BinMonth: "month"}

// parseCountsQuery reads the counts' parameters; the period may stay open
// (resolved against the collection's extent by countsPeriod).
func parseCountsQuery(v url.Values) (store.Query, store.Bin, error) {
	if err := knownParams(v, countParams); err != nil {
		return store.Query{}, 0, err
	}
	q, err := parseFilters(v, "incidents")
	if err != nil {
		return q, 0, err
	}
	bin := store.BinDay
	if b := v.Get("bin"); b != "" {
		found := false
		for k, name := range binNames {
			if name == b {
				bin, found = k, true
			}
		}
		if !found {
			return q, 0, badParam("bin", "%q is not a bin; use day, week or month", b)
		}
	}
	if f := v.Get("f"); f != "" && f != "json" {
		return q, 0, badParam("f", "%q is not a format of the counts; use json", f)
	}
	return q, bin, nil
}

// countsPeriod closes the period of q: an end the client left open is the
// collection's first or last day in force, but never past the other end. ok
// is false when there is nothing to count (no incidents and no dates given).
func (s *Server) countsPeriod(ctx context.Context, q *store.Query, bin store.Bin) (ok bool, err error) {
	ext, err := s.store.Extent(ctx, "incidents")
	if err != nil {
		return false, err
	}
	if q.FromDay == nil {
		q.FromDay = ext.FromDay
		if q.FromDay != nil && q.ToDay != nil && *q.FromDay > *q.ToDay {
			q.FromDay = q.ToDay
		}
	}
	if q.ToDay == nil {
		q.ToDay = ext.ToDay
		if q.FromDay != nil && q.ToDay != nil && *q.ToDay < *q.FromDay {
			q.ToDay = q.FromDay
		}
	}
	switch {
	case q.FromDay == nil && q.ToDay == nil:
		return false, nil
	case q.FromDay == nil:
		q.FromDay = q.ToDay
	case q.ToDay == nil:
		q.ToDay = q.FromDay
	}
	days := *q.ToDay - *q.FromDay + 1
	if bin == store.BinDay && days > maxCountDays {
		return false, badParam("datetime", "spans %d days; counts by day cover at most %d, so narrow it or give bin=week or bin=month", days, maxCountDays)
	}
	if days > maxCountLongDays {
		return false, badParam("datetime", "spans %d days; counts cover at most %d (a century)", days, maxCountLongDays)
	}
	return true, nil
}

func (s *Server) counts(c echo.Context) error {
	id := c.Param("id")
	if !store.HasCollection(id) {
		return notFound("there is no collection %q; see /collections", id)
	}
	if id != "incidents" {
		return notFound("only incidents are counted; see /collections/incidents/counts")
	}
	ctx := c.Request().Context()
	q, bin, err := parseCountsQuery(c.QueryParams())
	if err != nil {
		return err
	}
	if err := s.checkIDs(ctx, q); err != nil {
		return err
	}
	ok, err := s.countsPeriod(ctx, &q, bin)
	if err != nil {
		return err
	}
	var counts store.Counts
	if ok {
		if counts, err = s.store.Counts(ctx, q, bin); err != nil {
			return err
		}
	}
	return writeCountsJSON(c, counts, ok)
}

// countsDoc is the counts' JSON: series of numbers, one per bin, rather than
// an object per day, so that a chart of 490 days by 7 categories stays small.
// For the 486 days from 2020-01-01 to 2021-04-30 by day: 39 kB (2 kB
// gzipped) at 52 incidents, 49 kB (10 kB) at 10,000; by week 6 kB (1 kB) and
// 9 kB (3 kB). A series that is all zeros in the period is left out.
type countsDoc struct {
	Bin     string   `json:"bin"`
	From    *string  `json:"from"`
	To      *string  `json:"to"`
	Matched int      `json:"matched"`
	Bins    []string `json:"bins"`
	Total   []int    `json:"total"`
	// Category and Precision are objects of series in the order of the code
	// lists (data.Categories, data.DatePrecisions), which a Go map would lose.
	Category  rawJSON `json:"category"`
	Precision rawJSON `json:"precision"`
	// CategoryPrecision: for each category, an object of series by date
	// precision, for a chart that draws each category's bar apart for
	// dates known to the day or week and dates known only more broadly.
	CategoryPrecision rawJSON `json:"category_precision"`
	Links             []link  `json:"links"`
}

type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

func writeCountsJSON(c echo.Context, counts store.Counts, counted bool) error {
	doc := countsDoc{Bin: binNames[counts.Bin], Bins: []string{}, Total: []int{}}
	var err error
	if doc.Category, err = seriesJSON(data.Categories, counts.Category); err != nil {
		return err
	}
	if doc.Precision, err = seriesJSON(data.DatePrecisions, counts.Precision); err != nil {
		return err
	}
	if doc.CategoryPrecision, err = crossJSON(counts.CategoryPrecision); err != nil {
		return err
	}
	if counted {
		from, to := data.FormatDate(data.FromDayNumber(counts.From)), data.FormatDate(data.FromDayNumber(counts.To))
		doc.From, doc.To, doc.Matched, doc.Total = &from, &to, counts.Matched, counts.Total
		for _, d := range counts.Starts {
			doc.Bins = append(doc.Bins, data.FormatDate(data.FromDayNumber(d)))
		}
	}
	base := baseURL(c)
	items := url.Values{}
	for k, v := range c.QueryParams() {
		if k != "bin" && k != "f" {
			items[k] = v
		}
	}
	itemsURL := base + "/collections/incidents/items"
	if len(items) > 0 {
		itemsURL += "?" + items.Encode()
	}
	doc.Links = []link{
		{Href: base + c.Request().URL.RequestURI(), Rel: "self", Type: "application/json", Title: "These counts"},
		{Href: itemsURL, Rel: "items", Type: geoJSONType, Title: "The incidents counted"},
		{Href: base + "/collections/incidents", Rel: "collection", Type: "application/json", Title: "The collection"},
	}
	return c.JSON(http.StatusOK, doc)
}

// seriesJSON writes the series that are not all zero as a JSON object keyed
// by code, in the codes' order.
func seriesJSON(codes []data.Code, series [][]int) (rawJSON, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	for i, s := range series {
		if !hasNonZero(s) {
			continue
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		if err := encodeJSON(&buf, codes[i].Value); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := encodeJSON(&buf, s); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// crossJSON writes the series by category and precision as an object of
// objects, leaving out the all-zero ones (and categories left empty).
func crossJSON(cross [][][]int) (rawJSON, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	for i, byPrecision := range cross {
		if !slices.ContainsFunc(byPrecision, hasNonZero) {
			continue
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		if err := encodeJSON(&buf, data.Categories[i].Value); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		inner, err := seriesJSON(data.DatePrecisions, byPrecision)
		if err != nil {
			return nil, err
		}
		buf.Write(inner)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func hasNonZero(s []int) bool {
	for _, v := range s {
		if v != 0 {
			return true
		}
	}
	return false
}
