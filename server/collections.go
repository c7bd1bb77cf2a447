package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/catalog"
	"github.com/borderline/borderline/data"
)

// conformance lists the conformance classes the service implements, and no
// other: a client decides what to send by it.
var conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/sortables",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
	// S_INTERSECTS with every geometry type; S_DISJOINT too, but not the
	// other spatial functions, so not the spatial-functions class.
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
	"http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
}

// landing is "/": the map for a browser (it asks for text/html), the OGC
// landing page for everyone else. OWSLib and curl send Accept: */*, and a
// script that did not ask for HTML must not get the map's page.
func (s *Server) landing(c echo.Context) error {
	c.Response().Header().Add("Vary", "Accept")
	format, err := chooseFormat(c.Request(), formatJSON, formatHTML)
	if err != nil {
		return err
	}
	if format == formatHTML {
		return s.page(c, mapPage, ContentSecurityPolicy)
	}
	base := baseURL(c)
	return c.JSON(http.StatusOK, map[string]any{
		"title":       "Borderline",
		"description": "Incidents along the North Korea–China border during the COVID-19 closure, 2020–2021, as an OGC API – Features service.",
		"links": []link{
			{Href: base + "/?f=json", Rel: "self", Type: jsonType, Title: "This document"},
			{Href: base + "/?f=html", Rel: "alternate", Type: htmlType, Title: "The map"},
			{Href: base + "/api", Rel: "service-desc", Type: "application/vnd.oai.openapi+json;version=3.0", Title: "The API definition"},
			{Href: base + "/conformance", Rel: "conformance", Type: jsonType, Title: "Conformance classes"},
			{Href: base + "/collections", Rel: "data", Type: jsonType, Title: "The collections"},
			{Href: base + "/collections?f=html", Rel: "data", Type: htmlType, Title: "The collections, as pages to read"},
		},
	})
}

func (s *Server) conformance(c echo.Context) error {
	if _, err := chooseFormat(c.Request(), formatJSON); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"conformsTo": conformance})
}

type collectionDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Links       []link   `json:"links"`
	Extent      any      `json:"extent,omitempty"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`

	// The extent again, for the HTML page: the box (minLon, minLat,
	// maxLon, maxLat) and the first and last days ("" for open).
	BBox     []float64 `json:"-"`
	Interval [2]string `json:"-"`
}

