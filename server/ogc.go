package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

const (
	geoJSONType = "application/geo+json"
	crs84       = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
)

// Media types of the data service's answers.
const (
	jsonType   = "application/json"
	schemaType = "application/schema+json"
	htmlType   = "text/html"
	csvType    = "text/csv"
)

// Link relations of OGC API – Features Part 3 and Part 5 (not in IANA's
// registry).
const (
	relQueryables = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
	relSortables  = "http://www.opengis.net/def/rel/ogc/1.0/sortables"
)

type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// baseURL is the scheme and host the client used, so links work behind a
// proxy that sets X-Forwarded-Proto.
func baseURL(c echo.Context) string { return requestBase(c.Request()) }

// requestBase is the scheme and host the reader used. Behind a proxy the
// scheme comes from X-Forwarded-Proto (or X-Forwarded-Ssl), but only http or
// https: the header is the client's to write, and it ends up in links.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	} else if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		p, _, _ = strings.Cut(p, ",") // a chain of proxies: the first is the reader's
		if strings.EqualFold(strings.TrimSpace(p), "https") {
			scheme = "https"
		}
	} else if strings.EqualFold(r.Header.Get("X-Forwarded-Ssl"), "on") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func encodeJSON(buf *bytes.Buffer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	buf.Write(b)
	return nil
}
