//go:build !unix

package store

import (
	"io"
	"os"
)

// mapFile reads the file where mmap is not available: the features then
// live in the process's own memory.
func mapFile(f *os.File, size int64) ([]byte, func([]byte) error, error) {
	data := make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, size), data); err != nil {
		return nil, nil, err
	}
	return data, nil, nil
}

// fileID: without inodes the watch of the WAL index is off (see walWatch):
// every check of the data version reads it from the database.
func fileID(path string) (ino uint64, size int64, err error) {
	return 0, 0, os.ErrNotExist
}
