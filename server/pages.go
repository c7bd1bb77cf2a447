package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/url"
	"sync"

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
// depends on the URL, so its ETag is computed on what is sent. A page once
// made is kept, with its gzipped form, for the next request of the same
// address: every reader of a newsroom's story asks for the same /embed?…,
// and gzipping the page anew each time cost more than all the files it
// loads (see pageRenders).
func (s *Server) page(c echo.Context, file, csp string) error {
	page, ok := s.assets.pages[file]
	if !ok {
		return notFound("there is no page %s", c.Request().URL.Path)
	}
	head := ""
	if embeddable[c.Request().URL.Path] {
		head = oembedDiscovery(c)
	}
	key := file + "\x00" + head
	a := s.assets.renders.get(key)
	if a == nil {
		body := bytes.Replace(page, []byte(headMarker), []byte(head), 1)
		sum := sha256.Sum256(body)
		a = &asset{contentType: []string{echo.MIMETextHTMLCharsetUTF8}, compressible: true,
			identity: newForm(body, `"`+hex.EncodeToString(sum[:12])+`"`, "")}
		s.assets.renders.put(key, a)
	}
	c.Response().Header().Set("Content-Security-Policy", csp)
	return serveAsset(c, a, cacheRevalidate)
}

// pageRenders keeps the pages last made, by page and head, each ready to
// send as it is or gzipped. The head holds the request's address, which a
// client may vary at will, so the number kept is bounded; when full, an
// arbitrary page makes room (Go's map order), which keeps the addresses
// asked for often with no bookkeeping per request.
type pageRenders struct {
	mu    sync.RWMutex
	pages map[string]*asset
}

// maxPageRenders bounds the memory pages take: a page and its gzip are
// under 30 kB.
const maxPageRenders = 256

func (r *pageRenders) get(key string) *asset {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.pages[key]
}

func (r *pageRenders) put(key string, a *asset) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pages == nil {
		r.pages = map[string]*asset{}
	}
	if len(r.pages) >= maxPageRenders {
		for k := range r.pages {
			delete(r.pages, k)
			break
		}
	}
	r.pages[key] = a
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
