package state

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ProductColumn is a sortable column of the Products view.
type ProductColumn int

// Products view columns, in the order `s` cycles through them.
const (
	ProductCost ProductColumn = iota
	ProductName
	ProductCategory
	ProductUsage
	ProductShare
	ProductDays
	ProductFirst
	ProductLast
	// ProductChange sorts by change versus the previous period, read
	// through ProductView.ChangeOf; rows without a value sort last.
	ProductChange
)

// ProductColumns lists every ProductColumn in cycling order.
var ProductColumns = []ProductColumn{
	ProductCost, ProductName, ProductCategory, ProductUsage, ProductShare,
	ProductDays, ProductFirst, ProductLast, ProductChange,
}

var productColumnNames = [...]string{"Cost", "Product", "Category", "Usage", "Share", "Days", "First", "Last", "Change"}

// String returns the column's header name.
func (c ProductColumn) String() string {
	if c >= 0 && int(c) < len(productColumnNames) {
		return productColumnNames[c]
	}
	return "ProductColumn(" + strconv.Itoa(int(c)) + ")"
}

// Next returns the column after c in cycling order, wrapping around.
func (c ProductColumn) Next() ProductColumn {
	return ProductColumns[(slices.Index(ProductColumns, c)+1)%len(ProductColumns)]
}

// RecordColumn is a sortable column of the Records view.
type RecordColumn int

// Records view columns, in the order `s` cycles through them.
const (
	RecordDate RecordColumn = iota
	RecordProduct
	RecordCategory
	RecordUsage
	RecordUnit
	RecordCost
	RecordCurrency
)

// RecordColumns lists every RecordColumn in cycling order.
var RecordColumns = []RecordColumn{
	RecordDate, RecordProduct, RecordCategory, RecordUsage, RecordUnit, RecordCost, RecordCurrency,
}

var recordColumnNames = [...]string{"Date", "Product", "Category", "Usage", "Unit", "Cost", "Currency"}

// String returns the column's header name.
func (c RecordColumn) String() string {
	if c >= 0 && int(c) < len(recordColumnNames) {
		return recordColumnNames[c]
	}
	return "RecordColumn(" + strconv.Itoa(int(c)) + ")"
}

// Next returns the column after c in cycling order, wrapping around.
func (c RecordColumn) Next() RecordColumn {
	return RecordColumns[(slices.Index(RecordColumns, c)+1)%len(RecordColumns)]
}

// compareText orders strings case-insensitively, then byte-wise so the
// order is total. It folds rune by rune rather than lower-casing whole
// strings, so sorting allocates nothing.
func compareText(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ra, na := rune(a[i]), 1
		if ra >= utf8.RuneSelf {
			ra, na = utf8.DecodeRuneInString(a[i:])
		}
		rb, nb := rune(b[j]), 1
		if rb >= utf8.RuneSelf {
			rb, nb = utf8.DecodeRuneInString(b[j:])
		}
		if ra != rb {
			if la, lb := unicode.ToLower(ra), unicode.ToLower(rb); la != lb {
				return cmp.Compare(la, lb)
			}
		}
		i, j = i+na, j+nb
	}
	switch {
	case i < len(a):
		return 1
	case j < len(b):
		return -1
	}
	return strings.Compare(a, b)
}

// SortProducts orders the row indices in order (indices into rows) by col,
// descending when desc. Cost, usage, share and change are read from figs,
// the figures over the days that count, when it is set (and has the
// row); otherwise from the rollups, with no change. Ties are broken,
// always ascending, by product name, category and currency, so the order
// is deterministic. Rows with mixed units under ProductUsage, and rows
// with no change (none loaded yet, or new) under ProductChange, sort last
// in either direction.
func SortProducts(rows []ProductRollup, order []int32, col ProductColumn, desc bool, figs *Figures) {
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &rows[i], &rows[j]
		c, last := compareProducts(a, b, figs.Of(a.Key()), figs.Of(b.Key()), col)
		switch {
		case last != 0:
			return last
		case c != 0 && desc:
			return -c
		case c != 0:
			return c
		}
		return productTieBreak(a, b)
	})
}

// sortValues are the figures of a row a sort compares.
type sortValues struct {
	cost, usage Amount
	mixed       bool
	share       float64
	change      float64
	hasChange   bool
}

