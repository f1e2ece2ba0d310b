package state

import (
	"cmp"
	"slices"
)

// RecordView is the Records view's visible rows: indices into a Store's
// records, sorted by a column and filtered by text. It is built for
// 100,000 records and more:
//
//   - each record gets two integer keys, the column (an exact int64
//     amount at a shared exponent, a date, or a string's rank) and a
//     tie-break (product name rank, category rank, date), so sorting is
//     two stable radix passes rather than a comparison sort chasing
//     strings and decimals;
//   - records appended since the last Sync are sorted alone and merged in;
//   - a filter matches each distinct product once, and a filter that
//     extends the previous one narrows the rows already shown, keeping
//     their order, instead of starting over.
//
// Amounts that do not fit an int64 at the shared exponent, and stores with
// over a million distinct strings, fall back to an exact comparison sort.
type RecordView struct {
	col    RecordColumn
	desc   bool
	filter string // lower-cased

	store *Store
	all   []int32  // every synced record, in sort order
	rows  []int32  // visible records, in sort order
	prim  []int64  // per record: the sort column as an integer
	tie   []uint64 // per record: the tie-break key

	ranks  []int32 // sort rank of each interned string id
	exp    int32   // exponent of amount keys in prim
	approx bool    // amounts do not fit prim: compare them exactly
	tieOK  bool    // tie holds valid keys

	match  []bool // per product id: matches filter
	nmatch int    // products match covers
}

// Tie-break key layout: name rank, category rank, date offset.
const (
	tieRankBits = 20
	tieDateBits = 24
	tieDateBias = 1 << (tieDateBits - 1)
)

// NewRecordView returns an empty view sorted by col.
func NewRecordView(col RecordColumn, desc bool) *RecordView {
	return &RecordView{col: col, desc: desc}
}

// Sort returns the sort column and direction.
func (v *RecordView) Sort() (RecordColumn, bool) { return v.col, v.desc }

// Rows returns the visible record indices, in order. The slice is owned by
// the view and replaced, never modified, by later calls.
func (v *RecordView) Rows() []int32 { return v.rows }

// Len returns the number of visible records.
func (v *RecordView) Len() int { return len(v.rows) }

// Index returns the position of record in Rows, or -1; the cursor follows
// a record across sorts and filters by its index.
func (v *RecordView) Index(record int32) int { return slices.Index(v.rows, record) }

// Sync brings the view up to date with s: all of it when s is a different
// store (a new generation), else only the records appended since the last
// Sync, merged into place.
func (v *RecordView) Sync(s *Store) {
	if s != v.store {
		*v = RecordView{col: v.col, desc: v.desc, filter: v.filter, store: s}
		v.resort()
		return
	}
	if s == nil || len(v.prim) == s.Len() {
		return
	}
	from := len(v.prim)
	if v.ranksChanged() || v.amountsRescaled(from) {
		v.resort()
		return
	}
	v.computeKeys(from)
	fresh := make([]int32, s.Len()-from)
	for i := range fresh {
		fresh[i] = int32(from + i)
	}
	v.order(fresh)
	v.all = v.merge(v.all, fresh)
	v.refilter(false)
}

// SetSort changes the sort column and direction and reorders.
func (v *RecordView) SetSort(col RecordColumn, desc bool) {
	if col == v.col && desc == v.desc {
		return
	}
	changed := col != v.col
	v.col, v.desc = col, desc
	if v.store == nil {
		return
	}
	if changed {
		v.approx = false
		v.amountsRescaled(0)
		v.prim = v.prim[:0]
		v.computeKeys(0)
	}
	v.sortAll()
}

// resort rebuilds every key and sorts.
func (v *RecordView) resort() {
	if v.store == nil {
		return
	}
	v.ranks, v.tieOK = nil, true
	v.ranksChanged() // may clear tieOK
	v.approx = false
	v.amountsRescaled(0)
	v.prim, v.tie = v.prim[:0], v.tie[:0]
	v.computeKeys(0) // may clear tieOK
	v.sortAll()
}

// sortAll orders every synced record afresh.
func (v *RecordView) sortAll() {
	all := make([]int32, len(v.prim))
	for i := range all {
		all[i] = int32(i)
	}
	v.order(all)
	v.all = all
	v.refilter(false)
}

