package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// headMarker is where a page's <head> takes what only the server knows: the
// oEmbed discovery link for the page's own URL. The static exporter fills it
// with what a static copy needs instead.
const headMarker = "<!--borderline:head-->"

// Pages of the front end, each a file of static/ served at its own path.
const (
	mapPage     = "index.html"
	embedPage   = "embed.html"
	presentPage = "present.html"
)

// embeddable are the pages oEmbed answers for, by path.
var embeddable = map[string]bool{"/": true, "/embed": true, "/embed/": true}

// page serves a page of the front end with its discovery link, and its
// scripts and styles at their versioned addresses (assets.go). The body
// depends on the URL, so its ETag is computed on what is sent.
func (s *Server) page(c echo.Context, file, csp string) error {
	page, ok := s.assets.pages[file]
	if !ok {
		return notFound("there is no page %s", c.Request().URL.Path)
	}
	head := ""
	if embeddable[c.Request().URL.Path] {
		head = oembedDiscovery(c)
	}
	body := bytes.Replace(page, []byte(headMarker), []byte(head), 1)
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := c.Response().Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("ETag", etag)
	h.Set(echo.HeaderCacheControl, "no-cache")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, body)
}

// oembedDiscovery is the <link> that lets a CMS find the oEmbed answer for
// the page's own URL, state and all.
func oembedDiscovery(c echo.Context) string {
	base := baseURL(c)
	self := base + c.Request().URL.Path
	if q := c.Request().URL.RawQuery; q != "" {
		self += "?" + q
	}
	href := base + "/oembed?format=json&url=" + url.QueryEscape(self)
	return `<link rel="alternate" type="application/json+oembed" href="` + html.EscapeString(href) + `" title="Borderline map">`
}

func (s *Server) embed(c echo.Context) error {
	return s.page(c, embedPage, s.embedCSP)
}

func (s *Server) present(c echo.Context) error {
	return s.page(c, presentPage, ContentSecurityPolicy)
}

// embedHost is the script a host page includes to let framed embeds size
// themselves (static/host/embed.js). Newsrooms link it at this address for
// good, so it is never versioned and caches only for an hour.
func (s *Server) embedHost(c echo.Context) error {
	return s.assets.serve(c, "static", "host/embed.js", cacheHostScript)
}
