package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// A static copy of the site (`borderline export --site DIR`): the map, the
// embed, the presentation and the citation page with every script, style and
// Leaflet file, and the data the front end reads as files, so that any static
// host or CDN serves it with no Borderline server, under any folder. Its
// layout, which static/js/site.js, api.js and stories.js know:
//
//	index.html, embed/index.html, present/index.html, cite/index.html (+ index.json)
//	embed.js                         the host page's resizing script
//	static/VERSION/…, vendor/leaflet/VERSION/…  the front end, with FILE.gz
//	                                 and FILE.br beside the files that compress
//	data/COLLECTION.json             every feature of a collection
//	data/COLLECTION.simplify-500.json  the shapes the map loads first
//	data/areas/ID.simplify-250.json  an area's outline, as the map asks for it
//	data/incidents.csv, data/incidents.geojson  the downloads
//	data/index.html                  a list of the data files
//	stories/index.json, stories/ID.json
//
// The pages say they are a static copy (a meta tag): the front end then reads
// files instead of asking the server, and searches the exported incidents
// itself. What needs a server is left out: oEmbed (no discovery link) and
// downloads narrowed to the view (the whole dataset is offered instead).

// siteMarker marks a folder as a static copy, so a second export may
// replace it; any other folder that is not empty is refused.
const siteMarker = ".borderline-site"

// Tolerances the front end asks for (static/js/mapview.js, areas.js).
const (
	siteCoarse = 500
	siteArea   = 250
)

// mapShapes are the collections the map first loads simplified (mapview.js).
var mapShapes = []string{"countries", "provinces", "rivers", "border", "zones"}

// SiteOptions describe a static copy.
type SiteOptions struct {
	// URL is where the copy will be published, if known: citations name it.
	URL string
	// Now is the retrieval date citations give (time.Now if zero).
	Now time.Time
}

// SiteReport says what an export wrote.
type SiteReport struct {
	Files int
	Bytes int64
}

// WriteSite writes a static copy of the site into dir. It is written beside
// dir first and moved into place at the end, so a failed export leaves an
// earlier copy as it was.
func (s *Server) WriteSite(ctx context.Context, dir string, opt SiteOptions) (SiteReport, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	base := strings.TrimSuffix(opt.URL, "/")
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return SiteReport{}, fmt.Errorf("site address %q: give an absolute http(s) address such as https://news.example/borderline/", opt.URL)
		}
	}
	if err := checkSiteDir(dir); err != nil {
		return SiteReport{}, err
	}
	tmp, err := siblingTemp(dir)
	if err != nil {
		return SiteReport{}, err
	}
	w := &siteWriter{root: tmp}
	defer os.RemoveAll(tmp) // gone after the rename; cleans up after a failure
	steps := []func() error{
		func() error { return s.writeSiteAssets(w) },
		func() error { return s.writeSitePages(w) },
		func() error { return s.writeSiteCite(ctx, w, base, opt.Now) },
		func() error { return s.writeSiteData(ctx, w, base, opt.Now) },
		func() error { return s.writeSiteStories(ctx, w) },
		func() error {
			return w.write(siteMarker, []byte("A static copy of Borderline, written by borderline export --site.\n"))
		},
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return SiteReport{}, err
		}
		if err := step(); err != nil {
			return SiteReport{}, fmt.Errorf("export site: %w", err)
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return SiteReport{}, fmt.Errorf("export site: replace %s: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return SiteReport{}, fmt.Errorf("export site: %w", err)
	}
	return w.report, nil
}

// checkSiteDir allows a folder that does not exist, is empty, or holds an
// earlier static copy.
func checkSiteDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export site: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, siteMarker)); err == nil {
		return nil
	}
	return fmt.Errorf("export site: %s is not empty and holds no earlier static copy of Borderline; give a new or empty folder", dir)
}

