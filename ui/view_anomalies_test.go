package ui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// toAnomalies loads the fixture and tabs to the Anomalies view.
func toAnomalies(t *testing.T, opts Options, w, h int) Model {
	t.Helper()
	m := loaded(t, opts, w, h)
	m = press(t, m, "tab", "tab")
	if m.current().Name() != "Anomalies" {
		t.Fatalf("tab tab shows %s", m.current().Name())
	}
	return m
}

func TestAnomaliesViewListsTheFlaggedDay(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := toAnomalies(t, testOptions(f), 160, 30)
	v := screen(m)
	for _, want := range []string{"1 anomaly in 10 products judged", "Verify-SMS", "2025-02-20", "spike", "$128", "$22.28", "+$106", "+474%", "Thu 5.7x its weekday median; +$106"} {
		if !strings.Contains(v, want) {
			t.Errorf("Anomalies view lacks %q:\n%s", want, v)
		}
	}
	// Every line fits; the tab strip names every view.
	if !strings.Contains(v, "Products │ Records │ [Anomalies] │ Groups") {
		t.Errorf("tab strip:\n%s", v)
	}
	// tab goes on to Groups, then wraps around to Products.
	if m = press(t, m, "tab", "tab"); m.current().Name() != "Products" {
		t.Errorf("tab from Anomalies goes to %s", m.current().Name())
	}
}

// manyAnomalies is a detector result with flagged days of several kinds,
// currencies and sizes, for the view's own logic.
func manyAnomalies() state.StoreAnomalies {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	mk := func(name, cat, cur string, day int, kind state.AnomalyKind, actual, expected string, score float64) state.Anomaly {
		a := state.Anomaly{ProductName: name, ProductCategory: cat, Currency: cur, Date: api.NewDate(2025, 2, day),
			Kind: kind, Actual: d(actual), Expected: d(expected), Score: score}
		a.Impact = a.Actual.Sub(a.Expected)
		if !a.Expected.IsZero() {
			a.ImpactPercent = a.Impact.InexactFloat64() / a.Expected.InexactFloat64() * 100
		}
		a.Reason = a.Date.Weekday().String()[:3] + " " + kind.String() + "; " + state.AnomalyMoney(a.Impact, cur, true)
		return a
	}
	rows := []state.Anomaly{
		mk("Verify-SMS", "verify", "USD", 20, state.AnomalySpike, "500", "100", 9),
		mk("Lookups-Carrier", "lookups", "USD", 3, state.AnomalyStop, "0", "300", 40),
		mk("Voice-UK", "calls-outbound", "GBP", 11, state.AnomalyDrop, "20", "70", 6),
		mk("Zebra-Fax", "fax", "USD", 27, state.AnomalyNew, "45", "0", 99),
	}
	state.SortAnomaliesByImpact(rows)
	res := map[state.ProductKey]state.AnomalyResult{}
	for _, a := range rows {
		res[anomalyProduct(&a)] = state.AnomalyResult{Anomalies: []state.Anomaly{a}, Judged: 28}
	}
	return state.StoreAnomalies{Anomalies: rows, Results: res}
}

// withFindings delivers found as the current generation's detection.
func withFindings(t *testing.T, m Model, found state.StoreAnomalies) Model {
	t.Helper()
	tm, _ := m.Update(anomaliesDetectedMsg{gen: m.gen, result: found})
	return tm.(Model)
}

// shownProducts lists the product column of the Anomalies view's
// incident rows (an open incident's day rows left out).
func shownProducts(m Model) []string {
	av := m.anomaliesV
	var out []string
	for _, r := range av.tbl.Rows() {
		if r.day < 0 {
			out = append(out, av.all[r.inc].ProductName)
		}
	}
	return out
}

