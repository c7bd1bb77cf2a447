package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what bench/wrk/list.lua's done() prints.
type wrkResult struct {
	Requests   int64 `json:"requests"`
	DurationUS int64 `json:"duration_us"`
	Bytes      int64 `json:"bytes"`
	Errors     struct {
		Connect int64 `json:"connect"`
		Read    int64 `json:"read"`
		Write   int64 `json:"write"`
		Status  int64 `json:"status"` // responses that were not 2xx or 3xx
		Timeout int64 `json:"timeout"`
	} `json:"errors"`
	LatencyUS struct {
		Min  int64   `json:"min"`
		Mean float64 `json:"mean"`
		P50  int64   `json:"p50"`
		P90  int64   `json:"p90"`
		P99  int64   `json:"p99"`
		Max  int64   `json:"max"`
	} `json:"latency_us"`
	RequestsMade int64 `json:"requests_made"`
	Repeated     int64 `json:"repeated"`
	// OthersShare is the share of the machine that processes this program
	// did not start used during the run (filled in by bench/load).
	OthersShare float64 `json:"others_share"`
}

func (r *wrkResult) reqPerSec() float64 {
	if r == nil || r.DurationUS == 0 {
		return 0
	}
	return float64(r.Requests) / (float64(r.DurationUS) / 1e6)
}

// errorCount is every request that did not end in a 2xx or 3xx response.
func (r *wrkResult) errorCount() int64 {
	if r == nil {
		return 0
	}
	e := r.Errors
	return e.Connect + e.Read + e.Write + e.Status + e.Timeout
}

// wrkRun describes one wrk invocation.
type wrkRun struct {
	base     string // http://host:port
	list     string // file of request lines (see bench/wrk/list.lua)
	mode     string // cycle or unique
	gzip     bool
	threads  int
	conns    int
	duration time.Duration
	timeout  time.Duration
	script   string
	out      string // file for wrk's whole output
}

func (w wrkRun) args() []string {
	return []string{"-t" + strconv.Itoa(w.threads), "-c" + strconv.Itoa(w.conns),
		"-d" + strconv.Itoa(int(w.duration/time.Second)) + "s", "--timeout", strconv.Itoa(int(w.timeout/time.Second)) + "s",
		"--latency", "-s", w.script, w.base}
}

func (w wrkRun) env() []string {
	gz := "0"
	if w.gzip {
		gz = "1"
	}
	return append(os.Environ(), "BENCH_LIST="+w.list, "BENCH_MODE="+w.mode, "BENCH_GZIP="+gz,
		"BENCH_THREADS="+strconv.Itoa(w.threads))
}

// commandLine is the run as it could be typed.
func (w wrkRun) commandLine() string {
	gz := ""
	if w.gzip {
		gz = "BENCH_GZIP=1 "
	}
	return fmt.Sprintf("BENCH_LIST=%s BENCH_MODE=%s %sBENCH_THREADS=%d wrk %s", w.list, w.mode, gz, w.threads, strings.Join(w.args(), " "))
}

func runWrk(ctx context.Context, w wrkRun) (*wrkResult, error) {
	cmd := exec.CommandContext(ctx, "wrk", w.args()...)
	cmd.Env = w.env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if w.out != "" {
		os.WriteFile(w.out, []byte(w.commandLine()+"\n\n"+out.String()), 0o644)
	}
	if err != nil {
		return nil, fmt.Errorf("wrk: %w\n%s", err, out.String())
	}
	return parseWrk(out.Bytes())
}

func parseWrk(out []byte) (*wrkResult, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "BENCHJSON "); ok {
			var r wrkResult
			if err := json.Unmarshal([]byte(rest), &r); err != nil {
				return nil, fmt.Errorf("wrk result %q: %w", rest, err)
			}
			return &r, nil
		}
	}
	return nil, fmt.Errorf("no BENCHJSON line in wrk's output:\n%s", out)
}
