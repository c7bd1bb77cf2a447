package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// seededServer is a server over a freshly seeded database of its own, with
// the in-memory index of incidents if index is set.
func seededServer(t *testing.T, index bool, opts ...Option) (*httptest.Server, *store.Store) {
	t.Helper()
	srv, st := seededHandler(t, index, opts...)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, st
}

// seededHandler is seededServer without the network.
func seededHandler(t *testing.T, index bool, opts ...Option) (*Server, *store.Store) {
	t.Helper()
	ctx := context.Background()
	seed, err := data.LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Seed(ctx, seed, nil); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if index {
		st.EnableIncidentIndex(ctx, quiet, 10*time.Millisecond)
	}
	srv, err := New(st, testAssets, quiet, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, st
}

func fetch(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The transport would add gzip and undo it unless asked for an encoding.
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// What a cache in front needs of a data answer: a policy, a validator per
// URL and data version shared by gzip and identity, 304, Vary on the
// encoding and on Accept (a browser gets the items as HTML), and the same
// bytes each time.
func TestDataAnswersAreCacheable(t *testing.T) {
	ts, st := seededServer(t, false, WithCachePolicy(CachePolicy{MaxAge: 90 * time.Second, StaleWhileRevalidate: time.Hour}))
	const path = "/collections/incidents/items?datetime=2020-08-26&limit=5"
	resp, plain := fetch(t, ts.URL+path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, plain)
	}
	h := resp.Header
	if got, want := h.Get("Cache-Control"), "public, max-age=90, stale-while-revalidate=3600"; got != want {
		t.Errorf("Cache-Control %q, want %q", got, want)
	}
	if got := varyNames(h); !slices.Equal(got, []string{"Accept", "Accept-Encoding"}) {
		t.Errorf("Vary %q, want Accept and Accept-Encoding", got)
	}
	etag := h.Get("ETag")
	if !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("ETag %q is not weak (gzip and identity share it)", etag)
	}
	if h.Get("Content-Length") != fmt.Sprint(len(plain)) {
		t.Errorf("Content-Length %q for %d bytes", h.Get("Content-Length"), len(plain))
	}
	if _, again := fetch(t, ts.URL+path); !bytes.Equal(again, plain) {
		t.Error("the same URL at the same data version gave different bytes")
	}
	zresp, zbody := fetch(t, ts.URL+path, "Accept-Encoding", "br;q=1, gzip;q=0.5")
	if zresp.Header.Get("Content-Encoding") != "gzip" || zresp.Header.Get("ETag") != etag {
		t.Fatalf("gzip: encoding %q, ETag %q (identity's %q)", zresp.Header.Get("Content-Encoding"), zresp.Header.Get("ETag"), etag)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zbody))
	if err != nil {
		t.Fatal(err)
	}
	if unzipped, _ := io.ReadAll(zr); !bytes.Equal(unzipped, plain) {
		t.Error("the gzipped answer is not the identity answer")
	}
	if r, _ := fetch(t, ts.URL+path, "Accept-Encoding", "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 was answered with gzip")
	}
	if r, body := fetch(t, ts.URL+path, "If-None-Match", `"x", `+etag); r.StatusCode != http.StatusNotModified || len(body) != 0 ||
		r.Header.Get("ETag") != etag || r.Header.Get("Cache-Control") == "" {
		t.Errorf("revalidation: %d, %d bytes, ETag %q", r.StatusCode, len(body), r.Header.Get("ETag"))
	}
	if r, _ := fetch(t, ts.URL+"/collections/incidents/items?datetime=2020-08-27&limit=5"); r.Header.Get("ETag") == etag {
		t.Error("two URLs share an ETag")
	}
	if r, _ := fetch(t, ts.URL+"/collections/incidents/items?datetime=2020-08-26&limit=nine"); r.StatusCode != http.StatusBadRequest ||
		r.Header.Get("ETag") != "" || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a bad request: %d, ETag %q, Cache-Control %q", r.StatusCode, r.Header.Get("ETag"), r.Header.Get("Cache-Control"))
	}

	importRetitled(t, st, " (revised)")
	r, after := fetch(t, ts.URL+path, "If-None-Match", etag)
	if r.StatusCode != http.StatusOK || r.Header.Get("ETag") == etag || !bytes.Contains(after, []byte("(revised)")) {
		t.Errorf("after an import: %d, ETag %q (was %q)", r.StatusCode, r.Header.Get("ETag"), etag)
	}
}