func siblingTemp(dir string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("export site: %w", err)
	}
	clean := filepath.Clean(dir)
	tmp := filepath.Join(filepath.Dir(clean), "."+filepath.Base(clean)+".tmp-"+hex.EncodeToString(b[:]))
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return "", fmt.Errorf("export site: %w", err)
	}
	return tmp, nil
}

type siteWriter struct {
	root   string
	report SiteReport
}

func (w *siteWriter) write(name string, b []byte) error {
	p := filepath.Join(w.root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return err
	}
	w.report.Files++
	w.report.Bytes += int64(len(b))
	return nil
}

func (w *siteWriter) writeJSON(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return w.write(name, append(b, '\n'))
}

// writeSiteAssets copies the front end at the versioned addresses the pages
// point to (static/VERSION/…, vendor/leaflet/VERSION/…), so a host may cache
// those folders for good; the host script goes at the root, where the embed
// code points. Beside each file that compresses go its gzip and Brotli forms
// (FILE.gz, FILE.br), for servers that send them as they are (nginx's
// gzip_static, Caddy's precompressed); other servers ignore them.
func (s *Server) writeSiteAssets(w *siteWriter) error {
	for _, name := range []string{"static", "vendor"} {
		r := s.assets.roots[name]
		for p, a := range r.files {
			u := s.assets.url(name, p)
			if u == "" { // a page: written by writeSitePages
				continue
			}
			if err := w.writeAsset(strings.TrimPrefix(u, "/"), a); err != nil {
				return err
			}
		}
	}
	return w.writeAsset("embed.js", s.assets.roots["static"].files["host/embed.js"])
}

func (w *siteWriter) writeAsset(name string, a *asset) error {
	if err := w.write(name, a.identity.body); err != nil {
		return err
	}
	if !a.compressible {
		return nil
	}
	gz, br := a.forms()
	for _, f := range []struct {
		form *form
		ext  string
	}{{gz, ".gz"}, {br, ".br"}} {
		if f.form == nil {
			continue
		}
		if err := w.write(name+f.ext, f.form.body); err != nil {
			return err
		}
	}
	return nil
}

// staticHead replaces the server's head marker: the page says it is a static
// copy, and carries the server's Content-Security-Policy, as a static host
// may send none (frame-ancestors cannot be set this way; the host decides).
var staticHead = `<meta name="borderline-site" content="static">` +
	`<meta http-equiv="Content-Security-Policy" content="` + template.HTMLEscapeString(cspBase) + `">`

