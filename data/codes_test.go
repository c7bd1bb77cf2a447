package data

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// The front end keeps its own copy of the code lists, with colours and
// letters, in static/js/categories.js. This reads that file as text and
// checks its codes (and labels, where it uses ours) against the Go lists,
// value by value and in order, so the two cannot drift apart. A list whose
// form changed so that the pattern finds nothing fails too.
func TestJavaScriptCodeListsMatch(t *testing.T) {
	src, err := os.ReadFile("../static/js/categories.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(src)
	// block is the text of `export const NAME = …;` up to its closing line.
	block := func(name string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)export const ` + name + ` = [\[{](.*?)\n[\]}];`).FindStringSubmatch(js)
		if m == nil {
			t.Fatalf("categories.js has no %s list", name)
		}
		return m[1]
	}
	pairs := func(re, text string) (keys, labels []string) {
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(text, -1) {
			keys, labels = append(keys, m[1]), append(labels, m[2])
		}
		return keys, labels
	}
	for _, tc := range []struct {
		name       string
		re         string // a code and its label
		codes      []Code
		sameLabels bool
	}{
		{"CATEGORIES", `\{ id: '([^']*)', label: '([^']*)'`, Categories, true},
		{"VERIFICATION", `(?m)^\s+(\w+): \{ label: '([^']*)'`, Verifications, true},
		{"PLACE_KINDS", `(\w+): '([^']*)'`, PlaceKinds, true},
		// The legend says the level first ("Exact: the town…"): codes only.
		{"LOCATION_PRECISION", `(\w+): '([^']*)'`, LocationPrecisions, false},
	} {
		keys, labels := pairs(tc.re, block(tc.name))
		if want := CodeValues(tc.codes); !slices.Equal(keys, want) {
			t.Errorf("%s in categories.js: %v\nthe Go list: %v", tc.name, keys, want)
			continue
		}
		if !tc.sameLabels {
			continue
		}
		for i, c := range tc.codes {
			if labels[i] != c.Label {
				t.Errorf("%s %s: categories.js says %q, Go %q", tc.name, c.Value, labels[i], c.Label)
			}
		}
	}
}
