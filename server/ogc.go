package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

const (
	geoJSONType = "application/geo+json"
	crs84       = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
)

var conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
}

type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// collectionInfo describes each collection for /collections.
var collectionInfo = map[string][2]string{
	"incidents": {"Incidents", "Dated incidents and measures along the North Korea–China border during the COVID-19 closure (2020–2021), each traced to its source reports, with date and location precision and how well it is verified. Title and summary in English, and in Korean as title_ko and summary_ko."},
	"places":    {"Places", "Towns, facilities, provinces and countries named in the reports, as points (the point incidents there are drawn at; none for a whole country or the border), with Korean and Chinese names, alternate spellings, location precision, distance to the border and, for areas, the length of border along them. Filter with kind=city,province,…"},
	"areas":     {"Areas", "The provinces and countries among the places, as polygons, under the same ids and with the same properties; anchor is the place's point."},
	"zones":     {"Border zones", "The shoot-on-sight zone on the North Korean side of the border, as reported: 1 km (RFA) and 1–2 km (Human Rights Watch), in force from 2020-08-26."},
}

func init() {
	for _, l := range data.Layers {
		collectionInfo[l.ID] = [2]string{l.Title, l.Description}
	}
}

// baseURL is the scheme and host the client used, so links work behind a
// proxy that sets X-Forwarded-Proto.
func baseURL(c echo.Context) string { return requestBase(c.Request()) }

// requestBase is the scheme and host the reader used. Behind a proxy the
// scheme comes from X-Forwarded-Proto (or X-Forwarded-Ssl), but only http or
// https: the header is the client's to write, and it ends up in links.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	} else if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		p, _, _ = strings.Cut(p, ",") // a chain of proxies: the first is the reader's
		if strings.EqualFold(strings.TrimSpace(p), "https") {
			scheme = "https"
		}
	} else if strings.EqualFold(r.Header.Get("X-Forwarded-Ssl"), "on") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// wantsJSON decides whether "/" is the map (browsers) or the OGC landing page
// (API clients): f=json, or an Accept header that prefers JSON to HTML.
func wantsJSON(c echo.Context) bool {
	switch c.QueryParam("f") {
	case "json":
		return true
	case "html":
		return false
	}
	accept := c.Request().Header.Get("Accept")
	return strings.Contains(accept, "json") && !strings.Contains(accept, "text/html")
}

func (s *Server) landing(c echo.Context) error {
	c.Response().Header().Add("Vary", "Accept")
	if !wantsJSON(c) {
		return s.page(c, mapPage, ContentSecurityPolicy)
	}
	base := baseURL(c)
	return c.JSON(http.StatusOK, map[string]any{
		"title":       "Borderline",
		"description": "Incidents along the North Korea–China border during the COVID-19 closure, 2020–2021, as an OGC API – Features service.",
		"links": []link{
			{Href: base + "/?f=json", Rel: "self", Type: "application/json", Title: "This document"},
			{Href: base + "/", Rel: "alternate", Type: "text/html", Title: "The map"},
			{Href: base + "/api", Rel: "service-desc", Type: "application/vnd.oai.openapi+json;version=3.0", Title: "The API definition"},
			{Href: base + "/conformance", Rel: "conformance", Type: "application/json", Title: "Conformance classes"},
			{Href: base + "/collections", Rel: "data", Type: "application/json", Title: "The collections"},
		},
	})
}

func (s *Server) conformance(c echo.Context) error {
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
}

