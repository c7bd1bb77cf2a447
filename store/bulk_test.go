package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/data"
)

// bulkWords are the words of the made-up incidents below: forms of one
// English word (for the porter index), Korean words with particles, and
// numbers, which make many distinct terms.
var bulkWords = strings.Fields(`patrol patrols patrolled patrolling guard guards fence fences fenced river bank
	bridge crossing crossings crossed arrest arrests arrested arresting phone phones phoned smuggling smuggler
	smugglers quarantine quarantined quarantines market markets closed closure order orders village villages
	soldier soldiers trade traders price prices rice corn fuel checkpoint checkpoints night nights lights
	shooting shootings shot camp camps campaign report reports reported reporter 국경 경비 강변에서 마을에
	주민들이 장마당 단속 체포되었다 혜산에서 봉쇄`)

// bulkIncidents makes n incidents over the seed's places and sources, with
// summaries long enough that n of them are many times FTS5's default
// in-memory budget: the row-by-row path writes and merges several segments.
func bulkIncidents(rng *rand.Rand, prefix string, n int) []data.Incident {
	precisions := []string{"day", "day", "week", "month", "year"}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	text := func(words int) string {
		var b strings.Builder
		for i := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			if rng.IntN(8) == 0 {
				fmt.Fprintf(&b, "n%d", rng.IntN(50_000))
			} else {
				b.WriteString(bulkWords[rng.IntN(len(bulkWords))])
			}
		}
		return b.String()
	}
	out := make([]data.Incident, 0, n)
	for i := range n {
		in := data.Incident{
			ID:                fmt.Sprintf("%s-%05d", prefix, i),
			Title:             text(5 + rng.IntN(8)),
			Summary:           text(60 + rng.IntN(120)),
			Category:          data.Categories[rng.IntN(len(data.Categories))].Value,
			DateStart:         start.AddDate(0, 0, rng.IntN(730)),
			DatePrecision:     precisions[rng.IntN(len(precisions))],
			DateInferred:      rng.IntN(5) == 0,
			LocationPrecision: "exact",
			Verification:      data.Verifications[rng.IntN(len(data.Verifications))].Value,
		}
		if rng.IntN(4) == 0 {
			in.TitleKO, in.SummaryKO = text(4), text(30)
		}
		if rng.IntN(10) == 0 {
			in.DateEnd = in.DateStart.AddDate(0, 0, 1+rng.IntN(60))
		}
		// One place or two (a MultiPoint where both have points); some
		// places have no point at all (areas, the whole country).
		for range 1 + rng.IntN(2) {
			p := testSeed.Places[rng.IntN(len(testSeed.Places))].ID
			if !slices.Contains(in.PlaceIDs, p) {
				in.PlaceIDs = append(in.PlaceIDs, p)
			}
		}
		for range 1 + rng.IntN(2) {
			s := testSeed.Sources[rng.IntN(len(testSeed.Sources))].ID
			if !slices.Contains(in.SourceIDs, s) {
				in.SourceIDs = append(in.SourceIDs, s)
			}
		}
		out = append(out, in)
	}
	return out
}

// withBulkImportMin sets the size from which imports take the bulk path for
// the rest of the test.
func withBulkImportMin(t *testing.T, n int) {
	t.Helper()
	old := bulkImportMin
	bulkImportMin = n
	t.Cleanup(func() { bulkImportMin = old })
}

