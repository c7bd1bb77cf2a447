package cql2

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// unsupported are the OGC examples outside the classes this package
// implements; both parsers must refuse them.
var unsupported = map[string]string{
	"clause6_01":  "function as a filter",
	"clause6_02b": "function",
	"clause6_02c": "arithmetic",
	"clause7_04":  "CASEI",
	"clause7_05":  "ACCENTI",
	"clause7_15":  "array predicate",
	"clause7_18":  "function",
	"clause7_19":  "arithmetic",
	"example26":   "CASEI",
	"example27":   "ACCENTI",
	"example28":   "CASEI",
	"example45":   "3D BBOX",
	"example49":   "POLYGON Z",
	"example68":   "function",
	"example69":   "function",
	"example70":   "ACCENTI",
	"example71":   "CASEI",
	"example72":   "arithmetic",
	"example73":   "arithmetic",
	"example74":   "arithmetic",
	"example75":   "arithmetic",
	"example76":   "arithmetic",
	"example77":   "arithmetic",
	"example78":   "arithmetic",
	"example79":   "array predicate",
	"example80":   "array predicate",
	"example81":   "array predicate",
	"example82":   "array predicate",
	"example84":   "GEOMETRYCOLLECTION",
	"example85":   "arithmetic",
	"example86":   "CASEI",
}

// mismatched are examples whose text and JSON in the OGC repository do not
// say the same thing, so only each parse is checked.
var mismatched = map[string]string{
	"example49-alt01": "the text is 3D without Z; the JSON is example49's",
}

func TestOGCExamples(t *testing.T) {
	texts, err := filepath.Glob("testdata/ogc/*.txt")
	if err != nil || len(texts) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	parsed := 0
	for _, tf := range texts {
		name := strings.TrimSuffix(filepath.Base(tf), ".txt")
		base, _, _ := strings.Cut(name, "-alt")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(tf)
			if err != nil {
				t.Fatal(err)
			}
			js, err := os.ReadFile(filepath.Join("testdata/ogc", base+".json"))
			if err != nil {
				t.Fatal(err)
			}
			te, terr := ParseText(string(text))
			je, jerr := ParseJSON(js)
			if why, ok := unsupported[base]; ok {
				var se *SyntaxError
				if !errors.As(terr, &se) || se.Pos == 0 {
					t.Errorf("text (%s): want a SyntaxError with a position, got %v", why, terr)
				}
				if !errors.As(jerr, &se) {
					t.Errorf("json (%s): want a SyntaxError, got %v", why, jerr)
				}
				return
			}
			if _, ok := mismatched[name]; ok {
				if jerr != nil {
					t.Errorf("json: %v", jerr)
				}
				return
			}
			if terr != nil {
				t.Fatalf("text: %v", terr)
			}
			if jerr != nil {
				t.Fatalf("json: %v", jerr)
			}
			if !reflect.DeepEqual(te, je) {
				t.Errorf("text and json differ:\ntext %s\njson %s", te, je)
			}
			again, err := ParseText(te.String())
			if err != nil || !reflect.DeepEqual(again, te) {
				t.Errorf("round trip of %s: %v", te, err)
			}
			parsed++
		})
	}
	if parsed < 60 {
		t.Errorf("only %d examples parsed alike", parsed)
	}
}

