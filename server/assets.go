package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

type asset struct {
	body        []byte
	etag        string
	contentType string
}

// assetSet holds the front-end files in memory with content hashes, so every
// response carries an ETag and a revisit costs a 304.
type assetSet struct {
	files map[string]map[string]asset // root ("static", "vendor") → path → asset
}

func loadAssets(a Assets) (*assetSet, error) {
	set := &assetSet{files: map[string]map[string]asset{}}
	for root, fsys := range map[string]fs.FS{"static": a.Static, "vendor": a.Vendor} {
		if fsys == nil {
			return nil, fmt.Errorf("load assets: no %s files", root)
		}
		m := map[string]asset{}
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			m[p] = asset{body: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, contentType: contentType(p)}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("load %s assets: %w", root, err)
		}
		set.files[root] = m
	}
	if _, ok := set.files["static"]["index.html"]; !ok {
		return nil, fmt.Errorf("load assets: static/index.html is missing")
	}
	return set, nil
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json", ".map":
		return "application/json"
	}
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func (s *assetSet) handler(root string) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
		return s.serve(c, root, p)
	}
}

func (s *assetSet) serve(c echo.Context, root, p string) error {
	a, ok := s.files[root][p]
	if !ok {
		return notFound("there is no file %s", c.Request().URL.Path)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, a.contentType)
	h.Set("ETag", a.etag)
	// Revalidate every time: the files change with each build and are tiny to check.
	h.Set(echo.HeaderCacheControl, "no-cache")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, a.contentType, a.body)
}
