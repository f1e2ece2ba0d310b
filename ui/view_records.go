package ui

import (
	"io"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/export"
	"github.com/usagetop/usagetop/state/safetext"
	"github.com/usagetop/usagetop/ui/table"
)

// Records view column indices, in display order.
const (
	rcDate = iota
	rcProduct
	rcCategory
	rcUsage
	rcUnit
	rcCost
	rcCurrency
)

var recordColumns = []table.Column{
	rcDate:     {Key: "date", Title: "Date", Width: 10, Priority: 0},
	rcProduct:  {Key: "product", Title: "Product", Width: 30, Min: 16, Flex: 3, Max: 56, Priority: 0, Elide: true},
	rcCategory: {Key: "category", Title: "Category", Width: 12, Flex: 1, Max: 32, Priority: 3},
	rcUsage:    {Key: "usage", Title: "Usage", Width: 14, Right: true, Priority: 1},
	rcUnit:     {Key: "unit", Title: "Unit", Width: 10, Priority: 2},
	rcCost:     {Key: "cost", Title: "Cost", Width: 12, Right: true, Priority: 0},
	rcCurrency: {Key: "currency", Title: "Cur", Width: 3, Priority: 2},
}

// recordSortColumns maps display columns to the state sort they use.
var recordSortColumns = []state.RecordColumn{
	rcDate:     state.RecordDate,
	rcProduct:  state.RecordProduct,
	rcCategory: state.RecordCategory,
	rcUsage:    state.RecordUsage,
	rcUnit:     state.RecordUnit,
	rcCost:     state.RecordCost,
	rcCurrency: state.RecordCurrency,
}

// recordsView shows the raw records, one row each. Rows are record
// indices, which never change within a generation, so a row's rendered
// line stays cached until the query changes.
type recordsView struct {
	theme theme
	rv    *state.RecordView
	store *state.Store
	tbl   *table.Model[int32, int32]

	// The most decimal places among the loaded usage amounts and prices,
	// so each column lines up on its decimal point while every amount
	// still shows exactly as billed; scanned records have been counted.
	usagePlaces, pricePlaces int
	scanned                  int

	// totals caches ShownTotals for the rows it was summed over: the
	// status bar asks on every spinner frame, and walking a million
	// matching records each time would stall the keyboard.
	totals     []state.CurrencyTotal
	totalsRows []int32
}

// maxAlignPlaces bounds the decimal places the columns are padded to: one
// price with eighteen decimals must not push every other to the left.
const maxAlignPlaces = 6

func newRecordsView(th theme) *recordsView {
	v := &recordsView{theme: th, rv: state.NewRecordView(state.RecordDate, false)}
	v.tbl = table.New(recordColumns, func(i int32) int32 { return i }, v.cell, th.tableStyles(), th.tableGlyphs())
	v.tbl.SetSort(recordColumns[rcDate].Key, false)
	return v
}

func (v *recordsView) Name() string { return "Records" }

func (v *recordsView) SetSize(w, h int) { v.tbl.SetSize(w, h) }

func (v *recordsView) Nav() navigator { return v.tbl }

func (v *recordsView) View() string { return v.tbl.View() }

func (v *recordsView) SetEmptyText(s string) { v.tbl.SetEmptyText(s) }

func (v *recordsView) WantsAllPages() bool { return false }

// NearEnd is true when the cursor is within one screen of the last
// loaded row.
func (v *recordsView) NearEnd() bool {
	return v.tbl.Cursor() >= v.tbl.Len()-v.tbl.VisibleRows()
}

// Sync takes in appended records; a new store (new generation) starts
// over, since record indices then name other records.
func (v *recordsView) Sync(s *state.Store) {
	if s != v.store {
		v.tbl.InvalidateAll()
		v.tbl.ResetCursor()
		v.usagePlaces, v.pricePlaces, v.scanned = 0, 0, 0
	}
	v.store = s
	up, pp := v.usagePlaces, v.pricePlaces
	for ; v.scanned < s.Len(); v.scanned++ {
		r := s.Row(v.scanned)
		up = max(up, min(fracDigits(r.Usage), maxAlignPlaces))
		pp = max(pp, min(fracDigits(r.Price), maxAlignPlaces))
	}
	if up != v.usagePlaces || pp != v.pricePlaces {
		v.usagePlaces, v.pricePlaces = up, pp
		v.tbl.InvalidateAll() // drawn rows were aligned to fewer places
	}
	v.rv.Sync(s)
	v.tbl.SetRows(v.rv.Rows())
}

func (v *recordsView) SetFilter(text string) {
	v.rv.SetFilter(text)
	v.tbl.SetRows(v.rv.Rows())
}

