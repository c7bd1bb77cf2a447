package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/data"
)

// indexTestStore is the seed plus 3,000 synthetic incidents at one place
// each and 300 at two (so several points), for comparing the index with SQL.
func indexTestStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index.db")
	if err := buildScaleDB(ctx, path, 3000); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rng := rand.New(rand.NewPCG(7, 8))
	var more []data.Incident
	for i := range 300 {
		d := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(730))
		more = append(more, data.Incident{
			ID: fmt.Sprintf("two-places-%d", i), Title: "Two places", Summary: "A synthetic incident at two places.",
			Category: data.Categories[rng.IntN(len(data.Categories))].Value, DateStart: d, DatePrecision: "month",
			PlaceIDs:          []string{fmt.Sprintf("synth-%d", rng.IntN(synthPlaces)), fmt.Sprintf("synth-%d", rng.IntN(synthPlaces))},
			LocationPrecision: "exact", Verification: data.Verifications[rng.IntN(len(data.Verifications))].Value,
			SourceIDs: []string{testSeed.Sources[0].ID},
		})
	}
	// And some in force for long, with dates and ends spread so that every
	// tier of spanTiers holds some, up to two years.
	for i := range 300 {
		d := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(730))
		in := data.Incident{
			ID: fmt.Sprintf("long-%d", i), Title: "Long", Summary: "A synthetic incident in force for long.",
			Category: data.Categories[rng.IntN(len(data.Categories))].Value, DateStart: d, DatePrecision: "day",
			PlaceIDs:          []string{fmt.Sprintf("synth-%d", rng.IntN(synthPlaces))},
			LocationPrecision: "exact", Verification: data.Verifications[rng.IntN(len(data.Verifications))].Value,
			SourceIDs: []string{testSeed.Sources[0].ID},
		}
		switch i % 4 {
		case 0:
			in.DatePrecision = "season"
		case 1:
			in.DatePrecision = "year"
			in.DateStart = time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		default:
			in.DateEnd = d.AddDate(0, 0, []int{8, 32, 93, 367, 700}[rng.IntN(5)]+rng.IntN(20))
		}
		more = append(more, in)
	}
	if _, err := st.ImportIncidents(ctx, more); err != nil {
		t.Fatal(err)
	}
	return st
}

// randomQuery draws the filters the index answers: spans of days, boxes
// (some with an edge exactly on an incident's point, some across the
// antimeridian), codes, pages.
func randomQuery(rng *rand.Rand, x *incidentIndex) Query {
	var q Query
	if rng.IntN(4) > 0 {
		from := int64(18262 + rng.IntN(760) - 15) // around 2020-01-01 .. 2022-01
		if rng.IntN(4) == 0 {                     // on some incident's last day: edges count
			i := rng.IntN(x.len())
			from = int64(x.dayTo[i])
		}
		to := from + int64([]int{0, 6, 30, 90, 400}[rng.IntN(5)])
		switch rng.IntN(5) {
		case 0:
			q.FromDay = &from
		case 1:
			q.ToDay = &to
		default:
			q.FromDay, q.ToDay = &from, &to
		}
	}
	if rng.IntN(3) > 0 {
		w, h := 0.5+rng.Float64()*4, 0.5+rng.Float64()*3
		lon, lat := 123+rng.Float64()*8, 38+rng.Float64()*5
		if rng.IntN(3) == 0 { // an edge on a point: edges count as inside
			i := rng.IntN(x.len())
			if !x.multi[i] && x.lon[i] < 360 {
				lon, lat = x.lon[i], x.lat[i]
				if rng.IntN(2) == 0 {
					lon, lat = lon-w, lat-h
				}
			}
		}
		b := orb.Bound{Min: orb.Point{lon, lat}, Max: orb.Point{lon + w, lat + h}}
		if rng.IntN(10) == 0 { // across the antimeridian: takes the region from the east
			b = orb.Bound{Min: orb.Point{lon, lat}, Max: orb.Point{-170, lat + h}}
		}
		q.BBox = &b
	}
	if rng.IntN(3) == 0 {
		for _, c := range data.Categories {
			if rng.IntN(3) == 0 {
				q.Categories = append(q.Categories, c.Value)
			}
		}
		if rng.IntN(5) == 0 {
			q.Categories = append(q.Categories, "no_such_category")
		}
	}
	if rng.IntN(4) == 0 {
		for _, v := range data.Verifications {
			if rng.IntN(2) == 0 {
				q.Verifications = append(q.Verifications, v.Value)
			}
		}
	}
	q.Limit = []int{1, 10, 100, 1000, 10000}[rng.IntN(5)]
	if rng.IntN(4) == 0 {
		q.Offset = rng.IntN(500)
	}
	return q
}

