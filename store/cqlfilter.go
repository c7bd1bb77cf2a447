package store

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"modernc.org/sqlite"

	"github.com/borderline/borderline/catalog"
	"github.com/borderline/borderline/cql2"
	"github.com/borderline/borderline/data"
)

// Filter is a CQL2 filter compiled for one collection: SQL for its WHERE
// clause, with every value an argument. Only CompileFilter makes one.
type Filter struct {
	collection string
	where      string
	args       []any
	// spaceOrTime: it tests the geometry or the days in force, which the
	// R*Tree answers; a filter without either reads the rows in order.
	spaceOrTime bool
}

// ErrFilterUnsupported is wrapped by the errors of predicates a collection
// cannot test (a spatial filter on lines and polygons).
var ErrFilterUnsupported = errors.New("not supported")

// CompileFilter compiles a parsed filter for collection. Its errors are the
// filter's: an unknown property (*cql2.PropertyError), a value or operator
// that does not fit (*cql2.TypeError), or a predicate the collection cannot
// test (ErrFilterUnsupported).
func CompileFilter(collection string, e cql2.Expr) (*Filter, error) {
	col, ok := catalog.Get(collection)
	if !ok {
		return nil, ErrNotFound
	}
	f := &Filter{collection: collection}
	schema := filterSchema(col, &f.spaceOrTime)
	where, args, err := cql2.Compile(e, schema)
	if err != nil {
		return nil, err
	}
	f.where, f.args = where, args
	return f, nil
}

// filterSchema tells the compiler where each queryable of col is. Incidents
// are read as the R*Tree (r) joined to their rows (i); the other collections
// from the feature table (f), their properties in the stored GeoJSON.
func filterSchema(col catalog.Collection, spaceOrTime *bool) cql2.Schema {
	incidents := col.ID == "incidents"
	var s cql2.Schema
	for _, p := range col.Queryables() {
		q := cql2.Queryable{Name: p.Name, Codes: data.CodeValues(p.Codes)}
		switch p.Type {
		case catalog.Number:
			q.Type = cql2.TypeNumber
		case catalog.Integer:
			q.Type = cql2.TypeInteger
		case catalog.Boolean:
			q.Type = cql2.TypeBoolean
		case catalog.Date:
			q.Type = cql2.TypeDate
		default:
			q.Type = cql2.TypeString
		}
		switch {
		case incidents && p.Name == "place":
			q.Member = "i.rowid IN (SELECT incident FROM incident_place WHERE place_id %s)"
		case incidents && p.Name == "source":
			q.Member = "i.rowid IN (SELECT incident FROM incident_source WHERE source_id %s)"
		case incidents && p.Name == "province":
			// A place's province is its first-level division; a province
			// is its own.
			q.Member = "i.rowid IN (SELECT ip.incident FROM incident_place ip JOIN place p ON p.id = ip.place_id WHERE p.admin1 %s)"
		case incidents:
			q.Column = incidentColumns[p.Name]
		case p.Type == catalog.Strings:
			q.Member = "EXISTS (SELECT 1 FROM json_each(f.json, '$.properties." + p.Name + "') WHERE value %s)"
		case p.Type == catalog.Boolean:
			// json_extract gives true and false as 1 and 0.
			q.Column = featureColumn(p.Name)
		default:
			q.Column = featureColumn(p.Name)
		}
		s.Queryables = append(s.Queryables, q)
	}
	if col.SpatialFilter {
		s.Queryables = append(s.Queryables, cql2.Queryable{Name: "geometry", Type: cql2.TypeGeometry})
		s.Spatial = func(property, op string, g orb.Geometry) (string, []any, error) {
			*spaceOrTime = true
			if incidents {
				return pointsIntersect(op, g, "r.min_lon", "r.max_lon", "r.min_lat", "r.max_lat",
					"EXISTS (SELECT 1 FROM incident_point p WHERE p.incident = r.id AND %s)", "p.lon", "p.lat", "r.min_lon < 999")
			}
			return pointsIntersect(op, g, "f.min_lon", "f.max_lon", "f.min_lat", "f.max_lat", "%s", "f.min_lon", "f.min_lat", "f.min_lon IS NOT NULL")
		}
	}
	if col.Temporal {
		s.Queryables = append(s.Queryables, cql2.Queryable{Name: "in_force", Type: cql2.TypeInterval})
		s.Temporal = func(property, op string, from, to *int64) (string, []any, error) {
			*spaceOrTime = true
			if incidents {
				return cql2.DayRange(op, "r.day_from", "r.day_to", from, to)
			}
			// A zone with no end is in force still: an end past any date.
			return cql2.DayRange(op, "coalesce(f.day_from, -1000000)", "coalesce(f.day_to, 1000000)", from, to)
		}
	}
	return s
}

