package state

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// ProductRollup is one row of the Products view: a product's figures over
// the store's period, in one currency. A product billed in two currencies
// is two rows, because money in different currencies is never summed and
// each row's share is of its own currency's total.
//
// The store updates rows in place as pages arrive; read them on the event
// loop, or Clone one for another goroutine.
type ProductRollup struct {
	Name     string
	Category string
	Currency string

	// Usage is the total usage in Unit. When the records disagree on the
	// unit, MixedUnits is true, Unit is empty and Usage is zero: amounts
	// in different units are not summed.
	Usage      Amount
	Unit       string
	MixedUnits bool

	// Cost is the exact sum of the product's record prices in Currency.
	Cost Amount
	// Share is Cost over its currency's total cost (0..1), for display.
	Share float64

	// Days counts distinct days inside the period covered by the
	// product's records: days with usage under DAILY; under MONTHLY, the
	// days of the months with usage (a record covers its whole month).
	Days int
	// First and Last are the earliest record start and the latest record end.
	First, Last api.Date
	// Records counts the records rolled up. Every record changes it, so
	// it doubles as a cache key for anything rendered from the row (a
	// sparkline) within one store.
	Records int

	// Series is the cost per point for drawing: one point per day of the
	// period under DAILY (zero-filled), one per month under MONTHLY.
	Series []float64
	// Partial is true until every page is loaded.
	Partial bool

	prod, cur, unit uint32
	unitName        string // the first unit seen, kept when Unit is cleared
	daily           moneySeries
	usage           moneySeries // usage per point, while the unit is one
	seen            []uint64    // bitset over the period's days
}

// ProductKey identifies a product row across sorts, filters and
// generations.
type ProductKey struct {
	Name, Category, Currency string
}

// Key returns p's identity.
func (p *ProductRollup) Key() ProductKey {
	return ProductKey{Name: p.Name, Category: p.Category, Currency: p.Currency}
}

// Points returns the number of series points (days, or months).
func (p *ProductRollup) Points() int { return p.daily.len() }

// PointCost returns the exact cost at point i.
func (p *ProductRollup) PointCost(i int) Amount { return p.daily.at(i) }

// DailyCost returns the exact cost at point i (a day under DAILY, a month
// under MONTHLY).
func (p *ProductRollup) DailyCost(i int) decimal.Decimal { return p.daily.at(i).Decimal() }

// PointUsage returns the exact usage at point i, in Unit (zero once the
// units are mixed: amounts in different units are not summed).
func (p *ProductRollup) PointUsage(i int) Amount {
	if p.MixedUnits {
		return Amount{}
	}
	return p.usage.at(i)
}

// DailyCosts returns a fresh slice of the exact cost at every point, safe
// to hand to another goroutine.
func (p *ProductRollup) DailyCosts() []decimal.Decimal {
	out := make([]decimal.Decimal, p.daily.len())
	for i := range out {
		out[i] = p.daily.at(i).Decimal()
	}
	return out
}

// Clone returns a deep copy of p that later Appends do not touch.
func (p *ProductRollup) Clone() ProductRollup {
	c := *p
	c.Series = slices.Clone(p.Series)
	c.daily = p.daily.clone()
	c.usage = p.usage.clone()
	c.seen = slices.Clone(p.seen)
	return c
}

// CurrencyTotal is the total cost in one currency.
type CurrencyTotal struct {
	Currency string
	Cost     Amount
}

// rollups is the Store's incremental aggregate state.
type rollups struct {
	rows    []ProductRollup
	rowIDs  map[uint64]int32 // prod<<32 | currency
	rowOf   []int32          // per product: its first row, -1 for none yet
	totals  []currencyTotal
	points  int
	ndays   int
	pstarts []api.Date // start of each point under MONTHLY
}

type currencyTotal struct {
	cur  uint32
	cost Amount
}

func (r *rollups) init(s *Store) {
	r.rowIDs = make(map[uint64]int32)
	if s.end < s.start || s.start.IsZero() {
		return
	}
	r.ndays = api.DaysInclusive(s.start, s.end)
	if s.monthly {
		for d := s.start; d <= s.end; d = d.MonthEnd() + 1 {
			r.pstarts = append(r.pstarts, d)
		}
		r.points = len(r.pstarts)
	} else {
		r.points = r.ndays
	}
}

// point returns the series index a record starting on d belongs to,
// clamped into the period: a record just outside it (the server's today
// differing from ours at midnight) still lands on the nearest point.
func (r *rollups) point(s *Store, d api.Date) int {
	if r.points == 0 {
		return -1
	}
	if s.monthly {
		i, found := slices.BinarySearch(r.pstarts, d)
		if !found {
			i--
		}
		return max(0, min(i, r.points-1))
	}
	return max(0, min(int(d-s.start), r.points-1))
}

