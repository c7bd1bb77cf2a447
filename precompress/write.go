package precompress

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
)

// Report says what WriteDir did.
type Report struct {
	Files   int // compressible files under the roots
	Written int // forms compressed now
	Kept    int // forms already in the folder
	Removed int // forms of content no root has any more
}

// generated are the names WriteDir writes, and the only ones it removes.
var generated = regexp.MustCompile(`^[0-9a-f]{64}\.(gz|br)$`)

// WriteDir writes into dir the forms of every compressible file under the
// roots that are worth sending, compressing only what it does not hold yet,
// and removes the forms of content no root has any more, so the folder the
// binary embeds holds what this build serves and nothing else. Every file is
// written under a temporary name and renamed, so an interrupted run leaves no
// half-written form behind.
func WriteDir(dir string, roots ...fs.FS) (Report, error) {
	var rep Report
	files := map[string][]byte{} // key → content
	for _, root := range roots {
		err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if Hidden(d.Name()) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !Compressible(p) {
				return nil
			}
			b, err := fs.ReadFile(root, p)
			if err != nil {
				return err
			}
			rep.Files++
			files[Key(b)] = b
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("precompress: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return rep, fmt.Errorf("precompress: %w", err)
	}

	want := map[string]bool{}
	type job struct{ key, coding string }
	var jobs []job
	for key := range files {
		for _, coding := range Codings {
			name := Name(key, coding)
			want[name] = true
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				rep.Kept++
				continue
			}
			jobs = append(jobs, job{key, coding})
		}
	}

	// Brotli at its best takes seconds a file: use every core.
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		next = make(chan job)
	)
	for range runtime.NumCPU() {
		wg.Go(func() {
			for j := range next {
				wrote, err := writeForm(dir, files[j.key], j.key, j.coding)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else if wrote {
					rep.Written++
				}
				mu.Unlock()
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return rep, fmt.Errorf("precompress: %w", err)
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		return rep, fmt.Errorf("precompress: %w", err)
	}
	for _, e := range entries {
		if !generated.MatchString(e.Name()) || want[e.Name()] {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return rep, fmt.Errorf("precompress: %w", err)
		}
		rep.Removed++
	}
	return rep, nil
}

// writeForm writes one form unless it saves too little to be worth sending.
// A form left out is remembered by an empty file, so the next build does not
// compress it again only to drop it; Lookup treats an empty file as none.
func writeForm(dir string, b []byte, key, coding string) (bool, error) {
	packed, err := Encode(b, coding)
	if err != nil {
		return false, fmt.Errorf("%s: %w", key, err)
	}
	if !Worth(len(b), len(packed)) {
		packed = nil
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return false, err
	}
	tmp := f.Name()
	if _, err := f.Write(packed); err != nil {
		f.Close()
		os.Remove(tmp)
		return false, err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return false, err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return false, err
	}
	if err := os.Rename(tmp, filepath.Join(dir, Name(key, coding))); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return packed != nil, nil
}
