package ui

import (
	"strings"
	"testing"
)

// TestHelpExplainsTheScreen: ? explains the figures and marks of the view
// it was opened over (scrolling at 80x24), and in the detail lists j/k.
func TestHelpExplainsTheScreen(t *testing.T) {
	m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 1000)), 80, 24)
	m = press(t, m, "?", "pgdown", "pgdown")
	v := screen(m)
	for _, want := range []string{"Change", "previous period", "Share", "⚠", "Trend", "from zero"} {
		if !strings.Contains(v, want) {
			t.Errorf("Products help lacks %q:\n%s", want, v)
		}
	}
	m = press(t, m, "esc", "tab", "tab", "?", "pgdown", "pgdown")
	if v := screen(m); !strings.Contains(v, "Score") || !strings.Contains(v, "standard deviations") {
		t.Errorf("Anomalies help does not explain Score:\n%s", v)
	}
	m = press(t, m, "esc", "shift+tab", "shift+tab", "enter")
	if v := screen(m); !strings.Contains(v, "j/k next/previous product") {
		t.Errorf("the detail's key line lacks j/k:\n%s", v)
	}
	m = press(t, m, "?")
	if v := screen(m); !strings.Contains(v, "j/k") {
		t.Errorf("the detail's help lacks j/k:\n%s", v)
	}
	m = press(t, m, "esc", "s")
	if !strings.Contains(m.flash, "esc goes back") {
		t.Errorf("s in the detail says %q", m.flash)
	}
}
