package data

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Story is an ordered walk through incidents for presenting the map in
// class, one step at a time.
type Story struct {
	ID          string
	Title       string
	Description string
	// TitleKO and DescriptionKO say the same in Korean.
	TitleKO       string
	DescriptionKO string
	Steps         []StoryStep // numbered 1..N, in that order
}

// StoryStep points a presentation at one incident, with a title and a short
// introduction in our own words.
type StoryStep struct {
	Step       int
	IncidentID string
	Title      string
	Intro      string
	// TitleKO and IntroKO say the same in Korean: the seed's stories have
	// them; in the built-in story they are the incident's, empty where an
	// imported incident has none.
	TitleKO string
	IntroKO string
}

// The built-in story steps through every incident, imported ones included,
// so the store computes it at query time and the seed may not define it.
const (
	AllStoryID            = "all"
	AllStoryTitle         = "Every incident in date order"
	AllStoryDescription   = "One step for each incident on the map, imported ones included, in the order they come into force."
	AllStoryTitleKO       = "모든 사건, 날짜순"
	AllStoryDescriptionKO = "지도의 모든 사건을 직접 가져온 것까지 포함해, 지도에 나타나는 날짜 순서대로 한 단계씩 보여 준다."
)

// Story text is read from the back of a classroom at 28 px on a projector:
// about 70 characters fill one line of a slide, and 320 about five lines,
// as much as a class reads before the teacher moves on. The Korean text has
// the same limits; a Hangul syllable is about twice as wide as a Latin
// letter, so a test holds the seed's Korean to the same width on the slide,
// a syllable counting as two characters.
const (
	MaxStoryTitleLen = 70
	MaxStoryTextLen  = 320
)

// Column lists of the story files, in the order they are written.
var (
	StoryColumns     = []string{"id", "title", "description", "title_ko", "description_ko"}
	StoryStepColumns = []string{"story_id", "step", "incident_id", "title", "intro", "title_ko", "intro_ko"}
)

// IncidentRefs answers whether an incident exists; story steps point at
// incidents.
type IncidentRefs interface {
	HasIncident(id string) bool
}

// ReadStories reads stories.csv: the stories without their steps.
func ReadStories(r io.Reader, name string) ([]Story, error) {
	return readRecords(r, name, StoryColumns, nil, nil, func(c fieldChecker, f map[string]string) (Story, string) {
		s := Story{
			ID:            c.id("id", f["id"]),
			Title:         c.slideTitle("title", f["title"]),
			Description:   c.slideText("description", f["description"], MaxStoryTextLen),
			TitleKO:       c.slideTitle("title_ko", f["title_ko"]),
			DescriptionKO: c.slideText("description_ko", f["description_ko"], MaxStoryTextLen),
		}
		if strings.EqualFold(s.ID, AllStoryID) {
			c.fail("id", "%q is the built-in story of every incident; choose another id", s.ID)
		}
		return s, s.ID
	})
}

// stepRow is one checked row of story_steps.csv and where it was.
type stepRow struct {
	step StoryStep
	line int
}

