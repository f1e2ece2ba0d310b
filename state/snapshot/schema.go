package snapshot

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// applicationID marks an SQLite file as a usagetop snapshot store
// ("utop"), so another program's database is told apart from ours.
const applicationID = 0x75746f70

// migrations[i] takes the schema from version i to i+1. Append only:
// a released step is never edited, so every store reaches the same schema.
var migrations = []string{
	// 1: queries, interned products, and windows holding their records (and
	// the previous snapshot of the same days) as compact blobs.
	`CREATE TABLE queries (
		id          INTEGER PRIMARY KEY,
		source      TEXT NOT NULL,
		group_id    TEXT NOT NULL,
		category    TEXT NOT NULL,
		aggregation TEXT NOT NULL,
		UNIQUE (source, group_id, category, aggregation)
	);
	CREATE TABLE products (
		id       INTEGER PRIMARY KEY,
		name     TEXT NOT NULL,
		category TEXT NOT NULL,
		unit     TEXT NOT NULL,
		currency TEXT NOT NULL,
		UNIQUE (name, category, unit, currency)
	);
	CREATE TABLE windows (
		id              INTEGER PRIMARY KEY,
		query_id        INTEGER NOT NULL REFERENCES queries (id),
		from_day        INTEGER NOT NULL, -- days since 1970-01-01, inclusive
		to_day          INTEGER NOT NULL,
		fetched_at      INTEGER NOT NULL, -- Unix milliseconds
		as_of           INTEGER NOT NULL,
		records         INTEGER NOT NULL,
		data            BLOB NOT NULL,
		prev_fetched_at INTEGER,          -- NULL: no previous snapshot
		prev_as_of      INTEGER,
		prev_from       INTEGER,          -- the days the previous snapshot covered
		prev_to         INTEGER,
		prev_data       BLOB
	);
	CREATE INDEX windows_by_query ON windows (query_id, from_day);
	CREATE INDEX windows_by_age ON windows (fetched_at);`,
}

// schemaVersion is the version this usagetop writes.
var schemaVersion = len(migrations)

// inspect opens an existing file read-only and says why it is not a
// usable store ("" when it is one): another program's database, or
// damaged. A store from a newer usagetop is ErrNewerSchema.
func inspect(path string) (reason string, err error) {
	db, err := sql.Open("sqlite", dsn(path, "mode=ro&_pragma=busy_timeout(5000)"))
	if err != nil {
		return "", fmt.Errorf("opening the snapshot store %s: %w", path, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var appID, version, tables int
	for _, q := range []struct {
		sql string
		v   *int
	}{{"PRAGMA application_id", &appID}, {"PRAGMA user_version", &version}, {"SELECT count(*) FROM sqlite_schema", &tables}} {
		if err := db.QueryRowContext(ctx, q.sql).Scan(q.v); err != nil {
			return damaged(err)
		}
	}
	switch {
	case appID == 0 && version == 0 && tables == 0:
		return "", nil // created but never written: as good as new
	case appID != applicationID:
		return "it is an SQLite database of another program", nil
	case version > schemaVersion:
		return "", fmt.Errorf("%w (schema %d; this one reads up to %d): %s; upgrade usagetop or point it at another store",
			ErrNewerSchema, version, schemaVersion, path)
	}
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&check); err != nil {
		return damaged(err)
	}
	if check != "ok" {
		return "it is damaged: " + strings.ReplaceAll(check, "\n", " "), nil
	}
	return "", nil
}

// damaged turns an error reading what must be there into a reason to set
// the file aside.
func damaged(err error) (string, error) {
	msg := err.Error()
	if strings.Contains(msg, "not a database") || strings.Contains(msg, "malformed") || strings.Contains(msg, "corrupt") {
		return "it is damaged: " + msg, nil
	}
	return "", fmt.Errorf("reading the snapshot store: %w", err)
}

// prepare migrates a checked (or new) file to the current schema and
// loads the product table.
func (s *Store) prepare() error {
	ctx, cancel := s.ctx()
	defer cancel()
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("reading the snapshot store %s: %w", s.path, err)
	}
	for v := version; v < schemaVersion; v++ {
		if err := s.migrate(v); err != nil {
			return err
		}
	}
	if err := s.loadProducts(ctx, s.db); err != nil {
		return fmt.Errorf("reading the snapshot store %s: %w", s.path, err)
	}
	return nil
}

// migrate runs migration v (to version v+1) in one transaction with the
// version bump, so a failure leaves the store at v.
func (s *Store) migrate(v int) error {
	ctx, cancel := s.ctx()
	defer cancel()
	if v == 0 {
		// Pruning gives pages back to the file system only with
		// auto_vacuum, which is set before the first table exists, and not
		// inside a transaction.
		if _, err := s.db.ExecContext(ctx, "PRAGMA auto_vacuum = INCREMENTAL"); err != nil {
			return fmt.Errorf("setting up the snapshot store: %w", err)
		}
	}
	err := s.execTx(ctx, []stmt{{sql: migrations[v]},
		{sql: fmt.Sprintf("PRAGMA application_id = %d", applicationID)},
		{sql: fmt.Sprintf("PRAGMA user_version = %d", v+1)}})
	if err != nil {
		return fmt.Errorf("migrating the snapshot store to schema %d: %w", v+1, err)
	}
	return nil
}
