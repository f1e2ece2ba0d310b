package ui

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func TestFirstPageShowsAsSoonAsItArrives(t *testing.T) {
	f := &blockingFetcher{calls: make(chan *call)}
	m := New(testOptions(f))
	out := make(chan tea.Msg, 16)
	runCmd(m.initCmd, out)
	c := f.next(t, isPeriodRequest)
	if c.req.PageToken != "" || c.req.GroupID != fixtureGroup || c.req.Period != api.LastMonth || c.req.PageSize != 20 {
		t.Fatalf("first request %+v", c.req)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "loading") {
		t.Errorf("no loading note before the first page:\n%s", v)
	}
	c.reply <- &api.Page{Records: febRecords(10)[:20], NextToken: "t1"}
	msg := waitFor[pageLoadedMsg](out)
	tm, _ := m.Update(msg)
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 100, Height: 24}) // room for every status part
	m = tm.(Model)
	v := ansi.Strip(m.View())
	for _, want := range []string{"United States-Outbound-SMS", "20 records, more available", "loaded through", "partial", "1/10"} {
		if !strings.Contains(v, want) {
			t.Errorf("view after the first page lacks %q:\n%s", want, v)
		}
	}
}

func TestStaleResultsAndErrorsAreDropped(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 20)
	m := New(testOptions(f))
	stale := nextPage(t, m.initCmd) // generation 1's first page, not yet delivered

	tm, _ := m.Update(keyMsg("a")) // MONTHLY: generation 2
	m = tm.(Model)
	if m.gen != stale.gen+1 {
		t.Fatalf("query change left generation %d", m.gen)
	}

	tm, _ = m.Update(stale)
	m = tm.(Model)
	if m.store.Len() != 0 || m.current().Nav().Len() != 0 {
		t.Fatalf("a page of the old query was shown: %d records", m.store.Len())
	}

	staleErr := pageLoadedMsg{gen: stale.gen, err: &api.Error{StatusCode: http.StatusNotFound, Code: api.CodeNotFound, Message: "billing group not found"}}
	tm, _ = m.Update(staleErr)
	m = tm.(Model)
	if m.err != nil || m.fatal != nil || m.store.Err() != nil {
		t.Fatalf("an error of the old query was shown: %v / %v", m.err, m.fatal)
	}
	if !m.loading() {
		t.Fatal("the stale error ended the current request")
	}
}

func TestQueryChangeCancelsTheRequestInFlight(t *testing.T) {
	f := &blockingFetcher{calls: make(chan *call)}
	m := New(testOptions(f))
	out := make(chan tea.Msg, 16)
	runCmd(m.initCmd, out)
	first := f.next(t, isPeriodRequest)

	tm, cmd := m.Update(keyMsg("["))
	m = tm.(Model)
	if !errors.Is(first.ctx.Err(), context.Canceled) {
		t.Fatalf("the old request's context is %v, want cancelled", first.ctx.Err())
	}
	runCmd(cmd, out)
	second := f.next(t, func(r api.RecordsRequest) bool { return r.EndDate == api.NewDate(2025, 1, 31) })
	if second.req.Period != "" || second.req.StartDate != api.NewDate(2025, 1, 1) || second.req.EndDate != api.NewDate(2025, 1, 31) {
		t.Fatalf("[ asked for %+v, want January 2025", second.req)
	}

	// The cancelled request reports back; it is dropped.
	for msg := range out {
		if p, ok := msg.(pageLoadedMsg); ok && p.gen != m.gen {
			tm, _ = m.Update(p)
			m = tm.(Model)
			break
		}
	}
	if m.err != nil {
		t.Fatalf("the cancelled request's error was shown: %v", m.err)
	}

	// Quitting cancels the current one.
	tm, cmd = m.Update(keyMsg("q"))
	if !errors.Is(second.ctx.Err(), context.Canceled) {
		t.Fatalf("quit left the request running: %v", second.ctx.Err())
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
}

func TestProductsAutoloadThenWaitForL(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 20) // 280 records, 14 pages
	m := loaded(t, testOptions(f), 100, 30)
	if m.store.Pages() != 3 || m.loading() {
		t.Fatalf("autoloaded %d pages (in flight %v), want 3 and waiting", m.store.Pages(), m.loading())
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "60 records, more available") || !strings.Contains(v, "partial") {
		t.Errorf("status bar does not say the figures are partial:\n%s", v)
	}

	// L loads the rest, one page at a time, with progress.
	tm, cmd := m.Update(keyMsg("L"))
	m = tm.(Model)
	if v := ansi.Strip(m.statusView()); !strings.Contains(v, "loading all") {
		t.Errorf("no progress while loading all: %q", v)
	}
	m = settle(t, m, cmd)
	if !m.store.Done() || m.store.Len() != 280 {
		t.Fatalf("after L: done %v, %d records", m.store.Done(), m.store.Len())
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "all 280 records") || strings.Contains(v, "partial") {
		t.Errorf("status bar after the last page:\n%s", v)
	}
	for i, r := range f.mainRequests(m.query) {
		if r.PageSize != 20 || (i > 0 && r.PageToken == "") {
			t.Errorf("request %d: %+v", i, r)
		}
	}
}

