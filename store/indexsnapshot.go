package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/paulmach/orb"
)

// The incident index is kept beside the database as a snapshot
// (borderline.db-index), so that a restart serves from memory at once
// instead of after a build: at a million incidents a build reads the whole
// 6.5 GB file and takes half a minute, loading the snapshot a fraction of a
// second. The snapshot names the database it was built from (its store id,
// made once per database file) and the data version; it is used only when
// both are the database's now, so any import, by any process, makes it
// stale, and the next build replaces it. It is made from SQLite and can be
// deleted at any time.
//
// The file: the features as the index maps them, then the index's columns
// (little-endian), then the points of the incidents with several (in list
// order, each a count and that many longitude, latitude pairs), then a JSON
// header, its length (8 bytes) and a magic string (8 bytes).

// Format 3: the points in binary after the columns; format 2 had them as
// JSON in the header, whose decoding took a quarter of a restart's 250 ms
// at a million incidents. Format 2 put the features in list order (format
// 1 kept them in rowid order). An older snapshot is stale.
const (
	snapshotMagic  = "BLINDEX1"
	snapshotFormat = 3
)

func snapshotPath(dbPath string) string { return dbPath + "-index" }

type snapshotHeader struct {
	Format        int      `json:"format"`
	StoreID       string   `json:"store_id"`
	Version       string   `json:"data_version"`
	Incidents     int      `json:"incidents"`     // in the list
	Features      int      `json:"features"`      // in the feature file
	FeatureBytes  int64    `json:"feature_bytes"` // where the columns start
	ColumnBytes   int64    `json:"column_bytes"`  // to check the file is whole
	Categories    []string `json:"categories"`    // the names of the codes
	Verifications []string `json:"verifications"`
}

// columns are the index's slices in the order they are written.
func (x *incidentIndex) snapshotColumns(off []int64) []any {
	return []any{x.dayFrom, x.dayTo, x.lon, x.lat, x.multi, x.category, x.verif, off}
}

// snapshotTail is what follows the features in the snapshot of x.
func snapshotTail(x *incidentIndex, off []int64, storeID string, featureBytes int64) ([]byte, error) {
	var cols bytes.Buffer
	for _, c := range x.snapshotColumns(off) {
		if err := binary.Write(&cols, binary.LittleEndian, c); err != nil {
			return nil, fmt.Errorf("index snapshot: %w", err)
		}
	}
	for i, several := range x.multi {
		if !several {
			continue
		}
		pts := x.points[int32(i)]
		cols.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(pts))))
		if err := binary.Write(&cols, binary.LittleEndian, pts); err != nil {
			return nil, fmt.Errorf("index snapshot: %w", err)
		}
	}
	h, err := json.Marshal(snapshotHeader{Format: snapshotFormat, StoreID: storeID, Version: x.version,
		Incidents: len(x.dayFrom), Features: len(off) - 1, FeatureBytes: featureBytes,
		Categories: x.categories, Verifications: x.verifications, ColumnBytes: int64(cols.Len())})
	if err != nil {
		return nil, fmt.Errorf("index snapshot: %w", err)
	}
	tail := cols.Bytes()
	tail = append(tail, h...)
	tail = binary.LittleEndian.AppendUint64(tail, uint64(len(h)))
	return append(tail, snapshotMagic...), nil
}

// errSnapshotStale: the snapshot is of another database or data version.
var errSnapshotStale = errors.New("index snapshot is of other data")

