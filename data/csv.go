package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Column lists, in the order files are written. Readers accept any order.
var (
	SourceColumns   = []string{"id", "seed_file", "outlet", "original_reporter", "author", "headline", "published", "published_inferred", "published_note", "url"}
	PlaceColumns    = []string{"id", "kind", "name_en", "name_ko", "name_zh", "alt_names", "country", "admin1", "lon", "lat", "geometry_ref", "location_precision", "coord_source", "notes"}
	IncidentColumns = []string{"id", "title", "summary", "title_ko", "summary_ko", "category", "date_start", "date_end", "date_precision", "date_inferred", "date_note", "place_ids", "location_precision", "location_note", "verification", "verification_note", "source_ids", "contradictions", "research_ref"}
	ZoneColumns     = []string{"id", "name", "width_m", "side", "valid_from", "valid_to", "source_ids", "note"}
	// IncidentKoreanColumns may be missing from an imported file, which
	// then says nothing about the Korean text (see Incident.KoreanOmitted):
	// files written before the columns existed still import. They come
	// together, or not at all.
	IncidentKoreanColumns = []string{"title_ko", "summary_ko"}
	// IncidentSourceColumns follow IncidentColumns in a written file: the
	// details of the cited sources, each "|"-separated in the order of
	// source_ids, so a download says who reported what without a second
	// file. They come from the sources, not from the row: reading accepts
	// and ignores them, and an import cannot change a source through them.
	IncidentSourceColumns = []string{"source_outlets", "source_headlines", "source_published", "source_published_inferred", "source_urls"}
)

// MaxTextLen bounds every free-text field, so one runaway cell cannot bloat the
// database or the map's panel.
const MaxTextLen = 4000

// MaxTitleLen bounds an incident's title, in either language: a title is the
// line in the map's list, and detail belongs in the summary.
const MaxTitleLen = 200

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// row is one CSV record with its line number, read by column name.
type row struct {
	line   int
	fields map[string]string
}

// readTable reads a whole CSV file, checking the header against want; the
// columns of want that are in optional may be missing, and are then missing
// from every row's fields too; the columns in ignored may be present and are
// skipped. Problems with the file's shape (header, quoting) are reported in
// verr; the rows that could be read are returned either way so their fields
// can be checked too.
func readTable(r io.Reader, want, optional, ignored []string, verr *ValidationError) []row {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked below, with a better message
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		verr.add(FieldError{Line: 1, Message: "the file is empty; expected a header row: " + strings.Join(want, ",")})
		return nil
	}
	if err != nil {
		verr.add(csvError(err))
		return nil
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // spreadsheets add a BOM
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := index[h]; dup {
			verr.add(FieldError{Line: 1, Field: h, Message: "column appears twice in the header"})
		}
		index[h] = i
	}
	wanted := map[string]bool{}
	var present, missing []string
	for _, w := range want {
		wanted[w] = true
		if _, ok := index[w]; ok {
			present = append(present, w)
		} else {
			missing = append(missing, w)
		}
	}
	// Optional columns are left out together: with only some of them, the
	// file is neither the old format nor the new one.
	someOptional := slices.ContainsFunc(optional, func(o string) bool { return slices.Contains(present, o) })
	for _, w := range missing {
		switch {
		case !slices.Contains(optional, w):
			verr.add(FieldError{Line: 1, Field: w, Message: "required column is missing from the header"})
		case someOptional:
			verr.add(FieldError{Line: 1, Field: w, Message: "column is missing from the header; " + strings.Join(optional, ", ") + " may be left out only together"})
		}
	}
	for _, h := range header {
		if h = strings.TrimSpace(h); !wanted[h] && !slices.Contains(ignored, h) {
			verr.add(FieldError{Line: 1, Field: h, Message: "unknown column; expected: " + strings.Join(want, ",")})
		}
	}
	if len(verr.Errors) > 0 {
		return nil
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			verr.add(csvError(err))
			// encoding/csv cannot resynchronise after a quoting error.
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(pe.Err, csv.ErrFieldCount) {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			verr.add(FieldError{Line: line, Message: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(header))})
			continue
		}
		fields := make(map[string]string, len(present))
		for _, w := range present {
			fields[w] = unescapeFormula(strings.TrimSpace(rec[index[w]]))
		}
		rows = append(rows, row{line: line, fields: fields})
	}
	return rows
}