func TestEscStopsLoadAll(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 20)
	m := loaded(t, testOptions(f), 100, 30)
	tm, cmd := m.Update(keyMsg("L"))
	m = tm.(Model)
	tm, _ = m.Update(keyMsg("esc")) // while page 4 is in flight
	m = tm.(Model)
	m = settle(t, m, cmd)
	if m.store.Pages() != 4 || m.store.Done() {
		t.Fatalf("esc did not stop loading: %d pages", m.store.Pages())
	}
}

func TestRecordsViewPagesAsTheCursorNearsTheEnd(t *testing.T) {
	recs := febRecords(10)
	f := newPagedFetcher(fixtureRecords(10), 20)
	m := loaded(t, testOptions(f), 100, 25) // 18 table rows
	m = press(t, m, "tab")
	if m.current().Name() != "Records" || m.store.Pages() != 3 {
		t.Fatalf("view %s with %d pages", m.current().Name(), m.store.Pages())
	}
	m = press(t, m, "pgdown") // cursor 18 of 60: more than a screen from the end
	if m.store.Pages() != 3 {
		t.Fatalf("paged too early: %d pages", m.store.Pages())
	}
	m = press(t, m, "pgdown", "pgdown") // cursor 54: within a screen
	if m.store.Pages() < 4 {
		t.Fatalf("no next page near the end: %d pages", m.store.Pages())
	}
	for m.store.Pages() < 6 {
		m = press(t, m, "pgdown")
	}
	// Every record loaded shows once: no duplicate, none missing.
	rows := m.current().Nav().(interface{ Rows() []int32 }).Rows()
	if len(rows) != m.store.Len() || m.store.Len() != 6*20 {
		t.Fatalf("%d rows for %d records", len(rows), m.store.Len())
	}
	seen := map[int32]bool{}
	for _, idx := range rows {
		if seen[idx] {
			t.Fatalf("record %d shows twice", idx)
		}
		seen[idx] = true
		got, want := m.store.Record(int(idx)), recs[idx]
		if got.ProductName != want.ProductName || got.StartDate != want.StartDate {
			t.Fatalf("record %d is %s %s, want %s %s", idx, got.StartDate, got.ProductName, want.StartDate, want.ProductName)
		}
	}
}

func TestRetryAfterAFailedPageKeepsWhatIsLoaded(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 20)
	f.failOn["t2"] = &api.Error{StatusCode: http.StatusServiceUnavailable, Message: "upstream unavailable"}
	m := loaded(t, testOptions(f), 100, 30)
	if m.store.Len() != 40 || m.store.Err() == nil {
		t.Fatalf("%d records, err %v; want 40 and an error", m.store.Len(), m.store.Err())
	}
	if v := ansi.Strip(m.statusView()); !strings.Contains(v, "upstream unavailable") || !strings.Contains(v, "r retries") {
		t.Errorf("status bar does not show the error: %q", v)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "United States-Outbound-SMS") {
		t.Errorf("rows vanished after the error:\n%s", v)
	}
	gen := m.gen
	m = press(t, m, "r")
	if m.gen != gen {
		t.Fatal("r after a failed page started over instead of retrying it")
	}
	reqs := f.mainRequests(m.query)
	if last := reqs[len(reqs)-1]; last.PageToken != "t2" && m.store.Pages() < 3 {
		t.Fatalf("retried with token %q", last.PageToken)
	}
	if m.store.Len() != 60 || m.err != nil {
		t.Fatalf("after r: %d records, err %v", m.store.Len(), m.err)
	}
}

func TestFatalErrorGetsAFullScreen(t *testing.T) {
	f := newPagedFetcher(nil, 20)
	f.failOn[""] = &api.Error{StatusCode: http.StatusForbidden, Code: api.CodeNoPermission, Message: "missing permission"}
	m := loaded(t, testOptions(f), 80, 24)
	v := ansi.Strip(m.View())
	for _, want := range []string{"may not read this billing group", "missing permission", "twilio/billing-insights/usage/read", "q quit"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("fatal screen lacks %q:\n%s", want, v)
		}
	}
	// b offers another group, which starts over.
	m = press(t, m, "b")
	if m.mode != modePicker {
		t.Fatal("b does not open the group picker on the fatal screen")
	}
}

