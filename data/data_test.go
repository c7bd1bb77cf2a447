package data

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/geojson"
)

func TestSeedLoadsAndCrossChecks(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Incidents) < 40 {
		t.Errorf("%d incidents; the five reports hold at least 40", len(s.Incidents))
	}
	if len(s.Sources) != 5 {
		t.Errorf("%d sources, want the five reports", len(s.Sources))
	}
	cited := map[string]bool{}
	for _, in := range s.Incidents {
		for _, id := range in.SourceIDs {
			cited[id] = true
		}
		if in.Verification == "single_source" && in.VerificationNote == "" {
			t.Errorf("%s: a single-source incident should say who the source is", in.ID)
		}
		if in.DateInferred && in.DateNote == "" {
			t.Errorf("%s: an inferred date must say what the inference rests on", in.ID)
		}
	}
	for _, src := range s.Sources {
		if !cited[src.ID] {
			t.Errorf("source %s is cited by no incident", src.ID)
		}
	}
	// The zones begin with the order.
	for _, z := range s.Zones {
		if FormatDate(z.ValidFrom) != "2020-08-26" || z.Side != "KP" {
			t.Errorf("zone %s: from %s on side %s", z.ID, FormatDate(z.ValidFrom), z.Side)
		}
	}
	if len(s.Border) < 4000 {
		t.Errorf("border has %d vertices", len(s.Border))
	}
}

// The 17 reference places keep the coordinates of the checked gazetteer.
func TestPlacesMatchTheGazetteer(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := files.ReadFile("layers/gazetteer_reference.geojson")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Place{}
	for _, p := range s.Places {
		byName[p.NameEN] = p
		for _, alt := range p.AltNames {
			if _, taken := byName[alt]; !taken {
				byName[alt] = p
			}
		}
	}
	for _, f := range ref.Features {
		name := f.Properties.MustString("name", "")
		p, ok := byName[name]
		if !ok {
			t.Errorf("reference place %s is missing from places.csv", name)
			continue
		}
		pt := f.Point()
		if !p.HasPoint() || *p.Lon != pt.Lon() || *p.Lat != pt.Lat() {
			t.Errorf("%s: places.csv has a different point from the gazetteer %v", name, pt)
		}
		if p.NameKO == "" || p.NameZH == "" {
			t.Errorf("%s lacks its Korean or Chinese name", name)
		}
	}
	for _, iso := range []string{"KP-09", "KP-10", "KP-04", "KP-03"} {
		found := slices.ContainsFunc(s.Places, func(p Place) bool { return p.GeometryRef == "provinces:"+iso })
		if !found {
			t.Errorf("border province %s has no place", iso)
		}
	}
}

func TestPeriodEnd(t *testing.T) {
	d := func(s string) time.Time { t, _ := ParseDate(s); return t }
	for _, tc := range []struct{ start, precision, want string }{
		{"2020-08-26", "day", "2020-08-26"},
		{"2020-08-26", "week", "2020-09-01"},
		{"2020-02-01", "month", "2020-02-29"},
		{"2020-12-01", "month", "2020-12-31"},
		{"2020-06-01", "season", "2020-08-31"},
		{"2020-03-15", "year", "2020-12-31"},
	} {
		if got := FormatDate(PeriodEnd(d(tc.start), tc.precision)); got != tc.want {
			t.Errorf("PeriodEnd(%s, %s) = %s, want %s", tc.start, tc.precision, got, tc.want)
		}
	}
}

var refs = RefSet{Places: map[string]bool{"hyesan": true}, Sources: map[string]bool{"dailynk": true}}

const header = "id,title,summary,category,date_start,date_end,date_precision,date_inferred,date_note,place_ids,location_precision,location_note,verification,verification_note,source_ids,contradictions,research_ref\n"
const goodRow = "a-1,Title,Summary in our words.,arrests,2021-03-03,,month,yes,why,hyesan,exact,,single_source,,dailynk,,\n"