// readRecords reads a CSV file of records with ids: build checks and converts
// one row, and readRecords adds the checks every file shares (unique ids) and
// makes the result all-or-nothing.
func readRecords[T any](r io.Reader, name string, columns, optional, ignored []string, build func(c fieldChecker, f map[string]string) (T, string)) ([]T, error) {
	verr := &ValidationError{File: name}
	rows := readTable(r, columns, optional, ignored, verr)
	firstLine := map[string]int{}
	out := make([]T, 0, len(rows))
	for _, rw := range rows {
		c := fieldChecker{verr: verr, line: rw.line}
		rec, id := build(c, rw.fields)
		if first, dup := firstLine[id]; dup && id != "" {
			c.fail("id", "%q is used again (first on line %d)", id, first)
		} else {
			firstLine[id] = rw.line
		}
		out = append(out, rec)
	}
	if len(rows) == 0 && len(verr.Errors) == 0 {
		verr.add(FieldError{Line: 2, Message: "the file has a header but no rows"})
	}
	verr.sortByColumn(columns)
	if err := verr.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func csvError(err error) FieldError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return FieldError{Line: pe.Line, Message: "malformed CSV: " + pe.Err.Error()}
	}
	return FieldError{Message: "cannot read CSV: " + err.Error()}
}

// fieldChecker validates the fields of one record and records every problem.
type fieldChecker struct {
	verr    *ValidationError
	line    int
	feature int
}

func (c fieldChecker) fail(field, format string, args ...any) {
	c.verr.add(FieldError{Line: c.line, Feature: c.feature, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c fieldChecker) text(field, v string, required bool) string {
	switch {
	case required && v == "":
		c.fail(field, "is required")
	case !utf8.ValidString(v):
		c.fail(field, "is not valid UTF-8")
	case utf8.RuneCountInString(v) > MaxTextLen:
		c.fail(field, "is longer than %d characters", MaxTextLen)
	case strings.ContainsRune(v, 0):
		c.fail(field, "contains a NUL character")
	}
	return v
}

// oneLine checks text shown as one line, such as a title: no control
// characters (a tab or line break would break the list it is shown in) and
// at most max characters.
func (c fieldChecker) oneLine(field, v string, required bool, max int) string {
	before := len(c.verr.Errors)
	c.sentence(field, v, required)
	if n := utf8.RuneCountInString(v); len(c.verr.Errors) == before && n > max {
		c.fail(field, "is %d characters, longer than %d; put detail in the summary", n, max)
	}
	return v
}

// sentence checks running text shown to readers, such as a summary: text
// with no control characters.
func (c fieldChecker) sentence(field, v string, required bool) string {
	before := len(c.verr.Errors)
	c.text(field, v, required)
	if len(c.verr.Errors) == before && strings.IndexFunc(v, unicode.IsControl) >= 0 {
		c.fail(field, "contains a control character (a tab, a line break or an invisible code)")
	}
	return v
}

func (c fieldChecker) id(field, v string) string {
	if !idPattern.MatchString(v) {
		c.fail(field, "%q is not a valid id (letters, digits, '.', '_', '-'; at most 100; starting with a letter or digit)", v)
	}
	return v
}

func (c fieldChecker) code(field, v string, codes []Code) string {
	if !ValidCode(codes, v) {
		c.fail(field, "%q is not one of %s", v, strings.Join(CodeValues(codes), ", "))
	}
	return v
}

func (c fieldChecker) yesNo(field, v string) bool {
	switch strings.ToLower(v) {
	case "yes", "true":
		return true
	case "no", "false":
		return false
	}
	c.fail(field, "%q must be yes or no", v)
	return false
}

func (c fieldChecker) float(field, v string, lo, hi float64) *float64 {
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < lo || f > hi {
		c.fail(field, "%q must be a number from %g to %g", v, lo, hi)
		return nil
	}
	return &f
}

// ListSeparator separates the items of a list in one CSV cell.
const ListSeparator = "|"

// list splits a "|"-separated cell, dropping empty items.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ListSeparator) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// formulaStarts are the first characters that make a spreadsheet run a cell as
// a formula (CSV injection): a summary imported from anywhere could otherwise
// become =HYPERLINK(...) in a journalist's Excel. Written CSV puts an
// apostrophe before such a cell, which spreadsheets show as text and hide,
// and reading takes it off again, so export and import still round-trip.
const formulaStarts = "=+-@\t\r"

// needsQuote covers text that already starts with apostrophes before a
// formula character, so that reading never takes off one the text had.
func needsQuote(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && strings.ContainsRune(formulaStarts, rune(t[0]))
}

func escapeFormula(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

func unescapeFormula(s string) string {
	if strings.HasPrefix(s, "'") && needsQuote(s[1:]) {
		return s[1:]
	}
	return s
}