// The index answers exactly what SQL answers: the same count, the same
// features in the same order, byte for byte; and so does the same index
// loaded from the snapshot its build kept.
func TestIncidentIndexMatchesSQL(t *testing.T) {
	st := indexTestStore(t)
	ctx := context.Background()
	id, err := st.storeID(ctx)
	if err != nil || id == "" {
		t.Fatalf("store id %q: %v", id, err)
	}
	snap := filepath.Join(t.TempDir(), "test.db-index")
	dir := t.TempDir()
	built, persist, err := buildIncidentIndex(ctx, st.ro, dir, snap, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := persist(); err != nil {
		t.Fatal(err)
	}
	defer built.close()
	// The scratch file of features in rowid order and the file they were
	// copied to in list order are both gone from the build's folder.
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("the build left %d file(s) behind, the first %s", len(left), left[0].Name())
	}
	loaded, err := loadIndexSnapshot(snap, id, built.version)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.close()
	for _, tc := range []struct {
		name string
		x    *incidentIndex
	}{{"built", built}, {"loaded from its snapshot", loaded}} {
		t.Run(tc.name, func(t *testing.T) { compareWithSQL(t, st, tc.x) })
	}
}

func compareWithSQL(t *testing.T, st *Store, x *incidentIndex) {
	ctx := context.Background()
	if got, want := x.len(), count(t, st, "incident"); got != want {
		t.Fatalf("index holds %d incidents, the database %d", got, want)
	}
	if len(x.points) < 250 {
		t.Fatalf("only %d incidents with several points; the test needs them", len(x.points))
	}
	var perTier [len(tierSpans) + 1]int
	for c, cell := range x.tiers {
		perTier[c/(lonBands+2)] += len(cell.pos)
	}
	for tier, n := range perTier {
		if n < 20 {
			t.Fatalf("only %d incidents in tier %d of spans; the test needs them", n, tier)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	nonEmpty := 0
	for n := range 600 {
		q := randomQuery(rng, x)
		if !x.answers(q) {
			t.Fatalf("query %d: %+v is not answered by the index", n, q)
		}
		want, err := st.Items(ctx, "incidents", q)
		if err != nil {
			t.Fatal(err)
		}
		pos, matched := x.page(q)
		if matched != want.Matched || len(pos) != len(want.Features) {
			t.Fatalf("query %d %s: index matched %d and returned %d, SQL %d and %d", n, describeQuery(q), matched, len(pos), want.Matched, len(want.Features))
		}
		for i, p := range pos {
			if !bytes.Equal(x.feature(p), want.Features[i]) {
				t.Fatalf("query %d %s: feature %d differs:\nindex %.120s\nSQL   %.120s", n, describeQuery(q), i, x.feature(p), want.Features[i])
			}
		}
		if matched > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 300 {
		t.Errorf("only %d of 600 queries matched anything; the comparison is weak", nonEmpty)
	}
}

// A snapshot serves only the database and data version it was made from,
// and a damaged one is refused, not served.
func TestIndexSnapshotIsUsedOnlyForItsData(t *testing.T) {
	x, snap, id := keptIndex(t, indexTestStore(t))
	x.close()
	if _, err := loadIndexSnapshot(snap, id, x.version+"1"); !errors.Is(err, errSnapshotStale) {
		t.Errorf("another data version: %v, want stale", err)
	}
	if _, err := loadIndexSnapshot(snap, "0123", x.version); !errors.Is(err, errSnapshotStale) {
		t.Errorf("another database: %v, want stale", err)
	}
	whole, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"cut short", func(b []byte) []byte { return b[:len(b)/2] }},
		{"a byte lost from the features", func(b []byte) []byte { return append(b[:100:100], b[101:]...) }},
		{"columns overwritten", func(b []byte) []byte {
			c := bytes.Clone(b)
			hl := int(binary.LittleEndian.Uint64(c[len(c)-16:]))
			for i := len(c) - 16 - hl - 4000; i < len(c)-16-hl; i++ {
				c[i] = 0xff
			}
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.db-index")
			if err := os.WriteFile(bad, tc.damage(whole), 0o644); err != nil {
				t.Fatal(err)
			}
			if x, err := loadIndexSnapshot(bad, id, x.version); err == nil {
				x.close()
				t.Error("a damaged snapshot was loaded")
			}
		})
	}
}

// keptIndex builds st's index and keeps its snapshot in a file of its own.
func keptIndex(t *testing.T, st *Store) (x *incidentIndex, snap, id string) {
	t.Helper()
	ctx := context.Background()
	id, _ = st.storeID(ctx)
	snap = filepath.Join(t.TempDir(), "test.db-index")
	x, persist, err := buildIncidentIndex(ctx, st.ro, t.TempDir(), snap, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := persist(); err != nil {
		x.close()
		t.Fatal(err)
	}
	return x, snap, id
}

// A loaded snapshot is the index that was kept: every column, and the
// points of the incidents with several, which are tested one by one.
func TestIndexSnapshotHoldsTheIndex(t *testing.T) {
	built, snap, id := keptIndex(t, indexTestStore(t))
	defer built.close()
	if len(built.points) == 0 {
		t.Fatal("no incident with several points: the test proves nothing")
	}
	loaded, err := loadIndexSnapshot(snap, id, built.version)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.close()
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"dayFrom", loaded.dayFrom, built.dayFrom}, {"dayTo", loaded.dayTo, built.dayTo},
		{"multi", loaded.multi, built.multi}, {"category", loaded.category, built.category},
		{"verif", loaded.verif, built.verif}, {"points", loaded.points, built.points},
		{"categories", loaded.categories, built.categories}, {"verifications", loaded.verifications, built.verifications},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s differs after loading", c.name)
		}
	}
	for i := range built.dayFrom {
		if !built.multi[i] && (loaded.lon[i] != built.lon[i] || loaded.lat[i] != built.lat[i]) {
			t.Fatalf("entry %d: at %v,%v, built at %v,%v", i, loaded.lon[i], loaded.lat[i], built.lon[i], built.lat[i])
		}
		if !bytes.Equal(loaded.feature(int32(i)), built.feature(int32(i))) {
			t.Fatalf("feature %d differs after loading", i)
		}
	}
}

