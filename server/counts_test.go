package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/borderline/borderline/data"
)

type countsBody struct {
	Bin       string           `json:"bin"`
	From      *string          `json:"from"`
	To        *string          `json:"to"`
	Matched   int              `json:"matched"`
	Bins      []string         `json:"bins"`
	Total     []int            `json:"total"`
	Category  map[string][]int `json:"category"`
	Precision map[string][]int `json:"precision"`
	// CategoryPrecision: category, then precision.
	CategoryPrecision map[string]map[string][]int `json:"category_precision"`
	Links             []link                      `json:"links"`
}

func getCounts(t *testing.T, query string) countsBody {
	t.Helper()
	resp, body := get(t, "/collections/incidents/counts?"+query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("counts?%s: %d %s", query, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("counts?%s: Content-Type %q", query, ct)
	}
	var c countsBody
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatalf("counts?%s: %v: %s", query, err, body)
	}
	return c
}

// binEnd is the last day of bin i of c.
func binEnd(t *testing.T, c countsBody, i int) string {
	t.Helper()
	if i+1 == len(c.Bins) {
		return *c.To
	}
	next, err := time.Parse(time.DateOnly, c.Bins[i+1])
	if err != nil {
		t.Fatal(err)
	}
	return next.AddDate(0, 0, -1).Format(time.DateOnly)
}

// The counts of a bin are what the items answer for its days, with the same
// filters: in all, and for each category and date precision.
func TestCountsAgreeWithItems(t *testing.T) {
	for _, filter := range []string{
		"bin=month",
		"bin=week&datetime=2020-07-01/2020-10-15&verification=single_source",
		"bin=month&category=border_security,quarantine&verification=single_source,corroborated",
		"bin=month&bbox=124,40,131,43.5&q=border",
		"datetime=2020-08-20/2020-09-10&source=amn-2020-08-30,hrw-2021-01-13&place=kp-cn-border,north-korea",
	} {
		t.Run(filter, func(t *testing.T) {
			c := getCounts(t, filter)
			itemFilter := url.Values{}
			v, _ := url.ParseQuery(filter)
			for k, vals := range v {
				if k != "bin" && k != "datetime" {
					itemFilter[k] = vals
				}
			}
			matched := func(extra url.Values) int {
				q := url.Values{"limit": {"1"}}
				for _, vals := range []url.Values{itemFilter, extra} {
					for k, v := range vals {
						q[k] = v
					}
				}
				return getFC(t, "/collections/incidents/items?"+q.Encode()).NumberMatched
			}
			if len(c.Total) != len(c.Bins) || len(c.Bins) == 0 {
				t.Fatalf("%d totals for %d bins", len(c.Total), len(c.Bins))
			}
			if want := matched(url.Values{"datetime": {*c.From + "/" + *c.To}}); c.Matched != want || want == 0 {
				t.Errorf("matched %d; the items over the period: %d", c.Matched, want)
			}
			for i, start := range c.Bins {
				period := url.Values{"datetime": {start + "/" + binEnd(t, c, i)}}
				if want := matched(period); c.Total[i] != want {
					t.Errorf("%s: total %d, items %d", start, c.Total[i], want)
				}
				for _, code := range data.Categories {
					if v.Has("category") && !strings.Contains(v.Get("category"), code.Value) {
						continue // the filter leaves it out; and it has no series
					}
					byCat := url.Values{"datetime": period["datetime"], "category": {code.Value}}
					if got, want := at(c.Category[code.Value], i), matched(byCat); got != want {
						t.Errorf("%s, %s: %d, items %d", start, code.Value, got, want)
					}
				}
			}
			// Precision has no items filter: its series add up to the totals,
			// and the series by category and precision to both.
			for i := range c.Bins {
				sum := 0
				for _, s := range c.Precision {
					sum += s[i]
				}
				if sum != c.Total[i] {
					t.Errorf("%s: the precisions add up to %d of %d", c.Bins[i], sum, c.Total[i])
				}
				byCat, byPrec := map[string]int{}, map[string]int{}
				for cat, m := range c.CategoryPrecision {
					for prec, s := range m {
						byCat[cat] += s[i]
						byPrec[prec] += s[i]
					}
				}
				for _, code := range data.Categories {
					if byCat[code.Value] != at(c.Category[code.Value], i) {
						t.Errorf("%s: %s by precision adds up to %d of %d", c.Bins[i], code.Value, byCat[code.Value], at(c.Category[code.Value], i))
					}
				}
				for _, code := range data.DatePrecisions {
					if byPrec[code.Value] != at(c.Precision[code.Value], i) {
						t.Errorf("%s: %s by category adds up to %d of %d", c.Bins[i], code.Value, byPrec[code.Value], at(c.Precision[code.Value], i))
					}
				}
			}
		})
	}
}

