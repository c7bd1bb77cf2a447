package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

var (
	testURL    string
	testStore  *store.Store
	testAssets Assets
)

// TestMain serves a freshly seeded real database over real HTTP.
func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "borderline-server-test")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		seed, err := data.LoadSeed()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		ctx := context.Background()
		st, err := store.Open(ctx, filepath.Join(dir, "test.db"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer st.Close()
		if _, err := st.Seed(ctx, seed, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		// The real front-end files; `make test` installs Leaflet with npm ci first.
		assets := Assets{Static: os.DirFS("../static"), Vendor: os.DirFS("../node_modules/leaflet/dist")}
		if _, err := os.Stat("../node_modules/leaflet/dist/leaflet.js"); err != nil {
			fmt.Fprintln(os.Stderr, "Leaflet is not installed: run `npm ci` (make test does) before go test ./server/")
			return 1
		}
		testStore, testAssets = st, assets
		srv, err := New(st, assets, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		testURL = ts.URL
		return m.Run()
	}())
}

func get(t *testing.T, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, testURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
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

type featureCollection struct {
	Type           string `json:"type"`
	NumberMatched  int    `json:"numberMatched"`
	NumberReturned int    `json:"numberReturned"`
	Links          []link `json:"links"`
	Features       []struct {
		ID         string          `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	} `json:"features"`
}

func getFC(t *testing.T, path string) featureCollection {
	t.Helper()
	resp, body := get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != geoJSONType {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	var fc featureCollection
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return fc
}

func TestBadParametersAre400WithTheParameterNamed(t *testing.T) {
	cases := []struct{ query, param string }{
		{"bbox=1,2,3", "bbox"},
		{"bbox=a,b,c,d", "bbox"},
		{"bbox=120,50,130,40", "bbox"},
		{"bbox=120,-91,130,40", "bbox"},
		{"bbox=200,40,210,41", "bbox"},
		{"bbox=NaN,1,2,3", "bbox"},
		{"datetime=yesterday", "datetime"},
		{"datetime=2020-02-30", "datetime"},
		{"datetime=2020-09-01/2020-08-01", "datetime"},
		{"datetime=2020-01-01/2020-02-01/2020-03-01", "datetime"},
		{"datetime=", "datetime"},
		{"limit=0", "limit"},
		{"limit=ten", "limit"},
		{"offset=-1", "offset"},
		{"category=riots", "category"},
		{"category=arrests,", "category"},
		{"f=xml", "f"},
		{"colour=red", "colour"},
		{"limit=1&limit=2", "limit"},
		{"q=" + strings.Repeat("x", 201), "q"},
		{"q=...%20---", "q"},
		{"q=%FF%FE", "q"},
		{"verification=maybe", "verification"},
		{"verification=official,", "verification"},
		{"source=nosuch", "source"},
		{"source=hrw-2021-01-13,,dailynk-2021-03", "source"},
		{"place=atlantis", "place"},
		{"place=hyesan,atlantis", "place"},
		{"place=%FF", "place"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			resp, body := get(t, "/collections/incidents/items?"+tc.query)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", resp.StatusCode, body)
			}
			var e apiError
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("body is not JSON: %s", body)
			}
			if e.Parameter != tc.param || e.Code != "InvalidParameterValue" || !strings.Contains(e.Description, tc.param) {
				t.Errorf("error %+v does not name %s", e, tc.param)
			}
		})
	}
	for _, path := range []string{"/collections/places/items?category=arrests", "/collections/zones/items?f=csv", "/collections/incidents/items/x?limit=3",
		"/collections/places/items?kind=village", "/collections/incidents/items?kind=city",
		"/collections/places/items?verification=official", "/collections/places/items?place=hyesan", "/collections/zones/items?source=hrw-2021-01-13",
		"/collections/zones/items?q=zone", "/collections/places/items?q=%20-"} {
		if resp, body := get(t, path); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
}

func TestUnknownThingsAre404JSON(t *testing.T) {
	for _, path := range []string{"/collections/nope", "/collections/nope/items", "/collections/incidents/items/no-such-incident", "/no/such/page", "/static/nope.js"} {
		resp, body := get(t, path)
		var e apiError
		if resp.StatusCode != http.StatusNotFound || json.Unmarshal(body, &e) != nil || e.Code != "NotFound" {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
}

func TestItemsPagingLinks(t *testing.T) {
	first := getFC(t, "/collections/incidents/items?limit=10")
	if first.NumberReturned != 10 || first.NumberMatched <= 10 || len(first.Features) != 10 {
		t.Fatalf("first page: returned %d of %d", first.NumberReturned, first.NumberMatched)
	}
	seen := map[string]bool{}
	page, pages := first, 1
	for {
		for _, f := range page.Features {
			if seen[f.ID] {
				t.Fatalf("%s appears on two pages", f.ID)
			}
			seen[f.ID] = true
		}
		next := ""
		for _, l := range page.Links {
			if l.Rel == "next" {
				next = l.Href
			}
		}
		if next == "" {
			break
		}
		u, err := url.Parse(next)
		if err != nil {
			t.Fatal(err)
		}
		page = getFC(t, u.RequestURI())
		pages++
		if !slices.ContainsFunc(page.Links, func(l link) bool { return l.Rel == "prev" }) {
			t.Errorf("page %d has no prev link", pages)
		}
	}
	if len(seen) != first.NumberMatched {
		t.Errorf("following next links saw %d incidents, numberMatched says %d", len(seen), first.NumberMatched)
	}
}

func TestDatetimeSelectsWhatIsInForce(t *testing.T) {
	inForce := func(fc featureCollection, id string) bool {
		return slices.ContainsFunc(fc.Features, func(f struct {
			ID         string          `json:"id"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		}) bool {
			return f.ID == id
		})
	}
	order := "2020-08-26-shoot-on-sight-zone"
	for _, tc := range []struct {
		datetime string
		want     bool
	}{
		{"2020-08-01", false},
		{"2020-08-26", true},
		{"2020-08-26T00:00:00%2B09:00", true},
		{"2020-08-27T12:00:00Z", true},
		{"../2020-08-25", false},
		{"2020-08-20/2020-08-30", true},
		{"2020-08-27/..", true},
	} {
		fc := getFC(t, "/collections/incidents/items?limit=10000&datetime="+tc.datetime)
		if got := inForce(fc, order); got != tc.want {
			t.Errorf("datetime=%s: the shoot-on-sight order listed %v, want %v", tc.datetime, got, tc.want)
		}
		for _, f := range fc.Features {
			if f.Properties["in_force_from"] == nil || f.Properties["in_force_to"] == nil {
				t.Errorf("%s has no in-force interval", f.ID)
			}
		}
	}
	if fc := getFC(t, "/collections/zones/items?datetime=2020-08-25"); fc.NumberMatched != 0 {
		t.Errorf("zones before the order: %d", fc.NumberMatched)
	}
	if fc := getFC(t, "/collections/zones/items?datetime=2021-01-01"); fc.NumberMatched != 2 {
		t.Errorf("zones after the order: %d, want 2", fc.NumberMatched)
	}
}

