package geo

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// layers holds the repository's data/layers files, parsed once for all tests.
type layers struct {
	border    orb.LineString // part == "land"
	land      orb.MultiPolygon
	provinces map[string]orb.MultiPolygon // by name_en
	places    map[string]place            // by name
}

type place struct {
	pt      orb.Point
	country string
	distKm  float64 // dist_to_border_km from the reference gazetteer
}

var (
	layersOnce sync.Once
	layersVal  layers
	layersErr  error
)

func loadLayers(tb testing.TB) layers {
	tb.Helper()
	layersOnce.Do(func() { layersVal, layersErr = readLayers() })
	if layersErr != nil {
		tb.Fatal(layersErr)
	}
	return layersVal
}

func readFC(name string) (*geojson.FeatureCollection, error) {
	b, err := os.ReadFile(filepath.Join("..", "data", "layers", name))
	if err != nil {
		return nil, err
	}
	return geojson.UnmarshalFeatureCollection(b)
}

func readLayers() (layers, error) {
	var l layers
	fc, err := readFC("border.geojson")
	if err != nil {
		return l, err
	}
	for _, f := range fc.Features {
		if f.Properties.MustString("part", "") == "land" {
			l.border = f.Geometry.(orb.LineString)
		}
	}
	b, err := os.ReadFile(filepath.Join("..", "data", "layers", "prk_land.geojson"))
	if err != nil {
		return l, err
	}
	f, err := geojson.UnmarshalFeature(b)
	if err != nil {
		return l, err
	}
	l.land = f.Geometry.(orb.MultiPolygon)
	if fc, err = readFC("provinces.geojson"); err != nil {
		return l, err
	}
	l.provinces = map[string]orb.MultiPolygon{}
	for _, f := range fc.Features {
		switch g := f.Geometry.(type) {
		case orb.MultiPolygon:
			l.provinces[f.Properties.MustString("name_en", "")] = g
		case orb.Polygon:
			l.provinces[f.Properties.MustString("name_en", "")] = orb.MultiPolygon{g}
		}
	}
	if fc, err = readFC("gazetteer_reference.geojson"); err != nil {
		return l, err
	}
	l.places = map[string]place{}
	for _, f := range fc.Features {
		l.places[f.Properties.MustString("name", "")] = place{
			pt:      f.Geometry.(orb.Point),
			country: f.Properties.MustString("country", ""),
			distKm:  f.Properties.MustFloat64("dist_to_border_km", -1),
		}
	}
	return l, nil
}