func TestParseText(t *testing.T) {
	p := func(n string) Expr { return &Property{Name: n} }
	for _, c := range []struct {
		in   string
		want Expr
	}{
		{"a = 'it''s'", &Compare{Op: "=", Left: p("a"), Right: &Str{Value: "it's"}}},
		{`a = 'it\'s'`, &Compare{Op: "=", Left: p("a"), Right: &Str{Value: "it's"}}},
		{"a <> -1.5e2", &Compare{Op: "<>", Left: p("a"), Right: &Number{Value: -150}}},
		{"a>=.5", &Compare{Op: ">=", Left: p("a"), Right: &Number{Value: 0.5}}},
		{"3 < a", &Compare{Op: "<", Left: &Number{Value: 3}, Right: p("a")}},
		{"not a = 1 and b = 2 or c = 3", &Or{Args: []Expr{
			&And{Args: []Expr{
				&Not{Arg: &Compare{Op: "=", Left: p("a"), Right: &Number{Value: 1}}},
				&Compare{Op: "=", Left: p("b"), Right: &Number{Value: 2}},
			}},
			&Compare{Op: "=", Left: p("c"), Right: &Number{Value: 3}},
		}}},
		{"a = 1 AND (b = 2 AND c = 3)", &And{Args: []Expr{
			&Compare{Op: "=", Left: p("a"), Right: &Number{Value: 1}},
			&And{Args: []Expr{
				&Compare{Op: "=", Left: p("b"), Right: &Number{Value: 2}},
				&Compare{Op: "=", Left: p("c"), Right: &Number{Value: 3}},
			}},
		}}},
		{"TRUE", &Bool{Value: true}},
		{`"AND" IS NOT NULL`, &Not{Arg: &IsNull{Arg: p("AND")}}},
		{"day = date('2020-08-26')", &Compare{Op: "=", Left: p("day"), Right: &Date{Value: "2020-08-26"}}},
		{"t_intersects(when, interval('..', '2021-03-31T00:00:00Z'))", &Temporal{Op: "t_intersects", Left: p("when"),
			Right: &Interval{End: &Timestamp{Value: "2021-03-31T00:00:00Z"}}}},
		{"s_intersects(geom, point(124.5 40.1))", &Spatial{Op: "s_intersects", Left: p("geom"), Right: &Geom{Geometry: orb.Point{124.5, 40.1}}}},
		{"S_INTERSECTS(geom, MULTIPOINT(1 2, 3 4))", &Spatial{Op: "s_intersects", Left: p("geom"), Right: &Geom{Geometry: orb.MultiPoint{{1, 2}, {3, 4}}}}},
		{"x IN ('a')", &In{Arg: p("x"), List: []Expr{&Str{Value: "a"}}}},
		{"名前 = '白頭山'", &Compare{Op: "=", Left: p("名前"), Right: &Str{Value: "白頭山"}}},
	} {
		got, err := ParseText(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestParseTextErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		pos  int
		want string // part of the message
	}{
		{"title = 'unterminated", 9, "never closed"},
		{"(a = 1", 7, "expected ')' to close the '(' at character 1"},
		{"a = 1)", 6, "expected AND, OR or the end"},
		{"category IN ('a', 'b', 'c' AND x = 1", 28, "expected ',' or ')' after the list of values"},
		{strings.Repeat("(", 10000) + "a = 1" + strings.Repeat(")", 10000), MaxInputBytes + 1, "the limit is 8192"},
		{strings.Repeat("(", 4000) + "a = 1" + strings.Repeat(")", 4000), 65, "nested more than 64"},
		{strings.Repeat("NOT ", 2000) + "a = 1", 253, "nested more than 64"},
		{"a = 1" + strings.Repeat("0", 400), 5, "out of range"},
		{"a = 1e309", 5, "out of range"},
		{"a = \xff", 5, "not valid UTF-8"},
		{"a = frob(1)", 5, "unknown function frob"},
		{"a = ", 5, "expected a value after ="},
		{"a =", 4, "expected a value after ="},
		{"= 1", 1, "expected a property or a value"},
		{"a", 2, "expected a comparison"},
		{"a AND b = 1", 3, "expected a comparison"},
		{"a = 1 AND", 10, "expected a property or a value"},
		{"a LIKE 5", 8, "quoted pattern"},
		{"a BETWEEN 1 OR 2", 13, "expected AND between"},
		{"a IS NOT 5", 10, "expected NULL"},
		{"a NOT = 1", 7, "expected LIKE, BETWEEN or IN after NOT"},
		{"a = DATE('2021-13-01')", 10, "not a date"},
		{"a = TIMESTAMP('2021-01-01 10:00:00')", 15, "not a timestamp"},
		{"a = b + 1", 7, "arithmetic"},
		{"S_INTERSECTS(g, BBOX(1, 2, 3))", 17, "BBOX takes 4 numbers"},
		{"S_INTERSECTS(g, POLYGON((0 0, 1 1, 0 0)))", 25, "at least 4 positions"},
		{"S_INTERSECTS(g, POLYGON((0 0, 1 1, 1 0, 0 1)))", 25, "end where it starts"},
		{"S_INTERSECTS(g, POINT(1 2 3))", 27, "3D"},
		{"S_INTERSECTS(g, POINT Z(1 2 3))", 23, "3D"},
		{"S_INTERSECTS(g POINT(1 2))", 16, "expected ','"},
		{"a = '\x00'", 6, "NUL"},
		{`"a b" = 1`, 1, "not a valid property name"},
		{"a = 1 b = 2", 7, "expected AND, OR"},
		{"AND = 1", 1, "keyword AND"},
		{"A_CONTAINS(a, ('x'))", 1, "array functions"},
		{"T_DURING(a, INTERVAL('2021-01-01'))", 34, "expected ','"},
		{"a IN (" + strings.Repeat("1,", MaxItems) + "1)", 2007, "more than 1000"},
	} {
		_, err := ParseText(c.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%.40q: want *SyntaxError, got %v", c.in, err)
			continue
		}
		if se.Pos != c.pos || !strings.Contains(se.Msg, c.want) {
			t.Errorf("%.40q: got %q at %d; want %q at %d", c.in, se.Msg, se.Pos, c.want, c.pos)
		}
	}
	long := "a = '" + strings.Repeat("x", MaxInputBytes) + "'"
	if _, err := ParseText(long); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("long input: %v", err)
	}
	if got := (&SyntaxError{Pos: 31, Msg: "expected ')' after the list of values"}).Error(); got != "cql2: expected ')' after the list of values at character 31" {
		t.Errorf("Error() = %q", got)
	}
}

