package server

import (
	"net/http"
	"strconv"
	"sync"
)

// flights are the data answers being made, by representation key, so that
// concurrent requests for one URL make it once (see cacheable).
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done    chan struct{}
	once    sync.Once
	r       *representation // set before done closes; nil: make your own
	waiters int             // joined after the first; under flights.mu
}

// join returns the flight for key, and whether the caller is the one to
// make the answer (and land the flight).
func (fs *flights) join(key string) (*flight, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.m[key]; ok {
		f.waiters++
		return f, false
	}
	if fs.m == nil {
		fs.m = map[string]*flight{}
	}
	f := &flight{done: make(chan struct{})}
	fs.m[key] = f
	return f, true
}

// landWith hands r to those waiting, as soon as it is whole and before it
// is written to the first reader. It reports whether anyone was waiting
// (and so holds r from now on).
func (fs *flights) landWith(key string, f *flight, r *representation) (shared bool) {
	f.once.Do(func() {
		f.r = r
		fs.mu.Lock()
		delete(fs.m, key)
		shared = f.waiters > 0
		fs.mu.Unlock()
		close(f.done)
	})
	return shared
}

// alone reports whether nobody waits for f yet. Those who join later find
// no answer when it lands and make their own.
func (fs *flights) alone(f *flight) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return f.waiters == 0
}

// land ends a flight without an answer for others (an error, a status other
// than 200, an answer from a newer data version); a no-op once landed.
func (fs *flights) land(key string, f *flight) { _ = fs.landWith(key, f, nil) }

// largePage says whether a request asks for more than a thousand features:
// such answers take a lane of their own (Server.admitLarge), so that a
// burst of them leaves room for the map's usual requests.
func largePage(req *http.Request) bool {
	n, err := strconv.Atoi(req.URL.Query().Get("limit"))
	return err == nil && n > 1000
}
