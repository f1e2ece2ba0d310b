package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// hostileRecord is one record of the hostile server: product p on day d of
// March 2025 (from 0), costing p+1 + d/100.
func hostileRecord(p, d int) string {
	day := NewDate(2025, 3, 1).AddDays(d).String()
	return fmt.Sprintf(`{"productName":"P%d","productCategory":"c","startDate":%q,"endDate":%q,`+
		`"usage":{"amount":"1","unit":"u"},"price":{"amount":%d.%02d,"currency":"USD"}}`, p, day, day, p+1, d)
}

func hostilePage(next string, recs []string) string {
	return `{"asOf":"2025-03-31","records":[` + strings.Join(recs, ",") + `],"meta":{"key":"items","nextToken":` + next + `}}`
}

// TestHostileServerPagingAlwaysEnds runs FetchAll against servers that
// never stop offering pages (issue 14, item 2): each must end, after a
// bounded number of requests, with a *PagingError that says the data is
// partial (item 4), having handed over only records it had not seen.
func TestHostileServerPagingAlwaysEnds(t *testing.T) {
	for _, tc := range []struct {
		name     string
		page     func(n int) []string // records of request n (from 1); each page offers a fresh token
		reason   StopReason
		maxCalls int
		records  int // distinct records handed over
	}{
		{"empty pages, fresh tokens", func(n int) []string {
			if n == 1 {
				return []string{hostileRecord(0, 0)}
			}
			return nil
		}, StopNoProgress, 1 + maxIdlePages, 1},
		{"the same records again, fresh tokens", func(int) []string {
			return []string{hostileRecord(0, 0), hostileRecord(1, 0)}
		}, StopNoProgress, 1 + maxIdlePages, 2},
		{"fresh tokens, a token loop", nil, StopTokenLoop, 3, 3},
		{"a new record every page, forever", func(n int) []string {
			return []string{hostileRecord(n/31, n%31)}
		}, StopBudget, 20, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
				if tc.page == nil { // a loop: t1 -> t2 -> t1
					writeJSON(w, 200, hostilePage(fmt.Sprintf(`"t%d"`, (n-1)%2+1), []string{hostileRecord(n, 0)}))
					return
				}
				writeJSON(w, 200, hostilePage(fmt.Sprintf(`"fresh-%d"`, n), tc.page(n)))
			}
			c, _ := newTestClient(t, ts, nil)
			req := march()
			req.PageSize = 1000
			seen := map[string]int{}
			err := c.FetchAll(context.Background(), req, func(p *Page) error {
				for _, r := range p.Records {
					seen[r.ProductName+r.StartDate.String()]++
				}
				return nil
			})
			var pe *PagingError
			if !errors.As(err, &pe) || pe.Reason != tc.reason || !errors.Is(err, ErrPartial) {
				t.Fatalf("got %v; want a %s *PagingError that is ErrPartial", err, tc.reason)
			}
			if !strings.Contains(err.Error(), "partial") {
				t.Errorf("the error %q does not say the data is partial", err)
			}
			if _, calls := ts.counts(); calls > tc.maxCalls {
				t.Errorf("%d requests, want at most %d", calls, tc.maxCalls)
			}
			for k, n := range seen {
				if n != 1 {
					t.Errorf("record %s handed over %d times", k, n)
				}
			}
			if tc.records > 0 && len(seen) != tc.records {
				t.Errorf("%d records handed over, want %d", len(seen), tc.records)
			}
		})
	}
}

// TestHostileServerBudgetScalesWithTheQuery: the budget is what the
// query's data can fill (days × products ÷ page size, with margin), so a
// large honest load is never stopped while a forever server is, soon.
func TestHostileServerBudgetScalesWithTheQuery(t *testing.T) {
	for _, tc := range []struct {
		days, products, pageSize int
		want                     int
	}{
		{31, 1, 1000, pageBudgetFloor + 2},
		{365, 300, 1000, pageBudgetFloor + 2*110},
		{365, 300, 20, pageBudgetFloor + 2*5475},
		{365, 1_000_000, 1000, pageBudgetFloor + 2*3650}, // products are capped
	} {
		start := NewDate(2025, 1, 1)
		p := NewPager(RecordsRequest{PageSize: tc.pageSize}, start, start.AddDays(tc.days-1))
		for i := range min(tc.products, maxBudgetProducts+1) {
			p.mark(&Record{ProductName: fmt.Sprint(i), StartDate: start})
		}
		if got := p.Budget(); got != tc.want {
			t.Errorf("%d days × %d products at %d a page: budget %d, want %d", tc.days, tc.products, tc.pageSize, got, tc.want)
		}
	}
}

