// Package catalog says what each collection of the data service is: its id,
// title and description, the properties of its features with their types,
// which of them can be filtered and sorted on, the parameters its items take
// and the formats it comes in.
//
// It is the one table the rest derives from: the server's checks of a
// request, the queryables, the collection documents, the OpenAPI definition
// and the HTML pages all read it, and the store maps each queryable property
// to where it is kept (a test there checks that none is missing). A property
// added here without a place in the store fails that test, not a reader.
package catalog

import (
	"slices"

	"github.com/borderline/borderline/data"
)

// Type is the JSON type of a property's value, as the queryables (JSON
// Schema) and the OpenAPI definition give it.
type Type string

const (
	String  Type = "string"
	Number  Type = "number"
	Integer Type = "integer"
	Boolean Type = "boolean"
	// Date is a calendar day, "2020-08-26" (JSON Schema: a string in the
	// date format). Incidents are dated to the day, never to the hour.
	Date Type = "date"
	// Strings is an array of strings; on it a comparison asks whether any
	// member matches (place = 'hyesan': one of the incident's places is
	// Hyesan).
	Strings Type = "strings"
	// Object and Objects are nested records (an incident's sources): shown,
	// never filtered on.
	Object  Type = "object"
	Objects Type = "objects"
	// Numbers is an array of numbers (an area's anchor point).
	Numbers Type = "numbers"
)

// Property is one member of the features' properties, or a derived value
// that can be filtered on (Virtual) without being a member.
type Property struct {
	Name string
	// Label is what a reader sees the property called (a column heading of
	// the HTML pages): Name is for programs.
	Label       string
	Type        Type
	Description string
	// Codes: the values it takes, when it is one of a code list.
	Codes []data.Code
	// Queryable properties can be used in a filter; Sortable ones in sortby.
	Queryable, Sortable bool
	// Nullable: the value may be null (a zone still in force has no end).
	Nullable bool
	// Virtual: not a member of the properties, only a queryable (a place's
	// province, for the incidents there).
	Virtual bool
	// LabelOf names the coded property whose label this member carries
	// (category_label for category), for clients that do not know the code
	// lists; a page that shows that property by its label shows this twice.
	LabelOf string
}

// Geometry is what a collection's features are drawn as.
type Geometry string

const (
	Points   Geometry = "point"   // Point or MultiPoint
	Lines    Geometry = "line"    // LineString or MultiLineString
	Polygons Geometry = "polygon" // Polygon or MultiPolygon
)

// Collection is one collection of the data service.
type Collection struct {
	ID, Title, Description string
	Geometry               Geometry
	// SpatialFilter: its geometry can be used in a filter (S_INTERSECTS).
	// Points only: the store tests points exactly; outlines would need
	// polygon overlay in SQL, which it does not have.
	SpatialFilter bool
	// Temporal: its features have days in force, which datetime and the
	// temporal operators of a filter test.
	Temporal bool
	// Params are the parameters of its items beyond the ones every
	// collection takes (CommonParams), in the order errors list them.
	Params []string
	// Formats its items come in, besides GeoJSON and HTML.
	Formats    []string
	Properties []Property
}

// CommonParams are the parameters every collection's items take.
var CommonParams = []string{"bbox", "datetime", "limit", "offset", "sortby", "properties", "skipGeometry", "filter", "filter-lang", "filter-crs", "f"}

// ItemParams are all the parameters of the items of c, in the order an error
// lists them.
func (c Collection) ItemParams() []string {
	out := slices.Clone(CommonParams[:len(CommonParams)-1])
	out = append(out, c.Params...)
	return append(out, "f")
}

// Takes reports whether the items of c take param.
func (c Collection) Takes(param string) bool { return slices.Contains(c.ItemParams(), param) }

// Property returns the property called name.
func (c Collection) Property(name string) (Property, bool) {
	for _, p := range c.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// Queryables are the properties of c a filter can use, in order.
func (c Collection) Queryables() []Property {
	var out []Property
	for _, p := range c.Properties {
		if p.Queryable {
			out = append(out, p)
		}
	}
	return out
}

// Sortables are the names sortby takes on c, in order.
func (c Collection) Sortables() []string {
	var out []string
	for _, p := range c.Properties {
		if p.Sortable {
			out = append(out, p.Name)
		}
	}
	return out
}

// Members are the names of the properties its features have (not the
// virtual ones), in order: what properties= can choose from.
func (c Collection) Members() []string {
	var out []string
	for _, p := range c.Properties {
		if !p.Virtual {
			out = append(out, p.Name)
		}
	}
	return out
}

// ByCollection lists the collections with any of the given names (none: all).
func ByCollection(ids ...string) []Collection {
	var out []Collection
	for _, c := range All {
		if len(ids) == 0 || slices.Contains(ids, c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// Get returns the collection with the id.
func Get(id string) (Collection, bool) {
	for _, c := range All {
		if c.ID == id {
			return c, true
		}
	}
	return Collection{}, false
}

// IDs are the ids of the collections, in the order they are listed.
func IDs() []string {
	out := make([]string, len(All))
	for i, c := range All {
		out[i] = c.ID
	}
	return out
}

// With lists the ids of the collections whose items take param.
func With(param string) []string {
	var out []string
	for _, c := range All {
		if c.Takes(param) {
			out = append(out, c.ID)
		}
	}
	return out
}
