package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/borderline/borderline/data"
)

// seededDB is a database file seeded once by TestMain; tests copy it so each
// gets its own real SQLite file without recomputing the zones.
var (
	seededDB string
	testSeed *data.Seed
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "borderline-store-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		if testSeed, err = data.LoadSeed(); err != nil {
			fmt.Fprintln(os.Stderr, "load seed:", err)
			return 1
		}
		seededDB = filepath.Join(dir, "seeded.db")
		st, err := Open(context.Background(), seededDB)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if _, err := st.Seed(context.Background(), testSeed, nil); err != nil {
			fmt.Fprintln(os.Stderr, "seed:", err)
			return 1
		}
		if err := st.Close(); err != nil { // checkpoints the WAL into the file
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

func openCopy(t testing.TB) *Store {
	t.Helper()
	b, err := os.ReadFile(seededDB)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func count(t *testing.T, st *Store, table string) int {
	t.Helper()
	var n int
	if err := st.ro.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSeedFillsEmptyDatabaseOnce(t *testing.T) {
	st := openCopy(t)
	for table, want := range map[string]int{
		"incident": len(testSeed.Incidents), "place": len(testSeed.Places), "source": len(testSeed.Sources),
		"zone": len(testSeed.Zones), "incident_rtree": len(testSeed.Incidents), "incident_fts": len(testSeed.Incidents),
		"story": len(testSeed.Stories), "story_step": stepCount(testSeed.Stories),
	} {
		if got := count(t, st, table); got != want {
			t.Errorf("%s: %d rows, want %d", table, got, want)
		}
	}
	res, err := st.Seed(context.Background(), testSeed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied {
		t.Errorf("seeding again with the same seed applied it again: %+v", res)
	}
	var fk int
	if err := st.rw.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign keys are off (%d, %v)", fk, err)
	}
	var mode string
	if err := st.rw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q, want wal (%v)", mode, err)
	}
}

// A database an older binary seeded from the same files is re-rendered:
// the stored features follow the code, not only the data.
func TestOlderFeatureFormatIsRerendered(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	if _, err := st.rw.Exec(`UPDATE meta SET value = ? WHERE key = 'seed_hash'`, testSeed.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := st.rw.Exec(`UPDATE feature SET json = '{}' WHERE collection = 'places'`); err != nil {
		t.Fatal(err)
	}
	if have, err := st.HasSeed(ctx, testSeed.Hash); err != nil || have {
		t.Fatalf("HasSeed = %v, %v for a database seeded in an older format", have, err)
	}
	if res, err := st.Seed(ctx, testSeed, nil); err != nil || !res.Applied {
		t.Fatalf("Seed = %+v, %v", res, err)
	}
	if have, err := st.HasSeed(ctx, testSeed.Hash); err != nil || !have {
		t.Errorf("HasSeed = %v, %v after seeding", have, err)
	}
	if raw, err := st.Item(ctx, "places", "ryanggang"); err != nil || !bytes.Contains(raw, []byte(`"name_en":"Ryanggang"`)) {
		t.Errorf("places/ryanggang was not re-rendered: %.80s, %v", raw, err)
	}
	if raw, err := st.Item(ctx, "areas", "ryanggang"); err != nil || !bytes.Contains(raw, []byte("MultiPolygon")) {
		t.Errorf("areas/ryanggang was not rendered: %.80s, %v", raw, err)
	}
}

func TestReadOnlyPoolCannotWrite(t *testing.T) {
	st := openCopy(t)
	if _, err := st.ro.Exec("DELETE FROM incident"); err == nil {
		t.Fatal("the read-only pool deleted rows")
	}
	if got := count(t, st, "incident"); got != len(testSeed.Incidents) {
		t.Fatalf("incidents changed to %d", got)
	}
}

func TestSeedZonesAndDistances(t *testing.T) {
	st := openCopy(t)
	var area1, area2 float64
	if err := st.ro.QueryRow("SELECT area_km2 FROM zone WHERE width_m = 1000").Scan(&area1); err != nil {
		t.Fatal(err)
	}
	if err := st.ro.QueryRow("SELECT area_km2 FROM zone WHERE width_m = 2000").Scan(&area2); err != nil {
		t.Fatal(err)
	}
	// The reference figures in data/README.md (Layers): 1,252 and 2,301 km².
	if area1 < 1252*0.99 || area1 > 1252*1.01 || area2 < 2301*0.99 || area2 > 2301*1.01 {
		t.Errorf("zone areas %.1f and %.1f km², want 1252 and 2301 ±1%%", area1, area2)
	}
	for _, tc := range []struct {
		place string
		km    float64
		side  string
	}{
		{"hyesan", 0.6, "KP"}, {"musan", 0.8, "KP"}, {"hoeryong", 1.6, "KP"}, {"sinuiju", 1.5, "KP"}, {"dandong", 0.4, "CN"},
	} {
		var km float64
		var side string
		if err := st.ro.QueryRow("SELECT border_distance_km, border_side FROM place WHERE id = ?", tc.place).Scan(&km, &side); err != nil {
			t.Errorf("%s: %v", tc.place, err)
			continue
		}
		if km < tc.km-0.2 || km > tc.km+0.2 || side != tc.side {
			t.Errorf("%s: %.1f km on side %q, want %.1f km on %q", tc.place, km, side, tc.km, tc.side)
		}
	}
}

// Areas are 0 km from a border that runs along them, and carry the length
// along them: data/README.md's reference figures by province, within 1 %.
// places serves points only (one geometry type, for GIS clients); the shapes
// of the provinces and countries are in areas under the same ids.
func TestAreaPlacesCarryTheirBorderLength(t *testing.T) {
	st := openCopy(t)
	feature := func(collection, id string) *geojson.Feature {
		t.Helper()
		raw, err := st.Item(context.Background(), collection, id)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			t.Fatalf("%s/%s: %v", collection, id, err)
		}
		f, err := geojson.UnmarshalFeature(raw)
		if err != nil {
			t.Fatalf("%s/%s: %v", collection, id, err)
		}
		return f
	}
	for _, tc := range []struct {
		place     string
		pointType string // the place's geometry in places: Point, or "" for none
		area      bool   // a MultiPolygon in areas
		km        float64
		side      any
	}{
		{"north-hamgyong", "Point", true, 407.7, "KP"}, {"ryanggang", "Point", true, 431.3, "KP"},
		{"chagang", "Point", true, 310.1, "KP"}, {"north-pyongan", "Point", true, 176.4, "KP"},
		{"china", "", true, 1369.9, "CN"}, {"kp-cn-border", "", false, 1369.9, nil},
		{"south-korea", "Point", true, 0, nil},
	} {
		f := feature("places", tc.place)
		if f == nil {
			t.Fatalf("%s is not in places", tc.place)
		}
		got := ""
		if f.Geometry != nil {
			got = f.Geometry.GeoJSONType()
		}
		if got != tc.pointType {
			t.Errorf("places/%s: geometry %q, want %q", tc.place, got, tc.pointType)
		}
		km, _ := f.Properties["border_length_km"].(float64)
		if math.Abs(km-tc.km) > 0.01*tc.km {
			t.Errorf("%s: %.1f km of border, want %.1f ± 1 %%", tc.place, km, tc.km)
		}
		dist := f.Properties["border_distance_km"]
		if tc.km > 0 && dist != 0.0 || tc.km == 0 && dist != nil {
			t.Errorf("%s: border_distance_km %v", tc.place, dist)
		}
		if side := f.Properties["border_side"]; side != tc.side {
			t.Errorf("%s: border_side %v, want %v", tc.place, side, tc.side)
		}
		a := feature("areas", tc.place)
		if (a != nil) != tc.area {
			t.Errorf("areas/%s: present %v, want %v", tc.place, a != nil, tc.area)
			continue
		}
		if a == nil {
			continue
		}
		if a.Geometry.GeoJSONType() != "MultiPolygon" || a.Properties["name_ko"] != f.Properties["name_ko"] {
			t.Errorf("areas/%s: a %s named %v", tc.place, a.Geometry.GeoJSONType(), a.Properties["name_ko"])
		}
		if anchor, _ := a.Properties["anchor"].([]any); (f.Geometry != nil) != (len(anchor) == 2) {
			t.Errorf("areas/%s: anchor %v for a place with geometry %v", tc.place, a.Properties["anchor"], f.Geometry)
		}
	}
}

const header = "id,title,summary,category,date_start,date_end,date_precision,date_inferred,date_note,place_ids,location_precision,location_note,verification,verification_note,source_ids,contradictions,research_ref\n"

func readCSV(t *testing.T, st *Store, body string) ([]data.Incident, error) {
	t.Helper()
	refs, err := st.Refs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return data.ReadIncidentsCSV(strings.NewReader(body), "test.csv", refs)
}

func TestImportIsAllOrNothing(t *testing.T) {
	st := openCopy(t)
	good := "test-good,A good row,Our own words.,arrests,2020-09-01,,day,no,,hyesan,exact,,single_source,,dailynk-2021-03,,\n"
	bad := "test-bad,A bad row,Words.,riots,2020-13-01,,day,maybe,,atlantis,exact,,single_source,,nosuch,,\n"
	_, err := readCSV(t, st, header+good+bad)
	var verr *data.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want a validation error, got %v", err)
	}
	wantFields := []string{"category", "date_start", "date_inferred", "place_ids", "source_ids"}
	var gotFields []string
	for _, fe := range verr.Errors {
		if fe.Line != 3 {
			t.Errorf("error on line %d, want 3: %v", fe.Line, fe)
		}
		gotFields = append(gotFields, fe.Field)
	}
	if !slices.Equal(gotFields, wantFields) {
		t.Errorf("errors name %v, want %v (all of them, in column order)", gotFields, wantFields)
	}
	// The store re-checks references inside its transaction, for incidents that
	// were validated against an older state of the database.
	incidents, err := readCSV(t, st, header+good)
	if err != nil {
		t.Fatal(err)
	}
	stale := incidents[0]
	stale.ID, stale.PlaceIDs = "test-stale", []string{"vanished-place"}
	if _, err := st.ImportIncidents(context.Background(), append(incidents, stale)); !errors.As(err, &verr) {
		t.Fatalf("import with an unknown place: want a validation error, got %v", err)
	}
	if got := count(t, st, "incident"); got != len(testSeed.Incidents) {
		t.Fatalf("a rejected import changed the incident count to %d", got)
	}
	res, err := st.ImportIncidents(context.Background(), incidents)
	if err != nil || res.Added != 1 || res.Updated != 0 {
		t.Fatalf("import good row: %+v, %v", res, err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	before, err := st.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sources, err := st.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := data.WriteIncidentsCSV(&buf, before, sources); err != nil {
		t.Fatal(err)
	}
	incidents, err := readCSV(t, st, buf.String())
	if err != nil {
		t.Fatal(err)
	}
	// One edited, the rest as exported: only the edited one becomes the reader's.
	incidents[3].Summary = "A reader's correction."
	res, err := st.ImportIncidents(ctx, incidents)
	if err != nil || res.Added != 0 || res.Updated != 1 || res.Unchanged != len(before)-1 {
		t.Fatalf("round trip: %+v, %v", res, err)
	}
	var imported []string
	rows, err := st.ro.Query(`SELECT id FROM incident WHERE origin = 'import'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		imported = append(imported, id)
	}
	rows.Close()
	if !slices.Equal(imported, []string{incidents[3].ID}) {
		t.Errorf("imported incidents %v, want only the edited %s", imported, incidents[3].ID)
	}
	before[3].Summary = incidents[3].Summary
	after, err := st.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Error("incidents changed on a CSV round trip")
	}

	// The GeoJSON export reads back too.
	buf.Reset()
	if err := st.WriteIncidentsGeoJSON(ctx, &buf, data.NewTerms("", time.Now())); err != nil {
		t.Fatal(err)
	}
	var terms data.Terms
	if err := json.Unmarshal(buf.Bytes(), &terms); err != nil || len(terms.Licenses) != len(data.Licences) || terms.Citation == "" || terms.Attribution == "" {
		t.Errorf("the GeoJSON export lacks its licences, citation or attribution: %+v, %v", terms, err)
	}
	refs, _ := st.Refs(ctx)
	fromGeo, err := data.ReadIncidentsGeoJSON(&buf, "export.geojson", refs)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(fromGeo) != fmt.Sprint(before) {
		t.Error("the GeoJSON export does not read back to the same incidents")
	}
}

func TestNewSeedKeepsImportedIncidents(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	// The seed drops second; it must be one no story steps through, as the
	// seed may not drop an incident its own stories use.
	first, second := testSeed.Incidents[0], unstoried(t)

	// The reader's version of the first incident, at Hyesan.
	mine := first
	mine.Summary = "A reader's corrected summary."
	mine.PlaceIDs = []string{"hyesan"}
	if _, err := st.ImportIncidents(ctx, []data.Incident{mine}); err != nil {
		t.Fatal(err)
	}
	var written string
	if err := st.ro.QueryRow("SELECT updated_at FROM incident WHERE id = ?", first.ID).Scan(&written); err != nil {
		t.Fatal(err)
	}
	// A newer seed that rewrites the first incident, drops the second and
	// corrects Hyesan's point by a degree east.
	newer := *testSeed
	newer.Hash = "newer"
	newer.Places = slices.Clone(testSeed.Places)
	var oldHyesan, newHyesan orb.Point
	for i, p := range newer.Places {
		if p.ID == "hyesan" {
			lon := *p.Lon + 1
			oldHyesan, newHyesan = orb.Point{*p.Lon, *p.Lat}, orb.Point{lon, *p.Lat}
			newer.Places[i].Lon = &lon
		}
	}
	newer.Incidents = nil
	for _, in := range testSeed.Incidents {
		switch in.ID {
		case first.ID:
			in.Summary = "The seed's new summary."
		case second.ID:
			continue
		}
		newer.Incidents = append(newer.Incidents, in)
	}
	res, err := st.Seed(ctx, &newer, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.KeptImported, []string{first.ID}) || !slices.Equal(res.Removed, []string{second.ID}) {
		t.Errorf("seed result %+v", res)
	}
	var summary string
	if err := st.ro.QueryRow("SELECT summary FROM incident WHERE id = ?", first.ID).Scan(&summary); err != nil || summary != mine.Summary {
		t.Errorf("imported summary became %q (%v)", summary, err)
	}
	if _, err := st.Item(ctx, "incidents", second.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("dropped seed incident still served: %v", err)
	}
	// The imported incident follows the moved place in the index and the feature.
	near := func(p orb.Point) bool {
		b := orb.Bound{Min: orb.Point{p[0] - 0.01, p[1] - 0.01}, Max: orb.Point{p[0] + 0.01, p[1] + 0.01}}
		page, err := st.Items(ctx, "incidents", Query{BBox: &b, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page.Features {
			if bytes.Contains(f, []byte(`"id":"`+first.ID+`"`)) {
				return true
			}
		}
		return false
	}
	if !near(newHyesan) || near(oldHyesan) {
		t.Errorf("imported incident at Hyesan: found at the new point %v, at the old point %v", near(newHyesan), near(oldHyesan))
	}
	var again string
	if err := st.ro.QueryRow("SELECT updated_at FROM incident WHERE id = ?", first.ID).Scan(&again); err != nil || again != written {
		t.Errorf("re-deriving changed when it was written: %q -> %q (%v)", written, again, err)
	}
}

func stepCount(stories []data.Story) int {
	n := 0
	for _, s := range stories {
		n += len(s.Steps)
	}
	return n
}

// unstoried is a seed incident after the first that no seed story uses.
func unstoried(t *testing.T) data.Incident {
	t.Helper()
	used := map[string]bool{}
	for _, s := range testSeed.Stories {
		for _, st := range s.Steps {
			used[st.IncidentID] = true
		}
	}
	for _, in := range testSeed.Incidents[1:] {
		if !used[in.ID] {
			return in
		}
	}
	t.Fatal("every seed incident is in a story")
	return data.Incident{}
}

// expected filters the seed in plain Go, independently of SQL and the R*Tree.
func expected(q Query) []string {
	places := map[string]data.Place{}
	for _, p := range testSeed.Places {
		places[p.ID] = p
	}
	var ids []string
	for _, in := range testSeed.Incidents {
		from, to := in.InForce()
		if q.FromDay != nil && data.DayNumber(to) < *q.FromDay || q.ToDay != nil && data.DayNumber(from) > *q.ToDay {
			continue
		}
		if len(q.Categories) > 0 && !slices.Contains(q.Categories, in.Category) {
			continue
		}
		if len(q.Verifications) > 0 && !slices.Contains(q.Verifications, in.Verification) {
			continue
		}
		if len(q.SourceIDs) > 0 && !slices.ContainsFunc(in.SourceIDs, func(id string) bool { return slices.Contains(q.SourceIDs, id) }) {
			continue
		}
		if len(q.PlaceIDs) > 0 && !slices.ContainsFunc(in.PlaceIDs, func(id string) bool { return slices.Contains(q.PlaceIDs, id) }) {
			continue
		}
		if q.BBox != nil {
			inside := false
			for _, id := range in.PlaceIDs {
				if p := places[id]; p.HasPoint() && q.BBox.Contains(orb.Point{*p.Lon, *p.Lat}) {
					inside = true
				}
			}
			if !inside {
				continue
			}
		}
		ids = append(ids, in.ID)
	}
	slices.Sort(ids)
	return ids
}

func day(s string) *int64 {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	d := data.DayNumber(t)
	return &d
}

func TestItemsMatchPlainFilter(t *testing.T) {
	st := openCopy(t)
	border := &orb.Bound{Min: orb.Point{124, 40}, Max: orb.Point{131, 43.5}}
	hyesan := &orb.Bound{Min: orb.Point{128.1, 41.3}, Max: orb.Point{128.3, 41.5}}
	cases := []struct {
		name string
		q    Query
	}{
		{"everything", Query{}},
		{"instant on the order's first day", Query{FromDay: day("2020-08-26"), ToDay: day("2020-08-26")}},
		{"instant before the order", Query{FromDay: day("2020-08-01"), ToDay: day("2020-08-01")}},
		{"month", Query{FromDay: day("2021-03-01"), ToDay: day("2021-03-31")}},
		{"open start", Query{ToDay: day("2020-02-01")}},
		{"open end", Query{FromDay: day("2021-01-01")}},
		{"border bbox", Query{BBox: border}},
		{"Hyesan bbox in March 2021", Query{BBox: hyesan, FromDay: day("2021-03-01"), ToDay: day("2021-03-31")}},
		{"category", Query{Categories: []string{"border_security", "arrests"}}},
		{"category and time", Query{Categories: []string{"quarantine"}, FromDay: day("2020-07-01"), ToDay: day("2020-07-31")}},
		{"a category given twice", Query{Categories: []string{"arrests", "arrests"}, FromDay: day("2020-01-01")}},
		{"verification", Query{Verifications: []string{"corroborated", "official"}}},
		{"verification in time", Query{Verifications: []string{"single_source"}, FromDay: day("2020-08-01"), ToDay: day("2020-12-31")}},
		{"verification in a bbox", Query{Verifications: []string{"single_source"}, BBox: border}},
		{"a source", Query{SourceIDs: []string{"dailynk-2021-03"}}},
		{"any of two sources", Query{SourceIDs: []string{"breitbart-2020-07-17", "upi-2020-05-20"}}},
		{"a source in time", Query{SourceIDs: []string{"hrw-2021-01-13"}, FromDay: day("2020-08-26"), ToDay: day("2020-08-26")}},
		{"an unknown source", Query{SourceIDs: []string{"nosuch"}}},
		{"a place", Query{PlaceIDs: []string{"hyesan"}}},
		{"any of three places", Query{PlaceIDs: []string{"musan", "hyesan", "kp-cn-border"}}},
		{"places in and out of a bbox", Query{PlaceIDs: []string{"hyesan", "pyongyang"}, BBox: border}},
		{"a place in time", Query{PlaceIDs: []string{"kp-cn-border"}, FromDay: day("2020-08-26"), ToDay: day("2020-09-30")}},
		{"everything at once", Query{PlaceIDs: []string{"hyesan", "kp-cn-border"}, SourceIDs: []string{"dailynk-2021-03", "amn-2020-08-30"},
			Verifications: []string{"single_source", "corroborated"}, Categories: []string{"arrests", "border_security"}, FromDay: day("2020-01-01")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Limit = 10000
			page, err := st.Items(context.Background(), "incidents", tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range page.Features {
				var ft struct{ ID string }
				if err := json.Unmarshal(f, &ft); err != nil {
					t.Fatal(err)
				}
				got = append(got, ft.ID)
			}
			slices.Sort(got)
			want := expected(tc.q)
			if !slices.Equal(got, want) || page.Matched != len(want) {
				t.Errorf("got %d (matched %d) %v\nwant %d %v", len(got), page.Matched, got, len(want), want)
			}
		})
	}
	// Statements are kept by shape: repeating a value makes no new one.
	before := 0
	st.stmts.Range(func(_, _ any) bool { before++; return true })
	for n := 1; n <= 5; n++ {
		if _, err := st.Items(context.Background(), "incidents", Query{Categories: slices.Repeat([]string{"arrests"}, n), FromDay: day("2020-01-01"), Limit: 1}); err != nil {
			t.Fatal(err)
		}
	}
	after := 0
	st.stmts.Range(func(_, _ any) bool { after++; return true })
	if after != before {
		t.Errorf("%d statements cached after repeating a category, %d before", after, before)
	}
	// Lists of ids are one parameter: one, two or five places are one shape.
	places := []string{"hyesan", "musan", "kaesong", "pyongyang", "china"}
	before = after
	for n := 1; n <= len(places); n++ {
		if _, err := st.Items(context.Background(), "incidents", Query{PlaceIDs: places[:n], SourceIDs: places[:n], Limit: 1}); err != nil {
			t.Fatal(err)
		}
	}
	after = 0
	st.stmts.Range(func(_, _ any) bool { after++; return true })
	if after != before+2 { // the count and the page of the one new shape
		t.Errorf("%d statements cached after lists of 1 to %d places, %d before", after, len(places), before)
	}
	// Searches of 1 to 8 words come in four shapes (1, 2, 4 and 8 words).
	words := strings.Fields("border guard order zone shoot police army river")
	before = after
	for n := 1; n <= len(words); n++ {
		if _, err := st.Items(context.Background(), "incidents", Query{Text: strings.Join(words[:n], " "), Limit: 1}); err != nil {
			t.Fatal(err)
		}
	}
	after = 0
	st.stmts.Range(func(_, _ any) bool { after++; return true })
	if after != before+4*2 {
		t.Errorf("%d statements cached after searches of 1 to %d words, %d before", after, len(words), before)
	}
	// Guard the guard: the cases must not be trivially empty or full, and
	// each filter must leave out something the others let through.
	for _, tc := range cases {
		if n := len(expected(tc.q)); tc.name != "an unknown source" && tc.name != "everything" && (n == 0 || n == len(testSeed.Incidents)) {
			t.Errorf("%s selects %d incidents; pick a case that discriminates", tc.name, n)
		}
	}
}

func TestItemsPagingAndText(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	all, err := st.Items(ctx, "incidents", Query{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	var paged []json.RawMessage
	for off := 0; off < all.Matched; off += 7 {
		p, err := st.Items(ctx, "incidents", Query{Limit: 7, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, p.Features...)
	}
	if fmt.Sprint(paged) != fmt.Sprint(all.Features) {
		t.Error("pages of 7 do not add up to the whole list in the same order")
	}
	for _, tc := range []struct {
		q    string
		want func(string) bool
	}{
		{"Hyesan", func(s string) bool { return strings.Contains(s, "Hyesan") || strings.Contains(s, "혜산") }},
		{"hyes", func(s string) bool { return strings.Contains(s, "Hyesan") }},
		{`"OR" NEAR( * -`, nil}, // FTS5 syntax in the input is text, never an error
		{"Daily NK", func(s string) bool { return strings.Contains(s, `"outlet":"Daily NK"`) }},
	} {
		p, err := st.Items(ctx, "incidents", Query{Text: tc.q, Limit: 10000})
		if err != nil {
			t.Errorf("q=%q: %v", tc.q, err)
			continue
		}
		if tc.want == nil {
			continue
		}
		if len(p.Features) == 0 {
			t.Errorf("q=%q found nothing", tc.q)
		}
		for _, f := range p.Features {
			if !tc.want(string(f)) {
				t.Errorf("q=%q matched %.120s", tc.q, f)
			}
		}
	}
	// A headline speaks for its whole article: "illegal" is in Daily NK's
	// headline and in no title, summary, place or outlet, so it finds nothing.
	if p, err := st.Items(ctx, "incidents", Query{Text: "illegal", Limit: 10}); err != nil || p.Matched != 0 {
		t.Errorf(`q="illegal" matched %d (%v): headlines are searched`, p.Matched, err)
	}
}

// searchText is what the search reads of an incident, as words: its title
// and summary in English and Korean, its places' names and its sources'
// outlets and reporters.
func searchText(in data.Incident) []string {
	parts := []string{in.Title, in.Summary, in.TitleKO, in.SummaryKO}
	for _, id := range in.PlaceIDs {
		for _, p := range testSeed.Places {
			if p.ID == id {
				parts = append(append(parts, p.NameEN, p.NameKO, p.NameZH), p.AltNames...)
			}
		}
	}
	for _, id := range in.SourceIDs {
		for _, s := range testSeed.Sources {
			if s.ID == id {
				parts = append(parts, s.Outlet, s.OriginalReporter)
			}
		}
	}
	var words []string
	for _, w := range SearchWords(strings.Join(parts, " ")) {
		words = append(words, strings.ToLower(w))
	}
	return words
}

// A word of a search finds the words it starts, as before, and the other
// forms of the same English word (porter's stems); no more. The oracle is the
// seed read in Go: an incident matches when one of its words starts with the
// query or is one of the forms listed.
func TestSearchFindsWordForms(t *testing.T) {
	st := openCopy(t)
	for _, tc := range []struct {
		q     string
		forms []string // what porter reduces to the query's stem, as far as the seed has them
		// a word the search must find, and one it must not: the case's point
		finds, misses string
	}{
		{"phones", []string{"phone", "phones", "phoned"}, "phone", ""},
		{"phone", nil, "phone", ""},
		{"arrests", []string{"arrest", "arrests", "arrested", "arresting"}, "arresting", ""},
		{"arrested", []string{"arrest", "arrests", "arrested", "arresting"}, "arrests", ""},
		// Porter knows no irregular forms: "shoot" finds shooting(s), not "shot".
		{"shoot", nil, "shootings", "shot"},
		{"quarantined", []string{"quarantine", "quarantined", "quarantines"}, "quarantine", ""},
		// Stems are matched whole: "died" is di, and di* would find "dismissed".
		{"died", []string{"die", "dies", "died"}, "died", "dismissed"},
		{"camps", []string{"camp", "camps"}, "camp", "campaign"},
		{"hyes", nil, "hyesan", ""},
		// Korean and Chinese words pass through porter unchanged and still
		// match from their start, as place names do.
		{"혜산", nil, "혜산시", ""},
		{"惠山", nil, "惠山", ""},
		// Three words, every one required (the third is repeated to make four).
		{"RFA border shoot", nil, "rfa", "rfa"},
	} {
		t.Run(tc.q, func(t *testing.T) {
			var want []string
			found := map[string]bool{}
			for _, in := range testSeed.Incidents {
				text, all := searchText(in), true
				for _, q := range SearchWords(strings.ToLower(tc.q)) {
					match := false
					for _, w := range text {
						if strings.HasPrefix(w, q) || slices.Contains(tc.forms, w) {
							match, found[w] = true, true
						}
					}
					all = all && match
				}
				if all {
					want = append(want, in.ID)
				}
			}
			slices.Sort(want)
			page, err := st.Items(context.Background(), "incidents", Query{Text: tc.q, Limit: 10000})
			if err != nil {
				t.Fatal(err)
			}
			got := featureIDs(t, page)
			if !slices.Equal(got, want) {
				t.Errorf("q=%q found %v\nwant %v", tc.q, got, want)
			}
			// Guard the oracle: the seed must hold the words the case is about.
			if !found[tc.finds] {
				t.Errorf("no incident has %q: the case proves nothing", tc.finds)
			}
			if tc.misses == "" {
				return
			}
			for _, in := range testSeed.Incidents {
				if slices.Contains(searchText(in), tc.misses) && !slices.Contains(want, in.ID) {
					return // an incident with the word, rightly not found
				}
			}
			t.Errorf("no incident has %q without a form of %q: the case proves nothing", tc.misses, tc.q)
		})
	}
}

func featureIDs(t *testing.T, page Page) []string {
	t.Helper()
	var ids []string
	for _, f := range page.Features {
		var ft struct{ ID string }
		if err := json.Unmarshal(f, &ft); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ft.ID)
	}
	slices.Sort(ids)
	return ids
}

func TestSmallCollections(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	before, err := st.Items(ctx, "zones", Query{FromDay: day("2020-08-25"), ToDay: day("2020-08-25"), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	after, err := st.Items(ctx, "zones", Query{FromDay: day("2020-08-26"), ToDay: day("2020-08-26"), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if before.Matched != 0 || after.Matched != len(testSeed.Zones) {
		t.Errorf("zones on 25 Aug: %d, on 26 Aug: %d; want 0 and %d", before.Matched, after.Matched, len(testSeed.Zones))
	}
	for _, c := range Collections {
		p, err := st.Items(ctx, c, Query{Limit: 1})
		if err != nil || p.Matched == 0 {
			t.Errorf("collection %s: %d features, %v", c, p.Matched, err)
		}
	}
	if _, err := st.Item(ctx, "places", "hyesan"); err != nil {
		t.Error(err)
	}
	if _, err := st.Item(ctx, "places", "atlantis"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown place: %v", err)
	}
	if _, err := st.Items(ctx, "nope", Query{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown collection: %v", err)
	}
}

func TestMigrationRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.rw.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("opening a newer schema: %v", err)
	}
}

func TestExtentFollowsWrites(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	before, err := st.Extent(ctx, "incidents")
	if err != nil || before.BBox == nil || before.FromDay == nil || before.ToDay == nil {
		t.Fatalf("seeded extent %+v, %v", before, err)
	}
	in := testSeed.Incidents[0]
	in.ID, in.PlaceIDs = "extent-test", []string{"geneva"}
	in.DateStart, in.DateEnd = time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), time.Time{}
	in.DatePrecision = "day"
	if _, err := st.ImportIncidents(ctx, []data.Incident{in}); err != nil {
		t.Fatal(err)
	}
	after, err := st.Extent(ctx, "incidents")
	if err != nil {
		t.Fatal(err)
	}
	if after.BBox.Min.Lon() > 6.2 || *after.ToDay != *day("2022-06-01") || *after.FromDay != *before.FromDay {
		t.Errorf("extent after importing a Geneva incident of 2022-06-01: %+v to %d", after.BBox, *after.ToDay)
	}
	zones, err := st.Extent(ctx, "zones")
	if err != nil || zones.FromDay == nil || *zones.FromDay != *day("2020-08-26") || zones.ToDay != nil {
		t.Errorf("zones extent %+v, %v: want from 2020-08-26, open-ended", zones, err)
	}
}

// An import writes its new rows in the order of their first day in force,
// so that the table holds them in date order whatever the file's order;
// incidents of the same day keep the file's order (the list's order after
// the day), and of two rows with one id the last still stands.
func TestImportWritesRowsInDateOrder(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	rows := []string{
		"order-c,Third by date,Our own words.,arrests,2021-03-05,,day,no,,hyesan,exact,,single_source,,dailynk-2021-03,,\n",
		"order-a,First by date,Our own words.,arrests,2020-09-01,,day,no,,hyesan,exact,,single_source,,dailynk-2021-03,,\n",
		"order-b2,Second of one day,Our own words.,arrests,2020-11-20,,day,no,,hyesan,exact,,single_source,,dailynk-2021-03,,\n",
		"order-b1,First of one day,Our own words.,arrests,2020-11-20,,day,no,,hyesan,exact,,single_source,,dailynk-2021-03,,\n",
	}
	incidents, err := readCSV(t, st, header+strings.Join(rows, ""))
	if err != nil {
		t.Fatal(err)
	}
	// A file cannot name an id twice; a caller of the store can.
	again := incidents[1]
	again.Title, again.DateStart = "First by date corrected", time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	incidents = append(incidents, again)
	if _, err := st.ImportIncidents(ctx, incidents); err != nil {
		t.Fatal(err)
	}
	var got []string
	var title string
	r, err := st.ro.QueryContext(ctx, "SELECT id, title FROM incident WHERE id LIKE 'order-%' ORDER BY rowid")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var id, tt string
		if err := r.Scan(&id, &tt); err != nil {
			t.Fatal(err)
		}
		got = append(got, id)
		if id == "order-a" {
			title = tt
		}
	}
	if want := []string{"order-a", "order-b2", "order-b1", "order-c"}; !slices.Equal(got, want) {
		t.Errorf("rows in the table in the order %v, want %v", got, want)
	}
	if title != "First by date corrected" {
		t.Errorf("order-a is %q; the last row of an id stands", title)
	}
}

// inTableOrder puts incidents in place in the order a stable sort by their
// id's first day gives, whatever cycles the permutation has.
func TestInTableOrderIsAStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for n := range 200 {
		var in []data.Incident
		for i := range n {
			in = append(in, data.Incident{ID: fmt.Sprintf("i%d", rng.IntN(n+1)), Title: fmt.Sprint(i),
				DateStart: time.Date(2020, 1, 1+rng.IntN(20), 0, 0, 0, 0, time.UTC), DatePrecision: "day"})
		}
		first := map[string]int64{}
		for _, x := range in {
			if _, ok := first[x.ID]; !ok {
				from, _ := x.InForce()
				first[x.ID] = data.DayNumber(from)
			}
		}
		want := slices.Clone(in)
		slices.SortStableFunc(want, func(a, b data.Incident) int { return cmp.Compare(first[a.ID], first[b.ID]) })
		inTableOrder(in)
		for i := range in {
			if in[i].Title != want[i].Title {
				t.Fatalf("%d incidents: position %d holds row %s, want row %s", n, i, in[i].Title, want[i].Title)
			}
		}
	}
}
