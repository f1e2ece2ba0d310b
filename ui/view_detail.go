package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
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

// detailInput is everything the detail view draws from. The stores are
// read on the event loop only.
type detailInput struct {
	product state.ProductKey
	// at is the anomaly day the detail was opened at (an incident in the
	// Anomalies view): its days lead the legend. 0: none.
	at    api.Date
	store *state.Store // the query on screen
	// daily holds the period's DAILY records: store itself under DAILY,
	// the background load under MONTHLY (nil until it is complete).
	daily *state.Store
	// history is the lookback before the period (nil until loaded).
	history *state.Store
	found   *state.StoreAnomalies // nil until detection has run
	// waiting says why found is nil ("detecting…"), for the legend.
	waiting       string
	today         api.Date
	width, height int
}

// detailCacheKey is what a drawn detail depends on: the product, the size,
// and the data (a store grows by pages; a new generation is a new store).
type detailCacheKey struct {
	product                state.ProductKey
	at                     api.Date
	store, daily, history  *state.Store
	records, dailyN, histN int
	done                   bool
	found                  *state.StoreAnomalies
	waiting                string
	today                  api.Date
	width, height          int
}

// detailView draws one product: a chart of its cost with the anomaly days
// marked, and its figures. Drawing a chart costs far more than a frame, so
// the drawn body is kept until the product, the size or the data change.
type detailView struct {
	theme *theme
	key   detailCacheKey
	out   string
	drawn int // how many times the body was drawn, for tests
}

func newDetailView(th *theme) *detailView { return &detailView{theme: th} }

// View returns the body, exactly in.height lines of at most in.width cells.
func (v *detailView) View(in detailInput) string {
	k := detailCacheKey{product: in.product, at: in.at, store: in.store, daily: in.daily, history: in.history,
		found: in.found, waiting: in.waiting, today: in.today, width: in.width, height: in.height}
	if in.store != nil {
		k.records, k.done = in.store.Len(), in.store.Done()
	}
	if in.daily != nil {
		k.dailyN = in.daily.Len()
	}
	if in.history != nil {
		k.histN = in.history.Len()
	}
	if v.out != "" && k == v.key {
		return v.out
	}
	v.key = k
	v.out = padLines(v.draw(in), in.width, in.height)
	v.drawn++
	return v.out
}

// detailFigures are a product's figures over the period, exact.
type detailFigures struct {
	row      *state.ProductRollup // nil: no cost in the period
	currency string
	total    decimal.Decimal
	partial  bool

	// Figures over whole days, when DAILY records are at hand.
	daily        bool
	lastComplete api.Date // the last whole day with data
	days         int      // whole days of the period so far
	mean         decimal.Decimal
	maxDate      api.Date
	maxCost      decimal.Decimal
	hasMax       bool
	last7, prev7 decimal.Decimal
	hasWeek      bool
	runTo        api.Date // month end
	runRate      decimal.Decimal
	runToDate    decimal.Decimal // the month's cost through lastComplete
	runPerDay    decimal.Decimal // the recent daily mean it extrapolates
	runDays      int             // days left after lastComplete
	hasRun       bool

	// Under MONTHLY: the dearest month, shown until the daily records are in.
	maxMonth     api.Date
	maxMonthCost decimal.Decimal
	hasMaxMonth  bool

	anomalies []state.Anomaly // this product's, oldest first
	result    *state.AnomalyResult
	chart     costChart
}

