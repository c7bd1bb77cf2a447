package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/borderline/borderline/data"
)

// searchIDs runs a text search over every date and returns the ids found.
func searchIDs(t *testing.T, st *Store, q string) []string {
	t.Helper()
	p, err := st.Items(context.Background(), "incidents", Query{Text: q, Limit: 10000})
	if err != nil {
		t.Fatalf("q=%q: %v", q, err)
	}
	var ids []string
	for _, f := range p.Features {
		var ft struct{ ID string }
		if err := json.Unmarshal(f, &ft); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ft.ID)
	}
	return ids
}

// Korean words find incidents by their Korean text. unicode61 makes each
// Hangul word (with its particles) one token, and a search word matches the
// start of a token: 혜산 finds 혜산에서, but a word inside a token finds nothing.
func TestKoreanSearch(t *testing.T) {
	st := openCopy(t)
	const hospital = "2021-03-01-hyesan-hospital-deaths" // at the hospital, not at Hyesan
	for _, tc := range []struct {
		q         string
		want, not []string
	}{
		// In the summary (혜산의) and title (혜산), not in any place name of its own.
		{"혜산", []string{hospital, "2021-03-03-hyesan-lockdown", "2020-10-10-kaechon-amnesty"}, nil},
		{"혜산 결핵", []string{hospital}, []string{"2021-03-03-hyesan-lockdown"}},
		{"격리병동", []string{hospital}, nil},                                  // the start of 격리병동서
		{"량강도", []string{hospital, "2020-08-26-shoot-on-sight-zone"}, nil}, // a place name and a summary word
		{"데일리NK", []string{hospital}, []string{"2020-08-26-shoot-on-sight-zone"}},
		{"Hyesan 봉쇄", []string{"2021-03-03-hyesan-lockdown"}, []string{hospital}}, // languages mix
		{"인민병원", nil, []string{hospital}},                                         // inside 량강도인민병원, the start of no word
	} {
		got := searchIDs(t, st, tc.q)
		for _, id := range tc.want {
			if !slices.Contains(got, id) {
				t.Errorf("q=%s does not find %s (found %v)", tc.q, id, got)
			}
		}
		for _, id := range tc.not {
			if slices.Contains(got, id) {
				t.Errorf("q=%s finds %s", tc.q, id)
			}
		}
	}
	// Guard the guard: the hospital's incident has no place named 혜산, so
	// only its Korean text can find it.
	for _, in := range testSeed.Incidents {
		if in.ID == hospital && !slices.Equal(in.PlaceIDs, []string{"ryanggang-hospital"}) {
			t.Fatalf("%s is at %v; the test needs it at the hospital only", hospital, in.PlaceIDs)
		}
	}
	for _, p := range testSeed.Places {
		if p.ID == "ryanggang-hospital" && (strings.Contains(p.NameKO, "혜산") || slices.ContainsFunc(p.AltNames, func(a string) bool { return strings.Contains(a, "혜산") })) {
			t.Fatal("the hospital's Korean names say 혜산; the test no longer shows that the Korean text is searched")
		}
	}
}

// The API always carries title_ko and summary_ko, empty where an incident
// has no Korean.
func TestFeaturesCarryKorean(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	mine := testSeed.Incidents[0]
	mine.ID, mine.TitleKO, mine.SummaryKO = "no-korean", "", ""
	if _, err := st.ImportIncidents(ctx, []data.Incident{mine}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ id, titleKO string }{
		{"2021-03-03-hyesan-lockdown", "혜산 봉쇄"},
		{"no-korean", ""},
	} {
		raw, err := st.Item(ctx, "incidents", tc.id)
		if err != nil {
			t.Fatal(err)
		}
		var f struct{ Properties map[string]any }
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		title, hasTitle := f.Properties["title_ko"].(string)
		_, hasSummary := f.Properties["summary_ko"].(string)
		if !hasTitle || !hasSummary || title != tc.titleKO {
			t.Errorf("%s: title_ko %v, summary_ko %v; want the strings %q and a summary", tc.id, f.Properties["title_ko"], f.Properties["summary_ko"], tc.titleKO)
		}
	}
}

