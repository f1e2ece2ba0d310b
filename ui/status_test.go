package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/ui/table"
)

// errRefused is what the client says when the API cannot be reached: a
// URL in the middle, the cause at the end.
var errRefused = fmt.Errorf("gave up after 5 attempts: %w", fmt.Errorf("cannot reach the Billing Usage API: %w", &url.Error{
	Op:  "Post",
	URL: "http://127.0.0.1:8799/v2/Usage/BillingGroups/commerce_billingprofile_0123456789abcdef/Records",
	Err: errors.New("dial tcp 127.0.0.1:8799: connect: connection refused"),
}))

// TestStatusBarKeepsTheCauseAndWhatToDo: a long error must still leave
// room for its cause, "r retries" and the record count, instead of running
// off the bar and leaving a stray ellipsis where the count was.
func TestStatusBarKeepsTheCauseAndWhatToDo(t *testing.T) {
	for _, w := range []int{60, 80, 120} {
		f := newPagedFetcher(fixtureRecords(10), 20)
		f.failOn["t2"] = errRefused
		m := loaded(t, testOptions(f), w, 24)
		v := ansi.Strip(m.statusView())
		for _, want := range []string{"gave up", "connection refused", "failed, r retries", "40 records"} {
			if want == "connection refused" && w < 80 {
				want = "refused" // 60 columns leave the message its minimum
			}
			if !strings.Contains(v, want) {
				t.Errorf("%d wide: status bar lacks %q: %q", w, want, v)
			}
		}
		if strings.Count(v, "…") > 1 {
			t.Errorf("%d wide: more than one cut in the status bar: %q", w, v)
		}
		if strings.Contains(v, "more available") {
			t.Errorf("%d wide: a failed load says more is available: %q", w, v)
		}
		if got := ansi.StringWidth(m.statusView()); got > w {
			t.Errorf("%d wide: status bar is %d wide", w, got)
		}
	}
}

// TestLongFlashDoesNotLeaveAStrayEllipsis: a message wider than the bar is
// cut once, and a part with no room left is dropped rather than drawn as
// "…".
func TestLongFlashDoesNotLeaveAStrayEllipsis(t *testing.T) {
	m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 1000)), 80, 24)
	m.setFlash("copied: usagetop --group commerce_billingprofile_0123456789abcdef --period LAST_MONTH --aggregation DAILY --category sms-outbound")
	v := ansi.Strip(m.statusView())
	if strings.Count(v, "…") > 1 {
		t.Errorf("status bar holds more than one ellipsis: %q", v)
	}
	if !strings.Contains(v, "records") {
		t.Errorf("the record count gave way to the message: %q", v)
	}
	if got := ansi.StringWidth(v); got > 80 {
		t.Errorf("status bar is %d wide", got)
	}
}

func TestElideMiddle(t *testing.T) {
	tests := []struct {
		s    string
		w    int
		want string
	}{
		{"short", 10, "short"},
		{"Voice-Outbound-United Kingdom-Landline-Minutes", 20, "Voice-…dline-Minutes"},
		{"abcdefghij", 5, "a…hij"},
		{"abcdefghij", 2, "ab"},
		{"日本語のテキスト", 9, "日…キスト"},
	}
	for _, tt := range tests {
		got := table.Elide(tt.s, tt.w, "…")
		if got != tt.want || ansi.StringWidth(got) > tt.w {
			t.Errorf("Elide(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
}

// TestFilteredRowsSayWhatTheyCost: with a filter on, the status bar says
// what the matching rows cost next to how many they are, since the total
// at the right edge is every row's.
func TestFilteredRowsSayWhatTheyCost(t *testing.T) {
	m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 1000)), 120, 24)
	m = press(t, m, "/", "verify", "enter")
	want := decimal.Zero
	for _, p := range m.store.Products() {
		if strings.Contains(strings.ToLower(p.Name+p.Category), "verify") {
			want = want.Add(p.Cost.Decimal())
		}
	}
	v := ansi.Strip(m.statusView())
	if s := "2 rows match (" + formatMoney(state.AmountOf(want), "USD", false) + ")"; !strings.Contains(v, s) {
		t.Errorf("status bar lacks %q: %q", s, v)
	}
	// The Records view sums its own matching records, to the same amount.
	m = press(t, m, "tab")
	if v := ansi.Strip(m.statusView()); !strings.Contains(v, formatMoney(state.AmountOf(want), "USD", false)+")") {
		t.Errorf("records view: %q", v)
	}
}

// TestDetailDropsTheMatchSum: the detail shows one product, so the status
// bar drops what the filter's rows cost as soon as it opens, and brings it
// back on esc (the drawn bar is kept between frames; it must not go stale).
func TestDetailDropsTheMatchSum(t *testing.T) {
	m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 1000)), 120, 24)
	m = press(t, m, "/", "verify", "enter")
	if v := screen(m); !strings.Contains(v, "2 rows match ($") {
		t.Fatalf("no match sum with the filter on:\n%s", v)
	}
	m = press(t, m, "enter")
	if v := screen(m); !m.detailOpen || strings.Contains(v, "2 rows match ($") {
		t.Errorf("the detail (open %v) still shows the match sum:\n%s", m.detailOpen, v)
	}
	m = press(t, m, "esc")
	if v := screen(m); m.detailOpen || !strings.Contains(v, "2 rows match ($") {
		t.Errorf("esc (detail open %v) did not bring the match sum back:\n%s", m.detailOpen, v)
	}
}

// TestStatusBarReportsDroppedDuplicates: records the API repeats on a later
// page are dropped by the store and said in the status bar, never summed
// (issue 14.3).
func TestStatusBarReportsDroppedDuplicates(t *testing.T) {
	start, end := fixtureQuery.Bounds(fixtureToday)
	recs := inRange(fixtureRecords(10), start, end, "")
	n := len(recs)
	recs = append(recs[:20:20], append(recs[15:20:20], recs[20:]...)...) // page 2 starts with 5 of page 1
	m := loaded(t, testOptions(newPagedFetcher(recs, 20)), 120, 24)
	m = press(t, m, "L")
	v := ansi.Strip(m.statusView())
	if !strings.Contains(v, "5 duplicate records dropped") || !strings.Contains(v, fmt.Sprintf("all %d records", n)) {
		t.Errorf("status bar: %q; want 5 duplicates dropped and all %d records", v, n)
	}
}

// loopingSides serves the query from f, and answers every other query (the
// previous period, the history) with a page whose token never changes.
type loopingSides struct{ f *pagedFetcher }

func (l loopingSides) FetchPage(ctx context.Context, req api.RecordsRequest) (*api.Page, error) {
	if req.Period != "" {
		return l.f.FetchPage(ctx, req)
	}
	d := req.StartDate.AddDays(int(len(req.PageToken)))
	return &api.Page{NextToken: "again", Records: []api.Record{{StartDate: d, EndDate: d, ProductName: "P", ProductCategory: "c",
		Usage: api.Usage{Amount: api.NewDecimal(1, 0), Unit: "u"}, Price: api.Price{Amount: api.NewDecimal(1, 0), Currency: "USD"}}}}, nil
}

// TestSideLoadStoppedByAPagingLoopSaysSo: a background load whose server
// repeats its page token stops, says so, and is not taken as complete.
func TestSideLoadStoppedByAPagingLoopSaysSo(t *testing.T) {
	m := loaded(t, testOptions(loopingSides{newPagedFetcher(fixtureRecords(10), 1000)}), 200, 24)
	v := ansi.Strip(m.statusView())
	if !strings.Contains(v, "not loaded") || !strings.Contains(v, "nextToken it had sent before") {
		t.Errorf("status bar %q; want the side load's paging stop", v)
	}
	for _, p := range state.Parts[1:] {
		if s := m.g.Store(p); s != nil && s.Done() {
			t.Errorf("%s: done after a token loop", p)
		}
	}
}
