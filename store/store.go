// Package store keeps Borderline's data in SQLite: the schema and its
// migrations, seeding from the embedded dataset, all-or-nothing imports, and
// the queries the server runs. SQLite is the source of truth at run time.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is one database file with a single writer connection and a pool of
// read-only connections; WAL lets readers run while an import writes.
type Store struct {
	path string
	rw   *sql.DB
	ro   *sql.DB
	// stmts holds statements prepared on ro, by SQL text (see stmt).
	stmts sync.Map

	// The in-memory index of incidents, when enabled (indexing.go).
	index     atomic.Pointer[incidentIndex]
	indexKick chan struct{}
	indexStop context.CancelFunc
	indexDone chan struct{}
	indexLog  *slog.Logger

	recentVersion atomic.Pointer[versionRead] // see RecentDataVersion
	wal           *walWatch
	writes        atomic.Int64 // counts this process's commits
}

type versionRead struct {
	version string
	header  walHeader // the WAL index when it was read
	writes  int64     // this process's commits when it was read
}

// Open opens (creating if needed) the database at path and brings its schema up
// to date. It does not seed; call Seed for that.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open store: empty database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("open store: create directory: %w", err)
	}
	rw, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", abs, err)
	}
	// SQLite allows one writer; one connection makes Go queue writers instead of
	// SQLite answering SQLITE_BUSY.
	rw.SetMaxOpenConns(1)
	s := &Store{path: abs, rw: rw, wal: newWalWatch(abs)}
	if err := s.migrate(ctx); err != nil {
		rw.Close()
		return nil, err
	}
	// Only now does the file exist with WAL on, which read-only opens need.
	ro, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		rw.Close()
		return nil, fmt.Errorf("open read-only pool %s: %w", abs, err)
	}
	n := 2 * runtime.GOMAXPROCS(0)
	ro.SetMaxOpenConns(n)
	ro.SetMaxIdleConns(n)
	s.ro = ro
	if err := ro.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open read-only pool %s: %w", abs, err)
	}
	s.wal.refresh()
	return s, nil
}

// dsn builds a modernc.org/sqlite data source name. Read-only connections need
// the file: form, or mode=ro is silently ignored.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Set("mode", "ro")
		q.Add("_pragma", "query_only(1)")
		// Readers see the file's pages through a mapping rather than a
		// read call per page: the kernel's cache is shared by every
		// connection instead of copied into each one's own. SQLite caps
		// it at 2 GB; the pages count as the file's, not the process's.
		q.Add("_pragma", "mmap_size(2147418112)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// stmt returns query prepared on the read-only pool, preparing it the first
// time. Parsing and planning cost as much as the search itself on the hot
// path; the queries come in a few dozen shapes (which filters are set), all
// parameterised, so the cache stays small.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.ro.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	errs := []error{s.stopIndex()}
	s.stmts.Range(func(_, st any) bool {
		errs = append(errs, st.(*sql.Stmt).Close())
		return true
	})
	if s.ro != nil {
		errs = append(errs, s.ro.Close())
	}
	if s.rw != nil {
		errs = append(errs, s.rw.Close())
	}
	s.wal.close()
	return errors.Join(errs...)
}

// Path is the absolute path of the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.rw.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("migrate: the database has schema version %d, newer than this program's %d; use a newer borderline", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := s.rw.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
		// PRAGMA takes no bound parameters; i is our own integer.
		if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(i+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: set version: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to %d: commit: %w", i+1, err)
		}
	}
	if _, err := s.rw.ExecContext(ctx, ensureStoreIDSQL); err != nil {
		return fmt.Errorf("migrate: store id: %w", err)
	}
	return nil
}

// Ping checks that a read-only connection answers; /healthz uses it.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.ro.QueryRowContext(ctx, "SELECT 1 FROM meta LIMIT 1").Scan(&one); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

func getMeta(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read meta %s: %w", key, err)
	}
	return v, nil
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("write meta %s: %w", key, err)
	}
	return nil
}

// finishWrite ends every write transaction: it refreshes what is derived from
// the rows (the extents) and marks that data changed, so caches keyed on the
// version (ETags) expire.
func finishWrite(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, refreshExtentsSQL); err != nil {
		return fmt.Errorf("refresh extents: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('data_version', '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`)
	if err != nil {
		return fmt.Errorf("bump data version: %w", err)
	}
	return nil
}

const dataVersionSQL = "SELECT value FROM meta WHERE key = 'data_version'"

// DataVersion changes whenever the data changes, from any process.
func (s *Store) DataVersion(ctx context.Context) (string, error) {
	st, err := s.stmt(ctx, dataVersionSQL)
	if err != nil {
		return "", fmt.Errorf("read data version: %w", err)
	}
	var v string
	if err := st.QueryRowContext(ctx).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read data version: %w", err)
	}
	return v, nil
}

// RecentDataVersion is DataVersion, read from the database only when the
// WAL index says something was committed since the last reading (see
// walWatch): every data request asks, and the answer is then a dozen
// memory loads instead of a read transaction and two file locks (8 µs, a
// third of a repeated answer's cost). Where the WAL index cannot be read
// it is DataVersion.
func (s *Store) RecentDataVersion(ctx context.Context) (string, error) {
	h, ok := s.wal.header()
	gen := s.writes.Load()
	if ok {
		if r := s.recentVersion.Load(); r != nil && r.header == h && r.writes == gen {
			return r.version, nil
		}
	} else {
		s.wal.refreshSoon()
	}
	// The header is taken before the read: a commit in between makes the
	// next request read again, never the reverse.
	v, err := s.DataVersion(ctx)
	if err != nil {
		return "", err
	}
	if ok {
		s.recentVersion.Store(&versionRead{version: v, header: h, writes: gen})
	}
	return v, nil
}

// forgetVersion follows a write by this process (which the header shows
// too; this is for when it cannot be read).
func (s *Store) forgetVersion() {
	s.writes.Add(1)
	s.recentVersion.Store(nil)
}

// versionIn is the data version as the transaction tx sees it.
func (s *Store) versionIn(ctx context.Context, tx *sql.Tx) (string, error) {
	st, err := s.stmt(ctx, dataVersionSQL)
	if err != nil {
		return "", fmt.Errorf("read data version: %w", err)
	}
	var v string
	if err := tx.StmtContext(ctx, st).QueryRowContext(ctx).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read data version: %w", err)
	}
	return v, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}
