package store

import (
	"bufio"
	"fmt"
	"os"
)

// featureFile holds the served GeoJSON of every incident, back to back in
// the order of the index's list, in a file mapped into memory: the
// index's snapshot beside the database (indexsnapshot.go), or, where none
// is kept, a file unlinked as soon as it is mapped. Its pages are the
// kernel's file cache, which it can drop and read again, not the process's
// own memory.
type featureFile struct {
	data   []byte  // the features in the mapping (or, where mapping is unavailable, a copy)
	off    []int64 // feature j (in the order added) is data[off[j]:off[j+1]]
	mapped []byte  // the whole mapping, to unmap
	unmap  func([]byte) error
}

func (f *featureFile) at(j int) []byte { return f.data[f.off[j]:f.off[j+1]] }

func (f *featureFile) close() error {
	if f == nil || f.unmap == nil {
		return nil
	}
	err := f.unmap(f.mapped)
	f.data, f.mapped, f.unmap = nil, nil, nil
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

// copyInOrder writes a new file of from's features in the given order
// (feature i of the new file is feature order[i] of from). from's file is
// mapped for the copy and unmapped after; the caller still aborts it.
func copyInOrder(from *featureFileWriter, order []int32, dir string) (_ *featureFileWriter, err error) {
	src, err := from.mapFeatures()
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := src.close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	to, err := newFeatureFileWriter(dir, len(order))
	if err != nil {
		return nil, err
	}
	for _, j := range order {
		if err := to.add(src.at(int(j))); err != nil {
			to.abort()
			return nil, err
		}
	}
	return to, nil
}

// finish maps the file and unlinks it.
func (w *featureFileWriter) finish() (*featureFile, error) {
	defer os.Remove(w.file.Name())
	defer w.file.Close()
	return w.mapFeatures()
}

// mapFeatures maps what was added, leaving the file open for keep.
func (w *featureFileWriter) mapFeatures() (*featureFile, error) {
	if err := w.w.Flush(); err != nil {
		return nil, fmt.Errorf("write feature file: %w", err)
	}
	data, unmap, err := mapFile(w.file, w.pos)
	if err != nil {
		return nil, fmt.Errorf("map feature file: %w", err)
	}
	return &featureFile{data: data, off: w.off, mapped: data, unmap: unmap}, nil
}

// keep appends tail to the features, syncs the file and renames it to path
// (replacing what was there at once); on failure the file is removed. The
// features already mapped stay valid either way.
func (w *featureFileWriter) keep(tail []byte, path string) (err error) {
	defer func() {
		w.file.Close()
		if err != nil {
			os.Remove(w.file.Name())
		}
	}()
	if _, err := w.w.Write(tail); err != nil {
		return fmt.Errorf("write index snapshot: %w", err)
	}
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("write index snapshot: %w", err)
	}
	// Written whole before it has the name a later start trusts.
	if err := w.file.Sync(); err != nil {
		return fmt.Errorf("sync index snapshot: %w", err)
	}
	if err := os.Rename(w.file.Name(), path); err != nil {
		return fmt.Errorf("keep index snapshot: %w", err)
	}
	return nil
}
