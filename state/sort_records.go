package state

import (
	"cmp"
	"slices"
	"strings"
)

// RecordView is the Records view's visible rows: indices into a Store's
// records, sorted by a column and filtered by text. It is built for
// 100,000 records and more:
//
//   - sorting works on a compact key per record (the column as an exact
//     int64 where it can be, string columns as precomputed ranks) rather
//     than chasing records and strings on every comparison;
//   - records appended since the last Sync are sorted alone and merged in;
//   - a filter matches each distinct product once, and a filter that
//     extends the previous one narrows the rows already shown, keeping
//     their order, instead of starting over.
type RecordView struct {
	col    RecordColumn
	desc   bool
	filter string // lower-cased

	store *Store
	keys  []recKey // every synced record, in sort order
	rows  []int32  // visible records, in sort order

	ranks  []int32 // sort rank of each interned string id
	exp    int32   // exponent of int64 amount keys
	approx bool    // amounts did not fit int64 keys: compare exactly instead

	match  []bool // per product id: matches filter
	nmatch int    // products match covers
}

// recKey is one record's sort key, 24 bytes.
type recKey struct {
	v    int64 // the column: a date, a string rank or an amount mantissa at exp
	name int32 // tie-breaks: product name rank, category rank, start date
	cat  int32
	date int32
	idx  int32 // record index: the final tie-break
}

// NewRecordView returns an empty view sorted by col.
func NewRecordView(col RecordColumn, desc bool) *RecordView {
	return &RecordView{col: col, desc: desc}
}

// Sort returns the sort column and direction.
func (v *RecordView) Sort() (RecordColumn, bool) { return v.col, v.desc }

// Filter returns the filter text as given, lower-cased.
func (v *RecordView) Filter() string { return v.filter }

// Rows returns the visible record indices, in order. The slice is owned by
// the view; do not modify it.
func (v *RecordView) Rows() []int32 { return v.rows }

// Len returns the number of visible records.
func (v *RecordView) Len() int { return len(v.rows) }

// Index returns the position of record in Rows, or -1; the cursor follows
// a record across sorts and filters by its index.
func (v *RecordView) Index(record int32) int {
	return slices.Index(v.rows, record)
}

// Sync brings the view up to date with s: all of it when s is a different
// store (a new generation), else only the records appended since the last
// Sync, merged into place.
func (v *RecordView) Sync(s *Store) {
	if s != v.store {
		v.store = s
		v.keys, v.rows, v.match, v.nmatch = nil, nil, nil, 0
		v.ranks, v.exp, v.approx = nil, 0, false
		if s != nil {
			v.resort()
		}
		return
	}
	if s == nil || len(v.keys) == s.Len() {
		return
	}
	if v.ranksStale() || v.amountsStale(len(v.keys)) {
		v.resort()
		return
	}
	fresh := v.buildKeys(len(v.keys), s.Len())
	v.sortKeys(fresh)
	v.keys = v.mergeKeys(v.keys, fresh)
	v.refilter(false)
}

// SetSort changes the sort column and direction and reorders.
func (v *RecordView) SetSort(col RecordColumn, desc bool) {
	if col == v.col && desc == v.desc {
		return
	}
	v.col, v.desc = col, desc
	v.resort()
}

// SetFilter sets the filter text: a case-insensitive substring of the
// product name or category. Typing one more character only narrows the
// rows already visible.
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

// resort rebuilds every key and sorts them.
func (v *RecordView) resort() {
	if v.store == nil {
		return
	}
	v.ranks = v.ranks[:0]
	v.ranksStale()
	v.approx, v.exp = false, 0
	v.amountsStale(0)
	v.keys = v.buildKeys(0, v.store.Len())
	v.sortKeys(v.keys)
	v.refilter(false)
}

// ranksStale brings string ranks up to date, reporting whether new strings
// arrived (which can change every existing rank).
func (v *RecordView) ranksStale() bool {
	strs := v.store.strs.strs
	if len(v.ranks) == len(strs) {
		return false
	}
	order := make([]int32, len(strs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return compareText(strs[a], strs[b]) })
	v.ranks = make([]int32, len(strs))
	for r, id := range order {
		v.ranks[id] = int32(r)
	}
	return true
}

