package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewAllowsPlainHTTPOnlyToLoopback(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://billing.twilio.com", true},
		{"https://example.com:8443/prefix/", true},
		{"http://127.0.0.1:8787", true},
		{"http://127.9.8.7", true},
		{"http://[::1]:8787", true},
		{"http://localhost:8787", true},
		{"http://LOCALHOST", true},
		{"http://billing.twilio.com", false},
		{"http://10.0.0.1:8787", false},
		{"http://localhost.example.com", false},
		{"http://127.0.0.1.nip.io", false},
		{"http://[::2]", false},
		{"ftp://127.0.0.1", false},
		{"billing.twilio.com", false},
		{"https://", false},
		{"https://user:pass@billing.twilio.com", false},
		{"https://bad host", false},
	} {
		for _, which := range []string{"base", "token"} {
			cfg := Config{ClientID: "id", ClientSecret: "secret"}
			if which == "base" {
				cfg.BaseURL = tc.url
			} else {
				cfg.TokenURL = tc.url
			}
			_, err := New(cfg)
			if (err == nil) != tc.ok {
				t.Errorf("%s URL %q: error %v, want ok=%v", which, tc.url, err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), which+" URL") {
				t.Errorf("%s URL %q: error %q does not say which URL", which, tc.url, err)
			}
		}
	}
}

func TestNewSaysWhichCredentialIsMissing(t *testing.T) {
	for _, tc := range []struct {
		id, secret string
		want, not  []string
	}{
		{"", "s", []string{"client id", "TWILIO_CLIENT_ID", "config file"}, []string{"TWILIO_CLIENT_SECRET"}},
		{"id", "", []string{"client secret", "TWILIO_CLIENT_SECRET", "config file"}, []string{"TWILIO_CLIENT_ID"}},
		{"", "", []string{"TWILIO_CLIENT_ID", "TWILIO_CLIENT_SECRET"}, nil},
	} {
		_, err := New(Config{ClientID: tc.id, ClientSecret: tc.secret})
		if !errors.Is(err, ErrMissingCredentials) {
			t.Fatalf("id %q secret %q: got %v, want ErrMissingCredentials", tc.id, tc.secret, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q does not mention %s", err, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(err.Error(), w) {
				t.Errorf("%q mentions %s, which is set", err, w)
			}
		}
	}
}

