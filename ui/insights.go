package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// window is one of a generation's queries. The period itself comes first;
// once all of it is loaded, two more load in the background: the previous
// period, for the change column, and the days before the period, so the
// anomaly detector judges the first days against real history. Each
// window has at most one request in flight.
type window int

const (
	winMain    window = iota // the query on screen
	winPrev                  // the previous period of the same length
	winHistory               // the lookback before the period (DAILY only)
)

// sideLoad is a background query of the current generation.
type sideLoad struct {
	win    window
	store  *state.Store
	cancel context.CancelFunc
}

// planSides sets up the background queries of a new generation.
func (m *Model) planSides() {
	for _, s := range m.sides {
		if s.cancel != nil {
			s.cancel()
		}
	}
	m.sides = nil
	m.anomalies, m.detecting = nil, false
	if pv, ok := m.views[0].(*productsView); ok {
		pv.SetChanges(nil)
		pv.SetFlagged(nil)
	}
	if m.invalid {
		return
	}
	start, end := m.store.Bounds()
	prev := m.query
	prev.Period = ""
	prev.From, prev.To = state.ComparePrevious(start, end)
	if prev.From > 0 && prev.Validate() == nil {
		m.sides = append(m.sides, &sideLoad{win: winPrev, store: state.NewStore(prev, m.gen, prev.From, prev.To)})
	}
	if m.query.Agg() == api.Daily {
		h := state.HistoryQuery(m.query, m.today, m.opts.Detector)
		if h.From > 0 && h.Validate() == nil {
			m.sides = append(m.sides, &sideLoad{win: winHistory, store: state.NewStore(h, m.gen, h.From, h.To)})
		}
	}
}

// side returns the background query of window w, if any.
func (m *Model) side(w window) *sideLoad {
	for _, s := range m.sides {
		if s.win == w {
			return s
		}
	}
	return nil
}

// fetchSides asks for the next page of every background query that needs
// one, once the period itself is complete.
func (m *Model) fetchSides() tea.Cmd {
	if !m.store.Done() || m.fatal != nil {
		return nil
	}
	var cmds []tea.Cmd
	for _, s := range m.sides {
		st := s.store
		if st.Done() || st.InFlight() || st.Err() != nil {
			continue
		}
		ctx, cancel := context.WithCancel(m.root)
		s.cancel = cancel
		req := st.Query().Request(m.opts.PageSize)
		req.PageToken = st.NextToken()
		st.SetInFlight(true)
		cmds = append(cmds, fetchPageCmd(ctx, m.opts.Fetcher, m.gen, s.win, req, m.opts.RequestTimeout, m.notices))
	}
	if len(cmds) == 0 {
		return nil
	}
	return tea.Batch(append(cmds, m.spin.Tick)...)
}

// sidesLoading reports whether a background query has a request out.
func (m *Model) sidesLoading() bool {
	for _, s := range m.sides {
		if s.store.InFlight() {
			return true
		}
	}
	return false
}

// sidePageLoaded takes in a page of a background query (the generation is
// already checked).
func (m Model) sidePageLoaded(msg pageLoadedMsg) (tea.Model, tea.Cmd) {
	s := m.side(msg.window)
	if s == nil {
		return m, nil
	}
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	m.retry = nil
	if msg.err != nil {
		if m.root.Err() != nil {
			return m, nil
		}
		s.store.SetErr(msg.err)
		what := "previous period"
		if s.win == winHistory {
			what = "anomaly history"
		}
		return m, m.setFlash(what + " not loaded: " + msg.err.Error() + "; r retries")
	}
	if !s.store.Append(msg.token, msg.page) {
		s.store.SetInFlight(false)
		return m, m.fetchSides()
	}
	var cmd tea.Cmd
	if s.store.Done() {
		cmd = m.sideDone(s.win)
	}
	return m, tea.Batch(cmd, m.fetchSides())
}

// sideDone uses a completed background query: the previous period fills
// the change column, the history lets the detector run.
func (m *Model) sideDone(w window) tea.Cmd {
	switch w {
	case winPrev:
		m.applyChanges()
	case winHistory:
		m.detecting = true
		return detectAnomaliesCmd(m.gen, m.store, m.side(winHistory).store, m.today, m.opts.Detector)
	}
	return nil
}

// applyChanges compares each product's cost with the previous period's,
// per day, so a 28-day month is not a drop from a 31-day one.
func (m *Model) applyChanges() {
	prev := m.side(winPrev)
	if prev == nil || !prev.store.Done() || !m.store.Done() {
		return
	}
	before := map[state.ProductKey]state.ProductRollup{}
	for _, p := range prev.store.Products() {
		before[p.Key()] = p
	}
	start, end := m.store.Bounds()
	pStart, pEnd := prev.store.Bounds()
	curDays, prevDays := api.DaysInclusive(start, end), api.DaysInclusive(pStart, pEnd)
	changes := make(map[state.ProductKey]state.Change, len(m.store.Products()))
	for _, p := range m.store.Products() {
		b := before[p.Key()]
		changes[p.Key()] = state.CompareChange(p.Cost.Decimal(), curDays, b.Cost.Decimal(), prevDays)
	}
	if pv, ok := m.views[0].(*productsView); ok {
		pv.SetChanges(changes)
	}
}

// anomaliesDetected marks flagged products.
func (m Model) anomaliesDetected(msg anomaliesDetectedMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	m.detecting = false
	if msg.err != nil {
		return m, m.setFlash("anomalies not checked: " + msg.err.Error())
	}
	m.anomalies = &msg.result
	counts := map[state.ProductKey]int{}
	for _, a := range msg.result.Anomalies {
		counts[state.ProductKey{Name: a.ProductName, Category: a.ProductCategory, Currency: a.Currency}]++
	}
	if pv, ok := m.views[0].(*productsView); ok {
		pv.SetFlagged(counts)
	}
	return m, nil
}
