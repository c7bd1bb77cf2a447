package data

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// koHeader is the header of this version's files; header (data_test.go) is
// that of a file written before the Korean columns existed.
const koHeader = "id,title,summary,title_ko,summary_ko,category,date_start,date_end,date_precision,date_inferred,date_note,place_ids,location_precision,location_note,verification,verification_note,source_ids,contradictions,research_ref\n"

// koRow is goodRow with a Korean title and summary.
func koRow(titleKO, summaryKO string) string {
	return strings.Replace(goodRow, "Summary in our words.,", "Summary in our words.,"+titleKO+","+summaryKO+",", 1)
}

func TestReadIncidentsCSVKorean(t *testing.T) {
	for _, tc := range []struct {
		name, body         string
		titleKO, summaryKO string
		omitted            bool
	}{
		{"written before the Korean columns", header + goodRow, "", "", true},
		{"with Korean", koHeader + koRow("혜산 봉쇄", "혜산이 봉쇄됐다고 한다."), "혜산 봉쇄", "혜산이 봉쇄됐다고 한다.", false},
		{"Korean left empty", koHeader + koRow("", ""), "", "", false},
		{"a title of 200 Hangul syllables (600 bytes)", koHeader + koRow(strings.Repeat("혜", MaxTitleLen), "요약."), strings.Repeat("혜", MaxTitleLen), "요약.", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadIncidentsCSV(strings.NewReader(tc.body), "in.csv", refs)
			if err != nil {
				t.Fatal(err)
			}
			if in := got[0]; in.TitleKO != tc.titleKO || in.SummaryKO != tc.summaryKO || in.KoreanOmitted != tc.omitted {
				t.Errorf("read %q / %q, omitted %v; want %q / %q, %v", in.TitleKO, in.SummaryKO, in.KoreanOmitted, tc.titleKO, tc.summaryKO, tc.omitted)
			}
		})
	}
}

func TestReadIncidentsCSVKoreanErrors(t *testing.T) {
	onlyTitleKO := strings.Replace(header, "summary,", "summary,title_ko,", 1)
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"one Korean column without the other", onlyTitleKO + strings.Replace(goodRow, "words.,", "words.,제목,", 1),
			[]string{"line 1, column summary_ko: column is missing from the header; title_ko, summary_ko may be left out only together"}},
		{"a title too long", koHeader + koRow(strings.Repeat("혜", MaxTitleLen+1), "요약."),
			[]string{"line 2, column title_ko: is 201 characters, longer than 200"}},
		{"an English title too long", koHeader + strings.Replace(koRow("제목", "요약."), "a-1,Title,", "a-1,"+strings.Repeat("t", MaxTitleLen+1)+",", 1),
			[]string{"line 2, column title: is 201 characters, longer than 200"}},
		{"a line break in a title", koHeader + koRow("\"혜산\n봉쇄\"", "요약."),
			[]string{"line 2, column title_ko: contains a control character"}},
		{"a tab in a summary", koHeader + koRow("제목", "요약\t."),
			[]string{"line 2, column summary_ko: contains a control character"}},
		{"an escape in an English summary", koHeader + strings.Replace(koRow("제목", "요약."), "Summary in", "Summary\x1b[31m in", 1),
			[]string{"line 2, column summary: contains a control character"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadIncidentsCSV(strings.NewReader(tc.body), "in.csv", refs)
			assertProblems(t, err, tc.want)
		})
	}
}

// The seed is what every reader gets: it must have its Korean columns, and
// text in them.
func TestSeedIncidentsRequireKorean(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"no Korean columns", header + goodRow, []string{"line 1, column title_ko: required column is missing", "line 1, column summary_ko: required column is missing"}},
		{"Korean left empty", koHeader + koRow("", ""), []string{"line 2, column title_ko: is required", "line 2, column summary_ko: is required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readSeedIncidentsCSV(strings.NewReader(tc.body), "incidents.csv", refs)
			assertProblems(t, err, tc.want)
		})
	}
	if _, err := readSeedIncidentsCSV(strings.NewReader(koHeader+koRow("제목", "요약이다.")), "incidents.csv", refs); err != nil {
		t.Errorf("a seed row with Korean: %v", err)
	}
}

