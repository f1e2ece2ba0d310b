package state

import (
	"github.com/usagetop/usagetop/api"
)

// recurring reports whether a charge of excess on day i matches one on the
// same day of the previous month (give or take a day): a monthly fee.
func (r *detectorRun) recurring(i int, excess float64) bool {
	if excess <= 0 {
		return false
	}
	for _, c := range r.lastMonthDays(i) {
		j := int(c - r.start)
		if j < 0 || j >= i {
			continue
		}
		// Judge last month's day by its own neighbours: its stored
		// expectation may come from a different regime, or be missing.
		nb := r.scratchA[:0]
		for k := j - 3; k <= j+3; k++ {
			if k != j && k >= 0 && k < i {
				nb = append(nb, r.v[k])
			}
		}
		ex := r.v[j] - detectorMedian(nb)
		if ex*detectorMonthlyRatio >= excess && ex <= excess*detectorMonthlyRatio {
			return true
		}
	}
	return false
}

// lastMonthDays returns the same day of the previous month (the month's
// last day when it is shorter) with the day either side.
func (r *detectorRun) lastMonthDays(i int) [3]api.Date {
	d := r.start.AddDays(i)
	y, m, dd := d.Parts()
	prev := api.NewDate(y, m-1, 1)
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
