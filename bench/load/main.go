// Command load measures Borderline against Debian's nginx serving the same
// bytes as static files, on this machine, in one run: wrk beside both
// servers, alternating, so that the ratios mean something on a machine whose
// speed varies by a third from run to run. See bench/README.md.
//
//	go run ./bench/load                                  # every workload
//	go run ./bench/load -workloads first,varied -seconds 10
//	go run ./bench/load -url http://127.0.0.1:8080 -pid 1234 -workloads repeat
//
// It builds (or reuses) the synthetic databases under var/bench/, starts
// bin/borderline and nginx on free loopback ports, and stops both on exit
// and on Ctrl-C. It prints one markdown table, and keeps every raw output
// under var/bench/results/<time>/.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"mime"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/borderline/borderline/bench/synth"
)

type config struct {
	bin          string
	workloads    map[string]bool
	seconds      int
	threads      int
	conns        int
	wrkTimeout   time.Duration
	rounds       int
	smallN       int
	smallDB      string
	bigN         int
	bigDB        string
	seedDB       string
	firstDB      string
	url          string
	pid          int
	nginx        string
	nginxWorkers int
	results      string
	script       string
	urlCount     int
	sampleN      int
	singleN      int
	ovConns      int
	ovPath       string
	ovTimeout    time.Duration
	maxRSSMB     int
	keep         bool
}

var allWorkloads = []string{"first", "varied", "repeat", "big", "overload"}

