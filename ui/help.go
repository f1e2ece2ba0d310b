package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// helpTerm is one figure or mark the help screen explains.
type helpTerm struct {
	term, meaning string
}

// helpTerms explains what the current screen shows: the figures and
// marks of the view (or of the detail), in words a finance reader uses.
func (m *Model) helpTerms() []helpTerm {
	g := m.theme.glyphs
	marks := helpTerm{g.Cursor + " " + g.Above + " " + g.Below, "the selected row; rows hidden above or below. The status bar says which row of how many (12/58)"}
	if m.detailOpen {
		return []helpTerm{
			{"chart", "the product's cost per whole day, from zero; each column shows its highest day, so a one-day spike is drawn at its value; " + string(markRune(m.theme.ascii)) + " marks an anomaly day"},
			{"days", "the cost of each day, newest first; " + g.Anomaly + " marks an anomaly day, " + g.NoData + " a day not complete yet"},
			{"last 7 days", "the 7 whole days to the last one, against the 7 before"},
			{"run-rate", "the month so far plus the mean of the last 7 days for each day left: an estimate"},
		}
	}
	switch m.current().(type) {
	case *productsView:
		return []helpTerm{
			{"Cost", "what the product cost over the period (an estimate until invoiced)"},
			{"Share", "the product's part of the period's total cost"},
			{"Change", "the cost against the previous period of the same kind: a month against the month before, a month to date against the same days of the month before, a range against as many days just before; 'new' when there was no cost before"},
			{g.Anomaly, "the product has anomaly days: see the Anomalies view, or enter for its chart"},
			{"Trend", "the daily cost, from zero at the bottom to the row's highest day at the top, so a steady charge reads level; " + g.NoData + " is a day not loaded or not complete yet, not a fall"},
			marks,
		}
	case *recordsView:
		return []helpTerm{
			{"Usage, Cost", "each record as the API sent it, exact; costs line up on their decimal places"},
			{"G", "goes to the last row, loading every page first"},
			marks,
		}
	case *anomaliesView:
		return []helpTerm{
			{"Actual, Expected", "the day's cost, and what the product's own history (its weekday shape) led to expect"},
			{"Impact", "actual minus expected, in money"},
			{"Change", "actual against expected, in percent"},
			{"Score", "how far the day is from usual, in the product's own robust standard deviations (higher is stranger; 99 at most)"},
			marks,
		}
	}
	return []helpTerm{marks}
}

// helpView lists every enabled binding (and L, muted, once there is
// nothing left to load, so help always tells how to load it all), grouped, flowing the groups into
// as many columns as the width allows.
func (m *Model) helpView(w, h int) string {
	st := m.theme.styles
	var cols []string
	for _, group := range m.keys.FullHelp() {
		var keys, descs []string
		for _, b := range group {
			switch {
			case b.Enabled():
				keys = append(keys, b.Help().Key)
				descs = append(descs, b.Help().Desc)
			case m.keys.listedWhenOff(b):
				keys = append(keys, st.Muted.Render(b.Help().Key))
				descs = append(descs, st.Muted.Render(b.Help().Desc+" (all loaded)"))
			}
		}
		if len(keys) == 0 {
			continue
		}
		cols = append(cols, lipgloss.JoinHorizontal(lipgloss.Top,
			st.Help.FullKey.Render(strings.Join(keys, "\n")), "  ",
			st.Help.FullDesc.Render(strings.Join(descs, "\n"))))
	}
	var rows []string
	var row []string
	rowW := 0
	const gap = 4
	for _, c := range cols {
		cw := lipgloss.Width(c)
		if len(row) > 0 && rowW+gap+cw > w {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			row = append(row, strings.Repeat(" ", gap))
			rowW += gap
		}
		row = append(row, c)
		rowW += cw
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	title := st.BoxTitle.Render("Keys") + st.Muted.Render("  (? or esc closes)")
	out := title + "\n\n" + strings.Join(rows, "\n\n")
	// What the figures on this screen mean, under the keys.
	terms := []string{"", st.BoxTitle.Render("On this screen")}
	tw := 0
	for _, t := range m.helpTerms() {
		tw = max(tw, ansi.StringWidth(t.term))
	}
	for _, t := range m.helpTerms() {
		lines := wrap(t.meaning, max(w-tw-2, 20))
		for i, l := range lines {
			head := strings.Repeat(" ", tw)
			if i == 0 {
				head = cellFit(t.term, tw, "")
			}
			terms = append(terms, st.Help.FullKey.Render(head)+"  "+st.Help.FullDesc.Render(l))
		}
	}
	out += "\n" + strings.Join(terms, "\n")
	return scrollLines(out, h, &m.help2.scroll, st.Muted, m.theme.glyphs)
}

// helpScroll is where the help screen is scrolled to; behind a pointer,
// since View draws on a copy of the model.
type helpScroll struct{ scroll int }

// scrollLines shows h lines of s from *top (clamped, and kept), the last
// line saying how to see what is below when it does not all fit.
func scrollLines(s string, h int, top *int, muted lipgloss.Style, g glyphs) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= h {
		*top = 0
		return s
	}
	*top = max(min(*top, len(lines)-h+1), 0)
	end := *top + h - 1
	out := append([]string(nil), lines[*top:end]...)
	note := g.Below + " " + formatCount(len(lines)-end) + " more lines (j/k or pgdn scroll)"
	if end >= len(lines) {
		note = g.Above + " scrolled (k or pgup goes back)"
	}
	return strings.Join(append(out, muted.Render(note)), "\n")
}
