package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func TestEnterOpensTheProductUnderTheCursorAndEscReturns(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := loaded(t, testOptions(f), 100, 30)
	m = press(t, m, "down", "down")
	want, _ := selectedProduct(m.current())

	m = press(t, m, "enter")
	if !m.detailOpen || m.detailKey != want {
		t.Fatalf("enter opened %v (open %v), want %v", m.detailKey, m.detailOpen, want)
	}
	v := screen(m)
	for _, s := range []string{"Detail: " + want.Name, "daily cost in USD", "total ", "esc back"} {
		if !strings.Contains(v, s) {
			t.Errorf("detail lacks %q:\n%s", s, v)
		}
	}
	// Table keys do nothing in the detail, and help leaves them out.
	m = press(t, m, "s", "/")
	if m.mode != modeNormal || !m.detailOpen {
		t.Errorf("s or / acted in the detail: mode %v", m.mode)
	}
	help := screen(press(t, m, "?"))
	if !strings.Contains(help, "esc") || !strings.Contains(help, "back") || strings.Contains(help, "sort column") || strings.Contains(help, "enter") {
		t.Errorf("help in the detail:\n%s", help)
	}
	// esc closes help over the detail, and only the help.
	if m = press(t, m, "?", "esc"); m.mode != modeNormal || !m.detailOpen {
		t.Errorf("? esc: mode %v, detail open %v", m.mode, m.detailOpen)
	}

	m = press(t, m, "esc")
	if m.detailOpen || m.active != 0 || m.current().Nav().Cursor() != 2 {
		t.Fatalf("esc: open %v, view %d, cursor %d; want the Products view, cursor 2", m.detailOpen, m.active, m.current().Nav().Cursor())
	}
	if !m.keys.Open.Enabled() || m.keys.Close.Enabled() {
		t.Error("after esc, enter should open and esc-back should be off")
	}
}

func TestEnterOnARecordOpensItsProduct(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := press(t, loaded(t, testOptions(f), 100, 30), "tab", "down", "down", "down")
	r := m.store.Row(int(m.views[1].(*recordsView).tbl.Rows()[3]))
	if m = press(t, m, "enter"); !m.detailOpen || m.detailKey.Name != r.ProductName {
		t.Fatalf("enter on %s opened %v", r.ProductName, m.detailKey)
	}
	if m = press(t, m, "esc"); m.current().Name() != "Records" || m.current().Nav().Cursor() != 3 {
		t.Errorf("esc: %s, cursor %d", m.current().Name(), m.current().Nav().Cursor())
	}
}

func TestDetailFollowsTheCursor(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := press(t, loaded(t, testOptions(f), 100, 30), "enter", "down")
	want, _ := selectedProduct(m.current())
	if m.current().Nav().Cursor() != 1 || m.detailKey != want {
		t.Fatalf("down in the detail: cursor %d, product %v, want %v", m.current().Nav().Cursor(), m.detailKey, want)
	}
	if !strings.Contains(screen(m), "Detail: "+want.Name) {
		t.Errorf("the detail did not follow:\n%s", screen(m))
	}
	// tab leaves the detail for the next view.
	if m = press(t, m, "tab"); m.detailOpen || m.current().Name() != "Records" {
		t.Errorf("tab from the detail: open %v, view %s", m.detailOpen, m.current().Name())
	}
}

func TestDetailFromAnomaliesMarksTheDay(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	for _, tc := range []struct {
		w, h  int
		ascii bool
	}{{80, 24, false}, {160, 48, false}, {80, 24, true}, {200, 50, true}} {
		opts := testOptions(f)
		opts.ASCII = tc.ascii
		m := press(t, loaded(t, opts, tc.w, tc.h), "tab", "tab", "enter")
		if m.detailKey.Name != "Verify-SMS" {
			t.Fatalf("enter on the flagged day opened %v", m.detailKey)
		}
		v := screen(m)
		mark := "●"
		if tc.ascii {
			mark = "o"
		}
		if !strings.Contains(v, mark+" Thu 2025-02-20 spike +$106") {
			t.Errorf("%dx%d ascii=%v: the legend lacks the flagged day:\n%s", tc.w, tc.h, tc.ascii, v)
		}
		// The mark sits on the chart in the spike's column: the highest
		// point of the line, so no line cell is above it.
		chartW := tc.w
		if tc.w >= detailWideAt {
			chartW = tc.w - detailPanel - 3
		}
		row, col := markCell(v, mark, chartW)
		if row < 0 {
			t.Fatalf("%dx%d: no mark on the chart:\n%s", tc.w, tc.h, v)
		}
		lines := strings.Split(v, "\n")
		for r := 4; r < row; r++ {
			if c := cellAt(lines[r], col); c != " " {
				t.Errorf("%dx%d: %q above the mark in its column (row %d)", tc.w, tc.h, c, r)
			}
		}
		m = press(t, m, "esc")
		if m.detailOpen || m.current().Name() != "Anomalies" || m.current().Nav().Cursor() != 0 {
			t.Errorf("esc went to %s, cursor %d", m.current().Name(), m.current().Nav().Cursor())
		}
	}
}