func TestNewFillsDefaults(t *testing.T) {
	c, err := New(Config{ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	want := Config{BaseURL: DefaultBaseURL, TokenURL: DefaultTokenURL, RequestTimeout: 30 * time.Second,
		MaxAttempts: 5, MaxRetryTime: 2 * time.Minute, MaxBodyBytes: 64 << 20}
	got := c.cfg
	if got.BaseURL != want.BaseURL || got.TokenURL != want.TokenURL || got.RequestTimeout != want.RequestTimeout ||
		got.MaxAttempts != want.MaxAttempts || got.MaxRetryTime != want.MaxRetryTime || got.MaxBodyBytes != want.MaxBodyBytes {
		t.Errorf("defaults: got %+v", got)
	}
	if _, err := New(Config{ClientID: "id", ClientSecret: "s", MaxAttempts: -1}); err == nil {
		t.Error("negative MaxAttempts accepted")
	}
}

func TestFetchPageSendsTheDocumentedRequests(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		writeJSON(w, http.StatusOK, pageJSON(`"next-1"`, "100.5"))
	}
	c, _ := newTestClient(t, ts, func(cfg *Config) { cfg.UserAgent = "usagetop/test" })
	req := RecordsRequest{GroupID: tsGroup, StartDate: mustDate(t, "2025-01-01"), EndDate: mustDate(t, "2025-12-31"),
		Category: "sms", Aggregation: Monthly, PageSize: 500}
	p, err := c.FetchPage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.NextToken != "next-1" || len(p.Records) != 1 || p.Records[0].Price.Amount.String() != "100.5" {
		t.Errorf("page %+v", p)
	}
	reqs := ts.all()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want a token request then a records request", len(reqs))
	}
	tokReq, recReq := reqs[0], reqs[1]
	form, _ := url.ParseQuery(string(tokReq.Body))
	if tokReq.Method != "POST" || tokReq.Path != "/v2/token" || form.Get("client_id") != tsClientID ||
		form.Get("client_secret") != tsSecret || form.Get("grant_type") != "client_credentials" {
		t.Errorf("token request %s %s %q", tokReq.Method, tokReq.Path, tokReq.Body)
	}
	if !strings.HasPrefix(tokReq.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		t.Errorf("token request content type %q", tokReq.Header.Get("Content-Type"))
	}
	if tokReq.Header.Get("Authorization") != "" {
		t.Errorf("token request carries Authorization %q; credentials belong in the form body", tokReq.Header.Get("Authorization"))
	}
	if recReq.Method != "POST" || recReq.Path != "/v2/Usage/BillingGroups/"+tsGroup+"/Records" {
		t.Errorf("records request %s %s", recReq.Method, recReq.Path)
	}
	for h, want := range map[string]string{"Authorization": "Bearer tok-1", "Content-Type": "application/json", "User-Agent": "usagetop/test"} {
		if got := recReq.Header.Get(h); got != want {
			t.Errorf("records request %s = %q, want %q", h, got, want)
		}
	}
	want := `{"startDate":"2025-01-01","endDate":"2025-12-31","productCategory":"sms","aggregationPeriod":"MONTHLY","pageSize":500}`
	if string(recReq.Body) != want {
		t.Errorf("body %s\nwant %s", recReq.Body, want)
	}

	// A period goes alone, without dates; the server's default page size
	// is used when none is given.
	if _, err := c.FetchPage(context.Background(), lastMonth()); err != nil {
		t.Fatal(err)
	}
	reqs = ts.recordRequests()
	if got, want := string(reqs[1].Body), `{"timePeriod":"LAST_MONTH","aggregationPeriod":"DAILY"}`; got != want {
		t.Errorf("body %s, want %s", got, want)
	}
	if tokens, _ := ts.counts(); tokens != 1 {
		t.Errorf("%d token requests for two pages, want the token reused", tokens)
	}
}

func TestFetchPageSendsNothingInvalid(t *testing.T) {
	ts := newTestServer(t)
	c, _ := newTestClient(t, ts, nil)
	for _, req := range []RecordsRequest{
		{GroupID: "BG123", Period: LastMonth},
		{GroupID: tsGroup, Period: LastMonth, StartDate: mustDate(t, "2025-01-01"), EndDate: mustDate(t, "2025-01-02")},
		{GroupID: tsGroup, StartDate: mustDate(t, "2025-01-01"), EndDate: mustDate(t, "2026-01-01")},
		{GroupID: tsGroup, Period: "LAST_WEEK"},
		{GroupID: tsGroup, Period: LastMonth, Aggregation: "HOURLY"},
		{GroupID: tsGroup, Period: LastMonth, PageSize: 1001},
	} {
		_, err := c.FetchPage(context.Background(), req)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%+v: got %v, want a *ValidationError", req, err)
		}
	}
	if n := len(ts.all()); n != 0 {
		t.Errorf("%d requests sent for invalid input, want none", n)
	}
}

func apiError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want an *api.Error", err, err)
	}
	return e
}

