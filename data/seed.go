package data

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// files is the seed: what fills an empty database. See data/README.md.
//
//go:embed sources.csv places.csv incidents.csv zones.csv stories.csv story_steps.csv layers/*.geojson
var files embed.FS

// Layer names the base-map layers as they are served (collection id → file).
var Layers = []LayerFile{
	{ID: "border", File: "layers/border.geojson", Title: "North Korea–China border", Description: "The land boundary from the China–North Korea–Russia tripoint to the Yalu mouth, and the Yalu estuary line. © OpenStreetMap contributors, ODbL 1.0."},
	{ID: "provinces", File: "layers/provinces.geojson", Title: "Provinces of North Korea", Description: "First-level divisions with ISO 3166-2 codes. Natural Earth (public domain) fitted to the OpenStreetMap outline (ODbL)."},
	{ID: "rivers", File: "layers/rivers.geojson", Title: "Yalu and Tumen rivers", Description: "River centre lines. Natural Earth 10m rivers v4.0.0 (public domain)."},
	{ID: "countries", File: "layers/countries.geojson", Title: "Countries of the region", Description: "China, Russia, the Koreas, Japan and Mongolia, clipped to the region: the offline base map. Natural Earth 10m (public domain)."},
}

// LayerFile is one embedded base-map layer.
type LayerFile struct {
	ID, File, Title, Description string
}

// Seed is the whole embedded dataset, parsed and validated.
type Seed struct {
	Sources   []Source
	Places    []Place
	Incidents []Incident
	Zones     []Zone
	Stories   []Story
	Border    orb.LineString   // the land boundary only
	Land      orb.MultiPolygon // North Korea
	Provinces map[string]orb.MultiPolygon
	Countries map[string]orb.MultiPolygon
	Hash      string // changes whenever any seed file changes
}

// LoadSeed parses and cross-checks every embedded file.
func LoadSeed() (*Seed, error) {
	s := &Seed{}
	var err error
	if s.Sources, err = readFile(ReadSources, "sources.csv"); err != nil {
		return nil, err
	}
	if s.Places, err = readFile(ReadPlaces, "places.csv"); err != nil {
		return nil, err
	}
	refs := RefSet{Places: map[string]bool{}, Sources: map[string]bool{}}
	for _, p := range s.Places {
		refs.Places[p.ID] = true
	}
	for _, src := range s.Sources {
		refs.Sources[src.ID] = true
	}
	f, err := files.Open("incidents.csv")
	if err != nil {
		return nil, fmt.Errorf("open seed incidents: %w", err)
	}
	defer f.Close()
	if s.Incidents, err = readSeedIncidentsCSV(f, "data/incidents.csv", refs); err != nil {
		return nil, fmt.Errorf("seed incidents: %w", err)
	}
	if s.Zones, err = readFile(func(r io.Reader, name string) ([]Zone, error) { return ReadZones(r, name, refs) }, "zones.csv"); err != nil {
		return nil, err
	}
	if s.Stories, err = s.loadStories(); err != nil {
		return nil, err
	}
	if err := s.loadShapes(); err != nil {
		return nil, err
	}
	if err := s.checkGeometryRefs(); err != nil {
		return nil, err
	}
	if s.Hash, err = SeedHash(); err != nil {
		return nil, err
	}
	return s, nil
}

func readFile[T any](read func(io.Reader, string) ([]T, error), name string) ([]T, error) {
	f, err := files.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open seed %s: %w", name, err)
	}
	defer f.Close()
	out, err := read(f, "data/"+name)
	if err != nil {
		return nil, fmt.Errorf("seed %s: %w", name, err)
	}
	return out, nil
}

// loadStories reads the stories and their steps, which must point at the
// seed's own incidents: the seed fills empty databases too, which hold no
// imported incidents to point at.
func (s *Seed) loadStories() ([]Story, error) {
	stories, err := readFile(ReadStories, "stories.csv")
	if err != nil {
		return nil, err
	}
	refs := RefSet{Incidents: map[string]bool{}}
	for _, in := range s.Incidents {
		refs.Incidents[in.ID] = true
	}
	return readFile(func(r io.Reader, name string) ([]Story, error) {
		return ReadStorySteps(r, name, stories, refs)
	}, "story_steps.csv")
}

