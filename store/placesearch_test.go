package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestPlaceSearch(t *testing.T) {
	st := openCopy(t)
	for _, tc := range []struct {
		collection, q string
		want          []string // every place found, in order
	}{
		// Each of a place's names finds it: English, Korean, Chinese, other spellings.
		{"places", "Sinuiju", []string{"sinuiju"}},
		{"places", "신의주", []string{"sinuiju"}},
		{"places", "新义州", []string{"sinuiju"}},
		{"places", "新義州", []string{"sinuiju"}},
		{"places", "Dandong", []string{"dandong"}},
		{"places", "Antung", []string{"dandong"}},
		{"places", "Manpo", []string{"manpo"}},
		{"places", "Hyeson", []string{"hyesan"}},
		{"places", "혜산", []string{"hyesan"}},
		// Hangul is compared by whole syllables: 신 starts 신의주, 시 does not.
		{"places", "신", []string{"sinuiju"}},
		{"places", "시", nil},
		// Chinese has no spaces: a name is one word, found from its start.
		{"places", "新义", []string{"sinuiju"}},
		{"places", "义州", nil},
		// Accents, apostrophes and case are as a reader types them, or not.
		{"places", "P'yŏngyang", []string{"pyongyang"}},
		{"places", "pyongyang", []string{"pyongyang"}},
		{"places", "Manp’o", []string{"manpo"}},
		{"places", "GENEVE", []string{"geneva"}},
		// A name that is the search first, then names that begin with it
		// (shorter first), then places with the words elsewhere in a name.
		{"places", "Kaechon", []string{"kaechon", "kaechon-camp"}},
		{"places", "hye", []string{"hyesan", "ryanggang-hospital"}},
		{"places", "north", []string{"north-korea", "north-pyongan", "north-hamgyong", "yellow-sea-nll", "kp-cn-border"}},
		{"places", "North Korea", []string{"north-korea", "kp-cn-border"}},
		{"places", "korea border", []string{"kp-cn-border"}},
		{"places", "xyz", nil},
		// Areas are searched by the same names.
		{"areas", "Yanggang", []string{"ryanggang"}},
		{"areas", "north", []string{"north-korea", "north-pyongan", "north-hamgyong"}},
		{"areas", "Sinuiju", nil}, // a town, not an area
	} {
		t.Run(tc.collection+"/"+tc.q, func(t *testing.T) {
			page, err := st.Items(context.Background(), tc.collection, Query{Text: tc.q, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range page.Features {
				got = append(got, idOf(t, f))
			}
			if !slices.Equal(got, tc.want) || page.Matched != len(tc.want) {
				t.Errorf("found %v (matched %d), want %v", got, page.Matched, tc.want)
			}
		})
	}
}

// Every place a search finds has, for each word of the search, a name word
// that starts with it; every place it leaves out lacks one. The oracle reads
// the seed's names split at spaces and punctuation, lower-cased, for searches
// in plain letters (no accents or apostrophes to fold).
func TestPlaceSearchMatchesPlainRule(t *testing.T) {
	st := openCopy(t)
	for _, q := range []string{"n", "no", "ch", "kor", "s", "sin", "pro", "un", "y", "city", "north pyongan", "혜", "中", "中朝"} {
		var want []string
		for _, p := range testSeed.Places {
			var words []string
			for _, name := range append([]string{p.NameEN, p.NameKO, p.NameZH}, p.AltNames...) {
				words = append(words, SearchWords(strings.ToLower(strings.ReplaceAll(name, "'", "")))...)
			}
			all := true
			for _, w := range SearchWords(q) {
				all = all && slices.ContainsFunc(words, func(x string) bool { return strings.HasPrefix(x, w) })
			}
			if all {
				want = append(want, p.ID)
			}
		}
		if len(want) == 0 || len(want) == len(testSeed.Places) {
			t.Errorf("q=%q finds %d places by the plain rule; pick a search that discriminates", q, len(want))
		}
		page, err := st.Items(context.Background(), "places", Query{Text: q, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range page.Features {
			got = append(got, idOf(t, f))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("q=%q found %v\nwant %v", q, got, want)
		}
	}
}

// Places search pages like any list, and combines with kind.
func TestPlaceSearchPagesAndFilters(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	all, err := st.Items(ctx, "places", Query{Text: "n", Limit: 1000})
	if err != nil || all.Matched <= 3 { // more than a page of 3
		t.Fatalf("q=n: %d, %v", all.Matched, err)
	}
	var paged []string
	for off := 0; off < all.Matched; off += 3 {
		p, err := st.Items(ctx, "places", Query{Text: "n", Limit: 3, Offset: off})
		if err != nil || p.Matched != all.Matched {
			t.Fatalf("offset %d: %d, %v", off, p.Matched, err)
		}
		for _, f := range p.Features {
			paged = append(paged, idOf(t, f))
		}
	}
	var whole []string
	for _, f := range all.Features {
		whole = append(whole, idOf(t, f))
	}
	if !slices.Equal(paged, whole) {
		t.Errorf("pages of 3: %v\nthe whole list: %v", paged, whole)
	}
	cities, err := st.Items(ctx, "places", Query{Text: "n", Kinds: []string{"city"}, Limit: 1000})
	if err != nil || cities.Matched == 0 || cities.Matched >= all.Matched {
		t.Errorf("q=n&kind=city: %d of %d (%v)", cities.Matched, all.Matched, err)
	}
	if p, err := st.Items(ctx, "places", Query{Text: "n", Limit: 5, Offset: 1000}); err != nil || len(p.Features) != 0 || p.Matched != all.Matched {
		t.Errorf("past the end: %d features, matched %d (%v)", len(p.Features), p.Matched, err)
	}
}

func idOf(t *testing.T, feature []byte) string {
	t.Helper()
	var f struct{ ID string }
	if err := json.Unmarshal(feature, &f); err != nil {
		t.Fatal(err)
	}
	return f.ID
}
