package fakeapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestValidationNamesTheField(t *testing.T) {
	tests := []struct {
		name, body, field string
	}{
		{"impossible date", `{"startDate":"2026-02-30","endDate":"2026-03-01"}`, "startDate"},
		{"slashes", `{"startDate":"2026/01/01","endDate":"2026-03-01"}`, "startDate"},
		{"short date", `{"startDate":"2026-1-01","endDate":"2026-03-01"}`, "startDate"},
		{"bad end", `{"startDate":"2026-01-01","endDate":"2026-13-01"}`, "endDate"},
		{"end before start", `{"startDate":"2026-03-02","endDate":"2026-03-01"}`, "endDate"},
		{"366 days", `{"startDate":"2025-01-01","endDate":"2026-01-01"}`, "endDate"},
		{"period with dates", `{"timePeriod":"LAST_MONTH","startDate":"2026-01-01","endDate":"2026-01-31"}`, "timePeriod"},
		{"period with start only", `{"timePeriod":"LAST_MONTH","startDate":"2026-01-01"}`, "timePeriod"},
		{"unknown period", `{"timePeriod":"LAST_WEEK"}`, "timePeriod"},
		{"lower-case period", `{"timePeriod":"last_month"}`, "timePeriod"},
		{"no period, no dates", `{}`, "timePeriod"},
		{"start only", `{"startDate":"2026-01-01"}`, "endDate"},
		{"end only", `{"endDate":"2026-01-01"}`, "startDate"},
		{"unknown aggregation", `{"timePeriod":"LAST_MONTH","aggregationPeriod":"WEEKLY"}`, "aggregationPeriod"},
		{"page size 0", `{"timePeriod":"LAST_MONTH","pageSize":0}`, "pageSize"},
		{"page size 1001", `{"timePeriod":"LAST_MONTH","pageSize":1001}`, "pageSize"},
		{"negative page size", `{"timePeriod":"LAST_MONTH","pageSize":-1}`, "pageSize"},
		{"fractional page size", `{"timePeriod":"LAST_MONTH","pageSize":20.5}`, "pageSize"},
		{"page size as string", `{"timePeriod":"LAST_MONTH","pageSize":"20"}`, "pageSize"},
		{"date as number", `{"startDate":20260101,"endDate":"2026-01-31"}`, "startDate"},
		{"category as list", `{"timePeriod":"LAST_MONTH","productCategory":["sms-outbound"]}`, "productCategory"},
		{"control characters in category", `{"timePeriod":"LAST_MONTH","productCategory":"sms\u001b[2J"}`, "productCategory"},
		{"not JSON", `timePeriod=LAST_MONTH`, "body"},
		{"array", `[{"timePeriod":"LAST_MONTH"}]`, "body"},
		{"two objects", `{"timePeriod":"LAST_MONTH"}{}`, "body"},
		{"undecodable page token", `{"timePeriod":"LAST_MONTH","pageToken":"%%%"}`, "pageToken"},
		{"page token of base64 garbage", `{"timePeriod":"LAST_MONTH","pageToken":"aGVsbG8="}`, "pageToken"},
	}
	run := start(t, Options{})
	tok := login(t, run)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertProblem(t, post(t, run, tok, DemoGroupAcmeUS, tt.body), http.StatusBadRequest, tt.field)
		})
	}
	if st := run.Server.Stats(); st.ByStatus[200] != 1 {
		t.Errorf("by status %v: want only the token request to succeed", st.ByStatus)
	}
}

