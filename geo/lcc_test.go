package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/carto"
	"github.com/peterstace/simplefeatures/geom"
)

func TestLCCRoundTrip(t *testing.T) {
	// The map's extent (lon 117–137, lat 35–47.5) and a margin around it.
	var worst float64
	for lon := 110.0; lon <= 145; lon += 0.37 {
		for lat := 30.0; lat <= 50; lat += 0.29 {
			p := orb.Point{lon, lat}
			q := KoreaLCC.Inverse(KoreaLCC.Forward(p))
			worst = max(worst, math.Abs(q[0]-lon), math.Abs(q[1]-lat))
		}
	}
	if worst > 1e-7 {
		t.Errorf("Forward then Inverse is off by up to %g°, want ≤ 1e-7°", worst)
	}
}

// The worked example of EPSG Guidance Note 7-2 (Lambert Conic Conformal
// 2SP, NAD27 / Texas South Central on Clarke 1866): an independent check of
// the ellipsoidal formulas.
func TestLCCMatchesEPSGExample(t *testing.T) {
	const ftUS = 1200.0 / 3937 // metres per US survey foot
	dms := func(d, m float64) float64 { return math.Copysign(math.Abs(d)+m/60, d) }
	l := newLCC(6378206.4, 1/294.97870, dms(28, 23), dms(30, 17), dms(27, 50), -99)
	if math.Abs(l.n-0.48991263) > 1e-8 {
		t.Errorf("n = %.8f, want 0.48991263", l.n)
	}
	if F := l.aF / l.a; math.Abs(F-2.31154807) > 1e-8 {
		t.Errorf("F = %.8f, want 2.31154807", F)
	}
	got := l.Forward(orb.Point{-96, dms(28, 30)})
	// E = 2963503.91 ftUS, N = 254759.80 ftUS with a false easting of
	// 2,000,000 ftUS, which LCC does not apply.
	want := orb.Point{(2963503.91 - 2000000) * ftUS, 254759.80 * ftUS}
	if d := math.Hypot(got[0]-want[0], got[1]-want[1]); d > 0.01 {
		t.Errorf("Forward = %.3f, want %.3f (off by %.3f m)", got, want, d)
	}
	back := l.Inverse(want)
	if math.Abs(back[0]+96) > 1e-8 || math.Abs(back[1]-28.5) > 1e-8 {
		t.Errorf("Inverse = %.9f, want [-96 28.5]", back)
	}
}

// On a sphere (f = 0) the projection must agree with simplefeatures' own
// spherical Lambert conformal conic, written independently.
func TestLCCSphereMatchesCarto(t *testing.T) {
	const r = 6371008.8
	ours := newLCC(r, 0, 40, 42.5, 41, 127.5)
	theirs := carto.NewLambertConformalConic(r)
	theirs.SetOrigin(geom.XY{X: 127.5, Y: 41})
	theirs.SetStandardParallels(40, 42.5)
	for _, p := range []orb.Point{{127.5, 41}, {124.4, 40.1}, {130.6, 42.4}, {126.55, 37.97}, {117, 47.5}} {
		a := ours.Forward(p)
		b := theirs.Forward(geom.XY{X: p[0], Y: p[1]})
		if d := math.Hypot(a[0]-b.X, a[1]-b.Y); d > 1e-3 {
			t.Errorf("%v: ours %.3f, carto [%.3f %.3f]", p, a, b.X, b.Y)
		}
	}
}

func TestKoreaLCCScale(t *testing.T) {
	if o := KoreaLCC.Forward(orb.Point{127.5, 41}); math.Hypot(o[0], o[1]) > 1e-6 {
		t.Errorf("origin projects to %v, want [0 0]", o)
	}
	// Scale is exactly 1 along the standard parallels, below 1 between them.
	for _, c := range []struct{ lat, min, max float64 }{
		{40, 0.999999, 1.000001},
		{42.5, 0.999999, 1.000001},
		{41.25, 0.9997, 0.99999},
	} {
		// A short step along the parallel, against its length on the
		// ellipsoid from the radius of curvature.
		const dlon = 0.001
		kx, _ := metresPerDegree(c.lat)
		pa, pb := KoreaLCC.Forward(orb.Point{127, c.lat}), KoreaLCC.Forward(orb.Point{127 + dlon, c.lat})
		k := math.Hypot(pb[0]-pa[0], pb[1]-pa[1]) / (kx * dlon)
		if k < c.min || k > c.max {
			t.Errorf("scale at %v°N = %.7f, want %v–%v", c.lat, k, c.min, c.max)
		}
	}
}

func TestForwardGeometryCopies(t *testing.T) {
	ls := orb.LineString{{128, 41}, {129, 42}}
	p := KoreaLCC.ForwardGeometry(ls).(orb.LineString)
	if ls[0] != (orb.Point{128, 41}) {
		t.Fatalf("ForwardGeometry changed its argument: %v", ls)
	}
	back := KoreaLCC.InverseGeometry(p).(orb.LineString)
	if math.Abs(back[1][0]-129) > 1e-9 || math.Abs(back[1][1]-42) > 1e-9 {
		t.Errorf("InverseGeometry(ForwardGeometry(ls)) = %v", back)
	}
}

// One standard parallel is the limit of two that close in on it.
func TestLCCTangent(t *testing.T) {
	one := NewLCC(41, 41, 41, 127.5)
	two := NewLCC(41-1e-4, 41+1e-4, 41, 127.5)
	for _, p := range []orb.Point{{124.4, 40.1}, {130.6, 42.4}, {126.55, 37.97}} {
		a, b := one.Forward(p), two.Forward(p)
		if d := math.Hypot(a[0]-b[0], a[1]-b[1]); d > 0.01 {
			t.Errorf("%v: one parallel %.3f, two close ones %.3f", p, a, b)
		}
		if q := one.Inverse(a); math.Abs(q[0]-p[0]) > 1e-9 || math.Abs(q[1]-p[1]) > 1e-9 {
			t.Errorf("%v: round trip gives %v", p, q)
		}
	}
}