// A server started again on the same data serves from the snapshot its
// last build kept, without building; after an import it builds anew.
func TestIndexSnapshotAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	b, err := os.ReadFile(seededDB)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "restart.db")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var atOnce bool // the index answered as soon as EnableIncidentIndex returned
	open := func() (*Store, *bytes.Buffer) {
		st, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		v, err := st.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st.EnableIncidentIndex(ctx, slog.New(slog.NewTextHandler(&logs, nil)), 10*time.Millisecond)
		atOnce = st.IndexReady(v)
		waitIndex(t, st, v)
		return st, &logs
	}
	st, logs := open()
	if !strings.Contains(logs.String(), "incident index ready") {
		t.Fatalf("the first start did not build:\n%s", logs)
	}
	st.Close()

	st, logs = open()
	if !strings.Contains(logs.String(), "incident index loaded") || strings.Contains(logs.String(), "incident index ready") {
		t.Errorf("the restart built instead of loading:\n%s", logs)
	}
	// Loaded before the server listens: no request of a restart goes to SQL.
	if !atOnce {
		t.Error("the restart's index was not ready when EnableIncidentIndex returned")
	}
	q := Query{FromDay: day("2020-01-01"), Limit: 1000}
	fromSnapshot := pageOf(t, st, q)
	in := unstoried(t)
	in.ID, in.DateStart = "snapshot-stale", time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := st.ImportIncidents(ctx, []data.Incident{in}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	st, logs = open()
	defer st.Close()
	if strings.Contains(logs.String(), "incident index loaded") || !strings.Contains(logs.String(), "incident index ready") {
		t.Errorf("after an import the start did not build anew:\n%s", logs)
	}
	if atOnce {
		t.Error("a stale snapshot answered at start")
	}
	if got := pageOf(t, st, q); got.Matched != fromSnapshot.Matched+1 {
		t.Errorf("after the import %d matched, before %d", got.Matched, fromSnapshot.Matched)
	}
}

// A command that wrote the database keeps the snapshot for the next start:
// that start loads it, a second keep of the same data leaves the file as it
// is, and a later write makes it stale until it is kept again.
func TestKeepIndexSnapshot(t *testing.T) {
	ctx := context.Background()
	b, err := os.ReadFile(seededDB)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kept.db")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	in := unstoried(t)
	in.ID, in.DateStart = "kept-after-import", time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := st.ImportIncidents(ctx, []data.Incident{in}); err != nil {
		t.Fatal(err)
	}
	if err := st.KeepIndexSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	ino, _, err := fileID(snapshotPath(path))
	if err != nil {
		t.Fatalf("no snapshot after KeepIndexSnapshot: %v", err)
	}
	if err := st.KeepIndexSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := fileID(snapshotPath(path)); again != ino {
		t.Error("a second keep of the same data wrote the snapshot again")
	}
	st.Close()

	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	st.EnableIncidentIndex(ctx, slog.New(slog.NewTextHandler(&logs, nil)), 10*time.Millisecond)
	v, err := st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitIndex(t, st, v)
	if !strings.Contains(logs.String(), "incident index loaded") || strings.Contains(logs.String(), "incident index ready") {
		t.Errorf("the start after a kept import built instead of loading:\n%s", logs.String())
	}
	if got := pageOf(t, st, Query{FromDay: day("2020-06-01"), ToDay: day("2020-06-01"), Limit: 1000}); !bytes.Contains(bytes.Join(got.raw, nil), []byte("kept-after-import")) {
		t.Error("the loaded index does not hold the imported incident")
	}
	st.Close()

	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in.ID = "after-the-snapshot"
	if _, err := st.ImportIncidents(ctx, []data.Incident{in}); err != nil {
		t.Fatal(err)
	}
	id, _ := st.storeID(ctx)
	v, _ = st.DataVersion(ctx)
	if x, err := loadIndexSnapshot(snapshotPath(path), id, v); !errors.Is(err, errSnapshotStale) {
		if x != nil {
			x.close()
		}
		t.Fatalf("after another write the snapshot loads: %v, want stale", err)
	}
	if err := st.KeepIndexSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	x, err := loadIndexSnapshot(snapshotPath(path), id, v)
	if err != nil {
		t.Fatalf("kept again, the snapshot does not load: %v", err)
	}
	x.close()
}