// A bulk import writes what the row-by-row path writes: the same rows, the
// same R*Tree, the same full-text entries, the same answers to searches,
// and leaves FTS5's settings as they were. Two imports each, the second
// updating some of the first's incidents, adding others and naming one id
// twice.
func TestBulkImportWritesWhatRowByRowDoes(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(8, 8))
	first := bulkIncidents(rng, "bulk", 5000)
	second := bulkIncidents(rng, "more", 2000)
	for i := 0; i < 300; i++ { // updates of the first import's incidents
		in := first[rng.IntN(len(first))]
		in.Summary += " patrols doubled 체포되었다"
		in.PlaceIDs = []string{testSeed.Places[rng.IntN(len(testSeed.Places))].ID}
		second = append(second, in)
	}
	dup := second[0]
	dup.Title = "the same id twice in one import"
	second = append(second, dup)
	second = append(second, first[1]) // unchanged

	imports := func(st *Store) []ImportResult {
		var out []ImportResult
		for _, batch := range [][]data.Incident{first, second} {
			res, err := st.ImportIncidents(ctx, batch)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, res)
		}
		return out
	}
	rowByRow, bulk := openCopy(t), openCopy(t)
	withBulkImportMin(t, 1<<30)
	wantRes := imports(rowByRow)
	bulkImportMin = 1
	gotRes := imports(bulk)
	if !slices.Equal(gotRes, wantRes) {
		t.Errorf("bulk imports report %+v, row by row %+v", gotRes, wantRes)
	}
	if wantRes[1].Updated < 250 || wantRes[1].Unchanged != 1 {
		t.Errorf("the second import updated %d and left %d unchanged: the case proves less than it should", wantRes[1].Updated, wantRes[1].Unchanged)
	}

	for _, q := range []string{
		// every stored column but the time of writing
		`SELECT rowid, id, title, summary, title_ko, summary_ko, category, date_start, date_end, date_precision,
			date_inferred, date_note, location_precision, location_note, verification, verification_note,
			contradictions, research_ref, day_from, day_to, origin, feature FROM incident ORDER BY rowid`,
		`SELECT * FROM incident_place ORDER BY incident, ord`,
		`SELECT * FROM incident_source ORDER BY incident, ord`,
		`SELECT incident, lon, lat FROM incident_point ORDER BY rowid`,
		`SELECT * FROM incident_rtree ORDER BY id`,
		`SELECT rowid, * FROM incident_fts ORDER BY rowid`,
		`SELECT * FROM extent ORDER BY collection`,
		`SELECT * FROM meta ORDER BY key`,
		// FTS5's settings: the bulk path changes one for its transaction only
		`SELECT k, v FROM incident_fts_config ORDER BY k`,
		`SELECT k, v FROM incident_fts_porter_config ORDER BY k`,
		// what each index holds: every term, the documents and places it is in
		`SELECT * FROM temp.vocab ORDER BY term, col`,
		`SELECT * FROM temp.vocab_porter ORDER BY term, col`,
	} {
		want, got := dumpRows(t, rowByRow, q), dumpRows(t, bulk, q)
		if len(want) < 2 && !strings.Contains(q, "config") && !strings.Contains(q, "extent") && !strings.Contains(q, "meta") {
			t.Errorf("%s: %d rows; the case proves nothing", q, len(want))
		}
		if len(got) != len(want) {
			t.Errorf("%s: bulk wrote %d rows, row by row %d", q, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: row %d differs:\nbulk       %s\nrow by row %s", q, i, got[i], want[i])
				break
			}
		}
	}
	for _, st := range []*Store{rowByRow, bulk} {
		for _, table := range []string{"incident_fts", "incident_fts_porter"} {
			if _, err := st.rw.ExecContext(ctx, `INSERT INTO `+table+` (`+table+`) VALUES ('integrity-check')`); err != nil {
				t.Errorf("%s integrity check: %v", table, err)
			}
		}
	}

	// The questions a reader asks: searches (prefixes, other word forms,
	// Korean, place and source names) alone and with other filters.
	from, to := data.DayNumber(time.Date(2020, 8, 1, 0, 0, 0, 0, time.UTC)), data.DayNumber(time.Date(2020, 10, 31, 0, 0, 0, 0, time.UTC))
	box := &orb.Bound{Min: orb.Point{124, 39}, Max: orb.Point{131, 43.5}}
	queries := []Query{
		{Text: "patrol"}, {Text: "arrested"}, {Text: "phones"}, {Text: "shoot"}, {Text: "camps"},
		{Text: "n4242"}, {Text: "n12"}, {Text: "혜산"}, {Text: "체포되었다"}, {Text: "hyesan"}, {Text: "daily"},
		{Text: "patrols doubled"}, {Text: "river bank smugglers"},
		{Text: "quarantine", FromDay: &from, ToDay: &to},
		{Text: "fence", BBox: box},
		{BBox: box, FromDay: &from, ToDay: &to},
		{FromDay: &from, ToDay: &to, Categories: []string{"arrests"}},
	}
	for _, q := range queries {
		q.Limit = 10000
		want, err := rowByRow.Items(ctx, "incidents", q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := bulk.Items(ctx, "incidents", q)
		if err != nil {
			t.Fatal(err)
		}
		if got.Matched != want.Matched || !slices.EqualFunc(got.Features, want.Features, func(a, b json.RawMessage) bool { return string(a) == string(b) }) {
			t.Errorf("%+v: bulk found %d, row by row %d (or other features)", q, got.Matched, want.Matched)
		}
		if want.Matched == 0 || want.Matched == count(t, rowByRow, "incident") {
			t.Errorf("%+v found %d of %d incidents: the case proves nothing", q, want.Matched, count(t, rowByRow, "incident"))
		}
	}
}

