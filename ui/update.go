package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// handleKey routes a key: quit first, then the mode that owns the
// keyboard (fatal screen, help, picker, filter input), then global keys,
// then the focused view.
func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyCtrlC {
		return m, m.quit()
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && m.mode != modeFilter && m.mode != modePicker {
		return m.splitRunes(msg)
	}
	if m.fatal != nil && m.mode != modePicker && m.mode != modeErrors {
		return m.fatalKey(msg)
	}
	switch m.mode {
	case modeErrors:
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m, m.quit()
		case key.Matches(msg, m.keys.Errors, m.keys.Cancel, m.keys.Help):
			m.mode = modeNormal
			m.updateKeys()
		}
		return m, nil
	case modeHelp:
		k := m.keys
		switch {
		case key.Matches(msg, k.Quit):
			return m, m.quit()
		case key.Matches(msg, k.Help, k.Cancel):
			m.mode = modeNormal
		case key.Matches(msg, k.Up):
			m.help2.scroll--
		case key.Matches(msg, k.Down):
			m.help2.scroll++
		case key.Matches(msg, k.PageUp):
			m.help2.scroll -= m.height / 2
		case key.Matches(msg, k.PageDown):
			m.help2.scroll += m.height / 2
		case key.Matches(msg, k.Top):
			m.help2.scroll = 0
		}
		return m, nil
	case modePicker:
		return m.pickerKey(msg)
	case modeFilter:
		return m.filterKey(msg)
	}
	return m.normalKey(msg)
}

// splitRunes handles keys typed faster than the terminal is read (or
// sent by a script), which arrive as one message: "/verify" is "/" and
// then "verify" typed into the filter.
func (m Model) splitRunes(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	var tm tea.Model = m
	for i, r := range msg.Runes {
		cur := tm.(Model)
		if cur.mode == modeFilter || cur.mode == modePicker {
			rest := tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[i:]}
			var cmd tea.Cmd
			tm, cmd = cur.handleKey(rest)
			cmds = append(cmds, cmd)
			break
		}
		var cmd tea.Cmd
		tm, cmd = cur.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return tm, tea.Batch(cmds...)
}

// fatalKey: on the fatal screen only quitting, retrying and choosing
// another group make sense.
func (m Model) fatalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, m.quit()
	case key.Matches(msg, m.keys.Refresh):
		return m, m.startQuery(m.query)
	case key.Matches(msg, m.keys.Errors):
		m.mode = modeErrors
	case key.Matches(msg, m.keys.Group) && len(m.opts.Groups) > 0:
		m.openGroupPicker()
	}
	return m, nil
}

func (m Model) pickerKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	chosen, closed := m.picker.update(msg)
	if !closed {
		return m, nil
	}
	m.picker = nil
	m.mode = modeNormal
	if chosen == nil {
		return m, nil
	}
	cmd := m.startQuery(chosen.apply(m.query))
	m.updateKeys()
	return m, cmd
}

func (m Model) filterKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.mode = modeNormal
		m.setFilter("")
		return m, m.maybeFetch()
	case key.Matches(msg, m.keys.Accept):
		m.mode = modeNormal
		m.updateKeys()
		return m, nil
	case msg.Type == tea.KeyUp, msg.Type == tea.KeyDown, msg.Type == tea.KeyPgUp, msg.Type == tea.KeyPgDown:
		return m.navKey(msg)
	}
	if m.input.Update(msg) {
		m.setFilter(m.input.Value())
		return m, m.maybeFetch()
	}
	return m, nil
}

// setFilter filters the current view now and the others when shown.
func (m *Model) setFilter(text string) {
	m.filter = text
	m.current().SetFilter(text)
	m.applied[m.active] = text
	m.setEmptyText()
	m.updateKeys()
}

