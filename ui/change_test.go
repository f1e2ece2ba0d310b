package ui

import (
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api"
)

// TestChangeCountsWholeDaysOnly: a product that costs the same every day
// shows no change this month, although today's costs are still coming in
// (a part-day counted as a whole one reads as a fall: on the 2nd of a
// month, as one of nearly half). Under MONTHLY the same, once the DAILY
// records are in.
func TestChangeCountsWholeDaysOnly(t *testing.T) {
	feb1 := api.NewDate(2025, 2, 1)
	costs := append(repeat("10.00", 47), "3.00") // Feb 1 .. Mar 19 whole, Mar 20 (today) partial
	for _, agg := range []api.Aggregation{api.Daily, api.Monthly} {
		f := newPagedFetcher(dayRecords("Steady-SMS", feb1, costs), 100)
		opts := testOptions(f)
		opts.Query.Period = api.ThisMonth
		opts.Query.Aggregation = agg
		m := loaded(t, opts, 120, 20)
		var got string
		for _, r := range m.g.Figures().Rows() {
			if r.Key.Name == "Steady-SMS" {
				got = r.Change.String()
			}
		}
		if got != "0.0%" {
			t.Errorf("%s: change %q, want 0.0%%:\n%s", agg, got, screen(m))
		}
		if !strings.Contains(screen(m), "0.0%") {
			t.Errorf("%s: screen:\n%s", agg, screen(m))
		}
	}
}

// TestScreenSaysWhichDaysCount: a monthly fee charged today is not in the
// figures until the day is complete; the header says which days the
// figures cover and what they are compared with, so a $0.00 row is not a
// mystery.
func TestScreenSaysWhichDaysCount(t *testing.T) {
	feb1 := api.NewDate(2025, 2, 1)
	costs := repeat("0", 48)
	costs[19], costs[47] = "1000", "1000" // Feb 20 and Mar 20 (today)
	opts := testOptions(newPagedFetcher(dayRecords("Short Code-Monthly Lease", feb1, costs), 100))
	opts.Query.Period = api.ThisMonth
	m := loaded(t, opts, 120, 20)
	v := screen(m)
	if !strings.Contains(v, "figures Mar 1-19 vs Feb 1-19") {
		t.Errorf("the header does not say which days count:\n%s", v)
	}
	var row string
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "Monthly Lease") {
			row = l
		}
	}
	if !strings.Contains(row, "$0.00") || !strings.Contains(row, "0.0%") {
		t.Errorf("today's fee counted before the day is complete: %q", row)
	}
}
