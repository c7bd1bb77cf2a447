package cql2

import (
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Expr is a node of a parsed filter. ParseText and ParseJSON build the same
// tree for the same filter, so the compiler and the tests need not care which
// encoding a client used.
type Expr interface {
	// String renders the node as cql2-text that parses back to an equal tree.
	String() string
	expr()
}

// And is true when every argument is. Text chains such as "a AND b AND c"
// become one node with three arguments, as in the spec's JSON examples.
type And struct{ Args []Expr }

// Or is true when any argument is.
type Or struct{ Args []Expr }

// Not negates its argument. "x NOT LIKE p", "x NOT IN (…)", "x NOT BETWEEN …"
// and "x IS NOT NULL" parse to Not around the positive predicate, as cql2-json
// spells them.
type Not struct{ Arg Expr }

// Compare is a binary comparison; Op is one of = <> < <= > >=.
type Compare struct {
	Op          string
	Left, Right Expr
}

// Like matches Arg against Pattern (a *Str) with % and _ wildcards and \ as
// the escape character.
type Like struct{ Arg, Pattern Expr }

// Between is Low <= Arg <= High.
type Between struct{ Arg, Low, High Expr }

// In is true when Arg equals one of List.
type In struct {
	Arg  Expr
	List []Expr
}

// IsNull is true when Arg has no value.
type IsNull struct{ Arg Expr }

// Spatial is a spatial predicate; Op is the lower-case cql2-json name
// ("s_intersects", "s_within", …).
type Spatial struct {
	Op          string
	Left, Right Expr
}

// Temporal is a temporal predicate; Op is the lower-case cql2-json name
// ("t_intersects", "t_during", …).
type Temporal struct {
	Op          string
	Left, Right Expr
}

// Property names a queryable.
type Property struct{ Name string }

// Str is a character literal.
type Str struct{ Value string }

// Number is a numeric literal; it is always finite.
type Number struct{ Value float64 }

// Bool is TRUE or FALSE, as a literal or as a whole predicate.
type Bool struct{ Value bool }

// Date is DATE('YYYY-MM-DD'); Value is the validated text.
type Date struct{ Value string }

// Timestamp is TIMESTAMP('…Z'); Value is the validated RFC 3339 text as given.
type Timestamp struct{ Value string }

// Interval is INTERVAL(start, end). Each end is a *Date, a *Timestamp, a
// *Property or nil for the open end '..'.
type Interval struct{ Start, End Expr }

// Geom is a geometry literal. Geometry is one of orb.Point, orb.MultiPoint,
// orb.LineString, orb.MultiLineString, orb.Polygon, orb.MultiPolygon, or
// orb.Bound for BBOX(…), kept as a Bound so that the caller can hand it to an
// R*Tree as it is.
type Geom struct{ Geometry orb.Geometry }

func (*And) expr()       {}
func (*Or) expr()        {}
func (*Not) expr()       {}
func (*Compare) expr()   {}
func (*Like) expr()      {}
func (*Between) expr()   {}
func (*In) expr()        {}
func (*IsNull) expr()    {}
func (*Spatial) expr()   {}
func (*Temporal) expr()  {}
func (*Property) expr()  {}
func (*Str) expr()       {}
func (*Number) expr()    {}
func (*Bool) expr()      {}
func (*Date) expr()      {}
func (*Timestamp) expr() {}
func (*Interval) expr()  {}
func (*Geom) expr()      {}

// String output wraps every compound in parentheses so that a round trip
// never depends on precedence rules.

func (e *And) String() string { return joinArgs(e.Args, " AND ") }
func (e *Or) String() string  { return joinArgs(e.Args, " OR ") }
func (e *Not) String() string { return "NOT (" + e.Arg.String() + ")" }

func (e *Compare) String() string {
	return "(" + e.Left.String() + " " + e.Op + " " + e.Right.String() + ")"
}

func (e *Like) String() string {
	return "(" + e.Arg.String() + " LIKE " + e.Pattern.String() + ")"
}

func (e *Between) String() string {
	return "(" + e.Arg.String() + " BETWEEN " + e.Low.String() + " AND " + e.High.String() + ")"
}

func (e *In) String() string {
	return "(" + e.Arg.String() + " IN " + joinArgs(e.List, ", ") + ")"
}

func (e *IsNull) String() string { return "(" + e.Arg.String() + " IS NULL)" }

func (e *Spatial) String() string {
	return strings.ToUpper(e.Op) + "(" + e.Left.String() + ", " + e.Right.String() + ")"
}

func (e *Temporal) String() string {
	return strings.ToUpper(e.Op) + "(" + e.Left.String() + ", " + e.Right.String() + ")"
}

// Names are always quoted: a quoted name is never mistaken for a keyword.
func (e *Property) String() string { return `"` + e.Name + `"` }

// A value holding a backslash right before a quote has no cql2-text spelling,
// since the BNF reads \' as an escaped quote; String writes it regardless.
func (e *Str) String() string { return quote(e.Value) }

func (e *Number) String() string { return formatNumber(e.Value) }

func (e *Bool) String() string {
	if e.Value {
		return "TRUE"
	}
	return "FALSE"
}

func (e *Date) String() string      { return "DATE(" + quote(e.Value) + ")" }
func (e *Timestamp) String() string { return "TIMESTAMP(" + quote(e.Value) + ")" }

func (e *Interval) String() string {
	return "INTERVAL(" + intervalEnd(e.Start) + ", " + intervalEnd(e.End) + ")"
}

func intervalEnd(e Expr) string {
	switch e := e.(type) {
	case nil:
		return "'..'"
	case *Date:
		return quote(e.Value)
	case *Timestamp:
		return quote(e.Value)
	default:
		return e.String()
	}
}

func (e *Geom) String() string {
	var b strings.Builder
	switch g := e.Geometry.(type) {
	case orb.Bound:
		b.WriteString("BBOX(")
		b.WriteString(formatNumber(g.Min[0]) + ", " + formatNumber(g.Min[1]) + ", ")
		b.WriteString(formatNumber(g.Max[0]) + ", " + formatNumber(g.Max[1]) + ")")
	case orb.Point:
		b.WriteString("POINT")
		writePoints(&b, []orb.Point{g})
	case orb.MultiPoint:
		b.WriteString("MULTIPOINT")
		writeList(&b, g, func(b *strings.Builder, p orb.Point) { writePoints(b, []orb.Point{p}) })
	case orb.LineString:
		b.WriteString("LINESTRING")
		writePoints(&b, g)
	case orb.MultiLineString:
		b.WriteString("MULTILINESTRING")
		writeList(&b, g, writePoints[orb.LineString])
	case orb.Polygon:
		b.WriteString("POLYGON")
		writePolygon(&b, g)
	case orb.MultiPolygon:
		b.WriteString("MULTIPOLYGON")
		writeList(&b, g, writePolygon)
	default:
		b.WriteString("GEOMETRY()")
	}
	return b.String()
}

func writePolygon(b *strings.Builder, p orb.Polygon) { writeList(b, p, writePoints[orb.Ring]) }

func writePoints[P ~[]orb.Point](b *strings.Builder, ps P) {
	writeList(b, ps, func(b *strings.Builder, p orb.Point) {
		b.WriteString(formatNumber(p[0]) + " " + formatNumber(p[1]))
	})
}

// writeList writes items in parentheses, separated by commas: every level
// of a WKT geometry.
func writeList[T any](b *strings.Builder, items []T, each func(*strings.Builder, T)) {
	b.WriteString("(")
	for i, x := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		each(b, x)
	}
	b.WriteString(")")
}

func joinArgs(args []Expr, sep string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	return "(" + strings.Join(parts, sep) + ")"
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
