package ui

import (
	"github.com/usagetop/usagetop/state"
)

// fallback is what was on screen before a new query started: shown again
// when the new query fails before its first page, so re-choosing a period
// while the API is down keeps the records already loaded.
type fallback struct {
	query     state.Query
	g         *state.Generation
	anomalies *state.StoreAnomalies
}

// keepFallback remembers the current query's data before startQuery
// replaces it, when there is something to keep.
func (m *Model) keepFallback() {
	if m.store == nil || m.store.Len() == 0 || m.fatal != nil {
		return // nothing shown (an older fallback, if any, stays)
	}
	m.fallback = &fallback{query: m.query, g: m.g, anomalies: m.anomalies}
}

// restoreFallback puts back what was shown before the current query,
// which failed with err before any record arrived. It reports whether
// there was anything to put back.
func (m *Model) restoreFallback(err error) bool {
	fb := m.fallback
	if fb == nil || m.store.Len() > 0 {
		return false
	}
	m.fallback = nil
	failed := m.query
	m.query, m.g, m.store, m.anomalies = fb.query, fb.g, fb.g.Period(), fb.anomalies
	m.fatal = nil
	// Requests of the old generation still out were cancelled with it:
	// none is in flight any more, so loading can resume.
	for _, p := range state.Parts {
		if s := m.g.Store(p); s != nil {
			s.SetInFlight(false)
		}
	}
	what := "the reload"
	if failed != fb.query {
		what = m.periodLabel(failed)
	}
	m.err = &keptError{what: what, err: err}
	m.syncAll()
	// The figures, as they were.
	m.applyFigures()
	if m.anomalies != nil {
		found := *m.anomalies
		m.anomalies = nil
		tm, _ := m.anomaliesDetected(anomaliesDetectedMsg{gen: m.gen, result: found})
		*m = tm.(Model)
	}
	return true
}

// periodLabel names q's period as the header does: the preset (an API
// one or a rolling one) and its dates, or the dates of a custom range.
func (m *Model) periodLabel(q state.Query) string {
	if p, ok := state.RollingOf(q, m.today); ok {
		start, end := q.Bounds(m.today)
		return p.String() + " " + start.String() + ".." + end.String()
	}
	return q.Label(m.today)
}

// keptError is a query that failed before its first page, with what was
// on screen before kept: the status bar says both.
type keptError struct {
	what string // the period that failed, or "the reload"
	err  error
}

func (e *keptError) Error() string {
	return e.what + " failed: " + e.err.Error() + "; kept what was loaded"
}

func (e *keptError) Unwrap() error { return e.err }
