package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
)

// incidentTable is what a query for incidents reads: the R*Tree, the rows,
// or the rows through the covering index of their days in force.
type incidentTable struct {
	from   string // the FROM clause
	id     string // the incident's rowid there
	prefix string // of its columns
}

var (
	rtreeTable = incidentTable{from: "incident_rtree r", id: "r.id", prefix: "r."}
	// rtreeRowsTable: the R*Tree drives, and each candidate's row is there
	// for a filter that tests its other columns.
	rtreeRowsTable = incidentTable{from: "incident_rtree r CROSS JOIN incident i ON i.rowid = r.id", id: "r.id", prefix: "r."}
	rowTable       = incidentTable{from: "incident i", id: "i.rowid", prefix: "i."}
	spanTable      = incidentTable{from: "incident i INDEXED BY incident_span", id: "i.rowid", prefix: "i."}
)

func (t incidentTable) col(name string) string { return t.prefix + name }

// incidentFilter is the FROM and WHERE of a query for the incidents a Query
// selects, shared by the page, the CSV download and the daily counts.
type incidentFilter struct {
	incidentTable
	cond string // " WHERE …", or empty
	args []any
}

// newIncidentFilter chooses what a page of incidents reads. With space or
// time constrained, everything is answered from the R*Tree and its auxiliary
// columns (exact envelope, category, verification): one index search, no
// incident rows read. Otherwise the incident table is read in order.
func newIncidentFilter(q Query) incidentFilter {
	spaceOrTime := q.BBox != nil || q.FromDay != nil || q.ToDay != nil
	switch {
	case q.Filter != nil && (spaceOrTime || q.Filter.spaceOrTime):
		return filterIncidents(q, rtreeRowsTable)
	case spaceOrTime:
		return filterIncidents(q, rtreeTable)
	}
	return filterIncidents(q, rowTable)
}

// filterIncidents builds the WHERE clause of q for table t. A bbox needs the
// R*Tree.
func filterIncidents(q Query, t incidentTable) incidentFilter {
	f := incidentFilter{incidentTable: t}
	col := t.col
	var where []string
	if q.BBox != nil {
		if t != rtreeTable && t != rtreeRowsTable {
			panic("store: a bbox filter on " + t.from)
		}
		w, a := bboxClause("r.min_lon", "r.max_lon", "r.min_lat", "r.max_lat", *q.BBox)
		where, f.args = append(where, w), append(f.args, a...)
		// The R*Tree box is rounded outward; a box wholly inside the bbox is a
		// sure match and needs no other read. The rest straddle an edge: one
		// point is checked on its exact envelope, several points one by one.
		inside, ia := insideClause("r.min_lon", "r.max_lon", "r.min_lat", "r.max_lat", *q.BBox)
		exact, ea := bboxClause("r.lon0", "r.lon1", "r.lat0", "r.lat1", *q.BBox)
		points, pa := bboxClause("p.lon", "p.lon", "p.lat", "p.lat", *q.BBox)
		where = append(where, "(("+inside+") OR (r.multi = 0 AND "+exact+") OR (r.multi = 1 AND EXISTS (SELECT 1 FROM incident_point p WHERE p.incident = r.id AND "+points+")))")
		f.args = append(append(append(f.args, ia...), ea...), pa...)
	}
	if q.ToDay != nil {
		where, f.args = append(where, col("day_from")+" <= ?"), append(f.args, *q.ToDay)
	}
	if q.FromDay != nil {
		where, f.args = append(where, col("day_to")+" >= ?"), append(f.args, *q.FromDay)
	}
	for _, codes := range []struct {
		column string
		values []string
	}{{"category", q.Categories}, {"verification", q.Verifications}} {
		// Code lists are short (seven categories, four verifications), so
		// one placeholder per distinct code makes a handful of statement
		// shapes at most.
		if vals := distinct(codes.values); len(vals) > 0 {
			where = append(where, col(codes.column)+" IN ("+marks(len(vals))+")")
			for _, v := range vals {
				f.args = append(f.args, v)
			}
		}
	}
	// Lists of ids are as long as a client likes: each goes in as one JSON
	// array, so any number of ids is one statement shape. The link tables
	// have covering indexes (id, incident), so neither list reads a row.
	if ids := distinct(q.SourceIDs); len(ids) > 0 {
		// A report covers many incidents (at 100,000, a fifth cite each
		// source): the set of them is built once and each candidate probes
		// it. The unary + stops the planner from driving the search from the
		// set instead, one R*Tree lookup per citing incident (a month's
		// search took 180 ms that way, 21 ms this way).
		where = append(where, "+"+f.id+" IN (SELECT incident FROM incident_source WHERE source_id IN (SELECT value FROM json_each(?)))")
		f.args = append(f.args, jsonList(ids))
	}
	if ids := distinct(q.PlaceIDs); len(ids) > 0 {
		// A town has few incidents, so here driving from the links is the
		// better plan, and the planner finds it: every incident at a place
		// in 0.2 ms, against 18 ms probing a set from a scan in date order.
		where = append(where, f.id+" IN (SELECT incident FROM incident_place WHERE place_id IN (SELECT value FROM json_each(?)))")
		f.args = append(f.args, jsonList(ids))
	}
	for _, w := range searchTerms(q.Text) {
		// The word starts a word of the text, or is another form of one
		// (see migration 8). Each is quoted, so FTS5 operators and
		// punctuation in the input are matched as text, never interpreted.
		where = append(where, f.id+" IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?"+
			" UNION SELECT rowid FROM incident_fts_porter WHERE incident_fts_porter MATCH ?)")
		f.args = append(f.args, `"`+w+`"*`, `"`+w+`"`)
	}
	if q.Filter != nil {
		// The incident's row is i in rowTable and rtreeRowsTable, and a
		// filter that tests space or time is only compiled with the latter.
		if t != rowTable && t != rtreeRowsTable || q.Filter.spaceOrTime && t != rtreeRowsTable {
			panic("store: a filter on " + t.from)
		}
		where, f.args = append(where, q.Filter.where), append(f.args, q.Filter.args...)
	}
	if len(where) > 0 {
		f.cond = " WHERE " + strings.Join(where, " AND ")
	}
	return f
}

