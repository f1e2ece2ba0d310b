package api

import (
	"errors"
	"strings"
	"testing"
)

func TestRecordsRequestValidate(t *testing.T) {
	d := func(s string) Date { return mustDate(t, s) }
	base := RecordsRequest{GroupID: "commerce_billingprofile_abc123", StartDate: d("2025-01-01"), EndDate: d("2025-01-31"), Aggregation: Daily}
	with := func(edit func(*RecordsRequest)) RecordsRequest {
		r := base
		edit(&r)
		return r
	}
	for _, tc := range []struct {
		name    string
		req     RecordsRequest
		field   string // "" when valid
		mention string
	}{
		{"custom range", base, "", ""},
		{"period", with(func(r *RecordsRequest) { r.StartDate, r.EndDate, r.Period = 0, 0, ThisYear }), "", ""},
		{"365 days", with(func(r *RecordsRequest) { r.EndDate = d("2025-12-31") }), "", ""},
		{"one day", with(func(r *RecordsRequest) { r.EndDate = r.StartDate }), "", ""},
		{"monthly, category, page size", with(func(r *RecordsRequest) { r.Aggregation, r.Category, r.PageSize = Monthly, "sms", 1000 }), "", ""},
		{"366 days", with(func(r *RecordsRequest) { r.EndDate = d("2026-01-01") }), "endDate", "366 days"},
		{"366 days in a leap year", with(func(r *RecordsRequest) { r.StartDate, r.EndDate = d("2024-01-01"), d("2024-12-31") }), "endDate", "at most 365"},
		{"end before start", with(func(r *RecordsRequest) { r.EndDate = d("2024-12-31") }), "endDate", "before start date"},
		{"start only", with(func(r *RecordsRequest) { r.EndDate = 0 }), "endDate", "end date"},
		{"end only", with(func(r *RecordsRequest) { r.StartDate = 0 }), "startDate", "start date"},
		{"period and dates", with(func(r *RecordsRequest) { r.Period = LastMonth }), "timePeriod", "together"},
		{"neither", with(func(r *RecordsRequest) { r.StartDate, r.EndDate = 0, 0 }), "timePeriod", "period"},
		{"unknown period", with(func(r *RecordsRequest) { r.StartDate, r.EndDate, r.Period = 0, 0, "LAST_WEEK" }), "timePeriod", "LAST_WEEK"},
		{"lower-case period", with(func(r *RecordsRequest) { r.StartDate, r.EndDate, r.Period = 0, 0, "last_month" }), "timePeriod", "last_month"},
		{"unknown aggregation", with(func(r *RecordsRequest) { r.Aggregation = "HOURLY" }), "aggregationPeriod", "HOURLY"},
		{"page size too big", with(func(r *RecordsRequest) { r.PageSize = 1001 }), "pageSize", "1 to 1000"},
		{"negative page size", with(func(r *RecordsRequest) { r.PageSize = -1 }), "pageSize", "-1"},
		{"no group", with(func(r *RecordsRequest) { r.GroupID = "" }), "billingGroupId", "--group"},
		{"missing prefix", with(func(r *RecordsRequest) { r.GroupID = "BGabc123" }), "billingGroupId", "commerce_billingprofile_"},
		{"prefix only", with(func(r *RecordsRequest) { r.GroupID = "commerce_billingprofile_" }), "billingGroupId", "not a billing group id"},
		{"path characters", with(func(r *RecordsRequest) { r.GroupID = "commerce_billingprofile_a/../b" }), "billingGroupId", "characters"},
		{"control character in category", with(func(r *RecordsRequest) { r.Category = "sms\n" }), "productCategory", "control"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.req.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid request refused: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			if ve.Field != tc.field || !strings.Contains(err.Error(), tc.mention) || !strings.HasPrefix(err.Error(), tc.field+": ") {
				t.Errorf("error %q (field %s), want field %s mentioning %q", err, ve.Field, tc.field, tc.mention)
			}
		})
	}
}

func TestParsePeriodAndAggregation(t *testing.T) {
	for in, want := range map[string]TimePeriod{"LAST_MONTH": LastMonth, "this_year": ThisYear, "Yesterday": Yesterday} {
		if got, err := ParseTimePeriod(in); err != nil || got != want {
			t.Errorf("ParseTimePeriod(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseTimePeriod("LAST_WEEK"); err == nil || !strings.Contains(err.Error(), "THIS_MONTH") {
		t.Errorf("unknown period: %v, want an error listing the periods", err)
	}
	for in, want := range map[string]Aggregation{"DAILY": Daily, "monthly": Monthly} {
		if got, err := ParseAggregation(in); err != nil || got != want {
			t.Errorf("ParseAggregation(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseAggregation("WEEKLY"); err == nil {
		t.Error("WEEKLY accepted")
	}
}
