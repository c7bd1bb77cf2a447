package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/geo"
)

// SeedResult says what Seed did.
type SeedResult struct {
	Applied bool `json:"applied"` // false: the database already had this seed
	// Incidents from the seed that were added or updated.
	Incidents int `json:"incidents"`
	// Seed incidents not written because a user imported their own version.
	KeptImported []string `json:"kept_imported,omitempty"`
	// Seed incidents removed because the new seed no longer has them.
	Removed []string `json:"removed,omitempty"`
}

// featureFormat versions what the store derives from the rows: the rendered
// features, the search text, the index. Bump it when that changes, so that a
// database seeded by an older binary is re-derived even though the seed files
// are the same. 2: areas among the places served as their shapes; 3: sources
// say whether their date is inferred; 4: headlines left out of the search text;
// 5: the areas' shapes moved from places to their own collection; 6: one
// geometry type per collection (incidents as MultiPoints); 7: incidents carry
// their Korean title and summary, in the feature and in the search text; 8:
// their places carry their Korean and Chinese names.
const featureFormat = 8

// seedKey is what meta.seed_hash holds: the seed files and the rendering.
func seedKey(hash string) string { return fmt.Sprintf("%s/features-v%d", hash, featureFormat) }

// HasSeed reports whether the database was last seeded with the seed of hash
// by a binary that renders features as this one does.
func (s *Store) HasSeed(ctx context.Context, hash string) (bool, error) {
	have, err := getMeta(ctx, s.ro, "seed_hash")
	return have == seedKey(hash) && err == nil, err
}

// Seed fills an empty database from the embedded dataset, in one transaction.
// When the database holds an older seed, it brings the seed's rows up to date
// but never overwrites or removes what a user imported.
func (s *Store) Seed(ctx context.Context, seed *data.Seed, log *slog.Logger) (SeedResult, error) {
	var res SeedResult
	have, err := getMeta(ctx, s.rw, "seed_hash")
	if err != nil {
		return res, err
	}
	if have == seedKey(seed.Hash) {
		return res, nil
	}
	derived, err := derive(seed)
	if err != nil {
		return res, err
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("seed: begin: %w", err)
	}
	defer tx.Rollback()

	if err := upsertSources(ctx, tx, seed.Sources); err != nil {
		return res, err
	}
	if err := upsertPlaces(ctx, tx, seed.Places, derived); err != nil {
		return res, err
	}
	if err := replaceZones(ctx, tx, seed.Zones, derived); err != nil {
		return res, err
	}
	cat, err := loadReferences(ctx, tx)
	if err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	w, err := newIncidentWriter(ctx, tx, cat)
	if err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	defer w.close()
	inSeed := map[string]bool{}
	for _, in := range seed.Incidents {
		inSeed[in.ID] = true
		_, origin, ok, err := w.existing(ctx, in.ID)
		if err != nil {
			return res, fmt.Errorf("seed: %w", err)
		}
		if ok && origin == "import" {
			res.KeptImported = append(res.KeptImported, in.ID)
			continue
		}
		if _, err := w.put(ctx, in, "seed"); err != nil {
			return res, fmt.Errorf("seed: %w", err)
		}
		res.Incidents++
	}
	// Between the two: the new steps point at incidents written above, and
	// the old steps no longer hold on to incidents removed below.
	if err := replaceStories(ctx, tx, seed.Stories); err != nil {
		return res, err
	}
	if res.Removed, err = removeStaleSeed(ctx, tx, inSeed); err != nil {
		return res, err
	}
	// Places or sources may have changed: imported incidents keep their
	// content but are re-derived from the new places and sources (points, the
	// R*Tree, search text, feature), as the seed's own were just now.
	imported, _, err := readIncidents(ctx, tx, "origin = 'import'")
	if err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	for _, in := range imported {
		if err := w.reindex(ctx, in, "import"); err != nil {
			return res, fmt.Errorf("seed: %w", err)
		}
	}
	if err := rebuildSmallFeatures(ctx, tx, seed, derived); err != nil {
		return res, err
	}
	if err := setMeta(ctx, tx, "seed_hash", seedKey(seed.Hash)); err != nil {
		return res, err
	}
	if err := finishWrite(ctx, tx); err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("seed: commit: %w", err)
	}
	s.forgetVersion()
	res.Applied = true
	if log != nil {
		log.Info("seed applied", "incidents", res.Incidents, "kept_imported", res.KeptImported, "removed", res.Removed)
	}
	return res, nil
}