// row returns the rollup row of a product in a currency, creating it
// with unit as its unit. Most products bill in one currency, so the first
// row of the product usually is the one.
func (r *rollups) row(s *Store, pid uint32, currency, unit string) *ProductRollup {
	for int(pid) >= len(r.rowOf) {
		r.rowOf = append(r.rowOf, -1)
	}
	if i := r.rowOf[pid]; i >= 0 && r.rows[i].Currency == currency {
		return &r.rows[i]
	}
	cur := s.strs.id(currency)
	key := uint64(pid)<<32 | uint64(cur)
	if i, ok := r.rowIDs[key]; ok {
		return &r.rows[i]
	}
	p := &s.prods[pid]
	u := s.strs.id(unit)
	r.rows = append(r.rows, ProductRollup{
		Name:     p.name,
		Category: p.category,
		Currency: s.strs.str(cur),
		Unit:     s.strs.str(u),
		Partial:  true,
		prod:     pid,
		cur:      cur,
		unit:     u,
		unitName: s.strs.str(u),
		Series:   make([]float64, r.points),
		daily:    newMoneySeries(r.points),
		usage:    newMoneySeries(r.points),
		seen:     make([]uint64, (r.ndays+63)/64),
	})
	i := int32(len(r.rows) - 1)
	r.rowIDs[key] = i
	if r.rowOf[pid] < 0 {
		r.rowOf[pid] = i
	}
	return &r.rows[i]
}

// add rolls one record into its row and its currency total.
func (r *rollups) add(s *Store, row *ProductRollup, unit uint32, start, end api.Date, usage, price Amount) {
	row.Cost = row.Cost.Add(price)
	if !row.MixedUnits {
		if unit == row.unit {
			row.Usage = row.Usage.Add(usage)
		} else {
			row.MixedUnits, row.Unit, row.Usage = true, "", Amount{}
		}
	}
	if row.Records == 0 || start < row.First {
		row.First = start
	}
	if row.Records == 0 || end > row.Last {
		row.Last = end
	}
	row.Records++
	if i := r.point(s, start); i >= 0 {
		row.Series[i] = row.daily.add(i, price).Float64()
		if !row.MixedUnits {
			row.usage.add(i, usage)
		}
	}
	// Count each day once however many records touch it.
	lo, hi := max(start, s.start), min(max(end, start), s.end)
	for d := lo; d <= hi; d++ {
		b := int(d - s.start)
		if w, m := b/64, uint64(1)<<(b%64); row.seen[w]&m == 0 {
			row.seen[w] |= m
			row.Days++
		}
	}
	for i := range r.totals {
		if r.totals[i].cur == row.cur {
			r.totals[i].cost = r.totals[i].cost.Add(price)
			return
		}
	}
	r.totals = append(r.totals, currencyTotal{cur: row.cur, cost: price})
}

// finishPage refreshes what depends on every record: shares and the
// partial flag.
func (r *rollups) finishPage(s *Store) {
	totals := make(map[uint32]float64, len(r.totals))
	for _, t := range r.totals {
		totals[t.cur] = t.cost.Float64()
	}
	for i := range r.rows {
		row := &r.rows[i]
		row.Partial = !s.done
		row.Share = 0
		if t := totals[row.cur]; t != 0 {
			row.Share = row.Cost.Float64() / t
		}
	}
}

// Products returns the product rows in first-seen order. Row indices are
// stable for the store's life (rows are only added), so views keep []int32
// indices into this slice; the slice itself may be reallocated by Append,
// so call Products again after each Append.
func (s *Store) Products() []ProductRollup { return s.rows }

// Totals returns the total cost per currency, ordered by currency code.
func (s *Store) Totals() []CurrencyTotal {
	out := make([]CurrencyTotal, len(s.totals))
	for i, t := range s.totals {
		out[i] = CurrencyTotal{Currency: s.strs.str(t.cur), Cost: t.cost}
	}
	slices.SortFunc(out, func(a, b CurrencyTotal) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

// Points returns the number of series points: days of the period under
// DAILY, calendar months it touches under MONTHLY.
func (s *Store) Points() int { return s.points }

// PointDate returns the first date of series point i (under MONTHLY, the
// month's first day, or the period start for a partial first month).
func (s *Store) PointDate(i int) api.Date {
	if s.monthly {
		return s.pstarts[i]
	}
	return s.start.AddDays(i)
}
