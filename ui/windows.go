package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/snapshot"
)

// WindowOptions turn on loading in date windows with a snapshot store:
// each part of a generation is shown at once from what the store holds,
// then its missing windows and last days are fetched concurrently and
// saved. Without them the dashboard pages each query.
type WindowOptions struct {
	// Pager fetches a window page by page (*api.Client).
	Pager window.Pager
	// Store keeps the windows; required.
	Store *snapshot.Store
	// Source names the API (its base URL), so one account's snapshot is
	// never shown for another.
	Source string
	// HorizonDays are the last days always refetched (0: a week).
	HorizonDays int
	// Offline shows what the store holds and fetches nothing; a part it
	// does not wholly hold says which days it lacks.
	Offline bool
	Window  window.Options
}

// windowJob is one part's windowed load: values only, never the model.
type windowJob struct {
	gen   uint64
	part  state.Part
	query state.Query
	r     window.Range
	today api.Date
	opts  *WindowOptions
	// refresh fetches every window again (r), after showing what is stored.
	refresh bool
	// quit is closed when the program ends: only then may a message of
	// the load be dropped (esc cancels the load, not its last word).
	quit <-chan struct{}
}

// Messages of a windowed load. Each carries its generation and part;
// stale ones are dropped first.
type (
	// windowsShownMsg is what the snapshot store held for the part, all of
	// it, fetched at `at` (the oldest window); a refresh follows.
	windowsShownMsg struct {
		gen  uint64
		part state.Part
		recs []api.Record
		asOf api.Date
		at   time.Time
	}
	// windowLoadedMsg is one fetched window, in date order, when the store
	// held nothing usable.
	windowLoadedMsg struct {
		gen  uint64
		part state.Part
		recs []api.Record
		asOf api.Date
	}
	// windowsRefreshedMsg is the part again, after its refetched windows
	// were saved: it replaces what was shown.
	windowsRefreshedMsg struct {
		gen  uint64
		part state.Part
		recs []api.Record
		asOf api.Date
	}
	// windowsDoneMsg says the part is complete; err, that it failed or
	// was stopped (what arrived stays).
	windowsDoneMsg struct {
		gen  uint64
		part state.Part
		err  error
	}
	// windowsChangedMsg is what changed in the period since it was last
	// fetched: each product's cost, and the drift of closed days.
	windowsChangedMsg struct {
		gen  uint64
		part state.Part
		diff *snapshot.Diff
		at   time.Time // when it was compared: "since 3 h ago" counts to it
	}
	// windowProgressMsg is how far the part's windows have come.
	windowProgressMsg struct {
		gen      uint64
		part     state.Part
		progress window.Progress
	}
)

// errStopped is a windowed load ended by esc.
var errStopped = errors.New("stopped (esc): what arrived is kept; r loads again")

// windowLoadCmds are the windowed loads of every part of the generation:
// commands, each running one part's load and reporting on m.winMsgs (a
// load sends many messages, so it reports on the channel rather than
// returning one).
func (m *Model) windowLoadCmds() []tea.Cmd {
	var cmds []tea.Cmd
	w := m.opts.Windows
	for _, p := range state.Parts {
		s := m.g.Store(p)
		if s == nil || s.Done() {
			continue
		}
		start, end := s.Bounds()
		ctx, cancel := context.WithCancel(m.root)
		m.cancels[p] = cancel
		s.SetInFlight(true)
		job := windowJob{gen: m.gen, part: p, query: s.Query(), r: window.Range{From: start, To: end}, today: m.today, opts: w,
			refresh: m.refreshAll, quit: m.root.Done()}
		out := m.winMsgs
		cmds = append(cmds, func() tea.Msg {
			runWindowLoad(ctx, job, out)
			return nil
		})
	}
	return cmds
}

