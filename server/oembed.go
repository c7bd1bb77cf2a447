package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/store"
)

// oEmbed 1.0 (https://oembed.com): a CMS given the URL of a map view asks
// /oembed for the HTML that embeds it. The answer is the "rich" type: an
// iframe of /embed with the URL's state, sized within maxwidth × maxheight.

const (
	oembedWidth    = 800
	oembedCacheAge = 3600 // the view is in the URL, but its data follows imports
	// The embed's preferred height at a width (static/js/embedframe.js): a map
	// of 60 % of the width within 260–560 px, plus the timeline and credit
	// line, taller on narrow frames where they wrap. The browser test checks
	// this against the height the embed reports.
	embedMapMin, embedMapMax = 260, 560
	embedMapRatio            = 0.6
)

// embedChrome is the height of the embed's timeline and credit line at a
// width, as measured in Chromium: the phone layout up to 700 px stacks the
// date over the count and shows the time controls from 561 px; up to about
// 780 px the desktop controls take two lines, and the credit line two lines
// until about 760 px.
func embedChrome(width int) int {
	switch {
	case width <= 560:
		return 170
	case width <= 700:
		return 224
	case width < 760:
		return 284
	case width < 780:
		return 268
	default:
		return 230
	}
}

func embedHeight(width int) int {
	m := min(embedMapMax, max(embedMapMin, int(float64(width)*embedMapRatio+0.5)))
	return embedChrome(width) + m
}

type oembedResponse struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	Title        string `json:"title"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	CacheAge     int    `json:"cache_age"`
}

func (s *Server) oembed(c echo.Context) error {
	v := c.QueryParams()
	for k, vals := range v {
		switch k {
		case "url", "maxwidth", "maxheight", "format":
		default:
			return badParam(k, "unknown parameter; oEmbed takes url, maxwidth, maxheight and format")
		}
		if len(vals) > 1 {
			return badParam(k, "given %d times; give it once", len(vals))
		}
	}
	// The spec's status codes: 501 for a format we do not write, 404 for a
	// URL we have nothing for, 400 for the rest.
	if f := v.Get("format"); f != "" && f != "json" {
		return &apiError{Status: http.StatusNotImplemented, Code: "NotImplemented", Parameter: "format",
			Description: fmt.Sprintf("format: %q is not offered; this provider answers json only", f)}
	}
	raw := v.Get("url")
	if raw == "" {
		return badParam("url", "is missing; give the address of a Borderline map view, such as %s/?date=2020-08-27", baseURL(c))
	}
	target, err := url.Parse(raw)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return badParam("url", "%q is not an absolute http(s) address", raw)
	}
	if !sameHost(target.Host, c.Request().Host, target.Scheme) {
		return notFound("%s is not a page of this Borderline server (%s)", target.Host, c.Request().Host)
	}
	if !embeddable[target.Path] && target.Path != "" {
		return notFound("%s is not a map view; oEmbed answers for the map (/) and the embed (/embed)", target.Path)
	}
	width, err := dimension(v, "maxwidth", oembedWidth)
	if err != nil {
		return err
	}
	maxHeight, err := dimension(v, "maxheight", 0)
	if err != nil {
		return err
	}
	height := embedHeight(width)
	if maxHeight > 0 {
		height = min(height, maxHeight)
	}
	state := target.Query()
	title, err := s.viewTitle(c, state)
	if err != nil {
		return err
	}
	src := baseURL(c) + "/embed"
	if len(state) > 0 {
		src += "?" + state.Encode()
	}
	frame := fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" style="border:0;max-width:100%%" loading="lazy"></iframe>`,
		html.EscapeString(src), width, height, html.EscapeString(title))
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age="+strconv.Itoa(oembedCacheAge))
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return c.JSON(http.StatusOK, oembedResponse{
		Version: "1.0", Type: "rich", HTML: frame, Width: width, Height: height, Title: title,
		ProviderName: "Borderline", ProviderURL: baseURL(c) + "/", CacheAge: oembedCacheAge,
	})
}

// sameHost compares hosts as a browser would: case-insensitively, with the
// scheme's default port implied.
func sameHost(a, b, scheme string) bool {
	norm := func(h string) string {
		h = strings.ToLower(h)
		if host, port, err := net.SplitHostPort(h); err == nil && ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) {
			return host
		}
		return h
	}
	return norm(a) == norm(b)
}

// dimension reads maxwidth or maxheight: a whole number of pixels, at least 1.
// A missing value gives def; the width never goes under it for nothing.
func dimension(v url.Values, name string, def int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, badParam(name, "%q must be a whole number of pixels, at least 1", s)
	}
	if def > 0 {
		return min(def, n), nil
	}
	return n, nil
}

// viewTitle names a map view for the CMS: the selected incident, or the day.
func (s *Server) viewTitle(c echo.Context, state url.Values) (string, error) {
	const plain = "Borderline: the North Korea–China border during the COVID-19 closure, 2020–2021"
	if id := state.Get("incident"); id != "" {
		b, err := s.store.Item(c.Request().Context(), "incidents", id)
		if errors.Is(err, store.ErrNotFound) {
			return plain, nil
		}
		if err != nil {
			return "", err
		}
		var f struct {
			Properties struct {
				Title string `json:"title"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			return "", fmt.Errorf("oembed title of %s: %w", id, err)
		}
		if f.Properties.Title != "" {
			return "Borderline: " + f.Properties.Title, nil
		}
	}
	if d, err := time.Parse(time.DateOnly, state.Get("date")); err == nil {
		return "Borderline: the North Korea–China border on " + d.Format("2 January 2006"), nil
	}
	return plain, nil
}
