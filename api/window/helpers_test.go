package window

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
)

// demoToday fixes the simulated API's data, so every run sees the same year.
var demoToday = time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)

// yearRange is the 365 days up to demoToday.
var yearRange = Range{api.DateOf(demoToday) - 364, api.DateOf(demoToday)}

// summer is four months, for tests that need many windows but not a year.
var summer = Range{api.NewDate(2026, 5, 1), api.NewDate(2026, 8, 31)}

// demoAPI serves the demo data over loopback HTTP and returns a client
// of it. wrap, when not nil, sees every request first and may answer it
// itself (returning true).
func demoAPI(tb testing.TB, faults fakeapi.Faults, wrap func(w http.ResponseWriter, r *http.Request) bool) (*api.Client, *fakeapi.Server) {
	tb.Helper()
	base, srv := demoServer(tb, faults, wrap)
	return newClient(tb, base, 0), srv
}

func demoServer(tb testing.TB, faults fakeapi.Faults, wrap func(w http.ResponseWriter, r *http.Request) bool) (string, *fakeapi.Server) {
	srv := fakeapi.New(fakeapi.Options{Now: func() time.Time { return demoToday }, Faults: faults})
	var h http.Handler = srv
	if wrap != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !wrap(w, r) {
				srv.ServeHTTP(w, r)
			}
		})
	}
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts.URL, srv
}

// newClient is a client of the server at base; maxAttempts 0 for the default.
func newClient(tb testing.TB, base string, maxAttempts int) *api.Client {
	tb.Helper()
	c, err := api.New(api.Config{
		BaseURL:      base,
		TokenURL:     base + "/v2/token",
		ClientID:     fakeapi.DemoClientID,
		ClientSecret: fakeapi.DemoClientSecret,
		MaxAttempts:  maxAttempts,
		HTTPClient:   &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// sequential pages through each range as one query, the way a client
// without windows does: the reference every windowed load must equal.
func sequential(tb testing.TB, c *api.Client, q Query) []api.Record {
	tb.Helper()
	var recs []api.Record
	for _, r := range q.Ranges {
		req := api.RecordsRequest{GroupID: q.GroupID, StartDate: r.From, EndDate: r.To, Category: q.Category,
			Aggregation: q.Aggregation, PageSize: q.PageSize}
		if req.PageSize == 0 {
			req.PageSize = api.MaxPageSize
		}
		err := c.FetchAll(context.Background(), req, func(p *api.Page) error {
			recs = append(recs, p.Records...)
			return nil
		})
		if err != nil {
			tb.Fatalf("sequential paging of %s: %v", r, err)
		}
	}
	return recs
}

// loaded is what a Load handed over.
type loaded struct {
	windows []Range
	recs    []api.Record
	events  []Event
	final   Progress
}

// load runs Load and keeps every event. cancelAfter, when > 0, cancels
// the load once that many windows have been handed over.
func load(tb testing.TB, c Pager, q Query, opts Options, cancelAfter int) (loaded, error) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got loaded
	final, err := Load(ctx, c, q, opts, func(e Event) {
		got.events = append(got.events, e)
		if e.Kind == WindowDone {
			got.windows = append(got.windows, e.Window)
			got.recs = append(got.recs, e.Records...)
			if cancelAfter > 0 && len(got.windows) == cancelAfter {
				cancel()
			}
		}
	})
	got.final = final
	return got, err
}

// sameRecords fails unless got and want are the same records in the same
// order, every field exact.
func sameRecords(tb testing.TB, got, want []api.Record) {
	tb.Helper()
	if i := api.FirstDifference(got, want); i >= 0 {
		tb.Fatalf("%d records, want %d; they differ from record %d", len(got), len(want), i)
	}
}

// requestLog records which window and page each records request asked
// for, and when it arrived.
type requestLog struct {
	mu   sync.Mutex
	seen []loggedRequest
}

type loggedRequest struct {
	at               time.Time
	start, end, page string
}

func (l *requestLog) add(r loggedRequest) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, r)
	return len(l.seen)
}

func (l *requestLog) all() []loggedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]loggedRequest(nil), l.seen...)
}

// peek reads a records request's JSON body, puts it back for the server,
// and returns the window and page it asks for; ok is false for other
// requests (the token endpoint).
func peek(r *http.Request) (loggedRequest, bool) {
	if r.URL.Path == "/v2/token" {
		return loggedRequest{}, false
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	var f struct{ StartDate, EndDate, PageToken string }
	_ = json.Unmarshal(body, &f)
	return loggedRequest{at: time.Now(), start: f.StartDate, end: f.EndDate, page: f.PageToken}, true
}
