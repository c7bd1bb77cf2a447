package server

import (
	"bytes"
	"compress/gzip"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"github.com/borderline/borderline/precompress"
)

func TestNegotiate(t *testing.T) {
	id, gz, br := &form{}, &form{}, &form{}
	name := map[*form]string{id: "identity", gz: "gzip", br: "br", nil: "406"}
	for _, tc := range []struct {
		header string
		noBr   bool // the file has no Brotli form (a plain go build)
		want   string
	}{
		{"", false, "identity"},
		{"   ", false, "identity"},
		{"gzip", false, "gzip"},
		{"gzip, deflate, br", false, "br"},
		{"gzip, deflate, br, zstd", false, "br"},
		{"gzip, deflate, br", true, "gzip"},
		{"br", true, "identity"},
		{"deflate", false, "identity"},
		{"GZIP", false, "gzip"},
		{"x-gzip", false, "gzip"},
		{"br;q=0.5, gzip", false, "gzip"},
		{"br;q=0.5, gzip;q=0.4", false, "br"},
		{"br ; q=0.5 , gzip ; q=0.8", false, "gzip"},
		{"br;Q=0.9, gzip;q=0.8", false, "br"},
		{"gzip;q=1.0, br;q=1.000", false, "br"},
		{"br;q=0, gzip;q=0", false, "identity"},
		{"br;q=0.001", false, "br"},
		{"*", false, "br"},
		{"*;q=0.5, gzip", false, "gzip"},
		{"*;q=0", false, "406"},
		{"*;q=0, identity", false, "identity"},
		{"identity;q=0", false, "406"},
		{"identity;q=0, gzip", false, "gzip"},
		{"identity;q=0, *", false, "br"},
		{"identity", false, "identity"},
		{"identity;q=0.5, gzip;q=0.4", false, "identity"},
		{"gzip;q=2", false, "identity"},      // not a q-value: as if not there
		{"gzip;q=0.5000", false, "identity"}, // four decimals are too many
		{"gzip;q=abc, br", false, "br"},
		{"gzip;level=9", false, "gzip"},
		{",,gzip,,", false, "gzip"},
	} {
		b := br
		if tc.noBr {
			b = nil
		}
		got, ok := negotiate(tc.header, id, gz, b)
		if !ok {
			got = nil
		}
		if name[got] != tc.want {
			t.Errorf("Accept-Encoding %q (Brotli form: %v): %s, want %s", tc.header, !tc.noBr, name[got], tc.want)
		}
	}
}

func TestETagMatches(t *testing.T) {
	for _, tc := range []struct {
		list string
		want bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{`"x",W/"abc"`, true},
		{`*`, true},
		{`"abc.gz"`, false},
		{`"ab"`, false},
		{`abc`, false},
		{`"x"`, false},
	} {
		if got := etagMatches(tc.list, `"abc"`); got != tc.want {
			t.Errorf("If-None-Match %s: %v", tc.list, got)
		}
	}
}

// assetServer serves the real front end with the build's forms made for
// the files named, as `make build` does, and a form made for other bytes
// than main.js's.
func assetServer(t testing.TB, withForms ...string) (*httptest.Server, *Server) {
	t.Helper()
	forms := fstest.MapFS{}
	for _, name := range withForms {
		root, p, _ := strings.Cut(name, "/")
		fsys := testAssets.Static
		if root == "vendor" {
			fsys = testAssets.Vendor
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, coding := range precompress.Codings {
			packed, err := precompress.Encode(b, coding)
			if err != nil {
				t.Fatal(err)
			}
			forms[precompress.Name(precompress.Key(b), coding)] = &fstest.MapFile{Data: packed}
		}
	}
	// A form of main.js as an earlier build had it: never to be sent.
	old, _ := precompress.Encode([]byte("export const before = 1;\n"), precompress.Brotli)
	forms[precompress.Name(precompress.Key([]byte("export const before = 1;\n")), precompress.Brotli)] = &fstest.MapFile{Data: old}

	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(io.Discard, nil)), WithPrecompressed(forms))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, srv
}

// rawGet fetches without Go's transparent gzip, so the bytes are as sent.
func rawGet(t testing.TB, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
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

func decodeBody(t *testing.T, b []byte, coding string) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch coding {
	case "":
		return b
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	default:
		t.Fatalf("Content-Encoding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", coding, err)
	}
	return out
}