func (m Model) normalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, k.Quit):
		return m, m.quit()
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
		m.help2.scroll = 0
		m.updateKeys()
		return m, nil
	case key.Matches(msg, k.Errors):
		m.mode = modeErrors
		m.updateKeys()
		return m, nil
	case key.Matches(msg, k.NextView):
		m.detailOpen = false
		m.switchView(1)
		cmd = m.maybeFetch()
	case key.Matches(msg, k.PrevView):
		m.detailOpen = false
		m.switchView(-1)
		cmd = m.maybeFetch()
	case key.Matches(msg, k.Open):
		if gv, ok := m.current().(*groupsView); ok {
			cmd = m.openGroup(gv)
			break
		}
		if p, ok := selectedProduct(m.current()); ok {
			m.detailOpen, m.detailKey, m.detailAt = true, p, selectedDate(m.current())
		}
	case key.Matches(msg, k.GroupBy):
		if gv, ok := m.current().(*groupsView); ok {
			gv.CycleGrouping()
		}
	case key.Matches(msg, k.Since):
		m.products.ToggleSince()
	case key.Matches(msg, k.Close):
		// Back to the view the detail was opened from; its cursor never
		// moved.
		m.detailOpen = false
	case key.Matches(msg, k.Back):
		switch {
		case m.stopWindowLoads():
			cmd = m.setFlash("stopping the load; what arrived is kept")
		case m.loadAll:
			m.loadAll, m.bottomAfter = false, false
			cmd = m.setFlash("stopped loading; L loads the rest")
		case m.filter != "":
			m.setFilter("")
		}
	case key.Matches(msg, k.Sort):
		m.current().NextSort()
	case key.Matches(msg, k.PrevSort, k.NextSort):
		ss, ok := m.current().(sortStepper)
		switch {
		case !ok:
			cmd = m.setFlash("this view sorts with s and S")
		case key.Matches(msg, k.PrevSort):
			ss.PrevSort()
		default:
			m.current().NextSort()
		}
	case key.Matches(msg, k.Reverse):
		m.current().ReverseSort()
	case key.Matches(msg, k.Filter):
		m.mode = modeFilter
		m.input.SetValue(m.filter)
	case key.Matches(msg, k.Period):
		m.openPeriodPicker()
	case key.Matches(msg, k.Category):
		m.openCategoryPicker()
	case key.Matches(msg, k.Group):
		if len(m.opts.Groups) > 0 {
			m.openGroupPicker()
		}
	case key.Matches(msg, k.PrevPeriod, k.NextPeriod):
		n := -1
		if key.Matches(msg, k.NextPeriod) {
			n = 1
		}
		q := m.query.Shift(n, m.opts.Today())
		switch {
		case q == m.query && n > 0:
			cmd = m.setFlash("no later period: the next one has not begun")
		case q == m.query:
			cmd = m.setFlash("no earlier period to step to")
		default:
			cmd = m.startQuery(q)
		}
	case key.Matches(msg, k.Aggregation):
		q := m.query
		if q.Agg() == api.Daily {
			q.Aggregation = api.Monthly
		} else {
			q.Aggregation = api.Daily
		}
		cmd = m.startQuery(q)
	case key.Matches(msg, k.Refresh):
		cmd = m.refresh()
	case key.Matches(msg, k.LoadAll):
		if !m.store.Done() {
			m.loadAll = true
			cmd = m.maybeFetch()
		}
	case pressed(msg, k.LoadAll):
		// Disabled only because there is nothing left: say so.
		cmd = m.setFlash("every page is loaded")
	case key.Matches(msg, k.Export):
		job := m.current().Export(m.query)
		if m.detailOpen {
			job = m.detailExport()
		}
		cmd = tea.Batch(m.setFlash("exporting "+formatCount(job.rows)+" rows"+m.theme.glyphs.Ellipsis),
			m.opts.exportCmd(job))
	case key.Matches(msg, k.Copy):
		cmd = copyCmd(m.opts.Clipboard, m.commandLine())
	case m.detailOpen && (pressed(msg, k.Sort) || pressed(msg, k.Reverse) || pressed(msg, k.Filter)):
		// Disabled in the detail, which has no table to sort: say so.
		cmd = m.setFlash(msg.String() + " works on a table: esc goes back to " + m.current().Name())
	default:
		return m.navKey(msg)
	}
	m.updateKeys()
	return m, cmd
}

// commandLine is the shell command that reopens this view: the query's
// flags, the view's (tab, sort, filter, open product), then the ones the
// dashboard was started with (--demo, a config file, API URLs) that the
// query does not hold.
func (m *Model) commandLine() string {
	line := m.query.CommandLine()
	if p, ok := state.RollingOf(m.query, m.today); ok {
		// A rolling preset reopens as itself: the last 30 days, not these.
		line = strings.Replace(line, "--from "+m.query.From.String()+" --to "+m.query.To.String(), "--period "+p.String(), 1)
	}
	for _, f := range append(m.reopenFlags(), m.opts.CommandFlags...) {
		line += " " + state.ShellQuote(f)
	}
	return line
}

// pressed reports whether msg is one of b's keys, enabled or not, for
// keys that explain themselves when they cannot act.
func pressed(msg tea.KeyMsg, b key.Binding) bool {
	return slices.Contains(b.Keys(), msg.String())
}

