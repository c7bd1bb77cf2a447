package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/cql2"
	"github.com/borderline/borderline/data"
)

func mustFilter(t *testing.T, collection, text string) *Filter {
	t.Helper()
	e, err := cql2.ParseText(text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	f, err := CompileFilter(collection, e)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return f
}

func pageIDs(t *testing.T, st *Store, collection string, q Query) []string {
	t.Helper()
	q.Limit = 100000
	page, err := st.Items(context.Background(), collection, q)
	if err != nil {
		t.Fatal(err)
	}
	if page.Matched != len(page.Features) {
		t.Fatalf("matched %d, returned %d", page.Matched, len(page.Features))
	}
	ids := make([]string, len(page.Features))
	for i, b := range page.Features {
		var f struct{ ID string }
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		ids[i] = f.ID
	}
	slices.Sort(ids)
	return ids
}

// A CQL2 filter selects what the same test by the plain parameters, or by
// hand over the seed, selects.
func TestFilterMatchesThePlainParameters(t *testing.T) {
	st := openCopy(t)
	hyesan := orb.Bound{Min: orb.Point{127.9, 41.2}, Max: orb.Point{128.4, 41.6}}
	ryanggang := map[string]bool{}
	for _, p := range testSeed.Places {
		if p.Admin1 == "Ryanggang" {
			ryanggang[p.ID] = true
		}
	}
	byHand := func(keep func(data.Incident) bool) []string {
		var ids []string
		for _, in := range testSeed.Incidents {
			if keep(in) {
				ids = append(ids, in.ID)
			}
		}
		slices.Sort(ids)
		return ids
	}
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"category IN ('arrests', 'health')", expected(Query{Categories: []string{"arrests", "health"}})},
		{"category = 'arrests' AND verification = 'single_source'", expected(Query{Categories: []string{"arrests"}, Verifications: []string{"single_source"}})},
		{"NOT (verification <> 'official')", expected(Query{Verifications: []string{"official"}})},
		{"S_INTERSECTS(geometry, BBOX(127.9, 41.2, 128.4, 41.6))", expected(Query{BBox: &hyesan})},
		{"S_INTERSECTS(geometry, POLYGON((127.9 41.2, 128.4 41.2, 128.4 41.6, 127.9 41.6, 127.9 41.2)))", expected(Query{BBox: &hyesan})},
		{"T_INTERSECTS(in_force, INTERVAL('2021-03-01', '2021-03-31'))", expected(Query{FromDay: day("2021-03-01"), ToDay: day("2021-03-31")})},
		{"T_INTERSECTS(INTERVAL(in_force_from, in_force_to), INTERVAL('2021-03-01', '2021-03-31'))", expected(Query{FromDay: day("2021-03-01"), ToDay: day("2021-03-31")})},
		{"T_INTERSECTS(in_force, DATE('2020-08-26'))", expected(Query{FromDay: day("2020-08-26"), ToDay: day("2020-08-26")})},
		{"S_INTERSECTS(geometry, BBOX(127.9, 41.2, 128.4, 41.6)) AND T_INTERSECTS(in_force, INTERVAL('2021-03-01', '2021-03-31'))",
			expected(Query{BBox: &hyesan, FromDay: day("2021-03-01"), ToDay: day("2021-03-31")})},
		{"place = 'hyesan'", expected(Query{PlaceIDs: []string{"hyesan"}})},
		{"place IN ('hyesan', 'hoeryong')", expected(Query{PlaceIDs: []string{"hyesan", "hoeryong"}})},
		{"source = 'hrw-2021-01-13'", expected(Query{SourceIDs: []string{"hrw-2021-01-13"}})},
		{"province = 'Ryanggang'", byHand(func(in data.Incident) bool {
			return slices.ContainsFunc(in.PlaceIDs, func(id string) bool { return ryanggang[id] })
		})},
		{"sources_count >= 2", byHand(func(in data.Incident) bool { return len(in.SourceIDs) >= 2 })},
		{"title LIKE '%Hyesan%'", byHand(func(in data.Incident) bool { return strings.Contains(in.Title, "Hyesan") })},
		{"title LIKE '%hyesan%'", nil}, // case-sensitive, as CQL2 says
		{"date_end IS NULL", byHand(func(in data.Incident) bool { return in.DateEnd.IsZero() })},
		{"date_start BETWEEN DATE('2020-08-01') AND DATE('2020-08-31')", byHand(func(in data.Incident) bool {
			return data.FormatDate(in.DateStart) >= "2020-08-01" && data.FormatDate(in.DateStart) <= "2020-08-31"
		})},
		{"in_force_from >= DATE('2020-08-26')", byHand(func(in data.Incident) bool {
			from, _ := in.InForce()
			return data.FormatDate(from) >= "2020-08-26"
		})},
		{"date_inferred = TRUE", byHand(func(in data.Incident) bool { return in.DateInferred })},
		{"title = 'x'' OR 1=1 --'", nil},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			if tc.want != nil && len(tc.want) == 0 {
				t.Fatal("the expectation is empty: the test proves nothing")
			}
			got := pageIDs(t, st, "incidents", Query{Filter: mustFilter(t, "incidents", tc.filter)})
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %d %v\nwant %d %v", len(got), got, len(tc.want), tc.want)
			}
			// The counts and the CSV read through the same filter.
			f := mustFilter(t, "incidents", tc.filter)
			list, matched, err := st.IncidentsMatching(context.Background(), Query{Filter: f, Limit: 100000})
			if err != nil || matched != len(tc.want) || len(list) != matched {
				t.Errorf("CSV: %d of %d, %v", len(list), matched, err)
			}
			counts, err := st.Counts(context.Background(), Query{Filter: f, FromDay: day("2019-01-01"), ToDay: day("2022-12-31")}, BinMonth)
			if err != nil || counts.Matched != len(tc.want) {
				t.Errorf("counts: %d, %v", counts.Matched, err)
			}
		})
	}
	// S_DISJOINT: the incidents with a point, less those in the box.
	in := expected(Query{BBox: &hyesan})
	everywhere := expected(Query{BBox: &orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}})
	var want []string
	for _, id := range everywhere {
		if !slices.Contains(in, id) {
			want = append(want, id)
		}
	}
	if got := pageIDs(t, st, "incidents", Query{Filter: mustFilter(t, "incidents", "S_DISJOINT(geometry, BBOX(127.9, 41.2, 128.4, 41.6))")}); !slices.Equal(got, want) {
		t.Errorf("S_DISJOINT: %d, want %d", len(got), len(want))
	}
}

