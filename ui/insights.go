package ui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
)

// The generation (state.Generation) decides what to load and which days
// count; this file turns its plan into commands and its results back into
// the generation, and hands the figures to the views.

// planRequests asks the generation for the requests to make now and turns
// them into commands, each with its own cancel. The period's next page is
// wanted when the view needs rows (or a load-all is on); the previous
// period, the DAILY records under MONTHLY and the history load beside it.
func (m *Model) planRequests(wantPeriod bool) tea.Cmd {
	if m.g == nil || m.fatal != nil || m.invalid {
		return nil
	}
	var cmds []tea.Cmd
	for _, r := range m.g.Plan(m.opts.PageSize, state.Want{Period: wantPeriod, Figures: true}) {
		ctx, cancel := context.WithCancel(m.root)
		m.cancels[r.Part] = cancel
		cmds = append(cmds, fetchPageCmd(ctx, m.opts.Fetcher, m.gen, r.Part, r.Req, m.opts.RequestTimeout, m.notices))
	}
	if cmd := m.maybeDetect(); cmd != nil {
		cmds = append(cmds, cmd)
	}
	if len(cmds) == 0 {
		return nil
	}
	return tea.Batch(append(cmds, m.spin.Tick)...)
}

// cancelAll cancels every request of the generation.
func (m *Model) cancelAll() {
	for p, cancel := range m.cancels {
		if cancel != nil {
			cancel()
		}
		m.cancels[p] = nil
	}
}

// sidesLoading reports whether a part other than the period has a
// request out.
func (m *Model) sidesLoading() bool {
	if m.g == nil {
		return false
	}
	for _, p := range state.Parts[1:] {
		if s := m.g.Store(p); s != nil && s.InFlight() {
			return true
		}
	}
	return false
}

// sidePageLoaded takes in a page of a part other than the period (the
// generation is already checked and the page applied, or its error).
func (m Model) sidePageLoaded(msg pageLoadedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setEmptyText()
		return m, m.setFlash(msg.part.String() + " not loaded: " + msg.err.Error() + "; r retries")
	}
	if err := m.g.Store(msg.part).Err(); err != nil { // the store's pager stopped paging: partial
		m.setEmptyText()
		return m, m.setFlash(msg.part.String() + " not loaded: " + err.Error() + "; r retries")
	}
	m.applyFigures()
	cmd := m.maybeFetch()
	m.setEmptyText()
	return m, cmd
}

// maybeDetect starts the detector once the generation has what it needs,
// once per generation.
func (m *Model) maybeDetect() tea.Cmd {
	if m.anomalies != nil || m.detecting || m.detectErr != nil || m.g == nil || !m.g.DetectReady() {
		return nil
	}
	m.detecting = true
	return detectAnomaliesCmd(m.g)
}

// applyFigures hands the generation's figures to the views, and judges
// the group's budgets once the month's days are all in.
func (m *Model) applyFigures() {
	if m.g == nil {
		return
	}
	m.products.SetFigures(m.g.Figures())
	m.groups.SetFigures(m.g.Figures())
	m.budgets = nil
	if len(m.opts.Budgets) == 0 || !m.g.Daily().Done() {
		return
	}
	fcs := m.g.MonthForecasts()
	for _, r := range m.opts.Budgets {
		if r.GroupID != m.query.GroupID {
			continue
		}
		if st, ok := m.g.EvaluateBudget(r, fcs); ok {
			m.budgets = append(m.budgets, st)
		}
	}
}

// budgetText says how the group's most pressing budget stands: "budget
// acme-us sms-*: 82% spent, forecast 120% (over from 2026-11-23)".
func (m *Model) budgetText() string {
	if len(m.budgets) == 0 {
		return ""
	}
	worst := m.budgets[0]
	for _, b := range m.budgets[1:] {
		if b.ForecastPct > worst.ForecastPct {
			worst = b
		}
	}
	text := fmt.Sprintf("budget %s: %.0f%% spent, forecast %.0f%%", safetext.Clean(worst.Rule.Name), worst.SpentPct, worst.ForecastPct)
	if worst.HasBreach {
		text += " (over from " + worst.Breach.String() + ")"
	}
	return text
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
	m.anomaliesV.SetAnomalies(msg.result.Anomalies)
	m.setEmptyText()
	m.updateKeys()
	m.products.SetFlagged(msg.result.Counts())
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
		// A MONTHLY generation always plans its DAILY records.
		d := m.g.Store(state.PartDaily)
		switch {
		case d.Err() != nil:
			return []string{"the DAILY records for anomaly detection did not load: r retries", safetext.Clean(d.Err().Error())}
		case !d.Done():
			return []string{"loading the period's DAILY records for anomaly detection" + el, "the view stays MONTHLY; the detector judges days"}
		}
	}
	if h := m.g.Store(state.PartHistory); h != nil && !h.Done() {
		if err := h.Err(); err != nil {
			return []string{"the history before the period did not load: r retries", safetext.Clean(err.Error())}
		}
		hs, he := h.Bounds()
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
	n, shared := m.anomalies.Tally()
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
	if shared > 0 {
		lines = append(lines, plural(shared, "day", "days")+" most products moved together (a holiday, say): one group finding each")
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

// budgetLevel is the highest threshold any budget of the group reached.
func (m *Model) budgetLevel() int {
	lvl := 0
	for _, b := range m.budgets {
		lvl = max(lvl, b.Level())
	}
	return lvl
}
