package fakeapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTokenIssued(t *testing.T) {
	run := start(t, Options{})
	res := tokenRequest(t, run, demoForm())
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(res.body, &raw); err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{"token_type": `"Bearer"`, "expires_in": "3600", "refresh_token": "null", "id_token": "null"} {
		if got := string(raw[field]); got != want {
			t.Errorf("%s = %s, want %s", field, got, want)
		}
	}
	a, b := login(t, run), login(t, run)
	if a == b || len(a) < 32 {
		t.Errorf("tokens %q and %q: want distinct random tokens", a, b)
	}
	if st := run.Server.Stats(); st.TokenRequests != 3 || st.TokensIssued != 3 {
		t.Errorf("stats %+v, want 3 token requests, 3 issued", st)
	}
}

func TestTokenRefused(t *testing.T) {
	form := func(edit func(url.Values)) url.Values {
		f := demoForm()
		edit(f)
		return f
	}
	tests := []struct {
		name       string
		req        func(run *Running) *http.Request
		status     int
		oauthError string
	}{
		{"wrong secret", formRequest(form(func(f url.Values) { f.Set("client_secret", "nope") })), 401, "invalid_client"},
		{"unknown client", formRequest(form(func(f url.Values) { f.Set("client_id", "someone") })), 401, "invalid_client"},
		{"no credentials", formRequest(form(func(f url.Values) { f.Del("client_id"); f.Del("client_secret") })), 400, "invalid_request"},
		{"wrong grant", formRequest(form(func(f url.Values) { f.Set("grant_type", "password") })), 400, "unsupported_grant_type"},
		{"no grant", formRequest(form(func(f url.Values) { f.Del("grant_type") })), 400, "unsupported_grant_type"},
		{"basic only", func(run *Running) *http.Request {
			req := formRequest(url.Values{"grant_type": {"client_credentials"}})(run)
			req.SetBasicAuth(DemoClientID, DemoClientSecret)
			return req
		}, 401, "invalid_client"},
		{"json body", func(run *Running) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, run.TokenURL, strings.NewReader(`{"client_id":"usagetop-demo","client_secret":"demo-secret-not-real","grant_type":"client_credentials"}`))
			req.Header.Set("Content-Type", "application/json")
			return req
		}, 400, "invalid_request"},
		{"credentials in the query", func(run *Running) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, run.TokenURL+"?"+demoForm().Encode(), nil)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}, 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := start(t, Options{})
			res := do(t, tt.req(run))
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			e := decodeError(t, res)
			if e.OAuthError != tt.oauthError || e.Message == "" || e.Status != tt.status {
				t.Errorf("body %s: want error %q with a message", res.body, tt.oauthError)
			}
			if strings.Contains(string(res.body), DemoClientSecret) {
				t.Errorf("error body echoes the secret: %s", res.body)
			}
			if st := run.Server.Stats(); st.TokensIssued != 0 || st.ByStatus[tt.status] != 1 {
				t.Errorf("stats %+v: want no token issued and one %d", st, tt.status)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		run := start(t, Options{})
		req, _ := http.NewRequest(http.MethodGet, run.TokenURL+"?"+demoForm().Encode(), nil)
		if res := do(t, req); res.status != http.StatusMethodNotAllowed {
			t.Errorf("status %d, want 405", res.status)
		}
	})
}

func formRequest(f url.Values) func(run *Running) *http.Request {
	return func(run *Running) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, run.TokenURL, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		return req
	}
}

func TestCustomClients(t *testing.T) {
	run := start(t, Options{Clients: map[string]string{"ci": "s3cret"}})
	if res := tokenRequest(t, run, demoForm()); res.status != http.StatusUnauthorized {
		t.Errorf("demo client with custom clients: status %d, want 401", res.status)
	}
	f := url.Values{"client_id": {"ci"}, "client_secret": {"s3cret"}, "grant_type": {"client_credentials"}}
	if res := tokenRequest(t, run, f); res.status != http.StatusOK {
		t.Errorf("custom client: status %d, want 200: %s", res.status, res.body)
	}
}

func TestBearerRequired(t *testing.T) {
	clk := newClock()
	run := start(t, Options{Now: clk.Now})
	valid := login(t, run)
	body := `{"timePeriod":"YESTERDAY"}`
	tests := []struct {
		name, auth string
	}{
		{"no header", ""},
		{"basic", "Basic dXNhZ2V0b3AtZGVtbzpkZW1vLXNlY3JldC1ub3QtcmVhbA=="},
		{"unknown token", "Bearer not-a-token"},
		{"empty bearer", "Bearer "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, recordsURL(run, DemoGroupAcmeUS), strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			assertUnauthorized(t, do(t, req))
		})
	}
	if res := post(t, run, valid, DemoGroupAcmeUS, body); res.status != http.StatusOK {
		t.Fatalf("valid token: %d %s", res.status, res.body)
	}
	clk.Advance(time.Hour)
	assertUnauthorized(t, post(t, run, valid, DemoGroupAcmeUS, body))
	if res := post(t, run, login(t, run), DemoGroupAcmeUS, body); res.status != http.StatusOK {
		t.Fatalf("fresh token after expiry: %d %s", res.status, res.body)
	}
}

// assertUnauthorized checks a 401 in the classic shape with code 20003.
func assertUnauthorized(t *testing.T, res response) {
	t.Helper()
	if res.status != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401: %s", res.status, res.body)
	}
	e := decodeError(t, res)
	if e.Code != 20003 || e.Status != 401 || e.Message == "" || !strings.HasSuffix(e.MoreInfo, "/20003") {
		t.Errorf("body %s: want classic shape, code 20003", res.body)
	}
	if res.header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate header")
	}
}

func TestShortTokenLifetime(t *testing.T) {
	clk := newClock()
	run := start(t, Options{Now: clk.Now, Faults: Faults{TokenLifetime: 2 * time.Second}})
	res := tokenRequest(t, run, demoForm())
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal(res.body, &tr); err != nil || tr.ExpiresIn != 2 {
		t.Fatalf("token %s: want expires_in 2 (%v)", res.body, err)
	}
	body := `{"timePeriod":"YESTERDAY"}`
	clk.Advance(1999 * time.Millisecond)
	if res := post(t, run, tr.AccessToken, DemoGroupAcmeUS, body); res.status != http.StatusOK {
		t.Fatalf("before expiry: %d", res.status)
	}
	clk.Advance(time.Millisecond)
	assertUnauthorized(t, post(t, run, tr.AccessToken, DemoGroupAcmeUS, body))
}

func TestNoPermission(t *testing.T) {
	run := start(t, Options{NoPermission: map[string]bool{DemoClientID: true}})
	res := post(t, run, login(t, run), DemoGroupAcmeUS, `{"timePeriod":"YESTERDAY"}`)
	if res.status != http.StatusForbidden {
		t.Fatalf("status %d, want 403: %s", res.status, res.body)
	}
	e := decodeError(t, res)
	if e.Code != 70051 || e.HTTPStatusCode != 403 || e.UserError == nil || !*e.UserError || e.Params["permission"] != "twilio/billing-insights/usage/read" {
		t.Errorf("body %s: want the third shape, code 70051, naming the permission", res.body)
	}
}
