package server

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/borderline/borderline/catalog"
	"github.com/borderline/borderline/store"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

// dataPages are the resources that come as HTML too, with the media type
// of their JSON.
var dataPages = []struct{ path, jsonType string }{
	{"/collections", jsonType},
	{"/collections/incidents", jsonType},
	{"/collections/zones", jsonType},
	{"/collections/incidents/items?limit=3", geoJSONType},
	{"/collections/places/items?limit=3&kind=city", geoJSONType},
	{"/collections/incidents/items/2020-01-01-border-closed-trade-halted", geoJSONType},
	{"/collections/areas/items/chagang", geoJSONType},
	{"/collections/incidents/queryables", schemaType},
	{"/collections/zones/sortables", schemaType},
}

func TestDataPagesNegotiateHTMLOrJSON(t *testing.T) {
	for _, page := range dataPages {
		for _, tc := range []struct {
			name, accept, f string
			html            bool
		}{
			{"a browser", browserAccept, "", true},
			{"text/html", "text/html", "", true},
			{"curl", "*/*", "", false},
			{"no Accept", "", "", false},
			{"application/json", "application/json", "", false},
			{"f=json overrides a browser", browserAccept, "json", false},
			{"f=html overrides curl", "*/*", "html", true},
		} {
			p := page.path
			if tc.f != "" {
				p += map[bool]string{true: "&", false: "?"}[strings.Contains(p, "?")] + "f=" + tc.f
			}
			// Three times: the second answer is kept, the third comes from
			// what was kept, and each must still be the client's own.
			for round := range 3 {
				resp, body := get(t, p, "Accept", tc.accept)
				ct := resp.Header.Get("Content-Type")
				if resp.StatusCode != 200 {
					t.Fatalf("%s, GET %s: %d %s", tc.name, p, resp.StatusCode, body)
				}
				isHTML := strings.HasPrefix(ct, "text/html")
				if isHTML != tc.html {
					t.Errorf("%s, GET %s (round %d): %s, want HTML %v", tc.name, p, round, ct, tc.html)
				}
				if !isHTML && (ct != page.jsonType || !json.Valid(body)) {
					t.Errorf("%s, GET %s: %s, want %s", tc.name, p, ct, page.jsonType)
				}
				if isHTML && !bytes.Contains(body, []byte(`<html lang="en">`)) {
					t.Errorf("%s, GET %s: not a page: %.80s", tc.name, p, body)
				}
				vary := slices.Contains(varyNames(resp.Header), "Accept")
				if vary != (tc.f == "") {
					t.Errorf("%s, GET %s (round %d): Vary %q", tc.name, p, round, resp.Header.Values("Vary"))
				}
				if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
					t.Errorf("%s, GET %s: CSP %q", tc.name, p, csp)
				}
			}
		}
	}
}

var (
	alternateTag = regexp.MustCompile(`<link rel="alternate" type="([^"]+)" href="([^"]+)">`)
	linkHeader   = regexp.MustCompile(`<([^>]+)>; rel="alternate"; type="text/html"`)
)

// Each JSON document links its HTML, and each page its JSON, and the links
// answer in the format they name.
func TestAlternatesLinkBothWays(t *testing.T) {
	for _, page := range dataPages {
		resp, body := get(t, page.path, "Accept", "application/json")
		var doc struct {
			Links []link `json:"links"`
		}
		json.Unmarshal(body, &doc)
		htmlHref := ""
		for _, l := range doc.Links {
			if l.Rel == "alternate" && l.Type == htmlType {
				htmlHref = l.Href
			}
		}
		if m := linkHeader.FindStringSubmatch(resp.Header.Get("Link")); htmlHref == "" && m != nil {
			htmlHref = m[1] // a JSON Schema has no links of its own
		}
		if htmlHref == "" {
			t.Errorf("GET %s: no alternate HTML link in %s", page.path, body)
			continue
		}
		u, _ := url.Parse(htmlHref)
		if u.Query().Get("f") != "html" {
			t.Errorf("GET %s: the HTML link %s has no f=html", page.path, htmlHref)
		}
		resp, body = get(t, u.RequestURI(), "Accept", "*/*")
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s answers %s", htmlHref, resp.Header.Get("Content-Type"))
			continue
		}
		m := alternateTag.FindStringSubmatch(string(body))
		if m == nil {
			t.Errorf("%s has no alternate link", htmlHref)
			continue
		}
		typ := strings.ReplaceAll(m[1], "&#43;", "+")
		if typ != page.jsonType {
			t.Errorf("%s links its JSON as %s, want %s", htmlHref, typ, page.jsonType)
		}
		back, _ := url.Parse(strings.ReplaceAll(m[2], "&amp;", "&"))
		resp, body = get(t, back.RequestURI(), "Accept", browserAccept)
		if resp.Header.Get("Content-Type") != page.jsonType || !json.Valid(body) {
			t.Errorf("%s links %s, which answers %s", htmlHref, back, resp.Header.Get("Content-Type"))
		}
	}
}

