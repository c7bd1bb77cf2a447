package server

import (
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestFramingPolicy(t *testing.T) {
	ancestors := func(csp string) string {
		for _, d := range strings.Split(csp, ";") {
			if d = strings.TrimSpace(d); strings.HasPrefix(d, "frame-ancestors") {
				return d
			}
		}
		return ""
	}
	for _, tc := range []struct{ path, want string }{
		{"/", "frame-ancestors 'self'"},
		{"/embed", "frame-ancestors *"},
		{"/embed?date=2020-08-27", "frame-ancestors *"},
		{"/collections", "frame-ancestors 'self'"},
		{"/present?story=closure&step=2", "frame-ancestors 'self'"},
		{"/static/favicon.svg", "frame-ancestors 'self'"}, // an SVG may be opened as a page
	} {
		resp, _ := get(t, tc.path)
		csp := resp.Header.Get("Content-Security-Policy")
		if got := ancestors(csp); got != tc.want {
			t.Errorf("GET %s: %q, want %q", tc.path, got, tc.want)
		}
		if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: CSP not strict: %q", tc.path, csp)
		}
	}

	// Limited to listed origins, our own pages still frame it (the share preview).
	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(io.Discard, nil)),
		WithFrameAncestors([]string{"https://news.example", "https://*.paper.example"}))
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/embed", nil))
	if got := ancestors(rec.Header().Get("Content-Security-Policy")); got != "frame-ancestors 'self' https://news.example https://*.paper.example" {
		t.Errorf("limited embed: %q", got)
	}
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if got := ancestors(rec.Header().Get("Content-Security-Policy")); got != "frame-ancestors 'self'" {
		t.Errorf("limited server, map page: %q", got)
	}
}

