package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Publisher and Title name the dataset in a citation.
const (
	Publisher = "Borderline"
	Title     = "Incidents along the North Korea–China border during the COVID-19 closure, 2020–2021"
)

// Licence says on what terms one part of the data may be reused.
type Licence struct {
	Name string `json:"name"`
	// URL is the licence's text; empty where there is none to link to.
	URL       string `json:"url"`
	AppliesTo string `json:"applies_to"`
}

// Licences are the terms of every part of the data, as README.md and
// data/README.md state them. The project has chosen no licence for its own
// words, so the first entry says so rather than invent one.
var Licences = []Licence{
	{
		Name:      "No licence stated yet: Borderline's own words",
		AppliesTo: "The incidents as compiled: titles, summaries, dates, places, codes and notes. Cite Borderline and the original reports",
	},
	{
		Name:      "Cited, not copied: the reports remain their publishers'",
		AppliesTo: "The source reports; only their outlet, reporter, headline, date and address are given here",
	},
	{
		Name:      "Open Database License (ODbL) 1.0, © OpenStreetMap contributors",
		URL:       "https://opendatacommons.org/licenses/odbl/",
		AppliesTo: "The border line, North Korea's outline, the province outlines fitted to it, and the zones computed from them",
	},
	{
		Name:      "Public domain (Natural Earth)",
		URL:       "https://www.naturalearthdata.com/about/terms-of-use/",
		AppliesTo: "Provinces, rivers, countries and coastline",
	},
	{
		Name:      "CC BY 4.0 (GeoNames): contains data from GeoNames (geonames.org)",
		URL:       "https://creativecommons.org/licenses/by/4.0/",
		AppliesTo: "The coordinates of towns and of the sites abroad",
	},
}

// Attribution is the one line a map or a table made from the data should carry.
const Attribution = "Borderline (incident summaries in our own words, from the cited reports); " +
	"places: GeoNames, CC BY 4.0; border and outlines: © OpenStreetMap contributors, ODbL 1.0; " +
	"Natural Earth (public domain)"

// Citation is the suggested citation of the data at url (empty when the data
// has no address, as in a file written by export) as retrieved on a day.
func Citation(url string, retrieved time.Time) string {
	day := FormatDate(retrieved.UTC())
	if url == "" {
		return fmt.Sprintf(`%s. "%s" [data set], retrieved %s.`, Publisher, Title, day)
	}
	return fmt.Sprintf(`%s. "%s" [data set]. %s, retrieved %s.`, Publisher, Title, url, day)
}

// IncidentCitation is the suggested citation of one incident at its
// permalink (the map opened on it).
func IncidentCitation(title, permalink string, retrieved time.Time) string {
	return fmt.Sprintf(`%s. "%s". In "%s" [data set]. %s, retrieved %s.`, Publisher, title, Title, permalink, FormatDate(retrieved.UTC()))
}

// Terms are what a download says about its own reuse; GeoJSON files carry
// them as foreign members at the top level.
type Terms struct {
	Licenses    []Licence `json:"licenses"`
	Citation    string    `json:"citation"`
	Attribution string    `json:"attribution"`
}

// NewTerms are the terms of the data at url, retrieved on a day.
func NewTerms(url string, retrieved time.Time) Terms {
	return Terms{Licenses: Licences, Citation: Citation(url, retrieved), Attribution: Attribution}
}

// Members are the terms as the members of a JSON object without its braces,
// to splice into a FeatureCollection that is written without decoding its
// features.
func (t Terms) Members() ([]byte, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode terms: %w", err)
	}
	return bytes.TrimSuffix(bytes.TrimPrefix(b, []byte("{")), []byte("}")), nil
}
