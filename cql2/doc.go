// Package cql2 parses OGC CQL2 filters (OGC 21-065r2) in both encodings,
// cql2-text and cql2-json, and compiles them to parameterised SQLite SQL.
//
// Supported: Basic CQL2 (= <> < <= > >=, AND, OR, NOT, IS [NOT] NULL, string,
// number, boolean, DATE and TIMESTAMP literals, bare and "quoted" property
// names); advanced comparison ([NOT] LIKE, [NOT] BETWEEN, [NOT] IN); spatial
// predicates (S_INTERSECTS and the other seven) with BBOX and 2D WKT or
// GeoJSON literals; temporal predicates (all fifteen T_ operators) with
// DATE, TIMESTAMP and INTERVAL literals, '..' being an open end. Not
// supported, each with a clear error: CASEI, ACCENTI, arithmetic, array
// predicates, custom functions, GEOMETRYCOLLECTION, 3D coordinates, and
// an INTERVAL of a property and a literal. INTERVAL(start, end) of two date
// properties compares with a literal instant or interval.
//
// Use:
//
//	e, err := cql2.ParseText(s)        // or cql2.ParseJSON(b)
//	where, args, err := cql2.Compile(e, schema)
//	rows, err := db.Query("SELECT … WHERE "+where, args...)
//
// Errors: *SyntaxError (with the character offset into the text, or a path
// into the JSON), *PropertyError (an unknown property, with the names that
// exist), *TypeError (a value or operator that does not fit the property),
// and errors from the Schema's callbacks, wrapped.
//
// Safety: values only ever reach SQL as ? arguments and identifiers only
// come from the Schema. Input is limited to MaxInputBytes, nesting to
// MaxDepth and lists and geometry vertices to MaxItems.
//
// Semantics chosen where SQLite and CQL2 differ:
//   - LIKE compiles to GLOB, which is case-sensitive like CQL2 LIKE
//     (SQLite's LIKE folds ASCII case); % and _ become * and ?, \ escapes
//     the next character, and GLOB's own * ? [ are bracketed.
//   - Dates are whole days. TypeDate columns hold 'YYYY-MM-DD' text;
//     a TIMESTAMP literal stands for its calendar day in UTC, and so does a
//     string in the form of a date or timestamp compared with a date.
//     Schema.Temporal receives days since 1970-01-01 (UTC).
//   - NULL follows SQL's three-valued logic, which is what CQL2 asks for:
//     a comparison with NULL is NULL, NOT NULL is NULL, and a row is
//     selected only when the filter is true.
//   - A literal on the left of a comparison, spatial or temporal predicate
//     is moved to the right with the converse operator.
package cql2
