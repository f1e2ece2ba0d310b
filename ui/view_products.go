package ui

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/export"
	"github.com/usagetop/usagetop/state/safetext"
	"github.com/usagetop/usagetop/ui/table"
)

// Products view column indices, in display order.
const (
	pcMarker = iota
	pcProduct
	pcCategory
	pcUsage
	pcCost
	pcShare
	pcChange
	pcTrend
)

// productColumns fit an 80-column screen with product, cost and change
// (room for a change in money and percent, "+$412  +12.1%"), then share;
// wider screens add the trend, usage and category. The anomaly gutter is
// there from 46 columns.
var productColumns = []table.Column{
	pcMarker:   {Key: "marker", Title: "", Width: 1, Priority: 1},
	pcProduct:  {Key: "product", Title: "Product", Width: 30, Min: 16, Flex: 3, Max: 56, Priority: 0, Elide: true},
	pcCategory: {Key: "category", Title: "Category", Width: 10, Flex: 1, Max: 24, Priority: 5},
	pcUsage:    {Key: "usage", Title: "Usage", Width: 20, Right: true, Priority: 4},
	pcCost:     {Key: "cost", Title: "Cost", Width: 13, Right: true, Priority: 0},
	pcShare:    {Key: "share", Title: "Share", Width: 7, Right: true, Priority: 2},
	pcChange:   {Key: "change", Title: "Change", Width: productChangeWidth, Right: true, Priority: 1},
	pcTrend:    {Key: "trend", Title: "Trend", Width: 20, Flex: 4, Priority: 3},
}

// productChangeWidth holds a change in money and percent, "+$1,412  +12.1%".
const productChangeWidth = 16

// productSortColumns maps display columns to the state sort they use.
var productSortColumns = map[int]state.ProductColumn{
	pcProduct:  state.ProductName,
	pcCategory: state.ProductCategory,
	pcUsage:    state.ProductUsage,
	pcCost:     state.ProductCost,
	pcShare:    state.ProductShare,
	pcChange:   state.ProductChange,
}

// productsView is the default screen: one row per product over the period.
type productsView struct {
	theme theme
	pv    *state.ProductView
	store *state.Store
	tbl   *table.Model[state.ProductKey, int32]
	spark *sparkCache // each row's trend, drawn once per change

	// changes holds each product's change versus the previous period,
	// per day; nil until the comparison has loaded ("-" shows).
	changes map[state.ProductKey]state.Change
	// flagged counts anomalies per product, for the marker column.
	flagged map[state.ProductKey]int

	// today is the current UTC day; trendPoints is how many points of
	// each series the trend draws: under DAILY, the days before today,
	// since today's part-day would end every trend with a fall.
	today       func() api.Date
	trendPoints int
	// loadedPoints is how many points from the start are loaded: all
	// once the store is done, else through its last loaded day.
	loadedPoints int
}

func newProductsView(th theme, today func() api.Date) *productsView {
	v := &productsView{theme: th, pv: state.NewProductView(state.ProductCost, true), spark: newSparkCache(th.ascii, th.glyphs.NoData), today: today}
	v.tbl = table.New(productColumns, v.keyOf, v.cell, th.tableStyles(), th.tableGlyphs())
	v.tbl.SetSort(productColumns[pcCost].Key, true)
	return v
}

func (v *productsView) Name() string { return "Products" }

func (v *productsView) SetSize(w, h int) { v.tbl.SetSize(w, h) }

func (v *productsView) Nav() navigator { return v.tbl }

func (v *productsView) View() string { return v.tbl.View() }

func (v *productsView) SetEmptyText(s string) { v.tbl.SetEmptyText(s) }

func (v *productsView) WantsAllPages() bool { return true }

func (v *productsView) NearEnd() bool { return false }

func (v *productsView) keyOf(i int32) state.ProductKey {
	return v.store.Products()[i].Key()
}