// TestErrorTable drives each row of API.md's error table through real HTTP.
func TestErrorTable(t *testing.T) {
	type answer struct {
		status int
		header string // Retry-After
		body   string
	}
	ok := answer{200, "", pageJSON("null", "1.25")}
	for _, tc := range []struct {
		name        string
		answers     []answer // one per records request; the last repeats
		wantErr     bool
		wantStatus  int
		wantCode    int
		wantCalls   int
		wantWaits   []time.Duration
		fatal       bool
		hintHas     string
		messageHas  string
		errorString string
	}{
		{name: "400 validation", answers: []answer{{400, "", `{"code":20001,"message":"startDate: invalid date","more_info":"https://www.twilio.com/docs/errors/20001","status":400}`}},
			wantErr: true, wantStatus: 400, wantCode: 20001, wantCalls: 1, hintHas: "query", messageHas: "startDate: invalid date"},
		{name: "403 missing permission", answers: []answer{{403, "", `{"code":70051,"message":"Permission denied","status":403}`}},
			wantErr: true, wantStatus: 403, wantCode: 70051, wantCalls: 1, fatal: true, hintHas: "twilio/billing-insights/usage/read"},
		{name: "403 not eligible", answers: []answer{{403, "", `{"code":71001,"message":"Account not eligible","status":403}`}},
			wantErr: true, wantStatus: 403, wantCode: 71001, wantCalls: 1, fatal: true, hintHas: "not eligible"},
		{name: "404 unknown group", answers: []answer{{404, "", `{"code":20404,"message":"billing group not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}`}},
			wantErr: true, wantStatus: 404, wantCode: 20404, wantCalls: 1, fatal: true, hintHas: "--group",
			errorString: "404 Not Found: billing group not found (Twilio error 20404, https://www.twilio.com/docs/errors/20404)"},
		{name: "429 honours Retry-After", answers: []answer{{429, "7", `{"code":20429,"message":"Too Many Requests","status":429}`}, ok},
			wantCalls: 2, wantWaits: []time.Duration{7 * time.Second}},
		{name: "429 without Retry-After backs off", answers: []answer{{429, "", `{"code":20429,"message":"Too Many Requests","status":429}`}, {429, "", `{}`}, ok},
			wantCalls: 3, wantWaits: []time.Duration{500 * time.Millisecond, time.Second}},
		{name: "503 backs off exponentially", answers: []answer{{503, "", `upstream unavailable`}, {502, "", ``}, {500, "", `{}`}, ok},
			wantCalls: 4, wantWaits: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}},
		{name: "500 forever gives up after MaxAttempts", answers: []answer{{500, "", `{"code":20500,"message":"Internal Server Error","status":500}`}},
			wantErr: true, wantStatus: 500, wantCode: 20500, wantCalls: 5, hintHas: "try again later",
			wantWaits: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}},
		{name: "429 asking for more than MaxRetryTime gives up at once", answers: []answer{{429, "600", `{"code":20429,"message":"Too Many Requests","status":429}`}},
			wantErr: true, wantStatus: 429, wantCode: 20429, wantCalls: 1, hintHas: "try again in 5m0s"},
		{name: "redirect is not followed", answers: []answer{{302, "", ``}, ok},
			wantErr: true, wantStatus: 302, wantCalls: 1, hintHas: "--base-url"},
		{name: "418 is not retried", answers: []answer{{418, "", `{"code":1,"message":"teapot","status":418}`}},
			wantErr: true, wantStatus: 418, wantCode: 1, wantCalls: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
				a := tc.answers[min(n, len(tc.answers))-1]
				if a.header != "" {
					w.Header().Set("Retry-After", a.header)
				}
				if a.status/100 == 3 {
					w.Header().Set("Location", fmt.Sprintf(RecordsPath, tsGroup))
				}
				writeJSON(w, a.status, a.body)
			}
			c, sl := newTestClient(t, ts, nil)
			var notices []RetryNotice
			ctx := WithRetryNotify(context.Background(), func(n RetryNotice) { notices = append(notices, n) })
			p, err := c.FetchPage(ctx, lastMonth())
			if _, calls := ts.counts(); calls != tc.wantCalls {
				t.Errorf("%d records requests, want %d", calls, tc.wantCalls)
			}
			if waits := sl.get(); !equalDurations(waits, tc.wantWaits) {
				t.Errorf("waits %v, want %v", waits, tc.wantWaits)
			}
			if len(notices) != len(tc.wantWaits) {
				t.Errorf("%d retry notices, want %d", len(notices), len(tc.wantWaits))
			}
			for i, n := range notices {
				if n.Attempt != i+1 || n.Wait != tc.wantWaits[i] || n.Err == nil {
					t.Errorf("notice %d: %+v", i, n)
				}
			}
			if !tc.wantErr {
				if err != nil || len(p.Records) != 1 {
					t.Fatalf("got %v, %v; want the page", p, err)
				}
				return
			}
			e := apiError(t, err)
			if e.StatusCode != tc.wantStatus || e.Code != tc.wantCode || e.Fatal() != tc.fatal || e.TokenEndpoint {
				t.Errorf("got %+v (fatal %v), want status %d code %d fatal %v", e, e.Fatal(), tc.wantStatus, tc.wantCode, tc.fatal)
			}
			if !strings.Contains(e.Hint(), tc.hintHas) {
				t.Errorf("hint %q does not mention %q", e.Hint(), tc.hintHas)
			}
			if !strings.Contains(err.Error(), tc.messageHas) {
				t.Errorf("error %q does not mention %q", err, tc.messageHas)
			}
			if tc.errorString != "" && e.Error() != tc.errorString {
				t.Errorf("Error() = %q\nwant      %q", e.Error(), tc.errorString)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
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

func TestUnauthorizedRenewsTheTokenOnceAndRetriesOnce(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
		writeJSON(w, http.StatusOK, pageJSON("null", "2"))
	}
	c, _ := newTestClient(t, ts, nil)
	if _, err := c.FetchPage(context.Background(), lastMonth()); err != nil {
		t.Fatal(err)
	}
	ts.revokeAll() // the server forgets tok-1 before it expires
	if _, err := c.FetchPage(context.Background(), lastMonth()); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if tokens, records := ts.counts(); tokens != 2 || records != 2 {
		t.Errorf("%d token and %d accepted records requests, want 2 and 2", tokens, records)
	}
	recs := ts.recordRequests()
	if len(recs) != 3 || recs[1].Header.Get("Authorization") != "Bearer tok-1" || recs[2].Header.Get("Authorization") != "Bearer tok-2" {
		t.Errorf("records requests used %v", authHeaders(recs))
	}
}

