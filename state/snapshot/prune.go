package snapshot

import (
	"fmt"
)

// rowOverhead is roughly what SQLite spends on a window row beside its
// blobs, for estimating what deleting it frees.
const rowOverhead = 64

// Size returns the bytes the store's pages hold (free pages excluded).
func (s *Store) Size() (int64, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var pages, free, size int64
	for _, p := range []struct {
		pragma string
		v      *int64
	}{{"page_count", &pages}, {"freelist_count", &free}, {"page_size", &size}} {
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.v); err != nil {
			return 0, fmt.Errorf("measuring the snapshot store: %w", err)
		}
	}
	return (pages - free) * size, nil
}

// Prune deletes the windows fetched longest ago until the store holds at
// most maxBytes, and gives the freed pages back to the file system. It
// returns how many windows it deleted.
func (s *Store) Prune(maxBytes int64) (int, error) {
	removed := 0
	for {
		used, err := s.Size()
		if err != nil || used <= maxBytes {
			return removed, err
		}
		n, err := s.deleteOldest(used - maxBytes)
		removed += n
		if err != nil {
			return removed, fmt.Errorf("pruning the snapshot store: %w", err)
		}
		if n == 0 {
			return removed, nil // nothing left to delete
		}
	}
}

// deleteOldest deletes the oldest windows whose blobs add up to about
// excess bytes (at least one window), and vacuums.
func (s *Store) deleteOldest(excess int64) (int, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.db.QueryContext(ctx,
		"SELECT id, length(data) + ifnull(length(prev_data), 0) FROM windows ORDER BY fetched_at, id")
	if err != nil {
		return 0, err
	}
	var ids []int64
	var freed int64
	for rows.Next() && freed < excess {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
		freed += n + rowOverhead
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	deletes := make([]stmt, len(ids))
	for i, id := range ids {
		deletes[i] = stmt{"DELETE FROM windows WHERE id = ?", []any{id}}
	}
	if err := s.execTx(ctx, deletes); err != nil {
		return 0, err
	}
	_, err = s.db.ExecContext(ctx, "PRAGMA incremental_vacuum")
	return len(ids), err
}
