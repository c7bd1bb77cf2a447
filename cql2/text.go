package cql2

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

type tokKind int

const (
	tkEOF tokKind = iota
	tkIdent
	tkQuoted // "double-quoted" property name
	tkString
	tkNumber
	tkLParen
	tkRParen
	tkComma
	tkOp    // = <> < <= > >=
	tkOther // anything else, such as arithmetic, kept to name it in errors
)

type token struct {
	kind tokKind
	text string // as written; for tkString and tkQuoted the unescaped value
	num  float64
	pos  int // 1-based character offset
}

func (t token) describe() string {
	switch t.kind {
	case tkEOF:
		return "the end of the filter"
	case tkString:
		return "the string " + quote(t.text)
	case tkQuoted:
		return `the property "` + t.text + `"`
	case tkIdent, tkNumber:
		return "'" + t.text + "'"
	}
	return "'" + t.text + "'"
}

// ParseText parses a cql2-text filter.
func ParseText(s string) (Expr, error) {
	if len(s) > MaxInputBytes {
		return nil, &SyntaxError{Pos: utf8.RuneCountInString(s[:MaxInputBytes]) + 1, Msg: fmt.Sprintf("the filter is %d bytes long; the limit is %d", len(s), MaxInputBytes)}
	}
	if !utf8.ValidString(s) {
		return nil, &SyntaxError{Pos: invalidUTF8Pos(s), Msg: "the filter is not valid UTF-8"}
	}
	toks, err := lex([]rune(s))
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tkOther {
		return nil, p.errAt(t, "%s is not supported (arithmetic is not implemented)", t.describe())
	} else if t.kind != tkEOF {
		return nil, p.errAt(t, "expected AND, OR or the end of the filter, found %s", t.describe())
	}
	return e, nil
}

func invalidUTF8Pos(s string) int {
	n := 1
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return n
			}
		}
		n++
	}
	return n
}

// isSpace follows the BNF's whitespace production.
func isSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// isIdentStart and isIdentPart follow the BNF's identifier productions.
func isIdentStart(r rune) bool {
	switch {
	case r == ':' || r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
		return true
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFE, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || r == '.' || r >= '0' && r <= '9' ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func lex(src []rune) ([]token, error) {
	var toks []token
	i := 0
	at := func(j int) rune {
		if j < len(src) {
			return src[j]
		}
		return 0
	}
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			return append(toks, token{kind: tkEOF, pos: i + 1}), nil
		}
		start := i
		r := src[i]
		switch {
		case r == '(':
			toks = append(toks, token{kind: tkLParen, text: "(", pos: start + 1})
			i++
		case r == ')':
			toks = append(toks, token{kind: tkRParen, text: ")", pos: start + 1})
			i++
		case r == ',':
			toks = append(toks, token{kind: tkComma, text: ",", pos: start + 1})
			i++
		case r == '=':
			toks = append(toks, token{kind: tkOp, text: "=", pos: start + 1})
			i++
		case r == '<':
			op := "<"
			if at(i+1) == '>' || at(i+1) == '=' {
				op += string(at(i + 1))
			}
			toks = append(toks, token{kind: tkOp, text: op, pos: start + 1})
			i += len(op)
		case r == '>':
			op := ">"
			if at(i+1) == '=' {
				op = ">="
			}
			toks = append(toks, token{kind: tkOp, text: op, pos: start + 1})
			i += len(op)
		case r == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(src) {
					return nil, &SyntaxError{Pos: start + 1, Msg: "the string that starts here is never closed with '"}
				}
				c := src[i]
				// The BNF's escapeQuote admits both '' and \'.
				if c == '\'' && at(i+1) == '\'' || c == '\\' && at(i+1) == '\'' {
					b.WriteRune('\'')
					i += 2
					continue
				}
				if c == '\'' {
					i++
					break
				}
				if c == 0 {
					return nil, &SyntaxError{Pos: i + 1, Msg: "a string may not contain the NUL character"}
				}
				b.WriteRune(c)
				i++
			}
			toks = append(toks, token{kind: tkString, text: b.String(), pos: start + 1})
		case r == '"':
			i++
			j := i
			for j < len(src) && src[j] != '"' {
				j++
			}
			if j >= len(src) {
				return nil, &SyntaxError{Pos: start + 1, Msg: `the property name that starts here is never closed with "`}
			}
			name := string(src[i:j])
			if !validIdent(name) {
				return nil, &SyntaxError{Pos: start + 1, Msg: fmt.Sprintf("%q is not a valid property name", name)}
			}
			toks = append(toks, token{kind: tkQuoted, text: name, pos: start + 1})
			i = j + 1
		case isDigit(r) || r == '.' && isDigit(at(i+1)) ||
			(r == '+' || r == '-') && (isDigit(at(i+1)) || at(i+1) == '.' && isDigit(at(i+2))):
			j := i
			if r == '+' || r == '-' {
				j++
			}
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if at(j) == '.' {
				j++
				for j < len(src) && isDigit(src[j]) {
					j++
				}
			}
			if (at(j) == 'e' || at(j) == 'E') &&
				(isDigit(at(j+1)) || (at(j+1) == '+' || at(j+1) == '-') && isDigit(at(j+2))) {
				j += 2
				for j < len(src) && isDigit(src[j]) {
					j++
				}
			}
			text := string(src[i:j])
			f, err := strconv.ParseFloat(text, 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return nil, &SyntaxError{Pos: start + 1, Msg: fmt.Sprintf("the number %s is out of range", abbreviate(text))}
			}
			if isIdentPart(at(j)) {
				return nil, &SyntaxError{Pos: j + 1, Msg: fmt.Sprintf("unexpected %q right after the number %s", at(j), abbreviate(text))}
			}
			toks = append(toks, token{kind: tkNumber, text: text, num: f, pos: start + 1})
			i = j
		case isIdentStart(r):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			toks = append(toks, token{kind: tkIdent, text: string(src[i:j]), pos: start + 1})
			i = j
		default:
			toks = append(toks, token{kind: tkOther, text: string(r), pos: start + 1})
			i++
		}
	}
}