func authHeaders(cs []captured) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Header.Get("Authorization"))
	}
	return out
}

func TestUnauthorizedTwiceGivesUp(t *testing.T) {
	ts := newTestServer(t)
	ts.checkBearer = false
	ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
		writeJSON(w, http.StatusUnauthorized, `{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`)
	}
	c, sl := newTestClient(t, ts, nil)
	_, err := c.FetchPage(context.Background(), lastMonth())
	e := apiError(t, err)
	if e.StatusCode != 401 || e.Code != 20003 || !e.Fatal() || e.Retryable() {
		t.Errorf("got %+v", e)
	}
	if tokens, records := ts.counts(); tokens != 2 || records != 2 {
		t.Errorf("%d token and %d records requests, want 2 and 2 (one renewal, one retry)", tokens, records)
	}
	if len(sl.get()) != 0 {
		t.Errorf("waited %v before giving up on a 401", sl.get())
	}
}

func TestErrorBodyShapes(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Error
	}{
		{"classic", `{"code":20001,"message":"Invalid pageSize","more_info":"https://www.twilio.com/docs/errors/20001","status":400}`,
			Error{StatusCode: 400, Code: 20001, Message: "Invalid pageSize", MoreInfo: "https://www.twilio.com/docs/errors/20001"}},
		{"RFC 9457", `{"type":"https://www.twilio.com/docs/errors/20001","title":"Bad Request","status":400,"code":20001,"detail":"The request is invalid","errors":[{"pointer":"#/startDate","detail":"must be YYYY-MM-DD"},"pageSize too big"]}`,
			Error{StatusCode: 400, Code: 20001, Message: "Bad Request: The request is invalid; startDate: must be YYYY-MM-DD; pageSize too big", MoreInfo: "https://www.twilio.com/docs/errors/20001"}},
		{"RFC 9457 repeating its detail", `{"type":"https://www.twilio.com/docs/errors/20001","title":"Invalid request parameter","status":400,"code":20001,"detail":"pageToken: not issued here","errors":[{"field":"pageToken","pointer":"#/pageToken","detail":"not issued here"}]}`,
			Error{StatusCode: 400, Code: 20001, Message: "Invalid request parameter: pageToken: not issued here", MoreInfo: "https://www.twilio.com/docs/errors/20001"}},
		{"RFC 9457 title only", `{"type":"about:blank","title":"Bad Request","status":400}`,
			Error{StatusCode: 400, Message: "Bad Request"}},
		{"userError", `{"code":20001,"message":"endDate is before startDate","httpStatusCode":400,"userError":true,"params":{"field":"endDate"}}`,
			Error{StatusCode: 400, Code: 20001, Message: "endDate is before startDate"}},
		{"code as string", `{"code":"20001","message":"bad"}`, Error{StatusCode: 400, Code: 20001, Message: "bad"}},
		{"HTML", "<html><head><title>400 Bad Request</title></head>\n<body>\x1b]0;pwned\x07<h1>nginx</h1></body></html>",
			Error{StatusCode: 400, Body: "<html><head><title>400 Bad Request</title></head> <body> ]0;pwned <h1>nginx</h1></body></html>"}},
		{"empty", ``, Error{StatusCode: 400}},
		{"JSON without a message", `{"foo":1}`, Error{StatusCode: 400, Body: `{"foo":1}`}},
		{"broken JSON", `{"code":20001,`, Error{StatusCode: 400, Body: `{"code":20001,`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(tc.body))
			}
			c, _ := newTestClient(t, ts, nil)
			_, err := c.FetchPage(context.Background(), lastMonth())
			e := apiError(t, err)
			if *e != tc.want {
				t.Errorf("got  %+v\nwant %+v", *e, tc.want)
			}
			if _, calls := ts.counts(); calls != 1 {
				t.Errorf("%d calls, want 1", calls)
			}
			for _, r := range e.Error() {
				if r < 0x20 || r == 0x7f {
					t.Errorf("Error() %q holds control characters", e.Error())
				}
			}
		})
	}
}

