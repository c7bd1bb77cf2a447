package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// writeCounter is a recorder that counts the writes of the body.
type writeCounter struct {
	*httptest.ResponseRecorder
	writes int
}

func (w *writeCounter) Write(b []byte) (int, error) {
	w.writes++
	return w.ResponseRecorder.Write(b)
}

// An answer sent as it is made (the first time a URL is asked for) is the
// answer made whole (the second time, then kept) and the kept one (the
// third): same status, headers and bytes.
func TestStreamedAnswerIsTheWholeOne(t *testing.T) {
	defer func(n int) { streamChunk = n }(streamChunk)
	streamChunk = 2 << 10 // so that the seed's pages go in several pieces
	srv, st := seededHandler(t, true)
	waitForIndex(t, st)
	for _, path := range []string{
		"/collections/incidents/items?limit=1000",
		"/collections/incidents/items?bbox=124,39,131,43.5&datetime=2020-01-01/2020-12-31&limit=10",
		"/collections/incidents/items?bbox=124,39,131,43.5&datetime=2020-01-01/2020-12-31&limit=10&offset=10",
		"/collections/incidents/items?q=smuggling&limit=5",
		"/collections/places/items?limit=1000",
		"/collections/zones/items?simplify=500",
	} {
		var got [3]*writeCounter
		for i := range got {
			got[i] = &writeCounter{ResponseRecorder: httptest.NewRecorder()}
			srv.ServeHTTP(got[i], httptest.NewRequest(http.MethodGet, path, nil))
			if got[i].Code != http.StatusOK {
				t.Fatalf("%s (%d): %d %s", path, i+1, got[i].Code, got[i].Body)
			}
		}
		if got[0].Body.Len() > 2*streamChunk && got[0].writes < 2 {
			t.Errorf("%s: %d bytes in %d write the first time; not sent as made", path, got[0].Body.Len(), got[0].writes)
		}
		for i, g := range got[1:] {
			if !bytes.Equal(g.Body.Bytes(), got[0].Body.Bytes()) {
				t.Errorf("%s: answer %d differs from the first", path, i+2)
			}
			a, b := got[0].Header().Clone(), g.Header().Clone()
			a.Del("Date")
			b.Del("Date")
			if len(a) != len(b) {
				t.Errorf("%s: headers of answer 1 and %d differ:\n%v\n%v", path, i+2, a, b)
			}
			for k := range a {
				if a.Get(k) != b.Get(k) || len(a[k]) != len(b[k]) {
					t.Errorf("%s: %s of answer 1 is %q, of answer %d %q", path, k, a[k], i+2, b[k])
				}
			}
		}
		if cl := got[0].Header().Get("Content-Length"); cl == "" || cl != got[1].Header().Get("Content-Length") {
			t.Errorf("%s: Content-Length %q, then %q", path, cl, got[1].Header().Get("Content-Length"))
		}
	}
}

// The same with gzip, as every browser asks: the first answer is
// compressed as it is made, without a Content-Length, and says the same as
// the answer made whole and compressed once (second) and the kept one
// (third), under the identity answer's ETag.
func TestStreamedGzipAnswerIsTheWholeOne(t *testing.T) {
	defer func(n int) { streamChunk = n }(streamChunk)
	streamChunk = 2 << 10
	srv, st := seededHandler(t, true)
	waitForIndex(t, st)
	get := func(path, encoding string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		return w
	}
	for _, path := range []string{
		"/collections/incidents/items?limit=1000",
		"/collections/incidents/items?bbox=124,39,131,43.5&datetime=2020-01-01/2020-12-31&limit=10&offset=10",
		"/collections/incidents/items?q=smuggling&limit=5",
	} {
		var got [3]*httptest.ResponseRecorder
		for i := range got {
			got[i] = get(path, "gzip, deflate, br")
		}
		plain := get(path, "") // kept by now: the answer made whole
		if got[0].Header().Get("Content-Length") != "" {
			t.Errorf("%s: the first gzipped answer has a Content-Length: not sent as made", path)
		}
		for i, g := range got {
			h := g.Header()
			if h.Get("Content-Encoding") != "gzip" || h.Get("Etag") != plain.Header().Get("Etag") ||
				h.Get("Vary") != plain.Header().Get("Vary") || h.Get("Content-Type") != plain.Header().Get("Content-Type") {
				t.Errorf("%s (%d): encoding %q, ETag %q, Vary %q, type %q; identity: ETag %q, Vary %q, type %q", path, i+1,
					h.Get("Content-Encoding"), h.Get("Etag"), h.Get("Vary"), h.Get("Content-Type"),
					plain.Header().Get("Etag"), plain.Header().Get("Vary"), plain.Header().Get("Content-Type"))
			}
			zr, err := gzip.NewReader(g.Body)
			if err != nil {
				t.Fatalf("%s (%d): %v", path, i+1, err)
			}
			body, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s (%d): %v", path, i+1, err)
			}
			if !bytes.Equal(body, plain.Body.Bytes()) {
				t.Errorf("%s (%d): the gzipped answer is not the identity answer", path, i+1)
			}
		}
	}
}
