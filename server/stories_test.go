package server

import (
	"cmp"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// getJSON fetches path and decodes it into v, which must succeed with 200.
func getJSON(t *testing.T, path string, v any) *http.Response {
	t.Helper()
	resp, body := get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
	return resp
}

// localPath turns one of the server's absolute links into a path to get.
func localPath(t *testing.T, href string) string {
	t.Helper()
	if !strings.HasPrefix(href, testURL+"/") {
		t.Fatalf("link %q is not absolute on this server", href)
	}
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

func linkTo(t *testing.T, links []link, rel string) link {
	t.Helper()
	i := slices.IndexFunc(links, func(l link) bool { return l.Rel == rel })
	if i < 0 {
		t.Fatalf("no %s link in %+v", rel, links)
	}
	return links[i]
}

// The presentation mode is built on these shapes: they hold exactly the
// documented keys.
func TestStoryJSONShapes(t *testing.T) {
	keys := func(m map[string]json.RawMessage) []string { return slices.Sorted(maps.Keys(m)) }
	var list struct {
		Stories []map[string]json.RawMessage
		Links   []map[string]json.RawMessage
	}
	var top map[string]json.RawMessage
	getJSON(t, "/stories", &top)
	getJSON(t, "/stories", &list)
	for _, tc := range []struct {
		what string
		got  []string
		want []string
	}{
		{"the list", keys(top), []string{"links", "stories"}},
		{"a story in the list", keys(list.Stories[0]), []string{"description", "description_ko", "id", "links", "steps", "title", "title_ko"}},
		{"a link", keys(list.Links[0]), []string{"href", "rel", "type"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s has keys %v, want %v", tc.what, tc.got, tc.want)
		}
	}
	var story map[string]json.RawMessage
	getJSON(t, "/stories/closure", &story)
	var steps []map[string]json.RawMessage
	if err := json.Unmarshal(story["steps"], &steps); err != nil || len(steps) == 0 {
		t.Fatalf("steps: %v, %s", err, story["steps"])
	}
	if got, want := keys(story), []string{"description", "description_ko", "id", "links", "steps", "title", "title_ko"}; !slices.Equal(got, want) {
		t.Errorf("a story has keys %v, want %v", got, want)
	}
	if got, want := keys(steps[0]), []string{"incident", "intro", "intro_ko", "step", "title", "title_ko"}; !slices.Equal(got, want) {
		t.Errorf("a step has keys %v, want %v", got, want)
	}
}

// Every story in the list can be followed by its self link, and its step
// count is the number of steps it has; the curated stories come first.
func TestStoriesListAndLinks(t *testing.T) {
	var list storyListDoc
	resp := getJSON(t, "/stories", &list)
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q on /stories", got)
	}
	if self := linkTo(t, list.Links, "self"); self.Href != testURL+"/stories" || self.Type != "application/json" {
		t.Errorf("self link %+v", self)
	}
	var ids []string
	for _, sum := range list.Stories {
		ids = append(ids, sum.ID)
		var story storyDoc
		resp := getJSON(t, localPath(t, linkTo(t, sum.Links, "self").Href), &story)
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Access-Control-Allow-Origin %q on story %s", got, sum.ID)
		}
		if story.ID != sum.ID || story.Title != sum.Title || story.Description != sum.Description || len(story.Steps) != sum.Steps {
			t.Errorf("story %s lists as %q with %d steps; its own page is %q with %d", sum.ID, sum.Title, sum.Steps, story.Title, len(story.Steps))
		}
		for i, st := range story.Steps {
			if st.Step != i+1 || st.Title == "" || st.Intro == "" {
				t.Errorf("story %s, step %d: %+v", sum.ID, i+1, st)
			}
		}
		if self := linkTo(t, story.Links, "self"); self.Href != linkTo(t, sum.Links, "self").Href {
			t.Errorf("story %s calls itself %s", sum.ID, self.Href)
		}
		items := linkTo(t, story.Links, "items")
		if fc := getFC(t, localPath(t, items.Href)); items.Type != geoJSONType || fc.NumberMatched == 0 {
			t.Errorf("story %s: items link %+v finds %d incidents", sum.ID, items, fc.NumberMatched)
		}
	}
	if len(ids) < 2 || ids[0] != "closure" || ids[len(ids)-1] != "all" {
		t.Errorf("stories %v, want the curated ones (closure first) and then all", ids)
	}
}

// Each step of the closure story shows an incident the map serves.
func TestClosureStepsAreIncidents(t *testing.T) {
	var story storyDoc
	getJSON(t, "/stories/closure", &story)
	if story.TitleKO == "" || story.DescriptionKO == "" {
		t.Errorf("the closure story has no Korean title or description: %q / %q", story.TitleKO, story.DescriptionKO)
	}
	for _, st := range story.Steps {
		if resp, body := get(t, "/collections/incidents/items/"+url.PathEscape(st.Incident)); resp.StatusCode != http.StatusOK {
			t.Errorf("step %d: incident %s: %d %.80s", st.Step, st.Incident, resp.StatusCode, body)
		}
		if st.TitleKO == "" || st.IntroKO == "" {
			t.Errorf("step %d has no Korean title or intro", st.Step)
		}
	}
}

// "all" is every incident the collection serves, in the order they come
// into force and then by id, with their titles and summaries.
func TestAllStoryIsEveryIncident(t *testing.T) {
	fc := getFC(t, "/collections/incidents/items?limit=10000")
	type want struct{ id, from, title, summary, titleKO, summaryKO string }
	var incidents []want
	for _, f := range fc.Features {
		p := f.Properties
		incidents = append(incidents, want{f.ID, p["in_force_from"].(string), p["title"].(string), p["summary"].(string),
			p["title_ko"].(string), p["summary_ko"].(string)})
	}
	slices.SortFunc(incidents, func(a, b want) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.id, b.id)) })
	var story storyDoc
	getJSON(t, "/stories/all", &story)
	if story.Title != "Every incident in date order" || len(story.Steps) != len(incidents) {
		t.Fatalf("all is %q with %d steps, want %d", story.Title, len(story.Steps), len(incidents))
	}
	for i, st := range story.Steps {
		w := incidents[i]
		if st.Step != i+1 || st.Incident != w.id || st.Title != w.title || st.Intro != w.summary ||
			st.TitleKO != w.titleKO || st.IntroKO != w.summaryKO || st.TitleKO == "" {
			t.Errorf("step %d is %s %q (%q), want %s %q (%q)", i+1, st.Incident, st.Title, st.TitleKO, w.id, w.title, w.titleKO)
		}
	}
}

