package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Credentials of the test servers. The secret is long and distinctive so a
// leak anywhere is found by a plain substring search.
const (
	tsClientID = "client-7f3a9c"
	tsSecret   = "s3cr3t-ZXQ1-never-print-me-9d8e"
	tsGroup    = "commerce_billingprofile_0123456789abcdef"
)

// captured is one request as the test server saw it.
type captured struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// testServer is a loopback HTTP server with a token endpoint and a records
// endpoint whose answers each test scripts. It keeps every request so tests
// can count them and search them for the secret.
type testServer struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []captured
	tokens   int      // tokens issued so far
	records  int      // records requests answered so far
	valid    []string // access tokens the records endpoint accepts

	// token answers the n-th token request (from 1); nil issues a token.
	token func(w http.ResponseWriter, n int)
	// recordsFn answers the n-th records request (from 1) whose bearer
	// token is valid; nil serves an empty last page.
	recordsFn func(w http.ResponseWriter, n int, req wireRequest)
	// checkBearer makes the records endpoint answer 401 to unknown tokens.
	checkBearer bool
}

func newTestServer(t *testing.T) *testServer {
	ts := &testServer{t: t, checkBearer: true}
	ts.srv = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *testServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ts.mu.Lock()
	ts.requests = append(ts.requests, captured{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	ts.mu.Unlock()
	switch {
	case r.URL.Path == "/v2/token":
		ts.serveToken(w, r, body)
	case r.URL.Path == fmt.Sprintf(RecordsPath, tsGroup) || strings.HasPrefix(r.URL.Path, "/v2/Usage/BillingGroups/"):
		ts.serveRecords(w, r, body)
	default:
		http.NotFound(w, r)
	}
}

func (ts *testServer) serveToken(w http.ResponseWriter, r *http.Request, body []byte) {
	ts.mu.Lock()
	ts.tokens++
	n := ts.tokens
	ts.mu.Unlock()
	if ts.token != nil {
		ts.token(w, n)
		return
	}
	form, _ := url.ParseQuery(string(body))
	if r.Method != http.MethodPost || form.Get("client_id") != tsClientID || form.Get("client_secret") != tsSecret ||
		form.Get("grant_type") != "client_credentials" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"invalid_client","error_description":"client authentication failed"}`)
		return
	}
	ts.issue(w, n, 3600)
}

// issue answers a token request with token "tok-n".
func (ts *testServer) issue(w http.ResponseWriter, n, expiresIn int) {
	tok := fmt.Sprintf("tok-%d", n)
	ts.mu.Lock()
	ts.valid = append(ts.valid, tok)
	ts.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":%d,"refresh_token":null,"id_token":null}`, tok, expiresIn)
}

func (ts *testServer) serveRecords(w http.ResponseWriter, r *http.Request, body []byte) {
	if ts.checkBearer && !ts.accepts(r.Header.Get("Authorization")) {
		writeJSON(w, http.StatusUnauthorized, `{"code":20003,"message":"Authentication Error - invalid token","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`)
		return
	}
	var req wireRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, `{"code":20001,"message":"body is not JSON","status":400}`)
		return
	}
	ts.mu.Lock()
	ts.records++
	n := ts.records
	ts.mu.Unlock()
	if ts.recordsFn == nil {
		writeJSON(w, http.StatusOK, `{"asOf":"2025-03-02","records":[],"meta":{"key":"items","nextToken":null}}`)
		return
	}
	ts.recordsFn(w, n, req)
}

func (ts *testServer) accepts(auth string) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, tok := range ts.valid {
		if auth == "Bearer "+tok {
			return true
		}
	}
	return false
}

// lastAuth returns the Authorization header of the last request.
func (ts *testServer) lastAuth() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.requests) == 0 {
		return ""
	}
	return ts.requests[len(ts.requests)-1].Header.Get("Authorization")
}

// revokeAll makes every token issued so far unacceptable.
func (ts *testServer) revokeAll() {
	ts.mu.Lock()
	ts.valid = nil
	ts.mu.Unlock()
}

func (ts *testServer) counts() (tokens, records int) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.tokens, ts.records
}

// recordRequests returns the records requests seen, in order, whatever
// their answer.
func (ts *testServer) recordRequests() []captured {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var out []captured
	for _, c := range ts.requests {
		if c.Path != "/v2/token" {
			out = append(out, c)
		}
	}
	return out
}

func (ts *testServer) all() []captured {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]captured(nil), ts.requests...)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// sleepLog records the waits of a client instead of sleeping.
type sleepLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepLog) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestClient returns a client of ts whose retries take no time and whose
// jitter is the whole ceiling, so waits are predictable.
func newTestClient(t *testing.T, ts *testServer, edit func(*Config)) (*Client, *sleepLog) {
	t.Helper()
	sl := &sleepLog{}
	cfg := Config{
		BaseURL:      ts.srv.URL,
		TokenURL:     ts.srv.URL + "/v2/token",
		ClientID:     tsClientID,
		ClientSecret: tsSecret,
		Sleep:        sl.sleep,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.jitter = func(ceiling time.Duration) time.Duration { return ceiling }
	return c, sl
}

// lastMonth is a valid request for the test group.
func lastMonth() RecordsRequest {
	return RecordsRequest{GroupID: tsGroup, Period: LastMonth, Aggregation: Daily}
}

// march is a valid request for March 2025, the month pageJSON's records
// fall in.
func march() RecordsRequest {
	return RecordsRequest{GroupID: tsGroup, StartDate: NewDate(2025, 3, 1), EndDate: NewDate(2025, 3, 31), Aggregation: Daily}
}

// recordSeq numbers pageJSON's products, so no two of its records are the
// same product on the same day.
var recordSeq atomic.Int64

// pageJSON is a page with one record per price and the given next token
// (written as raw JSON: `null`, `""`, `"t2"`, or "" to leave it out). Each
// record is a product of its own on 2025-03-01.
func pageJSON(next string, prices ...string) string {
	recs := make([]string, len(prices))
	for i, p := range prices {
		recs[i] = strings.Replace(recordJSON(p, `"1"`), `"SMS"`, fmt.Sprintf(`"SMS-%d"`, recordSeq.Add(1)), 1)
	}
	meta := `"key":"items","pageSize":20`
	if next != "" {
		meta += `,"nextToken":` + next
	}
	return `{"asOf":"2025-03-02","records":[` + strings.Join(recs, ",") + `],"meta":{` + meta + `}}`
}
