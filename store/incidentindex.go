package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync"

	"github.com/paulmach/orb"
)

// incidentIndex answers the map's questions about incidents (a span of days,
// a bbox, categories, verification) without SQL. It is an immutable copy of
// the incidents as one read transaction saw them at data version `version`:
// what a query filters on sits in memory in list order (day in force, then
// rowid), and the served GeoJSON of each incident sits in a file mapped into
// memory (featureFile), in the same order, so the process keeps tens of
// bytes per incident rather than kilobytes. SQLite stays the source of truth: an index is only
// used while its version is the database's (see Store.incidentIndex), and a
// query it cannot answer (text, source or place filters) goes to SQL.
//
// At 1,000,000 incidents the month-in-a-box query took 17 ms through SQLite,
// most of it in reading and copying rows; here it is one pass over the
// days in force and a copy of the page's bytes.
type incidentIndex struct {
	version string
	dayFrom []int32 // sorted ascending (the list order)
	dayTo   []int32
	// lon, lat: the incident's one point; offMapBox for none. Where multi
	// is set, points[i] holds its points and lon, lat are unused.
	lon, lat []float64
	multi    []bool
	points   map[int32][]orb.Point
	category []uint8 // index into categories
	verif    []uint8 // index into verifications
	// tiers sort the incidents by how long they are in force (see
	// spanTiers): a query from a day looks only at those that can reach it.
	// They copy the columns a page tests (24 bytes an incident).
	tiers         []spanTier
	categories    []string
	verifications []string
	features      *featureFile // feature i is the incident at list position i

	// mu is read-held while a page's bytes (which point into the mapped
	// file) are in use; closed is set under the write lock when the index
	// is replaced and its file unmapped.
	mu     sync.RWMutex
	closed bool
}

// len is the number of incidents.
func (x *incidentIndex) len() int { return len(x.dayFrom) }

// answers reports whether the index can answer q: the filters it holds.
func (x *incidentIndex) answers(q Query) bool {
	return len(q.SourceIDs) == 0 && len(q.PlaceIDs) == 0 && q.Text == "" && len(q.Sort) == 0 && q.Filter == nil
}

// acquire read-locks x for a page; false if it was closed meanwhile.
func (x *incidentIndex) acquire() bool {
	x.mu.RLock()
	if x.closed {
		x.mu.RUnlock()
		return false
	}
	return true
}

func (x *incidentIndex) release() { x.mu.RUnlock() }

// close waits for the pages in use, then unmaps the features.
func (x *incidentIndex) close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	return x.features.close()
}

// codeMask is the set of codes (by index into names) q asks for; ok is false
// when the filter is not set. A code the index has never seen matches
// nothing, as in SQL.
func codeMask(names, want []string) (mask uint64, ok bool) {
	if len(want) == 0 {
		return 0, false
	}
	for _, w := range want {
		if i := slices.Index(names, w); i >= 0 {
			mask |= 1 << i
		}
	}
	return mask, true
}

