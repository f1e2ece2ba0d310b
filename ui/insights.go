package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
)

// window is one of a generation's queries. The period itself comes first;
// once all of it is loaded, more load in the background: the previous
// period, for the change column; the days before the period, so the
// anomaly detector judges the first days against real history; and under
// MONTHLY the period's DAILY records, since the detector judges days.
// Each window has at most one request in flight.
type window int

const (
	winMain    window = iota // the query on screen
	winPrev                  // the previous period of the same length
	winHistory               // the lookback before the period (always DAILY)
	winDaily                 // the period as DAILY records (under MONTHLY only)
)

// String names the window for messages.
func (w window) String() string {
	switch w {
	case winPrev:
		return "previous period"
	case winHistory:
		return "anomaly history"
	case winDaily:
		return "DAILY records"
	}
	return "period"
}

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
	m.anomalies, m.detecting, m.detectErr = nil, false, nil
	if pv, ok := m.views[0].(*productsView); ok {
		pv.SetChanges(nil)
		pv.SetFlagged(nil)
	}
	if av := m.anomaliesView(); av != nil {
		av.SetAnomalies(nil)
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
	if m.query.Agg() != api.Daily {
		// The detector judges days: fetch them for it, and keep the
		// screen MONTHLY.
		d := m.query
		d.Aggregation = api.Daily
		if d.Validate() == nil {
			m.sides = append(m.sides, &sideLoad{win: winDaily, store: state.NewStore(d, m.gen, start, end)})
		}
	}
	h := state.HistoryQuery(m.query, m.today, m.opts.Detector)
	if h.From > 0 && h.Validate() == nil {
		m.sides = append(m.sides, &sideLoad{win: winHistory, store: state.NewStore(h, m.gen, h.From, h.To)})
	}
}

// anomaliesView returns the Anomalies view.
func (m *Model) anomaliesView() *anomaliesView {
	for _, v := range m.views {
		if av, ok := v.(*anomaliesView); ok {
			return av
		}
	}
	return nil
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
// one, once the period itself is complete, and starts the detector once
// what it needs is in.
func (m *Model) fetchSides() tea.Cmd {
	if !m.store.Done() || m.fatal != nil {
		return nil
	}
	var cmds []tea.Cmd
	if cmd := m.maybeDetect(); cmd != nil {
		cmds = append(cmds, cmd)
	}
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
		m.setEmptyText()
		return m, m.setFlash(s.win.String() + " not loaded: " + msg.err.Error() + "; r retries")
	}
	if !s.store.Append(msg.token, msg.page) {
		s.store.SetInFlight(false)
		return m, m.fetchSides()
	}
	if err := s.store.Err(); err != nil { // the store's pager stopped paging: partial
		m.setEmptyText()
		return m, m.setFlash(s.win.String() + " not loaded: " + err.Error() + "; r retries")
	}
	if s.store.Done() && (s.win == winPrev || s.win == winDaily) {
		m.applyChanges()
	}
	// fetchSides starts the detector once its stores are complete.
	cmd := m.fetchSides()
	m.setEmptyText()
	return m, cmd
}

// maybeDetect starts the detector once the period's DAILY records (the
// query itself, or its DAILY load under MONTHLY) and the history before it
// are complete, once per generation.
func (m *Model) maybeDetect() tea.Cmd {
	if m.anomalies != nil || m.detecting || m.detectErr != nil || m.invalid || m.store == nil || !m.store.Done() {
		return nil
	}
	period := m.store
	if m.query.Agg() != api.Daily {
		d := m.side(winDaily)
		if d == nil || !d.store.Done() {
			return nil
		}
		period = d.store
	}
	var history *state.Store
	if h := m.side(winHistory); h != nil {
		if !h.store.Done() {
			return nil
		}
		history = h.store
	}
	m.detecting = true
	return detectAnomaliesCmd(m.gen, period, history, m.today, m.opts.Detector)
}

// applyChanges compares each product's cost with the previous period's,
// per day, so a 28-day month is not a drop from a 31-day one. Only whole
// days of the period count: today's part-day, or days after asOf that
// have no data yet, would read as a fall (on the 2nd of a month, as one
// of nearly half), unless a product's only cost is today's, such as a
// monthly fee charged today. Under MONTHLY the DAILY load gives the days,
// once in.
func (m *Model) applyChanges() {
	prev := m.side(winPrev)
	if prev == nil || !prev.store.Done() || !m.store.Done() {
		return
	}
	cur := m.store
	if cur.Query().Agg() != api.Daily {
		if d := m.side(winDaily); d != nil && d.store.Done() {
			cur = d.store
		}
	}
	start, end := cur.Bounds()
	last := end
	if cur.Query().Agg() == api.Daily {
		if asOf := cur.AsOf(); !asOf.IsZero() {
			last = min(last, asOf)
		}
		if !m.today.IsZero() {
			last = min(last, m.today-1)
		}
		if last < start {
			last = end // no whole day yet: compare what there is
		}
	}
	before := map[state.ProductKey]state.ProductRollup{}
	for _, p := range prev.store.Products() {
		before[p.Key()] = p
	}
	pStart, pEnd := prev.store.Bounds()
	curDays, prevDays := api.DaysInclusive(start, last), api.DaysInclusive(pStart, pEnd)
	changes := make(map[state.ProductKey]state.Change, len(cur.Products()))
	for _, p := range cur.Products() {
		cost, days := p.Cost.Decimal(), api.DaysInclusive(start, end)
		if last < end {
			whole := decimal.Zero
			for i := range min(p.Points(), curDays) {
				whole = whole.Add(p.DailyCost(i))
			}
			// A charge that lands only today (a monthly fee) is whole
			// as it is: then today counts.
			if !whole.IsZero() || cost.IsZero() {
				cost, days = whole, curDays
			}
		}
		b := before[p.Key()]
		changes[p.Key()] = state.CompareChange(cost, days, b.Cost.Decimal(), prevDays)
	}
	if pv, ok := m.views[0].(*productsView); ok {
		pv.SetChanges(changes)
	}
}

