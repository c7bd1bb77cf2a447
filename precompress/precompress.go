// Package precompress makes and finds the gzip and Brotli forms of the front
// end's files.
//
// Brotli at its best quality takes seconds for Leaflet, far too slow for a
// server that must answer within a second of starting, so `make build` runs
// cmd/precompress, which writes the compressed forms into a folder the binary
// embeds. Each form is named by the SHA-256 of the file it compresses, not by
// the file's path: the server asks for the key of the exact bytes it serves,
// so a folder left over from another build can never make it serve a form of
// different bytes. What has no form there is gzipped by the server itself.
package precompress

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"

	"github.com/andybalholm/brotli"
)

// The content codings, as Accept-Encoding and Content-Encoding name them.
const (
	Gzip   = "gzip"
	Brotli = "br"
)

// Codings are the codings the build step writes, best first.
var Codings = []string{Brotli, Gzip}

// Key names content: the hex SHA-256 of its bytes.
func Key(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Name is the file in the folder that holds the content with key in coding.
func Name(key, coding string) string {
	if coding == Gzip {
		return key + ".gz"
	}
	return key + "." + coding
}

// Compressible says whether a file of this name is text that compresses:
// scripts, styles, pages, SVG, JSON, source maps. Images of other kinds are
// compressed already; gzip would only cost time and bytes.
func Compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".mjs", ".css", ".html", ".svg", ".json", ".geojson", ".map", ".txt", ".xml", ".csv":
		return true
	}
	return false
}

// Worth says whether a compressed form of packed bytes is worth sending for
// plain bytes: it must save at least a tenth, or the client's work to decode
// it buys nothing.
func Worth(plain, packed int) bool {
	return packed < plain-plain/10
}

// Encode compresses b in coding at the best quality: for the build step,
// where time does not matter. Brotli uses a 16 MB window, which every
// decoder handles (RFC 7932).
func Encode(b []byte, coding string) ([]byte, error) {
	switch coding {
	case Gzip:
		return GzipLevel(b, gzip.BestCompression)
	case Brotli:
		var buf bytes.Buffer
		w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
		if _, err := w.Write(b); err != nil {
			return nil, fmt.Errorf("brotli: %w", err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("brotli: %w", err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("no content coding %q", coding)
}

// GzipLevel gzips b at a compress/gzip level.
func GzipLevel(b []byte, level int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// Lookup returns the form in coding of content with key from the folder
// fsys (nil: none), or nil when it has none.
func Lookup(fsys fs.FS, key, coding string) []byte {
	if fsys == nil {
		return nil
	}
	b, err := fs.ReadFile(fsys, Name(key, coding))
	if err != nil || len(b) == 0 {
		return nil
	}
	return b
}

// Hidden says whether go:embed leaves a path element out of a folder it
// embeds: names that start with a dot or an underscore. The build step skips
// the same files, as the binary will never serve them.
func Hidden(name string) bool {
	return name != "." && (name[0] == '.' || name[0] == '_')
}