func TestStoryErrors(t *testing.T) {
	for _, tc := range []struct {
		path   string
		status int
		code   string
		param  string
	}{
		{"/stories/no-such-story", http.StatusNotFound, "NotFound", ""},
		{"/stories/ALL", http.StatusNotFound, "NotFound", ""},
		{"/stories?colour=red", http.StatusBadRequest, "InvalidParameterValue", "colour"},
		{"/stories/closure?limit=1", http.StatusBadRequest, "InvalidParameterValue", "limit"},
		{"/stories/all?step=3", http.StatusBadRequest, "InvalidParameterValue", "step"},
		{"/stories/closure?f=csv", http.StatusBadRequest, "InvalidParameterValue", "f"},
		{"/stories?f=json&f=json", http.StatusBadRequest, "InvalidParameterValue", "f"},
		{"/stories?f=json&b=1&a=1", http.StatusBadRequest, "InvalidParameterValue", "a"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, tc.path)
			var e apiError
			if resp.StatusCode != tc.status || json.Unmarshal(body, &e) != nil {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tc.status)
			}
			if e.Code != tc.code || e.Parameter != tc.param || e.Description == "" {
				t.Errorf("error %+v, want code %s naming %q", e, tc.code, tc.param)
			}
		})
	}
	for _, path := range []string{"/stories?f=json", "/stories/closure?f=json", "/stories/all?f="} {
		if resp, body := get(t, path); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %.80s", path, resp.StatusCode, body)
		}
	}
}

func TestStoriesHeadAndRevalidation(t *testing.T) {
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/stories", http.StatusOK}, {"/stories/closure", http.StatusOK}, {"/stories/all", http.StatusOK}, {"/stories/nope", http.StatusNotFound},
	} {
		resp, err := http.Head(testURL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("HEAD %s: %d, want %d", tc.path, resp.StatusCode, tc.status)
		}
		if tc.status != http.StatusOK {
			continue
		}
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Errorf("HEAD %s: no ETag", tc.path)
			continue
		}
		if resp, _ := get(t, tc.path, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag: %d, want 304", tc.path, resp.StatusCode)
		}
		if resp, _ := get(t, tc.path, "If-None-Match", `W/"d-stale"`); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s with a stale ETag: %d, want 200", tc.path, resp.StatusCode)
		}
	}
}