func TestParseFrameAncestors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  string
	}{
		{in: "", want: []string{"*"}},
		{in: "*", want: []string{"*"}},
		{in: "https://News.Example", want: []string{"https://news.example"}},
		{in: "https://a.example, https://*.b.example  http://localhost:3000", want: []string{"https://a.example", "https://*.b.example", "http://localhost:3000"}},
		{in: "news.example", err: "not an origin"},
		{in: "https://news.example/world/", err: "origin only"},
		{in: "ftp://news.example", err: "not an origin"},
		{in: "* https://a.example", err: "alone"},
		{in: "https://a.*.example", err: "leading"},
		{in: "'unsafe-inline'", err: "not an origin"},
	} {
		got, err := ParseFrameAncestors(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one saying %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

var discoveryRE = regexp.MustCompile(`<link rel="alternate" type="application/json\+oembed" href="([^"]+)"`)

func TestPagesLinkTheirOEmbed(t *testing.T) {
	for _, path := range []string{"/?date=2020-08-27&incident=2020-08-26-shoot-on-sight-zone", "/embed?date=2020-08-27&cat=arrests,health", "/embed"} {
		resp, body := get(t, path, "Accept", "text/html")
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		m := discoveryRE.FindSubmatch(body)
		if m == nil {
			t.Fatalf("GET %s: no oEmbed discovery link", path)
		}
		u, err := url.Parse(html.UnescapeString(string(m[1])))
		if err != nil || u.Path != "/oembed" || u.Query().Get("format") != "json" {
			t.Fatalf("GET %s: discovery href %q", path, m[1])
		}
		if got := u.Query().Get("url"); got != testURL+path {
			t.Errorf("GET %s: discovery names %q, not the page itself", path, got)
		}
		if strings.Contains(string(body), headMarker) {
			t.Errorf("GET %s: the head marker was left in", path)
		}
		// The discovered address answers.
		resp, _ = get(t, strings.TrimPrefix(u.String(), testURL))
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: its oEmbed answers %d", path, resp.StatusCode)
		}
	}
}

func TestPresentationPage(t *testing.T) {
	resp, body := get(t, "/present?story=closure&step=3", "Accept", "text/html")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `data-page="present"`) {
		t.Fatalf("/present: %d %.100s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), headMarker) || discoveryRE.Match(body) {
		t.Error("/present carries the head marker or an oEmbed link; it is not embeddable")
	}
}

func TestOEmbed(t *testing.T) {
	oembed := func(params url.Values) (*http.Response, oembedResponse, map[string]any) {
		t.Helper()
		resp, body := get(t, "/oembed?"+params.Encode())
		var ok oembedResponse
		var e map[string]any
		if resp.StatusCode == 200 {
			if err := json.Unmarshal(body, &ok); err != nil {
				t.Fatalf("oembed %v: %v", params, err)
			}
		} else if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("oembed %v: error body %q is not JSON", params, body)
		}
		return resp, ok, e
	}
	view := testURL + "/?date=2020-08-27&incident=2020-08-26-shoot-on-sight-zone&lat=41.2&lng=127.4&z=7&q=shoot"

	resp, r, _ := oembed(url.Values{"url": {view}})
	if resp.StatusCode != 200 || r.Version != "1.0" || r.Type != "rich" || r.ProviderName != "Borderline" || r.CacheAge <= 0 {
		t.Fatalf("oembed: %d %+v", resp.StatusCode, r)
	}
	if r.ProviderURL != testURL+"/" {
		t.Errorf("provider_url %q", r.ProviderURL)
	}
	if !strings.Contains(r.Title, "Shoot-on-sight") {
		t.Errorf("title %q does not name the selected incident", r.Title)
	}
	src := regexp.MustCompile(`<iframe src="([^"]+)"`).FindStringSubmatch(r.HTML)
	if src == nil {
		t.Fatalf("html %q has no iframe", r.HTML)
	}
	embedURL, _ := url.Parse(html.UnescapeString(src[1]))
	if embedURL.Path != "/embed" {
		t.Errorf("iframe of %s, not /embed", embedURL.Path)
	}
	want, _ := url.Parse(view)
	if embedURL.Query().Encode() != want.Query().Encode() {
		t.Errorf("the embed's state %q is not the view's %q", embedURL.RawQuery, want.RawQuery)
	}
	if !strings.Contains(r.HTML, `width="`+itoa(r.Width)+`"`) || !strings.Contains(r.HTML, `height="`+itoa(r.Height)+`"`) {
		t.Errorf("html %q does not carry width %d and height %d", r.HTML, r.Width, r.Height)
	}

	// Within maxwidth and maxheight; the embed URL itself works as well.
	for _, tc := range []struct{ mw, mh string }{{"640", ""}, {"320", "300"}, {"2000", "5000"}, {"", "400"}} {
		params := url.Values{"url": {testURL + "/embed?date=2020-05-01"}, "format": {"json"}}
		if tc.mw != "" {
			params.Set("maxwidth", tc.mw)
		}
		if tc.mh != "" {
			params.Set("maxheight", tc.mh)
		}
		resp, r, _ := oembed(params)
		if resp.StatusCode != 200 {
			t.Fatalf("%v: %d", params, resp.StatusCode)
		}
		if mw := atoi(tc.mw); mw > 0 && r.Width > mw {
			t.Errorf("%v: width %d over maxwidth", params, r.Width)
		}
		if mh := atoi(tc.mh); mh > 0 && r.Height > mh {
			t.Errorf("%v: height %d over maxheight", params, r.Height)
		}
		if r.Width < 1 || r.Height < 1 || !strings.Contains(r.Title, "1 May 2020") {
			t.Errorf("%v: %+v", params, r)
		}
	}

	// The spec's errors: 404 for what is not ours, 501 for another format, 400 for bad input.
	for _, tc := range []struct {
		params url.Values
		status int
		param  string
	}{
		{url.Values{}, 400, "url"},
		{url.Values{"url": {"not a url"}}, 400, "url"},
		{url.Values{"url": {"/embed?date=2020-08-27"}}, 400, "url"},
		{url.Values{"url": {"javascript:alert(1)"}}, 400, "url"},
		{url.Values{"url": {"https://elsewhere.example/embed"}}, 404, ""},
		{url.Values{"url": {testURL + "/collections/incidents"}}, 404, ""},
		{url.Values{"url": {testURL + "/"}, "format": {"xml"}}, 501, "format"},
		{url.Values{"url": {testURL + "/"}, "maxwidth": {"wide"}}, 400, "maxwidth"},
		{url.Values{"url": {testURL + "/"}, "maxheight": {"0"}}, 400, "maxheight"},
		{url.Values{"url": {testURL + "/"}, "callback": {"x"}}, 400, "callback"},
	} {
		resp, _, e := oembed(tc.params)
		if resp.StatusCode != tc.status {
			t.Errorf("%v: %d, want %d", tc.params, resp.StatusCode, tc.status)
			continue
		}
		if e["description"] == "" || (tc.param != "" && e["parameter"] != tc.param) {
			t.Errorf("%v: error body %v should name %q", tc.params, e, tc.param)
		}
	}
}

func TestEmbedHostScript(t *testing.T) {
	resp, body := get(t, "/embed.js")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("/embed.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"borderline-height", "event.origin", "data-borderline-responsive"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/embed.js lacks %q", want)
		}
	}
	if resp.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Error("other sites cannot load /embed.js")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// atoi reads an optional number: "" is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
