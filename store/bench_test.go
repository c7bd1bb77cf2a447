package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/data"
)

// Scale tests use synthetic incidents: 100,000 of them at 2,000 made-up places
// spread over the region, over 2020–2021. They never enter the dataset; they
// exist to measure the query path the design must hold at that size.
const (
	synthIncidents = 100_000
	synthPlaces    = 2_000
)

// buildScaleDB seeds path and adds the synthetic places and incidents.
func buildScaleDB(ctx context.Context, path string, n int) error {
	st, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Seed(ctx, testSeed, nil); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	tx, err := st.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for i := range synthPlaces {
		lon := 124 + rng.Float64()*7 // the border provinces and beyond
		lat := 38 + rng.Float64()*5.5
		if _, err := tx.ExecContext(ctx, `INSERT INTO place (id, kind, name_en, lon, lat, location_precision, origin)
			VALUES (?, 'city', ?, ?, ?, 'exact', 'import')`, fmt.Sprintf("synth-%d", i), fmt.Sprintf("Synthetic %d", i), lon, lat); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	categories := data.Categories
	// What the first version of this generator left constant (verification,
	// a second source) comes from a stream of its own, so the dates, places
	// and categories, and with them what the older benchmarks match, stay
	// as they were.
	more := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	incidents := make([]data.Incident, 0, n)
	for i := range n {
		d := start.AddDate(0, 0, rng.IntN(730))
		precision := []string{"day", "day", "day", "week", "month"}[rng.IntN(5)]
		in := data.Incident{
			ID: fmt.Sprintf("synth-%06d", i), Title: fmt.Sprintf("Synthetic incident %d", i),
			Summary:  "A synthetic incident for load tests; it is not part of the dataset.",
			Category: categories[rng.IntN(len(categories))].Value, DateStart: d, DatePrecision: precision,
			PlaceIDs: []string{fmt.Sprintf("synth-%d", rng.IntN(synthPlaces))}, LocationPrecision: "exact",
			Verification: data.Verifications[more.IntN(len(data.Verifications))].Value,
			SourceIDs:    []string{testSeed.Sources[rng.IntN(len(testSeed.Sources))].ID},
		}
		if more.IntN(10) < 3 { // three in ten cite a second report
			if s := testSeed.Sources[more.IntN(len(testSeed.Sources))].ID; s != in.SourceIDs[0] {
				in.SourceIDs = append(in.SourceIDs, s)
			}
		}
		incidents = append(incidents, in)
	}
	_, err = st.ImportIncidents(ctx, incidents)
	return err
}

// scaleDBs are the synthetic databases built so far in this run, by size.
var scaleDBs = struct {
	sync.Mutex
	paths map[int]string
}{paths: map[int]string{}}

// scaleStore opens the database of 100,000 synthetic incidents, building it
// the first time it is asked for.
func scaleStore(b *testing.B) *Store { return scaleStoreOf(b, synthIncidents) }

// scaleStoreOf opens a database of n synthetic incidents.
func scaleStoreOf(b *testing.B, n int) *Store {
	scaleDBs.Lock()
	path, ok := scaleDBs.paths[n]
	if !ok {
		dir, err := os.MkdirTemp("", "borderline-scale")
		if err != nil {
			scaleDBs.Unlock()
			b.Fatal(err)
		}
		path = filepath.Join(dir, "scale.db")
		if err := buildScaleDB(context.Background(), path, n); err != nil {
			scaleDBs.Unlock()
			b.Fatal(err)
		}
		scaleDBs.paths[n] = path
	}
	scaleDBs.Unlock()
	st, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// The query the design is sized for: one month in a bounding box around the
// middle of the border, first page of 100.
func BenchmarkItemsMonthBBox(b *testing.B) {
	benchItems(b, Query{BBox: &orb.Bound{Min: orb.Point{126, 40.5}, Max: orb.Point{129, 42.5}},
		FromDay: day("2020-09-01"), ToDay: day("2020-09-30"), Limit: 100})
}

func BenchmarkItemsMonthOnly(b *testing.B) {
	benchItems(b, Query{FromDay: day("2020-09-01"), ToDay: day("2020-09-30"), Limit: 100})
}

// The map's question with a filter of codes: a day, two categories (the
// category filter reads the R*Tree's auxiliary columns).
func BenchmarkItemsDayCategory(b *testing.B) {
	benchItems(b, Query{FromDay: day("2021-06-01"), ToDay: day("2021-06-01"), Categories: []string{"arrests", "health"}, Limit: 100})
}

func BenchmarkItemsMonthBBoxVerification(b *testing.B) {
	benchItems(b, Query{BBox: &orb.Bound{Min: orb.Point{126, 40.5}, Max: orb.Point{129, 42.5}},
		FromDay: day("2020-09-01"), ToDay: day("2020-09-30"), Verifications: []string{"corroborated", "official"}, Limit: 100})
}

// A source is cited by a fifth of the synthetic incidents (a third cite two).
func BenchmarkItemsMonthSource(b *testing.B) {
	benchItems(b, Query{FromDay: day("2020-09-01"), ToDay: day("2020-09-30"), SourceIDs: []string{"dailynk-2021-03"}, Limit: 100})
}

// Everything at two towns, every date: what choosing a place result asks.
func BenchmarkItemsPlaces(b *testing.B) {
	benchItems(b, Query{PlaceIDs: []string{"synth-5", "synth-17"}, Limit: 100})
}

func BenchmarkItemsMonthPlaces(b *testing.B) {
	benchItems(b, Query{FromDay: day("2020-09-01"), ToDay: day("2020-09-30"), PlaceIDs: []string{"synth-5", "synth-17"}, Limit: 100})
}

// benchItems runs q on both cores, as concurrent requests would.
func benchItems(b *testing.B, q Query) {
	st := scaleStore(b)
	page, err := st.Items(context.Background(), "incidents", q)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := st.Items(context.Background(), "incidents", q); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(page.Matched), "matched")
}

// BenchmarkCounts counts the incidents in force on each day (or month) of
// the whole extent, as the timeline asks, at 10,000 and 100,000 incidents.
func BenchmarkCounts(b *testing.B) {
	bbox := &orb.Bound{Min: orb.Point{126, 40.5}, Max: orb.Point{129, 42.5}}
	for _, n := range []int{10_000, synthIncidents} {
		for _, tc := range []struct {
			name string
			q    Query
			bin  Bin
		}{
			{"days", Query{}, BinDay},
			{"months", Query{}, BinMonth},
			{"days-2-categories", Query{Categories: []string{"arrests", "health"}}, BinDay},
			{"days-source", Query{SourceIDs: []string{"dailynk-2021-03"}}, BinDay},
			{"days-bbox", Query{BBox: bbox}, BinDay},
		} {
			b.Run(fmt.Sprintf("%d/%s", n, tc.name), func(b *testing.B) {
				st := scaleStoreOf(b, n)
				ext, err := st.Extent(context.Background(), "incidents")
				if err != nil {
					b.Fatal(err)
				}
				q := tc.q
				q.FromDay, q.ToDay = ext.FromDay, ext.ToDay
				c, err := st.Counts(context.Background(), q, tc.bin)
				if err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := st.Counts(context.Background(), q, tc.bin); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(c.Matched), "matched")
				b.ReportMetric(float64(len(c.Starts)), "bins")
			})
		}
	}
}

