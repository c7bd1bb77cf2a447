package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/catalog"
	"github.com/borderline/borderline/data"
)

// openAPI describes the API for generic clients (OGC API – Features asks for
// an OpenAPI 3.0 definition at the service-desc link). The collections'
// paths and parameters come from the catalog, the table the handlers check
// requests against, so the two cannot drift; a test checks that every
// parameter a handler takes is here.
func (s *Server) openAPI(c echo.Context) error {
	if err := onlyParams(c.QueryParams(), "f"); err != nil {
		return err
	}
	if _, err := chooseFormat(c.Request(), formatJSON); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, openAPIDocument(baseURL(c)))
}

var (
	strSchema = map[string]any{"type": "string"}
	intSchema = map[string]any{"type": "integer"}
)

// queryParam is a parameter of the query string. Lists are comma-separated
// (style form, not exploded).
func queryParam(name, desc string, schema map[string]any) map[string]any {
	p := map[string]any{"name": name, "in": "query", "description": desc, "required": false, "schema": schema}
	if schema["type"] == "array" {
		p["style"], p["explode"] = "form", false
	}
	return p
}

func pathParam(name, desc string, schema map[string]any) map[string]any {
	return map[string]any{"name": name, "in": "path", "description": desc, "required": true, "schema": schema}
}

func codeList(what string, codes []data.Code) map[string]any {
	return map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": data.CodeValues(codes)}, "description": what}
}

func enumOf(values ...string) map[string]any {
	return map[string]any{"type": "string", "enum": values}
}

