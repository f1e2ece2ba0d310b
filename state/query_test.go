package state

import (
	"errors"
	"testing"

	"github.com/usagetop/usagetop/api"
)

const stGroup = "commerce_billingprofile_x"

func TestQueryValidateSharesTheAPIRules(t *testing.T) {
	d := func(s string) api.Date { return stDate(t, s) }
	tests := []struct {
		name  string
		q     Query
		field string // "" for valid
	}{
		{"preset", Query{GroupID: stGroup, Period: api.LastMonth, Aggregation: api.Daily}, ""},
		{"custom", Query{GroupID: stGroup, From: d("2026-01-01"), To: d("2026-01-31")}, ""},
		{"no group", Query{Period: api.LastMonth}, "billingGroupId"},
		{"bad group", Query{GroupID: "acct_1", Period: api.LastMonth}, "billingGroupId"},
		{"preset and dates", Query{GroupID: stGroup, Period: api.ThisMonth, From: d("2026-01-01"), To: d("2026-01-02")}, "timePeriod"},
		{"neither", Query{GroupID: stGroup}, "timePeriod"},
		{"end before start", Query{GroupID: stGroup, From: d("2026-02-01"), To: d("2026-01-31")}, "endDate"},
		{"366 days", Query{GroupID: stGroup, From: d("2024-01-01"), To: d("2024-12-31")}, "endDate"},
		{"no start", Query{GroupID: stGroup, To: d("2024-12-31")}, "startDate"},
		{"bad aggregation", Query{GroupID: stGroup, Period: api.LastMonth, Aggregation: "WEEKLY"}, "aggregationPeriod"},
		{"bad period", Query{GroupID: stGroup, Period: "LAST_WEEK"}, "timePeriod"},
	}
	for _, tt := range tests {
		err := tt.q.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var ve *api.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%s: error %v, want one naming %s", tt.name, err, tt.field)
		}
	}
}

func TestQueryRequest(t *testing.T) {
	d := func(s string) api.Date { return stDate(t, s) }
	q := Query{GroupID: stGroup, GroupName: "prod", Period: api.ThisMonth, Category: "sms", Aggregation: api.Monthly}
	r := q.Request(500)
	want := api.RecordsRequest{GroupID: stGroup, Period: api.ThisMonth, Category: "sms", Aggregation: api.Monthly, PageSize: 500}
	if r != want {
		t.Errorf("preset request %+v, want %+v", r, want)
	}
	q = Query{GroupID: stGroup, From: d("2026-03-01"), To: d("2026-03-05")}
	r = q.Request(0)
	want = api.RecordsRequest{GroupID: stGroup, StartDate: d("2026-03-01"), EndDate: d("2026-03-05")}
	if r != want {
		t.Errorf("custom request %+v, want %+v", r, want)
	}
}

func TestQueryLabel(t *testing.T) {
	today := stDate(t, "2026-11-15")
	tests := []struct {
		q    Query
		want string
	}{
		{Query{Period: api.LastMonth}, "LAST_MONTH 2026-10-01..2026-10-31"},
		{Query{Period: api.Yesterday}, "YESTERDAY 2026-11-14..2026-11-14"},
		{Query{From: stDate(t, "2026-02-01"), To: stDate(t, "2026-02-28")}, "2026-02-01..2026-02-28"},
	}
	for _, tt := range tests {
		if got := tt.q.Label(today); got != tt.want {
			t.Errorf("Label = %q, want %q", got, tt.want)
		}
	}
}

func TestQueryCommandLine(t *testing.T) {
	tests := []struct {
		q    Query
		want string
	}{
		{
			Query{GroupID: stGroup, GroupName: "prod", Period: api.LastMonth, Aggregation: api.Daily, Category: "sms"},
			"usagetop --group commerce_billingprofile_x --period LAST_MONTH --aggregation DAILY --category sms",
		},
		{
			Query{GroupID: stGroup, From: stDate(t, "2026-02-01"), To: stDate(t, "2026-02-28")},
			"usagetop --group commerce_billingprofile_x --from 2026-02-01 --to 2026-02-28",
		},
		{
			Query{GroupName: "EU billing", Period: api.ThisYear, Category: "it's $HOME; rm -rf"},
			`usagetop --group 'EU billing' --period THIS_YEAR --category 'it'\''s $HOME; rm -rf'`,
		},
	}
	for _, tt := range tests {
		if got := tt.q.CommandLine(); got != tt.want {
			t.Errorf("CommandLine =\n  %s\nwant\n  %s", got, tt.want)
		}
	}
}

