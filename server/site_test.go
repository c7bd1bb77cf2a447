package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestWriteSite(t *testing.T) {
	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	rep, err := srv.WriteSite(context.Background(), dir, SiteOptions{URL: "https://news.example/borderline/", Now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files < 50 {
		t.Errorf("only %d files", rep.Files)
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	// Every page says it is a static copy, and every address in it is one of
	// the copy's files or another site's.
	attr := regexp.MustCompile(`(?:href|src)="([^"#][^"]*)"`)
	for _, page := range []string{"index.html", "embed/index.html", "present/index.html", "cite/index.html", "data/index.html"} {
		body := read(page)
		if page != "cite/index.html" && page != "data/index.html" && !bytes.Contains(body, []byte(`<meta name="borderline-site" content="static">`)) {
			t.Errorf("%s does not say it is a static copy", page)
		}
		if bytes.Contains(body, []byte(headMarker)) || discoveryRE.Match(body) {
			t.Errorf("%s has the server's head", page)
		}
		for _, m := range attr.FindAllSubmatch(body, -1) {
			ref := string(m[1])
			if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
				continue
			}
			if strings.HasPrefix(ref, "/") {
				t.Errorf("%s: %q starts at the host's root", page, ref)
				continue
			}
			target := filepath.Join(filepath.Dir(filepath.Join(dir, page)), filepath.FromSlash(strings.Split(strings.ReplaceAll(ref, "&amp;", "&"), "?")[0]))
			if st, err := os.Stat(target); err == nil && st.IsDir() {
				target = filepath.Join(target, "index.html")
			}
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s links to %q, which is not in the copy", page, ref)
			}
		}
	}

	// The data is the API's: the same features, and the terms with the
	// address the copy will have.
	var fc struct {
		NumberMatched int               `json:"numberMatched"`
		Citation      string            `json:"citation"`
		Features      []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(read("data/incidents.json"), &fc); err != nil {
		t.Fatal(err)
	}
	api := getFC(t, "/collections/incidents/items?limit=10000")
	if len(fc.Features) != len(api.Features) || fc.NumberMatched != api.NumberMatched {
		t.Errorf("%d incidents exported, the API has %d", len(fc.Features), len(api.Features))
	}
	if !strings.Contains(fc.Citation, "https://news.example/borderline/data/incidents.geojson") {
		t.Errorf("citation %q does not name the copy's address", fc.Citation)
	}
	for _, name := range []string{"data/zones.simplify-500.json", "data/areas/ryanggang.simplify-250.json", "stories/index.json", "stories/closure.json", "stories/all.json", "cite/index.json", "embed.js",
		"vendor/leaflet/" + srv.assets.roots["vendor"].version + "/leaflet.js", "vendor/leaflet/" + srv.assets.roots["vendor"].version + "/leaflet.js.gz",
		"static/" + srv.assets.roots["static"].version + "/js/main.js", "static/" + srv.assets.roots["static"].version + "/js/main.js.gz"} {
		if b := read(name); len(b) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	if bytes.Contains(read("stories/closure.json"), []byte(`"links"`)) {
		t.Error("the exported story links to the server")
	}
	if !bytes.Contains(read("cite/index.html"), []byte("https://news.example/borderline/")) {
		t.Error("the citation page does not cite the copy's address")
	}
}

func TestWriteSiteKeepsWhatIsNotACopy(t *testing.T) {
	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("mine"), 0o644)
	if _, err := srv.WriteSite(context.Background(), dir, SiteOptions{}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("export into a folder of other files: %v", err)
	}
	if b, _ := os.ReadFile(notes); string(b) != "mine" {
		t.Error("the folder's file was touched")
	}

	// A copy is replaced; an export that fails leaves the old one whole.
	site := filepath.Join(t.TempDir(), "site")
	if _, err := srv.WriteSite(context.Background(), site, SiteOptions{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := srv.WriteSite(ctx, site, SiteOptions{}); err == nil {
		t.Fatal("a cancelled export succeeded")
	}
	if _, err := os.Stat(filepath.Join(site, "index.html")); err != nil {
		t.Errorf("the earlier copy was lost: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(site))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if _, err := srv.WriteSite(context.Background(), site, SiteOptions{URL: "news.example"}); err == nil {
		t.Error("an address without a scheme was taken")
	}
}

func TestRelativeLinks(t *testing.T) {
	for _, tc := range []struct{ file, in, want, err string }{
		{file: "index.html", in: `<link href="/static/css/app.css"><a href="/">x</a>`, want: `<link href="static/css/app.css"><a href="./">x</a>`},
		{file: "embed/index.html", in: `<script src="/vendor/leaflet/leaflet.js"></script><a href="/">x</a>`, want: `<script src="../vendor/leaflet/leaflet.js"></script><a href="../">x</a>`},
		{file: "cite/index.html", in: `<a href="/?incident=a&amp;b=c">x</a>`, want: `<a href="../?incident=a&amp;b=c">x</a>`},
		{file: "index.html", in: `<a href="/collections/incidents/items?f=csv&amp;limit=10000">`, want: `<a href="data/incidents.csv">`},
		{file: "index.html", in: `<a href="/present?story=closure">`, want: `<a href="present/?story=closure">`},
		{file: "index.html", in: `<a href="https://example.org/x">`, want: `<a href="https://example.org/x">`},
		{file: "index.html", in: `<a href="/api">`, err: "/api"},
	} {
		got, err := relativeLinks([]byte(tc.in), tc.file)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %s: error %v, want one naming %s", tc.file, tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("%s %s:\n got %s, %v\nwant %s", tc.file, tc.in, got, err, tc.want)
		}
	}
}
