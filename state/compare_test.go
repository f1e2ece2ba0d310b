package state_test

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func TestCompareChange(t *testing.T) {
	dec := decimal.RequireFromString
	cases := []struct {
		name        string
		cur         string
		curDays     int
		prev        string
		prevDays    int
		percent     float64
		isNew, gone bool
		text        string
	}{
		{"February at January's daily rate is no change", "280", 28, "310", 31, 0, false, false, "0.0%"},
		{"same total over fewer days is a rise", "310", 28, "310", 31, 10.714285714, false, false, "+10.7%"},
		{"up 12.3%", "112.3", 30, "100", 30, 12.3, false, false, "+12.3%"},
		{"down 4%", "96", 30, "100", 30, -4, false, false, "-4.0%"},
		{"new: no history", "50", 30, "0", 30, 0, true, false, "new"},
		{"new after credits only", "50", 30, "-3", 30, 0, true, false, "new"},
		{"gone", "0", 30, "80", 30, -100, false, true, "-100%"},
		{"nothing either side", "0", 30, "0", 31, 0, false, false, "0.0%"},
		{"huge rise", "1350", 30, "100", 30, 1250, false, false, "+1250%"},
		{"tiny fractions stay exact", "0.0000000000000000000124", 31, "0.0000000000000000000124", 31, 0, false, false, "0.0%"},
		{"zero days do not divide by zero", "10", 0, "10", 0, 0, false, false, "0.0%"},
		{"a partial month at the same rate", "150", 15, "310", 31, 0, false, false, "0.0%"},
	}
	for _, c := range cases {
		got := state.CompareChange(dec(c.cur), c.curDays, dec(c.prev), c.prevDays)
		if math.Abs(got.Percent-c.percent) > 1e-6 || got.New != c.isNew || got.Gone != c.gone {
			t.Errorf("%s: %+v, want percent %v new %v gone %v", c.name, got, c.percent, c.isNew, c.gone)
		}
		if got.String() != c.text {
			t.Errorf("%s: %q, want %q", c.name, got.String(), c.text)
		}
	}
}

func TestComparePrevious(t *testing.T) {
	d := api.NewDate
	cases := []struct {
		name             string
		from, to         api.Date
		prevFrom, prevTo api.Date
	}{
		{"February against January", d(2025, 2, 1), d(2025, 2, 28), d(2025, 1, 1), d(2025, 1, 31)},
		{"March against February", d(2025, 3, 1), d(2025, 3, 31), d(2025, 2, 1), d(2025, 2, 28)},
		{"January against December", d(2025, 1, 1), d(2025, 1, 31), d(2024, 12, 1), d(2024, 12, 31)},
		{"a quarter against the one before", d(2025, 4, 1), d(2025, 6, 30), d(2025, 1, 1), d(2025, 3, 31)},
		{"month to date", d(2025, 3, 1), d(2025, 3, 15), d(2025, 2, 1), d(2025, 2, 15)},
		{"month to date longer than last month", d(2025, 3, 1), d(2025, 3, 30), d(2025, 2, 1), d(2025, 2, 28)},
		{"year to date", d(2025, 1, 1), d(2025, 6, 15), d(2024, 1, 1), d(2024, 6, 15)},
		{"year to date from a leap day", d(2024, 1, 1), d(2024, 2, 29), d(2023, 1, 1), d(2023, 2, 28)},
		{"last month, a January", d(2025, 1, 1), d(2025, 1, 31), d(2024, 12, 1), d(2024, 12, 31)},
		{"a whole year", d(2024, 1, 1), d(2024, 12, 31), d(2023, 1, 1), d(2023, 12, 31)},
		{"yesterday", d(2025, 6, 14), d(2025, 6, 14), d(2025, 6, 13), d(2025, 6, 13)},
		{"a custom range", d(2025, 5, 10), d(2025, 5, 24), d(2025, 4, 25), d(2025, 5, 9)},
	}
	for _, c := range cases {
		pf, pt := state.ComparePrevious(c.from, c.to)
		if pf != c.prevFrom || pt != c.prevTo {
			t.Errorf("%s: %s..%s, want %s..%s", c.name, pf, pt, c.prevFrom, c.prevTo)
		}
	}
}
