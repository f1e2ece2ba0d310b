package state

import (
	"cmp"
	"slices"

	"github.com/usagetop/usagetop/api"
)

// ProductFigure is one product's figures over a Coverage: what the
// Products view shows in a row and what every products export writes.
type ProductFigure struct {
	Key ProductKey
	// Cost and Usage are exact sums over the covered days. Usage is zero
	// and MixedUnits set when the product's records disagree on the unit.
	Cost       Amount
	Usage      Amount
	Unit       string
	MixedUnits bool
	// Share is Cost over its currency's total over the same days (0..1),
	// for display.
	Share float64
	// PrevCost is the cost over the compared days; Change compares the
	// two. Both are meaningful only when Compared.
	PrevCost Amount
	Change   Change
	Compared bool
	// First and Last are the first and last covered days with a cost or
	// usage; zero when none.
	First, Last api.Date
}

// Figures are a generation's product figures over one Coverage, computed
// once and read by the Products view, the detail view and the exports.
type Figures struct {
	Cover Coverage
	// Compared is set once the previous period is loaded through
	// Cover.PrevTo: until then no row has a change.
	Compared bool
	// Totals and PrevTotals are the cost per currency over the covered
	// and the compared days, ordered by currency.
	Totals, PrevTotals []CurrencyTotal

	rows  []ProductFigure
	index map[ProductKey]int
}

// Of returns the figures of product k, or nil when it has none (no record
// in the covered days, nor in the compared ones).
func (f *Figures) Of(k ProductKey) *ProductFigure {
	if f == nil {
		return nil
	}
	if i, ok := f.index[k]; ok {
		return &f.rows[i]
	}
	return nil
}

// Rows returns every product's figures, in the order first seen.
func (f *Figures) Rows() []ProductFigure {
	if f == nil {
		return nil
	}
	return f.rows
}

// Total returns the total over the covered days in currency cur.
func (f *Figures) Total(cur string) Amount { return totalOf(f.Totals, cur) }

// TotalChange compares the total in currency cur with the previous one,
// by the coverage's rule; ok is false until the comparison is loaded.
func (f *Figures) TotalChange(cur string) (Change, bool) {
	if f == nil || !f.Compared {
		return Change{}, false
	}
	return f.compare(f.Total(cur), totalOf(f.PrevTotals, cur)), true
}

func (f *Figures) compare(cur, prev Amount) Change {
	c := f.Cover
	if c.PerDay {
		return CompareChange(cur.Decimal(), c.Days(), prev.Decimal(), c.PrevDays())
	}
	return CompareTotals(cur.Decimal(), prev.Decimal())
}

func totalOf(ts []CurrencyTotal, cur string) Amount {
	for _, t := range ts {
		if t.Currency == cur {
			return t.Cost
		}
	}
	return Amount{}
}

// ComputeFigures sums each product of cur (a DAILY store of the period)
// over cover's days and compares it with prev (a DAILY store of the
// previous period, nil when there is none) over cover's compared days.
// Products seen only in the previous period are left out: the figures
// are rows of this period.
func ComputeFigures(cover Coverage, cur, prev *Store) *Figures {
	f := &Figures{Cover: cover, index: map[ProductKey]int{}}
	if cur == nil {
		return f
	}
	f.Compared = prev != nil && cover.Compared() && prev.LoadedThrough() >= cover.PrevTo
	prevOf := map[ProductKey]Amount{}
	if f.Compared {
		for i := range prev.Products() {
			p := &prev.Products()[i]
			prevOf[p.Key()] = sumPoints(prev, p, cover.PrevFrom, cover.PrevTo)
			f.PrevTotals = AddTotal(f.PrevTotals, p.Currency, prevOf[p.Key()])
		}
	}
	rows := cur.Products()
	f.rows = make([]ProductFigure, 0, len(rows))
	for i := range rows {
		p := &rows[i]
		pf := ProductFigure{Key: p.Key(), Unit: p.Unit, MixedUnits: p.MixedUnits}
		start, _ := cur.Bounds()
		for d := max(cover.From, start); d <= cover.Through; d++ {
			j := int(d - start)
			if j >= p.Points() {
				break
			}
			c, u := p.PointCost(j), p.PointUsage(j)
			if c.IsZero() && u.IsZero() {
				continue
			}
			if pf.First.IsZero() {
				pf.First = d
			}
			pf.Last = d
			pf.Cost, pf.Usage = pf.Cost.Add(c), pf.Usage.Add(u)
		}
		if f.Compared {
			pf.PrevCost, pf.Compared = prevOf[pf.Key], true
			pf.Change = f.compare(pf.Cost, pf.PrevCost)
		}
		f.Totals = AddTotal(f.Totals, p.Currency, pf.Cost)
		f.index[pf.Key] = len(f.rows)
		f.rows = append(f.rows, pf)
	}
	for i := range f.rows {
		r := &f.rows[i]
		if t := f.Total(r.Key.Currency).Float64(); t != 0 {
			r.Share = r.Cost.Float64() / t
		}
	}
	return f
}

// sumPoints sums p's cost over the days [from, to] of its DAILY store.
func sumPoints(s *Store, p *ProductRollup, from, to api.Date) Amount {
	start, _ := s.Bounds()
	var sum Amount
	for d := max(from, start); d <= to; d++ {
		j := int(d - start)
		if j >= p.Points() {
			break
		}
		sum = sum.Add(p.PointCost(j))
	}
	return sum
}

// AddTotal adds a to currency cur's total in ts, keeping ts ordered by
// currency, and returns ts: how every total per currency is summed.
func AddTotal(ts []CurrencyTotal, cur string, a Amount) []CurrencyTotal {
	i, found := slices.BinarySearchFunc(ts, cur, func(t CurrencyTotal, c string) int { return cmp.Compare(t.Currency, c) })
	if found {
		ts[i].Cost = ts[i].Cost.Add(a)
		return ts
	}
	return slices.Insert(ts, i, CurrencyTotal{Currency: cur, Cost: a})
}
