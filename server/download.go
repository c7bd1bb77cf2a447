package server

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/store"
)

// maxNameLen keeps a download's file name well under the 255 bytes file
// systems allow, whatever the query.
const maxNameLen = 120

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// downloadName is the file name of a page of incidents: what it holds, so
// that a folder of downloads reads like a list of questions asked, e.g.
// borderline-incidents-2020-08-27-arrests.csv. Only [A-Za-z0-9._-] reach the
// name (it goes into a header and then a file system); words of a search in
// other scripts are left out. returned and matched add the item range when
// the file holds one page of several.
func downloadName(q store.Query, returned, matched int, ext string) string {
	parts := []string{"borderline-incidents"}
	day := func(d int64) string { return data.FormatDate(data.FromDayNumber(d)) }
	switch {
	case q.FromDay != nil && q.ToDay != nil && *q.FromDay == *q.ToDay:
		parts = append(parts, day(*q.FromDay))
	case q.FromDay != nil && q.ToDay != nil:
		parts = append(parts, day(*q.FromDay)+"-to-"+day(*q.ToDay))
	case q.FromDay != nil:
		parts = append(parts, "from-"+day(*q.FromDay))
	case q.ToDay != nil:
		parts = append(parts, "until-"+day(*q.ToDay))
	}
	sorted := func(v []string) string { return strings.Join(slices.Compact(slices.Sorted(slices.Values(v))), "-") }
	if len(q.Categories) > 0 {
		parts = append(parts, sorted(q.Categories))
	}
	if len(q.Verifications) > 0 {
		parts = append(parts, sorted(q.Verifications))
	}
	if len(q.SourceIDs) > 0 {
		parts = append(parts, "source-"+sorted(q.SourceIDs))
	}
	if len(q.PlaceIDs) > 0 {
		parts = append(parts, "place-"+sorted(q.PlaceIDs))
	}
	if q.Text != "" {
		words := []string{"search"}
		for _, w := range store.SearchWords(q.Text) {
			if w = unsafeName.ReplaceAllString(strings.ToLower(w), ""); w != "" {
				words = append(words, w)
			}
		}
		parts = append(parts, strings.Join(words, "-"))
	}
	if b := q.BBox; b != nil {
		f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		parts = append(parts, "bbox-"+strings.Join([]string{f(b.Min.Lon()), f(b.Min.Lat()), f(b.Max.Lon()), f(b.Max.Lat())}, "_"))
	}
	switch {
	case returned == 0 && matched > 0:
		parts = append(parts, "items-none-of-"+strconv.Itoa(matched))
	case returned < matched:
		parts = append(parts, "items-"+strconv.Itoa(q.Offset+1)+"-"+strconv.Itoa(q.Offset+returned)+"-of-"+strconv.Itoa(matched))
	}
	name := unsafeName.ReplaceAllString(strings.Join(parts, "-"), "-")
	if len(name) > maxNameLen {
		name = name[:maxNameLen]
		if i := strings.LastIndexByte(name, '-'); i > maxNameLen/2 {
			name = name[:i] // end on a whole word
		}
		name = strings.TrimRight(name, "-._")
	}
	return name + "." + ext
}