func main() {
	var c config
	var workloads string
	flag.StringVar(&c.bin, "bin", "bin/borderline", "the server binary (make load builds it)")
	flag.StringVar(&workloads, "workloads", "all", "comma-separated: "+strings.Join(allWorkloads, ", ")+"; or all")
	flag.IntVar(&c.seconds, "seconds", 15, "length of each wrk run and of the overload burst")
	flag.IntVar(&c.threads, "threads", 2, "wrk threads (-t)")
	flag.IntVar(&c.conns, "conns", 32, "wrk connections (-c)")
	flag.DurationVar(&c.wrkTimeout, "wrk-timeout", 10*time.Second, "wrk --timeout: slower responses count as timeouts and leave the latency figures")
	flag.IntVar(&c.rounds, "rounds", 1, "runs of each wrk workload per server, alternating which goes first; the table shows the median")
	flag.IntVar(&c.smallN, "small-n", 100_000, "incidents in the database of workloads varied, repeat and overload")
	flag.StringVar(&c.smallDB, "small-db", "", "that database (default var/bench/<small-n>.db; built or reused)")
	flag.IntVar(&c.bigN, "big-n", 1_000_000, "incidents in the database of workload big")
	flag.StringVar(&c.bigDB, "big-db", "", "that database (default var/bench/<big-n>.db; built or reused)")
	flag.StringVar(&c.seedDB, "seed-db", "var/bench/seed.db", "database of the first view: the embedded dataset only (the binary creates it)")
	flag.StringVar(&c.firstDB, "first-db", "seed", "which database the first view is measured on: seed or small")
	flag.StringVar(&c.url, "url", "", "measure an already running server at this base URL instead of starting bin/borderline (workload big is skipped)")
	flag.IntVar(&c.pid, "pid", 0, "with -url: the server's process id, to sample its RssAnon")
	flag.StringVar(&c.nginx, "nginx", "/usr/sbin/nginx", "Debian's nginx")
	flag.IntVar(&c.nginxWorkers, "nginx-workers", 2, "nginx worker_processes (0: auto)")
	flag.StringVar(&c.results, "results", "var/bench/results", "folder for each run's raw outputs")
	flag.StringVar(&c.script, "script", "bench/wrk/list.lua", "the wrk script")
	flag.IntVar(&c.urlCount, "urls", 100_000, "distinct queries written for each varied run")
	flag.IntVar(&c.sampleN, "sample", 200, "varied queries fetched beforehand for their mean response size")
	flag.IntVar(&c.singleN, "single", 300, "sequential requests of the one-client measurement (workload big)")
	flag.IntVar(&c.ovConns, "overload-conns", 256, "connections of the overload burst")
	flag.StringVar(&c.ovPath, "overload-path", "/collections/incidents/items?limit=10000", "what the overload burst asks for")
	flag.DurationVar(&c.ovTimeout, "overload-timeout", 30*time.Second, "client timeout of each overload request")
	flag.IntVar(&c.maxRSSMB, "max-rss-mb", 12288, "stop the overload burst when Borderline's RssAnon passes this (MiB; the machine is shared)")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary folder (nginx docroot and config, URL lists)")
	flag.Parse()
	c.workloads = map[string]bool{}
	for _, w := range strings.Split(workloads, ",") {
		w = strings.TrimSpace(w)
		switch {
		case w == "all":
			for _, a := range allWorkloads {
				c.workloads[a] = true
			}
		case w == "":
		case contains(allWorkloads, w):
			c.workloads[w] = true
		default:
			fmt.Fprintf(os.Stderr, "load: unknown workload %q (%s, all)\n", w, strings.Join(allWorkloads, ", "))
			os.Exit(2)
		}
	}
	if c.smallDB == "" {
		c.smallDB = fmt.Sprintf("var/bench/%d.db", c.smallN)
	}
	if c.bigDB == "" {
		c.bigDB = fmt.Sprintf("var/bench/%d.db", c.bigN)
	}
	if c.firstDB != "seed" && c.firstDB != "small" {
		fmt.Fprintln(os.Stderr, "load: -first-db is seed or small")
		os.Exit(2)
	}
	if c.rounds < 1 || c.seconds < 1 || c.threads < 1 || c.conns < c.threads {
		fmt.Fprintln(os.Stderr, "load: -rounds, -seconds, -threads must be at least 1 and -conns at least -threads")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, c)
	interrupted := ctx.Err() != nil
	stop()
	stopAll()
	if interrupted {
		fmt.Fprintln(os.Stderr, "load: interrupted; servers stopped")
		os.Exit(130)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

type runner struct {
	c       config
	tmp     string
	out     string // results folder of this run
	docroot string
	report  report
	nginx   string // base URL, once started
	logw    io.Writer
	cpu0    cpuSample // at the start
}

type report struct {
	Date      string `json:"date"`
	Command   string `json:"command"`
	Commit    string `json:"commit"`
	Binary    string `json:"binary"`
	LoadStart string `json:"loadavg_start"`
	LoadEnd   string `json:"loadavg_end"`
	Machine   string `json:"machine"`
	// OthersShare is the share of the machine other people's processes
	// used during the whole run (see othersShare).
	OthersShare float64          `json:"others_share"`
	Rows        []row            `json:"rows"`
	Sizes       []string         `json:"sizes"`
	Big         []*bigResult     `json:"big,omitempty"`
	Overload    []overloadResult `json:"overload,omitempty"`
	Notes       []string         `json:"notes"`
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.logw, "load: "+format+"\n", args...)
}

func run(ctx context.Context, c config) error {
	for _, tool := range []string{"wrk", c.nginx} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is needed: apt-get install -y nginx-light wrk (%w)", tool, err)
		}
	}
	if c.url == "" {
		if _, err := os.Stat(c.bin); err != nil {
			return fmt.Errorf("server binary: %w (run make build)", err)
		}
	}
	r := &runner{c: c, logw: os.Stderr}
	now := time.Now()
	r.out = filepath.Join(c.results, now.Format("20060102-150405"))
	if err := os.MkdirAll(r.out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "borderline-load-")
	if err != nil {
		return err
	}
	r.tmp = tmp
	if !c.keep {
		defer os.RemoveAll(tmp)
	}
	// nginx's workers run as nobody and must read the docroot.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	r.docroot = filepath.Join(tmp, "docroot")
	if err := os.MkdirAll(r.docroot, 0o755); err != nil {
		return err
	}
	r.report = report{Date: now.Format("2006-01-02 15:04:05 MST"), Command: commandLine(), Commit: gitCommit(),
		Binary: binaryInfo(c.bin), LoadStart: loadavg(), Machine: machine()}
	r.logf("results in %s; load average %s", r.out, r.report.LoadStart)
	r.cpu0, _ = takeCPU()

	ng, base, err := startNginx(ctx, c.nginx, tmp, r.docroot, c.nginxWorkers)
	if err != nil {
		return err
	}
	defer ng.terminate(5 * time.Second)
	r.nginx = base

	var steps []func(context.Context) error
	if c.workloads["first"] {
		steps = append(steps, r.firstView)
	}
	if c.workloads["varied"] || c.workloads["repeat"] || c.workloads["overload"] {
		steps = append(steps, r.small)
	}
	if c.workloads["big"] {
		if c.url != "" {
			r.report.Notes = append(r.report.Notes, "workload big skipped: it starts its own server, and -url was given")
		} else {
			steps = append(steps, r.big)
		}
	}
	for _, s := range steps {
		if err := s(ctx); err != nil {
			r.finish() // what was measured so far
			return err
		}
	}
	r.finish()
	return nil
}

