package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/geodesic"
)

// DistanceToLine is the geodesic distance in metres on WGS 84 from p to the
// nearest point of line, each segment taken as the geodesic between its
// vertices; accurate to centimetres. It returns +Inf for an empty line.
//
// Segments are first ranked by distance in the KoreaLCC plane, which is
// cheap; only those within the projection's scale error of the best are
// refined geodesically, so a call on the 4,448-vertex border costs about
// half a millisecond, most of it projecting the line. The projection is conformal and nearly true to scale
// over the map's extent (lon 117–137° E, lat 35–47.5° N); far outside it the
// ranking margin may no longer hold and the result may come out long.
func DistanceToLine(p orb.Point, line orb.LineString) float64 {
	return nearestOnLine(p, line).dist
}

// nearest describes the point of a line nearest to a query point.
type nearest struct {
	dist float64 // geodesic, metres
	seg  int     // index of the segment's first vertex
	t    float64 // position along the segment in the LCC plane, 0..1
	pp   orb.Point
	proj []orb.Point // the line in KoreaLCC
}

// Candidate segments are kept when their planar distance is within
// rankRel·d + rankAbs of the planar minimum d. Planar and geodesic distances
// differ by the scale factor along the way, and paths from one point to
// different parts of the border see nearly the same factor (it varies by
// 0.05 % along the border; it is 1.0013 at 38° N, 1.007 at the peninsula's
// southern tip and 1.006 at 47.5° N), so rankRel leaves a wide margin.
//
// Kept candidates are then screened by the geodesic distance to their planar
// foot, and searched in full when within screenRel·g + screenAbs of the best
// screened g: the margin covers the gap between a segment's LCC chord and
// its geodesic (under a metre for segments of a few kilometres) and the
// second-order error of measuring at the planar rather than the geodesic
// foot (centimetres at 300 km).
const (
	rankRel   = 0.005
	rankAbs   = 20.0
	screenRel = 1e-5
	screenAbs = 2.0
)

func nearestOnLine(p orb.Point, line orb.LineString) nearest {
	n := nearest{dist: math.Inf(1), seg: -1}
	if len(line) == 0 {
		return n
	}
	n.pp = KoreaLCC.Forward(p)
	n.proj = make([]orb.Point, len(line))
	for i, v := range line {
		n.proj[i] = KoreaLCC.Forward(v)
	}
	if len(line) == 1 {
		n.dist, n.seg = geodesicDist(p, line[0]), 0
		return n
	}

	type cand struct {
		seg int
		d   float64
		t   float64
	}
	cands := make([]cand, len(line)-1)
	best := math.Inf(1)
	for i := range cands {
		a, b := n.proj[i], n.proj[i+1]
		t := segParam(n.pp[0], n.pp[1], a[0], a[1], b[0], b[1])
		d := math.Hypot(n.pp[0]-(a[0]+t*(b[0]-a[0])), n.pp[1]-(a[1]+t*(b[1]-a[1])))
		cands[i] = cand{i, d, t}
		best = math.Min(best, d)
	}
	limit := best*(1+rankRel) + rankAbs
	cands = slices.DeleteFunc(cands, func(c cand) bool { return c.d > limit })
	// Screen: the geodesic distance to each candidate's planar nearest point
	// is within centimetres of its true minimum (distance is stationary
	// there), so only candidates close to the best screened value need the
	// full search.
	gmin := math.Inf(1)
	for i, c := range cands {
		a, b := n.proj[c.seg], n.proj[c.seg+1]
		q := KoreaLCC.Inverse(orb.Point{a[0] + c.t*(b[0]-a[0]), a[1] + c.t*(b[1]-a[1])})
		cands[i].d = geodesicDist(p, q)
		gmin = min(gmin, cands[i].d)
	}
	for _, c := range cands {
		if c.d > gmin*(1+screenRel)+screenAbs {
			continue
		}
		if d := distToGeodesicSegment(p, line[c.seg], line[c.seg+1]); d < n.dist {
			n.dist, n.seg, n.t = d, c.seg, c.t
		}
	}
	return n
}