func TestFiltersNarrow(t *testing.T) {
	all := getFC(t, "/collections/incidents/items?limit=10000")
	// ids of a list property ("sources", "places") of a feature.
	ids := func(props map[string]any, key string) []string {
		var out []string
		for _, x := range props[key].([]any) {
			out = append(out, x.(map[string]any)["id"].(string))
		}
		return out
	}
	for _, tc := range []struct {
		query string
		// keep says whether an incident belongs in the answer, from its properties.
		keep func(p map[string]any) bool
	}{
		{"category=arrests", func(p map[string]any) bool { return p["category"] == "arrests" }},
		{"category=arrests,border_security", func(p map[string]any) bool { return p["category"] == "arrests" || p["category"] == "border_security" }},
		{"q=Hyesan", nil},
		{"bbox=128.0,41.2,128.4,41.6", nil},
		{"verification=corroborated,official", func(p map[string]any) bool {
			return p["verification"] == "corroborated" || p["verification"] == "official"
		}},
		{"source=dailynk-2021-03", func(p map[string]any) bool { return slices.Contains(ids(p, "sources"), "dailynk-2021-03") }},
		{"source=breitbart-2020-07-17,%20upi-2020-05-20", func(p map[string]any) bool {
			s := ids(p, "sources")
			return slices.Contains(s, "breitbart-2020-07-17") || slices.Contains(s, "upi-2020-05-20")
		}},
		{"place=hyesan,musan", func(p map[string]any) bool {
			s := ids(p, "places")
			return slices.Contains(s, "hyesan") || slices.Contains(s, "musan")
		}},
		{"place=kp-cn-border&verification=single_source&datetime=2020-08-01/2020-12-31", func(p map[string]any) bool {
			return slices.Contains(ids(p, "places"), "kp-cn-border") && p["verification"] == "single_source" &&
				p["in_force_from"].(string) <= "2020-12-31" && p["in_force_to"].(string) >= "2020-08-01"
		}},
	} {
		fc := getFC(t, "/collections/incidents/items?limit=10000&"+tc.query)
		if fc.NumberMatched == 0 || fc.NumberMatched >= all.NumberMatched {
			t.Errorf("%s matched %d of %d", tc.query, fc.NumberMatched, all.NumberMatched)
		}
		if tc.keep == nil {
			continue
		}
		want := 0
		for _, f := range all.Features {
			if tc.keep(f.Properties) {
				want++
			}
		}
		for _, f := range fc.Features {
			if !tc.keep(f.Properties) {
				t.Errorf("%s returned %s", tc.query, f.ID)
			}
		}
		if fc.NumberMatched != want {
			t.Errorf("%s matched %d, want %d", tc.query, fc.NumberMatched, want)
		}
	}
}

