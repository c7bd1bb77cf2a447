package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb/geojson"

	"github.com/borderline/borderline/geo"
)

// The bounds of simplify=, in metres: below a metre nothing visible goes; 20
// km is a pixel at zoom 3, far smaller than this map is ever shown.
const (
	minSimplifyM = 1
	maxSimplifyM = 20000
)

// shapeCollections are the collections of lines and polygons, which
// simplify= applies to; the others hold points. A test checks this against
// the geometry each collection serves.
var shapeCollections = []string{"areas", "zones", "border", "provinces", "rivers", "countries"}

// parseSimplify reads simplify=<metres>; 0 means full precision.
func parseSimplify(v url.Values, collection string) (float64, error) {
	s, ok := v["simplify"]
	if !ok {
		return 0, nil
	}
	if !slices.Contains(shapeCollections, collection) {
		return 0, badParam("simplify", "%s are points; only %s can be simplified", collection, strings.Join(shapeCollections, ", "))
	}
	m, err := strconv.ParseFloat(strings.TrimSpace(s[0]), 64)
	if err != nil || math.IsNaN(m) || m < minSimplifyM || m > maxSimplifyM {
		return 0, badParam("simplify", "%q must be a tolerance in metres from %d to %d", s[0], minSimplifyM, maxSimplifyM)
	}
	return m, nil
}

// shapeCache keeps simplified features in memory. Simplifying costs 30 to 60
// times as much as serving the stored bytes (BenchmarkSimplify: the zones
// take 21 ms against 0.6 ms, mostly reading the JSON), and the map asks for
// the same few tolerances on every load. Entries are keyed by the feature's
// content, so a new seed or import cannot serve a stale shape, and the cache
// is emptied when it outgrows maxBytes, which bounds what a client cycling
// through tolerances can make it hold.
type shapeCache struct {
	maxBytes int
	mu       sync.Mutex
	entries  map[shapeKey]json.RawMessage
	size     int
}

type shapeKey struct {
	sum [sha256.Size]byte
	tol float64
}

// shapeCacheBytes holds every shape collection simplified at about 25
// tolerances (each 0.2–0.6 MB).
const shapeCacheBytes = 16 << 20

// simplified returns feature b simplified at tol, from the cache if it can.
func (sc *shapeCache) simplified(b json.RawMessage, tol float64) (json.RawMessage, error) {
	key := shapeKey{sha256.Sum256(b), tol}
	sc.mu.Lock()
	out, ok := sc.entries[key]
	sc.mu.Unlock()
	if ok {
		return out, nil
	}
	// Computed outside the lock: two requests may both compute a shape the
	// first time, rather than every request wait behind one.
	out, err := simplifyFeature(b, tol)
	if err != nil {
		return nil, err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.entries == nil || sc.size+len(out) > sc.maxBytes {
		sc.entries, sc.size = map[shapeKey]json.RawMessage{}, 0
	}
	if _, dup := sc.entries[key]; !dup {
		sc.entries[key] = out
		sc.size += len(out)
	}
	return out, nil
}

// simplifyFeature returns a stored feature with its geometry simplified at
// tol metres (see geo.Simplify), keeping every other member as it is.
func simplifyFeature(b json.RawMessage, tol float64) (json.RawMessage, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return nil, fmt.Errorf("simplify: read feature: %w", err)
	}
	raw, ok := members["geometry"]
	if !ok || string(raw) == "null" {
		return b, nil
	}
	g, err := geojson.UnmarshalGeometry(raw)
	if err != nil {
		return nil, fmt.Errorf("simplify: read geometry: %w", err)
	}
	if members["geometry"], err = json.Marshal(geojson.NewGeometry(geo.Simplify(g.Geometry(), tol))); err != nil {
		return nil, fmt.Errorf("simplify: write geometry: %w", err)
	}
	delete(members, "bbox") // it would describe the unsimplified shape
	return writeMembers(members)
}

// writeMembers writes a feature's members with type, id, geometry and
// properties first, as the store writes them, and any others after.
func writeMembers(members map[string]json.RawMessage) (json.RawMessage, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := []string{"type", "id", "geometry", "properties"}
	rest := slices.Sorted(func(yield func(string) bool) {
		for k := range members {
			if !slices.Contains(first, k) && !yield(k) {
				return
			}
		}
	})
	for _, k := range append(first, rest...) {
		v, ok := members[k]
		if !ok {
			continue
		}
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, fmt.Errorf("simplify: write member: %w", err)
		}
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
