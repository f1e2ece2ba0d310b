package state

import (
	"math"

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
	// PerDay is the recent daily rate (the mean of the last seven days)
	// the days left are projected from; zero for a recurring charge.
	PerDay   decimal.Decimal
	DaysLeft int
	// Path is the expected cost of each day left, in order: the recent
	// rate shaped by the weekday (a product quiet at weekends stays quiet)
	// once four weeks are known. Its sum is Remaining.
	Path      []decimal.Decimal
	Remaining decimal.Decimal
	// Shaped is set when Path follows the weekday shape.
	Shaped bool
	// Total is the projected month-end cost; Low and High bound it (an
	// 80% band from the product's own day-to-day variation; never below
	// what is billed to date).
	Total, Low, High decimal.Decimal
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
		for d := through + 1; d <= me; d++ {
			x := decimal.Zero
			if _, _, dd := d.Parts(); dd == min(dom, me.Day()) && f.Pending.IsPositive() {
				x = f.Pending
			}
			f.Path = append(f.Path, x)
		}
		f.Remaining = f.Pending
		f.Total = f.ToDate.Add(f.Pending)
		f.Low, f.High = f.Total, f.Total
		return f, true
	}
	f.PerDay = meanCost(day, max(first, through-rateDays+1), through)
	shape, spread, shaped := weekdayShape(day, first, through)
	f.Shaped = shaped
	for d := through + 1; d <= me; d++ {
		x := f.PerDay
		if shaped {
			x = x.Mul(decimal.NewFromFloat(shape[d.Weekday()])).Round(6)
		}
		f.Path = append(f.Path, x)
		f.Remaining = f.Remaining.Add(x)
	}
	f.Total = f.ToDate.Add(f.Remaining)
	// Days vary independently around their expectation: the band grows
	// with the square root of the days left.
	half := decimal.NewFromFloat(bandZ * spread * math.Sqrt(float64(f.DaysLeft))).Round(6)
	f.Low, f.High = decimal.Max(f.Total.Sub(half), f.ToDate), f.Total.Add(half)
	return f, true
}

// bandZ is the normal quantile of the forecast band's edges (80%).
const bandZ = 1.2816

// shapeWeeks is how many weeks the weekday shape is learnt from.
const shapeWeeks = 4

// meanCost is the mean daily cost over [from, to].
func meanCost(day func(api.Date) decimal.Decimal, from, to api.Date) decimal.Decimal {
	n := api.DaysInclusive(from, to)
	if n <= 0 {
		return decimal.Zero
	}
	sum := decimal.Zero
	for d := from; d <= to; d++ {
		sum = sum.Add(day(d))
	}
	return sum.DivRound(decimal.NewFromInt(int64(n)), 6)
}

// weekdayShape learns each weekday's cost relative to the week's mean
// from the last four weeks through `through`, and the spread (standard
// deviation) of a day around its shaped mean. ok is false with fewer
// than four weeks, or no cost: then the forecast is flat and the spread
// is that of the last week.
func weekdayShape(day func(api.Date) decimal.Decimal, first, through api.Date) (shape [7]float64, spread float64, ok bool) {
	// Days before the product's first cost say nothing of its week.
	for first <= through && day(first).IsZero() {
		first++
	}
	from := through - shapeWeeks*7 + 1
	if from < first {
		from = max(first, through-rateDays+1)
		return shape, stddev(day, from, through, nil), false
	}
	var sum [7]float64
	total := 0.0
	for d := from; d <= through; d++ {
		x := day(d).InexactFloat64()
		sum[d.Weekday()] += x
		total += x
	}
	if total <= 0 {
		return shape, 0, false
	}
	mean := total / float64(shapeWeeks*7)
	for w := range shape {
		shape[w] = sum[w] / shapeWeeks / mean
	}
	expect := func(d api.Date) float64 { return sum[d.Weekday()] / shapeWeeks }
	return shape, stddev(day, from, through, expect), true
}

// stddev is the standard deviation of the daily cost over [from, to]
// around expect (nil: around the mean).
func stddev(day func(api.Date) decimal.Decimal, from, to api.Date, expect func(api.Date) float64) float64 {
	n := api.DaysInclusive(from, to)
	if n < 2 {
		return 0
	}
	if expect == nil {
		m := meanCost(day, from, to).InexactFloat64()
		expect = func(api.Date) float64 { return m }
	}
	ss := 0.0
	for d := from; d <= to; d++ {
		r := day(d).InexactFloat64() - expect(d)
		ss += r * r
	}
	return math.Sqrt(ss / float64(n-1))
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
