package cql2

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// Type is the type of a queryable, which decides the literals it may be
// compared with and the SQL they become.
type Type int

const (
	// TypeString holds text; compared as text in SQLite's binary order.
	TypeString Type = iota + 1
	// TypeNumber holds REAL or INTEGER numbers.
	TypeNumber
	// TypeInteger holds INTEGER numbers; literals are compared numerically.
	TypeInteger
	// TypeBoolean holds 0 or 1.
	TypeBoolean
	// TypeDate holds a calendar day as 'YYYY-MM-DD' text, which orders
	// correctly as text.
	TypeDate
	// TypeGeometry is only usable in spatial predicates, which go to
	// Schema.Spatial.
	TypeGeometry
	// TypeInterval is an item's extent in time; only usable in temporal
	// predicates, which go to Schema.Temporal.
	TypeInterval
)

func (t Type) String() string {
	switch t {
	case TypeString:
		return "string"
	case TypeNumber:
		return "number"
	case TypeInteger:
		return "integer"
	case TypeBoolean:
		return "boolean"
	case TypeDate:
		return "date"
	case TypeGeometry:
		return "geometry"
	case TypeInterval:
		return "interval"
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// Queryable describes one property a filter may name.
type Queryable struct {
	Name string
	Type Type
	// Column is the SQL expression for the value, such as "i.category". It
	// is trusted SQL: it comes from the caller, never from the filter.
	// It may be "" for TypeGeometry and TypeInterval.
	Column string
	// Codes, when not empty, are the only values a TypeString property
	// holds; comparing it with any other value is an error that lists them.
	Codes []string
	// Member, when not "", makes this a property with several values per
	// item, such as the ids of an incident's places. It is SQL with one %s,
	// replaced by the predicate on one value ("= ?", "IN (?, ?)",
	// "GLOB ?", "BETWEEN ? AND ?", "IS NOT NULL"), for example
	//   i.rowid IN (SELECT incident FROM incident_place WHERE place_id %s)
	// A comparison is true when any value satisfies it; "<>" and NOT are
	// true when none does, and IS NULL when there is no value at all.
	Member string
}

// Schema is what a store tells Compile about its tables.
type Schema struct {
	Queryables []Queryable
	// Spatial compiles a spatial predicate between the geometry property
	// and a literal. op is the lower-case cql2-json name ("s_intersects"), with the
	// property always first (S_WITHIN(literal, p) arrives as s_contains).
	// g is an orb.Bound for BBOX(…), otherwise orb.Point, orb.MultiPoint,
	// orb.LineString, orb.MultiLineString, orb.Polygon or orb.MultiPolygon.
	Spatial func(property, op string, g orb.Geometry) (string, []any, error)
	// Temporal compiles a temporal predicate between an item's TypeInterval
	// property and a literal spanning the days from..to, both inclusive, as
	// days since 1970-01-01; nil is an open end ('..'). An instant literal
	// has from == to. op is the lower-case cql2-json name ("t_metby", not
	// the schema's "t_metBy") with the property first
	// (T_BEFORE(literal, p) arrives as t_after). DayRange compiles op for an
	// interval kept in two day-number columns.
	Temporal func(property, op string, from, to *int64) (string, []any, error)
}

// Compile translates a parsed filter into an SQL boolean expression for a
// WHERE clause, with every value in args as a ? parameter.
func Compile(e Expr, s Schema) (where string, args []any, err error) {
	c := &compiler{s: s, byName: make(map[string]*Queryable, len(s.Queryables))}
	for i := range s.Queryables {
		c.byName[s.Queryables[i].Name] = &s.Queryables[i]
	}
	where, err = c.pred(e)
	if err != nil {
		return "", nil, err
	}
	return where, c.args, nil
}

type compiler struct {
	s      Schema
	byName map[string]*Queryable
	args   []any
}

func (c *compiler) queryable(p *Property) (*Queryable, error) {
	if q, ok := c.byName[p.Name]; ok {
		return q, nil
	}
	known := make([]string, len(c.s.Queryables))
	for i, q := range c.s.Queryables {
		known[i] = q.Name
	}
	return nil, &PropertyError{Name: p.Name, Known: known}
}

func (c *compiler) pred(e Expr) (string, error) {
	switch e := e.(type) {
	case *And:
		return c.join(e.Args, " AND ")
	case *Or:
		return c.join(e.Args, " OR ")
	case *Not:
		s, err := c.pred(e.Arg)
		if err != nil {
			return "", err
		}
		return "NOT " + s, nil
	case *Bool:
		if e.Value {
			return "(1)", nil
		}
		return "(0)", nil
	case *Compare:
		return c.compare(e)
	case *Like:
		return c.like(e)
	case *Between:
		return c.between(e)
	case *In:
		return c.in(e)
	case *IsNull:
		return c.isNull(e)
	case *Spatial:
		return c.spatial(e)
	case *Temporal:
		return c.temporal(e)
	case nil:
		return "", &TypeError{Msg: "empty filter"}
	}
	return "", &TypeError{Msg: fmt.Sprintf("%s is a value, not a predicate", e)}
}

func (c *compiler) join(args []Expr, sep string) (string, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		s, err := c.pred(a)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return "(" + strings.Join(parts, sep) + ")", nil
}

// scalar finds a property that scalar predicates apply to: one with a
// column or members, not a geometry or an interval.
func (c *compiler) scalar(p *Property) (*Queryable, error) {
	q, err := c.queryable(p)
	if err != nil {
		return nil, err
	}
	switch q.Type {
	case TypeGeometry:
		return nil, &TypeError{Property: q.Name, Msg: "is a geometry; use it in S_INTERSECTS and the other spatial predicates"}
	case TypeInterval:
		return nil, &TypeError{Property: q.Name, Msg: "is a time interval; use it in T_INTERSECTS and the other temporal predicates"}
	}
	if q.Column == "" && q.Member == "" {
		return nil, &TypeError{Property: q.Name, Msg: "has no column to compare"}
	}
	return q, nil
}

// test applies pred ("= ?", …) to a property, through Member when it has
// several values.
func test(q *Queryable, pred string) string {
	if q.Member != "" {
		return "(" + strings.Replace(q.Member, "%s", pred, 1) + ")"
	}
	return "(" + q.Column + " " + pred + ")"
}

var mirror = map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (c *compiler) compare(e *Compare) (string, error) {
	lp, lok := e.Left.(*Property)
	rp, rok := e.Right.(*Property)
	op := e.Op
	if _, ok := mirror[op]; !ok {
		return "", &TypeError{Msg: fmt.Sprintf("unknown comparison %q", op)}
	}
	switch {
	case lok && rok:
		return c.compareProperties(op, lp, rp)
	case rok:
		lp, e = rp, &Compare{Op: mirror[op], Left: e.Right, Right: e.Left}
		op = e.Op
	case !lok:
		return "", &TypeError{Msg: fmt.Sprintf("%s compares two values; one side must be a property", e)}
	}
	q, err := c.scalar(lp)
	if err != nil {
		return "", err
	}
	if op != "=" && op != "<>" {
		if q.Type == TypeBoolean {
			return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("is a boolean, which has no order for %s", op)}
		}
		if len(q.Codes) > 0 {
			return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("is one of %s, which have no order for %s", strings.Join(q.Codes, ", "), op)}
		}
	}
	v, err := value(q, e.Right)
	if err != nil {
		return "", err
	}
	c.args = append(c.args, v)
	if q.Member != "" && op == "<>" {
		return "NOT " + test(q, "= ?"), nil
	}
	return test(q, op+" ?"), nil
}