// figures computes the product's figures and chart from in.
func figures(in detailInput) detailFigures {
	var f detailFigures
	f.currency = in.product.Currency
	if in.store == nil {
		return f
	}
	f.partial = !in.store.Done()
	f.row = findProduct(in.store, in.product)
	if f.row != nil {
		f.total = f.row.Cost.Decimal()
	}
	start, end := in.store.Bounds()
	monthly := in.store.Query().Agg() == api.Monthly

	if in.found != nil {
		for _, a := range in.found.Anomalies {
			if anomalyProduct(&a) == in.product {
				f.anomalies = append(f.anomalies, a)
			}
		}
		slices.SortFunc(f.anomalies, func(a, b state.Anomaly) int { return int(a.Date) - int(b.Date) })
		if !in.at.IsZero() {
			// Opened at an incident: its days lead the legend.
			k := slices.IndexFunc(f.anomalies, func(a state.Anomaly) bool { return a.Date >= in.at })
			if k > 0 {
				f.anomalies = slices.Concat(f.anomalies[k:], f.anomalies[:k])
			}
		}
		if r, ok := in.found.Results[in.product]; ok {
			f.result = &r
		}
	}

	// The whole days: through asOf, before today, and loaded.
	src := in.daily
	last := end
	if src != nil {
		if asOf := src.AsOf(); !asOf.IsZero() && asOf < last {
			last = asOf
		}
		last = min(last, src.LoadedThrough())
	}
	if !in.today.IsZero() {
		last = min(last, in.today-1)
	}
	f.lastComplete = last

	if src != nil {
		f.daily = true
		f.dailyFigures(in, src, start, end)
	}

	// The chart: each day through the last whole one (a day still coming
	// in would read as a fall), or each month under MONTHLY.
	c := costChart{currency: in.product.Currency, monthly: monthly}
	if f.row != nil {
		n := f.row.Points()
		if !monthly && last >= start {
			n = min(n, api.DaysInclusive(start, last))
		}
		for i := 0; i < n; i++ {
			c.dates = append(c.dates, in.store.PointDate(i))
			c.values = append(c.values, f.row.PointCost(i).Float64())
			if monthly && (!f.hasMaxMonth || f.row.DailyCost(i).GreaterThan(f.maxMonthCost)) {
				f.maxMonth, f.maxMonthCost, f.hasMaxMonth = in.store.PointDate(i), f.row.DailyCost(i), true
			}
		}
		for _, a := range f.anomalies {
			if p := pointOf(c.dates, a.Date, monthly); p >= 0 {
				c.marks = append(c.marks, chartMark{point: p, up: a.Up()})
			}
		}
	}
	f.chart = c
	return f
}

// dailyFigures fills the figures that need whole days: mean, highest day,
// the last 7 days against the 7 before and the run-rate. The days before
// the period come from the history load, so a short period still has a
// week to compare with.
func (f *detailFigures) dailyFigures(in detailInput, src *state.Store, start, end api.Date) {
	day := dailySeries(src, in.history, in.product)
	last := f.lastComplete
	if last < start {
		return
	}
	f.days = api.DaysInclusive(start, last)
	sum := decimal.Zero
	for d := start; d <= last; d++ {
		c := day(d)
		sum = sum.Add(c)
		if !f.hasMax || c.GreaterThan(f.maxCost) {
			f.maxDate, f.maxCost, f.hasMax = d, c, true
		}
	}
	f.mean = sum.DivRound(decimal.NewFromInt(int64(f.days)), 4)
	if !f.maxCost.IsPositive() {
		f.hasMax = false
	}

	first := seriesStart(src, in.history)
	if last-2*weekDays+1 >= first {
		for i := range weekDays {
			f.last7 = f.last7.Add(day(last - api.Date(i)))
			f.prev7 = f.prev7.Add(day(last - weekDays - api.Date(i)))
		}
		f.hasWeek = true
	}

	// Run-rate to month end, when the period reaches into this month and
	// every day of it is loaded (a partial load would extrapolate from
	// whichever day paging stopped at).
	if in.today.IsZero() || !src.Done() {
		return
	}
	ms, me := in.today.MonthStart(), in.today.MonthEnd()
	if start > me || end < ms || ms < first {
		return
	}
	toDate := decimal.Zero
	for d := ms; d <= last; d++ {
		toDate = toDate.Add(day(d))
	}
	recent := decimal.Zero
	n := 0
	for d := last; d > last-weekDays && d >= first; d-- {
		recent = recent.Add(day(d))
		n++
	}
	if n == 0 {
		return
	}
	f.runPerDay = recent.DivRound(decimal.NewFromInt(int64(n)), 4)
	f.runDays = int(me - max(last, ms-1))
	f.runToDate = toDate
	f.runRate = toDate.Add(f.runPerDay.Mul(decimal.NewFromInt(int64(f.runDays))))
	f.runTo = me
	f.hasRun = true
}

