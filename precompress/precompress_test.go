package precompress

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

func decode(t *testing.T, b []byte, coding string) []byte {
	t.Helper()
	var r io.Reader
	switch coding {
	case Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case Brotli:
		r = brotli.NewReader(bytes.NewReader(b))
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", coding, err)
	}
	return out
}

func TestWriteDir(t *testing.T) {
	script := []byte(strings.Repeat("export const a = 'the same line again';\n", 200))
	style := []byte(strings.Repeat(".map { color: red; }\n", 100))
	root := fstest.MapFS{
		"js/main.js":       {Data: script},
		"css/app.css":      {Data: style},
		"images/a.png":     {Data: bytes.Repeat([]byte{1}, 4000)}, // compresses, but is not text
		"tiny.svg":         {Data: []byte("<svg/>")},              // too short to gain
		".hidden/x.js":     {Data: script[:100]},
		"_notes/draft.css": {Data: style[:100]},
	}
	dir := t.TempDir()
	os.WriteFile(dir+"/README.md", []byte("kept"), 0o644)
	stale := Name(Key([]byte("an older script")), Gzip)
	os.WriteFile(dir+"/"+stale, []byte("old"), 0o644)

	rep, err := WriteDir(dir, root)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 3 || rep.Written != 4 || rep.Kept != 0 || rep.Removed != 1 {
		t.Errorf("first run: %+v, want 3 files, 4 forms written (the svg's left out), 1 removed", rep)
	}
	fsys := os.DirFS(dir)
	for _, b := range [][]byte{script, style} {
		for _, coding := range Codings {
			form := Lookup(fsys, Key(b), coding)
			if form == nil {
				t.Fatalf("no %s form of %.20q", coding, b)
			}
			if got := decode(t, form, coding); !bytes.Equal(got, b) {
				t.Errorf("the %s form does not decode to its file", coding)
			}
		}
	}
	if Lookup(fsys, Key([]byte("<svg/>")), Gzip) != nil {
		t.Error("a form that saves nothing is offered")
	}
	if Lookup(fsys, Key(root["images/a.png"].Data), Gzip) != nil {
		t.Error("an image was compressed")
	}
	if _, err := os.Stat(dir + "/" + stale); err == nil {
		t.Error("the form of content that is gone was kept")
	}
	if _, err := os.Stat(dir + "/README.md"); err != nil {
		t.Error("a file WriteDir did not write was removed")
	}

	// A second run compresses nothing; a changed file only itself.
	if rep, err = WriteDir(dir, root); err != nil || rep.Written != 0 || rep.Kept != 6 || rep.Removed != 0 {
		t.Errorf("second run: %+v, %v", rep, err)
	}
	root["js/main.js"] = &fstest.MapFile{Data: append([]byte("// changed\n"), script...)}
	if rep, err = WriteDir(dir, root); err != nil || rep.Written != 2 || rep.Removed != 2 {
		t.Errorf("after a change: %+v, %v", rep, err)
	}
	if Lookup(fsys, Key(script), Brotli) != nil {
		t.Error("the form of the old script is still there")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestWorth(t *testing.T) {
	for _, tc := range []struct {
		plain, packed int
		want          bool
	}{{1000, 500, true}, {1000, 899, true}, {1000, 900, false}, {1000, 1200, false}, {6, 26, false}} {
		if got := Worth(tc.plain, tc.packed); got != tc.want {
			t.Errorf("Worth(%d, %d) = %v", tc.plain, tc.packed, got)
		}
	}
}