// importRetitled imports every incident again with suffix added to its title,
// in one transaction, through a second connection to the database file (as
// the borderline import command would).
func importRetitled(t *testing.T, st *store.Store, suffix string) {
	t.Helper()
	ctx := context.Background()
	other, err := store.Open(ctx, st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	all, err := other.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		all[i].Title += suffix
	}
	if _, err := other.ImportIncidents(ctx, all); err != nil {
		t.Fatal(err)
	}
}

// The in-memory index gives exactly the bytes the database gives, on the
// same requests: two servers over the same seeded data, one with it.
func TestIndexAnswersAreTheDatabasesBytes(t *testing.T) {
	withIndex, st := seededServer(t, true)
	plain, _ := seededServer(t, false)
	waitForIndex(t, st)
	rng := rand.New(rand.NewPCG(3, 3))
	boxes := []string{"", "bbox=124,40,131,43.5", "bbox=128.1,41.3,128.3,41.5", "bbox=126,40.5,129.5,42.5", "bbox=170,30,-170,50", "bbox=0,0,1,1"}
	times := []string{"", "datetime=2020-08-26", "datetime=2020-01-01/2020-12-31", "datetime=../2020-03-01", "datetime=2021-01-01/..", "datetime=2021-03-01/2021-03-31"}
	codes := []string{"", "category=border_security,arrests", "verification=single_source", "category=quarantine&verification=corroborated,official"}
	pages := []string{"", "limit=3", "limit=5&offset=4", "limit=10000"}
	for range 120 {
		var parts []string
		for _, choice := range [][]string{boxes, times, codes, pages} {
			if p := choice[rng.IntN(len(choice))]; p != "" {
				parts = append(parts, p)
			}
		}
		path := "/collections/incidents/items?" + strings.Join(parts, "&")
		r1, fast := fetch(t, withIndex.URL+path)
		r2, slow := fetch(t, plain.URL+path)
		if r1.StatusCode != http.StatusOK || r2.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d and %d", path, r1.StatusCode, r2.StatusCode)
		}
		// The links name each server's own address.
		fast = bytes.ReplaceAll(fast, []byte(withIndex.URL), []byte("BASE"))
		slow = bytes.ReplaceAll(slow, []byte(plain.URL), []byte("BASE"))
		if !bytes.Equal(fast, slow) {
			t.Fatalf("%s: the index's answer (%d bytes) differs from the database's (%d bytes)", path, len(fast), len(slow))
		}
	}
}

// An import while readers read: every answer is all old or all new, never a
// mix, and the first request after the import returns sees it, through the
// index and through the database while the index is rebuilt.
func TestImportWhileServing(t *testing.T) {
	ts, st := seededServer(t, true)
	const path = "/collections/incidents/items?limit=10000"
	_, first := fetch(t, ts.URL+path)
	total := decodeTitles(t, first)
	for round, suffix := range []string{" [r1]", " [r2]", " [r3]"} {
		var wg sync.WaitGroup
		stop := make(chan struct{})
		errs := make(chan error, 8)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					resp, body := fetch(t, ts.URL+path, "Accept-Encoding", "gzip")
					if resp.Header.Get("Content-Encoding") == "gzip" {
						zr, err := gzip.NewReader(bytes.NewReader(body))
						if err != nil {
							errs <- err
							return
						}
						body, _ = io.ReadAll(zr)
					}
					titles := decodeTitles(t, body)
					n := 0
					for _, title := range titles {
						if strings.HasSuffix(title, suffix) {
							n++
						}
					}
					if len(titles) != len(total) || (n != 0 && n != len(titles)) {
						errs <- fmt.Errorf("round %d: an answer of %d incidents has %d with the new title", round, len(titles), n)
						return
					}
				}
			}()
		}
		time.Sleep(20 * time.Millisecond)
		importRetitled(t, st, suffix)
		_, body := fetch(t, ts.URL+path)
		for _, title := range decodeTitles(t, body) {
			if !strings.HasSuffix(title, suffix) {
				t.Fatalf("round %d: the first answer after the import has %q", round, title)
			}
		}
		close(stop)
		wg.Wait()
		select {
		case err := <-errs:
			t.Fatal(err)
		default:
		}
	}
}

