package snapshot

import (
	"fmt"
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
)

// Snapshot is what the store holds for one query range.
type Snapshot struct {
	// Range and Aggregation are what was asked for.
	Range       window.Range
	Aggregation api.Aggregation
	// Records are the stored records of Range, in the API's order (date,
	// then product), exactly as a query over the covered days returns them.
	Records []api.Record
	// Windows are the stored windows that cover part of Range, in date
	// order, each cut to Range.
	Windows []WindowInfo
	// Missing are the days of Range no usable window covers.
	Missing []window.Range
}

// WindowInfo describes one stored window.
type WindowInfo struct {
	Range     window.Range
	FetchedAt time.Time
	// AsOf is the API's freshness watermark when it was fetched.
	AsOf    api.Date
	Records int
	// PrevFetchedAt is when the snapshot it replaced was fetched; zero
	// when there was none.
	PrevFetchedAt time.Time
}

// Complete reports whether every day of the range is stored.
func (s *Snapshot) Complete() bool { return len(s.Missing) == 0 }

// Oldest returns the fetch time of the oldest window, for "as of 09:12";
// zero when nothing is stored.
func (s *Snapshot) Oldest() time.Time {
	var t time.Time
	for _, w := range s.Windows {
		if t.IsZero() || w.FetchedAt.Before(t) {
			t = w.FetchedAt
		}
	}
	return t
}

// Load returns what the store holds of key over r: the records, the
// windows they came from, and the days it lacks. A MONTHLY window is used
// only when its months are clipped as r clips them; otherwise its days
// count as missing.
func (s *Store) Load(key QueryKey, r window.Range) (*Snapshot, error) {
	snap := &Snapshot{Range: r, Aggregation: key.aggregation()}
	rows, err := s.usable(key, r)
	if err != nil {
		return nil, fmt.Errorf("reading the snapshot store: %w", err)
	}
	ctx, cancel := s.ctx()
	defer cancel()
	total := 0
	for _, w := range rows {
		total += w.records
	}
	snap.Records = make([]api.Record, 0, total)
	next := r.From
	for _, w := range rows {
		n := len(snap.Records)
		snap.Records, err = s.decodeInto(ctx, s.db, snap.Records, w.data, w.r.From)
		if err != nil {
			return nil, fmt.Errorf("reading window %s from the snapshot store %s: %w", w.r, s.path, err)
		}
		if w.r.From < r.From || w.r.To > r.To { // a DAILY window sticking out
			snap.Records = snap.Records[:n+len(inRange(snap.Records[n:], r))]
		}
		in := window.Range{From: max(w.r.From, r.From), To: min(w.r.To, r.To)}
		info := WindowInfo{Range: in, FetchedAt: w.fetchedAt, AsOf: w.asOf, Records: len(snap.Records) - n}
		if w.prev != nil {
			info.PrevFetchedAt = w.prev.fetchedAt
		}
		snap.Windows = append(snap.Windows, info)
		if in.From > next {
			snap.Missing = append(snap.Missing, window.Range{From: next, To: in.From - 1})
		}
		next = in.To + 1
	}
	if next <= r.To {
		snap.Missing = append(snap.Missing, window.Range{From: next, To: r.To})
	}
	return snap, nil
}

// usable reads key's windows that serve r, in date order: DAILY windows
// sharing a day with it; MONTHLY windows inside it whose ends fall where
// r would clip a month (a month start or r's first day, a month end or
// r's last), so their records are what a query over r returns.
func (s *Store) usable(key QueryKey, r window.Range) ([]stored, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	qid, err := queryID(ctx, s.db, key, false)
	if err != nil || qid == 0 {
		return nil, err
	}
	rows, err := overlapping(ctx, s.db, qid, r)
	if err != nil || key.aggregation() != api.Monthly {
		return rows, err
	}
	kept := rows[:0]
	for _, w := range rows {
		if w.r.From >= r.From && w.r.To <= r.To &&
			(w.r.From == r.From || w.r.From == w.r.From.MonthStart()) &&
			(w.r.To == r.To || w.r.To == w.r.To.MonthEnd()) {
			kept = append(kept, w)
		}
	}
	return kept, nil
}

// inRange keeps the records that start in r, in place.
func inRange(recs []api.Record, r window.Range) []api.Record {
	out := recs[:0]
	for _, rec := range recs {
		if r.Contains(rec.StartDate) {
			out = append(out, rec)
		}
	}
	return out
}
