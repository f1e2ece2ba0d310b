package api

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want time.Time
	}{
		{"2026-02-28", true, time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)},
		{"2024-02-29", true, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"1970-01-01", true, time.Unix(0, 0).UTC()},
		{"1969-12-31", true, time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"2026-12-31", true, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"2026-02-30", false, time.Time{}},
		{"2025-02-29", false, time.Time{}},
		{"2100-02-29", false, time.Time{}},
		{"2026-04-31", false, time.Time{}},
		{"2026-13-01", false, time.Time{}},
		{"2026-00-01", false, time.Time{}},
		{"2026-01-00", false, time.Time{}},
		{"2026-1-5", false, time.Time{}},
		{"2026/01/05", false, time.Time{}},
		{"05-01-2026", false, time.Time{}},
		{"2026-01-05T00:00:00Z", false, time.Time{}},
		{" 2026-01-05", false, time.Time{}},
		{"", false, time.Time{}},
		{"yesterday", false, time.Time{}},
	} {
		d, err := ParseDate(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q) error %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if !tc.ok {
			if err != nil && !containsQuoted(err.Error(), tc.in) {
				t.Errorf("ParseDate(%q) error %q does not quote the input", tc.in, err)
			}
			continue
		}
		if !d.Time().Equal(tc.want) || d.String() != tc.in {
			t.Errorf("ParseDate(%q) = %s (%s), want %s", tc.in, d, d.Time(), tc.want)
		}
	}
}

func containsQuoted(s, in string) bool {
	for i := 0; i+len(in)+2 <= len(s); i++ {
		if s[i] == '"' && s[i+1:i+1+len(in)] == in && s[i+1+len(in)] == '"' {
			return true
		}
	}
	return false
}

func TestDateArithmetic(t *testing.T) {
	d := NewDate(2024, 2, 28)
	for _, tc := range []struct {
		name string
		got  Date
		want string
	}{
		{"next day in a leap year", d.AddDays(1), "2024-02-29"},
		{"two days on", d.AddDays(2), "2024-03-01"},
		{"month start", d.MonthStart(), "2024-02-01"},
		{"month end, leap", d.MonthEnd(), "2024-02-29"},
		{"month end, December", NewDate(2025, 12, 5).MonthEnd(), "2025-12-31"},
		{"normalising parts", NewDate(2025, 13, 1), "2026-01-01"},
		{"before the epoch", NewDate(1969, 7, 20), "1969-07-20"},
		{"DateOf a non-UTC time", DateOf(time.Date(2025, 3, 1, 23, 30, 0, 0, time.FixedZone("EST", -5*3600))), "2025-03-02"},
	} {
		if tc.got.String() != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.want)
		}
	}
	if n := DaysInclusive(NewDate(2025, 1, 1), NewDate(2025, 12, 31)); n != 365 {
		t.Errorf("2025 has %d days inclusive, want 365", n)
	}
	if !Date(0).IsZero() || NewDate(2025, 1, 1).IsZero() {
		t.Error("IsZero")
	}
}

func TestWeekdayMatchesTheCalendar(t *testing.T) {
	for d := NewDate(1960, 1, 1); d < NewDate(1980, 1, 1); d += 13 {
		if got, want := d.Weekday(), d.Time().Weekday(); got != want {
			t.Fatalf("%s: Weekday %s, want %s", d, got, want)
		}
	}
}

func TestTimePeriodBounds(t *testing.T) {
	for _, tc := range []struct {
		p          TimePeriod
		today      string
		start, end string
	}{
		{Yesterday, "2025-03-01", "2025-02-28", "2025-02-28"},
		{Yesterday, "2025-01-01", "2024-12-31", "2024-12-31"},
		{ThisMonth, "2025-03-15", "2025-03-01", "2025-03-15"},
		{ThisMonth, "2025-03-01", "2025-03-01", "2025-03-01"},
		{LastMonth, "2025-03-15", "2025-02-01", "2025-02-28"},
		{LastMonth, "2024-03-31", "2024-02-01", "2024-02-29"},
		{LastMonth, "2025-01-10", "2024-12-01", "2024-12-31"},
		{ThisYear, "2025-03-15", "2025-01-01", "2025-03-15"},
	} {
		start, end, ok := tc.p.Bounds(mustDate(t, tc.today))
		if !ok || start.String() != tc.start || end.String() != tc.end {
			t.Errorf("%s on %s = %s..%s (%v), want %s..%s", tc.p, tc.today, start, end, ok, tc.start, tc.end)
		}
	}
	if _, _, ok := TimePeriod("LAST_WEEK").Bounds(NewDate(2025, 1, 1)); ok {
		t.Error("unknown period has bounds")
	}
}
