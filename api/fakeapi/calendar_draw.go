package fakeapi

import (
	"math"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// draw computes p's daily usage and cost over the year's data.
func (p *calProduct) draw(y *CalendarYear, holidays []CalendarHoliday) CalendarProduct {
	out := CalendarProduct{Name: p.name, Category: p.category, Unit: p.unit, Recurs: p.recurs}
	n := y.Days()
	out.Cost, out.Usage = make([]decimal.Decimal, n), make([]decimal.Decimal, n)
	price := decimal.NewFromFloat(p.price)
	isHoliday := map[api.Date]bool{}
	for _, h := range holidays {
		isHoliday[h.Date] = true
	}
	r := newRNG(hashString(p.name) ^ uint64(y.To))
	for k := range n {
		d := y.Start + api.Date(k)
		mean := p.mean(d, y.To, isHoliday[d])
		units := 0.0
		switch {
		case p.sparse > 0:
			if r.chance(p.sparse) {
				units = math.Round(mean * math.Exp(0.5*3*bell(r.next())) / p.price)
			}
		case mean > 0:
			units = poisson(r, mean*math.Exp(p.noise*3*bell(r.next()))/p.price)
		}
		units += math.Round(p.extra(d, y.To) / p.price)
		if units <= 0 {
			continue
		}
		u := decimal.NewFromInt(int64(units))
		out.Usage[k], out.Cost[k] = u, u.Mul(price)
	}
	return out
}

// mean is p's expected cost on day d, before noise and recurring charges.
func (p *calProduct) mean(d, to api.Date, holiday bool) float64 {
	if p.feeOnly || p.launch != 0 && d < p.launch {
		return 0
	}
	wd := d.Weekday()
	week := p.week[wd]
	e := p.ev
	if e != nil && e.shape == ShapeWeekly && d >= e.start && (wd == time.Saturday || wd == time.Sunday) {
		week = e.factor
	}
	m := p.level * math.Exp(p.growth*float64(d-to)) * week
	if holiday {
		m *= p.holiday
	}
	if e == nil {
		return m
	}
	switch e.shape {
	case ShapeSpike:
		if d >= e.start && d <= e.end {
			m *= e.factor
		}
	case ShapeStop:
		if d >= e.start && d <= e.end {
			m = 0
		}
	case ShapeStep:
		if d >= e.start {
			m *= e.factor
		}
	case ShapeLaunch:
		m *= min(1, e.factor*math.Pow(1.4, float64(d-e.start)))
	case ShapeDrift:
		m *= math.Exp(e.rate * float64(min(max(d-e.start, 0), e.end-e.start)))
	}
	return m
}

// extra is p's recurring charge on day d, if any.
func (p *calProduct) extra(d, to api.Date) float64 {
	if p.launch != 0 && d < p.launch {
		return 0
	}
	_, m, dom := d.Parts()
	trend := math.Exp(p.growth * float64(d-to))
	switch p.recurs {
	case RecurMonthEnd:
		if d == d.MonthEnd() {
			return p.recurSize * trend
		}
	case RecurQuarterEnd:
		if d == d.MonthEnd() && m%3 == 0 {
			return p.recurSize * trend
		}
	case RecurFixedDay:
		if dom == p.recurDay {
			return p.recurSize * trend
		}
	case RecurFee:
		if dom == p.recurDay {
			return p.recurSize
		}
	}
	return 0
}

// poisson draws a Poisson count of mean lambda (a normal one, rounded,
// for large means).
func poisson(r *rng, lambda float64) float64 {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, math.Round(lambda+math.Sqrt(lambda)*3*bell(r.next())))
	}
	limit, k, prod := math.Exp(-lambda), 0.0, r.float()
	for prod > limit {
		k++
		prod *= r.float()
	}
	return k
}