// derived holds what geo computes from the seed before the transaction opens,
// so the write lock is held only for writing.
type derived struct {
	distanceKM map[string]float64
	side       map[string]string
	// borderKM is how much of the land border runs along an area place
	// (a province, one of the two countries, the border itself).
	borderKM map[string]float64
	zones    map[string]orb.MultiPolygon
	zoneArea map[string]float64
}

func derive(seed *data.Seed) (*derived, error) {
	d := &derived{distanceKM: map[string]float64{}, side: map[string]string{}, borderKM: map[string]float64{},
		zones: map[string]orb.MultiPolygon{}, zoneArea: map[string]float64{}}
	provinceKM := provinceBorderKM(seed)
	borderKM := geo.GeodesicLength(seed.Border) / 1000
	for _, p := range seed.Places {
		if p.GeometryRef != "" {
			// An area: the distance from its label point would mislead (Ryanggang's
			// centre is 55 km from the Yalu, yet the province runs along it), so an
			// area the border touches is 0 km from it, one it does not touch has no
			// distance, and the length of border along it says more.
			layer, key, _ := strings.Cut(p.GeometryRef, ":")
			var km float64
			switch {
			case layer == "border":
				km = borderKM
			case layer == "provinces":
				km = provinceKM[key]
			case layer == "countries" && (p.Country == "KP" || p.Country == "CN"):
				km = borderKM // the border is the line between these two
			}
			d.borderKM[p.ID] = math.Round(km*10) / 10
			if km > 0 {
				d.distanceKM[p.ID] = 0
				if layer != "border" {
					d.side[p.ID] = p.Country
				}
			}
			continue
		}
		if !p.HasPoint() {
			continue
		}
		pt := orb.Point{*p.Lon, *p.Lat}
		if !Region.Contains(pt) {
			continue // a distance from Geneva to the Yalu tells a reader nothing
		}
		d.distanceKM[p.ID] = math.Round(geo.DistanceToLine(pt, seed.Border)/100) / 10
		side := geo.BorderSide(pt, seed.Border, seed.Land)
		if side == "" && (p.Country == "KP" || p.Country == "CN") {
			side = p.Country // far from the line (Jilin, 228 km) the side is the country
		}
		if side != "" {
			d.side[p.ID] = side
		}
	}
	for _, z := range seed.Zones {
		mp, err := geo.Zone(seed.Border, seed.Land, z.WidthM)
		if err != nil {
			return nil, fmt.Errorf("seed: zone %s: %w", z.ID, err)
		}
		d.zones[z.ID] = mp
		d.zoneArea[z.ID] = math.Round(geo.GeodesicArea(mp)/1e5) / 10
	}
	return d, nil
}

// provinceBorderKM splits the land border among all the provinces (not only
// those in places.csv), so each gets the share the reference figures give it.
func provinceBorderKM(seed *data.Seed) map[string]float64 {
	keys := slices.Sorted(maps.Keys(seed.Provinces))
	regions := make([]orb.MultiPolygon, len(keys))
	for i, k := range keys {
		regions[i] = seed.Provinces[k]
	}
	out := map[string]float64{}
	for i, m := range geo.LengthsByRegion(seed.Border, regions) {
		out[keys[i]] = m / 1000
	}
	return out
}

