package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/borderline/borderline/data"
)

// Bin is how long the bins of Counts are.
type Bin int

const (
	BinDay Bin = iota
	// BinWeek bins by seven days counted from the period's first day (the
	// timeline's bars), the last bin cut to the period.
	BinWeek
	// BinMonth bins by calendar month; the first and last bins are cut to
	// the period.
	BinMonth
)

// Counts says, for each bin of a period, how many of the incidents a query
// selects are in force on at least one of its days: in all, by category and
// by date precision. It is what the timeline's bar chart draws.
type Counts struct {
	Bin Bin
	// Starts are the first day of each bin, From first; days since 1970.
	Starts []int64
	From   int64 // the period, inclusive
	To     int64
	// Matched is how many incidents are in force on some day of the period.
	Matched int
	Total   []int
	// Category and Precision have one series per code of data.Categories
	// and data.DatePrecisions, in their order, each as long as Total.
	Category  [][]int
	Precision [][]int
	// CategoryPrecision[c][p] counts the incidents of category c whose date
	// has precision p: the chart draws each category's bar in two parts,
	// known to the day or week and known only to the month or more.
	CategoryPrecision [][][]int
}

// Counts counts the incidents q selects over the period q.FromDay–q.ToDay,
// which must be set; q's limit and offset play no part.
//
// One query reads each matching incident's days in force, category and date
// precision, and a sweep adds them up: +1 where an interval enters the
// period's bins, -1 after it leaves, summed in one pass. The cost is the
// matching incidents plus the bins, never one per bin. Without a bbox the
// query scans the covering index incident_span and reads nothing else.
func (s *Store) Counts(ctx context.Context, q Query, bin Bin) (Counts, error) {
	if q.FromDay == nil || q.ToDay == nil || *q.FromDay > *q.ToDay {
		return Counts{}, errors.New("counts: the period needs a first and a last day, in order")
	}
	table := spanTable
	switch {
	case q.Filter != nil && (q.BBox != nil || q.Filter.spaceOrTime):
		table = rtreeRowsTable
	case q.Filter != nil:
		table = rowTable
	case q.BBox != nil:
		table = rtreeTable
	}
	f := filterIncidents(q, table)
	// Incidents with the same days, category and precision count alike: the
	// database groups them (in the index's order, so without sorting) and
	// hands over thousands of rows instead of every incident.
	group := table.col("day_from") + ", " + table.col("day_to") + ", " + table.col("category") + ", " + table.col("date_precision")
	query := "SELECT " + group + ", count(*) FROM " + f.from + f.cond + " GROUP BY " + group
	st, err := s.stmt(ctx, query)
	if err != nil {
		return Counts{}, fmt.Errorf("count incidents by day: %w", err)
	}
	rows, err := st.QueryContext(ctx, f.args...)
	if err != nil {
		return Counts{}, fmt.Errorf("count incidents by day: %w", err)
	}
	defer rows.Close()
	sw := newSweep(*q.FromDay, *q.ToDay, bin)
	for rows.Next() {
		// The R*Tree answers its coordinates as floats; days are whole and
		// exact in them.
		var from, to float64
		var category, precision sql.NullString
		var n int
		if err := rows.Scan(&from, &to, &category, &precision, &n); err != nil {
			return Counts{}, fmt.Errorf("count incidents by day: %w", err)
		}
		sw.add(int64(from), int64(to), category.String, precision.String, n)
	}
	if err := rows.Err(); err != nil {
		return Counts{}, fmt.Errorf("count incidents by day: %w", err)
	}
	return sw.counts(), nil
}

// sweep adds up intervals of days into bins with difference arrays: an
// interval adds 1 at the bin it starts in and takes 1 away after the bin it
// ends in; a running sum turns that into counts.
type sweep struct {
	c         Counts
	bin       []int // the bin of each day of the period, From first
	total     []int
	category  [][]int
	precision [][]int
	both      [][][]int // by category, then precision
}

func newSweep(from, to int64, bin Bin) *sweep {
	sw := &sweep{c: Counts{Bin: bin, From: from, To: to}, bin: make([]int, to-from+1)}
	for d := from; d <= to; d++ {
		t := data.FromDayNumber(d)
		if d == from || bin == BinDay || bin == BinWeek && (d-from)%7 == 0 || bin == BinMonth && t.Day() == 1 {
			sw.c.Starts = append(sw.c.Starts, d)
		}
		sw.bin[d-from] = len(sw.c.Starts) - 1
	}
	n := len(sw.c.Starts) + 1 // one past the last bin, where the last intervals end
	sw.total = make([]int, n)
	sw.category = series(len(data.Categories), n)
	sw.precision = series(len(data.DatePrecisions), n)
	for range data.Categories {
		sw.both = append(sw.both, series(len(data.DatePrecisions), n))
	}
	return sw
}

func series(codes, n int) [][]int {
	s := make([][]int, codes)
	for i := range s {
		s[i] = make([]int, n)
	}
	return s
}

// add counts n incidents in force from one day to another, inclusive. Codes
// outside the lists (which validation keeps out) count in the total only.
func (sw *sweep) add(from, to int64, category, precision string, n int) {
	from, to = max(from, sw.c.From), min(to, sw.c.To)
	if from > to {
		return // not in force in the period
	}
	sw.c.Matched += n
	i, j := sw.bin[from-sw.c.From], sw.bin[to-sw.c.From]+1
	sw.total[i] += n
	sw.total[j] -= n
	c := slices.IndexFunc(data.Categories, func(c data.Code) bool { return c.Value == category })
	p := slices.IndexFunc(data.DatePrecisions, func(c data.Code) bool { return c.Value == precision })
	if c >= 0 {
		sw.category[c][i] += n
		sw.category[c][j] -= n
	}
	if p >= 0 {
		sw.precision[p][i] += n
		sw.precision[p][j] -= n
	}
	if c >= 0 && p >= 0 {
		sw.both[c][p][i] += n
		sw.both[c][p][j] -= n
	}
}

// counts sums the differences into counts.
func (sw *sweep) counts() Counts {
	c := sw.c
	sum := func(diff []int) []int {
		out := make([]int, len(diff)-1)
		run := 0
		for i := range out {
			run += diff[i]
			out[i] = run
		}
		return out
	}
	c.Total = sum(sw.total)
	for _, d := range sw.category {
		c.Category = append(c.Category, sum(d))
	}
	for _, d := range sw.precision {
		c.Precision = append(c.Precision, sum(d))
	}
	for _, byPrecision := range sw.both {
		var s [][]int
		for _, d := range byPrecision {
			s = append(s, sum(d))
		}
		c.CategoryPrecision = append(c.CategoryPrecision, s)
	}
	return c
}