func TestLongErrorBodiesAreCut(t *testing.T) {
	e := parseError(502, http.Header{}, []byte(strings.Repeat("<p>bad gateway</p>", 10000)))
	if len(e.Body) > maxErrorBody+10 || !strings.HasSuffix(e.Body, "...") {
		t.Errorf("body kept %d bytes: %q", len(e.Body), e.Body)
	}
	if e := parseError(400, http.Header{}, []byte(`{"message":"`+strings.Repeat("x", 5000)+`"}`)); len(e.Message) > maxErrorMessage+10 {
		t.Errorf("message kept %d bytes", len(e.Message))
	}
}

func TestRetryAfterForms(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"0":                             0,
		"-5":                            0,
		"99999999999":                   maxRetryAfter,
		"soon":                          0,
		"Sat, 01 Mar 2025 12:00:30 GMT": 30 * time.Second,
		"Sat, 01 Mar 2025 11:00:00 GMT": 0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("Retry-After %q = %s, want %s", in, got, want)
		}
	}
}

// TestMalformedPageRetriedOnlyWhenCutShort: a 200 body that stops inside
// its JSON was most likely cut in transfer, so it is asked for again; a
// complete body that is wrong would come back wrong, so it is not.
func TestMalformedPageRetriedOnlyWhenCutShort(t *testing.T) {
	good := pageJSON("null", "1.25")
	for _, tc := range []struct {
		name      string
		answers   []string // the n-th records request gets answers[min(n,len)-1]
		wantCalls int
		wantErr   string // "" for success
	}{
		{"cut short once", []string{good[:len(good)/2], good}, 2, ""},
		{"empty body once", []string{"", good}, 2, ""},
		{"always cut short", []string{`{"records":[{"productName":"x"`}, DefaultMaxAttempts, "cut short"},
		{"complete but wrong", []string{strings.Replace(good, `"currency":"USD"`, `"currency":""`, 1), good}, 1, "price.currency"},
		{"trailing garbage", []string{good + "}", good}, 1, "after the response object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
				writeJSON(w, http.StatusOK, tc.answers[min(n, len(tc.answers))-1])
			}
			c, _ := newTestClient(t, ts, nil)
			p, err := c.FetchPage(context.Background(), lastMonth())
			if _, calls := ts.counts(); calls != tc.wantCalls {
				t.Errorf("%d calls, want %d", calls, tc.wantCalls)
			}
			if tc.wantErr == "" {
				if err != nil || len(p.Records) != 1 {
					t.Fatalf("got %v, want the page", err)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got %v, want a *DecodeError saying %q", err, tc.wantErr)
			}
		})
	}
}