// Sync re-reads the rollups: every row may have changed, so every cached
// line goes (there are at most a few hundred).
func (v *productsView) Sync(s *state.Store) {
	if s != v.store {
		// The trend's title gives its dates: the sparklines have no axis.
		start, end := s.Bounds()
		v.tbl.SetTitle(pcTrend, "Trend "+start.Time().Format("01-02")+".."+end.Time().Format("01-02"))
		// A trend uses at most sparkStretch cells per point.
		v.tbl.SetColumnMax(pcTrend, max(productColumns[pcTrend].Width, s.Points()*sparkStretch))
		v.spark.reset()
		v.trendPoints = s.Points()
		if start, _ := s.Bounds(); s.Query().Agg() == api.Daily && v.today != nil {
			// On the period's first day the part-day is all there is.
			if t := v.today(); t > start && int(t-start) < s.Points() {
				v.trendPoints = int(t - start)
			}
		}
	}
	v.store = s
	v.loadedPoints = s.Points()
	if start, _ := s.Bounds(); !s.Done() && s.Query().Agg() == api.Daily {
		// Days past the last one loaded are not known yet, not zero.
		v.loadedPoints = max(int(s.LoadedThrough()-start)+1, 0)
		if s.Len() == 0 {
			v.loadedPoints = 0
		}
	}
	v.pv.Sync(s)
	v.tbl.InvalidateAll()
	v.tbl.SetRows(v.pv.Rows())
}

func (v *productsView) SetFilter(text string) {
	v.pv.SetFilter(text)
	v.tbl.SetRows(v.pv.Rows())
}

// NextSort moves to the next shown sortable column to the right.
func (v *productsView) NextSort() { v.stepSort(1) }

// PrevSort moves to the next shown sortable column to the left.
func (v *productsView) PrevSort() { v.stepSort(-1) }

// SortBy sorts by display column col when it can be sorted; a click on
// the column already sorted by reverses it.
func (v *productsView) SortBy(col int) {
	sc, ok := productSortColumns[col]
	if !ok {
		return
	}
	if cur, _ := v.pv.Sort(); cur == sc {
		v.ReverseSort()
		return
	}
	v.setSort(col, sc, sc != state.ProductName && sc != state.ProductCategory)
}

// SortKey returns the sorted column's key and direction.
func (v *productsView) SortKey() (string, bool) { return v.tbl.Sort() }

// SetSortKey sorts by the column named key.
func (v *productsView) SetSortKey(key string, desc bool) bool {
	for i, c := range productColumns {
		if sc, ok := productSortColumns[i]; ok && c.Key == key {
			v.setSort(i, sc, desc)
			return true
		}
	}
	return false
}

// stepSort moves the sort dir shown sortable columns along, wrapping.
func (v *productsView) stepSort(dir int) {
	col, _ := v.pv.Sort()
	cur := pcCost
	for i, c := range productSortColumns {
		if c == col {
			cur = i
		}
	}
	shown := v.tbl.ShownColumns()
	n := len(productColumns)
	for step := 1; step <= n; step++ {
		next := ((cur+dir*step)%n + n) % n
		sc, ok := productSortColumns[next]
		if !ok || !slices.Contains(shown, next) {
			continue
		}
		v.setSort(next, sc, sc != state.ProductName && sc != state.ProductCategory)
		return
	}
}

func (v *productsView) ReverseSort() {
	col, desc := v.pv.Sort()
	for i, c := range productSortColumns {
		if c == col {
			v.setSort(i, col, !desc)
			return
		}
	}
}

func (v *productsView) setSort(display int, col state.ProductColumn, desc bool) {
	v.pv.SetSort(col, desc)
	v.tbl.SetSort(productColumns[display].Key, desc)
	v.tbl.SetRows(v.pv.Rows())
}

// trendPoints is how much of series a trend draws: the first n points,
// unless nothing was charged in them, when the rest (today's charge, such
// as a monthly fee) is all there is to show.
func trendPoints(series []float64, n int) int {
	for _, x := range series[:min(n, len(series))] {
		if x != 0 {
			return n
		}
	}
	return len(series)
}

// ShownTotals sums the cost of the rows the filter leaves, per currency.
func (v *productsView) ShownTotals() []state.CurrencyTotal {
	var ts []state.CurrencyTotal
	all := v.store.Products()
	for _, i := range v.pv.Rows() {
		ts = sumTotals(ts, all[i].Currency, all[i].Cost)
	}
	return ts
}

// SetChanges installs each product's change versus the previous period;
// nil shows "-" until the comparison has loaded.
func (v *productsView) SetChanges(changes map[state.ProductKey]state.Change) {
	v.changes = changes
	if changes == nil {
		v.pv.ChangeOf = nil
	} else {
		v.pv.ChangeOf = func(row int32) (float64, bool) {
			c, ok := changes[v.store.Products()[row].Key()]
			return c.Percent, ok && !c.New
		}
	}
	v.pv.Sync(v.store)
	v.tbl.InvalidateAll()
	v.tbl.SetRows(v.pv.Rows())
}

