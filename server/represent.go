package server

import (
	"bufio"
	"bytes"
	"container/list"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
)

// CachePolicy is what data responses tell caches in front of the server
// (a browser, nginx, a CDN): how long an answer may be used without asking
// again, and how long after that a cache may serve it while it checks.
// A zero MaxAge means "revalidate every time" (no-cache).
type CachePolicy struct {
	MaxAge               time.Duration
	StaleWhileRevalidate time.Duration
}

// DefaultCachePolicy: a minute fresh, so a CDN or nginx in front carries a
// story's readers while an import shows within the minute; ten minutes of
// stale-while-revalidate so no reader waits on a revalidation.
var DefaultCachePolicy = CachePolicy{MaxAge: time.Minute, StaleWhileRevalidate: 10 * time.Minute}

func (p CachePolicy) header() string {
	if p.MaxAge <= 0 {
		return "no-cache"
	}
	v := "public, max-age=" + strconv.Itoa(int(p.MaxAge.Seconds()))
	if p.StaleWhileRevalidate > 0 {
		v += ", stale-while-revalidate=" + strconv.Itoa(int(p.StaleWhileRevalidate.Seconds()))
	}
	return v
}

// WithCachePolicy sets the Cache-Control of data responses.
func WithCachePolicy(p CachePolicy) Option {
	return func(s *Server) { s.cacheControl = []string{p.header()} }
}

// WithResponseCache sets how many bytes of encoded data responses the server
// keeps for repeated requests (0 keeps none).
func WithResponseCache(bytes int64) Option {
	return func(s *Server) { s.reprs = newReprCache(bytes) }
}

// defaultResponseCache is enough for the map's first view many times over
// (its data is about 1 MB) and a few hundred pages of a newsroom's popular
// views, well inside the process's memory budget.
const defaultResponseCache = 64 << 20

// buildID tells one build's responses from another's: the same URL at the
// same data version may be encoded differently by a newer build. A build
// from a clean checkout is named by its commit; any other by its start, so
// it never claims another build's bytes.
var buildID = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" && modified == "false" {
			return rev
		}
	}
	return "start-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}()

// A representation is one data response as sent, kept for the next request
// for the same URL at the same data version.
type representation struct {
	key      string
	etag     []string
	status   int
	header   http.Header // what the handler set: type, disposition, links
	identity []byte
	length   []string // of identity

	gzipOnce   sync.Once
	gzipped    []byte   // nil: not worth compressing
	gzipLength []string // of gzipped
	// gzipCounted: the cache has counted gzipped in size.
	gzipCounted atomic.Bool
	size        int64 // bytes counted against the cache
}

// gzip is the compressed body, made once for all the requests that ask.
func (r *representation) gzip() []byte {
	r.gzipOnce.Do(func() {
		if len(r.identity) < gzipMinLength {
			return
		}
		var buf bytes.Buffer
		buf.Grow(len(r.identity) / 4)
		zw := gzipWriterFor(len(r.identity), &buf)
		zw.Write(r.identity)
		zw.Close()
		zw.release()
		r.gzipped = buf.Bytes()
		r.gzipLength = []string{strconv.Itoa(len(r.gzipped))}
	})
	return r.gzipped
}

const gzipMinLength = 1024

// gzipFastAbove trades size for time: a cached small answer is compressed
// hard once; a page of a megabyte, likely asked once, fast. Compression is
// klauspost/compress's: at its fastest it makes a 2 MB page in under half
// the standard library's time, and smaller (BenchmarkGzipPage); every
// reader of the map asks with gzip, and the first to ask for a page waits
// for it. Its writers hold a few hundred kB of state each, so they are
// kept for the next answer.
const gzipFastAbove = 256 << 10

var gzipWriters = [2]sync.Pool{
	{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }},
	{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }},
}

// pooledGzip is a writer from gzipWriters, to be released when closed.
type pooledGzip struct {
	*gzip.Writer
	pool *sync.Pool
	out  *bufio.Writer // of a streamed answer: see gzipStreamTo
}

// gzipWriterFor is a writer to w at the level for an answer of n bytes.
func gzipWriterFor(n int, w io.Writer) pooledGzip {
	pool := &gzipWriters[0]
	if n > gzipFastAbove {
		pool = &gzipWriters[1]
	}
	zw := pool.Get().(*gzip.Writer)
	zw.Reset(w)
	return pooledGzip{Writer: zw, pool: pool}
}

