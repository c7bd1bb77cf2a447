package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/borderline/borderline/data"
)

// allOracle is the built-in story computed in plain Go from incidents: by
// the first day in force, then id.
func allOracle(incidents []data.Incident) data.Story {
	sorted := slices.Clone(incidents)
	slices.SortFunc(sorted, func(a, b data.Incident) int {
		fa, _ := a.InForce()
		fb, _ := b.InForce()
		return cmp.Or(fa.Compare(fb), cmp.Compare(a.ID, b.ID))
	})
	st := data.Story{ID: "all", Title: data.AllStoryTitle, Description: data.AllStoryDescription,
		TitleKO: data.AllStoryTitleKO, DescriptionKO: data.AllStoryDescriptionKO}
	for i, in := range sorted {
		st.Steps = append(st.Steps, data.StoryStep{Step: i + 1, IncidentID: in.ID, Title: in.Title, Intro: in.Summary,
			TitleKO: in.TitleKO, IntroKO: in.SummaryKO})
	}
	return st
}

func seedStory(t *testing.T, id string) data.Story {
	t.Helper()
	i := slices.IndexFunc(testSeed.Stories, func(s data.Story) bool { return s.ID == id })
	if i < 0 {
		t.Fatalf("the seed has no story %s", id)
	}
	return testSeed.Stories[i]
}

// summaries is what Stories should answer for a seed and a number of incidents.
func summaries(stories []data.Story, incidents int) []StorySummary {
	var out []StorySummary
	for _, s := range stories {
		out = append(out, StorySummary{ID: s.ID, Title: s.Title, Description: s.Description, TitleKO: s.TitleKO, DescriptionKO: s.DescriptionKO, Steps: len(s.Steps)})
	}
	return append(out, StorySummary{ID: "all", Title: data.AllStoryTitle, Description: data.AllStoryDescription,
		TitleKO: data.AllStoryTitleKO, DescriptionKO: data.AllStoryDescriptionKO, Steps: incidents})
}

func TestStoriesListCuratedThenAll(t *testing.T) {
	st := openCopy(t)
	got, err := st.Stories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := summaries(testSeed.Stories, len(testSeed.Incidents)); !slices.Equal(got, want) {
		t.Errorf("stories\n%+v\nwant\n%+v", got, want)
	}
}

func TestStoryReadsBack(t *testing.T) {
	st := openCopy(t)
	for _, tc := range []struct {
		id   string
		want data.Story
		err  error
	}{
		{"closure", seedStory(t, "closure"), nil},
		{"all", allOracle(testSeed.Incidents), nil},
		{"ALL", data.Story{}, ErrNotFound},
		{"no-such-story", data.Story{}, ErrNotFound},
		{"", data.Story{}, ErrNotFound},
	} {
		t.Run(tc.id, func(t *testing.T) {
			got, err := st.Story(context.Background(), tc.id)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

// The built-in story is read from the incidents as they are now: an imported
// incident is in it at its day, before a seed incident of the same day whose
// id sorts after it, though it was written last.
func TestAllStoryFollowsImports(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	added := testSeed.Incidents[0]
	added.ID, added.Title, added.Summary = "2020-08-26-a-reader-adds", "A reader's incident", "Added by a reader."
	added.DateStart, added.DateEnd, added.DatePrecision = time.Date(2020, 8, 26, 0, 0, 0, 0, time.UTC), time.Time{}, "day"
	changed := testSeed.Incidents[5]
	changed.Title = "A reader's new title"
	if _, err := st.ImportIncidents(ctx, []data.Incident{added, changed}); err != nil {
		t.Fatal(err)
	}
	incidents := slices.Clone(testSeed.Incidents)
	incidents[5] = changed
	incidents = append(incidents, added)
	want := allOracle(incidents)
	got, err := st.Story(ctx, "all")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%+v\nwant\n%+v", got.Steps, want.Steps)
	}
	i := slices.IndexFunc(got.Steps, func(s data.StoryStep) bool { return s.IncidentID == added.ID })
	if i < 0 || i+1 >= len(got.Steps) || got.Steps[i+1].IncidentID[:10] != "2020-08-26" {
		t.Errorf("the imported incident is step %d, not before the seed's incidents of its day", i+1)
	}
	list, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last := list[len(list)-1]; last.ID != "all" || last.Steps != len(testSeed.Incidents)+1 {
		t.Errorf("the list ends with %+v, want all with %d steps", last, len(testSeed.Incidents)+1)
	}
}

// A newer seed replaces the stories: changed text, a step fewer, a new story,
// one gone. It may drop an incident the old stories used and the new ones
// do not, so the new stories must be in before the old incident goes.
func TestNewSeedReplacesStories(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	closure := seedStory(t, "closure")
	last := closure.Steps[len(closure.Steps)-1].IncidentID

	newer := *testSeed
	newer.Hash = "newer-stories"
	shorter := closure
	shorter.Title = "A shorter closure"
	shorter.Steps = closure.Steps[:len(closure.Steps)-1]
	added := data.Story{ID: "short", Title: "Two steps", Description: "A second story.", Steps: []data.StoryStep{
		{Step: 1, IncidentID: closure.Steps[0].IncidentID, Title: "First", Intro: "The first step."},
		{Step: 2, IncidentID: closure.Steps[2].IncidentID, Title: "Second", Intro: "The second step."},
	}}
	newer.Stories = []data.Story{added, shorter}
	newer.Incidents = slices.DeleteFunc(slices.Clone(testSeed.Incidents), func(in data.Incident) bool { return in.ID == last })

	res, err := st.Seed(ctx, &newer, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Removed, []string{last}) {
		t.Errorf("removed %v, want %s", res.Removed, last)
	}
	list, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := summaries(newer.Stories, len(newer.Incidents)); !slices.Equal(list, want) {
		t.Errorf("stories\n%+v\nwant\n%+v", list, want)
	}
	for _, want := range newer.Stories {
		got, err := st.Story(ctx, want.ID)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("story %s: %+v, %v\nwant %+v", want.ID, got, err, want)
		}
	}
	if count(t, st, "story_step") != len(shorter.Steps)+len(added.Steps) {
		t.Errorf("%d steps stored; the old story's steps were not all replaced", count(t, st, "story_step"))
	}
}

// The data package rejects a story whose incident is missing; should one get
// past it, the database refuses it too, and the failed seed changes nothing.
func TestSeedRefusesAStepWithoutItsIncident(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	newer := *testSeed
	newer.Hash = "dangling"
	newer.Stories = []data.Story{{ID: "dangling", Title: "Dangling", Description: "Points nowhere.", Steps: []data.StoryStep{
		{Step: 1, IncidentID: "no-such-incident", Title: "Nowhere", Intro: "No incident has this id."},
	}}}
	if _, err := st.Seed(ctx, &newer, nil); err == nil {
		t.Fatal("a story pointing at no incident was stored")
	}
	if have, err := st.HasSeed(ctx, testSeed.Hash); err != nil || !have {
		t.Errorf("the failed seed changed the seed on record (%v, %v)", have, err)
	}
	if got, err := st.Story(ctx, "closure"); err != nil || len(got.Steps) != len(seedStory(t, "closure").Steps) {
		t.Errorf("the failed seed changed the closure story: %d steps, %v", len(got.Steps), err)
	}
	if _, err := st.Story(ctx, "dangling"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the dangling story was kept: %v", err)
	}
}
