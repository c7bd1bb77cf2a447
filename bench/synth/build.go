// Package synth writes databases of synthetic incidents for load tests,
// through the project's own write paths: store.Open, store.Seed with the
// embedded dataset plus synthetic villages along the border, then
// store.ImportIncidents in batches. bench/benchdb is its command line;
// bench/load builds or reuses its databases with it.
//
// What it writes (see bench/README.md): villages 0.4–25 km inside North
// Korea along the real land border; incidents over 2020–2021, denser after
// the closure, the shoot-on-sight order and in the Hyesan lockdown, quieter
// in winter; every category, verification and date precision, ranges with
// an end date, inferred dates; one or two places (MultiPoints), provinces,
// places without a point; one or two of the seed's sources; titles of 40–90
// and summaries of 250–700 characters of made-up neutral phrases, a quarter
// with Korean text too. The same options always write the same incidents.
package synth

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// Version changes whenever the generator would write something different
// for the same options; bench/load rebuilds databases of another version.
const Version = 1

// Options say what to build.
type Options struct {
	Incidents int
	Villages  int    // default 1800
	RNG       uint64 // default 1
	Batch     int    // incidents per ImportIncidents call; default 100,000
	// CacheMB sets the SQLite page cache of the writing connection in MiB
	// (the store's default is 2); 0 means 1024, -1 leaves the store's.
	CacheMB int
	// WAL keeps the store's journal (WAL) while writing, instead of a
	// rollback journal in memory (see installHook).
	WAL bool
	Log *log.Logger // progress; nil for none
}

func (o *Options) defaults() {
	if o.Villages == 0 {
		o.Villages = 1800
	}
	if o.RNG == 0 {
		o.RNG = 1
	}
	if o.Batch == 0 {
		o.Batch = 100_000
	}
	if o.CacheMB == 0 {
		o.CacheMB = 1024
	}
}

// Manifest is written to PATH.json beside a finished database.
type Manifest struct {
	Generator int     `json:"generator"`
	Incidents int     `json:"incidents"`
	Villages  int     `json:"villages"`
	RNG       uint64  `json:"rng"`
	Batch     int     `json:"batch"`
	SeedHash  string  `json:"seed_hash"`
	Seconds   float64 `json:"seconds"` // writing the database
	// IndexSeconds: keeping the incident index beside it afterwards, for
	// the next server start (not part of the database).
	IndexSeconds float64 `json:"index_seconds"`
	Written      string  `json:"written"`
}

// ManifestPath is where the manifest of the database at path is.
func ManifestPath(path string) string { return path + ".json" }

// Reusable reports whether path holds a finished database that Build would
// write again the same with these options, for the seed and the store code
// of this binary. why says what differs when it is not.
func Reusable(ctx context.Context, path string, o Options) (ok bool, why string, err error) {
	o.defaults()
	b, err := os.ReadFile(ManifestPath(path))
	if errors.Is(err, fs.ErrNotExist) {
		return false, "no database (or no manifest) at " + path, nil
	}
	if err != nil {
		return false, "", err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return false, "unreadable manifest: " + err.Error(), nil
	}
	hash, err := data.SeedHash()
	if err != nil {
		return false, "", err
	}
	switch {
	case m.Generator != Version:
		return false, fmt.Sprintf("written by generator version %d, this is %d", m.Generator, Version), nil
	case m.Incidents != o.Incidents || m.Villages != o.Villages || m.RNG != o.RNG:
		return false, fmt.Sprintf("has %d incidents, %d villages, rng %d", m.Incidents, m.Villages, m.RNG), nil
	case m.SeedHash != hash:
		return false, "written with another embedded seed", nil
	}
	if _, err := os.Stat(path); err != nil {
		return false, "no database at " + path, nil
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return false, "", err
	}
	defer st.Close()
	// The features are rendered as this binary renders them; otherwise the
	// server would re-derive every incident when it opens the file.
	if have, err := st.HasSeed(ctx, hash); err != nil || !have {
		return false, "seeded by a store that renders features differently", err
	}
	return true, "", nil
}

// hook holds the options of the Build under way; the connection hook reads
// it, so only the connections Build opens are tuned.
var (
	hook     atomic.Pointer[Options]
	hookOnce sync.Once
)

// installHook tunes the writer's connection while Build runs; read-only
// connections are left alone.
//
// It gets a larger page cache (CacheMB): the store's 2 MB cache re-reads
// index pages from the file for every insert once the database outgrows it.
//
// Unless WAL is set, it keeps its rollback journal in memory, without syncs,
// instead of the store's WAL. Each ImportIncidents call is still one
// transaction that a failure rolls back whole; what is lost is only safety
// against a crash of the machine in the middle of a commit, and the file
// being built is PATH.part, deleted when anything fails, so a crash costs a
// new build either way. In WAL every page is written twice, to the WAL and
// then to the file by the checkpoint after each commit: at 1,000,000
// incidents the commits took 30 s of the writer's time in WAL, 16 s so.
// Build syncs the file and puts it in WAL, as the store leaves it, before
// renaming it to PATH.
func installHook() {
	hookOnce.Do(func() {
		sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, dsn string) error {
			o := hook.Load()
			if o == nil || strings.Contains(dsn, "mode=ro") {
				return nil
			}
			var pragmas []string
			if !o.WAL {
				pragmas = append(pragmas, "PRAGMA journal_mode = MEMORY", "PRAGMA synchronous = OFF")
			}
			if o.CacheMB > 0 {
				pragmas = append(pragmas, fmt.Sprintf("PRAGMA cache_size = -%d", o.CacheMB*1024))
			}
			for _, p := range pragmas {
				if _, err := conn.ExecContext(context.Background(), p, nil); err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
			}
			return nil
		})
	})
}

