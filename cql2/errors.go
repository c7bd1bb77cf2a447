package cql2

import (
	"fmt"
	"strings"
)

// SyntaxError reports a filter that could not be parsed.
type SyntaxError struct {
	// Pos is the 1-based character (not byte) offset into cql2-text, or the
	// 1-based byte offset into cql2-json when the JSON itself is malformed;
	// 0 when unknown.
	Pos int
	// Path locates the offending member of cql2-json, such as
	// "args[1].args[0]"; "" for cql2-text.
	Path string
	// Msg says what was wrong, for a human.
	Msg string
}

func (e *SyntaxError) Error() string {
	switch {
	case e.Path != "":
		return fmt.Sprintf("cql2: %s at %s", e.Msg, e.Path)
	case e.Pos > 0:
		return fmt.Sprintf("cql2: %s at character %d", e.Msg, e.Pos)
	}
	return "cql2: " + e.Msg
}

// PropertyError reports a property that is not among the queryables, so the
// server can say which names would have worked.
type PropertyError struct {
	Name  string
	Known []string
}

func (e *PropertyError) Error() string {
	return fmt.Sprintf("cql2: unknown property %q; the queryables are %s", e.Name, strings.Join(e.Known, ", "))
}

// TypeError reports a value or operator that does not fit a property's type,
// such as LIKE on a number or a category that is not one of the codes.
type TypeError struct {
	Property string
	Msg      string
}

func (e *TypeError) Error() string {
	if e.Property == "" {
		return "cql2: " + e.Msg
	}
	return fmt.Sprintf("cql2: property %q: %s", e.Property, e.Msg)
}
