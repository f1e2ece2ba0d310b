package state_test

import (
	"fmt"
	"testing"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// detectorCase lays out a test series: detectorDays days from
// detectorStart, the last detectorJudged of them judged (the rest is
// lookback), with today the day after the series.
const (
	detectorDays   = 150
	detectorJudged = 120
)

var detectorStart = api.NewDate(2025, 3, 3)

func detectorWindow() state.AnomalyWindow {
	today := detectorStart.AddDays(detectorDays)
	return state.AnomalyWindow{From: today.AddDays(-detectorJudged), To: today, AsOf: today, Today: today}
}

func TestDetectorCases(t *testing.T) {
	day := func(i int) api.Date { return detectorStart.AddDays(i) }
	const x = 100 // a day well inside the judged window
	type want struct {
		kind state.AnomalyKind
		from int // the first flagged day must lie in from..to (indexes)
		to   int
	}
	cases := []struct {
		name string
		p    synthProduct
		want []want // nil: nothing flagged
	}{
		{"spike on a weekly cycle",
			synthProduct{Level: 200, Weekend: 0.4, Noise: 0.05, Events: []synthEvent{{Start: x, Days: 1, Factor: 3}}},
			[]want{{state.AnomalySpike, x, x}}},
		{"Saturday spike on a weekday product",
			synthProduct{Level: 200, Weekend: 0.3, Noise: 0.05, Events: []synthEvent{{Start: 103, Days: 1, Factor: 4}}}, // 103 is a Saturday
			[]want{{state.AnomalySpike, 103, 103}}},
		{"drop for a day",
			synthProduct{Level: 500, Weekend: 1, Noise: 0.05, Events: []synthEvent{{Start: x, Days: 1, Factor: 0.3}}},
			[]want{{state.AnomalyDrop, x, x}}},
		{"five-day spike is one event with no drop after it",
			synthProduct{Level: 80, Weekend: 0.5, Noise: 0.08, Events: []synthEvent{{Start: x, Days: 5, Factor: 3}}},
			[]want{{state.AnomalySpike, x, x}}},
		{"step up flags its first days only",
			synthProduct{Level: 300, Weekend: 0.5, Noise: 0.06, Events: []synthEvent{{Start: x, Factor: 2}}},
			[]want{{state.AnomalyStep, x, x}}},
		{"step down flags its first days only",
			synthProduct{Level: 300, Weekend: 1, Noise: 0.06, Events: []synthEvent{{Start: x, Factor: 0.4}}},
			[]want{{state.AnomalyStep, x, x}}},
		{"launch is new, its ramp-up is not",
			synthProduct{Level: 120, Weekend: 0.6, Noise: 0.1, Launch: x, Ramp: 6},
			[]want{{state.AnomalyNew, x, x + 3}}},
		{"shutdown is one stop",
			synthProduct{Level: 60, Weekend: 0.7, Noise: 0.1, Stop: x},
			[]want{{state.AnomalyStop, x, x}}},
		{"four-day outage is one stop, not a new cost after",
			synthProduct{Level: 60, Weekend: 1, Noise: 0.1, Events: []synthEvent{{Start: x, Days: 4, Factor: 0}}},
			[]want{{state.AnomalyStop, x, x}}},
		{"monthly fee on the 1st over a base",
			synthProduct{Level: 20, Weekend: 0.8, Noise: 0.1, FeeDay: 1, Fee: 300}, nil},
		{"monthly fee alone",
			synthProduct{Level: 0, Weekend: 1, FeeDay: 1, Fee: 450}, nil},
		{"monthly fee on the 28th",
			synthProduct{Level: 15, Weekend: 1, Noise: 0.05, FeeDay: 28, Fee: 90}, nil},
		{"weekend dips", synthProduct{Level: 900, Weekend: 0.15, Noise: 0.06}, nil},
		{"closed at weekends", synthProduct{Level: 900, Weekend: 0, Noise: 0.06}, nil},
		// +1% a day moves the level 40% from its level of four to eight
		// weeks before once drift can be judged (history, then eight
		// weeks), and again eight weeks after the first finding.
		{"growth of 1% a day is a drift, once per eight weeks",
			synthProduct{Level: 100, Weekend: 0.7, Trend: 0.01, Noise: 0.05},
			[]want{{state.AnomalyDrift, 70, 72}, {state.AnomalyDrift, 126, 130}}},
		{"slow growth", synthProduct{Level: 100, Weekend: 0.7, Trend: 0.003, Noise: 0.05}, nil},
		{"launch ramping up from below the money floor is one new, dated at the launch",
			synthProduct{Level: 100, Weekend: 1, Noise: 0.05, Launch: x, Ramp: 30}, []want{{state.AnomalyNew, x, x}}},
		{"slow decline", synthProduct{Level: 400, Weekend: 0.7, Trend: -0.006, Noise: 0.05}, nil},
		{"a few pricey units a day", synthProduct{Level: 400, Weekend: 0.5, Unit: 60}, nil},
		{"many cheap units a day", synthProduct{Level: 300, Weekend: 0.6, Unit: 0.0079}, nil},
		{"tiny product below the money floor",
			synthProduct{Level: 0.5, Weekend: 0.5, Noise: 0.2, Events: []synthEvent{{Start: x, Days: 2, Factor: 5}}}, nil},
		// Its first week costs less than the money floor.
		{"tiny product launching and stopping",
			synthProduct{Level: 0.5, Weekend: 1, Noise: 0.1, Launch: 40, Stop: x}, nil},
	}
	for _, noise := range []float64{0.02, 0.08, 0.15} {
		for _, level := range []float64{0.03, 4, 70, 2500, 60000} {
			cases = append(cases, struct {
				name string
				p    synthProduct
				want []want
			}{fmt.Sprintf("noise %.0f%% at %g a day", noise*100, level), synthProduct{Level: level, Weekend: 0.6, Noise: noise}, nil})
		}
	}
	w := detectorWindow()
	for k, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.p.Name = c.name
			in := c.p.input(detectorStart, detectorDays, uint64(k+1))
			res := state.DetectAnomalies(in, w, state.DefaultDetectorConfig())
			evs := detectorEvents(res.Anomalies)
			if len(evs) != len(c.want) {
				for _, a := range res.Anomalies {
					t.Logf("%s %s actual %s expected %s score %.1f: %s", a.Date, a.Kind, a.Actual, a.Expected, a.Score, a.Reason)
				}
				t.Fatalf("%d events, want %d", len(evs), len(c.want))
			}
			for e, wnt := range c.want {
				first := res.Anomalies[0]
				for _, a := range res.Anomalies {
					if a.Date == evs[e].Start {
						first = a
					}
				}
				if first.Kind != wnt.kind || first.Date < day(wnt.from) || first.Date > day(wnt.to) {
					t.Errorf("event starts %s %s, want %s on %s..%s", first.Date, first.Kind, wnt.kind, day(wnt.from), day(wnt.to))
				}
				if days := int(evs[e].End-evs[e].Start) + 1; days > 6 {
					t.Errorf("event runs %d days (%s..%s): a change should be flagged for its first days", days, evs[e].Start, evs[e].End)
				}
			}
			if res.Status != state.AnomalyJudged && c.p.Launch == 0 {
				t.Errorf("status %v (%s), want judged", res.Status, res.Note)
			}
		})
	}
}
