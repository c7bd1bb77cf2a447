package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"
)

// EnableIncidentIndex keeps an in-memory index of the incidents (see
// incidentIndex) for the life of the store: loaded now from the snapshot
// the last build kept, if it holds the data as it is, otherwise built in
// the background; rebuilt whenever the data version changes, whoever
// wrote. Until an index of the current version exists, queries go to SQL,
// so answers are never stale, only slower for the seconds a build takes.
// The server enables it; commands that only write or export do not need it.
//
// The snapshot is loaded before this returns, so before the server
// listens: 0.4 s at a million incidents. Loaded in the background, as it
// once was, the first requests went to SQL meanwhile, and after a reboot,
// with none of the database in the kernel's cache, the map's first query
// took 1.8 s there, reading thousands of R*Tree pages scattered over 6.5 GB.
func (s *Store) EnableIncidentIndex(ctx context.Context, log *slog.Logger, poll time.Duration) {
	s.indexLog = log
	s.loadKeptIndex(ctx)
	ctx, cancel := context.WithCancel(ctx)
	s.indexStop = cancel
	s.indexKick = make(chan struct{}, 1)
	s.indexDone = make(chan struct{})
	go s.maintainIndex(ctx, poll)
	s.kickIndex()
}

// loadKeptIndex serves from the snapshot beside the database if it holds
// the data version there is now.
func (s *Store) loadKeptIndex(ctx context.Context) {
	start := time.Now()
	id, err := s.storeID(ctx)
	if err != nil {
		s.indexLog.Warn("incident index: no snapshot kept", "err", err)
		return
	}
	v, err := s.DataVersion(ctx)
	if err != nil {
		s.indexLog.Warn("incident index: read data version", "err", err)
		return
	}
	x, err := loadIndexSnapshot(snapshotPath(s.path), id, v)
	switch {
	case err == nil:
		s.indexLog.Info("incident index loaded", "incidents", x.len(), "data_version", x.version, "took", time.Since(start).Round(time.Millisecond))
		s.index.Store(x)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, errSnapshotStale):
	default:
		s.indexLog.Warn("incident index: snapshot not used; building", "err", err)
	}
}

// maintainIndex builds an index whenever asked (a request met an old one)
// or when the poll finds the data version moved on.
func (s *Store) maintainIndex(ctx context.Context, poll time.Duration) {
	defer close(s.indexDone)
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.indexKick:
		case <-tick.C:
			s.wal.refresh() // the -shm file may have been made anew
		}
		v, err := s.DataVersion(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.indexLog.Warn("incident index: read data version", "err", err)
			}
			continue
		}
		if x := s.index.Load(); x != nil && x.version == v {
			continue
		}
		start := time.Now()
		id, err := s.storeID(ctx)
		if err != nil {
			s.indexLog.Warn("incident index: no snapshot kept", "err", err)
		}
		keepAs := ""
		if id != "" {
			keepAs = snapshotPath(s.path)
		}
		x, persist, err := buildIncidentIndex(ctx, s.ro, filepath.Dir(s.path), keepAs, id)
		if err != nil {
			if ctx.Err() == nil {
				s.indexLog.Error("incident index: build failed; queries go to the database", "err", err)
			}
			continue
		}
		s.indexLog.Info("incident index ready", "incidents", x.len(), "data_version", x.version, "took", time.Since(start).Round(time.Millisecond))
		if old := s.index.Swap(x); old != nil {
			go old.close() // waits for the pages still being written from it
		}
		// Serving already; the snapshot for the next start follows.
		if err := persist(); err != nil {
			s.indexLog.Warn("incident index: not kept for the next start", "err", err)
		} else if keepAs != "" {
			s.indexLog.Debug("incident index kept", "path", keepAs, "took", time.Since(start).Round(time.Millisecond))
		}
	}
}

// KeepIndexSnapshot writes the incident index of the data as it is now
// beside the database (<database>-index), unless the one there already
// holds it. Commands that write outside a server (import, the bench
// database) call it when they are done: the next server start then loads
// the index in a fraction of a second instead of building it from SQLite
// for half a minute at a million incidents, meanwhile answering from SQL.
// The snapshot names the store id and data version it was made at, so
// any later write makes it stale and a start builds anew.
func (s *Store) KeepIndexSnapshot(ctx context.Context) error {
	id, err := s.storeID(ctx)
	if err != nil {
		return fmt.Errorf("keep index snapshot: %w", err)
	}
	v, err := s.DataVersion(ctx)
	if err != nil {
		return fmt.Errorf("keep index snapshot: %w", err)
	}
	path := snapshotPath(s.path)
	if x, err := loadIndexSnapshot(path, id, v); err == nil {
		return x.close()
	}
	x, persist, err := buildIncidentIndex(ctx, s.ro, filepath.Dir(s.path), path, id)
	if err != nil {
		return fmt.Errorf("keep index snapshot: %w", err)
	}
	err = persist()
	if cerr := x.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("keep index snapshot: %w", err)
	}
	return nil
}

// kickIndex asks for a build without waiting for it.
func (s *Store) kickIndex() {
	select {
	case s.indexKick <- struct{}{}:
	default: // one is already asked for
	}
}

// acquireIndex returns the index if it holds data version v, read-locked
// (release it when done); otherwise nil, and a build is asked for.
func (s *Store) acquireIndex(v string) *incidentIndex {
	if s.indexKick == nil {
		return nil
	}
	for range 2 { // a swap between Load and acquire closes the old one
		x := s.index.Load()
		if x == nil || x.version != v {
			s.kickIndex()
			return nil
		}
		if x.acquire() {
			return x
		}
	}
	return nil
}

// stopIndex ends the maintenance and unmaps the index.
func (s *Store) stopIndex() error {
	if s.indexStop == nil {
		return nil
	}
	s.indexStop()
	<-s.indexDone
	if x := s.index.Swap(nil); x != nil {
		return x.close()
	}
	return nil
}

// IndexReady reports whether an index of version v answers queries now.
func (s *Store) IndexReady(v string) bool {
	x := s.index.Load()
	return x != nil && x.version == v
}

// ItemsFunc runs q against a collection and calls fn with the page. The
// page's features may point into memory that is reused after fn returns:
// fn must copy what it keeps. Page.Version is the data version the page was
// read at. Incidents come from the in-memory index when it is current and
// holds the filters q uses, from SQL otherwise, with the same bytes.
func (s *Store) ItemsFunc(ctx context.Context, collection string, q Query, fn func(Page) error) error {
	if collection == "incidents" && s.indexKick != nil {
		v, err := s.RecentDataVersion(ctx)
		if err != nil {
			return err
		}
		if x := s.acquireIndex(v); x != nil {
			if x.answers(q) {
				defer x.release()
				pos, matched := x.page(q)
				page := Page{Matched: matched, Version: x.version, Features: make([]json.RawMessage, len(pos))}
				for i, p := range pos {
					page.Features[i] = x.feature(p)
				}
				return fn(page)
			}
			x.release()
		}
	}
	page, err := s.Items(ctx, collection, q)
	if err != nil {
		return err
	}
	return fn(page)
}
