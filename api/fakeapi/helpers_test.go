package fakeapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// testNow is the fixed "now" of the tests: today is 2026-03-14 (a Saturday).
var testNow = time.Date(2026, 3, 14, 15, 4, 5, 0, time.UTC)

var testToday = api.NewDate(2026, 3, 14)

// clock is a settable clock for expiry tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: testNow} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// start runs a Server on loopback for one test; opts.Now defaults to testNow.
func start(t testing.TB, opts Options) *Running {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	run, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(run.Close)
	return run
}

// response is what came back, body read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t testing.TB, req *http.Request) response {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, body}
}

// tokenRequest posts a token form.
func tokenRequest(t testing.TB, run *Running, form url.Values) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, run.TokenURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

func demoForm() url.Values {
	return url.Values{"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}, "grant_type": {"client_credentials"}}
}

// login returns a bearer token for the demo client.
func login(t testing.TB, run *Running) string {
	t.Helper()
	res := tokenRequest(t, run, demoForm())
	if res.status != http.StatusOK {
		t.Fatalf("token: %d %s", res.status, res.body)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(res.body, &tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("token body %s: %v", res.body, err)
	}
	return tr.AccessToken
}

func recordsURL(run *Running, groupID string) string {
	return run.BaseURL + "/v2/Usage/BillingGroups/" + groupID + "/Records"
}

// post sends a records request with a JSON body.
func post(t testing.TB, run *Running, token, groupID, body string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, recordsURL(run, groupID), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

// get sends a records request with query parameters.
func get(t testing.TB, run *Running, token, groupID string, params url.Values) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, recordsURL(run, groupID)+"?"+params.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return do(t, req)
}

// page is a decoded records response, amounts kept exact.
type page struct {
	AsOf    string `json:"asOf"`
	Records []struct {
		ProductName     string `json:"productName"`
		ProductCategory string `json:"productCategory"`
		StartDate       string `json:"startDate"`
		EndDate         string `json:"endDate"`
		Usage           struct {
			Amount string `json:"amount"`
			Unit   string `json:"unit"`
		} `json:"usage"`
		Price struct {
			Amount   json.Number `json:"amount"`
			Currency string      `json:"currency"`
		} `json:"price"`
	} `json:"records"`
	Meta map[string]json.RawMessage `json:"meta"`
}

func decodePage(t testing.TB, res response) page {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var p page
	dec := json.NewDecoder(strings.NewReader(string(res.body)))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
	return p
}

// nextToken is meta.nextToken, "" when null, empty or absent.
func (p page) nextToken() string {
	var s string
	_ = json.Unmarshal(p.Meta["nextToken"], &s)
	return s
}

// lines renders the records as comparable strings.
func (p page) lines() []string {
	var out []string
	for _, r := range p.Records {
		out = append(out, strings.Join([]string{r.StartDate, r.EndDate, r.ProductName, r.ProductCategory, r.Usage.Amount, r.Usage.Unit, r.Price.Amount.String(), r.Price.Currency}, "|"))
	}
	return out
}

// recordLines renders generator records the way the server writes them.
func recordLines(recs []api.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, strings.Join([]string{r.StartDate.String(), r.EndDate.String(), r.ProductName, r.ProductCategory, r.Usage.Amount.String(), r.Usage.Unit, r.Price.Amount.String(), r.Price.Currency}, "|"))
	}
	return out
}

// fetchAll follows nextToken through every page, repeating body's fields
// (a JSON object without pageToken) on each request.
func fetchAll(t testing.TB, run *Running, token, groupID string, fields map[string]any) (lines []string, pages []page) {
	t.Helper()
	next := ""
	for i := 0; ; i++ {
		if i > 5000 {
			t.Fatal("paging does not end")
		}
		body := map[string]any{}
		for k, v := range fields {
			body[k] = v
		}
		if next != "" {
			body["pageToken"] = next
		}
		b, _ := json.Marshal(body)
		p := decodePage(t, post(t, run, token, groupID, string(b)))
		pages = append(pages, p)
		lines = append(lines, p.lines()...)
		if next = p.nextToken(); next == "" {
			return lines, pages
		}
	}
}

// errorBody is the union of the three error shapes.
type errorBody struct {
	Code           int               `json:"code"`
	Message        string            `json:"message"`
	MoreInfo       string            `json:"more_info"`
	Status         int               `json:"status"`
	Type           string            `json:"type"`
	Title          string            `json:"title"`
	Detail         string            `json:"detail"`
	Errors         []problemField    `json:"errors"`
	HTTPStatusCode int               `json:"httpStatusCode"`
	UserError      *bool             `json:"userError"`
	Params         map[string]string `json:"params"`
	OAuthError     string            `json:"error"`
}

func decodeError(t testing.TB, res response) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(res.body, &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", res.body, err)
	}
	return e
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
