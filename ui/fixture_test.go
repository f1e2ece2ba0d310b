package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// fixtureToday is the fixed "today" of every test.
var fixtureToday = api.NewDate(2025, 3, 20)

const fixtureGroup = "commerce_billingprofile_0123456789abcdef"

// fixtureQuery is LAST_MONTH (February 2025, 28 days) for the test group.
var fixtureQuery = state.Query{GroupID: fixtureGroup, GroupName: "Acme", Period: api.LastMonth}

var fixtureProducts = []struct{ name, category, unit string }{
	{"United States-Outbound-SMS", "sms-outbound", "segments"},
	{"United States-Outbound-LC-MMS", "mms-outbound", "messages"},
	{"Voice-Outbound-Minutes", "calls-outbound", "minutes"},
	{"Verify-SMS", "verify", "verifications"},
	{"Verify-WhatsApp", "verify", "verifications"},
	{"Lookups-Carrier", "lookups", "requests"},
	{"Phone Numbers-Local", "phonenumbers", "numbers"},
	{"WhatsApp-Business-Initiated", "whatsapp", "messages"},
	{"Conversations-Active Users", "conversations", "users"},
	{"Short Code-Monthly Lease", "shortcodes", "numbers"},
}

// fixtureSpike is the injected anomaly: Verify-SMS costs six times its
// usual on this day.
var fixtureSpike = api.NewDate(2025, 2, 20)

// fixtureRecords returns DAILY records for January and February 2025,
// ordered by date then product as the API orders them, with costs that
// differ per product and per weekday so sorting and sparklines have
// something to show, February a little dearer than January, and one spike.
func fixtureRecords(products int) []api.Record {
	start := api.NewDate(2025, 1, 1)
	var recs []api.Record
	for d := 0; d < 59; d++ {
		day := start.AddDays(d)
		for p := 0; p < products; p++ {
			fp := fixtureProducts[p%len(fixtureProducts)]
			name := fp.name
			if p >= len(fixtureProducts) {
				name = fmt.Sprintf("%s-%d", fp.name, p/len(fixtureProducts))
			}
			units := int64((p+1)*100 + (d%7)*10*(p%3+1))
			if day.Weekday() == 0 || day.Weekday() == 6 {
				units /= 2
			}
			if day >= api.NewDate(2025, 2, 1) {
				units += units * int64(p%4) / 10
			}
			if day == fixtureSpike && fp.name == "Verify-SMS" {
				units *= 6
			}
			price := decimal.New(units*int64(p%5+1), -2) // cents per unit
			recs = append(recs, api.Record{
				StartDate: day, EndDate: day,
				ProductName: name, ProductCategory: fp.category,
				Usage: api.Usage{Amount: api.DecimalOf(decimal.NewFromInt(units)), Unit: fp.unit},
				Price: api.Price{Amount: api.DecimalOf(price), Currency: "USD"},
			})
		}
	}
	return recs
}

// inRange keeps the records from start to end in category ("" for all).
func inRange(recs []api.Record, start, end api.Date, category string) []api.Record {
	var out []api.Record
	for _, r := range recs {
		if r.StartDate >= start && r.StartDate <= end && (category == "" || r.ProductCategory == category) {
			out = append(out, r)
		}
	}
	return out
}

// febRecords is what the API answers for the fixture query (February).
func febRecords(products int) []api.Record {
	return inRange(fixtureRecords(products), api.NewDate(2025, 2, 1), api.NewDate(2025, 2, 28), "")
}

// pagedFetcher serves records in pages of size, with tokens "t1", "t2"...
// It is safe for concurrent use and records every request.
type pagedFetcher struct {
	mu      sync.Mutex
	recs    []api.Record
	size    int
	reqs    []api.RecordsRequest
	failOn  map[string]error // token -> error to return once, for the query as asked
	down    error            // when set, every request fails with it: the API is down
	byQuery func(req api.RecordsRequest) []api.Record
}

// setDown makes every later request fail with err (nil: the API is back).
func (f *pagedFetcher) setDown(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = err
}

func newPagedFetcher(recs []api.Record, size int) *pagedFetcher {
	return &pagedFetcher{recs: recs, size: size, failOn: map[string]error{}}
}

func (f *pagedFetcher) FetchPage(ctx context.Context, req api.RecordsRequest) (*api.Page, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, req)
	if f.down != nil {
		return nil, f.down
	}
	// Failures are for the query as asked (a preset period): the other
	// loads page on tokens of the same names.
	if err, ok := f.failOn[req.PageToken]; ok && req.Period != "" {
		delete(f.failOn, req.PageToken)
		return nil, err
	}
	recs := f.recs
	if f.byQuery != nil {
		recs = f.byQuery(req)
	}
	start, end := req.StartDate, req.EndDate
	if req.Period != "" {
		start, end, _ = req.Period.Bounds(fixtureToday)
	}
	recs = inRange(recs, start, end, req.Category)
	if req.Aggregation == api.Monthly {
		recs = monthly(recs)
	}
	n := 0
	if req.PageToken != "" {
		n, _ = strconv.Atoi(strings.TrimPrefix(req.PageToken, "t"))
	}
	lo, hi := min(n*f.size, len(recs)), min((n+1)*f.size, len(recs))
	page := &api.Page{AsOf: fixtureToday - 1, Records: recs[lo:hi]}
	if hi < len(recs) {
		page.NextToken = "t" + strconv.Itoa(n+1)
	}
	return page, nil
}

