package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestDownloadNameSaysWhatItHolds(t *testing.T) {
	safe := regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	all := fmt.Sprint(getFC(t, "/collections/incidents/items?limit=1").NumberMatched)
	long := strings.Repeat("abcdefghij ", 18)
	cases := []struct {
		query string
		want  string
	}{
		{"f=csv&limit=10000", "borderline-incidents.csv"},
		{"f=csv&limit=10000&datetime=2020-08-27", "borderline-incidents-2020-08-27.csv"},
		{"f=csv&limit=10000&datetime=2020-08-27T23:00:00-05:00", "borderline-incidents-2020-08-27.csv"},
		{"f=csv&limit=10000&datetime=2020-08-01/2020-08-31", "borderline-incidents-2020-08-01-to-2020-08-31.csv"},
		{"f=csv&limit=10000&datetime=2020-08-01/..", "borderline-incidents-from-2020-08-01.csv"},
		{"f=csv&limit=10000&datetime=../2020-08-31", "borderline-incidents-until-2020-08-31.csv"},
		{"f=csv&limit=10000&category=health,arrests,health", "borderline-incidents-arrests-health.csv"},
		{"f=csv&limit=10000&verification=single_source&category=arrests", "borderline-incidents-arrests-single_source.csv"},
		{"f=csv&limit=10000&source=upi-2020-05-20,amn-2020-08-30&place=hyesan", "borderline-incidents-source-amn-2020-08-30-upi-2020-05-20-place-hyesan.csv"},
		{"f=csv&limit=10000&q=Hyesan%20phones", "borderline-incidents-search-hyesan-phones.csv"},
		{"f=csv&limit=10000&q=%ED%98%9C%EC%82%B0%20Hyesan", "borderline-incidents-search-hyesan.csv"},
		{"f=csv&limit=10000&q=%22%3B%20rm%20-rf%20%2F%20..%2F..%2Fetc", "borderline-incidents-search-rm-rf-etc.csv"},
		{"f=csv&limit=10000&bbox=126,40.5,129,42.5", "borderline-incidents-bbox-126_40.5_129_42.5.csv"},
		{"f=csv&limit=5&offset=10", "borderline-incidents-items-11-15-of-" + all + ".csv"},
		{"f=csv&offset=10000", "borderline-incidents-items-none-of-" + all + ".csv"},
		{"f=csv&limit=10000&q=" + url.QueryEscape(long), "borderline-incidents-search" + strings.Repeat("-abcdefghij", 8) + ".csv"},
		{"limit=10000&datetime=2020-08-27", "borderline-incidents-2020-08-27.geojson"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			resp, body := get(t, "/collections/incidents/items?"+tc.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			cd := resp.Header.Get("Content-Disposition")
			m := regexp.MustCompile(`^(attachment|inline); filename="([^"]*)"$`).FindStringSubmatch(cd)
			if m == nil {
				t.Fatalf("Content-Disposition %q", cd)
			}
			if m[2] != tc.want || !safe.MatchString(m[2]) {
				t.Errorf("file name %q, want %q", m[2], tc.want)
			}
		})
	}
}
