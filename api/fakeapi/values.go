package fakeapi

import (
	"math"
	"time"

	"github.com/usagetop/usagetop/api"
)

// value is p's usage (in tenths of a unit) and cost (in 0.0001 of the
// currency) on day d; ok is false on a day without usage. dom and wd are
// d's day of month and weekday, passed in because callers loop over
// products within one day.
func (g *Generator) value(p *product, d api.Date, dom int, wd time.Weekday) (usage, cost int64, ok bool) {
	if !g.alive(p, d) {
		return 0, 0, false
	}
	if p.monthly {
		if dom != p.billDay {
			return 0, 0, false
		}
		usage = 10 * p.monthlyUnits(d, g.today)
	} else {
		v := p.expected(d, wd, g.today) * (1 + p.noise*bell(hash3(p.salt, uint64(d), 0x6e6f697365)))
		if d == g.today {
			v *= g.partial
		}
		units := v / (float64(p.price) / 1e5)
		if p.tenths {
			usage = max(1, int64(math.Round(units*10)))
		} else {
			usage = 10 * max(1, int64(math.Round(units)))
		}
	}
	// usage (0.1) x price (0.00001) is in 0.000001; round half up to 0.0001.
	return usage, (usage*p.price + 50) / 100, true
}

// monthlyUnits is how many units a monthly product rents in d's month:
// a slow, smooth trend, never below one.
func (p *product) monthlyUnits(d, today api.Date) int64 {
	months := float64(d-today) / 30.44
	return max(1, int64(math.Round(p.units0*math.Exp(p.growth*months))))
}

// expected is p's cost on d without noise: level, trend, a slow seasonal
// swing, the weekly cycle and the injected events.
func (p *product) expected(d api.Date, wd time.Weekday, today api.Date) float64 {
	t := float64(d - today)
	v := p.level * math.Exp(p.growth*t) * p.week[wd]
	v *= 1 + p.seasAmp*math.Sin(2*math.Pi*float64(d)/p.seasPeriod+p.seasPhase)
	return v * p.eventFactor(d)
}

// eventFactor multiplies the level on d for the events that touch it.
func (p *product) eventFactor(d api.Date) float64 {
	f := 1.0
	for _, e := range p.events {
		switch e.kind {
		case KindStep:
			if d >= e.start {
				f *= e.factor
			}
		default:
			if d >= e.start && d <= e.end {
				f *= e.factor
			}
		}
	}
	return f
}
