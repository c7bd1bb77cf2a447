package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// degreeM is the length of a degree of latitude (or of longitude at the
// equator), to the precision rounding needs: 110.6–111.7 km on WGS 84.
const degreeM = 111320.0

// Decimals is how many decimal places of a degree keep a shape simplified
// with toleranceM metres: the fewest whose step is at most a fifth of the
// tolerance, so rounding moves a vertex by at most 0.14 of it (half a step
// north-south and east-west). 6 places (11 cm) at most.
//
//	tolerance   50 m → 5 places (1.1 m)   100–500 m → 4 (11 m)
//	tolerance 1–5 km → 3 places (111 m)   20 km → 2 (1.1 km)
func Decimals(toleranceM float64) int {
	d := int(math.Ceil(math.Log10(5 * degreeM / toleranceM)))
	return min(max(d, 0), 6)
}

// Simplify returns a copy of g with Douglas–Peucker simplification at
// toleranceM metres and its coordinates rounded to Decimals(toleranceM). The
// tolerance is the same in every direction: the shape is simplified in the
// plane of KoreaLCC, a conformal projection whose scale stays within 0.03 %
// along the border and within about 1 % over the whole base map (lat 35–47.5).
//
// Rings stay valid for GeoJSON (closed, at least four positions): a hole that
// collapses is dropped, and so is a polygon whose outer ring collapses, but
// never the last one of a geometry, which keeps its largest outer ring
// simplified less. Lines keep their two ends. Points come back unchanged.
// Neighbouring shapes are simplified independently, so their shared edges may
// part by up to the tolerance, and a simplified ring is not checked for
// self-intersection.
func Simplify(g orb.Geometry, toleranceM float64) orb.Geometry {
	s := simplifier{tol: toleranceM, factor: math.Pow10(Decimals(toleranceM))}
	switch g := g.(type) {
	case orb.LineString:
		return s.line(g)
	case orb.MultiLineString:
		out := make(orb.MultiLineString, 0, len(g))
		for _, ls := range g {
			out = append(out, s.line(ls))
		}
		return out
	case orb.Polygon:
		if mp := s.polygons(orb.MultiPolygon{g}); len(mp) == 1 {
			return mp[0]
		}
		return orb.Polygon{}
	case orb.MultiPolygon:
		return s.polygons(g)
	}
	if g == nil {
		return nil
	}
	return orb.Clone(g)
}

type simplifier struct {
	tol    float64 // metres in the KoreaLCC plane
	factor float64 // 10^decimals
}

// line simplifies a line string. Douglas–Peucker keeps both ends, so a line
// never collapses to fewer than two positions, unless rounding merges them.
func (s simplifier) line(ls orb.LineString) orb.LineString {
	p := KoreaLCC.ForwardGeometry(ls).(orb.LineString)
	p = simplify.DouglasPeucker(s.tol).LineString(p)
	out := s.round(KoreaLCC.InverseGeometry(p).(orb.LineString))
	if len(out) < 2 {
		return ls.Clone() // shorter than the rounding step: as it was
	}
	return out
}

// ring simplifies one ring, or returns nil when it collapses: fewer than four
// positions once simplified and rounded, i.e. narrower than the tolerance.
func (s simplifier) ring(r orb.Ring) orb.Ring {
	if len(r) < 4 {
		return nil
	}
	p := KoreaLCC.ForwardGeometry(r).(orb.Ring)
	p = simplify.DouglasPeucker(s.tol).Ring(p)
	out := orb.Ring(s.round(orb.LineString(KoreaLCC.InverseGeometry(p).(orb.Ring))))
	if len(out) < 4 || out[0] != out[len(out)-1] {
		return nil
	}
	return out
}

func (s simplifier) polygons(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		shell := s.ring(poly[0])
		if shell == nil {
			continue
		}
		p := orb.Polygon{shell}
		for _, hole := range poly[1:] {
			if h := s.ring(hole); h != nil {
				p = append(p, h)
			}
		}
		out = append(out, p)
	}
	if len(out) > 0 || len(mp) == 0 {
		return out
	}
	return orb.MultiPolygon{{s.largestShell(mp)}}
}

// largestShell is the largest outer ring of mp, simplified with ever smaller
// tolerances until it holds, so that a shape never vanishes from the map.
// It ends with the ring unsimplified and, if rounding alone collapses it (a
// ring smaller than the rounding step), unrounded.
func (s simplifier) largestShell(mp orb.MultiPolygon) orb.Ring {
	var largest orb.Ring
	area := -1.0
	for _, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		if a := math.Abs(planar.Area(KoreaLCC.ForwardGeometry(poly[0]))); a > area {
			largest, area = poly[0], a
		}
	}
	for t := s.tol / 2; t >= 0.01; t /= 2 {
		if r := (simplifier{tol: t, factor: s.factor}).ring(largest); r != nil {
			return r
		}
	}
	return largest.Clone()
}

// round rounds a copy of ls to s.factor and drops the repeated positions that
// rounding makes.
func (s simplifier) round(ls orb.LineString) orb.LineString {
	out := make(orb.LineString, 0, len(ls))
	for _, p := range ls {
		q := orb.Point{math.Round(p[0]*s.factor) / s.factor, math.Round(p[1]*s.factor) / s.factor}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	return out
}