// ranksChanged brings string ranks up to date, reporting whether new
// strings arrived (which can move every existing rank).
func (v *RecordView) ranksChanged() bool {
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
	if len(strs) >= 1<<tieRankBits {
		v.tieOK = false
	}
	return true
}

// amountsRescaled checks that records from `from` on fit int64 keys at
// the shared exponent, lowering it when a finer amount arrives (from 0:
// choosing it afresh). It reports whether keys already built must be
// rebuilt; an amount that cannot fit switches to exact comparison.
func (v *RecordView) amountsRescaled(from int) bool {
	if v.col != RecordUsage && v.col != RecordCost || v.approx {
		return false
	}
	recs := &v.store.recs
	e := v.exp
	if from == 0 {
		e = 0
	}
	for i := from; i < recs.len(); i++ {
		m, x := v.amountOf(recs.at(i))
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
	for i := check; i < recs.len(); i++ {
		m, x := v.amountOf(recs.at(i))
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

// computeKeys fills prim (and tie, where missing) for records from on.
func (v *RecordView) computeKeys(from int) {
	s := v.store
	for i := from; i < s.recs.len(); i++ {
		r := s.recs.at(i)
		var k int64
		switch v.col {
		case RecordDate:
			k = int64(r.start)
		case RecordProduct:
			k = int64(v.ranks[s.prods[r.prod].nameID])
		case RecordCategory:
			k = int64(v.ranks[s.prods[r.prod].catID])
		case RecordUnit:
			k = int64(v.ranks[r.unit])
		case RecordCurrency:
			k = int64(v.ranks[r.cur])
		case RecordUsage, RecordCost:
			if !v.approx {
				m, x := v.amountOf(r)
				k, _ = mulPow10(m, int32(x)-v.exp)
			}
		}
		v.prim = append(v.prim, k)
		if i < len(v.tie) {
			continue
		}
		p := &s.prods[r.prod]
		off := int64(r.start) - int64(s.start) + tieDateBias
		if off < 0 || off >= 1<<tieDateBits {
			v.tieOK = false
		}
		v.tie = append(v.tie, uint64(v.ranks[p.nameID])<<(tieRankBits+tieDateBits)|
			uint64(v.ranks[p.catID])<<tieDateBits|uint64(off)&(1<<tieDateBits-1))
	}
}

// order sorts idx, which must be in ascending record order, into the view's
// order.
func (v *RecordView) order(idx []int32) {
	if v.approx || !v.tieOK {
		slices.SortFunc(idx, v.compare)
		return
	}
	keys := make([]uint64, len(idx))
	for i, r := range idx {
		keys[i] = v.tie[r]
	}
	radixSort(keys, idx)
	for i, r := range idx {
		keys[i] = orderedKey(v.prim[r], v.desc)
	}
	radixSort(keys, idx)
}

// compare orders two records: the column (reversed when descending), then
// always ascending product name, category, date and arrival.
func (v *RecordView) compare(a, b int32) int {
	var c int
	if v.approx && (v.col == RecordUsage || v.col == RecordCost) {
		s := v.store
		ma, xa := v.amountOf(s.recs.at(int(a)))
		mb, xb := v.amountOf(s.recs.at(int(b)))
		c = s.unpack(ma, xa).Cmp(s.unpack(mb, xb))
	} else {
		c = cmp.Compare(v.prim[a], v.prim[b])
	}
	if c != 0 {
		if v.desc {
			return -c
		}
		return c
	}
	if v.tieOK {
		c = cmp.Compare(v.tie[a], v.tie[b])
	} else {
		c = v.compareTie(a, b)
	}
	if c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// compareTie is the tie-break without tie keys.
func (v *RecordView) compareTie(a, b int32) int {
	s := v.store
	ra, rb := s.recs.at(int(a)), s.recs.at(int(b))
	pa, pb := &s.prods[ra.prod], &s.prods[rb.prod]
	if c := cmp.Compare(v.ranks[pa.nameID], v.ranks[pb.nameID]); c != 0 {
		return c
	}
	if c := cmp.Compare(v.ranks[pa.catID], v.ranks[pb.catID]); c != 0 {
		return c
	}
	return cmp.Compare(ra.start, rb.start)
}

// merge merges two sorted runs into a new slice.
func (v *RecordView) merge(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if v.compare(b[j], a[i]) < 0 {
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
