package state

import "strings"

// matches reports whether product p passes filter f, which is already
// lower-cased: a substring of the product's name or of its category
// (never of the two run together).
func (p *product) matches(f string) bool {
	return f == "" || strings.Contains(p.lowerName, f) || strings.Contains(p.lowerCategory, f)
}

// Filter returns the filter text, lower-cased.
func (v *RecordView) Filter() string { return v.filter }

// SetFilter sets the filter text: a case-insensitive substring of the
// product name or category. A keystroke that extends the filter only
// narrows the rows already visible.
func (v *RecordView) SetFilter(text string) {
	f := strings.ToLower(text)
	if f == v.filter {
		return
	}
	narrow := v.filter != "" && strings.Contains(f, v.filter)
	v.filter = f
	v.match, v.nmatch = v.match[:0], 0
	v.refilter(narrow)
}

// refilter rebuilds rows from every sorted record, or, when narrow, from
// the rows already visible (valid when the new filter contains the old).
// Either way the sort order is kept, so filtering never re-sorts.
func (v *RecordView) refilter(narrow bool) {
	if v.store == nil {
		return
	}
	if v.filter == "" {
		v.rows = v.all
		return
	}
	v.matchProducts()
	recs := &v.store.recs
	src := v.all
	if narrow {
		src = v.rows
	}
	// A fresh slice: the UI may still be showing the old one.
	rows := make([]int32, 0, len(src)/4)
	for _, i := range src {
		if v.match[recs.at(int(i)).prod] {
			rows = append(rows, i)
		}
	}
	v.rows = rows
}

// matchProducts decides, once per distinct product, whether it matches.
func (v *RecordView) matchProducts() {
	prods := v.store.prods
	for i := v.nmatch; i < len(prods); i++ {
		v.match = append(v.match, prods[i].matches(v.filter))
	}
	v.nmatch = len(prods)
}