func upsertSources(ctx context.Context, tx *sql.Tx, sources []data.Source) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO source (id, seed_file, outlet, original_reporter, author, headline, published, published_inferred, published_note, url, origin)
		VALUES (?,?,?,?,?,?,?,?,?,?,'seed')
		ON CONFLICT (id) DO UPDATE SET seed_file=excluded.seed_file, outlet=excluded.outlet, original_reporter=excluded.original_reporter,
		author=excluded.author, headline=excluded.headline, published=excluded.published, published_inferred=excluded.published_inferred,
		published_note=excluded.published_note, url=excluded.url
		WHERE source.origin = 'seed'`)
	if err != nil {
		return fmt.Errorf("seed sources: %w", err)
	}
	defer st.Close()
	for _, s := range sources {
		if _, err := st.ExecContext(ctx, s.ID, s.SeedFile, s.Outlet, s.OriginalReporter, s.Author, s.Headline, s.Published, s.PublishedInferred, s.PublishedNote, s.URL); err != nil {
			return fmt.Errorf("seed source %s: %w", s.ID, err)
		}
	}
	return nil
}

func upsertPlaces(ctx context.Context, tx *sql.Tx, places []data.Place, d *derived) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO place (id, kind, name_en, name_ko, name_zh, alt_names, country, admin1, lon, lat,
		geometry_ref, location_precision, coord_source, notes, border_distance_km, border_side, origin)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'seed')
		ON CONFLICT (id) DO UPDATE SET kind=excluded.kind, name_en=excluded.name_en, name_ko=excluded.name_ko, name_zh=excluded.name_zh,
		alt_names=excluded.alt_names, country=excluded.country, admin1=excluded.admin1, lon=excluded.lon, lat=excluded.lat,
		geometry_ref=excluded.geometry_ref, location_precision=excluded.location_precision, coord_source=excluded.coord_source,
		notes=excluded.notes, border_distance_km=excluded.border_distance_km, border_side=excluded.border_side
		WHERE place.origin = 'seed'`)
	if err != nil {
		return fmt.Errorf("seed places: %w", err)
	}
	defer st.Close()
	for _, p := range places {
		alt, err := json.Marshal(nonNil(p.AltNames))
		if err != nil {
			return fmt.Errorf("seed place %s: %w", p.ID, err)
		}
		var dist, side any
		if v, ok := d.distanceKM[p.ID]; ok {
			dist = v
		}
		if v, ok := d.side[p.ID]; ok {
			side = v
		}
		if _, err := st.ExecContext(ctx, p.ID, p.Kind, p.NameEN, p.NameKO, p.NameZH, string(alt), p.Country, p.Admin1,
			p.Lon, p.Lat, p.GeometryRef, p.LocationPrecision, p.CoordSource, p.Notes, dist, side); err != nil {
			return fmt.Errorf("seed place %s: %w", p.ID, err)
		}
	}
	return nil
}

func replaceZones(ctx context.Context, tx *sql.Tx, zones []data.Zone, d *derived) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM zone`); err != nil {
		return fmt.Errorf("seed zones: %w", err)
	}
	for _, z := range zones {
		g, err := json.Marshal(geojson.NewGeometry(d.zones[z.ID]))
		if err != nil {
			return fmt.Errorf("seed zone %s: %w", z.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO zone (id, name, width_m, side, valid_from, valid_to, note, area_km2, geometry)
			VALUES (?,?,?,?,?,?,?,?,?)`, z.ID, z.Name, z.WidthM, z.Side, data.FormatDate(z.ValidFrom), data.FormatDate(z.ValidTo),
			z.Note, d.zoneArea[z.ID], string(g)); err != nil {
			return fmt.Errorf("seed zone %s: %w", z.ID, err)
		}
		for i, sid := range z.SourceIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO zone_source (zone_id, ord, source_id) VALUES (?,?,?)`, z.ID, i, sid); err != nil {
				return fmt.Errorf("seed zone %s: source %s: %w", z.ID, sid, err)
			}
		}
	}
	return nil
}

// removeStaleSeed deletes seed incidents the new seed no longer has. Imported
// incidents are never touched.
func removeStaleSeed(ctx context.Context, tx *sql.Tx, inSeed map[string]bool) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rowid, id FROM incident WHERE origin = 'seed'`)
	if err != nil {
		return nil, fmt.Errorf("seed: list old seed incidents: %w", err)
	}
	type stale struct {
		rowid int64
		id    string
	}
	var gone []stale
	for rows.Next() {
		var st stale
		if err := rows.Scan(&st.rowid, &st.id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("seed: list old seed incidents: %w", err)
		}
		if !inSeed[st.id] {
			gone = append(gone, st)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("seed: list old seed incidents: %w", err)
	}
	var ids []string
	for _, st := range gone {
		for _, q := range []string{`DELETE FROM incident_rtree WHERE id = ?`, `DELETE FROM incident_fts WHERE rowid = ?`,
			`DELETE FROM incident_fts_porter WHERE rowid = ?`, `DELETE FROM incident WHERE rowid = ?`} {
			if _, err := tx.ExecContext(ctx, q, st.rowid); err != nil {
				return nil, fmt.Errorf("seed: remove %s: %w", st.id, err)
			}
		}
		ids = append(ids, st.id)
	}
	return ids, nil
}

