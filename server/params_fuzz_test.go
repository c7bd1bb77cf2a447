package server

import (
	"errors"
	"net/url"
	"testing"

	"github.com/borderline/borderline/catalog"
)

// The parsers of the query string take whatever a client sends: none may
// panic, each refuses with a 400 that names its parameter, and what each
// accepts is well formed. `go test` runs the seeds; make fuzz runs them
// longer.

func isBadParam(err error, param string) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status == 400 && ae.Parameter == param
}

func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"126,40.5,129.5,42.5", "170,-10,-170,10", "1,2,3", "1,2,3,4,5,6", "NaN,0,1,1", "1e308,0,1,1", " 1 , 2 ,3,4", "0x1p-2,0,1,1", ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := parseBBox(s)
		if err != nil {
			if !isBadParam(err, "bbox") {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if b.Min.Lat() > b.Max.Lat() || b.Min.Lat() < -90 || b.Max.Lat() > 90 || b.Min.Lon() < -180 || b.Max.Lon() > 180 {
			t.Fatalf("%q gave the impossible box %v", s, b)
		}
	})
}

func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2020-08-26", "2020-08-01/2020-08-31", "../2021-01-01", "2020-01-01/", "/", "2020-08-26T23:59:59+09:00", "2020-02-30", "9999-12-31/0001-01-01", "2020-08-26T00:00:00.123456789Z/.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		from, to, err := parseDatetime(s)
		if err != nil {
			if !isBadParam(err, "datetime") {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if from != nil && to != nil && *from > *to {
			t.Fatalf("%q: the interval ends (%d) before it starts (%d)", s, *to, *from)
		}
	})
}

func FuzzParseSortby(f *testing.F) {
	for _, s := range []string{"-date_start,title", "+id", "title,-title", "", ",", "--x", "summary", "place", "date_start ,  -category"} {
		f.Add(s)
	}
	incidents, _ := catalog.Get("incidents")
	f.Fuzz(func(t *testing.T, s string) {
		keys, err := parseSortby(url.Values{"sortby": {s}}, incidents)
		if err != nil {
			if !isBadParam(err, "sortby") {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, k := range keys {
			p, ok := incidents.Property(k.Property)
			if !ok || !p.Sortable || seen[k.Property] {
				t.Fatalf("%q gave the key %+v", s, k)
			}
			seen[k.Property] = true
		}
	})
}