func TestAnomaliesViewSortsAndFilters(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := toAnomalies(t, testOptions(f), 160, 30)
	m = withFindings(t, m, manyAnomalies())

	tests := []struct {
		keys []string
		want string
	}{
		{nil, "Verify-SMS Lookups-Carrier Voice-UK Zebra-Fax"},                // money impact, largest first
		{[]string{"S"}, "Zebra-Fax Voice-UK Lookups-Carrier Verify-SMS"},      // reversed
		{[]string{"s"}, "Zebra-Fax Verify-SMS Voice-UK Lookups-Carrier"},      // change %, "new" largest
		{[]string{"s"}, "Zebra-Fax Lookups-Carrier Verify-SMS Voice-UK"},      // score
		{[]string{"s"}, "Lookups-Carrier Zebra-Fax Verify-SMS Voice-UK"},      // reason A-Z: Mon, Thu new, Thu spike, Tue
		{[]string{"s"}, "Lookups-Carrier Verify-SMS Voice-UK Zebra-Fax"},      // product A-Z
		{[]string{"s", "S"}, "Lookups-Carrier Voice-UK Verify-SMS Zebra-Fax"}, // date, oldest first
		{[]string{"/", "v", "enter"}, "Voice-UK Verify-SMS"},                  // filter keeps the sort
		{[]string{"esc"}, "Lookups-Carrier Voice-UK Verify-SMS Zebra-Fax"},    // esc clears the filter
		{[]string{"/", "calls", "enter"}, "Voice-UK"},                         // category matches too
		{[]string{"esc", "/", "nothing", "enter"}, ""},                        // no match
	}
	for _, tt := range tests {
		m = press(t, m, tt.keys...)
		if got := strings.Join(shownProducts(m), " "); got != tt.want {
			t.Errorf("after %v: rows %q, want %q", tt.keys, got, tt.want)
		}
	}
	if v := screen(m); !strings.Contains(v, "no rows match the filter") {
		t.Errorf("an empty filter result does not say so:\n%s", v)
	}
}

func TestAnomaliesViewFormatsMoneyAndKinds(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	for _, ascii := range []bool{false, true} {
		opts := testOptions(f)
		opts.ASCII = ascii
		m := withFindings(t, toAnomalies(t, opts, 160, 30), manyAnomalies())
		v := screen(m)
		wants := []string{"+$400", "-$300", "-100%", "new", "+$45", "-£50", "-71%"}
		if ascii {
			wants = []string{"+$400", "-50.00 GBP", "Tue drop; -GBP 50.00"}
		}
		for _, want := range wants {
			if !strings.Contains(v, want) {
				t.Errorf("ascii=%v: view lacks %q:\n%s", ascii, want, v)
			}
		}
		if ascii && strings.ContainsFunc(v, func(r rune) bool { return r > 0x7e && r != '\n' }) {
			t.Errorf("--ascii Anomalies view holds non-ASCII:\n%s", v)
		}
	}
}

// TestAnomaliesViewSaysWhyItIsEmpty walks a generation through its loads
// by hand: each stage says what it waits for.
func TestAnomaliesViewSaysWhyItIsEmpty(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 100) // 280 records: 3 pages
	opts := testOptions(f)
	m := New(opts)
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = tm.(Model)
	m.switchView(2)
	say := func(want string) {
		t.Helper()
		if v := screen(m); !strings.Contains(v, want) {
			t.Errorf("want %q on screen:\n%s", want, v)
		}
	}
	say("loading the period…")

	// Deliver pages one message at a time, holding back the detector.
	out := make(chan tea.Msg, 64)
	runCmd(m.initCmd, out)
	var detect anomaliesDetectedMsg
	for detect.gen == 0 {
		switch msg := (<-out).(type) {
		case pageLoadedMsg:
			tm, cmd := m.Update(msg)
			m = tm.(Model)
			runCmd(cmd, out)
			if h := m.g.Store(state.PartHistory); m.store.Done() && !h.Done() {
				say("loading 70 days of history to judge the first days…")
			}
		case anomaliesDetectedMsg:
			say("detecting…")
			detect = msg
		}
	}
	tm, _ = m.Update(detect)
	m = tm.(Model)
	say("1 anomaly in 10 products judged")

	// Nothing flagged, and products too new to judge, say so.
	found := state.StoreAnomalies{Results: map[state.ProductKey]state.AnomalyResult{
		{Name: "A"}: {Status: state.AnomalyJudged},
		{Name: "B"}: {Status: state.AnomalyJudged},
		{Name: "C"}: {Status: state.AnomalyTooLittleHistory},
	}}
	m = withFindings(t, m, found)
	say("no anomalies in 2 products judged")
	say("1 product with too little history to judge")
	m = withFindings(t, m, state.StoreAnomalies{Results: map[state.ProductKey]state.AnomalyResult{
		{Name: "C"}: {Status: state.AnomalyTooLittleHistory}}})
	say("too little history to judge any of the 1 product")
}

// failHistory fails the first request for the anomaly history.
type failHistory struct {
	*pagedFetcher
	failed atomic.Bool
}

func (f *failHistory) FetchPage(ctx context.Context, req api.RecordsRequest) (*api.Page, error) {
	isHistory := req.Period == "" && req.EndDate == api.NewDate(2025, 1, 31) && req.StartDate != api.NewDate(2025, 1, 1)
	if isHistory && f.failed.CompareAndSwap(false, true) {
		return nil, &api.Error{StatusCode: 503, Message: "Service Unavailable"}
	}
	return f.pagedFetcher.FetchPage(ctx, req)
}