// finish prints the table and saves the report.
func (r *runner) finish() {
	r.report.LoadEnd = loadavg()
	if c1, err := takeCPU(); err == nil {
		r.report.OthersShare = othersShare(r.cpu0, c1)
	}
	var b strings.Builder
	writeReport(&b, &r.report)
	fmt.Print(b.String())
	os.WriteFile(filepath.Join(r.out, "table.md"), []byte(b.String()), 0o644)
	j, _ := json.MarshalIndent(r.report, "", "  ")
	os.WriteFile(filepath.Join(r.out, "results.json"), j, 0o644)
	r.logf("wrote %s", filepath.Join(r.out, "table.md"))
}

func writeReport(w io.Writer, rep *report) {
	fmt.Fprintf(w, "\n## Borderline against nginx, %s\n\n", rep.Date)
	fmt.Fprintf(w, "`%s`  \ncommit %s; %s  \n%s; load average before %s, after %s; other processes used %.0f%% of the machine during the run\n\n",
		rep.Command, rep.Commit, rep.Binary, rep.Machine, rep.LoadStart, rep.LoadEnd, 100*rep.OthersShare)
	if len(rep.Rows) > 0 {
		writeTable(w, rep.Rows)
		fmt.Fprintln(w)
	}
	for _, s := range rep.Sizes {
		fmt.Fprintln(w, "- "+s)
	}
	if len(rep.Sizes) > 0 {
		fmt.Fprintln(w)
	}
	if len(rep.Big) > 0 {
		writeBig(w, rep.Big)
		fmt.Fprintln(w)
	}
	if len(rep.Overload) > 0 {
		writeOverload(w, rep.Overload)
		fmt.Fprintln(w)
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(w, "- "+n)
	}
}

// server is the Borderline under test for some workloads.
type server struct {
	base string
	rss  *rssSampler
	stop func()
}