func TestAssetResponses(t *testing.T) {
	ts, srv := assetServer(t, "static/css/app.css", "vendor/leaflet.js")
	sv, vv := srv.assets.roots["static"].version, srv.assets.roots["vendor"].version
	const immutable, revalidate, hour = "public, max-age=31536000, immutable", "no-cache", "public, max-age=3600"
	for _, tc := range []struct {
		path, accept string
		file         string // static/… or vendor/…: what the body must be
		status       int
		encoding     string
		cache        string
	}{
		// Versioned: immutable, in every form the build made and the client takes.
		{"/static/" + sv + "/css/app.css", "gzip, deflate, br", "static/css/app.css", 200, "br", immutable},
		{"/static/" + sv + "/css/app.css", "gzip", "static/css/app.css", 200, "gzip", immutable},
		{"/static/" + sv + "/css/app.css", "", "static/css/app.css", 200, "", immutable},
		{"/static/" + sv + "/css/app.css", "br;q=0, gzip;q=0", "static/css/app.css", 200, "", immutable},
		{"/static/" + sv + "/css/app.css", "identity;q=0", "", 406, "", ""},
		{"/vendor/leaflet/" + vv + "/leaflet.js", "gzip, br", "vendor/leaflet.js", 200, "br", immutable},
		{"/vendor/leaflet/" + vv + "/leaflet.css", "gzip, br", "vendor/leaflet.css", 200, "gzip", immutable},
		// Not compressed by the build: gzipped by the server, no Brotli.
		{"/static/" + sv + "/js/main.js", "gzip, deflate, br", "static/js/main.js", 200, "gzip", immutable},
		{"/static/" + sv + "/js/main.js", "br", "static/js/main.js", 200, "", immutable},
		// An image goes as it is, past the Gzip middleware (it is over its 1 kB).
		{"/vendor/leaflet/" + vv + "/images/marker-icon-2x.png", "gzip, br", "vendor/images/marker-icon-2x.png", 200, "", immutable},
		// Unversioned addresses, for old pages and bookmarks: revalidated.
		{"/static/js/main.js", "gzip", "static/js/main.js", 200, "gzip", revalidate},
		{"/vendor/leaflet/leaflet.js", "br", "vendor/leaflet.js", 200, "br", revalidate},
		{"/static/./js/../js/main.js", "", "static/js/main.js", 200, "", revalidate},
		// Another build's version: today's file, but not for good.
		{"/static/0123456789abcdef/js/main.js", "gzip", "static/js/main.js", 200, "gzip", revalidate},
		// The host script stays at its address and caches for an hour.
		{"/embed.js", "gzip, br", "static/host/embed.js", 200, "gzip", hour},
		// The pages are not in the version; nor is what does not exist.
		{"/static/" + sv + "/index.html", "", "", 404, "", ""},
		{"/static/" + sv + "/js/nope.js", "", "", 404, "", ""},
		{"/static/" + vv + "/js/main.js", "", "", 200, "", revalidate}, // Leaflet's version is not static's
		{"/vendor/leaflet/" + sv + "/leaflet.js", "", "", 200, "", revalidate},
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			label := method + " " + tc.path + " (Accept-Encoding: " + tc.accept + ")"
			resp, body := rawGet(t, method, ts.URL+tc.path, "Accept-Encoding", tc.accept)
			if resp.StatusCode != tc.status {
				t.Errorf("%s: %d, want %d", label, resp.StatusCode, tc.status)
				continue
			}
			h := resp.Header
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cross-Origin-Resource-Policy") == "" {
				t.Errorf("%s: the security headers are missing: %v", label, h)
			}
			// The policies of documents go with what a browser may render
			// as one, and only there.
			document := tc.status != 200 || !notDocumentType(h.Get("Content-Type"))
			if got := h.Get("Content-Security-Policy") != "" && h.Get("Permissions-Policy") != "" && h.Get("Referrer-Policy") != ""; got != document {
				t.Errorf("%s (%s): the policies of documents: %v, want %v", label, h.Get("Content-Type"), got, document)
			}
			if tc.status != 200 {
				continue
			}
			if got := h.Values("Content-Encoding"); strings.Join(got, ",") != tc.encoding {
				t.Errorf("%s: Content-Encoding %q, want %q", label, got, tc.encoding)
			}
			if got := h.Get("Cache-Control"); got != tc.cache {
				t.Errorf("%s: Cache-Control %q, want %q", label, got, tc.cache)
			}
			if got := h.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" {
				t.Errorf("%s: Vary %q", label, got)
			}
			etag := h.Get("ETag")
			if want := map[string]string{"": `"`, "gzip": `.gz"`, "br": `.br"`}[tc.encoding]; !strings.HasSuffix(etag, want) || strings.HasPrefix(etag, "W/") {
				t.Errorf("%s: ETag %s is not the strong tag of the %q form", label, etag, tc.encoding)
			}
			if method == http.MethodHead {
				if len(body) != 0 {
					t.Errorf("%s: a body of %d bytes", label, len(body))
				}
				continue
			}
			if resp.ContentLength != int64(len(body)) || h.Get("Content-Length") == "" {
				t.Errorf("%s: Content-Length %q for %d bytes", label, h.Get("Content-Length"), len(body))
			}
			if tc.file == "" {
				continue
			}
			root, p, _ := strings.Cut(tc.file, "/")
			fsys := testAssets.Static
			if root == "vendor" {
				fsys = testAssets.Vendor
			}
			want, err := fs.ReadFile(fsys, p)
			if err != nil {
				t.Fatal(err)
			}
			if got := decodeBody(t, body, tc.encoding); !bytes.Equal(got, want) {
				t.Errorf("%s: the body is not %s (%d bytes decoded, want %d)", label, tc.file, len(got), len(want))
			}
			wantType := contentType(p)
			if got := h.Get("Content-Type"); got != wantType {
				t.Errorf("%s: Content-Type %q, want %q", label, got, wantType)
			}

			// Revalidation: the form's own tag is a 304, another form's is not.
			again, rest := rawGet(t, method, ts.URL+tc.path, "Accept-Encoding", tc.accept, "If-None-Match", `"nope", W/`+etag)
			if again.StatusCode != http.StatusNotModified || len(rest) != 0 || again.Header.Get("ETag") != etag ||
				again.Header.Get("Cache-Control") != tc.cache || again.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("%s: revalidating %s: %d %v", label, etag, again.StatusCode, again.Header)
			}
			other := strings.TrimSuffix(etag, `"`) + `.other"`
			if again, _ := rawGet(t, method, ts.URL+tc.path, "Accept-Encoding", tc.accept, "If-None-Match", other); again.StatusCode != http.StatusOK {
				t.Errorf("%s: If-None-Match %s: %d, want 200", label, other, again.StatusCode)
			}
		}
	}
}

