package store

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/borderline/borderline/data"
)

// Region is the extent of the map's base layers; incidents drawn outside it
// (Geneva, New York) are listed rather than shown as markers.
var Region = orb.Bound{Min: orb.Point{117, 35}, Max: orb.Point{137, 47.5}}

// offMapBox is where incidents without a point sit in the R*Tree: outside any
// bbox a client can ask for (lon and lat are limited to ±180).
const offMapBox = 1000.0

type feature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties any               `json:"properties"`
}

func newFeature(id string, g orb.Geometry, props any) feature {
	f := feature{Type: "Feature", ID: id, Properties: props}
	if g != nil {
		f.Geometry = geojson.NewGeometry(g)
	}
	return f
}

type placeRef struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Kind              string `json:"kind"`
	LocationPrecision string `json:"location_precision"`
	GeometryRef       string `json:"geometry_ref,omitempty"`
}

type incidentProps struct {
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Always present, empty where an imported incident has no Korean, so a
	// client tests for "" rather than for a missing member.
	TitleKO           string        `json:"title_ko"`
	SummaryKO         string        `json:"summary_ko"`
	Category          string        `json:"category"`
	CategoryLabel     string        `json:"category_label"`
	DateStart         string        `json:"date_start"`
	DateEnd           string        `json:"date_end"`
	DatePrecision     string        `json:"date_precision"`
	DateInferred      bool          `json:"date_inferred"`
	DateNote          string        `json:"date_note"`
	InForceFrom       string        `json:"in_force_from"`
	InForceTo         string        `json:"in_force_to"`
	Places            []placeRef    `json:"places"`
	LocationPrecision string        `json:"location_precision"`
	LocationNote      string        `json:"location_note"`
	OffMap            bool          `json:"off_map"`
	Verification      string        `json:"verification"`
	VerificationLabel string        `json:"verification_label"`
	VerificationNote  string        `json:"verification_note"`
	Sources           []data.Source `json:"sources"`
	Contradictions    string        `json:"contradictions"`
	ResearchRef       string        `json:"research_ref"`
}

// incidentGeometry is the point, or points, of the incident's places. Places
// without a point (the whole country, the whole border) add none.
func incidentGeometry(in data.Incident, places map[string]data.Place) orb.Geometry {
	var mp orb.MultiPoint
	seen := map[orb.Point]bool{}
	for _, id := range in.PlaceIDs {
		p, ok := places[id]
		if !ok || !p.HasPoint() {
			continue
		}
		pt := orb.Point{*p.Lon, *p.Lat}
		if !seen[pt] {
			seen[pt] = true
			mp = append(mp, pt)
		}
	}
	switch len(mp) {
	case 0:
		return nil
	case 1:
		return mp[0]
	}
	return mp
}

func incidentFeatureJSON(in data.Incident, g orb.Geometry, places map[string]data.Place, sources map[string]data.Source) ([]byte, error) {
	from, to := in.InForce()
	props := incidentProps{
		Title:             in.Title,
		Summary:           in.Summary,
		TitleKO:           in.TitleKO,
		SummaryKO:         in.SummaryKO,
		Category:          in.Category,
		CategoryLabel:     data.Label(data.Categories, in.Category),
		DateStart:         data.FormatDate(in.DateStart),
		DateEnd:           data.FormatDate(in.DateEnd),
		DatePrecision:     in.DatePrecision,
		DateInferred:      in.DateInferred,
		DateNote:          in.DateNote,
		InForceFrom:       data.FormatDate(from),
		InForceTo:         data.FormatDate(to),
		LocationPrecision: in.LocationPrecision,
		LocationNote:      in.LocationNote,
		OffMap:            offMap(g),
		Verification:      in.Verification,
		VerificationLabel: data.Label(data.Verifications, in.Verification),
		VerificationNote:  in.VerificationNote,
		Contradictions:    in.Contradictions,
		ResearchRef:       in.ResearchRef,
		Places:            []placeRef{},
		Sources:           []data.Source{},
	}
	for _, id := range in.PlaceIDs {
		p := places[id]
		props.Places = append(props.Places, placeRef{ID: id, Name: p.NameEN, Kind: p.Kind, LocationPrecision: p.LocationPrecision, GeometryRef: p.GeometryRef})
	}
	for _, id := range in.SourceIDs {
		props.Sources = append(props.Sources, sources[id])
	}
	b, err := json.Marshal(newFeature(in.ID, asMulti(g), props))
	if err != nil {
		return nil, fmt.Errorf("encode incident %s: %w", in.ID, err)
	}
	return b, nil
}

// asMulti gives a single geometry as its one-part multi form. A collection
// should serve one geometry type: GIS clients fix a layer's type from its
// first features (QGIS reads the first 10, through GDAL, which reports no
// type for a Point and MultiPoint mix), and may then leave out the features
// of the other type. Incidents at several towns are MultiPoints, so all are.
func asMulti(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return orb.MultiPoint{g}
	case orb.LineString:
		return orb.MultiLineString{g}
	case orb.Polygon:
		return orb.MultiPolygon{g}
	}
	return g
}

func offMap(g orb.Geometry) bool {
	if g == nil {
		return true
	}
	switch g := g.(type) {
	case orb.Point:
		return !Region.Contains(g)
	case orb.MultiPoint:
		for _, p := range g {
			if Region.Contains(p) {
				return false
			}
		}
		return true
	}
	return false
}

type placeProps struct {
	NameEN            string   `json:"name_en"`
	NameKO            string   `json:"name_ko"`
	NameZH            string   `json:"name_zh"`
	AltNames          []string `json:"alt_names"`
	Kind              string   `json:"kind"`
	Country           string   `json:"country"`
	Admin1            string   `json:"admin1"`
	LocationPrecision string   `json:"location_precision"`
	GeometryRef       string   `json:"geometry_ref"`
	BorderDistanceKM  *float64 `json:"border_distance_km"`
	BorderSide        *string  `json:"border_side"`
	// BorderLengthKM is set on areas only: how much of the land border runs along them.
	BorderLengthKM *float64 `json:"border_length_km,omitempty"`
	// Anchor (areas collection only) is where incidents tied to the area are
	// drawn, a representative point or its capital: the place's point.
	Anchor      *orb.Point `json:"anchor,omitempty"`
	CoordSource string     `json:"coord_source"`
	Notes       string     `json:"notes"`
}

type zoneProps struct {
	Name      string        `json:"name"`
	WidthM    float64       `json:"width_m"`
	Side      string        `json:"side"`
	ValidFrom string        `json:"valid_from"`
	ValidTo   *string       `json:"valid_to"`
	AreaKM2   float64       `json:"area_km2"`
	Sources   []data.Source `json:"sources"`
	Note      string        `json:"note"`
}
