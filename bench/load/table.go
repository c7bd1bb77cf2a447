package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// row is one workload measured on both servers.
type row struct {
	Workload   string     `json:"workload"`
	Detail     string     `json:"detail,omitempty"`
	Borderline *wrkResult `json:"borderline"`
	Nginx      *wrkResult `json:"nginx,omitempty"`
	// RSSMaxKB is Borderline's largest RssAnon while it ran this workload.
	RSSMaxKB int64 `json:"rss_anon_max_kb"`
	// OthersShare is the largest share of the machine used by other
	// people's processes during one of this row's runs.
	OthersShare float64 `json:"others_share"`
	// All runs when there were several rounds; Borderline and Nginx are the
	// median by requests per second.
	BorderlineRuns []*wrkResult `json:"borderline_runs,omitempty"`
	NginxRuns      []*wrkResult `json:"nginx_runs,omitempty"`
}

// bigResult is the 1,000,000-incident workload.
type bigResult struct {
	Start       string    `json:"start"`
	Incidents   int       `json:"incidents"`
	DB          string    `json:"db"`
	HealthyMS   float64   `json:"start_to_healthz_ms"`
	ReadyMS     float64   `json:"start_to_correct_answer_ms"`
	IndexMS     float64   `json:"start_to_index_ms"` // the incident index in memory
	Matched     int       `json:"number_matched"`
	Returned    int       `json:"number_returned"`
	FirstWrong  int       `json:"answers_before_correct"` // 200s that differed from the steady answer
	Single      latencies `json:"single_client"`
	SingleBad   int       `json:"single_client_not_200"`
	SingleCold  latencies `json:"single_client_varied"`
	SingleColdN int       `json:"-"`
	MaxRSSKB    int64     `json:"rss_anon_max_kb"`
}

func fmtInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtRate is requests per second: whole numbers with thousands separators,
// one decimal below 100.
func fmtRate(r float64) string {
	if r < 100 {
		return strconv.FormatFloat(r, 'f', 1, 64)
	}
	return fmtInt(int64(math.Round(r)))
}

