package server

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/catalog"
	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// The data service's HTML pages (OGC API – Features, the HTML conformance
// class): the same documents as the JSON, for people reading them in a
// browser. Plain pages: no script, the citation page's style sheet, so the
// Content-Security-Policy every answer has holds them without exceptions.

//go:embed templates/*.html
var htmlFiles embed.FS

// htmlPages are the pages, by template file; each is the layout with its own
// "content".
var htmlPages = []string{"collections", "collection", "items", "item", "properties", "error"}

func parseHTMLTemplates() (map[string]*template.Template, error) {
	layout, err := template.New("layout.html").Funcs(template.FuncMap{"lower": strings.ToLower}).ParseFS(htmlFiles, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse the data pages' layout: %w", err)
	}
	out := map[string]*template.Template{}
	for _, name := range htmlPages {
		t, err := template.Must(layout.Clone()).ParseFS(htmlFiles, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse the data page %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// htmlPage is what the layout shows around a page's content.
type htmlPage struct {
	Title       string // the <title> and the <h1>
	Description string
	// Crumbs lead from the map to the page; the last is the page itself.
	Crumbs []crumb
	// Alternates are the page in other formats, linked from <head> and in
	// words.
	Alternates []alternate
	Content    any
}

type crumb struct {
	Label, Href string
	Current     bool // the page itself
}

type alternate struct {
	Href, Type string
	Label      string // "JSON", "GeoJSON", "CSV"
}

// crumbs are the breadcrumbs down to a collection, then the ones given.
func crumbs(col *catalog.Collection, more ...crumb) []crumb {
	out := []crumb{{Label: "Home map", Href: "/"}, {Label: "Collections", Href: "/collections"}}
	if col != nil {
		out = append(out, crumb{Label: col.Title, Href: "/collections/" + url.PathEscape(col.ID)})
	}
	return append(out, more...)
}

// withFormat is a root-relative address of the request's own resource with
// f set, its other parameters kept.
func withFormat(r *http.Request, f string) string {
	v := r.URL.Query()
	v.Set("f", f)
	return r.URL.Path + "?" + v.Encode()
}

// renderHTML answers with a data page. Its style sheet goes at its
// versioned address, as the citation page's does.
func (s *Server) renderHTML(c echo.Context, name string, page htmlPage) error {
	return s.renderHTMLStatus(c, http.StatusOK, name, page)
}

// htmlError answers a failed request for a data page with a page a person
// can read, when the request was for one (a browser, or f=html); it reports
// false when JSON is the answer.
func (s *Server) htmlError(c echo.Context, ae *apiError) (bool, error) {
	r := c.Request()
	if !strings.HasPrefix(r.URL.Path, "/collections") || r.Method == http.MethodHead {
		return false, nil
	}
	if f, err := chooseFormat(r, formatJSON, formatHTML); err != nil || f != formatHTML {
		return false, nil
	}
	if !hasParam(r.URL.RawQuery, "f") {
		c.Response().Header().Add("Vary", "Accept")
	}
	title := "Something is wrong with this address"
	if ae.Status == http.StatusNotFound {
		title = "There is nothing here"
	} else if ae.Status >= 500 {
		title = "The server could not answer"
	}
	return true, s.renderHTMLStatus(c, ae.Status, "error", htmlPage{Title: title, Content: ae,
		Crumbs: crumbs(nil, crumb{Label: title, Href: r.URL.RequestURI()})})
}

func (s *Server) renderHTMLStatus(c echo.Context, status int, name string, page htmlPage) error {
	if n := len(page.Crumbs); n > 0 {
		page.Crumbs[n-1].Current = true
	}
	var buf bytes.Buffer
	if err := s.htmlTmpl[name].ExecuteTemplate(&buf, "layout.html", page); err != nil {
		return fmt.Errorf("render the %s page: %w", name, err)
	}
	return c.HTMLBlob(status, s.assets.versionLinks(buf.Bytes()))
}

// A cell is one value of a feature as a reader sees it: text, or a list of
// items (places, source reports), or nothing.
type cell struct {
	Text  string
	Items []cellItem
	Empty bool
	// Prose is long text, which gets a column wide enough to read.
	Prose bool
	// Lang is the language of a text not in English, for a screen reader
	// to read it in.
	Lang string
}

type cellItem struct {
	Before string // the outlet of a report
	Text   string
	Href   string
	// External: a report on another site, which learns nothing of the page
	// it was followed from.
	External bool
	After    string // the date of a report
}

// proseLength is the length from which a text is read as prose.
const proseLength = 60

// cellOf reads a property's value as a reader sees it: codes by their
// labels, places and reports by name, dates as they are (ISO), yes or no.
func cellOf(p catalog.Property, raw json.RawMessage) cell {
	if len(raw) == 0 || string(raw) == "null" {
		return cell{Empty: true}
	}
	switch p.Type {
	case catalog.Objects, catalog.Object:
		if items, ok := objectItems(p.Name, raw); ok {
			if len(items) == 0 {
				return cell{Empty: true}
			}
			// Reports run to a headline each: a column wide enough to read.
			return cell{Items: items, Prose: p.Name == "sources"}
		}
	case catalog.Boolean:
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			if b {
				return cell{Text: "yes"}
			}
			return cell{Text: "no"}
		}
	case catalog.Strings, catalog.Numbers:
		var list []any
		if json.Unmarshal(raw, &list) == nil {
			if len(list) == 0 {
				return cell{Empty: true}
			}
			parts := make([]string, len(list))
			for i, v := range list {
				parts[i] = fmt.Sprint(v)
			}
			return cell{Text: strings.Join(parts, ", ")}
		}
	case catalog.Number, catalog.Integer:
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return cell{Text: n.String()}
		}
	default:
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if s == "" {
				return cell{Empty: true}
			}
			if len(p.Codes) > 0 {
				s = data.Label(p.Codes, s)
			}
			return cell{Text: s, Prose: utf8.RuneCountInString(s) > proseLength, Lang: langOf(p.Name)}
		}
	}
	// A value of another shape than the catalog says: shown as it is.
	return cell{Text: string(raw), Prose: len(raw) > proseLength}
}

