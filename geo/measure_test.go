package geo

import (
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func within(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

func TestBorderLength(t *testing.T) {
	l := loadLayers(t)
	if len(l.border) != 4448 {
		t.Errorf("border has %d vertices, want 4448", len(l.border))
	}
	// The README's 1,369.9 km matches a haversine sum on the 6,371.0088 km
	// sphere; on the WGS 84 ellipsoid the same line is 1,371.0 km (+0.08 %).
	got := GeodesicLength(l.border) / 1000
	if !within(got, 1369.9, 0.01) {
		t.Errorf("land border = %.1f km, want 1,369.9 km ± 1 %%", got)
	}
	t.Logf("land border %.3f km", got)
}

func TestGeodesicLengthKnown(t *testing.T) {
	// One degree of the equator on WGS 84 is a·π/180 exactly; a degree of
	// meridian at the equator is about 110,574.4 m.
	for _, c := range []struct {
		line orb.LineString
		want float64
	}{
		{orb.LineString{{0, 0}, {0.5, 0}, {1, 0}}, wgs84A * math.Pi / 180},
		{orb.LineString{{10, -0.5}, {10, 0.5}}, 110574.4},
		{orb.LineString{{10, 0}}, 0},
		{nil, 0},
	} {
		if got := GeodesicLength(c.line); math.Abs(got-c.want) > 0.1 {
			t.Errorf("GeodesicLength(%v) = %.3f, want %.3f", c.line, got, c.want)
		}
	}
}

func TestGeodesicArea(t *testing.T) {
	l := loadLayers(t)
	if got := GeodesicArea(l.land) / 1e6; !within(got, 122029, 0.01) {
		t.Errorf("North Korea land area = %.0f km², want 122,029 km² ± 1 %%", got)
	}
	// A 1° cell at the equator (12,308.8 km² on WGS 84), as a ring in
	// either orientation, and with a 0.5° cell cut out of it.
	ccw := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	cw := orb.Ring{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}
	hole := orb.Ring{{0.25, 0.25}, {0.25, 0.75}, {0.75, 0.75}, {0.75, 0.25}, {0.25, 0.25}}
	cell := GeodesicArea(orb.MultiPolygon{{ccw}})
	if !within(cell/1e6, 12308.8, 1e-4) {
		t.Errorf("1° equatorial cell = %.1f km², want 12,308.8", cell/1e6)
	}
	if got := GeodesicArea(orb.MultiPolygon{{cw}}); math.Abs(got-cell) > 1 {
		t.Errorf("clockwise cell = %.0f m², counter-clockwise %.0f m²", got, cell)
	}
	holed := GeodesicArea(orb.MultiPolygon{{ccw, hole}})
	if want := cell - GeodesicArea(orb.MultiPolygon{{hole}}); math.Abs(holed-want) > 1 || !within(holed, 0.75*cell, 1e-3) {
		t.Errorf("cell with a hole = %.0f m², want %.0f", holed, want)
	}
}

// The reference figures; they add up to the whole border, so each segment
// must be counted once.
var provinceBorderKm = []struct {
	name string
	km   float64
}{
	{"North Hamgyong", 407.7},
	{"Ryanggang", 431.3},
	{"Chagang", 310.1},
	{"North Pyongan", 176.4},
	{"Rason", 44.4},
}

func TestLengthsByRegion(t *testing.T) {
	l := loadLayers(t)
	names := slices.Sorted(maps.Keys(l.provinces))
	var regions []orb.MultiPolygon
	for _, name := range names {
		regions = append(regions, l.provinces[name])
	}
	if len(regions) != 11 {
		t.Fatalf("%d provinces, want 11", len(regions))
	}
	got := map[string]float64{}
	var sum float64
	for i, m := range LengthsByRegion(l.border, regions) {
		got[names[i]] = m / 1000
		sum += m
	}
	for _, c := range provinceBorderKm {
		if !within(got[c.name], c.km, 0.01) {
			t.Errorf("%s: border %.1f km, want %.1f ± 1 %%", c.name, got[c.name], c.km)
		}
		t.Logf("%-15s %.2f km (reference %.1f)", c.name, got[c.name], c.km)
		delete(got, c.name)
	}
	for name, km := range got {
		if km != 0 {
			t.Errorf("%s has %.3f km of the border, want none", name, km)
		}
	}
	if total := GeodesicLength(l.border); math.Abs(sum-total) > 1e-6*total {
		t.Errorf("lengths add up to %.3f m, border is %.3f m", sum, total)
	}
}

func TestLengthInside(t *testing.T) {
	l := loadLayers(t)
	for _, c := range provinceBorderKm {
		got := LengthInside(l.border, l.provinces[c.name]) / 1000
		if c.name == "North Pyongan" {
			// 13 km of border in the Yalu estuary are off every province.
			if got < c.km-15 || got > c.km-11 {
				t.Errorf("%s: inside %.1f km, want about %.1f − 13", c.name, got, c.km)
			}
			continue
		}
		if !within(got, c.km, 0.01) {
			t.Errorf("%s: inside %.1f km, want %.1f ± 1 %%", c.name, got, c.km)
		}
	}
	if got := LengthInside(l.border, l.provinces["Kangwon"]); got != 0 {
		t.Errorf("Kangwon holds %.0f m of the border, want 0", got)
	}
}

func TestContainsAgreesWithOrb(t *testing.T) {
	l := loadLayers(t)
	withHole := orb.MultiPolygon{{
		{{127, 40}, {129, 40}, {129, 42}, {127, 42}, {127, 40}},
		{{127.5, 40.5}, {127.5, 41.5}, {128.5, 41.5}, {128.5, 40.5}, {127.5, 40.5}},
	}}
	for _, mp := range []orb.MultiPolygon{l.land, l.provinces["Ryanggang"], withHole} {
		for lon := 124.05; lon < 131; lon += 0.113 {
			for lat := 37.55; lat < 43.1; lat += 0.097 {
				p := orb.Point{lon, lat}
				if got, want := contains(mp, p), planar.MultiPolygonContains(mp, p); got != want {
					t.Errorf("contains(%v) = %v, orb says %v", p, got, want)
				}
			}
		}
	}
}

func TestLengthsByRegionDegenerate(t *testing.T) {
	line := orb.LineString{{128, 41}, {128.1, 41}}
	if got := LengthsByRegion(line, nil); len(got) != 0 {
		t.Errorf("no regions: %v", got)
	}
	if got := LengthsByRegion(line, []orb.MultiPolygon{{}}); got[0] != 0 {
		t.Errorf("an empty region got %v m", got[0])
	}
	// A line off every region goes to the nearest.
	far := orb.MultiPolygon{{{{120, 30}, {121, 30}, {121, 31}, {120, 30}}}}
	near := orb.MultiPolygon{{{{128, 41.1}, {128.1, 41.1}, {128.1, 41.2}, {128, 41.1}}}}
	got := LengthsByRegion(line, []orb.MultiPolygon{far, near})
	if got[0] != 0 || math.Abs(got[1]-GeodesicLength(line)) > 1e-9 {
		t.Errorf("lengths %v, want [0 %v]", got, GeodesicLength(line))
	}
}