// assertProblem checks an RFC 9457 body naming field.
func assertProblem(t *testing.T, res response, status int, field string) {
	t.Helper()
	if res.status != status {
		t.Fatalf("status %d, want %d: %s", res.status, status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	e := decodeError(t, res)
	if e.Code != 20001 || e.Status != status || e.Type == "" || e.Title == "" {
		t.Errorf("body %s: want RFC 9457 shape with code 20001", res.body)
	}
	if !strings.HasPrefix(e.Detail, field+": ") || len(e.Errors) != 1 || e.Errors[0].Field != field {
		t.Errorf("body %s: want the field %q named", res.body, field)
	}
}

func TestValidationOfQueryParameters(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	tests := []struct {
		name   string
		params url.Values
		field  string
	}{
		{"impossible date", url.Values{"startDate": {"2026-02-30"}, "endDate": {"2026-03-01"}}, "startDate"},
		{"366 days", url.Values{"startDate": {"2025-01-01"}, "endDate": {"2026-01-01"}}, "endDate"},
		{"given twice", url.Values{"timePeriod": {"LAST_MONTH", "THIS_MONTH"}}, "timePeriod"},
		{"page size word", url.Values{"timePeriod": {"LAST_MONTH"}, "pageSize": {"many"}}, "pageSize"},
		{"page size over", url.Values{"timePeriod": {"LAST_MONTH"}, "pageSize": {"1001"}}, "pageSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertProblem(t, get(t, run, tok, DemoGroupAcmeUS, tt.params), http.StatusBadRequest, tt.field)
		})
	}
}

func TestValidRangeLimits(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	for _, body := range []string{
		`{"startDate":"2025-01-01","endDate":"2025-12-31"}`, // exactly 365 days
		`{"startDate":"2026-03-01","endDate":"2026-03-01"}`,
		`{"timePeriod":"LAST_MONTH","pageSize":1}`,
		`{"timePeriod":"LAST_MONTH","pageSize":1000}`,
		`{"timePeriod":"LAST_MONTH","aggregationPeriod":"MONTHLY"}`,
		`{"timePeriod":"LAST_MONTH","someFutureField":{"x":1}}`, // unknown fields are ignored
		`{"timePeriod":"LAST_MONTH","startDate":null,"endDate":"","pageToken":null}`,
	} {
		if res := post(t, run, tok, DemoGroupAcmeUS, body); res.status != http.StatusOK {
			t.Errorf("%s: status %d: %s", body, res.status, res.body)
		}
	}
}

func TestWrongContentType(t *testing.T) {
	run := start(t, Options{})
	req, _ := http.NewRequest(http.MethodPost, recordsURL(run, DemoGroupAcmeUS), strings.NewReader("timePeriod=LAST_MONTH"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+login(t, run))
	assertProblem(t, do(t, req), http.StatusUnsupportedMediaType, "Content-Type")
}

func TestGroupIDs(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	body := `{"timePeriod":"YESTERDAY"}`
	for _, id := range []string{"AC0123456789", "commerce_billingprofile_", "commerce_billingprofile_a.b"} {
		assertProblem(t, post(t, run, tok, url.PathEscape(id), body), http.StatusBadRequest, "billingGroupId")
	}
	res := post(t, run, tok, "commerce_billingprofile_doesnotexist", body)
	if res.status != http.StatusNotFound {
		t.Fatalf("unknown group: status %d, want 404", res.status)
	}
	e := decodeError(t, res)
	if e.Code != 20404 || e.Status != 404 || e.Message == "" || !strings.HasSuffix(e.MoreInfo, "/20404") {
		t.Errorf("404 body %s: want the classic shape, code 20404", res.body)
	}
}

func TestRoutes(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	for _, path := range []string{"/", "/v2/Usage/BillingGroups", "/v2/Usage/BillingGroups/" + DemoGroupAcmeUS, "/v2/Usage/BillingGroups/" + DemoGroupAcmeUS + "/Records/x"} {
		req := mustRequest(http.MethodGet, run.BaseURL+path)
		req.Header.Set("Authorization", "Bearer "+tok)
		if res := do(t, req); res.status != http.StatusNotFound || decodeError(t, res).Code != 20404 {
			t.Errorf("%s: status %d %s, want 404 code 20404", path, res.status, res.body)
		}
	}
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		req := mustRequest(method, recordsURL(run, DemoGroupAcmeUS))
		req.Header.Set("Authorization", "Bearer "+tok)
		res := do(t, req)
		if res.status != http.StatusMethodNotAllowed || decodeError(t, res).Code != 20004 || res.header.Get("Allow") == "" {
			t.Errorf("%s: status %d %s, want 405 code 20004 with Allow", method, res.status, res.body)
		}
	}
	// Both documented paths, both methods, give the same page.
	want := decodePage(t, post(t, run, tok, DemoGroupGlobex, `{"timePeriod":"YESTERDAY","pageSize":50}`)).lines()
	req, _ := http.NewRequest(http.MethodPost, run.BaseURL+"/v2/Public/Usage/BillingGroups/"+DemoGroupGlobex+"/Records", strings.NewReader(`{"timePeriod":"YESTERDAY","pageSize":50}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	public := decodePage(t, do(t, req)).lines()
	viaGet := decodePage(t, get(t, run, tok, DemoGroupGlobex, url.Values{"timePeriod": {"YESTERDAY"}, "pageSize": {"50"}})).lines()
	if len(want) == 0 || strings.Join(public, "\n") != strings.Join(want, "\n") || strings.Join(viaGet, "\n") != strings.Join(want, "\n") {
		t.Errorf("POST, public POST and GET differ: %d, %d, %d records", len(want), len(public), len(viaGet))
	}
}