// TestWriteScaleDB writes a database of synthetic incidents (the seed's, plus
// 100,000 unless BORDERLINE_SCALE_INCIDENTS says how many) for load tests
// with wrk and for the browser tests at size, against a real server:
//
//	BORDERLINE_SCALE_DB=/tmp/scale.db BORDERLINE_SCALE_INCIDENTS=10000 go test ./store -run WriteScaleDB -count=1
//
// (-count=1: go test would otherwise replay a cached pass and write nothing.)
func TestWriteScaleDB(t *testing.T) {
	path := os.Getenv("BORDERLINE_SCALE_DB")
	if path == "" {
		t.Skip("set BORDERLINE_SCALE_DB to write the load-test database there")
	}
	n := synthIncidents
	if s := os.Getenv("BORDERLINE_SCALE_INCIDENTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			t.Fatalf("BORDERLINE_SCALE_INCIDENTS=%q: want a whole number of at least 1", s)
		}
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	if err := buildScaleDB(context.Background(), path, n); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %d synthetic incidents at %d synthetic places, and the seed", path, n, synthPlaces)
}

// BenchmarkMonthInBox is the sized-for question at 100,000
// incidents, a month in a box with pages of 1,000, answered by SQL and by the
// in-memory index (the page's bytes copied out as the server would).
func BenchmarkMonthInBox(b *testing.B) {
	q := Query{BBox: &orb.Bound{Min: orb.Point{126, 40.5}, Max: orb.Point{129.5, 42.5}},
		FromDay: day("2020-08-01"), ToDay: day("2020-08-31"), Limit: 1000}
	st := scaleStore(b)
	x, _, err := buildIncidentIndex(context.Background(), st.ro, b.TempDir(), "", "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { x.close() })
	b.Run("sql", func(b *testing.B) {
		benchPages(b, func() (int, error) {
			p, err := st.Items(context.Background(), "incidents", q)
			n := 0
			for _, f := range p.Features {
				n += len(f)
			}
			return n, err
		})
	})
	b.Run("index", func(b *testing.B) {
		benchPages(b, func() (int, error) {
			pos, _ := x.page(q)
			n := 0
			for _, p := range pos {
				n += len(x.feature(p))
			}
			return n, nil
		})
	})
}

// BenchmarkVariedPages finds the pages of bench/load's varied workload in
// the index (without copying them): one-month or one-week windows starting
// on any day of 2020–2021, boxes of 1–4° a side, limit 1,000. On the store's
// own synthetic database, or with BORDERLINE_BENCH_DB on a copy of a
// `make bench-db` one, whose dates are spread as the real ones are.
func BenchmarkVariedPages(b *testing.B) {
	var st *Store
	if path := os.Getenv("BORDERLINE_BENCH_DB"); path != "" {
		var err error
		if st, err = Open(context.Background(), path); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
	} else {
		st = scaleStore(b)
	}
	x, _, err := buildIncidentIndex(context.Background(), st.ro, b.TempDir(), "", "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { x.close() })
	for _, days := range []int64{30, 6} {
		rng := rand.New(rand.NewPCG(3, uint64(days)))
		qs := make([]Query, 1024)
		for i := range qs {
			from := int64(18262 + rng.IntN(731))
			to := from + days
			w, h := 1+rng.Float64()*3, 1+rng.Float64()*3
			lon, lat := 124+rng.Float64()*(7-w), 39+rng.Float64()*(4.5-h)
			qs[i] = Query{FromDay: &from, ToDay: &to, Limit: 1000,
				BBox: &orb.Bound{Min: orb.Point{lon, lat}, Max: orb.Point{lon + w, lat + h}}}
		}
		b.Run(fmt.Sprintf("days=%d", days+1), func(b *testing.B) {
			for i := range b.N {
				x.page(qs[i%len(qs)])
			}
		})
	}
}

func benchPages(b *testing.B, page func() (int, error)) {
	size, err := page()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := page(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkDataVersion is what every data request pays to learn whether its
// cached answer still holds.
func BenchmarkDataVersion(b *testing.B) {
	st := openSeededB(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := st.DataVersion(context.Background()); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func openSeededB(b *testing.B) *Store {
	st, err := Open(context.Background(), seededDB)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkRecentDataVersion is the same question when nothing was
// committed since it was last asked: the usual case.
func BenchmarkRecentDataVersion(b *testing.B) {
	st := openSeededB(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := st.RecentDataVersion(context.Background()); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
