package server

import (
	"fmt"
	"net/url"
	"strings"
)

// cspBase is the Content-Security-Policy of every response but for who may
// frame it: no inline script or style and no origin but our own, except
// OpenStreetMap's tiles, which a reader may switch on.
const cspBase = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; font-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'"

// ContentSecurityPolicy is the policy of every page but the embed: only our
// own pages may frame it (the share dialog previews the embed in a frame).
const ContentSecurityPolicy = cspBase + "; frame-ancestors 'self'"

// AnyAncestor lets every site frame the embed: newsrooms embed it without
// asking first, as they do Datawrapper or YouTube.
const AnyAncestor = "*"

// ParseFrameAncestors reads the origins allowed to frame /embed, separated by
// commas or spaces: "*" (any site, the default), or origins such as
// https://news.example.com, https://*.example.org or http://localhost:3000.
// Anything else is refused rather than passed into the policy, where a typo
// would silently block every newsroom.
func ParseFrameAncestors(s string) ([]string, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	if len(fields) == 0 {
		return []string{AnyAncestor}, nil
	}
	var out []string
	for _, f := range fields {
		if f == AnyAncestor {
			if len(fields) > 1 {
				return nil, fmt.Errorf("frame ancestors: %q allows every site; list origins or give * alone", AnyAncestor)
			}
			return []string{AnyAncestor}, nil
		}
		origin, err := parseOrigin(f)
		if err != nil {
			return nil, fmt.Errorf("frame ancestors: %w", err)
		}
		out = append(out, origin)
	}
	return out, nil
}

func parseOrigin(s string) (string, error) {
	// url.Parse refuses "*" in a host name; a leading "*." is a CSP wildcard
	// for the subdomains, checked with a stand-in label.
	probe := strings.Replace(s, "://*.", "://wildcard.", 1)
	u, err := url.Parse(probe)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("%q is not an origin such as https://news.example.com", s)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q has more than scheme, host and port; give the origin only, such as %s://%s", s, u.Scheme, strings.Replace(u.Host, "wildcard.", "*.", 1))
	}
	if strings.ContainsAny(u.Host, "*'; ") {
		return "", fmt.Errorf("%q: only a leading *. may stand for subdomains", s)
	}
	host := u.Host
	if probe != s {
		host = strings.Replace(host, "wildcard.", "*.", 1)
	}
	return strings.ToLower(u.Scheme + "://" + host), nil
}

// embedPolicy is the Content-Security-Policy of /embed for these ancestors.
func embedPolicy(ancestors []string) string {
	if len(ancestors) == 0 || (len(ancestors) == 1 && ancestors[0] == AnyAncestor) {
		return cspBase + "; frame-ancestors *"
	}
	// Our own pages stay allowed: the share dialog previews the embed.
	return cspBase + "; frame-ancestors 'self' " + strings.Join(ancestors, " ")
}
