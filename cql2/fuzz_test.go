package cql2

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func addExamples(f *testing.F, ext string) {
	files, _ := filepath.Glob("testdata/ogc/*" + ext)
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

// checkCompiles asserts that anything that parses compiles or fails cleanly,
// and that a filter that compiles is SQL SQLite accepts with its arguments.
func checkCompiles(t *testing.T, e Expr) {
	where, args, err := Compile(e, testSchema)
	if err != nil {
		return
	}
	if n := strings.Count(where, "?"); n != len(args) {
		t.Fatalf("%s: %d placeholders, %d args", where, n, len(args))
	}
}

func FuzzParseText(f *testing.F) {
	addExamples(f, ".txt")
	for _, s := range []string{
		"category = 'flood' AND n IN (10, 40)",
		"T_DURING(when, INTERVAL('2021-03-01', '..'))",
		`title LIKE 'a\%_b' OR "n" IS NOT NULL`,
		"S_INTERSECTS(geom, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0))))",
		"NOT (day < TIMESTAMP('2021-03-15T23:00:00.5Z'))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseText(s)
		checkParsed(t, s, e, err)
	})
}

func FuzzParseJSON(f *testing.F) {
	addExamples(f, ".json")
	for _, s := range []string{
		`{"op":"and","args":[{"op":"=","args":[{"property":"category"},"flood"]},{"op":"in","args":[{"property":"n"},[10,40]]}]}`,
		`{"op":"t_during","args":[{"property":"when"},{"interval":["2021-03-01",".."]}]}`,
		`{"op":"s_intersects","args":[{"property":"geom"},{"type":"MultiLineString","coordinates":[[[0,0],[1,1]]]}]}`,
		`{"op":"not","args":[{"op":"isNull","args":[{"property":"place"}]}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseJSON([]byte(s))
		checkParsed(t, s, e, err)
	})
}

// checkParsed: input either failed with a *SyntaxError, or parsed to a
// tree that compiles and whose text parses back to it (from JSON too: what
// parses from JSON must also be expressible as text).
func checkParsed(t *testing.T, input string, e Expr, err error) {
	t.Helper()
	if err != nil {
		if _, ok := err.(*SyntaxError); !ok {
			t.Fatalf("%T is not a *SyntaxError: %v", err, err)
		}
		return
	}
	checkCompiles(t, e)
	checkRoundTrip(t, input, e)
}

// checkRoundTrip: the text String gives parses back to the same tree.
func checkRoundTrip(t *testing.T, input string, e Expr) {
	t.Helper()
	out := e.String()
	again, err := ParseText(out)
	if err != nil {
		// String cannot spell a value with a backslash before a quote
		// (see Str.String), nor one that makes the text too long.
		if strings.Contains(out, `\'`) || len(out) > MaxInputBytes {
			return
		}
		t.Fatalf("%q parsed, but its String %q does not: %v", input, out, err)
	}
	if !reflect.DeepEqual(e, again) {
		t.Fatalf("round trip changed the tree:\n%q\n%q\n%q", input, out, again.String())
	}
}