func TestReadIncidentsCSVErrors(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []string // each problem's text must contain these, in order
	}{
		{"empty file", "", []string{"empty"}},
		{"header only", header, []string{"a header but no rows"}},
		{"missing column", strings.Replace(header, ",research_ref", "", 1) + strings.TrimSuffix(goodRow, ",\n") + "\n", []string{"column research_ref: required column is missing"}},
		{"unknown column", strings.Replace(header, "research_ref", "research_ref,colour", 1), []string{"column colour: unknown column"}},
		{"wrong field count", header + "a-1,only,three\n", []string{"line 2: has 3 fields"}},
		{"bad quoting", header + `a-1,"unterminated` + "\n", []string{"line 2"}},
		{"duplicate id", header + goodRow + goodRow, []string{`line 3, column id: "a-1" is used again (first on line 2)`}},
		{"every field wrong", header + "bad id,,,riots,2021-02-30,2020-01-01,fortnight,perhaps,,atlantis,here,,rumour,,nobody,,\n", []string{
			"line 2, column id:", "line 2, column title: is required", "line 2, column summary: is required",
			"line 2, column category:", "line 2, column date_start:", "line 2, column date_precision:",
			"line 2, column date_inferred:", "line 2, column place_ids: unknown place", "line 2, column location_precision:",
			"line 2, column verification:", "line 2, column source_ids: unknown source"}},
		{"end before start", header + strings.Replace(goodRow, "2021-03-03,", "2021-03-03,2021-03-01", 1), []string{"column date_end: 2021-03-01 is before date_start"}},
		{"no sources", header + strings.Replace(goodRow, ",dailynk,", ",,", 1), []string{"source_ids: at least one source"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadIncidentsCSV(strings.NewReader(tc.body), "in.csv", refs)
			if got != nil {
				t.Errorf("returned %d incidents despite errors", len(got))
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("want *ValidationError, got %v", err)
			}
			if len(verr.Errors) != len(tc.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(verr.Errors), len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.Contains(verr.Errors[i].Error(), w) {
					t.Errorf("problem %d is %q, want it to contain %q", i, verr.Errors[i].Error(), w)
				}
			}
		})
	}
}

func TestReadIncidentsCSVAccepts(t *testing.T) {
	// The source columns a download adds are read past, in any order and
	// whatever they hold: the sources table, not the row, decides them.
	withSources := strings.TrimSuffix(header, "\n") + ",source_urls,source_outlets,source_headlines,source_published_inferred,source_published\n"
	sourceCells := `,not a url,Someone Else,"A, headline",perhaps,never` + "\n"
	for _, tc := range []struct{ name, body string }{
		{"with a BOM and a blank line", "\ufeff" + header + goodRow + "\n"},
		{"with the source columns", withSources + strings.TrimSuffix(goodRow, "\n") + sourceCells},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadIncidentsCSV(strings.NewReader(tc.body), "in.csv", refs)
			if err != nil {
				t.Fatal(err)
			}
			from, to := got[0].InForce()
			if len(got) != 1 || FormatDate(from) != "2021-03-03" || FormatDate(to) != "2021-03-31" || !got[0].DateInferred ||
				!slices.Equal(got[0].SourceIDs, []string{"dailynk"}) {
				t.Errorf("got %+v, in force %s..%s", got, FormatDate(from), FormatDate(to))
			}
		})
	}
}

// The source columns of a download describe the incident's sources, item by
// item in the order of source_ids, with an empty item for a missing URL.
func TestCSVCarriesItsSources(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	in := s.Incidents[0]
	in.SourceIDs = []string{"breitbart-2020-07-17", "amn-2020-08-30"} // Breitbart has no URL
	one := s.Incidents[1]
	one.SourceIDs = []string{"dailynk-2021-03"}
	var b strings.Builder
	if err := WriteIncidentsCSV(&b, []Incident{in, one}, s.Sources); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := append(slices.Clone(IncidentColumns), IncidentSourceColumns...); !slices.Equal(records[0], want) {
		t.Fatalf("header %v, want %v", records[0], want)
	}
	col := func(row int, name string) string { return records[row][slices.Index(records[0], name)] }
	for _, tc := range []struct {
		row        int
		name, want string
	}{
		{1, "source_ids", "breitbart-2020-07-17|amn-2020-08-30"},
		{1, "source_outlets", "Breitbart News|American Military News"},
		{1, "source_headlines", "Report: North Koreans Caught Not Wearing Masks Sentenced to Hard Labor|North Korea orders troops and police to shoot citizens who approach the Chinese border"},
		{1, "source_published", "2020-07-17|2020-08-30"},
		{1, "source_published_inferred", "yes|no"},
		{1, "source_urls", "|https://americanmilitarynews.com/2020/08/north-korea-orders-troops-and-police-to-shoot-citizens-who-approach-the-chinese-border/"},
		{2, "source_outlets", "Daily NK"},
		{2, "source_published", "2021-03-24"},
		{2, "source_urls", "https://www.dailynk.com/english/joint-task-force-cracks-down-on-users-illegal-cell-phones-hyesan/"},
	} {
		if got := col(tc.row, tc.name); got != tc.want {
			t.Errorf("row %d, %s = %q, want %q", tc.row, tc.name, got, tc.want)
		}
	}
	if err := WriteIncidentsCSV(&strings.Builder{}, []Incident{in}, s.Sources[2:]); err == nil {
		t.Error("an incident whose source is missing was written without its source columns")
	}
}

