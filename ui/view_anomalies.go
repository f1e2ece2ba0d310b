package ui

import (
	"cmp"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/export"
	"github.com/usagetop/usagetop/state/safetext"
	"github.com/usagetop/usagetop/ui/table"
)

// Anomalies view column indices, in display order.
const (
	acProduct = iota
	acDate
	acDays
	acKind
	acActual
	acExpected
	acImpact
	acPercent
	acScore
	acReason
)

// anomalyColumns fit an 80-column screen with product, date, impact,
// change and reason; wider screens get every column.
var anomalyColumns = []table.Column{
	acProduct:  {Key: "product", Title: "Product", Width: 22, Min: 12, Flex: 2, Max: 48, Priority: 0, Elide: true},
	acDate:     {Key: "date", Title: "Date", Width: 10, Priority: 0},
	acDays:     {Key: "days", Title: "Days", Width: 4, Right: true, Priority: 2},
	acKind:     {Key: "kind", Title: "Kind", Width: 7, Priority: 2},
	acActual:   {Key: "actual", Title: "Actual", Width: 10, Right: true, Priority: 4},
	acExpected: {Key: "expected", Title: "Expected", Width: 10, Right: true, Priority: 4},
	acImpact:   {Key: "impact", Title: "Impact", Width: 11, Right: true, Priority: 0},
	acPercent:  {Key: "percent", Title: "Change", Width: 7, Right: true, Priority: 1},
	acScore:    {Key: "score", Title: "Score", Width: 5, Right: true, Priority: 3},
	acReason:   {Key: "reason", Title: "Reason", Width: 25, Min: 16, Flex: 3, Priority: 0},
}

// anomalyRow is one line of the view: an incident (day < 0), or day day
// of the open incident, shown under it.
type anomalyRow struct {
	inc, day int32
}

// anomalyKey identifies a line across sorts, filters and detections.
type anomalyKey struct {
	scope   state.AnomalyScope
	product state.ProductKey
	first   api.Date
	day     api.Date // 0 for the incident's own line
}

// anomaliesView lists the detector's incidents (consecutive flagged days
// of a product) and group findings, biggest money impact first. The
// incident under the cursor opens to show its days beneath it, so moving
// through the list reads each incident day by day without another key.
// Until detection has run it says why the list is empty.
type anomaliesView struct {
	theme theme
	tbl   *table.Model[anomalyKey, anomalyRow]
	store *state.Store // for the export's file name

	all     []state.Incident // as state.BuildIncidents sorted them: biggest impact first
	lower   []string         // lower-cased "name\x00category" of each, for the filter
	sorted  []int32          // indices into all, in the chosen order
	shown   []int32          // sorted, filtered
	open    int32            // the incident whose days are shown, or -1
	sortCol int
	desc    bool
	filter  string

	width, height int
	// status says what the view waits for, or what detection found; the
	// first line leads the view, the rest are notes under it.
	status []string
}

func newAnomaliesView(th theme) *anomaliesView {
	v := &anomaliesView{theme: th, sortCol: acImpact, desc: true, open: -1}
	v.tbl = table.New(anomalyColumns, v.keyOf, v.cell, th.tableStyles(), th.tableGlyphs())
	v.tbl.SetSort(anomalyColumns[acImpact].Key, true)
	return v
}

func (v *anomaliesView) Name() string { return "Anomalies" }

// SetSize keeps the summary's lines above the table.
func (v *anomaliesView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.tbl.SetSize(w, max(h-len(v.summary()), 1))
}

// summary is the line above the table: the lead and its notes, or, when
// they do not fit one line, the lead on one and the notes on the next, so
// a note ("partly judged: too little history for some days") is read
// whole on an 80-column screen.
func (v *anomaliesView) summary() []string {
	sep := " " + v.theme.glyphs.Dot + " "
	joined := strings.Join(v.status, sep)
	if len(v.status) < 2 || ansi.StringWidth(joined) <= v.width {
		return []string{joined}
	}
	return []string{v.status[0], strings.Join(v.status[1:], sep)}
}

// Nav moves the table and then opens the incident the cursor is on.
func (v *anomaliesView) Nav() navigator { return anomalyNav{v} }

// anomalyNav is the table's navigator, opening the incident under the
// cursor after every move.
type anomalyNav struct{ v *anomaliesView }

