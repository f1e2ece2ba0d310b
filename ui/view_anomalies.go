package ui

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/shopspring/decimal"
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
	acKind:     {Key: "kind", Title: "Kind", Width: 5, Priority: 2},
	acActual:   {Key: "actual", Title: "Actual", Width: 10, Right: true, Priority: 4},
	acExpected: {Key: "expected", Title: "Expected", Width: 10, Right: true, Priority: 4},
	acImpact:   {Key: "impact", Title: "Impact", Width: 11, Right: true, Priority: 0},
	acPercent:  {Key: "percent", Title: "Change", Width: 7, Right: true, Priority: 1},
	acScore:    {Key: "score", Title: "Score", Width: 5, Right: true, Priority: 3},
	acReason:   {Key: "reason", Title: "Reason", Width: 25, Min: 16, Flex: 3, Priority: 0},
}

// anomalyKey identifies a flagged product-day across sorts and filters.
type anomalyKey struct {
	product state.ProductKey
	date    api.Date
}

// anomaliesView lists the detector's flagged product-days, biggest money
// impact first. Until detection has run it says why the list is empty.
type anomaliesView struct {
	theme theme
	tbl   *table.Model[anomalyKey, int32]
	store *state.Store // for the export's file name

	all     []state.Anomaly // as the detector sorted them: biggest impact first
	lower   []string        // lower-cased "name\x00category" of each, for the filter
	sorted  []int32         // indices into all, in the chosen order
	sortCol int
	desc    bool
	filter  string

	width, height int
	// status says what the view waits for, or what detection found; the
	// first line leads the view, the rest are notes under it.
	status []string
}