// langOf is the language of a property's text by its name's suffix
// (title_ko, name_zh); "" for English.
func langOf(name string) string {
	for _, l := range []string{"ko", "zh"} {
		if strings.HasSuffix(name, "_"+l) {
			return l
		}
	}
	return ""
}

// objectItems reads the nested records readers know: an incident's places,
// by name and linked to their page, and its source reports, by outlet and
// headline and linked to the report.
func objectItems(name string, raw json.RawMessage) ([]cellItem, bool) {
	switch name {
	case "places":
		var places []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		if json.Unmarshal(raw, &places) != nil {
			return nil, false
		}
		items := make([]cellItem, len(places))
		for i, pl := range places {
			items[i] = cellItem{Text: firstOf(pl.Name, pl.ID), Href: "/collections/places/items/" + url.PathEscape(pl.ID)}
		}
		return items, true
	case "sources":
		var sources []data.Source
		if json.Unmarshal(raw, &sources) != nil {
			return nil, false
		}
		items := make([]cellItem, len(sources))
		for i, src := range sources {
			date := src.Published
			if src.PublishedInferred && date != "" {
				date = "about " + date
			}
			items[i] = cellItem{Before: src.Outlet, Text: firstOf(src.Headline, src.ID), Href: src.URL, External: src.URL != "", After: date}
		}
		return items, true
	}
	return nil, false
}