// SetFlagged installs the per-product anomaly counts.
func (v *productsView) SetFlagged(m map[state.ProductKey]int) {
	v.flagged = m
	v.tbl.InvalidateAll()
}

func (v *productsView) cell(i int32, col, width int) table.Cell {
	p := &v.store.Products()[i]
	st := &v.theme.styles
	switch col {
	case pcMarker:
		if v.flagged[p.Key()] > 0 {
			return table.Cell{Text: v.theme.glyphs.Anomaly, Style: &st.Anomaly}
		}
		return table.Cell{}
	case pcProduct:
		return table.Cell{Text: safetext.Clean(p.Name)}
	case pcCategory:
		return table.Cell{Text: safetext.Clean(p.Category), Style: &st.Muted}
	case pcUsage:
		if p.MixedUnits {
			return table.Cell{Text: "mixed units", Style: &st.Muted}
		}
		return table.Cell{Text: formatQuantity(p.Usage) + " " + safetext.Clean(p.Unit)}
	case pcCost:
		return table.Cell{Text: fitMoney(p.Cost, p.Currency, v.theme.ascii, width), Style: &st.Money}
	case pcShare:
		return table.Cell{Text: formatPercent(p.Share)}
	case pcChange:
		c, ok := v.changes[p.Key()]
		switch {
		case !ok:
			return table.Cell{Text: "-", Style: &st.Muted}
		case c.New:
			return table.Cell{Text: c.String(), Style: &st.Muted}
		case c.Percent >= 0.05:
			return table.Cell{Text: c.String(), Style: &st.Up}
		case c.Percent <= -0.05:
			return table.Cell{Text: c.String(), Style: &st.Down}
		}
		return table.Cell{Text: c.String()}
	case pcTrend:
		known := min(trendPoints(p.Series, v.trendPoints), v.loadedPoints)
		return table.Cell{Text: v.spark.line(p, width, known), Style: &st.Trend}
	}
	return table.Cell{}
}

// Export copies the shown rows, every column, exact amounts, text
// sanitised as on screen.
func (v *productsView) Export(q state.Query) exportJob {
	// The headless export's column names, plus what only the screen has.
	header := []string{"product_name", "product_category", "usage_amount", "usage_unit",
		"cost_amount", "currency", "share", "change", "anomalies"}
	all := v.store.Products()
	rows := make([][]string, 0, len(v.pv.Rows()))
	for _, i := range v.pv.Rows() {
		p := &all[i]
		usage, unit := p.Usage.String(), p.Unit
		if p.MixedUnits {
			usage, unit = "", export.MixedUnits
		}
		change := ""
		if c, ok := v.changes[p.Key()]; ok {
			change = c.String()
		}
		// Text as shown: a name that would retitle the terminal on screen
		// would do the same to whoever cats the file.
		rows = append(rows, []string{safetext.Clean(p.Name), safetext.Clean(p.Category), usage, safetext.Clean(unit), p.Cost.String(), safetext.Clean(p.Currency),
			strconv.FormatFloat(p.Share, 'f', 4, 64), change, strconv.Itoa(v.flagged[p.Key()])})
	}
	return exportJob{base: exportBase("products", q, v.store), rows: len(rows), write: csvWriter(header, rows)}
}

// csvWriter writes header and rows as CSV.
func csvWriter(header []string, rows [][]string) func(io.Writer) error {
	return func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		return cw.WriteAll(rows)
	}
}

// exportBase names an export after the view and the query's dates.
func exportBase(viewName string, q state.Query, s *state.Store) string {
	start, end := s.Bounds()
	name := q.GroupName
	if name == "" {
		name = strings.TrimPrefix(q.GroupID, "commerce_billingprofile_")
	}
	return "usagetop-" + fileSafe(name) + "-" + viewName + "-" + start.String() + "_" + end.String()
}

// fileSafe keeps letters, digits, '-' and '_' of s, so a group name cannot
// steer the file name into another directory.
func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ' || r == '.':
			b.WriteByte('-')
		}
		if b.Len() >= 40 {
			break
		}
	}
	if b.Len() == 0 {
		return "group"
	}
	return b.String()
}

// ClickHeader sorts by the column clicked in the header line.
func (v *productsView) ClickHeader(x, y int) bool { return clickHeader(v.tbl, x, y, 0, v.SortBy) }

// ClickRow moves the cursor to the row clicked.
func (v *productsView) ClickRow(y int) (int, bool) { return clickRow(v.tbl, y, 0) }