// anomaliesDetected marks flagged products and lists them in the
// Anomalies view. Findings of an older generation are dropped.
func (m Model) anomaliesDetected(msg anomaliesDetectedMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	m.detecting = false
	if msg.err != nil {
		m.detectErr = msg.err
		m.setEmptyText()
		return m, m.setFlash("anomalies not checked: " + msg.err.Error())
	}
	m.anomalies = &msg.result
	if av := m.anomaliesView(); av != nil {
		av.SetAnomalies(msg.result.Anomalies)
	}
	m.setEmptyText()
	m.updateKeys()
	counts := map[state.ProductKey]int{}
	for _, a := range msg.result.Anomalies {
		counts[state.ProductKey{Name: a.ProductName, Category: a.ProductCategory, Currency: a.Currency}]++
	}
	if pv, ok := m.views[0].(*productsView); ok {
		pv.SetFlagged(counts)
	}
	return m, nil
}

// anomalyStatus says what the Anomalies view waits for, in the order the
// loads happen, or what detection found: the first line leads, the rest
// are notes.
func (m *Model) anomalyStatus() []string {
	el := m.theme.glyphs.Ellipsis
	s := m.store
	switch {
	case s == nil || m.invalid || m.fatal != nil:
		return nil
	case !s.Done() && s.Err() != nil:
		return []string{"the period did not load completely: r retries", "anomalies are judged once every day of the period is in"}
	case !s.Done() && (s.InFlight() || m.loadAll):
		return []string{"loading the period" + el, formatCount(s.Len()) + " records so far; anomalies are judged once every day is in"}
	case !s.Done():
		return []string{"the period is not fully loaded: L loads the rest", "anomalies are judged once every day of the period is in"}
	}
	if m.anomalies == nil {
		return m.detectionWait()
	}
	return m.detectionSummary()
}

// detectionWait says why detection has not reported yet.
func (m *Model) detectionWait() []string {
	el := m.theme.glyphs.Ellipsis
	if m.query.Agg() != api.Daily {
		d := m.side(winDaily)
		switch {
		case d == nil:
			return []string{"anomaly detection needs DAILY data: press a"}
		case d.store.Err() != nil:
			return []string{"the DAILY records for anomaly detection did not load: r retries", safetext.Clean(d.store.Err().Error())}
		case !d.store.Done():
			return []string{"loading the period's DAILY records for anomaly detection" + el, "the view stays MONTHLY; the detector judges days"}
		}
	}
	if h := m.side(winHistory); h != nil && !h.store.Done() {
		if err := h.store.Err(); err != nil {
			return []string{"the history before the period did not load: r retries", safetext.Clean(err.Error())}
		}
		hs, he := h.store.Bounds()
		return []string{"loading " + plural(api.DaysInclusive(hs, he), "day", "days") + " of history to judge the first days" + el}
	}
	if m.detectErr != nil {
		return []string{"anomalies not checked: " + safetext.Clean(m.detectErr.Error())}
	}
	return []string{"detecting" + el}
}

// detectionSummary counts what was flagged and what could not be judged.
func (m *Model) detectionSummary() []string {
	var judged, partly, tooLittle int
	for _, r := range m.anomalies.Results {
		switch r.Status {
		case state.AnomalyJudged:
			judged++
		case state.AnomalyPartlyJudged:
			partly++
		case state.AnomalyTooLittleHistory:
			tooLittle++
		}
	}
	n := len(m.anomalies.Anomalies)
	var lines []string
	switch {
	case judged+partly == 0 && tooLittle > 0:
		lines = append(lines, "too little history to judge any of the "+plural(tooLittle, "product", "products"))
		tooLittle = 0
	case judged+partly == 0:
		lines = append(lines, "no complete day to judge yet")
	case n == 0:
		lines = append(lines, "no anomalies in "+plural(judged+partly, "product", "products")+" judged")
	default:
		lines = append(lines, plural(n, "anomaly", "anomalies")+" in "+plural(judged+partly, "product", "products")+" judged")
	}
	if tooLittle > 0 {
		lines = append(lines, plural(tooLittle, "product", "products")+" with too little history to judge")
	}
	if partly > 0 {
		lines = append(lines, plural(partly, "product", "products")+" partly judged: too little history for some days")
	}
	if m.query.Agg() != api.Daily {
		lines = append(lines, "judged on DAILY records")
	}
	return lines
}
