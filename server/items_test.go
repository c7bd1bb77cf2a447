package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/borderline/borderline/catalog"
)

// OWSLib and curl send Accept: */*; a script that did not ask for HTML
// gets the landing page as JSON, and a browser the map.
func TestLandingForClientsThatAcceptAnything(t *testing.T) {
	for _, tc := range []struct {
		accept string
		json   bool
	}{
		{"*/*", true},
		{"", true},
		{"application/json", true},
		{"application/json, text/html;q=0.5", true},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},
		{"text/*", false},
		{"text/html;q=0.9, application/json;q=0.1", false},
	} {
		resp, body := get(t, "/", "Accept", tc.accept)
		isJSON := json.Valid(body) && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
		if resp.StatusCode != 200 || isJSON != tc.json {
			t.Errorf("Accept %q: %d %s, want JSON %v", tc.accept, resp.StatusCode, resp.Header.Get("Content-Type"), tc.json)
		}
		if !slices.Contains(varyNames(resp.Header), "Accept") {
			t.Errorf("Accept %q: Vary %q", tc.accept, resp.Header.Values("Vary"))
		}
	}
	// The answer kept for one kind of client is not served to the other.
	for range 3 {
		_, b := get(t, "/", "Accept", "text/html")
		if json.Valid(b) {
			t.Fatal("a browser got the JSON kept for a script")
		}
		_, b = get(t, "/", "Accept", "*/*")
		if !json.Valid(b) {
			t.Fatal("a script got the map kept for a browser")
		}
	}
}

