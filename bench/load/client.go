package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// fetched is one response as the server sent it: with gzip asked for, Body
// holds the compressed bytes (the transport does not decode them).
type fetched struct {
	Status   int
	Encoding string
	Type     string
	Body     []byte
	Elapsed  time.Duration
}

var rawClient = &http.Client{
	Timeout:   60 * time.Second,
	Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4},
}

func fetch(ctx context.Context, base, path, accept string, gzip bool) (fetched, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return fetched{}, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	t0 := time.Now()
	res, err := rawClient.Do(req)
	if err != nil {
		return fetched{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return fetched{}, err
	}
	return fetched{Status: res.StatusCode, Encoding: res.Header.Get("Content-Encoding"), Type: res.Header.Get("Content-Type"),
		Body: body, Elapsed: time.Since(t0)}, nil
}

// page is what the checks read of an items response.
type page struct {
	NumberMatched  int `json:"numberMatched"`
	NumberReturned int `json:"numberReturned"`
	Features       []struct {
		ID string `json:"id"`
	} `json:"features"`
}

func parsePage(b []byte) (page, error) {
	var p page
	if err := json.Unmarshal(b, &p); err != nil {
		return p, err
	}
	if p.NumberReturned != len(p.Features) {
		return p, fmt.Errorf("numberReturned %d but %d features", p.NumberReturned, len(p.Features))
	}
	return p, nil
}

// samePage reports whether two pages hold the same incidents in the same order.
func samePage(a, b page) bool {
	if a.NumberMatched != b.NumberMatched || len(a.Features) != len(b.Features) {
		return false
	}
	for i := range a.Features {
		if a.Features[i].ID != b.Features[i].ID {
			return false
		}
	}
	return true
}

// latencies summarises durations.
type latencies struct {
	N    int     `json:"n"`
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
	Mean float64 `json:"mean_ms"`
}

func summarise(ds []time.Duration) latencies {
	if len(ds) == 0 {
		return latencies{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	q := func(p float64) float64 {
		i := int(p*float64(len(s))+0.5) - 1
		return ms(s[max(0, min(i, len(s)-1))])
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return latencies{N: len(s), P50: q(0.50), P90: q(0.90), P99: q(0.99), Max: ms(s[len(s)-1]), Mean: ms(sum) / float64(len(s))}
}

// sequential asks for each path in turn from one client on one connection,
// reading every body, and times each request.
func sequential(ctx context.Context, base string, paths []string) (latencies, int, error) {
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 1}}
	var ds []time.Duration
	bad := 0
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return summarise(ds), bad, err
		}
		t0 := time.Now()
		res, err := client.Get(base + p)
		if err != nil {
			return summarise(ds), bad, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		ds = append(ds, time.Since(t0))
		if res.StatusCode != http.StatusOK {
			bad++
		}
	}
	return summarise(ds), bad, nil
}

// overloadResult is what a burst of many clients asking for big pages did.
type overloadResult struct {
	Path        string            `json:"path"`
	Connections int               `json:"connections"`
	Seconds     float64           `json:"seconds"`
	ByStatus    map[int]int       `json:"by_status"`
	Latency     map[int]latencies `json:"latency_by_status"`
	Errors      int               `json:"errors"`   // transport errors other than timeouts
	Timeouts    int               `json:"timeouts"` // no complete response within the client timeout
	ErrorSample string            `json:"error_sample,omitempty"`
	InFlight    int               `json:"in_flight_at_end"` // requests still open when the burst ended
	MaxRSSKB    int64             `json:"max_rss_anon_kb"`
	Aborted     string            `json:"aborted,omitempty"`
	// After: a normal request sent the moment the burst ended, while the
	// requests still in flight finish.
	AfterPath   string  `json:"after_path"`
	AfterStatus int     `json:"after_status"`
	AfterMS     float64 `json:"after_ms"`
	AfterError  string  `json:"after_error,omitempty"`
	DrainMS     float64 `json:"drain_ms"` // until every request in flight had ended
}

type sample struct {
	status  int
	elapsed time.Duration
	timeout bool
	err     error
}

// overload runs conns clients, each on its own connection, asking for path
// back to back for d; abort (when closed early) ends the burst.
func overload(ctx context.Context, base, path string, conns int, d, clientTimeout time.Duration, abort <-chan struct{}, afterPath string) overloadResult {
	res := overloadResult{Path: path, Connections: conns, ByStatus: map[int]int{}, Latency: map[int]latencies{}, AfterPath: afterPath}
	tr := &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: clientTimeout}
	burst, stop := context.WithCancel(ctx)
	defer stop()
	var inflight atomic.Int64
	results := make([][]sample, conns)
	var wg sync.WaitGroup
	t0 := time.Now()
	deadline := t0.Add(d)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && burst.Err() == nil {
				req, _ := http.NewRequestWithContext(burst, http.MethodGet, base+path, nil)
				inflight.Add(1)
				s0 := time.Now()
				r, err := client.Do(req)
				var s sample
				if err == nil {
					_, err = io.Copy(io.Discard, r.Body)
					r.Body.Close()
					s.status = r.StatusCode
				}
				s.elapsed = time.Since(s0)
				inflight.Add(-1)
				if err != nil {
					s.err, s.timeout = err, isTimeout(err)
				}
				results[i] = append(results[i], s)
			}
		}()
	}
	select {
	case <-time.After(time.Until(deadline)):
	case <-abort:
		res.Aborted = "RssAnon passed the limit"
		stop()
	case <-ctx.Done():
	}
	res.Seconds = time.Since(t0).Seconds()
	res.InFlight = int(inflight.Load())
	// A new reader arrives just as the crowd leaves.
	after := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	a0 := time.Now()
	if r, err := after.Get(base + afterPath); err != nil {
		res.AfterError = err.Error()
		res.AfterMS = float64(time.Since(a0)) / 1e6
	} else {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		res.AfterStatus = r.StatusCode
		res.AfterMS = float64(time.Since(a0)) / 1e6
	}
	wg.Wait()
	res.DrainMS = float64(time.Since(t0))/1e6 - res.Seconds*1000
	byStatus := map[int][]time.Duration{}
	for _, rs := range results {
		for _, s := range rs {
			switch {
			case s.timeout:
				res.Timeouts++
			case s.err != nil:
				if res.ErrorSample == "" {
					res.ErrorSample = s.err.Error()
				}
				res.Errors++
			default:
				res.ByStatus[s.status]++
				byStatus[s.status] = append(byStatus[s.status], s.elapsed)
			}
		}
	}
	for st, ds := range byStatus {
		res.Latency[st] = summarise(ds)
	}
	return res
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}
