package state_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func TestAnomalyMoney(t *testing.T) {
	cases := []struct {
		amount, currency string
		signed           bool
		want             string
	}{
		{"412.3", "USD", true, "+$412"},
		{"412.5", "USD", false, "$413"},
		{"-1234.4", "GBP", true, "-£1,234"},
		{"1234567.89", "EUR", false, "€1,234,568"},
		{"0.37", "EUR", true, "+€0.37"},
		{"12.345", "usd", false, "$12.35"},
		{"0.0042", "USD", false, "$0.0042"},
		{"0", "USD", true, "$0.00"},
		{"99.994", "USD", false, "$99.99"},
		{"412", "JPY", true, "+412 JPY"},
		{"-3.5", "", true, "-3.50"},
	}
	for _, c := range cases {
		if got := state.AnomalyMoney(decimal.RequireFromString(c.amount), c.currency, c.signed); got != c.want {
			t.Errorf("AnomalyMoney(%s, %q, %v) = %q, want %q", c.amount, c.currency, c.signed, got, c.want)
		}
	}
}

func TestAnomalyKindString(t *testing.T) {
	want := []string{"spike", "drop", "new", "stop", "step", "drift", "pattern", "group"}
	for k, kind := range state.AnomalyKinds {
		if kind.String() != want[k] {
			t.Errorf("%d: %q, want %q", k, kind.String(), want[k])
		}
	}
	if s := state.AnomalyKind(0).String(); !strings.Contains(s, "0") {
		t.Errorf("zero kind: %q", s)
	}
}

// TestAnomalyReasons checks each kind's one-line reason as a user reads it.
func TestAnomalyReasons(t *testing.T) {
	start := api.NewDate(2025, 3, 3) // a Monday
	flat := func(n int, v string) []decimal.Decimal {
		out := make([]decimal.Decimal, n)
		for i := range out {
			out[i] = decimal.RequireFromString(v)
		}
		return out
	}
	w := state.AnomalyWindow{From: start.AddDays(35), To: start.AddDays(59), AsOf: start.AddDays(59)}
	cases := []struct {
		name  string
		daily func() []decimal.Decimal
		kind  state.AnomalyKind
		want  string
	}{
		{"drop", func() []decimal.Decimal { d := flat(60, "200"); d[44] = decimal.NewFromInt(60); return d },
			state.AnomalyDrop, "Wed 0.3x its weekday median; -£140"},
		{"stop", func() []decimal.Decimal {
			d := flat(60, "80.5")
			for i := 50; i < 60; i++ {
				d[i] = decimal.Zero
			}
			return d
		}, state.AnomalyStop, "Tue cost stopped, weekday median £80.50; -£80.50"},
		{"new", func() []decimal.Decimal {
			d := flat(60, "0")
			d[40], d[41], d[42] = decimal.NewFromInt(30), decimal.NewFromInt(31), decimal.NewFromInt(29)
			return d
		},
			state.AnomalyNew, "Sat new cost, none in the 28 days before; +£30.00"},
	}
	for _, c := range cases {
		in := state.AnomalyInput{ProductName: c.name, Currency: "GBP", Start: start, Daily: c.daily()}
		res := state.DetectAnomalies(in, w, state.DefaultDetectorConfig())
		if len(res.Anomalies) != 1 {
			t.Errorf("%s: %+v", c.name, res.Anomalies)
			continue
		}
		if a := res.Anomalies[0]; a.Kind != c.kind || a.Reason != c.want {
			t.Errorf("%s: %s %q, want %s %q", c.name, a.Kind, a.Reason, c.kind, c.want)
		}
	}
}

func TestSortAnomaliesByImpact(t *testing.T) {
	d := api.NewDate(2025, 5, 1)
	mk := func(name string, day int, impact string) state.Anomaly {
		return state.Anomaly{ProductName: name, Date: d.AddDays(day), Impact: decimal.RequireFromString(impact)}
	}
	rows := []state.Anomaly{mk("a", 0, "300"), mk("b", 0, "-400"), mk("c", 1, "300"), mk("a", 2, "12.5"), mk("d", 1, "300")}
	state.SortAnomaliesByImpact(rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.ProductName+"@"+r.Date.String()[8:])
	}
	if want := "b@01 c@02 d@02 a@01 a@03"; strings.Join(got, " ") != want {
		t.Errorf("order %s, want %s", strings.Join(got, " "), want)
	}
}
