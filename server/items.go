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
	"time"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/catalog"
	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

func (s *Server) items(c echo.Context) error {
	col, err := collectionOf(c)
	if err != nil {
		return err
	}
	ir, err := parseItemsRequest(c.Request(), col)
	if err != nil {
		return err
	}
	varyOnAccept(c)
	if err := s.checkIDs(c.Request().Context(), ir.query); err != nil {
		return err
	}
	if col.ID == "incidents" {
		addCiteAs(c)
	}
	switch ir.format {
	case formatCSV:
		return s.writeItemsCSV(c, col.ID, ir.query)
	case formatHTML:
		return s.writeItemsHTML(c, col, ir)
	}
	return s.writeItemsGeoJSON(c, col.ID, ir)
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
// simplified, cut to the properties asked for and without geometry as the
// request says; incidents add their licences and citation. The page is
// encoded while the store holds it (its features may point into the store's
// memory).
func (s *Server) writeItemsGeoJSON(c echo.Context, id string, ir itemsRequest) error {
	q := ir.query
	return s.store.ItemsFunc(c.Request().Context(), id, q, func(page store.Page) error {
		for i, f := range page.Features {
			var err error
			if ir.simplify > 0 {
				if f, err = s.shapes.simplified(f, ir.simplify); err != nil {
					return err
				}
			}
			if page.Features[i], err = ir.shape.apply(f); err != nil {
				return err
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

// writeItemsHTML answers a page of features as a table: the same page of
// the store as the GeoJSON, cut to the properties asked for. The geometry is
// not shown, so it is neither simplified nor skipped.
func (s *Server) writeItemsHTML(c echo.Context, col catalog.Collection, ir itemsRequest) error {
	var page htmlPage
	q := ir.query
	err := s.store.ItemsFunc(c.Request().Context(), col.ID, q, func(p store.Page) error {
		features := make([]feature, len(p.Features))
		for i, raw := range p.Features {
			shaped, err := ir.shape.apply(raw)
			if err != nil {
				return err
			}
			// Decoded while the store holds the page: the features may
			// point into its memory.
			if err := json.Unmarshal(shaped, &features[i]); err != nil {
				return fmt.Errorf("read feature %d of %s: %w", i, col.ID, err)
			}
		}
		c.Set(dataVersionKey, p.Version)
		links := s.pageLinks(c, col.ID, q, p.Matched, len(p.Features), formatHTML)
		page = itemsPage(col, features, ir.shape.properties, p.Matched, q, links, c.Request())
		return nil
	})
	if err != nil {
		return err
	}
	return s.renderHTML(c, "items", page)
}

// pageLinks are the links of one page of items: self, the collection, the
// page in the other formats, and next/prev (in the page's own format) where
// there are more.
func (s *Server) pageLinks(c echo.Context, id string, q store.Query, matched, returned int, format string) []link {
	pageFormat, pageType := "", geoJSONType
	switch format {
	case formatCSV:
		pageFormat, pageType = "csv", "text/csv"
	case formatHTML:
		// As asked: a browser gets HTML without f=, and its links stay so.
		pageFormat, pageType = c.QueryParam("f"), htmlType
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
		{Href: pageURL(q.Offset, pageFormat), Rel: "self", Type: pageType, Title: "This page"},
		{Href: base + "/collections/" + id, Rel: "collection", Type: jsonType, Title: "The collection"},
	}
	switch format {
	case formatJSON:
		links = append(links, link{Href: pageURL(q.Offset, formatHTML), Rel: "alternate", Type: htmlType, Title: "This page as HTML"})
	case formatHTML:
		links = append(links, link{Href: pageURL(q.Offset, formatJSON), Rel: "alternate", Type: geoJSONType, Title: "This page as GeoJSON"})
	}
	if format != formatCSV && id == "incidents" {
		links = append(links, link{Href: pageURL(q.Offset, "csv"), Rel: "alternate", Type: csvType, Title: "This page as CSV"})
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
	col, err := collectionOf(c)
	if err != nil {
		return err
	}
	id, fid := col.ID, c.Param("fid")
	params := []string{"f"}
	if col.Takes("simplify") {
		params = []string{"simplify", "f"}
	}
	if err := onlyParams(c.QueryParams(), params...); err != nil {
		return err
	}
	format, err := negotiateFormat(c, formatJSON, formatHTML)
	if err != nil {
		return err
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
	if format == formatHTML {
		var f feature
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("read feature %s of %s: %w", fid, id, err)
		}
		return s.renderHTML(c, "item", itemPage(col, f, c.Request()))
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
		{Href: base + "/collections/" + id + "/items/" + url.PathEscape(fid) + "?f=html", Rel: "alternate", Type: htmlType, Title: "This feature as HTML"},
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
