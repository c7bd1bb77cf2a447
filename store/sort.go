package store

import (
	"fmt"
	"strings"

	"github.com/borderline/borderline/catalog"
)

// SortKey is one key of a sortby: a sortable property of the collection
// (catalog), ascending unless Desc.
type SortKey struct {
	Property string
	Desc     bool
}

// incidentColumns say where each property an incident can be sorted or
// filtered on is kept, as SQL on the incident row (alias i). A test checks
// that every queryable and sortable of the catalog has one.
var incidentColumns = map[string]string{
	"id":                 "i.id",
	"title":              "i.title",
	"summary":            "i.summary",
	"title_ko":           "i.title_ko",
	"summary_ko":         "i.summary_ko",
	"category":           "i.category",
	"date_start":         "i.date_start",
	"date_end":           "NULLIF(i.date_end, '')",
	"date_precision":     "i.date_precision",
	"date_inferred":      "i.date_inferred",
	"in_force_from":      "date(i.day_from * 86400, 'unixepoch')",
	"in_force_to":        "date(i.day_to * 86400, 'unixepoch')",
	"location_precision": "i.location_precision",
	"verification":       "i.verification",
	"contradictions":     "i.contradictions",
	"research_ref":       "i.research_ref",
	"sources_count":      "(SELECT count(*) FROM incident_source s WHERE s.incident = i.rowid)",
}

// incidentSortColumns are where sorting reads instead, when that is faster
// and orders alike: days in force are the same order as their dates.
var incidentSortColumns = map[string]string{
	"in_force_from": "i.day_from",
	"in_force_to":   "i.day_to",
}

// featureColumn is where a property of a small collection's features is:
// in the stored GeoJSON (alias f). Those collections hold tens of features,
// so reading the JSON of each is cheap. The name comes from the catalog,
// never from a request, and catalog names are plain identifiers.
func featureColumn(name string) string {
	if name == "id" {
		return "f.id"
	}
	return "json_extract(f.json, '$.properties." + name + "')"
}

// orderBy is the ORDER BY list of a sortby on collection, ending in the
// feature id so that equal keys keep one order page after page.
func orderBy(collection string, keys []SortKey) (string, error) {
	c, ok := catalog.Get(collection)
	if !ok {
		return "", ErrNotFound
	}
	var parts []string
	for _, k := range keys {
		p, ok := c.Property(k.Property)
		if !ok || !p.Sortable {
			return "", fmt.Errorf("sort %s: %q is not sortable", collection, k.Property)
		}
		col := featureColumn(k.Property)
		if collection == "incidents" {
			if col, ok = incidentSortColumns[k.Property]; !ok {
				col = incidentColumns[k.Property]
			}
		}
		dir := " ASC"
		if k.Desc {
			dir = " DESC"
		}
		// Missing values last, whichever the direction: a reader sorting by
		// end date wants the dated ones first.
		parts = append(parts, "("+col+") IS NULL, "+col+dir)
	}
	last := "f.id"
	if collection == "incidents" {
		last = "i.id"
	}
	return strings.Join(append(parts, last), ", "), nil
}