// dailySeries returns the product's cost on a day, from the period's
// DAILY store or, before the period, from the history store.
func dailySeries(period, history *state.Store, key state.ProductKey) func(api.Date) decimal.Decimal {
	type span struct {
		row   *state.ProductRollup
		start api.Date
	}
	var spans []span
	if r := findProduct(period, key); r != nil {
		s, _ := period.Bounds()
		spans = append(spans, span{r, s})
	}
	if history != nil {
		if r := findProduct(history, key); r != nil {
			s, _ := history.Bounds()
			spans = append(spans, span{r, s})
		}
	}
	return func(d api.Date) decimal.Decimal {
		for _, sp := range spans {
			if i := int(d - sp.start); i >= 0 && i < sp.row.Points() {
				return sp.row.DailyCost(i)
			}
		}
		return decimal.Zero
	}
}

// seriesStart is the first day the daily figures know: the history's
// start when it runs up to the period, else the period's.
func seriesStart(period, history *state.Store) api.Date {
	start, _ := period.Bounds()
	if history != nil && history.Done() {
		hs, he := history.Bounds()
		if he == start-1 {
			return hs
		}
	}
	return start
}

// findProduct returns the store's row for key, or nil.
func findProduct(s *state.Store, key state.ProductKey) *state.ProductRollup {
	if s == nil {
		return nil
	}
	rows := s.Products()
	for i := range rows {
		if rows[i].Name == key.Name && rows[i].Category == key.Category && rows[i].Currency == key.Currency {
			return &rows[i]
		}
	}
	return nil
}

// pointOf returns the chart point holding day d: the day itself, or its
// month under MONTHLY; -1 when the chart does not reach it.
func pointOf(dates []api.Date, d api.Date, monthly bool) int {
	for i := len(dates) - 1; i >= 0; i-- {
		if dates[i] == d || (monthly && dates[i] <= d) {
			return i
		}
		if dates[i] < d {
			return -1
		}
	}
	return -1
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

	if f.row == nil {
		text := "no cost for this product in the period"
		if f.partial {
			text = "loading" + g.Ellipsis + " (not in the records loaded so far)"
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
		out = append(out, strings.Split(f.chart.render(w, chartH, v.theme), "\n")...)
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
	chart := strings.Split(f.chart.render(cw, h, v.theme), "\n")
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

// statItems are the product's figures as label and value.
func (v *detailView) statItems(f *detailFigures) []statItem {
	ascii := v.theme.ascii
	money := func(d decimal.Decimal) string { return formatMoney(state.AmountOf(d), f.currency, ascii) }
	total := statItem{label: "total", value: money(f.total)}
	if f.partial {
		total.note = "partial"
	}
	items := []statItem{total}
	if !f.daily {
		if f.hasMaxMonth {
			items = append(items, statItem{label: "highest month", value: money(f.maxMonthCost), note: f.maxMonth.Time().Format("2006-01")})
		}
		return append(items, statItem{label: "per day", value: "-", note: "(waiting for the DAILY records)"})
	}
	if f.days > 0 {
		items = append(items, statItem{label: "per day", value: money(f.mean), note: "(mean of " + plural(f.days, "day", "days") + ")"})
	}
	if f.hasMax {
		items = append(items, statItem{label: "highest day", value: money(f.maxCost), note: "on " + weekdayDate(f.maxDate)})
	}
	if f.hasWeek {
		ch := state.CompareChange(f.last7, weekDays, f.prev7, weekDays)
		items = append(items, statItem{label: "last 7 days", value: money(f.last7),
			note: "vs " + money(f.prev7) + " the 7 before (" + ch.String() + ")"})
	}
	if f.hasRun {
		items = append(items, statItem{label: "run-rate to " + f.runTo.String(), value: money(f.runRate),
			note: "(estimate: " + money(f.runToDate) + " to date + " + money(f.runPerDay) + " a day, the mean of the last 7 days, for " + plural(f.runDays, "more day", "more days") + ")"})
	}
	return items
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
func cellFit(s string, w int, tail string) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, tail)
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

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