// A filter on space or time is answered by the R*Tree: the plan searches
// it with the constraints, rather than scanning.
func TestSpatialAndTemporalFiltersUseTheRTree(t *testing.T) {
	st := openCopy(t)
	for _, text := range []string{
		"S_INTERSECTS(geometry, BBOX(127.9, 41.2, 128.4, 41.6))",
		"T_INTERSECTS(in_force, INTERVAL('2021-03-01', '2021-03-31')) AND category = 'arrests'",
		"province = 'Ryanggang' AND T_AFTER(in_force, DATE('2020-08-26'))",
	} {
		countSQL, _, args, err := incidentQuery(Query{Filter: mustFilter(t, "incidents", text), Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := st.ro.Query("EXPLAIN QUERY PLAN "+countSQL, args[:len(args)-2]...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		joined := strings.Join(plan, "\n")
		if !strings.Contains(joined, "VIRTUAL TABLE INDEX") || !strings.Contains(joined, "SCAN r VIRTUAL TABLE INDEX 2:") || strings.Contains(joined, "INDEX 2:\n") {
			t.Errorf("%s: the R*Tree is not searched with the filter's bounds:\n%s", text, joined)
		}
	}
}

func TestFiltersOnTheSmallCollections(t *testing.T) {
	st := openCopy(t)
	var cities []string
	for _, p := range testSeed.Places {
		if p.Kind == "city" {
			cities = append(cities, p.ID)
		}
	}
	slices.Sort(cities)
	if got := pageIDs(t, st, "places", Query{Filter: mustFilter(t, "places", "kind = 'city'")}); !slices.Equal(got, cities) {
		t.Errorf("kind = 'city': %v, want %v", got, cities)
	}
	nearCities := pageIDs(t, st, "places", Query{Filter: mustFilter(t, "places", "kind = 'city' AND border_distance_km < 5")})
	if len(nearCities) == 0 || len(nearCities) >= len(cities) {
		t.Errorf("cities near the border: %v of %v", nearCities, cities)
	}
	if got := pageIDs(t, st, "places", Query{Filter: mustFilter(t, "places", "S_INTERSECTS(geometry, BBOX(127.9, 41.2, 128.4, 41.6))")}); !slices.Contains(got, "hyesan") || slices.Contains(got, "hoeryong") {
		t.Errorf("places in a box around Hyesan: %v", got)
	}
	if got := pageIDs(t, st, "places", Query{Filter: mustFilter(t, "places", "alt_names = 'Hyeson'")}); !slices.Equal(got, []string{"hyesan"}) {
		t.Errorf("alt_names = 'Hyeson': %v", got)
	}
	if got := pageIDs(t, st, "zones", Query{Filter: mustFilter(t, "zones", "T_INTERSECTS(in_force, DATE('2021-06-01')) AND width_m > 1000")}); len(got) != 1 {
		t.Errorf("zones in force in June 2021 wider than 1 km: %v", got)
	}
	if got := pageIDs(t, st, "zones", Query{Filter: mustFilter(t, "zones", "T_BEFORE(in_force, DATE('2020-08-25'))")}); len(got) != 0 {
		t.Errorf("zones over before they began: %v", got)
	}
	if got := pageIDs(t, st, "rivers", Query{Filter: mustFilter(t, "rivers", "name = 'Tumen'")}); len(got) != 1 {
		t.Errorf("the Tumen: %v", got)
	}
	if _, err := CompileFilter("provinces", must(cql2.ParseText("S_INTERSECTS(geometry, POINT(128 41))"))); err == nil {
		t.Error("a spatial filter on outlines was compiled; the store cannot test it")
	}
	if _, err := CompileFilter("incidents", must(cql2.ParseText("S_WITHIN(geometry, POINT(128 41))"))); err == nil {
		t.Error("S_WITHIN was compiled; only S_INTERSECTS and S_DISJOINT are")
	}
}

func must(e cql2.Expr, err error) cql2.Expr {
	if err != nil {
		panic(err)
	}
	return e
}
