package ui

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/export"
)

// flowNow fixes the simulated API's clock, so its data is the same on
// every run.
var flowNow = time.Date(2026, 3, 14, 15, 4, 5, 0, time.UTC)

// waitLong bounds how long a flow waits for the screen to show something;
// it only matters when the flow is broken.
const waitLong = 20 * time.Second

// startDemo serves the simulated API on loopback and returns the real
// client pointed at it, and the dashboard options for its first group.
func startDemo(t *testing.T, faults fakeapi.Faults) (Options, *fakeapi.Running) {
	t.Helper()
	run, err := fakeapi.Start(fakeapi.Options{Now: func() time.Time { return flowNow }, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(run.Close)
	client, err := api.New(api.Config{BaseURL: run.BaseURL, TokenURL: run.TokenURL,
		ClientID: fakeapi.DemoClientID, ClientSecret: fakeapi.DemoClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	var groups []Group
	for _, g := range run.Server.Groups() {
		groups = append(groups, Group{Name: g.Name, ID: g.ID})
	}
	return Options{
		Fetcher:  client,
		Query:    state.Query{GroupID: groups[0].ID, GroupName: groups[0].Name, Period: api.LastMonth},
		Groups:   groups,
		Today:    func() api.Date { return api.DateOf(flowNow) },
		PageSize: 50,
		NoColor:  true,
	}, run
}

func waitScreen(t *testing.T, tm *teatest.TestModel, what ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range what {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(waitLong), teatest.WithCheckInterval(5*time.Millisecond))
}

// TestFlowLoadSortScrollQuit drives the program as a user would, against
// the simulated API over loopback with the real client.
func TestFlowLoadSortScrollQuit(t *testing.T) {
	opts, run := startDemo(t, fakeapi.Faults{})
	opts.AutoloadPages = 1
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(120, 40))

	waitScreen(t, tm, "50 records, more available", "Cost ▼")
	tm.Send(keyMsg("s"))
	waitScreen(t, tm, "Share ▼")
	tm.Send(keyMsg("tab"))
	waitScreen(t, tm, "Date ▲")
	tm.Send(keyMsg("pgdown")) // within a screen of the 50th row: page 2
	waitScreen(t, tm, "100 records, more available")
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))

	m := tm.FinalModel(t).(Model)
	if m.store.Pages() != 2 || m.store.Len() != 100 {
		t.Fatalf("%d pages, %d records; want 2 and 100", m.store.Pages(), m.store.Len())
	}
	seen := map[string]bool{}
	for i := range m.store.Len() {
		r := m.store.Record(i)
		k := r.StartDate.String() + r.ProductName + r.ProductCategory
		if seen[k] {
			t.Fatalf("record %s %s loaded twice", r.StartDate, r.ProductName)
		}
		seen[k] = true
	}
	// The period's two pages, and the other loads' pages beside them
	// (at most one each still in flight at the quit): nothing asked twice.
	sides := 0
	for _, p := range state.Parts[1:] {
		if s := m.g.Store(p); s != nil {
			sides += s.Pages() + 1
		}
	}
	if st := run.Server.Stats(); st.RecordsRequests > 2+sides {
		t.Errorf("%d records requests, want at most %d", st.RecordsRequests, 2+sides)
	}
}

var allLoaded = regexp.MustCompile(`all [0-9,]+ records`)

// watched wraps the dashboard and checks every screen it draws: once the
// query is MONTHLY, no DAILY record may be held or shown.
type watched struct {
	Model
	mu  *sync.Mutex
	bad *[]string
}

func (w watched) Init() tea.Cmd { return w.Model.Init() }

func (w watched) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := w.Model.Update(msg)
	w.Model = m.(Model)
	return w, cmd
}