// itemParamDoc describes one parameter of a collection's items.
func itemParamDoc(name string, col catalog.Collection) map[string]any {
	switch name {
	case "bbox":
		return queryParam(name, "Only features inside this box: minLon,minLat,maxLon,maxLat in CRS84 (a minLon above maxLon crosses the antimeridian)",
			map[string]any{"type": "array", "minItems": 4, "maxItems": 6, "items": map[string]any{"type": "number"}})
	case "datetime":
		what := "Incidents match when the days they are in force overlap it."
		if !col.Temporal {
			what = "Features without dates always match."
		} else if col.ID == "zones" {
			what = "Zones match when they are in force on some day of it."
		}
		return queryParam(name, "A date (2020-08-26), date-time (its calendar day), or interval with .. or nothing for an open end (2020-08-01/..). "+what, strSchema)
	case "limit":
		return queryParam(name, fmt.Sprintf("Features per page. A larger limit is capped at %d: numberReturned and the next link say what was sent.", maxLimit),
			map[string]any{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": defaultLimit})
	case "offset":
		return queryParam(name, "Matching features to skip: the next link gives it", map[string]any{"type": "integer", "minimum": 0, "default": 0})
	case "sortby":
		var names []string
		for _, n := range col.Sortables() {
			names = append(names, n, "-"+n)
		}
		return queryParam(name, "Sort by these properties, comma-separated, each ascending or with - before it descending ("+
			"-date_start,title); features with no value come last, and the id breaks ties. Without it: "+defaultOrder(col),
			map[string]any{"type": "array", "items": enumOf(append(names, prefixed("+", col.Sortables())...)...)})
	case "properties":
		return queryParam(name, "Send only these members of each feature's properties, comma-separated, in this order (empty: none). GeoJSON only.",
			map[string]any{"type": "array", "items": enumOf(col.Members()...)})
	case "skipGeometry":
		return queryParam(name, "true: send every feature's geometry as null. GeoJSON only.", map[string]any{"type": "boolean", "default": false})
	case "filter":
		var names []string
		for _, p := range col.Queryables() {
			names = append(names, p.Name)
		}
		if col.SpatialFilter {
			names = append(names, "geometry")
		}
		if col.Temporal {
			names = append(names, "in_force")
		}
		return queryParam(name, "A CQL2 filter (OGC API – Features Part 3) on the queryables ("+strings.Join(names, ", ")+
			"; their types and code lists at queryables): comparisons, AND, OR, NOT, IS NULL, LIKE (case-sensitive), BETWEEN, IN"+
			spatialDoc(col)+temporalDoc(col)+". Example: "+filterExample(col)+". A filter that cannot be read is a 400 giving the character where reading stopped.",
			map[string]any{"type": "string", "maxLength": maxFilterLen})
	case "filter-lang":
		return queryParam(name, "The language of filter: cql2-text (the default) or cql2-json", map[string]any{"type": "string", "enum": []string{"cql2-text", "cql2-json"}, "default": "cql2-text"})
	case "filter-crs":
		return queryParam(name, "The coordinates of a filter's geometries: CRS84 (longitude, latitude), the only one", map[string]any{"type": "string", "enum": crs84Names, "default": crs84})
	case "category":
		return queryParam(name, "In one of these categories, comma-separated", codeList("categories", data.Categories))
	case "verification":
		return queryParam(name, "Verified in one of these ways, comma-separated "+
			"(single_source: one anonymous source, unverified; corroborated; official: official data or statement; commentary)",
			codeList("verification codes", data.Verifications))
	case "source":
		return queryParam(name, "Citing at least one of these source reports, comma-separated ids "+
			"(the sources of /cite?f=json, or an incident's properties.sources[].id). An unknown id is a 400.",
			map[string]any{"type": "array", "items": strSchema})
	case "place":
		return queryParam(name, "At one or more of these places, comma-separated ids (/collections/places/items). An unknown id is a 400.",
			map[string]any{"type": "array", "items": strSchema})
	case "kind":
		return queryParam(name, "Of one of these kinds, comma-separated", codeList("kinds of place", data.PlaceKinds))
	case "q":
		if col.ID == "incidents" {
			return queryParam(name, "Words that must all match (at most 200 characters): each word starts a word of the title or summary "+
				"(English or Korean), place names or source outlets and reporters (not headlines), or is another form of an English one (porter stems: "+
				"phones finds phone, arrests finds arrested; irregular forms such as shot for shoot are not found). Korean words match with their "+
				"particles: 혜산 finds 혜산에서.", strSchema)
		}
		return queryParam(name, "Words that must all match (at most 200 characters): each word starts a word of "+
			"one of the names (English, Korean, Chinese, other spellings; case, accents and apostrophes ignored; a Chinese name is one word, "+
			"found from its start); a name that is the search comes first, then names that begin with it, shorter first, then the rest (unless sortby is given).", strSchema)
	case "simplify":
		return queryParam(name, "Simplify the geometry (Douglas–Peucker) with this tolerance in metres on the ground, the same in every direction, and round the coordinates to match "+
			"(5 decimals at 50 m, 4 at 100–500 m, 3 at 1–5 km). Rings that shrink below the tolerance are left out, but never a feature's last one. "+
			"Omit for full precision. Half a screen pixel is invisible: 500 for a map at zoom 6–7 (0.9–1.8 km a pixel at 41° N), 250 at zoom 8.",
			map[string]any{"type": "number", "minimum": minSimplifyM, "maximum": maxSimplifyM})
	case "f":
		formats := itemFormats(col)
		desc := "json (GeoJSON, the default for a client that does not ask for HTML), html (a table of the page's features, with links to the next and previous pages)"
		if slices.Contains(formats, formatCSV) {
			desc += ", or csv (the import format; paging in Link headers)"
		}
		return queryParam(name, desc+"; the Accept header chooses when f is not given", enumOf(append(formats, "geojson")...))
	}
	panic("openapi: no description of the items parameter " + name)
}

func spatialDoc(col catalog.Collection) string {
	if !col.SpatialFilter {
		return ""
	}
	return "; S_INTERSECTS and S_DISJOINT of geometry with BBOX, POINT, LINESTRING, POLYGON and their MULTI forms"
}

func temporalDoc(col catalog.Collection) string {
	if !col.Temporal {
		return ""
	}
	return "; T_INTERSECTS, T_DURING, T_BEFORE, T_AFTER and the other temporal operators of in_force (the days in force) with DATE, TIMESTAMP and INTERVAL"
}

func filterExample(col catalog.Collection) string {
	switch col.ID {
	case "incidents":
		return "province = 'Ryanggang' AND in_force_from >= DATE('2020-08-26')"
	case "places":
		return "kind = 'city' AND border_distance_km < 5"
	case "zones":
		return "width_m >= 1000"
	}
	for _, p := range col.Queryables() {
		if p.Name != "id" && p.Type == catalog.String {
			return p.Name + " LIKE 'T%'"
		}
	}
	return "id = '" + col.ID + "-1'"
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

func defaultOrder(col catalog.Collection) string {
	if col.ID == "incidents" {
		return "by the first day in force, then as imported."
	}
	return "the collection's own order."
}

// openAPIDocument is the whole definition, with links on base.
func openAPIDocument(base string) map[string]any {
	errorResp := map[string]any{"description": "Bad input or unknown id; the body names the parameter.", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/error"}}}}
	geojson := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/geo+json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	// Incidents answer with Link: <…/cite>; rel="cite-as" (RFC 8574), and a
	// CSV page with its next/prev links there too.
	linked := func(r map[string]any) map[string]any {
		r["headers"] = map[string]any{"Link": map[string]any{"description": `For incidents: <…/cite>; rel="cite-as" (RFC 8574), and for a CSV page its next and prev pages`, "schema": strSchema}}
		return r
	}
	jsonResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	htmlResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"text/html": map[string]any{"schema": strSchema}}}
	}
	schemaResp := func(desc, schema string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + schema}}}}
	}
	jsonOnly := queryParam("f", "json, the only format", enumOf("json"))
	jsonOrHTML := queryParam("f", "json (the default for a client that does not ask for HTML) or html (a page for people); the Accept header chooses when f is not given",
		enumOf(formatJSON, formatHTML))
	// withHTML adds the page a browser gets to a response of JSON.
	withHTML := func(r map[string]any) map[string]any {
		r["content"].(map[string]any)["text/html"] = map[string]any{"schema": strSchema}
		return r
	}
	links := map[string]any{"type": "array", "items": map[string]any{"type": "object", "required": []string{"href", "rel"},
		"properties": map[string]any{"href": strSchema, "rel": strSchema, "type": strSchema, "title": strSchema}}}
	object := func(props map[string]any) map[string]any {
		required := make([]string, 0, len(props))
		for k := range props {
			required = append(required, k)
		}
		slices.Sort(required)
		return map[string]any{"type": "object", "required": required, "properties": props}
	}
	// title, description and intro are English; the _ko members the same in Korean ("" where an imported incident has none).
	koStr := func(what string) map[string]any {
		return map[string]any{"type": "string", "description": "The " + what + " in Korean; empty where there is none"}
	}
	storySummary := object(map[string]any{"id": strSchema, "title": strSchema, "description": strSchema, "title_ko": koStr("title"), "description_ko": koStr("description"),
		"steps": intSchema, "links": links})
	storyStep := object(map[string]any{"step": intSchema, "incident": strSchema, "title": strSchema, "intro": strSchema, "title_ko": koStr("title"), "intro_ko": koStr("introduction")})
	get := func(op map[string]any) map[string]any { return map[string]any{"get": op} }
	paths := map[string]any{
		"/": get(map[string]any{"summary": "Landing page: the map for a browser (which asks for text/html), JSON for every other client", "operationId": "getLandingPage",
			"parameters": []any{queryParam("f", "json for the OGC landing page, html for the map", enumOf("json", "html"))},
			"responses": map[string]any{"200": map[string]any{"description": "Landing page", "content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"type": "object"}}, "text/html": map[string]any{"schema": strSchema}}}, "400": errorResp}}),
		"/api": get(map[string]any{"summary": "This definition", "operationId": "getAPI", "parameters": []any{jsonOnly},
			"responses": map[string]any{"200": map[string]any{"description": "The OpenAPI 3.0 definition", "content": map[string]any{"application/vnd.oai.openapi+json;version=3.0": map[string]any{"schema": map[string]any{"type": "object"}}}}, "400": errorResp}}),
		"/conformance": get(map[string]any{"summary": "Conformance classes", "operationId": "getConformance", "parameters": []any{jsonOnly},
			"responses": map[string]any{"200": jsonResp("Conformance declaration"), "400": errorResp}}),
		"/collections": get(map[string]any{"summary": "The collections", "operationId": "getCollections", "parameters": []any{jsonOrHTML},
			"responses": map[string]any{"200": withHTML(jsonResp("Collections")), "400": errorResp}}),
		"/collections/incidents/counts": get(map[string]any{
			"summary": "How many incidents are in force on each day (or month) of a period, in all, by category and by date precision: the timeline's bar chart",
			"description": "Takes the filters of the items. The period is datetime; an open or missing end is the collection's first or last day in force " +
				"(never past the other end). An incident counts in every bin it is in force on at least one day of. Periods of up to 3660 days by day, a century by week or month.",
			"operationId": "getIncidentCounts",
			"parameters":  countParamDocs(),
			"responses":   map[string]any{"200": schemaResp("The counts, one number per bin in each series", "counts"), "400": errorResp}}),
		"/cite": get(map[string]any{"summary": "How to cite the data: a suggested citation, BibTeX, the licences and the source reports (the target of every incidents response's cite-as link)", "operationId": "getCitation",
			"parameters": []any{queryParam("f", "html (default) or json", enumOf("html", "json"))},
			"responses": map[string]any{"200": map[string]any{"description": "The citation page", "content": map[string]any{
				"text/html":        map[string]any{"schema": strSchema},
				"application/json": map[string]any{"schema": map[string]any{"type": "object"}},
			}}, "400": errorResp}}),
		"/stories": get(map[string]any{"summary": "Stories for the classroom presentation mode: the curated ones, then \"all\" (every incident in date order)", "operationId": "getStories",
			"parameters": []any{jsonOnly},
			"responses":  map[string]any{"200": schemaResp("The stories, each with its number of steps", "storyList"), "400": errorResp}}),
		"/stories/{storyId}": get(map[string]any{"summary": "One story and its steps, in order", "operationId": "getStory",
			"parameters": []any{pathParam("storyId", "The story (\"all\" is every incident, by the day it comes into force, then id)", strSchema), jsonOnly},
			"responses":  map[string]any{"200": schemaResp("The story; each step names an incident of the incidents collection", "story"), "400": errorResp, "404": errorResp}}),
		"/oembed": get(map[string]any{"summary": "oEmbed: the iframe that embeds a map view in a page", "operationId": "getOEmbed",
			"parameters": []any{
				map[string]any{"name": "url", "in": "query", "required": true, "description": "The address of a map view (/ or /embed, with its parameters)", "schema": strSchema},
				queryParam("maxwidth", "The widest the frame may be, in pixels", map[string]any{"type": "integer", "minimum": 1}),
				queryParam("maxheight", "The tallest the frame may be, in pixels", map[string]any{"type": "integer", "minimum": 1}),
				queryParam("format", "json, the only format (another is a 501)", enumOf("json")),
			},
			"responses": map[string]any{"200": jsonResp("The oEmbed rich response"), "400": errorResp, "404": errorResp, "501": errorResp}}),
		"/embed": get(map[string]any{"summary": "The map for an iframe: the same view parameters as the map, without its panels", "operationId": "getEmbed",
			"responses": map[string]any{"200": htmlResp("The embeddable map")}}),
		"/present": get(map[string]any{"summary": "The classroom presentation: a story, one incident at a time", "operationId": "getPresentation",
			"responses": map[string]any{"200": htmlResp("The presentation")}}),
		"/healthz": get(map[string]any{"summary": "Liveness and database check", "operationId": "getHealth", "responses": map[string]any{"200": jsonResp("ok"), "503": jsonResp("the database does not answer")}}),
	}
	for _, col := range catalog.All {
		self := "/collections/" + col.ID
		op := strings.ReplaceAll(col.ID, "-", "_")
		paths[self] = get(map[string]any{"summary": col.Title + ": the collection", "operationId": "describeCollection_" + op,
			"parameters": []any{jsonOrHTML}, "responses": map[string]any{"200": withHTML(jsonResp("Collection")), "400": errorResp}})
		var params []any
		for _, name := range col.ItemParams() {
			params = append(params, itemParamDoc(name, col))
		}
		itemsDesc := "A FeatureCollection with numberMatched, numberReturned and next/prev links"
		if col.ID == "incidents" {
			itemsDesc += "; also licenses, citation and attribution. An incident's title and summary are English; title_ko and summary_ko are the same in Korean, always present and empty where there is none"
		}
		paths[self+"/items"] = get(map[string]any{"summary": col.Title + ": features", "description": col.Description, "operationId": "getFeatures_" + op,
			"parameters": params, "responses": map[string]any{"200": linked(withHTML(geojson(itemsDesc))), "400": errorResp}})
		one := []any{pathParam("featureId", "The feature id", strSchema)}
		if col.Takes("simplify") {
			one = append(one, itemParamDoc("simplify", col))
		}
		paths[self+"/items/{featureId}"] = get(map[string]any{"summary": col.Title + ": one feature", "operationId": "getFeature_" + op,
			"parameters": append(one, jsonOrHTML), "responses": map[string]any{"200": linked(withHTML(geojson("A Feature"))), "400": errorResp, "404": errorResp}})
		paths[self+"/queryables"] = get(map[string]any{"summary": col.Title + ": the properties a filter can use, as JSON Schema", "operationId": "getQueryables_" + op,
			"parameters": []any{jsonOrHTML}, "responses": map[string]any{"200": withHTML(map[string]any{"description": "Queryables", "content": map[string]any{schemaType: map[string]any{"schema": map[string]any{"type": "object"}}}}), "400": errorResp}})
		paths[self+"/sortables"] = get(map[string]any{"summary": col.Title + ": the properties sortby can use, as JSON Schema", "operationId": "getSortables_" + op,
			"parameters": []any{jsonOrHTML}, "responses": map[string]any{"200": withHTML(map[string]any{"description": "Sortables", "content": map[string]any{schemaType: map[string]any{"schema": map[string]any{"type": "object"}}}}), "400": errorResp}})
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "Borderline",
			"version":     "1.0.0",
			"description": "Incidents along the North Korea–China border during the COVID-19 closure (2020–2021). OGC API – Features: Part 1 core with GeoJSON and HTML, queryables (Part 3) and sorting (Part 5).",
			"license":     map[string]any{"name": "Data: ODbL 1.0 (border), CC BY 4.0 (GeoNames), public domain (Natural Earth); see the cite page"},
		},
		"servers": []map[string]any{{"url": base}},
		"paths":   paths,
		"components": map[string]any{"schemas": map[string]any{
			"error": map[string]any{"type": "object", "required": []string{"code", "description"},
				"properties": map[string]any{"code": strSchema, "description": strSchema, "parameter": strSchema}},
			"counts":    countsSchema(intSchema, links),
			"storyList": object(map[string]any{"stories": map[string]any{"type": "array", "items": storySummary}, "links": links}),
			"story": object(map[string]any{"id": strSchema, "title": strSchema, "description": strSchema, "title_ko": koStr("title"), "description_ko": koStr("description"),
				"steps": map[string]any{"type": "array", "items": storyStep}, "links": links}),
		}},
	}
}

// countParamDocs describes the counts' parameters: the incidents' filters,
// the period and the bin.
func countParamDocs() []any {
	incidents, _ := catalog.Get("incidents")
	var out []any
	for _, name := range countParams {
		switch name {
		case "datetime":
			out = append(out, queryParam(name, "The period: a date, or an interval with .. (or nothing) for an open end. Default: the collection's temporal extent.", strSchema))
		case "bin":
			out = append(out, queryParam(name, "day (default); week: seven days from the period's first day, the last cut to the period; "+
				"or month: calendar months, the first and last cut to the period", map[string]any{"type": "string", "enum": []string{"day", "week", "month"}, "default": "day"}))
		case "f":
			out = append(out, queryParam("f", "json, the only format", enumOf("json")))
		default:
			out = append(out, itemParamDoc(name, incidents))
		}
	}
	return out
}

// countsSchema describes GET /collections/incidents/counts's answer.
func countsSchema(integer, links map[string]any) map[string]any {
	numbers := map[string]any{"type": "array", "items": integer}
	series := func(what string, codes []data.Code) map[string]any {
		props := map[string]any{}
		for _, c := range codes {
			props[c.Value] = numbers
		}
		return map[string]any{"type": "object", "properties": props, "additionalProperties": false,
			"description": "One series per " + what + ", in the code list's order, each as long as bins; a " + what + " no incident of the period has is left out."}
	}
	date := map[string]any{"type": "string", "format": "date", "nullable": true}
	byPrecision := series("date precision", data.DatePrecisions)
	cross := map[string]any{}
	for _, c := range data.Categories {
		cross[c.Value] = byPrecision
	}
	return map[string]any{"type": "object", "required": []string{"bin", "from", "to", "matched", "bins", "total", "category", "precision", "category_precision", "links"},
		"properties": map[string]any{
			"bin":       map[string]any{"type": "string", "enum": []string{"day", "week", "month"}},
			"from":      date,
			"to":        date,
			"matched":   map[string]any{"type": "integer", "description": "Incidents in force on some day of the period"},
			"bins":      map[string]any{"type": "array", "items": map[string]any{"type": "string", "format": "date"}, "description": "The first day of each bin"},
			"total":     map[string]any{"type": "array", "items": integer, "description": "Incidents in force on some day of each bin"},
			"category":  series("category", data.Categories),
			"precision": series("date precision", data.DatePrecisions),
			"category_precision": map[string]any{"type": "object", "properties": cross, "additionalProperties": false,
				"description": "For each category, its series by date precision (the two above, crossed); a category with no incident in the period is left out."},
			"links": links,
		}}
}
