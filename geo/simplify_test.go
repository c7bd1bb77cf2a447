package geo

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestDecimals(t *testing.T) {
	for _, tc := range []struct {
		tol  float64
		want int
	}{{1, 6}, {10, 5}, {50, 5}, {100, 4}, {250, 4}, {500, 4}, {1000, 3}, {5000, 3}, {20000, 2}} {
		if got := Decimals(tc.tol); got != tc.want {
			t.Errorf("Decimals(%v) = %d, want %d", tc.tol, got, tc.want)
		}
		// The step is at most a fifth of the tolerance.
		if step := math.Pow10(-Decimals(tc.tol)) * degreeM; tc.tol >= 10 && step > tc.tol/5 {
			t.Errorf("tolerance %v m: a step of %.1f m", tc.tol, step)
		}
	}
}

// offsetM moves p by east and north metres (locally, with the projection).
func offsetM(p orb.Point, east, north float64) orb.Point {
	q := KoreaLCC.Forward(p)
	return KoreaLCC.Inverse(orb.Point{q[0] + east, q[1] + north})
}

// The tolerance is in metres in every direction: a bump of 80 m goes at a
// tolerance of 100 m and stays at 60 m, whether it points north or east. (In
// degrees of latitude, an eastward bump at 41° N would be a third larger.)
func TestSimplifyToleranceIsIsotropic(t *testing.T) {
	start := orb.Point{127, 41}
	for _, tc := range []struct {
		name       string
		along, off [2]float64 // unit vectors: the line's direction, the bump's
	}{
		{"line north, bump east", [2]float64{0, 1}, [2]float64{1, 0}},
		{"line east, bump north", [2]float64{1, 0}, [2]float64{0, 1}},
	} {
		const bump = 80.0
		at := func(a, o float64) orb.Point {
			return offsetM(start, a*tc.along[0]+o*tc.off[0], a*tc.along[1]+o*tc.off[1])
		}
		line := orb.LineString{at(0, 0), at(5000, bump), at(10000, 0)}
		for _, c := range []struct {
			tol  float64
			kept int
		}{{100, 2}, {60, 3}} {
			got := Simplify(line, c.tol).(orb.LineString)
			if len(got) != c.kept {
				t.Errorf("%s, tolerance %v m: %d vertices, want %d", tc.name, c.tol, len(got), c.kept)
			}
		}
	}
}

// roundingM bounds how far rounding to Decimals(tol) moves a vertex, in
// metres of the KoreaLCC plane (its scale is within 1 % over the region).
func roundingM(tol float64) float64 {
	return 1.01 * math.Sqrt2 / 2 * math.Pow10(-Decimals(tol)) * degreeM
}

// projected is a line in the KoreaLCC plane, projected once for many
// distance checks.
type projected []orb.Point

func projectLine(ls orb.LineString) projected {
	out := make(projected, len(ls))
	for i, p := range ls {
		out[i] = KoreaLCC.Forward(p)
	}
	return out
}

// dist is the distance in the plane from p (lon/lat) to the nearest edge.
func (pl projected) dist(p orb.Point) float64 {
	q := KoreaLCC.Forward(p)
	if len(pl) == 1 {
		return planar.Distance(pl[0], q)
	}
	best := math.Inf(1)
	for i := 1; i < len(pl); i++ {
		best = min(best, planar.DistanceFromSegment(pl[i-1], pl[i], q))
	}
	return best
}

func distToLine(p orb.Point, ls orb.LineString) float64 { return projectLine(ls).dist(p) }

// checkWithin fails when the simplified line strays from the original: every
// original vertex is within the tolerance of the simplified line, and every
// simplified vertex within rounding of the original (up to 1,000 vertices of
// each, evenly spread).
func checkWithin(t *testing.T, what string, orig, simple orb.LineString, tol float64) {
	t.Helper()
	limit := tol + roundingM(tol)
	po, ps := projectLine(orig), projectLine(simple)
	worst := 0.0
	for i := 0; i < len(orig); i += max(1, len(orig)/1000) {
		worst = max(worst, ps.dist(orig[i]))
	}
	if worst > limit {
		t.Errorf("%s: an original vertex is %.1f m from the simplified shape; tolerance %v m (+ rounding: %.1f m)", what, worst, tol, limit)
	}
	for i := 0; i < len(simple); i += max(1, len(simple)/1000) {
		if d := po.dist(simple[i]); d > roundingM(tol) {
			t.Errorf("%s: simplified vertex %v is %.1f m off the original", what, simple[i], d)
			break
		}
	}
}

// checkRing fails unless r is valid in GeoJSON: closed, four positions or more.
func checkRing(t *testing.T, what string, r orb.Ring) {
	t.Helper()
	if len(r) < 4 || r[0] != r[len(r)-1] {
		t.Errorf("%s: ring of %d positions, closed %v", what, len(r), len(r) > 0 && r[0] == r[len(r)-1])
	}
}

func countVertices(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.LineString:
		return len(g)
	case orb.Ring:
		return len(g)
	case orb.MultiLineString:
		n := 0
		for _, ls := range g {
			n += len(ls)
		}
		return n
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += countVertices(p)
		}
		return n
	}
	return 0
}