// TestOversizedBodyIsAnErrorNotACrash: a body over the cap, its length
// declared or not, is refused with a message naming the setting that
// exists (--page-size), not one that does not (issue 14.11).
func TestOversizedBodyIsAnErrorNotACrash(t *testing.T) {
	for _, declared := range []bool{true, false} {
		ts := newTestServer(t)
		ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
			prices := make([]string, 100)
			for i := range prices {
				prices[i] = "1.5"
			}
			body := pageJSON("null", prices...)
			if declared {
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			}
			writeJSON(w, http.StatusOK, body)
		}
		c, _ := newTestClient(t, ts, func(cfg *Config) { cfg.MaxBodyBytes = 4096 })
		_, err := c.FetchPage(context.Background(), lastMonth())
		if err == nil || !strings.Contains(err.Error(), "the 4096 bytes this client reads") || !strings.Contains(err.Error(), "--page-size") ||
			strings.Contains(err.Error(), "body limit") {
			t.Fatalf("length declared %v: got %v, want a size error naming --page-size", declared, err)
		}
		if _, calls := ts.counts(); calls != 1 {
			t.Errorf("%d calls, want 1", calls)
		}
	}
}

// TestReadBodyUsesTheDeclaredLength: a body with a Content-Length is read
// into one buffer of that size, not grown and copied on the way.
func TestReadBodyUsesTheDeclaredLength(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 1<<20)
	allocs := testing.AllocsPerRun(5, func() {
		data, over, err := readBody(bytes.NewReader(body), int64(len(body)), 64<<20)
		if err != nil || over || len(data) != len(body) {
			t.Fatalf("%d bytes, over %v, %v", len(data), over, err)
		}
	})
	if allocs > 2 { // the buffer, and the test's bytes.Reader
		t.Errorf("%v allocations to read a body of known length, want 2", allocs)
	}
	for _, tc := range []struct {
		length int64
		over   bool
	}{{-1, true}, {int64(len(body)), true}} {
		if _, over, _ := readBody(bytes.NewReader(body), tc.length, 1000); over != tc.over {
			t.Errorf("length %d over a 1000-byte cap: over %v", tc.length, over)
		}
	}
}

func TestConnectionRefusedIsRetriedThenReported(t *testing.T) {
	ts := newTestServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	c, sl := newTestClient(t, ts, func(cfg *Config) { cfg.BaseURL = closed; cfg.MaxAttempts = 3 })
	_, err = c.FetchPage(context.Background(), lastMonth())
	if err == nil || !strings.Contains(err.Error(), "cannot reach the Billing Usage API") || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("got %v", err)
	}
	if len(sl.get()) != 2 {
		t.Errorf("waits %v, want 2", sl.get())
	}
}

func TestSlowServerTimesOutPerAttempt(t *testing.T) {
	ts := newTestServer(t)
	release := make(chan struct{})
	defer close(release)
	ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
		if n == 1 {
			<-release // hang; the client must give up on this attempt by itself
			return
		}
		writeJSON(w, http.StatusOK, pageJSON("null", "3"))
	}
	c, sl := newTestClient(t, ts, func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	p, err := c.FetchPage(context.Background(), lastMonth())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) != 1 || len(sl.get()) != 1 {
		t.Errorf("records %d, waits %v; want the second attempt to succeed after one wait", len(p.Records), sl.get())
	}
}

func TestTimeoutMessageSaysSo(t *testing.T) {
	ts := newTestServer(t)
	release := make(chan struct{})
	defer close(release)
	ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) { <-release }
	c, _ := newTestClient(t, ts, func(cfg *Config) { cfg.RequestTimeout = 50 * time.Millisecond; cfg.MaxAttempts = 1 })
	_, err := c.FetchPage(context.Background(), lastMonth())
	if err == nil || !strings.Contains(err.Error(), "did not answer within 50ms") {
		t.Fatalf("got %v", err)
	}
}