func TestItemsPageHasTableAndPaging(t *testing.T) {
	_, body := get(t, "/collections/incidents/items?limit=5&offset=5&sortby=-date_start", "Accept", "text/html")
	page := string(body)
	for _, want := range []string{
		`<caption id="caption">Incidents 6–10 of `,
		`<th scope="col">Title</th>`,
		`<th scope="col">Date precision</th>`,
		`rel="next"`, `rel="prev"`,
		`href="/collections/incidents/items/`,
		`rel="noopener noreferrer"`,
		`<a href="/collections">Collections</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the items page lacks %s", want)
		}
	}
	if strings.Contains(page, `<th scope="col">date_precision</th>`) {
		t.Error("a column is headed by its program name")
	}
	// The paging links keep the request's parameters.
	for _, m := range regexp.MustCompile(`href="([^"]+)" rel="(?:next|prev)"`).FindAllStringSubmatch(page, -1) {
		u, _ := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if u.Query().Get("sortby") != "-date_start" || u.Query().Get("limit") != "5" {
			t.Errorf("paging link %s dropped the request's parameters", u)
		}
	}
	// properties= chooses the columns.
	_, body = get(t, "/collections/incidents/items?limit=2&properties=title,verification", "Accept", "text/html")
	heads := regexp.MustCompile(`<th scope="col">([^<]+)</th>`).FindAllStringSubmatch(string(body), -1)
	var got []string
	for _, h := range heads {
		got = append(got, h[1])
	}
	if !slices.Equal(got, []string{"Id", "Title", "Verification"}) {
		t.Errorf("properties=title,verification: columns %v", got)
	}
}

// An incident's text is data: a page shows markup in it as text, and a
// report's address that is not a web address is not a link.
func TestDataPagesEscapeIncidentText(t *testing.T) {
	tmpl, err := parseHTMLTemplates()
	if err != nil {
		t.Fatal(err)
	}
	col, _ := catalog.Get("incidents")
	hostile := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	f := feature{ID: `x"><script>alert(3)</script>`, Properties: map[string]json.RawMessage{}}
	f.Properties["title"], _ = json.Marshal(hostile)
	f.Properties["summary"], _ = json.Marshal(`"quoted" & <b>bold</b>`)
	f.Properties["sources"], _ = json.Marshal([]map[string]any{{"id": "s", "outlet": "<i>Outlet</i>", "headline": hostile, "url": "javascript:alert(4)", "published": "2020-01-01"}})
	f.Properties["places"], _ = json.Marshal([]map[string]any{{"id": "../../x", "name": hostile}})
	req := httptest.NewRequest("GET", "/collections/incidents/items?q=%3Cscript%3E", nil)
	for name, page := range map[string]htmlPage{
		"items": itemsPage(col, []feature{f}, nil, 1, store.Query{Limit: 10}, nil, req),
		"item":  itemPage(col, f, req),
	} {
		var buf bytes.Buffer
		if err := tmpl[name].ExecuteTemplate(&buf, "layout.html", page); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, bad := range []string{"<script", "<img", "<b>", "<i>", "javascript:", `href="/collections/places/items/../`} {
			if strings.Contains(out, bad) {
				t.Errorf("%s page has %q unescaped", name, bad)
			}
		}
		if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s page does not show the title as text", name)
		}
	}
}

func TestCellsReadAsReadersSeeThem(t *testing.T) {
	incidents, _ := catalog.Get("incidents")
	prop := func(name string) catalog.Property {
		p, ok := incidents.Property(name)
		if !ok {
			t.Fatalf("no property %s", name)
		}
		return p
	}
	for _, tc := range []struct {
		prop, raw, want string
	}{
		{"verification", `"single_source"`, "One anonymous source, unverified"},
		{"date_precision", `"month"`, "Month"},
		{"category", `"not_a_code"`, "not_a_code"},
		{"date_inferred", `true`, "yes"},
		{"off_map", `false`, "no"},
		{"date_start", `"2020-08-26"`, "2020-08-26"},
		{"date_end", `null`, ""},
		{"contradictions", `""`, ""},
		{"places", `[{"id":"hyesan","name":"Hyesan"},{"id":"x"}]`, "Hyesan|x"},
		{"sources", `[{"outlet":"RFA","headline":"H","url":"https://rfa.org/a","published":"2020-08-26","published_inferred":true}]`, "RFA: H (about 2020-08-26)"},
	} {
		c := cellOf(prop(tc.prop), json.RawMessage(tc.raw))
		got := c.Text
		if c.Items != nil {
			var parts []string
			for _, it := range c.Items {
				s := it.Text
				if it.Before != "" {
					s = it.Before + ": " + s
				}
				if it.After != "" {
					s += " (" + it.After + ")"
				}
				parts = append(parts, s)
			}
			got = strings.Join(parts, "|")
		}
		if got != tc.want || c.Empty != (tc.want == "") {
			t.Errorf("%s %s: %q (empty %v), want %q", tc.prop, tc.raw, got, c.Empty, tc.want)
		}
	}
	if c := cellOf(prop("title_ko"), json.RawMessage(`"혜산"`)); c.Lang != "ko" {
		t.Errorf("a Korean title is in %q", c.Lang)
	}
}

