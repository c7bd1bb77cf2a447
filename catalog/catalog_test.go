package catalog

import "testing"

// The HTML pages head their columns with the labels: a property without one
// would show readers a blank heading.
func TestEveryPropertyHasALabel(t *testing.T) {
	for _, c := range All {
		seen := map[string]string{}
		for _, p := range c.Properties {
			if p.Label == "" {
				t.Errorf("%s: %s has no label", c.ID, p.Name)
			}
			if other, ok := seen[p.Label]; ok && !p.Virtual {
				t.Errorf("%s: %s and %s are both labelled %q", c.ID, other, p.Name, p.Label)
			}
			if !p.Virtual {
				seen[p.Label] = p.Name
			}
		}
	}
}
