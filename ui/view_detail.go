package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
	"github.com/usagetop/usagetop/ui/table"
)

// Detail layout.
const (
	// detailWideAt is the width from which the figures stand beside the
	// chart instead of under it.
	detailWideAt = 110
	// detailPanel is the width of the figures beside the chart.
	detailPanel = 40
	// weekDays is the span of "last 7 days against the 7 before".
	weekDays = 7
)

// detailInput is everything the detail view draws from. The generation
// is read on the event loop only.
type detailInput struct {
	product state.ProductKey
	g       *state.Generation
	// at is the anomaly day the detail was opened at (an incident in the
	// Anomalies view): its days lead the legend. 0: none.
	at    api.Date
	found *state.StoreAnomalies // nil until detection has run
	// waiting says why found is nil ("detecting…"), for the legend.
	waiting string
	// budgets are the group's budgets as they stand; those that cover
	// the product are shown.
	budgets       []state.BudgetStatus
	width, height int
}

// detailCacheKey is what a drawn detail depends on: the product, the size,
// and the data (the generation counts the pages applied).
type detailCacheKey struct {
	product       state.ProductKey
	at            api.Date
	g             *state.Generation
	version       uint64
	found         *state.StoreAnomalies
	waiting       string
	width, height int
	daysTop       int // where the per-day table is scrolled to
}

// detailView draws one product: a chart of its cost with the anomaly days
// marked, and its figures. Drawing a chart costs far more than a frame, so
// the drawn body is kept until the product, the size or the data change.
type detailView struct {
	theme *theme
	key   detailCacheKey
	out   string
	drawn int // how many times the body was drawn, for tests
	// days is the drawn product's per-day table, daysTop where it is
	// scrolled to (see detail_days.go).
	days    []dayRow
	daysTop int
}

func newDetailView(th *theme) *detailView { return &detailView{theme: th} }

// View returns the body, exactly in.height lines of at most in.width cells.
func (v *detailView) View(in detailInput) string {
	k := detailCacheKey{product: in.product, at: in.at, g: in.g, found: in.found, waiting: in.waiting, width: in.width, height: in.height, daysTop: v.daysTop}
	if in.g != nil {
		k.version = in.g.Version()
	}
	if v.out != "" && k == v.key {
		return v.out
	}
	v.key = k
	v.out = padLines(v.draw(in), in.width, in.height)
	v.drawn++
	return v.out
}

// statItem is one labelled figure.
type statItem struct {
	label, value string
	note         string // said after the value, muted
}

// draw lays the detail out: the title, then the chart with the figures
// under it, or beside it on a wide screen.
func (v *detailView) draw(in detailInput) string {
	st := &v.theme.styles
	g := v.theme.glyphs
	w, h := in.width, in.height
	f := figures(in)
	v.days = dayRows(&f, in)

	title := st.Value.Render(safetext.Clean(in.product.Name))
	if in.product.Category != "" {
		title += "  " + st.Muted.Render(safetext.Clean(in.product.Category))
	}
	caption := "daily cost"
	if f.chart.monthly {
		caption = "monthly cost"
	}
	if cur := safetext.Clean(in.product.Currency); cur != "" {
		caption += " in " + cur
	}
	title += st.Muted.Render(" "+g.Dot+" "+caption) + "  " + st.Anomaly.Render(string(markRune(v.theme.ascii))) + st.Muted.Render(" anomaly")
	lines := []string{cellFit(title, w, g.Ellipsis)}

	if f.Figure == nil {
		text := "no figures: " + f.Missing
		if f.Missing == "" {
			text = "no figures"
		}
		return strings.Join(append(lines, "", st.Muted.Render(cellFit(text, w, g.Ellipsis))), "\n")
	}

	items := v.statItems(&f)
	notes := v.notes(&f)
	if w >= detailWideAt {
		return strings.Join(append(lines, v.wideBody(&f, items, v.legend(&f, in.waiting, detailPanel), notes, w, h-1)...), "\n")
	}
	return strings.Join(append(lines, v.narrowBody(&f, items, v.legend(&f, in.waiting, 0), notes, w, h-1)...), "\n")
}

// narrowBody puts the figures, the legend and notes under the chart.
func (v *detailView) narrowBody(f *detailFigures, items []statItem, legend, notes []string, w, h int) []string {
	st := &v.theme.styles
	sep := " " + v.theme.glyphs.Dot + " "
	var parts []string
	for _, it := range items {
		s := st.Label.Render(it.label+" ") + st.Value.Render(it.value)
		if it.note != "" {
			s += st.Muted.Render(" " + it.note)
		}
		parts = append(parts, s)
	}
	stats := flow(parts, sep, w, st.Muted)
	leg := flow(legend, sep, w, st.Muted)
	var noteLines []string
	for _, n := range notes {
		for _, l := range wrap(n, w) {
			noteLines = append(noteLines, st.Muted.Render(l))
		}
	}
	// The chart gets what is left; notes, then legend lines, give way
	// first so it keeps a useful height.
	for h-len(stats)-len(leg)-len(noteLines) < chartMinHeight && len(noteLines) > 0 {
		noteLines = noteLines[:len(noteLines)-1]
	}
	for h-len(stats)-len(leg)-len(noteLines) < chartMinHeight && len(leg) > 1 {
		leg = leg[:len(leg)-1]
	}
	chartH := h - len(stats) - len(leg) - len(noteLines)
	var out []string
	if chartH >= chartMinHeight {
		out = append(out, v.chartWithDays(f, w, chartH)...)
	}
	out = append(out, stats...)
	out = append(out, leg...)
	out = append(out, noteLines...)
	for i, l := range out {
		out[i] = cellFit(l, w, v.theme.glyphs.Ellipsis)
	}
	return out
}

