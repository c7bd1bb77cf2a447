package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// The JSON of /stories and /stories/{id}, which the presentation mode reads.
type (
	storyListDoc struct {
		Stories []storySummaryDoc `json:"stories"`
		Links   []link            `json:"links,omitempty"`
	}
	// The _ko members are the same text in Korean, always present: in the
	// built-in story they are the incidents', "" where one has none.
	storySummaryDoc struct {
		ID            string `json:"id"`
		Title         string `json:"title"`
		Description   string `json:"description"`
		TitleKO       string `json:"title_ko"`
		DescriptionKO string `json:"description_ko"`
		Steps         int    `json:"steps"` // how many; /stories/{id} lists them
		Links         []link `json:"links,omitempty"`
	}
	storyDoc struct {
		ID            string         `json:"id"`
		Title         string         `json:"title"`
		Description   string         `json:"description"`
		TitleKO       string         `json:"title_ko"`
		DescriptionKO string         `json:"description_ko"`
		Steps         []storyStepDoc `json:"steps"`
		Links         []link         `json:"links,omitempty"`
	}
	storyStepDoc struct {
		Step     int    `json:"step"`
		Incident string `json:"incident"` // an id in the incidents collection
		Title    string `json:"title"`
		Intro    string `json:"intro"`
		TitleKO  string `json:"title_ko"`
		IntroKO  string `json:"intro_ko"`
	}
)

func storyURL(base, id string) string { return base + "/stories/" + url.PathEscape(id) }

func (s *Server) stories(c echo.Context) error {
	if err := onlyJSON(c, "the list of stories"); err != nil {
		return err
	}
	list, err := s.store.Stories(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, storyListDocument(list, baseURL(c)))
}

// storyListDocument is the list of stories; links are left out when base
// is empty (a static copy, whose files are found by name).
func storyListDocument(list []store.StorySummary, base string) storyListDoc {
	doc := storyListDoc{Stories: make([]storySummaryDoc, 0, len(list))}
	if base != "" {
		doc.Links = []link{{Href: base + "/stories", Rel: "self", Type: echo.MIMEApplicationJSON}}
	}
	for _, st := range list {
		sum := storySummaryDoc{ID: st.ID, Title: st.Title, Description: st.Description, TitleKO: st.TitleKO, DescriptionKO: st.DescriptionKO, Steps: st.Steps}
		if base != "" {
			sum.Links = []link{{Href: storyURL(base, st.ID), Rel: "self", Type: echo.MIMEApplicationJSON}}
		}
		doc.Stories = append(doc.Stories, sum)
	}
	return doc
}

func (s *Server) story(c echo.Context) error {
	id := c.Param("id")
	if err := onlyJSON(c, "a story"); err != nil {
		return err
	}
	st, err := s.store.Story(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("there is no story %q; see /stories", id)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, storyDocument(st, baseURL(c)))
}

// storyDocument is one story with its steps; links are left out when base is empty.
func storyDocument(st data.Story, base string) storyDoc {
	doc := storyDoc{ID: st.ID, Title: st.Title, Description: st.Description, TitleKO: st.TitleKO, DescriptionKO: st.DescriptionKO,
		Steps: make([]storyStepDoc, 0, len(st.Steps))}
	if base != "" {
		doc.Links = []link{
			{Href: storyURL(base, st.ID), Rel: "self", Type: echo.MIMEApplicationJSON},
			{Href: base + "/collections/incidents/items", Rel: "items", Type: geoJSONType},
		}
	}
	for _, step := range st.Steps {
		doc.Steps = append(doc.Steps, storyStepDoc{Step: step.Step, Incident: step.IncidentID, Title: step.Title, Intro: step.Intro,
			TitleKO: step.TitleKO, IntroKO: step.IntroKO})
	}
	return doc
}

// onlyJSON refuses every query parameter but f=json: a story comes in one
// form, and a misspelt parameter should be told, not ignored.
func onlyJSON(c echo.Context, what string) error {
	values := c.QueryParams()
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys) // name the same parameter every time
	for _, k := range keys {
		switch {
		case k != "f":
			return badParam(k, "unknown parameter; %s takes only f=json", what)
		case len(values[k]) > 1:
			return badParam(k, "given %d times; give it once", len(values[k]))
		case values[k][0] != "" && values[k][0] != "json":
			return badParam(k, "%q is not a format for %s; use json", values[k][0], what)
		}
	}
	return nil
}
