package cql2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// ParseJSON parses a cql2-json filter. Errors in the filter's structure name
// the offending member as a path such as "$.args[1].args[0]"; malformed JSON
// is reported by byte offset.
func ParseJSON(b []byte) (Expr, error) {
	if len(b) > MaxInputBytes {
		return nil, &SyntaxError{Pos: MaxInputBytes + 1, Msg: fmt.Sprintf("the filter is %d bytes long; the limit is %d", len(b), MaxInputBytes)}
	}
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD, and so
	// match something other than what the client sent.
	if !utf8.Valid(b) {
		return nil, &SyntaxError{Pos: invalidUTF8Offset(b), Msg: "the filter is not valid UTF-8"}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(err, len(b))
	}
	if _, err := dec.Token(); err == nil {
		return nil, &SyntaxError{Pos: int(dec.InputOffset()), Msg: "unexpected data after the filter"}
	}
	return jsonBool(v, "$", 1)
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i + 1
		}
		i += size
	}
	return 0
}

func jsonError(err error, n int) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &SyntaxError{Pos: int(se.Offset), Msg: "malformed JSON: " + se.Error()}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &SyntaxError{Pos: n, Msg: "the JSON ends early"}
	}
	return &SyntaxError{Msg: "malformed JSON: " + err.Error()}
}

func jsonErr(path, format string, args ...any) error {
	return &SyntaxError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

func describeJSON(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return "the number " + abbreviate(v.String())
	case string:
		return "the string " + strconv.Quote(abbreviate(v))
	case []any:
		return "an array"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, strconv.Quote(abbreviate(k)))
		}
		sort.Strings(keys)
		if len(keys) > 4 {
			keys = append(keys[:4], "…")
		}
		return "an object with " + strings.Join(keys, ", ")
	}
	return fmt.Sprintf("%T", v)
}

func checkDepth(path string, depth int) error {
	if depth > MaxDepth {
		return jsonErr(path, "the filter is nested more than %d levels deep", MaxDepth)
	}
	return nil
}

// onlyKeys refuses members the spec does not define, so that a misspelt
// member is an error rather than a silently wider filter.
func onlyKeys(m map[string]any, path string, keys ...string) error {
	for k := range m {
		found := false
		for _, want := range keys {
			if k == want {
				found = true
				break
			}
		}
		if !found {
			return jsonErr(path, "unexpected member %q (expected %s)", abbreviate(k), strings.Join(keys, ", "))
		}
	}
	return nil
}

// jsonBool reads a boolean expression: a predicate object or true/false.
func jsonBool(v any, path string, depth int) (Expr, error) {
	if err := checkDepth(path, depth); err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case bool:
		return &Bool{Value: v}, nil
	case map[string]any:
		if _, ok := v["op"]; ok {
			return jsonOp(v, path, depth)
		}
	}
	return nil, jsonErr(path, "expected a predicate such as {\"op\": \"=\", \"args\": […]}, found %s", describeJSON(v))
}

func jsonArgs(m map[string]any, path string, min, max int) (string, []any, error) {
	if err := onlyKeys(m, path, "op", "args"); err != nil {
		return "", nil, err
	}
	op, ok := m["op"].(string)
	if !ok {
		return "", nil, jsonErr(path+".op", "expected the operator as a string, found %s", describeJSON(m["op"]))
	}
	args, ok := m["args"].([]any)
	if !ok {
		return op, nil, jsonErr(path+".args", "expected an array of arguments for %q, found %s", abbreviate(op), describeJSON(m["args"]))
	}
	if len(args) < min || max >= 0 && len(args) > max {
		want := strconv.Itoa(min)
		switch {
		case max < 0:
			want = "at least " + want
		case max != min:
			want += " to " + strconv.Itoa(max)
		}
		return op, nil, jsonErr(path+".args", "%q takes %s arguments, not %d", op, want, len(args))
	}
	return op, args, nil
}

func argPath(path string, i int) string { return path + ".args[" + strconv.Itoa(i) + "]" }

