package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// screen returns the model's View with styles removed, as goldens hold it.
func screen(m Model) string { return ansi.Strip(m.View()) }

// TestGoldenScreens pins whole screens at fixed sizes. Run
// `go test ./ui -update` to rewrite them after an intended change.
func TestGoldenScreens(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 100) // 280 records, 3 pages
	tests := []struct {
		name string
		w, h int
		keys []string
	}{
		{"products_80x24", 80, 24, nil},
		{"products_160x48", 160, 48, nil},
		{"products_partial_80x24", 80, 24, []string{"r"}}, // reloads; only the first pages
		{"records_80x24", 80, 24, []string{"tab"}},
		{"records_160x48", 160, 48, []string{"tab", "s", "S"}},
		{"filtered_80x24", 80, 24, []string{"/", "verify", "enter"}},
		{"filter_typing_80x24", 80, 24, []string{"/", "sms"}},
		{"help_80x24", 80, 24, []string{"?"}},
		{"help_160x48", 160, 48, []string{"?"}},
		{"period_picker_80x24", 80, 24, []string{"p"}},
		{"period_custom_80x24", 80, 24, []string{"p", "2025-02-10..2025-01-01"}},
		{"category_picker_80x24", 80, 24, []string{"c", "sms"}},
		{"monthly_160x48", 160, 48, []string{"a"}},
		{"anomalies_80x24", 80, 24, []string{"tab", "tab"}},
		{"anomalies_160x48", 160, 48, []string{"tab", "tab"}},
		{"detail_80x24", 80, 24, []string{"tab", "tab", "enter"}},
		{"detail_160x48", 160, 48, []string{"tab", "tab", "enter"}},
		{"detail_monthly_80x24", 80, 24, []string{"a", "tab", "tab", "enter"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(f)
			opts.AutoloadPages = 20
			if tt.name == "products_partial_80x24" {
				opts.AutoloadPages = 1
			}
			m := loaded(t, opts, tt.w, tt.h)
			m = press(t, m, tt.keys...)
			golden.RequireEqual(t, []byte(screen(m)))
		})
	}
}

func TestGoldenFatalScreen(t *testing.T) {
	f := newPagedFetcher(nil, 20)
	f.failOn[""] = &api.Error{StatusCode: 404, Code: api.CodeNotFound, Message: "The requested resource was not found", MoreInfo: "https://www.twilio.com/docs/errors/20404"}
	m := loaded(t, testOptions(f), 80, 24)
	golden.RequireEqual(t, []byte(screen(m)))
}

// TestNoLineWiderThanTheTerminal draws every screen at many sizes.
func TestNoLineWiderThanTheTerminal(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 100)
	sizes := [][2]int{{20, 8}, {37, 9}, {40, 12}, {60, 20}, {80, 24}, {99, 30}, {120, 40}, {160, 48}, {200, 50}, {300, 80}}
	screens := [][]string{nil, {"tab"}, {"?"}, {"p"}, {"p", "2025-13"}, {"c"}, {"b"}, {"/", "verify"}, {"a"}, {"tab", "end"},
		{"tab", "tab"}, {"enter"}, {"tab", "tab", "enter"}, {"a", "tab", "tab", "enter"}, {"enter", "?"}}
	for _, size := range sizes {
		for _, keys := range screens {
			for _, ascii := range []bool{false, true} {
				opts := testOptions(f)
				opts.ASCII = ascii
				m := loaded(t, opts, size[0], size[1])
				m = press(t, m, keys...)
				lines := strings.Split(m.View(), "\n")
				if len(lines) != size[1] {
					t.Errorf("%dx%d %v: %d lines", size[0], size[1], keys, len(lines))
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("%dx%d %v ascii=%v: line %d is %d wide: %q", size[0], size[1], keys, ascii, i, w, ansi.Strip(l))
					}
					if ascii && strings.ContainsFunc(l, func(r rune) bool { return r > 0x7e }) {
						t.Errorf("%dx%d %v: --ascii line %d holds non-ASCII: %q", size[0], size[1], keys, i, l)
					}
				}
			}
		}
	}
}

// sgr matches the colour and attribute sequences styles emit, the only
// escape sequences the dashboard itself may write.
var sgr = regexp.MustCompile("\x1b\\[[0-9;:]*m")

func TestEscapeSequencesFromTheAPIAreHarmless(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)

	evil := []api.Record{{
		StartDate: api.NewDate(2025, 2, 3), EndDate: api.NewDate(2025, 2, 3),
		ProductName:     "Evil\x1b]0;pwned\x07-SMS\x1b[2J\x1b[H\u009b31m\r\n",
		ProductCategory: "cat\x1b]52;c;cm0gLXJmIH4=\x07egory\x1bP+q\x1b\\",
		Usage:           api.Usage{Amount: api.DecimalOf(decimal.NewFromInt(5)), Unit: "seg\x1b[5mments"},
		Price:           api.Price{Amount: api.DecimalOf(decimal.NewFromInt(7)), Currency: "US\x07D"},
	}}
	f := newPagedFetcher(evil, 100)
	for _, keys := range [][]string{nil, {"tab"}, {"c"}, {"/", "evil"}, {"enter"}, {"tab", "tab"}} {
		opts := testOptions(f)
		opts.NoColor = false
		m := loaded(t, opts, 160, 30)
		m = press(t, m, keys...)
		// The dashboard's own styles are SGR sequences, removed before the
		// check below; the blink the unit smuggles in must not be one of them.
		if strings.Contains(m.View(), "\x1b[5m") {
			t.Fatalf("keys %v: the unit's blink sequence reached the screen", keys)
		}
		out := sgr.ReplaceAllString(m.View(), "")
		if i := strings.IndexFunc(out, func(r rune) bool {
			return r == 0x1b || r == 0x07 || (r < 0x20 && r != '\n') || (r >= 0x80 && r <= 0x9f)
		}); i >= 0 {
			t.Fatalf("keys %v: control character %q reached the screen at %d:\n%q", keys, out[i], i, out)
		}
		plain := ansi.Strip(m.View())
		if !strings.Contains(plain, "Evil-SMS") && keys == nil {
			t.Errorf("the product name is not shown as plain text:\n%s", plain)
		}
	}
}

