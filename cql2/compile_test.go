package cql2

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	_ "modernc.org/sqlite"
)

// testDB is a small incident table: text, number, integer, date, code,
// boolean, nullable columns, a members table and day intervals.
func testDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // every connection to :memory: is a new database
	t.Cleanup(func() { db.Close() })
	_, err = db.Exec(`
CREATE TABLE item (
	rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, score REAL,
	n INTEGER, day TEXT, category TEXT NOT NULL, verified INTEGER NOT NULL,
	day_from INTEGER NOT NULL, day_to INTEGER NOT NULL, lon REAL, lat REAL
) STRICT;
CREATE TABLE item_place (item INTEGER NOT NULL, place_id TEXT NOT NULL) STRICT;
INSERT INTO item VALUES
	(1, 'a', 'Flood at Sinuiju',        1.5,  10,   '2020-08-26', 'flood',        1, 18500, 18504, 124.4, 40.1),
	(2, 'b', 'Border fence''s repair',  2.0,  20,   '2021-03-01', 'construction', 0, 18687, 18717, 126.0, 41.5),
	(3, 'c', 'flood warning',           3.5,  30,   '2021-03-15', 'flood',        1, 18701, 18701, 129.5, 42.5),
	(4, 'd', 'Checkpoint closed',       0.5,  NULL, NULL,         'other',        0, 17897, 19357, NULL,  NULL),
	(5, 'e', 'Rail_link 100% [new]',    10,   40,   '2022-01-01', 'construction', 1, 18993, 19002, 124.4, 40.0);
INSERT INTO item_place VALUES (1, 'sinuiju'), (1, 'dandong'), (2, 'hyesan'), (4, 'sinuiju'), (5, 'dandong');
`)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var testSchema = Schema{
	Queryables: []Queryable{
		{Name: "id", Type: TypeString, Column: "item.id"},
		{Name: "title", Type: TypeString, Column: "item.title"},
		{Name: "score", Type: TypeNumber, Column: "item.score"},
		{Name: "n", Type: TypeInteger, Column: "item.n"},
		{Name: "day", Type: TypeDate, Column: "item.day"},
		{Name: "category", Type: TypeString, Column: "item.category", Codes: []string{"flood", "construction", "other"}},
		{Name: "verified", Type: TypeBoolean, Column: "item.verified"},
		{Name: "place", Type: TypeString, Member: "item.rowid IN (SELECT item FROM item_place WHERE place_id %s)"},
		{Name: "geom", Type: TypeGeometry},
		{Name: "when", Type: TypeInterval},
	},
	// The test store has points, so its envelope test is exact.
	Spatial: func(property, op string, g orb.Geometry) (string, []any, error) {
		if op != "s_intersects" {
			return "", nil, fmt.Errorf("%s is not supported", op)
		}
		if _, ok := g.(orb.Bound); !ok {
			if _, ok := g.(orb.Polygon); !ok {
				return "", nil, errors.New("only BBOX and POLYGON are supported")
			}
		}
		b := g.Bound()
		return "item.lon BETWEEN ? AND ? AND item.lat BETWEEN ? AND ?", []any{b.Min[0], b.Max[0], b.Min[1], b.Max[1]}, nil
	},
	Temporal: func(property, op string, from, to *int64) (string, []any, error) {
		return DayRange(op, "item.day_from", "item.day_to", from, to)
	},
}