func describeQuery(q Query) string {
	s := fmt.Sprintf("limit=%d offset=%d", q.Limit, q.Offset)
	if q.BBox != nil {
		s += fmt.Sprintf(" bbox=%v,%v,%v,%v", q.BBox.Min.Lon(), q.BBox.Min.Lat(), q.BBox.Max.Lon(), q.BBox.Max.Lat())
	}
	if q.FromDay != nil {
		s += fmt.Sprintf(" from=%d", *q.FromDay)
	}
	if q.ToDay != nil {
		s += fmt.Sprintf(" to=%d", *q.ToDay)
	}
	return s + fmt.Sprintf(" categories=%v verifications=%v", q.Categories, q.Verifications)
}

// ItemsFunc never answers from an index older than the database: right
// after an import, the new incident is there, whether or not the rebuild
// has finished; and the rebuild follows.
func TestItemsFuncFollowsImports(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	st.EnableIncidentIndex(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), 20*time.Millisecond)
	v0, err := st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitIndex(t, st, v0)
	q := Query{FromDay: day("2020-01-01"), Limit: 1000}
	before := pageOf(t, st, q)
	if before.Version != v0 {
		t.Fatalf("page read at version %q, the database is at %q", before.Version, v0)
	}
	in := unstoried(t)
	in.ID, in.DateStart = "index-follows", time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := st.ImportIncidents(ctx, []data.Incident{in}); err != nil {
		t.Fatal(err)
	}
	after := pageOf(t, st, q)
	if after.Matched != before.Matched+1 || after.Version == v0 {
		t.Fatalf("right after the import: %d matched at version %q; want %d at a newer version than %q", after.Matched, after.Version, before.Matched+1, v0)
	}
	waitIndex(t, st, after.Version)
	fromIndex := pageOf(t, st, q)
	if fromIndex.Matched != after.Matched || !bytes.Equal(bytes.Join(fromIndex.raw, nil), bytes.Join(after.raw, nil)) {
		t.Fatal("the rebuilt index answers differently from the database")
	}
}

type copiedPage struct {
	Page
	raw [][]byte
}

func pageOf(t *testing.T, st *Store, q Query) copiedPage {
	t.Helper()
	var out copiedPage
	err := st.ItemsFunc(context.Background(), "incidents", q, func(p Page) error {
		out.Page = p
		for _, f := range p.Features {
			out.raw = append(out.raw, bytes.Clone(f))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func waitIndex(t *testing.T, st *Store, v string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !st.IndexReady(v) {
		if time.Now().After(deadline) {
			t.Fatalf("no index of version %s after 20 s", v)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The WAL index's header is readable, and a commit by another connection
// changes it, so RecentDataVersion reads the database only after commits.
func TestWalHeaderShowsCommits(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	h0, ok := st.wal.header()
	if !ok {
		t.Fatal("the WAL index header cannot be read; every request would read the version from the database")
	}
	v0, err := st.RecentDataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h, ok := st.wal.header(); !ok || h != h0 {
		t.Fatal("reading the version changed the header")
	}
	other, err := Open(ctx, st.Path())
	if err != nil {
		t.Fatal(err)
	}
	in := unstoried(t)
	in.ID = "wal-header"
	if _, err := other.ImportIncidents(ctx, []data.Incident{in}); err != nil {
		t.Fatal(err)
	}
	other.Close()
	if h, ok := st.wal.header(); ok && h == h0 {
		t.Fatal("a commit by another connection left the header as it was")
	}
	v1, err := st.RecentDataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 == v0 {
		t.Fatalf("the version after another connection's import is still %s", v0)
	}
}