// amountsStale checks whether records from `from` on fit the int64 amount
// keys at v.exp, lowering v.exp when a finer amount arrives (from 0: it
// starts over). It reports whether keys built before from must be rebuilt.
func (v *RecordView) amountsStale(from int) bool {
	if v.col != RecordUsage && v.col != RecordCost || v.approx {
		return false
	}
	recs := v.store.recs
	e := v.exp
	if from == 0 {
		e = 0
	}
	for i := from; i < len(recs); i++ {
		m, x := v.amountOf(&recs[i])
		if x == bigExp {
			v.approx = true
			return from > 0
		}
		if m != 0 {
			e = min(e, int32(x))
		}
	}
	check := from
	if e != v.exp {
		check = 0 // a finer exponent: every amount must rescale to it
	}
	for i := check; i < len(recs); i++ {
		m, x := v.amountOf(&recs[i])
		if _, ok := mulPow10(m, int32(x)-e); !ok {
			v.approx = true
			return from > 0
		}
	}
	stale := from > 0 && e != v.exp
	v.exp = e
	return stale
}

func (v *RecordView) amountOf(r *rec) (int64, int8) {
	if v.col == RecordUsage {
		return r.usage, r.usageE
	}
	return r.price, r.priceE
}

// buildKeys returns the keys of records from..to-1.
func (v *RecordView) buildKeys(from, to int) []recKey {
	s := v.store
	keys := make([]recKey, 0, to-from)
	for i := from; i < to; i++ {
		r := &s.recs[i]
		p := &s.prods[r.prod]
		k := recKey{
			name: v.ranks[s.strs.ids[p.name]],
			cat:  v.ranks[s.strs.ids[p.category]],
			date: int32(r.start),
			idx:  int32(i),
		}
		switch v.col {
		case RecordDate:
			k.v = int64(r.start)
		case RecordProduct:
			k.v = int64(k.name)
		case RecordCategory:
			k.v = int64(k.cat)
		case RecordUnit:
			k.v = int64(v.ranks[r.unit])
		case RecordCurrency:
			k.v = int64(v.ranks[r.cur])
		case RecordUsage, RecordCost:
			if !v.approx {
				m, x := v.amountOf(r)
				k.v, _ = mulPow10(m, int32(x)-v.exp)
			}
		}
		keys = append(keys, k)
	}
	return keys
}

// compareKeys orders two keys: the column (reversed when descending), then
// always ascending product name, category, date and arrival.
func (v *RecordView) compareKeys(a, b *recKey) int {
	c := cmp.Compare(a.v, b.v)
	if v.approx && (v.col == RecordUsage || v.col == RecordCost) {
		ra, rb := &v.store.recs[a.idx], &v.store.recs[b.idx]
		ma, xa := v.amountOf(ra)
		mb, xb := v.amountOf(rb)
		c = v.store.unpack(ma, xa).Cmp(v.store.unpack(mb, xb))
	}
	if c != 0 {
		if v.desc {
			return -c
		}
		return c
	}
	if a.name != b.name {
		return cmp.Compare(a.name, b.name)
	}
	if a.cat != b.cat {
		return cmp.Compare(a.cat, b.cat)
	}
	if a.date != b.date {
		return cmp.Compare(a.date, b.date)
	}
	return cmp.Compare(a.idx, b.idx)
}

func (v *RecordView) sortKeys(keys []recKey) {
	slices.SortFunc(keys, func(a, b recKey) int { return v.compareKeys(&a, &b) })
}

// mergeKeys merges two sorted key runs into a new slice.
func (v *RecordView) mergeKeys(a, b []recKey) []recKey {
	out := make([]recKey, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if v.compareKeys(&b[j], &a[i]) < 0 {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// refilter rebuilds rows from the keys, or, when narrow, from the rows
// already visible (valid when the new filter contains the old one).
func (v *RecordView) refilter(narrow bool) {
	if v.store == nil {
		return
	}
	if v.filter == "" {
		rows := make([]int32, len(v.keys))
		for i := range v.keys {
			rows[i] = v.keys[i].idx
		}
		v.rows = rows
		return
	}
	v.matchProducts()
	recs := v.store.recs
	if narrow {
		// Filter in a fresh slice: the UI may still be showing the old one.
		rows := make([]int32, 0, len(v.rows))
		for _, i := range v.rows {
			if v.match[recs[i].prod] {
				rows = append(rows, i)
			}
		}
		v.rows = rows
		return
	}
	rows := make([]int32, 0, len(v.keys)/4)
	for i := range v.keys {
		if idx := v.keys[i].idx; v.match[recs[idx].prod] {
			rows = append(rows, idx)
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
