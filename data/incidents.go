package data

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Refs answers whether a referenced place or source exists. At seed time it is
// the seed's own lists; at import time, what the database holds.
type Refs interface {
	HasPlace(id string) bool
	HasSource(id string) bool
}

// RefSet is a Refs (and an IncidentRefs) over in-memory id sets.
type RefSet struct {
	Places    map[string]bool
	Sources   map[string]bool
	Incidents map[string]bool
}

func (r RefSet) HasPlace(id string) bool    { return r.Places[id] }
func (r RefSet) HasSource(id string) bool   { return r.Sources[id] }
func (r RefSet) HasIncident(id string) bool { return r.Incidents[id] }

// ReadIncidentsCSV reads incidents in the documented columns; the source
// columns a download adds (IncidentSourceColumns) are allowed and ignored, and
// the Korean ones (IncidentKoreanColumns) may be left out or left empty. It
// is all-or-nothing: on any problem it returns no incidents and a
// *ValidationError listing every problem by line and column.
func ReadIncidentsCSV(r io.Reader, name string, refs Refs) ([]Incident, error) {
	return readIncidentsCSV(r, name, refs, importRules)
}

// readSeedIncidentsCSV reads the seed's incidents, which must all have their
// Korean title and summary: the seed is what every reader of the map gets.
func readSeedIncidentsCSV(r io.Reader, name string, refs Refs) ([]Incident, error) {
	return readIncidentsCSV(r, name, refs, seedRules)
}

// incidentRules are what an incidents file must hold beyond the common checks.
type incidentRules struct {
	optional       []string // columns the header may leave out
	koreanRequired bool
}

var (
	importRules = incidentRules{optional: IncidentKoreanColumns}
	seedRules   = incidentRules{koreanRequired: true}
)

func readIncidentsCSV(r io.Reader, name string, refs Refs, rules incidentRules) ([]Incident, error) {
	return readRecords(r, name, IncidentColumns, rules.optional, IncidentSourceColumns, func(c fieldChecker, f map[string]string) (Incident, string) {
		in := checkIncident(c, f, refs, rules.koreanRequired)
		return in, in.ID
	})
}

// checkIncident builds an incident from named fields, recording every
// problem. A Korean field missing from f (not merely empty) was not given.
func checkIncident(c fieldChecker, f map[string]string, refs Refs, koreanRequired bool) Incident {
	_, hasTitleKO := f["title_ko"]
	_, hasSummaryKO := f["summary_ko"]
	in := Incident{
		ID:                c.id("id", f["id"]),
		Title:             c.oneLine("title", f["title"], true, MaxTitleLen),
		Summary:           c.sentence("summary", f["summary"], true),
		TitleKO:           c.oneLine("title_ko", f["title_ko"], koreanRequired, MaxTitleLen),
		SummaryKO:         c.sentence("summary_ko", f["summary_ko"], koreanRequired),
		KoreanOmitted:     !hasTitleKO && !hasSummaryKO && !koreanRequired,
		Category:          c.code("category", f["category"], Categories),
		DatePrecision:     c.code("date_precision", f["date_precision"], DatePrecisions),
		DateInferred:      c.yesNo("date_inferred", f["date_inferred"]),
		DateNote:          c.text("date_note", f["date_note"], false),
		LocationPrecision: c.code("location_precision", f["location_precision"], LocationPrecisions),
		LocationNote:      c.text("location_note", f["location_note"], false),
		Verification:      c.code("verification", f["verification"], Verifications),
		VerificationNote:  c.text("verification_note", f["verification_note"], false),
		Contradictions:    c.text("contradictions", f["contradictions"], false),
		ResearchRef:       c.text("research_ref", f["research_ref"], false),
		PlaceIDs:          list(f["place_ids"]),
		SourceIDs:         list(f["source_ids"]),
	}
	var err error
	if in.DateStart, err = ParseDate(f["date_start"]); err != nil {
		c.fail("date_start", "%v", err)
	}
	if v := f["date_end"]; v != "" {
		if in.DateEnd, err = ParseDate(v); err != nil {
			c.fail("date_end", "%v", err)
		} else if !in.DateStart.IsZero() && in.DateEnd.Before(in.DateStart) {
			c.fail("date_end", "%s is before date_start %s", v, f["date_start"])
		}
	}
	if len(in.PlaceIDs) == 0 {
		c.fail("place_ids", "at least one place id is required (use north-korea for nationwide events)")
	}
	for _, id := range in.PlaceIDs {
		if refs != nil && !refs.HasPlace(id) {
			c.fail("place_ids", "unknown place %q", id)
		}
	}
	if len(in.SourceIDs) == 0 {
		c.fail("source_ids", "at least one source id is required: every incident must trace to a report")
	}
	for _, id := range in.SourceIDs {
		if refs != nil && !refs.HasSource(id) {
			c.fail("source_ids", "unknown source %q", id)
		}
	}
	return in
}

// Record is the incident as the columns of the CSV format.
func (in Incident) Record() []string {
	return []string{
		in.ID, in.Title, in.Summary, in.TitleKO, in.SummaryKO, in.Category,
		FormatDate(in.DateStart), FormatDate(in.DateEnd), in.DatePrecision, yesNo(in.DateInferred), in.DateNote,
		strings.Join(in.PlaceIDs, ListSeparator), in.LocationPrecision, in.LocationNote,
		in.Verification, in.VerificationNote, strings.Join(in.SourceIDs, ListSeparator),
		in.Contradictions, in.ResearchRef,
	}
}

// WriteIncidentsCSV writes incidents in the format ReadIncidentsCSV reads,
// followed by the IncidentSourceColumns filled from sources, which must hold
// every source the incidents cite.
func WriteIncidentsCSV(w io.Writer, incidents []Incident, sources []Source) error {
	byID := make(map[string]Source, len(sources))
	for _, s := range sources {
		byID[s.ID] = s
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append(slices.Clip(IncidentColumns), IncidentSourceColumns...)); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	for _, in := range incidents {
		cited, err := sourceCells(in, byID)
		if err != nil {
			return err
		}
		rec := append(in.Record(), cited...)
		for i := range rec {
			rec[i] = escapeFormula(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write incident %s: %w", in.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// sourceCells are the IncidentSourceColumns of one incident. Every list has
// one item per source id, an empty one where a source has no URL, so that the
// n-th items of all of them describe the same report.
func sourceCells(in Incident, sources map[string]Source) ([]string, error) {
	cols := make([][]string, len(IncidentSourceColumns))
	for _, id := range in.SourceIDs {
		s, ok := sources[id]
		if !ok {
			return nil, fmt.Errorf("write incident %s: its source %q is not among the sources given", in.ID, id)
		}
		for i, v := range []string{s.Outlet, s.Headline, s.Published, yesNo(s.PublishedInferred), s.URL} {
			cols[i] = append(cols[i], v)
		}
	}
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = strings.Join(c, ListSeparator)
	}
	return cells, nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