func (s *Seed) loadShapes() error {
	border, err := LayerCollection("border")
	if err != nil {
		return err
	}
	for _, ft := range border.Features {
		if ls, ok := ft.Geometry.(orb.LineString); ok && ft.Properties.MustString("part", "") == "land" {
			s.Border = ls
		}
	}
	if len(s.Border) < 2 {
		return fmt.Errorf("layers/border.geojson: no LineString feature with part=land")
	}
	raw, err := files.ReadFile("layers/prk_land.geojson")
	if err != nil {
		return fmt.Errorf("read prk_land: %w", err)
	}
	land, err := geojson.UnmarshalFeature(raw)
	if err != nil {
		return fmt.Errorf("parse prk_land: %w", err)
	}
	if s.Land, err = asMultiPolygon(land.Geometry); err != nil {
		return fmt.Errorf("prk_land: %w", err)
	}
	if s.Provinces, err = polygonsBy("provinces", "iso_3166_2"); err != nil {
		return err
	}
	if s.Countries, err = polygonsBy("countries", "name"); err != nil {
		return err
	}
	return nil
}

// checkGeometryRefs makes sure every geometry_ref names a shape that exists.
func (s *Seed) checkGeometryRefs() error {
	verr := &ValidationError{File: "data/places.csv"}
	for i, p := range s.Places {
		if p.GeometryRef == "" {
			continue
		}
		if _, err := s.Shape(p.GeometryRef); err != nil {
			verr.add(FieldError{Line: i + 2, Field: "geometry_ref", Message: err.Error()})
		}
	}
	return verr.err()
}

// Shape resolves a geometry_ref such as "provinces:KP-10".
func (s *Seed) Shape(ref string) (orb.Geometry, error) {
	layer, key, _ := strings.Cut(ref, ":")
	var g orb.Geometry
	switch layer {
	case "provinces":
		if mp, ok := s.Provinces[key]; ok {
			g = mp
		}
	case "countries":
		if mp, ok := s.Countries[key]; ok {
			g = mp
		}
	case "border":
		if key == "land" {
			g = s.Border
		}
	default:
		return nil, fmt.Errorf("%q: unknown layer %q (provinces, countries or border)", ref, layer)
	}
	if g == nil {
		return nil, fmt.Errorf("%q: no such feature in layer %s", ref, layer)
	}
	return g, nil
}