func TestParseJSONErrors(t *testing.T) {
	deep := strings.Repeat(`{"op":"not","args":[`, 100) + `true` + strings.Repeat(`]}`, 100)
	for _, c := range []struct {
		in   string
		path string
		want string
	}{
		{`{"op":"=","args":[{"property":"a"}]}`, "$.args", "takes 2 arguments"},
		{`{"op":"=","args":[{"property":"a"},NaN]}`, "", "malformed JSON"},
		{`{"op":"=","args":[{"property":"a"},1e999]}`, "$.args[1]", "out of range"},
		{`{"op":"frob","args":[]}`, "$.op", "unknown operator"},
		{`{"op":"and","args":[true]}`, "$.args", "takes 2 to 1000 arguments, not 1"},
		{`{"op":"=","args":[{"property":"a"},{"prop":"b"}]}`, "$.args[1]", "expected a property"},
		{`{"op":"=","args":[{"property":"a","x":1},1]}`, "$.args[0]", "unexpected member"},
		{`{"op":"in","args":[{"property":"a"},"x"]}`, "$.args[1]", "non-empty array"},
		{`{"op":"like","args":[{"property":"a"},{"op":"casei","args":["x"]}]}`, "$.args[1]", "CASEI"},
		{`{"op":"=","args":[{"property":"a"},{"date":"2021-02-29"}]}`, "$.args[1].date", "not a date"},
		{`{"op":"t_after","args":[{"property":"a"},{"interval":["2021-01-01"]}]}`, "$.args[1].interval", "two instants"},
		{`{"op":"s_intersects","args":[{"property":"g"},{"type":"Point","coordinates":[1,2,3]}]}`, "$.args[1].coordinates", "3D"},
		{`{"op":"s_intersects","args":[{"property":"g"},{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}]}`, "$.args[1].coordinates[0]", "at least 4"},
		{`{"op":"s_intersects","args":[{"property":"g"},{"bbox":[1,2,3,4,5,6]}]}`, "$.args[1].bbox", "3D"},
		{`{"op":"=","args":[{"property":"a"},{"op":"+","args":[1,2]}]}`, "$.args[1].op", "arithmetic"},
		{`"a = 1"`, "$", "expected a predicate"},
		{deep, "$" + strings.Repeat(".args[0]", 64), "nested more than 64"},
	} {
		_, err := ParseJSON([]byte(c.in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%.60s: want *SyntaxError, got %v", c.in, err)
			continue
		}
		if se.Path != c.path || !strings.Contains(se.Msg, c.want) {
			t.Errorf("%.60s: got %q at %q; want %q at %q", c.in, se.Msg, se.Path, c.want, c.path)
		}
	}
	for _, in := range []string{"", "{", `{"op":"=","args":[]} x`, "\xff", `{"op":"=","args":[{"property":"a"},"` + "\xc3" + `"]}`} {
		var se *SyntaxError
		if _, err := ParseJSON([]byte(in)); !errors.As(err, &se) {
			t.Errorf("%q: want *SyntaxError, got %v", in, err)
		}
	}
}
