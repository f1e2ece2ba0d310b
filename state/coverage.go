package state

import (
	"strconv"
	"time"

	"github.com/usagetop/usagetop/api"
)

// Coverage says which days a generation's figures cover and which days
// they are compared with. It is the one rule for "which days count": the
// Products view, its change column, the detail view and every export read
// it, so no two of them can disagree about a day.
//
// Only complete days count: days through the API's asOf watermark and
// before today, since today's part-day would read as a fall. When the
// period has no complete day yet (THIS_MONTH on the 1st), the figures
// cover what has arrived so far and SoFar says so.
type Coverage struct {
	// From and Through are the days the figures cover (inclusive). When
	// Through < From nothing is covered yet.
	From, Through api.Date
	// End is the period's last day; Through < End while it is in progress.
	End api.Date
	// SoFar is set when Through is a day still arriving: the period has
	// no complete day, so its first day counts as far as it has come.
	SoFar bool
	// Loading is set when Through is held back by pages not yet loaded.
	Loading bool

	// PrevFrom and PrevTo are the days compared with: the previous period
	// of the same kind, cut to the same elapsed days while this one is in
	// progress. PrevTo < PrevFrom means there is nothing to compare with.
	PrevFrom, PrevTo api.Date
	// PerDay compares daily rates rather than totals: a custom range
	// against the equal-length range before it. A calendar period (a
	// month, a year, a day) compares totals, as an invoice does.
	PerDay bool
}

// Days returns how many days the figures cover.
func (c Coverage) Days() int { return max(api.DaysInclusive(c.From, c.Through), 0) }

// PrevDays returns how many days the comparison covers.
func (c Coverage) PrevDays() int { return max(api.DaysInclusive(c.PrevFrom, c.PrevTo), 0) }

// Covered reports whether any day is covered.
func (c Coverage) Covered() bool { return c.Through >= c.From }

// Compared reports whether there is a previous period to compare with.
func (c Coverage) Compared() bool { return c.Covered() && c.PrevTo >= c.PrevFrom }

// InProgress reports whether the figures stop before the period's end.
func (c Coverage) InProgress() bool { return c.Through < c.End }

// Complete reports whether day d of the period is a complete day the
// figures count (not a day still arriving, nor one not loaded yet).
func (c Coverage) Complete(d api.Date) bool {
	return d >= c.From && d <= c.Through && !(c.SoFar && d == c.Through)
}

// CompleteThrough returns the last complete day of [start, end]: the day
// before today, and not after asOf (zero asOf: not known yet, no limit).
// It is before start when no day of the period is complete.
func CompleteThrough(start, end, today, asOf api.Date) api.Date {
	last := end
	if !today.IsZero() {
		last = min(last, today-1)
	}
	if !asOf.IsZero() {
		last = min(last, asOf)
	}
	return max(last, start-1)
}

// CoverageOf returns the coverage of q's period [start, end] given today,
// the API's asOf watermark (zero when no page has come) and loaded, the
// last day whose records are all loaded.
func CoverageOf(q Query, start, end, today, asOf, loaded api.Date) Coverage {
	c := Coverage{From: start, End: end}
	complete := CompleteThrough(start, end, today, asOf)
	c.Through = complete
	if complete < start {
		// No complete day: the first day counts as far as it has come,
		// once the API has anything for it.
		if asOf >= start || (asOf.IsZero() && loaded >= start) {
			c.Through, c.SoFar = start, true
		}
	}
	if loaded < c.Through {
		c.Through, c.Loading = loaded, true
	}
	full, fullTo := ComparePrevious(start, end)
	c.PerDay = !calendarPeriod(q, start, end)
	c.PrevFrom, c.PrevTo = full, fullTo
	if c.PerDay || !c.Covered() || c.Through >= end {
		if !c.Covered() {
			c.PrevTo = c.PrevFrom - 1
		}
		return c
	}
	// In progress: the same elapsed days of the previous period. A period
	// a whole number of months back maps day to day by the calendar
	// (Mar 1-30 against Feb 1-28), anything else by count.
	if k := monthsBetween(full, start); full.MonthStart() == full && start.MonthStart() == start && k > 0 {
		c.PrevTo = min(addMonthsClipped(c.Through, -k), fullTo)
	} else {
		c.PrevTo = min(full.AddDays(int(c.Through-c.From)), fullTo)
	}
	return c
}

// calendarPeriod reports whether [start, end] is a calendar period
// (compared total to total): a named period other than a rolling one, or
// a custom range of whole months.
func calendarPeriod(q Query, start, end api.Date) bool {
	switch q.Period {
	case api.Yesterday, api.ThisMonth, api.LastMonth, api.ThisYear:
		return true
	}
	return start.MonthStart() == start && end.MonthEnd() == end
}

// addMonthsClipped moves d by n months keeping its day of month, clipped
// to the target month's last day (Mar 31 - 1 month = Feb 28).
func addMonthsClipped(d api.Date, n int) api.Date {
	y, m, day := d.Parts()
	first := api.NewDate(y, m+time.Month(n), 1)
	return min(first.AddDays(day-1), first.MonthEnd())
}

// DayRange names the days from..to briefly: "Dec 1", "Dec 1-2",
// "Nov 29-Dec 2", and with years when they differ:
// "Dec 30, 2025-Jan 2, 2026".
func DayRange(from, to api.Date) string {
	fy, fm, _ := from.Parts()
	ty, tm, td := to.Parts()
	switch {
	case from == to:
		return from.Time().Format("Jan 2")
	case fy != ty:
		return from.Time().Format("Jan 2, 2006") + "-" + to.Time().Format("Jan 2, 2006")
	case fm == tm:
		return from.Time().Format("Jan 2") + "-" + strconv.Itoa(td)
	}
	return from.Time().Format("Jan 2") + "-" + to.Time().Format("Jan 2")
}

// String says what the figures cover and what they are compared with, as
// the screen and the exports put it: "Dec 1-2 vs Nov 1-2", "Dec 1 so far
// vs Nov 1", "Nov 10-19 vs Oct 31-Nov 9 per day".
func (c Coverage) String() string {
	if !c.Covered() {
		return "no complete day yet"
	}
	s := DayRange(c.From, c.Through)
	if c.SoFar {
		s += " so far"
	}
	if c.Loading {
		s += " (loading)"
	}
	if c.PrevTo >= c.PrevFrom {
		s += " vs " + DayRange(c.PrevFrom, c.PrevTo)
		if c.PerDay {
			s += " per day"
		}
	}
	return s
}