// Places are points, one geometry type for GIS clients; the areas among them
// are polygons in their own collection, found by their extent.
func TestPlacesAreasAndKinds(t *testing.T) {
	all := getFC(t, "/collections/places/items?limit=1000")
	for _, f := range all.Features {
		var g struct{ Type string }
		if string(f.Geometry) != "null" && (json.Unmarshal(f.Geometry, &g) != nil || g.Type != "Point") {
			t.Errorf("places/%v has a %s geometry", f.ID, f.Geometry)
		}
	}
	points := getFC(t, "/collections/places/items?limit=1000&kind=city,county")
	if points.NumberMatched == 0 || points.NumberMatched >= all.NumberMatched {
		t.Errorf("kind=city,county matched %d of %d", points.NumberMatched, all.NumberMatched)
	}
	for _, f := range points.Features {
		if k := f.Properties["kind"]; k != "city" && k != "county" {
			t.Errorf("kind=city,county returned %s, a %v", f.ID, k)
		}
	}
	// A box in the east of Ryanggang, 60 km from its anchor point (127.99, 40.87)
	// and clear of every town in places.csv.
	if pts := getFC(t, "/collections/places/items?kind=province&bbox=128.55,41.1,128.65,41.2"); pts.NumberMatched != 0 {
		t.Errorf("a box away from Ryanggang's point found %d province points", pts.NumberMatched)
	}
	box := getFC(t, "/collections/areas/items?kind=province&bbox=128.55,41.1,128.65,41.2")
	if box.NumberMatched != 1 || box.Features[0].ID != "ryanggang" {
		t.Fatalf("bbox inside Ryanggang found %d provinces: %+v", box.NumberMatched, box.Features)
	}
	f := box.Features[0]
	var g struct{ Type string }
	if err := json.Unmarshal(f.Geometry, &g); err != nil || g.Type != "MultiPolygon" {
		t.Errorf("ryanggang geometry is a %q (%v), want its MultiPolygon", g.Type, err)
	}
	if _, ok := f.Properties["anchor"].([]any); !ok {
		t.Errorf("ryanggang has no anchor point: %v", f.Properties["anchor"])
	}
}

