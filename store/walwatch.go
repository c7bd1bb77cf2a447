package store

import (
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// walHeader is the WAL-index header as a writer last published it: the
// first 48 bytes of the -shm file (https://www.sqlite.org/walformat.html).
// Every commit, by any process, rewrites it: iChange counts transactions,
// mxFrame moves, the salts change when the log restarts. So while it reads
// the same, nothing was committed, and the data version read under it
// still holds; telling that costs a dozen loads from shared memory instead
// of a read transaction and two file locks.
type walHeader [12]uint32

// walWatch maps the start of the database's -shm file read-only.
type walWatch struct {
	path    string
	mu      sync.Mutex
	m       atomic.Pointer[walMap]
	old     []*walMap    // replaced mappings, unmapped on close
	checked atomic.Int64 // when refresh last looked, in Unix ns
}

type walMap struct {
	data  []byte
	ino   uint64
	unmap func([]byte) error
}

func newWalWatch(dbPath string) *walWatch { return &walWatch{path: dbPath + "-shm"} }

// header reads the header the way SQLite's readers do: the writer fills the
// second copy, then the first; a read of both that disagrees caught a
// write in the middle. ok is false then, or when the file is not mapped:
// the caller reads the version from the database.
func (w *walWatch) header() (h walHeader, ok bool) {
	m := w.m.Load()
	if m == nil {
		return h, false
	}
	words := unsafe.Slice((*uint32)(unsafe.Pointer(&m.data[0])), 24)
	for i := range 12 {
		h[i] = atomic.LoadUint32(&words[i])
	}
	for i := range 12 {
		if atomic.LoadUint32(&words[12+i]) != h[i] {
			return h, false
		}
	}
	// isInit (byte 12) is 0 until a connection has built the index.
	return h, (*[48]byte)(unsafe.Pointer(&h))[12] != 0
}

// refresh maps the -shm file if it is not mapped, or was replaced (SQLite
// deletes it when the last connection to the database closes, and the next
// one makes a new one). Called at open and by the index's poll.
func (w *walWatch) refresh() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.checked.Store(time.Now().UnixNano())
	ino, size, err := fileID(w.path)
	cur := w.m.Load()
	if err != nil || size < 96 {
		// Gone: the version is read from the database until it is back.
		// A reader may still be loading from the old mapping, so it stays
		// mapped (96 bytes) until the store closes.
		if cur != nil {
			w.m.Store(nil)
			w.old = append(w.old, cur)
		}
		return
	}
	if cur != nil && cur.ino == ino {
		return
	}
	f, err := os.Open(w.path)
	if err != nil {
		return
	}
	defer f.Close()
	data, unmap, err := mapFile(f, 96)
	if err != nil || len(data) < 96 {
		return
	}
	w.m.Store(&walMap{data: data, ino: ino, unmap: unmap})
	if cur != nil {
		w.old = append(w.old, cur) // as above
	}
}

// refreshSoon refreshes if the last look was over a second ago: for when
// the header cannot be read, without a stat per request.
func (w *walWatch) refreshSoon() {
	if time.Now().UnixNano()-w.checked.Load() > int64(time.Second) {
		w.refresh()
	}
}

func (w *walWatch) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if m := w.m.Swap(nil); m != nil {
		m.close()
	}
	for _, m := range w.old {
		m.close()
	}
	w.old = nil
}

func (m *walMap) close() {
	if m.unmap != nil {
		m.unmap(m.data)
	}
}
