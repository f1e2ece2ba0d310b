package ui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/ui/table"
)

// statusPart is one piece of the status bar. When the bar is too narrow,
// parts with the highest drop number go first.
type statusPart struct {
	text  string
	short string // a shorter form tried before dropping the part
	drop  int
	style *lipgloss.Style // nil: the bar's style
	right bool            // placed at the right edge
}

// Status bar limits: the message keeps at least statusMinMessage cells
// when the bar is narrow, and a part with less room than statusMinPart is
// left out rather than cut to a stub.
const (
	statusMinMessage = 24
	statusMinPart    = 8
)

// statusView is the status bar: what is happening (an error, a retry, a
// message), how much is loaded, and the totals per currency.
func (m *Model) statusView() string {
	st := &m.theme.styles
	s := m.store
	var parts []statusPart
	add := func(text string, drop int, style *lipgloss.Style) {
		parts = append(parts, statusPart{text: text, drop: drop, style: style})
	}

	failed := m.err != nil && m.retry == nil && s.Err() != nil && !s.Done()
	var kept *keptError
	switch {
	case m.retry != nil:
		add(m.retryText(), 0, &st.Warn)
	case failed:
		// The cause first (it gives up its middle when the bar is narrow),
		// then what to do: "gave up…connection refused · failed, r retries
		// · ! details". The whole message is in the ! pane.
		add(m.errorText(), 0, &st.Error)
		add("failed, r retries", 0, &st.Error)
		add("! details", 2, nil)
	case errors.As(m.err, &kept):
		add(m.errorText(), 0, &st.Error)
		add("kept what was loaded", 0, nil)
		add("! details", 2, nil)
	case m.err != nil:
		add(m.errorText(), 0, &st.Error)
	case m.flash != "":
		add(m.flash, 0, nil)
	}

	if pos := m.positionText(); pos != "" {
		add(pos, 1, nil)
	}
	count := ""
	n := formatCount(s.Len())
	switch {
	case s.Done() && s.Len() == 1:
		count = "all 1 record"
	case s.Done():
		count = "all " + n + " records"
	case s.Len() == 0 && m.loading():
		count = "loading first page"
	case failed && s.Len() == 0:
		count = "" // nothing loaded: the failure says it all
	case failed:
		count = n + " records kept"
	default:
		count = n + " records, more available"
	}
	if text := m.windowProgressText(); text != "" {
		count = text
	}
	if m.loading() {
		count = m.spin.View() + " " + count
	}
	switch {
	case failed && count != "":
		parts = append(parts, statusPart{text: count, short: n + " records", drop: 0})
	case count != "":
		add(count, 0, nil)
	}
	if text := m.windowAgeText(); text != "" {
		add(text, 1, nil)
	}
	if m.since != "" {
		add(m.since, 2, nil)
	}
	if m.loadAll {
		add("loading all: page "+formatCount(s.Pages()+1)+", esc stops", 1, nil)
	}
	if m.filter != "" {
		// The total beside the table is every row's; what the matching
		// rows cost is said here, so neither is mistaken for the other.
		text := formatCount(m.current().Nav().Len()) + " rows match"
		if m.current().Nav().Len() == 1 {
			text = "1 row matches"
		}
		short := text
		if st, ok := m.current().(shownTotaler); ok && !m.detailOpen {
			var sums []string
			for _, t := range st.ShownTotals() {
				sums = append(sums, formatMoney(t.Cost, t.Currency, m.theme.ascii))
			}
			if len(sums) > 0 {
				text += " (" + strings.Join(sums, ", ") + ")"
			}
		}
		parts = append(parts, statusPart{text: text, short: short, drop: 2})
	}
	if text := m.budgetText(); text != "" {
		st := (*lipgloss.Style)(nil)
		if len(m.budgets) > 0 && m.budgetLevel() >= 100 {
			st = &m.theme.styles.Warn
		}
		add(text, 2, st)
	}
	if n := m.anomalyCount(); n > 0 {
		text := m.theme.glyphs.Anomaly + " " + formatCount(n) + " anomalies"
		if n == 1 {
			text = m.theme.glyphs.Anomaly + " 1 anomaly"
		}
		add(text, 1, nil)
	}
	if text := m.sidesText(); text != "" {
		add(text, 3, nil)
	}
	if !s.Done() && s.Len() > 0 {
		add("loaded through "+s.LoadedThrough().String(), 2, nil)
	}
	if n := s.Duplicates(); n > 0 {
		add(formatCount(n)+" duplicate records dropped", 1, &st.Warn)
	}
	if !m.loadAll && !s.Done() && !m.loading() && s.Err() == nil && s.Pages() > 0 {
		add("L loads the rest", 3, nil)
	}

	// The Records view totals its records; every other screen the
	// figures, over the days the header names, with their change.
	sums, figs := s.Totals(), m.current() != view(m.records) || m.detailOpen
	if figs {
		sums = m.g.Figures().Totals
	}
	var totals []string
	for _, t := range sums {
		text := formatMoney(t.Cost, t.Currency, m.theme.ascii)
		if ch, ok := m.g.Figures().TotalChange(t.Currency); ok && figs {
			text += " " + ch.String()
		}
		totals = append(totals, text)
	}
	if len(totals) > 0 {
		text := "total " + strings.Join(totals, "  ")
		short := strings.Join(totals, " ")
		if s.Partial() {
			text += " (partial)"
			short += " partial"
		}
		parts = append(parts, statusPart{text: text, short: short, drop: 1, right: true})
	}
	return m.layoutStatus(parts)
}

