package state_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// shapeSeries draws n days from start of a product at level a day with
// weekend factor weekend and noise sigma, then lets shape change any day's
// cost (given its date and the drawn cost).
func shapeSeries(seed uint64, start api.Date, n int, level, weekend, sigma float64, shape func(d api.Date, x float64) float64) []decimal.Decimal {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([]decimal.Decimal, n)
	for i := range out {
		d := start.AddDays(i)
		x := level
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			x *= weekend
		}
		x *= math.Exp(sigma * max(-3, min(3, rng.NormFloat64())))
		if shape != nil {
			x = shape(d, x)
		}
		out[i] = decimal.NewFromFloat(x).Round(2)
	}
	return out
}

// shapeKinds lists the kinds and dates of a result's product findings.
func shapeKinds(rows []state.Anomaly) string {
	var out []string
	for _, a := range rows {
		out = append(out, a.Date.String()+" "+a.Kind.String())
	}
	return strings.Join(out, ", ")
}

// TestGroupFindingForASharedDip: on a day most products dip together, the
// group gets one finding, products that dipped get none (nor in the weeks
// after), and a product that spiked that day is still flagged.
func TestGroupFindingForASharedDip(t *testing.T) {
	start := api.NewDate(2025, 6, 2)
	const n = 150
	holiday := api.NewDate(2025, 9, 1) // a Monday
	var ins []state.AnomalyInput
	for k := range 24 {
		dips := k%4 != 3 // 18 of 24 products dip
		factor := 0.25 + 0.35*float64(k%5)/4
		spiker := k == 5
		ins = append(ins, state.AnomalyInput{
			ProductName: fmt.Sprintf("P%02d", k), Currency: "USD", Start: start,
			Daily: shapeSeries(uint64(k+1), start, n, 40+30*float64(k), 0.4, 0.06, func(d api.Date, x float64) float64 {
				if d != holiday {
					return x
				}
				if spiker {
					return x * 6
				}
				if dips {
					return x * factor
				}
				return x
			}),
		})
	}
	w := state.AnomalyWindow{From: start.AddDays(70), To: start.AddDays(n - 1), AsOf: start.AddDays(n - 1), Today: start.AddDays(n)}
	rep := state.DetectGroupAnomalies(ins, w, state.DefaultDetectorConfig())
	var groups, products []state.Anomaly
	for _, a := range rep.Anomalies {
		if a.Scope == state.ScopeGroup {
			groups = append(groups, a)
		} else {
			products = append(products, a)
		}
	}
	if len(groups) != 1 || groups[0].Date != holiday || groups[0].Kind != state.AnomalyGroup || groups[0].ProductName != "" {
		t.Fatalf("group findings %+v, want one on %s", groups, holiday)
	}
	g := groups[0]
	if g.Of != 24 || g.Moved < 17 || !g.Impact.IsNegative() || g.Currency != "USD" {
		t.Errorf("group finding: %d of %d moved, impact %s %s", g.Moved, g.Of, g.Impact, g.Currency)
	}
	if !strings.HasPrefix(g.Reason, "Mon Sep 1: ") || !strings.Contains(g.Reason, fmt.Sprintf("%d of 24 products down", g.Moved)) || !strings.Contains(g.Reason, "shared by the group") {
		t.Errorf("reason %q", g.Reason)
	}
	if len(products) != 1 || products[0].ProductName != "P05" || products[0].Date != holiday || products[0].Kind != state.AnomalySpike {
		t.Errorf("product findings %s (%d), want only P05's spike on %s", shapeKinds(products), len(products), holiday)
	}
	var incidents int
	for _, in := range rep.Incidents {
		if in.Scope == state.ScopeGroup {
			incidents++
		}
	}
	if incidents != 1 {
		t.Errorf("%d group incidents, want 1", incidents)
	}
}

// TestCalendarRecurrences: charges that recur by the calendar are never
// flagged once they have recurred, and the result says which rule knew
// them.
func TestCalendarRecurrences(t *testing.T) {
	start := api.NewDate(2025, 1, 1)
	const n = 430 // to March 2026
	cases := []struct {
		name   string
		shape  func(d api.Date, x float64) float64
		reason string // one of the Recurring reasons
	}{
		{"quarter-end batch", func(d api.Date, x float64) float64 {
			if _, m, _ := d.Parts(); d == d.MonthEnd() && m%3 == 0 {
				return x + 2000
			}
			return x
		}, "Dec 31: quarter-end batch, as on Sep 30 and Jun 30"},
		{"month-end batch, Feb 28 after Jan 31", func(d api.Date, x float64) float64 {
			if d == d.MonthEnd() {
				return x + 600
			}
			return x
		}, "Feb 28: month-end batch, as on Jan 31"},
		{"fee on the 15th", func(d api.Date, x float64) float64 {
			if _, _, dd := d.Parts(); dd == 15 {
				return x + 350
			}
			return x
		}, "Jan 15: monthly fee on the 15th, as on Dec 15"},
		{"batch on the 10th", func(d api.Date, x float64) float64 {
			if _, _, dd := d.Parts(); dd == 10 {
				return x + 400
			}
			return x
		}, "Nov 10: charge on the 10th, as on Oct 10"},
	}
	for k, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := state.AnomalyInput{ProductName: c.name, Currency: "USD", Start: start,
				Daily: shapeSeries(uint64(k+10), start, n, 120, 0.5, 0.05, c.shape)}
			w := state.AnomalyWindow{From: start.AddDays(200), To: start.AddDays(n - 1), AsOf: start.AddDays(n - 1)}
			res := state.DetectAnomalies(in, w, state.DefaultDetectorConfig())
			if len(res.Anomalies) != 0 {
				t.Errorf("flagged %s", shapeKinds(res.Anomalies))
			}
			var reasons []string
			for _, r := range res.Recurring {
				reasons = append(reasons, r.Reason)
			}
			if !strings.Contains(strings.Join(reasons, "\n"), c.reason) {
				t.Errorf("recurring reasons lack %q:\n%s", c.reason, strings.Join(reasons, "\n"))
			}
			// The note a user reads says why the charges stayed quiet.
			if n := len(reasons); n == 0 || !strings.Contains(res.Note, "recurring charges not flagged (latest "+reasons[n-1]+")") {
				t.Errorf("note %q", res.Note)
			}
		})
	}
}

