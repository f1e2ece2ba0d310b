package ui

import (
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

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
const productChangeWidth = 18

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

	// figs are the generation's figures over the days that count: every
	// money column reads them (nil until the query starts).
	figs *state.Figures
	// flagged counts anomalies per product, for the marker column.
	flagged map[state.ProductKey]int

	// since is each product's change since the period was last fetched
	// (nil: nothing to compare); showSince puts it in the Change column,
	// titled sinceTitle ("since 3 h ago").
	since      map[state.ProductKey]sinceChange
	showSince  bool
	sinceTitle string

	// trendPoints is how many points of each series the trend draws: the
	// covered days under DAILY, since a day not complete would end every
	// trend with a fall.
	trendPoints int
	// loadedPoints is how many points from the start are loaded: all
	// once the store is done, else through its last loaded day.
	loadedPoints int
}

func newProductsView(th theme) *productsView {
	v := &productsView{theme: th, pv: state.NewProductView(state.ProductCost, true), spark: newSparkCache(th.ascii, th.glyphs.NoData)}
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
	next, ok := nextSortColumn(cur, dir, len(productColumns), v.tbl.ShownColumns(), func(i int) bool {
		_, ok := productSortColumns[i]
		return ok
	})
	if sc := productSortColumns[next]; ok {
		v.setSort(next, sc, sc != state.ProductName && sc != state.ProductCategory)
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

// ShownTotals sums the cost of the rows the filter leaves, per currency,
// over the days the figures cover.
func (v *productsView) ShownTotals() []state.CurrencyTotal {
	var ts []state.CurrencyTotal
	all := v.store.Products()
	for _, i := range v.pv.Rows() {
		ts = state.AddTotal(ts, all[i].Currency, v.costOf(&all[i]))
	}
	return ts
}

// SetFigures installs the generation's figures: cost, usage, share and
// change of every row, over the days they cover.
func (v *productsView) SetFigures(f *state.Figures) {
	v.figs = f
	v.pv.Figures = f
	if c := f.Cover; v.store != nil && v.store.Query().Agg() == api.Daily {
		v.trendPoints = max(c.Days(), 0)
	}
	v.spark.reset()
	v.pv.Sync(v.store)
	v.tbl.InvalidateAll()
	v.tbl.SetRows(v.pv.Rows())
}

// costOf is a row's cost over the covered days, or over what is loaded
// before the figures have it.
func (v *productsView) costOf(p *state.ProductRollup) state.Amount {
	if f := v.figs.Of(p.Key()); f != nil {
		return f.Cost
	}
	return p.Cost
}

// SetFlagged installs the per-product anomaly counts.
func (v *productsView) SetFlagged(m map[state.ProductKey]int) {
	v.flagged = m
	v.tbl.InvalidateAll()
}

func (v *productsView) cell(i int32, col, width int) table.Cell {
	p := &v.store.Products()[i]
	f := v.figs.Of(p.Key())
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
		usage, mixed := p.Usage, p.MixedUnits
		if f != nil {
			usage, mixed = f.Usage, f.MixedUnits
		}
		if mixed {
			return table.Cell{Text: "mixed units", Style: &st.Muted}
		}
		return table.Cell{Text: formatQuantity(usage) + " " + safetext.Clean(p.Unit)}
	case pcCost:
		return table.Cell{Text: fitMoney(v.costOf(p), p.Currency, v.theme.ascii, width), Style: &st.Money}
	case pcShare:
		share := p.Share
		if f != nil {
			share = f.Share
		}
		return table.Cell{Text: formatPercent(share)}
	case pcChange:
		if v.showSince {
			return v.sinceCell(p, width)
		}
		if f == nil || !f.Compared {
			return table.Cell{Text: "-", Style: &st.Muted}
		}
		return v.changeCell(f.Change, p.Currency, width)
	case pcTrend:
		// Days not complete, or not loaded, are drawn apart from a fall.
		return table.Cell{Text: v.spark.line(p, width, min(v.trendPoints, v.loadedPoints)), Style: &st.Trend}
	}
	return table.Cell{}
}

// changeCell shows a change as money and percent ("+$412  +12.1%"), the
// money dropped when the column is too narrow for both.
func (v *productsView) changeCell(c state.Change, currency string, width int) table.Cell {
	st := &v.theme.styles
	money := state.FormatSignedMoney(state.AmountOf(c.Money), currency, v.theme.ascii)
	// Money and percent, closer when tight; the percent alone at last.
	text := money + "  " + c.String()
	if ansi.StringWidth(text) > width {
		text = money + " " + c.String()
	}
	if ansi.StringWidth(text) > width {
		text = c.String()
	}
	switch {
	case c.New:
		return table.Cell{Text: text, Style: &st.Muted}
	case c.Percent >= 0.05:
		return table.Cell{Text: text, Style: &st.Up}
	case c.Percent <= -0.05:
		return table.Cell{Text: text, Style: &st.Down}
	}
	return table.Cell{Text: text}
}

// Export writes the shown rows in the products layout every products
// export shares (export.WriteProducts), so `e` here and
// `usagetop export --view products` write the same file.
func (v *productsView) Export(q state.Query) exportJob {
	rows := export.ProductRows(v.store, v.pv, v.figs, v.flagged)
	return exportJob{base: exportBase("products", q, v.store), rows: len(rows),
		write: func(w io.Writer) error { return export.WriteProducts(w, export.FormatCSV, rows) }}
}

// csvWriter writes header and rows as CSV, through the export's one CSV
// writer so a cell a spreadsheet would evaluate is neutralised here too.
func csvWriter(header []string, rows [][]string) func(io.Writer) error {
	return func(w io.Writer) error { return export.WriteCSV(w, header, rows) }
}

// exportBase names an export after the view and the query's dates.
func exportBase(viewName string, q state.Query, s *state.Store) string {
	start, end := s.Bounds()
	name := q.GroupName
	if name == "" {
		name = strings.TrimPrefix(q.GroupID, api.GroupIDPrefix)
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