func TestCancellationStopsTheRetryWaitAtOnce(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
		w.Header().Set("Retry-After", "60")
		writeJSON(w, http.StatusTooManyRequests, `{"code":20429,"message":"Too Many Requests","status":429}`)
	}
	c, _ := newTestClient(t, ts, func(cfg *Config) { cfg.MaxRetryTime = 2 * time.Hour })
	c.sleep = sleepContext // a real wait, which only cancellation can end
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx = WithRetryNotify(ctx, func(n RetryNotice) {
		if n.Wait != time.Minute {
			t.Errorf("wait %s, want the server's minute", n.Wait)
		}
		cancel()
	})
	_, err := c.FetchPage(ctx, lastMonth())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if _, calls := ts.counts(); calls != 1 {
		t.Errorf("%d calls, want 1", calls)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	ts := newTestServer(t)
	c, sl := newTestClient(t, ts, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.FetchPage(ctx, lastMonth())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if len(ts.all()) != 0 || len(sl.get()) != 0 {
		t.Errorf("sent %d requests and waited %v after cancellation", len(ts.all()), sl.get())
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		body       string
		wantTokens int
		fatal      bool
		msgHas     string
	}{
		{"wrong credentials", 401, `{"error":"invalid_client","error_description":"client authentication failed"}`, 1, true, "rejected the client credentials (server said: invalid_client: client authentication failed)"},
		{"wrong token URL", 404, `{"code":20404,"message":"The requested resource /v2/tokn was not found","status":404}`, 1, true, "no OAuth token endpoint at this URL"},
		{"Twilio shape", 400, `{"code":20003,"message":"Authentication Error","status":400}`, 1, true, "rejected the client credentials"},
		{"HTML", 403, `<html>forbidden</html>`, 1, true, "server said: <html>forbidden</html>"},
		{"unavailable", 503, `oops`, 5, false, "the token endpoint failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.token = func(w http.ResponseWriter, n int) { writeJSON(w, tc.status, tc.body) }
			c, _ := newTestClient(t, ts, nil)
			_, err := c.FetchPage(context.Background(), lastMonth())
			e := apiError(t, err)
			if !e.TokenEndpoint || e.StatusCode != tc.status || e.Fatal() != tc.fatal {
				t.Errorf("got %+v fatal %v", e, e.Fatal())
			}
			if !strings.Contains(err.Error(), tc.msgHas) {
				t.Errorf("error %q does not say %q", err, tc.msgHas)
			}
			wantHint := "TWILIO_CLIENT_SECRET"
			if tc.status == 404 {
				wantHint = "--token-url"
			}
			if tc.fatal && !strings.Contains(e.Hint(), wantHint) {
				t.Errorf("hint %q does not mention %s", e.Hint(), wantHint)
			}
			if tokens, records := ts.counts(); tokens != tc.wantTokens || records != 0 {
				t.Errorf("%d token and %d records requests, want %d and 0", tokens, records, tc.wantTokens)
			}
			if err := c.CheckCredentials(context.Background()); err == nil {
				t.Error("CheckCredentials succeeded against a failing token endpoint")
			}
		})
	}
}

func TestCheckCredentialsFetchesOnlyAToken(t *testing.T) {
	ts := newTestServer(t)
	c, _ := newTestClient(t, ts, nil)
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	if tokens, records := ts.counts(); tokens != 2 || records != 0 {
		t.Errorf("%d token and %d records requests, want 2 (each check asks afresh) and 0", tokens, records)
	}
	bad, _ := newTestClient(t, ts, func(cfg *Config) { cfg.ClientSecret = "wrong-secret" })
	e := apiError(t, bad.CheckCredentials(context.Background()))
	if !e.TokenEndpoint || e.StatusCode != 401 {
		t.Errorf("got %+v", e)
	}
}

func TestTokenIsRenewedBeforeItExpires(t *testing.T) {
	ts := newTestServer(t)
	c, _ := newTestClient(t, ts, nil)
	ctx := context.Background()
	if _, err := c.FetchPage(ctx, lastMonth()); err != nil {
		t.Fatal(err)
	}
	// tok-1 lives an hour. With 30 minutes left it is reused; with 30
	// seconds left (inside the one-minute margin) it is renewed unasked.
	c.tokens.now = func() time.Time { return time.Now().Add(30 * time.Minute) }
	if _, err := c.FetchPage(ctx, lastMonth()); err != nil {
		t.Fatal(err)
	}
	if tokens, _ := ts.counts(); tokens != 1 {
		t.Fatalf("%d token requests, want the first token reused", tokens)
	}
	c.tokens.now = func() time.Time { return time.Now().Add(time.Hour - 30*time.Second) }
	if _, err := c.FetchPage(ctx, lastMonth()); err != nil {
		t.Fatal(err)
	}
	if tokens, _ := ts.counts(); tokens != 2 {
		t.Errorf("%d token requests, want a renewal before expiry", tokens)
	}
	if recs := ts.recordRequests(); recs[2].Header.Get("Authorization") != "Bearer tok-2" {
		t.Errorf("third request used %q", recs[2].Header.Get("Authorization"))
	}
}