func (w watched) View() string {
	v := w.Model.View()
	if w.query.Agg() != api.Monthly {
		return v
	}
	start, _ := w.store.Bounds()
	for i := range w.store.Len() {
		if r := w.store.Record(i); r.StartDate == r.EndDate {
			w.report("the store holds a DAILY record of the old query: " + r.StartDate.String() + " " + r.ProductName)
			break
		}
	}
	for _, line := range strings.Split(ansi.Strip(v), "\n") {
		if len(line) >= 10 && line[4] == '-' && line[7] == '-' && strings.HasPrefix(line, "20") && !strings.HasPrefix(line, start.String()) {
			w.report("a row of the old query is on screen: " + line)
		}
	}
	return v
}

func (w watched) report(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	*w.bad = append(*w.bad, s)
}

// TestFlowQueryChangeWhilePageInFlight changes the aggregation while the
// Products view is loading pages in the background: the old query's pages,
// late or not, never reach the screen.
func TestFlowQueryChangeWhilePageInFlight(t *testing.T) {
	opts, run := startDemo(t, fakeapi.Faults{Latency: 30 * time.Millisecond})
	opts.PageSize = 20
	var mu sync.Mutex
	var bad []string
	w := watched{Model: New(opts), mu: &mu, bad: &bad}
	tm := teatest.NewTestModel(t, w, teatest.WithInitialTermSize(120, 40))

	tm.Send(keyMsg("tab")) // the Records view shows each record's date
	waitScreen(t, tm, "20 records, more available")
	tm.Send(keyMsg("a")) // a page of the DAILY query is in flight now
	waitScreen(t, tm, "MONTHLY")
	tm.Send(keyMsg("L"))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return allLoaded.Match(b) },
		teatest.WithDuration(waitLong), teatest.WithCheckInterval(5*time.Millisecond))
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))

	m := tm.FinalModel(t).(watched).Model
	if m.query.Agg() != api.Monthly || !m.store.Done() || m.store.Len() == 0 {
		t.Fatalf("final query %+v, done %v, %d records", m.query, m.store.Done(), m.store.Len())
	}
	mu.Lock()
	defer mu.Unlock()
	for _, b := range bad {
		t.Error(b)
	}
	if st := run.Server.Stats(); st.RecordsRequests < 3 {
		t.Errorf("only %d records requests", st.RecordsRequests)
	}
}

// TestFlowRateLimitedSaysSo: while the client waits out a 429, the status
// bar says so, with the seconds left; then the page arrives.
func TestFlowRateLimitedSaysSo(t *testing.T) {
	opts, run := startDemo(t, fakeapi.Faults{Every429: 2, RetryAfter: 1})
	opts.AutoloadPages = 2
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "rate limited (429), retrying in 1s")
	waitScreen(t, tm, "100 records, more available")
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	if m := tm.FinalModel(t).(Model); m.store.Len() != 100 || m.store.Err() != nil {
		t.Errorf("after the 429s: %d records, err %v", m.store.Len(), m.store.Err())
	}
	if st := run.Server.Stats(); st.ByStatus[429] == 0 {
		t.Errorf("server saw %d requests, %v: no 429", st.RecordsRequests, st.ByStatus)
	}
}