// finish leaves the file at path as the store would: in WAL (the journal
// mode is recorded in the file), and on disk.
func finish(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: abs}).EscapedPath())
	if err != nil {
		return err
	}
	var mode string
	err = db.QueryRow("PRAGMA journal_mode = WAL").Scan(&mode)
	if err == nil && mode != "wal" {
		err = fmt.Errorf("journal mode %q, want wal", mode)
	}
	if err := errors.Join(err, db.Close()); err != nil {
		return fmt.Errorf("set WAL: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// Build writes the database at path (replacing it). It is built at
// PATH.part and renamed when whole, so a half-written database never stands
// at path; the manifest is written last.
func Build(ctx context.Context, path string, o Options) (Manifest, error) {
	o.defaults()
	logf := func(format string, args ...any) {
		if o.Log != nil {
			o.Log.Printf(format, args...)
		}
	}
	installHook()
	hook.Store(&o)
	defer hook.Store(nil)
	start := time.Now()
	part := path + ".part"
	if err := removeDB(part); err != nil {
		return Manifest{}, err
	}
	ok := false
	defer func() {
		if !ok {
			removeDB(part)
		}
	}()
	seed, err := data.LoadSeed()
	if err != nil {
		return Manifest{}, err
	}
	rng := rand.New(rand.NewPCG(o.RNG, 0xb0de))
	villages, err := makeVillages(seed, o.Villages, rng)
	if err != nil {
		return Manifest{}, err
	}
	// The embedded seed plus the villages, under the embedded seed's hash: a
	// server opening the file finds it seeded and leaves it as it is.
	for _, v := range villages {
		seed.Places = append(seed.Places, v.place)
	}
	st, err := store.Open(ctx, part)
	if err != nil {
		return Manifest{}, err
	}
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	if _, err := st.Seed(ctx, seed, nil); err != nil {
		return Manifest{}, fmt.Errorf("seed: %w", err)
	}
	logf("seeded with %d places (%d synthetic villages) in %.1f s", len(seed.Places), len(villages), time.Since(start).Seconds())

	// One goroutine makes the incidents while this one writes the batch
	// before: SQLite's single writer is the bottleneck; the other core makes.
	gen := newGenerator(seed, villages, o.RNG)
	batches := make(chan []data.Incident, 2)
	genCtx, stopGen := context.WithCancel(ctx)
	defer stopGen()
	go func() {
		defer close(batches)
		for i := 0; i < o.Incidents; i += o.Batch {
			b := make([]data.Incident, 0, min(o.Batch, o.Incidents-i))
			for j := i; j < min(i+o.Batch, o.Incidents); j++ {
				b = append(b, gen.incident(j))
			}
			select {
			case batches <- b:
			case <-genCtx.Done():
				return
			}
		}
	}()
	done := 0
	for b := range batches {
		if _, err := st.ImportIncidents(ctx, b); err != nil {
			return Manifest{}, fmt.Errorf("import incidents %d–%d: %w", done+1, done+len(b), err)
		}
		done += len(b)
		logf("%d/%d incidents, %.1f s", done, o.Incidents, time.Since(start).Seconds())
	}
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	if done != o.Incidents {
		return Manifest{}, fmt.Errorf("wrote %d of %d incidents", done, o.Incidents)
	}
	if err := st.Close(); err != nil {
		return Manifest{}, err
	}
	st = nil
	if err := finish(part); err != nil {
		return Manifest{}, err
	}
	if err := removeDB(path); err != nil {
		return Manifest{}, err
	}
	for _, suffix := range []string{"-wal", "-shm", ""} {
		if err := os.Rename(part+suffix, path+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Manifest{}, err
		}
	}
	// As after `borderline import`: a server's first start on the file loads
	// the incident index instead of building it from SQLite. The writing is
	// done: the store opens the file as it always does (in WAL), untuned.
	hook.Store(nil)
	seconds := time.Since(start).Seconds()
	indexStart := time.Now()
	if err := keepIndex(ctx, path); err != nil {
		return Manifest{}, err
	}
	logf("kept the incident index beside it in %.1f s", time.Since(indexStart).Seconds())
	m := Manifest{Generator: Version, Incidents: o.Incidents, Villages: o.Villages, RNG: o.RNG, Batch: o.Batch, SeedHash: seed.Hash,
		Seconds: seconds, IndexSeconds: time.Since(indexStart).Seconds(), Written: time.Now().UTC().Format(time.RFC3339)}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, err
	}
	if err := os.WriteFile(ManifestPath(path), append(b, '\n'), 0o644); err != nil {
		return Manifest{}, err
	}
	ok = true
	return m, nil
}

// keepIndex writes the incident index snapshot of the database at path.
func keepIndex(ctx context.Context, path string) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	return errors.Join(st.KeepIndexSnapshot(ctx), st.Close())
}

func removeDB(path string) error {
	for _, f := range []string{path, path + "-wal", path + "-shm", path + "-index", ManifestPath(path)} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
