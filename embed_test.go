package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/borderline/borderline/precompress"
)

// The forms the build step wrote into precompressed/ are the files the binary
// serves, compressed: each decodes to the bytes of a file of static/ or
// Leaflet, and when the folder was made from these files (it holds no form
// of other content), every file that compresses has both. A fresh clone has
// none, and the server then gzips by itself.
func TestEmbeddedPrecompressedForms(t *testing.T) {
	assets, err := embeddedAssets()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{} // key → content
	for _, fsys := range []fs.FS{assets.Static, assets.Vendor} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !precompress.Compressible(p) {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			files[precompress.Key(b)] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	forms, err := fs.ReadDir(precompressedFiles, "precompressed")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	stale := 0
	for _, e := range forms {
		key, ext, _ := strings.Cut(e.Name(), ".")
		if e.Name() == "README.md" {
			continue
		}
		have[e.Name()] = true
		b, err := fs.ReadFile(precompressedFiles, "precompressed/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		want, ok := files[key]
		if !ok {
			stale++ // made from files since changed: never sent
			continue
		}
		if len(b) == 0 { // not worth sending: the build's note to itself
			continue
		}
		var r io.Reader
		switch ext {
		case "gz":
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Errorf("%s: %v", e.Name(), err)
				continue
			}
			r = zr
		case "br":
			r = brotli.NewReader(bytes.NewReader(b))
		default:
			t.Errorf("%s: not a form", e.Name())
			continue
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s does not decode to its file: %v", e.Name(), err)
		}
	}
	if len(have) == 0 {
		t.Log("no precompressed forms: built without `make build`; the server gzips by itself")
		return
	}
	if stale > 0 {
		t.Logf("%d forms are of files since changed: `make build` brings the folder up to date", stale)
		return
	}
	for key := range files {
		for _, coding := range precompress.Codings {
			if !have[precompress.Name(key, coding)] {
				t.Errorf("the build made no %s form of %.40q…", coding, files[key])
			}
		}
	}
}