func valuesOf(p *ProductRollup, f *ProductFigure) sortValues {
	if f == nil {
		return sortValues{cost: p.Cost, usage: p.Usage, mixed: p.MixedUnits, share: p.Share}
	}
	return sortValues{cost: f.Cost, usage: f.Usage, mixed: f.MixedUnits, share: f.Share,
		change: f.Change.Percent, hasChange: f.Compared && !f.Change.New}
}

// compareProducts compares on col alone. last is non-zero when one of the
// two has no value there and must sort after the other in any direction.
func compareProducts(a, b *ProductRollup, fa, fb *ProductFigure, col ProductColumn) (c, last int) {
	switch col {
	case ProductName:
		return compareText(a.Name, b.Name), 0
	case ProductCategory:
		return compareText(a.Category, b.Category), 0
	case ProductDays:
		return cmp.Compare(a.Days, b.Days), 0
	case ProductFirst:
		return cmp.Compare(a.First, b.First), 0
	case ProductLast:
		return cmp.Compare(a.Last, b.Last), 0
	}
	va, vb := valuesOf(a, fa), valuesOf(b, fb)
	switch col {
	case ProductCost:
		return va.cost.Cmp(vb.cost), 0
	case ProductUsage:
		if va.mixed != vb.mixed {
			return 0, boolLast(va.mixed)
		}
		return va.usage.Cmp(vb.usage), 0
	case ProductShare:
		return cmp.Compare(va.share, vb.share), 0
	case ProductChange:
		if va.hasChange != vb.hasChange {
			return 0, boolLast(!va.hasChange)
		}
		return cmp.Compare(va.change, vb.change), 0
	}
	return 0, 0
}

// boolLast returns +1 when the first operand is the one to put last.
func boolLast(firstIsLast bool) int {
	if firstIsLast {
		return 1
	}
	return -1
}

func productTieBreak(a, b *ProductRollup) int {
	if c := compareText(a.Name, b.Name); c != 0 {
		return c
	}
	if c := compareText(a.Category, b.Category); c != 0 {
		return c
	}
	return strings.Compare(a.Currency, b.Currency)
}

// ProductView is the Products view's visible rows: indices into
// Store.Products, filtered and sorted. It is cheap to rebuild (one row per
// product), so every change rebuilds it.
type ProductView struct {
	col    ProductColumn
	desc   bool
	filter string
	rows   []int32
	store  *Store

	// Figures, when set, are the rows' figures over the days that count:
	// cost, usage, share and change sort by them.
	Figures *Figures
}

// NewProductView returns a view sorted by col (cost, descending, is the
// dashboard's default).
func NewProductView(col ProductColumn, desc bool) *ProductView {
	return &ProductView{col: col, desc: desc}
}

// Sync rebuilds the view over s's current rows; call it after each Append
// and when the store changes.
func (v *ProductView) Sync(s *Store) {
	v.store = s
	v.rebuild()
}

// SetSort changes the sort and reorders.
func (v *ProductView) SetSort(col ProductColumn, desc bool) {
	v.col, v.desc = col, desc
	v.rebuild()
}

// SetFilter changes the filter text (case-insensitive substring of product
// name or category) and refilters.
func (v *ProductView) SetFilter(text string) {
	v.filter = text
	v.rebuild()
}

// Sort returns the sort column and direction.
func (v *ProductView) Sort() (ProductColumn, bool) { return v.col, v.desc }

// Filter returns the filter text.
func (v *ProductView) Filter() string { return v.filter }

// Rows returns the visible row indices into Store.Products, in order. The
// slice is owned by the view and replaced by the next change.
func (v *ProductView) Rows() []int32 { return v.rows }

// Len returns the number of visible rows.
func (v *ProductView) Len() int { return len(v.rows) }

// Index returns the position of the row with key in Rows, or -1, so the
// cursor can follow a product across sorts, filters and reloads.
func (v *ProductView) Index(key ProductKey) int {
	if v.store == nil {
		return -1
	}
	all := v.store.Products()
	for pos, i := range v.rows {
		if all[i].Name == key.Name && all[i].Category == key.Category && all[i].Currency == key.Currency {
			return pos
		}
	}
	return -1
}

func (v *ProductView) rebuild() {
	if v.store == nil {
		v.rows = nil
		return
	}
	all := v.store.Products()
	// A fresh slice: the UI may still hold the previous one.
	v.rows = make([]int32, 0, len(all))
	f := strings.ToLower(v.filter)
	for i := range all {
		if v.store.prods[all[i].prod].matches(f) {
			v.rows = append(v.rows, int32(i))
		}
	}
	SortProducts(all, v.rows, v.col, v.desc, v.Figures)
}