func TestQueryShift(t *testing.T) {
	d := func(s string) api.Date { return stDate(t, s) }
	custom := func(a, b string) Query {
		return Query{GroupID: stGroup, From: d(a), To: d(b), Category: "sms", Aggregation: api.Daily}
	}
	preset := func(p api.TimePeriod) Query {
		return Query{GroupID: stGroup, Period: p, Category: "sms", Aggregation: api.Daily}
	}
	tests := []struct {
		name  string
		q     Query
		n     int
		today string
		want  Query
	}{
		{"last month back", preset(api.LastMonth), -1, "2026-11-15", custom("2026-09-01", "2026-09-30")},
		{"last month back two", preset(api.LastMonth), -2, "2026-11-15", custom("2026-08-01", "2026-08-31")},
		{"last month forward is this month", preset(api.LastMonth), 1, "2026-11-15", preset(api.ThisMonth)},
		{"this month back is last month", preset(api.ThisMonth), -1, "2026-11-15", preset(api.LastMonth)},
		{"this month forward stays", preset(api.ThisMonth), 1, "2026-11-15", preset(api.ThisMonth)},
		{"month back into last month", custom("2026-09-01", "2026-09-30"), 1, "2026-11-15", preset(api.LastMonth)},
		{"yesterday back", preset(api.Yesterday), -1, "2026-11-15", custom("2026-11-13", "2026-11-13")},
		{"day forward is yesterday", custom("2026-11-13", "2026-11-13"), 1, "2026-11-15", preset(api.Yesterday)},
		{"yesterday forward is today", preset(api.Yesterday), 1, "2026-11-15", custom("2026-11-15", "2026-11-15")},
		{"this year back", preset(api.ThisYear), -1, "2026-11-15", custom("2025-01-01", "2025-12-31")},
		{"this year back into a leap year", preset(api.ThisYear), -1, "2025-03-10", custom("2024-01-01", "2024-12-30")},
		{"leap year forward", custom("2024-01-01", "2024-12-30"), 1, "2025-03-10", preset(api.ThisYear)},
		{"ten days back", custom("2026-11-01", "2026-11-10"), -1, "2026-11-15", custom("2026-10-22", "2026-10-31")},
		{"ten days forward stops today", custom("2026-11-01", "2026-11-10"), 1, "2026-11-15", custom("2026-11-11", "2026-11-15")},
		{"nothing after today", custom("2026-11-11", "2026-11-15"), 1, "2026-11-15", custom("2026-11-11", "2026-11-15")},
		{"quarter back", custom("2026-07-01", "2026-09-30"), -1, "2026-11-15", custom("2026-04-01", "2026-06-30")},
		{"quarter forward stops today", custom("2026-07-01", "2026-09-30"), 1, "2026-11-15", custom("2026-10-01", "2026-11-15")},
		{"february back", custom("2026-02-01", "2026-02-28"), -1, "2026-11-15", custom("2026-01-01", "2026-01-31")},
		{"february forward", custom("2026-02-01", "2026-02-28"), 1, "2026-11-15", custom("2026-03-01", "2026-03-31")},
		{"28 days that are not a month", custom("2026-01-31", "2026-02-27"), -1, "2026-11-15", custom("2026-01-03", "2026-01-30")},
		{"across a year", custom("2026-01-01", "2026-01-31"), -1, "2026-11-15", custom("2025-12-01", "2025-12-31")},
		{"zero steps", preset(api.LastMonth), 0, "2026-11-15", preset(api.LastMonth)},
		{"no range to step from", custom("2026-11-10", "2026-11-01"), -1, "2026-11-15", custom("2026-11-10", "2026-11-01")},
	}
	for _, tt := range tests {
		got := tt.q.Shift(tt.n, d(tt.today))
		if got != tt.want {
			t.Errorf("%s: Shift(%d) = %s, want %s", tt.name, tt.n, got.Label(d(tt.today)), tt.want.Label(d(tt.today)))
		}
		if err := got.Validate(); err != nil && tt.q.Validate() == nil {
			t.Errorf("%s: shifted query invalid: %v", tt.name, err)
		}
	}
}

func TestQueryShiftBackThenForwardReturns(t *testing.T) {
	d := func(s string) api.Date { return stDate(t, s) }
	for _, today := range []string{"2026-01-01", "2026-03-31", "2024-02-29", "2026-11-15"} {
		for _, p := range api.TimePeriods {
			q := Query{GroupID: stGroup, Period: p}
			if got := q.Shift(-1, d(today)).Shift(1, d(today)); got != q {
				t.Errorf("today %s: %s back then forward = %s", today, p, got.Label(d(today)))
			}
		}
	}
}

func TestQueryPrevious(t *testing.T) {
	d := func(s string) api.Date { return stDate(t, s) }
	tests := []struct {
		name       string
		q          Query
		today      string
		start, end string
	}{
		{"last month", Query{Period: api.LastMonth}, "2026-11-15", "2026-09-01", "2026-09-30"},
		{"march against february", Query{Period: api.LastMonth}, "2026-04-02", "2026-02-01", "2026-02-28"},
		{"month to date", Query{Period: api.ThisMonth}, "2026-11-15", "2026-10-01", "2026-10-15"},
		{"month to date past a short month", Query{Period: api.ThisMonth}, "2026-03-31", "2026-02-01", "2026-02-28"},
		{"year to date", Query{Period: api.ThisYear}, "2026-11-15", "2025-01-01", "2025-11-15"},
		{"year to date from a leap day", Query{Period: api.ThisYear}, "2028-02-29", "2027-01-01", "2027-02-28"},
		{"yesterday", Query{Period: api.Yesterday}, "2026-11-15", "2026-11-13", "2026-11-13"},
		{"ten days from the 1st: month to date", Query{From: d("2026-11-01"), To: d("2026-11-10")}, "2026-11-15", "2026-10-01", "2026-10-10"},
		{"ten days", Query{From: d("2026-11-03"), To: d("2026-11-12")}, "2026-11-15", "2026-10-24", "2026-11-02"},
		{"two months", Query{From: d("2026-03-01"), To: d("2026-04-30")}, "2026-11-15", "2026-01-01", "2026-02-28"},
		{"a leap year", Query{From: d("2025-01-01"), To: d("2025-12-31")}, "2026-11-15", "2024-01-01", "2024-12-30"},
	}
	for _, tt := range tests {
		s, e := tt.q.Previous(d(tt.today))
		if s != d(tt.start) || e != d(tt.end) {
			t.Errorf("%s: Previous = %s..%s, want %s..%s", tt.name, s, e, tt.start, tt.end)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/home/u/.config/usagetop/config.toml":                      "/home/u/.config/usagetop/config.toml",
		"/Users/u/Library/Application Support/usagetop/config.toml": "'/Users/u/Library/Application Support/usagetop/config.toml'",
		"/tmp/it's.toml": `'/tmp/it'\''s.toml'`,
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