// fmtMS is a duration in milliseconds as a person reads it.
func fmtMS(ms float64) string {
	switch {
	case ms >= 1000:
		return strconv.FormatFloat(ms/1000, 'f', 2, 64) + " s"
	case ms >= 100:
		return strconv.FormatFloat(ms, 'f', 0, 64) + " ms"
	case ms >= 10:
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(ms, 'f', 2, 64) + " ms"
}

func fmtUS(us int64) string { return fmtMS(float64(us) / 1000) }

func fmtKB(kb int64) string {
	if kb <= 0 {
		return "–"
	}
	mb := float64(kb) / 1024
	if mb >= 1024 {
		return strconv.FormatFloat(mb/1024, 'f', 2, 64) + " GiB"
	}
	return strconv.FormatFloat(mb, 'f', 0, 64) + " MiB"
}

func fmtBytes(n float64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(n/(1<<20), 'f', 2, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(n/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatFloat(n, 'f', 0, 64) + " B"
}

// fmtErrors is the count of failed requests and what they were.
func fmtErrors(r *wrkResult) string {
	if r == nil {
		return "–"
	}
	n := r.errorCount()
	if n == 0 {
		return "0"
	}
	var parts []string
	e := r.Errors
	for _, p := range []struct {
		name string
		n    int64
	}{{"non-2xx/3xx", e.Status}, {"timeout", e.Timeout}, {"connect", e.Connect}, {"read", e.Read}, {"write", e.Write}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", p.name, fmtInt(p.n)))
		}
	}
	return fmtInt(n) + " (" + strings.Join(parts, ", ") + ")"
}

// ratio is how many times nginx's rate Borderline's is.
func ratio(b, n *wrkResult) string {
	if b == nil || n == nil || b.reqPerSec() == 0 {
		return "–"
	}
	x := n.reqPerSec() / b.reqPerSec()
	if x >= 10 {
		return strconv.FormatFloat(x, 'f', 0, 64) + "×"
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + "×"
}

// writeTable writes the main table: one row per workload, both servers.
func writeTable(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| workload | Borderline req/s | p50 | p99 | errors | nginx req/s | p50 | p99 | nginx ÷ Borderline | Borderline max RssAnon | others' CPU |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		name := r.Workload
		if r.Detail != "" {
			name += " (" + r.Detail + ")"
		}
		b, n := r.Borderline, r.Nginx
		cells := []string{name, "–", "–", "–", "–", "–", "–", "–", ratio(b, n), fmtKB(r.RSSMaxKB), fmt.Sprintf("%.0f%%", 100*r.OthersShare)}
		if b != nil {
			cells[1], cells[2], cells[3], cells[4] = fmtRate(b.reqPerSec()), fmtUS(b.LatencyUS.P50), fmtUS(b.LatencyUS.P99), fmtErrors(b)
		}
		if n != nil {
			cells[5], cells[6], cells[7] = fmtRate(n.reqPerSec()), fmtUS(n.LatencyUS.P50), fmtUS(n.LatencyUS.P99)
			if n.errorCount() > 0 {
				cells[5] += " (errors: " + fmtErrors(n) + ")"
			}
		}
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
}

func writeBig(w io.Writer, runs []*bigResult) {
	head := fmt.Sprintf("| %s incidents |", fmtInt(int64(runs[0].Incidents)))
	sep := "|---|"
	for _, b := range runs {
		head += " " + b.Start + " |"
		sep += "---|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, sep)
	row := func(label string, cell func(b *bigResult) string) {
		line := "| " + label + " |"
		for _, b := range runs {
			line += " " + cell(b) + " |"
		}
		fmt.Fprintln(w, line)
	}
	row("process start → /healthz answers", func(b *bigResult) string { return fmtMS(b.HealthyMS) })
	row("process start → month-in-a-box answered correctly", func(b *bigResult) string {
		s := fmt.Sprintf("%s (numberMatched %s, %d returned)", fmtMS(b.ReadyMS), fmtInt(int64(b.Matched)), b.Returned)
		if b.FirstWrong > 0 {
			s += fmt.Sprintf("; %d different answer before it", b.FirstWrong)
		}
		return s
	})
	row("process start → index in memory (until then, queries go to SQLite)", func(b *bigResult) string { return fmtMS(b.IndexMS) })
	row(fmt.Sprintf("then one client, that query %d times in a row", runs[0].Single.N), func(b *bigResult) string {
		return fmt.Sprintf("p50 %s, p99 %s (mean %s, max %s)%s", fmtMS(b.Single.P50), fmtMS(b.Single.P99), fmtMS(b.Single.Mean), fmtMS(b.Single.Max), notOK(b.SingleBad))
	})
	row(fmt.Sprintf("then one client, %d different month-in-a-box queries", runs[0].SingleCold.N), func(b *bigResult) string {
		return fmt.Sprintf("p50 %s, p99 %s (mean %s, max %s)", fmtMS(b.SingleCold.P50), fmtMS(b.SingleCold.P99), fmtMS(b.SingleCold.Mean), fmtMS(b.SingleCold.Max))
	})
	row("Borderline max RssAnon, from start through all of the above", func(b *bigResult) string { return fmtKB(b.MaxRSSKB) })
}

func notOK(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d not 200", n)
}

func writeOverload(w io.Writer, results []overloadResult) {
	fmt.Fprintln(w, "| overload | responses by status | latency by status (p50 / p99 / max) | errors, timeouts | in flight at end | max RssAnon | normal request right after |")
	fmt.Fprintln(w, "|---|---|---|---|---:|---:|---|")
	for _, o := range results {
		statuses := make([]int, 0, len(o.ByStatus))
		for s := range o.ByStatus {
			statuses = append(statuses, s)
		}
		slices.Sort(statuses)
		var counts, lats []string
		for _, s := range statuses {
			counts = append(counts, fmt.Sprintf("%d: %s", s, fmtInt(int64(o.ByStatus[s]))))
			l := o.Latency[s]
			lats = append(lats, fmt.Sprintf("%d: %s / %s / %s", s, fmtMS(l.P50), fmtMS(l.P99), fmtMS(l.Max)))
		}
		if len(counts) == 0 {
			counts, lats = []string{"none"}, []string{"–"}
		}
		errs := fmt.Sprintf("%d, %d", o.Errors, o.Timeouts)
		if o.ErrorSample != "" {
			errs += " (" + strings.ReplaceAll(o.ErrorSample, "|", "/") + ")"
		}
		after := fmt.Sprintf("%d in %s", o.AfterStatus, fmtMS(o.AfterMS))
		if o.AfterError != "" {
			after = "failed after " + fmtMS(o.AfterMS) + ": " + o.AfterError
		}
		name := fmt.Sprintf("%d connections, %.0f s, `%s`", o.Connections, o.Seconds, o.Path)
		if o.Aborted != "" {
			name += " — aborted: " + o.Aborted
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %s | %s |\n", name, strings.Join(counts, "; "), strings.Join(lats, "; "),
			errs, o.InFlight, fmtKB(o.MaxRSSKB), after)
	}
}

// median is the run with the median rate (the lower middle of an even count).
func median(runs []*wrkResult) *wrkResult {
	var ok []*wrkResult
	for _, r := range runs {
		if r != nil {
			ok = append(ok, r)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	slices.SortFunc(ok, func(a, b *wrkResult) int {
		switch {
		case a.reqPerSec() < b.reqPerSec():
			return -1
		case a.reqPerSec() > b.reqPerSec():
			return 1
		}
		return 0
	})
	return ok[(len(ok)-1)/2]
}