func comparable(a, b Type) bool {
	num := func(t Type) bool { return t == TypeNumber || t == TypeInteger }
	return a == b || num(a) && num(b)
}

func (c *compiler) compareProperties(op string, l, r *Property) (string, error) {
	lq, err := c.scalar(l)
	if err != nil {
		return "", err
	}
	rq, err := c.scalar(r)
	if err != nil {
		return "", err
	}
	if lq.Member != "" || rq.Member != "" {
		return "", &TypeError{Msg: fmt.Sprintf("%q and %q cannot be compared: one has several values", lq.Name, rq.Name)}
	}
	if !comparable(lq.Type, rq.Type) {
		return "", &TypeError{Msg: fmt.Sprintf("%q (%s) and %q (%s) cannot be compared", lq.Name, lq.Type, rq.Name, rq.Type)}
	}
	return "(" + lq.Column + " " + op + " " + rq.Column + ")", nil
}

// value converts a literal to the SQL argument for a property of q's type,
// or says why it does not fit.
func value(q *Queryable, lit Expr) (any, error) {
	mismatch := func(what string) error {
		return &TypeError{Property: q.Name, Msg: fmt.Sprintf("is a %s and cannot be compared with %s", q.Type, what)}
	}
	switch q.Type {
	case TypeString:
		s, ok := lit.(*Str)
		if !ok {
			return nil, mismatch(describeLit(lit))
		}
		if len(q.Codes) > 0 && !contains(q.Codes, s.Value) {
			return nil, &TypeError{Property: q.Name, Msg: fmt.Sprintf("has no value %s; its values are %s", quote(abbreviate(s.Value)), strings.Join(q.Codes, ", "))}
		}
		return s.Value, nil
	case TypeNumber, TypeInteger:
		n, ok := lit.(*Number)
		if !ok {
			return nil, mismatch(describeLit(lit))
		}
		return numArg(n.Value), nil
	case TypeBoolean:
		b, ok := lit.(*Bool)
		if !ok {
			return nil, mismatch(describeLit(lit))
		}
		if b.Value {
			return int64(1), nil
		}
		return int64(0), nil
	case TypeDate:
		switch l := lit.(type) {
		case *Date:
			return l.Value, nil
		case *Timestamp:
			// The data are dated to the day, so a timestamp stands for its
			// UTC calendar day.
			return l.Value[:10], nil
		case *Str:
			if e, msg := instantAuto(l.Value); msg == "" {
				d, _ := day(e)
				return dayText(d), nil
			}
			return nil, &TypeError{Property: q.Name, Msg: fmt.Sprintf("is a date and %s is not a date like '2021-03-01'", quote(abbreviate(l.Value)))}
		}
		return nil, mismatch(describeLit(lit))
	}
	return nil, mismatch(describeLit(lit))
}