func TestReadIncidentsGeoJSON(t *testing.T) {
	good := `{"type":"Feature","id":"g-1","geometry":null,"properties":{"title":"T","summary":"S","category":"health",
		"date_start":"2020-05-07","date_end":null,"date_precision":"day","date_inferred":false,"place_ids":["hyesan"],
		"location_precision":"near","verification":"official","sources":[{"id":"dailynk","outlet":"Daily NK"}]}}`
	bad := `{"type":"Feature","properties":{"id":"g-2","title":{"x":1},"summary":"S","category":"health","date_start":"May",
		"date_precision":"day","date_inferred":"no","place_ids":"hyesan","location_precision":"near","verification":"official","source_ids":"dailynk"}}`
	got, err := ReadIncidentsGeoJSON(strings.NewReader(`{"type":"FeatureCollection","features":[`+good+`]}`), "in.geojson", refs)
	if err != nil || len(got) != 1 || got[0].ID != "g-1" || got[0].SourceIDs[0] != "dailynk" {
		t.Fatalf("good feature: %+v, %v", got, err)
	}
	_, err = ReadIncidentsGeoJSON(strings.NewReader(`{"type":"FeatureCollection","features":[`+good+","+bad+`]}`), "in.geojson", refs)
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Errors) != 3 {
		t.Fatalf("want 3 problems in feature 2, got %v", err)
	}
	for _, fe := range verr.Errors {
		if fe.Feature != 2 {
			t.Errorf("problem placed in feature %d: %v", fe.Feature, fe)
		}
	}
	for _, body := range []string{`[]`, `{"type":"Feature"}`, `{"type":"FeatureCollection","features":[]}`, `{`} {
		if _, err := ReadIncidentsGeoJSON(strings.NewReader(body), "x", refs); !errors.As(err, &verr) {
			t.Errorf("%s: want a validation error, got %v", body, err)
		}
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteIncidentsCSV(&b, s.Incidents, s.Sources); err != nil {
		t.Fatal(err)
	}
	back, err := ReadIncidentsCSV(strings.NewReader(b.String()), "round.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back) != fmt.Sprint(s.Incidents) {
		t.Error("incidents changed on a write/read round trip")
	}
}

// Text that a spreadsheet would run as a formula is written as text and read
// back unchanged.
func TestCSVFormulasAreDefused(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	in := s.Incidents[0]
	in.Title = `=HYPERLINK("http://example.com","click")`
	in.Summary = "+1 more arrest; -2 released; @home"
	in.DateNote = "'=already quoted"
	src := s.Sources[0]
	src.Headline = "=1+1 and other sums"
	in.SourceIDs = []string{src.ID}
	var b strings.Builder
	if err := WriteIncidentsCSV(&b, []Incident{in}, []Source{src}); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range records[1] {
		if cell != "" && strings.ContainsAny(cell[:1], "=+-@") {
			t.Errorf("cell %q would run as a formula", cell)
		}
	}
	back, err := ReadIncidentsCSV(strings.NewReader(b.String()), "formula.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if back[0].Title != in.Title || back[0].Summary != in.Summary || back[0].DateNote != in.DateNote {
		t.Errorf("read back %q / %q / %q", back[0].Title, back[0].Summary, back[0].DateNote)
	}
}