func TestAnomaliesViewWaitsForLAndRetries(t *testing.T) {
	f := &failHistory{pagedFetcher: newPagedFetcher(fixtureRecords(10), 20)} // 14 pages; 3 autoload
	m := toAnomalies(t, testOptions(f), 100, 30)
	if v := screen(m); !strings.Contains(v, "the period is not fully loaded: L loads the rest") {
		t.Errorf("a partial load does not say how to finish it:\n%s", v)
	}
	m = press(t, m, "L")
	if v := screen(m); !strings.Contains(v, "the history before the period did not load: r retries") {
		t.Errorf("a failed history load does not say r retries:\n%s", v)
	}
	m = press(t, m, "r")
	if m.anomalies == nil || len(m.anomalies.Anomalies) != 1 || !strings.Contains(screen(m), "1 anomaly in 10 products judged") {
		t.Fatalf("after r: anomalies %+v\n%s", m.anomalies, screen(m))
	}
}

func TestStaleDetectionIsDropped(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := toAnomalies(t, testOptions(f), 100, 30)
	old := m.gen
	// A new period (January) starts a new generation; its history loads
	// too, but the old generation's findings arrive first and are dropped.
	tm, _ := m.Update(keyMsg("["))
	m = tm.(Model)
	tm, _ = m.Update(anomaliesDetectedMsg{gen: old, result: manyAnomalies()})
	m = tm.(Model)
	if m.anomalies != nil || m.anomaliesV.tbl.Len() != 0 {
		t.Fatalf("findings of generation %d shown in generation %d", old, m.gen)
	}
	if v := screen(m); strings.Contains(v, "Zebra-Fax") || !strings.Contains(v, "loading the period") {
		t.Errorf("the view shows stale rows or no loading note:\n%s", v)
	}
}

func TestAnomaliesViewUnderMonthly(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := toAnomalies(t, testOptions(f), 100, 30)
	m = press(t, m, "a")
	if m.query.Agg() != api.Monthly {
		t.Fatal("a did not switch to MONTHLY")
	}
	v := screen(m)
	for _, want := range []string{"MONTHLY", "Verify-SMS", "2025-02-20", "judged on DAILY records"} {
		if !strings.Contains(v, want) {
			t.Errorf("MONTHLY Anomalies view lacks %q:\n%s", want, v)
		}
	}
	// The DAILY load is a background query: the Records view stays MONTHLY.
	if m.store.Len() != 10 {
		t.Errorf("the MONTHLY store holds %d records, want 10", m.store.Len())
	}

}

func TestAnomaliesExportWritesTheShownRows(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	opts := testOptions(f)
	opts.ExportDir = t.TempDir()
	m := withFindings(t, toAnomalies(t, opts, 100, 30), manyAnomalies())
	m = press(t, m, "/", "verify", "enter")
	tm, cmd := m.Update(keyMsg("e"))
	m = tm.(Model)
	out := make(chan tea.Msg, 8)
	runCmd(cmd, out)
	msg := waitFor[exportedMsg](out)
	if msg.err != nil || msg.rows != 1 {
		t.Fatalf("export %+v", msg)
	}
	got := readFile(t, msg.path)
	if !strings.HasPrefix(got, "scope,product_name,product_category,date,kind,currency,actual,expected,impact,impact_percent,score,reason\n") ||
		!strings.Contains(got, "product,Verify-SMS,verify,2025-02-20,spike,USD,500,100,400,400,9,") || strings.Contains(got, "Zebra") {
		t.Errorf("%s:\n%s", baseName(msg.path), got)
	}
}

// TestAnomaliesSummaryNotesAreReadWhole: at 80 columns a note that does
// not fit beside the lead goes on a line of its own instead of being cut
// ("too little history f…"), and the table still fills the view exactly.
func TestAnomaliesSummaryNotesAreReadWhole(t *testing.T) {
	v := newAnomaliesView(theme{styles: NewStyles(nil, true, false), glyphs: newGlyphs(false)})
	v.SetSize(80, 19)
	v.SetAnomalies([]state.Anomaly{{ProductName: "P", Currency: "USD", Date: api.NewDate(2025, 2, 3), Kind: state.AnomalySpike}})
	v.SetStatus([]string{"17 anomalies in 61 products judged", "3 products partly judged: too little history for some days"})
	out := ansi.Strip(v.View())
	lines := strings.Split(out, "\n")
	if !strings.Contains(out, "too little history for some days") {
		t.Errorf("the note is cut:\n%s", out)
	}
	if !strings.HasPrefix(lines[0], "17 anomalies") || !strings.HasPrefix(lines[1], "3 products") || !strings.HasPrefix(strings.TrimSpace(lines[2]), "Product") {
		t.Errorf("want the lead, the note, then the table:\n%s", out)
	}
	// A short summary stays on one line.
	v.SetStatus([]string{"1 anomaly in 5 products judged", "judged on DAILY records"})
	if lines := strings.Split(ansi.Strip(v.View()), "\n"); !strings.HasPrefix(strings.TrimSpace(lines[1]), "Product") {
		t.Errorf("a short summary took two lines:\n%s", strings.Join(lines, "\n"))
	}
}