// positionText is the cursor's row and the row count of the current
// view, "12/58", so a table scrolled part-way says where it is.
func (m *Model) positionText() string {
	nav := m.current().Nav()
	if nav.Len() == 0 || m.mode == modePicker || m.mode == modeHelp {
		return ""
	}
	return formatCount(nav.Cursor()+1) + "/" + formatCount(nav.Len())
}

// sidesText says which background queries have a request out:
// "loading the previous period and anomaly history".
func (m *Model) sidesText() string {
	var names []string
	for _, p := range state.Parts[1:] {
		if s := m.g.Store(p); s != nil && s.InFlight() {
			names = append(names, p.String())
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return "loading the " + names[0]
	}
	return "loading the " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// anomalyCount is the number of flagged product-days, 0 before detection.
func (m *Model) anomalyCount() int {
	if m.anomalies == nil {
		return 0
	}
	n, _ := m.anomalies.Tally()
	return n
}

// layoutStatus drops parts until the rest fit, then draws them: left parts
// separated by dots, the right part at the edge.
func (m *Model) layoutStatus(parts []statusPart) string {
	sep := " " + m.theme.glyphs.Dot + " "
	width := func(ps []statusPart) int {
		w, left := 2, 0 // a margin cell at each end
		for _, p := range ps {
			w += ansi.StringWidth(p.text)
			if p.right {
				w += 2
			} else {
				if left > 0 {
					w += ansi.StringWidth(sep)
				}
				left++
			}
		}
		return w
	}
	for i := len(parts) - 1; i >= 0 && width(parts) > m.width; i-- {
		if parts[i].short != "" {
			parts[i].text = parts[i].short
		}
	}
	// The message (the first part) may give up its middle down to half
	// the bar before any other part is dropped: the record count and what
	// to do matter more than the middle of an error.
	keepMsg := max(statusMinMessage, m.width/2)
	give := func(ps []statusPart) int {
		if len(ps) < 2 || ps[0].right {
			return 0
		}
		return max(ansi.StringWidth(ps[0].text)-keepMsg, 0)
	}
	for width(parts)-give(parts) > m.width {
		worst := -1
		for i, p := range parts {
			if p.drop > 0 && (worst < 0 || p.drop >= parts[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break // only what must show is left: cut it below
		}
		parts = append(parts[:worst], parts[worst+1:]...)
	}
	// Still too wide: the message (the first part) gives up its middle,
	// since an error's cause and "r retries" are at its end.
	if over := width(parts) - m.width; over > 0 && len(parts) > 1 && !parts[0].right {
		keep := max(ansi.StringWidth(parts[0].text)-over, statusMinMessage)
		parts[0].text = table.Elide(parts[0].text, keep, m.theme.glyphs.Ellipsis)
	}

	bar := m.theme.styles.Bar
	var b strings.Builder
	used := 1
	b.WriteString(bar.Render(" "))
	var right *statusPart
	first := true
	for i := range parts {
		p := &parts[i]
		if p.right {
			right = p
			continue
		}
		lead := ""
		if !first {
			lead = sep
		}
		text := p.text
		if room := m.width - used - 1 - ansi.StringWidth(lead); ansi.StringWidth(text) > room {
			if room < statusMinPart {
				break // a part cut to an ellipsis says nothing: leave the rest out
			}
			text = ansi.Truncate(text, room, m.theme.glyphs.Ellipsis)
		}
		if lead != "" {
			b.WriteString(bar.Render(lead))
			used += ansi.StringWidth(lead)
		}
		first = false
		style := bar
		if p.style != nil {
			style = *p.style
		}
		b.WriteString(style.Render(text))
		used += ansi.StringWidth(text)
	}
	pad := m.width - used
	if right != nil {
		pad -= ansi.StringWidth(right.text) + 1
	}
	if pad > 0 {
		b.WriteString(bar.Render(strings.Repeat(" ", pad)))
	}
	if right != nil && pad >= 0 {
		b.WriteString(bar.Render(right.text + " "))
	}
	return m.line(b.String())
}
