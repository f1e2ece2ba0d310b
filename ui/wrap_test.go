package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func TestWrapFillsLinesExactly(t *testing.T) {
	tests := []struct {
		s    string
		w    int
		want []string
	}{
		// ansi.Wrap keeps the space it broke at: 41 cells on a 40-cell line.
		{"  Sun cost stopped, weekday median $314; -$314", 40, []string{"  Sun cost stopped, weekday median $314;", "-$314"}},
		// A URL is not broken at its slashes.
		{"see https://www.twilio.com/docs/errors/20003 now", 42, []string{"see", "https://www.twilio.com/docs/errors/20003", "now"}},
	}
	for _, tt := range tests {
		got := wrap(tt.s, tt.w)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
	// Wider than a line, a word is cut.
	for _, l := range wrap("https://www.twilio.com/docs/errors/20003", 20) {
		if ansi.StringWidth(l) > 20 {
			t.Errorf("line %q is wider than 20", l)
		}
	}
}

// TestDetailPanelShowsTheWholeReason: beside the chart, a reason longer
// than the panel wraps onto the next lines, whole, and no line leaves a
// colour open for the chart of the next line.
func TestDetailPanelShowsTheWholeReason(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)

	key := state.ProductKey{Name: "P", Category: "cat", Currency: "USD"}
	today := api.NewDate(2025, 3, 20)
	q := state.Query{GroupID: fixtureGroup, Period: api.LastMonth}
	g := generationOf(t, q, today, dayRecords("P", api.NewDate(2025, 2, 1), repeat("314", 28)))
	reason := "Sun cost stopped, weekday median $314; -$314 and then some more words to wrap"
	found := &state.StoreAnomalies{Anomalies: []state.Anomaly{{
		ProductName: "P", ProductCategory: "cat", Currency: "USD", Date: api.NewDate(2025, 2, 23),
		Kind: state.AnomalyStop, Actual: decimal.Zero, Expected: decimal.NewFromInt(314), Impact: decimal.NewFromInt(-314),
		ImpactPercent: -100, Score: 60, Reason: reason,
	}}}
	in := detailInput{product: key, g: g, found: found, width: 160, height: 40}
	out := newDetailView(&theme{styles: NewStyles(nil, false, false), glyphs: newGlyphs(false)}).View(in)

	var panel []string
	for _, l := range strings.Split(out, "\n") {
		if i := strings.LastIndex(l, "│"); i >= 0 {
			panel = append(panel, strings.TrimSpace(ansi.Strip(l[i+len("│"):])))
		}
		if last := sgr.FindAllString(l, -1); len(last) > 0 && last[len(last)-1] != "\x1b[0m" && last[len(last)-1] != "\x1b[m" {
			t.Errorf("line leaves a style open (%q): %q", last[len(last)-1], l)
		}
	}
	joined := strings.Join(strings.Fields(strings.Join(panel, " ")), " ")
	if !strings.Contains(joined, reason) {
		t.Errorf("the panel does not hold the whole reason %q:\n%s", reason, strings.Join(panel, "\n"))
	}
	if strings.Contains(joined, "…") {
		t.Errorf("the panel cut something:\n%s", strings.Join(panel, "\n"))
	}
}