// navKey moves the cursor. G and End also load every remaining page and
// land on the last row once it is in. Moving near the end of the loaded
// records asks for the next page.
func (m Model) navKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k, nav := m.keys, m.current().Nav()
	if m.detailOpen && key.Matches(msg, k.PageUp, k.PageDown) {
		// In the detail, the pages are the per-day table's.
		n := max(m.height/2, 1)
		if key.Matches(msg, k.PageUp) {
			n = -n
		}
		m.detail.scrollDays(n)
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Up):
		nav.MoveUp(1)
	case key.Matches(msg, k.Down):
		nav.MoveDown(1)
	case key.Matches(msg, k.PageUp):
		nav.PageUp()
	case key.Matches(msg, k.PageDown):
		nav.PageDown()
	case key.Matches(msg, k.Top):
		nav.GotoTop()
	case key.Matches(msg, k.Bottom):
		nav.GotoBottom()
		if !m.store.Done() && m.store.Err() == nil {
			m.loadAll, m.bottomAfter = true, true
			m.updateKeys()
		}
	default:
		return m, nil
	}
	if m.detailOpen {
		// Moving in the detail moves the view it came from and shows
		// the product now under the cursor.
		if p, ok := selectedProduct(m.current()); ok {
			if p != m.detailKey {
				m.detail.daysTop = 0 // another product's days, from the newest
			}
			m.detailKey, m.detailAt = p, selectedDate(m.current())
		}
	}
	return m, m.maybeFetch()
}

// refresh retries what failed, keeping what is loaded, or else reloads
// the query as a new generation (today may have moved on).
func (m *Model) refresh() tea.Cmd {
	if m.opts.Windows != nil {
		// A new generation shows what was saved at once, then fetches
		// every window again.
		m.refreshAll = true
		return m.startQuery(m.query)
	}
	if m.fatal == nil && m.g.Retry() {
		m.err = nil
		return m.maybeFetchOrNext()
	}
	return m.startQuery(m.query)
}

// maybeFetchOrNext fetches the next page even if the view does not need
// it yet: the user asked.
func (m *Model) maybeFetchOrNext() tea.Cmd { return m.fetchNext() }

// switchView moves to the next (+1) or previous (-1) view.
func (m *Model) switchView(d int) {
	m.active = (m.active + d + len(m.views)) % len(m.views)
	m.syncView(m.active)
	if m.applied[m.active] != m.filter {
		m.current().SetFilter(m.filter)
		m.applied[m.active] = m.filter
	}
}

// updateKeys enables the bindings that work in the current state, so help
// lists only those.
func (m *Model) updateKeys() {
	k := m.keys
	s := m.store
	more := s != nil && !s.Done()
	k.LoadAll.SetEnabled(more && !m.loadAll && m.opts.Windows == nil) // windows load everything
	k.Group.SetEnabled(len(m.opts.Groups) > 0)
	k.Back.SetEnabled(!m.detailOpen && (m.loadAll || m.filter != "" || m.windowsLoading()))
	k.Close.SetEnabled(m.detailOpen)
	k.StepProduct.SetEnabled(m.detailOpen)
	_, grouping := m.current().(*groupsView)
	k.GroupBy.SetEnabled(grouping && !m.detailOpen)
	k.Since.SetEnabled(m.current() == view(m.products) && !m.detailOpen && m.products.HasSince())
	k.Open.SetEnabled(!m.detailOpen && m.current().Nav().Len() > 0)
	// Sorting, filtering and exporting act on a table; the detail has none.
	k.Sort.SetEnabled(!m.detailOpen)
	_, steps := m.current().(sortStepper)
	k.PrevSort.SetEnabled(!m.detailOpen && steps)
	k.NextSort.SetEnabled(!m.detailOpen && steps)
	k.Reverse.SetEnabled(!m.detailOpen)
	k.Filter.SetEnabled(!m.detailOpen)
	// [ and ] stay enabled at the ends of time: pressed there, they say
	// why nothing happens, and help always lists them.
	k.Export.SetEnabled(s != nil && s.Len() > 0)
	if m.detailOpen {
		k.Export.SetHelp("e", "export this product's days")
		k.PageUp.SetHelp("pgup", "earlier days")
		k.PageDown.SetHelp("pgdn", "later days")
	} else {
		k.Export.SetHelp("e", "export CSV")
		k.PageUp.SetHelp("pgup", "page up")
		k.PageDown.SetHelp("pgdn", "page down")
	}
}
