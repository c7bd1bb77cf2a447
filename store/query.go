package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
)

// ErrNotFound is returned for an unknown collection or feature id.
var ErrNotFound = errors.New("not found")

// Query selects features of a collection. Zero values mean "no filter".
type Query struct {
	BBox       *orb.Bound // Min.Lon > Max.Lon: the box crosses the antimeridian
	FromDay    *int64     // inclusive, days since 1970-01-01
	ToDay      *int64     // inclusive
	Categories []string   // incidents only
	Text       string     // incidents only: words that must all appear (prefixes)
	Kinds      []string   // places only: kind is one of these
	Limit      int
	Offset     int
}

// Page is one page of features, each already encoded as GeoJSON.
type Page struct {
	Features []json.RawMessage
	Matched  int
}

// Collections the store serves, in the order they are listed.
var Collections = []string{"incidents", "places", "areas", "zones", "border", "provinces", "rivers", "countries"}

// HasCollection reports whether id names a collection.
func HasCollection(id string) bool {
	for _, c := range Collections {
		if c == id {
			return true
		}
	}
	return false
}

// Items runs q against a collection.
func (s *Store) Items(ctx context.Context, collection string, q Query) (Page, error) {
	if !HasCollection(collection) {
		return Page{}, ErrNotFound
	}
	if collection == "incidents" {
		return s.incidentItems(ctx, q)
	}
	where := []string{"f.collection = ?"}
	args := []any{collection}
	if q.BBox != nil {
		w, a := bboxClause("f.min_lon", "f.max_lon", "f.min_lat", "f.max_lat", *q.BBox)
		where, args = append(where, w), append(args, a...)
	}
	if q.ToDay != nil {
		where, args = append(where, "(f.day_from IS NULL OR f.day_from <= ?)"), append(args, *q.ToDay)
	}
	if q.FromDay != nil {
		where, args = append(where, "(f.day_to IS NULL OR f.day_to >= ?)"), append(args, *q.FromDay)
	}
	if kinds := distinct(q.Kinds); len(kinds) > 0 {
		// A scan of one small collection: places number in the tens.
		where = append(where, "json_extract(f.json, '$.properties.kind') IN ("+marks(len(kinds))+")")
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Page{}, fmt.Errorf("query %s: %w", collection, err)
	}
	defer tx.Rollback() // read-only: nothing to commit; one snapshot for count and page
	var page Page
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM feature f"+cond, args...).Scan(&page.Matched); err != nil {
		return Page{}, fmt.Errorf("count %s: %w", collection, err)
	}
	if page.Matched <= q.Offset {
		return page, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT f.json FROM feature f"+cond+" ORDER BY f.ord LIMIT ? OFFSET ?", append(args, q.Limit, q.Offset)...)
	if err != nil {
		return Page{}, fmt.Errorf("query %s: %w", collection, err)
	}
	if err := scanPage(rows, &page); err != nil {
		return Page{}, fmt.Errorf("query %s: %w", collection, err)
	}
	return page, nil
}

// incidentItems answers a page of incidents and how many match, in one
// snapshot. The statements are prepared once and kept (see stmt): this is the
// query the server is sized for, and parsing and planning it took a tenth of
// the handler's time.
// (Counting with a window over the page query walks the R*Tree once instead
// of twice, but materialising every match for it made the search slower.)
func (s *Store) incidentItems(ctx context.Context, q Query) (Page, error) {
	countSQL, idsSQL, args := incidentQuery(q)
	pageSQL := "SELECT i.feature FROM (" + idsSQL + ") m CROSS JOIN incident i ON i.rowid = m.id ORDER BY m.d, m.id"
	countSt, err := s.stmt(ctx, countSQL)
	if err != nil {
		return Page{}, fmt.Errorf("count incidents: %w", err)
	}
	pageSt, err := s.stmt(ctx, pageSQL)
	if err != nil {
		return Page{}, fmt.Errorf("query incidents: %w", err)
	}
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Page{}, fmt.Errorf("query incidents: %w", err)
	}
	defer tx.Rollback() // read-only: nothing to commit
	var page Page
	if err := tx.StmtContext(ctx, countSt).QueryRowContext(ctx, args[:len(args)-2]...).Scan(&page.Matched); err != nil {
		return Page{}, fmt.Errorf("count incidents: %w", err)
	}
	if page.Matched <= q.Offset {
		return page, nil
	}
	rows, err := tx.StmtContext(ctx, pageSt).QueryContext(ctx, args...)
	if err != nil {
		return Page{}, fmt.Errorf("query incidents: %w", err)
	}
	if err := scanPage(rows, &page); err != nil {
		return Page{}, fmt.Errorf("query incidents: %w", err)
	}
	return page, nil
}

// scanPage appends the features of rows, one JSON column each, to page.
func scanPage(rows *sql.Rows, page *Page) error {
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return err
		}
		page.Features = append(page.Features, b)
	}
	return rows.Err()
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

