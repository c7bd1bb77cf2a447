package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/catalog"
)

// ErrNotFound is returned for an unknown collection or feature id.
var ErrNotFound = errors.New("not found")

// Query selects features of a collection. Zero values mean "no filter".
type Query struct {
	BBox       *orb.Bound // Min.Lon > Max.Lon: the box crosses the antimeridian
	FromDay    *int64     // inclusive, days since 1970-01-01
	ToDay      *int64     // inclusive
	Categories []string   // incidents only
	// Verifications: incidents only; verification is one of these.
	Verifications []string
	// SourceIDs and PlaceIDs: incidents only; at least one of the
	// incident's sources (places) is one of these.
	SourceIDs []string
	PlaceIDs  []string
	// Text: words that must all match: on incidents, words of the search
	// text or their other forms (filter.go); on places and areas, words of
	// the names (placesearch.go).
	Text  string
	Kinds []string // places and areas only: kind is one of these
	// Sort orders the features by these keys, then by id; none is the
	// collection's own order (incidents by first day in force).
	Sort []SortKey
	// Filter is a CQL2 filter compiled for the collection (CompileFilter).
	Filter *Filter
	Limit  int
	Offset int
}

// Page is one page of features, each already encoded as GeoJSON.
type Page struct {
	Features []json.RawMessage
	Matched  int
	// Version is the data version the page was read at (DataVersion).
	Version string
}

// Collections the store serves, in the order they are listed.
var Collections = catalog.IDs()

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
	if q.Filter != nil && q.Filter.collection != collection {
		return Page{}, fmt.Errorf("query %s: a filter compiled for %s", collection, q.Filter.collection)
	}
	if collection == "incidents" {
		return s.incidentItems(ctx, q)
	}
	if q.Text != "" {
		return s.searchPlaces(ctx, collection, q)
	}
	cond, args := featureFilter(collection, q)
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Page{}, fmt.Errorf("query %s: %w", collection, err)
	}
	defer tx.Rollback() // read-only: nothing to commit; one snapshot for count and page
	var page Page
	if page.Version, err = s.versionIn(ctx, tx); err != nil {
		return Page{}, fmt.Errorf("query %s: %w", collection, err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM feature f"+cond, args...).Scan(&page.Matched); err != nil {
		return Page{}, fmt.Errorf("count %s: %w", collection, err)
	}
	if page.Matched <= q.Offset {
		return page, nil
	}
	order := "f.ord"
	if len(q.Sort) > 0 {
		if order, err = orderBy(collection, q.Sort); err != nil {
			return Page{}, err
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT f.json FROM feature f"+cond+" ORDER BY "+order+" LIMIT ? OFFSET ?", append(args, q.Limit, q.Offset)...)
	if err != nil {
		return Page{}, fmt.Errorf("query %s: %w", collection, err)
	}
	if err := scanPage(rows, &page); err != nil {
		return Page{}, fmt.Errorf("query %s: %w", collection, err)
	}
	return page, nil
}

// featureFilter is the WHERE clause of q on the feature table (alias f) of
// the small collections.
func featureFilter(collection string, q Query) (string, []any) {
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
	if q.Filter != nil {
		where, args = append(where, q.Filter.where), append(args, q.Filter.args...)
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// incidentItems answers a page of incidents and how many match, in one
// snapshot. The statements are prepared once and kept (see stmt): this is the
// query the server is sized for, and parsing and planning it took a tenth of
// the handler's time.
// (Counting with a window over the page query walks the R*Tree once instead
// of twice, but materialising every match for it made the search slower.)
func (s *Store) incidentItems(ctx context.Context, q Query) (Page, error) {
	countSQL, idsSQL, args, err := incidentQuery(q)
	if err != nil {
		return Page{}, err
	}
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
	if page.Version, err = s.versionIn(ctx, tx); err != nil {
		return Page{}, fmt.Errorf("query incidents: %w", err)
	}
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