func (z pooledGzip) release() {
	z.Reset(io.Discard) // lets go of the writer it wrote to
	z.pool.Put(z.Writer)
	if z.out != nil {
		z.out.Reset(nil)
		streamOut.Put(z.out)
	}
}

// gzipStreamTo is a writer to a response, which must be flushed (out) after
// it is closed. The compressor hands out its output a few hundred bytes at
// a time; each would be a chunk of the response and many a system call.
func gzipStreamTo(n int, w io.Writer) pooledGzip {
	out := streamOut.Get().(*bufio.Writer)
	out.Reset(w)
	z := gzipWriterFor(n, out)
	z.out = out
	return z
}

var streamOut = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 32<<10) }}

// gzipResponse is a response whose body is compressed on its way.
type gzipResponse struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (g gzipResponse) Write(b []byte) (int, error) { return g.zw.Write(b) }

// reprCache keeps representations up to a budget of bytes, dropping the
// least recently used first.
type reprCache struct {
	mu     sync.Mutex
	budget int64
	used   int64
	order  *list.List // front: most recently used
	byKey  map[string]*list.Element
	seen   map[uint64]struct{} // keys asked for, by hash (seenBefore)
}

func newReprCache(budget int64) *reprCache {
	return &reprCache{budget: budget, order: list.New(), byKey: map[string]*list.Element{}, seen: map[uint64]struct{}{}}
}

func (c *reprCache) get(key string) *representation {
	if c == nil || c.budget <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*representation)
	}
	return nil
}