// incidentQuery builds the count and the page-of-ids queries for q. The ids
// query returns (id, d) rows, d ascending in list order, ending in LIMIT ?
// OFFSET ?, whose values are the last two args. Without a sortby d is the
// first day in force and id breaks ties; with one, d is the row's place in
// the sorted list.
func incidentQuery(q Query) (countSQL, idsSQL string, args []any, err error) {
	f := newIncidentFilter(q)
	countSQL = "SELECT count(*) FROM " + f.from + f.cond
	if len(q.Sort) == 0 {
		day := f.col("day_from")
		idsSQL = "SELECT " + f.id + " AS id, " + day + " AS d FROM " + f.from + f.cond + " ORDER BY " + day + ", " + f.id + " LIMIT ? OFFSET ?"
		return countSQL, idsSQL, append(f.args, q.Limit, q.Offset), nil
	}
	order, err := orderBy("incidents", q.Sort)
	if err != nil {
		return "", "", nil, err
	}
	from := f.from
	if f.incidentTable == rtreeTable {
		// The search stays driven by the R*Tree; the sort keys are on the row.
		from += " CROSS JOIN incident i ON i.rowid = " + f.id
	}
	idsSQL = "SELECT " + f.id + " AS id, row_number() OVER (ORDER BY " + order + ") AS d FROM " + from + f.cond +
		" ORDER BY " + order + " LIMIT ? OFFSET ?"
	return countSQL, idsSQL, append(f.args, q.Limit, q.Offset), nil
}

// jsonList encodes ids as a JSON array for json_each. Strings always encode.
func jsonList(ids []string) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// distinct sorts and de-duplicates filter values, so that "a,a,a" does not
// make a new statement shape (and a new cached statement) per repetition.
func distinct(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return slices.Compact(slices.Sorted(slices.Values(v)))
}

// insideClause is true when the box (minLon..maxLon, minLat..maxLat) lies
// wholly inside b.
func insideClause(minLon, maxLon, minLat, maxLat string, b orb.Bound) (string, []any) {
	lat := minLat + " >= ? AND " + maxLat + " <= ?"
	if b.Min.Lon() <= b.Max.Lon() {
		return minLon + " >= ? AND " + maxLon + " <= ? AND " + lat, []any{b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat()}
	}
	return "(" + minLon + " >= ? OR " + maxLon + " <= ?) AND " + lat, []any{b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat()}
}

func bboxClause(minLon, maxLon, minLat, maxLat string, b orb.Bound) (string, []any) {
	lat := minLat + " <= ? AND " + maxLat + " >= ?"
	if b.Min.Lon() <= b.Max.Lon() {
		return minLon + " <= ? AND " + maxLon + " >= ? AND " + lat, []any{b.Max.Lon(), b.Min.Lon(), b.Max.Lat(), b.Min.Lat()}
	}
	// Across the antimeridian: east of Min.Lon or west of Max.Lon.
	return "(" + maxLon + " >= ? OR " + minLon + " <= ?) AND " + lat, []any{b.Min.Lon(), b.Max.Lon(), b.Max.Lat(), b.Min.Lat()}
}

// SearchWords are the words a text search looks for: runs of letters and
// digits. Text with none searches for nothing.
func SearchWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// searchTerms are the words of a search, each once, that must all match.
// Every word is a clause of its own in the statement, so the list is padded
// to a power of two by repeating its last word (which changes nothing): a
// search of up to 100 words then comes in 8 statement shapes, not 100.
func searchTerms(text string) []string {
	var terms []string
	for _, w := range SearchWords(text) {
		if w = strings.ToLower(w); !slices.Contains(terms, w) {
			terms = append(terms, w)
		}
	}
	for n := len(terms); n > 0 && n&(n-1) != 0; n++ {
		terms = append(terms, terms[len(terms)-1])
	}
	return terms
}

// UnknownSources returns those of ids that name no source, in the order
// given, so that a filter by an unknown source can be refused rather than
// match nothing.
func (s *Store) UnknownSources(ctx context.Context, ids []string) ([]string, error) {
	return s.unknownIDs(ctx, `SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM source) ORDER BY key`, "sources", ids)
}

// UnknownPlaces returns those of ids that name no place, in the order given.
func (s *Store) UnknownPlaces(ctx context.Context, ids []string) ([]string, error) {
	return s.unknownIDs(ctx, `SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM place) ORDER BY key`, "places", ids)
}

func (s *Store) unknownIDs(ctx context.Context, query, what string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("look up %s: %w", what, err)
	}
	rows, err := st.QueryContext(ctx, jsonList(ids))
	if err != nil {
		return nil, fmt.Errorf("look up %s: %w", what, err)
	}
	defer rows.Close()
	var unknown []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("look up %s: %w", what, err)
		}
		unknown = append(unknown, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up %s: %w", what, err)
	}
	return unknown, nil
}
