package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// The formats a resource of the data service comes in. Which ones a
// resource offers is its own (a collection's items add CSV for incidents);
// f= names one, and without it the Accept header chooses.
const (
	formatJSON = "json"
	formatHTML = "html"
	formatCSV  = "csv"
)

// allFormats in the order ties are broken: a client that accepts anything
// (OWSLib, curl, fetch() send */*) gets JSON; a browser names text/html.
var allFormats = []string{formatJSON, formatHTML, formatCSV}

// formatParam reads f=: geojson is another name for json.
func formatParam(f string) string {
	if f == "geojson" {
		return formatJSON
	}
	return f
}

// chooseFormat is the format of the answer to r among offered: f= when given
// (an unknown or unoffered one is a 400 naming what is offered), else the
// one the Accept header prefers, else the first offered.
func chooseFormat(r *http.Request, offered ...string) (string, error) {
	if f, ok := r.URL.Query()["f"]; ok {
		name := formatParam(f[0])
		if !slices.Contains(offered, name) {
			return "", badParam("f", "%q is not a format of %s; use %s", f[0], r.URL.Path, strings.Join(offered, " or "))
		}
		return name, nil
	}
	if f := acceptedFormat(r.Header.Get("Accept"), offered); f != "" {
		return f, nil
	}
	return offered[0], nil
}

// negotiateFormat is chooseFormat for a handler's request, saying in the answer
// when the Accept header chose it.
func negotiateFormat(c echo.Context, offered ...string) (string, error) {
	f, err := chooseFormat(c.Request(), offered...)
	if err == nil && len(offered) > 1 {
		varyOnAccept(c)
	}
	return f, err
}

// varyOnAccept tells caches in front (a browser's, nginx, a CDN) that the
// answer at this URL depends on Accept, as the server's own cache keeps it
// (negotiatedBy), so a browser's HTML is never served to a script. An answer
// f= chose does not depend on it.
func varyOnAccept(c echo.Context) {
	if !hasParam(c.Request().URL.RawQuery, "f") {
		c.Response().Header().Add("Vary", "Accept")
	}
}

// acceptedFormat is the format among offered that an Accept header prefers
// (RFC 9110 §12.5.1): the highest q-value, the more specific media range
// deciding for a format the header names twice, offered's order breaking
// ties; "" when it accepts none of them.
func acceptedFormat(header string, offered []string) string {
	if strings.TrimSpace(header) == "" {
		return ""
	}
	best, bestQ := "", 0
	for _, f := range offered {
		if q := formatQ(header, f); q > bestQ {
			best, bestQ = f, q
		}
	}
	return best
}

// formatQ is the q-value an Accept header gives format f: that of the most
// specific media range matching one of f's media types.
func formatQ(header, f string) int {
	q, specificity := 0, -1
	for rest := header; rest != ""; {
		var item string
		item, rest, _ = strings.Cut(rest, ",")
		mediaRange, params, _ := strings.Cut(item, ";")
		mediaRange = strings.ToLower(strings.TrimSpace(mediaRange))
		s := rangeMatches(mediaRange, f)
		if s > specificity {
			q, specificity = qValue(params), s
		}
	}
	return q
}

// rangeMatches says how specifically a media range names format f: 2 for a
// media type of f, 1 for type/*, 0 for */*, -1 for no match.
func rangeMatches(mediaRange, f string) int {
	var types []string
	switch f {
	case formatJSON:
		types = []string{"application/json", "application/geo+json", "application/schema+json", "application/vnd.oai.openapi+json"}
	case formatHTML:
		types = []string{"text/html", "application/xhtml+xml"}
	case formatCSV:
		types = []string{"text/csv"}
	}
	switch {
	case mediaRange == "*/*" || mediaRange == "*":
		return 0
	case slices.Contains(types, mediaRange):
		return 2
	}
	if main, ok := strings.CutSuffix(mediaRange, "/*"); ok {
		for _, t := range types {
			if strings.HasPrefix(t, main+"/") {
				return 1
			}
		}
	}
	return -1
}

// negotiatedBy is what of r, besides its URL, chooses the format: the
// format the Accept header prefers among all, or "" when f= names it. The
// cache keeps one answer per URL and this, so a browser and a script that
// ask for the same URL each get theirs.
func negotiatedBy(r *http.Request) string {
	if hasParam(r.URL.RawQuery, "f") {
		return ""
	}
	return acceptedFormat(r.Header.Get("Accept"), allFormats)
}

// hasParam reports whether a raw query string has the parameter name, as
// url.ParseQuery would find it, without parsing the rest: this runs on every
// cached answer.
func hasParam(rawQuery, name string) bool {
	for rest := rawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		key, _, _ := strings.Cut(pair, "=")
		if key == name {
			return true
		}
	}
	return false
}
