package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
)

// legacyDB writes a database with the schema of the first n migrations, as
// an older binary left it, runs fill in it, and returns its path.
func legacyDB(t *testing.T, n int, fill string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "legacy.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, m := range migrations[:n] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("PRAGMA user_version = " + strconv.Itoa(n)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fill); err != nil {
		t.Fatal(err)
	}
	return path
}

// Two incidents as the version-6 schema (the last before this branch's
// migrations) held them: rows, R*Tree and search text. 18687 is 2021-03-01.
const v6Incidents = `
INSERT INTO incident (rowid, id, title, summary, category, date_start, date_precision, date_inferred, location_precision,
	verification, day_from, day_to, origin, updated_at, feature) VALUES
	(1, 'phones', 'Phones seized', 'Police arrested the users of Chinese phones.', 'arrests', '2021-03-01', 'month', 0, 'exact',
		'corroborated', 18687, 18717, 'import', '2021-04-01T00:00:00Z', '{}'),
	(2, 'shooting', 'A shooting at the river', 'Guards shot at a smuggler near 혜산 (惠山).', 'border_security', '2021-03-02', 'day', 0, 'near',
		'single_source', 18688, 18688, 'import', '2021-04-01T00:00:00Z', '{}');
INSERT INTO incident_rtree (id, min_lon, max_lon, min_lat, max_lat, day_from, day_to, lon0, lon1, lat0, lat1, multi, category) VALUES
	(1, 128.18, 128.18, 41.39, 41.39, 18687, 18717, 128.18, 128.18, 41.39, 41.39, 0, 'arrests'),
	(2, 128.2, 128.2, 41.4, 41.4, 18688, 18688, 128.2, 128.2, 41.4, 41.4, 0, 'border_security');
INSERT INTO incident_fts (rowid, title, summary, title_ko, summary_ko, places, sources) VALUES
	(1, 'Phones seized', 'Police arrested the users of Chinese phones.', '', '', 'Hyesan 혜산 惠山 Hyeson', 'Daily NK'),
	(2, 'A shooting at the river', 'Guards shot at a smuggler near 혜산 (惠山).', '', '', 'Hyesan 혜산 惠山 Hyeson', 'Daily NK');
`

// Migrating keeps every incident in the R*Tree, now with its verification
// and date precision, and the indexes the filters need.
func TestMigrationRebuildsTheRtree(t *testing.T) {
	st, err := Open(context.Background(), legacyDB(t, 6, v6Incidents))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.ro.Query(`SELECT r.id, r.day_from, r.day_to, r.category, r.verification, r.date_precision,
		i.day_from, i.day_to, i.category, i.verification, i.date_precision
		FROM incident_rtree r JOIN incident i ON i.rowid = r.id ORDER BY r.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int
		var rFrom, rTo float64
		var iFrom, iTo int
		var rCat, rVer, rPrec, iCat, iVer, iPrec string
		if err := rows.Scan(&id, &rFrom, &rTo, &rCat, &rVer, &rPrec, &iFrom, &iTo, &iCat, &iVer, &iPrec); err != nil {
			t.Fatal(err)
		}
		if int(rFrom) != iFrom || int(rTo) != iTo || rCat != iCat || rVer != iVer || rPrec != iPrec {
			t.Errorf("incident %d: R*Tree has %v–%v %s %s %s, the row %d–%d %s %s %s", id, rFrom, rTo, rCat, rVer, rPrec, iFrom, iTo, iCat, iVer, iPrec)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != 2 {
		t.Fatalf("%d incidents in the rebuilt R*Tree (%v), want 2", n, err)
	}
	// The tree still answers searches, filters included.
	page, err := st.Items(context.Background(), "incidents", Query{FromDay: day("2021-03-02"), ToDay: day("2021-03-02"),
		Verifications: []string{"corroborated"}, Limit: 10})
	if err != nil || page.Matched != 1 {
		t.Errorf("search of the migrated R*Tree: %d matched, %v; want 1", page.Matched, err)
	}
	for _, index := range []string{"incident_span", "incident_source_cover", "incident_place_cover"} {
		var name string
		if err := st.ro.QueryRow(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name = ?`, index).Scan(&name); err != nil {
			t.Errorf("index %s: %v", index, err)
		}
	}
}

// Migrating indexes the stored search text by stems too: incidents written
// before it find their other word forms.
func TestMigrationIndexesTheStemsOfStoredIncidents(t *testing.T) {
	st, err := Open(context.Background(), legacyDB(t, 6, v6Incidents))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tc := range []struct {
		q    string
		want int // matched
	}{
		{"arrests", 1},   // arrested, by its stem only
		{"shootings", 1}, // shooting, by its stem only
		{"phone seize", 1},
		{"혜산", 2},
		{"惠山", 2},
		{"illegal", 0},
	} {
		page, err := st.Items(context.Background(), "incidents", Query{Text: tc.q, Limit: 10})
		if err != nil || page.Matched != tc.want {
			t.Errorf("q=%q after migrating: %d matched (%v), want %d", tc.q, page.Matched, err, tc.want)
		}
	}
}