// Summaries and stories are in our own words. testdata/seed-shingles.txt
// holds hashes of every six-word run in the five source reports (not their
// text, which we do not republish); no title, summary, story description or
// step intro may contain one.
func TestSummariesAreOurOwnWords(t *testing.T) {
	f, err := os.Open("testdata/seed-shingles.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seedRuns := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			seedRuns[line] = true
		}
	}
	if len(seedRuns) < 3000 {
		t.Fatalf("only %d shingles: the file is not the five reports", len(seedRuns))
	}
	// Guard the guard: six words quoted from report 001 must be caught.
	if hits := shingles("goes within one kilometer (0.6 miles) of"); !slices.ContainsFunc(hits, func(h string) bool { return seedRuns[h] }) {
		t.Fatal("a six-word quotation from a report was not recognised")
	}
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	var texts [][2]string // where, what
	for _, in := range s.Incidents {
		texts = append(texts, [2]string{in.ID + " title", in.Title}, [2]string{in.ID + " summary", in.Summary})
	}
	texts = append(texts, [2]string{"the built-in story", AllStoryTitle + ". " + AllStoryDescription})
	for _, story := range s.Stories {
		texts = append(texts, [2]string{"story " + story.ID, story.Title}, [2]string{"story " + story.ID + " description", story.Description})
		for _, st := range story.Steps {
			where := fmt.Sprintf("story %s step %d", story.ID, st.Step)
			texts = append(texts, [2]string{where + " title", st.Title}, [2]string{where + " intro", st.Intro})
		}
	}
	for _, tx := range texts {
		for _, sh := range shingles(tx[1]) {
			if seedRuns[sh] {
				t.Errorf("%s repeats six words of a report: %q", tx[0], tx[1])
				break
			}
		}
	}
	if len(s.Stories) == 0 {
		t.Error("the seed has no stories to check")
	}
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}]+`)

// shingles hashes every run of six normalised words.
func shingles(text string) []string {
	words := wordRE.FindAllString(strings.ToLower(strings.ReplaceAll(text, "’", "'")), -1)
	var out []string
	for i := 0; i+6 <= len(words); i++ {
		sum := sha256.Sum256([]byte(strings.Join(words[i:i+6], " ")))
		out = append(out, hex.EncodeToString(sum[:8]))
	}
	return out
}

// TestWriteSeedShingles regenerates testdata/seed-shingles.txt from a folder of
// the source reports: BORDERLINE_SEEDS=/path/to/seeds go test ./data -run WriteSeedShingles
func TestWriteSeedShingles(t *testing.T) {
	dir := os.Getenv("BORDERLINE_SEEDS")
	if dir == "" {
		t.Skip("set BORDERLINE_SEEDS to the folder of source reports to regenerate testdata/seed-shingles.txt")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "0*.txt"))
	if err != nil || len(paths) != 5 {
		t.Fatalf("want the five reports in %s, got %v (%v)", dir, paths, err)
	}
	set := map[string]bool{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range shingles(string(b)) {
			set[sh] = true
		}
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := "# SHA-256 (first 8 bytes) of every run of six lower-cased words in the five source reports.\n" +
		"# Regenerate: BORDERLINE_SEEDS=<folder of the reports> go test ./data -run WriteSeedShingles\n" +
		strings.Join(keys, "\n") + "\n"
	if err := os.WriteFile("testdata/seed-shingles.txt", []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The CSV download lists outlets, headlines and URLs "|"-separated per
// incident, so a source may not carry a "|" in them.
func TestReadSourcesRejectsTheListSeparator(t *testing.T) {
	const head = "id,seed_file,outlet,original_reporter,author,headline,published,published_inferred,published_note,url\n"
	const good = "s-1,,Outlet,Reporter | desk,,Headline,2020-07-17,no,note | aside,https://example.org/a\n"
	if _, err := ReadSources(strings.NewReader(head+good), "sources.csv"); err != nil {
		t.Fatalf("a '|' outside outlet, headline and url is allowed: %v", err)
	}
	for _, tc := range []struct{ field, row string }{
		{"outlet", "s-1,,Out|let,,,Headline,2020-07-17,no,,\n"},
		{"headline", "s-1,,Outlet,,,Head | line,2020-07-17,no,,\n"},
		{"url", "s-1,,Outlet,,,Headline,2020-07-17,no,,https://example.org/a|b\n"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			_, err := ReadSources(strings.NewReader(head+tc.row), "sources.csv")
			var verr *ValidationError
			if !errors.As(err, &verr) || len(verr.Errors) != 1 || verr.Errors[0].Field != tc.field {
				t.Fatalf("want one problem in column %s, got %v", tc.field, err)
			}
		})
	}
}

func TestCitationNamesTheDataAndTheDay(t *testing.T) {
	day := time.Date(2026, 3, 4, 23, 30, 0, 0, time.FixedZone("KST", 9*3600)) // 14:30 UTC
	for _, tc := range []struct{ url, want string }{
		{"https://example.org/collections/incidents/items?datetime=2020-08-27",
			`Borderline. "Incidents along the North Korea–China border during the COVID-19 closure, 2020–2021" [data set]. https://example.org/collections/incidents/items?datetime=2020-08-27, retrieved 2026-03-04.`},
		{"", `Borderline. "Incidents along the North Korea–China border during the COVID-19 closure, 2020–2021" [data set], retrieved 2026-03-04.`},
	} {
		if got := Citation(tc.url, day); got != tc.want {
			t.Errorf("Citation(%q) =\n%s\nwant\n%s", tc.url, got, tc.want)
		}
	}
}

// The terms splice into a JSON object as members: wrapped in braces they
// decode to what they were made from.
func TestTermsMembersSplice(t *testing.T) {
	terms := NewTerms("https://example.org/", time.Now())
	m, err := terms.Members()
	if err != nil {
		t.Fatal(err)
	}
	var back Terms
	if err := json.Unmarshal([]byte(`{"type":"FeatureCollection",`+string(m)+`,"features":[]}`), &back); err != nil {
		t.Fatalf("%v: %s", err, m)
	}
	if fmt.Sprint(back) != fmt.Sprint(terms) {
		t.Errorf("read back %+v, want %+v", back, terms)
	}
	for _, l := range Licences {
		if l.Name == "" || l.AppliesTo == "" || (l.URL != "" && !strings.HasPrefix(l.URL, "https://")) {
			t.Errorf("licence %+v lacks a name or what it applies to, or has no https link", l)
		}
	}
}