func decodeTitles(t *testing.T, body []byte) []string {
	t.Helper()
	var fc featureCollection
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatalf("%v: %.200s", err, body)
	}
	titles := make([]string, len(fc.Features))
	for i, f := range fc.Features {
		titles[i], _ = f.Properties["title"].(string)
	}
	return titles
}

// When every turn is taken and the queue is full, a request that needs work
// is refused at once with 503 and Retry-After; one already kept is still
// answered, and the refusal is not kept by any cache.
func TestBusyServerRefusesWithRetryAfter(t *testing.T) {
	ts, _ := seededServer(t, false, WithAdmission(1, 1))
	srv := ts.Config.Handler.(*Server)
	srv.admit.pause = 0
	kept := "/collections/incidents/items?limit=2"
	for range 2 { // kept the second time
		if r, _ := fetch(t, ts.URL+kept); r.StatusCode != http.StatusOK {
			t.Fatal(r.StatusCode)
		}
	}
	release, err := srv.admit.enter(context.Background()) // the one turn
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan int)
	go func() { // the one place in the queue
		r, _ := fetch(t, ts.URL+"/collections/incidents/items?limit=3")
		waiting <- r.StatusCode
	}()
	for srv.admit.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	r, body := fetch(t, ts.URL+"/collections/incidents/items?limit=4")
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a full queue: %d, Retry-After %q, Cache-Control %q", r.StatusCode, r.Header.Get("Retry-After"), r.Header.Get("Cache-Control"))
	}
	var e apiError
	if json.Unmarshal(body, &e) != nil || e.Code != "ServiceUnavailable" || e.Description == "" {
		t.Errorf("refusal body %s", body)
	}
	if r, _ := fetch(t, ts.URL+kept); r.StatusCode != http.StatusOK {
		t.Errorf("a kept answer while busy: %d", r.StatusCode)
	}
	release()
	if code := <-waiting; code != http.StatusOK {
		t.Errorf("the queued request: %d, want 200 once a turn freed", code)
	}
}

// Readers who ask for one URL while it is being made share the one answer:
// with the only turn taken and one place in the queue, ten concurrent
// requests for a new URL are all answered, with the same bytes, once the
// turn frees (made ten times, nine would be refused).
func TestOneURLIsMadeOnceForConcurrentReaders(t *testing.T) {
	ts, _ := seededServer(t, false, WithAdmission(1, 1))
	srv := ts.Config.Handler.(*Server)
	srv.admit.pause = 0
	release, err := srv.admit.enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	url := ts.URL + "/collections/incidents/items?datetime=2020-01-01/2021-12-31&limit=7"
	answers := askTogether(t, url, 10)
	for srv.admit.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // let the other nine join
	release()
	sameAnswers(t, answers, 10)
}