// incidentFindings holds a three-day incident of Verify-SMS, a one-day
// spike of it a week later, another product's day and a group finding.
func incidentFindings() state.StoreAnomalies {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	mk := func(name string, day int, kind state.AnomalyKind, actual, expected string) state.Anomaly {
		a := state.Anomaly{ProductName: name, ProductCategory: "verify", Currency: "USD", Date: api.NewDate(2025, 2, day),
			Kind: kind, Actual: d(actual), Expected: d(expected), Score: 7}
		a.Impact = a.Actual.Sub(a.Expected)
		a.ImpactPercent = a.Impact.InexactFloat64() / a.Expected.InexactFloat64() * 100
		a.Reason = fmt.Sprintf("%s day %d", kind, day)
		return a
	}
	rows := []state.Anomaly{
		mk("Verify-SMS", 10, state.AnomalyStep, "300", "100"),
		mk("Verify-SMS", 11, state.AnomalyStep, "310", "100"),
		mk("Verify-SMS", 12, state.AnomalyStep, "290", "100"),
		mk("Verify-SMS", 20, state.AnomalySpike, "150", "100"),
		mk("Verify-WhatsApp", 5, state.AnomalyDrop, "10", "60"),
		{Scope: state.ScopeGroup, Currency: "USD", Date: api.NewDate(2025, 2, 17), Kind: state.AnomalyGroup,
			Actual: d("100"), Expected: d("400"), Impact: d("-300"), ImpactPercent: -75, Score: 9, Moved: 8, Of: 10,
			Reason: "Mon Feb 17: 8 of 10 products down, -$300 (-75%), shared by the group"},
	}
	state.SortAnomaliesByImpact(rows)
	return state.StoreAnomalies{Anomalies: rows, Results: map[state.ProductKey]state.AnomalyResult{}}
}

// TestAnomaliesViewListsIncidents: consecutive flagged days are one row
// with their days and summed impact; the row under the cursor opens to its
// days; a group finding is a row of its own; enter opens the product's
// chart at the incident, and does nothing on a group finding.
func TestAnomaliesViewListsIncidents(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := withFindings(t, toAnomalies(t, testOptions(f), 160, 30), incidentFindings())
	if got := strings.Join(shownProducts(m), " "); got != "Verify-SMS  Verify-SMS Verify-WhatsApp" {
		t.Errorf("incidents %q, want the step (+$600), the group (-$300), the spike (+$50, latest), the drop (-$50)", got)
	}
	m = press(t, m, "g")
	v := screen(m)
	for _, want := range []string{"▾ Verify-SMS", "2025-02-10", "3 step", "+$600", "+200%", "└ day 1 of 3", "└ day 3 of 3", "group: 8 of 10 products", "Mon Feb 17: 8 of 10 products down"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// Down through the step's days to the group finding: the step closes.
	m = press(t, m, "down", "down", "down", "down")
	if v := screen(m); strings.Contains(v, "day 1 of 3") || !strings.Contains(v, "▸ Verify-SMS") {
		t.Errorf("on the group finding the step is still open:\n%s", v)
	}
	if m = press(t, m, "enter"); m.detailOpen {
		t.Error("enter on a group finding opened a product's detail")
	}
	// Back up onto the step: it opens again; enter on its second day
	// opens the product's chart there.
	m = press(t, m, "up")
	if v := screen(m); !strings.Contains(v, "day 3 of 3") {
		t.Fatalf("moving up onto the step does not open it:\n%s", v)
	}
	m = press(t, m, "down", "down", "enter")
	if !m.detailOpen || m.detailKey.Name != "Verify-SMS" || m.detailAt != api.NewDate(2025, 2, 11) {
		t.Fatalf("detail open %v on %+v at %s, want Verify-SMS at 2025-02-11", m.detailOpen, m.detailKey, m.detailAt)
	}
	v = screen(m)
	if i, j := strings.Index(v, "Tue 2025-02-11"), strings.Index(v, "Mon 2025-02-10"); i < 0 || j < 0 || i > j {
		t.Errorf("the legend does not lead with the day it was opened at:\n%s", v)
	}
}
