package geo

import (
	"testing"

	"github.com/paulmach/orb"
)

func benchZone(b *testing.B, widthM float64) {
	l := loadLayers(b)
	for b.Loop() {
		if _, err := Zone(l.border, l.land, widthM); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkZone1km(b *testing.B) { benchZone(b, 1000) }
func BenchmarkZone2km(b *testing.B) { benchZone(b, 2000) }

func benchDistance(b *testing.B, name string) {
	l := loadLayers(b)
	p := l.places[name].pt
	for b.Loop() {
		DistanceToLine(p, l.border)
	}
}

// A town on the river (many candidate segments) and one far away.
func BenchmarkDistanceToLineHyesan(b *testing.B)  { benchDistance(b, "Hyesan") }
func BenchmarkDistanceToLineKaesong(b *testing.B) { benchDistance(b, "Kaesong") }

// All 17 reference places, as the store does when seeding.
func BenchmarkBorderSideAllPlaces(b *testing.B) {
	l := loadLayers(b)
	var pts []orb.Point
	for _, p := range l.places {
		pts = append(pts, p.pt)
	}
	for b.Loop() {
		for _, p := range pts {
			BorderSide(p, l.border, l.land)
		}
	}
}

func BenchmarkLengthsByRegion(b *testing.B) {
	l := loadLayers(b)
	var regions []orb.MultiPolygon
	for _, p := range l.provinces {
		regions = append(regions, p)
	}
	for b.Loop() {
		LengthsByRegion(l.border, regions)
	}
}