// ShownTotals sums the price of the records the filter leaves, per
// currency.
func (v *recordsView) ShownTotals() []state.CurrencyTotal {
	rows := v.rv.Rows()
	if len(rows) == len(v.totalsRows) && (len(rows) == 0 || &rows[0] == &v.totalsRows[0]) {
		return v.totals // the same row slice: a new filter, sort or page makes a new one
	}
	var ts []state.CurrencyTotal
	for _, i := range rows {
		r := v.store.Row(int(i))
		ts = state.AddTotal(ts, r.Currency, r.Price)
	}
	v.totals, v.totalsRows = ts, rows
	return ts
}

// NextSort moves to the next shown column to the right.
func (v *recordsView) NextSort() { v.stepSort(1) }

// PrevSort moves to the next shown column to the left.
func (v *recordsView) PrevSort() { v.stepSort(-1) }

// SortBy sorts by display column col; a click on the column already
// sorted by reverses it.
func (v *recordsView) SortBy(col int) {
	if col < 0 || col >= len(recordSortColumns) {
		return
	}
	sc := recordSortColumns[col]
	if cur, _ := v.rv.Sort(); cur == sc {
		v.ReverseSort()
		return
	}
	v.setSort(col, sc, sc == state.RecordUsage || sc == state.RecordCost)
}

// SortKey returns the sorted column's key and direction.
func (v *recordsView) SortKey() (string, bool) { return v.tbl.Sort() }

// SetSortKey sorts by the column named key.
func (v *recordsView) SetSortKey(key string, desc bool) bool {
	for i, c := range recordColumns {
		if c.Key == key {
			v.setSort(i, recordSortColumns[i], desc)
			return true
		}
	}
	return false
}

// stepSort moves the sort dir shown columns along, wrapping.
func (v *recordsView) stepSort(dir int) {
	col, _ := v.rv.Sort()
	cur := 0
	for i, c := range recordSortColumns {
		if c == col {
			cur = i
		}
	}
	if next, ok := nextSortColumn(cur, dir, len(recordColumns), v.tbl.ShownColumns(), nil); ok {
		sc := recordSortColumns[next]
		v.setSort(next, sc, sc == state.RecordUsage || sc == state.RecordCost)
	}
}

func (v *recordsView) ReverseSort() {
	col, desc := v.rv.Sort()
	for i, c := range recordSortColumns {
		if c == col {
			v.setSort(i, col, !desc)
			return
		}
	}
}

func (v *recordsView) setSort(display int, col state.RecordColumn, desc bool) {
	v.rv.SetSort(col, desc)
	v.tbl.SetSort(recordColumns[display].Key, desc)
	v.tbl.SetRows(v.rv.Rows())
}

func (v *recordsView) cell(i int32, col, width int) table.Cell {
	r := v.store.Row(int(i))
	st := &v.theme.styles
	switch col {
	case rcDate:
		return table.Cell{Text: r.StartDate.String()}
	case rcProduct:
		return table.Cell{Text: safetext.Clean(r.ProductName)}
	case rcCategory:
		return table.Cell{Text: safetext.Clean(r.ProductCategory), Style: &st.Muted}
	case rcUsage:
		return table.Cell{Text: alignPoint(formatExact(r.Usage), v.usagePlaces)}
	case rcUnit:
		return table.Cell{Text: safetext.Clean(r.Unit), Style: &st.Muted}
	case rcCost:
		return table.Cell{Text: fixedPlaces(formatExact(r.Price), v.pricePlaces), Style: &st.Money}
	case rcCurrency:
		return table.Cell{Text: safetext.Clean(r.Currency), Style: &st.Muted}
	}
	return table.Cell{}
}

// Export copies the shown records out of the store, in view order, text
// sanitised as on screen.
func (v *recordsView) Export(q state.Query) exportJob {
	rows := v.rv.Rows()
	recs := make([]api.Record, len(rows))
	for n, i := range rows {
		r := v.store.Record(int(i))
		r.ProductName, r.ProductCategory = safetext.Clean(r.ProductName), safetext.Clean(r.ProductCategory)
		r.Usage.Unit, r.Price.Currency = safetext.Clean(r.Usage.Unit), safetext.Clean(r.Price.Currency)
		recs[n] = r
	}
	return exportJob{
		base: exportBase("records", q, v.store),
		rows: len(recs),
		write: func(w io.Writer) error {
			return export.WriteRecords(w, export.FormatCSV, export.RecordSlice(recs))
		},
	}
}

// ClickHeader sorts by the column clicked in the header line.
func (v *recordsView) ClickHeader(x, y int) bool { return clickHeader(v.tbl, x, y, 0, v.SortBy) }

// ClickRow moves the cursor to the row clicked.
func (v *recordsView) ClickRow(y int) (int, bool) { return clickRow(v.tbl, y, 0) }
