package ui

import (
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api"
)

// TestRollingPresetIsSentAsARangeAndSteps: LAST_30_DAYS from the period
// picker asks the API for its dates, the header names the preset, and [
// steps back thirty days.
func TestRollingPresetIsSentAsARangeAndSteps(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := loaded(t, testOptions(f), 100, 24)
	m = press(t, m, "p", "LAST_30", "enter")
	reqs := f.mainRequests(m.query)
	if len(reqs) == 0 {
		t.Fatal("no request for LAST_30_DAYS")
	}
	want := api.RecordsRequest{StartDate: fixtureToday - 30, EndDate: fixtureToday - 1}
	if r := reqs[len(reqs)-1]; r.Period != "" || r.StartDate != want.StartDate || r.EndDate != want.EndDate {
		t.Errorf("request %+v, want the custom range %s..%s", r, want.StartDate, want.EndDate)
	}
	if v := screen(m); !strings.Contains(strings.Split(v, "\n")[0], "LAST_30_DAYS") {
		t.Errorf("header does not name the preset:\n%s", v)
	}
	if line := m.commandLine(); !strings.Contains(line, "--period LAST_30_DAYS") || strings.Contains(line, "--from") {
		t.Errorf("y copies %q, want the preset", line)
	}
	m = press(t, m, "[")
	if m.query.From != fixtureToday-60 || m.query.To != fixtureToday-31 {
		t.Errorf("[ gives %s..%s, want the thirty days before", m.query.From, m.query.To)
	}
}
