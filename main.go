// Command borderline serves, imports and exports the Borderline incident map:
// incidents along the North Korea–China border during the COVID-19 closure.
//
//	borderline serve  [--addr 127.0.0.1:8080] [--db var/borderline.db]
//	borderline import [--db PATH] FILE.csv|FILE.geojson
//	borderline export [--db PATH] --format csv|geojson [--out FILE]
//	borderline export [--db PATH] --site DIR [--site-url URL]
package main

import (
	"bufio"
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/server"
	"github.com/borderline/borderline/store"
)

//go:embed static
var staticFiles embed.FS

// Leaflet comes from npm (package-lock.json); `make build` runs npm ci first.
//
//go:embed node_modules/leaflet/dist
var leafletFiles embed.FS

// The gzip and Brotli forms of the files above, which `make build` writes
// (cmd/precompress) and a plain `go build` goes without: the folder holds a
// README in git, so it always exists.
//
//go:embed precompressed
var precompressedFiles embed.FS

const defaultDB = "var/borderline.db"

// errUsage marks mistakes in the command line: exit code 2, not 1.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "borderline:", err)
		os.Exit(1)
	}
}

const usage = `borderline: the Borderline incident map

Usage:
  borderline serve  [--addr ADDR] [--db PATH] [--log-level LEVEL] [--frame-ancestors ORIGINS]
  borderline import [--db PATH] FILE
  borderline export [--db PATH] --format csv|geojson [--out FILE]
  borderline export [--db PATH] --site DIR [--site-url URL]

Run "borderline COMMAND --help" for the flags of a command.
Environment: BORDERLINE_ADDR (serve --addr), BORDERLINE_DB (--db), BORDERLINE_LOG_LEVEL,
BORDERLINE_FRAME_ANCESTORS (serve --frame-ancestors).
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "import":
		return importCmd(ctx, args[1:], stdout, stderr)
	case "export":
		return exportCmd(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "borderline: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

func env(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: borderline %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse wraps flag parsing errors so main exits with 2.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("%w: log level %q: use debug, info, warn or error", errUsage, level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// openSeeded opens the database and fills it from the embedded seed when it is
// empty or holds an older seed. The seed is parsed only then.
func openSeeded(ctx context.Context, path string, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := seedIfNeeded(ctx, st, log); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func seedIfNeeded(ctx context.Context, st *store.Store, log *slog.Logger) error {
	hash, err := data.SeedHash()
	if err != nil {
		return err
	}
	if current, err := st.HasSeed(ctx, hash); err != nil || current {
		return err
	}
	seed, err := data.LoadSeed()
	if err != nil {
		return fmt.Errorf("load seed: %w", err)
	}
	_, err = st.Seed(ctx, seed, log)
	return err
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--addr ADDR] [--db PATH] [--log-level LEVEL]", stderr)
	addr := fs.String("addr", env("BORDERLINE_ADDR", "127.0.0.1:8080"), "address to listen on (env BORDERLINE_ADDR)")
	db := fs.String("db", env("BORDERLINE_DB", defaultDB), "SQLite database file, created and seeded if missing (env BORDERLINE_DB)")
	level := fs.String("log-level", env("BORDERLINE_LOG_LEVEL", "info"), "debug, info, warn or error (env BORDERLINE_LOG_LEVEL)")
	ancestors := fs.String("frame-ancestors", env("BORDERLINE_FRAME_ANCESTORS", server.AnyAncestor),
		"sites that may frame the embed (/embed): * for any, or origins such as https://news.example.com, separated by commas (env BORDERLINE_FRAME_ANCESTORS)")
	maxAgeText := fs.String("cache-max-age", env("BORDERLINE_CACHE_MAX_AGE", server.DefaultCachePolicy.MaxAge.String()),
		"how long caches in front (browsers, nginx, a CDN) may reuse a data answer without asking; 0 makes them ask every time (env BORDERLINE_CACHE_MAX_AGE)")
	staleText := fs.String("cache-stale", env("BORDERLINE_CACHE_STALE", server.DefaultCachePolicy.StaleWhileRevalidate.String()),
		"how long after that they may still serve it while they ask (stale-while-revalidate; env BORDERLINE_CACHE_STALE)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "borderline serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	var policy server.CachePolicy
	for _, d := range []struct {
		flag, text string
		to         *time.Duration
	}{{"cache-max-age", *maxAgeText, &policy.MaxAge}, {"cache-stale", *staleText, &policy.StaleWhileRevalidate}} {
		v, err := time.ParseDuration(d.text)
		if err != nil || v < 0 {
			fmt.Fprintf(stderr, "borderline serve: --%s %q: want a length of time such as 90s or 10m\n", d.flag, d.text)
			return errUsage
		}
		*d.to = v
	}
	frameAncestors, err := server.ParseFrameAncestors(*ancestors)
	if err != nil {
		fmt.Fprintln(stderr, "borderline serve: --frame-ancestors:", err)
		return errUsage
	}
	log, err := newLogger(stderr, *level)
	if err != nil {
		fmt.Fprintln(stderr, "borderline serve:", err)
		return err
	}
	srv, st, err := openServer(ctx, *db, log, server.WithFrameAncestors(frameAncestors),
		server.WithCachePolicy(policy))
	if err != nil {
		return err
	}
	defer st.Close()
	if addr := os.Getenv("BORDERLINE_PPROF"); addr != "" {
		startProfiler(addr, log)
	}
	limitMemory(log)
	// The map's queries answered from memory: the index kept beside the
	// database is loaded before the server listens; without one, queries
	// go to the database until the first build (half a minute at a million
	// incidents) is done.
	st.EnableIncidentIndex(ctx, log, time.Second)
	return srv.Run(ctx, *addr, func(a net.Addr) {
		log.Info("serving the map", "url", "http://"+a.String()+"/", "db", st.Path())
	})
}

// openServer opens the (seeded) database and the server over it with the
// embedded front end; the caller closes the store.
func openServer(ctx context.Context, db string, log *slog.Logger, opts ...server.Option) (*server.Server, *store.Store, error) {
	assets, err := embeddedAssets()
	if err != nil {
		return nil, nil, err
	}
	st, err := openSeeded(ctx, db, log)
	if err != nil {
		return nil, nil, err
	}
	forms, err := fs.Sub(precompressedFiles, "precompressed")
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("precompressed assets: %w", err)
	}
	srv, err := server.New(st, assets, log, append(opts, server.WithPrecompressed(forms))...)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return srv, st, nil
}

func embeddedAssets() (server.Assets, error) {
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return server.Assets{}, fmt.Errorf("static assets: %w", err)
	}
	vendor, err := fs.Sub(leafletFiles, "node_modules/leaflet/dist")
	if err != nil {
		return server.Assets{}, fmt.Errorf("leaflet assets: %w", err)
	}
	return server.Assets{Static: static, Vendor: vendor}, nil
}

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "import [--db PATH] FILE\n\nFILE is a CSV of incidents in the columns of data/incidents.csv, or a GeoJSON\nFeatureCollection as export writes it. All or nothing: any error rejects the file.", stderr)
	db := fs.String("db", env("BORDERLINE_DB", defaultDB), "SQLite database file (env BORDERLINE_DB)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	file := fs.Arg(0)
	log, _ := newLogger(stderr, "warn")
	st, err := openSeeded(ctx, *db, log)
	if err != nil {
		return err
	}
	defer st.Close()
	refs, err := st.Refs(ctx)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var incidents []data.Incident
	if isGeoJSON(file, r) {
		incidents, err = data.ReadIncidentsGeoJSON(r, file, refs)
	} else {
		incidents, err = data.ReadIncidentsCSV(r, file, refs)
	}
	if err != nil {
		return fmt.Errorf("import rejected, nothing was changed: %w", err)
	}
	res, err := st.ImportIncidents(ctx, incidents)
	if err != nil {
		return fmt.Errorf("import rejected, nothing was changed: %w", err)
	}
	fmt.Fprintf(stdout, "imported %s into %s: %d added, %d updated, %d unchanged\n", file, st.Path(), res.Added, res.Updated, res.Unchanged)
	// The import is whole; without the snapshot the next server start would
	// answer from SQLite while it builds the index (half a minute at a
	// million incidents). A failure here costs that start time, not data.
	start := time.Now()
	if err := st.KeepIndexSnapshot(ctx); err != nil {
		log.Warn("import: the incident index was not kept for the next start", "err", err)
	} else {
		log.Info("import: incident index kept", "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// exportSite writes the static copy of the site (server.WriteSite).
func exportSite(ctx context.Context, db, dir, siteURL string, stdout, stderr io.Writer) error {
	log, _ := newLogger(stderr, "warn")
	srv, st, err := openServer(ctx, db, log)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := srv.WriteSite(ctx, dir, server.SiteOptions{URL: siteURL})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the static site to %s: %d files, %.1f MB; serve the folder with any static web server\n", dir, rep.Files, float64(rep.Bytes)/1e6)
	return nil
}

// isGeoJSON decides by extension, or for other names by the first byte.
func isGeoJSON(name string, r *bufio.Reader) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".geojson", ".json":
		return true
	case ".csv":
		return false
	}
	for {
		b, err := r.Peek(1)
		if err != nil || len(b) == 0 {
			return false
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			r.ReadByte()
			continue
		}
		return b[0] == '{'
	}
}

func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export [--db PATH] --format csv|geojson [--out FILE]\n       borderline export [--db PATH] --site DIR [--site-url URL]\n\n"+
		"Writes every incident, the CSV with its sources' outlets, headlines, dates and\nlinks, the GeoJSON with the licences and a citation. The CSV can be imported back.\n"+
		"With --site, writes the whole map (map, embed, presentation, citation page,\nscripts, layers and data) as static files for any static host or CDN.", stderr)
	db := fs.String("db", env("BORDERLINE_DB", defaultDB), "SQLite database file (env BORDERLINE_DB)")
	format := fs.String("format", "csv", "csv or geojson")
	out := fs.String("out", "", "file to write (default: standard output)")
	site := fs.String("site", "", "folder to write the static site into (new, empty, or an earlier static copy, which is replaced)")
	siteURL := fs.String("site-url", "", "with --site: the address it will be published at, which citations name (optional)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "borderline export: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if *site != "" {
		if given["format"] || given["out"] {
			fmt.Fprintln(stderr, "borderline export: --site writes a whole folder; --format and --out are for one file")
			return errUsage
		}
		return exportSite(ctx, *db, *site, *siteURL, stdout, stderr)
	}
	if given["site-url"] {
		fmt.Fprintln(stderr, "borderline export: --site-url goes with --site")
		return errUsage
	}
	if *format != "csv" && *format != "geojson" {
		fmt.Fprintf(stderr, "borderline export: --format %q: use csv or geojson\n", *format)
		return errUsage
	}
	log, _ := newLogger(stderr, "warn")
	st, err := openSeeded(ctx, *db, log)
	if err != nil {
		return err
	}
	defer st.Close()
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	if *format == "csv" {
		incidents, err := st.Incidents(ctx)
		if err != nil {
			return err
		}
		sources, err := st.Sources(ctx)
		if err != nil {
			return err
		}
		if err := data.WriteIncidentsCSV(bw, incidents, sources); err != nil {
			return err
		}
	} else if err := st.WriteIncidentsGeoJSON(ctx, bw, data.NewTerms("", time.Now())); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
