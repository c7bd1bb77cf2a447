package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/borderline/borderline/precompress"
)

// The front end's files are served from memory under two addresses each:
//
//	/static/js/main.js               revalidated on every use (no-cache)
//	/static/0123456789abcdef/js/main.js  cached for a year (immutable)
//
// The pages point at the second. Its version is a hash over every file of
// the root (static/, or Leaflet), not over each file: the modules import
// each other as './timeline.js' and leaflet.css finds its images as
// 'images/layers.png', and a version in the folder keeps all those relative
// addresses right without rewriting a script or adding an import map (which
// the Content-Security-Policy would have to allow by hash). The price is that
// a change to one file of static/ makes browsers fetch all of static/ again
// (about 70 kB in Brotli); Leaflet, the largest part, has a version of its
// own and stays cached across our releases. The pages themselves are not in
// the version: they are served per request, with the versioned addresses.
//
// Each file is held identity, gzipped and Brotli-compressed, with its length
// and a strong ETag per form, so answering a request copies bytes and
// allocates almost nothing. Brotli and the best gzip come from the build
// (package precompress); a file the build did not compress is gzipped here
// when it is first asked for.

// Cache-Control of each kind of address.
var (
	cacheVersioned  = []string{"public, max-age=31536000, immutable"}
	cacheRevalidate = []string{"no-cache"}
	// /embed.js is linked from newsrooms' pages forever, at one address: a
	// change reaches them within the hour.
	cacheHostScript = []string{"public, max-age=3600"}

	varyAcceptEncoding = []string{"Accept-Encoding"}
)

// pageFiles are the pages of static/: served at their own paths with the
// versioned addresses written in, and not part of the version.
var pageFiles = map[string]bool{mapPage: true, embedPage: true, presentPage: true}

// form is a file in one content coding, with its header values made once.
type form struct {
	body     []byte
	etag     []string
	length   []string
	encoding []string // nil for identity
}

func newForm(body []byte, etag, coding string) *form {
	f := &form{body: body, etag: []string{etag}, length: []string{strconv.Itoa(len(body))}}
	if coding != "" {
		f.encoding = []string{coding}
	}
	return f
}

type asset struct {
	key          string // precompress.Key of the content
	contentType  []string
	compressible bool // text: worth a gzip and a Brotli form
	notDocument  bool // a script, style sheet or raster image: without the page policies
	identity     *form

	once       sync.Once
	gzip, br   *form // nil when there is none; set by once
	compressed fs.FS // where the build's forms are, read by once
}

// forms fills in the compressed forms the first time they are needed: from
// the build when it made them for exactly these bytes, else gzip made now.
func (a *asset) forms() (gz, br *form) {
	a.once.Do(func() {
		if !a.compressible {
			return
		}
		tag := strings.TrimSuffix(a.identity.etag[0], `"`)
		if b := precompress.Lookup(a.compressed, a.key, precompress.Brotli); b != nil {
			a.br = newForm(b, tag+`.br"`, precompress.Brotli)
		}
		b := precompress.Lookup(a.compressed, a.key, precompress.Gzip)
		if b == nil {
			// Level 6: within 1 % of the best, four times as fast.
			if z, err := precompress.GzipLevel(a.identity.body, 6); err == nil && precompress.Worth(len(a.identity.body), len(z)) {
				b = z
			}
		}
		if b != nil {
			a.gzip = newForm(b, tag+`.gz"`, precompress.Gzip)
		}
	})
	return a.gzip, a.br
}

// assetRoot is one folder of files served under one prefix.
type assetRoot struct {
	prefix  string // "/static/"
	version string // hash over the files outside pageFiles
	files   map[string]*asset
}

// assetSet holds the front-end files in memory.
type assetSet struct {
	roots map[string]*assetRoot // "static", "vendor"
	pages map[string][]byte     // pageFiles with versioned addresses
	// renders are the pages as served, with the request's head (pages.go).
	renders pageRenders
}

