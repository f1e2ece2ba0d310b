package state_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// synthProduct describes a synthetic product's daily cost: the shapes real
// usage has (weekly cycles, trends, monthly fees, launches, shutdowns,
// noise at every size) plus the anomalies injected into it.
type synthProduct struct {
	Name    string
	Level   float64 // mean daily cost at index 0 (before weekly shape)
	Weekend float64 // weekend multiplier: 1 none, 0 closed on weekends
	Trend   float64 // growth per day, e.g. 0.003
	Noise   float64 // multiplicative log-normal sigma
	Unit    float64 // when > 0, cost comes in whole units of this price (count noise)
	FeeDay  int     // day of month of a monthly fee, 0 for none
	Fee     float64
	Launch  int // first active index (ramping up over Ramp days); 0 from the start
	Ramp    int
	Stop    int // first index with no cost; 0 for never
	Events  []synthEvent
}

// synthEvent multiplies a product's cost by Factor over Days days from
// Start; Days 0 means to the end (a step).
type synthEvent struct {
	Start, Days int
	Factor      float64
}

// series renders p over n days from start, deterministic for seed.
func (p synthProduct) series(start api.Date, n int, seed uint64) []decimal.Decimal {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	out := make([]decimal.Decimal, n)
	for i := range out {
		if i < p.Launch || (p.Stop > 0 && i >= p.Stop) {
			out[i] = decimal.Zero
			continue
		}
		d := start.AddDays(i)
		x := p.Level * math.Pow(1+p.Trend, float64(i))
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			x *= p.Weekend
		}
		if p.Ramp > 0 && i < p.Launch+p.Ramp {
			x *= float64(i-p.Launch+1) / float64(p.Ramp+1)
		}
		for _, e := range p.Events {
			if i >= e.Start && (e.Days == 0 || i < e.Start+e.Days) {
				x *= e.Factor
			}
		}
		if p.Unit > 0 {
			x = synthPoisson(rng, x/p.Unit) * p.Unit
		} else if p.Noise > 0 {
			x *= math.Exp(rng.NormFloat64()*p.Noise - p.Noise*p.Noise/2)
		}
		if _, _, dd := d.Parts(); dd == p.FeeDay {
			x += p.Fee
		}
		out[i] = decimal.NewFromFloat(x).Round(4)
	}
	return out
}

// synthPoisson draws a Poisson count with mean lambda.
func synthPoisson(rng *rand.Rand, lambda float64) float64 {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return math.Max(0, math.Round(lambda+rng.NormFloat64()*math.Sqrt(lambda)))
	}
	l, k, p := math.Exp(-lambda), 0.0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// input wraps p's series as detector input.
func (p synthProduct) input(start api.Date, n int, seed uint64) state.AnomalyInput {
	return state.AnomalyInput{ProductName: p.Name, ProductCategory: "synthetic", Currency: "USD", Start: start, Daily: p.series(start, n, seed)}
}

// synthPopulation draws a varied population of products over n days from
// start, with anomalies injected only in the judged days from judgeFrom
// (an index) on. Sizes run from cents to thousands a day; anomalies are
// sized to be plain to a person looking at the chart (at least 6 noise
// sigmas and 50%, and at least twice the money floor), since the truth
// must be findable for recall to mean anything.
func synthPopulation(rng *rand.Rand, count, n, judgeFrom int, start api.Date) ([]synthProduct, []detectorTruth) {
	var ps []synthProduct
	var truths []detectorTruth
	for k := range count {
		p := synthProduct{
			Name:    fmt.Sprintf("P%03d", k),
			Level:   math.Exp(rng.Float64()*math.Log(20000)) * 0.1, // $0.10 .. $2000 a day
			Weekend: 1,
			Trend:   (rng.Float64() - 0.4) * 0.006,
			Noise:   0.02 + rng.Float64()*rng.Float64()*0.3,
		}
		switch rng.IntN(4) {
		case 0:
			p.Weekend = 0.3 + rng.Float64()*0.4
		case 1:
			p.Weekend = 0.1
		}
		if rng.IntN(5) == 0 {
			p.FeeDay = 1 + rng.IntN(28)
			p.Fee = p.Level * (0.5 + rng.Float64()*20)
			if rng.IntN(3) == 0 {
				p.Level *= 0.001 // a product that is nearly all fee
			}
		}
		if rng.IntN(5) == 0 { // counted usage: a few pricey units a day
			p.Unit = p.Level / (3 + rng.Float64()*40)
			p.Noise = 0
		}
		sigma := p.Noise
		if p.Unit > 0 {
			sigma = math.Sqrt(p.Unit / p.Level)
		}
		worth := func(factor float64) bool { // is the change plain and worth money?
			rel := math.Abs(factor - 1)
			return rel >= math.Max(0.5, 6*sigma) && p.Level*math.Min(1, p.Weekend)*rel >= 10
		}
		at := judgeFrom + rng.IntN(n-judgeFrom-10)
		truth := func(kind string, s, e int, plain bool) {
			truths = append(truths, detectorTruth{Product: p.Name, Kind: kind, Start: start.AddDays(s), End: start.AddDays(e), Optional: !plain})
		}
		switch rng.IntN(9) {
		case 0: // spike of 1 to 5 days
			f, days := 2+rng.Float64()*4, 1+rng.IntN(5)
			p.Events = append(p.Events, synthEvent{Start: at, Days: days, Factor: f})
			truth("spike", at, at+days-1, worth(f))
		case 1: // drop of 1 to 3 days
			f, days := 0.05+rng.Float64()*0.35, 1+rng.IntN(3)
			p.Events = append(p.Events, synthEvent{Start: at, Days: days, Factor: f})
			truth("drop", at, at+days-1, worth(f))
		case 2: // step up or down for good
			f := 1.8 + rng.Float64()*1.5
			if rng.IntN(2) == 0 {
				f = 1 / f
			}
			p.Events = append(p.Events, synthEvent{Start: at, Factor: f})
			truth("step", at, at, worth(f))
		case 3: // launch, with a ramp
			p.Launch, p.Ramp = at, rng.IntN(10)
			p.FeeDay = 0 // a new fee's first charge is news; keep the truth simple
			truth("new", at, at+p.Ramp, p.Level*p.Weekend >= 10 || p.Level >= 20)
		case 4: // shutdown
			p.Stop = at
			low := p.Level * math.Min(1, p.Weekend)
			truth("stop", at, at, low >= 10 && (p.Unit == 0 || low/p.Unit >= 5))
		}
		ps = append(ps, p)
	}
	return ps, truths
}