// TestFeeOnTheFirstWithAPeriodFromTheFirst: a fee on the 1st is no
// anomaly when the period opens on the 1st, given the history
// DetectorHistory asks for.
func TestFeeOnTheFirstWithAPeriodFromTheFirst(t *testing.T) {
	today := api.NewDate(2026, 3, 20)
	q := state.Query{GroupID: "commerce_billingprofile_x", Period: api.ThisMonth, Aggregation: api.Daily}
	from, _ := state.DetectorHistory(q, today, state.DefaultDetectorConfig())
	for k, fee := range []float64{25, 480} {
		in := state.AnomalyInput{ProductName: "Numbers", Currency: "USD", Start: from,
			Daily: shapeSeries(uint64(k), from, int(today-from), 30, 0.9, 0.05, func(d api.Date, x float64) float64 {
				if _, _, dd := d.Parts(); dd == 1 {
					return x + fee
				}
				return x
			})}
		w := state.AnomalyWindow{From: api.NewDate(2026, 3, 1), To: today, AsOf: today - 1, Today: today}
		if res := state.DetectAnomalies(in, w, state.DefaultDetectorConfig()); len(res.Anomalies) != 0 {
			t.Errorf("fee %g: flagged %s", fee, shapeKinds(res.Anomalies))
		}
	}
}

// TestWeeklyPatternChangeIsFlaggedOnce: weekends that become as busy as
// weekdays are one pattern finding, then the new weekends are normal.
func TestWeeklyPatternChangeIsFlaggedOnce(t *testing.T) {
	start := api.NewDate(2025, 3, 3)
	const n = 200
	change := api.NewDate(2025, 7, 5) // a Saturday
	in := state.AnomalyInput{ProductName: "Voice", Currency: "USD", Start: start,
		Daily: shapeSeries(3, start, n, 300, 1, 0.05, func(d api.Date, x float64) float64 {
			if wd := d.Weekday(); d < change && (wd == time.Saturday || wd == time.Sunday) {
				return x * 0.3
			}
			return x
		})}
	w := state.AnomalyWindow{From: start.AddDays(60), To: start.AddDays(n - 1), AsOf: start.AddDays(n - 1)}
	res := state.DetectAnomalies(in, w, state.DefaultDetectorConfig())
	evs := detectorEvents(res.Anomalies)
	if len(evs) != 1 || evs[0].Start != change || !strings.Contains(evs[0].Kinds, "pattern") {
		t.Errorf("findings %s, want one pattern from %s", shapeKinds(res.Anomalies), change)
	}
}

// TestBuildIncidents merges consecutive days of one product, sums their
// money exactly, and sorts incidents by money impact.
func TestBuildIncidents(t *testing.T) {
	d := decimal.RequireFromString
	day := func(name string, date int, actual, expected string) state.Anomaly {
		a := state.Anomaly{ProductName: name, Currency: "USD", Date: api.NewDate(2025, 5, date), Kind: state.AnomalySpike,
			Actual: d(actual), Expected: d(expected), Score: float64(date), Reason: fmt.Sprintf("day %d", date)}
		a.Impact = a.Actual.Sub(a.Expected)
		return a
	}
	rows := []state.Anomaly{
		day("A", 3, "100.10", "50"), day("B", 9, "900", "100"), day("A", 4, "100.20", "50"),
		day("A", 6, "70", "50"), day("A", 5, "100.30", "50"),
		{Scope: state.ScopeGroup, Currency: "USD", Date: api.NewDate(2025, 5, 26), Kind: state.AnomalyGroup, Actual: d("10"), Expected: d("400"), Impact: d("-390")},
	}
	got := state.BuildIncidents(rows)
	var lines []string
	for _, in := range got {
		lines = append(lines, fmt.Sprintf("%s %s %s..%s %d days %s/%s %s %q %.0f", in.Scope, in.ProductName, in.First, in.Last, in.Days, in.Actual, in.Expected, in.Impact, in.Reason, in.Score))
	}
	want := []string{
		`product B 2025-05-09..2025-05-09 1 days 900/100 800 "day 9" 9`,
		`group  2025-05-26..2025-05-26 1 days 10/400 -390 "" 0`,
		`product A 2025-05-03..2025-05-06 4 days 370.6/200 170.6 "day 3" 6`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("incidents:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if len(got[2].Anomalies) != 4 || got[2].Anomalies[0].Date != api.NewDate(2025, 5, 3) {
		t.Errorf("A's days %+v", got[2].Anomalies)
	}
}
