package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/data"
)

// references are every place and source, which incident features embed.
type references struct {
	places  map[string]data.Place
	sources map[string]data.Source
}

func loadReferences(ctx context.Context, q querier) (*references, error) {
	c := &references{places: map[string]data.Place{}, sources: map[string]data.Source{}}
	rows, err := q.QueryContext(ctx, `SELECT id, kind, name_en, name_ko, name_zh, alt_names, country, admin1, lon, lat,
		geometry_ref, location_precision, coord_source, notes FROM place`)
	if err != nil {
		return nil, fmt.Errorf("load places: %w", err)
	}
	for rows.Next() {
		var p data.Place
		var alt string
		var lon, lat sql.NullFloat64
		if err := rows.Scan(&p.ID, &p.Kind, &p.NameEN, &p.NameKO, &p.NameZH, &alt, &p.Country, &p.Admin1, &lon, &lat,
			&p.GeometryRef, &p.LocationPrecision, &p.CoordSource, &p.Notes); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load places: %w", err)
		}
		if err := json.Unmarshal([]byte(alt), &p.AltNames); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load place %s: alt_names: %w", p.ID, err)
		}
		if lon.Valid && lat.Valid {
			p.Lon, p.Lat = &lon.Float64, &lat.Float64
		}
		c.places[p.ID] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load places: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT id, seed_file, outlet, original_reporter, author, headline, published, published_inferred, published_note, url FROM source`)
	if err != nil {
		return nil, fmt.Errorf("load sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s data.Source
		if err := rows.Scan(&s.ID, &s.SeedFile, &s.Outlet, &s.OriginalReporter, &s.Author, &s.Headline, &s.Published, &s.PublishedInferred, &s.PublishedNote, &s.URL); err != nil {
			return nil, fmt.Errorf("load sources: %w", err)
		}
		c.sources[s.ID] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load sources: %w", err)
	}
	return c, nil
}

func (c *references) HasPlace(id string) bool  { _, ok := c.places[id]; return ok }
func (c *references) HasSource(id string) bool { _, ok := c.sources[id]; return ok }

// incidentWriter upserts incidents inside one transaction with prepared
// statements, keeping the R*Tree, full-text index and link tables in step.
type incidentWriter struct {
	tx    *sql.Tx
	cat   *references
	now   string
	stmts map[string]*sql.Stmt
	// deferStems, when set, leaves the stems of new incidents out of
	// incident_fts_porter until flushStems copies them from incident_fts;
	// stemsFrom..stemsTo are the rowids waiting (none when stemsTo is 0).
	deferStems         bool
	stemsFrom, stemsTo int64
}

// qCopyStems indexes the stems of the incidents of a range of rowids from
// the text incident_fts holds for them, as migration 8 did for all.
const qCopyStems = `INSERT INTO incident_fts_porter (rowid, title, summary, places, sources)
	SELECT rowid, title, summary, places, sources FROM incident_fts WHERE rowid BETWEEN ? AND ? ORDER BY rowid`

// flushStems indexes the stems of the new incidents written since the last
// flush. A bulk import writes them this way: one statement for a batch
// instead of one per incident, and the porter index gathers its entries in
// memory after incident_fts has written out its own (the statement's
// savepoint makes it), rather than beside them. Two in-memory indexes of a
// whole batch written side by side made nearly every entry a cache miss: a
// quiet million took 200-218 s so, 154-178 s this way.
func (w *incidentWriter) flushStems(ctx context.Context) error {
	if w.stemsTo == 0 {
		return nil
	}
	if _, err := w.tx.ExecContext(ctx, qCopyStems, w.stemsFrom, w.stemsTo); err != nil {
		return fmt.Errorf("full-text index of stems: %w", err)
	}
	w.stemsFrom, w.stemsTo = 0, 0
	return nil
}

const (
	qFindIncident   = `SELECT rowid, origin FROM incident WHERE id = ?`
	qInsertIncident = `INSERT INTO incident (id, title, summary, title_ko, summary_ko, category, date_start, date_end, date_precision, date_inferred,
		date_note, location_precision, location_note, verification, verification_note, contradictions, research_ref,
		day_from, day_to, origin, updated_at, feature) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	qUpdateIncident = `UPDATE incident SET title=?, summary=?, title_ko=?, summary_ko=?, category=?, date_start=?, date_end=?, date_precision=?, date_inferred=?,
		date_note=?, location_precision=?, location_note=?, verification=?, verification_note=?, contradictions=?, research_ref=?,
		day_from=?, day_to=?, origin=?, updated_at=coalesce(?, updated_at), feature=? WHERE rowid=?`
	qDeletePlaces  = `DELETE FROM incident_place WHERE incident = ?`
	qDeleteSources = `DELETE FROM incident_source WHERE incident = ?`
	qDeletePoints  = `DELETE FROM incident_point WHERE incident = ?`
	qDeleteRtree   = `DELETE FROM incident_rtree WHERE id = ?`
	qDeleteFTS     = `DELETE FROM incident_fts WHERE rowid = ?`
	qDeleteStems   = `DELETE FROM incident_fts_porter WHERE rowid = ?`
	qInsertPlace   = `INSERT INTO incident_place (incident, ord, place_id) VALUES (?, ?, ?)`
	qInsertSource  = `INSERT INTO incident_source (incident, ord, source_id) VALUES (?, ?, ?)`
	qInsertPoint   = `INSERT INTO incident_point (incident, lon, lat) VALUES (?, ?, ?)`
	qInsertRtree   = `INSERT INTO incident_rtree (id, min_lon, max_lon, min_lat, max_lat, day_from, day_to,
		lon0, lon1, lat0, lat1, multi, category, verification, date_precision) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	qInsertFTS = `INSERT INTO incident_fts (rowid, title, summary, title_ko, summary_ko, places, sources) VALUES (?, ?, ?, ?, ?, ?, ?)`
	// Only the English text is stemmed: porter passes Korean words through
	// unchanged, so incident_fts alone finds them.
	qInsertStems = `INSERT INTO incident_fts_porter (rowid, title, summary, places, sources) VALUES (?, ?, ?, ?, ?)`
)

func newIncidentWriter(ctx context.Context, tx *sql.Tx, cat *references) (*incidentWriter, error) {
	w := &incidentWriter{tx: tx, cat: cat, now: time.Now().UTC().Format(time.RFC3339), stmts: map[string]*sql.Stmt{}}
	for _, q := range []string{qFindIncident, qInsertIncident, qUpdateIncident, qDeletePlaces, qDeleteSources, qDeletePoints,
		qDeleteRtree, qDeleteFTS, qDeleteStems, qInsertPlace, qInsertSource, qInsertPoint, qInsertRtree, qInsertFTS, qInsertStems} {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("prepare %q: %w", strings.Fields(q)[0], err)
		}
		w.stmts[q] = st
	}
	return w, nil
}

func (w *incidentWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// existing reports the rowid and origin of an incident, or ok=false.
func (w *incidentWriter) existing(ctx context.Context, id string) (rowid int64, origin string, ok bool, err error) {
	err = w.stmts[qFindIncident].QueryRowContext(ctx, id).Scan(&rowid, &origin)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("look up incident %s: %w", id, err)
	}
	return rowid, origin, true, nil
}

// put inserts or replaces one incident and reports whether it was new.
func (w *incidentWriter) put(ctx context.Context, in data.Incident, origin string) (created bool, err error) {
	d, err := w.cat.derive(in)
	if err != nil {
		return false, err
	}
	return w.write(ctx, in, d, origin, w.now, false)
}

// reindex rewrites what an existing incident derives from its places and
// sources (points, index boxes, search text, feature) after they changed,
// keeping its content, origin and time of writing.
func (w *incidentWriter) reindex(ctx context.Context, in data.Incident, origin string) error {
	d, err := w.cat.derive(in)
	if err != nil {
		return err
	}
	_, err = w.write(ctx, in, d, origin, nil, false)
	return err
}

// derivedIncident is what an incident's rows hold besides its own fields:
// the served feature, the points and index box, the search text of its
// places and sources. Deriving it reads only the references, which no incident
// write changes, so ImportIncidents derives the next incidents on another
// goroutine while this one writes.
type derivedIncident struct {
	feature         string
	dayFrom, dayTo  int64
	points          []orb.Point
	box             orb.Bound
	multi           int
	places, sources string
}

func (c *references) derive(in data.Incident) (derivedIncident, error) {
	g := incidentGeometry(in, c.places)
	feat, err := incidentFeatureJSON(in, g, c.places, c.sources)
	if err != nil {
		return derivedIncident{}, err
	}
	from, to := in.InForce()
	d := derivedIncident{feature: string(feat), dayFrom: data.DayNumber(from), dayTo: data.DayNumber(to),
		box: orb.Bound{Min: orb.Point{offMapBox, offMapBox}, Max: orb.Point{offMapBox, offMapBox}}}
	if g != nil {
		d.box = g.Bound()
		switch g := g.(type) {
		case orb.Point:
			d.points = []orb.Point{g}
		case orb.MultiPoint:
			d.points = g
			d.multi = 1
		}
	}
	var placeNames, sourceNames []string
	for _, id := range in.PlaceIDs {
		p := c.places[id]
		placeNames = append(placeNames, p.NameEN, p.NameKO, p.NameZH, strings.Join(p.AltNames, " "))
	}
	for _, id := range in.SourceIDs {
		s := c.sources[id]
		// Not the headline: it speaks for the whole article, so "phones"
		// would find every incident in an article about phones.
		sourceNames = append(sourceNames, s.Outlet, s.OriginalReporter)
	}
	d.places, d.sources = strings.Join(placeNames, " "), strings.Join(sourceNames, " ")
	return d, nil
}

// write is put with the derived rows and the time of writing given; nil
// keeps the stored one and so applies to stored incidents only. isNew says
// the caller knows no incident of this id is stored, which saves looking.
func (w *incidentWriter) write(ctx context.Context, in data.Incident, d derivedIncident, origin string, updatedAt any, isNew bool) (created bool, err error) {
	fields := []any{in.Title, in.Summary, in.TitleKO, in.SummaryKO, in.Category, data.FormatDate(in.DateStart), data.FormatDate(in.DateEnd),
		in.DatePrecision, boolInt(in.DateInferred), in.DateNote, in.LocationPrecision, in.LocationNote,
		in.Verification, in.VerificationNote, in.Contradictions, in.ResearchRef, d.dayFrom, d.dayTo, origin, updatedAt, d.feature}

	var rowid int64
	ok := false
	if !isNew {
		if rowid, _, ok, err = w.existing(ctx, in.ID); err != nil {
			return false, err
		}
	}
	if ok {
		// This incident may be among the new ones whose stems wait (its id
		// came earlier in the import): they are indexed before it changes.
		if err := w.flushStems(ctx); err != nil {
			return false, fmt.Errorf("update incident %s: %w", in.ID, err)
		}
		if _, err := w.stmts[qUpdateIncident].ExecContext(ctx, append(fields, rowid)...); err != nil {
			return false, fmt.Errorf("update incident %s: %w", in.ID, err)
		}
		for _, q := range []string{qDeletePlaces, qDeleteSources, qDeletePoints, qDeleteRtree, qDeleteFTS, qDeleteStems} {
			if _, err := w.stmts[q].ExecContext(ctx, rowid); err != nil {
				return false, fmt.Errorf("replace incident %s: %w", in.ID, err)
			}
		}
	} else {
		if updatedAt == nil {
			return false, fmt.Errorf("reindex incident %s: not stored", in.ID)
		}
		res, err := w.stmts[qInsertIncident].ExecContext(ctx, append([]any{in.ID}, fields...)...)
		if err != nil {
			return false, fmt.Errorf("insert incident %s: %w", in.ID, err)
		}
		if rowid, err = res.LastInsertId(); err != nil {
			return false, fmt.Errorf("insert incident %s: %w", in.ID, err)
		}
	}
	for i, id := range in.PlaceIDs {
		if _, err := w.stmts[qInsertPlace].ExecContext(ctx, rowid, i, id); err != nil {
			return false, fmt.Errorf("incident %s: link place %s: %w", in.ID, id, err)
		}
	}
	for i, id := range in.SourceIDs {
		if _, err := w.stmts[qInsertSource].ExecContext(ctx, rowid, i, id); err != nil {
			return false, fmt.Errorf("incident %s: link source %s: %w", in.ID, id, err)
		}
	}
	for _, p := range d.points {
		if _, err := w.stmts[qInsertPoint].ExecContext(ctx, rowid, p.Lon(), p.Lat()); err != nil {
			return false, fmt.Errorf("incident %s: store point: %w", in.ID, err)
		}
	}
	box := d.box
	if _, err := w.stmts[qInsertRtree].ExecContext(ctx, rowid, box.Min.Lon(), box.Max.Lon(), box.Min.Lat(), box.Max.Lat(), d.dayFrom, d.dayTo,
		box.Min.Lon(), box.Max.Lon(), box.Min.Lat(), box.Max.Lat(), d.multi, in.Category, in.Verification, in.DatePrecision); err != nil {
		return false, fmt.Errorf("incident %s: index: %w", in.ID, err)
	}
	if _, err := w.stmts[qInsertFTS].ExecContext(ctx, rowid, in.Title, in.Summary, in.TitleKO, in.SummaryKO, d.places, d.sources); err != nil {
		return false, fmt.Errorf("incident %s: full-text index: %w", in.ID, err)
	}
	if w.deferStems && !ok {
		// A new rowid is one more than the largest (an update keeps its
		// rowid, and flushes first), so the waiting ones are a range; should
		// SQLite ever choose otherwise, the range is flushed and begun anew.
		if w.stemsTo != 0 && rowid != w.stemsTo+1 {
			if err := w.flushStems(ctx); err != nil {
				return false, fmt.Errorf("incident %s: %w", in.ID, err)
			}
		}
		if w.stemsTo == 0 {
			w.stemsFrom = rowid
		}
		w.stemsTo = rowid
		return true, nil
	}
	if _, err := w.stmts[qInsertStems].ExecContext(ctx, rowid, in.Title, in.Summary, d.places, d.sources); err != nil {
		return false, fmt.Errorf("incident %s: full-text index of stems: %w", in.ID, err)
	}
	return !ok, nil
}

// inTableOrder puts an import's incidents in the order of the first day
// they are in force, the order their new rows then get in the table. A large
// import writes faster so: a million synthetic incidents in batches of
// 100,000 took 177 and 178 s in date order against 199, 215 and 222 s in
// the file's (make bench-db, alternating). Why was not measured; most
// likely the R*Tree and the day index then take each batch's rows in
// neighbouring pages rather than all over.
// The sort is stable and keys the rows of one id by the first of them, so
// those keep their order (the last one stands), and incidents of the same
// first day keep the file's order, which is the list's order after the day.
func inTableOrder(todo []data.Incident) {
	first := make(map[string]int64, len(todo))
	keys := make([]int64, len(todo))
	for i, in := range todo {
		k, ok := first[in.ID]
		if !ok {
			from, _ := in.InForce()
			k = data.DayNumber(from)
			first[in.ID] = k
		}
		keys[i] = k
	}
	order := make([]int, len(todo))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	// In place, a cycle at a time: a million incidents are hundreds of MB.
	for i := range order {
		if order[i] < 0 {
			continue
		}
		held := todo[i]
		j := i
		for {
			next := order[j]
			order[j] = -1
			if next == i {
				todo[j] = held
				break
			}
			todo[j] = todo[next]
			j = next
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ImportResult says what an import changed.
type ImportResult struct {
	Added   int `json:"added"`
	Updated int `json:"updated"`
	// Unchanged incidents were identical to the stored ones and not written:
	// importing an export as it is leaves the seed's incidents the seed's.
	Unchanged int `json:"unchanged"`
}

// storedVersions reads the stored incidents that share an id with incidents.
// The ids go through a temporary table: an import can hold more of them than
// a statement takes parameters.
func storedVersions(ctx context.Context, tx *sql.Tx, incidents []data.Incident) (map[string]data.Incident, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS import_id (id TEXT PRIMARY KEY) WITHOUT ROWID`); err != nil {
		return nil, fmt.Errorf("stored versions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.import_id`); err != nil {
		return nil, fmt.Errorf("stored versions: %w", err)
	}
	st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO temp.import_id (id) VALUES (?)`)
	if err != nil {
		return nil, fmt.Errorf("stored versions: %w", err)
	}
	defer st.Close()
	for _, in := range incidents {
		if _, err := st.ExecContext(ctx, in.ID); err != nil {
			return nil, fmt.Errorf("stored versions: %w", err)
		}
	}
	old, _, err := readIncidents(ctx, tx, "id IN (SELECT id FROM temp.import_id)")
	if err != nil {
		return nil, fmt.Errorf("stored versions: %w", err)
	}
	out := make(map[string]data.Incident, len(old))
	for _, in := range old {
		out[in.ID] = in
	}
	return out, nil
}

// ImportIncidents validates incidents against the database and writes all of
// them in one transaction, or none. New ids are added, existing ids replaced;
// either way they are marked as imported so a newer seed never overwrites them.
// An incident identical to the stored one is left as it is.
// The read is done by the caller (data.ReadIncidentsCSV/GeoJSON) with Refs
// from this store, then checked again here inside the transaction.
func (s *Store) ImportIncidents(ctx context.Context, incidents []data.Incident) (ImportResult, error) {
	var res ImportResult
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("import: begin: %w", err)
	}
	defer tx.Rollback()
	cat, err := loadReferences(ctx, tx)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	verr := &data.ValidationError{File: "import"}
	for i, in := range incidents {
		for _, id := range in.PlaceIDs {
			if !cat.HasPlace(id) {
				verr.Errors = append(verr.Errors, data.FieldError{Feature: i + 1, Field: "place_ids", Message: fmt.Sprintf("unknown place %q", id)})
			}
		}
		for _, id := range in.SourceIDs {
			if !cat.HasSource(id) {
				verr.Errors = append(verr.Errors, data.FieldError{Feature: i + 1, Field: "source_ids", Message: fmt.Sprintf("unknown source %q", id)})
			}
		}
	}
	if len(verr.Errors) > 0 {
		return res, verr
	}
	stored, err := storedVersions(ctx, tx, incidents)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	var todo []data.Incident
	for _, in := range incidents {
		old, ok := stored[in.ID]
		if in.KoreanOmitted {
			// The file has no Korean columns: it says nothing about the
			// Korean text, so the stored one stays (a new incident has none).
			in.TitleKO, in.SummaryKO, in.KoreanOmitted = old.TitleKO, old.SummaryKO, false
		}
		if ok && slices.Equal(old.Record(), in.Record()) {
			res.Unchanged++
			continue
		}
		todo = append(todo, in)
	}
	inTableOrder(todo)
	w, err := newIncidentWriter(ctx, tx, cat)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer w.close()
	bulk := len(todo) >= bulkImportMin
	var restoreFTS func() error
	if bulk {
		if restoreFTS, err = deferFTSFlush(ctx, tx); err != nil {
			return ImportResult{}, fmt.Errorf("import: %w", err)
		}
		w.deferStems = true
	}
	// The features and search text are derived on another goroutine while
	// this one writes: SQLite's single writer is the import's bottleneck.
	type derived struct {
		d   derivedIncident
		err error
	}
	next := make(chan derived, 256)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(next)
		for _, in := range todo {
			d, err := cat.derive(in)
			select {
			case next <- derived{d, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	// An id written earlier in this import is stored now, though not in
	// stored; the writer looks it up like any stored one.
	written := make(map[string]bool, len(todo))
	// The driver watches a cancellable context with a goroutine of its own
	// for every statement: a dozen per incident, 5 % of a large import's
	// time. The incidents' statements are short, so they run without it and
	// the context is checked between incidents instead.
	rowCtx := context.WithoutCancel(ctx)
	for _, in := range todo {
		if err := ctx.Err(); err != nil {
			return ImportResult{}, fmt.Errorf("import: %w", err)
		}
		r := <-next
		if r.err != nil {
			return ImportResult{}, fmt.Errorf("import: %w", r.err)
		}
		_, ok := stored[in.ID]
		created, err := w.write(rowCtx, in, r.d, "import", w.now, !ok && !written[in.ID])
		if err != nil {
			return ImportResult{}, fmt.Errorf("import: %w", err)
		}
		written[in.ID] = true
		if created {
			res.Added++
		} else {
			res.Updated++
		}
	}
	if err := w.flushStems(ctx); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if restoreFTS != nil {
		if err := restoreFTS(); err != nil {
			return ImportResult{}, fmt.Errorf("import: %w", err)
		}
	}
	if err := finishWrite(ctx, tx); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("import: commit: %w", err)
	}
	s.forgetVersion()
	return res, nil
}

// Refs returns the ids of every place and source in the database, for
// validating a file before import.
func (s *Store) Refs(ctx context.Context) (data.Refs, error) {
	cat, err := loadReferences(ctx, s.ro)
	if err != nil {
		return nil, err
	}
	return cat, nil
}

// bulkImportMin is the number of incidents to write from which an import
// holds the full-text indexes' new entries in memory until it commits (see
// deferFTSFlush). Below it the default flush every megabyte is never reached,
// or only once or twice.
var bulkImportMin = 2000

// bulkFTSSettings are FTS5's settings for the transaction of a bulk import,
// with FTS5's defaults, which the tables keep otherwise.
//
// hashsize: FTS5 writes the entries it holds in memory as a new segment
// whenever they pass 'hashsize' (1 MiB by default), and merges segments as
// they pile up: at 1,000,000 incidents imported in batches of 100,000, those
// merges took 54 of the 286 s. A batch of 100,000 synthetic incidents makes
// about 50 MB of index in each table, so at 256 MiB it is written as one
// segment per index when it commits; a larger import is written every
// 256 MiB, which bounds the memory it takes.
//
// automerge: FTS5 merges 4 segments of a level into one as it writes. Off,
// a bulk import adds its segment (or two) and merges nothing: 10 batches of
// 100,000 leave 11 segments per index, where the same incidents imported
// row by row leave 9 to 14, and 16 of a level still make FTS5 merge them
// (crisismerge). Merging the batches' segments took 10 s of 200.
var bulkFTSSettings = []struct {
	name         string
	bulk, normal int64
}{
	{"hashsize", 256 << 20, 1 << 20},
	{"automerge", 0, 4},
}

// deferFTSFlush applies bulkFTSSettings to both full-text indexes for the
// rest of the transaction tx, and returns the function that sets them back
// before tx commits. FTS5 keeps its settings in the table's %_config shadow
// table; restoring sets each value back through FTS5 (so this connection's
// copy of the setting follows, and other connections reload it), then
// deletes the row the setting wrote if there was none before, so the shadow
// table holds what it held. All of it is inside tx: an import that fails
// leaves no trace, and the connection reads the settings again because the
// index's cookie no longer matches its own.
func deferFTSFlush(ctx context.Context, tx *sql.Tx) (restore func() error, err error) {
	type setting struct {
		table, name string
		value       any
		had         bool
	}
	var before []setting
	for _, t := range []string{"incident_fts", "incident_fts_porter"} {
		for _, c := range bulkFTSSettings {
			b := setting{table: t, name: c.name, value: c.normal}
			err := tx.QueryRowContext(ctx, `SELECT v FROM `+t+`_config WHERE k = ?`, c.name).Scan(&b.value)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return nil, fmt.Errorf("read %s %s: %w", t, c.name, err)
			default:
				b.had = true
			}
			before = append(before, b)
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+t+` (`+t+`, rank) VALUES (?, ?)`, c.name, c.bulk); err != nil {
				return nil, fmt.Errorf("set %s %s: %w", t, c.name, err)
			}
		}
	}
	return func() error {
		for _, b := range before {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+b.table+` (`+b.table+`, rank) VALUES (?, ?)`, b.name, b.value); err != nil {
				return fmt.Errorf("restore %s %s: %w", b.table, b.name, err)
			}
			if !b.had {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+b.table+`_config WHERE k = ?`, b.name); err != nil {
					return fmt.Errorf("restore %s %s: %w", b.table, b.name, err)
				}
			}
		}
		return nil
	}, nil
}
