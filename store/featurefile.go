package store

import (
	"bufio"
	"fmt"
	"os"
)

// featureFile holds the served GeoJSON of every incident, back to back in
// the order they were read (rowid), in a file mapped into memory. The file is unlinked as soon as
// it is mapped: nothing outside the process sees it, and the kernel frees
// it when the mapping goes. Its pages are the kernel's file cache, which it
// can drop and read again, not the process's own memory.
type featureFile struct {
	data  []byte  // the mapping (or, where mapping is unavailable, a copy)
	off   []int64 // feature j (in the order added) is data[off[j]:off[j+1]]
	unmap func([]byte) error
}

func (f *featureFile) at(j int) []byte { return f.data[f.off[j]:f.off[j+1]] }

func (f *featureFile) close() error {
	if f == nil || f.unmap == nil {
		return nil
	}
	err := f.unmap(f.data)
	f.data, f.unmap = nil, nil
	if err != nil {
		return fmt.Errorf("unmap features: %w", err)
	}
	return nil
}

type featureFileWriter struct {
	file *os.File
	w    *bufio.Writer
	off  []int64
	pos  int64
}

func newFeatureFileWriter(dir string, n int) (*featureFileWriter, error) {
	f, err := os.CreateTemp(dir, ".borderline-features-*")
	if err != nil {
		return nil, fmt.Errorf("create feature file: %w", err)
	}
	off := make([]int64, 1, n+1)
	return &featureFileWriter{file: f, w: bufio.NewWriterSize(f, 1<<20), off: off}, nil
}

func (w *featureFileWriter) add(feature []byte) error {
	if _, err := w.w.Write(feature); err != nil {
		return fmt.Errorf("write feature file: %w", err)
	}
	w.pos += int64(len(feature))
	w.off = append(w.off, w.pos)
	return nil
}

func (w *featureFileWriter) abort() {
	w.file.Close()
	os.Remove(w.file.Name())
}

// finish maps the file and unlinks it.
func (w *featureFileWriter) finish() (*featureFile, error) {
	defer os.Remove(w.file.Name())
	defer w.file.Close()
	if err := w.w.Flush(); err != nil {
		return nil, fmt.Errorf("write feature file: %w", err)
	}
	data, unmap, err := mapFile(w.file, w.pos)
	if err != nil {
		return nil, fmt.Errorf("map feature file: %w", err)
	}
	return &featureFile{data: data, off: w.off, unmap: unmap}, nil
}
