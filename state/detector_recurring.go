package state

import (
	"fmt"
	"time"

	"github.com/usagetop/usagetop/api"
)

// Charges that recur by the calendar are a product's normal once they have
// recurred: a charge on a day of the month that matches last month's on
// the same day (a fee on the 1st or the 15th, a batch on the 10th); a
// month-end batch that matches the previous month's last day (Feb 28 maps
// to Jan 31); a quarter-end batch that matches a previous quarter end or
// the same quarter end a year before. Matching means an excess over the
// day's neighbours within detectorMonthlyRatio of today's. This is why the
// detector needs more history than its lookback: DetectorHistory says how
// much.

// detectorRecur says by which calendar rule a charge recurred.
type detectorRecur struct {
	what string      // "quarter-end batch", "month-end batch", "charge on the 10th"
	as   [2]api.Date // the earlier days it matched, latest first
	n    int         // how many of as are set
}

// recurring reports whether a charge of excess on day i matches an
// earlier one by a calendar rule, and by which.
func (r *detectorRun) recurring(i int, excess float64) (detectorRecur, bool) {
	if excess <= 0 {
		return detectorRecur{}, false
	}
	d := r.start.AddDays(i)
	y, m, dd := d.Parts()
	if d == d.MonthEnd() {
		if m%3 == 0 {
			rec := detectorRecur{what: "quarter-end batch"}
			for _, back := range []time.Month{3, 6, 12} {
				c := api.NewDate(y, m-back, 1).MonthEnd()
				if r.matches(i, c, excess) && rec.n < len(rec.as) {
					rec.as[rec.n] = c
					rec.n++
				}
			}
			if rec.n > 0 {
				return rec, true
			}
		}
		if c := api.NewDate(y, m-1, 1).MonthEnd(); r.matches(i, c, excess) {
			return detectorRecur{what: "month-end batch", as: [2]api.Date{c}, n: 1}, true
		}
	}
	what := "charge on the " + detectorOrdinal(dd)
	if dd == 1 || dd == 15 {
		what = "monthly fee on the " + detectorOrdinal(dd)
	}
	for back := 1; back <= 2; back++ {
		days := r.monthDays(i, back)
		for _, c := range days {
			if r.matches(i, c, excess) {
				return detectorRecur{what: what, as: [2]api.Date{c}, n: 1}, true
			}
		}
		// Last month's day was a holiday, whose dip hides the charge:
		// the month before tells instead.
		if _, _, shared := r.groupShift(int(days[1] - r.start)); !shared {
			break
		}
	}
	return detectorRecur{}, false
}

// matches reports whether the day c, before day i, had an excess over the
// same weekday in the weeks around it within detectorMonthlyRatio of
// excess.
func (r *detectorRun) matches(i int, c api.Date, excess float64) bool {
	j := int(c - r.start)
	if j < 0 || j >= i {
		return false
	}
	// Judge the earlier day by the same weekday around it: its stored
	// expectation may come from a different regime, or be missing.
	nb := r.scratchA[:0]
	for _, k := range [...]int{j - 14, j - 7, j + 7, j + 14} {
		if k >= 0 && k < i {
			nb = append(nb, r.v[k])
		}
	}
	ex := r.v[j] - detectorMedian(nb)
	return ex*detectorMonthlyRatio >= excess && ex <= excess*detectorMonthlyRatio
}

// lastMonthDays returns the same day of the previous month (the month's
// last day when it is shorter) with the day either side.
func (r *detectorRun) lastMonthDays(i int) [3]api.Date { return r.monthDays(i, 1) }

// monthDays returns the same day back months before day i (the month's
// last day when it is shorter) with the day either side.
func (r *detectorRun) monthDays(i, back int) [3]api.Date {
	d := r.start.AddDays(i)
	y, m, dd := d.Parts()
	prev := api.NewDate(y, m-time.Month(back), 1)
	_, _, prevLen := prev.MonthEnd().Parts()
	c := prev.AddDays(min(dd, prevLen) - 1)
	return [3]api.Date{c - 1, c, c + 1}
}

// lone reports whether day i is a one-day charge: the next known day is zero.
func (r *detectorRun) lone(i int) bool { return i+1 < len(r.v) && r.v[i+1] <= 0 }

// seenBefore reports whether the series had a charge of about x (within
// detectorMonthlyRatio) before lo: an occasional charge coming back.
func (r *detectorRun) seenBefore(lo int, x float64) bool {
	for j := lo - 1; j >= 0; j-- {
		if r.v[j]*detectorMonthlyRatio >= x && r.v[j] <= x*detectorMonthlyRatio {
			return true
		}
	}
	return false
}

// detectorOrdinal writes a day of the month as "1st", "2nd", "15th".
func detectorOrdinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// reason explains a recurring charge on day d in one line, e.g. "Dec 31:
// quarter-end batch, as on Sep 30 and Jun 30".
func (rec detectorRecur) reason(d api.Date) string {
	s := anomalyShortDate(d) + ": " + rec.what
	switch rec.n {
	case 1:
		s += ", as on " + anomalyShortDate(rec.as[0])
	case 2:
		s += ", as on " + anomalyShortDate(rec.as[0]) + " and " + anomalyShortDate(rec.as[1])
	}
	return s
}