func jsonOp(m map[string]any, path string, depth int) (Expr, error) {
	op, _ := m["op"].(string)
	// The schema spells some temporal operators in camel case
	// ("t_metBy"); the tree keeps them in lower case.
	if lower := strings.ToLower(op); spatialOps[lower] || temporalOps[lower] {
		op = lower
	}
	switch {
	case op == "and" || op == "or":
		_, args, err := jsonArgs(m, path, 2, MaxItems)
		if err != nil {
			return nil, err
		}
		out := make([]Expr, len(args))
		for i, a := range args {
			if out[i], err = jsonBool(a, argPath(path, i), depth+1); err != nil {
				return nil, err
			}
		}
		if op == "and" {
			return &And{Args: out}, nil
		}
		return &Or{Args: out}, nil
	case op == "not":
		_, args, err := jsonArgs(m, path, 1, 1)
		if err != nil {
			return nil, err
		}
		e, err := jsonBool(args[0], argPath(path, 0), depth+1)
		if err != nil {
			return nil, err
		}
		return &Not{Arg: e}, nil
	case op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=":
		args, err := jsonOperands(m, path, depth, 2)
		if err != nil {
			return nil, err
		}
		return &Compare{Op: op, Left: args[0], Right: args[1]}, nil
	case op == "like":
		_, args, err := jsonArgs(m, path, 2, 2)
		if err != nil {
			return nil, err
		}
		left, err := jsonOperand(args[0], argPath(path, 0), depth+1)
		if err != nil {
			return nil, err
		}
		pat, ok := args[1].(string)
		if !ok {
			if pm, isMap := args[1].(map[string]any); isMap && (pm["op"] == "casei" || pm["op"] == "accenti") {
				return nil, jsonErr(argPath(path, 1), "%s is not supported", strings.ToUpper(pm["op"].(string)))
			}
			return nil, jsonErr(argPath(path, 1), "expected the LIKE pattern as a string, found %s", describeJSON(args[1]))
		}
		if err := checkString(pat, argPath(path, 1)); err != nil {
			return nil, err
		}
		return &Like{Arg: left, Pattern: &Str{Value: pat}}, nil
	case op == "between":
		args, err := jsonOperands(m, path, depth, 3)
		if err != nil {
			return nil, err
		}
		return &Between{Arg: args[0], Low: args[1], High: args[2]}, nil
	case op == "in":
		_, args, err := jsonArgs(m, path, 2, 2)
		if err != nil {
			return nil, err
		}
		left, err := jsonOperand(args[0], argPath(path, 0), depth+1)
		if err != nil {
			return nil, err
		}
		list, ok := args[1].([]any)
		if !ok || len(list) == 0 {
			return nil, jsonErr(argPath(path, 1), "expected a non-empty array of values for \"in\", found %s", describeJSON(args[1]))
		}
		if len(list) > MaxItems {
			return nil, jsonErr(argPath(path, 1), "the list has %d values; the limit is %d", len(list), MaxItems)
		}
		out := make([]Expr, len(list))
		for i, a := range list {
			if out[i], err = jsonOperand(a, argPath(path, 1)+"["+strconv.Itoa(i)+"]", depth+2); err != nil {
				return nil, err
			}
		}
		return &In{Arg: left, List: out}, nil
	case op == "isNull":
		args, err := jsonOperands(m, path, depth, 1)
		if err != nil {
			return nil, err
		}
		return &IsNull{Arg: args[0]}, nil
	case spatialOps[op]:
		args, err := jsonOperands(m, path, depth, 2)
		if err != nil {
			return nil, err
		}
		return &Spatial{Op: op, Left: args[0], Right: args[1]}, nil
	case temporalOps[op]:
		args, err := jsonOperands(m, path, depth, 2)
		if err != nil {
			return nil, err
		}
		return &Temporal{Op: op, Left: args[0], Right: args[1]}, nil
	case strings.HasPrefix(op, "a_"):
		return nil, jsonErr(path+".op", "array functions such as %q are not supported", op)
	}
	if _, ok := m["op"].(string); !ok {
		return nil, jsonErr(path+".op", "expected the operator as a string, found %s", describeJSON(m["op"]))
	}
	return nil, jsonErr(path+".op", "unknown operator or function %q", abbreviate(op))
}

