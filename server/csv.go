package server

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// writeItemsCSV answers a page of incidents as CSV, the import format with
// the cited sources' details after it.
func (s *Server) writeItemsCSV(c echo.Context, id string, q store.Query) error {
	ctx := c.Request().Context()
	incidents, matched, err := s.store.IncidentsMatching(ctx, q)
	if err != nil {
		return err
	}
	sources, err := s.store.Sources(ctx)
	if err != nil {
		return err
	}
	// CSV has no room for links: the paging goes in Link headers (RFC 8288).
	for _, l := range s.pageLinks(c, id, q, matched, len(incidents), "csv") {
		if l.Rel == "next" || l.Rel == "prev" {
			c.Response().Header().Add("Link", fmt.Sprintf(`<%s>; rel="%s"`, l.Href, l.Rel))
		}
	}
	var buf bytes.Buffer
	if err := data.WriteIncidentsCSV(&buf, incidents, sources); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+downloadName(q, len(incidents), matched, "csv")+`"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