// q= on places finds a place by any of its names, best match first, with
// what the map shows of a place result: names, distance to the border, side.
func TestPlacesSearch(t *testing.T) {
	for _, tc := range []struct{ q, first string }{
		{"Sinuiju", "sinuiju"}, {"신의주", "sinuiju"}, {"新义州", "sinuiju"}, {"Dandong", "dandong"},
		{"Manpo", "manpo"}, {"Hyeson", "hyesan"}, {"kaechon", "kaechon"},
	} {
		fc := getFC(t, "/collections/places/items?q="+url.QueryEscape(tc.q))
		if len(fc.Features) == 0 || fc.Features[0].ID != tc.first {
			t.Errorf("q=%s: %d places, first %v; want %s", tc.q, len(fc.Features), fc.Features, tc.first)
			continue
		}
		p := fc.Features[0].Properties
		for _, key := range []string{"name_en", "name_ko", "name_zh", "alt_names", "kind", "border_distance_km", "border_side"} {
			if _, ok := p[key]; !ok {
				t.Errorf("q=%s: %s has no %s", tc.q, tc.first, key)
			}
		}
	}
	if fc := getFC(t, "/collections/places/items?q=sinuiju"); fc.Features[0].Properties["border_side"] != "KP" {
		t.Errorf("Sinuiju's side: %v", fc.Features[0].Properties["border_side"])
	}
	if fc := getFC(t, "/collections/areas/items?q=Yanggang&kind=province"); fc.NumberMatched != 1 || fc.Features[0].ID != "ryanggang" {
		t.Errorf("areas?q=Yanggang: %+v", fc.Features)
	}
}

// Each collection serves one geometry type: GIS clients (QGIS through GDAL)
// fix a layer's type from its first features and may drop the others.
func TestOneGeometryTypePerCollection(t *testing.T) {
	for _, c := range store.Collections {
		fc := getFC(t, "/collections/"+c+"/items?limit=10000")
		types := map[string]int{}
		for _, f := range fc.Features {
			var g struct{ Type string }
			if string(f.Geometry) == "null" {
				continue
			}
			if err := json.Unmarshal(f.Geometry, &g); err != nil {
				t.Fatalf("%s/%v: %v", c, f.ID, err)
			}
			types[g.Type]++
		}
		if len(types) != 1 {
			t.Errorf("%s serves geometry types %v", c, types)
		}
	}
}

func TestCSVIsTheImportFormat(t *testing.T) {
	for _, filter := range []string{"category=arrests", "verification=official&source=hrw-2021-01-13&place=north-korea,pyongyang"} {
		resp, body := get(t, "/collections/incidents/items?f=csv&limit=10000&"+filter)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: %d %s", filter, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		incidents, err := data.ReadIncidentsCSV(strings.NewReader(string(body)), "download.csv", nil)
		if err != nil {
			t.Fatal(err)
		}
		fc := getFC(t, "/collections/incidents/items?limit=10000&"+filter)
		if len(incidents) != fc.NumberMatched || len(incidents) == 0 {
			t.Fatalf("%s: CSV has %d incidents, GeoJSON %d", filter, len(incidents), fc.NumberMatched)
		}
		// The same incidents in the same order, and the Korean text is the
		// same in both, and there.
		for i, in := range incidents {
			p := fc.Features[i].Properties
			if in.ID != fc.Features[i].ID || in.TitleKO == "" || p["title_ko"] != in.TitleKO || p["summary_ko"] != in.SummaryKO {
				t.Errorf("%s: CSV row %d is %s with %q / %q, GeoJSON %s with %v / %v", filter, i+1, in.ID, in.TitleKO, in.SummaryKO,
					fc.Features[i].ID, p["title_ko"], p["summary_ko"])
			}
		}
	}
}

// A Korean search arrives percent-encoded and finds incidents by their
// Korean text: the hospital's incident names no place called 혜산.
func TestKoreanSearchOverHTTP(t *testing.T) {
	fc := getFC(t, "/collections/incidents/items?limit=100&q="+url.QueryEscape("혜산 결핵"))
	if fc.NumberMatched != 1 || fc.Features[0].ID != "2021-03-01-hyesan-hospital-deaths" {
		var ids []string
		for _, f := range fc.Features {
			ids = append(ids, f.ID)
		}
		t.Errorf("q=혜산 결핵 found %v", ids)
	}
}

