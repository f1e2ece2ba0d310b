package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

// sgrTag matches the escape sequences a golden keeps as a readable tag.
var sgrTag = regexp.MustCompile("\x1b\\[([0-9;]*)m")

// attrScreen is the view with each SGR sequence shown as <7>, <1;4>,
// <0>: a golden that shows which attributes the terminal is sent, and so
// whether the selection survives a screen without colour.
func attrScreen(m Model) string {
	return sgrTag.ReplaceAllString(m.View(), "<$1>")
}

// TestGoldenSelectionWithoutColour: under NO_COLOR over GNU screen (the
// profile TerminalProfile picks for it) the cursor row is in reverse video
// and marked with a glyph, the current tab is bracketed and underlined,
// and the status bar says where the cursor is. Under TERM=dumb (no
// attributes at all) and --ascii the marks alone carry it.
func TestGoldenSelectionWithoutColour(t *testing.T) {
	tests := []struct {
		name  string
		term  string
		ascii bool
		keys  []string
	}{
		{"no_color_screen_80x24", "screen", false, []string{"j", "j"}},
		{"ascii_dumb_80x24", "dumb", true, []string{"j", "j"}},
		{"ascii_picker_80x24", "dumb", true, []string{"c"}},
		{"no_color_records_scrolled_80x24", "screen", false, []string{"tab", "G", "k"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noColor, profile := TerminalProfile(tt.term, false, true, termenv.Ascii)
			lipgloss.SetColorProfile(profile)
			defer lipgloss.SetColorProfile(termenv.Ascii)
			opts := testOptions(newPagedFetcher(fixtureRecords(10), 100))
			opts.NoColor, opts.ASCII = noColor, tt.ascii
			m := press(t, loaded(t, opts, 80, 24), tt.keys...)
			out := attrScreen(m)
			golden.RequireEqual(t, []byte(out))

			cursor := "▶"
			if tt.ascii {
				cursor = ">"
			}
			if !strings.Contains(out, cursor) {
				t.Errorf("no cursor mark %q:\n%s", cursor, out)
			}
			if tt.term == "screen" && !strings.Contains(out, "<7>"+cursor) {
				t.Errorf("the cursor row is not in reverse video:\n%s", out)
			}
		})
	}
}

// TestPositionAndScrollMarks: the status bar says which row of how many
// the cursor is on, and the table marks rows hidden above and below.
func TestPositionAndScrollMarks(t *testing.T) {
	m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 100)), 80, 24)
	m = press(t, m, "tab") // 280 records, 18 on screen
	lines := strings.Split(screen(m), "\n")
	if !strings.Contains(lines[len(lines)-2], "1/280") {
		t.Errorf("status %q lacks the position 1/280", lines[len(lines)-2])
	}
	if last := lines[len(lines)-3]; !strings.HasPrefix(last, " ↓ ") {
		t.Errorf("last row %q does not say more rows are below", last)
	}
	m = press(t, m, "pgdown", "pgdown")
	lines = strings.Split(screen(m), "\n")
	if first := lines[4]; !strings.HasPrefix(first, " ↑ ") && !strings.HasPrefix(first, "▶↑ ") {
		t.Errorf("first row %q does not say rows are hidden above", first)
	}
	if !strings.Contains(lines[len(lines)-2], "/280") || strings.Contains(lines[len(lines)-2], " 1/280") {
		t.Errorf("status %q does not follow the cursor", lines[len(lines)-2])
	}
}
