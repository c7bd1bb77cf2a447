package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/borderline/borderline/store"
)

// cli runs the command in-process, as a user would from the shell.
func cli(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	csv1 := filepath.Join(dir, "export1.csv")
	if _, stderr, err := cli(t, "export", "--db", db, "--format", "csv", "--out", csv1); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	out, stderr, err := cli(t, "import", "--db", db, csv1)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "0 added") {
		t.Errorf("re-importing the export should only update: %s", out)
	}
	csv2 := filepath.Join(dir, "export2.csv")
	if _, _, err := cli(t, "export", "--db", db, "--format", "csv", "--out", csv2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(csv1)
	b, _ := os.ReadFile(csv2)
	if !bytes.Equal(a, b) {
		t.Error("export → import → export changed the CSV")
	}

	// GeoJSON goes round too, and a new id is added.
	geo := filepath.Join(dir, "all.geojson")
	if _, _, err := cli(t, "export", "--db", db, "--format", "geojson", "--out", geo); err != nil {
		t.Fatal(err)
	}
	if out, stderr, err := cli(t, "import", "--db", db, geo); err != nil || !strings.Contains(out, "0 added, 0 updated, 52 unchanged") {
		t.Fatalf("import geojson: %v %s %s", err, out, stderr)
	}
	lines := strings.SplitN(string(a), "\n", 3)
	newRow := strings.Replace(lines[1], strings.SplitN(lines[1], ",", 2)[0], "reader-added-1", 1)
	added := filepath.Join(dir, "new.csv")
	os.WriteFile(added, []byte(lines[0]+"\n"+newRow+"\n"), 0o644)
	if out, stderr, err := cli(t, "import", "--db", db, added); err != nil || !strings.Contains(out, "1 added, 0 updated, 0 unchanged") {
		t.Fatalf("import new row: %v %s %s", err, out, stderr)
	}
}

// After an import the index snapshot stands beside the database, and a
// server's next start loads it rather than building from SQLite.
func TestImportKeepsIndexSnapshot(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	exported := filepath.Join(dir, "export.csv")
	if _, stderr, err := cli(t, "export", "--db", db, "--out", exported); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	lines := strings.SplitN(string(must(os.ReadFile(exported))), "\n", 3)
	newRow := strings.Replace(lines[1], strings.SplitN(lines[1], ",", 2)[0], "reader-added-2", 1)
	added := filepath.Join(dir, "new.csv")
	os.WriteFile(added, []byte(lines[0]+"\n"+newRow+"\n"), 0o644)
	if out, stderr, err := cli(t, "import", "--db", db, added); err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("import: %v %s %s", err, out, stderr)
	}
	if _, err := os.Stat(db + "-index"); err != nil {
		t.Fatalf("no index snapshot after the import: %v", err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs syncBuffer
	st.EnableIncidentIndex(ctx, slog.New(slog.NewTextHandler(&logs, nil)), 10*time.Millisecond)
	v, err := st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !st.IndexReady(v); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no index 20 s after the start")
		}
	}
	if l := logs.String(); !strings.Contains(l, "incident index loaded") || strings.Contains(l, "incident index ready") {
		t.Errorf("the start after an import built the index instead of loading it:\n%s", l)
	}
}

// syncBuffer is a bytes.Buffer for a logger written from another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestImportRejectsBadFileAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	before := filepath.Join(dir, "before.csv")
	if _, _, err := cli(t, "export", "--db", db, "--out", before); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(before)
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Line 3 is a valid row with a changed summary, line 4 has a bad date:
	// neither may land.
	col := func(name string) int { return slices.Index(records[0], name) }
	records[2][col("summary")] = "CHANGED " + records[2][col("summary")]
	records[3][col("date_start")] = "2020-13-01"
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(records)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, buf.Bytes(), 0o644)

	_, stderr, err := cli(t, "import", "--db", db, bad)
	if err == nil {
		t.Fatal("a file with a bad date was imported")
	}
	msg := err.Error()
	if !strings.Contains(msg, "line 4, column date_start") || !strings.Contains(msg, "nothing was changed") {
		t.Errorf("the error does not name line 4, column date_start: %v %s", msg, stderr)
	}
	after := filepath.Join(dir, "after.csv")
	if _, _, err := cli(t, "export", "--db", db, "--out", after); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(after)
	if !bytes.Equal(a, body) {
		t.Error("a rejected import changed the database")
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want error
		text string
	}{
		{nil, errUsage, "Usage:"},
		{[]string{"frobnicate"}, errUsage, "unknown command"},
		{[]string{"help"}, nil, "borderline serve"},
		{[]string{"serve", "--help"}, flag.ErrHelp, "--addr"},
		{[]string{"import", "--help"}, flag.ErrHelp, "All or nothing"},
		{[]string{"export", "--help"}, flag.ErrHelp, "--format"},
		{[]string{"export", "--format", "xml"}, errUsage, "use csv or geojson"},
		{[]string{"import"}, errUsage, "Usage: borderline import"},
		{[]string{"serve", "--log-level", "loud"}, errUsage, "log level"},
	} {
		out, errOut, err := cli(t, tc.args...)
		if !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
			t.Errorf("%v: error %v, want %v", tc.args, err, tc.want)
		}
		if !strings.Contains(out+errOut, tc.text) {
			t.Errorf("%v: output lacks %q:\n%s%s", tc.args, tc.text, out, errOut)
		}
	}
}