func TestRetryNoticeCountsDown(t *testing.T) {
	f := &blockingFetcher{calls: make(chan *call, 1)}
	m := New(testOptions(f))
	at := time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)
	notice := retryNoticedMsg{gen: m.gen, at: at, notice: api.RetryNotice{Attempt: 1, Wait: 3 * time.Second, Err: &api.Error{StatusCode: http.StatusTooManyRequests}}}
	tm, _ := m.Update(notice)
	m = tm.(Model)
	if v := ansi.Strip(m.statusView()); !strings.Contains(v, "rate limited (429), retrying in 3s") {
		t.Errorf("status %q", v)
	}
	tm, _ = m.Update(retryTickedMsg{gen: m.gen, at: at.Add(time.Second)})
	m = tm.(Model)
	if v := ansi.Strip(m.statusView()); !strings.Contains(v, "retrying in 2s") {
		t.Errorf("status after a second %q", v)
	}
	// A notice from an old generation is ignored.
	tm, _ = m.Update(keyMsg("a"))
	m = tm.(Model)
	if m.retry != nil {
		t.Error("the retry notice outlived its query")
	}
	tm, _ = m.Update(notice)
	if tm.(Model).retry != nil {
		t.Error("a stale retry notice was shown")
	}
}

func TestSortAndFilterKeys(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := loaded(t, testOptions(f), 160, 30)
	names := func(m Model) []string {
		var out []string
		pv := m.views[0].(*productsView)
		for _, i := range pv.pv.Rows() {
			out = append(out, m.store.Products()[i].Name)
		}
		return out
	}
	byCost := names(m)
	if header := ansi.Strip(strings.Split(m.current().View(), "\n")[0]); !strings.Contains(header, "Cost ▼") {
		t.Errorf("header %q does not mark cost descending", header)
	}
	m = press(t, m, "s") // the next column right of cost: share
	if header := ansi.Strip(strings.Split(m.current().View(), "\n")[0]); !strings.Contains(header, "Share ▼") {
		t.Errorf("after s, header %q", header)
	}
	m = press(t, m, "s", "s", "s", "s") // change, then wrap to product, category, usage... product is first sortable
	m = press(t, m, "S")
	if header := ansi.Strip(strings.Split(m.current().View(), "\n")[0]); !strings.Contains(header, "▲") && !strings.Contains(header, "▼") {
		t.Errorf("no sort arrow in %q", header)
	}
	m = press(t, m, "/", "v", "e", "r", "i", "f", "y", "enter")
	got := names(m)
	if len(got) != 2 {
		t.Fatalf("filter verify left %v", got)
	}
	for _, n := range got {
		if !strings.Contains(strings.ToLower(n), "verify") {
			t.Errorf("filter left %q", n)
		}
	}
	m = press(t, m, "esc")
	if len(names(m)) != len(byCost) {
		t.Errorf("esc did not clear the filter")
	}
}

func TestQueryKeysStartNewGenerations(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := loaded(t, testOptions(f), 120, 30)
	tests := []struct {
		keys  []string
		check func(q state.Query) bool
	}{
		{[]string{"a"}, func(q state.Query) bool { return q.Agg() == api.Monthly }},
		{[]string{"a"}, func(q state.Query) bool { return q.Agg() == api.Daily }},
		{[]string{"["}, func(q state.Query) bool { return q.From == api.NewDate(2025, 1, 1) && q.To == api.NewDate(2025, 1, 31) }},
		{[]string{"]"}, func(q state.Query) bool { return q.Period == api.LastMonth }},
		{[]string{"p", "down", "enter"}, func(q state.Query) bool { return q.Period == api.ThisYear }},
		{[]string{"p", "2025-01-05..2025-01-09", "enter"}, func(q state.Query) bool {
			return q.IsCustom() && q.From == api.NewDate(2025, 1, 5) && q.To == api.NewDate(2025, 1, 9)
		}},
		{[]string{"c", "verify", "enter"}, func(q state.Query) bool { return q.Category == "verify" }},
		{[]string{"c", "all", "enter"}, func(q state.Query) bool { return q.Category == "" }},
		{[]string{"b", "globex", "enter"}, func(q state.Query) bool { return q.GroupID == "commerce_billingprofile_gb0000000000" }},
	}
	for _, tt := range tests {
		gen := m.gen
		m = press(t, m, tt.keys...)
		if !tt.check(m.query) || m.gen == gen {
			t.Errorf("keys %v: query %+v (generation %d -> %d)", tt.keys, m.query, gen, m.gen)
		}
		reqs := f.mainRequests(m.query)
		if r := reqs[len(reqs)-1]; r.Category != m.query.Category || r.Aggregation != m.query.Aggregation {
			t.Errorf("keys %v: sent %+v", tt.keys, r)
		}
	}
}