func TestQueryablesAndSortablesComeFromTheCatalog(t *testing.T) {
	for _, col := range catalog.All {
		for _, what := range []string{"queryables", "sortables"} {
			path := "/collections/" + col.ID + "/" + what
			resp, body := get(t, path)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != schemaType {
				t.Fatalf("GET %s: %d %s %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			var doc struct {
				Schema     string                    `json:"$schema"`
				ID         string                    `json:"$id"`
				Type       string                    `json:"type"`
				Properties map[string]map[string]any `json:"properties"`
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Type != "object" || !strings.HasSuffix(doc.ID, path) || !strings.Contains(doc.Schema, "json-schema.org") {
				t.Errorf("%s: %s", path, body)
			}
			var want []string
			if what == "queryables" {
				for _, p := range col.Queryables() {
					want = append(want, p.Name)
				}
			} else {
				want = col.Sortables()
			}
			var got []string
			for name, p := range doc.Properties {
				if name == "geometry" || name == "in_force" {
					continue
				}
				got = append(got, name)
				if p["type"] == nil || p["description"] == "" {
					t.Errorf("%s: %s has no type or description: %v", path, name, p)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s lists %v, the catalog %v", path, got, want)
			}
		}
	}
	_, body := get(t, "/collections/incidents/queryables")
	var q struct {
		Properties map[string]map[string]any `json:"properties"`
	}
	json.Unmarshal(body, &q)
	if enum, _ := q.Properties["category"]["enum"].([]any); len(enum) != 7 {
		t.Errorf("category's code list: %v", q.Properties["category"])
	}
	if q.Properties["date_start"]["format"] != "date" {
		t.Errorf("date_start: %v", q.Properties["date_start"])
	}
	if resp, _ := get(t, "/collections/nosuch/queryables"); resp.StatusCode != 404 {
		t.Errorf("an unknown collection's queryables: %d", resp.StatusCode)
	}
}

func TestSortbyPropertiesAndSkipGeometry(t *testing.T) {
	fc := getFC(t, "/collections/incidents/items?sortby=-date_start,title&limit=10000")
	if fc.NumberReturned < 10 {
		t.Fatalf("%d incidents", fc.NumberReturned)
	}
	for i := 1; i < len(fc.Features); i++ {
		a, b := fc.Features[i-1].Properties, fc.Features[i].Properties
		if a["date_start"].(string) < b["date_start"].(string) ||
			a["date_start"] == b["date_start"] && a["title"].(string) > b["title"].(string) {
			t.Fatalf("not sorted at %d: %v %v / %v %v", i, a["date_start"], a["title"], b["date_start"], b["title"])
		}
	}
	// The next link carries the sortby: page two follows page one.
	first := getFC(t, "/collections/incidents/items?sortby=-date_start,title&limit=5")
	var next string
	for _, l := range first.Links {
		if l.Rel == "next" {
			next = l.Href
		}
	}
	u, _ := url.Parse(next)
	second := getFC(t, u.RequestURI())
	if second.Features[0].ID != fc.Features[5].ID {
		t.Errorf("page two starts at %s, want %s", second.Features[0].ID, fc.Features[5].ID)
	}

	fc = getFC(t, "/collections/incidents/items?properties=title,category&skipGeometry=true&limit=3")
	for _, f := range fc.Features {
		if len(f.Properties) != 2 || f.Properties["title"] == nil || f.Properties["category"] == nil || string(f.Geometry) != "null" || f.ID == "" {
			t.Errorf("properties=title,category&skipGeometry=true gave id %q, %v, geometry %s", f.ID, f.Properties, f.Geometry)
		}
	}
	fc = getFC(t, "/collections/provinces/items?properties=&simplify=500")
	for _, f := range fc.Features {
		if len(f.Properties) != 0 || len(f.Geometry) < 100 {
			t.Errorf("properties= (none) gave %v and geometry %.40s", f.Properties, f.Geometry)
		}
	}
	fc = getFC(t, "/collections/places/items?sortby=-border_distance_km&properties=border_distance_km&limit=1000")
	var last float64 = 1e9
	seenNull := false
	for _, f := range fc.Features {
		d, ok := f.Properties["border_distance_km"].(float64)
		if !ok {
			seenNull = true
			continue
		}
		if seenNull || d > last {
			t.Fatalf("places not by distance descending, nulls last: %v", f.Properties)
		}
		last = d
	}
}

// Every new parameter's hostile input is a 400 that names it.
func TestHostileSortbyPropertiesSkipGeometry(t *testing.T) {
	for _, tc := range []struct{ path, param string }{
		{"/collections/incidents/items?sortby=summary", "sortby"},
		{"/collections/incidents/items?sortby=nosuch", "sortby"},
		{"/collections/incidents/items?sortby=", "sortby"},
		{"/collections/incidents/items?sortby=title,,id", "sortby"},
		{"/collections/incidents/items?sortby=--title", "sortby"},
		{"/collections/incidents/items?sortby=title,-title", "sortby"},
		{"/collections/incidents/items?sortby=" + url.QueryEscape("title; DROP TABLE incident"), "sortby"},
		{"/collections/incidents/items?sortby=%FF", "sortby"},
		{"/collections/incidents/items?sortby=place", "sortby"},
		{"/collections/incidents/items?properties=place", "properties"},
		{"/collections/incidents/items?properties=title,nosuch", "properties"},
		{"/collections/incidents/items?properties=" + strings.Repeat("title,", 5000) + "x", "properties"},
		{"/collections/incidents/items?skipGeometry=yes", "skipGeometry"},
		{"/collections/incidents/items?skipGeometry=", "skipGeometry"},
		{"/collections/incidents/items?f=csv&properties=title", "properties"},
		{"/collections/incidents/items?f=csv&skipGeometry=true", "skipGeometry"},
		{"/collections/places/items?sortby=notes", "sortby"},
		{"/collections/incidents/items?f=html2", "f"},
		{"/collections/incidents/queryables?limit=3", "limit"},
		{"/collections/incidents?sortby=title", "sortby"},
		{"/conformance?f=csv", "f"},
	} {
		resp, body := get(t, tc.path)
		var e apiError
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Parameter != tc.param {
			t.Errorf("GET %.100s: %d %.200s, want a 400 naming %s", tc.path, resp.StatusCode, body, tc.param)
		}
	}
	// limit above the maximum is capped, and says so by numberReturned.
	fc := getFC(t, "/collections/incidents/items?limit=99999999999999999999999")
	if fc.NumberReturned != fc.NumberMatched {
		t.Errorf("a huge limit: %d of %d", fc.NumberReturned, fc.NumberMatched)
	}
}

// The catalog's members are exactly the properties the features have: a
// property added to the features and not the catalog would be missing from
// the queryables, properties= and the OpenAPI.
func TestCatalogMatchesTheFeatures(t *testing.T) {
	for _, col := range catalog.All {
		fc := getFC(t, "/collections/"+col.ID+"/items?limit=10000")
		seen := map[string]bool{}
		for _, f := range fc.Features {
			for k := range f.Properties {
				seen[k] = true
			}
		}
		var got []string
		for k := range seen {
			got = append(got, k)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(col.Members()))
		if !slices.Equal(got, want) {
			t.Errorf("%s: the features have %v, the catalog %v", col.ID, got, want)
		}
	}
}

func TestCQL2Filter(t *testing.T) {
	enc := url.QueryEscape
	text := getFC(t, "/collections/incidents/items?limit=1000&filter="+enc("category = 'arrests' AND verification = 'single_source'"))
	jsonFC := getFC(t, "/collections/incidents/items?limit=1000&filter-lang=cql2-json&filter="+
		enc(`{"op":"and","args":[{"op":"=","args":[{"property":"category"},"arrests"]},{"op":"=","args":[{"property":"verification"},"single_source"]}]}`))
	plain := getFC(t, "/collections/incidents/items?limit=1000&category=arrests&verification=single_source")
	if text.NumberMatched == 0 || text.NumberMatched != plain.NumberMatched || jsonFC.NumberMatched != plain.NumberMatched {
		t.Errorf("cql2-text %d, cql2-json %d, plain parameters %d", text.NumberMatched, jsonFC.NumberMatched, plain.NumberMatched)
	}
	// The next link keeps the filter.
	page := getFC(t, "/collections/incidents/items?limit=2&filter-crs="+enc(crs84)+"&filter="+enc("S_INTERSECTS(geometry, BBOX(127.9,41.2,128.4,41.6))"))
	var next string
	for _, l := range page.Links {
		if l.Rel == "next" {
			next = l.Href
		}
	}
	if page.NumberMatched < 3 || !strings.Contains(next, "filter=") {
		t.Errorf("%d matched, next %q", page.NumberMatched, next)
	}
	// The counts take it too.
	_, body := get(t, "/collections/incidents/counts?bin=month&filter="+enc("category = 'arrests' AND verification = 'single_source'"))
	var counts struct{ Matched int }
	json.Unmarshal(body, &counts)
	if counts.Matched != plain.NumberMatched {
		t.Errorf("counts matched %d, items %d", counts.Matched, plain.NumberMatched)
	}
}

func TestHostileFilters(t *testing.T) {
	for _, tc := range []struct {
		query, param string
		position     int
	}{
		{"filter=" + url.QueryEscape("title LIKE 'x"), "filter", 12},
		{"filter=" + url.QueryEscape("category = 'arrests' AND (verification = 'official'"), "filter", 0},
		{"filter=" + url.QueryEscape("nosuch = 1"), "filter", 0},
		{"filter=" + url.QueryEscape("category = 'riots'"), "filter", 0},
		{"filter=" + url.QueryEscape("title > 3"), "filter", 0},
		{"filter=" + url.QueryEscape("summary LIKE 5"), "filter", 0},
		{"filter=" + url.QueryEscape("S_WITHIN(geometry, POINT(128 41))"), "filter", 0},
		{"filter=" + url.QueryEscape(strings.Repeat("(", 5000)+"id = 'x'"+strings.Repeat(")", 5000)), "filter", 0},
		{"filter=" + url.QueryEscape("id IN ("+strings.Repeat("'a',", 2000)+"'a')"), "filter", 0},
		{"filter=" + strings.Repeat("x", 9000), "filter", 0},
		{"filter=", "filter", 0},
		{"filter=%FF%FE", "filter", 0},
		{"filter=" + url.QueryEscape("id = 'x'; DROP TABLE incident"), "filter", 0},
		{"filter=" + url.QueryEscape(`{"op":"=","args":[{"property":"id"}]}`) + "&filter-lang=cql2-json", "filter", 0},
		{"filter=" + url.QueryEscape(`{"op":`) + "&filter-lang=cql2-json", "filter", 0},
		{"filter=" + url.QueryEscape("id = 'x'") + "&filter-lang=ecql", "filter-lang", 0},
		{"filter=" + url.QueryEscape("id = 'x'") + "&filter-crs=EPSG:4326", "filter-crs", 0},
		{"filter-lang=cql2-text", "filter-lang", 0},
		{"filter-crs=" + url.QueryEscape(crs84), "filter-crs", 0},
		{"filter=" + url.QueryEscape("id = 'x'") + "&filter=" + url.QueryEscape("id = 'y'"), "filter", 0},
	} {
		resp, body := get(t, "/collections/incidents/items?"+tc.query)
		var e apiError
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Parameter != tc.param {
			t.Errorf("%.80s: %d %.300s, want a 400 naming %s", tc.query, resp.StatusCode, body, tc.param)
			continue
		}
		if tc.position != 0 && e.Position != tc.position {
			t.Errorf("%.80s: position %d, want %d (%s)", tc.query, e.Position, tc.position, e.Description)
		}
		if strings.Contains(e.Description, "cql2:") || strings.Contains(e.Description, "SELECT") {
			t.Errorf("%.80s: the message speaks code: %s", tc.query, e.Description)
		}
	}
	for _, path := range []string{
		"/collections/provinces/items?filter=" + url.QueryEscape("S_INTERSECTS(geometry, POINT(128 41))"),
		"/collections/border/items?filter=" + url.QueryEscape("T_INTERSECTS(in_force, DATE('2021-01-01'))"),
		"/collections/incidents/counts?filter=" + url.QueryEscape("nosuch = 1"),
	} {
		if resp, body := get(t, path); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
}

// GDAL 3.6 sends datetime=2021-01-01T/..: the day it names.
func TestDatetimeAsGDALSendsIt(t *testing.T) {
	gdal := getFC(t, "/collections/incidents/items?limit=1000&datetime=2021-01-01T%2F..")
	plain := getFC(t, "/collections/incidents/items?limit=1000&datetime=2021-01-01%2F..")
	if gdal.NumberMatched == 0 || gdal.NumberMatched != plain.NumberMatched {
		t.Errorf("GDAL's form matched %d, the plain date %d", gdal.NumberMatched, plain.NumberMatched)
	}
}