func describeLit(e Expr) string {
	switch e := e.(type) {
	case *Str:
		return "the string " + quote(abbreviate(e.Value))
	case *Number:
		return "the number " + formatNumber(e.Value)
	case *Bool:
		return "the boolean " + e.String()
	case *Date:
		return "the date " + e.Value
	case *Timestamp:
		return "the timestamp " + e.Value
	case *Interval:
		return "an interval"
	case *Geom:
		return "a geometry"
	case *Property:
		return "the property " + e.Name
	}
	return "a predicate"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// numArg hands integral values to SQLite as integers, so that they compare
// exactly with INTEGER columns even beyond 2^53.
func numArg(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<62 {
		return int64(f)
	}
	return f
}

func (c *compiler) like(e *Like) (string, error) {
	p, ok := e.Arg.(*Property)
	if !ok {
		return "", &TypeError{Msg: fmt.Sprintf("LIKE needs a property on its left, not %s", describeLit(e.Arg))}
	}
	q, err := c.scalar(p)
	if err != nil {
		return "", err
	}
	if q.Type != TypeString {
		return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("is a %s; LIKE only matches strings", q.Type)}
	}
	pat, ok := e.Pattern.(*Str)
	if !ok {
		return "", &TypeError{Property: q.Name, Msg: "the LIKE pattern must be a string"}
	}
	g, err := likeToGlob(pat.Value)
	if err != nil {
		return "", &TypeError{Property: q.Name, Msg: err.Error()}
	}
	c.args = append(c.args, g)
	return test(q, "GLOB ?"), nil
}

