package synth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

func loadSeed(t *testing.T) *data.Seed {
	t.Helper()
	seed, err := data.LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	return seed
}

func TestVillagesAreInNorthKoreaNearTheBorder(t *testing.T) {
	seed := loadSeed(t)
	vs, err := makeVillages(seed, 200, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 200 {
		t.Fatalf("%d villages", len(vs))
	}
	nk := seed.Countries["North Korea"]
	withProvince := 0
	for i, v := range vs {
		p := v.place
		pt := orb.Point{*p.Lon, *p.Lat}
		if !planar.MultiPolygonContains(nk, pt) {
			t.Errorf("%s at %v is not in North Korea", p.ID, pt)
		}
		if pt[0] < 124 || pt[0] > 131 || pt[1] < 39.5 || pt[1] > 43.2 {
			t.Errorf("%s at %v is outside the border region", p.ID, pt)
		}
		if i > 0 && v.along < vs[i-1].along {
			t.Errorf("villages not numbered along the border at %s", p.ID)
		}
		if p.Admin1 != "" {
			withProvince++
		}
	}
	if withProvince < 190 {
		t.Errorf("only %d of 200 villages lie in a province of the provinces layer", withProvince)
	}
}

// The incidents are what an import accepts: written as CSV and read back
// with the seed's and the villages' ids, every one passes the checks.
func TestIncidentsAreValidAndVaried(t *testing.T) {
	seed := loadSeed(t)
	vs, err := makeVillages(seed, 100, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	gen := newGenerator(seed, vs, 1)
	const n = 3000
	var ins []data.Incident
	seen := map[string]map[string]bool{"category": {}, "verification": {}, "precision": {}}
	var ranges, inferred, multi, noPoint, korean, twoSources int
	for i := range n {
		in := gen.incident(i)
		ins = append(ins, in)
		seen["category"][in.Category] = true
		seen["verification"][in.Verification] = true
		seen["precision"][in.DatePrecision] = true
		if !in.DateEnd.IsZero() {
			ranges++
		}
		if in.DateInferred {
			inferred++
		}
		if len(in.PlaceIDs) > 1 {
			multi++
		}
		if in.TitleKO != "" {
			korean++
		}
		if len(in.SourceIDs) > 1 {
			twoSources++
		}
		if slices.Contains([]string{"north-korea", "china", "kp-cn-border"}, in.PlaceIDs[0]) {
			noPoint++
		}
		if k := utf8.RuneCountInString(in.Title); k < 40 || k > 90 {
			t.Errorf("%s: title of %d characters: %q", in.ID, k, in.Title)
		}
		if k := len(in.Summary); k < 250 || k > 700 {
			t.Errorf("%s: summary of %d characters", in.ID, k)
		}
		from, to := in.InForce()
		if from.Before(firstDay) || to.After(lastDay) || to.Before(from) {
			t.Errorf("%s: in force %v–%v", in.ID, from, to)
		}
	}
	for what, codes := range map[string][]data.Code{"category": data.Categories, "verification": data.Verifications, "precision": data.DatePrecisions} {
		for _, c := range codes {
			if !seen[what][c.Value] {
				t.Errorf("no incident has %s %s", what, c.Value)
			}
		}
	}
	for name, k := range map[string]int{"ranges": ranges, "inferred": inferred, "two places": multi, "no point": noPoint,
		"Korean": korean, "two sources": twoSources} {
		if k < n/100 {
			t.Errorf("only %d of %d incidents with %s", k, n, name)
		}
	}

	refs := data.RefSet{Places: map[string]bool{}, Sources: map[string]bool{}}
	for _, p := range seed.Places {
		refs.Places[p.ID] = true
	}
	for _, v := range vs {
		refs.Places[v.place.ID] = true
	}
	for _, s := range seed.Sources {
		refs.Sources[s.ID] = true
	}
	var buf bytes.Buffer
	if err := data.WriteIncidentsCSV(&buf, ins, seed.Sources); err != nil {
		t.Fatal(err)
	}
	back, err := data.ReadIncidentsCSV(&buf, "synthetic.csv", refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != n {
		t.Fatalf("read back %d of %d", len(back), n)
	}
	for i := range back {
		if !slices.Equal(back[i].Record(), ins[i].Record()) {
			t.Fatalf("incident %d changed in the round trip:\n%q\n%q", i, ins[i].Record(), back[i].Record())
		}
	}
}

func TestIncidentsAreDeterministic(t *testing.T) {
	seed := loadSeed(t)
	generate := func() []data.Incident {
		vs, err := makeVillages(seed, 50, rand.New(rand.NewPCG(1, 0xb0de)))
		if err != nil {
			t.Fatal(err)
		}
		g := newGenerator(seed, vs, 1)
		var out []data.Incident
		for i := range 200 {
			out = append(out, g.incident(i))
		}
		return out
	}
	a, b := generate(), generate()
	for i := range a {
		if !slices.Equal(a[i].Record(), b[i].Record()) {
			t.Fatalf("incident %d differs between two runs", i)
		}
	}
}

// A small database through Build: the store accepts it, a server opening it
// finds it seeded, and Reusable knows it again (and not for another size).
func TestBuildAndReuse(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a database")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.db")
	o := Options{Incidents: 500, Villages: 60, Batch: 200}
	m, err := Build(ctx, path, o)
	if err != nil {
		t.Fatal(err)
	}
	if m.Incidents != 500 {
		t.Errorf("manifest: %+v", m)
	}
	// Written with its journal in memory, the file is left in WAL as the
	// store leaves it: the header's read and write versions are 2.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	header := make([]byte, 20)
	_, err = io.ReadFull(f, header)
	f.Close()
	if err != nil || header[18] != 2 || header[19] != 2 {
		t.Errorf("file format versions %v (%v), want 2, 2 (WAL)", header[18:20], err)
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a WAL file is left beside the database (%v)", err)
	}
	if _, err := os.Stat(path + "-index"); err != nil {
		t.Errorf("no incident index snapshot beside the database: %v", err)
	}
	if ok, why, err := Reusable(ctx, path, o); err != nil || !ok {
		t.Errorf("Reusable = %v, %q, %v", ok, why, err)
	}
	if ok, _, err := Reusable(ctx, path, Options{Incidents: 501, Villages: 60}); err != nil || ok {
		t.Errorf("Reusable for another size = %v, %v", ok, err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	incidents, err := st.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := 500 + len(loadSeed(t).Incidents); len(incidents) != want {
		t.Errorf("%d incidents, want %d", len(incidents), want)
	}
}

// The journal the build writes with changes nothing in what it writes.
func TestBuildWithWALWritesTheSame(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two databases")
	}
	ctx := context.Background()
	dump := func(wal bool) []string {
		path := filepath.Join(t.TempDir(), "bench.db")
		if _, err := Build(ctx, path, Options{Incidents: 300, Villages: 40, Batch: 120, WAL: wal}); err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var out []string
		for _, q := range []store.Query{{Limit: 10000}, {Text: "patrols", Limit: 10000}, {Text: "village", Limit: 10000}} {
			p, err := st.Items(ctx, "incidents", q)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(p.Matched))
			for _, f := range p.Features {
				out = append(out, string(f))
			}
		}
		return out
	}
	memory, wal := dump(false), dump(true)
	if len(memory) < 300 || !slices.Equal(memory, wal) {
		t.Errorf("built with the journal in memory: %d lines; in WAL: %d lines, or other lines", len(memory), len(wal))
	}
}
