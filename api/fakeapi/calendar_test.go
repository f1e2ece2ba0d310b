package fakeapi

import (
	"bytes"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
)

// TestCalendarYearIsSeededAndVaried: a seed gives the same year; another
// seed gives other products and event dates; every shape is there.
func TestCalendarYearIsSeededAndVaried(t *testing.T) {
	to := api.NewDate(2026, 6, 30)
	a, b, c := NewCalendarYear(7, to), NewCalendarYear(7, to), NewCalendarYear(8, to)
	if a.Groups[0].Events[3] != b.Groups[0].Events[3] || !a.Groups[1].Products[5].Cost[300].Equal(b.Groups[1].Products[5].Cost[300]) {
		t.Error("the same seed drew two different years")
	}
	if len(a.Groups[0].Products) == len(c.Groups[0].Products) && a.Groups[0].Events[3] == c.Groups[0].Events[3] {
		t.Error("seeds 7 and 8 drew the same year")
	}
	for _, g := range a.Groups {
		shapes := map[CalendarShape]int{}
		for _, e := range g.Events {
			shapes[e.Shape]++
			if e.Start < a.From || e.Start > a.To {
				t.Errorf("%s event %+v outside the labelled year", g.Name, e)
			}
		}
		for _, s := range []CalendarShape{ShapeHoliday, ShapeSpike, ShapeStop, ShapeStep, ShapeLaunch, ShapeDrift, ShapeWeekly} {
			if shapes[s] == 0 {
				t.Errorf("%s has no %s event", g.Name, s)
			}
		}
		recurs := map[string]bool{}
		for _, p := range g.Products {
			recurs[p.Recurs] = true
		}
		for _, r := range []string{RecurMonthEnd, RecurQuarterEnd, RecurFixedDay, RecurFee} {
			if !recurs[r] {
				t.Errorf("%s has no product with a %s", g.Name, r)
			}
		}
	}
}

// TestCalendarHolidays checks observed dates against the calendars.
func TestCalendarHolidays(t *testing.T) {
	d := api.NewDate
	want := map[string][]api.Date{
		"US": {d(2026, 1, 1), d(2026, 1, 19), d(2026, 2, 16), d(2026, 5, 25), d(2026, 6, 19), d(2026, 7, 3), d(2026, 9, 7), d(2026, 11, 26), d(2026, 12, 25)},
		"GB": {d(2026, 1, 1), d(2026, 4, 3), d(2026, 4, 6), d(2026, 5, 4), d(2026, 5, 25), d(2026, 8, 31), d(2026, 12, 25), d(2026, 12, 28)},
	}
	for country, dates := range want {
		got := calendarHolidays(country, d(2026, 1, 1), d(2026, 12, 31))
		if len(got) != len(dates) {
			t.Fatalf("%s: %d holidays, want %d: %v", country, len(got), len(dates), got)
		}
		for k, h := range got {
			if h.Date != dates[k] || h.Date.Weekday() == time.Saturday || h.Date.Weekday() == time.Sunday {
				t.Errorf("%s %s on %s (%s), want %s", country, h.Name, h.Date, h.Date.Weekday(), dates[k])
			}
		}
	}
}

// TestCalendarYearServes: the year written as a dataset file loads back
// with every record.
func TestCalendarYearServes(t *testing.T) {
	y := NewCalendarYear(3, api.NewDate(2026, 3, 31))
	var buf bytes.Buffer
	if err := y.WriteDataset(&buf); err != nil {
		t.Fatal(err)
	}
	ds, err := ParseDataset(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	g := y.Groups[1]
	recs, ok := ds.Records(g.ID, y.From, y.From+30, api.Daily, "")
	want := 0
	for _, p := range g.Products {
		for k := int(y.From - y.Start); k <= int(y.From-y.Start)+30; k++ {
			if !p.Cost[k].IsZero() {
				want++
			}
		}
	}
	if !ok || len(recs) != want || ds.AsOf() != y.To || recs[0].Price.Currency != "GBP" {
		t.Errorf("served %d records (ok %v, asOf %s), want %d", len(recs), ok, ds.AsOf(), want)
	}
}
