package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/borderline/borderline/geo"
	"github.com/borderline/borderline/store"
)

func TestSimplifyBadValuesAre400(t *testing.T) {
	for _, path := range []string{
		"/collections/zones/items?simplify=abc",
		"/collections/zones/items?simplify=",
		"/collections/zones/items?simplify=0",
		"/collections/zones/items?simplify=0.5",
		"/collections/zones/items?simplify=-100",
		"/collections/zones/items?simplify=20001",
		"/collections/zones/items?simplify=1e9",
		"/collections/zones/items?simplify=NaN",
		"/collections/zones/items?simplify=Inf",
		"/collections/zones/items?simplify=100m",
		"/collections/zones/items?simplify=100&simplify=200",
		"/collections/incidents/items?simplify=100",
		"/collections/places/items?simplify=100",
	} {
		resp, body := get(t, path)
		var e apiError
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Parameter != "simplify" || !strings.Contains(e.Description, "simplify") {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
	for _, path := range []string{"/collections/zones/items?simplify=1", "/collections/zones/items?simplify=20000", "/collections/zones/items?simplify=250.5"} {
		if resp, body := get(t, path); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
}

// simplify= is offered exactly where there are lines or polygons.
func TestShapeCollectionsAreTheOnesWithShapes(t *testing.T) {
	for _, c := range store.Collections {
		fc := getFC(t, "/collections/"+c+"/items?limit=10000")
		points := true
		for _, f := range fc.Features {
			var g struct{ Type string }
			if string(f.Geometry) != "null" && json.Unmarshal(f.Geometry, &g) == nil && g.Type != "Point" && g.Type != "MultiPoint" {
				points = false
			}
		}
		if slices.Contains(shapeCollections, c) == points {
			t.Errorf("%s: points only %v, yet offered for simplify %v", c, points, !points)
		}
	}
}

func vertices(g orb.Geometry) (n int, rings []orb.Ring) {
	switch g := g.(type) {
	case orb.LineString:
		return len(g), nil
	case orb.MultiLineString:
		for _, ls := range g {
			n += len(ls)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				n += len(r)
				rings = append(rings, r)
			}
		}
	}
	return n, rings
}

var decimalsRE = regexp.MustCompile(`\.(\d+)`)

// Simplified collections keep their features, ids, properties and geometry
// types, with fewer vertices, valid rings and coordinates rounded to match
// the tolerance. (geo's tests check the shapes stay within it.)
func TestSimplifiedCollections(t *testing.T) {
	for _, c := range shapeCollections {
		full := getFC(t, "/collections/"+c+"/items?limit=10000")
		for _, tol := range []float64{100, 1000} {
			path := fmt.Sprintf("/collections/%s/items?limit=10000&simplify=%v", c, tol)
			simple := getFC(t, path)
			if simple.NumberMatched != full.NumberMatched || len(simple.Features) != len(full.Features) {
				t.Fatalf("%s: %d features, full precision %d", path, len(simple.Features), len(full.Features))
			}
			was, now := 0, 0
			for i, f := range simple.Features {
				orig := full.Features[i]
				if f.ID != orig.ID || fmt.Sprint(f.Properties) != fmt.Sprint(orig.Properties) {
					t.Errorf("%s: feature %d changed beyond its geometry", path, i)
				}
				g, err := geojson.UnmarshalGeometry(f.Geometry)
				if err != nil {
					t.Fatalf("%s/%s: %v", path, f.ID, err)
				}
				og, _ := geojson.UnmarshalGeometry(orig.Geometry)
				if g.Type != og.Type {
					t.Errorf("%s/%s: a %s became a %s", path, f.ID, og.Type, g.Type)
				}
				n, rings := vertices(g.Geometry())
				on, _ := vertices(og.Geometry())
				was, now = was+on, now+n
				if og.Type == "MultiPolygon" && len(rings) == 0 {
					t.Errorf("%s/%s: the polygon vanished", path, f.ID)
				}
				for _, r := range rings {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Errorf("%s/%s: a ring of %d positions, closed %v", path, f.ID, len(r), r[0] == r[len(r)-1])
					}
				}
				for _, m := range decimalsRE.FindAllStringSubmatch(string(f.Geometry), -1) {
					if len(m[1]) > geo.Decimals(tol) {
						t.Errorf("%s/%s: coordinate with %d decimals at a tolerance of %v m", path, f.ID, len(m[1]), tol)
						break
					}
				}
			}
			if now >= was {
				t.Errorf("%s: %d vertices, %d at full precision", path, now, was)
			}
		}
	}
}

// The cache stays within its bound and answers what it computed.
func TestShapeCacheIsBounded(t *testing.T) {
	_, body := get(t, "/collections/provinces/items?limit=10000")
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	fresh, err := simplifyFeature(fc.Features[0], 500)
	if err != nil {
		t.Fatal(err)
	}
	sc := &shapeCache{maxBytes: 3 * len(fresh)}
	for _, tol := range []float64{500, 600, 700, 800, 900, 500} {
		for _, f := range fc.Features {
			if _, err := sc.simplified(f, tol); err != nil {
				t.Fatal(err)
			}
			if sc.size > sc.maxBytes {
				t.Fatalf("the cache holds %d bytes, more than its %d", sc.size, sc.maxBytes)
			}
		}
	}
	got, err := sc.simplified(fc.Features[0], 500)
	if err != nil || string(got) != string(fresh) {
		t.Errorf("the cache answered something other than the shape: %v", err)
	}
}

// One area, as the map's outline of a selected country fetches it.
func TestSimplifiedSingleFeature(t *testing.T) {
	read := func(path string) (orb.Geometry, []link) {
		resp, body := get(t, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		var f struct {
			Geometry json.RawMessage `json:"geometry"`
			Links    []link          `json:"links"`
		}
		if err := json.Unmarshal(body, &f); err != nil {
			t.Fatal(err)
		}
		g, err := geojson.UnmarshalGeometry(f.Geometry)
		if err != nil {
			t.Fatal(err)
		}
		return g.Geometry(), f.Links
	}
	count := func(g orb.Geometry) int { n, _ := vertices(g); return n }
	full, _ := read("/collections/areas/items/china")
	simple, links := read("/collections/areas/items/china?simplify=1000")
	if n, was := count(simple), count(full); n >= was {
		t.Errorf("china's outline: %d vertices simplified, %d in full", n, was)
	}
	if !strings.HasSuffix(links[0].Href, "/collections/areas/items/china?simplify=1000") {
		t.Errorf("self link %s", links[0].Href)
	}
	for _, path := range []string{"/collections/places/items/hyesan?simplify=100", "/collections/areas/items/china?simplify=0"} {
		if resp, body := get(t, path); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"parameter":"simplify"`) {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
}

// Requests share the cache: whoever computes a shape first, all get the same.
func TestShapeCacheShared(t *testing.T) {
	_, body := get(t, "/collections/border/items?limit=10000")
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	want, err := simplifyFeature(fc.Features[0], 300)
	if err != nil {
		t.Fatal(err)
	}
	sc := &shapeCache{maxBytes: shapeCacheBytes}
	got := make(chan string, 8)
	for range cap(got) {
		go func() {
			b, err := sc.simplified(fc.Features[0], 300)
			if err != nil {
				b = []byte(err.Error())
			}
			got <- string(b)
		}()
	}
	for range cap(got) {
		if g := <-got; g != string(want) {
			t.Fatalf("a request got %.80s…", g)
		}
	}
}
