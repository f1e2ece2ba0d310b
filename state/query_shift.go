package state

import (
	"time"

	"github.com/usagetop/usagetop/api"
)

// spanKind is how a period steps to its neighbours.
type spanKind int

const (
	spanDays   spanKind = iota // N days step by N days
	spanMonths                 // whole calendar months step by whole months
)

// span is the shape of a period: its kind and length.
type span struct {
	kind  spanKind
	n     int // days for spanDays, months for spanMonths
	start api.Date
	end   api.Date
}

// addMonths returns the first day of the month n months after d's month.
func addMonths(d api.Date, n int) api.Date {
	y, m, _ := d.Parts()
	return api.NewDate(y, m+time.Month(n), 1)
}

// monthsBetween counts calendar months from a's month to b's month
// (0 when both lie in the same month).
func monthsBetween(a, b api.Date) int {
	ya, ma, _ := a.Parts()
	yb, mb, _ := b.Parts()
	return (yb-ya)*12 + int(mb-ma)
}

// shape returns q's span when today is today. THIS_MONTH and THIS_YEAR are
// treated as the whole month or year they lie in, so stepping back from
// them lands on whole months. A custom range counts as whole months when it
// runs from a month's first day to a month's last day, or is exactly the
// longest range the API allows and would otherwise end on one (a leap
// year clipped to 365 days).
func (q Query) shape(today api.Date) span {
	start, end := q.Bounds(today)
	switch q.Period {
	case api.ThisMonth, api.LastMonth:
		return span{kind: spanMonths, n: 1, start: start, end: end}
	case api.ThisYear:
		return span{kind: spanMonths, n: 12, start: start, end: end}
	case api.Yesterday:
		return span{kind: spanDays, n: 1, start: start, end: end}
	}
	if start.IsZero() || end < start {
		return span{kind: spanDays, n: 1, start: start, end: end}
	}
	if start == start.MonthStart() {
		full := end.MonthEnd()
		if end == full || (api.DaysInclusive(start, end) == api.MaxRangeDays && api.DaysInclusive(start, full) > api.MaxRangeDays) {
			return span{kind: spanMonths, n: monthsBetween(start, end) + 1, start: start, end: end}
		}
	}
	return span{kind: spanDays, n: api.DaysInclusive(start, end), start: start, end: end}
}

// clipRange keeps a range inside what the API accepts.
func clipRange(start, end api.Date) (api.Date, api.Date) {
	if api.DaysInclusive(start, end) > api.MaxRangeDays {
		end = start.AddDays(api.MaxRangeDays - 1)
	}
	return start, end
}

// Shift returns the period n steps later (n < 0: earlier) of the same kind
// and length, for the dashboard's [ and ] keys. Whole months step by whole
// months (LAST_MONTH and THIS_MONTH by one month, THIS_YEAR and a custom
// year by twelve), YESTERDAY by one day, any other range by its own length
// in days. A period never reaches past today: a step that would start
// after today returns q unchanged, one that would end after it ends today.
// When the result is exactly what a preset of the same kind covers today,
// the preset is used, so ] undoes [. A range longer than the API allows
// (a leap year) is cut to 365 days.
func (q Query) Shift(n int, today api.Date) Query {
	if n == 0 {
		return q
	}
	sp := q.shape(today)
	if sp.start.IsZero() || sp.end < sp.start {
		return q // no valid period to step from
	}
	var start, end api.Date
	if sp.kind == spanMonths {
		start = addMonths(sp.start, n*sp.n)
		end = addMonths(start, sp.n) - 1
	} else {
		start = sp.start.AddDays(n * sp.n)
		end = start.AddDays(sp.n - 1)
	}
	if start > today || start <= 0 {
		return q
	}
	end = min(end, today)
	start, end = clipRange(start, end)
	return q.withRange(sp, start, end, today)
}

// withRange returns q covering start..end, as a preset of sp's kind when
// one covers exactly that today.
func (q Query) withRange(sp span, start, end, today api.Date) Query {
	var candidates []api.TimePeriod
	switch {
	case sp.kind == spanDays && sp.n == 1:
		candidates = []api.TimePeriod{api.Yesterday}
	case sp.kind == spanMonths && sp.n == 1:
		candidates = []api.TimePeriod{api.LastMonth, api.ThisMonth}
	case sp.kind == spanMonths && sp.n == 12:
		candidates = []api.TimePeriod{api.ThisYear}
	}
	for _, p := range candidates {
		if s, e, _ := p.Bounds(today); s == start && e == end {
			q.Period, q.From, q.To = p, 0, 0
			return q
		}
	}
	q.Period, q.From, q.To = "", start, end
	return q
}

// Previous returns the period a change column compares q against today:
// ComparePrevious of q's dates (the month before a whole month, the same
// days of the month or year before a month or year to date, the N days
// just before any other range of N days). Lengths may differ by a few
// days, so compare per day.
func (q Query) Previous(today api.Date) (start, end api.Date) {
	return ComparePrevious(q.Bounds(today))
}
