package state

import (
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// Change is a cost change against a previous period: money and percent.
type Change struct {
	// Money is the change in money: the cost less the previous cost, or,
	// compared per day, less what the previous daily rate would have cost
	// over the same number of days.
	Money decimal.Decimal
	// Percent is Money in percent of the previous figure (-100 when the
	// cost is gone). It is 0 when New.
	Percent float64
	// New is set when the previous period had no cost: there is nothing
	// to take a percentage of.
	New bool
	// Gone is set when the cost fell to nothing from something.
	Gone bool
}

// CompareChange compares curTotal over curDays with prevTotal over
// prevDays, as daily rates, so a 28-day window at the same daily rate as
// a 31-day one is no change. Days below 1 count as 1, so a bad input never
// divides by zero.
func CompareChange(curTotal decimal.Decimal, curDays int, prevTotal decimal.Decimal, prevDays int) Change {
	return compareCost(curTotal, curDays, prevTotal, prevDays, true)
}

// CompareTotals compares two totals as they are: a calendar month with
// the month before, as an invoice does, so a flat monthly fee is no
// change however many days either month has.
func CompareTotals(curTotal, prevTotal decimal.Decimal) Change {
	return compareCost(curTotal, 1, prevTotal, 1, false)
}

// compareCost is CompareChange (perDay) or CompareTotals. A previous total
// of zero (or less: credits) with a current cost is New; both zero is no
// change.
func compareCost(curTotal decimal.Decimal, curDays int, prevTotal decimal.Decimal, prevDays int, perDay bool) Change {
	curDays, prevDays = max(curDays, 1), max(prevDays, 1)
	if !perDay {
		curDays, prevDays = 1, 1
	}
	// What the previous rate costs over the current days, exactly when
	// the day counts are equal (or not compared).
	expected := prevTotal
	if curDays != prevDays {
		expected = prevTotal.Mul(decimal.NewFromInt(int64(curDays))).DivRound(decimal.NewFromInt(int64(prevDays)), 6)
	}
	money := curTotal.Sub(expected)
	switch {
	case !prevTotal.IsPositive() && curTotal.IsPositive():
		return Change{Money: money, New: true}
	case !prevTotal.IsPositive():
		return Change{Money: money}
	case curTotal.IsZero():
		return Change{Money: money, Percent: -100, Gone: true}
	}
	// (cur/curDays - prev/prevDays) / (prev/prevDays), exactly:
	// (cur*prevDays - prev*curDays) / (prev*curDays).
	num := curTotal.Mul(decimal.NewFromInt(int64(prevDays))).Sub(prevTotal.Mul(decimal.NewFromInt(int64(curDays))))
	den := prevTotal.Mul(decimal.NewFromInt(int64(curDays)))
	return Change{Money: money, Percent: num.DivRound(den, 12).InexactFloat64() * 100}
}

// String formats the change for a table cell: "+12.3%", "-4.0%", "0.0%",
// "new", "-100%"; changes of 1000% and more drop the decimal ("+1250%").
func (c Change) String() string {
	switch {
	case c.New:
		return "new"
	case c.Gone:
		return "-100%"
	}
	p := c.Percent
	if math.Abs(p) >= 1000 {
		return fmt.Sprintf("%+.0f%%", p)
	}
	if math.Abs(p) < 0.05 { // never "-0.0%" or "+0.0%"
		return "0.0%"
	}
	return fmt.Sprintf("%+.1f%%", p)
}

// ComparePrevious returns the period to compare [from, to] with: the
// previous period of the same kind and length. A whole calendar month
// compares with the month before (February with January, 28 days with 31:
// CompareChange works per day); a span from January 1st with the same
// days of the year before; other whole months with as many months before
// them; a month to date (the 1st to day D) with the previous month's 1st
// to D, cut to its length; any other range with as many days just before.
// The result never spans more than the API allows in one query (a leap
// year is compared on its first 365 days).
func ComparePrevious(from, to api.Date) (prevFrom, prevTo api.Date) {
	return clipRange(comparePrevious(from, to))
}

func comparePrevious(from, to api.Date) (prevFrom, prevTo api.Date) {
	fy, fm, fd := from.Parts()
	ty, tm, td := to.Parts()
	months := (ty-fy)*12 + int(tm-fm) + 1
	whole := fd == 1 && to == to.MonthEnd()
	switch {
	case to < from:
		return from, to
	case whole && months == 1:
		return api.NewDate(fy, fm-1, 1), from - 1
	case fd == 1 && fm == 1 && ty == fy:
		prevFrom = api.NewDate(fy-1, 1, 1)
		return prevFrom, min(api.NewDate(fy-1, tm, td), api.NewDate(fy-1, tm, 1).MonthEnd())
	case whole:
		return api.NewDate(fy, fm-time.Month(months), 1), from - 1
	case fd == 1 && months == 1:
		prevFrom = api.NewDate(fy, fm-1, 1)
		return prevFrom, min(prevFrom.AddDays(td-1), prevFrom.MonthEnd())
	}
	n := api.DaysInclusive(from, to)
	return from.AddDays(-n), from - 1
}
