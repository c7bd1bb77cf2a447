package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/borderline/borderline/catalog"
)

// The OpenAPI definition describes every query parameter the items and the
// counts take, and no other, so that generic clients see the whole API.
func TestOpenAPIListsEveryParameter(t *testing.T) {
	_, body := get(t, "/api")
	var doc struct {
		Paths map[string]struct {
			Get struct {
				Parameters []struct {
					Name string `json:"name"`
					In   string `json:"in"`
				} `json:"parameters"`
				Responses map[string]any `json:"responses"`
			} `json:"get"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"/collections/incidents/counts": countParams}
	for _, col := range catalog.All {
		want["/collections/"+col.ID+"/items"] = col.ItemParams()
	}
	for path, want := range want {
		op, ok := doc.Paths[path]
		if !ok {
			t.Errorf("%s is not in the OpenAPI definition", path)
			continue
		}
		var got []string
		for _, p := range op.Get.Parameters {
			if p.In == "query" {
				got = append(got, p.Name)
			}
		}
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("%s: the definition lists %v, the handler takes %v", path, got, want)
		}
	}
	if _, ok := doc.Components.Schemas["counts"]; !ok {
		t.Error("no schema for the counts")
	}
}

// Every route the server answers is in the definition: a route added without
// its description fails here.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, "/api")
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	// Files and redirects are not API: the front end's files, the host
	// page's script, and /favicon.ico.
	notAPI := func(path string) bool {
		return strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/vendor/") ||
			path == "/favicon.ico" || path == "/embed.js" || strings.HasSuffix(path, "/") && path != "/"
	}
	checked := 0
	for _, r := range srv.echo.Routes() {
		if r.Method != http.MethodGet || notAPI(r.Path) {
			continue
		}
		paths := []string{r.Path}
		if strings.Contains(r.Path, ":id") && strings.HasPrefix(r.Path, "/collections/") {
			paths = nil
			for _, col := range catalog.All {
				if strings.HasSuffix(r.Path, "/counts") && col.ID != "incidents" {
					continue
				}
				paths = append(paths, strings.Replace(r.Path, ":id", col.ID, 1))
			}
		}
		for _, p := range paths {
			p = strings.NewReplacer(":fid", "{featureId}", ":id", "{storyId}").Replace(p)
			if _, ok := doc.Paths[p]["get"]; !ok {
				t.Errorf("GET %s (route %s) is not in the OpenAPI definition", p, r.Path)
			}
			checked++
		}
	}
	if checked < 40 {
		t.Errorf("only %d routes checked", checked)
	}
}