func TestConcurrentCallsShareOneToken(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) { writeJSON(w, 200, pageJSON("null", "1")) }
	c, _ := newTestClient(t, ts, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := c.FetchPage(context.Background(), lastMonth())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if tokens, records := ts.counts(); tokens != 1 || records != 8 {
		t.Errorf("%d token and %d records requests, want 1 and 8", tokens, records)
	}
}

// TestSecretGoesOnlyToTheTokenEndpoint runs through renewals, retries,
// every kind of failure and a token endpoint that echoes what it was sent,
// then searches every request and every error for the secret.
func TestSecretGoesOnlyToTheTokenEndpoint(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, _ wireRequest) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"code":20429,"message":"slow down","status":429}`)
		case 2:
			writeJSON(w, 200, pageJSON(`"p2"`, "1"))
		case 3:
			writeJSON(w, 403, `{"code":70051,"message":"no permission","status":403}`)
		default:
			writeJSON(w, 200, `<html>`)
		}
	}
	c, _ := newTestClient(t, ts, nil)
	ctx := context.Background()
	var errs []error
	record := func(_ any, err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	record(c.FetchPage(ctx, lastMonth()))
	ts.revokeAll()
	record(c.FetchPage(ctx, lastMonth()))
	record(c.FetchPage(ctx, lastMonth()))
	record(nil, c.FetchAll(ctx, lastMonth(), func(*Page) error { return nil }))

	// A token endpoint that echoes the form, raw and encoded, in its errors.
	ts.token = func(w http.ResponseWriter, n int) {
		body, _ := json.Marshal(map[string]string{
			"error":             "invalid_client secret=" + tsSecret,
			"error_description": "got client_secret=" + url.QueryEscape(tsSecret),
		})
		writeJSON(w, 401, string(body))
	}
	record(nil, c.CheckCredentials(ctx))
	ts.token = func(w http.ResponseWriter, n int) { writeJSON(w, 500, "secret was "+tsSecret) }
	record(nil, c.CheckCredentials(ctx))
	if len(errs) != 5 {
		t.Fatalf("%d errors, want 5: %v", len(errs), errs)
	}
	for _, err := range errs {
		var e *Error
		if errors.As(err, &e) {
			for _, s := range []string{e.Hint(), e.Body, e.Message} {
				if strings.Contains(s, tsSecret) {
					t.Errorf("error field leaks the secret: %q", s)
				}
			}
		}
		if strings.Contains(err.Error(), tsSecret) || strings.Contains(err.Error(), url.QueryEscape(tsSecret)) {
			t.Errorf("error leaks the secret: %q", err)
		}
	}
	tokenRequests := 0
	for _, r := range ts.all() {
		raw := r.Method + r.Path + string(r.Body) + headerText(r.Header)
		leaks := strings.Contains(raw, tsSecret) || strings.Contains(raw, url.QueryEscape(tsSecret))
		if r.Path == "/v2/token" {
			tokenRequests++
			if strings.Contains(headerText(r.Header), tsSecret) {
				t.Errorf("token request carries the secret in a header")
			}
			continue
		}
		if leaks {
			t.Errorf("records request %s %s carries the secret", r.Method, r.Path)
		}
	}
	if tokenRequests < 3 {
		t.Errorf("only %d token requests; the scenario did not renew", tokenRequests)
	}
}

func headerText(h http.Header) string {
	var b strings.Builder
	for k, vs := range h {
		b.WriteString(k + ": " + strings.Join(vs, ",") + "\n")
	}
	return b.String()
}
