package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/borderline/borderline/catalog"
	"github.com/borderline/borderline/data"
)

// Every property the catalog lets a client sort or filter incidents on has a
// place in the store.
func TestEveryIncidentQueryableHasAColumn(t *testing.T) {
	c, _ := catalog.Get("incidents")
	for _, p := range c.Properties {
		if !p.Sortable && !p.Queryable {
			continue
		}
		if _, ok := incidentColumns[p.Name]; ok {
			continue
		}
		if p.Queryable && slices.Contains([]string{"place", "source", "province"}, p.Name) {
			continue // lists of ids: their own clauses (filter.go)
		}
		t.Errorf("incident property %s is sortable or queryable but the store has no column for it", p.Name)
	}
}

type sortedFeature struct {
	ID         string         `json:"id"`
	Properties map[string]any `json:"properties"`
}

func decodeFeatures(t *testing.T, page Page) []sortedFeature {
	t.Helper()
	out := make([]sortedFeature, len(page.Features))
	for i, b := range page.Features {
		if err := json.Unmarshal(b, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// compareBy orders two features as a sortby of keys should: each key in its
// direction with missing values last, then the id.
func compareBy(keys []SortKey) func(a, b sortedFeature) int {
	return func(a, b sortedFeature) int {
		for _, k := range keys {
			av, bv := a.Properties[k.Property], b.Properties[k.Property]
			if k.Property == "id" {
				av, bv = a.ID, b.ID
			}
			if k.Property == "date_end" { // "" in the feature, missing to a sort
				av, bv = nilIfEmpty(av), nilIfEmpty(bv)
			}
			if k.Property == "sources_count" {
				av, bv = len(a.Properties["sources"].([]any)), len(b.Properties["sources"].([]any))
			}
			if (av == nil) != (bv == nil) {
				if av == nil {
					return 1
				}
				return -1
			}
			if av == nil {
				continue
			}
			var c int
			switch av := av.(type) {
			case string:
				c = strings.Compare(av, bv.(string))
			case float64:
				c = cmp.Compare(av, bv.(float64))
			case int:
				c = cmp.Compare(av, bv.(int))
			default:
				panic(fmt.Sprintf("compare %T", av))
			}
			if k.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return strings.Compare(a.ID, b.ID)
	}
}

func nilIfEmpty(v any) any {
	if v == "" {
		return nil
	}
	return v
}

func TestSortby(t *testing.T) {
	st := openCopy(t)
	ctx := context.Background()
	for _, tc := range []struct {
		collection string
		q          Query
	}{
		{"incidents", Query{Sort: []SortKey{{"date_start", true}, {"title", false}}}},
		{"incidents", Query{Sort: []SortKey{{"category", false}, {"in_force_to", true}}}},
		{"incidents", Query{Sort: []SortKey{{"date_end", false}}}},
		{"incidents", Query{Sort: []SortKey{{"sources_count", true}}}},
		{"incidents", Query{Sort: []SortKey{{"verification", false}}, FromDay: day("2020-08-01"), ToDay: day("2020-12-31")}},
		{"incidents", Query{Sort: []SortKey{{"title", true}}, Text: "border"}},
		{"places", Query{Sort: []SortKey{{"border_distance_km", false}, {"name_en", false}}}},
		{"places", Query{Sort: []SortKey{{"name_en", true}}, Text: "h"}},
		{"provinces", Query{Sort: []SortKey{{"name_en", false}}}},
	} {
		t.Run(fmt.Sprint(tc.collection, tc.q.Sort, tc.q.Text), func(t *testing.T) {
			q := tc.q
			q.Limit = 10000
			all, err := st.Items(ctx, tc.collection, q)
			if err != nil {
				t.Fatal(err)
			}
			if all.Matched == 0 {
				t.Fatal("nothing matched: the test proves nothing")
			}
			got := decodeFeatures(t, all)
			if !slices.IsSortedFunc(got, compareBy(q.Sort)) {
				var ids []string
				for _, f := range got {
					ids = append(ids, f.ID)
				}
				t.Errorf("not in sortby order: %v", ids)
			}
			// The same set as without a sortby.
			unsorted := q
			unsorted.Sort = nil
			plain, err := st.Items(ctx, tc.collection, unsorted)
			if err != nil {
				t.Fatal(err)
			}
			if plain.Matched != all.Matched || len(plain.Features) != len(all.Features) {
				t.Errorf("sortby changed what matched: %d, %d without", all.Matched, plain.Matched)
			}
			// Pages add up to the whole, in the same order.
			var paged []json.RawMessage
			for off := 0; off < all.Matched; off += 5 {
				q.Offset, q.Limit = off, 5
				p, err := st.Items(ctx, tc.collection, q)
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, p.Features...)
			}
			if fmt.Sprint(paged) != fmt.Sprint(all.Features) {
				t.Error("pages of 5 do not add up to the sorted list")
			}
		})
	}
	if _, err := st.Items(ctx, "incidents", Query{Limit: 1, Sort: []SortKey{{"summary", false}}}); err == nil {
		t.Error("a sortby on a property that is not sortable was accepted")
	}
}

func TestCSVFollowsSortby(t *testing.T) {
	st := openCopy(t)
	q := Query{Limit: 10000, Sort: []SortKey{{"title", false}}}
	list, matched, err := st.IncidentsMatching(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if matched == 0 || len(list) != matched {
		t.Fatalf("%d incidents of %d", len(list), matched)
	}
	if !slices.IsSortedFunc(list, func(a, b data.Incident) int {
		return cmp.Or(strings.Compare(a.Title, b.Title), strings.Compare(a.ID, b.ID))
	}) {
		t.Error("the CSV's incidents are not in the sortby's order")
	}
}