// dumpRows runs q on st's writing connection (which may make temporary
// tables) and prints every row.
func dumpRows(t *testing.T, st *Store, q string) []string {
	t.Helper()
	ctx := context.Background()
	for _, v := range []string{
		`CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, incident_fts, col)`,
		`CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab_porter USING fts5vocab(main, incident_fts_porter, col)`,
	} {
		if _, err := st.rw.ExecContext(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := st.rw.QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%v", vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A bulk import that fails half-way leaves nothing behind: no incident, no
// full-text entry, no changed FTS5 setting; and the imports after it work.
func TestFailedBulkImportLeavesNothing(t *testing.T) {
	ctx := context.Background()
	st := openCopy(t)
	withBulkImportMin(t, 1)
	before := map[string][]string{}
	tables := []string{
		`SELECT count(*) FROM incident`, `SELECT count(*) FROM incident_rtree`, `SELECT count(*) FROM incident_fts`,
		`SELECT k, v FROM incident_fts_config ORDER BY k`, `SELECT k, v FROM incident_fts_porter_config ORDER BY k`,
		`SELECT * FROM temp.vocab ORDER BY term, col`, `SELECT * FROM temp.vocab_porter ORDER BY term, col`,
		`SELECT * FROM meta ORDER BY key`,
	}
	for _, q := range tables {
		before[q] = dumpRows(t, st, q)
	}
	incidents := bulkIncidents(rand.New(rand.NewPCG(1, 1)), "fails", 3000)
	// The store checks references before writing; this one fails in SQLite,
	// at the last incident: it ends before it starts.
	incidents[len(incidents)-1].DateEnd = incidents[len(incidents)-1].DateStart.AddDate(0, 0, -3)
	if _, err := st.ImportIncidents(ctx, incidents); err == nil {
		t.Fatal("an incident that ends before it starts was imported")
	}
	for _, q := range tables {
		if got := dumpRows(t, st, q); !slices.Equal(got, before[q]) {
			t.Errorf("%s changed after a failed import", q)
		}
	}
	// The writer's connection still holds FTS5's setting in memory; it reads
	// it again when it finds the table's settings changed. Row by row, these
	// 3,000 incidents are flushed every megabyte: several segments.
	segments := func() int {
		var n int
		if err := st.ro.QueryRowContext(ctx, `SELECT count(DISTINCT id >> 37) FROM incident_fts_data WHERE id >= 1 << 37`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	segsBefore := segments()
	bulkImportMin = 1 << 30
	incidents = incidents[:len(incidents)-1]
	res, err := st.ImportIncidents(ctx, incidents)
	if err != nil || res.Added != len(incidents) {
		t.Fatalf("import after a failed one: %+v, %v", res, err)
	}
	if segs := segments(); segs < segsBefore+2 {
		t.Errorf("after a failed bulk import, a row-by-row import of %d incidents wrote %d full-text segments: still the bulk setting?", len(incidents), segs-segsBefore)
	}
	var n int
	if err := st.ro.QueryRowContext(ctx, `SELECT count(*) FROM incident_fts WHERE incident_fts MATCH 'patrol*'`).Scan(&n); err != nil || n == 0 {
		t.Errorf("after the import, patrol* matches %d incidents (%v)", n, err)
	}
	var ok bool
	if err := st.ro.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM incident_fts_config WHERE k = 'hashsize')`).Scan(&ok); err != nil || !ok {
		t.Errorf("the bulk path left its FTS5 setting behind (%v)", err)
	}
}