// serve starts bin/borderline on db, or uses the server given with -url.
func (r *runner) serve(ctx context.Context, db, label string) (*server, error) {
	if r.c.url != "" {
		s := &server{base: strings.TrimRight(r.c.url, "/"), stop: func() {}}
		if r.c.pid > 0 {
			s.rss = newRSSSampler(r.c.pid, 200*time.Millisecond)
			s.stop = s.rss.stop
		}
		return s, waitHealthy(ctx, nil, s.base, 10*time.Second)
	}
	b, _, err := startBorderline(ctx, r.c.bin, db, filepath.Join(r.out, "borderline-"+label+".log"))
	if err != nil {
		return nil, err
	}
	s := &server{base: b.base, rss: b.rss, stop: func() { b.rss.stop(); b.terminate(10 * time.Second) }}
	if err := waitHealthy(ctx, b.child, b.base, 5*time.Minute); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// ensureDB builds the synthetic database at path unless a matching one is there.
func (r *runner) ensureDB(ctx context.Context, path string, n int) error {
	ok, why, err := synth.Reusable(ctx, path, synth.Options{Incidents: n})
	if err != nil {
		return err
	}
	if ok {
		r.logf("reusing %s (%d incidents)", path, n)
		return nil
	}
	r.logf("building %s with %d incidents: %s", path, n, why)
	m, err := synth.Build(ctx, path, synth.Options{Incidents: n, Log: log.New(r.logw, "benchdb: ", log.LstdFlags)})
	if err != nil {
		return err
	}
	r.report.Notes = append(r.report.Notes, fmt.Sprintf("built %s (%s incidents) in %.0f s before measuring", path, fmtInt(int64(n)), m.Seconds))
	return nil
}

// pair runs wrk against Borderline and nginx, alternating which goes first
// from round to round, and adds the row. Borderline's list is replayed in
// mode (cycle or unique); nginx's files always cycle.
func (r *runner) pair(ctx context.Context, s *server, name, detail string, bl, ngList func(round int) string, mode string, gzip bool) error {
	rw := row{Workload: name, Detail: detail}
	for round := range r.c.rounds {
		order := []string{"borderline", "nginx"}
		if round%2 == 1 {
			order = []string{"nginx", "borderline"}
		}
		for _, who := range order {
			if err := ctx.Err(); err != nil {
				return err
			}
			w := wrkRun{mode: "cycle", gzip: gzip, threads: r.c.threads, conns: r.c.conns, duration: time.Duration(r.c.seconds) * time.Second,
				timeout: r.c.wrkTimeout, script: r.c.script,
				out: filepath.Join(r.out, fmt.Sprintf("wrk-%s-%s-%d.txt", slug(name+" "+detail), who, round+1))}
			if who == "borderline" {
				w.base, w.list, w.mode = s.base, bl(round), mode
				s.rss.mark()
			} else {
				w.base, w.list = r.nginx, ngList(round)
			}
			r.logf("%s (%s): %s, round %d", name, detail, who, round+1)
			c0, _ := takeCPU()
			res, err := runWrk(ctx, w)
			if err != nil {
				return err
			}
			c1, _ := takeCPU()
			res.OthersShare = othersShare(c0, c1)
			rw.OthersShare = max(rw.OthersShare, res.OthersShare)
			if who == "borderline" {
				rw.BorderlineRuns = append(rw.BorderlineRuns, res)
				rw.RSSMaxKB = max(rw.RSSMaxKB, s.rss.mark())
			} else {
				rw.NginxRuns = append(rw.NginxRuns, res)
			}
		}
	}
	rw.Borderline, rw.Nginx = median(rw.BorderlineRuns), median(rw.NginxRuns)
	if r.c.rounds == 1 {
		rw.BorderlineRuns, rw.NginxRuns = nil, nil
	}
	r.report.Rows = append(r.report.Rows, rw)
	return nil
}

func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func writeLines(path string, lines []string) error {
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// firstRequest is one line of bench/firstview.mjs.
type firstRequest struct {
	URL    string `json:"url"`
	Type   string `json:"type"`
	Method string `json:"method"`
	Status int    `json:"status"`
	Accept string `json:"accept"`
}

// firstView: every request the map's page makes on its first load, as
// headless Chromium made them, with gzip, against nginx serving each
// response's bytes as a file (the gzipped ones beside it).
func (r *runner) firstView(ctx context.Context) error {
	db := r.c.seedDB
	if r.c.firstDB == "small" {
		if err := r.ensureDB(ctx, r.c.smallDB, r.c.smallN); err != nil {
			return err
		}
		db = r.c.smallDB
	} else if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		return err
	}
	s, err := r.serve(ctx, db, "first")
	if err != nil {
		return err
	}
	defer s.stop()
	r.logf("first view: loading / in headless Chromium")
	cmd := exec.CommandContext(ctx, "node", "bench/firstview.mjs", s.base+"/")
	cmd.Stderr = r.logw
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("bench/firstview.mjs: %w", err)
	}
	os.WriteFile(filepath.Join(r.out, "firstview.jsonl"), out, 0o644)
	var reqs []firstRequest
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var fr firstRequest
		if err := json.Unmarshal([]byte(line), &fr); err != nil {
			return fmt.Errorf("firstview output %q: %w", line, err)
		}
		if fr.Method != "GET" {
			continue
		}
		reqs = append(reqs, fr)
	}
	if len(reqs) == 0 {
		return errors.New("the first view made no requests")
	}
	dir := filepath.Join(r.docroot, "fv")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var blLines, ngLines []string
	var plainBytes, gzBytes int
	for i, fr := range reqs {
		plain, err := fetch(ctx, s.base, fr.URL, fr.Accept, false)
		if err != nil {
			return err
		}
		if plain.Status != 200 {
			return fmt.Errorf("first view: %s answered %d", fr.URL, plain.Status)
		}
		gz, err := fetch(ctx, s.base, fr.URL, fr.Accept, true)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%02d%s", i, extFor(fr.URL, plain.Type))
		if err := os.WriteFile(filepath.Join(dir, name), plain.Body, 0o644); err != nil {
			return err
		}
		plainBytes += len(plain.Body)
		if gz.Encoding == "gzip" {
			if err := os.WriteFile(filepath.Join(dir, name+".gz"), gz.Body, 0o644); err != nil {
				return err
			}
		}
		gzBytes += len(gz.Body)
		accept := strings.ReplaceAll(fr.Accept, "\t", " ")
		blLines = append(blLines, fr.URL+"\t"+accept)
		ngLines = append(ngLines, "/fv/"+name+"\t"+accept)
	}
	bl, ng := filepath.Join(r.tmp, "first-borderline.txt"), filepath.Join(r.tmp, "first-nginx.txt")
	if err := writeLines(bl, blLines); err != nil {
		return err
	}
	if err := writeLines(ng, ngLines); err != nil {
		return err
	}
	copyFile(bl, filepath.Join(r.out, "first-borderline.txt"))
	r.report.Sizes = append(r.report.Sizes, fmt.Sprintf("first view: %d requests, %s as sent with gzip (%s uncompressed), on the %s database",
		len(reqs), fmtBytes(float64(gzBytes)), fmtBytes(float64(plainBytes)), r.c.firstDB))
	detail := fmt.Sprintf("%d requests, gzip, %s db", len(reqs), r.c.firstDB)
	return r.pair(ctx, s, "first view", detail, func(int) string { return bl }, func(int) string { return ng }, "cycle", true)
}