// A burst of pages of more than a thousand features waits in a lane of its
// own: with that lane full, big pages are refused and the map's usual
// requests are still made.
func TestLargePagesHaveALaneOfTheirOwn(t *testing.T) {
	ts, _ := seededServer(t, false)
	srv := ts.Config.Handler.(*Server)
	srv.admitLarge.pause = 0
	var releases []func()
	for range largeRunning {
		release, err := srv.admitLarge.enter(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	srv.admitLarge.maxWaiting = 0
	r, _ := fetch(t, ts.URL+"/collections/incidents/items?limit=5000")
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a big page with its lane full: %d, want 503", r.StatusCode)
	}
	r, _ = fetch(t, ts.URL+"/collections/incidents/items?limit=1000&datetime=2021-01-01/2021-12-31")
	if r.StatusCode != http.StatusOK {
		t.Errorf("a page of a thousand with the big lane full: %d, want 200", r.StatusCode)
	}
	for _, release := range releases {
		release()
	}
	r, _ = fetch(t, ts.URL+"/collections/incidents/items?limit=5000")
	if r.StatusCode != http.StatusOK {
		t.Errorf("a big page once the lane is free: %d", r.StatusCode)
	}
}

// Readers of one big page wait for a turn rather than being refused, and
// get it kept once it is: with both turns of the big lane taken, ten
// concurrent requests for a page of 5,000 are all answered, with the same
// bytes, once the turns free. The map's first view at a hundred thousand
// incidents asks every reader for such a page (4,000), and after an import
// none is kept.
func TestBigPageWaitersAreAnswered(t *testing.T) {
	ts, _ := seededServer(t, false)
	srv := ts.Config.Handler.(*Server)
	srv.admitLarge.pause = 0
	var releases []func()
	for range largeRunning {
		release, err := srv.admitLarge.enter(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	url := ts.URL + "/collections/incidents/items?datetime=2020-01-01/2021-12-31&limit=5000"
	answers := askTogether(t, url, 10)
	for deadline := time.Now().Add(10 * time.Second); srv.admitLarge.waiting.Load() < 10; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 10 readers waiting", srv.admitLarge.waiting.Load())
		}
	}
	for _, release := range releases {
		release()
	}
	sameAnswers(t, answers, 10)
}

// The bodies of answers that are not kept go back to a pool once written:
// under concurrent, mostly distinct requests each reader must still get its
// own answer, byte for byte (a buffer reused too soon would mix them).
func TestRecycledBodiesAreNotShared(t *testing.T) {
	ts, _ := seededServer(t, true)
	reference, _ := seededServer(t, false, WithResponseCache(0))
	var urls []string
	for m := 1; m <= 12; m++ {
		for _, span := range []string{"2020-%02d-01/2021-12-31", "2020-01-01/2021-%02d-28"} {
			urls = append(urls, "/collections/incidents/items?limit=10000&datetime="+fmt.Sprintf(span, m))
		}
	}
	want := map[string]string{}
	big := 0
	for _, u := range urls {
		r, body := fetch(t, reference.URL+u)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", u, r.StatusCode)
		}
		want[u] = strings.ReplaceAll(string(body), reference.URL, ts.URL)
		if len(body) >= minPooledBody/2 {
			big++
		}
	}
	if big < len(urls)/2 {
		t.Fatalf("only %d of %d answers are big enough to be pooled", big, len(urls))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(urls))
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range len(urls) {
				u := urls[(i*7+w*5)%len(urls)]
				r, body := fetch(t, ts.URL+u)
				if r.StatusCode != http.StatusOK || string(body) != want[u] {
					errs <- fmt.Sprintf("%s: %d, %d bytes, want %d", u, r.StatusCode, len(body), len(want[u]))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// varyNames are the header names a Vary names, in order, whether in one
// header line or several.
func varyNames(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Vary") {
		for _, name := range strings.Split(v, ",") {
			out = append(out, strings.TrimSpace(name))
		}
	}
	return out
}

// waitForIndex waits for st's incident index at its data version.
func waitForIndex(t *testing.T, st *store.Store) {
	t.Helper()
	v, err := st.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !st.IndexReady(v); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no index after 20 s")
		}
	}
}

type answer struct {
	status int
	body   string
}

// askTogether sends n requests for url at once.
func askTogether(t *testing.T, url string, n int) <-chan answer {
	answers := make(chan answer)
	for range n {
		go func() {
			r, body := fetch(t, url)
			answers <- answer{r.StatusCode, string(body)}
		}()
	}
	return answers
}

// sameAnswers checks that the n answers are all 200 with the same bytes.
func sameAnswers(t *testing.T, answers <-chan answer, n int) {
	t.Helper()
	var first answer
	for i := range n {
		a := <-answers
		if a.status != http.StatusOK {
			t.Fatalf("reader %d: %d %s", i, a.status, a.body)
		}
		if i == 0 {
			first = a
		} else if a.body != first.body {
			t.Fatalf("reader %d got other bytes", i)
		}
	}
}
