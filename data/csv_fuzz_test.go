package data

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// An import is a file from anyone: reading it never panics, and a file it
// refuses is refused with the line (or column) of each problem.
func FuzzReadIncidentsCSV(f *testing.F) {
	seed, err := os.ReadFile("incidents.csv")
	if err != nil {
		f.Fatal(err)
	}
	lines := bytes.SplitAfter(seed, []byte("\n"))
	f.Add(bytes.Join(lines[:3], nil))
	f.Add(lines[0])
	f.Add([]byte("id,title\n\"unterminated"))
	f.Add([]byte("\xef\xbb\xbf" + string(bytes.Join(lines[:2], nil))))
	f.Add(bytes.ReplaceAll(bytes.Join(lines[:4], nil), []byte(","), []byte(";")))
	refs := RefSet{Places: map[string]bool{"hyesan": true, "south-korea": true, "hoeryong": true}, Sources: map[string]bool{"hrw-2021-01-13": true}}
	f.Fuzz(func(t *testing.T, b []byte) {
		incidents, err := ReadIncidentsCSV(bytes.NewReader(b), "fuzz.csv", refs)
		if err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				if len(ve.Errors) == 0 {
					t.Fatal("a refusal without a problem named")
				}
				for _, fe := range ve.Errors {
					if fe.Message == "" {
						t.Fatalf("a problem without a message: %+v", fe)
					}
				}
			}
			return
		}
		for _, in := range incidents {
			if in.ID == "" || in.Title == "" || in.DateStart.IsZero() {
				t.Fatalf("accepted an incident without id, title or date: %+v", in)
			}
			if !in.DateEnd.IsZero() && in.DateEnd.Before(in.DateStart) {
				t.Fatalf("accepted an incident that ends before it starts: %+v", in)
			}
		}
	})
}