func TestCustomRangeIsValidatedAsYouType(t *testing.T) {
	tests := []struct {
		typed, want string
	}{
		{"2025-0", "start:"},
		{"2025-01-05", "now the end date"},
		{"2025-01-05..2025-01-0", "end:"},
		{"2025-02-05..2025-01-01", "before start date"},
		{"2023-01-01..2025-01-01", "at most 365"},
		{"2025-04-01..2025-04-02", "after today"},
		{"2025-01-05..2025-01-09", "5 days"},
	}
	f := newPagedFetcher(fixtureRecords(2), 1000)
	for _, tt := range tests {
		m := loaded(t, testOptions(f), 100, 30)
		m = press(t, m, "p", tt.typed)
		if v := ansi.Strip(m.View()); !strings.Contains(v, tt.want) {
			t.Errorf("typing %q: picker does not say %q:\n%s", tt.typed, tt.want, v)
		}
		if tt.want != "5 days" {
			gen := m.gen
			m = press(t, m, "enter")
			if m.gen != gen || m.mode != modePicker {
				t.Errorf("typing %q: enter accepted an invalid range", tt.typed)
			}
		}
	}
}

func TestExportWritesTheViewAsShown(t *testing.T) {
	dir := t.TempDir()
	f := newPagedFetcher(fixtureRecords(10), 1000)
	opts := testOptions(f)
	opts.ExportDir = dir
	m := loaded(t, opts, 120, 30)
	m = press(t, m, "/", "verify", "enter")
	tm, cmd := m.Update(keyMsg("e"))
	m = tm.(Model)
	out := make(chan tea.Msg, 8)
	runCmd(cmd, out)
	done := waitFor[exportedMsg](out)
	if done.err != nil || done.rows != 2 {
		t.Fatalf("export: %+v", done)
	}
	tm, _ = m.Update(done)
	m = tm.(Model)
	if v := ansi.Strip(m.statusView()); !strings.Contains(v, "exported 2 rows") {
		t.Errorf("status %q", v)
	}
	data := readFile(t, done.path)
	lines := strings.Split(strings.TrimSpace(data), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "product_name,product_category,usage_amount") ||
		lines[1] != "Verify-WhatsApp,verify,13400,verifications,670,USD,0.121254,-78,-10.43,0,2025-02-01,2025-02-28" ||
		lines[2] != "Verify-SMS,verify,16053,verifications,642.12,USD,0.116208,180.92,39.23,1,2025-02-01,2025-02-28" {
		t.Errorf("export:\n%s", data)
	}
	// A second export never replaces the first.
	runCmd(exportCmd(dir, strings.TrimSuffix(baseName(done.path), ".csv"), 0, func(w io.Writer) error { return nil }), out)
	second := waitFor[exportedMsg](out)
	if second.err != nil || second.path == done.path {
		t.Errorf("second export: %+v", second)
	}
}

func TestCopyPutsTheCommandLineOnTheClipboard(t *testing.T) {
	var clip strings.Builder
	opts := testOptions(newPagedFetcher(fixtureRecords(1), 1000))
	opts.Clipboard = &clip
	m := loaded(t, opts, 100, 30)
	_, cmd := m.Update(keyMsg("y"))
	msg := cmd().(copiedMsg)
	want := "usagetop --group " + fixtureGroup + " --period LAST_MONTH"
	if msg.err != nil || msg.text != want {
		t.Fatalf("copied %+v, want %q", msg, want)
	}
	if !strings.HasPrefix(clip.String(), "\x1b]52;c;") {
		t.Errorf("clipboard got %q, want an OSC 52 sequence", clip.String())
	}
}