// The incidents say how they may be reused and how to cite them, next to the
// features; the features keep their sources.
func TestIncidentsCarryLicencesAndCitation(t *testing.T) {
	path := "/collections/incidents/items?datetime=2020-08-27&category=border_security"
	_, body := get(t, path)
	var fc struct {
		Licenses []struct {
			Name      string `json:"name"`
			URL       string `json:"url"`
			AppliesTo string `json:"applies_to"`
		} `json:"licenses"`
		Citation    string `json:"citation"`
		Attribution string `json:"attribution"`
		Links       []link `json:"links"`
		Features    []struct {
			Properties struct {
				Sources []data.Source `json:"sources"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range fc.Licenses {
		names = append(names, l.Name+" "+l.URL)
		if l.AppliesTo == "" {
			t.Errorf("licence %q does not say what it applies to", l.Name)
		}
	}
	for _, want := range []string{"Borderline", "OpenStreetMap", "opendatacommons.org/licenses/odbl", "Natural Earth", "GeoNames", "creativecommons.org/licenses/by/4.0"} {
		if !strings.Contains(strings.Join(names, "\n"), want) {
			t.Errorf("no licence mentions %q: %v", want, names)
		}
	}
	self := fc.Links[slices.IndexFunc(fc.Links, func(l link) bool { return l.Rel == "self" })].Href
	if !strings.HasPrefix(fc.Citation, "Borderline. ") || !strings.Contains(fc.Citation, data.Title) ||
		!strings.Contains(fc.Citation, self) || !regexp.MustCompile(`retrieved \d{4}-\d\d-\d\d\.$`).MatchString(fc.Citation) {
		t.Errorf("citation %q should name Borderline, the title, this page (%s) and the day", fc.Citation, self)
	}
	if !strings.Contains(fc.Attribution, "OpenStreetMap") || strings.Contains(fc.Attribution, "\n") {
		t.Errorf("attribution %q", fc.Attribution)
	}
	if len(fc.Features) == 0 {
		t.Fatal("no features")
	}
	for _, f := range fc.Features {
		if len(f.Properties.Sources) == 0 || f.Properties.Sources[0].Outlet == "" {
			t.Errorf("a feature lost its sources: %+v", f.Properties.Sources)
		}
	}
}

// The CSV's source columns say what the GeoJSON's sources say, item by item.
func TestCSVSourceColumnsMatchTheSources(t *testing.T) {
	_, body := get(t, "/collections/incidents/items?f=csv&limit=10000")
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	fc := getFC(t, "/collections/incidents/items?limit=10000")
	if len(records)-1 != len(fc.Features) {
		t.Fatalf("CSV has %d rows, GeoJSON %d features", len(records)-1, len(fc.Features))
	}
	for i, f := range fc.Features {
		rec := records[i+1]
		if rec[col["id"]] != f.ID {
			t.Fatalf("row %d is %s, feature %s", i+1, rec[col["id"]], f.ID)
		}
		want := map[string][]string{}
		for _, s := range f.Properties["sources"].([]any) {
			src := s.(map[string]any)
			inferred := "no"
			if src["published_inferred"] == true {
				inferred = "yes"
			}
			want["source_ids"] = append(want["source_ids"], src["id"].(string))
			want["source_outlets"] = append(want["source_outlets"], src["outlet"].(string))
			want["source_headlines"] = append(want["source_headlines"], src["headline"].(string))
			want["source_published"] = append(want["source_published"], src["published"].(string))
			want["source_published_inferred"] = append(want["source_published_inferred"], inferred)
			want["source_urls"] = append(want["source_urls"], src["url"].(string))
		}
		for name, items := range want {
			if got := rec[col[name]]; got != strings.Join(items, "|") {
				t.Errorf("%s: %s = %q, want %q", f.ID, name, got, strings.Join(items, "|"))
			}
		}
	}
}

func TestCSVPagesByLinkHeader(t *testing.T) {
	all := getFC(t, "/collections/incidents/items?limit=10000")
	path, seen, pages := "/collections/incidents/items?f=csv&limit=5", 0, 0
	linkRE := regexp.MustCompile(`<([^>]+)>; rel="next"`)
	for path != "" {
		resp, body := get(t, path)
		incidents, err := data.ReadIncidentsCSV(strings.NewReader(string(body)), "page.csv", nil)
		if resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		seen += len(incidents)
		pages++
		path = ""
		for _, l := range resp.Header.Values("Link") {
			if m := linkRE.FindStringSubmatch(l); m != nil {
				u, _ := url.Parse(m[1])
				path = u.RequestURI()
				if u.Query().Get("f") != "csv" {
					t.Errorf("next link of a CSV page is not CSV: %s", m[1])
				}
			}
		}
	}
	if seen != all.NumberMatched || pages != (all.NumberMatched+4)/5 {
		t.Errorf("followed %d CSV pages with %d incidents; want all %d", pages, seen, all.NumberMatched)
	}
}

func TestSingleFeature(t *testing.T) {
	resp, body := get(t, "/collections/places/items/hyesan")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var f struct {
		ID         string         `json:"id"`
		Properties map[string]any `json:"properties"`
		Links      []link         `json:"links"`
	}
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	rels := []string{}
	for _, l := range f.Links {
		rels = append(rels, l.Rel)
	}
	if f.ID != "hyesan" || f.Properties["name_ko"] != "혜산" || !slices.Equal(rels, []string{"self", "alternate", "collection"}) {
		t.Errorf("got %+v", f)
	}
}

func TestLandingNegotiatesMapOrJSON(t *testing.T) {
	resp, body := get(t, "/", "Accept", "text/html,application/xhtml+xml")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<html") {
		t.Errorf("browser got %d %.80s", resp.StatusCode, body)
	}
	for _, path := range []string{"/?f=json", "/conformance", "/collections", "/collections/incidents", "/api"} {
		resp, body := get(t, path, "Accept", "application/json")
		var v map[string]any
		if resp.StatusCode != 200 || json.Unmarshal(body, &v) != nil {
			t.Errorf("GET %s: %d %.80s", path, resp.StatusCode, body)
		}
	}
	_, body = get(t, "/collections")
	var cols struct {
		Collections []collectionDoc `json:"collections"`
	}
	json.Unmarshal(body, &cols)
	var ids []string
	for _, c := range cols.Collections {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, store.Collections) {
		t.Errorf("collections %v", ids)
	}
}

func TestSecurityAndCachingHeaders(t *testing.T) {
	resp, _ := get(t, "/")
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}

	resp, _ = get(t, "/collections/incidents/items")
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("items have no ETag")
	}
	if resp, _ := get(t, "/collections/incidents/items", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", resp.StatusCode)
	}
	resp, _ = get(t, "/vendor/leaflet/leaflet.js")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("leaflet.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// Gzip: Go's client adds and undoes it unless asked explicitly.
	req, _ := http.NewRequest(http.MethodGet, testURL+"/collections/countries/items", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	gz, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer gz.Body.Close()
	if gz.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: %v", gz.Header)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	var fc featureCollection
	if err := json.NewDecoder(zr).Decode(&fc); err != nil || fc.NumberMatched == 0 {
		t.Errorf("gzipped countries: %v, %d", err, fc.NumberMatched)
	}
}

func TestHealthz(t *testing.T) {
	resp, body := get(t, "/healthz")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok"`) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

func TestHead(t *testing.T) {
	for _, path := range []string{"/", "/healthz", "/collections/incidents/items?limit=1"} {
		resp, err := http.Head(testURL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s: %d", path, resp.StatusCode)
		}
	}
}

func TestPostIsRefused(t *testing.T) {
	resp, err := http.Post(testURL+"/collections/incidents/items", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

// A client that hangs up mid-request is not a server failure: no 500 and
// nothing at error level in the log.
func TestClientHangUpIsNotAnError(t *testing.T) {
	var logs bytes.Buffer
	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/collections/incidents/items?limit=10", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != statusClientClosed {
		t.Errorf("status %d, want %d", rec.Code, statusClientClosed)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a hang-up was logged as an error:\n%s", logs.String())
	}
}