// firstOf is the first of its arguments that is not empty.
func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// feature is a stored feature as the pages read it.
type feature struct {
	ID         string                     `json:"id"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// title is what a reader knows a feature by: its title or name, else its id.
func (f feature) title() string {
	for _, name := range []string{"title", "name_en", "name"} {
		var s string
		if json.Unmarshal(f.Properties[name], &s) == nil && s != "" {
			return s
		}
	}
	return f.ID
}

// columnsOf are the properties a page of features shows: those properties=
// chose, else all the members.
func columnsOf(col catalog.Collection, chosen []string) []catalog.Property {
	names := chosen
	if names == nil {
		names = col.Members()
	}
	out := make([]catalog.Property, 0, len(names))
	for _, n := range names {
		p, ok := col.Property(n)
		// A page shows codes by their labels already: a member that only
		// carries the label would say it twice.
		if !ok || p.LabelOf != "" && slices.Contains(names, p.LabelOf) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// whereDrawn says where a feature is in words: the points of a point
// feature, latitude first as readers say it; the kind of shape otherwise.
func whereDrawn(geometry json.RawMessage) string {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if len(geometry) == 0 || string(geometry) == "null" || json.Unmarshal(geometry, &g) != nil {
		return ""
	}
	point := func(c []float64) string {
		if len(c) < 2 {
			return ""
		}
		return latLon(c[1], "N", "S", -1) + ", " + latLon(c[0], "E", "W", -1)
	}
	switch g.Type {
	case "Point":
		var c []float64
		json.Unmarshal(g.Coordinates, &c)
		return point(c)
	case "MultiPoint":
		var cs [][]float64
		json.Unmarshal(g.Coordinates, &cs)
		var parts []string
		for _, c := range cs {
			parts = append(parts, point(c))
		}
		return strings.Join(parts, "; ")
	case "LineString", "MultiLineString":
		return "a line (see the map or the GeoJSON)"
	case "Polygon", "MultiPolygon":
		return "an outline (see the map or the GeoJSON)"
	}
	return g.Type
}

// latLon is a coordinate in degrees with its hemisphere, to decimals places
// (-1: as stored).
func latLon(v float64, pos, neg string, decimals int) string {
	hemi := pos
	if v < 0 {
		v, hemi = -v, neg
	}
	return strconv.FormatFloat(v, 'f', decimals, 64) + "° " + hemi
}

// typeInWords is a property's type as a reader of the queryables page
// knows it.
func typeInWords(p catalog.Property) string {
	var t string
	switch p.Type {
	case catalog.String:
		t = "text"
		if len(p.Codes) > 0 {
			t = "one of a list"
		}
	case catalog.Number:
		t = "number"
	case catalog.Integer:
		t = "whole number"
	case catalog.Boolean:
		t = "true or false"
	case catalog.Date:
		t = "date (YYYY-MM-DD)"
	case catalog.Strings:
		t = "list of text"
	case catalog.Numbers:
		t = "list of numbers"
	case catalog.Object, catalog.Objects:
		t = "records"
	default:
		t = string(p.Type)
	}
	if p.Nullable {
		t += ", or none"
	}
	return t
}

// The pages' contents, each made from the document its JSON is made from.

type collectionContent struct {
	Doc         collectionDoc
	Where, When string
	CSV         bool
}

func collectionPage(col catalog.Collection, doc collectionDoc, r *http.Request) htmlPage {
	content := collectionContent{Doc: doc, CSV: slices.Contains(col.Formats, formatCSV)}
	if b := doc.BBox; len(b) == 4 {
		content.Where = fmt.Sprintf("From %s to %s, and from %s to %s",
			latLon(b[1], "N", "S", 2), latLon(b[3], "N", "S", 2), latLon(b[0], "E", "W", 2), latLon(b[2], "E", "W", 2))
	}
	if from, to := doc.Interval[0], doc.Interval[1]; from != "" || to != "" {
		content.When = firstOf(from, "…") + " to " + firstOf(to, "…")
	}
	return htmlPage{Title: doc.Title, Description: doc.Description, Crumbs: crumbs(&col), Content: content,
		Alternates: []alternate{{withFormat(r, formatJSON), jsonType, "JSON"}}}
}

type itemsContent struct {
	Collection                     catalog.Collection
	Columns                        []catalog.Property
	Rows                           []itemRow
	Matched, Returned, First, Last int
	Filtered                       bool
	// Filters are the parameters that chose the features, as the reader
	// should see them: what each tests, and the value given.
	Filters    []shownFilter
	Next, Prev string
}

type shownFilter struct{ Label, Value string }

// filterLabels say what each parameter that chooses features tests.
var filterLabels = map[string]string{
	"bbox": "Inside the box (west, south, east, north)", "datetime": "In force on", "category": "Category",
	"verification": "Verification", "source": "Citing the reports", "place": "At the places", "q": "With the words",
	"kind": "Kind of place", "filter": "Filter (CQL2)", "filter-lang": "Filter language", "filter-crs": "Filter coordinates",
}

type itemRow struct {
	ID, Href string
	Cells    []cell
}

// itemsParams are the parameters of items that do not choose features:
// with only these, the page shows all of them.
var itemsParams = []string{"limit", "offset", "sortby", "properties", "skipGeometry", "simplify", "f"}

// itemsPage is a page of features as a table, with its links (pageLinks in
// the page's format).
func itemsPage(col catalog.Collection, features []feature, chosen []string, matched int, q store.Query, links []link, r *http.Request) htmlPage {
	content := itemsContent{Collection: col, Columns: columnsOf(col, chosen), Matched: matched, Returned: len(features),
		First: q.Offset + 1, Last: q.Offset + len(features)}
	values := r.URL.Query()
	for _, k := range col.ItemParams() { // in the catalog's order, not the map's
		if _, given := values[k]; given && !slices.Contains(itemsParams, k) {
			content.Filtered = true
			label := filterLabels[k]
			if label == "" {
				label = k
			}
			content.Filters = append(content.Filters, shownFilter{label, values.Get(k)})
		}
	}
	for _, f := range features {
		row := itemRow{ID: f.ID, Href: "/collections/" + url.PathEscape(col.ID) + "/items/" + url.PathEscape(f.ID)}
		for _, p := range content.Columns {
			row.Cells = append(row.Cells, cellOf(p, f.Properties[p.Name]))
		}
		content.Rows = append(content.Rows, row)
	}
	page := htmlPage{Content: &content, Description: col.Description}
	for _, l := range links {
		switch {
		case l.Rel == "next":
			content.Next = l.Href
		case l.Rel == "prev":
			content.Prev = l.Href
		case l.Rel == "alternate" && l.Type == geoJSONType:
			page.Alternates = append(page.Alternates, alternate{l.Href, l.Type, "GeoJSON"})
		case l.Rel == "alternate" && l.Type == csvType:
			page.Alternates = append(page.Alternates, alternate{l.Href, l.Type, "CSV"})
		}
	}
	// Pages count from the request's offset: one that falls between two
	// pages of limit counts as the later.
	limit := max(1, q.Limit)
	pageNo := (q.Offset+limit-1)/limit + 1
	pages := max(pageNo, (matched+limit-1)/limit)
	page.Title = fmt.Sprintf("%s, page %d of %d", col.Title, pageNo, pages)
	self := r.URL.Path
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	page.Crumbs = crumbs(&col, crumb{Label: "Items", Href: self})
	return page
}

type itemContent struct {
	Collection catalog.Collection
	ID         string
	Rows       []labelled
	Drawn      string
	MapLink    string
}

type labelled struct {
	Label string
	Cell  cell
}

// itemPage is one feature: each of its properties under its label.
func itemPage(col catalog.Collection, f feature, r *http.Request) htmlPage {
	content := itemContent{Collection: col, ID: f.ID, Drawn: whereDrawn(f.Geometry)}
	for _, p := range columnsOf(col, nil) {
		if _, ok := f.Properties[p.Name]; ok {
			content.Rows = append(content.Rows, labelled{p.Label, cellOf(p, f.Properties[p.Name])})
		}
	}
	if col.ID == "incidents" {
		content.MapLink = "/?incident=" + url.QueryEscape(f.ID)
	}
	title := f.title()
	return htmlPage{Title: title, Content: content,
		Crumbs: crumbs(&col,
			crumb{Label: "Items", Href: "/collections/" + url.PathEscape(col.ID) + "/items"},
			crumb{Label: title, Href: r.URL.Path}),
		Alternates: []alternate{{withFormat(r, formatJSON), geoJSONType, "GeoJSON"}}}
}

type propertiesContent struct {
	Intro, Caption, Used, Example string
	Rows                          []propertyRow
}

type propertyRow struct {
	Label, Name, Type, Description string
	Codes                          []data.Code
}

// propertiesPage lists the queryables or sortables: the catalog's properties
// and the members the schema adds for the geometry and the days in force.
func propertiesPage(col catalog.Collection, what string, props []catalog.Property, schema map[string]any, r *http.Request) htmlPage {
	content := propertiesContent{}
	var title string
	switch what {
	case "queryables":
		title = col.Title + ": what a filter can use"
		content.Intro = "The properties of the " + strings.ToLower(col.Title) + " a filter can test, with the name a filter uses for each."
		content.Caption = "The properties a filter can use"
		content.Used = "filters"
	default:
		title = col.Title + ": what they can be sorted by"
		content.Intro = "The properties the " + strings.ToLower(col.Title) + " can be sorted by: give their names to sortby, each with - before it for the largest or latest first."
		content.Caption = "The properties to sort by"
		content.Used = "sortby"
		if names := col.Sortables(); len(names) > 1 {
			content.Example = "sortby=-" + names[len(names)-1] + "," + names[0]
		}
	}
	for _, p := range props {
		content.Rows = append(content.Rows, propertyRow{Label: p.Label, Name: p.Name, Type: typeInWords(p), Description: p.Description, Codes: p.Codes})
	}
	members, _ := schema["properties"].(map[string]any)
	for _, name := range []string{"geometry", "datetime"} {
		m, ok := members[name].(map[string]any)
		if !ok {
			continue
		}
		row := propertyRow{Name: name, Type: "geometry", Description: fmt.Sprint(m["description"])}
		row.Label, _ = m["title"].(string)
		if name == "datetime" {
			row.Type = "days (an interval of dates)"
		}
		content.Rows = append(content.Rows, row)
	}
	return htmlPage{Title: title, Content: content,
		Crumbs:     crumbs(&col, crumb{Label: map[string]string{"queryables": "Queryables", "sortables": "Sortables"}[what], Href: r.URL.Path}),
		Alternates: []alternate{{withFormat(r, formatJSON), schemaType, "JSON Schema"}}}
}

func collectionsPage(docs []collectionDoc, r *http.Request) htmlPage {
	return htmlPage{Title: "Collections", Content: docs,
		Description: "Borderline's data on the North Korea–China border in the COVID-19 closure, 2020–2021: incidents, places, zones and the map's layers.",
		Crumbs:      crumbs(nil),
		Alternates:  []alternate{{withFormat(r, formatJSON), jsonType, "JSON"}}}
}