// distToGeodesicSegment minimises the distance from p to the geodesic a–b by
// golden-section search on the arc length: the distance is unimodal along a
// geodesic much shorter than the earth's quadrant, which border segments
// (at most a few kilometres) are.
func distToGeodesicSegment(p, a, b orb.Point) float64 {
	g := geodesic.WGS84
	l := g.InverseLine(a[1], a[0], b[1], b[0], geodesic.Latitude|geodesic.Longitude|geodesic.DistanceIn)
	length := l.S13()
	f := func(s float64) float64 {
		var lat, lon, d float64
		l.Position(s, &lat, &lon, nil)
		g.Inverse(p[1], p[0], lat, lon, &d, nil, nil)
		return d
	}
	const phi = 0.6180339887498949 // 1/golden ratio
	lo, hi := 0.0, length
	x1, x2 := hi-phi*(hi-lo), lo+phi*(hi-lo)
	f1, f2 := f(x1), f(x2)
	for hi-lo > 0.01 {
		if f1 < f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - phi*(hi-lo)
			f1 = f(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + phi*(hi-lo)
			f2 = f(x2)
		}
	}
	// The search never evaluates the ends themselves.
	return min(f1, f2, geodesicDist(p, a), geodesicDist(p, b))
}

// SideMaxDist bounds where BorderSide answers "CN" (metres): far from the
// border "on the Chinese side of the line" stops meaning China (Mongolia,
// Russia, Europe), and callers have a place's country there anyway.
const SideMaxDist = 100e3

// BorderSide says which side of the China–North Korea land border p is on:
//
//   - "KP" when p lies in land (North Korea's land polygon), however far
//     from the border;
//   - "CN" when it does not, lies within SideMaxDist of border, the nearest
//     point of border is not one of its two ends, and p is to the right of
//     the border there;
//   - "" otherwise: at sea, in South Korea, beyond the ends of the border
//     (past the Yalu mouth, or in Russia east of the tripoint), or far away.
//
// border must run with North Korea on its left, as the land part of
// data/layers/border.geojson does (from the China–North Korea–Russia tripoint
// to the Yalu mouth). The land polygon decides "KP" because it shares the
// border's vertices; the side test decides "CN" because no Chinese polygon
// does (Natural Earth's China misses the river channel by up to hundreds of
// metres). Known limit: Russian land north-east of the first few kilometres
// of the border (Kraskino, 25 km away) reads as "CN".
func BorderSide(p orb.Point, border orb.LineString, land orb.MultiPolygon) string {
	if contains(land, p) {
		return "KP"
	}
	n := nearestOnLine(p, border)
	if n.seg < 0 || len(border) < 2 || n.dist > SideMaxDist {
		return ""
	}
	if side(n) < 0 {
		return "CN"
	}
	return ""
}

// side is +1 when the query point is left of the line near its nearest
// point, -1 when right and 0 when that point is one of the line's ends. At a
// vertex the side is decided by both segments that meet there: on the inside
// of a turn the point must be on that side of both, on the outside of either.
func side(n nearest) int {
	last := len(n.proj) - 1
	v := -1 // the vertex the nearest point sits on, if any
	switch {
	case n.t <= 0:
		v = n.seg
	case n.t >= 1:
		v = n.seg + 1
	}
	if v == 0 || v == last {
		return 0
	}
	if v < 0 {
		return sign(cross(n.proj[n.seg], n.proj[n.seg+1], n.pp))
	}
	lu := cross(n.proj[v-1], n.proj[v], n.pp)
	lw := cross(n.proj[v], n.proj[v+1], n.pp)
	turn := cross(n.proj[v-1], n.proj[v], n.proj[v+1])
	if turn > 0 { // left turn: the left side is the narrow wedge
		if lu > 0 && lw > 0 {
			return 1
		}
		return -1
	}
	if lu > 0 || lw > 0 {
		return 1
	}
	return -1
}

// cross is the z component of (b−a)×(p−a): positive when p is left of a→b.
func cross(a, b, p orb.Point) float64 {
	return (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