// TestExportHoldsNoEscapeSequences: `e` writes the view as shown, so a
// product name that is harmless text on screen is harmless text in the
// file too (a `cat` of it must not retitle the terminal or write the
// clipboard).
func TestExportHoldsNoEscapeSequences(t *testing.T) {
	evil := []api.Record{{
		StartDate: api.NewDate(2025, 2, 3), EndDate: api.NewDate(2025, 2, 3),
		ProductName:     "Evil\x1b]0;pwned\x07-SMS\x1b[2J\x1b]52;c;aGVsbG8=\x07",
		ProductCategory: "sms\x1b[31m-outbound",
		Usage:           api.Usage{Amount: api.DecimalOf(decimal.NewFromInt(5)), Unit: "seg\x1b[5mments"},
		Price:           api.Price{Amount: api.DecimalOf(decimal.NewFromInt(7)), Currency: "USD"},
	}}
	for _, keys := range [][]string{nil, {"tab"}} {
		opts := testOptions(newPagedFetcher(evil, 100))
		opts.ExportDir = t.TempDir()
		m := press(t, loaded(t, opts, 120, 30), keys...)
		job := m.current().Export(m.query)
		var b strings.Builder
		if err := job.write(&b); err != nil {
			t.Fatal(err)
		}
		if i := strings.IndexFunc(b.String(), func(r rune) bool { return r == 0x1b || r == 0x07 }); i >= 0 {
			t.Errorf("%s export holds a control character at %d:\n%q", m.current().Name(), i, b.String())
		}
		if !strings.Contains(b.String(), "Evil-SMS") {
			t.Errorf("%s export lacks the name as shown:\n%q", m.current().Name(), b.String())
		}
	}
}

// TestNarrowScreensKeepCostAndTellProductsApart: at 40 columns the cost
// column stays (the product name gives way), and two products whose names
// differ only at the end do not show as the same text.
func TestNarrowScreensKeepCostAndTellProductsApart(t *testing.T) {
	recs := febRecords(10)
	for i := range recs {
		switch recs[i].ProductName {
		case "Voice-Outbound-Minutes":
			recs[i].ProductName = "Voice-Outbound-United Kingdom-Landline-Minutes"
		case "Verify-SMS":
			recs[i].ProductName = "Voice-Outbound-United Kingdom-Mobile-Minutes"
		}
	}
	m := loaded(t, testOptions(newPagedFetcher(recs, 1000)), 40, 20)
	v := screen(m)
	if !strings.Contains(v, "Cost") || !strings.Contains(v, "$") {
		t.Errorf("no cost column at 40 columns:\n%s", v)
	}
	for _, w := range []int{40, 80, 120} {
		m := loaded(t, testOptions(newPagedFetcher(recs, 1000)), w, 20)
		v := screen(m)
		if !strings.Contains(v, "Landline-Minutes") || !strings.Contains(v, "Mobile-Minutes") {
			t.Errorf("%d wide: the two Voice-Outbound-United Kingdom products look alike:\n%s", w, v)
		}
	}
}

// TestTooSmallWindowSaysWhatItNeeds: the note is wrapped, not cut to
// "usagetop needs a la", and says the size to reach.
func TestTooSmallWindowSaysWhatItNeeds(t *testing.T) {
	for _, size := range [][2]int{{19, 8}, {12, 6}, {80, 5}} {
		m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(1), 100)), size[0], size[1])
		v := m.View()
		lines := strings.Split(v, "\n")
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > size[0] {
				t.Errorf("%v: line %q too wide", size, l)
			}
		}
		if joined := strings.Join(strings.Fields(v), " "); !strings.Contains(joined, "needs a window of at least 20x8") {
			t.Errorf("%v: %q", size, joined)
		}
	}
}

// TestHeaderKeepsThePeriodWithABareGroupID: opened with --group ID and no
// name, the header still shows the period's dates at 80 columns.
func TestHeaderKeepsThePeriodWithABareGroupID(t *testing.T) {
	opts := testOptions(newPagedFetcher(fixtureRecords(1), 100))
	opts.Query.GroupName = ""
	m := loaded(t, opts, 80, 24)
	first := strings.Split(screen(m), "\n")[0]
	if !strings.Contains(first, "2025-02-01..2025-02-28") || !strings.Contains(first, "0123456789abcdef") {
		t.Errorf("header: %q", first)
	}
	// With room, the id shows whole.
	m = loaded(t, opts, 120, 24)
	if first := strings.Split(screen(m), "\n")[0]; !strings.Contains(first, fixtureGroup) {
		t.Errorf("header at 120: %q", first)
	}
}

// TestHeaderNoteGivesWayWhole: the estimate note shortens, then goes,
// rather than ending the line in "estima…".
func TestHeaderNoteGivesWayWhole(t *testing.T) {
	for _, w := range []int{40, 60, 66, 80, 120} {
		m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(1), 100)), w, 24)
		second := strings.TrimRight(strings.Split(screen(m), "\n")[1], " ")
		if strings.Contains(second, "estima") && !strings.HasSuffix(second, "estimates") && !strings.HasSuffix(second, "until invoiced") {
			t.Errorf("%d wide: %q", w, second)
		}
	}
}