// loadIndexSnapshot maps the snapshot at path if it holds data version
// version of the database storeID.
func loadIndexSnapshot(path, storeID, version string) (x *incidentIndex, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	var end [16]byte
	if size < 16 {
		return nil, fmt.Errorf("index snapshot: %d bytes, too short", size)
	}
	if _, err := f.ReadAt(end[:], size-16); err != nil {
		return nil, fmt.Errorf("index snapshot: %w", err)
	}
	if string(end[8:]) != snapshotMagic {
		return nil, errors.New("index snapshot: not a snapshot of this format")
	}
	hlen := int64(binary.LittleEndian.Uint64(end[:8]))
	if hlen <= 0 || hlen > size-16 {
		return nil, fmt.Errorf("index snapshot: header of %d bytes in a file of %d", hlen, size)
	}
	hb := make([]byte, hlen)
	if _, err := f.ReadAt(hb, size-16-hlen); err != nil {
		return nil, fmt.Errorf("index snapshot: %w", err)
	}
	var h snapshotHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, fmt.Errorf("index snapshot: header: %w", err)
	}
	if h.Format != snapshotFormat || h.StoreID != storeID || h.Version != version {
		return nil, errSnapshotStale
	}
	if h.FeatureBytes < 0 || h.ColumnBytes < 0 || h.FeatureBytes+h.ColumnBytes+hlen+16 != size {
		return nil, fmt.Errorf("index snapshot: %d bytes, the header says %d", size, h.FeatureBytes+h.ColumnBytes+hlen+16)
	}
	n, m := h.Incidents, h.Features
	if m != n {
		return nil, fmt.Errorf("index snapshot: %d features for %d incidents", m, n)
	}
	x = &incidentIndex{version: h.Version, categories: h.Categories, verifications: h.Verifications,
		dayFrom: make([]int32, n), dayTo: make([]int32, n), lon: make([]float64, n), lat: make([]float64, n),
		multi: make([]bool, n), category: make([]uint8, n), verif: make([]uint8, n)}
	off := make([]int64, m+1)
	cols := io.NewSectionReader(f, h.FeatureBytes, h.ColumnBytes)
	for _, c := range x.snapshotColumns(off) {
		if err := binary.Read(cols, binary.LittleEndian, c); err != nil {
			return nil, fmt.Errorf("index snapshot: columns: %w", err)
		}
	}
	if x.points, err = readSnapshotPoints(cols, x.multi); err != nil {
		return nil, err
	}
	// What a page reads must lie inside the file: a damaged snapshot is
	// refused here rather than found out by a request.
	if off[0] != 0 || off[m] != h.FeatureBytes {
		return nil, errors.New("index snapshot: the features do not fill their part of the file")
	}
	for j := range m {
		if off[j] > off[j+1] {
			return nil, errors.New("index snapshot: features out of order")
		}
	}
	for i := range n {
		if int(x.category[i]) >= len(x.categories) ||
			int(x.verif[i]) >= len(x.verifications) || (i > 0 && x.dayFrom[i] < x.dayFrom[i-1]) {
			return nil, fmt.Errorf("index snapshot: entry %d does not hold together", i)
		}
		if math.IsNaN(x.lon[i]) || math.IsNaN(x.lat[i]) {
			return nil, fmt.Errorf("index snapshot: entry %d has no position", i)
		}
	}
	x.tiers = spanTiers(x)
	data, unmap, err := mapFile(f, h.FeatureBytes)
	if err != nil {
		return nil, fmt.Errorf("index snapshot: map: %w", err)
	}
	x.features = &featureFile{data: data, off: off, mapped: data, unmap: unmap}
	return x, nil
}

// storeID names the database file: made once, kept in meta, copied with
// the file. The snapshot is tied to it, so that another database at the
// same data version is never answered from this one's snapshot.
func (s *Store) storeID(ctx context.Context) (string, error) {
	var id string
	if err := s.ro.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'store_id'").Scan(&id); err != nil {
		return "", fmt.Errorf("read store id: %w", err)
	}
	return id, nil
}

// ensureStoreID gives a database its id the first time it is opened.
const ensureStoreIDSQL = `INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))))
	ON CONFLICT (key) DO NOTHING`

// readSnapshotPoints reads the points that follow the columns: all that is
// left of r, which must hold exactly one list for each incident with several.
func readSnapshotPoints(r *io.SectionReader, multi []bool) (map[int32][]orb.Point, error) {
	rest, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("index snapshot: points: %w", err)
	}
	points := map[int32][]orb.Point{}
	for i, several := range multi {
		if !several {
			continue
		}
		if len(rest) < 4 {
			return nil, errors.New("index snapshot: points: the file ends early")
		}
		n := int(binary.LittleEndian.Uint32(rest))
		rest = rest[4:]
		if n > len(rest)/16 {
			return nil, fmt.Errorf("index snapshot: points: %d points of entry %d overrun the file", n, i)
		}
		if n == 0 {
			continue
		}
		pts := make([]orb.Point, n)
		for k := range pts {
			pts[k] = orb.Point{math.Float64frombits(binary.LittleEndian.Uint64(rest)), math.Float64frombits(binary.LittleEndian.Uint64(rest[8:]))}
			rest = rest[16:]
		}
		points[int32(i)] = pts
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("index snapshot: points: %d bytes left over", len(rest))
	}
	return points, nil
}