// at is s[i], or 0 for a series left out because it is all zeros.
func at(s []int, i int) int {
	if s == nil {
		return 0
	}
	return s[i]
}

// Without datetime the counts cover the collection's temporal extent, by day;
// an open end is the extent's.
func TestCountsPeriod(t *testing.T) {
	var col struct {
		Extent struct {
			Temporal struct {
				Interval [][]string `json:"interval"`
			} `json:"temporal"`
		} `json:"extent"`
	}
	_, body := get(t, "/collections/incidents")
	if err := json.Unmarshal(body, &col); err != nil {
		t.Fatal(err)
	}
	first, last := col.Extent.Temporal.Interval[0][0][:10], col.Extent.Temporal.Interval[0][1][:10]
	all := getFC(t, "/collections/incidents/items?limit=1").NumberMatched
	for _, tc := range []struct {
		query, from, to string
		bins            int
	}{
		{"", first, last, -1},
		{"datetime=2020-06-01/..", "2020-06-01", last, -1},
		{"datetime=../2020-06-01", first, "2020-06-01", -1},
		{"datetime=2020-08-26", "2020-08-26", "2020-08-26", 1},
		{"datetime=2020-08-26T23:00:00Z/2020-08-31", "2020-08-26", "2020-08-31", 6},
		{"datetime=2030-01-01/..", "2030-01-01", "2030-01-01", 1},
		{"bin=month&datetime=2020-01-15/2020-03-01", "2020-01-15", "2020-03-01", 3},
		{"bin=week&datetime=2020-01-01/2020-04-30", "2020-01-01", "2020-04-30", 18}, // 17 weeks and 2 days
	} {
		c := getCounts(t, tc.query)
		if c.From == nil || *c.From != tc.from || *c.To != tc.to {
			t.Errorf("%q: from %v to %v, want %s to %s", tc.query, c.From, c.To, tc.from, tc.to)
			continue
		}
		from, _ := time.Parse(time.DateOnly, tc.from)
		to, _ := time.Parse(time.DateOnly, tc.to)
		if tc.bins < 0 {
			tc.bins = int(to.Sub(from).Hours()/24) + 1
		}
		if len(c.Bins) != tc.bins || c.Bins[0] != tc.from {
			t.Errorf("%q: %d bins from %v, want %d from %s", tc.query, len(c.Bins), c.Bins[:min(1, len(c.Bins))], tc.bins, tc.from)
		}
		if tc.query == "" && c.Matched != all {
			t.Errorf("the whole extent counts %d incidents of %d", c.Matched, all)
		}
	}
}

func TestCountsBadInput(t *testing.T) {
	for _, tc := range []struct{ query, param string }{
		{"bin=fortnight", "bin"},
		{"bin=week&datetime=1900-01-01/2020-01-01", "datetime"},
		{"f=csv", "f"},
		{"limit=10", "limit"},
		{"kind=city", "kind"},
		{"category=riots", "category"},
		{"verification=rumour", "verification"},
		{"source=nosuch", "source"},
		{"place=atlantis", "place"},
		{"q=%20-", "q"},
		{"datetime=2020-13-01", "datetime"},
		{"datetime=1990-01-01/2020-01-01", "datetime"}, // 30 years by day
		{"bin=month&datetime=1800-01-01/2020-01-01", "datetime"},
		{"bbox=1,2,3", "bbox"},
		{"bin=day&bin=month", "bin"},
	} {
		resp, body := get(t, "/collections/incidents/counts?"+tc.query)
		var e apiError
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Parameter != tc.param {
			t.Errorf("counts?%s: %d %s, want a 400 naming %s", tc.query, resp.StatusCode, body, tc.param)
		}
	}
	for _, path := range []string{"/collections/places/counts", "/collections/nope/counts"} {
		if resp, body := get(t, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
	// Ninety years fit when counted by month.
	if c := getCounts(t, "bin=month&datetime=1930-01-01/2020-01-01"); len(c.Bins) != 90*12+1 {
		t.Errorf("90 years by month: %d bins", len(c.Bins))
	}
}

func TestCountsRevalidateAndLink(t *testing.T) {
	resp, body := get(t, "/collections/incidents/counts?bin=month&category=arrests")
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("ETag %q, CORS %q", etag, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	if resp, _ := get(t, "/collections/incidents/counts?bin=month&category=arrests", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", resp.StatusCode)
	}
	var c countsBody
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Links {
		if l.Rel == "items" && !strings.Contains(l.Href, "/collections/incidents/items?category=arrests") {
			t.Errorf("items link %s", l.Href)
		}
	}
	// The collection links to its counts.
	_, body = get(t, "/collections/incidents")
	if !strings.Contains(string(body), "/collections/incidents/counts") {
		t.Error("/collections/incidents does not link to the counts")
	}
}
