package state

import (
	"testing"

	"github.com/usagetop/usagetop/api"
)

func TestRollingPeriodBounds(t *testing.T) {
	today := api.NewDate(2026, 12, 2)
	tests := []struct {
		p          RollingPeriod
		today      api.Date
		start, end api.Date
	}{
		{Last7Days, today, api.NewDate(2026, 11, 25), api.NewDate(2026, 12, 1)},
		{Last30Days, today, api.NewDate(2026, 11, 2), api.NewDate(2026, 12, 1)},
		{Last90Days, today, api.NewDate(2026, 9, 3), api.NewDate(2026, 12, 1)},
		{Last12Months, today, api.NewDate(2025, 12, 1), api.NewDate(2026, 11, 30)},
		// Twelve months holding February 29th are 366 days: cut to 365.
		{Last12Months, api.NewDate(2024, 3, 15), api.NewDate(2023, 3, 1), api.NewDate(2024, 2, 28)},
	}
	for _, tt := range tests {
		s, e := tt.p.Bounds(tt.today)
		if s != tt.start || e != tt.end {
			t.Errorf("%s on %s = %s..%s, want %s..%s", tt.p, tt.today, s, e, tt.start, tt.end)
		}
		q := tt.p.Apply(Query{GroupID: "commerce_billingprofile_x", Period: api.ThisMonth}, tt.today)
		if err := q.Validate(); err != nil {
			t.Errorf("%s: the custom range is refused: %v", tt.p, err)
		}
		if r := q.Request(0); r.Period != "" || r.StartDate != tt.start || r.EndDate != tt.end {
			t.Errorf("%s is not sent as a custom range: %+v", tt.p, r)
		}
		if got, ok := RollingOf(q, tt.today); !ok || got != tt.p {
			t.Errorf("RollingOf(%s) = %q, %v", tt.p, got, ok)
		}
	}
}

// TestRollingPeriodSteps: [ steps a rolling preset back by its own length
// and ] comes back to it.
func TestRollingPeriodSteps(t *testing.T) {
	today := api.NewDate(2026, 12, 2)
	for _, p := range RollingPeriods {
		q := p.Apply(Query{GroupID: "commerce_billingprofile_x"}, today)
		back := q.Shift(-1, today)
		if back == q {
			t.Fatalf("%s: [ did not step", p)
		}
		if back.To != q.From-1 {
			t.Errorf("%s: [ gives %s..%s, want it to end the day before %s", p, back.From, back.To, q.From)
		}
		if _, ok := RollingOf(back, today); ok {
			t.Errorf("%s: the step back still reads as a rolling preset", p)
		}
		if again := back.Shift(1, today); again != q {
			t.Errorf("%s: ] after [ gives %s..%s, want %s..%s", p, again.From, again.To, q.From, q.To)
		}
	}
}

func TestParseRollingPeriod(t *testing.T) {
	if p, ok := ParseRollingPeriod("last_30_days"); !ok || p != Last30Days {
		t.Errorf("ParseRollingPeriod(last_30_days) = %q, %v", p, ok)
	}
	if _, ok := ParseRollingPeriod("LAST_MONTH"); ok {
		t.Error("LAST_MONTH is an API preset, not a rolling one")
	}
}