// page runs q: the positions of the page's incidents and how many match in
// all. Same rows, same order as the SQL path (incidentQuery).
func (x *incidentIndex) page(q Query) (positions []int32, matched int) {
	n := x.len()
	hi := n
	if q.ToDay != nil {
		to := *q.ToDay
		hi = sort.Search(n, func(i int) bool { return int64(x.dayFrom[i]) > to })
	}
	f := indexFilter{from: math.MinInt64, bbox: q.BBox}
	if b := q.BBox; b != nil {
		f.minLon, f.minLat, f.maxLon, f.maxLat = b.Min.Lon(), b.Min.Lat(), b.Max.Lon(), b.Max.Lat()
		f.across = !(f.minLon <= f.maxLon) // as pointIn decides, NaN included
	}
	f.catMask, f.byCat = codeMask(x.categories, q.Categories)
	f.verMask, f.byVer = codeMask(x.verifications, q.Verifications)
	want := q.Offset + q.Limit
	if q.BBox == nil && q.FromDay == nil && !f.byCat && !f.byVer {
		// Every incident up to the last day asked: the page is a slice.
		for i := q.Offset; i < hi && i < want; i++ {
			positions = append(positions, int32(i))
		}
		return positions, hi
	}
	// Each cell's candidates are those that start at most its tier's
	// longest span before the first day asked: a run of its list. Cells
	// whose points all lie outside the box are passed over. The matches are
	// marked in a bitmap from the earliest candidate on, whose set bits in
	// order are the list order.
	if q.FromDay != nil {
		f.from = *q.FromDay
	}
	var runs [maxCells][2]int
	base := int32(hi)
	for t := range x.tiers {
		tier := &x.tiers[t]
		if len(tier.pos) == 0 || (f.bbox != nil && !f.across && (tier.maxLon < f.minLon || tier.minLon > f.maxLon ||
			tier.maxLat < f.minLat || tier.minLat > f.maxLat)) {
			continue
		}
		lo := 0
		if q.FromDay != nil {
			first := f.from - int64(tier.maxSpan)
			lo = sort.Search(len(tier.pos), func(k int) bool { return int64(x.dayFrom[tier.pos[k]]) >= first })
		}
		end := sort.Search(len(tier.pos), func(k int) bool { return tier.pos[k] >= int32(hi) })
		if lo < end {
			runs[t] = [2]int{lo, end}
			base = min(base, tier.pos[lo])
		}
	}
	bm := getBitmap((hi - int(base) + 63) / 64)
	defer putBitmap(bm)
	words := *bm
	for t, run := range runs[:len(x.tiers)] {
		tier := &x.tiers[t]
		for k := run[0]; k < run[1]; k++ {
			if x.matches(tier, k, &f) {
				i := tier.pos[k] - base
				words[i>>6] |= 1 << (i & 63)
				matched++
			}
		}
	}
	seen := 0
	for w, word := range words {
		if seen >= want {
			break
		}
		if n := bits.OnesCount64(word); seen+n <= q.Offset {
			seen += n
			continue
		}
		for word != 0 && seen < want {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			if seen >= q.Offset {
				positions = append(positions, base+int32(w*64+b))
			}
			seen++
		}
	}
	return positions, matched
}

// Bitmaps of page are kept for the next query: at a million incidents a
// month's is some 70 kB.
var bitmaps sync.Pool

func getBitmap(words int) *[]uint64 {
	if b, ok := bitmaps.Get().(*[]uint64); ok && cap(*b) >= words {
		*b = (*b)[:words]
		clear(*b)
		return b
	}
	b := make([]uint64, words)
	return &b
}

func putBitmap(b *[]uint64) { bitmaps.Put(b) }

// indexFilter is a query's filters as page tests them.
type indexFilter struct {
	from             int64 // first day; math.MinInt64 for none
	bbox             *orb.Bound
	catMask, verMask uint64
	byCat, byVer     bool
	// bbox's edges; across: it crosses the antimeridian (Min.Lon > Max.Lon).
	minLon, minLat, maxLon, maxLat float64
	across                         bool
}