func loadAssets(a Assets) (*assetSet, error) {
	set := &assetSet{roots: map[string]*assetRoot{}, pages: map[string][]byte{}}
	for _, r := range []struct {
		name, prefix string
		fsys         fs.FS
	}{{"static", "/static/", a.Static}, {"vendor", "/vendor/leaflet/", a.Vendor}} {
		if r.fsys == nil {
			return nil, fmt.Errorf("load assets: no %s files", r.name)
		}
		root, err := loadRoot(r.fsys, r.prefix, r.name == "static")
		if err != nil {
			return nil, fmt.Errorf("load %s assets: %w", r.name, err)
		}
		set.roots[r.name] = root
	}
	for p := range pageFiles {
		a, ok := set.roots["static"].files[p]
		if !ok {
			return nil, fmt.Errorf("load assets: static/%s is missing", p)
		}
		set.pages[p] = set.versionLinks(a.identity.body)
	}
	return set, nil
}

func loadRoot(fsys fs.FS, prefix string, hasPages bool) (*assetRoot, error) {
	root := &assetRoot{prefix: prefix, files: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		key := precompress.Key(b)
		root.files[p] = &asset{key: key, contentType: []string{contentType(p)}, compressible: precompress.Compressible(p),
			notDocument: notDocumentType(contentType(p)),
			identity:    newForm(b, `"`+key[:24]+`"`, "")}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The version: every file's path and content, in a fixed order.
	names := make([]string, 0, len(root.files))
	for p := range root.files {
		if !(hasPages && pageFiles[p]) {
			names = append(names, p)
		}
	}
	slices.Sort(names)
	h := sha256.New()
	for _, p := range names {
		fmt.Fprintf(h, "%s\x00%s\n", p, root.files[p].key)
	}
	root.version = hex.EncodeToString(h.Sum(nil))[:16]
	return root, nil
}

// usePrecompressed makes the build's compressed forms in fsys available.
// Before any request: forms are read when a file is first served.
func (s *assetSet) usePrecompressed(fsys fs.FS) {
	for _, r := range s.roots {
		for _, a := range r.files {
			a.compressed = fsys
		}
	}
}

// WithPrecompressed gives the server the folder of gzip and Brotli forms
// that the build step wrote (package precompress). A form is used only for
// the exact bytes it was made from.
func WithPrecompressed(fsys fs.FS) Option {
	return func(s *Server) { s.assets.usePrecompressed(fsys) }
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

// url is the versioned address of a file of a root ("static", "js/main.js"),
// or "" when the root has no such file in its version.
func (s *assetSet) url(root, p string) string {
	r := s.roots[root]
	if _, ok := r.files[p]; !ok || (root == "static" && pageFiles[p]) {
		return ""
	}
	return r.prefix + r.version + "/" + p
}

// assetLink is an address of a page that points into the front end.
var assetLink = regexp.MustCompile(`((?:href|src)=")(/static/|/vendor/leaflet/)([^"?#]+)"`)

// versionLinks points a page's links to front-end files at their versioned
// addresses. A link to a file the server does not have is left as it is (and
// answers 404, which the tests look for).
func (s *assetSet) versionLinks(page []byte) []byte {
	return assetLink.ReplaceAllFunc(page, func(m []byte) []byte {
		sub := assetLink.FindSubmatch(m)
		root := "static"
		if string(sub[2]) == "/vendor/leaflet/" {
			root = "vendor"
		}
		u := s.url(root, string(sub[3]))
		if u == "" {
			return m
		}
		return []byte(string(sub[1]) + u + `"`)
	})
}

// versionLike is the form of a version: an address whose first folder looks
// like one is taken for a versioned address of another build.
func versionLike(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *assetSet) handler(root string) echo.HandlerFunc {
	r := s.roots[root]
	return func(c echo.Context) error {
		p := c.Param("*")
		if rest, ok := strings.CutPrefix(p, r.version+"/"); ok {
			if a, ok := r.files[rest]; ok && !(root == "static" && pageFiles[rest]) {
				return serveAsset(c, a, cacheVersioned)
			}
			return notFound("there is no file %s", c.Request().URL.Path)
		}
		if first, rest, ok := strings.Cut(p, "/"); ok && versionLike(first) {
			// A page of the previous build asks for its files: the
			// current ones are the best there is, but only for now.
			p = rest
		}
		a, ok := r.files[p]
		if !ok {
			a, ok = r.files[strings.TrimPrefix(path.Clean("/"+p), "/")]
		}
		if !ok {
			return notFound("there is no file %s", c.Request().URL.Path)
		}
		return serveAsset(c, a, cacheRevalidate)
	}
}

// notDocumentType says whether a file of this type is one a browser never
// runs as a page (pages, SVG and anything else keep the page policies).
func notDocumentType(t string) bool {
	t, _, _ = strings.Cut(t, ";")
	switch t {
	case "text/javascript", "text/css", "application/json", "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return strings.HasPrefix(t, "font/")
}

// dropDocumentPolicies takes off the headers that govern documents only
// (what a page may load, which features it may use, what it tells the sites
// it links to) from a script, style sheet or image, which no browser
// renders as a document (they are sent with nosniff). Three headers fewer
// are a third of the header bytes of a small script, sent with each one of
// the 40 files of the map's first view.
func dropDocumentPolicies(h http.Header) {
	delete(h, "Content-Security-Policy")
	delete(h, "Permissions-Policy")
	delete(h, "Referrer-Policy")
}

// versioned finds the file at a versioned address of this build
// (/static/<version>/js/main.js), or nil.
func (s *assetSet) versioned(p string) *asset {
	for name, r := range s.roots {
		rest, ok := strings.CutPrefix(p, r.prefix)
		if !ok {
			continue
		}
		if rest, ok = strings.CutPrefix(rest, r.version+"/"); !ok {
			return nil
		}
		if a := r.files[rest]; a != nil && !(name == "static" && pageFiles[rest]) {
			return a
		}
		return nil
	}
	return nil
}

// serve answers with a file of a root at its unversioned address.
func (s *assetSet) serve(c echo.Context, root, p string, cache []string) error {
	a, ok := s.roots[root].files[p]
	if !ok {
		return notFound("there is no file %s", c.Request().URL.Path)
	}
	return serveAsset(c, a, cache)
}

// gzipWriterType is the type of the writer echo's Gzip middleware puts in
// front of a response when the client accepts gzip. It compresses whatever
// is written through it, Content-Encoding already set or not (echo v4.16.0,
// middleware/compress.go), so a file sent compressed must bypass it.
var gzipWriterType = func() reflect.Type {
	var t reflect.Type
	h := middleware.Gzip()(func(c echo.Context) error {
		t = reflect.TypeOf(c.Response().Writer)
		return nil
	})
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set(echo.HeaderAcceptEncoding, precompress.Gzip)
	_ = h(echo.New().NewContext(req, discardWriter{http.Header{}}))
	return t
}()

type discardWriter struct{ h http.Header }

func (w discardWriter) Header() http.Header         { return w.h }
func (w discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w discardWriter) WriteHeader(int)             {}

// serveAsset answers with the form of a the request accepts best.
func serveAsset(c echo.Context, a *asset, cache []string) error {
	res := c.Response()
	if reflect.TypeOf(res.Writer) == gzipWriterType {
		res.Writer = res.Writer.(interface{ Unwrap() http.ResponseWriter }).Unwrap()
	}
	if !writeAsset(res, c.Request(), a, cache) {
		varyOnEncoding(res.Header())
		return &apiError{Status: http.StatusNotAcceptable, Code: "NotAcceptable",
			Description: "the file is sent as it is, gzipped or in Brotli, and the request accepts none of them"}
	}
	return nil
}

// writeAsset answers with the form of a the request accepts best, or 304;
// false, with nothing written, when the request accepts none of them.
func writeAsset(w http.ResponseWriter, req *http.Request, a *asset, cache []string) bool {
	f := a.identity
	if a.compressible {
		gz, br := a.forms()
		var ok bool
		if f, ok = negotiate(req.Header.Get("Accept-Encoding"), a.identity, gz, br); !ok {
			return false
		}
	}
	h := w.Header()
	if a.notDocument {
		dropDocumentPolicies(h)
	}
	varyOnEncoding(h)
	h["Cache-Control"] = cache
	h["Etag"] = f.etag
	if match := req.Header.Get("If-None-Match"); match != "" && etagMatches(match, f.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	h["Content-Type"] = a.contentType
	h["Content-Length"] = f.length
	if f.encoding != nil {
		h["Content-Encoding"] = f.encoding
	}
	w.WriteHeader(http.StatusOK)
	if req.Method != http.MethodHead {
		w.Write(f.body) // a client gone is nothing to report
	}
	return true
}

// varyOnEncoding says the response depends on Accept-Encoding, once: the
// Gzip middleware, if it ran, has said so already, and a handler may have
// named other headers (the landing page varies on Accept).
func varyOnEncoding(h http.Header) {
	vary, ok := h["Vary"]
	if !ok {
		h["Vary"] = varyAcceptEncoding // shared: one value, so an Add copies it
		return
	}
	for _, v := range vary {
		for rest := v; rest != ""; {
			var name string
			name, rest, _ = strings.Cut(rest, ",")
			if strings.EqualFold(strings.TrimSpace(name), "Accept-Encoding") {
				return
			}
		}
	}
	// One line, as a kept answer has it (cacheable), so that the first
	// answer and the kept one send the same header.
	h["Vary"] = []string{strings.Join(vary, ", ") + ", Accept-Encoding"}
}

// negotiate picks the form to send for an Accept-Encoding header (RFC 9110
// §12.5.3): the coding with the highest q-value among those the file has
// (gz and br may be nil), Brotli before gzip before identity when they tie.
// Codings the header does not name take the q of "*" if it has one. Identity
// is acceptable unless excluded by "identity;q=0" or "*;q=0", but when the
// header does not name it, any coding it accepts goes first ("br;q=0.5"
// asks for Brotli, as nginx reads it). No header or an empty one asks for
// identity. ok is false when nothing is acceptable.
func negotiate(header string, identity, gz, br *form) (*form, bool) {
	if strings.TrimSpace(header) == "" {
		return identity, true
	}
	qBr, qGzip, qIdentity, qAny := -1, -1, -1, -1
	for rest := header; rest != ""; {
		var item string
		item, rest, _ = strings.Cut(rest, ",")
		coding, params, _ := strings.Cut(item, ";")
		coding = strings.TrimSpace(coding)
		q := qValue(params)
		switch {
		case strings.EqualFold(coding, precompress.Brotli):
			qBr = max(qBr, q)
		case strings.EqualFold(coding, precompress.Gzip), strings.EqualFold(coding, "x-gzip"):
			qGzip = max(qGzip, q)
		case strings.EqualFold(coding, "identity"):
			qIdentity = max(qIdentity, q)
		case coding == "*":
			qAny = max(qAny, q)
		}
	}
	unnamed := func(q, fallback int) int {
		switch {
		case q >= 0:
			return q
		case qAny >= 0:
			return qAny
		}
		return fallback
	}
	best, bestQ := (*form)(nil), 0
	for _, c := range []struct {
		f *form
		q int
	}{{br, unnamed(qBr, 0)}, {gz, unnamed(qGzip, 0)}, {identity, unnamed(qIdentity, 1)}} {
		if c.f != nil && c.q > bestQ {
			best, bestQ = c.f, c.q
		}
	}
	return best, best != nil
}

// qValue reads the q parameter of an Accept-Encoding item's parameters
// ("q=0.5") in thousandths: 1000 when there is none, 0 when it cannot be read.
func qValue(params string) int {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, value, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		value = strings.TrimSpace(value)
		// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
		if value == "" || len(value) > 5 || (value[0] != '0' && value[0] != '1') {
			return 0
		}
		q := int(value[0]-'0') * 1000
		if len(value) > 1 {
			if value[1] != '.' {
				return 0
			}
			scale := 100
			for i := 2; i < len(value); i++ {
				d := value[i]
				if d < '0' || d > '9' {
					return 0
				}
				q += int(d-'0') * scale
				scale /= 10
			}
		}
		if q > 1000 {
			return 0
		}
		return q
	}
	return 1000
}

// compressedAlready tells echo's Gzip middleware (its Skipper) to leave alone
// what serveAsset answers: the front end's files and the pages, which come
// with their compressed forms made already. Merely passing through the
// middleware costs a compressor's reset, about 15 µs a request, more than
// serving the file. (The landing page's JSON, at "/" too, is under the
// middleware's 1 kB minimum anyway.)
func compressedAlready(c echo.Context) bool {
	switch p := c.Request().URL.Path; p {
	case "/", "/embed", "/embed/", "/present", "/present/", "/embed.js":
		return true
	default:
		return strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/vendor/leaflet/")
	}
}
