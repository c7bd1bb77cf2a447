package synth

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/borderline/borderline/data"
)

// village is a synthetic settlement: a point 0–25 km inside North Korea from
// the land border, placed at a fraction along the border's length.
type village struct {
	place data.Place
	along float64 // km from the Tumen tripoint along the border, for neighbours
}

// borderWalk measures the land border so points can be placed by distance
// along it.
type borderWalk struct {
	line orb.LineString
	cum  []float64 // km from the first vertex to each vertex
}

func newBorderWalk(line orb.LineString) borderWalk {
	cum := make([]float64, len(line))
	for i := 1; i < len(line); i++ {
		cum[i] = cum[i-1] + kmBetween(line[i-1], line[i])
	}
	return borderWalk{line: line, cum: cum}
}

func (b borderWalk) length() float64 { return b.cum[len(b.cum)-1] }

// at returns the point km along the border and the direction of the segment
// it lies on, as a unit vector in local kilometres (east, north).
func (b borderWalk) at(km float64) (orb.Point, [2]float64) {
	i, _ := slices.BinarySearch(b.cum, km)
	i = max(1, min(i, len(b.cum)-1))
	a, c := b.line[i-1], b.line[i]
	seg := b.cum[i] - b.cum[i-1]
	t := 0.0
	if seg > 0 {
		t = (km - b.cum[i-1]) / seg
	}
	p := orb.Point{a[0] + t*(c[0]-a[0]), a[1] + t*(c[1]-a[1])}
	kx, ky := kmPerDegree(p[1])
	dx, dy := (c[0]-a[0])*kx, (c[1]-a[1])*ky
	n := math.Hypot(dx, dy)
	if n == 0 {
		return p, [2]float64{1, 0}
	}
	return p, [2]float64{dx / n, dy / n}
}

func kmPerDegree(lat float64) (kx, ky float64) {
	return 111.32 * math.Cos(lat*math.Pi/180), 110.57
}

func kmBetween(a, b orb.Point) float64 {
	kx, ky := kmPerDegree((a[1] + b[1]) / 2)
	return math.Hypot((b[0]-a[0])*kx, (b[1]-a[1])*ky)
}

func offset(p orb.Point, eastKM, northKM float64) orb.Point {
	kx, ky := kmPerDegree(p[1])
	return orb.Point{p[0] + eastKM/kx, p[1] + northKM/ky}
}

// makeVillages places n villages at random along the seed's land border, each offset
// 0–25 km into North Korea (mostly near the line, as border villages are):
// the side is the one the countries layer's North Korea polygon contains.
// Each gets the province it lies in from the provinces layer.
func makeVillages(seed *data.Seed, n int, rng *rand.Rand) ([]village, error) {
	nk, ok := seed.Countries["North Korea"]
	if !ok {
		return nil, fmt.Errorf("countries layer has no North Korea")
	}
	provinces, err := provinceNames()
	if err != nil {
		return nil, err
	}
	walk := newBorderWalk(seed.Border)
	out := make([]village, 0, n)
	for tries := 0; len(out) < n; tries++ {
		if tries > 50*n {
			return nil, fmt.Errorf("placed only %d of %d villages inside North Korea", len(out), n)
		}
		along := rng.Float64() * walk.length()
		p, dir := walk.at(along)
		// Of the segment's two normals, the inland one is the side where the
		// polygon holds more of three probes (0.5, 2 and 5 km out): the
		// countries layer and the border line come from different sources
		// and disagree by a few hundred metres here and there.
		normal := [2]float64{-dir[1], dir[0]}
		inside := func(sign float64) int {
			k := 0
			for _, d := range []float64{0.5, 2, 5} {
				if planar.MultiPolygonContains(nk, offset(p, sign*d*normal[0], sign*d*normal[1])) {
					k++
				}
			}
			return k
		}
		left, right := inside(1), inside(-1)
		if left == right {
			continue // a bend or the river mouth: try another spot
		}
		if right > left {
			normal = [2]float64{-normal[0], -normal[1]}
		}
		dist := 0.4 + 24.6*math.Pow(rng.Float64(), 1.6) // km; denser near the line
		pt := offset(p, dist*normal[0], dist*normal[1])
		if !planar.MultiPolygonContains(nk, pt) {
			continue // the border turned back within dist, or the polygon's edge is off the line
		}
		pt = orb.Point{round5(pt[0]), round5(pt[1])}
		admin1 := ""
		for _, pr := range provinces {
			if pr.shape.Bound().Contains(pt) && planar.MultiPolygonContains(pr.shape, pt) {
				admin1 = pr.name
				break
			}
		}
		lon, lat := pt[0], pt[1]
		out = append(out, village{along: along, place: data.Place{
			Kind:              "city",
			Country:           "KP",
			Admin1:            admin1,
			Lon:               &lon,
			Lat:               &lat,
			LocationPrecision: "exact",
			CoordSource:       fmt.Sprintf("A synthetic point for load tests, set %.1f km inland from a point of the border on this map; no such village exists", dist),
			Notes:             "Made up for load tests: not part of the dataset.",
		}})
	}
	// Numbered from the Tumen tripoint to the Yalu mouth, so neighbouring
	// numbers are neighbouring villages.
	slices.SortStableFunc(out, func(a, b village) int { return cmp.Compare(a.along, b.along) })
	for i := range out {
		p := &out[i].place
		p.ID = fmt.Sprintf("bench-v%04d", i)
		p.NameEN = fmt.Sprintf("Synthetic village %04d", i)
		p.NameKO = fmt.Sprintf("가상 마을 %04d", i)
		p.NameZH = fmt.Sprintf("虚拟村%04d", i)
		p.AltNames = []string{fmt.Sprintf("Bench-ri %04d", i)}
	}
	return out, nil
}

type province struct {
	name  string
	shape orb.MultiPolygon
}

func provinceNames() ([]province, error) {
	fc, err := data.LayerCollection("provinces")
	if err != nil {
		return nil, err
	}
	var out []province
	for _, f := range fc.Features {
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			continue
		}
		out = append(out, province{name: strings.TrimSpace(f.Properties.MustString("name_en", "")), shape: mp})
	}
	return out, nil
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }
