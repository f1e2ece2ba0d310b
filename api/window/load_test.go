package window

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
)

func day(s string) api.Date {
	d, err := api.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// checkPartition fails unless the handed-over windows are in date order
// and cover exactly the ranges, day for day.
func checkPartition(t *testing.T, got []Range, want []Range) {
	t.Helper()
	var days []api.Date
	for i, w := range got {
		if w.To < w.From {
			t.Fatalf("window %d is empty: %s", i, w)
		}
		for d := w.From; d <= w.To; d++ {
			days = append(days, d)
		}
	}
	var wantDays []api.Date
	for _, r := range want {
		for d := r.From; d <= r.To; d++ {
			wantDays = append(wantDays, d)
		}
	}
	if len(days) != len(wantDays) {
		t.Fatalf("windows %v cover %d days, want %d", got, len(days), len(wantDays))
	}
	for i := range days {
		if days[i] != wantDays[i] {
			t.Fatalf("windows %v: day %d is %s, want %s (out of order, doubled or missing)", got, i, days[i], wantDays[i])
		}
	}
}

// totals sums cost per currency and counts records: what a user compares.
func totals(recs []api.Record) (map[string]decimal.Decimal, int) {
	sums := map[string]decimal.Decimal{}
	for _, r := range recs {
		sums[r.Price.Currency] = sums[r.Price.Currency].Add(r.Price.Amount.Decimal())
	}
	return sums, len(recs)
}

func TestLoadEqualsSequentialPaging(t *testing.T) {
	tests := []struct {
		name string
		q    Query
	}{
		{"a year DAILY, largest group", Query{GroupID: fakeapi.DemoGroupGlobex, Ranges: []Range{yearRange}}},
		{"a year MONTHLY, months clipped at both ends", Query{GroupID: fakeapi.DemoGroupGlobex, Aggregation: api.Monthly,
			Ranges: []Range{yearRange}}},
		{"MONTHLY with pages smaller than a month", Query{GroupID: fakeapi.DemoGroupAcmeUS, Aggregation: api.Monthly,
			PageSize: 20, Ranges: []Range{{day("2026-01-15"), day("2026-11-20")}}}},
		{"DAILY with pages smaller than a day", Query{GroupID: fakeapi.DemoGroupAcmeUK, PageSize: 25,
			Ranges: []Range{{day("2026-03-30"), day("2026-04-12")}}}},
		{"small pages cut windows finer", Query{GroupID: fakeapi.DemoGroupAcmeUS, PageSize: 150,
			Ranges: []Range{{day("2026-02-10"), day("2026-06-03")}}}},
		{"one category", Query{GroupID: fakeapi.DemoGroupAcmeUK, Category: "voice",
			Ranges: []Range{yearRange}}},
		{"ranges with a hole, as a refetch plan leaves", Query{GroupID: fakeapi.DemoGroupAcmeUS,
			Ranges: []Range{{day("2026-01-01"), day("2026-02-14")}, {day("2026-11-26"), day("2026-12-02")}}}},
		{"days with no data", Query{GroupID: fakeapi.DemoGroupAcmeUS,
			Ranges: []Range{{day("2026-11-20"), day("2027-01-10")}}}},
	}
	c, _ := demoAPI(t, fakeapi.Faults{Latency: 2 * time.Millisecond}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := sequential(t, c, tt.q)
			got, err := load(t, c, tt.q, Options{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			sameRecords(t, got.recs, want)
			checkPartition(t, got.windows, tt.q.Ranges)
			p := got.final
			if p.WindowsDone != p.Windows || p.Windows != len(got.windows) || p.DaysDone != p.Days || p.Records != len(want) {
				t.Errorf("final progress %+v; %d windows and %d records handed over", p, len(got.windows), len(want))
			}
		})
	}
}

func TestLoadWindowsFitOnePageOnceDensityIsKnown(t *testing.T) {
	c, srv := demoAPI(t, fakeapi.Faults{}, nil)
	q := Query{GroupID: fakeapi.DemoGroupGlobex, Ranges: []Range{yearRange}}
	got, err := load(t, c, q, Options{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	pages := (len(got.recs) + api.MaxPageSize - 1) / api.MaxPageSize
	// Four probing pages, then about one page per window: far from the
	// three pages per month calendar windows alone would cost.
	if n := srv.Stats().RecordsRequests; n > pages+pages/3+DefaultInitialConcurrency {
		t.Errorf("%d requests for %d records (%d full pages)", n, len(got.recs), pages)
	}
}

func TestLoadSurvivesA429OnEveryNinthRequest(t *testing.T) {
	clean, _ := demoAPI(t, fakeapi.Faults{}, nil)
	c, srv := demoAPI(t, fakeapi.Faults{Latency: 2 * time.Millisecond, Every429: 9}, nil)
	q := Query{GroupID: fakeapi.DemoGroupGlobex, Ranges: []Range{yearRange}}
	want := sequential(t, clean, q)
	got, err := load(t, c, q, Options{}, 0)
	if err != nil {
		t.Fatalf("load failed (the retry limit tripped?): %v", err)
	}
	sameRecords(t, got.recs, want)
	gotSums, gotN := totals(got.recs)
	wantSums, wantN := totals(want)
	if gotN != wantN || !gotSums["USD"].Equal(wantSums["USD"]) {
		t.Fatalf("totals %v over %d records, want %v over %d", gotSums, gotN, wantSums, wantN)
	}
	if srv.Stats().ByStatus[http.StatusTooManyRequests] == 0 {
		t.Fatal("the server refused nothing; the test proves nothing")
	}
	kinds := map[EventKind]int{}
	for _, e := range got.events {
		kinds[e.Kind]++
	}
	if kinds[Throttled] == 0 || kinds[Retrying] != 0 {
		t.Errorf("%d Throttled and %d Retrying events; want the refusals reported as throttling, and no window tried again",
			kinds[Throttled], kinds[Retrying])
	}
}

func TestLoadHonoursRetryAfterForEveryWindow(t *testing.T) {
	var log requestLog
	var refusedAt atomic.Int64
	c, _ := demoAPI(t, fakeapi.Faults{Latency: 40 * time.Millisecond}, func(w http.ResponseWriter, r *http.Request) bool {
		lr, ok := peek(r)
		if !ok {
			return false
		}
		if log.add(lr) == 3 {
			refusedAt.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"code":20429,"message":"Too many requests","status":429}`))
			return true
		}
		return false
	})
	// Two at a time, so the load outlasts the pause many times over.
	q := Query{GroupID: fakeapi.DemoGroupGlobex, PageSize: 200, Ranges: []Range{{day("2026-05-01"), day("2026-08-31")}}}
	clean, _ := demoAPI(t, fakeapi.Faults{}, nil)
	want := sequential(t, clean, q)
	got, err := load(t, c, q, Options{InitialConcurrency: 2, MaxConcurrency: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got.recs, want)
	refused := time.Unix(0, refusedAt.Load())
	for _, lr := range log.all() {
		// Requests already on the wire may land just after the refusal;
		// then nothing until the second it asked for has passed.
		if since := lr.at.Sub(refused); since > 300*time.Millisecond && since < 900*time.Millisecond {
			t.Fatalf("a request for %s..%s went out %s after a 429 asking for 1s", lr.start, lr.end, since)
		}
	}
}

func TestLoadRetriesAFailedWindowAlone(t *testing.T) {
	var log requestLog
	base, _ := demoServer(t, fakeapi.Faults{}, func(w http.ResponseWriter, r *http.Request) bool {
		lr, ok := peek(r)
		if !ok {
			return false
		}
		if log.add(lr) == 6 {
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
			return true
		}
		return false
	})
	// One attempt per request, so the failure reaches the loader.
	c := newClient(t, base, 1)
	clean, _ := demoAPI(t, fakeapi.Faults{}, nil)
	q := Query{GroupID: fakeapi.DemoGroupGlobex, Ranges: []Range{summer}}
	want := sequential(t, clean, q)
	got, err := load(t, c, q, Options{RetryDelay: 10 * time.Millisecond}, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got.recs, want)
	failed := log.all()[5]
	asked := map[loggedRequest]int{}
	for _, lr := range log.all() {
		lr.at = time.Time{}
		asked[lr]++
	}
	for lr, n := range asked {
		again := lr.start == failed.start && lr.end == failed.end && lr.page == failed.page
		if again && n != 2 || !again && n != 1 {
			t.Errorf("%s..%s page %q asked for %d times", lr.start, lr.end, lr.page, n)
		}
	}
	var retries []Event
	for _, e := range got.events {
		if e.Kind == Retrying {
			retries = append(retries, e)
		}
	}
	if len(retries) != 1 || retries[0].Window.From.String() != failed.start || retries[0].Wait != 10*time.Millisecond {
		t.Errorf("retry events %+v, want one for the window from %s", retries, failed.start)
	}
}

func TestLoadStopKeepsWhatArrived(t *testing.T) {
	c, _ := demoAPI(t, fakeapi.Faults{Latency: 3 * time.Millisecond}, nil)
	q := Query{GroupID: fakeapi.DemoGroupGlobex, PageSize: 300, Ranges: []Range{summer}}
	all := sequential(t, c, q)
	got, err := load(t, c, q, Options{}, 3)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(got.windows) < 3 || got.final.WindowsDone == got.final.Windows {
		t.Fatalf("%d windows handed over of %d; the load was meant to be stopped early", len(got.windows), got.final.Windows)
	}
	// Every window handed over holds exactly its days' records.
	var want []api.Record
	for i, w := range got.windows {
		if i > 0 && w.From <= got.windows[i-1].To {
			t.Fatalf("windows out of order: %v", got.windows)
		}
		for _, r := range all {
			if w.Contains(r.StartDate) {
				want = append(want, r)
			}
		}
	}
	sameRecords(t, got.recs, want)
}

func TestLoadFailsClearlyOnARefusal(t *testing.T) {
	c, _ := demoAPI(t, fakeapi.Faults{}, nil)
	q := Query{GroupID: "commerce_billingprofile_nosuchgroup", Ranges: []Range{yearRange}}
	_, err := load(t, c, q, Options{}, 0)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || !strings.Contains(err.Error(), "loading ") {
		t.Fatalf("err = %v, want a 404 naming the window", err)
	}
}

func TestLoadRefusesBadQueries(t *testing.T) {
	c, _ := demoAPI(t, fakeapi.Faults{}, nil)
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"no ranges", Query{GroupID: fakeapi.DemoGroupGlobex}, "no date range"},
		{"overlapping ranges", Query{GroupID: fakeapi.DemoGroupGlobex,
			Ranges: []Range{{day("2026-01-01"), day("2026-02-01")}, {day("2026-02-01"), day("2026-03-01")}}}, "overlap"},
		{"range over a year", Query{GroupID: fakeapi.DemoGroupGlobex, Ranges: []Range{{day("2025-01-01"), day("2026-03-01")}}}, "at most 365"},
		{"bad group", Query{GroupID: "acme", Ranges: []Range{yearRange}}, "billing group id"},
		{"bad aggregation", Query{GroupID: fakeapi.DemoGroupGlobex, Aggregation: "WEEKLY", Ranges: []Range{yearRange}}, "WEEKLY"},
		{"page too large", Query{GroupID: fakeapi.DemoGroupGlobex, PageSize: 5000, Ranges: []Range{yearRange}}, "page size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(context.Background(), c, tt.q, Options{}, func(Event) { t.Error("event for a bad query") })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestLoadBacksOffOnTheOrganisationRateLimit(t *testing.T) {
	var n atomic.Int32
	// Twilio's 25021 is throttling whatever status carries it; the client
	// does not retry a 403, so the loader must.
	c, _ := demoAPI(t, fakeapi.Faults{}, func(w http.ResponseWriter, r *http.Request) bool {
		if _, ok := peek(r); !ok || n.Add(1) != 5 {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"code":25021,"message":"Organization rate limit exceeded","status":403}`))
		return true
	})
	clean, _ := demoAPI(t, fakeapi.Faults{}, nil)
	q := Query{GroupID: fakeapi.DemoGroupGlobex, Ranges: []Range{summer}}
	got, err := load(t, c, q, Options{RetryDelay: 10 * time.Millisecond}, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got.recs, sequential(t, clean, q))
	var retried []Event
	for _, e := range got.events {
		if e.Kind == Retrying {
			retried = append(retried, e)
		}
	}
	if len(retried) != 1 || !IsRateLimit(retried[0].Err) {
		t.Fatalf("retries %+v, want the throttled window tried again once", retried)
	}
	// The limit was halved from wherever slow start had taken it.
	before := 0
	for _, e := range got.events {
		if e.Kind == Retrying {
			if e.Progress.Limit >= before || e.Progress.Limit > DefaultInitialConcurrency*2 {
				t.Errorf("limit %d after the 25021, %d before; want it halved", e.Progress.Limit, before)
			}
			break
		}
		before = e.Progress.Limit
	}
}
