package state_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/state"
)

// benchInputs is a year of daily cost for count products of every shape:
// 109,500 product-days, the dashboard's 100,000-record budget.
func benchInputs(count, days int) ([]state.AnomalyInput, state.AnomalyWindow) {
	today := api.NewDate(2025, 9, 17)
	start := today.AddDays(-days)
	rng := rand.New(rand.NewPCG(99, 1))
	ps, _ := synthPopulation(rng, count, days, 28, start)
	ins := make([]state.AnomalyInput, len(ps))
	for k, p := range ps {
		ins[k] = p.input(start, days, uint64(k))
	}
	return ins, state.AnomalyWindow{From: start.AddDays(28), To: today, AsOf: today, Today: today}
}

// BenchmarkDetectAndCompare300x365 is the budget of DESIGN.md: detection
// and the change against the previous period over 300 products x 365
// days must take under 100 ms. The comparison sums each half-year
// exactly, as it would without rollups.
func BenchmarkDetectAndCompare300x365(b *testing.B) {
	ins, w := benchInputs(300, 365)
	cfg := state.DefaultDetectorConfig()
	b.ResetTimer()
	for b.Loop() {
		rows := state.DetectGroupAnomalies(ins, w, cfg).Anomalies
		for _, in := range ins {
			half := len(in.Daily) / 2
			var prev, cur decimal.Decimal
			for _, x := range in.Daily[:half] {
				prev = prev.Add(x)
			}
			for _, x := range in.Daily[half:] {
				cur = cur.Add(x)
			}
			_ = state.CompareChange(cur, len(in.Daily)-half, prev, half)
		}
		_ = rows
	}
	b.ReportMetric(float64(len(ins)*365), "product-days/op")
}

// BenchmarkDetectAll300x365 is the detection part alone.
func BenchmarkDetectAll300x365(b *testing.B) {
	ins, w := benchInputs(300, 365)
	cfg := state.DefaultDetectorConfig()
	for b.Loop() {
		state.DetectGroupAnomalies(ins, w, cfg)
	}
}

// BenchmarkDetectAnomalies measures one product's year alone, by shape.
func BenchmarkDetectAnomalies(b *testing.B) {
	ins, w := benchInputs(300, 365)
	cfg := state.DefaultDetectorConfig()
	for _, k := range []int{0, 1, 2} {
		b.Run(fmt.Sprint(ins[k].ProductName), func(b *testing.B) {
			for b.Loop() {
				state.DetectAnomalies(ins[k], w, cfg)
			}
		})
	}
}

// BenchmarkDetectCalendarYear judges both groups of a labelled calendar
// year (some 250 products) over a year with the history DetectorHistory
// asks for, shared days and all: the dashboard's THIS_YEAR case.
func BenchmarkDetectCalendarYear(b *testing.B) {
	y := fakeapi.NewCalendarYear(1, api.NewDate(2025, 12, 31))
	cfg := state.DefaultDetectorConfig()
	w := state.AnomalyWindow{From: y.From, To: y.To, AsOf: y.To, Today: y.To + 1}
	var groups [][]state.AnomalyInput
	days := 0
	for _, g := range y.Groups {
		q := state.Query{GroupID: g.ID, From: y.From, To: y.To, Aggregation: api.Daily}
		from, _ := state.DetectorHistory(q, y.To+1, cfg)
		ins := calendarInputs(y, g, from)
		groups = append(groups, ins)
		days += len(ins) * len(ins[0].Daily)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, ins := range groups {
			state.DetectGroupAnomalies(ins, w, cfg)
		}
	}
	b.ReportMetric(float64(days), "product-days/op")
}