// runWindowLoad shows the part from the store if it holds all of it, then
// refetches what it lacks and what can still change; with nothing usable
// stored it fetches every window, handing each over as it lands.
func runWindowLoad(ctx context.Context, j windowJob, out chan<- tea.Msg) {
	send := func(msg tea.Msg) {
		select {
		case out <- msg:
		case <-j.quit:
		}
	}
	w := j.opts
	q := j.query
	key := snapshot.QueryKey{Source: w.Source, GroupID: q.GroupID, Category: q.Category, Aggregation: q.Agg()}
	horizon := w.HorizonDays
	if horizon <= 0 {
		horizon = snapshot.DefaultHorizonDays
	}
	snap, err := w.Store.Load(key, j.r)
	stored := err == nil && snap.Complete()
	// Part of it stored (a load stopped by esc): fetch only the windows
	// it lacks and the last days, and show it all once they are in.
	partial := err == nil && !stored && len(snap.Windows) > 0
	plan := []window.Range{j.r}
	if stored {
		send(windowsShownMsg{gen: j.gen, part: j.part, recs: snap.Records, asOf: snapAsOf(snap), at: snap.Oldest()})
	}
	if stored || partial {
		plan = snap.Refetch(j.today, horizon)
	}
	if j.refresh {
		plan = []window.Range{j.r}
	}
	if w.Offline {
		if !stored {
			lack := "all of it"
			if err == nil && len(snap.Missing) > 0 {
				lack = window.Join(snap.Missing)
			}
			send(windowsDoneMsg{gen: j.gen, part: j.part, err: errors.New("offline: the snapshot store lacks " + lack + " of the " + j.part.String() + "; run once without --offline")})
			return
		}
		send(windowsDoneMsg{gen: j.gen, part: j.part})
		return
	}
	wq := window.Query{GroupID: q.GroupID, Category: q.Category, Aggregation: q.Agg(), Ranges: plan}
	var saveErr error
	if len(plan) > 0 {
		_, err = window.Load(ctx, w.Pager, wq, w.Window, func(e window.Event) {
			switch e.Kind {
			case window.Progressed, window.WindowDone:
				send(windowProgressMsg{gen: j.gen, part: j.part, progress: e.Progress})
			}
			if e.Kind != window.WindowDone {
				return
			}
			if err := w.Store.SaveWindow(key, e.Window, e.FetchedAt, e.AsOf, e.Records); err != nil && saveErr == nil {
				saveErr = err
			}
			if !stored && !partial {
				send(windowLoadedMsg{gen: j.gen, part: j.part, recs: e.Records, asOf: e.AsOf})
			}
		})
	}
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		send(windowsDoneMsg{gen: j.gen, part: j.part, err: errStopped})
		return
	case err != nil:
		send(windowsDoneMsg{gen: j.gen, part: j.part, err: err})
		return
	case saveErr != nil:
		// Shown all the same; the next start fetches it again.
		send(windowsDoneMsg{gen: j.gen, part: j.part, err: errors.New("not saved to the snapshot store: " + saveErr.Error())})
		return
	}
	if (stored || partial) && len(plan) > 0 {
		again, err := w.Store.Load(key, j.r)
		switch {
		case err != nil || !again.Complete():
			send(windowsDoneMsg{gen: j.gen, part: j.part, err: errors.New("the snapshot store still lacks days after loading them; r loads again")})
			return
		case stored:
			send(windowsRefreshedMsg{gen: j.gen, part: j.part, recs: again.Records, asOf: snapAsOf(again)})
		default:
			send(windowsShownMsg{gen: j.gen, part: j.part, recs: again.Records, asOf: snapAsOf(again)})
		}
	}
	if j.part == state.PartPeriod && len(plan) > 0 {
		if diff, err := w.Store.Changes(key, j.r); err == nil && !diff.Since.IsZero() {
			send(windowsChangedMsg{gen: j.gen, part: j.part, diff: diff, at: time.Now()})
		}
	}
	send(windowsDoneMsg{gen: j.gen, part: j.part})
}

// snapAsOf is the freshest asOf of a snapshot's windows.
func snapAsOf(s *snapshot.Snapshot) api.Date {
	var d api.Date
	for _, w := range s.Windows {
		d = max(d, w.AsOf)
	}
	return d
}

// waitWindowMsgCmd waits for the next message of a windowed load.
func waitWindowMsgCmd(done <-chan struct{}, in <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		select {
		case msg := <-in:
			return msg
		case <-done:
			return nil
		}
	}
}