// Every address a page gives resolves, the front end's at versioned
// addresses that cache for good; so does every address those files give
// relative to themselves (the modules' imports, Leaflet's images).
func TestPageLinksResolve(t *testing.T) {
	ts, _ := assetServer(t)
	attr := regexp.MustCompile(`(?:href|src)="(/[^"]*)"`)
	imports := regexp.MustCompile(`(?:from|import)\s*\(?\s*'(\.[^']+)'|url\((images/[^)]+)\)`)
	versioned := regexp.MustCompile(`^/(static|vendor/leaflet)/[0-9a-f]{16}/`)
	checked := map[string]bool{}
	var follow func(from, url string)
	follow = func(from, url string) {
		if checked[url] {
			return
		}
		checked[url] = true
		resp, body := rawGet(t, http.MethodGet, ts.URL+url)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s links to %s: %d", from, url, resp.StatusCode)
			return
		}
		if !strings.HasPrefix(url, "/static/") && !strings.HasPrefix(url, "/vendor/") {
			return
		}
		if !versioned.MatchString(url) {
			t.Errorf("%s links to %s, which is not versioned", from, url)
			return
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", url, cc)
		}
		dir := url[:strings.LastIndex(url, "/")+1]
		for _, m := range imports.FindAllSubmatch(body, -1) {
			ref := string(m[1]) + string(m[2])
			follow(url, cleanURL(dir+ref))
		}
	}
	for _, page := range []string{"/", "/embed", "/present?story=closure", "/cite"} {
		resp, body := rawGet(t, http.MethodGet, ts.URL+page)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", page, resp.StatusCode)
		}
		for _, m := range attr.FindAllSubmatch(body, -1) {
			follow(page, strings.ReplaceAll(string(m[1]), "&amp;", "&"))
		}
	}
	for _, want := range []string{"js/timeline.js", "js/site.js", "css/app.css", "images/layers.png", "leaflet.js"} {
		found := false
		for u := range checked {
			found = found || (versioned.MatchString(u) && strings.HasSuffix(u, "/"+want))
		}
		if !found {
			t.Errorf("no page led to a versioned %s", want)
		}
	}
}

