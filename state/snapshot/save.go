package snapshot

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
)

// querier is what both *sql.DB and *sql.Tx offer. Inside a transaction
// everything must go through the Tx: the store's only connection is held.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// stored is one row of the windows table.
type stored struct {
	id        int64
	r         window.Range
	fetchedAt time.Time
	asOf      api.Date
	records   int
	data      []byte
	prev      *previous
}

// previous is the snapshot of a window's days before it was last fetched.
type previous struct {
	fetchedAt time.Time
	asOf      api.Date
	// r is the span of days it covered; a day in it without a record had
	// none.
	r    window.Range
	data []byte
}

// SaveWindow stores the records of a completed window r of key, fetched at
// fetchedAt with the API's asOf. Whatever was stored for r's days before is
// replaced, and kept as the window's previous snapshot, so Changes can say
// what moved since; windows that stuck out of r keep their other days.
// For MONTHLY keys r should be whole months (clipped to the query), as
// package window cuts them; a month partly in r is replaced whole.
// Every record must lie within r. Afterwards the store is pruned back to
// its size limit, oldest windows first.
func (s *Store) SaveWindow(key QueryKey, r window.Range, fetchedAt time.Time, asOf api.Date, recs []api.Record) error {
	if r.To < r.From {
		return fmt.Errorf("saving window %s: it ends before it starts", r)
	}
	for i := range recs {
		if !r.Contains(recs[i].StartDate) || !r.Contains(recs[i].EndDate) {
			return fmt.Errorf("saving window %s: record %d (%s..%s) lies outside it", r, i, recs[i].StartDate, recs[i].EndDate)
		}
	}
	if err := s.addProducts(recs); err != nil {
		return fmt.Errorf("saving window %s: %w", r, err)
	}
	data := encodeRecords(nil, r.From, recs, s.idOf)
	if err := s.replace(key, r, fetchedAt, asOf, len(recs), data); err != nil {
		return fmt.Errorf("saving window %s: %w", r, err)
	}
	if s.max > 0 {
		if _, err := s.Prune(s.max); err != nil {
			return err
		}
	}
	return nil
}

func productOf(r *api.Record) product {
	return product{r.ProductName, r.ProductCategory, r.Usage.Unit, r.Price.Currency}
}

// cut is the span a new window r replaces: its days, or for MONTHLY its
// whole months, since a month's record cannot be split.
func cut(agg api.Aggregation, r window.Range) window.Range {
	if agg == api.Monthly {
		return window.Range{From: r.From.MonthStart(), To: r.To.MonthEnd()}
	}
	return r
}

// replace writes the new window in one transaction: the stored windows it
// overlaps give up their days in its span (kept as its previous snapshot)
// and keep the rest as windows of their own.
func (s *Store) replace(key QueryKey, r window.Range, fetchedAt time.Time, asOf api.Date, n int, data []byte) error {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.replaceIn(ctx, tx, key, r, fetchedAt, asOf, n, data)
	})
}

func (s *Store) replaceIn(ctx context.Context, tx *sql.Tx, key QueryKey, r window.Range, fetchedAt time.Time, asOf api.Date, n int, data []byte) error {
	qid, err := queryID(ctx, tx, key, true)
	if err != nil {
		return err
	}
	span := cut(key.aggregation(), r)
	olds, err := overlapping(ctx, tx, qid, span)
	if err != nil {
		return err
	}
	var prev *previous
	var prevRecs []api.Record
	for _, o := range olds {
		cur, err := s.decode(ctx, tx, o.data, o.r.From)
		if err != nil {
			return err
		}
		in, left, right := partition(cur, span)
		prevRecs = append(prevRecs, in...)
		covered := window.Range{From: max(o.r.From, span.From), To: min(o.r.To, span.To)}
		if prev == nil {
			prev = &previous{fetchedAt: o.fetchedAt, asOf: o.asOf, r: covered}
		} else {
			prev.fetchedAt = later(prev.fetchedAt, o.fetchedAt)
			prev.asOf = min(prev.asOf, o.asOf) // fewer days count as closed
			prev.r.From, prev.r.To = min(prev.r.From, covered.From), max(prev.r.To, covered.To)
		}
		if err := s.keepOutside(ctx, tx, qid, o, span, left, right); err != nil {
			return err
		}
	}
	if prev != nil {
		prev.data = encodeRecords(nil, r.From, prevRecs, s.idOf)
	}
	return insert(ctx, tx, qid, stored{r: r, fetchedAt: fetchedAt, asOf: asOf, records: n, data: data, prev: prev})
}