// seenBefore says whether key was asked for since the last few thousand
// other keys, and remembers that it was.
func (c *reprCache) seenBefore(key string) bool {
	if c == nil {
		return false
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	k := h.Sum64()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.seen[k]; ok {
		return true
	}
	if len(c.seen) >= seenKeys {
		clear(c.seen) // forget them all: those that matter come back
	}
	c.seen[k] = struct{}{}
	return false
}

// seenKeys bounds what seenBefore remembers (16 bytes or so each).
const seenKeys = 8192

// fits says whether a representation of n bytes would be kept: up to a
// sixth of the budget (about 11 MB of the default 64), so that the map's
// first view at a hundred thousand incidents, a page of 4,000 (9 MB), is
// kept like any other embed's answer.
func (c *reprCache) fits(n int64) bool { return c != nil && c.budget > 0 && n <= c.budget/6 }

func (c *reprCache) put(r *representation) {
	if !c.fits(r.size) {
		// A big page (10,000 features are 15–22 MB) would push out dozens
		// of the answers that are asked again and again, and is itself
		// rarely asked twice. A thousand features (1–2.5 MB) are kept: the
		// map's month in a box is one of those.
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[r.key]; ok {
		c.used -= e.Value.(*representation).size
		c.order.Remove(e)
	}
	c.byKey[r.key] = c.order.PushFront(r)
	c.used += r.size
	for c.used > c.budget {
		e := c.order.Back()
		old := e.Value.(*representation)
		c.order.Remove(e)
		delete(c.byKey, old.key)
		c.used -= old.size
	}
}

// grow counts bytes added to a cached representation (its gzip).
func (c *reprCache) grow(r *representation, n int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[r.key]; ok {
		r.size += n
		c.used += n
	}
}

// cacheable wraps a handler of data: its answer depends only on the URL, the
// data version and the day (the citation's date of access). It answers
// repeated requests from the representations kept, compresses once per
// representation, sends a weak ETag per URL and data version (gzip and
// identity share it) with the cache policy, and 304 to a client that has
// it. The data version is read before the handler runs; a handler that read
// a newer one (an import landed meanwhile) reports it and its answer is
// sent under that version and not kept.
func (s *Server) cacheable(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		v, err := s.store.RecentDataVersion(req.Context())
		if err != nil {
			return err
		}
		key := reprKey(req, v)
		if r := s.reprs.get(key); r != nil {
			return s.sendRepr(c, r)
		}
		// A big page takes its turn in its own lane for the making and the
		// sending both: 22 MB sent to hundreds of readers at once would
		// take the machine as surely as making it for each.
		large := largePage(req)
		if large {
			release, err := s.admitLarge.enter(req.Context())
			if err != nil {
				return admissionError(c, err)
			}
			defer release()
			// Kept while this reader waited for its turn: the map's first
			// view at a hundred thousand incidents asks every reader for
			// one page of 4,000, and the first of them keeps it.
			if r := s.reprs.get(key); r != nil {
				return s.sendRepr(c, r)
			}
		}
		// Readers who ask for the same URL while it is being made wait for
		// it instead of making it again: after an import every reader of an
		// embed misses at once.
		f, leader := s.flights.join(key)
		if !leader {
			select {
			case <-f.done:
				if f.r != nil {
					return s.sendRepr(c, f.r)
				}
				// The one making it failed or was not kept: make our own.
			case <-req.Context().Done():
				return req.Context().Err()
			}
		} else {
			defer s.flights.land(key, f) // if not landed with an answer below
		}
		if !large {
			release, err := s.admit.enter(req.Context())
			if err != nil {
				return admissionError(c, err)
			}
			defer release() // after the answer is written: it holds the body till then
		}
		res := c.Response()
		capture := &captureWriter{ResponseWriter: res.Writer, before: map[string]struct{}{}}
		for k := range res.Header() {
			capture.before[k] = struct{}{}
		}
		seen := s.reprs.seenBefore(key)
		if !seen && req.Method == http.MethodGet && req.Header.Get("If-None-Match") == "" {
			gzipped := acceptsGzip(req.Header.Get("Accept-Encoding"))
			capture.direct = func(version string, length int) http.ResponseWriter {
				if leader && !s.flights.alone(f) {
					return nil // others wait for this answer: it is made whole for them
				}
				k := key
				if version != "" && version != v {
					k = reprKey(req, version)
				}
				h := res.Header()
				h["Etag"] = etagOf(k)
				h["Cache-Control"] = s.cacheControl
				varyOnEncoding(h)
				capture.streamed = true
				res.Committed, res.Status, res.Size = true, http.StatusOK, int64(length)
				if gzipped && length >= gzipMinLength {
					// Compressed as it is made, as sendRepr would have
					// compressed it whole: the length is not known ahead.
					h["Content-Encoding"] = headerGzip
					capture.ResponseWriter.WriteHeader(http.StatusOK)
					capture.zw = gzipStreamTo(length, capture.ResponseWriter)
					return gzipResponse{capture.ResponseWriter, capture.zw.Writer}
				}
				h["Content-Length"] = []string{strconv.Itoa(length)}
				capture.ResponseWriter.WriteHeader(http.StatusOK)
				return capture.ResponseWriter
			}
		}
		res.Writer = capture
		err = next(c)
		res.Writer = capture.ResponseWriter
		if z := capture.zw; z.Writer != nil {
			// Its end (the gzip trailer) only after a whole answer: a
			// client must see a page cut short as broken, not as whole.
			if err == nil {
				err = z.Close()
			}
			if err == nil {
				err = z.out.Flush()
			}
			z.release()
		}
		if capture.streamed || err != nil || !capture.wroteHeader {
			return err
		}
		r := &representation{key: key, status: capture.status, identity: capture.body(), header: http.Header{}}
		for k, vals := range res.Header() {
			if _, before := capture.before[k]; !before && k != "Content-Length" {
				r.header[k] = append([]string(nil), vals...)
			}
		}
		if _, ok := r.header["Vary"]; ok {
			// Its final value, made once: writeRepr assigns this slice to
			// every answer and must find nothing to add to it (an append
			// there would write into what all readers share).
			varyOnEncoding(r.header)
			r.header["Vary"] = []string{strings.Join(r.header["Vary"], ", ")}
		}
		got, _ := c.Get(dataVersionKey).(string)
		current := r.status == http.StatusOK && (got == "" || got == v)
		if got != "" && got != v {
			r.key = reprKey(req, got)
		}
		// Kept only when asked for before: a newsroom's views are asked
		// again and again, while a reader panning the map asks each URL
		// once, and keeping those would only push the others out (and
		// give the collector megabytes a second to trace).
		keep := current && s.reprs.fits(int64(len(r.identity))) && seen
		if keep && cap(r.identity)-len(r.identity) > len(r.identity)/8 {
			// A buffer grown by doubling (or taken from the pool) may be
			// half empty; what is kept for minutes should not be.
			made := r.identity
			r.identity = bytes.Clone(made)
			recycleBody(made)
		}
		r.etag = etagOf(r.key)
		r.length = []string{strconv.Itoa(len(r.identity))}
		r.size = int64(len(r.identity) + len(r.key) + 256)
		if keep {
			defer s.reprs.put(r)
		}
		shared := false
		if current && leader {
			shared = s.flights.landWith(key, f, r) // whole now: others may send it
		}
		// The handler's headers are in the map already; sendRepr writes
		// them again from r, which is what a cached answer does.
		for k := range r.header {
			res.Header().Del(k)
		}
		res.Committed, res.Size = false, 0
		err = s.sendRepr(c, r)
		if !keep && !shared {
			recycleBody(r.identity) // written, and nobody else has it
		}
		return err
	}
}

// dataVersionKey is where a handler that read the data in its own snapshot
// leaves the version it read (see cacheable).
const dataVersionKey = "borderline.dataVersion"

// reprKey names a response: build, data version, day, the scheme and host
// (links are absolute) and the URL as asked.
func reprKey(r *http.Request, version string) string {
	return buildID + "|" + version + "|" + time.Now().UTC().Format("2006-01-02") + "|" + requestBase(r) + "|" + negotiatedBy(r) + "|" + r.URL.Path + "?" + r.URL.RawQuery
}

func etagOf(key string) []string {
	h := fnv.New128a()
	h.Write([]byte(key))
	return []string{`W/"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)) + `"`}
}

// sendRepr writes r in the encoding the client prefers, or 304.
func (s *Server) sendRepr(c echo.Context, r *representation) error {
	if r.status != http.StatusOK {
		h := c.Response().Header()
		for k, v := range r.header {
			h[k] = v
		}
		return c.Blob(r.status, h.Get(echo.HeaderContentType), r.identity)
	}
	return s.writeRepr(c.Response(), c.Request(), r)
}

// writeRepr writes a representation of status 200, or 304 to a client that
// has it. The header values are r's and the server's own, assigned without
// copies: this is the path every repeated data request takes.
func (s *Server) writeRepr(w http.ResponseWriter, req *http.Request, r *representation) error {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	h["Etag"] = r.etag
	h["Cache-Control"] = s.cacheControl
	varyOnEncoding(h)
	if etagMatches(req.Header.Get("If-None-Match"), r.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body, length := r.identity, r.length
	if acceptsGzip(req.Header.Get("Accept-Encoding")) {
		if z := r.gzip(); z != nil {
			if r.gzipCounted.CompareAndSwap(false, true) {
				s.reprs.grow(r, int64(len(z)))
			}
			body, length = z, r.gzipLength
			h["Content-Encoding"] = headerGzip
		}
	}
	h["Content-Length"] = length
	w.WriteHeader(http.StatusOK)
	if req.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	return err
}

var headerGzip = []string{"gzip"}

// etagMatches implements If-None-Match's weak comparison: a list of tags,
// or *.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding: gzip (or *) with a q-value above 0.
func acceptsGzip(header string) bool {
	ok := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, val, found := strings.Cut(strings.TrimSpace(p), "="); found && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		if name == "*" {
			ok = ok || q > 0
			continue
		}
		return q > 0 // an explicit gzip entry wins over *
	}
	return ok
}

// captureWriter keeps what a handler writes, to send it once it is known
// whole; a body handed over with ownBody is kept without a copy.
type captureWriter struct {
	http.ResponseWriter
	before      map[string]struct{} // the headers set before the handler ran
	status      int
	wroteHeader bool
	buf         bytes.Buffer
	owned       []byte
	// direct, where set, sends the headers of a 200 of length bytes read
	// at data version version (empty: the one read before) and returns
	// the writer for its body, which then goes to the client as it is
	// made (see sendFeatureCollection); nil if the answer must be made
	// whole after all. Set for answers that will not be kept.
	direct   func(version string, length int) http.ResponseWriter
	streamed bool
	zw       pooledGzip // set when the streamed answer is gzipped
}

func (w *captureWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader, w.status = true, code
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.owned != nil {
		w.buf.Write(w.owned)
		w.owned = nil
	}
	return w.buf.Write(b)
}

func (w *captureWriter) body() []byte {
	if w.owned != nil && w.buf.Len() == 0 {
		return w.owned
	}
	return w.buf.Bytes()
}

// Flush is a no-op: nothing leaves before the whole body is known.
func (w *captureWriter) Flush() {}

// sendOwned sends body, which the caller gives up: under cacheable it is
// kept as it is rather than copied.
func sendOwned(c echo.Context, contentType string, body []byte) error {
	res := c.Response()
	if w, ok := res.Writer.(*captureWriter); ok && !w.wroteHeader {
		res.Header().Set(echo.HeaderContentType, contentType)
		res.WriteHeader(http.StatusOK)
		w.owned = body
		res.Size = int64(len(body))
		return nil
	}
	return c.Blob(http.StatusOK, contentType, body)
}

func (w *captureWriter) String() string { return fmt.Sprintf("capture(%d bytes)", w.buf.Len()) }