func jsonOperands(m map[string]any, path string, depth, n int) ([]Expr, error) {
	_, args, err := jsonArgs(m, path, n, n)
	if err != nil {
		return nil, err
	}
	out := make([]Expr, n)
	for i, a := range args {
		if out[i], err = jsonOperand(a, argPath(path, i), depth+1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func checkString(s, path string) error {
	if strings.ContainsRune(s, 0) {
		return jsonErr(path, "a string may not contain the NUL character")
	}
	return nil
}

func jsonNumber(v any, path string) (float64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, jsonErr(path, "expected a number, found %s", describeJSON(v))
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, jsonErr(path, "the number %s is out of range", abbreviate(string(n)))
	}
	return f, nil
}

// jsonOperand reads a property, a literal or a geometry.
func jsonOperand(v any, path string, depth int) (Expr, error) {
	if err := checkDepth(path, depth); err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case string:
		if err := checkString(v, path); err != nil {
			return nil, err
		}
		return &Str{Value: v}, nil
	case json.Number:
		f, err := jsonNumber(v, path)
		if err != nil {
			return nil, err
		}
		return &Number{Value: f}, nil
	case bool:
		return &Bool{Value: v}, nil
	case map[string]any:
		return jsonObject(v, path, depth)
	}
	return nil, jsonErr(path, "expected a property, a value or a geometry, found %s", describeJSON(v))
}

func jsonObject(m map[string]any, path string, depth int) (Expr, error) {
	switch {
	case has(m, "property"):
		if err := onlyKeys(m, path, "property"); err != nil {
			return nil, err
		}
		name, ok := m["property"].(string)
		if !ok || !validIdent(name) {
			return nil, jsonErr(path+".property", "expected a property name, found %s", describeJSON(m["property"]))
		}
		return &Property{Name: name}, nil
	case has(m, "date"), has(m, "timestamp"):
		key := "date"
		if has(m, "timestamp") {
			key = "timestamp"
		}
		if err := onlyKeys(m, path, key); err != nil {
			return nil, err
		}
		s, ok := m[key].(string)
		if !ok {
			return nil, jsonErr(path+"."+key, "expected a string, found %s", describeJSON(m[key]))
		}
		e, msg := instant(s, key == "timestamp")
		if msg != "" {
			return nil, jsonErr(path+"."+key, "%s", msg)
		}
		return e, nil
	case has(m, "interval"):
		if err := onlyKeys(m, path, "interval"); err != nil {
			return nil, err
		}
		ends, ok := m["interval"].([]any)
		if !ok || len(ends) != 2 {
			return nil, jsonErr(path+".interval", "expected an array of two instants, found %s", describeJSON(m["interval"]))
		}
		var out [2]Expr
		for i, end := range ends {
			p := path + ".interval[" + strconv.Itoa(i) + "]"
			switch end := end.(type) {
			case string:
				if end == ".." {
					continue
				}
				e, msg := instantAuto(end)
				if msg != "" {
					return nil, jsonErr(p, "%s", msg)
				}
				out[i] = e
			case map[string]any:
				if !has(end, "property") {
					return nil, jsonErr(p, "expected a date, a timestamp, \"..\" or a property, found %s", describeJSON(end))
				}
				e, err := jsonObject(end, p, depth+1)
				if err != nil {
					return nil, err
				}
				out[i] = e
			default:
				return nil, jsonErr(p, "expected a date, a timestamp, \"..\" or a property, found %s", describeJSON(end))
			}
		}
		return &Interval{Start: out[0], End: out[1]}, nil
	case has(m, "bbox"):
		if err := onlyKeys(m, path, "bbox"); err != nil {
			return nil, err
		}
		arr, ok := m["bbox"].([]any)
		if !ok {
			return nil, jsonErr(path+".bbox", "expected an array of numbers, found %s", describeJSON(m["bbox"]))
		}
		if len(arr) > 6 {
			arr = arr[:7] // enough for bbox to name the count
		}
		vals := make([]float64, len(arr))
		for i, a := range arr {
			f, err := jsonNumber(a, path+".bbox["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			vals[i] = f
		}
		b, msg := bbox(vals)
		if msg != "" {
			return nil, jsonErr(path+".bbox", "%s", msg)
		}
		return &Geom{Geometry: b}, nil
	case has(m, "type"):
		g, err := geoJSON(m, path)
		if err != nil {
			return nil, err
		}
		return &Geom{Geometry: g}, nil
	case has(m, "op"):
		op, _ := m["op"].(string)
		switch {
		case op == "casei" || op == "accenti":
			return nil, jsonErr(path+".op", "%s is not supported", strings.ToUpper(op))
		case op == "+" || op == "-" || op == "*" || op == "/" || op == "^" || op == "%" || op == "div":
			return nil, jsonErr(path+".op", "arithmetic (%q) is not supported", op)
		case spatialOps[op] || temporalOps[op] || op == "and" || op == "or" || op == "not":
			return nil, jsonErr(path, "%q is a predicate and cannot be used as a value", op)
		}
		return nil, jsonErr(path+".op", "unknown function %q", abbreviate(op))
	}
	return nil, jsonErr(path, "expected a property, a value or a geometry, found %s", describeJSON(m))
}

func has(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// geoJSON reads a GeoJSON geometry object; the counter bounds its vertices.
func geoJSON(m map[string]any, path string) (orb.Geometry, error) {
	if err := onlyKeys(m, path, "type", "coordinates"); err != nil {
		return nil, err
	}
	typ, _ := m["type"].(string)
	c := &counter{}
	cp := path + ".coordinates"
	co := m["coordinates"]
	switch typ {
	case "Point":
		return jsonPoint(co, cp, c)
	case "MultiPoint":
		ps, err := jsonPoints(co, cp, c)
		return orb.MultiPoint(ps), err
	case "LineString":
		return jsonLine(co, cp, c)
	case "MultiLineString":
		ls, err := jsonArray(co, cp, "line strings", c, jsonLine)
		return orb.MultiLineString(ls), err
	case "Polygon":
		return jsonPolygon(co, cp, c)
	case "MultiPolygon":
		pgs, err := jsonArray(co, cp, "polygons", c, jsonPolygon)
		return orb.MultiPolygon(pgs), err
	case "GeometryCollection":
		return nil, jsonErr(path+".type", "GeometryCollection is not supported")
	}
	return nil, jsonErr(path+".type", "expected a GeoJSON geometry type such as \"Polygon\", found %s", describeJSON(m["type"]))
}

func jsonPoint(v any, path string, c *counter) (orb.Point, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) < 2 {
		return orb.Point{}, jsonErr(path, "expected a position [x, y], found %s", describeJSON(v))
	}
	if len(arr) > 2 {
		return orb.Point{}, jsonErr(path, "3D coordinates are not supported")
	}
	x, err := jsonNumber(arr[0], path+"[0]")
	if err != nil {
		return orb.Point{}, err
	}
	y, err := jsonNumber(arr[1], path+"[1]")
	if err != nil {
		return orb.Point{}, err
	}
	c.n++
	if c.n > MaxItems {
		return orb.Point{}, jsonErr(path, "the geometry has more than %d vertices", MaxItems)
	}
	return orb.Point{x, y}, nil
}

// jsonArray reads a non-empty array whose members each reads, naming each
// member's path in an error.
func jsonArray[T any](v any, path, what string, c *counter, each func(any, string, *counter) (T, error)) ([]T, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, jsonErr(path, "expected an array of %s, found %s", what, describeJSON(v))
	}
	out := make([]T, 0, len(arr))
	for i, a := range arr {
		x, err := each(a, path+"["+strconv.Itoa(i)+"]", c)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func jsonPoints(v any, path string, c *counter) ([]orb.Point, error) {
	return jsonArray(v, path, "positions", c, jsonPoint)
}

func jsonLine(v any, path string, c *counter) (orb.LineString, error) {
	ps, err := jsonPoints(v, path, c)
	if err != nil {
		return nil, err
	}
	if msg := checkLine(ps); msg != "" {
		return nil, jsonErr(path, "%s", msg)
	}
	return orb.LineString(ps), nil
}

func jsonRing(v any, path string, c *counter) (orb.Ring, error) {
	ps, err := jsonPoints(v, path, c)
	if err != nil {
		return nil, err
	}
	if msg := checkRing(ps); msg != "" {
		return nil, jsonErr(path, "%s", msg)
	}
	return orb.Ring(ps), nil
}

func jsonPolygon(v any, path string, c *counter) (orb.Polygon, error) {
	rings, err := jsonArray(v, path, "rings", c, jsonRing)
	return orb.Polygon(rings), err
}