func (n anomalyNav) MoveUp(k int)     { n.v.tbl.MoveUp(k); n.v.follow() }
func (n anomalyNav) MoveDown(k int)   { n.v.tbl.MoveDown(k); n.v.follow() }
func (n anomalyNav) PageUp()          { n.v.tbl.PageUp(); n.v.follow() }
func (n anomalyNav) PageDown()        { n.v.tbl.PageDown(); n.v.follow() }
func (n anomalyNav) GotoTop()         { n.v.tbl.GotoTop(); n.v.follow() }
func (n anomalyNav) GotoBottom()      { n.v.tbl.GotoBottom(); n.v.follow() }
func (n anomalyNav) Cursor() int      { return n.v.tbl.Cursor() }
func (n anomalyNav) Len() int         { return n.v.tbl.Len() }
func (n anomalyNav) VisibleRows() int { return n.v.tbl.VisibleRows() }

func (v *anomaliesView) SetEmptyText(s string) { v.tbl.SetEmptyText(s) }

// WantsAllPages: anomalies are judged on whole days of the whole period.
func (v *anomaliesView) WantsAllPages() bool { return true }

func (v *anomaliesView) NearEnd() bool { return false }

func (v *anomaliesView) keyOf(r anomalyRow) anomalyKey {
	in := &v.all[r.inc]
	k := anomalyKey{scope: in.Scope, product: in.Product(), first: in.First}
	if r.day >= 0 {
		k.day = in.Anomalies[r.day].Date
	}
	return k
}

// anomalyProduct is the product row a flagged day belongs to.
func anomalyProduct(a *state.Anomaly) state.ProductKey {
	return state.ProductKey{Name: a.ProductName, Category: a.ProductCategory, Currency: a.Currency}
}

// Sync: a new store is a new generation, whose findings are not in yet.
// Pages of the current one change nothing here.
func (v *anomaliesView) Sync(s *state.Store) {
	if s != v.store {
		v.store = s
		v.SetAnomalies(nil)
	}
}

// SetAnomalies installs the detector's findings (nil: none yet), as
// incidents.
func (v *anomaliesView) SetAnomalies(all []state.Anomaly) {
	v.all = state.BuildIncidents(all)
	v.lower = make([]string, len(v.all))
	for i := range v.all {
		name := v.all[i].ProductName
		if v.all[i].Scope == state.ScopeGroup {
			name = "group"
		}
		v.lower[i] = strings.ToLower(name) + "\x00" + strings.ToLower(v.all[i].ProductCategory)
	}
	v.open = -1
	v.tbl.InvalidateAll()
	v.resort()
}

// SetStatus sets what the view says above the table (or in its place
// while nothing is flagged).
func (v *anomaliesView) SetStatus(lines []string) {
	v.status = lines
	v.SetSize(v.width, v.height) // the summary may take another line
}

func (v *anomaliesView) SetFilter(text string) {
	v.filter = strings.ToLower(text)
	v.refilter()
}

// NextSort moves to the next shown column to the right. Text columns
// sort A to Z first, dates newest first, figures largest first.
func (v *anomaliesView) NextSort() {
	if next, ok := nextSortColumn(v.sortCol, 1, len(anomalyColumns), v.tbl.ShownColumns(), nil); ok {
		v.setSort(next, next != acProduct && next != acKind && next != acReason)
	}
}

func (v *anomaliesView) ReverseSort() { v.setSort(v.sortCol, !v.desc) }

func (v *anomaliesView) setSort(col int, desc bool) {
	v.sortCol, v.desc = col, desc
	v.tbl.SetSort(anomalyColumns[col].Key, desc)
	v.resort()
}

// resort orders the incidents by the sort column; ties keep the
// detector's order (biggest impact first), so the order is stable and
// total.
func (v *anomaliesView) resort() {
	order := make([]int32, len(v.all))
	for i := range order {
		order[i] = int32(i)
	}
	col, desc := v.sortCol, v.desc
	slices.SortStableFunc(order, func(i, j int32) int {
		c := compareIncidents(&v.all[i], &v.all[j], col)
		if desc {
			c = -c
		}
		if c == 0 {
			return cmp.Compare(i, j)
		}
		return c
	})
	v.sorted = order
	v.refilter()
}