func TestChangeColumnAndAnomalyMarker(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := loaded(t, testOptions(f), 160, 30)
	if m.anomalies == nil || len(m.anomalies.Anomalies) != 1 {
		t.Fatalf("anomalies %+v, want the one injected", m.anomalies)
	}
	if a := m.anomalies.Anomalies[0]; a.ProductName != "Verify-SMS" || a.Date != fixtureSpike || a.Kind != state.AnomalySpike {
		t.Errorf("found %+v", a)
	}
	var row string
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.Contains(l, "Verify-SMS") {
			row = l
		}
	}
	// February's total against January's, in money and percent, marked
	// with a symbol.
	if !strings.Contains(row, "⚠ Verify-SMS") || !strings.Contains(row, "+$180.92  +39.2%") {
		t.Errorf("Verify-SMS row %q lacks the marker or the change", row)
	}
	if v := ansi.Strip(m.statusView()); !strings.Contains(v, "1 anomaly") {
		t.Errorf("status %q", v)
	}

	// MONTHLY keeps the change column, and still judges days: the
	// period's DAILY records load in the background for the detector.
	m = press(t, m, "a")
	if m.g.Store(state.PartDaily) == nil || m.g.Store(state.PartPrevious) == nil {
		t.Fatal("MONTHLY: no DAILY or previous-period load planned")
	}
	if m.anomalies == nil || len(m.anomalies.Anomalies) != 1 || m.anomalies.Anomalies[0].Date != fixtureSpike {
		t.Errorf("MONTHLY: anomalies %+v, want the injected spike", m.anomalies)
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "+39.2%") || !strings.Contains(v, "⚠ Verify-SMS") {
		t.Errorf("MONTHLY lost the change column or the marker:\n%s", v)
	}
	for _, r := range f.mainRequests(m.query) {
		if r.Aggregation != api.Monthly {
			t.Errorf("a DAILY request counted as the query on screen: %+v", r)
		}
	}

	// Findings of an older generation are dropped.
	gen, before := m.gen, m.anomalies
	tm, _ := m.Update(anomaliesDetectedMsg{gen: gen - 1, result: state.StoreAnomalies{Anomalies: make([]state.Anomaly, 3)}})
	if m2 := tm.(Model); m2.anomalies != before || m2.anomaliesV.tbl.Len() != 1 {
		t.Error("stale anomaly findings were shown")
	}
}

// TestCopiedCommandLineCarriesTheStartFlags: started with --demo (or
// against another API), the copied command must say so, or pasting it
// opens a different view (or asks for credentials).
func TestCopiedCommandLineCarriesTheStartFlags(t *testing.T) {
	var clip strings.Builder
	opts := testOptions(newPagedFetcher(fixtureRecords(1), 1000))
	opts.Clipboard = &clip
	opts.CommandFlags = []string{"--demo", "--config", "/home/me/my config.toml"}
	m := loaded(t, opts, 100, 30)
	_, cmd := m.Update(keyMsg("y"))
	msg := cmd().(copiedMsg)
	want := "usagetop --group " + fixtureGroup + " --period LAST_MONTH --demo --config '/home/me/my config.toml'"
	if msg.err != nil || msg.text != want {
		t.Fatalf("copied %q, want %q", msg.text, want)
	}
}

// TestFatalScreenTitleSaysWhatFailed: a rejected secret is not a missing
// billing group, and the screen's first line says which it is.
func TestFatalScreenTitleSaysWhatFailed(t *testing.T) {
	tests := []struct {
		err  *api.Error
		want string
	}{
		{&api.Error{StatusCode: http.StatusUnauthorized, TokenEndpoint: true, Message: "invalid client credentials"}, "cannot sign in"},
		{&api.Error{StatusCode: http.StatusNotFound, Code: api.CodeNotFound, Message: "not found"}, "cannot find this billing group"},
	}
	for _, tt := range tests {
		f := newPagedFetcher(nil, 20)
		f.failOn[""] = tt.err
		if v := screen(loaded(t, testOptions(f), 100, 24)); !strings.Contains(v, tt.want) {
			t.Errorf("%v: fatal screen lacks %q:\n%s", tt.err, tt.want, v)
		}
	}
}

func TestMouseWheelMovesTheCursor(t *testing.T) {
	m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 20)), 100, 25)
	wheel := func(m Model, b tea.MouseButton) Model {
		tm, cmd := m.Update(tea.MouseMsg{Button: b, Action: tea.MouseActionPress})
		return settle(t, tm.(Model), cmd)
	}
	m = wheel(m, tea.MouseButtonWheelDown)
	m = wheel(m, tea.MouseButtonWheelDown)
	if got := m.current().Nav().Cursor(); got != 2 {
		t.Fatalf("two notches down: cursor %d, want 2", got)
	}
	m = wheel(m, tea.MouseButtonWheelUp)
	if got := m.current().Nav().Cursor(); got != 1 {
		t.Fatalf("one notch up: cursor %d, want 1", got)
	}
	tm, _ := m.Update(tea.MouseMsg{Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	m = tm.(Model)
	if got := m.current().Nav().Cursor(); got != 1 {
		t.Fatalf("a click moved the cursor to %d", got)
	}
}
