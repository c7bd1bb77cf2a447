package geo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Zone is the band of North Korean land within widthM metres of the land
// border: the buffer of border (the land boundary only, not the estuary and
// sea limit; round caps and joins, 8 segments per quarter circle)
// intersected with land, both computed in the KoreaLCC plane, which is
// conformal and true to scale within 0.03 % along the border. The result is
// in longitude/latitude, rounded to 6 decimals (~0.1 m), with RFC 7946 ring
// orientation (exterior rings counter-clockwise), ready to serve as GeoJSON.
//
// Its area is less than length × width because the buffer overlaps itself
// where the river bends. Where the border runs through water (13 km of the
// Yalu estuary between islands) the zone holds only the land within reach,
// not a band along the line.
//
// The result is not simplified: about half its vertices are the border's own,
// which must stay put so the zone neither leaks into China nor leaves a
// sliver of North Korea along the border uncovered, and simplifying the
// inland edge to 5 m saves under 10 % of the vertices (9,031 → 8,528 for the
// 1 km zone of the reference data) for more than double the run time.
func Zone(border orb.LineString, land orb.MultiPolygon, widthM float64) (orb.MultiPolygon, error) {
	if !(widthM > 0) || math.IsInf(widthM, 0) {
		return nil, fmt.Errorf("geo: zone width %v m: must be positive", widthM)
	}
	if len(border) < 2 {
		return nil, errors.New("geo: zone: border needs at least 2 points")
	}
	line := geom.NewLineStringXY(flatXY(border)...).AsGeometry()
	buf, err := geom.Buffer(line, widthM)
	if err != nil {
		return nil, fmt.Errorf("geo: buffering the border: %w", err)
	}
	landG := toGeom(land, buf.Envelope())
	zone, err := geom.Intersection(buf, landG)
	if err != nil {
		return nil, fmt.Errorf("geo: clipping the zone to the land: %w", err)
	}
	return fromGeom(zone), nil
}

// flatXY projects line to KoreaLCC as the flat x, y, x, y… slice
// simplefeatures constructors take.
func flatXY(line []orb.Point) []float64 {
	xy := make([]float64, 0, 2*len(line))
	for _, p := range line {
		q := KoreaLCC.Forward(p)
		xy = append(xy, q[0], q[1])
	}
	return xy
}

// toGeom projects the polygons of mp whose projected envelope meets env; the
// rest (islands far from the border) cannot contribute to the zone and only
// cost overlay time.
func toGeom(mp orb.MultiPolygon, env geom.Envelope) geom.Geometry {
	var polys []geom.Polygon
	for _, poly := range mp {
		rings := make([]geom.LineString, 0, len(poly))
		for _, r := range poly {
			rings = append(rings, geom.NewLineStringXY(flatXY(r)...))
		}
		p := geom.NewPolygon(rings)
		if p.Envelope().Intersects(env) {
			polys = append(polys, p)
		}
	}
	return geom.NewMultiPolygon(polys).AsGeometry()
}

// fromGeom keeps the polygonal parts of g (an overlay may also return
// stray points and lines where the border merely touches the land),
// unprojects and rounds them.
func fromGeom(g geom.Geometry) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, part := range g.Dump() {
		p, ok := part.AsPolygon()
		if !ok || p.IsEmpty() {
			continue
		}
		p = p.ForceCCW()
		var poly orb.Polygon
		for i := 0; i < p.NumRings(); i++ {
			ring := p.ExteriorRing()
			if i > 0 {
				ring = p.InteriorRingN(i - 1)
			}
			r := unprojectRing(ring.Coordinates())
			if len(r) < 4 { // a sliver that rounding collapsed
				if i == 0 {
					break
				}
				continue
			}
			poly = append(poly, r)
		}
		if len(poly) > 0 {
			out = append(out, poly)
		}
	}
	return out
}

func unprojectRing(seq geom.Sequence) orb.Ring {
	r := make(orb.Ring, 0, seq.Length())
	for j := 0; j < seq.Length(); j++ {
		xy := seq.GetXY(j)
		ll := KoreaLCC.Inverse(orb.Point{xy.X, xy.Y})
		q := orb.Point{round6(ll[0]), round6(ll[1])}
		if len(r) == 0 || r[len(r)-1] != q { // rounding can merge neighbours
			r = append(r, q)
		}
	}
	return r
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