// wideBody puts the figures in a panel right of the chart.
func (v *detailView) wideBody(f *detailFigures, items []statItem, legend, notes []string, w, h int) []string {
	st := &v.theme.styles
	g := v.theme.glyphs
	pw := detailPanel
	var panel []string
	for _, it := range items {
		label := st.Label.Render(it.label)
		gap := pw - ansi.StringWidth(it.label) - ansi.StringWidth(it.value)
		if gap >= 2 {
			panel = append(panel, label+strings.Repeat(" ", gap)+st.Value.Render(it.value))
		} else {
			panel = append(panel, label, "  "+st.Value.Render(it.value))
		}
		if it.note != "" {
			for _, l := range wrap(it.note, pw-2) {
				panel = append(panel, "  "+st.Muted.Render(l))
			}
		}
	}
	if len(legend) > 0 {
		panel = append(panel, "")
		panel = append(panel, legend...)
	}
	for _, n := range notes {
		panel = append(panel, "")
		for _, l := range wrap(n, pw) {
			panel = append(panel, st.Muted.Render(l))
		}
	}
	if len(panel) > h {
		panel = panel[:h]
	}
	cw := w - pw - 3
	chart := v.chartWithDays(f, cw, h)
	out := make([]string, h)
	bar := st.Muted.Render(g.Bar)
	for i := range out {
		left := ""
		if i < len(chart) {
			left = chart[i]
		}
		right := ""
		if i < len(panel) {
			right = panel[i]
		}
		out[i] = cellFit(left, cw, "") + " " + bar + " " + cellFit(right, pw, g.Ellipsis)
	}
	return out
}

// legend lists the anomaly days, each with its mark, date, kind and
// impact, so the chart's marks never rely on colour. Given a width, each
// is followed by the detector's reason, indented and wrapped to it; each
// line is styled on its own, so no colour runs from one line into the
// chart of the next.
func (v *detailView) legend(f *detailFigures, waiting string, reasonWidth int) []string {
	st := &v.theme.styles
	mark := st.Anomaly.Render(string(markRune(v.theme.ascii)))
	if len(f.anomalies) == 0 {
		switch {
		case waiting != "":
			return []string{st.Muted.Render("anomalies: " + waiting)}
		case f.result != nil && f.result.Status == state.AnomalyTooLittleHistory:
			return []string{st.Muted.Render("anomalies: too little history to judge")}
		}
		return []string{st.Muted.Render("no anomalies")}
	}
	out := make([]string, 0, len(f.anomalies))
	for _, a := range f.anomalies {
		out = append(out, mark+" "+weekdayDate(a.Date)+" "+st.Anomaly.Render(a.Kind.String())+" "+
			anomalyMoney(a.Impact, a.Currency, true, v.theme.ascii))
		if reasonWidth > 0 {
			for _, l := range wrap(asciiSafe(safetext.Clean(a.Reason), v.theme.ascii), reasonWidth-2) {
				out = append(out, "  "+st.Muted.Render(l))
			}
		}
	}
	return out
}

// notes are the detector's words on this product (days it could not
// judge, monthly charges it left alone) and how MONTHLY marks read.
func (v *detailView) notes(f *detailFigures) []string {
	var out []string
	if f.chart.monthly && len(f.anomalies) > 0 {
		out = append(out, "each mark is the month of an anomaly day")
	}
	if f.result != nil && f.result.Note != "" {
		out = append(out, asciiSafe(safetext.Clean(f.result.Note), v.theme.ascii))
	}
	return out
}

// flow joins parts with sep into lines of at most w cells, starting a new
// line rather than splitting a part (one wider than w is cut).
func flow(parts []string, sep string, w int, sepStyle lipgloss.Style) []string {
	var lines []string
	cur, curW := "", 0
	sw := ansi.StringWidth(sep)
	for _, p := range parts {
		pw := ansi.StringWidth(p)
		if cur != "" && curW+sw+pw > w {
			lines = append(lines, cur)
			cur, curW = "", 0
		}
		if cur != "" {
			cur += sepStyle.Render(sep)
			curW += sw
		}
		cur += p
		curW += pw
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// weekdayDate is "Thu 2025-02-20".
func weekdayDate(d api.Date) string { return d.Weekday().String()[:3] + " " + d.String() }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(n) + " " + many
}

// cellFit pads or cuts s (which may be styled) to exactly w cells.
func cellFit(s string, w int, tail string) string { return table.Fit(s, w, false, tail) }

// selectedProduct returns the product of the row under the cursor of v:
// the product itself, a record's product, or a flagged day's product.
func selectedProduct(v view) (state.ProductKey, bool) {
	switch v := v.(type) {
	case *productsView:
		if i, ok := v.tbl.Selected(); ok && v.store != nil {
			return v.store.Products()[i].Key(), true
		}
	case *recordsView:
		if i, ok := v.tbl.Selected(); ok && v.store != nil {
			r := v.store.Row(int(i))
			return state.ProductKey{Name: r.ProductName, Category: r.ProductCategory, Currency: r.Currency}, true
		}
	case *anomaliesView:
		if a, ok := v.selected(); ok && a.Scope == state.ScopeProduct {
			return anomalyProduct(a), true
		}
	}
	return state.ProductKey{}, false
}
