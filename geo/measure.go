package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/geodesic"
)

// GeodesicLength is the length of line in metres on the WGS 84 ellipsoid,
// each segment taken as the geodesic between its vertices.
func GeodesicLength(line orb.LineString) float64 {
	var total float64
	for i := 1; i < len(line); i++ {
		total += geodesicDist(line[i-1], line[i])
	}
	return total
}

func geodesicDist(a, b orb.Point) float64 {
	var s float64
	geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0], &s, nil, nil)
	return s
}

// GeodesicArea is the area of mp in square metres on the WGS 84 ellipsoid,
// holes subtracted. Rings may be in either orientation: each ring's area is
// taken unsigned, since the sign convention differs between sources
// (GeoJSON, JTS output).
func GeodesicArea(mp orb.MultiPolygon) float64 {
	var total float64
	for _, poly := range mp {
		for i, ring := range poly {
			a := math.Abs(ringArea(ring))
			if i == 0 {
				total += a
			} else {
				total -= a
			}
		}
	}
	return total
}

func ringArea(ring orb.Ring) float64 {
	n := len(ring)
	if n > 1 && ring[0] == ring[n-1] {
		n-- // PolygonArea closes the ring itself
	}
	if n < 3 {
		return 0
	}
	p := geodesic.WGS84.PolygonInit(false)
	for _, pt := range ring[:n] {
		p.AddPoint(pt[1], pt[0])
	}
	var area float64
	// sign=true: a clockwise ring gives a small negative area rather than
	// the area of the rest of the earth.
	p.Compute(false, true, &area, nil)
	return area
}

// BoundaryTolerance is how far (metres) a segment midpoint may lie outside a
// polygon and still count as on its boundary in LengthInside. Province
// outlines are fitted to the same OSM line as the border, so a border
// midpoint lands on the province edge, a hair either side of it.
const BoundaryTolerance = 5.0

// LengthInside is the geodesic length in metres of the parts of line that lie
// inside poly or on its boundary (within BoundaryTolerance). A segment counts
// whole when its midpoint does: border segments are short (~300 m on
// average) and province boundaries meet the border at vertices.
//
// Stretches of line over water that no polygon covers count for none: 13 km
// of the border run through the Yalu estuary between islands, up to 2 km from
// any North Korean land, so LengthInside(border, North Pyongan) is 163 km,
// not 176. Use LengthsByRegion to split a line among regions.
func LengthInside(line orb.LineString, poly orb.MultiPolygon) float64 {
	bound := poly.Bound().Pad(1e-3) // ~100 m, more than the tolerance
	var total float64
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		mid := midpoint(a, b)
		if !bound.Contains(mid) {
			continue
		}
		if contains(poly, mid) || distToRingsM(mid, poly) <= BoundaryTolerance {
			total += geodesicDist(a, b)
		}
	}
	return total
}

// LengthsByRegion splits the geodesic length of line (metres) among regions,
// which should not overlap (provinces): each segment goes whole to the first
// region containing its midpoint or, failing that, to the region nearest to
// it, so a segment on the shared edge or over water off the coast still
// lands somewhere and the lengths add up to GeodesicLength(line) (unless
// every region is empty). This reproduces the reference figures for the
// border by province, whose sum is the whole border.
func LengthsByRegion(line orb.LineString, regions []orb.MultiPolygon) []float64 {
	out := make([]float64, len(regions))
	if len(regions) == 0 {
		return out
	}
	bounds := make([]orb.Bound, len(regions))
	order := make([]int, len(regions))
	for i, r := range regions {
		bounds[i], order[i] = r.Bound(), i
	}
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		mid := midpoint(a, b)
		owner := -1
		for j, r := range regions {
			if bounds[j].Contains(mid) && contains(r, mid) {
				owner = j
				break
			}
		}
		if owner < 0 {
			// Most such midpoints sit on a region's edge, the border being
			// part of the outline, so look at the nearest boxes first and
			// stop at an edge.
			slices.SortFunc(order, func(x, y int) int {
				return cmp.Compare(boundDistM(mid, bounds[x]), boundDistM(mid, bounds[y]))
			})
			best := math.Inf(1)
			for _, j := range order {
				if best <= onEdge || boundDistM(mid, bounds[j]) >= best {
					break
				}
				if d := distToRingsM(mid, regions[j]); d < best {
					owner, best = j, d
				}
			}
		}
		if owner >= 0 {
			out[owner] += geodesicDist(a, b)
		}
	}
	return out
}

// onEdge (metres) is close enough to a region's edge to stop looking for a
// nearer one.
const onEdge = 0.01

func midpoint(a, b orb.Point) orb.Point {
	return orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
}

// boundDistM is a lower bound, in metres, on the distance from p to anything
// inside b, in the same local frame as distToRingsM.
func boundDistM(p orb.Point, b orb.Bound) float64 {
	kx, ky := metresPerDegree(p[1])
	dx := math.Max(0, math.Max(b.Min[0]-p[0], p[0]-b.Max[0])) * kx
	dy := math.Max(0, math.Max(b.Min[1]-p[1], p[1]-b.Max[1])) * ky
	return math.Hypot(dx, dy)
}

// distToRingsM is the distance in metres from p to the nearest ring edge of
// mp, in a local equirectangular frame at p: plenty for a tolerance of a few
// metres.
func distToRingsM(p orb.Point, mp orb.MultiPolygon) float64 {
	kx, ky := metresPerDegree(p[1])
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 1; i < len(ring); i++ {
				ax, ay := (ring[i-1][0]-p[0])*kx, (ring[i-1][1]-p[1])*ky
				bx, by := (ring[i][0]-p[0])*kx, (ring[i][1]-p[1])*ky
				if d := segDist(0, 0, ax, ay, bx, by); d < best {
					best = d
				}
			}
		}
	}
	return best
}

// metresPerDegree gives the WGS 84 metres per degree of longitude and of
// latitude at latitude lat.
func metresPerDegree(lat float64) (kx, ky float64) {
	phi := rad(lat)
	e2 := wgs84F * (2 - wgs84F)
	w := 1 - e2*math.Sin(phi)*math.Sin(phi)
	nu := wgs84A / math.Sqrt(w)                   // prime vertical radius
	rho := wgs84A * (1 - e2) / (w * math.Sqrt(w)) // meridional radius
	return rad(1) * nu * math.Cos(phi), rad(1) * rho
}

// segDist is the planar distance from (px, py) to the segment a–b.
func segDist(px, py, ax, ay, bx, by float64) float64 {
	t := segParam(px, py, ax, ay, bx, by)
	return math.Hypot(px-(ax+t*(bx-ax)), py-(ay+t*(by-ay)))
}

// segParam is the parameter in [0, 1] of the point of segment a–b nearest to
// (px, py).
func segParam(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return 0
	}
	return math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/l2))
}

// contains reports whether p is inside mp, holes excluded, by crossing
// number. Points exactly on an edge may go either way; callers that care use
// a distance tolerance. (planar.MultiPolygonContains computes every ring's
// bounding box on every call, which doubles the cost of the loops here.)
func contains(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if len(poly) == 0 || !ringContains(poly[0], p) {
			continue
		}
		inHole := false
		for _, h := range poly[1:] {
			if ringContains(h, p) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}