// The definition says which answers come as HTML, so a generic client (or
// a reader of the definition) knows f=html is there.
func TestOpenAPIOffersHTMLWhereTheHandlersDo(t *testing.T) {
	type param struct {
		Name   string `json:"name"`
		Schema struct {
			Enum []string `json:"enum"`
		} `json:"schema"`
	}
	_, body := get(t, "/api")
	var doc struct {
		Paths map[string]struct {
			Get struct {
				Parameters []param `json:"parameters"`
				Responses  map[string]struct {
					Content map[string]any `json:"content"`
				} `json:"responses"`
			} `json:"get"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/collections"}
	for _, id := range catalog.IDs() {
		for _, p := range []string{"", "/items", "/items/{featureId}", "/queryables", "/sortables"} {
			paths = append(paths, "/collections/"+id+p)
		}
	}
	for _, p := range paths {
		op := doc.Paths[p].Get
		if _, ok := op.Responses["200"].Content["text/html"]; !ok {
			t.Errorf("%s: the 200 response has no text/html", p)
		}
		i := slices.IndexFunc(op.Parameters, func(q param) bool { return q.Name == "f" })
		if i < 0 || !slices.Contains(op.Parameters[i].Schema.Enum, "html") {
			t.Errorf("%s: f does not offer html", p)
		}
	}
	_, body = get(t, "/conformance")
	if !bytes.Contains(body, []byte(`"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html"`)) {
		t.Errorf("the HTML class is not declared: %s", body)
	}
}

// The page says which filters chose its features, their values as text.
func TestItemsPageShowsItsFilters(t *testing.T) {
	filter := "category = 'arrests' AND title LIKE '%<b>%'"
	_, body := get(t, "/collections/incidents/items?f=html&verification=single_source&filter="+url.QueryEscape(filter))
	page := string(body)
	for _, want := range []string{"Filter (CQL2)", "Verification", "single_source", html.EscapeString(filter)} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	if strings.Contains(page, "<b>%") {
		t.Error("the filter's text is markup on the page")
	}
}

// A browser that asks for a data page with a mistake in its address reads
// what is wrong on a page; a script still gets JSON.
func TestErrorsAreAPageForABrowser(t *testing.T) {
	for _, path := range []string{"/collections/incidents/items?sortby=nosuch", "/collections/nosuch", "/collections/incidents/items?filter=" + url.QueryEscape("title = '<i>x")} {
		resp, body := get(t, path, "Accept", browserAccept)
		if resp.StatusCode/100 != 4 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "<h1>") {
			t.Errorf("%s for a browser: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if strings.Contains(string(body), "<i>x") {
			t.Errorf("%s: the address's text is markup on the error page", path)
		}
		resp, body = get(t, path, "Accept", "*/*")
		var e apiError
		if resp.StatusCode/100 != 4 || json.Unmarshal(body, &e) != nil || e.Description == "" {
			t.Errorf("%s for a script: %d %s", path, resp.StatusCode, body)
		}
	}
	resp, _ := get(t, "/collections/incidents/items?f=html&limit=0")
	if resp.StatusCode != 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("f=html with a bad limit: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// Codes are shown by their labels, so the members that carry only a label
// are left out beside them, and shown when chosen alone.
func TestPagesShowALabelOnce(t *testing.T) {
	_, body := get(t, "/collections/incidents/items?f=html&limit=2")
	if page := string(body); !strings.Contains(page, ">Category<") || strings.Contains(page, "Category as shown") {
		t.Error("the items page shows the category twice, or not at all")
	}
	_, body = get(t, "/collections/incidents/items?f=html&limit=2&properties=category_label")
	if !strings.Contains(string(body), "Category as shown") {
		t.Error("properties=category_label alone shows no column")
	}
}
