package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/borderline/borderline/data"
)

// binEnds are the last days of the bins of c, for the oracle.
func binEnds(c Counts) []int64 {
	ends := make([]int64, len(c.Starts))
	for i := range c.Starts {
		if i+1 < len(c.Starts) {
			ends[i] = c.Starts[i+1] - 1
		} else {
			ends[i] = c.To
		}
	}
	return ends
}

// Counts agree with the seed filtered in Go one bin at a time (expected, the
// oracle of the items), in all, by category and by date precision.
func TestCountsMatchPlainFilterPerBin(t *testing.T) {
	st := openCopy(t)
	ext, err := st.Extent(context.Background(), "incidents")
	if err != nil {
		t.Fatal(err)
	}
	border := &orb.Bound{Min: orb.Point{124, 40}, Max: orb.Point{131, 43.5}}
	cases := []struct {
		name string
		q    Query
		bin  Bin
	}{
		{"every day of the extent", Query{FromDay: ext.FromDay, ToDay: ext.ToDay}, BinDay},
		{"every month of the extent", Query{FromDay: ext.FromDay, ToDay: ext.ToDay}, BinMonth},
		{"every week of the extent", Query{FromDay: ext.FromDay, ToDay: ext.ToDay}, BinWeek},
		{"weeks from a Wednesday, the last cut", Query{FromDay: day("2020-07-01"), ToDay: day("2020-09-10")}, BinWeek},
		{"months cut at both ends", Query{FromDay: day("2020-03-15"), ToDay: day("2021-02-10")}, BinMonth},
		{"one day", Query{FromDay: day("2020-08-26"), ToDay: day("2020-08-26")}, BinDay},
		{"categories", Query{FromDay: ext.FromDay, ToDay: ext.ToDay, Categories: []string{"arrests", "health"}}, BinDay},
		{"bbox (the R*Tree)", Query{FromDay: ext.FromDay, ToDay: ext.ToDay, BBox: border}, BinMonth},
		{"bbox and verification", Query{FromDay: day("2020-06-01"), ToDay: day("2020-12-31"), BBox: border, Verifications: []string{"single_source"}}, BinDay},
		{"sources and places", Query{FromDay: ext.FromDay, ToDay: ext.ToDay, SourceIDs: []string{"hrw-2021-01-13", "dailynk-2021-03"},
			PlaceIDs: []string{"north-korea", "hyesan", "kp-cn-border"}}, BinDay},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := st.Counts(context.Background(), tc.q, tc.bin)
			if err != nil {
				t.Fatal(err)
			}
			if c.Starts[0] != *tc.q.FromDay || len(c.Total) != len(c.Starts) {
				t.Fatalf("bins start %v…, %d totals for %d bins", c.Starts[:1], len(c.Total), len(c.Starts))
			}
			if want := len(expected(tc.q)); c.Matched != want {
				t.Errorf("matched %d, want %d", c.Matched, want)
			}
			byID := map[string]data.Incident{}
			for _, in := range testSeed.Incidents {
				byID[in.ID] = in
			}
			nonzero := 0
			for b, end := range binEnds(c) {
				q := tc.q
				q.FromDay, q.ToDay = &c.Starts[b], &end
				ids := expected(q)
				if c.Total[b] != len(ids) {
					t.Errorf("bin %s: total %d, want %d", data.FormatDate(data.FromDayNumber(c.Starts[b])), c.Total[b], len(ids))
				}
				nonzero += min(len(ids), 1)
				for k, code := range data.Categories {
					want := 0
					for _, id := range ids {
						want += boolInt(byID[id].Category == code.Value)
					}
					if c.Category[k][b] != want {
						t.Errorf("bin %d, %s: %d, want %d", b, code.Value, c.Category[k][b], want)
					}
				}
				for k, code := range data.DatePrecisions {
					want := 0
					for _, id := range ids {
						want += boolInt(byID[id].DatePrecision == code.Value)
					}
					if c.Precision[k][b] != want {
						t.Errorf("bin %d, precision %s: %d, want %d", b, code.Value, c.Precision[k][b], want)
					}
				}
				for kc, cat := range data.Categories {
					for kp, prec := range data.DatePrecisions {
						want := 0
						for _, id := range ids {
							want += boolInt(byID[id].Category == cat.Value && byID[id].DatePrecision == prec.Value)
						}
						if got := c.CategoryPrecision[kc][kp][b]; got != want {
							t.Errorf("bin %d, %s known to the %s: %d, want %d", b, cat.Value, prec.Value, got, want)
						}
					}
				}
			}
			if nonzero == 0 {
				t.Error("every bin is empty: the case proves nothing")
			}
		})
	}
}

