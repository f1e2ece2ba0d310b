// Package snapshot keeps the records of completed date windows on disk, in
// an embedded SQLite database, so a query reopens at once from what was
// fetched before, only what can still change is fetched again, and each
// product's change since the previous look (and the drift of days that
// were already closed) can be shown. It is the only part of state that
// writes files.
package snapshot

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/usagetop/usagetop/api"
	_ "modernc.org/sqlite" // pure Go: no cgo needed on a jump host
)

// FileName is the store's file under the usagetop state directory.
const FileName = "snapshots.db"

// DefaultMaxBytes is the size limit when Options.MaxBytes is zero: room
// for a hundred years of a large group's daily records.
const DefaultMaxBytes = 128 << 20

// QueryKey names what a snapshot holds. Date ranges are not part of it:
// windows of one key cover days, and any range is assembled from them.
type QueryKey struct {
	// Source is where the data came from (the API base URL), so demo and
	// real figures never mix.
	Source      string
	GroupID     string
	Category    string // empty for every category
	Aggregation api.Aggregation
}

func (k QueryKey) aggregation() api.Aggregation {
	if k.Aggregation == "" {
		return api.Daily
	}
	return k.Aggregation
}

// Options tunes a Store. Zero fields take defaults.
type Options struct {
	// MaxBytes is the size the store is pruned back to, oldest windows
	// first, after each save; 0 for DefaultMaxBytes, negative for no limit.
	MaxBytes int64
}

// Store is an open snapshot store. It is safe for concurrent use; one
// connection does all reads and writes, as SQLite wants one writer.
type Store struct {
	db   *sql.DB
	path string
	max  int64

	mu       sync.Mutex
	products []product          // by id
	ids      map[product]uint64 // the reverse
}

// DefaultPath returns $XDG_STATE_HOME/usagetop/snapshots.db, or
// ~/.local/state/usagetop/snapshots.db when XDG_STATE_HOME is unset (or
// not absolute, as the XDG spec says to ignore it then).
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no state directory for the snapshot store (set XDG_STATE_HOME or HOME): %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "usagetop", FileName), nil
}

// Open opens the store at path, creating it (and its directory, mode
// 0700) if needed; the file is made mode 0600, since it holds billing data.
// An older schema is migrated. A file that is not a usagetop store, or is
// damaged, is renamed aside and Open returns a *SetAsideError saying where
// it went: Open again to start a fresh store. A store written by a newer
// usagetop is left alone and refused with ErrNewerSchema.
func Open(path string, opts Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the snapshot store's directory: %w", err)
	}
	empty, reason, err := checkHeader(path)
	if err == nil && reason == "" && !empty {
		// Look before writing anything: journal_mode=WAL below would
		// rewrite the header of another program's database.
		reason, err = inspect(path)
	}
	if err != nil {
		return nil, err
	}
	if reason != "" {
		return nil, setAside(path, reason)
	}
	db, err := sql.Open("sqlite", dsn(path, "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"))
	if err != nil {
		return nil, fmt.Errorf("opening the snapshot store %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, max: opts.MaxBytes, ids: map[product]uint64{}}
	if s.max == 0 {
		s.max = DefaultMaxBytes
	}
	if err := s.prepare(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn is the driver's name for the file at path with query parameters.
func dsn(path, params string) string {
	return (&url.URL{Scheme: "file", Path: path}).String() + "?" + params
}

// checkHeader creates the file with mode 0600, or tightens an existing
// one, and says whether it is empty and, if it is not an SQLite database,
// why not.
func checkHeader(path string) (empty bool, reason string, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return false, "", fmt.Errorf("opening the snapshot store %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Chmod(0o600); err != nil {
		return false, "", fmt.Errorf("making the snapshot store %s private: %w", path, err)
	}
	var head [16]byte
	n, _ := f.Read(head[:])
	if n == 0 {
		return true, "", nil
	}
	if n < len(head) || string(head[:]) != "SQLite format 3\x00" {
		return false, "it is not an SQLite database", nil
	}
	return false, "", nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the store's file.
func (s *Store) Path() string { return s.path }

// ErrNewerSchema is returned by Open for a store written by a newer
// usagetop; it is left as it is.
var ErrNewerSchema = errors.New("the snapshot store was written by a newer usagetop")

// SetAsideError says the file at Path was not a usable store and was
// renamed to MovedTo, never deleted: open the store again for a fresh one.
type SetAsideError struct {
	Path, MovedTo string
	// Reason is what was wrong with it.
	Reason string
}

func (e *SetAsideError) Error() string {
	return fmt.Sprintf("the snapshot store %s could not be used (%s); it was moved to %s and a new one will be started (delete the old file when you no longer need it)",
		e.Path, e.Reason, e.MovedTo)
}

// setAside renames path, and SQLite's side files with it, out of the way.
func setAside(path, reason string) error {
	moved := path + ".unusable-" + time.Now().UTC().Format("20060102T150405Z")
	if err := os.Rename(path, moved); err != nil {
		return fmt.Errorf("the snapshot store %s could not be used (%s) and could not be moved aside: %w; move or delete it yourself", path, reason, err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + side); err == nil {
			_ = os.Rename(path+side, moved+side)
		}
	}
	return &SetAsideError{Path: path, MovedTo: moved, Reason: reason}
}

// stmt is one SQL statement with its arguments.
type stmt struct {
	sql  string
	args []any
}

// inTx runs fn in one transaction, committed only when fn succeeds.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// execTx runs stmts in one transaction: all or nothing.
func (s *Store) execTx(ctx context.Context, stmts []stmt) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, st := range stmts {
			if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// ctx bounds every statement; the store is local, so a minute means a
// lock held by another process or a failing disk.
func (s *Store) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}