func selectIDs(t *testing.T, db *sql.DB, where string, args []any) string {
	t.Helper()
	rows, err := db.Query("SELECT id FROM item WHERE "+where, args...)
	if err != nil {
		t.Fatalf("%s %v: %v", where, args, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

func TestCompileSelects(t *testing.T) {
	db := testDB(t)
	for _, c := range []struct{ filter, want string }{
		{"TRUE", "a,b,c,d,e"},
		{"FALSE", ""},
		{"category = 'flood'", "a,c"},
		{"'flood' = category", "a,c"},
		{"category <> 'flood'", "b,d,e"},
		{"category IN ('flood', 'other')", "a,c,d"},
		{"title = 'Border fence''s repair'", "b"},
		{`title = 'Border fence\'s repair'`, "b"},
		// LIKE is case-sensitive, and GLOB's own wildcards are literals.
		{"title LIKE 'flood%'", "c"},
		{"title LIKE '%lood%'", "a,c"},
		{"title LIKE 'F_ood%'", "a"},
		{"title NOT LIKE '%lood%'", "b,d,e"},
		{`title LIKE '%100\%%'`, "e"},
		{`title LIKE 'Rail\_link%'`, "e"},
		{`title LIKE 'Rail\__ink%'`, "e"},
		{`title LIKE 'Rail\_\_ink%'`, ""},
		{"title LIKE '%[new]'", "e"},
		{"title LIKE '*'", ""},
		{"title LIKE '%?%'", ""},
		{"score > 1.5", "b,c,e"},
		{"score >= 1.5", "a,b,c,e"},
		{"1.5 < score", "b,c,e"},
		{"n BETWEEN 15 AND 35", "b,c"},
		// NULL is neither between nor not between.
		{"n NOT BETWEEN 15 AND 35", "a,e"},
		{"n IN (10, 40)", "a,e"},
		{"n NOT IN (10, 40)", "b,c"},
		{"n IS NULL", "d"},
		{"n IS NOT NULL", "a,b,c,e"},
		{"NOT (n = 10)", "b,c,e"},
		{"n = 10.0", "a"},
		{"n = 10.5", ""},
		{"score < n", "a,b,c,e"},
		{"verified = TRUE", "a,c,e"},
		{"verified = false", "b,d"},
		{"day = DATE('2021-03-01')", "b"},
		{"day = '2020-08-26'", "a"},
		{"day >= DATE('2021-03-01')", "b,c,e"},
		{"day < TIMESTAMP('2021-03-15T23:00:00Z')", "a,b"},
		{"day BETWEEN DATE('2021-01-01') AND DATE('2021-12-31')", "b,c"},
		{"T_AFTER(day, DATE('2021-03-01'))", "c,e"},
		{"T_BEFORE(day, DATE('2021-03-01'))", "a"},
		{"T_EQUALS(day, DATE('2021-03-15'))", "c"},
		{"T_INTERSECTS(day, INTERVAL('2021-01-01', '2021-12-31'))", "b,c"},
		{"T_DISJOINT(day, INTERVAL('2021-01-01', '2021-12-31'))", "a,e"},
		{"T_INTERSECTS(day, INTERVAL('..', '..'))", "a,b,c,e"},
		// An interval of two date properties, here both the same day.
		{"T_INTERSECTS(INTERVAL(day, day), INTERVAL('2021-01-01', '2021-12-31'))", "b,c"},
		{"T_DURING(INTERVAL(day, day), INTERVAL('2021-01-01', '2021-12-31'))", "b,c"},
		{"T_CONTAINS(INTERVAL('2021-01-01', '2021-12-31'), INTERVAL(day, day))", "b,c"},
		{"T_AFTER(INTERVAL(day, day), DATE('2021-03-01'))", "c,e"},
		{"T_INTERSECTS(when, INTERVAL('2021-03-10', '2021-03-20'))", "b,c,d"},
		{"T_INTERSECTS(when, DATE('2020-08-28'))", "a,d"},
		{"T_INTERSECTS(when, TIMESTAMP('2020-08-30T23:59:59Z'))", "a,d"},
		{"T_INTERSECTS(when, INTERVAL('..', '2020-01-01'))", "d"},
		{"T_INTERSECTS(INTERVAL('2021-12-31', '..'), when)", "d,e"},
		// DURING is strict: b starts on the interval's first day.
		{"T_DURING(when, INTERVAL('2021-03-01', '2021-03-31'))", "c"},
		{"T_CONTAINS(INTERVAL('2021-01-01', '2021-12-31'), when)", "b,c"},
		{"T_CONTAINS(when, INTERVAL('2021-03-02', '2021-03-30'))", "b,d"},
		{"T_BEFORE(when, DATE('2021-01-01'))", "a"},
		{"T_AFTER(when, DATE('2021-03-31'))", "e"},
		{"T_BEFORE(DATE('2021-03-31'), when)", "e"},
		{"T_EQUALS(when, INTERVAL('2021-03-01', '2021-03-31'))", "b"},
		{"T_STARTS(when, INTERVAL('2021-03-01', '2021-04-30'))", "b"},
		{"T_FINISHES(when, INTERVAL('2021-02-01', '2021-03-31'))", "b"},
		{"T_MEETS(when, INTERVAL('2021-03-31', '2021-04-30'))", "b"},
		{"T_METBY(when, INTERVAL('2021-02-01', '2021-03-01'))", "b"},
		{"T_OVERLAPS(when, INTERVAL('2021-03-10', '2021-04-30'))", "b"},
		{"T_OVERLAPPEDBY(when, INTERVAL('2021-02-01', '2021-03-10'))", "b"},
		{"T_DISJOINT(when, INTERVAL('2020-01-01', '2021-12-31'))", "e"},
		{"place = 'sinuiju'", "a,d"},
		{"place <> 'sinuiju'", "b,c,e"},
		{"place IN ('hyesan', 'dandong')", "a,b,e"},
		{"place LIKE 'd%'", "a,e"},
		{"place IS NULL", "c"},
		{"place IS NOT NULL", "a,b,d,e"},
		{"S_INTERSECTS(geom, BBOX(124, 39.5, 125, 40.5))", "a,e"},
		{"S_INTERSECTS(BBOX(124, 40.05, 125, 40.5), geom)", "a"},
		{"S_INTERSECTS(geom, POLYGON((124 39.5, 125 39.5, 125 40.5, 124 40.5, 124 39.5)))", "a,e"},
		{"category = 'flood' AND score > 2 OR n = 40", "c,e"},
		{"category = 'flood' AND (score > 2 OR n = 10)", "a,c"},
		{"NOT (category = 'flood' OR verified = TRUE)", "b,d"},
		{"S_INTERSECTS(geom, BBOX(124, 39, 130, 43)) AND T_INTERSECTS(when, INTERVAL('2021-01-01', '..')) AND place IS NULL", "c"},
	} {
		e, err := ParseText(c.filter)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		where, args, err := Compile(e, testSchema)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		if got := selectIDs(t, db, where, args); got != c.want {
			t.Errorf("%s\n  SQL %s %v\n  got [%s], want [%s]", c.filter, where, args, got, c.want)
		}
	}
}

// TestCompileJSONSameSQL checks that the two encodings reach SQLite alike.
func TestCompileJSONSameSQL(t *testing.T) {
	for text, js := range map[string]string{
		"category = 'flood' AND n IN (10, 40)":           `{"op":"and","args":[{"op":"=","args":[{"property":"category"},"flood"]},{"op":"in","args":[{"property":"n"},[10,40]]}]}`,
		"T_DURING(when, INTERVAL('2021-03-01', '..'))":   `{"op":"t_during","args":[{"property":"when"},{"interval":["2021-03-01",".."]}]}`,
		"S_INTERSECTS(geom, BBOX(124, 39.5, 125, 40.5))": `{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[124,39.5,125,40.5]}]}`,
		"NOT title LIKE 'F%'":                            `{"op":"not","args":[{"op":"like","args":[{"property":"title"},"F%"]}]}`,
	} {
		te, err := ParseText(text)
		if err != nil {
			t.Fatal(err)
		}
		je, err := ParseJSON([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		tw, ta, terr := Compile(te, testSchema)
		jw, ja, jerr := Compile(je, testSchema)
		if terr != nil || jerr != nil || tw != jw || !reflect.DeepEqual(ta, ja) {
			t.Errorf("%s:\n text %s %v %v\n json %s %v %v", text, tw, ta, terr, jw, ja, jerr)
		}
	}
}

func TestCompileInjection(t *testing.T) {
	db := testDB(t)
	for _, f := range []string{
		`title = 'x'' OR 1=1 --'`,
		`title = 'x''); DROP TABLE item; --'`,
		`title LIKE '%'' OR ''1''=''1'`,
		`place = ''' OR 1=1) --'`,
		`place IN ('x'' OR 1=1 --')`,
	} {
		e, err := ParseText(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		where, args, err := Compile(e, testSchema)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if strings.Contains(where, "1=1") || strings.Contains(where, "DROP") {
			t.Errorf("%s: a value reached the SQL: %s", f, where)
		}
		if got := selectIDs(t, db, where, args); got != "" {
			t.Errorf("%s matched [%s]", f, got)
		}
	}
	e, _ := ParseJSON([]byte(`{"op":"=","args":[{"property":"title"},"x' OR 1=1 --"]}`))
	where, args, err := Compile(e, testSchema)
	if err != nil || selectIDs(t, db, where, args) != "" {
		t.Errorf("json injection: %v", err)
	}
	if got := selectIDs(t, db, "1", nil); got != "a,b,c,d,e" {
		t.Errorf("the table changed: %s", got)
	}
}

func TestCompileErrors(t *testing.T) {
	for _, c := range []struct {
		filter string
		want   string
	}{
		{"category = 'fire'", `property "category": has no value 'fire'; its values are flood, construction, other`},
		{"category IN ('flood', 'fire')", "has no value 'fire'"},
		{"category < 'flood'", "no order"},
		{"n LIKE '1%'", "LIKE only matches strings"},
		{"n = 'ten'", `property "n": is a integer and cannot be compared with the string 'ten'`},
		{"title = 5", "cannot be compared with the number 5"},
		{"day = 'yesterday'", "'yesterday' is not a date"},
		{"day = 5", "cannot be compared"},
		{"verified < TRUE", "no order"},
		{"verified = 1", "cannot be compared"},
		{"title BETWEEN 'a' AND 'b'", "BETWEEN needs a number or a date"},
		{"1 = 1", "one side must be a property"},
		{"title = n", "cannot be compared"},
		{"place = title", "several values"},
		{"geom IS NULL", "no column"},
		{"geom = 1", "is a geometry"},
		{"when = DATE('2021-01-01')", "is a time interval"},
		{"S_INTERSECTS(title, BBOX(1, 2, 3, 4))", "not a geometry"},
		{"S_INTERSECTS(geom, 'x')", "expected a geometry"},
		{"S_WITHIN(geom, BBOX(1, 2, 3, 4))", "s_within is not supported"},
		{"S_INTERSECTS(geom, POINT(1 2))", "only BBOX and POLYGON"},
		{"T_DURING(day, INTERVAL('2021-01-01', '2021-02-01'))", "is a date (an instant)"},
		{"T_DURING(when, DATE('2021-01-01'))", "compares two intervals"},
		{"T_INTERSECTS(INTERVAL(a, b), INTERVAL('2021-01-01', '..'))", "unknown property"},
		{"T_INTERSECTS(INTERVAL(title, day), DATE('2021-01-01'))", "cannot bound an interval"},
		{"T_INTERSECTS(INTERVAL(day, day), INTERVAL(day, day))", "between two intervals of properties"},
		{"T_DURING(INTERVAL(day, day), DATE('2021-01-01'))", "compares two intervals"},
		{"T_INTERSECTS(when, INTERVAL('2021-02-01', '2021-01-01'))", "ends before it starts"},
		{"T_INTERSECTS(title, DATE('2021-01-01'))", "not a date or an interval"},
		{"T_INTERSECTS(when, 5)", "expected DATE"},
	} {
		e, err := ParseText(c.filter)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		_, _, err = Compile(e, testSchema)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.filter, err, c.want)
		}
	}
	e, _ := ParseText("nope = 1 AND title = 'x'")
	_, _, err := Compile(e, testSchema)
	var pe *PropertyError
	if !errors.As(err, &pe) || pe.Name != "nope" || len(pe.Known) != len(testSchema.Queryables) {
		t.Errorf("unknown property: %v", err)
	}
	e, _ = ParseJSON([]byte(`{"op":"like","args":[{"property":"title"},"abc\\"]}`))
	if _, _, err := Compile(e, testSchema); err == nil || !strings.Contains(err.Error(), "escape character") {
		t.Errorf("trailing escape: %v", err)
	}
	var te *TypeError
	e, _ = ParseText("n LIKE 'x'")
	if _, _, err := Compile(e, testSchema); !errors.As(err, &te) || te.Property != "n" {
		t.Errorf("want *TypeError naming n, got %v", err)
	}
}

func TestDayRangeOpenEnds(t *testing.T) {
	d := int64(5)
	where, args, err := DayRange("t_during", "s", "e", nil, &d)
	if err != nil || where != "(s = s AND e < ?)" || !reflect.DeepEqual(args, []any{int64(5)}) {
		t.Errorf("got %s %v %v", where, args, err)
	}
	if _, _, err := DayRange("t_sometime", "s", "e", nil, nil); err == nil {
		t.Error("unknown op accepted")
	}
}
