package cql2

import (
	"fmt"
	"strings"
)

// temporalConverse gives the operator that holds with the arguments swapped.
var temporalConverse = map[string]string{
	"t_after": "t_before", "t_before": "t_after",
	"t_contains": "t_during", "t_during": "t_contains",
	"t_overlaps": "t_overlappedby", "t_overlappedby": "t_overlaps",
	"t_meets": "t_metby", "t_metby": "t_meets",
	"t_starts": "t_startedby", "t_startedby": "t_starts",
	"t_finishes": "t_finishedby", "t_finishedby": "t_finishes",
	"t_equals": "t_equals", "t_intersects": "t_intersects", "t_disjoint": "t_disjoint",
}

// intervalOnly are the operators the spec defines between intervals only.
var intervalOnly = map[string]bool{
	"t_contains": true, "t_during": true, "t_finishedby": true, "t_finishes": true,
	"t_meets": true, "t_metby": true, "t_overlappedby": true, "t_overlaps": true,
	"t_startedby": true, "t_starts": true,
}

func (c *compiler) temporal(e *Temporal) (string, error) {
	op := e.Op
	if _, ok := temporalConverse[op]; !ok {
		return "", &TypeError{Msg: fmt.Sprintf("unknown temporal predicate %q", op)}
	}
	name := strings.ToUpper(op)
	if iv, ok := e.Left.(*Interval); ok && isProp(iv.Start) && isProp(iv.End) {
		return c.propertyInterval(op, name, iv, e.Right)
	}
	if iv, ok := e.Right.(*Interval); ok && isProp(iv.Start) && isProp(iv.End) {
		return c.propertyInterval(temporalConverse[op], name, iv, e.Left)
	}
	p, ok := e.Left.(*Property)
	lit := e.Right
	if !ok {
		if p, ok = e.Right.(*Property); !ok {
			if iv, isIv := e.Left.(*Interval); isIv && (isProp(iv.Start) || isProp(iv.End)) {
				return "", c.intervalOfProperties(name)
			}
			if iv, isIv := e.Right.(*Interval); isIv && (isProp(iv.Start) || isProp(iv.End)) {
				return "", c.intervalOfProperties(name)
			}
			return "", &TypeError{Msg: fmt.Sprintf("%s needs a temporal property as one argument", name)}
		}
		lit = e.Left
		op = temporalConverse[op]
	}
	q, err := c.queryable(p)
	if err != nil {
		return "", err
	}
	if iv, ok := lit.(*Interval); ok && (isProp(iv.Start) || isProp(iv.End)) {
		return "", c.intervalOfProperties(name)
	}
	from, to, instant, err := literalDays(lit, q.Name, name)
	if err != nil {
		return "", err
	}
	switch q.Type {
	case TypeInterval:
		if instant && intervalOnly[op] {
			return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("%s compares two intervals; use INTERVAL(…) rather than an instant, or T_INTERSECTS", name)}
		}
		if c.s.Temporal == nil {
			return "", &TypeError{Property: q.Name, Msg: "temporal predicates are not supported here"}
		}
		sql, args, err := c.s.Temporal(q.Name, op, from, to)
		if err != nil {
			return "", fmt.Errorf("cql2: %s on %q: %w", name, q.Name, err)
		}
		c.args = append(c.args, args...)
		return "(" + sql + ")", nil
	case TypeDate:
		if intervalOnly[op] {
			return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("is a date (an instant) and %s compares intervals; use T_INTERSECTS, T_BEFORE, T_AFTER, T_EQUALS or T_DISJOINT", name)}
		}
		if q.Member != "" || q.Column == "" {
			return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("has several values or no column, so %s does not apply", name)}
		}
		sql, args := dayRelation(op, q.Column, q.Column, from, to, func(d int64) any { return dayText(d) })
		c.args = append(c.args, args...)
		return sql, nil
	}
	return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("is a %s, not a date or an interval, so %s does not apply", q.Type, name)}
}

func isProp(e Expr) bool { _, ok := e.(*Property); return ok }

// literalDays are the days a temporal literal spans, both inclusive (nil: an
// open end); instant for a DATE or TIMESTAMP. property names what it is
// compared with, for the error ("" for an interval of properties), and name
// the predicate.
func literalDays(lit Expr, property, name string) (from, to *int64, instant bool, err error) {
	switch l := lit.(type) {
	case *Date, *Timestamp:
		d, _ := day(l)
		return &d, &d, true, nil
	case *Interval:
		if l.Start != nil {
			d, _ := day(l.Start)
			from = &d
		}
		if l.End != nil {
			d, _ := day(l.End)
			to = &d
		}
		if from != nil && to != nil && *from > *to {
			return nil, nil, false, &TypeError{Property: property, Msg: fmt.Sprintf("the interval in %s ends before it starts", name)}
		}
		return from, to, false, nil
	}
	what := "it"
	if property == "" {
		what = "an interval"
	}
	return nil, nil, false, &TypeError{Property: property, Msg: fmt.Sprintf("%s compares %s with %s; expected DATE(…), TIMESTAMP(…) or INTERVAL(…)", name, what, describeLit(lit))}
}