func (s *Server) writeSitePages(w *siteWriter) error {
	for file, out := range map[string]string{mapPage: "index.html", embedPage: "embed/index.html", presentPage: "present/index.html"} {
		page, ok := s.assets.pages[file]
		if !ok {
			return fmt.Errorf("no page %s", file)
		}
		body := bytes.Replace(page, []byte(headMarker), []byte(staticHead), 1)
		body, err := relativeLinks(body, out)
		if err != nil {
			return err
		}
		if err := w.write(out, body); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) writeSiteCite(ctx context.Context, w *siteWriter, base string, now time.Time) error {
	page, err := s.citePage(ctx, base, now)
	if err != nil {
		return err
	}
	page.Static = true
	page.CSVLink, page.GeoJSONLink, page.JSONLink = "/data/incidents.csv", "/data/incidents.geojson", "/cite/index.json"
	body, err := s.renderCite(page)
	if err != nil {
		return err
	}
	if body, err = relativeLinks(body, "cite/index.html"); err != nil {
		return err
	}
	if err := w.write("cite/index.html", body); err != nil {
		return err
	}
	return w.writeJSON("cite/index.json", page)
}

// writeSiteData writes every collection, the simplified shapes and area
// outlines the map asks for, and the downloads.
func (s *Server) writeSiteData(ctx context.Context, w *siteWriter, base string, now time.Time) error {
	var listed []string
	for _, id := range store.Collections {
		page, err := s.store.Items(ctx, id, store.Query{Limit: 1 << 30})
		if err != nil {
			return err
		}
		var members []byte
		if id == "incidents" {
			link := ""
			if base != "" {
				link = base + "/data/incidents.geojson"
			}
			if members, err = data.NewTerms(link, now).Members(); err != nil {
				return err
			}
			if err := w.write("data/incidents.geojson", featureCollectionBytes(page, nil, members)); err != nil {
				return err
			}
			listed = append(listed, "incidents.geojson")
		}
		if err := w.write("data/"+id+".json", featureCollectionBytes(page, nil, members)); err != nil {
			return err
		}
		listed = append(listed, id+".json")
		if id == "areas" {
			if err := s.writeSiteAreas(w, page); err != nil {
				return err
			}
		}
	}
	for _, id := range mapShapes {
		page, err := s.store.Items(ctx, id, store.Query{Limit: 1 << 30})
		if err != nil {
			return err
		}
		for i, f := range page.Features {
			if page.Features[i], err = s.shapes.simplified(f, siteCoarse); err != nil {
				return err
			}
		}
		name := fmt.Sprintf("%s.simplify-%d.json", id, siteCoarse)
		if err := w.write("data/"+name, featureCollectionBytes(page, nil, nil)); err != nil {
			return err
		}
		listed = append(listed, name)
	}
	incidents, err := s.store.Incidents(ctx)
	if err != nil {
		return err
	}
	sources, err := s.store.Sources(ctx)
	if err != nil {
		return err
	}
	var csv bytes.Buffer
	if err := data.WriteIncidentsCSV(&csv, incidents, sources); err != nil {
		return err
	}
	if err := w.write("data/incidents.csv", csv.Bytes()); err != nil {
		return err
	}
	listed = append(listed, "incidents.csv")
	return s.writeSiteDataIndex(w, listed)
}

func (s *Server) writeSiteAreas(w *siteWriter, page store.Page) error {
	for _, f := range page.Features {
		var head struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(f, &head); err != nil {
			return fmt.Errorf("area: %w", err)
		}
		if head.ID == "" || strings.ContainsAny(head.ID, `/\`) || strings.HasPrefix(head.ID, ".") {
			return fmt.Errorf("area id %q cannot be a file name", head.ID)
		}
		b, err := s.shapes.simplified(f, siteArea)
		if err != nil {
			return err
		}
		if err := w.write(fmt.Sprintf("data/areas/%s.simplify-%d.json", head.ID, siteArea), append(b, '\n')); err != nil {
			return err
		}
	}
	return nil
}

var dataIndexTmpl = template.Must(template.New("data").Parse(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Borderline — the data as files</title>
  <link rel="stylesheet" href="/static/css/page.css">
</head>
<body>
  <main class="page">
    <p><a href="../">Borderline: back to the map</a> · <a href="../cite/">How to cite</a></p>
    <h1>The data as files</h1>
    <p>This static copy of Borderline holds its data as GeoJSON and CSV files. The
    incidents come with their sources; the GeoJSON also carries the licences and a
    suggested citation. The Borderline server offers the same data through
    OGC API – Features, for QGIS and other GIS programs.</p>
    <ul>{{range .}}
      <li><a href="{{.}}">{{.}}</a></li>{{end}}
    </ul>
  </main>
</body>
</html>
`))

func (s *Server) writeSiteDataIndex(w *siteWriter, files []string) error {
	var buf bytes.Buffer
	if err := dataIndexTmpl.Execute(&buf, files); err != nil {
		return err
	}
	body, err := relativeLinks(s.assets.versionLinks(buf.Bytes()), "data/index.html")
	if err != nil {
		return err
	}
	return w.write("data/index.html", body)
}

func (s *Server) writeSiteStories(ctx context.Context, w *siteWriter) error {
	list, err := s.store.Stories(ctx)
	if err != nil {
		return err
	}
	if err := w.writeJSON("stories/index.json", storyListDocument(list, "")); err != nil {
		return err
	}
	for _, sum := range list {
		st, err := s.store.Story(ctx, sum.ID)
		if err != nil {
			return err
		}
		if err := w.writeJSON("stories/"+sum.ID+".json", storyDocument(st, "")); err != nil {
			return err
		}
	}
	return nil
}

// featureCollectionBytes is a FeatureCollection of stored features, which it
// copies without decoding, with links (if not nil) and foreign members for
// the top level (the licences and citation of incidents, encoded as the
// inside of a JSON object).
func featureCollectionBytes(page store.Page, links []link, members []byte) []byte {
	size := 2048 + len(members) // the envelope and links
	for _, f := range page.Features {
		size += len(f) + 1
	}
	buf := bytes.NewBuffer(newBody(size)) // one buffer: features run to 1.4 kB each, past any fixed guess
	writeCollectionHead(buf, page, links, members)
	for i, f := range page.Features {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(f)
	}
	buf.WriteString(collectionTail)
	return buf.Bytes()
}

// writeCollectionHead writes a FeatureCollection up to its first feature.
func writeCollectionHead(buf *bytes.Buffer, page store.Page, links []link, members []byte) {
	// No timeStamp (it is optional): the same URL at the same data version
	// is then the same bytes, for ETags and for caches in front.
	fmt.Fprintf(buf, `{"type":"FeatureCollection","numberMatched":%d,"numberReturned":%d`, page.Matched, len(page.Features))
	if links != nil {
		b, _ := json.Marshal(links) // strings only: always encodes
		buf.WriteString(`,"links":`)
		buf.Write(b)
	}
	if len(members) > 0 {
		buf.WriteByte(',')
		buf.Write(members)
	}
	buf.WriteString(`,"features":[`)
}

const collectionTail = "]}\n"

var rootLink = regexp.MustCompile(`(href|src)="(/[^"]*)"`)

// relativeLinks rewrites the root-relative addresses of a page written to
// file (a path in the copy) so that they hold under any folder of any host.
// An address the copy has no file for is an error, not a broken link.
func relativeLinks(page []byte, file string) ([]byte, error) {
	up := strings.Repeat("../", strings.Count(file, "/"))
	var bad []string
	out := rootLink.ReplaceAllFunc(page, func(m []byte) []byte {
		sub := rootLink.FindSubmatch(m)
		attr, ref := string(sub[1]), string(sub[2])
		to, ok := staticAddress(html.UnescapeString(ref))
		if !ok {
			bad = append(bad, ref)
			return m
		}
		rel := up + to
		if rel == "" {
			rel = "./"
		}
		return []byte(attr + `="` + template.HTMLEscapeString(rel) + `"`)
	})
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s links to %s, which a static copy does not have", file, strings.Join(bad, ", "))
	}
	return out, nil
}

// staticAddress maps an address of the server to the copy's file for it,
// relative to the copy's root.
func staticAddress(ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	query := ""
	if u.RawQuery != "" {
		query = "?" + u.RawQuery
	}
	p := path.Clean(u.Path)
	switch {
	case strings.HasPrefix(p, "/static/"), strings.HasPrefix(p, "/vendor/leaflet/"), strings.HasPrefix(p, "/data/"):
		return strings.TrimPrefix(p, "/"), true
	case p == "/":
		return query, true
	case p == "/embed", p == "/present", p == "/cite":
		return strings.TrimPrefix(p, "/") + "/" + query, true
	case p == "/cite/index.json", p == "/embed.js":
		return strings.TrimPrefix(p, "/"), true
	case p == "/collections":
		return "data/", true
	case p == "/collections/incidents/items":
		if u.Query().Get("f") == "csv" {
			return "data/incidents.csv", true
		}
		return "data/incidents.geojson", true
	}
	return "", false
}