// monthly sums daily records per product and month, as the API's MONTHLY
// aggregation does.
func monthly(recs []api.Record) []api.Record {
	var out []api.Record
	at := map[string]int{}
	for _, r := range recs {
		k := r.StartDate.MonthStart().String() + r.ProductName
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			m := r
			m.StartDate, m.EndDate = r.StartDate.MonthStart(), r.StartDate.MonthEnd()
			m.Usage.Amount, m.Price.Amount = api.Decimal{}, api.Decimal{}
			out = append(out, m)
		}
		out[i].Usage.Amount = api.DecimalOf(out[i].Usage.Amount.Decimal().Add(r.Usage.Amount.Decimal()))
		out[i].Price.Amount = api.DecimalOf(out[i].Price.Amount.Decimal().Add(r.Price.Amount.Decimal()))
	}
	return out
}

func (f *pagedFetcher) requests() []api.RecordsRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]api.RecordsRequest(nil), f.reqs...)
}

// mainRequests returns the requests for the query on screen, leaving out
// the background ones: the previous period and the anomaly history are
// custom ranges ending before the period starts, and the DAILY records
// loaded for the detector under MONTHLY differ in aggregation.
func (f *pagedFetcher) mainRequests(q state.Query) []api.RecordsRequest {
	start, _ := q.Bounds(fixtureToday)
	agg := q.Request(0).Aggregation
	var out []api.RecordsRequest
	for _, r := range f.requests() {
		if (r.Period != "" || r.EndDate >= start) && r.Aggregation == agg {
			out = append(out, r)
		}
	}
	return out
}

// call is one request held by a blockingFetcher until the test answers it.
type call struct {
	ctx   context.Context
	req   api.RecordsRequest
	reply chan *api.Page
}

// blockingFetcher hands every request to the test and waits for a page or
// for the request's context to end.
type blockingFetcher struct {
	calls chan *call
}

// next returns the next live request (its context not cancelled) that
// match accepts; the loads beside it ask too, and wait unanswered.
func (f *blockingFetcher) next(t *testing.T, match func(api.RecordsRequest) bool) *call {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case c := <-f.calls:
			if c.ctx.Err() == nil && match(c.req) {
				return c
			}
		case <-timeout:
			t.Fatal("no such request")
			return nil
		}
	}
}

// isPeriodRequest matches a request of the fixture's query as asked.
func isPeriodRequest(r api.RecordsRequest) bool { return r.Period != "" }

func (f *blockingFetcher) FetchPage(ctx context.Context, req api.RecordsRequest) (*api.Page, error) {
	c := &call{ctx: ctx, req: req, reply: make(chan *api.Page)}
	f.calls <- c
	select {
	case p := <-c.reply:
		return p, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func testOptions(f Fetcher) Options {
	return Options{
		Fetcher:       f,
		Query:         fixtureQuery,
		Groups:        []Group{{Name: "Acme", ID: fixtureGroup}, {Name: "Globex UK", ID: "commerce_billingprofile_gb0000000000"}},
		Today:         func() api.Date { return fixtureToday },
		PageSize:      20,
		AutoloadPages: 3,
		NoColor:       true,
	}
}

// runCmd runs cmd the way the program would, each command on its own
// goroutine, and sends every message it produces to out. Timers and the
// retry listener simply never report back within a test.
func runCmd(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				runCmd(c, out)
			}
			return
		}
		if msg != nil {
			out <- msg
		}
	}()
}

// waitFor returns the first message of type T from out, skipping others.
func waitFor[T tea.Msg](out <-chan tea.Msg) T {
	for msg := range out {
		if v, ok := msg.(T); ok {
			return v
		}
	}
	panic("unreachable")
}

// nextPage runs cmd and returns the page result it produces. Call it only
// when a request is in flight.
func nextPage(t *testing.T, cmd tea.Cmd) pageLoadedMsg {
	t.Helper()
	out := make(chan tea.Msg, 64)
	runCmd(cmd, out)
	return waitFor[pageLoadedMsg](out)
}

// settle delivers page results and detector findings until nothing is in
// flight: the program's event loop, minus timers and input.
// busy reports whether any request or the anomaly detector is running.
func (m *Model) busy() bool { return m.loading() || m.sidesLoading() || m.detecting }

func settle(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	out := make(chan tea.Msg, 256)
	runCmd(cmd, out)
	for m.busy() {
		switch msg := (<-out).(type) {
		case pageLoadedMsg, anomaliesDetectedMsg:
			tm, c := m.Update(msg)
			m = tm.(Model)
			runCmd(c, out)
		}
	}
	return m
}

// keyMsg builds the key message a terminal would send for name.
func keyMsg(name string) tea.KeyMsg {
	types := map[string]tea.KeyType{
		"tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "esc": tea.KeyEsc, "enter": tea.KeyEnter,
		"up": tea.KeyUp, "down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "backspace": tea.KeyBackspace, "ctrl+c": tea.KeyCtrlC,
	}
	if t, ok := types[name]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// press sends keys one by one, answering page requests as they come.
func press(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		tm, cmd := m.Update(keyMsg(k))
		m = settle(t, tm.(Model), cmd)
	}
	return m
}

// loaded returns a model for opts with its first pages loaded (as far as
// the Products view autoloads) at the given size.
func loaded(t *testing.T, opts Options, w, h int) Model {
	t.Helper()
	m := New(opts)
	tm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m = tm.(Model)
	return settle(t, m, m.initCmd)
}

// generationOf is a generation of q on day today, loaded to completion
// from recs.
func generationOf(t *testing.T, q state.Query, today api.Date, recs []api.Record) *state.Generation {
	t.Helper()
	g := state.NewGeneration(1, q, today, state.DefaultDetectorConfig())
	if err := g.Run(context.Background(), newPagedFetcher(recs, 1000).FetchPage, 1000, state.Want{Period: true, Figures: true}); err != nil {
		t.Fatal(err)
	}
	return g
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func baseName(path string) string { return filepath.Base(path) }
