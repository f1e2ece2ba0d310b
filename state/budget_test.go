package state

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

func TestBudgetRuleMatches(t *testing.T) {
	k := ProductKey{Name: "United States-Verify-SMS", Category: "sms-verify", Currency: "USD"}
	tests := []struct {
		rule BudgetRule
		want bool
	}{
		{BudgetRule{}, true},
		{BudgetRule{Category: "sms-*"}, true},
		{BudgetRule{Category: "SMS-*"}, true},
		{BudgetRule{Category: "voice-*"}, false},
		{BudgetRule{Product: "*-Verify-*"}, true},
		{BudgetRule{Category: "sms-*", Product: "*-Lookup-*"}, false},
		{BudgetRule{Currency: "GBP"}, false},
		{BudgetRule{Product: "[unclosed"}, false},
	}
	for _, tc := range tests {
		if got := tc.rule.Matches(k); got != tc.want {
			t.Errorf("%+v matches %v, want %v", tc.rule, got, tc.want)
		}
	}
}

func TestEvaluateBudget(t *testing.T) {
	today := d("2026-11-16") // through Nov 15: 15 days of 10 a day, and a fee of 1000 on the 1st
	q := Query{Period: api.ThisMonth}
	g := loaded(t, book{"usage": func(api.Date) string { return "10" }, "fee": fee}, q, today)
	fcs := g.MonthForecasts()
	tests := []struct {
		name      string
		rule      BudgetRule
		spent     string
		forecast  string
		breach    string // "" none
		level     int
		byForcast bool
	}{
		{"not breached: 1,300 of 2,000", BudgetRule{Monthly: decimal.NewFromInt(2000)}, "1150", "1300", "", 50, false},
		{"forecast breaches on the 23rd", BudgetRule{Monthly: decimal.NewFromInt(1230)}, "1150", "1300", "2026-11-23", 100, true},
		{"already breached", BudgetRule{Product: "fee", Monthly: decimal.NewFromInt(900)}, "1000", "1000", "2026-11-15", 100, false},
		{"one product's budget", BudgetRule{Product: "us*", Monthly: decimal.NewFromInt(1000)}, "150", "300", "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, ok := g.EvaluateBudget(tc.rule, fcs)
			if !ok {
				t.Fatal("no evaluation")
			}
			if !st.Spent.Equal(decimal.RequireFromString(tc.spent)) || !st.Forecast.Equal(decimal.RequireFromString(tc.forecast)) {
				t.Errorf("spent %s forecast %s, want %s %s", st.Spent, st.Forecast, tc.spent, tc.forecast)
			}
			if got := ""; st.HasBreach {
				got = st.Breach.String()
				if got != tc.breach {
					t.Errorf("breach %s, want %q", got, tc.breach)
				}
			} else if tc.breach != "" {
				t.Errorf("no breach, want %s", tc.breach)
			}
			if st.Level() != tc.level {
				t.Errorf("level %d, want %d (%+v)", st.Level(), tc.level, st.Crossed)
			}
			if n := len(st.Crossed); n > 0 && st.Crossed[n-1].Forecast != tc.byForcast {
				t.Errorf("crossing by forecast %v, want %v", st.Crossed[n-1].Forecast, tc.byForcast)
			}
		})
	}
}