// On the real shapes: fewer vertices, valid rings, and the shape within the
// tolerance of the original. A ring may only go when it is narrower than the
// tolerance: all of it lies near the segment from its first vertex to its
// farthest one, which is all Douglas–Peucker keeps of a ring that collapses.
func TestSimplifyRealShapes(t *testing.T) {
	l := loadLayers(t)
	shapes := map[string]orb.Geometry{"border": l.border, "North Korea": l.land, "1 km zone": zoneOf(t, 1000)}
	for name, p := range l.provinces {
		shapes[name] = p
	}
	for _, tol := range []float64{50, 250, 1000, 5000} {
		for name, g := range shapes {
			what := fmt.Sprintf("%s at %v m", name, tol)
			s := Simplify(g, tol)
			if n, was := countVertices(s), countVertices(g); n >= was {
				t.Errorf("%s: %d vertices, the original has %d", what, n, was)
			}
			switch g := g.(type) {
			case orb.LineString:
				checkWithin(t, what, g, s.(orb.LineString), tol)
			case orb.MultiPolygon:
				mp := s.(orb.MultiPolygon)
				if len(mp) == 0 {
					t.Fatalf("%s vanished", what)
				}
				for _, p := range mp {
					for _, r := range p {
						checkRing(t, what, r)
					}
				}
				checkRings(t, what, g, tol)
			}
		}
	}
}

func checkRings(t *testing.T, what string, mp orb.MultiPolygon, tol float64) {
	t.Helper()
	s := simplifier{tol: tol, factor: math.Pow10(Decimals(tol))}
	for i, p := range mp {
		for j, r := range p {
			where := fmt.Sprintf("%s, polygon %d ring %d", what, i, j)
			if sr := s.ring(r); sr != nil {
				checkWithin(t, where, orb.LineString(r), orb.LineString(sr), tol)
				continue
			}
			far := r[0]
			for _, v := range r {
				if planar.Distance(KoreaLCC.Forward(v), KoreaLCC.Forward(r[0])) > planar.Distance(KoreaLCC.Forward(far), KoreaLCC.Forward(r[0])) {
					far = v
				}
			}
			for _, v := range r {
				if d := distToLine(v, orb.LineString{r[0], far}); d > tol+2*roundingM(tol) {
					t.Errorf("%s was dropped, yet a vertex lies %.0f m from its axis", where, d)
					break
				}
			}
		}
	}
}

func TestSimplifyKeepsAShapeFromVanishing(t *testing.T) {
	square := func(c orb.Point, sideM float64) orb.Ring {
		h := sideM / 2
		return orb.Ring{offsetM(c, -h, -h), offsetM(c, h, -h), offsetM(c, h, h), offsetM(c, -h, h), offsetM(c, -h, -h)}
	}
	big, small, tiny := square(orb.Point{127, 41}, 50000), square(orb.Point{128, 41}, 300), square(orb.Point{129, 41}, 20)
	for _, tc := range []struct {
		name  string
		in    orb.Geometry
		rings []int // positions of each outer ring, in order
	}{
		{"a small island goes, the big one stays", orb.MultiPolygon{{big}, {small}}, []int{5}},
		{"the only polygon stays, though smaller than the tolerance", orb.MultiPolygon{{small}}, []int{5}},
		{"the larger of two small ones stays", orb.MultiPolygon{{tiny}, {small}}, []int{5}},
		{"a polygon smaller than the rounding step stays as it was", orb.Polygon{tiny}, []int{5}},
		{"a hole narrower than the tolerance goes", orb.Polygon{big, small}, []int{5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Simplify(tc.in, 1000)
			mp, ok := got.(orb.MultiPolygon)
			if p, isPoly := got.(orb.Polygon); isPoly {
				mp, ok = orb.MultiPolygon{p}, true
			}
			if !ok || len(mp) != len(tc.rings) {
				t.Fatalf("got %v", got)
			}
			for i, p := range mp {
				if len(p) != 1 || len(p[0]) != tc.rings[i] {
					t.Errorf("polygon %d: %d rings, outer of %d positions; want 1 of %d", i, len(p), len(p[0]), tc.rings[i])
				}
				checkRing(t, tc.name, p[0])
			}
		})
	}
}

func TestSimplifyLeavesPointsAndKeepsLineEnds(t *testing.T) {
	pt := orb.Point{127.123456789, 41.987654321}
	if got := Simplify(pt, 1000); got != pt {
		t.Errorf("a point became %v", got)
	}
	if got := Simplify(nil, 1000); got != nil {
		t.Errorf("nil became %v", got)
	}
	short := orb.LineString{{127, 41}, {127.000001, 41.000001}} // 14 cm
	if got := Simplify(short, 1000).(orb.LineString); len(got) != 2 {
		t.Errorf("a line shorter than the rounding step became %v", got)
	}
	l := loadLayers(t)
	got := Simplify(l.border, 5000).(orb.LineString)
	if distToLine(l.border[0], got[:1]) > roundingM(5000) || distToLine(l.border[len(l.border)-1], got[len(got)-1:]) > roundingM(5000) {
		t.Errorf("the border's ends moved: %v … %v", got[0], got[len(got)-1])
	}
}
