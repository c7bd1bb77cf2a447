package main

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// The region the varied queries look at: the border provinces and the
// Chinese side, where the synthetic villages are.
const (
	regionW, regionE = 124.0, 131.0
	regionS, regionN = 39.0, 43.5
)

// canonicalQuery is the month in a box the design is sized for.
const canonicalQuery = "/collections/incidents/items?bbox=126.0,40.5,129.5,42.5&datetime=2020-08-01/2020-08-31&limit=1000"

// variedURLs makes n distinct item queries: a box of 1–4 degrees a side
// somewhere in the region, and a window of one month (window "month") or one
// week ("week") starting on any day of 2020–2021, limit 1000.
func variedURLs(rng *rand.Rand, n int, window string) []string {
	first := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	seen := make(map[string]bool, n)
	out := make([]string, 0, n)
	for len(out) < n {
		w := 1 + 3*rng.Float64()
		h := 1 + 3*rng.Float64()
		west := regionW + rng.Float64()*(regionE-regionW-w)
		south := regionS + rng.Float64()*(regionN-regionS-h)
		from := first.AddDate(0, 0, rng.IntN(731))
		var to time.Time
		if window == "week" {
			to = from.AddDate(0, 0, 6)
		} else {
			to = from.AddDate(0, 1, -1)
		}
		u := fmt.Sprintf("/collections/incidents/items?bbox=%.3f,%.3f,%.3f,%.3f&datetime=%s/%s&limit=1000",
			west, south, west+w, south+h, from.Format("2006-01-02"), to.Format("2006-01-02"))
		if seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	return out
}
