package fakeapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzRecordsRequest throws arbitrary bodies at the records handler: it
// must answer 200 or a 4xx with a JSON body naming a field, never panic
// or fail with a 5xx.
func FuzzRecordsRequest(f *testing.F) {
	for _, seed := range []string{
		`{"timePeriod":"LAST_MONTH"}`,
		`{"startDate":"2026-01-01","endDate":"2026-01-31","pageSize":1000,"aggregationPeriod":"MONTHLY","productCategory":"verify"}`,
		`{"timePeriod":"YESTERDAY","pageToken":"eyJzdGFydE9uIjoiMjAyNi0wMy0xMyJ9"}`,
		`{"startDate":"2026-02-30"}`, `[]`, `null`, `{"pageSize":1e3}`,
	} {
		f.Add(seed)
	}
	s := New(Options{Now: func() time.Time { return testNow }})
	s.tokens["fuzz"] = accessToken{clientID: DemoClientID, expires: testNow.Add(time.Hour)}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/v2/Usage/BillingGroups/"+DemoGroupAcmeUS+"/Records", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer fuzz")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK:
		case http.StatusBadRequest:
			if !strings.Contains(w.Body.String(), `"field":`) {
				t.Fatalf("400 without a field: %s", w.Body)
			}
		default:
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
	})
}

// FuzzPageToken: a token the server did not mint is refused with a 400
// naming pageToken, whatever its bytes.
func FuzzPageToken(f *testing.F) {
	f.Add("eyJzdGFydE9uIjoiMjAyNi0wMi0wMSIsImVuZE9uIjoiMjAyNi0wMi0yOCIsInBhZ2UiOjEsInBhZ2VTaXplIjoyMH0=")
	f.Add("")
	f.Add("%%%")
	s := New(Options{Now: func() time.Time { return testNow }})
	f.Fuzz(func(t *testing.T, token string) {
		q, ferr := rawQuery{period: "LAST_MONTH", token: token}.validate(DemoGroupAcmeUS, testToday)
		if ferr != nil || token == "" {
			return
		}
		if _, _, _, err := s.openPageToken(&q); err == nil || err.field != fieldToken {
			t.Fatalf("token %q accepted or blamed on another field: %v", token, err)
		}
	})
}

// BenchmarkServePage measures one 1000-record page through the handler,
// without the network: validation, the cached query, encoding.
func BenchmarkServePage(b *testing.B) {
	s := New(Options{Now: func() time.Time { return testNow }})
	s.tokens["bench"] = accessToken{clientID: DemoClientID, expires: testNow.Add(time.Hour)}
	body := `{"startDate":"2025-03-15","endDate":"2026-03-14","pageSize":1000}`
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v2/Usage/BillingGroups/"+DemoGroupGlobex+"/Records", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer bench")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
	b.ReportMetric(1000, "records/op")
}
