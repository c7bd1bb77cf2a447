package main

import (
	"bufio"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestVariedURLsAreDistinctAndInTheRegion(t *testing.T) {
	for _, window := range []string{"month", "week"} {
		urls := variedURLs(rand.New(rand.NewPCG(7, 1)), 20000, window)
		seen := map[string]bool{}
		for _, u := range urls {
			if seen[u] {
				t.Fatalf("%s twice", u)
			}
			seen[u] = true
			q, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			v := q.Query()
			if v.Get("limit") != "1000" {
				t.Fatalf("%s: limit", u)
			}
			var box [4]float64
			for i, s := range strings.Split(v.Get("bbox"), ",") {
				if box[i], err = strconv.ParseFloat(s, 64); err != nil {
					t.Fatal(err)
				}
			}
			w, h := box[2]-box[0], box[3]-box[1]
			if box[0] < regionW || box[2] > regionE || box[1] < regionS || box[3] > regionN || w < 0.999 || w > 4.001 || h < 0.999 || h > 4.001 {
				t.Fatalf("%s: box %v", u, box)
			}
			from, to, _ := strings.Cut(v.Get("datetime"), "/")
			if from < "2020-01-01" || from > "2021-12-31" || to <= from {
				t.Fatalf("%s: datetime", u)
			}
		}
	}
	a := variedURLs(rand.New(rand.NewPCG(7, 1)), 10, "month")
	b := variedURLs(rand.New(rand.NewPCG(7, 1)), 10, "month")
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Error("the same seed gave other queries")
	}
}

func TestParseWrk(t *testing.T) {
	out := "Running 1s test @ http://x\n  2 threads\nBENCHJSON " +
		`{"requests":3000,"duration_us":15000000,"bytes":1,"errors":{"connect":0,"read":1,"write":0,"status":2,"timeout":3},` +
		`"latency_us":{"min":100,"mean":150.5,"p50":120,"p90":200,"p99":900,"max":5000},"requests_made":3001,"repeated":0}` + "\n"
	r, err := parseWrk([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if r.reqPerSec() != 200 || r.errorCount() != 6 || r.LatencyUS.P99 != 900 {
		t.Errorf("%+v", r)
	}
	if _, err := parseWrk([]byte("no json")); err == nil {
		t.Error("no error without a BENCHJSON line")
	}
}

func TestParseRSSAnon(t *testing.T) {
	status := "Name:\tborderline\nVmRSS:\t  90000 kB\nRssAnon:\t   61234 kB\nRssFile:\t 28000 kB\n"
	kb, err := parseRSSAnon(bufio.NewScanner(strings.NewReader(status)))
	if err != nil || kb != 61234 {
		t.Errorf("%d, %v", kb, err)
	}
}

func TestTable(t *testing.T) {
	b := &wrkResult{Requests: 21000, DurationUS: 15_000_000}
	b.LatencyUS.P50, b.LatencyUS.P99 = 21_300, 1_234_000
	b.Errors.Status = 12
	n := &wrkResult{Requests: 960000, DurationUS: 15_000_000}
	n.LatencyUS.P50, n.LatencyUS.P99 = 420, 2_100
	var sb strings.Builder
	writeTable(&sb, []row{{Workload: "first view", Detail: "46 requests", Borderline: b, Nginx: n, RSSMaxKB: 87040, OthersShare: 0.034}})
	want := "| first view (46 requests) | 1,400 | 21.3 ms | 1.23 s | 12 (non-2xx/3xx 12) | 64,000 | 0.42 ms | 2.10 ms | 46× | 85 MiB | 3% |"
	if !strings.Contains(sb.String(), want) {
		t.Errorf("got\n%s\nwant the row\n%s", sb.String(), want)
	}
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-4500, "-4,500"}} {
		if got := fmtInt(tc.n); got != tc.want {
			t.Errorf("fmtInt(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := median([]*wrkResult{{Requests: 3, DurationUS: 1e6}, nil, {Requests: 1, DurationUS: 1e6}, {Requests: 2, DurationUS: 1e6}}); got.Requests != 2 {
		t.Errorf("median: %+v", got)
	}
}

func TestSlugAndExt(t *testing.T) {
	if got := slug("varied cold queries one-month windows, 1–4° boxes"); got != "varied-cold-queries-one-month-windows-1-4-boxes" {
		t.Errorf("slug: %q", got)
	}
	for _, tc := range [][3]string{{"/static/js/main.js", "text/javascript; charset=utf-8", ".js"},
		{"/collections/border/items?limit=10000", "application/geo+json", ".geojson"},
		{"/", "text/html; charset=UTF-8", ".html"}, {"/x/y.woff2", "", ".woff2"}} {
		if got := extFor(tc[0], tc[1]); got != tc[2] {
			t.Errorf("extFor(%q, %q) = %q", tc[0], tc[1], got)
		}
	}
}

func TestOthersShare(t *testing.T) {
	a := cpuSample{busy: 1000, total: 4000, ours: 300}
	b := cpuSample{busy: 1900, total: 5000, ours: 1000} // 900 busy, 700 ours
	if got := othersShare(a, b); got < 0.1999 || got > 0.2001 {
		t.Errorf("othersShare = %v, want 0.2", got)
	}
	if _, err := takeCPU(); err != nil {
		t.Error(err)
	}
}