// matches tests the k-th incident of tier against f, reading the tier's
// own columns: a run of them is contiguous in memory, where the list's
// columns at the same incidents are scattered over megabytes (testing the
// box from those was most of a page's time).
func (x *incidentIndex) matches(tier *spanTier, k int, f *indexFilter) bool {
	if int64(tier.dayTo[k]) < f.from {
		return false
	}
	if f.byCat && f.catMask&(1<<x.category[tier.pos[k]]) == 0 {
		return false
	}
	if f.byVer && f.verMask&(1<<x.verif[tier.pos[k]]) == 0 {
		return false
	}
	if f.bbox == nil {
		return true
	}
	if lon := tier.lon[k]; lon == lon {
		// Without branches: whether a point is in a box of its own is a
		// coin toss to the processor, and a mispredicted branch cost more
		// than the four comparisons.
		lat := tier.lat[k]
		in := b2u(lat >= f.minLat) & b2u(lat <= f.maxLat)
		if f.across {
			return in&(b2u(lon >= f.minLon)|b2u(lon <= f.maxLon)) != 0
		}
		return in&b2u(lon >= f.minLon)&b2u(lon <= f.maxLon) != 0
	}
	return x.inBound(tier.pos[k], *f.bbox) // NaN: several points
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// inBound reports whether some point of incident i lies in b (edges
// included; Min.Lon > Max.Lon crosses the antimeridian), as bboxClause and
// the exact tests after the R*Tree decide.
func (x *incidentIndex) inBound(i int32, b orb.Bound) bool {
	if !x.multi[i] {
		return pointIn(x.lon[i], x.lat[i], b)
	}
	for _, p := range x.points[i] {
		if pointIn(p.Lon(), p.Lat(), b) {
			return true
		}
	}
	return false
}

func pointIn(lon, lat float64, b orb.Bound) bool {
	if lat < b.Min.Lat() || lat > b.Max.Lat() {
		return false
	}
	if b.Min.Lon() <= b.Max.Lon() {
		return lon >= b.Min.Lon() && lon <= b.Max.Lon()
	}
	return lon >= b.Min.Lon() || lon <= b.Max.Lon()
}

// feature is the served GeoJSON of the incident at position i; it points
// into the mapped file and is valid while the index is acquired.
func (x *incidentIndex) feature(i int32) json.RawMessage { return x.features.at(int(i)) }

// buildIncidentIndex copies the incidents as one read transaction sees them.
// dir is where the file of features is made (the database's folder).
//
// The rows are read in rowid order, which is the table's own order on disk,
// and put in list order in memory: reading them in list order through the
// day index took 98 s at a million incidents (a random seek per row, most
// of it waiting on reads), reading them in table order about 12 s.
//
// Their features are written in rowid order to a scratch file as they come,
// then copied into the index's file in list order. A page is a run of the
// list thinned by its box, so its features then lie close together in the
// file rather than scattered over all of it (rowid order follows the
// imports, not the dates): the first page after a reboot, when none of the
// file is in the kernel's cache, reads a few megabytes instead of faulting
// in a thousand pieces of a 2.3 GB file at a million incidents (1.8–2.3 s),
// and every page is copied from fewer places. The copy adds a few seconds
// to a build at a million incidents, and the scratch file's size to the
// disk it takes meanwhile.
//
// With keepAs set, persist writes the index there as a snapshot of the
// database storeID (indexsnapshot.go); it must be called, and may be called
// once the index serves (writing and syncing gigabytes takes seconds).
func buildIncidentIndex(ctx context.Context, db *sql.DB, dir, keepAs, storeID string) (x *incidentIndex, persist func() error, err error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("build incident index: %w", err)
	}
	defer tx.Rollback() // read-only: one snapshot for everything below
	x = &incidentIndex{points: map[int32][]orb.Point{}}
	if err := tx.QueryRowContext(ctx, dataVersionSQL).Scan(&x.version); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("build incident index: read data version: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM incident").Scan(&n); err != nil {
		return nil, nil, fmt.Errorf("build incident index: count: %w", err)
	}
	scratch, err := newFeatureFileWriter(dir, n)
	if err != nil {
		return nil, nil, fmt.Errorf("build incident index: %w", err)
	}
	defer scratch.abort() // removed whatever happens; the index copies from it

	// In rowid order: j is an incident's number in that order.
	var (
		rowids          = make([]int64, 0, n)
		dayFrom, dayTo  = make([]int32, 0, n), make([]int32, 0, n)
		category, verif = make([]uint8, 0, n), make([]uint8, 0, n)
	)
	rows, err := tx.QueryContext(ctx, `SELECT rowid, day_from, day_to, category, verification, feature FROM incident ORDER BY rowid`)
	if err != nil {
		return nil, nil, fmt.Errorf("build incident index: %w", err)
	}
	defer rows.Close()
	var (
		rowid, from, to int64
		cat, ver        string
		feat            sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&rowid, &from, &to, &cat, &ver, &feat); err != nil {
			return nil, nil, fmt.Errorf("build incident index: %w", err)
		}
		rowids = append(rowids, rowid)
		dayFrom, dayTo = append(dayFrom, int32(from)), append(dayTo, int32(to))
		category = append(category, code(&x.categories, cat))
		verif = append(verif, code(&x.verifications, ver))
		if err := scratch.add(feat); err != nil {
			return nil, nil, fmt.Errorf("build incident index: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("build incident index: %w", err)
	}
	if len(x.categories) > 64 || len(x.verifications) > 64 {
		return nil, nil, fmt.Errorf("build incident index: %d categories and %d verifications, more than 64", len(x.categories), len(x.verifications))
	}

	// Where each incident is. Every incident has its row in the R*Tree (the
	// page query joins it); one that had none would not be listed there,
	// and is not here.
	var (
		lon, lat = make([]float64, len(rowids)), make([]float64, len(rowids))
		multi    = make([]bool, len(rowids))
		placed   = make([]bool, len(rowids))
	)
	rt, err := tx.QueryContext(ctx, `SELECT id, multi, lon0, lat0 FROM incident_rtree`)
	if err != nil {
		return nil, nil, fmt.Errorf("build incident index: places: %w", err)
	}
	defer rt.Close()
	var (
		m        int64
		lo, la   float64
		multiAny bool
	)
	for rt.Next() {
		if err := rt.Scan(&rowid, &m, &lo, &la); err != nil {
			return nil, nil, fmt.Errorf("build incident index: places: %w", err)
		}
		j, ok := slices.BinarySearch(rowids, rowid)
		if !ok {
			continue
		}
		lon[j], lat[j], multi[j], placed[j] = lo, la, m == 1, true
		multiAny = multiAny || m == 1
	}
	if err := rt.Err(); err != nil {
		return nil, nil, fmt.Errorf("build incident index: places: %w", err)
	}

	// The list order: day in force, then rowid (j is in rowid order, so a
	// stable sort by day gives it).
	order := make([]int32, 0, len(rowids))
	for j := range rowids {
		if placed[j] {
			order = append(order, int32(j))
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(dayFrom[a], dayFrom[b]) })
	k := len(order)
	x.dayFrom, x.dayTo = make([]int32, k), make([]int32, k)
	x.lon, x.lat = make([]float64, k), make([]float64, k)
	x.multi = make([]bool, k)
	x.category, x.verif = make([]uint8, k), make([]uint8, k)
	posOf := map[int64]int32{} // rowid → list position, for the incidents with several points
	for i, j := range order {
		x.dayFrom[i], x.dayTo[i] = dayFrom[j], dayTo[j]
		x.lon[i], x.lat[i], x.multi[i] = lon[j], lat[j], multi[j]
		x.category[i], x.verif[i] = category[j], verif[j]
		if multi[j] {
			posOf[rowids[j]] = int32(i)
		}
	}
	if multiAny {
		pts, err := tx.QueryContext(ctx, `SELECT p.incident, p.lon, p.lat FROM incident_point p
			WHERE p.incident IN (SELECT id FROM incident_rtree WHERE multi = 1) ORDER BY p.incident, p.rowid`)
		if err != nil {
			return nil, nil, fmt.Errorf("build incident index: points: %w", err)
		}
		defer pts.Close()
		for pts.Next() {
			if err := pts.Scan(&rowid, &lo, &la); err != nil {
				return nil, nil, fmt.Errorf("build incident index: points: %w", err)
			}
			if pos, ok := posOf[rowid]; ok {
				x.points[pos] = append(x.points[pos], orb.Point{lo, la})
			}
		}
		if err := pts.Err(); err != nil {
			return nil, nil, fmt.Errorf("build incident index: points: %w", err)
		}
	}
	x.tiers = spanTiers(x)
	ff, err := copyInOrder(scratch, order, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("build incident index: %w", err)
	}
	defer func() {
		if err != nil {
			ff.abort()
		}
	}()
	if keepAs == "" {
		if x.features, err = ff.finish(); err != nil {
			return nil, nil, fmt.Errorf("build incident index: %w", err)
		}
		return x, func() error { return nil }, nil
	}
	tail, err := snapshotTail(x, ff.off, storeID, ff.pos)
	if err != nil {
		return nil, nil, fmt.Errorf("build incident index: %w", err)
	}
	if x.features, err = ff.mapFeatures(); err != nil {
		return nil, nil, fmt.Errorf("build incident index: %w", err)
	}
	return x, func() error { return ff.keep(tail, keepAs) }, nil
}

// tierSpans are the longest spans (day_to − day_from) of the tiers but the
// last, which holds the rest: a day, a week, a month, a season, a year, as
// the incidents' date precisions go.
var tierSpans = [...]int32{7, 31, 92, 366}

// spanTier is a cell of the index: the incidents whose span is at most
// maxSpan days and more than the tier before's, and whose point lies in one
// band of longitudes. It holds their list positions, ascending, beside
// them the columns page tests in the same order, and the bounds of their
// points (infinite for the cell of incidents with several points).
type spanTier struct {
	maxSpan                        int32
	pos                            []int32
	dayTo                          []int32
	lon, lat                       []float64 // NaN lon: several points, in points
	minLon, maxLon, minLat, maxLat float64
}

// lonBands is how many bands of longitude, of about as many incidents
// each, divide the incidents with one point. A box of 1–4 degrees over the
// border's 7 meets a few of them.
const (
	lonBands = 12
	// maxCells: a band of its own for the incidents with several points
	// and one for those with none, in each tier.
	maxCells = (len(tierSpans) + 1) * (lonBands + 2)
)

// spanTiers sorts the incidents of x into cells by span and longitude. An
// incident in force on or after day d starts no earlier than d − maxSpan of
// its tier, so a one-month window at 100,000 incidents looks at about 9,500
// of them, fewer in a box; one pass over the days before it, as the index
// first did, met half of them (a year-long incident in almost every block
// of days kept the block).
func spanTiers(x *incidentIndex) []spanTier {
	// Band edges: quantiles of the points' longitudes, from a sample. Any
	// edges give the same pages (a band only says where to look); a sample
	// of a few tens of thousands spares a restart sorting a million.
	step := max(1, len(x.dayFrom)/(1<<15))
	var lons []float64
	for i := 0; i < len(x.dayFrom); i += step {
		if !x.multi[i] && x.lon[i] >= -180 && x.lon[i] <= 180 {
			lons = append(lons, x.lon[i])
		}
	}
	slices.Sort(lons)
	var edges []float64 // band b holds lon < edges[b], past the bands before
	for b := 1; b < lonBands && len(lons) > 0; b++ {
		edges = append(edges, lons[b*len(lons)/lonBands])
	}
	cellOf := func(i int) uint8 {
		t, _ := slices.BinarySearch(tierSpans[:], x.dayTo[i]-x.dayFrom[i])
		band := 0 // several points
		switch lon := x.lon[i]; {
		case x.multi[i]:
		case lon < -180 || lon > 180 || x.lat[i] < -90 || x.lat[i] > 90:
			band = 1 // no point
		default:
			band = 2
			for band-2 < len(edges) && lon >= edges[band-2] {
				band++
			}
		}
		return uint8(t*(lonBands+2) + band)
	}
	cellOfAll := make([]uint8, len(x.dayFrom))
	var sizes [maxCells]int
	for i := range x.dayFrom {
		c := cellOf(i)
		cellOfAll[i] = c
		sizes[c]++
	}
	cells := make([]spanTier, maxCells)
	for c := range cells {
		cell := &cells[c]
		if t := c / (lonBands + 2); t < len(tierSpans) {
			cell.maxSpan = tierSpans[t]
		}
		n := sizes[c]
		cell.pos, cell.dayTo = make([]int32, 0, n), make([]int32, 0, n)
		cell.lon, cell.lat = make([]float64, 0, n), make([]float64, 0, n)
		cell.minLon, cell.minLat = math.Inf(1), math.Inf(1)
		cell.maxLon, cell.maxLat = math.Inf(-1), math.Inf(-1)
		if c%(lonBands+2) == 0 { // several points: tested one by one
			cell.minLon, cell.minLat = math.Inf(-1), math.Inf(-1)
			cell.maxLon, cell.maxLat = math.Inf(1), math.Inf(1)
		}
	}
	for i := range x.dayFrom {
		c := int(cellOfAll[i])
		cell := &cells[c]
		lon, lat := x.lon[i], x.lat[i]
		if x.multi[i] {
			lon = math.NaN()
		} else {
			cell.minLon, cell.maxLon = min(cell.minLon, lon), max(cell.maxLon, lon)
			cell.minLat, cell.maxLat = min(cell.minLat, lat), max(cell.maxLat, lat)
		}
		cell.pos = append(cell.pos, int32(i))
		cell.dayTo = append(cell.dayTo, x.dayTo[i])
		cell.lon, cell.lat = append(cell.lon, lon), append(cell.lat, lat)
		if c/(lonBands+2) == len(tierSpans) {
			for t := len(tierSpans) * (lonBands + 2); t < maxCells; t++ {
				cells[t].maxSpan = max(cells[t].maxSpan, x.dayTo[i]-x.dayFrom[i])
			}
		}
	}
	return cells
}

// code is the index of name in *names, appending it the first time.
func code(names *[]string, name string) uint8 {
	if i := slices.Index(*names, name); i >= 0 {
		return uint8(i)
	}
	*names = append(*names, name)
	return uint8(len(*names) - 1)
}
