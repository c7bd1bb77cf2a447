package server

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/borderline/borderline/data"
)

// Every answer about incidents points at the citation page; other
// collections' answers do not claim it.
func TestIncidentsLinkTheirCitation(t *testing.T) {
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/collections/incidents/items", true},
		{"/collections/incidents/items?f=csv&limit=5", true},
		{"/collections/incidents/items/2020-08-26-shoot-on-sight-zone", true},
		{"/collections/places/items", false},
		{"/collections/places/items/hyesan", false},
	} {
		resp, body := get(t, tc.path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", tc.path, resp.StatusCode, body)
		}
		links := resp.Header.Values("Link")
		got := false
		for _, l := range links {
			if l == "<"+testURL+`/cite>; rel="cite-as"` {
				got = true
			}
		}
		if got != tc.want {
			t.Errorf("GET %s: Link %q; want cite-as %v", tc.path, links, tc.want)
		}
		if strings.Contains(tc.path, "f=csv") && !slices.ContainsFunc(links, func(l string) bool { return strings.HasSuffix(l, `rel="next"`) }) {
			t.Errorf("GET %s: the cite-as link pushed out the next link: %q", tc.path, links)
		}
	}
}

func TestCitePage(t *testing.T) {
	resp, body := get(t, "/cite")
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(page, `<html lang="en">`) || strings.Count(page, "<h1") != 1 || strings.Count(page, "<h2") < 4 {
		t.Errorf("want lang=en, one h1 and a heading per section")
	}
	// The strict CSP forbids inline script and style.
	if regexp.MustCompile(`(?i)<script|<style|\sstyle=|\son[a-z]+=`).MatchString(page) {
		t.Error("the page has inline script or style")
	}
	for _, m := range regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if r, _ := get(t, m[1]); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
			t.Errorf("stylesheet %s: %d", m[1], r.StatusCode)
		}
	}
	for _, href := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if h := href[1]; !strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "https://") && !strings.HasPrefix(h, "#") {
			t.Errorf("link %q is neither root-relative nor https", h)
		}
	}
	text := html.UnescapeString(page)
	for _, want := range []string{data.Citation(testURL+"/", nowish(t, text)), "@misc{borderline,", "url          = {" + testURL + "/}", "/?incident=", "<table>"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, l := range data.Licences {
		if !strings.Contains(text, l.Name) || !strings.Contains(text, l.AppliesTo) {
			t.Errorf("the page lacks the licence %q", l.Name)
		}
	}
	sources, err := testStore.Sources(context.Background())
	if err != nil || len(sources) == 0 {
		t.Fatalf("sources: %d, %v", len(sources), err)
	}
	for _, s := range sources {
		for _, want := range []string{s.Outlet, s.OriginalReporter, s.Headline, publishedInWords(s)} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the page lacks %q", s.ID, want)
			}
		}
		if s.URL != "" && !strings.Contains(text, `href="`+s.URL+`"`) {
			t.Errorf("%s: no link to %s", s.ID, s.URL)
		}
		if s.PublishedInferred != strings.HasPrefix(publishedInWords(s), "about ") {
			t.Errorf("%s: date %q, inferred %v", s.ID, publishedInWords(s), s.PublishedInferred)
		}
	}

	resp, body = get(t, "/cite?f=json")
	var doc citePage
	if err := json.Unmarshal(body, &doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("f=json: %d %v", resp.StatusCode, err)
	}
	if len(doc.Sources) != len(sources) || len(doc.Licenses) != len(data.Licences) || !strings.Contains(doc.Citation, testURL) || doc.Example == nil {
		t.Errorf("f=json: %+v", doc)
	}
	resp, body = get(t, "/cite?f=xml")
	var e apiError
	if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Parameter != "f" {
		t.Errorf("f=xml: %d %s", resp.StatusCode, body)
	}
}

// nowish is the retrieval day the page printed, so the check does not
// depend on the clock turning midnight between the request and the test.
func nowish(t *testing.T, page string) time.Time {
	t.Helper()
	m := regexp.MustCompile(`retrieved (\d{4}-\d\d-\d\d)\.`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page gives no retrieval date")
	}
	d, err := data.ParseDate(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Text from the data is escaped, wherever it lands.
func TestCitePageEscapesTheData(t *testing.T) {
	tmpl, err := parseCiteTemplate()
	if err != nil {
		t.Fatal(err)
	}
	evil := `<script>alert(1)</script>`
	page := citePage{Citation: evil, BibTeX: evil, Attribution: evil,
		Licenses: []data.Licence{{Name: evil, URL: "javascript:alert(1)", AppliesTo: evil}},
		Sources:  []citeSource{{Source: data.Source{Outlet: evil, Headline: evil, OriginalReporter: evil, URL: `javascript:alert(1)`, PublishedNote: evil}, Date: evil}},
		Example:  &citeIncident{ID: `"><script>`, Title: evil, Citation: evil}}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<script") || strings.Contains(out, `href="javascript:`) {
		t.Errorf("data reached the page unescaped:\n%s", out)
	}
}