func (s *Server) collectionDoc(ctx context.Context, base string, col catalog.Collection) (collectionDoc, error) {
	self := base + "/collections/" + col.ID
	doc := collectionDoc{ID: col.ID, Title: col.Title, Description: col.Description, ItemType: "feature", CRS: []string{crs84},
		Links: []link{
			{Href: self, Rel: "self", Type: jsonType, Title: "This collection"},
			{Href: self + "?f=html", Rel: "alternate", Type: htmlType, Title: "This collection as HTML"},
			{Href: self + "/items", Rel: "items", Type: geoJSONType, Title: col.Title + " as GeoJSON"},
		}}
	for _, f := range col.Formats {
		if f == formatCSV {
			doc.Links = append(doc.Links, link{Href: self + "/items?f=csv", Rel: "items", Type: csvType, Title: col.Title + " as CSV (the import format)"})
		}
	}
	doc.Links = append(doc.Links,
		link{Href: self + "/queryables", Rel: relQueryables, Type: schemaType, Title: "What a filter can use"},
		link{Href: self + "/sortables", Rel: relSortables, Type: schemaType, Title: "What sortby can use"})
	if col.ID == "incidents" {
		doc.Links = append(doc.Links, link{Href: self + "/counts", Rel: "related", Type: jsonType, Title: "How many incidents are in force each day, by category and date precision"})
	}
	ext, err := s.store.Extent(ctx, col.ID)
	if err != nil {
		return doc, err
	}
	extent := map[string]any{}
	if ext.BBox != nil {
		doc.BBox = []float64{ext.BBox.Min.Lon(), ext.BBox.Min.Lat(), ext.BBox.Max.Lon(), ext.BBox.Max.Lat()}
		extent["spatial"] = map[string]any{"bbox": [][]float64{doc.BBox}, "crs": crs84}
	}
	if ext.FromDay != nil || ext.ToDay != nil {
		interval := []*string{nil, nil}
		if ext.FromDay != nil {
			v := data.FromDayNumber(*ext.FromDay).Format(time.RFC3339)
			interval[0] = &v
			doc.Interval[0] = data.FormatDate(data.FromDayNumber(*ext.FromDay))
		}
		if ext.ToDay != nil {
			v := data.FromDayNumber(*ext.ToDay).Format(time.RFC3339)
			interval[1] = &v
			doc.Interval[1] = data.FormatDate(data.FromDayNumber(*ext.ToDay))
		}
		extent["temporal"] = map[string]any{"interval": [][]*string{interval}, "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
	}
	if len(extent) > 0 {
		doc.Extent = extent
	}
	return doc, nil
}

func (s *Server) collections(c echo.Context) error {
	format, err := negotiateFormat(c, formatJSON, formatHTML)
	if err != nil {
		return err
	}
	base := baseURL(c)
	var docs []collectionDoc
	for _, col := range catalog.All {
		doc, err := s.collectionDoc(c.Request().Context(), base, col)
		if err != nil {
			return err
		}
		docs = append(docs, doc)
	}
	if format == formatHTML {
		return s.renderHTML(c, "collections", collectionsPage(docs, c.Request()))
	}
	return c.JSON(http.StatusOK, map[string]any{
		"links": []link{
			{Href: base + "/collections", Rel: "self", Type: jsonType, Title: "The collections"},
			{Href: base + "/collections?f=html", Rel: "alternate", Type: htmlType, Title: "The collections as HTML"},
		},
		"collections": docs,
	})
}

// collectionOf is the collection the request's path names, or a 404.
func collectionOf(c echo.Context) (catalog.Collection, error) {
	id := c.Param("id")
	col, ok := catalog.Get(id)
	if !ok {
		return col, notFound("there is no collection %q; see /collections", id)
	}
	return col, nil
}

// describing reads a request for a document about a collection (the
// collection, its queryables, its sortables): the collection, and the
// format, the only parameter these take.
func describing(c echo.Context) (catalog.Collection, string, error) {
	col, err := collectionOf(c)
	if err != nil {
		return col, "", err
	}
	if err := onlyParams(c.QueryParams(), "f"); err != nil {
		return col, "", err
	}
	format, err := negotiateFormat(c, formatJSON, formatHTML)
	return col, format, err
}

func (s *Server) collection(c echo.Context) error {
	col, format, err := describing(c)
	if err != nil {
		return err
	}
	doc, err := s.collectionDoc(c.Request().Context(), baseURL(c), col)
	if err != nil {
		return err
	}
	if format == formatHTML {
		return s.renderHTML(c, "collection", collectionPage(col, doc, c.Request()))
	}
	return c.JSON(http.StatusOK, doc)
}

// queryables answers /collections/{id}/queryables (OGC API – Features
// Part 3): a JSON Schema with one member per property a filter can use.
func (s *Server) queryables(c echo.Context) error {
	return s.propertySchema(c, "queryables", "The properties of %s a filter can use", func(col catalog.Collection) []catalog.Property {
		return col.Queryables()
	})
}

// sortables answers /collections/{id}/sortables (Part 5): the properties
// sortby can use.
func (s *Server) sortables(c echo.Context) error {
	return s.propertySchema(c, "sortables", "The properties of %s sortby can use", func(col catalog.Collection) []catalog.Property {
		var out []catalog.Property
		for _, name := range col.Sortables() {
			p, _ := col.Property(name)
			out = append(out, p)
		}
		return out
	})
}

func (s *Server) propertySchema(c echo.Context, what, title string, props func(catalog.Collection) []catalog.Property) error {
	col, format, err := describing(c)
	if err != nil {
		return err
	}
	base := baseURL(c)
	chosen := props(col)
	doc := propertiesSchema(col, chosen, what == "queryables")
	if format == formatHTML {
		return s.renderHTML(c, "properties", propertiesPage(col, what, chosen, doc, c.Request()))
	}
	// A JSON Schema has no member for links (a strict validator refuses
	// unknown keywords): the HTML is linked from the header (RFC 8288).
	self := base + "/collections/" + url.PathEscape(col.ID) + "/" + what
	c.Response().Header().Add("Link", `<`+self+`?f=html>; rel="alternate"; type="text/html"`)
	doc["$id"] = self
	doc["title"] = col.Title
	doc["description"] = fmt.Sprintf(title, col.Title)
	var buf bytes.Buffer
	if err := encodeJSON(&buf, doc); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, schemaType, buf.Bytes())
}

// propertiesSchema is the JSON Schema (2020-12) of the properties, as Part 3
// gives queryables: the geometry, when a filter can test it, as
// "geometry".
func propertiesSchema(col catalog.Collection, props []catalog.Property, geometry bool) map[string]any {
	members := map[string]any{}
	for _, p := range props {
		members[p.Name] = propertySchema(p)
	}
	if geometry && col.SpatialFilter {
		members["geometry"] = map[string]any{"title": "Where it is drawn", "x-ogc-role": "primary-geometry",
			"format": "geometry-" + string(col.Geometry), "description": "Test it with S_INTERSECTS"}
	}
	if geometry && col.Temporal {
		// An interval has no JSON Schema type of its own: two days, either
		// end open (null).
		members["in_force"] = map[string]any{"title": "in_force", "description": "The days it is in force, as an interval: test it with T_INTERSECTS, T_DURING, T_BEFORE, T_AFTER and the other temporal operators",
			"type": "array", "minItems": 2, "maxItems": 2, "items": map[string]any{"type": []any{"string", "null"}, "format": "date"}}
	}
	return map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"type":                 "object",
		"properties":           members,
		"additionalProperties": false,
	}
}

// propertySchema is the JSON Schema of one property.
func propertySchema(p catalog.Property) map[string]any {
	m := map[string]any{"title": p.Name, "description": p.Description}
	switch p.Type {
	case catalog.Date:
		m["type"], m["format"] = "string", "date"
	case catalog.Strings:
		m["type"], m["items"] = "array", map[string]any{"type": "string"}
	case catalog.Numbers:
		m["type"], m["items"] = "array", map[string]any{"type": "number"}
	case catalog.Objects:
		m["type"], m["items"] = "array", map[string]any{"type": "object"}
	default:
		m["type"] = string(p.Type)
	}
	if p.Nullable {
		m["type"] = []any{m["type"], "null"}
	}
	if len(p.Codes) > 0 {
		m["enum"] = data.CodeValues(p.Codes)
	}
	return m
}
