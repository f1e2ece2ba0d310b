package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// collect runs FetchAll and returns every price it was handed, in order.
func collect(t *testing.T, c *Client, req RecordsRequest) ([]string, error) {
	t.Helper()
	var prices []string
	err := c.FetchAll(context.Background(), req, func(p *Page) error {
		for _, r := range p.Records {
			prices = append(prices, r.Price.Amount.String())
		}
		return nil
	})
	return prices, err
}

func TestFetchAllFollowsTokensToTheLastPage(t *testing.T) {
	for _, tc := range []struct {
		name string
		last string // the last page's meta.nextToken as raw JSON, "" to leave it out
	}{
		{"null token", "null"},
		{"empty token", `""`},
		{"absent token", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
				want := map[int]string{1: "", 2: "t2", 3: "t3"}[n]
				if req.PageToken != want {
					t.Errorf("request %d sent pageToken %q, want %q", n, req.PageToken, want)
				}
				switch n {
				case 1:
					writeJSON(w, 200, pageJSON(`"t2"`, "1", "2"))
				case 2:
					writeJSON(w, 200, pageJSON(`"t3"`, "3"))
				default:
					writeJSON(w, 200, pageJSON(tc.last, "4"))
				}
			}
			c, _ := newTestClient(t, ts, nil)
			prices, err := collect(t, c, march())
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(prices, ",") != "1,2,3,4" {
				t.Errorf("got %v", prices)
			}
			if _, calls := ts.counts(); calls != 3 {
				t.Errorf("%d calls, want 3", calls)
			}
		})
	}
}

func TestFetchAllAcceptsAnEmptyLastPage(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		if n == 1 {
			writeJSON(w, 200, pageJSON(`"t2"`, "1"))
			return
		}
		writeJSON(w, 200, `{"asOf":"2025-03-02","records":[],"meta":{"key":"items","nextToken":null}}`)
	}
	c, _ := newTestClient(t, ts, nil)
	pages := 0
	err := c.FetchAll(context.Background(), march(), func(p *Page) error { pages++; return nil })
	if err != nil || pages != 2 {
		t.Errorf("%d pages, %v; want 2 pages and no error", pages, err)
	}
}

// TestFetchAllKeepsEveryOtherFieldByteIdentical checks that page n's body is
// page 1's body with only the token added.
func TestFetchAllKeepsEveryOtherFieldByteIdentical(t *testing.T) {
	ts := newTestServer(t)
	tokens := []string{"eyJwYWdlIjoyfQ==", "tok/with+odd&chars\"<>", "last"}
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		next := "null"
		if n <= len(tokens) {
			next = strconv.Quote(tokens[n-1])
		}
		writeJSON(w, 200, pageJSON(next, "1"))
	}
	c, _ := newTestClient(t, ts, nil)
	req := RecordsRequest{GroupID: tsGroup, StartDate: mustDate(t, "2025-01-01"), EndDate: mustDate(t, "2025-12-31"),
		Category: "voice & <sms>", Aggregation: Daily, PageSize: 1000}
	if _, err := collect(t, c, req); err != nil {
		t.Fatal(err)
	}
	bodies := ts.recordRequests()
	if len(bodies) != 4 {
		t.Fatalf("%d requests, want 4", len(bodies))
	}
	first := string(bodies[0].Body)
	if strings.Contains(first, "pageToken") {
		t.Errorf("first page sent a token: %s", first)
	}
	for i, b := range bodies[1:] {
		prefix := strings.TrimSuffix(first, "}")
		got := string(b.Body)
		if !strings.HasPrefix(got, prefix+`,"pageToken":`) {
			t.Errorf("page %d body %s\ndoes not start with page 1's fields %s", i+2, got, prefix)
		}
		var sent wireRequest
		if err := json.Unmarshal(b.Body, &sent); err != nil || sent.PageToken != tokens[i] {
			t.Errorf("page %d sent token %q (%v), want %q", i+2, sent.PageToken, err, tokens[i])
		}
	}
}

func TestFetchAllStopsOnARepeatedToken(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tokens []string // nextToken of pages 1, 2, ...; the last repeats
		pages  int
	}{
		{"same token forever", []string{"again"}, 2},
		{"cycle", []string{"a", "b", "a"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
				writeJSON(w, 200, pageJSON(strconv.Quote(tc.tokens[min(n, len(tc.tokens))-1]), "1"))
			}
			c, _ := newTestClient(t, ts, nil)
			_, err := collect(t, c, march())
			if err == nil || !strings.Contains(err.Error(), "nextToken it had sent before") {
				t.Fatalf("got %v, want a repeated-token error", err)
			}
			if _, calls := ts.counts(); calls != tc.pages {
				t.Errorf("%d calls, want %d", calls, tc.pages)
			}
		})
	}
}