// windowMsg takes in a message of a windowed load.
func (m Model) windowMsg(msg tea.Msg) (tea.Model, tea.Cmd) {
	wait := waitWindowMsgCmd(m.root.Done(), m.winMsgs)
	var gen uint64
	var part state.Part
	switch msg := msg.(type) {
	case windowsShownMsg:
		gen, part = msg.gen, msg.part
	case windowLoadedMsg:
		gen, part = msg.gen, msg.part
	case windowsRefreshedMsg:
		gen, part = msg.gen, msg.part
	case windowsDoneMsg:
		gen, part = msg.gen, msg.part
	case windowProgressMsg:
		gen, part = msg.gen, msg.part
	case windowsChangedMsg:
		gen, part = msg.gen, msg.part
	}
	if gen != m.gen || m.g == nil {
		return m, wait
	}
	s := m.g.Store(part)
	switch msg := msg.(type) {
	case windowProgressMsg:
		m.winProgress[part] = msg.progress
		return m, wait
	case windowsChangedMsg:
		m.since = sinceText(msg.diff, msg.at, m.theme.ascii)
		m.products.SetSince(msg.diff, "since "+ago(msg.at, msg.diff.Since))
		m.updateKeys()
		return m, wait
	case windowsShownMsg:
		// All of it, as saved: complete until the refresh replaces it.
		s.Fill(msg.recs, msg.asOf)
		if part == state.PartPeriod {
			m.shownAt = msg.at
		}
	case windowLoadedMsg:
		s.AppendRecords(msg.recs, msg.asOf)
		s.SetInFlight(true)
	case windowsRefreshedMsg:
		start, end := s.Bounds()
		fresh := state.NewStore(s.Query(), m.gen, start, end)
		fresh.Fill(msg.recs, msg.asOf)
		m.g.Replace(part, fresh)
		if part == state.PartPeriod {
			m.store = fresh
		}
		// Judged again on the refreshed days.
		m.anomalies, m.detecting, m.detectErr = nil, false, nil
	case windowsDoneMsg:
		delete(m.winProgress, part)
		if cancel := m.cancels[part]; cancel != nil {
			cancel()
			m.cancels[part] = nil
		}
		if msg.err != nil {
			s.SetErr(msg.err)
			if part == state.PartPeriod || errors.Is(msg.err, errStopped) {
				m.err = msg.err
			}
		} else {
			s.Finish()
			if part == state.PartPeriod {
				m.shownAt = time.Time{}
			}
		}
	}
	m.g.Touch()
	if part == state.PartPeriod {
		m.noteCategories()
		m.syncViews()
	}
	m.applyFigures()
	m.setEmptyText()
	m.updateKeys()
	return m, tea.Batch(wait, m.maybeFetch(), m.spin.Tick)
}

// windowsLoading reports whether a windowed load is under way.
func (m *Model) windowsLoading() bool { return m.opts.Windows != nil && len(m.winProgress) > 0 }

// stopWindowLoads is esc during a windowed load: every window in flight
// is cancelled and what arrived stays.
func (m *Model) stopWindowLoads() bool {
	if !m.windowsLoading() {
		return false
	}
	for p, cancel := range m.cancels {
		if cancel != nil {
			cancel()
			m.cancels[p] = nil
		}
	}
	return true
}

// windowProgressText is the period's windowed load as the status bar's
// count: "loading 7/12 windows [███░░░] 18,204 records"; "" when none.
func (m *Model) windowProgressText() string {
	p, ok := m.winProgress[state.PartPeriod]
	if !ok || p.Windows == 0 || m.store.Done() {
		return ""
	}
	return "loading " + formatCount(p.WindowsDone) + "/" + formatCount(p.Windows) + " windows " +
		progressBar(p.DaysDone, p.Days, 8, m.theme.ascii) + " " + formatCount(m.store.Len()) + " records"
}

// windowAgeText is the age of what the snapshot store showed while it is
// refreshed: "as of Dec 2 09:12, refreshing".
func (m *Model) windowAgeText() string {
	if m.shownAt.IsZero() {
		return ""
	}
	return "as of " + m.shownAt.Local().Format("Jan 2 15:04") + ", refreshing"
}

// sinceText says what changed since the period was last fetched: "since
// 3 h ago: +$1,204.00, closed days restated -$12.50" (the first currency).
func sinceText(d *snapshot.Diff, now time.Time, ascii bool) string {
	if d == nil || d.Since.IsZero() {
		return ""
	}
	var change, drift []state.CurrencyTotal
	for _, p := range d.Products {
		change = state.AddTotal(change, p.Currency, state.AmountOf(p.Change))
		drift = state.AddTotal(drift, p.Currency, state.AmountOf(p.Drift))
	}
	if len(change) == 0 {
		return ""
	}
	cur := change[0].Currency
	text := "since " + ago(now, d.Since) + ": " + state.FormatSignedMoney(change[0].Cost, cur, ascii)
	if !drift[0].Cost.IsZero() {
		text += ", closed days restated " + state.FormatSignedMoney(drift[0].Cost, cur, ascii)
	}
	return text
}

// ago says how long before now t was, roughly: "3 h ago", "12 min ago".
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return formatCount(int(d.Minutes())) + " min ago"
	case d < 48*time.Hour:
		return formatCount(int(d.Hours())) + " h ago"
	}
	return formatCount(int(d.Hours()/24)) + " days ago"
}

// progressBar draws done of total in w cells.
func progressBar(done, total, w int, ascii bool) string {
	full, empty := "█", "░"
	if ascii {
		full, empty = "#", "-"
	}
	n := 0
	if total > 0 {
		n = min(w, done*w/total)
	}
	return "[" + strings.Repeat(full, n) + strings.Repeat(empty, w-n) + "]"
}