// propertyInterval compiles op between an item's interval given by two date
// properties, INTERVAL(start, end), and a literal instant or interval.
func (c *compiler) propertyInterval(op, name string, iv *Interval, lit Expr) (string, error) {
	var cols [2]string
	for i, end := range []Expr{iv.Start, iv.End} {
		q, err := c.queryable(end.(*Property))
		if err != nil {
			return "", err
		}
		if q.Type != TypeDate || q.Column == "" || q.Member != "" {
			return "", &TypeError{Property: q.Name, Msg: fmt.Sprintf("is not a date with one value, so it cannot bound an interval in %s", name)}
		}
		cols[i] = q.Column
	}
	if iv, ok := lit.(*Interval); ok && (isProp(iv.Start) || isProp(iv.End)) {
		return "", &TypeError{Msg: fmt.Sprintf("%s between two intervals of properties is not supported; compare one with DATE(…), TIMESTAMP(…) or INTERVAL(…)", name)}
	}
	from, to, instant, err := literalDays(lit, "", name)
	if err != nil {
		return "", err
	}
	if instant && intervalOnly[op] {
		return "", &TypeError{Msg: fmt.Sprintf("%s compares two intervals; use INTERVAL(…) rather than an instant, or T_INTERSECTS", name)}
	}
	sql, args := dayRelation(op, cols[0], cols[1], from, to, func(d int64) any { return dayText(d) })
	c.args = append(c.args, args...)
	return sql, nil
}

func (c *compiler) intervalOfProperties(name string) error {
	var names []string
	for _, q := range c.s.Queryables {
		if q.Type == TypeInterval || q.Type == TypeDate {
			names = append(names, q.Name)
		}
	}
	return &TypeError{Msg: fmt.Sprintf("%s with an INTERVAL of a property and a date is not supported; use two date properties, or a temporal queryable (%s)", name, strings.Join(names, ", "))}
}

// DayRange compiles a temporal operator (a cql2-json name such as
// "t_intersects", property first) for an item interval kept in two INTEGER
// columns of day numbers, start and end, both inclusive; from and to are the
// literal's days as given to Schema.Temporal. The data are dated to the day,
// so instants are whole days and the relations of the W3C Time Ontology are
// applied to closed intervals of days: T_DURING is strict, so an item that
// starts on the interval's first day is not during it, and T_MEETS holds
// when the item's last day is the literal's first day.
func DayRange(op, start, end string, from, to *int64) (string, []any, error) {
	if _, ok := temporalConverse[op]; !ok {
		return "", nil, fmt.Errorf("cql2: unknown temporal predicate %q", op)
	}
	sql, args := dayRelation(op, start, end, from, to, func(d int64) any { return d })
	return sql, args, nil
}

// dayRelation writes op between the item [s, e] and the literal [from, to];
// arg converts a day number to the columns' representation.
func dayRelation(op, s, e string, from, to *int64, arg func(int64) any) (string, []any) {
	var args []any
	// atom compares a column with an end of the literal. An open end is
	// -inf or +inf, which makes the atom constant; it is still written as
	// a test of the column so that a NULL column stays NULL, as CQL2 asks.
	atom := func(col, cmp string, bound *int64, lower bool) string {
		if bound != nil {
			args = append(args, arg(*bound))
			return col + " " + cmp + " ?"
		}
		var holds bool
		switch cmp {
		case ">", ">=":
			holds = lower
		case "<", "<=":
			holds = !lower
		}
		if holds {
			return col + " = " + col
		}
		return col + " <> " + col
	}
	f := func(col, cmp string) string { return atom(col, cmp, from, true) }
	t := func(col, cmp string) string { return atom(col, cmp, to, false) }
	and := func(parts ...string) string { return "(" + strings.Join(parts, " AND ") + ")" }
	switch op {
	case "t_after":
		return and(t(s, ">")), args
	case "t_before":
		return and(f(e, "<")), args
	case "t_disjoint":
		return "(" + f(e, "<") + " OR " + t(s, ">") + ")", args
	case "t_intersects":
		return and(t(s, "<="), f(e, ">=")), args
	case "t_equals":
		return and(f(s, "="), t(e, "=")), args
	case "t_during":
		return and(f(s, ">"), t(e, "<")), args
	case "t_contains":
		return and(f(s, "<"), t(e, ">")), args
	case "t_overlaps":
		return and(f(s, "<"), f(e, ">"), t(e, "<")), args
	case "t_overlappedby":
		return and(f(s, ">"), t(s, "<"), t(e, ">")), args
	case "t_meets":
		return and(f(e, "=")), args
	case "t_metby":
		return and(t(s, "=")), args
	case "t_starts":
		return and(f(s, "="), t(e, "<")), args
	case "t_startedby":
		return and(f(s, "="), t(e, ">")), args
	case "t_finishes":
		return and(t(e, "="), f(s, ">")), args
	default: // t_finishedby
		return and(t(e, "="), f(s, "<")), args
	}
}