func (s *Server) collectionDoc(ctx context.Context, base, id string) (collectionDoc, error) {
	info := collectionInfo[id]
	doc := collectionDoc{ID: id, Title: info[0], Description: info[1], ItemType: "feature", CRS: []string{crs84},
		Links: []link{
			{Href: base + "/collections/" + id, Rel: "self", Type: "application/json", Title: "This collection"},
			{Href: base + "/collections/" + id + "/items", Rel: "items", Type: geoJSONType, Title: info[0] + " as GeoJSON"},
		}}
	if id == "incidents" {
		doc.Links = append(doc.Links, link{Href: base + "/collections/incidents/items?f=csv", Rel: "items", Type: "text/csv", Title: "Incidents as CSV (the import format)"},
			link{Href: base + "/collections/incidents/counts", Rel: "related", Type: "application/json", Title: "How many incidents are in force each day, by category and date precision"})
	}
	ext, err := s.store.Extent(ctx, id)
	if err != nil {
		return doc, err
	}
	extent := map[string]any{}
	if ext.BBox != nil {
		extent["spatial"] = map[string]any{"bbox": [][]float64{{ext.BBox.Min.Lon(), ext.BBox.Min.Lat(), ext.BBox.Max.Lon(), ext.BBox.Max.Lat()}}, "crs": crs84}
	}
	if ext.FromDay != nil || ext.ToDay != nil {
		interval := []*string{nil, nil}
		if ext.FromDay != nil {
			v := data.FromDayNumber(*ext.FromDay).Format(time.RFC3339)
			interval[0] = &v
		}
		if ext.ToDay != nil {
			v := data.FromDayNumber(*ext.ToDay).Format(time.RFC3339)
			interval[1] = &v
		}
		extent["temporal"] = map[string]any{"interval": [][]*string{interval}, "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
	}
	if len(extent) > 0 {
		doc.Extent = extent
	}
	return doc, nil
}

func (s *Server) collections(c echo.Context) error {
	base := baseURL(c)
	var docs []collectionDoc
	for _, id := range store.Collections {
		doc, err := s.collectionDoc(c.Request().Context(), base, id)
		if err != nil {
			return err
		}
		docs = append(docs, doc)
	}
	return c.JSON(http.StatusOK, map[string]any{
		"links":       []link{{Href: base + "/collections", Rel: "self", Type: "application/json", Title: "The collections"}},
		"collections": docs,
	})
}

func (s *Server) collection(c echo.Context) error {
	id := c.Param("id")
	if !store.HasCollection(id) {
		return notFound("there is no collection %q; see /collections", id)
	}
	doc, err := s.collectionDoc(c.Request().Context(), baseURL(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, doc)
}

func (s *Server) items(c echo.Context) error {
	id := c.Param("id")
	if !store.HasCollection(id) {
		return notFound("there is no collection %q; see /collections", id)
	}
	values := c.QueryParams()
	q, format, err := parseItemsQuery(values, id)
	if err != nil {
		return err
	}
	tol, err := parseSimplify(values, id)
	if err != nil {
		return err
	}
	if err := s.checkIDs(c.Request().Context(), q); err != nil {
		return err
	}
	if id == "incidents" {
		addCiteAs(c)
	}
	if format == "csv" {
		return s.writeItemsCSV(c, id, q)
	}
	return s.writeItemsGeoJSON(c, id, q, tol)
}

// checkIDs refuses source and place ids the store does not have: a filter by
// a misspelt id would otherwise answer "nothing", which reads as a finding.
func (s *Server) checkIDs(ctx context.Context, q store.Query) error {
	for _, ref := range []struct {
		param, what, where string
		ids                []string
		unknown            func(context.Context, []string) ([]string, error)
	}{
		{"source", "a source", "/cite?f=json lists the sources", q.SourceIDs, s.store.UnknownSources},
		{"place", "a place", "/collections/places/items lists the places", q.PlaceIDs, s.store.UnknownPlaces},
	} {
		unknown, err := ref.unknown(ctx, ref.ids)
		if err != nil {
			return err
		}
		if len(unknown) > 0 {
			return badParam(ref.param, "%q is not %s; %s", unknown[0], ref.what, ref.where)
		}
	}
	return nil
}

// writeItemsGeoJSON answers a page of features as a GeoJSON FeatureCollection,
// simplified at tol metres if tol > 0; incidents add their licences and
// citation. The page is encoded while the store holds it (its features may
// point into the store's memory).
func (s *Server) writeItemsGeoJSON(c echo.Context, id string, q store.Query, tol float64) error {
	return s.store.ItemsFunc(c.Request().Context(), id, q, func(page store.Page) error {
		if tol > 0 {
			for i, f := range page.Features {
				var err error
				if page.Features[i], err = s.shapes.simplified(f, tol); err != nil {
					return err
				}
			}
		}
		links := s.pageLinks(c, id, q, page.Matched, len(page.Features), "json")
		var members []byte
		if id == "incidents" {
			// inline: the map reads it; the name is for whoever saves it.
			c.Response().Header().Set("Content-Disposition", `inline; filename="`+downloadName(q, len(page.Features), page.Matched, "geojson")+`"`)
			var err error
			if members, err = data.NewTerms(links[0].Href, time.Now()).Members(); err != nil {
				return err
			}
		}
		c.Set(dataVersionKey, page.Version)
		return sendFeatureCollection(c, page, links, members)
	})
}

// pageLinks are the links of one page of items: self, the collection, the
// CSV alternate, and next/prev (in the page's own format) where there are more.
func (s *Server) pageLinks(c echo.Context, id string, q store.Query, matched, returned int, format string) []link {
	pageFormat, pageType := "", geoJSONType
	if format == "csv" {
		pageFormat, pageType = "csv", "text/csv"
	}
	values := c.QueryParams()
	base := baseURL(c)
	self := base + c.Request().URL.Path
	pageURL := func(offset int, f string) string {
		v := url.Values{}
		for k, vals := range values {
			v[k] = vals
		}
		v.Set("offset", strconv.Itoa(offset))
		v.Set("limit", strconv.Itoa(q.Limit))
		if f != "" {
			v.Set("f", f)
		} else {
			v.Del("f")
		}
		return self + "?" + v.Encode()
	}
	links := []link{ // self first: the citation of a page names it
		{Href: pageURL(q.Offset, ""), Rel: "self", Type: geoJSONType, Title: "This page"},
		{Href: base + "/collections/" + id, Rel: "collection", Type: "application/json", Title: "The collection"},
	}
	if id == "incidents" {
		links = append(links, link{Href: pageURL(q.Offset, "csv"), Rel: "alternate", Type: "text/csv", Title: "This page as CSV"})
	}
	if q.Offset+returned < matched {
		links = append(links, link{Href: pageURL(q.Offset+q.Limit, pageFormat), Rel: "next", Type: pageType, Title: "Next page"})
	}
	if q.Offset > 0 {
		links = append(links, link{Href: pageURL(max(0, q.Offset-q.Limit), pageFormat), Rel: "prev", Type: pageType, Title: "Previous page"})
	}
	return links
}

func (s *Server) item(c echo.Context) error {
	id, fid := c.Param("id"), c.Param("fid")
	if !store.HasCollection(id) {
		return notFound("there is no collection %q; see /collections", id)
	}
	for k, vals := range c.QueryParams() {
		if k != "f" && k != "simplify" {
			return badParam(k, "unknown parameter; a single feature takes only f and simplify")
		}
		if len(vals) > 1 {
			return badParam(k, "given %d times; give it once", len(vals))
		}
	}
	if f := c.QueryParam("f"); f != "" && f != "json" && f != "geojson" {
		return badParam("f", "%q is not a format for a single feature; use json", f)
	}
	tol, err := parseSimplify(c.QueryParams(), id)
	if err != nil {
		return err
	}
	b, err := s.store.Item(c.Request().Context(), id, fid)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("there is no feature %q in %s", fid, id)
	}
	if err != nil {
		return err
	}
	if id == "incidents" {
		addCiteAs(c)
	}
	if tol > 0 {
		if b, err = s.shapes.simplified(b, tol); err != nil {
			return err
		}
	}
	base := baseURL(c)
	self := base + "/collections/" + id + "/items/" + url.PathEscape(fid)
	if tol > 0 {
		self += "?" + url.Values{"simplify": {c.QueryParam("simplify")}}.Encode()
	}
	links := []link{
		{Href: self, Rel: "self", Type: geoJSONType},
		{Href: base + "/collections/" + id, Rel: "collection", Type: "application/json"},
	}
	// Splice the links into the stored feature: it ends with '}'.
	var buf bytes.Buffer
	b = bytes.TrimSpace(b)
	buf.Write(b[:len(b)-1])
	buf.WriteString(`,"links":`)
	if err := encodeJSON(&buf, links); err != nil {
		return err
	}
	buf.WriteString("}\n")
	return c.Blob(http.StatusOK, geoJSONType, buf.Bytes())
}

func encodeJSON(buf *bytes.Buffer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	buf.Write(b)
	return nil
}