func validIdent(s string) bool {
	for i, r := range s {
		if i == 0 && !isIdentStart(r) || i > 0 && !isIdentPart(r) {
			return false
		}
	}
	return s != ""
}

func abbreviate(s string) string {
	if r := []rune(s); len(r) > 24 {
		return string(r[:20]) + "…"
	}
	return s
}

// reserved words cannot be bare property names; quote them to use them so.
var reserved = map[string]bool{
	"AND": true, "OR": true, "NOT": true, "LIKE": true, "BETWEEN": true,
	"IN": true, "IS": true, "NULL": true, "TRUE": true, "FALSE": true,
}

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(t token, format string, args ...any) error {
	return &SyntaxError{Pos: t.pos, Msg: fmt.Sprintf(format, args...)}
}

// keyword reports whether t is the bare word kw, in any case.
func keyword(t token, kw string) bool { return t.kind == tkIdent && strings.EqualFold(t.text, kw) }

func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errAt(t, "the filter is nested more than %d levels deep", MaxDepth)
	}
	return nil
}

func (p *parser) parseOr() (Expr, error) {
	if err := p.enter(p.peek()); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	first, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	args := []Expr{first}
	for keyword(p.peek(), "OR") {
		t := p.next()
		if len(args) >= MaxItems {
			return nil, p.errAt(t, "more than %d operands of OR", MaxItems)
		}
		e, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	if len(args) == 1 {
		return first, nil
	}
	return &Or{Args: args}, nil
}

func (p *parser) parseAnd() (Expr, error) {
	first, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	args := []Expr{first}
	for keyword(p.peek(), "AND") {
		t := p.next()
		if len(args) >= MaxItems {
			return nil, p.errAt(t, "more than %d operands of AND", MaxItems)
		}
		e, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	if len(args) == 1 {
		return first, nil
	}
	return &And{Args: args}, nil
}

func (p *parser) parseNot() (Expr, error) {
	if !keyword(p.peek(), "NOT") {
		return p.parsePrimary()
	}
	t := p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	e, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return &Not{Arg: e}, nil
}

func (p *parser) parsePrimary() (Expr, error) {
	t := p.peek()
	if t.kind == tkLParen {
		p.next()
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tkRParen {
			return nil, p.errAt(c, "expected ')' to close the '(' at character %d, found %s", t.pos, c.describe())
		}
		return e, nil
	}
	if t.kind == tkIdent && p.peekAt(1).kind == tkLParen {
		name := strings.ToUpper(t.text)
		switch {
		case spatialOps[strings.ToLower(name)]:
			return p.parseSpatial()
		case temporalOps[strings.ToLower(name)]:
			return p.parseTemporal()
		case strings.HasPrefix(name, "A_"):
			return nil, p.errAt(t, "array functions such as %s are not supported", t.text)
		}
	}
	left, err := p.parseOperand("a property or a value")
	if err != nil {
		return nil, err
	}
	return p.parsePredicate(left, t)
}

// parsePredicate reads what follows the left operand of a comparison.
func (p *parser) parsePredicate(left Expr, start token) (Expr, error) {
	t := p.peek()
	negate := false
	if keyword(t, "NOT") {
		n := p.peekAt(1)
		if !keyword(n, "LIKE") && !keyword(n, "BETWEEN") && !keyword(n, "IN") {
			return nil, p.errAt(n, "expected LIKE, BETWEEN or IN after NOT, found %s", n.describe())
		}
		p.next()
		t = p.peek()
		negate = true
	}
	var e Expr
	switch {
	case t.kind == tkOp:
		p.next()
		right, err := p.parseOperand("a value after " + t.text)
		if err != nil {
			return nil, err
		}
		e = &Compare{Op: t.text, Left: left, Right: right}
	case keyword(t, "LIKE"):
		p.next()
		pt := p.next()
		if pt.kind == tkIdent && (strings.EqualFold(pt.text, "CASEI") || strings.EqualFold(pt.text, "ACCENTI")) {
			return nil, p.errAt(pt, "%s is not supported", strings.ToUpper(pt.text))
		}
		if pt.kind != tkString {
			return nil, p.errAt(pt, "expected a 'quoted pattern' after LIKE, found %s", pt.describe())
		}
		e = &Like{Arg: left, Pattern: &Str{Value: pt.text}}
	case keyword(t, "BETWEEN"):
		p.next()
		lo, err := p.parseOperand("a value after BETWEEN")
		if err != nil {
			return nil, err
		}
		if a := p.next(); !keyword(a, "AND") {
			return nil, p.errAt(a, "expected AND between the bounds of BETWEEN, found %s", a.describe())
		}
		hi, err := p.parseOperand("a value after BETWEEN … AND")
		if err != nil {
			return nil, err
		}
		e = &Between{Arg: left, Low: lo, High: hi}
	case keyword(t, "IN"):
		p.next()
		open := p.next()
		if open.kind != tkLParen {
			return nil, p.errAt(open, "expected '(' and a list of values after IN, found %s", open.describe())
		}
		var list []Expr
		for {
			if len(list) >= MaxItems {
				return nil, p.errAt(p.peek(), "the list after IN has more than %d values", MaxItems)
			}
			v, err := p.parseOperand("a value in the list after IN")
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			c := p.next()
			if c.kind == tkRParen {
				break
			}
			if c.kind != tkComma {
				return nil, p.errAt(c, "expected ',' or ')' after the list of values, found %s", c.describe())
			}
		}
		e = &In{Arg: left, List: list}
	case keyword(t, "IS"):
		p.next()
		n := p.next()
		if keyword(n, "NOT") {
			negate = true
			n = p.next()
		}
		if !keyword(n, "NULL") {
			return nil, p.errAt(n, "expected NULL or NOT NULL after IS, found %s", n.describe())
		}
		e = &IsNull{Arg: left}
	default:
		if b, ok := left.(*Bool); ok {
			return b, nil
		}
		if t.kind == tkOther {
			return nil, p.errAt(t, "%s is not supported (arithmetic is not implemented)", t.describe())
		}
		return nil, p.errAt(t, "expected a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN or IS NULL) after %s, found %s", start.describe(), t.describe())
	}
	if negate {
		return &Not{Arg: e}, nil
	}
	return e, nil
}

// parseOperand reads a property name or a literal; want says what the
// caller expected, for the error message.
func (p *parser) parseOperand(want string) (Expr, error) {
	t := p.peek()
	switch t.kind {
	case tkString:
		p.next()
		return &Str{Value: t.text}, nil
	case tkNumber:
		p.next()
		return &Number{Value: t.num}, nil
	case tkQuoted:
		p.next()
		return &Property{Name: t.text}, nil
	case tkIdent:
		up := strings.ToUpper(t.text)
		if p.peekAt(1).kind == tkLParen || p.peekAt(1).kind == tkIdent && strings.EqualFold(p.peekAt(1).text, "Z") && geometryWords[up] {
			return p.parseFunction()
		}
		switch {
		case up == "TRUE" || up == "FALSE":
			p.next()
			return &Bool{Value: up == "TRUE"}, nil
		case reserved[up]:
			return nil, p.errAt(t, "expected %s, found the keyword %s (quote a property with this name: \"%s\")", want, up, t.text)
		}
		p.next()
		return &Property{Name: t.text}, nil
	case tkLParen:
		return nil, p.errAt(t, "expected %s, found '(' (arithmetic and nested lists are not supported)", want)
	}
	return nil, p.errAt(t, "expected %s, found %s", want, t.describe())
}

var geometryWords = map[string]bool{
	"POINT": true, "LINESTRING": true, "POLYGON": true, "MULTIPOINT": true,
	"MULTILINESTRING": true, "MULTIPOLYGON": true, "GEOMETRYCOLLECTION": true,
}

// parseFunction reads the literal constructors DATE, TIMESTAMP, INTERVAL,
// BBOX and the WKT geometries; any other function is refused by name.
func (p *parser) parseFunction() (Expr, error) {
	t := p.next()
	up := strings.ToUpper(t.text)
	if keyword(p.peek(), "Z") {
		return nil, p.errAt(p.peek(), "3D geometries (%s Z) are not supported", up)
	}
	open := p.next()
	switch up {
	case "DATE", "TIMESTAMP":
		s := p.next()
		if s.kind != tkString {
			return nil, p.errAt(s, "expected a 'quoted' %s after %s(, found %s", strings.ToLower(up), up, s.describe())
		}
		if err := p.closeParen(open, up); err != nil {
			return nil, err
		}
		e, msg := instant(s.text, up == "TIMESTAMP")
		if msg != "" {
			return nil, p.errAt(s, "%s", msg)
		}
		return e, nil
	case "INTERVAL":
		start, err := p.intervalEnd()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tkComma {
			return nil, p.errAt(c, "expected ',' between the two ends of INTERVAL, found %s", c.describe())
		}
		end, err := p.intervalEnd()
		if err != nil {
			return nil, err
		}
		if err := p.closeParen(open, up); err != nil {
			return nil, err
		}
		return &Interval{Start: start, End: end}, nil
	case "BBOX":
		var v []float64
		for {
			n := p.next()
			if n.kind != tkNumber {
				return nil, p.errAt(n, "expected a number in BBOX, found %s", n.describe())
			}
			v = append(v, n.num)
			c := p.next()
			if c.kind == tkRParen {
				break
			}
			if c.kind != tkComma || len(v) >= 6 {
				return nil, p.errAt(c, "expected ',' or ')' in BBOX, found %s", c.describe())
			}
		}
		b, msg := bbox(v)
		if msg != "" {
			return nil, p.errAt(t, "%s", msg)
		}
		return &Geom{Geometry: b}, nil
	case "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON":
		p.i-- // the coordinate readers expect to see the '('
		g, err := p.geometry(up)
		if err != nil {
			return nil, err
		}
		return &Geom{Geometry: g}, nil
	case "GEOMETRYCOLLECTION":
		return nil, p.errAt(t, "GEOMETRYCOLLECTION is not supported")
	case "CASEI", "ACCENTI":
		return nil, p.errAt(t, "%s is not supported", up)
	}
	if spatialOps[strings.ToLower(up)] || temporalOps[strings.ToLower(up)] {
		return nil, p.errAt(t, "%s is a predicate and cannot be used as a value", up)
	}
	return nil, p.errAt(t, "unknown function %s", t.text)
}

func (p *parser) closeParen(open token, what string) error {
	if c := p.next(); c.kind != tkRParen {
		return p.errAt(c, "expected ')' to close %s( at character %d, found %s", what, open.pos, c.describe())
	}
	return nil
}

func (p *parser) intervalEnd() (Expr, error) {
	t := p.next()
	switch t.kind {
	case tkString:
		if t.text == ".." {
			return nil, nil
		}
		e, msg := instantAuto(t.text)
		if msg != "" {
			return nil, p.errAt(t, "%s", msg)
		}
		return e, nil
	case tkQuoted:
		return &Property{Name: t.text}, nil
	case tkIdent:
		if !reserved[strings.ToUpper(t.text)] && p.peek().kind != tkLParen {
			return &Property{Name: t.text}, nil
		}
	}
	return nil, p.errAt(t, "expected a 'date', a 'timestamp', '..' or a property in INTERVAL, found %s", t.describe())
}

// counter bounds the vertices of one geometry literal.
type counter struct{ n int }

func (p *parser) geometry(kind string) (orb.Geometry, error) {
	var c counter
	switch kind {
	case "POINT":
		ps, err := p.points(&c, 1)
		if err != nil {
			return nil, err
		}
		if len(ps) != 1 {
			return nil, p.errAt(p.toks[p.i-1], "a POINT has exactly one position")
		}
		return ps[0], nil
	case "LINESTRING":
		return p.lineString(&c)
	case "POLYGON":
		return p.polygon(&c)
	case "MULTIPOINT":
		var mp orb.MultiPoint
		err := p.list(func() error {
			// Both MULTIPOINT((1 2), (3 4)) from the BNF and the common
			// MULTIPOINT(1 2, 3 4) are accepted.
			if p.peek().kind == tkLParen {
				ps, err := p.points(&c, 1)
				if err != nil {
					return err
				}
				mp = append(mp, ps...)
				return nil
			}
			pt, err := p.point(&c)
			mp = append(mp, pt)
			return err
		})
		return mp, err
	case "MULTILINESTRING":
		var ml orb.MultiLineString
		err := p.list(func() error {
			l, err := p.lineString(&c)
			ml = append(ml, l)
			return err
		})
		return ml, err
	default: // MULTIPOLYGON
		var mp orb.MultiPolygon
		err := p.list(func() error {
			pg, err := p.polygon(&c)
			mp = append(mp, pg)
			return err
		})
		return mp, err
	}
}

// list reads "(" item {"," item} ")".
func (p *parser) list(item func() error) error {
	open := p.next()
	if open.kind != tkLParen {
		return p.errAt(open, "expected '(' in the geometry, found %s", open.describe())
	}
	for {
		if err := item(); err != nil {
			return err
		}
		c := p.next()
		if c.kind == tkRParen {
			return nil
		}
		if c.kind != tkComma {
			return p.errAt(c, "expected ',' or ')' in the geometry that opens at character %d, found %s", open.pos, c.describe())
		}
	}
}

func (p *parser) point(c *counter) (orb.Point, error) {
	x := p.next()
	if x.kind != tkNumber {
		return orb.Point{}, p.errAt(x, "expected a coordinate, found %s", x.describe())
	}
	y := p.next()
	if y.kind != tkNumber {
		return orb.Point{}, p.errAt(y, "expected a second coordinate after %s, found %s", x.text, y.describe())
	}
	if z := p.peek(); z.kind == tkNumber {
		return orb.Point{}, p.errAt(z, "3D coordinates are not supported")
	}
	c.n++
	if c.n > MaxItems {
		return orb.Point{}, p.errAt(x, "the geometry has more than %d vertices", MaxItems)
	}
	return orb.Point{x.num, y.num}, nil
}

func (p *parser) points(c *counter, max int) ([]orb.Point, error) {
	var ps []orb.Point
	err := p.list(func() error {
		if max > 0 && len(ps) == max {
			return p.errAt(p.peek(), "expected ')' after the position")
		}
		pt, err := p.point(c)
		ps = append(ps, pt)
		return err
	})
	return ps, err
}

func (p *parser) lineString(c *counter) (orb.LineString, error) {
	t := p.peek()
	ps, err := p.points(c, 0)
	if err != nil {
		return nil, err
	}
	if msg := checkLine(ps); msg != "" {
		return nil, p.errAt(t, "%s", msg)
	}
	return orb.LineString(ps), nil
}

func (p *parser) polygon(c *counter) (orb.Polygon, error) {
	var pg orb.Polygon
	err := p.list(func() error {
		t := p.peek()
		ps, err := p.points(c, 0)
		if err != nil {
			return err
		}
		if msg := checkRing(ps); msg != "" {
			return p.errAt(t, "%s", msg)
		}
		pg = append(pg, orb.Ring(ps))
		return nil
	})
	return pg, err
}

func (p *parser) parseSpatial() (Expr, error) {
	op, left, right, err := p.binaryFunction()
	if err != nil {
		return nil, err
	}
	return &Spatial{Op: op, Left: left, Right: right}, nil
}

func (p *parser) parseTemporal() (Expr, error) {
	op, left, right, err := p.binaryFunction()
	if err != nil {
		return nil, err
	}
	return &Temporal{Op: op, Left: left, Right: right}, nil
}

func (p *parser) binaryFunction() (string, Expr, Expr, error) {
	t := p.next()
	open := p.next()
	name := strings.ToUpper(t.text)
	left, err := p.parseOperand("a property or a literal as the first argument of " + name)
	if err != nil {
		return "", nil, nil, err
	}
	if c := p.next(); c.kind != tkComma {
		return "", nil, nil, p.errAt(c, "expected ',' between the arguments of %s, found %s", name, c.describe())
	}
	right, err := p.parseOperand("a property or a literal as the second argument of " + name)
	if err != nil {
		return "", nil, nil, err
	}
	if err := p.closeParen(open, name); err != nil {
		return "", nil, nil, err
	}
	return strings.ToLower(name), left, right, nil
}