// LayerCollection parses an embedded base-map layer.
func LayerCollection(id string) (*geojson.FeatureCollection, error) {
	for _, l := range Layers {
		if l.ID != id {
			continue
		}
		raw, err := files.ReadFile(l.File)
		if err != nil {
			return nil, fmt.Errorf("read layer %s: %w", id, err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(raw)
		if err != nil {
			return nil, fmt.Errorf("parse layer %s: %w", id, err)
		}
		return fc, nil
	}
	return nil, fmt.Errorf("no layer %q", id)
}

func polygonsBy(layer, prop string) (map[string]orb.MultiPolygon, error) {
	fc, err := LayerCollection(layer)
	if err != nil {
		return nil, err
	}
	out := map[string]orb.MultiPolygon{}
	for _, ft := range fc.Features {
		mp, err := asMultiPolygon(ft.Geometry)
		if err != nil {
			return nil, fmt.Errorf("layer %s: %w", layer, err)
		}
		out[ft.Properties.MustString(prop, "")] = mp
	}
	return out, nil
}

func asMultiPolygon(g orb.Geometry) (orb.MultiPolygon, error) {
	switch g := g.(type) {
	case orb.MultiPolygon:
		return g, nil
	case orb.Polygon:
		return orb.MultiPolygon{g}, nil
	}
	return nil, fmt.Errorf("expected a polygon, got %T", g)
}

// SeedHash identifies the embedded seed; it is cheap (0.4 ms) where parsing
// the seed is not (30 ms), so callers can check before they load.
func SeedHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash seed: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReadSources reads sources.csv.
func ReadSources(r io.Reader, name string) ([]Source, error) {
	return readRecords(r, name, SourceColumns, nil, nil, func(c fieldChecker, f map[string]string) (Source, string) {
		s := Source{
			ID:                c.id("id", f["id"]),
			SeedFile:          c.text("seed_file", f["seed_file"], false),
			Outlet:            c.text("outlet", f["outlet"], true),
			OriginalReporter:  c.text("original_reporter", f["original_reporter"], false),
			Author:            c.text("author", f["author"], false),
			Headline:          c.text("headline", f["headline"], true),
			Published:         f["published"],
			PublishedInferred: c.yesNo("published_inferred", f["published_inferred"]),
			PublishedNote:     c.text("published_note", f["published_note"], false),
			URL:               f["url"],
		}
		if _, err := ParseDate(s.Published); err != nil {
			c.fail("published", "%v", err)
		}
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
			c.fail("url", "%q must start with https:// or http://", s.URL)
		}
		// The incidents CSV lists these per incident, "|"-separated, in the
		// order of source_ids; a "|" inside one would shift every later item.
		for _, field := range []string{"outlet", "headline", "url"} {
			if strings.Contains(f[field], ListSeparator) {
				c.fail(field, "contains %q, which separates list items in the incidents CSV (write %s in a URL)", ListSeparator, "%7C")
			}
		}
		return s, s.ID
	})
}

// ReadPlaces reads places.csv.
func ReadPlaces(r io.Reader, name string) ([]Place, error) {
	return readRecords(r, name, PlaceColumns, nil, nil, func(c fieldChecker, f map[string]string) (Place, string) {
		p := Place{
			ID:                c.id("id", f["id"]),
			Kind:              c.code("kind", f["kind"], PlaceKinds),
			NameEN:            c.text("name_en", f["name_en"], true),
			NameKO:            c.text("name_ko", f["name_ko"], false),
			NameZH:            c.text("name_zh", f["name_zh"], false),
			AltNames:          list(f["alt_names"]),
			Country:           c.text("country", f["country"], false),
			Admin1:            c.text("admin1", f["admin1"], false),
			Lon:               c.float("lon", f["lon"], -180, 180),
			Lat:               c.float("lat", f["lat"], -90, 90),
			GeometryRef:       f["geometry_ref"],
			LocationPrecision: c.code("location_precision", f["location_precision"], LocationPrecisions),
			CoordSource:       c.text("coord_source", f["coord_source"], false),
			Notes:             c.text("notes", f["notes"], false),
		}
		if (p.Lon == nil) != (p.Lat == nil) {
			c.fail("lat", "lon and lat must both be given or both be empty")
		}
		if !p.HasPoint() && p.GeometryRef == "" {
			c.fail("geometry_ref", "a place without lon/lat needs a geometry_ref")
		}
		return p, p.ID
	})
}

// ReadZones reads zones.csv.
func ReadZones(r io.Reader, name string, refs Refs) ([]Zone, error) {
	return readRecords(r, name, ZoneColumns, nil, nil, func(c fieldChecker, f map[string]string) (Zone, string) {
		z := Zone{
			ID:        c.id("id", f["id"]),
			Name:      c.text("name", f["name"], true),
			Side:      c.text("side", f["side"], true),
			SourceIDs: list(f["source_ids"]),
			Note:      c.text("note", f["note"], false),
		}
		if w := c.float("width_m", f["width_m"], 1, 50000); w != nil {
			z.WidthM = *w
		} else if f["width_m"] == "" {
			c.fail("width_m", "is required")
		}
		var err error
		if z.ValidFrom, err = ParseDate(f["valid_from"]); err != nil {
			c.fail("valid_from", "%v", err)
		}
		if v := f["valid_to"]; v != "" {
			if z.ValidTo, err = ParseDate(v); err != nil {
				c.fail("valid_to", "%v", err)
			}
		}
		if len(z.SourceIDs) == 0 {
			c.fail("source_ids", "a zone must cite the report it comes from")
		}
		for _, id := range z.SourceIDs {
			if !refs.HasSource(id) {
				c.fail("source_ids", "unknown source %q", id)
			}
		}
		return z, z.ID
	})
}