func newAnomaliesView(th theme) *anomaliesView {
	v := &anomaliesView{theme: th, sortCol: acImpact, desc: true}
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

func (v *anomaliesView) Nav() navigator { return v.tbl }

func (v *anomaliesView) SetEmptyText(s string) { v.tbl.SetEmptyText(s) }

// WantsAllPages: anomalies are judged on whole days of the whole period.
func (v *anomaliesView) WantsAllPages() bool { return true }

func (v *anomaliesView) NearEnd() bool { return false }

func (v *anomaliesView) keyOf(i int32) anomalyKey {
	a := &v.all[i]
	return anomalyKey{product: anomalyProduct(a), date: a.Date}
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

// SetAnomalies installs the detector's findings (nil: none yet).
func (v *anomaliesView) SetAnomalies(all []state.Anomaly) {
	v.all = all
	v.lower = make([]string, len(all))
	for i := range all {
		v.lower[i] = strings.ToLower(all[i].ProductName) + "\x00" + strings.ToLower(all[i].ProductCategory)
	}
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
	shown := v.tbl.ShownColumns()
	for step := 1; step <= len(anomalyColumns); step++ {
		next := (v.sortCol + step) % len(anomalyColumns)
		if !slices.Contains(shown, next) {
			continue
		}
		v.setSort(next, next != acProduct && next != acKind && next != acReason)
		return
	}
}

func (v *anomaliesView) ReverseSort() { v.setSort(v.sortCol, !v.desc) }

func (v *anomaliesView) setSort(col int, desc bool) {
	v.sortCol, v.desc = col, desc
	v.tbl.SetSort(anomalyColumns[col].Key, desc)
	v.resort()
}

// resort orders every row by the sort column; ties keep the detector's
// order (biggest impact first), so the order is stable and total.
func (v *anomaliesView) resort() {
	order := make([]int32, len(v.all))
	for i := range order {
		order[i] = int32(i)
	}
	col, desc := v.sortCol, v.desc
	slices.SortStableFunc(order, func(i, j int32) int {
		c := compareAnomalies(&v.all[i], &v.all[j], col)
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

// compareAnomalies orders two flagged days by column col, ascending.
func compareAnomalies(a, b *state.Anomaly, col int) int {
	switch col {
	case acProduct:
		if c := strings.Compare(strings.ToLower(a.ProductName), strings.ToLower(b.ProductName)); c != 0 {
			return c
		}
		return cmp.Compare(a.Date, b.Date)
	case acDate:
		return cmp.Compare(a.Date, b.Date)
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
	rows := v.sorted
	if v.filter != "" {
		rows = make([]int32, 0, len(v.sorted))
		for _, i := range v.sorted {
			name, category, _ := strings.Cut(v.lower[i], "\x00")
			if strings.Contains(name, v.filter) || strings.Contains(category, v.filter) {
				rows = append(rows, i)
			}
		}
	}
	v.tbl.SetRows(rows)
}

// selected returns the flagged day under the cursor.
func (v *anomaliesView) selected() (*state.Anomaly, bool) {
	i, ok := v.tbl.Selected()
	if !ok {
		return nil, false
	}
	return &v.all[i], true
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

func (v *anomaliesView) cell(i int32, col, width int) table.Cell {
	a := &v.all[i]
	st := &v.theme.styles
	ascii := v.theme.ascii
	switch col {
	case acProduct:
		return table.Cell{Text: safetext.Clean(a.ProductName)}
	case acDate:
		return table.Cell{Text: a.Date.String()}
	case acKind:
		return table.Cell{Text: a.Kind.String(), Style: &st.Anomaly}
	case acActual:
		return table.Cell{Text: anomalyMoney(a.Actual, a.Currency, false, ascii), Style: &st.Money}
	case acExpected:
		return table.Cell{Text: anomalyMoney(a.Expected, a.Currency, false, ascii), Style: &st.Muted}
	case acImpact:
		return table.Cell{Text: anomalyMoney(a.Impact, a.Currency, true, ascii), Style: changeStyle(st, a.Impact.Sign())}
	case acPercent:
		return table.Cell{Text: anomalyPercent(a), Style: changeStyle(st, a.Impact.Sign())}
	case acScore:
		return table.Cell{Text: strconv.FormatFloat(a.Score, 'f', 1, 64)}
	case acReason:
		return table.Cell{Text: asciiSafe(safetext.Clean(a.Reason), ascii)}
	}
	return table.Cell{}
}

// changeStyle colours a rise as worse and a fall as better; the sign in
// the text says the same without colour.
func changeStyle(st *Styles, sign int) *lipgloss.Style {
	switch {
	case sign > 0:
		return &st.Up
	case sign < 0:
		return &st.Down
	}
	return nil
}

// anomalyPercent renders the change in percent, or "new" when there was
// nothing to take a percentage of.
func anomalyPercent(a *state.Anomaly) string {
	if !a.HasPercent() {
		return "new"
	}
	p := a.ImpactPercent
	if p >= 1000 || p <= -1000 {
		return strconv.FormatFloat(p, 'f', 0, 64) + "%"
	}
	s := strconv.FormatFloat(p, 'f', 0, 64) + "%"
	if p > 0 {
		s = "+" + s
	}
	return s
}

// anomalyMoney formats an anomaly's figure as the reason lines do
// (state.AnomalyMoney), keeping to ASCII under --ascii.
func anomalyMoney(x decimal.Decimal, currency string, signed, ascii bool) string {
	if ascii {
		if s, ok := currencySymbols[currency]; ok && s != "$" {
			return state.AnomalyMoney(x, "", signed) + " " + currency
		}
	}
	return state.AnomalyMoney(x, safetext.Clean(currency), signed)
}

// asciiSafe replaces what the detector's reasons may hold beyond ASCII
// (currency symbols) when --ascii asks for plain ASCII.
func asciiSafe(s string, ascii bool) string {
	if !ascii || safetext.IsPlainASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '£':
			b.WriteString("GBP ")
		case r == '€':
			b.WriteString("EUR ")
		case r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// Export copies the shown rows, exact amounts, in the headless export's
// anomalies columns, text sanitised as on screen.
func (v *anomaliesView) Export(q state.Query) exportJob {
	rows := make([]state.Anomaly, 0, v.tbl.Len())
	for _, i := range v.tbl.Rows() {
		a := v.all[i]
		a.ProductName, a.ProductCategory = safetext.Clean(a.ProductName), safetext.Clean(a.ProductCategory)
		a.Currency, a.Reason = safetext.Clean(a.Currency), safetext.Clean(a.Reason)
		rows = append(rows, a)
	}
	return exportJob{
		base: exportBase("anomalies", q, v.store),
		rows: len(rows),
		write: func(w io.Writer) error {
			return export.WriteAnomalies(w, export.FormatCSV, rows)
		},
	}
}
