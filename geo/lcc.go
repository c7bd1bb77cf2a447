package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// WGS 84 ellipsoid; tidwall/geodesic uses the same constants, so projected
// and geodesic figures describe the same earth.
const (
	wgs84A = 6378137.0
	wgs84F = 1 / 298.257223563
)

// LCC is a Lambert conformal conic projection on an ellipsoid (Snyder,
// "Map Projections: A Working Manual", 1987, eqs. 15-1 to 15-11), with no
// false easting or northing: the origin projects to (0, 0). It is conformal,
// so buffers built in its plane have the right shape, and its scale error
// along a narrow east-west band such as the China–North Korea border is
// small, so widths in metres are widths on the ground.
//
// The zero value is not usable; build one with NewLCC.
type LCC struct {
	a, e      float64 // semi-major axis (m) and eccentricity
	n, aF, r0 float64 // cone constant, a·F, and ρ at the latitude of origin
	lon0      float64 // central meridian, radians
}

// KoreaLCC is the projection the reference figures were computed in:
// standard parallels 40° N and 42.5° N, central meridian 127.5° E, latitude
// of origin 41° N, on WGS 84. The border lies between 39.8° N and 43.0° N,
// where the scale factor stays within 0.9997–1.0003 (0.03 %); it reaches
// 1.0013 at Kaesong's 38° N.
var KoreaLCC = NewLCC(40, 42.5, 41, 127.5)

// NewLCC returns a Lambert conformal conic projection on WGS 84 with the
// standard parallels lat1 and lat2, latitude of origin lat0 and central
// meridian lon0, all in degrees. lat1 and lat2 lie on the same side of the
// equator; equal, they make the one-parallel (tangent) form.
func NewLCC(lat1, lat2, lat0, lon0 float64) LCC {
	return newLCC(wgs84A, wgs84F, lat1, lat2, lat0, lon0)
}

// newLCC takes the ellipsoid too so tests can check the formulas against
// published examples on other ellipsoids and against a sphere (f = 0).
func newLCC(a, f, lat1, lat2, lat0, lon0 float64) LCC {
	e := math.Sqrt(f * (2 - f))
	p1, p2, p0 := rad(lat1), rad(lat2), rad(lat0)
	m1, m2 := lccM(p1, e), lccM(p2, e)
	t1, t2, t0 := lccT(p1, e), lccT(p2, e), lccT(p0, e)
	n := math.Sin(p1) // Snyder 15-8, the limit as lat2 → lat1
	if lat1 != lat2 {
		n = (math.Log(m1) - math.Log(m2)) / (math.Log(t1) - math.Log(t2))
	}
	aF := a * m1 / (n * math.Pow(t1, n))
	return LCC{a: a, e: e, n: n, aF: aF, r0: aF * math.Pow(t0, n), lon0: rad(lon0)}
}

func lccM(phi, e float64) float64 {
	s := e * math.Sin(phi)
	return math.Cos(phi) / math.Sqrt(1-s*s)
}

func lccT(phi, e float64) float64 { return math.Exp(lccLnT(phi, e)) }

// lccLnT is ln t(φ); Forward raises t to the power n, and exp(n·ln t) costs
// one transcendental call where math.Pow(t, n) costs two.
func lccLnT(phi, e float64) float64 {
	s := e * math.Sin(phi)
	return math.Log(math.Tan(math.Pi/4-phi/2)) - e/2*math.Log((1-s)/(1+s))
}

// Forward projects a longitude/latitude point (degrees) to x/y metres. It has
// the orb.Projection signature so it can be passed to orb/project helpers.
func (l LCC) Forward(p orb.Point) orb.Point {
	lon := math.Remainder(rad(p[0])-l.lon0, 2*math.Pi)
	r := l.aF * math.Exp(l.n*lccLnT(rad(p[1]), l.e))
	sin, cos := math.Sincos(l.n * lon)
	return orb.Point{r * sin, l.r0 - r*cos}
}

// Inverse maps x/y metres back to longitude/latitude degrees; it inverts
// Forward to about 1e-12° by iterating the conformal-latitude series.
func (l LCC) Inverse(p orb.Point) orb.Point {
	x, y := p[0], l.r0-p[1]
	r := math.Copysign(math.Hypot(x, y), l.n)
	theta := math.Atan2(math.Copysign(1, l.n)*x, math.Copysign(1, l.n)*y)
	t := math.Pow(r/l.aF, 1/l.n)
	phi := math.Pi/2 - 2*math.Atan(t)
	for range 15 {
		s := l.e * math.Sin(phi)
		next := math.Pi/2 - 2*math.Atan(t*math.Pow((1-s)/(1+s), l.e/2))
		if math.Abs(next-phi) < 1e-14 {
			phi = next
			break
		}
		phi = next
	}
	return orb.Point{deg(theta/l.n + l.lon0), deg(phi)}
}

// ForwardGeometry projects a copy of g; orb/project mutates its argument,
// and callers pass in shared, embedded layers.
func (l LCC) ForwardGeometry(g orb.Geometry) orb.Geometry {
	return project.Geometry(orb.Clone(g), l.Forward)
}

// InverseGeometry unprojects a copy of g (see ForwardGeometry).
func (l LCC) InverseGeometry(g orb.Geometry) orb.Geometry {
	return project.Geometry(orb.Clone(g), l.Inverse)
}

func rad(d float64) float64 { return d * math.Pi / 180 }
func deg(r float64) float64 { return r * 180 / math.Pi }