// TestFlowAnomaliesListsInjectedEvents loads the demo group's last month
// from the simulated API, tabs to the Anomalies view and finds there every
// event the API's generator injected into the period; enter on the first
// row opens its product's chart with the day marked.
func TestFlowAnomaliesListsInjectedEvents(t *testing.T) {
	opts, _ := startDemo(t, fakeapi.Faults{})
	opts.PageSize = 500 // the month in a few pages, well under the autoload limit
	today := api.DateOf(flowNow)
	start, end := opts.Query.Bounds(today)
	var injected []fakeapi.Anomaly
	for _, a := range fakeapi.NewGenerator(1, today).Anomalies(opts.Query.GroupID) {
		if a.Start >= start && a.Start <= end {
			injected = append(injected, a)
		}
	}
	if len(injected) == 0 {
		t.Fatalf("the generator injected nothing into %s..%s", start, end)
	}
	for _, a := range injected {
		t.Logf("injected: %s %s %s..%s", a.Kind, a.ProductName, a.Start, a.End)
	}

	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(160, 40))
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("tab"))
	// One wait for all of it: a wait consumes the output it reads.
	want := []string{"products judged"}
	for _, a := range injected {
		want = append(want, a.ProductName, a.Start.String())
	}
	waitScreen(t, tm, want...)
	tm.Send(keyMsg("enter"))
	waitScreen(t, tm, "Detail: ", "esc back")
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))

	m := tm.FinalModel(t).(Model)
	for _, a := range injected {
		found := false
		for _, f := range m.anomalies.Anomalies {
			found = found || f.ProductName == a.ProductName && f.Date == a.Start
		}
		if !found {
			t.Errorf("injected %s %s on %s is not listed", a.Kind, a.ProductName, a.Start)
		}
	}
	first := m.anomalies.Anomalies[0]
	if !m.detailOpen || m.detailKey.Name != first.ProductName {
		t.Fatalf("enter opened %v, want %s", m.detailKey, first.ProductName)
	}
	if v := screen(m); !strings.Contains(v, "● "+weekdayDate(first.Date)+" "+first.Kind.String()) {
		t.Errorf("the detail does not list the flagged day:\n%s", v)
	}
}

// TestProductsExportIsTheHeadlessExport: `e` in Products writes the file
// `usagetop export --view products` writes for the same query, byte for
// byte (the export builds its rows with export.ProductsOf from a fresh
// generation), on the 1st and the 2nd of a month and for a whole month.
func TestProductsExportIsTheHeadlessExport(t *testing.T) {
	for _, tc := range []struct {
		day    string
		period api.TimePeriod
	}{{"2026-11-01", api.ThisMonth}, {"2026-11-02", api.ThisMonth}, {"2026-11-02", api.LastMonth}} {
		t.Run(tc.day+" "+string(tc.period), func(t *testing.T) {
			day, _ := api.ParseDate(tc.day)
			now := day.Time().Add(15 * time.Hour)
			run, err := fakeapi.Start(fakeapi.Options{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			defer run.Close()
			client, err := api.New(api.Config{BaseURL: run.BaseURL, TokenURL: run.TokenURL,
				ClientID: fakeapi.DemoClientID, ClientSecret: fakeapi.DemoClientSecret})
			if err != nil {
				t.Fatal(err)
			}
			grp := run.Server.Groups()[0]
			q := state.Query{GroupID: grp.ID, GroupName: grp.Name, Period: tc.period}
			opts := Options{Fetcher: client, Query: q, Today: func() api.Date { return day }, PageSize: 1000,
				AutoloadPages: 1000, NoColor: true, ExportDir: t.TempDir(), Detector: state.DefaultDetectorConfig()}
			m := New(opts)
			tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			m = settle(t, tm.(Model), m.initCmd)
			tm, cmd := m.Update(keyMsg("e"))
			out := make(chan tea.Msg, 8)
			runCmd(cmd, out)
			done := waitFor[exportedMsg](out)
			if done.err != nil {
				t.Fatal(done.err)
			}
			fromE := readFile(t, done.path)

			g := state.NewGeneration(1, q, day, state.DefaultDetectorConfig())
			if err := g.Run(context.Background(), client.FetchPage, 1000, state.Want{Period: true, Figures: true}); err != nil {
				t.Fatal(err)
			}
			found, err := g.Detect()
			if err != nil {
				t.Fatal(err)
			}
			var headless strings.Builder
			if err := export.WriteProducts(&headless, export.FormatCSV, export.ProductsOf(g, found)); err != nil {
				t.Fatal(err)
			}
			if fromE != headless.String() {
				t.Errorf("e and the export differ:\n%s\n---\n%s", fromE, headless.String())
			}
			if n := strings.Count(fromE, "\n") - 1; n != done.rows || n < 10 {
				t.Errorf("e wrote %d rows and said %d", n, done.rows)
			}
		})
	}
}
