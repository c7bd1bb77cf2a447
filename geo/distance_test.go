package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/tidwall/geodesic"
)

// Distances from the README (km), with the allowed error: 0.2 km for the
// towns on the border, 1 % for the far ones.
var placeDistances = []struct {
	name string
	km   float64
	tol  float64 // absolute, km; 0 means 1 %
	side string
}{
	{"Hyesan", 0.6, 0.2, "KP"},
	{"Musan", 0.8, 0.2, "KP"},
	{"Hoeryong", 1.6, 0.2, "KP"},
	{"Sinuiju", 1.5, 0.2, "KP"},
	{"Manpo", 0.9, 0.2, "KP"},
	{"Namyang", 0.5, 0.2, "KP"},
	{"Onsong", 1.5, 0.2, "KP"},
	{"Chongjin", 65, 0, "KP"},
	{"Pyongyang", 160, 0, "KP"},
	{"Kaesong", 294, 0, "KP"},
	{"Kaechon", 110.9, 0, "KP"},
	{"Dandong", 0.4, 0.2, "CN"},
	{"Changbai", 0.8, 0.2, "CN"},
	{"Tumen", 0.9, 0.2, "CN"},
	{"Yanji", 25.6, 0, "CN"},
	// Beyond SideMaxDist: the caller has the country from places.csv.
	{"Jilin", 228.6, 0, ""},
	{"Shulan", 280.8, 0, ""},
}

func TestDistanceToBorder(t *testing.T) {
	l := loadLayers(t)
	for _, c := range placeDistances {
		t.Run(c.name, func(t *testing.T) {
			p, ok := l.places[c.name]
			if !ok {
				t.Fatalf("%s is not in gazetteer_reference.geojson", c.name)
			}
			got := DistanceToLine(p.pt, l.border) / 1000
			tol := c.tol
			if tol == 0 {
				tol = 0.01 * c.km
			}
			if math.Abs(got-c.km) > tol {
				t.Errorf("distance = %.3f km, want %.1f ± %.2f", got, c.km, tol)
			}
			// The gazetteer's own figure (one decimal) must agree as well.
			if math.Abs(got-p.distKm) > max(0.06, 0.01*p.distKm) {
				t.Errorf("distance = %.3f km, gazetteer says %.1f", got, p.distKm)
			}
			if side := BorderSide(p.pt, l.border, l.land); side != c.side {
				t.Errorf("side = %q, want %q", side, c.side)
			}
			t.Logf("%.3f km, %s", got, c.side)
		})
	}
}

// DistanceToLine against brute force: every segment near the answer sampled
// at 1/400 of its length, every geodesic distance computed.
func TestDistanceToLineBruteForce(t *testing.T) {
	l := loadLayers(t)
	for _, name := range []string{"Hyesan", "Sinuiju", "Onsong", "Chongjin", "Kaesong", "Tumen"} {
		p := l.places[name].pt
		got := DistanceToLine(p, l.border)
		best := math.Inf(1)
		for i := 0; i+1 < len(l.border); i++ {
			a, b := l.border[i], l.border[i+1]
			if geodesicDist(p, a) > got+5000 {
				continue // segments are < 5 km long
			}
			line := geodesic.WGS84.InverseLine(a[1], a[0], b[1], b[0], geodesic.All)
			for k := 0; k <= 400; k++ {
				var lat, lon, d float64
				line.Position(line.S13()*float64(k)/400, &lat, &lon, nil)
				geodesic.WGS84.Inverse(p[1], p[0], lat, lon, &d, nil, nil)
				best = min(best, d)
			}
		}
		// Sampling overshoots by at most (step/2)²/(2·distance) and the
		// search should never be longer than the sampled minimum.
		if got > best+0.01 || got < best-2 {
			t.Errorf("%s: DistanceToLine = %.3f m, brute force %.3f m", name, got, best)
		}
	}
}

