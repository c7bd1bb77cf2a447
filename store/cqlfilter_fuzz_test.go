package store

import (
	"context"
	"testing"

	"github.com/borderline/borderline/cql2"
)

// Any filter that compiles runs: the SQL it makes is valid on the real
// schema, for every collection, whatever the client wrote.
func FuzzCompiledFiltersRun(f *testing.F) {
	for _, s := range []string{
		"province = 'Ryanggang' AND in_force_from >= DATE('2020-08-26')",
		"category = 'arrests' AND verification = 'single_source'",
		"S_INTERSECTS(geometry, BBOX(127.9, 41.2, 128.4, 41.6)) AND T_INTERSECTS(in_force, INTERVAL('2021-03-01', '2021-03-31'))",
		"S_DISJOINT(geometry, POLYGON((127 41, 129 41, 129 42, 127 41))) OR place IN ('hyesan', 'musan')",
		"NOT (sources_count BETWEEN 1 AND 2) AND title LIKE '%\\%%'",
		"T_DURING(INTERVAL(in_force_from, in_force_to), INTERVAL('2020-01-01', '..'))",
		"date_end IS NULL AND date_inferred = FALSE",
		"kind = 'city' AND border_distance_km < 5 AND alt_names = 'Hyeson'",
		"width_m >= 1000 AND T_AFTER(in_force, TIMESTAMP('2020-08-26T00:00:00Z'))",
		"name LIKE 'T%' OR km > 100",
	} {
		f.Add(s)
	}
	st := openCopy(f)
	f.Fuzz(func(t *testing.T, s string) {
		e, err := cql2.ParseText(s)
		if err != nil {
			return
		}
		for _, collection := range Collections {
			flt, err := CompileFilter(collection, e)
			if err != nil {
				continue
			}
			if _, err := st.Items(context.Background(), collection, Query{Filter: flt, Limit: 3}); err != nil {
				t.Fatalf("%s on %s compiled but failed to run: %v", s, collection, err)
			}
		}
	})
}