// rebuildSmallFeatures renders places, zones and base-map layers into the
// feature table the server reads.
func rebuildSmallFeatures(ctx context.Context, tx *sql.Tx, seed *data.Seed, d *derived) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM feature`); err != nil {
		return fmt.Errorf("seed: clear features: %w", err)
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO feature (collection, id, ord, min_lon, max_lon, min_lat, max_lat, day_from, day_to, json)
		VALUES (?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("seed: features: %w", err)
	}
	defer st.Close()
	put := func(collection, id string, ord int, g orb.Geometry, dayFrom, dayTo any, f any) error {
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("seed: encode %s/%s: %w", collection, id, err)
		}
		var minLon, maxLon, minLat, maxLat any
		if g != nil {
			bd := g.Bound()
			minLon, maxLon, minLat, maxLat = bd.Min.Lon(), bd.Max.Lon(), bd.Min.Lat(), bd.Max.Lat()
		}
		if _, err := st.ExecContext(ctx, collection, id, ord, minLon, maxLon, minLat, maxLat, dayFrom, dayTo, string(b)); err != nil {
			return fmt.Errorf("seed: store %s/%s: %w", collection, id, err)
		}
		return nil
	}

	cat, err := loadReferences(ctx, tx)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, border_distance_km, border_side FROM place ORDER BY id`)
	if err != nil {
		return fmt.Errorf("seed: read places: %w", err)
	}
	type extra struct {
		dist *float64
		side *string
	}
	extras := map[string]extra{}
	var ids []string
	for rows.Next() {
		var id string
		var dist sql.NullFloat64
		var side sql.NullString
		if err := rows.Scan(&id, &dist, &side); err != nil {
			rows.Close()
			return fmt.Errorf("seed: read places: %w", err)
		}
		e := extra{}
		if dist.Valid {
			e.dist = &dist.Float64
		}
		if side.Valid {
			e.side = &side.String
		}
		extras[id] = e
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("seed: read places: %w", err)
	}
	areaOrd := 0
	for i, id := range ids {
		p := cat.places[id]
		props := placeProps{NameEN: p.NameEN, NameKO: p.NameKO, NameZH: p.NameZH, AltNames: nonNil(p.AltNames), Kind: p.Kind,
			Country: p.Country, Admin1: p.Admin1, LocationPrecision: p.LocationPrecision, GeometryRef: p.GeometryRef,
			BorderDistanceKM: extras[id].dist, BorderSide: extras[id].side, CoordSource: p.CoordSource, Notes: p.Notes}
		if km, ok := d.borderKM[id]; ok {
			props.BorderLengthKM = &km
		}
		// places holds one geometry type, points (or none), as GIS clients
		// such as QGIS show only the first type a collection serves; the
		// shapes of the areas among them go to areas, under the same ids.
		var g orb.Geometry
		if p.HasPoint() {
			g = orb.Point{*p.Lon, *p.Lat}
		}
		if err := put("places", id, i, g, nil, nil, newFeature(id, g, props)); err != nil {
			return err
		}
		if p.GeometryRef == "" {
			continue
		}
		shape, err := seed.Shape(p.GeometryRef)
		if err != nil {
			return fmt.Errorf("seed: place %s: %w", id, err)
		}
		if _, ok := shape.(orb.MultiPolygon); !ok {
			continue // the border line: the border collection has it
		}
		if pt, ok := g.(orb.Point); ok {
			props.Anchor = &pt
		}
		if err := put("areas", id, areaOrd, shape, nil, nil, newFeature(id, shape, props)); err != nil {
			return err
		}
		areaOrd++
	}

	for i, z := range seed.Zones {
		props := zoneProps{Name: z.Name, WidthM: z.WidthM, Side: z.Side, ValidFrom: data.FormatDate(z.ValidFrom),
			AreaKM2: d.zoneArea[z.ID], Note: z.Note, Sources: []data.Source{}}
		dayTo := any(nil)
		if !z.ValidTo.IsZero() {
			v := data.FormatDate(z.ValidTo)
			props.ValidTo = &v
			dayTo = data.DayNumber(z.ValidTo)
		}
		for _, sid := range z.SourceIDs {
			props.Sources = append(props.Sources, cat.sources[sid])
		}
		g := d.zones[z.ID]
		if err := put("zones", z.ID, i, g, data.DayNumber(z.ValidFrom), dayTo, newFeature(z.ID, g, props)); err != nil {
			return err
		}
	}

	for _, l := range data.Layers {
		fc, err := data.LayerCollection(l.ID)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		// One geometry type per collection (see asMulti): the rivers mix
		// LineStrings and MultiLineStrings.
		types := map[string]bool{}
		for _, ft := range fc.Features {
			if ft.Geometry != nil {
				types[ft.Geometry.GeoJSONType()] = true
			}
		}
		mixed := len(types) > 1
		for i, ft := range fc.Features {
			id := fmt.Sprintf("%s-%d", l.ID, i+1)
			if ft.ID != nil {
				id = fmt.Sprint(ft.ID)
			}
			ft.ID = id
			if mixed {
				ft.Geometry = asMulti(ft.Geometry)
			}
			if err := put(l.ID, id, i, ft.Geometry, nil, nil, ft); err != nil {
				return err
			}
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
