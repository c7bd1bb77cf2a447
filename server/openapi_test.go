package server

import (
	"encoding/json"
	"slices"
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
