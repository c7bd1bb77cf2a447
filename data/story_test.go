package data

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

const stepHeader = "story_id,step,incident_id,title,intro,title_ko,intro_ko\n"

var (
	testStories = []Story{{ID: "s1", Title: "One", Description: "The first.", TitleKO: "하나", DescriptionKO: "첫째."},
		{ID: "s2", Title: "Two", Description: "The second.", TitleKO: "둘", DescriptionKO: "둘째."}}
	testIncRefs = RefSet{Incidents: map[string]bool{"a-1": true, "a-2": true}}
)

func stepLine(story, step, incident string) string {
	return story + "," + step + "," + incident + ",A title,An intro in our words.,제목,우리 말로 쓴 소개.\n"
}

func TestReadStoryStepsErrors(t *testing.T) {
	s2 := stepLine("s2", "1", "a-2")
	cases := []struct {
		name string
		body string
		want []string // each problem's text must contain these, in order
	}{
		{"empty file", "", []string{"empty"}},
		{"missing column", strings.Replace(stepHeader, ",intro,", ",", 1), []string{"column intro: required column is missing"}},
		{"missing Korean", strings.Replace(stepHeader, ",title_ko,intro_ko", "", 1), []string{"column title_ko: required column is missing", "column intro_ko: required column is missing"}},
		{"unknown story and incident", stepHeader + stepLine("s1", "1", "a-1") + s2 + stepLine("s9", "1", "nope"),
			[]string{`line 4, column story_id: unknown story "s9"`, `line 4, column incident_id: unknown incident "nope"`}},
		{"ids that break the pattern are not also unknown", stepHeader + stepLine("s1", "1", "a-1") + s2 + stepLine("bad id", "1", "-x"),
			[]string{"line 4, column story_id: \"bad id\" is not a valid id", "line 4, column incident_id: \"-x\" is not a valid id"}},
		{"a step given twice", stepHeader + stepLine("s1", "1", "a-1") + stepLine("s1", "2", "a-1") + s2 + stepLine("s1", "2", "a-2"),
			[]string{`line 5, column step: step 2 of story "s1" is given again (first on line 3)`}},
		{"a gap", stepHeader + stepLine("s1", "1", "a-1") + stepLine("s1", "3", "a-1") + s2,
			[]string{`line 3, column step: story "s1" has no step 2;`}},
		{"a wide gap, rows out of order", stepHeader + stepLine("s1", "5", "a-1") + s2 + stepLine("s1", "1", "a-1"),
			[]string{`line 2, column step: story "s1" has no steps 2–4;`}},
		{"no step 1", stepHeader + stepLine("s1", "2", "a-1") + stepLine("s1", "3", "a-1") + s2,
			[]string{`line 2, column step: story "s1" has no step 1;`}},
		{"a story without steps", stepHeader + stepLine("s1", "1", "a-1"),
			[]string{`column story_id: story "s2" has no steps`}},
		{"step numbers that are not whole numbers from 1", stepHeader + stepLine("s1", "1", "a-1") + s2 +
			stepLine("s1", "0", "a-1") + stepLine("s1", "two", "a-1") + stepLine("s1", "1.5", "a-1"),
			[]string{"line 4, column step: \"0\" must be a whole number", "line 5, column step: \"two\"", "line 6, column step: \"1.5\""}},
		{"empty title and intro", stepHeader + stepLine("s1", "1", "a-1") + "s2,1,a-2,,,,\n",
			[]string{"line 3, column title: is required", "line 3, column intro: is required", "line 3, column title_ko: is required", "line 3, column intro_ko: is required"}},
		{"too long for a slide", stepHeader + stepLine("s1", "1", "a-1") +
			"s2,1,a-2," + strings.Repeat("é", 71) + "," + strings.Repeat("w", 321) + "," + strings.Repeat("혜", 71) + "," + strings.Repeat("산", 321) + "\n",
			[]string{"line 3, column title: is 71 characters; at most 70", "line 3, column intro: is 321 characters; at most 320",
				"line 3, column title_ko: is 71 characters; at most 70", "line 3, column intro_ko: is 321 characters; at most 320"}},
		{"a title on two lines", stepHeader + stepLine("s1", "1", "a-1") + "s2,1,a-2,\"Two\nlines\",Intro.,\"두\n줄\",소개.\n",
			[]string{"line 3, column title: must be one line", "line 3, column title_ko: must be one line"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadStorySteps(strings.NewReader(tc.body), "steps.csv", testStories, testIncRefs)
			if got != nil {
				t.Errorf("returned %d stories despite errors", len(got))
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("want *ValidationError, got %v", err)
			}
			if verr.File != "steps.csv" {
				t.Errorf("the error names file %q", verr.File)
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

// Rows may come in any order; steps come back numbered 1..N, and text of
// exactly the limits is accepted.
func TestReadStoryStepsAccepts(t *testing.T) {
	longest := "s1,2,a-2," + strings.Repeat("t", MaxStoryTitleLen) + "," + strings.Repeat("i", MaxStoryTextLen) + "," +
		strings.Repeat("제", MaxStoryTitleLen) + "," + strings.Repeat("소", MaxStoryTextLen) + "\n"
	body := "\ufeff" + stepHeader + stepLine("s2", "1", "a-1") + longest + stepLine("s1", "1", "a-1")
	got, err := ReadStorySteps(strings.NewReader(body), "steps.csv", testStories, testIncRefs)
	if err != nil {
		t.Fatal(err)
	}
	var shape []string
	for _, s := range got {
		for _, st := range s.Steps {
			shape = append(shape, s.ID+"/"+st.IncidentID)
		}
	}
	if want := []string{"s1/a-1", "s1/a-2", "s2/a-1"}; !slices.Equal(shape, want) {
		t.Errorf("stories and steps %v, want %v", shape, want)
	}
	if got[0].Steps[1].Step != 2 || got[0].Title != "One" {
		t.Errorf("story s1: %+v", got[0])
	}
}

func TestReadStoriesErrors(t *testing.T) {
	const header = "id,title,description,title_ko,description_ko\n"
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"the built-in id", header + "all,All,Everything.,모두,전부.\nALL,All,Everything.,모두,전부.\n",
			[]string{`line 2, column id: "all" is the built-in story`, `line 3, column id: "ALL" is the built-in story`}},
		{"an id used twice", header + "a,A,One.,가,하나.\na,B,Two.,나,둘.\n", []string{`line 3, column id: "a" is used again`}},
		{"text missing or too long", header + "a,," + strings.Repeat("d", 321) + ",," + strings.Repeat("설", 321) + "\n",
			[]string{"line 2, column title: is required", "line 2, column description: is 321 characters",
				"line 2, column title_ko: is required", "line 2, column description_ko: is 321 characters"}},
		{"no Korean", "id,title,description\na,A,One.\n",
			[]string{"column title_ko: required column is missing", "column description_ko: required column is missing"}},
		{"no stories", header, []string{"a header but no rows"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadStories(strings.NewReader(tc.body), "stories.csv")
			var verr *ValidationError
			if !errors.As(err, &verr) || len(verr.Errors) != len(tc.want) {
				t.Fatalf("want %d problems, got %v", len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.Contains(verr.Errors[i].Error(), w) {
					t.Errorf("problem %d is %q, want it to contain %q", i, verr.Errors[i].Error(), w)
				}
			}
		})
	}
}

// hedges are the words that attribute a claim to whoever made it.
var hedges = regexp.MustCompile(`(?i)\b(reportedly|said|says|told|according to|claimed|alleged)\b`)

// The seed's stories are written for a classroom: short intros that say who
// a claim rests on, and no words of the machinery.
func TestSeedStoriesReadWellInClass(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	incidents := map[string]Incident{}
	for _, in := range s.Incidents {
		incidents[in.ID] = in
	}
	jargon := regexp.MustCompile(`_|\.csv|/|\b(id|incident_id|null)\b`)
	for _, story := range s.Stories {
		for _, text := range []string{story.Title, story.Description} {
			if jargon.MatchString(text) {
				t.Errorf("story %s: %q reads like code", story.ID, text)
			}
		}
		for _, st := range story.Steps {
			where := fmt.Sprintf("%s step %d", story.ID, st.Step)
			if n := len(wordRE.FindAllString(st.Intro, -1)); n < 20 || n > 45 {
				t.Errorf("%s: the intro has %d words, want 20–45: %q", where, n, st.Intro)
			}
			if incidents[st.IncidentID].Verification == "single_source" && !hedges.MatchString(st.Intro) {
				t.Errorf("%s rests on one anonymous source but its intro states it as fact: %q", where, st.Intro)
			}
			for _, text := range []string{st.Title, st.Intro} {
				if jargon.MatchString(text) {
					t.Errorf("%s: %q reads like code", where, text)
				}
			}
		}
	}
	// Guard the guard: a bare claim is caught, an attributed one passes.
	if hedges.MatchString("Guards shot a man at the river.") || !hedges.MatchString("Guards shot a man, a source told RFA.") {
		t.Error("the hedge pattern does not tell a bare claim from an attributed one")
	}
}

// slideWidth is how much of a slide's line text takes, in Latin letters: a
// Hangul syllable (or a Chinese or Japanese character) is set about twice
// as wide, so it counts two.
func slideWidth(s string) int {
	n := 0
	for _, r := range s {
		if unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// The Korean of the seed's stories fits the slide as the English does, and
// says who a claim rests on as the English must.
func TestSeedStoriesReadWellInKorean(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	incidents := map[string]Incident{}
	for _, in := range s.Incidents {
		incidents[in.ID] = in
	}
	type text struct {
		where, text string
		max         int
	}
	texts := []text{{"the built-in story title", AllStoryTitleKO, MaxStoryTitleLen}, {"the built-in story description", AllStoryDescriptionKO, MaxStoryTextLen}}
	for _, story := range s.Stories {
		texts = append(texts, text{story.ID + " title_ko", story.TitleKO, MaxStoryTitleLen}, text{story.ID + " description_ko", story.DescriptionKO, MaxStoryTextLen})
		for _, st := range story.Steps {
			where := fmt.Sprintf("%s step %d", story.ID, st.Step)
			texts = append(texts, text{where + " title_ko", st.TitleKO, MaxStoryTitleLen}, text{where + " intro_ko", st.IntroKO, MaxStoryTextLen})
			if v := incidents[st.IncidentID].Verification; v == "single_source" && !koreanHedges.MatchString(st.IntroKO) {
				t.Errorf("%s rests on one anonymous source but its Korean intro states it as fact: %q", where, st.IntroKO)
			}
		}
	}
	for _, tx := range texts {
		if !hasHangul(tx.text) {
			t.Errorf("%s has no Korean in it: %q", tx.where, tx.text)
		}
		if w := slideWidth(tx.text); w > tx.max {
			t.Errorf("%s is as wide as %d letters on a slide, more than %d: %q", tx.where, w, tx.max, tx.text)
		}
	}
	// Guard the guard: 36 syllables are wider than a title line.
	if slideWidth(strings.Repeat("혜", 36)) <= MaxStoryTitleLen {
		t.Error("slideWidth counts a Hangul syllable as one letter")
	}
}

// inForceFrom is the first day each seed incident is on the map.
func inForceFrom(s *Seed) map[string]string {
	starts := map[string]string{}
	for _, in := range s.Incidents {
		from, _ := in.InForce()
		starts[in.ID] = FormatDate(from)
	}
	return starts
}

// A presentation moves the map's date with each step, so the seed's stories
// never step back in time.
func TestSeedStoriesMoveForwardInTime(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	starts := inForceFrom(s)
	for _, story := range s.Stories {
		prev := ""
		for _, st := range story.Steps {
			if day := starts[st.IncidentID]; day < prev {
				t.Errorf("%s step %d (%s, in force from %s) goes back before the step ahead of it (%s)", story.ID, st.Step, st.IncidentID, day, prev)
			} else {
				prev = day
			}
		}
	}
}

// The closure story spans the closure: from January 2020 to the Hyesan
// lockdown of March 2021, in a length a lesson can hold.
func TestClosureStory(t *testing.T) {
	s, err := LoadSeed()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(s.Stories, func(st Story) bool { return st.ID == "closure" })
	if i < 0 {
		t.Fatal("the seed has no closure story")
	}
	closure := s.Stories[i]
	if n := len(closure.Steps); n < 12 || n > 20 {
		t.Fatalf("%d steps, want 12–20", n)
	}
	starts := inForceFrom(s)
	first, last := closure.Steps[0], closure.Steps[len(closure.Steps)-1]
	if !strings.HasPrefix(starts[first.IncidentID], "2020-01") {
		t.Errorf("the story starts on %s, not in January 2020", starts[first.IncidentID])
	}
	if last.IncidentID != "2021-03-03-hyesan-lockdown" {
		t.Errorf("the story ends with %s, not the Hyesan lockdown", last.IncidentID)
	}
}