// markCell finds the chart's mark: the first line below the title that
// holds it within the chart's width, not in the legend.
func markCell(screen, mark string, chartW int) (row, col int) {
	for r, l := range strings.Split(screen, "\n") {
		if r < 4 || strings.HasPrefix(l, mark+" ") {
			continue
		}
		if i := strings.Index(l, mark); i >= 0 && ansi.StringWidth(l[:i]) < chartW {
			return r, ansi.StringWidth(l[:i])
		}
	}
	return -1, -1
}

// cellAt returns the character at display column col of line.
func cellAt(line string, col int) string {
	for _, r := range line {
		if col == 0 {
			return string(r)
		}
		col--
	}
	return " "
}

func TestDetailUnderMonthly(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := press(t, loaded(t, testOptions(f), 100, 30), "a", "tab", "tab", "enter")
	v := screen(m)
	for _, want := range []string{"Detail: Verify-SMS", "monthly cost in USD", "2025-02", "● Thu 2025-02-20 spike", "each mark is the month of an anomaly day",
		"per day $22.93 (mean of 28 days)", "highest day $127.92 on Thu 2025-02-20"} {
		if !strings.Contains(v, want) {
			t.Errorf("MONTHLY detail lacks %q:\n%s", want, v)
		}
	}
}

func TestDetailDrawsOnlyWhenSomethingChanged(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := press(t, loaded(t, testOptions(f), 100, 30), "enter")
	m.View()
	n := m.detail.drawn
	for range 3 {
		m.View()
	}
	m = press(t, m, "?", "esc") // help over the detail, and back
	m.View()
	if m.detail.drawn != n {
		t.Errorf("unchanged detail drawn %d more times", m.detail.drawn-n)
	}
	m = press(t, m, "down")
	m.View()
	if m.detail.drawn != n+1 {
		t.Errorf("another product drawn %d times, want once", m.detail.drawn-n)
	}
}

func TestDetailOfAProductWithoutCost(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := press(t, loaded(t, testOptions(f), 100, 30), "enter")
	m.detailKey = state.ProductKey{Name: "Gone-Product", Currency: "USD"}
	if v := screen(m); !strings.Contains(v, "no figures: no usage in the period") {
		t.Errorf("%s", v)
	}
}

// dayRecords is one record per day from start, costing costs[i] on day i.
func dayRecords(name string, start api.Date, costs []string) []api.Record {
	var out []api.Record
	for i, c := range costs {
		d := start.AddDays(i)
		out = append(out, api.Record{StartDate: d, EndDate: d, ProductName: name, ProductCategory: "cat",
			Usage: api.Usage{Amount: api.DecimalOf(decimal.NewFromInt(1)), Unit: "u"},
			Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString(c)), Currency: "USD"}})
	}
	return out
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestDetailFigures checks the figures beside the chart as drawn: the
// arithmetic is state's (state.Generation.Detail); the view shows it over
// the days it names.
func TestDetailFigures(t *testing.T) {
	key := state.ProductKey{Name: "P", Category: "cat", Currency: "USD"}
	mar1 := api.NewDate(2025, 3, 1)
	// This month: 10.00 a day for the first 12 days, then 12.50; the
	// 20th is today, partial, and the API's asOf is the 19th.
	costs := append(repeat("10.00", 12), repeat("12.50", 8)...)
	costs[19] = "3.00"
	opts := testOptions(newPagedFetcher(dayRecords("P", mar1, costs), 1000))
	opts.Query.Period = api.ThisMonth
	m := loaded(t, opts, 120, 30)
	in := detailInput{product: key, g: m.g, width: 100, height: 30}
	if n := len(figures(in).chart.values); n != 19 {
		t.Errorf("the chart draws %d days; want the 19 whole ones", n)
	}
	v := ansi.Strip(newDetailView(&theme{styles: NewStyles(nil, true, false), glyphs: newGlyphs(false)}).View(in))
	for _, want := range []string{"total $207.50 Mar 1-19", "per day $10.92 (mean of 19 days)", "highest day $12.50 on Thu 2025-03-13",
		"last 7 days $87.50 vs $70.00 the 7 before (+25.0%)", "month end 2025-03-31 $357.50 ($207.50 to date + $150.00 for 12 more days"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
}