func TestDistanceToLineSynthetic(t *testing.T) {
	// A meridian segment: the nearest point of a geodesic along a meridian
	// to a point due east is at (nearly) the same latitude.
	seg := orb.LineString{{128, 41}, {128, 42}}
	for _, c := range []struct {
		p    orb.Point
		want float64
	}{
		{orb.Point{128.01, 41.5}, geodesicDist(orb.Point{128.01, 41.5}, orb.Point{128, 41.5})},
		{orb.Point{128, 40.9}, geodesicDist(orb.Point{128, 40.9}, orb.Point{128, 41})}, // beyond an end
		{orb.Point{128, 41.7}, 0}, // on the line
		{orb.Point{127.9, 42.3}, geodesicDist(orb.Point{127.9, 42.3}, orb.Point{128, 42})}, // beyond the other end
	} {
		if got := DistanceToLine(c.p, seg); math.Abs(got-c.want) > 0.05 {
			t.Errorf("DistanceToLine(%v) = %.3f m, want %.3f", c.p, got, c.want)
		}
	}
	if got := DistanceToLine(orb.Point{128, 41}, orb.LineString{{128.01, 41}}); math.Abs(got-geodesicDist(orb.Point{128, 41}, orb.Point{128.01, 41})) > 1e-6 {
		t.Errorf("distance to a one-point line = %.3f", got)
	}
	if got := DistanceToLine(orb.Point{128, 41}, nil); !math.IsInf(got, 1) {
		t.Errorf("distance to an empty line = %v, want +Inf", got)
	}
}

func TestBorderSideElsewhere(t *testing.T) {
	l := loadLayers(t)
	for _, c := range []struct {
		name string
		p    orb.Point
		want string
	}{
		{"Sea of Japan off Rason (past the tripoint)", orb.Point{130.55, 42.2}, ""},
		{"Sea of Japan off Chongjin (North Korean side)", orb.Point{130.1, 41.9}, ""},
		{"Yalu estuary, off Sindo (North Korean side)", orb.Point{124.3, 39.85}, ""},
		{"Kraskino, Russia (a known limit)", orb.Point{130.79, 42.71}, "CN"},
		{"Seoul", orb.Point{126.978, 37.566}, ""},
		{"Vladivostok (125 km, beyond SideMaxDist)", orb.Point{131.886, 43.116}, ""},
		{"Khasan (beyond the tripoint)", orb.Point{130.78, 42.43}, ""},
		{"Korea Bay off the Yalu mouth", orb.Point{124.0, 39.6}, ""},
		{"Changbai mountains, Chinese side", orb.Point{128.06, 42.05}, "CN"},
		{"Samjiyon", orb.Point{128.32, 41.81}, "KP"},
	} {
		if got := BorderSide(c.p, l.border, l.land); got != c.want {
			t.Errorf("%s %v: side %q, want %q (%.1f km from the border)", c.name, c.p, got, c.want, DistanceToLine(c.p, l.border)/1000)
		}
	}
}

// At a vertex the side must come from both segments meeting there.
func TestBorderSideAtVertex(t *testing.T) {
	// South, then a right turn to the west: the left (North Korean) side is
	// south-east, outside the turn.
	line := orb.LineString{{128, 42}, {128, 41}, {127, 41}}
	for _, c := range []struct {
		p    orb.Point
		want string
	}{
		{orb.Point{128.1, 40.9}, ""},   // outside the turn: left
		{orb.Point{127.9, 41.1}, "CN"}, // inside the turn: right
		{orb.Point{128.1, 41.5}, ""},   // east of the first segment
		{orb.Point{127.9, 41.5}, "CN"}, // west of it
		{orb.Point{127.5, 40.9}, ""},   // south of the second segment
		{orb.Point{126.5, 41.0}, ""},   // beyond the west end
		{orb.Point{128.0, 42.5}, ""},   // beyond the north end
	} {
		if got := BorderSide(c.p, line, nil); got != c.want {
			t.Errorf("BorderSide(%v) = %q, want %q", c.p, got, c.want)
		}
	}
	// The same corner turning left (north, then west): now the left side
	// is inside the turn.
	line = orb.LineString{{128, 40}, {128, 41}, {127, 41}}
	for _, c := range []struct {
		p    orb.Point
		want string
	}{
		{orb.Point{127.9, 40.9}, ""},   // inside the turn: left
		{orb.Point{128.1, 41.1}, "CN"}, // outside the turn: right
	} {
		if got := BorderSide(c.p, line, nil); got != c.want {
			t.Errorf("left turn: BorderSide(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}