func TestCountsBins(t *testing.T) {
	st := openCopy(t)
	date := func(d int64) string { return data.FormatDate(data.FromDayNumber(d)) }
	for _, tc := range []struct {
		from, to string
		bin      Bin
		starts   []string
	}{
		{"2020-01-30", "2020-02-02", BinDay, []string{"2020-01-30", "2020-01-31", "2020-02-01", "2020-02-02"}},
		{"2020-01-01", "2020-01-15", BinWeek, []string{"2020-01-01", "2020-01-08", "2020-01-15"}},
		{"2020-01-01", "2020-01-14", BinWeek, []string{"2020-01-01", "2020-01-08"}},
		{"2020-01-30", "2020-04-01", BinMonth, []string{"2020-01-30", "2020-02-01", "2020-03-01", "2020-04-01"}},
		{"2020-12-31", "2021-01-01", BinMonth, []string{"2020-12-31", "2021-01-01"}},
		{"2020-02-29", "2020-02-29", BinMonth, []string{"2020-02-29"}},
	} {
		c, err := st.Counts(context.Background(), Query{FromDay: day(tc.from), ToDay: day(tc.to)}, tc.bin)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range c.Starts {
			got = append(got, date(s))
		}
		if !slices.Equal(got, tc.starts) {
			t.Errorf("%s–%s by %d: bins start %v, want %v", tc.from, tc.to, tc.bin, got, tc.starts)
		}
	}
	if _, err := st.Counts(context.Background(), Query{FromDay: day("2020-02-02"), ToDay: day("2020-02-01")}, BinDay); err == nil {
		t.Error("a period that ends before it starts was counted")
	}
}

// A search counts what the same search lists, bin by bin.
func TestCountsOfASearchAgreeWithItems(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	q := Query{Text: "border", FromDay: day("2020-01-01"), ToDay: day("2021-04-30")}
	c, err := st.Counts(ctx, q, BinMonth)
	if err != nil {
		t.Fatal(err)
	}
	for b, end := range binEnds(c) {
		bq := q
		bq.FromDay, bq.ToDay, bq.Limit = &c.Starts[b], &end, 1
		page, err := st.Items(ctx, "incidents", bq)
		if err != nil {
			t.Fatal(err)
		}
		if page.Matched != c.Total[b] {
			t.Errorf("%s: counted %d, listed %d", data.FromDayNumber(c.Starts[b]).Format("2006-01"), c.Total[b], page.Matched)
		}
	}
	if page, err := st.Items(ctx, "incidents", Query{Text: q.Text, FromDay: q.FromDay, ToDay: q.ToDay, Limit: 1}); err != nil ||
		page.Matched != c.Matched || c.Matched == 0 || c.Matched == len(testSeed.Incidents) {
		t.Errorf("matched %d, listed %d (%v): want the same, some but not all", c.Matched, page.Matched, err)
	}
}

// The sweep on its own, against counting day by day: intervals that start
// before the period, end after it, or miss it.
func TestSweepAgainstCountingEachDay(t *testing.T) {
	from, to := *day("2020-01-10"), *day("2020-03-05")
	spans := []struct {
		from, to            int64
		category, precision string
	}{
		{from - 30, from - 1, "arrests", "day"}, // before
		{from - 5, from, "arrests", "week"},     // touches the first day
		{from, to, "health", "year"},
		{from + 20, from + 20, "policy", "day"},
		{from + 20, to + 40, "policy", "month"}, // runs past the end
		{to, to, "other", "fortnight"},          // codes outside the lists: total only
		{to + 1, to + 9, "health", "day"},       // after
	}
	for _, bin := range []Bin{BinDay, BinWeek, BinMonth} {
		sw := newSweep(from, to, bin)
		for _, s := range spans {
			sw.add(s.from, s.to, s.category, s.precision, 1)
		}
		c := sw.counts()
		if c.Matched != 5 {
			t.Errorf("bin %d: matched %d, want 5", bin, c.Matched)
		}
		for b, end := range binEnds(c) {
			total, health, policyMonth := 0, 0, 0
			for _, s := range spans {
				if s.from <= end && s.to >= c.Starts[b] {
					total++
					health += boolInt(s.category == "health")
					policyMonth += boolInt(s.precision == "month")
				}
			}
			if c.Total[b] != total || c.Category[3][b] != health || c.Precision[2][b] != policyMonth {
				t.Errorf("bin %d from %s: %d/%d/%d, want %d/%d/%d", bin, time.Unix(c.Starts[b]*86400, 0).UTC().Format(time.DateOnly),
					c.Total[b], c.Category[3][b], c.Precision[2][b], total, health, policyMonth)
			}
		}
	}
}