// keepOutside replaces old window o by its parts before and after span,
// holding the records left and right of it (and its previous snapshot cut
// the same way).
func (s *Store) keepOutside(ctx context.Context, tx *sql.Tx, qid int64, o stored, span window.Range, left, right []api.Record) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM windows WHERE id = ?", o.id); err != nil {
		return err
	}
	var prevLeft, prevRight []api.Record
	if o.prev != nil {
		old, err := s.decode(ctx, tx, o.prev.data, o.r.From)
		if err != nil {
			return err
		}
		_, prevLeft, prevRight = partition(old, span)
	}
	parts := []struct {
		r          window.Range
		recs, prev []api.Record
	}{
		{window.Range{From: o.r.From, To: span.From - 1}, left, prevLeft},
		{window.Range{From: span.To + 1, To: o.r.To}, right, prevRight},
	}
	for _, p := range parts {
		if p.r.To < p.r.From {
			continue
		}
		w := stored{r: p.r, fetchedAt: o.fetchedAt, asOf: o.asOf, records: len(p.recs),
			data: encodeRecords(nil, p.r.From, p.recs, s.idOf)}
		if o.prev != nil {
			pr := window.Range{From: max(p.r.From, o.prev.r.From), To: min(p.r.To, o.prev.r.To)}
			if pr.From <= pr.To {
				w.prev = &previous{fetchedAt: o.prev.fetchedAt, asOf: o.prev.asOf, r: pr,
					data: encodeRecords(nil, p.r.From, p.prev, s.idOf)}
			}
		}
		if err := insert(ctx, tx, qid, w); err != nil {
			return err
		}
	}
	return nil
}

// partition splits recs by where they start: in span, before it, after it.
func partition(recs []api.Record, span window.Range) (in, before, after []api.Record) {
	for _, r := range recs {
		switch {
		case r.StartDate < span.From:
			before = append(before, r)
		case r.StartDate > span.To:
			after = append(after, r)
		default:
			in = append(in, r)
		}
	}
	return in, before, after
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func insert(ctx context.Context, tx *sql.Tx, qid int64, w stored) error {
	var pf, pa, pfrom, pto any
	var pdata []byte
	if w.prev != nil {
		pf, pa, pfrom, pto = w.prev.fetchedAt.UnixMilli(), int64(w.prev.asOf), int64(w.prev.r.From), int64(w.prev.r.To)
		pdata = w.prev.data
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO windows
		(query_id, from_day, to_day, fetched_at, as_of, records, data, prev_fetched_at, prev_as_of, prev_from, prev_to, prev_data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		qid, int64(w.r.From), int64(w.r.To), w.fetchedAt.UnixMilli(), int64(w.asOf), w.records, w.data, pf, pa, pfrom, pto, pdata)
	return err
}

// queryID returns key's id, adding it when create is set; 0 when absent.
func queryID(ctx context.Context, q querier, key QueryKey, create bool) (int64, error) {
	agg := string(key.aggregation())
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM queries WHERE source = ? AND group_id = ? AND category = ? AND aggregation = ?",
		key.Source, key.GroupID, key.Category, agg).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) || !create {
		if errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
		return id, err
	}
	res, err := q.ExecContext(ctx, "INSERT INTO queries (source, group_id, category, aggregation) VALUES (?, ?, ?, ?)",
		key.Source, key.GroupID, key.Category, agg)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// overlapping reads key qid's windows that share a day with span, in date
// order.
func overlapping(ctx context.Context, q querier, qid int64, span window.Range) ([]stored, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, from_day, to_day, fetched_at, as_of, records, data,
		prev_fetched_at, prev_as_of, prev_from, prev_to, prev_data
		FROM windows WHERE query_id = ? AND from_day <= ? AND to_day >= ? ORDER BY from_day`,
		qid, int64(span.To), int64(span.From))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var w stored
		var from, to, fetched, asOf int64
		var pf, pa, pfrom, pto sql.NullInt64
		var pdata []byte
		if err := rows.Scan(&w.id, &from, &to, &fetched, &asOf, &w.records, &w.data, &pf, &pa, &pfrom, &pto, &pdata); err != nil {
			return nil, err
		}
		w.r = window.Range{From: api.Date(from), To: api.Date(to)}
		w.fetchedAt, w.asOf = time.UnixMilli(fetched).UTC(), api.Date(asOf)
		if pf.Valid {
			w.prev = &previous{fetchedAt: time.UnixMilli(pf.Int64).UTC(), asOf: api.Date(pa.Int64),
				r: window.Range{From: api.Date(pfrom.Int64), To: api.Date(pto.Int64)}, data: pdata}
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
