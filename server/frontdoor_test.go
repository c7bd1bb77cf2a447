package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// The front door must answer exactly as echo does: same status, headers and
// bytes, for every form a client may ask. Each request goes once through
// the whole server (which takes the front door when it can) and once
// through echo alone; both must agree, and the front door must have been
// taken where it should (a miss there would make this test pass by
// comparing echo with itself).
func TestFrontDoorAnswersAsEchoDoes(t *testing.T) {
	srv, _ := seededHandler(t, true)
	asset := srv.assets.url("static", "js/main.js")
	leaflet := srv.assets.url("vendor", "leaflet.js")
	items := "/collections/incidents/items?datetime=2021-01-01/2021-12-31&limit=20"
	border := "/collections/border/items?simplify=500"

	// Keep the data answers, as the first two readers would (an answer is
	// kept the second time it is asked for), and not one asked for once.
	for _, u := range []string{items, border, "/collections", "/stories", items, border, "/collections", "/stories", "/collections/incidents/items?limit=3"} {
		rec := httptest.NewRecorder()
		srv.echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", u, rec.Code)
		}
	}
	etag := func(u string) string {
		rec := httptest.NewRecorder()
		srv.echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
		return rec.Header().Get("Etag")
	}

	cases := []struct {
		name, method, url string
		header            []string
		front             bool // the front door answers it
	}{
		{"asset, Brotli", "GET", asset, []string{"Accept-Encoding", "gzip, deflate, br"}, true},
		{"asset, gzip", "GET", asset, []string{"Accept-Encoding", "gzip"}, true},
		{"asset, plain", "GET", asset, nil, true},
		{"asset, HEAD", "HEAD", asset, []string{"Accept-Encoding", "gzip"}, true},
		{"asset, 304", "GET", asset, []string{"Accept-Encoding", "gzip", "If-None-Match", "*"}, true},
		{"asset, nothing acceptable", "GET", asset, []string{"Accept-Encoding", "identity;q=0"}, false},
		{"Leaflet", "GET", leaflet, []string{"Accept-Encoding", "gzip"}, true},
		{"asset of another build", "GET", "/static/0123456789abcdef/js/main.js", nil, false},
		{"page file at a versioned address", "GET", "/static/" + srv.assets.roots["static"].version + "/" + mapPage, nil, false},
		{"kept data, plain", "GET", items, nil, true},
		{"kept data, gzip", "GET", items, []string{"Accept-Encoding", "gzip"}, true},
		{"kept data, HEAD", "HEAD", items, []string{"Accept-Encoding", "gzip"}, true},
		{"kept data, 304", "GET", items, []string{"If-None-Match", etag(items)}, true},
		{"kept data behind a proxy", "GET", items, []string{"X-Forwarded-Proto", "https"}, false},
		{"kept layer", "GET", border, []string{"Accept-Encoding", "gzip"}, true},
		{"kept collections", "GET", "/collections", nil, true},
		{"kept stories", "GET", "/stories", nil, true},
		{"data asked for once", "GET", "/collections/incidents/items?limit=3", nil, false},
		{"a page", "GET", "/", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := func() *http.Request {
				r := httptest.NewRequest(tc.method, tc.url, nil)
				for i := 0; i+1 < len(tc.header); i += 2 {
					r.Header.Set(tc.header[i], tc.header[i+1])
				}
				return r
			}
			front := httptest.NewRecorder()
			took := srv.answerKept(front, req())
			if took != tc.front {
				t.Fatalf("front door taken: %v, want %v", took, tc.front)
			}
			if !took {
				front = httptest.NewRecorder()
				srv.ServeHTTP(front, req())
			}
			viaEcho := httptest.NewRecorder()
			srv.echo.ServeHTTP(viaEcho, req())
			if front.Code != viaEcho.Code {
				t.Fatalf("status %d, echo %d", front.Code, viaEcho.Code)
			}
			if got, want := headerLines(front.Header()), headerLines(viaEcho.Header()); !slices.Equal(got, want) {
				t.Errorf("headers differ\nfront door: %q\necho:       %q", got, want)
			}
			if front.Body.String() != viaEcho.Body.String() {
				t.Errorf("bodies differ: %d bytes, echo %d", front.Body.Len(), viaEcho.Body.Len())
			}
		})
	}
}

func headerLines(h http.Header) []string {
	var lines []string
	for k, vs := range h {
		lines = append(lines, k+": "+strings.Join(vs, ", "))
	}
	slices.Sort(lines)
	return lines
}
