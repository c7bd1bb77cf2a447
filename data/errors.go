package data

import (
	"fmt"
	"sort"
	"strings"
)

// FieldError is one problem in one field of an input file. Line is the CSV line
// (1 is the header); Feature is the 1-based feature index of a GeoJSON file.
type FieldError struct {
	Line    int    `json:"line,omitempty"`
	Feature int    `json:"feature,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e FieldError) Error() string {
	var where []string
	if e.Line > 0 {
		where = append(where, fmt.Sprintf("line %d", e.Line))
	}
	if e.Feature > 0 {
		where = append(where, fmt.Sprintf("feature %d", e.Feature))
	}
	if e.Field != "" {
		where = append(where, fmt.Sprintf("column %s", e.Field))
	}
	if len(where) == 0 {
		return e.Message
	}
	return strings.Join(where, ", ") + ": " + e.Message
}

// ValidationError collects every problem of a file, so that whoever fixes the
// file sees all of them at once rather than one per attempt.
type ValidationError struct {
	File   string       `json:"file"`
	Errors []FieldError `json:"errors"`
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s)", e.File, len(e.Errors))
	for _, fe := range e.Errors {
		b.WriteString("\n  ")
		b.WriteString(fe.Error())
	}
	return b.String()
}

func (e *ValidationError) add(fe FieldError) { e.Errors = append(e.Errors, fe) }

// sortByColumn orders problems by line (or feature) and then by the column's
// place in the file, which is how a person reads down and across the file.
func (e *ValidationError) sortByColumn(columns []string) {
	pos := func(f string) int {
		for i, c := range columns {
			if c == f {
				return i
			}
		}
		return len(columns)
	}
	sort.SliceStable(e.Errors, func(i, j int) bool {
		a, b := e.Errors[i], e.Errors[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Feature != b.Feature {
			return a.Feature < b.Feature
		}
		return pos(a.Field) < pos(b.Field)
	})
}

// err returns nil when nothing was added, so callers can return it directly.
func (e *ValidationError) err() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}
