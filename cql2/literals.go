package cql2

import (
	"fmt"
	"regexp"
	"time"

	"github.com/paulmach/orb"
)

// The operator names are those of cql2-json; cql2-text spells them in upper
// case.
var spatialOps = map[string]bool{
	"s_intersects": true, "s_equals": true, "s_disjoint": true, "s_touches": true,
	"s_within": true, "s_overlaps": true, "s_crosses": true, "s_contains": true,
}

var temporalOps = map[string]bool{
	"t_after": true, "t_before": true, "t_contains": true, "t_disjoint": true,
	"t_during": true, "t_equals": true, "t_finishedby": true, "t_finishes": true,
	"t_intersects": true, "t_meets": true, "t_metby": true, "t_overlappedby": true,
	"t_overlaps": true, "t_startedby": true, "t_starts": true,
}

// The BNF's fullDate and fullDate "T" utcTime; time.Parse then rejects
// impossible days such as 2021-02-30.
var (
	dateRE      = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	timestampRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$`)
)

// instant validates the text of DATE(…) or TIMESTAMP(…); msg is "" when it
// is valid.
func instant(s string, timestamp bool) (Expr, string) {
	if timestamp {
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil || !timestampRE.MatchString(s) {
			return nil, fmt.Sprintf("%s is not a timestamp like '2021-03-01T12:00:00Z'", quote(abbreviate(s)))
		}
		// One instant has many spellings ('…:00Z', '…:00.000000Z'); the
		// tree keeps the shortest so that equal filters give equal trees.
		t, _ := time.Parse(time.RFC3339Nano, s)
		return &Timestamp{Value: t.UTC().Format(time.RFC3339Nano)}, ""
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil || !dateRE.MatchString(s) {
		return nil, fmt.Sprintf("%s is not a date like '2021-03-01'", quote(abbreviate(s)))
	}
	return &Date{Value: s}, ""
}

// instantAuto reads an interval end, which names no type and so is a date
// or a timestamp by its shape.
func instantAuto(s string) (Expr, string) {
	if len(s) > 10 {
		return instant(s, true)
	}
	e, msg := instant(s, false)
	if msg != "" {
		msg = fmt.Sprintf("%s is not a date, a timestamp or '..'", quote(abbreviate(s)))
	}
	return e, msg
}

// day is the number of days since 1970-01-01 of the calendar day of a *Date
// or *Timestamp; timestamps are in UTC, so their day is the UTC day.
func day(e Expr) (int64, bool) {
	var s string
	switch e := e.(type) {
	case *Date:
		s = e.Value
	case *Timestamp:
		s = e.Value
	default:
		return 0, false
	}
	if len(s) < 10 {
		return 0, false
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return 0, false
	}
	u := t.Unix()
	d := u / 86400
	if u%86400 < 0 {
		d--
	}
	return d, true
}

// dayText is the 'YYYY-MM-DD' of a day number.
func dayText(d int64) string {
	return time.Unix(d*86400, 0).UTC().Format(time.DateOnly)
}

func bbox(v []float64) (orb.Bound, string) {
	switch len(v) {
	case 4:
	case 6:
		return orb.Bound{}, "3D boxes (BBOX with 6 numbers) are not supported"
	default:
		return orb.Bound{}, fmt.Sprintf("BBOX takes 4 numbers (west, south, east, north), not %d", len(v))
	}
	b := orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
	if b.Min[1] > b.Max[1] {
		return orb.Bound{}, "the BBOX's south edge is north of its north edge"
	}
	// The data lie far from the antimeridian, so a box across it is more
	// likely a mistake than a query.
	if b.Min[0] > b.Max[0] {
		return orb.Bound{}, "the BBOX's west edge is east of its east edge (boxes across the antimeridian are not supported)"
	}
	return b, ""
}

func checkLine(ps []orb.Point) string {
	if len(ps) < 2 {
		return "a LINESTRING needs at least 2 positions"
	}
	return ""
}

func checkRing(ps []orb.Point) string {
	if len(ps) < 4 {
		return "a polygon ring needs at least 4 positions"
	}
	if ps[0] != ps[len(ps)-1] {
		return "a polygon ring must end where it starts"
	}
	return ""
}
