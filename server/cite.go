package server

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

//go:embed cite.html
var citeFiles embed.FS

func parseCiteTemplate() (*template.Template, error) {
	t, err := template.ParseFS(citeFiles, "cite.html")
	if err != nil {
		return nil, fmt.Errorf("parse the citation page: %w", err)
	}
	return t, nil
}

// addCiteAs points at the citation page (RFC 8574), so a reference manager
// or a reader of the headers finds how to cite what it fetched.
func addCiteAs(c echo.Context) {
	c.Response().Header().Add("Link", `<`+baseURL(c)+`/cite>; rel="cite-as"`)
}

// citePage is what /cite shows, and what /cite?f=json returns.
type citePage struct {
	Title       string         `json:"title"`
	Citation    string         `json:"citation"`
	BibTeX      string         `json:"bibtex"`
	Attribution string         `json:"attribution"`
	Licenses    []data.Licence `json:"licenses"`
	Sources     []citeSource   `json:"sources"`
	// Permalink is the address of one incident, with {id} for its id.
	Permalink string        `json:"incident_permalink"`
	Example   *citeIncident `json:"incident_example,omitempty"`

	// Where the page's links go: the API on a server, files in a static copy.
	Static                         bool   `json:"-"`
	CSVLink, GeoJSONLink, JSONLink string `json:"-"`
}

// Where /cite links to the downloads on a server.
var serverCiteLinks = citePage{
	CSVLink:     "/collections/incidents/items?f=csv&limit=10000",
	GeoJSONLink: "/collections/incidents/items?limit=10000",
	JSONLink:    "/cite?f=json",
}

type citeSource struct {
	data.Source
	// Date is the publication date in words, "about …" when it is our estimate.
	Date string `json:"published_in_words"`
}

type citeIncident struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Permalink string `json:"permalink"`
	Citation  string `json:"citation"`
}

// cite answers /cite: how to cite the data, its licences and its sources,
// as a page for people or, with f=json, for programs.
func (s *Server) cite(c echo.Context) error {
	f := c.QueryParam("f")
	if f != "" && f != "html" && f != "json" {
		return badParam("f", "%q is not a format; use html or json", f)
	}
	page, err := s.citePage(c.Request().Context(), baseURL(c), time.Now())
	if err != nil {
		return err
	}
	page.CSVLink, page.GeoJSONLink, page.JSONLink = serverCiteLinks.CSVLink, serverCiteLinks.GeoJSONLink, serverCiteLinks.JSONLink
	// The retrieval date changes daily: nothing to validate against.
	c.Response().Header().Set(echo.HeaderCacheControl, "no-cache")
	if f == "json" {
		return c.JSON(http.StatusOK, page)
	}
	b, err := s.renderCite(page)
	if err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, b)
}

func (s *Server) renderCite(page citePage) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.citeTmpl.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("render the citation page: %w", err)
	}
	return s.assets.versionLinks(buf.Bytes()), nil
}

// citePage gathers what /cite says for data published at base (the site's
// address without its final slash; empty when it is not known, as for a
// static copy whose address its publisher did not give).
func (s *Server) citePage(ctx context.Context, base string, now time.Time) (citePage, error) {
	home := base + "/"
	if base == "" {
		home = ""
	}
	page := citePage{
		Title:       data.Title,
		Citation:    data.Citation(home, now),
		BibTeX:      bibTeX(home, now),
		Attribution: data.Attribution,
		Licenses:    data.Licences,
		Permalink:   base + "/?incident={id}",
	}
	sources, err := s.store.Sources(ctx)
	if err != nil {
		return page, err
	}
	for _, src := range sources {
		page.Sources = append(page.Sources, citeSource{Source: src, Date: publishedInWords(src)})
	}
	first, err := s.store.Items(ctx, "incidents", store.Query{Limit: 1})
	if err != nil {
		return page, err
	}
	// An example needs an address to cite it by.
	if len(first.Features) == 1 && base != "" {
		var f struct {
			ID         string `json:"id"`
			Properties struct {
				Title string `json:"title"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(first.Features[0], &f); err != nil {
			return page, fmt.Errorf("read the example incident: %w", err)
		}
		link := base + "/?incident=" + url.QueryEscape(f.ID)
		page.Example = &citeIncident{ID: f.ID, Title: f.Properties.Title, Permalink: link,
			Citation: data.IncidentCitation(f.Properties.Title, link, now)}
	}
	return page, nil
}

// publishedInWords reads "17 July 2020", or "about 17 July 2020" where the
// report prints no date and the day is our estimate.
func publishedInWords(src data.Source) string {
	d, err := data.ParseDate(src.Published)
	if err != nil {
		return src.Published // validated on the way in; shown as stored if not
	}
	words := d.Format("2 January 2006")
	if src.PublishedInferred {
		return "about " + words
	}
	return words
}

// bibTeX is the citation as a BibTeX @misc entry with biblatex's url and
// urldate fields. TeX reads braces and backslashes, so they are kept out of
// the address (which comes from the request's Host header).
func bibTeX(link string, retrieved time.Time) string {
	link = strings.NewReplacer("{", "", "}", "", `\`, "").Replace(link)
	day := data.FormatDate(retrieved.UTC())
	title := strings.ReplaceAll(data.Title, "–", "--")
	url := ""
	if link != "" {
		url = "  url          = {" + link + "},\n"
	}
	return "@misc{borderline,\n" +
		"  author       = {{" + data.Publisher + "}},\n" +
		"  title        = {" + title + "},\n" +
		"  howpublished = {Data set},\n" +
		url +
		"  urldate      = {" + day + "},\n" +
		"  note         = {Retrieved " + day + "}\n" +
		"}\n"
}
