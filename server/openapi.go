package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// openAPI describes the API for generic clients (OGC API – Features asks for
// an OpenAPI 3.0 definition at the service-desc link).
func (s *Server) openAPI(c echo.Context) error {
	param := func(name, in, desc string, schema map[string]any, required bool) map[string]any {
		return map[string]any{"name": name, "in": in, "description": desc, "required": required, "schema": schema, "style": "form", "explode": false}
	}
	str := map[string]any{"type": "string"}
	collectionID := param("collectionId", "path", "The collection.", map[string]any{"type": "string", "enum": store.Collections}, true)
	simplifyParam := param("simplify", "query", "Lines and polygons only ("+strings.Join(shapeCollections, ", ")+
		"): simplify the geometry (Douglas–Peucker) with this tolerance in metres on the ground, the same in every direction, and round the coordinates to match "+
		"(5 decimals at 50 m, 4 at 100–500 m, 3 at 1–5 km). Rings that shrink below the tolerance are left out, but never a feature's last one. "+
		"Omit for full precision. Half a screen pixel is invisible: 500 for a map at zoom 6–7 (0.9–1.8 km a pixel at 41° N), 250 at zoom 8.",
		map[string]any{"type": "number", "minimum": minSimplifyM, "maximum": maxSimplifyM}, false)
	errorResp := map[string]any{"description": "Bad input or unknown id; the body names the parameter.", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/error"}}}}
	geojson := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/geo+json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	// Incidents answer with Link: <…/cite>; rel="cite-as" (RFC 8574), and a
	// CSV page with its next/prev links there too.
	linked := func(r map[string]any) map[string]any {
		r["headers"] = map[string]any{"Link": map[string]any{"description": `For incidents: <…/cite>; rel="cite-as" (RFC 8574), and for a CSV page its next and prev pages`, "schema": str}}
		return r
	}
	jsonResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	schemaResp := func(desc, schema string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + schema}}}}
	}
	jsonOnly := param("f", "query", "json, the only format", map[string]any{"type": "string", "enum": []string{"json"}}, false)
	integer := map[string]any{"type": "integer"}
	links := map[string]any{"type": "array", "items": map[string]any{"type": "object", "required": []string{"href", "rel"},
		"properties": map[string]any{"href": str, "rel": str, "type": str, "title": str}}}
	object := func(props map[string]any) map[string]any {
		required := make([]string, 0, len(props))
		for k := range props {
			required = append(required, k)
		}
		slices.Sort(required)
		return map[string]any{"type": "object", "required": required, "properties": props}
	}
	codeList := func(what string, codes []data.Code) map[string]any {
		return map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": data.CodeValues(codes)}, "description": what}
	}
	// The filters the items and the counts share.
	bboxParam := param("bbox", "query", "minLon,minLat,maxLon,maxLat in CRS84", map[string]any{"type": "array", "minItems": 4, "maxItems": 6, "items": map[string]any{"type": "number"}}, false)
	categoryParam := param("category", "query", "Incidents only: in one of these categories, comma-separated", codeList("categories", data.Categories), false)
	verificationParam := param("verification", "query", "Incidents only: verified in one of these ways, comma-separated "+
		"(single_source: one anonymous source, unverified; corroborated; official: official data or statement; commentary)",
		codeList("verification codes", data.Verifications), false)
	sourceParam := param("source", "query", "Incidents only: citing at least one of these source reports, comma-separated ids "+
		"(the sources of /cite?f=json, or an incident's properties.sources[].id). An unknown id is a 400.",
		map[string]any{"type": "array", "items": str}, false)
	placeParam := param("place", "query", "Incidents only: at least one of these places, comma-separated ids (/collections/places/items). An unknown id is a 400.",
		map[string]any{"type": "array", "items": str}, false)
	qParam := param("q", "query", "Words that must all match (at most 200 characters). Incidents: each word starts a word of the title or summary "+
		"(English or Korean), place names or source outlets and reporters (not headlines), or is another form of an English one (porter stems: "+
		"phones finds phone, arrests finds arrested; irregular forms such as shot for shoot are not found). Korean words match with their "+
		"particles: 혜산 finds 혜산에서. Places and areas: each word starts a word of "+
		"one of the names (English, Korean, Chinese, other spellings; case, accents and apostrophes ignored; a Chinese name is one word, "+
		"found from its start); a name that is the search comes first, then names that begin with it, shorter first, then the rest.", str, false)
	// title, description and intro are English; the _ko members the same in Korean ("" where an imported incident has none).
	koStr := func(what string) map[string]any {
		return map[string]any{"type": "string", "description": "The " + what + " in Korean; empty where there is none"}
	}
	storySummary := object(map[string]any{"id": str, "title": str, "description": str, "title_ko": koStr("title"), "description_ko": koStr("description"),
		"steps": integer, "links": links})
	storyStep := object(map[string]any{"step": integer, "incident": str, "title": str, "intro": str, "title_ko": koStr("title"), "intro_ko": koStr("introduction")})
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "Borderline",
			"version":     "1.0.0",
			"description": "Incidents along the North Korea–China border during the COVID-19 closure (2020–2021). OGC API – Features, Part 1 core with GeoJSON.",
			"license":     map[string]any{"name": "Data: ODbL 1.0 (border), CC BY 4.0 (GeoNames), public domain (Natural Earth); see data/README.md"},
		},
		"servers": []map[string]any{{"url": baseURL(c)}},
		"paths": map[string]any{
			"/": map[string]any{"get": map[string]any{"summary": "Landing page (the map for browsers; JSON with f=json)", "operationId": "getLandingPage",
				"parameters": []any{param("f", "query", "json for the OGC landing page", map[string]any{"type": "string", "enum": []string{"json", "html"}}, false)},
				"responses":  map[string]any{"200": jsonResp("Landing page")}}},
			"/conformance": map[string]any{"get": map[string]any{"summary": "Conformance classes", "operationId": "getConformance", "responses": map[string]any{"200": jsonResp("Conformance declaration")}}},
			"/collections": map[string]any{"get": map[string]any{"summary": "The collections", "operationId": "getCollections", "responses": map[string]any{"200": jsonResp("Collections")}}},
			"/collections/{collectionId}": map[string]any{"get": map[string]any{"summary": "One collection", "operationId": "describeCollection",
				"parameters": []any{collectionID}, "responses": map[string]any{"200": jsonResp("Collection"), "404": errorResp}}},
			"/collections/{collectionId}/items": map[string]any{"get": map[string]any{"summary": "Features of a collection", "operationId": "getFeatures",
				"parameters": []any{
					collectionID,
					bboxParam,
					param("datetime", "query", "A date (2020-08-26), date-time, or interval with .. for an open end (2020-08-01/.. ). Incidents match when the days they are in force overlap it.", str, false),
					param("limit", "query", "Features per page (default 100, capped at 10000)", map[string]any{"type": "integer", "minimum": 1, "default": defaultLimit}, false),
					param("offset", "query", "Features to skip", map[string]any{"type": "integer", "minimum": 0, "default": 0}, false),
					categoryParam,
					verificationParam,
					sourceParam,
					placeParam,
					param("kind", "query", "Places and areas only: of one of these kinds, comma-separated", codeList("kinds of place", data.PlaceKinds), false),
					qParam,
					simplifyParam,
					param("f", "query", "json (GeoJSON) or csv (incidents, the import format)", map[string]any{"type": "string", "enum": []string{"json", "csv"}}, false),
				},
				"responses": map[string]any{"200": linked(geojson("A FeatureCollection with numberMatched, numberReturned and next/prev links; for incidents also licenses, citation and attribution. An incident's title and summary are English; title_ko and summary_ko are the same in Korean, always present and empty where there is none")), "400": errorResp, "404": errorResp}}},
			"/collections/{collectionId}/items/{featureId}": map[string]any{"get": map[string]any{"summary": "One feature", "operationId": "getFeature",
				"parameters": []any{collectionID, param("featureId", "path", "The feature id", str, true), simplifyParam},
				"responses":  map[string]any{"200": linked(geojson("A Feature")), "404": errorResp}}},
			"/collections/incidents/counts": map[string]any{"get": map[string]any{
				"summary": "How many incidents are in force on each day (or month) of a period, in all, by category and by date precision: the timeline's bar chart",
				"description": "Takes the filters of the items. The period is datetime; an open or missing end is the collection's first or last day in force " +
					"(never past the other end). An incident counts in every bin it is in force on at least one day of. Periods of up to 3660 days by day, a century by week or month.",
				"operationId": "getIncidentCounts",
				"parameters": []any{
					bboxParam,
					param("datetime", "query", "The period: a date, or an interval with .. (or nothing) for an open end. Default: the collection's temporal extent.", str, false),
					categoryParam, verificationParam, sourceParam, placeParam, qParam,
					param("bin", "query", "day (default); week: seven days from the period's first day, the last cut to the period; "+
						"or month: calendar months, the first and last cut to the period", map[string]any{"type": "string", "enum": []string{"day", "week", "month"}, "default": "day"}, false),
					jsonOnly,
				},
				"responses": map[string]any{"200": schemaResp("The counts, one number per bin in each series", "counts"), "400": errorResp}}},
			"/cite": map[string]any{"get": map[string]any{"summary": "How to cite the data: a suggested citation, BibTeX, the licences and the source reports (the target of every incidents response's cite-as link)", "operationId": "getCitation",
				"parameters": []any{param("f", "query", "html (default) or json", map[string]any{"type": "string", "enum": []string{"html", "json"}}, false)},
				"responses": map[string]any{"200": map[string]any{"description": "The citation page", "content": map[string]any{
					"text/html":        map[string]any{"schema": str},
					"application/json": map[string]any{"schema": map[string]any{"type": "object"}},
				}}, "400": errorResp}}},
			"/stories": map[string]any{"get": map[string]any{"summary": "Stories for the classroom presentation mode: the curated ones, then \"all\" (every incident in date order)", "operationId": "getStories",
				"parameters": []any{jsonOnly},
				"responses":  map[string]any{"200": schemaResp("The stories, each with its number of steps", "storyList"), "400": errorResp}}},
			"/stories/{storyId}": map[string]any{"get": map[string]any{"summary": "One story and its steps, in order", "operationId": "getStory",
				"parameters": []any{param("storyId", "path", "The story (\"all\" is every incident, by the day it comes into force, then id)", str, true), jsonOnly},
				"responses":  map[string]any{"200": schemaResp("The story; each step names an incident of the incidents collection", "story"), "400": errorResp, "404": errorResp}}},
			"/healthz": map[string]any{"get": map[string]any{"summary": "Liveness and database check", "operationId": "getHealth", "responses": map[string]any{"200": jsonResp("ok"), "503": jsonResp("the database does not answer")}}},
		},
		"components": map[string]any{"schemas": map[string]any{
			"error": map[string]any{"type": "object", "required": []string{"code", "description"},
				"properties": map[string]any{"code": str, "description": str, "parameter": str}},
			"counts":    countsSchema(integer, links),
			"storyList": object(map[string]any{"stories": map[string]any{"type": "array", "items": storySummary}, "links": links}),
			"story": object(map[string]any{"id": str, "title": str, "description": str, "title_ko": koStr("title"), "description_ko": koStr("description"),
				"steps": map[string]any{"type": "array", "items": storyStep}, "links": links}),
		}},
	}
	return c.JSON(http.StatusOK, doc)
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