// extFor names the file nginx serves a response from, so that its
// Content-Type (from the extension) is the one Borderline sent.
func extFor(path, contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/html":
		return ".html"
	case "text/css":
		return ".css"
	case "text/javascript", "application/javascript":
		return ".js"
	case "application/json":
		return ".json"
	case "application/geo+json":
		return ".geojson"
	case "image/png":
		return ".png"
	case "image/svg+xml":
		return ".svg"
	}
	if ext := filepath.Ext(strings.SplitN(path, "?", 2)[0]); ext != "" {
		return ext
	}
	return ".bin"
}

func copyFile(from, to string) {
	if b, err := os.ReadFile(from); err == nil {
		os.WriteFile(to, b, 0o644)
	}
}

// small runs the workloads on the database of small-n incidents: varied
// cold queries, the same query repeated, and the overload burst last.
func (r *runner) small(ctx context.Context) error {
	if r.c.url == "" {
		if err := r.ensureDB(ctx, r.c.smallDB, r.c.smallN); err != nil {
			return err
		}
	}
	s, err := r.serve(ctx, r.c.smallDB, "small")
	if err != nil {
		return err
	}
	defer s.stop()
	if r.c.workloads["varied"] {
		// The month again with gzip: every browser asks for it, and no
		// cache can help with a page nobody asked for before.
		for _, v := range []struct {
			window string
			gzip   bool
		}{{"month", false}, {"week", false}, {"month", true}} {
			if err := r.varied(ctx, s, v.window, v.gzip); err != nil {
				return err
			}
		}
	}
	if r.c.workloads["repeat"] {
		if err := r.repeat(ctx, s); err != nil {
			return err
		}
	}
	if r.c.workloads["overload"] {
		if err := r.overload(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) varied(ctx context.Context, s *server, window string, gz bool) error {
	// Each Borderline run gets queries of its own: no two requests alike,
	// not even from one run to the next. The sample comes from another
	// stream, so the queries measured were never asked before.
	seed := uint64(7)
	name := window
	switch {
	case gz:
		seed, name = 10, window+"-gzip"
	case window == "week":
		seed = 8
	}
	all := variedURLs(rand.New(rand.NewPCG(seed, 1)), r.c.urlCount*r.c.rounds+r.c.sampleN, window)
	sample, rest := all[:r.c.sampleN], all[r.c.sampleN:]
	lists := make([]string, r.c.rounds)
	for i := range r.c.rounds {
		lists[i] = filepath.Join(r.tmp, fmt.Sprintf("varied-%s-%d.txt", name, i+1))
		if err := writeLines(lists[i], rest[i*r.c.urlCount:(i+1)*r.c.urlCount]); err != nil {
			return err
		}
	}
	r.logf("varied (%s): fetching %d sample queries for the mean size", name, len(sample))
	var sizes []int
	var bodies [][]byte
	var matched, total int
	for _, u := range sample {
		f, err := fetch(ctx, s.base, u, "", false)
		if err != nil {
			return err
		}
		if f.Status != 200 {
			return fmt.Errorf("varied sample %s: status %d: %.300s", u, f.Status, f.Body)
		}
		p, err := parsePage(f.Body)
		if err != nil {
			return fmt.Errorf("varied sample %s: %w", u, err)
		}
		matched += p.NumberMatched
		sizes = append(sizes, len(f.Body))
		bodies = append(bodies, f.Body)
		total += len(f.Body)
	}
	mean := float64(total) / float64(len(sizes))
	best := 0
	for i, n := range sizes {
		if abs(float64(n)-mean) < abs(float64(sizes[best])-mean) {
			best = i
		}
	}
	file := "varied-" + name + ".json"
	if err := os.WriteFile(filepath.Join(r.docroot, file), bodies[best], 0o644); err != nil {
		return err
	}
	gzNote := ""
	if gz {
		// nginx sends the same page as Borderline gzipped it
		// (gzip_static): compressed once, ahead, as nginx is at its best.
		f, err := fetch(ctx, s.base, sample[best], "", true)
		if err != nil {
			return err
		}
		if f.Status != 200 || f.Encoding != "gzip" {
			return fmt.Errorf("varied sample %s with gzip: status %d, encoding %q", sample[best], f.Status, f.Encoding)
		}
		if err := os.WriteFile(filepath.Join(r.docroot, file+".gz"), f.Body, 0o644); err != nil {
			return err
		}
		gzNote = fmt.Sprintf(", %s as Borderline gzipped it (nginx sends that file, gzip_static)", fmtBytes(float64(len(f.Body))))
	}
	ng := filepath.Join(r.tmp, "varied-"+name+"-nginx.txt")
	if err := writeLines(ng, []string{"/" + file}); err != nil {
		return err
	}
	minS, maxS := sizes[0], sizes[0]
	for _, n := range sizes {
		minS, maxS = min(minS, n), max(maxS, n)
	}
	r.report.Sizes = append(r.report.Sizes, fmt.Sprintf("varied (%s): %d sample queries, mean response %s (%s–%s), mean numberMatched %s; nginx serves one real response of %s%s",
		name, len(sizes), fmtBytes(mean), fmtBytes(float64(minS)), fmtBytes(float64(maxS)), fmtInt(int64(matched/len(sizes))), fmtBytes(float64(sizes[best])), gzNote))
	what := "one-" + window + " windows, 1–4° boxes, limit 1000, all distinct"
	if gz {
		what += ", gzip"
	}
	err := r.pair(ctx, s, "varied cold queries", what,
		func(round int) string { return lists[round] }, func(int) string { return ng }, "unique", gz)
	if err != nil {
		return err
	}
	rw := &r.report.Rows[len(r.report.Rows)-1]
	for _, res := range append(rw.BorderlineRuns, rw.Borderline) {
		if res != nil && res.Repeated > 0 {
			r.report.Notes = append(r.report.Notes, fmt.Sprintf("varied (%s): Borderline ran through its %s queries and repeated %s; raise -urls",
				name, fmtInt(int64(r.c.urlCount)), fmtInt(res.Repeated)))
		}
	}
	return nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// repeat: the canonical query again and again, plain and gzipped; nginx
// serves the same bytes as a file, and the gzipped bytes with gzip_static.
func (r *runner) repeat(ctx context.Context, s *server) error {
	plain, err := fetch(ctx, s.base, canonicalQuery, "", false)
	if err != nil {
		return err
	}
	if plain.Status != 200 {
		return fmt.Errorf("repeat: status %d: %.300s", plain.Status, plain.Body)
	}
	gz, err := fetch(ctx, s.base, canonicalQuery, "", true)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(r.docroot, "repeat.json"), plain.Body, 0o644); err != nil {
		return err
	}
	note := ""
	if gz.Encoding == "gzip" {
		if err := os.WriteFile(filepath.Join(r.docroot, "repeat.json.gz"), gz.Body, 0o644); err != nil {
			return err
		}
	} else {
		note = "; Borderline did not gzip it"
	}
	p, _ := parsePage(plain.Body)
	r.report.Sizes = append(r.report.Sizes, fmt.Sprintf("repeat: `%s`, numberMatched %s, %s plain, %s gzipped%s",
		canonicalQuery, fmtInt(int64(p.NumberMatched)), fmtBytes(float64(len(plain.Body))), fmtBytes(float64(len(gz.Body))), note))
	bl := filepath.Join(r.tmp, "repeat-borderline.txt")
	ng := filepath.Join(r.tmp, "repeat-nginx.txt")
	if err := writeLines(bl, []string{canonicalQuery}); err != nil {
		return err
	}
	if err := writeLines(ng, []string{"/repeat.json"}); err != nil {
		return err
	}
	if err := r.pair(ctx, s, "same query repeated", "month in a box, limit 1000, plain", func(int) string { return bl }, func(int) string { return ng }, "cycle", false); err != nil {
		return err
	}
	return r.pair(ctx, s, "same query repeated", "month in a box, limit 1000, gzip", func(int) string { return bl }, func(int) string { return ng }, "cycle", true)
}

func (r *runner) overload(ctx context.Context, s *server) error {
	abort := make(chan struct{})
	if s.rss != nil && r.c.maxRSSMB > 0 {
		s.rss.limitKB.Store(int64(r.c.maxRSSMB) * 1024)
		s.rss.onLimit.Store(func() { close(abort) })
		defer s.rss.limitKB.Store(0)
	}
	s.rss.mark()
	r.logf("overload: %d connections asking for %s for %d s", r.c.ovConns, r.c.ovPath, r.c.seconds)
	res := overload(ctx, s.base, r.c.ovPath, r.c.ovConns, time.Duration(r.c.seconds)*time.Second, r.c.ovTimeout, abort,
		"/collections/incidents/items?bbox=126.0,40.5,129.5,42.5&datetime=2020-08-01/2020-08-31")
	res.MaxRSSKB = s.rss.mark()
	r.report.Overload = append(r.report.Overload, res)
	return ctx.Err()
}

// big: the database of big-n incidents, started three times: first
// without the index snapshot a previous start kept (as after an import),
// then again with the one that start kept, then again after the database
// and the snapshot are dropped from the kernel's cache, as after a reboot.
// Each time: from starting the process to a correct answer to the
// month-in-a-box query and to the index in memory (the log says when),
// then one client asking it again and again, and a few hundred different
// ones; RssAnon throughout.
func (r *runner) big(ctx context.Context) error {
	if err := r.ensureDB(ctx, r.c.bigDB, r.c.bigN); err != nil {
		return err
	}
	if err := os.Remove(r.c.bigDB + "-index"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for i, start := range []struct {
		name string
		cold bool
	}{
		{"first start (no index kept)", false},
		{"restart (with the index the first start kept)", false},
		{"restart after a reboot (the files out of the kernel's cache)", true},
	} {
		if start.cold {
			if err := dropFromCache(r.c.bigDB, r.c.bigDB+"-wal", r.c.bigDB+"-shm", r.c.bigDB+"-index"); err != nil {
				return err
			}
		}
		if err := r.bigStart(ctx, start.name, filepath.Join(r.out, fmt.Sprintf("borderline-big-%d.log", i+1))); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) bigStart(ctx context.Context, start, logPath string) error {
	b, t0, err := startBorderline(ctx, r.c.bin, r.c.bigDB, logPath)
	if err != nil {
		return err
	}
	defer func() { b.rss.stop(); b.terminate(10 * time.Second) }()
	res := &bigResult{Start: start, Incidents: r.c.bigN, DB: r.c.bigDB}
	r.report.Big = append(r.report.Big, res)
	// Poll both until the query gives the answer it keeps giving.
	client := rawClient
	var healthy bool
	var first []page
	deadline := t0.Add(10 * time.Minute)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if b.exited() {
			return fmt.Errorf("borderline exited: %v (see %s)", b.err, logPath)
		}
		if time.Now().After(deadline) {
			return errors.New("big: no answer within 10 minutes")
		}
		if !healthy {
			if resp, err := client.Get(b.base + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					healthy = true
					res.HealthyMS = float64(time.Since(t0)) / 1e6
				}
			}
		}
		f, err := fetch(ctx, b.base, canonicalQuery, "", false)
		if err == nil && f.Status == 200 {
			if p, err := parsePage(f.Body); err == nil {
				res.ReadyMS = float64(time.Since(t0)) / 1e6
				first = append(first, p)
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The steady answer, to check the first one against.
	f, err := fetch(ctx, b.base, canonicalQuery, "", false)
	if err != nil {
		return err
	}
	steady, err := parsePage(f.Body)
	if err != nil {
		return err
	}
	res.Matched, res.Returned = steady.NumberMatched, steady.NumberReturned
	if !samePage(first[0], steady) {
		res.FirstWrong = 1
		r.report.Notes = append(r.report.Notes, fmt.Sprintf("big: the first answer (numberMatched %d) differed from the next (%d)",
			first[0].NumberMatched, steady.NumberMatched))
	}
	if !healthy {
		res.HealthyMS = res.ReadyMS
	}
	// Until the index is in memory, queries go to the database: wait for it.
	for {
		log, _ := os.ReadFile(logPath)
		if bytes.Contains(log, []byte("incident index ready")) || bytes.Contains(log, []byte("incident index loaded")) {
			res.IndexMS = float64(time.Since(t0)) / 1e6
			break
		}
		if time.Now().After(deadline) || b.exited() {
			return fmt.Errorf("big: the index was not ready within 10 minutes (see %s)", logPath)
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.logf("big, %s: answered correctly %s after start, index %s; one client, %d requests", start, fmtMS(res.ReadyMS), fmtMS(res.IndexMS), r.c.singleN)
	paths := make([]string, r.c.singleN)
	for i := range paths {
		paths[i] = canonicalQuery
	}
	if res.Single, res.SingleBad, err = sequential(ctx, b.base, paths); err != nil {
		return err
	}
	cold := variedURLs(rand.New(rand.NewPCG(9, 1)), r.c.singleN, "month")
	if res.SingleCold, _, err = sequential(ctx, b.base, cold); err != nil {
		return err
	}
	res.MaxRSSKB = b.rss.max.Load()
	return nil
}

// commandLine is the command as typed: make's (BENCH_LOAD_COMMAND, set by
// the Makefile) and the go run it became.
func commandLine() string {
	args := []string{"go run ./bench/load"}
	for _, a := range os.Args[1:] {
		if strings.ContainsAny(a, " \t&?*") {
			a = strconv.Quote(a)
		}
		args = append(args, a)
	}
	c := strings.Join(args, " ")
	if m := os.Getenv("BENCH_LOAD_COMMAND"); m != "" {
		return m + "` → `" + c
	}
	return c
}

func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		c += " (with uncommitted changes)"
	}
	return c
}

func binaryInfo(bin string) string {
	fi, err := os.Stat(bin)
	if err != nil {
		return bin
	}
	return fmt.Sprintf("%s built %s", bin, fi.ModTime().Format("2006-01-02 15:04"))
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func machine() string {
	cpus := 0
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "processor") {
				cpus++
			}
			if v, ok := strings.CutPrefix(line, "model name"); ok && model == "" {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s)", cpus, model)
}