// ReadStorySteps reads story_steps.csv and returns stories with their steps
// attached in step order. Each step must belong to one of stories and point at
// an incident that exists; each story's steps must run 1..N with no gap or
// repeat. Like the other readers it is all-or-nothing and lists every problem.
func ReadStorySteps(r io.Reader, name string, stories []Story, incidents IncidentRefs) ([]Story, error) {
	verr := &ValidationError{File: name}
	rows := readTable(r, StoryStepColumns, nil, nil, verr)
	// A file that could not be read whole would show gaps that are not there.
	wholeFile := len(verr.Errors) == 0
	known := map[string]bool{}
	for _, s := range stories {
		known[s.ID] = true
	}
	byStory := map[string][]stepRow{}
	for _, rw := range rows {
		c := fieldChecker{verr: verr, line: rw.line}
		storyID, st := checkStep(c, rw.fields, known, incidents)
		if known[storyID] && st.Step > 0 {
			byStory[storyID] = append(byStory[storyID], stepRow{step: st, line: rw.line})
		}
	}
	if !wholeFile {
		verr.sortByColumn(StoryStepColumns)
		return nil, verr
	}
	out := make([]Story, len(stories))
	for i, s := range stories {
		s.Steps = checkSequence(verr, s.ID, byStory[s.ID])
		out[i] = s
	}
	verr.sortByColumn(StoryStepColumns)
	if err := verr.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// checkStep checks one row on its own; Step is 0 when the number is unusable.
func checkStep(c fieldChecker, f map[string]string, stories map[string]bool, incidents IncidentRefs) (string, StoryStep) {
	storyID := c.id("story_id", f["story_id"])
	st := StoryStep{
		IncidentID: c.id("incident_id", f["incident_id"]),
		Title:      c.slideTitle("title", f["title"]),
		Intro:      c.slideText("intro", f["intro"], MaxStoryTextLen),
		TitleKO:    c.slideTitle("title_ko", f["title_ko"]),
		IntroKO:    c.slideText("intro_ko", f["intro_ko"], MaxStoryTextLen),
	}
	if n, err := strconv.Atoi(f["step"]); err != nil || n < 1 {
		c.fail("step", "%q must be a whole number from 1", f["step"])
	} else {
		st.Step = n
	}
	if idPattern.MatchString(storyID) && !stories[storyID] {
		c.fail("story_id", "unknown story %q; add it to stories.csv first", storyID)
	}
	if idPattern.MatchString(st.IncidentID) && !incidents.HasIncident(st.IncidentID) {
		c.fail("incident_id", "unknown incident %q", st.IncidentID)
	}
	return storyID, st
}

// checkSequence orders one story's steps and reports repeats, gaps and a
// story with no steps at all: a presentation's step=N must mean one thing.
func checkSequence(verr *ValidationError, storyID string, rows []stepRow) []StoryStep {
	if len(rows) == 0 {
		verr.add(FieldError{Field: "story_id", Message: fmt.Sprintf("story %q has no steps; give it steps 1, 2, 3… here", storyID)})
		return nil
	}
	slices.SortStableFunc(rows, func(a, b stepRow) int { return a.step.Step - b.step.Step })
	steps := make([]StoryStep, 0, len(rows))
	prev, prevLine := 0, 0
	for _, rw := range rows {
		n := rw.step.Step
		switch {
		case n == prev:
			verr.add(FieldError{Line: rw.line, Field: "step", Message: fmt.Sprintf("step %d of story %q is given again (first on line %d)", n, storyID, prevLine)})
			continue
		case n == prev+2:
			verr.add(FieldError{Line: rw.line, Field: "step", Message: fmt.Sprintf("story %q has no step %d; steps run 1, 2, 3… with no gaps", storyID, prev+1)})
		case n > prev+2:
			verr.add(FieldError{Line: rw.line, Field: "step", Message: fmt.Sprintf("story %q has no steps %d–%d; steps run 1, 2, 3… with no gaps", storyID, prev+1, n-1)})
		}
		steps = append(steps, rw.step)
		prev, prevLine = n, rw.line
	}
	return steps
}

// slideTitle checks a title shown on a slide: required, one line, short.
func (c fieldChecker) slideTitle(field, v string) string {
	before := len(c.verr.Errors)
	c.slideText(field, v, MaxStoryTitleLen)
	if len(c.verr.Errors) == before && strings.ContainsAny(v, "\r\n") {
		c.fail(field, "must be one line")
	}
	return v
}

// slideText checks text shown on a slide: required and at most max characters.
func (c fieldChecker) slideText(field, v string, max int) string {
	before := len(c.verr.Errors)
	c.text(field, v, true)
	if n := utf8.RuneCountInString(v); len(c.verr.Errors) == before && n > max {
		c.fail(field, "is %d characters; at most %d fit on a projected slide", n, max)
	}
	return v
}