// A file without the Korean columns says nothing about the Korean text: the
// stored one stays, and re-importing such a file unchanged changes nothing.
// A file with the columns left empty does clear them.
func TestImportWithoutKoreanKeepsTheStoredKorean(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	stored, err := st.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old := make([]data.Incident, len(stored))
	for i, in := range stored {
		in.TitleKO, in.SummaryKO, in.KoreanOmitted = "", "", true // as a file of the old format reads
		old[i] = in
	}
	old[0].Summary = "A reader's correction."
	res, err := st.ImportIncidents(ctx, old)
	if err != nil || res.Updated != 1 || res.Unchanged != len(stored)-1 {
		t.Fatalf("import of the old format: %+v, %v", res, err)
	}
	after, err := st.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after[0].Summary != "A reader's correction." || after[0].TitleKO != stored[0].TitleKO || after[0].TitleKO == "" {
		t.Errorf("the edited incident is %q / %q, want the correction with its Korean title %q kept", after[0].Summary, after[0].TitleKO, stored[0].TitleKO)
	}

	// The hospital's incident is found by 혜산 only through its Korean text.
	i := slices.IndexFunc(after, func(in data.Incident) bool { return in.ID == "2021-03-01-hyesan-hospital-deaths" })
	cleared := after[i]
	cleared.TitleKO, cleared.SummaryKO = "", ""
	if res, err := st.ImportIncidents(ctx, []data.Incident{cleared}); err != nil || res.Updated != 1 {
		t.Fatalf("import with the Korean left empty: %+v, %v", res, err)
	}
	if got := searchIDs(t, st, "혜산"); slices.Contains(got, cleared.ID) {
		t.Errorf("%s is still found by its cleared Korean text", cleared.ID)
	}
	var titleKO string
	if err := st.ro.QueryRow(`SELECT title_ko FROM incident WHERE id = ?`, cleared.ID).Scan(&titleKO); err != nil || titleKO != "" {
		t.Errorf("title_ko after importing it empty: %q, %v", titleKO, err)
	}
}

// A database made before the Korean columns (schema 4) is migrated, and the
// seed that follows fills the new search index for seed and imported
// incidents alike.
func TestMigrationToKoreanSearch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v4.db")
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range migrations[:4] {
		if _, err := db.Exec(m); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	// An incident a reader imported into the old database.
	for _, q := range []string{
		`INSERT INTO source (id, outlet, headline, published, origin) VALUES ('old-src', 'Old Outlet', 'H', '2020-01-01', 'import')`,
		`INSERT INTO incident (rowid, id, title, summary, category, date_start, date_precision, date_inferred, location_precision,
			verification, day_from, day_to, origin, updated_at, feature)
			VALUES (1, 'old-import', 'Imported before Korean', 'Words.', 'policy', '2020-01-01', 'day', 0, 'broad',
			'official', 18262, 18262, 'import', '2020-01-01T00:00:00Z', '{}')`,
		`INSERT INTO incident_source (incident, ord, source_id) VALUES (1, 0, 'old-src')`,
		`INSERT INTO incident_fts (rowid, title, summary, places, sources) VALUES (1, 'Imported before Korean', 'Words.', '', '')`,
		`PRAGMA user_version = 4`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var version int
	if err := st.rw.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("schema version %d (%v), want %d", version, err, len(migrations))
	}
	if _, err := st.Seed(ctx, testSeed, nil); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, st, "혜산"); !slices.Contains(got, "2021-03-01-hyesan-hospital-deaths") {
		t.Errorf("after migrating, q=혜산 finds %v", got)
	}
	if got := searchIDs(t, st, "imported korean"); !slices.Equal(got, []string{"old-import"}) {
		t.Errorf("after migrating, the imported incident is found as %v", got)
	}
	if n := count(t, st, "incident_fts"); n != len(testSeed.Incidents)+1 {
		t.Errorf("%d rows in the search index, want %d", n, len(testSeed.Incidents)+1)
	}
	raw, err := st.Item(ctx, "incidents", "old-import")
	if err != nil || !strings.Contains(string(raw), `"title_ko":""`) {
		t.Errorf("the imported incident's feature was not re-rendered with title_ko: %.200s, %v", raw, err)
	}
}
