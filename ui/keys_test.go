package ui

import (
	"strings"
	"testing"
)

// TestHelpListsPeriodStepsAndLoadAll: at the newest period and with every
// page loaded (the demo's first screen), help still tells about ] and L,
// and pressing them says why nothing happens instead of doing nothing.
func TestHelpListsPeriodStepsAndLoadAll(t *testing.T) {
	opts := testOptions(newPagedFetcher(fixtureRecords(10), 1000))
	opts.Query.Period = "THIS_MONTH"
	m := loaded(t, opts, 80, 24)
	if !m.store.Done() {
		t.Fatal("fixture should load in one page")
	}
	help := screen(press(t, m, "?"))
	for _, want := range []string{"]  next period", "[  previous period", "L  load all"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	gen := m.gen
	m = press(t, m, "]")
	if m.gen != gen || !strings.Contains(screen(m), "no later period") {
		t.Errorf("] at the newest period: generation %d→%d, screen:\n%s", gen, m.gen, screen(m))
	}
	m = press(t, m, "L")
	if !strings.Contains(screen(m), "every page is loaded") {
		t.Errorf("L with everything loaded says nothing:\n%s", screen(m))
	}
}