// pointsIntersect compiles S_INTERSECTS or S_DISJOINT between features
// drawn as points and the literal g. The box test on the features' envelope
// columns comes first and alone, so that the R*Tree answers it; each point
// is then tested exactly, in `each` (SQL with one %s for the test of the
// point lon, lat). hasPoints is true for a feature with any point: one
// without is neither in nor apart from anything, as CQL2's null.
func pointsIntersect(op string, g orb.Geometry, minLon, maxLon, minLat, maxLat, each, lon, lat, hasPoints string) (string, []any, error) {
	b := g.Bound()
	box := minLon + " <= ? AND " + maxLon + " >= ? AND " + minLat + " <= ? AND " + maxLat + " >= ?"
	boxArgs := []any{b.Max.Lon(), b.Min.Lon(), b.Max.Lat(), b.Min.Lat()}
	var test string
	var args []any
	if _, isBox := g.(orb.Bound); isBox {
		test = fmt.Sprintf(each, lon+" BETWEEN ? AND ? AND "+lat+" BETWEEN ? AND ?")
		args = []any{b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat()}
	} else {
		gj, err := geojson.NewGeometry(g).MarshalJSON()
		if err != nil {
			return "", nil, fmt.Errorf("filter geometry: %w", err)
		}
		test = fmt.Sprintf(each, "borderline_covers(?, "+lon+", "+lat+")")
		args = []any{string(gj)}
	}
	switch op {
	case "s_intersects":
		return "(" + box + " AND " + test + ")", append(boxArgs, args...), nil
	case "s_disjoint":
		return "(" + hasPoints + " AND NOT (" + box + " AND " + test + "))", append(boxArgs, args...), nil
	}
	return "", nil, fmt.Errorf("%s: %w; of the spatial predicates, S_INTERSECTS and S_DISJOINT are", strings.ToUpper(op), ErrFilterUnsupported)
}

// borderline_covers(geometry, lon, lat) is 1 when the point lies in or on
// the GeoJSON geometry: in a polygon or on its edge, on a line, or at a
// point. A filter's geometry is one argument for every row, so it is parsed
// once and kept while it is in use.
func init() {
	err := sqlite.RegisterDeterministicScalarFunction("borderline_covers", 3, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		text, ok := args[0].(string)
		lon, ok1 := toFloat(args[1])
		lat, ok2 := toFloat(args[2])
		if !ok || !ok1 || !ok2 {
			return nil, nil
		}
		g, err := parsedGeometry(text)
		if err != nil {
			return nil, err
		}
		if covers(g, orb.Point{lon, lat}) {
			return int64(1), nil
		}
		return int64(0), nil
	})
	if err != nil {
		panic("store: register borderline_covers: " + err.Error())
	}
}

func toFloat(v driver.Value) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	}
	return 0, false
}

var geometries sync.Map // GeoJSON text → orb.Geometry

func parsedGeometry(text string) (orb.Geometry, error) {
	if g, ok := geometries.Load(text); ok {
		return g.(orb.Geometry), nil
	}
	g, err := geojson.UnmarshalGeometry([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("filter geometry: %w", err)
	}
	// Filters are many and their geometries small; a crude bound on what is
	// kept is enough.
	if n := geometryCount.Add(1); n > 256 {
		geometries.Clear()
		geometryCount.Store(0)
	}
	geometries.Store(text, g.Geometry())
	return g.Geometry(), nil
}

var geometryCount atomic.Int64

// covers reports whether p lies in or on g.
func covers(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Point:
		return g == p
	case orb.MultiPoint:
		for _, q := range g {
			if q == p {
				return true
			}
		}
	case orb.LineString:
		return onLine(g, p)
	case orb.MultiLineString:
		for _, l := range g {
			if onLine(l, p) {
				return true
			}
		}
	case orb.Polygon:
		return planar.PolygonContains(g, p) || onRings(g, p)
	case orb.MultiPolygon:
		for _, poly := range g {
			if planar.PolygonContains(poly, p) || onRings(poly, p) {
				return true
			}
		}
	case orb.Bound:
		return g.Contains(p)
	}
	return false
}

func onRings(poly orb.Polygon, p orb.Point) bool {
	for _, r := range poly {
		if onLine(orb.LineString(r), p) {
			return true
		}
	}
	return false
}

// onLine: p is on a segment of l, exactly (in the plane of longitude and
// latitude, which is how CQL2 with CRS84 reads a line).
func onLine(l orb.LineString, p orb.Point) bool {
	for i := 1; i < len(l); i++ {
		a, b := l[i-1], l[i]
		cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
		if cross != 0 {
			continue
		}
		if min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1]) {
			return true
		}
	}
	return false
}