func TestFetchAllReportsARejectedToken(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		if req.PageToken == "" {
			writeJSON(w, 200, pageJSON(`"stale"`, "1", "2"))
			return
		}
		writeJSON(w, 400, `{"code":20001,"message":"Invalid pageToken","status":400}`)
	}
	c, _ := newTestClient(t, ts, nil)
	prices, err := collect(t, c, march())
	e := apiError(t, err)
	if e.StatusCode != 400 || !strings.Contains(err.Error(), "page 2") || !strings.Contains(err.Error(), "Invalid pageToken") {
		t.Errorf("got %v", err)
	}
	if strings.Join(prices, ",") != "1,2" {
		t.Errorf("records handed over before the failure: %v, want 1,2", prices)
	}
	if _, calls := ts.counts(); calls != 2 {
		t.Errorf("%d calls, want 2 (a 400 is not retried)", calls)
	}
}

func TestFetchAllStopsWhenOnPageFails(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		writeJSON(w, 200, pageJSON(`"t`+strconv.Itoa(n)+`"`, "1"))
	}
	c, _ := newTestClient(t, ts, nil)
	stop := errors.New("enough")
	err := c.FetchAll(context.Background(), march(), func(*Page) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("got %v, want the callback's error", err)
	}
	if _, calls := ts.counts(); calls != 1 {
		t.Errorf("%d calls, want 1", calls)
	}
}

func TestFetchAllResumesFromAToken(t *testing.T) {
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		if req.PageToken != "resume-here" {
			t.Errorf("sent token %q, want resume-here", req.PageToken)
		}
		writeJSON(w, 200, pageJSON("null", "9"))
	}
	c, _ := newTestClient(t, ts, nil)
	req := march()
	req.PageToken = "resume-here"
	prices, err := collect(t, c, req)
	if err != nil || strings.Join(prices, ",") != "9" {
		t.Errorf("got %v, %v", prices, err)
	}
}

// TestFetchAllThroughRateLimitsAndOutages pages a year of DAILY records
// from a server that rate-limits every third request and fails every
// seventh: every record must arrive exactly once and the sums be exact.
func TestFetchAllThroughRateLimitsAndOutages(t *testing.T) {
	const products, days, pageSize = 7, 365, 100
	type rec struct{ day, product int }
	var all []rec
	for d := range days {
		for p := range products {
			all = append(all, rec{d, p})
		}
	}
	price := func(r rec) string { return fmt.Sprintf("%d.%04d", r.product, (r.day*37+r.product*11)%10000) }
	want := decimal.Zero
	for _, r := range all {
		want = want.Add(decimal.RequireFromString(price(r)))
	}
	start := NewDate(2025, 1, 1)
	ts := newTestServer(t)
	served := 0
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		switch {
		case n%3 == 0:
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"code":20429,"message":"Too Many Requests","status":429}`)
			return
		case n%7 == 0:
			writeJSON(w, 503, `<html>Service Unavailable</html>`)
			return
		}
		from := 0
		if req.PageToken != "" {
			from, _ = strconv.Atoi(strings.TrimPrefix(req.PageToken, "at-"))
		}
		to := min(from+pageSize, len(all))
		var recs []string
		for _, r := range all[from:to] {
			d := start.AddDays(r.day).String()
			recs = append(recs, fmt.Sprintf(`{"productName":"P%d","productCategory":"c%d","startDate":%q,"endDate":%q,"usage":{"amount":"%d.5","unit":"segments"},"price":{"amount":%s,"currency":"USD"}}`,
				r.product, r.product, d, d, r.day, price(r)))
		}
		next := "null"
		if to < len(all) {
			next = fmt.Sprintf(`"at-%d"`, to)
		}
		served++
		writeJSON(w, 200, `{"asOf":"2025-12-31","records":[`+strings.Join(recs, ",")+`],"meta":{"key":"items","nextToken":`+next+`}}`)
	}
	c, sl := newTestClient(t, ts, nil)
	req := RecordsRequest{GroupID: tsGroup, StartDate: start, EndDate: start.AddDays(days - 1), Aggregation: Daily, PageSize: pageSize}
	got := decimal.Zero
	seen := map[rec]int{}
	err := c.FetchAll(context.Background(), req, func(p *Page) error {
		for _, r := range p.Records {
			var product int
			fmt.Sscanf(r.ProductName, "P%d", &product)
			seen[rec{int(r.StartDate - start), product}]++
			got = got.Add(r.Price.Amount.Decimal())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(all) {
		t.Errorf("%d distinct records, want %d", len(seen), len(all))
	}
	for r, n := range seen {
		if n != 1 {
			t.Errorf("record %+v arrived %d times", r, n)
		}
	}
	if !got.Equal(want) {
		t.Errorf("sum %s, want exactly %s", got, want)
	}
	if served != (len(all)+pageSize-1)/pageSize || len(sl.get()) == 0 {
		t.Errorf("%d pages served after %d waits", served, len(sl.get()))
	}
}