func TestReadIncidentsGeoJSONKorean(t *testing.T) {
	const props = `"title":"T","summary":"S","category":"health","date_start":"2020-05-07","date_precision":"day",
		"date_inferred":false,"place_ids":["hyesan"],"location_precision":"near","verification":"official","source_ids":["dailynk"]`
	for _, tc := range []struct {
		name, extra string
		titleKO     string
		omitted     bool
	}{
		{"without Korean properties", ``, "", true},
		{"with them", `,"title_ko":"제목","summary_ko":"요약."`, "제목", false},
		{"with them null", `,"title_ko":null,"summary_ko":null`, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"type":"FeatureCollection","features":[{"type":"Feature","id":"g-1","geometry":null,"properties":{` + props + tc.extra + `}}]}`
			got, err := ReadIncidentsGeoJSON(strings.NewReader(body), "in.geojson", refs)
			if err != nil {
				t.Fatal(err)
			}
			if got[0].TitleKO != tc.titleKO || got[0].KoreanOmitted != tc.omitted {
				t.Errorf("title_ko %q, omitted %v; want %q, %v", got[0].TitleKO, got[0].KoreanOmitted, tc.titleKO, tc.omitted)
			}
		})
	}
}

func assertProblems(t *testing.T, err error, want []string) {
	t.Helper()
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	if len(verr.Errors) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(verr.Errors), len(want), err)
	}
	for i, w := range want {
		if !strings.Contains(verr.Errors[i].Error(), w) {
			t.Errorf("problem %d is %q, want it to contain %q", i, verr.Errors[i].Error(), w)
		}
	}
}

// koreanHedges are the words with which Korean attributes a claim to whoever
// made it: 따르면 (according to), 전했다 (relayed), 말했다 (said), 주장 (claim),
// 보도 (report), 인용 (quoting), 밝혔다 (stated), 알려졌다 (is known to), and the
// reported-speech endings -다고 한다 / -다고 했다.
var koreanHedges = regexp.MustCompile(`따르면|전했|전한|전해졌|말했|주장|보도|인용|밝혔|알려졌|다고 한다|라고 한다|다고 했|라고 했`)

func hasHangul(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) >= 0
}

// Every seed incident has a Korean title and summary, and where the English
// rests on one anonymous source or on an outlet's opinion, the Korean says
// who claims it: it may be more careful than the English, never less.
func TestSeedKoreanSaysWhoClaimsIt(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range s.Incidents {
		if !hasHangul(in.TitleKO) || !hasHangul(in.SummaryKO) {
			t.Errorf("%s: the Korean title or summary has no Korean in it: %q / %q", in.ID, in.TitleKO, in.SummaryKO)
		}
		if (in.Verification == "single_source" || in.Verification == "commentary") && !koreanHedges.MatchString(in.SummaryKO) {
			t.Errorf("%s is %s but its Korean summary states it as fact: %q", in.ID, in.Verification, in.SummaryKO)
		}
	}
	// Guard the guard: a bare claim is caught, attributed ones pass.
	if koreanHedges.MatchString("경비병이 강가에서 한 남성을 쐈다.") {
		t.Error("the Korean hedge pattern takes a bare claim for an attributed one")
	}
	for _, attributed := range []string{"소식통에 따르면 경비병이 한 남성을 쐈다.", "경비병이 한 남성을 쐈다고 소식통이 전했다.", "경비병이 한 남성을 쐈다고 한다."} {
		if !koreanHedges.MatchString(attributed) {
			t.Errorf("the Korean hedge pattern misses the attribution in %q", attributed)
		}
	}
}