// Pages are kept once made, per address: each answer still has its own
// discovery link, gzips without the middleware, and revalidates.
func TestPageResponses(t *testing.T) {
	ts, srv := assetServer(t)
	for _, tc := range []struct{ path, vary string }{
		{"/?date=2020-08-27", "Accept,Accept-Encoding"},
		{"/embed?date=2020-08-27", "Accept-Encoding"},
		{"/embed?date=2021-03-01", "Accept-Encoding"},
		{"/embed?date=2020-08-27", "Accept-Encoding"}, // again: from memory
		{"/present?story=closure", "Accept-Encoding"},
	} {
		// As a browser asks: "/" is JSON for a client that does not ask for HTML.
		const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
		plainResp, plain := rawGet(t, http.MethodGet, ts.URL+tc.path, "Accept", browser)
		resp, body := rawGet(t, http.MethodGet, ts.URL+tc.path, "Accept", browser, "Accept-Encoding", "gzip, deflate, br")
		if resp.StatusCode != 200 || plainResp.StatusCode != 200 {
			t.Fatalf("%s: %d, %d", tc.path, resp.StatusCode, plainResp.StatusCode)
		}
		if got := decodeBody(t, body, resp.Header.Get("Content-Encoding")); !bytes.Equal(got, plain) || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: the gzipped page (%q) is not the page", tc.path, resp.Header.Get("Content-Encoding"))
		}
		if got := strings.Join(varyNames(resp.Header), ","); got != tc.vary {
			t.Errorf("%s: Vary %q, want %q", tc.path, got, tc.vary)
		}
		if resp.Header.Get("Cache-Control") != "no-cache" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: %v", tc.path, resp.Header)
		}
		if strings.Contains(tc.path, "?") && !strings.HasPrefix(tc.path, "/present") {
			self := url.QueryEscape(ts.URL + tc.path)
			if !bytes.Contains(plain, []byte(html.EscapeString(self))) {
				t.Errorf("%s: the discovery link is not this address's:\n%s", tc.path, discoveryRE.Find(plain))
			}
		}
		etag := resp.Header.Get("ETag")
		if plainResp.Header.Get("ETag") == etag || !strings.HasSuffix(etag, `.gz"`) {
			t.Errorf("%s: ETags %s and %s", tc.path, plainResp.Header.Get("ETag"), etag)
		}
		if again, _ := rawGet(t, http.MethodGet, ts.URL+tc.path, "Accept", browser, "Accept-Encoding", "gzip", "If-None-Match", etag); again.StatusCode != http.StatusNotModified {
			t.Errorf("%s: revalidating: %d", tc.path, again.StatusCode)
		}
	}
	if n := len(srv.assets.renders.pages); n != 4 {
		t.Errorf("%d pages kept, want 4", n)
	}
	for i := range 2 * maxPageRenders {
		srv.assets.renders.put(strconv.Itoa(i), &asset{})
	}
	if n := len(srv.assets.renders.pages); n != maxPageRenders {
		t.Errorf("%d pages kept, at most %d", n, maxPageRenders)
	}
}

// cleanURL resolves ./ and ../ in an absolute path.
func cleanURL(p string) string {
	var out []string
	for _, seg := range strings.Split(p, "/")[1:] {
		switch seg {
		case ".":
		case "..":
			out = out[:len(out)-1]
		default:
			out = append(out, seg)
		}
	}
	return "/" + strings.Join(out, "/")
}

// benchWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the server and not a recorder.
type benchWriter struct{ h http.Header }

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *benchWriter) WriteHeader(int)             {}

// BenchmarkAsset serves main.js through the whole handler (routing,
// middleware, negotiation) on every core, without the network:
//
//	go test ./server -run '^$' -bench Asset -benchmem
func BenchmarkAsset(b *testing.B) {
	_, srv := assetServer(b, "static/js/main.js")
	path := "/static/" + srv.assets.roots["static"].version + "/js/main.js"
	for _, tc := range []struct{ name, accept string }{
		{"identity", ""},
		{"gzip", "gzip"},
		{"br", "gzip, deflate, br, zstd"},
		{"revalidate", "gzip"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			header := http.Header{}
			if tc.accept != "" {
				header.Set("Accept-Encoding", tc.accept)
			}
			if tc.name == "revalidate" {
				w := &benchWriter{h: http.Header{}}
				srv.ServeHTTP(w, &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path}, Header: header})
				header.Set("If-None-Match", w.h.Get("ETag"))
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header = header.Clone()
				w := &benchWriter{h: http.Header{}}
				for pb.Next() {
					clear(w.h)
					srv.ServeHTTP(w, req)
				}
			})
		})
	}
}