// TestHostileServerDuplicatesAcrossPagesAreDroppedAndCounted: records
// repeated on later pages (20 of 100, issue 14, item 3) are handed over
// once, counted in Page.Duplicates, and the sum is the sum without them.
func TestHostileServerDuplicatesAcrossPagesAreDroppedAndCounted(t *testing.T) {
	var recs []string
	want := decimal.Zero
	for d := range 20 {
		for p := range 5 {
			recs = append(recs, hostileRecord(p, d))
			want = want.Add(decimal.RequireFromString(fmt.Sprintf("%d.%02d", p+1, d)))
		}
	}
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		switch n {
		case 1:
			writeJSON(w, 200, hostilePage(`"p2"`, recs[:50]))
		case 2: // 20 of page 1 again, then new ones
			writeJSON(w, 200, hostilePage(`"p3"`, append(append([]string{}, recs[30:50]...), recs[50:80]...)))
		default:
			writeJSON(w, 200, hostilePage(`null`, recs[80:]))
		}
	}
	c, _ := newTestClient(t, ts, nil)
	got, dups, n := decimal.Zero, 0, 0
	err := c.FetchAll(context.Background(), march(), func(p *Page) error {
		for _, r := range p.Records {
			got = got.Add(r.Price.Amount.Decimal())
		}
		n += len(p.Records)
		dups += p.Duplicates
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 100 || dups != 20 || !got.Equal(want) {
		t.Errorf("%d records, %d duplicates, sum %s; want 100, 20, %s", n, dups, got, want)
	}
}

// TestHostileServerRecordsOutsideTheRange: a server answering March with
// April rows (issue 14, item 10) gets an error naming the record and the
// range; nothing of that page is handed over.
func TestHostileServerRecordsOutsideTheRange(t *testing.T) {
	april := strings.ReplaceAll(hostileRecord(3, 0), "2025-03-01", "2025-04-01")
	ts := newTestServer(t)
	ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
		if n == 1 {
			writeJSON(w, 200, hostilePage(`"p2"`, []string{hostileRecord(0, 0)}))
			return
		}
		writeJSON(w, 200, hostilePage(`null`, []string{hostileRecord(1, 0), april}))
	}
	c, _ := newTestClient(t, ts, nil)
	var kept int
	err := c.FetchAll(context.Background(), march(), func(p *Page) error { kept += len(p.Records); return nil })
	var pe *PagingError
	if !errors.As(err, &pe) || pe.Reason != StopOutOfRange || pe.Page != 2 {
		t.Fatalf("got %v; want an out-of-range *PagingError on page 2", err)
	}
	for _, s := range []string{"record 1", "P3", "2025-04-01", "2025-03-01..2025-03-31"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
	if kept != 1 {
		t.Errorf("%d records handed over, want only page 1's", kept)
	}
}

func TestRequestBoundsAllowForTheServersMidnight(t *testing.T) {
	today := NewDate(2026, 12, 1)
	for _, tc := range []struct {
		req        RecordsRequest
		start, end string
	}{
		{RecordsRequest{StartDate: NewDate(2025, 3, 1), EndDate: NewDate(2025, 3, 31)}, "2025-03-01", "2025-03-31"},
		{RecordsRequest{Period: ThisMonth}, "2026-11-01", "2026-12-02"},
		{RecordsRequest{Period: Yesterday}, "2026-11-29", "2026-12-01"},
	} {
		s, e := RequestBounds(tc.req, today)
		if s.String() != tc.start || e.String() != tc.end {
			t.Errorf("%+v: %s..%s, want %s..%s", tc.req, s, e, tc.start, tc.end)
		}
	}
}

// TestHostileServerEchoedBearerTokenIsRedacted: a server or proxy that
// echoes the Authorization header back (issue 14, item 8) must not get the
// access token printed in the error, whatever the shape of its answer.
func TestHostileServerEchoedBearerTokenIsRedacted(t *testing.T) {
	for _, tc := range []struct {
		name string
		echo func(w http.ResponseWriter, auth string)
	}{
		{"Twilio error JSON", func(w http.ResponseWriter, auth string) {
			writeJSON(w, 400, fmt.Sprintf(`{"code":20001,"message":"bad header %s","status":400}`, auth))
		}},
		{"proxy HTML page", func(w http.ResponseWriter, auth string) {
			writeJSON(w, 502, "<html><pre>Authorization: "+auth+"</pre></html>")
		}},
		{"a 200 with the token in a bad field", func(w http.ResponseWriter, auth string) {
			writeJSON(w, 200, `{"records":[{"productName":"x","productCategory":"c","startDate":"`+auth+`"}]}`)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			var sent string
			ts.recordsFn = func(w http.ResponseWriter, n int, req wireRequest) {
				tc.echo(w, ts.lastAuth())
			}
			c, _ := newTestClient(t, ts, func(cfg *Config) { cfg.MaxAttempts = 1 })
			_, err := c.FetchPage(context.Background(), march())
			if err == nil {
				t.Fatal("no error")
			}
			sent = strings.TrimPrefix(ts.lastAuth(), "Bearer ")
			if sent == "" || strings.Contains(err.Error(), sent) || !strings.Contains(err.Error(), "[redacted]") {
				t.Errorf("error %q shows the access token %q (want it [redacted])", err, sent)
			}
		})
	}
}
