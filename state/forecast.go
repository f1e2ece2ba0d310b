package state

import (
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// Forecast is a product's projection to the end of a month: what is billed
// to date, plus what the month still brings.
type Forecast struct {
	// MonthEnd is the day projected to; Through is the last day counted.
	MonthEnd, Through api.Date
	// ToDate is the cost from the month's first day through Through.
	ToDate decimal.Decimal
	// Recurring is set when the product's cost is a charge that comes once
	// a month (a number lease, a platform fee) rather than a daily rate:
	// it is counted once, never multiplied by the days left.
	Recurring bool
	// Pending is a recurring charge still due this month (its usual day is
	// after Through); zero when it was already charged.
	Pending decimal.Decimal
	// PerDay is the recent daily rate extrapolated over DaysLeft (zero for
	// a recurring charge).
	PerDay   decimal.Decimal
	DaysLeft int
	// Total is the projected month-end cost.
	Total decimal.Decimal
}

// forecastLookback is how far back a monthly charge is looked for: two
// months, so a charge on the 1st is seen twice by the end of a month.
const forecastLookback = 62

// rateDays is the span of the recent daily rate.
const rateDays = 7

// ForecastMonth projects the month holding through to its end. day gives
// the cost of any day (zero outside what is known); first is the first day
// it knows. ok is false when through is before the month's first day.
//
// A product whose cost in the last two months fell on at most one day per
// month, always near the same day of the month, is a recurring monthly
// charge: the forecast adds it once if its day is still to come. Any other
// product projects its mean over the last seven days.
func ForecastMonth(day func(api.Date) decimal.Decimal, first, through api.Date) (Forecast, bool) {
	ms, me := through.MonthStart(), through.MonthEnd()
	f := Forecast{MonthEnd: me, Through: through, DaysLeft: int(me - through)}
	if through < first {
		return f, false
	}
	for d := ms; d <= through; d++ {
		f.ToDate = f.ToDate.Add(day(d))
	}
	if charge, dom, ok := monthlyCharge(day, max(first, through-forecastLookback+1), through); ok {
		f.Recurring = true
		_, _, td := through.Parts()
		chargedThisMonth := false
		for d := ms; d <= through; d++ {
			if !day(d).IsZero() {
				chargedThisMonth = true
			}
		}
		if !chargedThisMonth && dom > td {
			f.Pending = charge
		}
		f.Total = f.ToDate.Add(f.Pending)
		return f, true
	}
	n := 0
	sum := decimal.Zero
	for d := through; d > through-rateDays && d >= first; d-- {
		sum = sum.Add(day(d))
		n++
	}
	if n > 0 {
		f.PerDay = sum.DivRound(decimal.NewFromInt(int64(n)), 6)
	}
	f.Total = f.ToDate.Add(f.PerDay.Mul(decimal.NewFromInt(int64(f.DaysLeft))))
	return f, true
}

// monthlyCharge reports whether the cost over [from, to] is a monthly
// charge: at most one day with a cost per calendar month, at least one
// such day, all on about the same day of the month (within a day, or all
// on month ends). It returns the latest charge and its day of the month.
func monthlyCharge(day func(api.Date) decimal.Decimal, from, to api.Date) (decimal.Decimal, int, bool) {
	var last decimal.Decimal
	lastDom, n := 0, 0
	months := map[api.Date]bool{}
	monthEnds, doms := 0, []int{}
	for d := from; d <= to; d++ {
		c := day(d)
		if c.IsZero() {
			continue
		}
		if months[d.MonthStart()] {
			return decimal.Zero, 0, false // twice in a month: a usage, not a fee
		}
		months[d.MonthStart()] = true
		_, _, dom := d.Parts()
		doms = append(doms, dom)
		if d == d.MonthEnd() {
			monthEnds++
		}
		last, lastDom, n = c, dom, n+1
	}
	if n == 0 {
		return decimal.Zero, 0, false
	}
	if api.DaysInclusive(from, to) < 28 {
		// Too short to know one charge a month from a sparse usage.
		return decimal.Zero, 0, false
	}
	if monthEnds == n {
		return last, 31, true
	}
	for _, dom := range doms {
		if dom < lastDom-1 || dom > lastDom+1 {
			return decimal.Zero, 0, false
		}
	}
	return last, lastDom, true
}
