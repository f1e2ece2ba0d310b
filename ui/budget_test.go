package ui

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// TestBudgetShownInStatusAndDetail: a budget of the open group says how
// it stands in the status bar (spent, forecast, the day it is breached)
// and in the detail of a product it covers; another group's budget says
// nothing.
func TestBudgetShownInStatusAndDetail(t *testing.T) {
	mar1 := api.NewDate(2025, 3, 1)
	opts := testOptions(newPagedFetcher(dayRecords("P", mar1, repeat("10.00", 20)), 1000))
	opts.Query.Period = api.ThisMonth
	opts.Budgets = []state.BudgetRule{
		{Name: "acme", GroupID: fixtureGroup, Monthly: decimal.NewFromInt(250), Currency: "USD"},
		{Name: "other", GroupID: "commerce_billingprofile_other", Monthly: decimal.NewFromInt(1), Currency: "USD"},
	}
	m := loaded(t, opts, 160, 30)
	// Through the 19th: 190 spent; 10 a day to the 31st: 310; over 250 on the 25th.
	if v := screen(m); !strings.Contains(v, "budget acme: 76% spent, forecast 124% (over from 2025-03-25)") || strings.Contains(v, "budget other") {
		t.Errorf("status bar:\n%s", v)
	}
	m = press(t, m, "enter")
	if v := strings.Join(strings.Fields(screen(m)), " "); !strings.Contains(v, "budget acme $190.00") || !strings.Contains(v, "76% of $250.00 spent, forecast 124%,") {
		t.Errorf("detail:\n%s", screen(m))
	}
}
