package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// TestFailedReloadKeepsWhatWasLoaded: r (or re-choosing the period) while
// the API is down keeps the records on screen and says the reload failed;
// ! shows the error whole, with the request and what to do.
func TestFailedReloadKeepsWhatWasLoaded(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := loaded(t, testOptions(f), 80, 24)
	if !m.store.Done() || m.store.Len() != 280 {
		t.Fatalf("%d records loaded, want all 280", m.store.Len())
	}
	f.setDown(errRefused)
	m = press(t, m, "r")
	if m.store.Len() != 280 {
		t.Fatalf("%d records after a failed reload, want the 280 kept", m.store.Len())
	}
	v := screen(m)
	if !strings.Contains(v, "Short Code-Monthly Lease") || !strings.Contains(v, "kept what was loaded") {
		t.Errorf("the screen does not keep the rows and say so:\n%s", v)
	}
	m = press(t, m, "!")
	v = screen(m)
	for _, want := range []string{"Last errors", "first page of the period", "LAST_MONTH",
		"gave up after 5 attempts", "dial tcp 127.0.0.1:8799: connect: connection refused"} {
		if !strings.Contains(strings.ReplaceAll(v, "\n  ", " "), want) {
			t.Errorf("the ! pane lacks %q:\n%s", want, v)
		}
	}
	m = press(t, m, "esc")
	if m.mode != modeNormal {
		t.Errorf("esc left the ! pane open")
	}
}

// TestQuitFromTheFatalScreenIsAnError: a session that never got past a
// fatal error ends with an error (exit status 1), a normal one without.
func TestQuitFromTheFatalScreenIsAnError(t *testing.T) {
	f := newPagedFetcher(nil, 20)
	f.setDown(&api.Error{StatusCode: 401, TokenEndpoint: true, Message: "invalid_client"})
	m := loaded(t, testOptions(f), 80, 24)
	err := sessionErr(m)
	if !errors.Is(err, ErrSessionFailed) || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("sessionErr = %v, want ErrSessionFailed naming the cause", err)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "! details") {
		t.Errorf("the fatal screen does not offer the details:\n%s", v)
	}
	ok := loaded(t, testOptions(newPagedFetcher(fixtureRecords(1), 100)), 80, 24)
	if err := sessionErr(ok); err != nil {
		t.Errorf("a session that loaded ends with %v", err)
	}
}

// TestFailedPeriodChangeMidLoadResumes: a period change that fails while
// the old period was still loading puts it back with nothing left in
// flight, so its loading can go on.
func TestFailedPeriodChangeMidLoadResumes(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 20)
	opts := testOptions(f)
	opts.AutoloadPages = 1
	m := loaded(t, opts, 80, 24)
	if m.store.Done() || m.store.Len() == 0 {
		t.Fatalf("want a partial load, have %d records (done %v)", m.store.Len(), m.store.Done())
	}
	kept := m.store.Len()
	f.setDown(errRefused)
	m = press(t, m, "[")
	if m.query != fixtureQuery || m.store.Len() < kept {
		t.Fatalf("after the failed step: query %+v with %d records, want the old one with %d", m.query, m.store.Len(), kept)
	}
	if m.store.InFlight() && m.cancels[state.PartPeriod] == nil {
		t.Error("the restored store waits on a request nobody made")
	}
	if v := screen(m); !strings.Contains(v, "kept what was loaded") || !strings.Contains(v, "refused") {
		t.Errorf("the status does not say the step failed:\n%s", v)
	}
}