// incidentQuery builds the count and the page-of-ids queries for q. The ids
// query returns (id, d) rows in list order, ending in LIMIT ? OFFSET ?, whose
// values are the last two args.
//
// With space or time constrained, everything is answered from the R*Tree and
// its auxiliary columns (exact envelope, category): one index search, no
// incident rows read. Otherwise the incident table is read in order.
func incidentQuery(q Query) (countSQL, idsSQL string, args []any) {
	var where []string
	from, id, d := "incident i", "i.rowid", "i.day_from"
	useTree := q.BBox != nil || q.FromDay != nil || q.ToDay != nil
	if useTree {
		from, id, d = "incident_rtree r", "r.id", "r.day_from"
	}
	if q.BBox != nil {
		w, a := bboxClause("r.min_lon", "r.max_lon", "r.min_lat", "r.max_lat", *q.BBox)
		where, args = append(where, w), append(args, a...)
		// The R*Tree box is rounded outward; a box wholly inside the bbox is a
		// sure match and needs no other read. The rest straddle an edge: one
		// point is checked on its exact envelope, several points one by one.
		inside, ia := insideClause("r.min_lon", "r.max_lon", "r.min_lat", "r.max_lat", *q.BBox)
		exact, ea := bboxClause("r.lon0", "r.lon1", "r.lat0", "r.lat1", *q.BBox)
		points, pa := bboxClause("p.lon", "p.lon", "p.lat", "p.lat", *q.BBox)
		where = append(where, "(("+inside+") OR (r.multi = 0 AND "+exact+") OR (r.multi = 1 AND EXISTS (SELECT 1 FROM incident_point p WHERE p.incident = r.id AND "+points+")))")
		args = append(append(append(args, ia...), ea...), pa...)
	}
	if q.ToDay != nil {
		where, args = append(where, "r.day_from <= ?"), append(args, *q.ToDay)
	}
	if q.FromDay != nil {
		where, args = append(where, "r.day_to >= ?"), append(args, *q.FromDay)
	}
	if cats := distinct(q.Categories); len(cats) > 0 {
		col := "i.category"
		if useTree {
			col = "r.category"
		}
		where = append(where, col+" IN ("+marks(len(cats))+")")
		for _, c := range cats {
			args = append(args, c)
		}
	}
	if m := ftsQuery(q.Text); m != "" {
		where = append(where, id+" IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?)")
		args = append(args, m)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	countSQL = "SELECT count(*) FROM " + from + cond
	idsSQL = "SELECT " + id + " AS id, " + d + " AS d FROM " + from + cond + " ORDER BY " + d + ", " + id + " LIMIT ? OFFSET ?"
	return countSQL, idsSQL, append(args, q.Limit, q.Offset)
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

// ftsQuery turns what a reader typed into an FTS5 query in which every word
// must appear as a word prefix. Each word is quoted, so FTS5 operators and
// punctuation in the input are matched as text, never interpreted.
func ftsQuery(text string) string {
	var terms []string
	for _, w := range SearchWords(text) {
		terms = append(terms, `"`+w+`"*`)
	}
	return strings.Join(terms, " ")
}

// Item returns one feature by id.
func (s *Store) Item(ctx context.Context, collection, id string) (json.RawMessage, error) {
	if !HasCollection(collection) {
		return nil, ErrNotFound
	}
	var b []byte
	var err error
	if collection == "incidents" {
		err = s.ro.QueryRowContext(ctx, `SELECT feature FROM incident WHERE id = ?`, id).Scan(&b)
	} else {
		err = s.ro.QueryRowContext(ctx, `SELECT json FROM feature WHERE collection = ? AND id = ?`, collection, id).Scan(&b)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", collection, id, err)
	}
	return b, nil
}

// Extent is a collection's spatial and temporal extent; nil parts are unknown
// or open.
type Extent struct {
	BBox    *orb.Bound
	FromDay *int64
	ToDay   *int64
}

// Extent is the extent of a collection, as the last write left it.
func (s *Store) Extent(ctx context.Context, collection string) (Extent, error) {
	if !HasCollection(collection) {
		return Extent{}, ErrNotFound
	}
	var minLon, maxLon, minLat, maxLat sql.NullFloat64
	var from, to sql.NullInt64
	err := s.ro.QueryRowContext(ctx, `SELECT min_lon, max_lon, min_lat, max_lat, day_from, day_to FROM extent WHERE collection = ?`,
		collection).Scan(&minLon, &maxLon, &minLat, &maxLat, &from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return Extent{}, nil // an empty collection has no extent
	}
	if err != nil {
		return Extent{}, fmt.Errorf("extent of %s: %w", collection, err)
	}
	var e Extent
	if minLon.Valid {
		e.BBox = &orb.Bound{Min: orb.Point{minLon.Float64, minLat.Float64}, Max: orb.Point{maxLon.Float64, maxLat.Float64}}
	}
	if from.Valid {
		e.FromDay = &from.Int64
	}
	if to.Valid {
		e.ToDay = &to.Int64
	}
	return e, nil
}