// likeToGlob turns a CQL2 LIKE pattern into a SQLite GLOB pattern. GLOB is
// case-sensitive, as CQL2 LIKE is, where SQLite's LIKE folds ASCII case;
// and GLOB's ? matches one character, not one byte, as CQL2's _ does.
func likeToGlob(p string) (string, error) {
	var b strings.Builder
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch r {
		case '%':
			b.WriteByte('*')
			continue
		case '_':
			b.WriteByte('?')
			continue
		case '\\':
			if i+1 == len(rs) {
				return "", fmt.Errorf("the LIKE pattern %s ends with the escape character \\", quote(abbreviate(p)))
			}
			i++
			r = rs[i]
		}
		switch r {
		case '*', '?', '[':
			b.WriteString("[" + string(r) + "]")
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), nil
}

func (c *compiler) between(e *Between) (string, error) {
	p, ok := e.Arg.(*Property)
	if !ok {
		return "", &TypeError{Msg: fmt.Sprintf("BETWEEN needs a property on its left, not %s", describeLit(e.Arg))}
	}
	q, err := c.scalar(p)
	if err != nil {
		return "", err
	}
	switch q.Type {
	case TypeNumber, TypeInteger, TypeDate:
	default:
		return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("is a %s; BETWEEN needs a number or a date", q.Type)}
	}
	lo, err := value(q, e.Low)
	if err != nil {
		return "", err
	}
	hi, err := value(q, e.High)
	if err != nil {
		return "", err
	}
	c.args = append(c.args, lo, hi)
	return test(q, "BETWEEN ? AND ?"), nil
}

func (c *compiler) in(e *In) (string, error) {
	p, ok := e.Arg.(*Property)
	if !ok {
		return "", &TypeError{Msg: fmt.Sprintf("IN needs a property on its left, not %s", describeLit(e.Arg))}
	}
	q, err := c.scalar(p)
	if err != nil {
		return "", err
	}
	if len(e.List) == 0 {
		return "", &TypeError{Property: q.Name, Msg: "IN needs at least one value"}
	}
	marks := make([]string, len(e.List))
	for i, l := range e.List {
		v, err := value(q, l)
		if err != nil {
			return "", err
		}
		c.args = append(c.args, v)
		marks[i] = "?"
	}
	return test(q, "IN ("+strings.Join(marks, ", ")+")"), nil
}

func (c *compiler) isNull(e *IsNull) (string, error) {
	p, ok := e.Arg.(*Property)
	if !ok {
		// A literal always has a value.
		return "(0)", nil
	}
	q, err := c.queryable(p)
	if err != nil {
		return "", err
	}
	switch {
	case q.Member != "":
		return "NOT " + test(q, "IS NOT NULL"), nil
	case q.Column == "":
		return "", &TypeError{Property: q.Name, Msg: "has no column to test for NULL"}
	}
	return test(q, "IS NULL"), nil
}

var spatialConverse = map[string]string{"s_within": "s_contains", "s_contains": "s_within"}

func (c *compiler) spatial(e *Spatial) (string, error) {
	op := e.Op
	if !spatialOps[op] {
		return "", &TypeError{Msg: fmt.Sprintf("unknown spatial predicate %q", op)}
	}
	p, ok := e.Left.(*Property)
	lit := e.Right
	if !ok {
		if p, ok = e.Right.(*Property); !ok {
			return "", &TypeError{Msg: fmt.Sprintf("%s needs a geometry property as one argument", strings.ToUpper(op))}
		}
		lit = e.Left
		if conv, ok := spatialConverse[op]; ok {
			op = conv
		}
	}
	q, err := c.queryable(p)
	if err != nil {
		return "", err
	}
	if q.Type != TypeGeometry {
		return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("is a %s, not a geometry, so %s does not apply", q.Type, strings.ToUpper(op))}
	}
	g, ok := lit.(*Geom)
	if !ok {
		return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("%s compares it with %s; expected a geometry such as BBOX(…) or POLYGON((…))", strings.ToUpper(op), describeLit(lit))}
	}
	if c.s.Spatial == nil {
		return "", &TypeError{Property: q.Name, Msg: "spatial predicates are not supported here"}
	}
	sql, args, err := c.s.Spatial(q.Name, op, g.Geometry)
	if err != nil {
		return "", fmt.Errorf("cql2: %s on %q: %w", strings.ToUpper(op), q.Name, err)
	}
	c.args = append(c.args, args...)
	return "(" + sql + ")", nil
}