// compareIncidents orders two incidents by column col, ascending.
func compareIncidents(a, b *state.Incident, col int) int {
	switch col {
	case acProduct:
		if c := strings.Compare(strings.ToLower(a.ProductName), strings.ToLower(b.ProductName)); c != 0 {
			return c
		}
		return cmp.Compare(a.First, b.First)
	case acDate:
		return cmp.Compare(a.First, b.First)
	case acDays:
		return cmp.Compare(a.Days, b.Days)
	case acKind:
		return strings.Compare(a.Kind.String(), b.Kind.String())
	case acActual:
		return a.Actual.Cmp(b.Actual)
	case acExpected:
		return a.Expected.Cmp(b.Expected)
	case acImpact:
		return a.Impact.Abs().Cmp(b.Impact.Abs())
	case acPercent:
		// A change from nothing has no percentage; it is the largest.
		switch {
		case !a.HasPercent() && !b.HasPercent():
			return 0
		case !a.HasPercent():
			return 1
		case !b.HasPercent():
			return -1
		}
		return cmp.Compare(a.ImpactPercent, b.ImpactPercent)
	case acScore:
		return cmp.Compare(a.Score, b.Score)
	case acReason:
		return strings.Compare(a.Reason, b.Reason)
	}
	return 0
}

func (v *anomaliesView) refilter() {
	v.shown = v.sorted
	if v.filter != "" {
		v.shown = make([]int32, 0, len(v.sorted))
		for _, i := range v.sorted {
			name, category, _ := strings.Cut(v.lower[i], "\x00")
			if strings.Contains(name, v.filter) || strings.Contains(category, v.filter) {
				v.shown = append(v.shown, i)
			}
		}
	}
	v.layoutRows()
	v.follow()
}

// layoutRows lays out the shown incidents, the open one's days under it.
func (v *anomaliesView) layoutRows() {
	rows := make([]anomalyRow, 0, len(v.shown))
	for _, i := range v.shown {
		rows = append(rows, anomalyRow{inc: i, day: -1})
		if i == v.open && v.all[i].Days > 1 {
			for d := range v.all[i].Anomalies {
				rows = append(rows, anomalyRow{inc: i, day: int32(d)})
			}
		}
	}
	v.tbl.SetRows(rows)
}

// follow opens the incident under the cursor (closing the one before) so
// its days show beneath it.
func (v *anomaliesView) follow() {
	r, ok := v.tbl.Selected()
	if !ok || r.inc == v.open {
		return
	}
	for _, k := range []int32{v.open, r.inc} {
		if k >= 0 && int(k) < len(v.all) {
			v.tbl.Invalidate(v.keyOf(anomalyRow{inc: k, day: -1}))
		}
	}
	v.open = r.inc
	v.layoutRows()
}

// selected returns the flagged day under the cursor: a day row's day, or
// an incident's first day.
func (v *anomaliesView) selected() (*state.Anomaly, bool) {
	r, ok := v.tbl.Selected()
	if !ok {
		return nil, false
	}
	return &v.all[r.inc].Anomalies[max(r.day, 0)], true
}

// selectedDate is the date the detail opens at for the line under the
// cursor of v: an incident's first day or a day row's day (0 for other
// views).
func selectedDate(v view) api.Date {
	if av, ok := v.(*anomaliesView); ok {
		if a, ok := av.selected(); ok {
			return a.Date
		}
	}
	return 0
}

// View is the summary line and the table, or the status alone while
// nothing is flagged. Every line fits the width.
func (v *anomaliesView) View() string {
	st := &v.theme.styles
	if len(v.all) == 0 {
		lines := make([]string, 0, len(v.status))
		for n, s := range v.status {
			style := st.Muted
			if n == 0 {
				style = st.Value
			}
			for _, l := range wrap(s, v.width) {
				lines = append(lines, style.Render(cellFit(l, v.width, v.theme.glyphs.Ellipsis)))
			}
		}
		if len(lines) > v.height {
			lines = lines[:v.height]
		}
		return strings.Join(lines, "\n")
	}
	var b strings.Builder
	for _, l := range v.summary() {
		b.WriteString(st.Muted.Render(cellFit(l, v.width, v.theme.glyphs.Ellipsis)))
		b.WriteByte('\n')
	}
	b.WriteString(v.tbl.View())
	return b.String()
}

// Export copies the shown incidents' days, one row per day as the
// headless export writes them, exact amounts, text sanitised as on screen.
func (v *anomaliesView) Export(q state.Query) exportJob {
	var rows []state.Anomaly
	for _, i := range v.shown {
		for _, a := range v.all[i].Anomalies {
			a.ProductName, a.ProductCategory = safetext.Clean(a.ProductName), safetext.Clean(a.ProductCategory)
			a.Currency, a.Reason = safetext.Clean(a.Currency), safetext.Clean(a.Reason)
			rows = append(rows, a)
		}
	}
	return exportJob{
		base: exportBase("anomalies", q, v.store),
		rows: len(rows),
		write: func(w io.Writer) error {
			return export.WriteAnomalies(w, export.FormatCSV, rows)
		},
	}
}
