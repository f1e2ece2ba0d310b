package fakeapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEvery429(t *testing.T) {
	for _, retryAfter := range []int{0, 2} {
		run := start(t, Options{Faults: Faults{Every429: 3, RetryAfter: retryAfter}})
		tok := login(t, run)
		var statuses []int
		for range 6 {
			res := post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"YESTERDAY"}`)
			statuses = append(statuses, res.status)
			if res.status != http.StatusTooManyRequests {
				continue
			}
			e := decodeError(t, res)
			if e.Code != 20429 || e.HTTPStatusCode != 429 {
				t.Errorf("429 body %s: want the third shape, code 20429", res.body)
			}
			want := ""
			if retryAfter > 0 {
				want = "2"
			}
			if got := res.header.Get("Retry-After"); got != want {
				t.Errorf("Retry-After %q, want %q", got, want)
			}
		}
		if want := []int{200, 200, 429, 200, 200, 429}; !equalInts(statuses, want) {
			t.Errorf("statuses %v, want %v", statuses, want)
		}
		if st := run.Server.Stats(); st.RecordsRequests != 6 || st.ByStatus[429] != 2 || st.ByStatus[200] != 5 {
			t.Errorf("stats %+v: want 6 records requests, two 429s, five 200s (one token)", st)
		}
	}
}

func TestEvery503(t *testing.T) {
	run := start(t, Options{Faults: Faults{Every503: 2, Every429: 4}})
	tok := login(t, run)
	var statuses []int
	for range 4 {
		res := post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"YESTERDAY"}`)
		statuses = append(statuses, res.status)
		if res.status == http.StatusServiceUnavailable {
			if !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") || json.Valid(res.body) {
				t.Errorf("503 %q: want a proxy's HTML page", res.body)
			}
		}
	}
	if want := []int{200, 503, 200, 429}; !equalInts(statuses, want) {
		t.Errorf("statuses %v, want %v (429 wins when both are due)", statuses, want)
	}
}

func TestMalformedEvery(t *testing.T) {
	run := start(t, Options{Faults: Faults{MalformedEvery: 2}})
	tok := login(t, run)
	for i := 1; i <= 4; i++ {
		res := post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"YESTERDAY"}`)
		if res.status != http.StatusOK {
			t.Fatalf("request %d: status %d", i, res.status)
		}
		if valid := json.Valid(res.body); valid != (i%2 == 1) {
			t.Errorf("request %d: valid JSON = %v", i, valid)
		}
	}
}

func TestLatency(t *testing.T) {
	run := start(t, Options{Faults: Faults{Latency: time.Minute}})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, run.TokenURL, strings.NewReader(demoForm().Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("status %d: want the request to be still waiting when its context ends", res.StatusCode)
	}
}

func TestStatsCountEveryResponse(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"YESTERDAY"}`)
	post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"LAST_WEEK"}`)
	post(t, run, tok, "commerce_billingprofile_unknown", `{"timePeriod":"YESTERDAY"}`)
	do(t, mustRequest(http.MethodGet, run.BaseURL+"/v2/Nothing"))
	st := run.Server.Stats()
	if st.TokenRequests != 1 || st.RecordsRequests != 3 {
		t.Errorf("stats %+v: want 1 token and 3 records requests", st)
	}
	if st.ByStatus[200] != 2 || st.ByStatus[400] != 1 || st.ByStatus[404] != 2 {
		t.Errorf("by status %v: want 200x2, 400x1, 404x2", st.ByStatus)
	}
	st.ByStatus[200] = 99
	if run.Server.Stats().ByStatus[200] != 2 {
		t.Error("Stats returns the live map, not a copy")
	}
}

func mustRequest(method, url string) *http.Request {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		panic(err)
	}
	return req
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
