package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/snapshot"
)

// runUntil runs the program's messages through Update until done holds
// (every message, timers included), or fails after a while. One out
// channel serves a model's whole life, as one program loop would: a
// listener started earlier delivers there.
func runUntil(t *testing.T, out chan tea.Msg, m Model, cmd tea.Cmd, done func(Model) bool) Model {
	t.Helper()
	runCmd(cmd, out)
	deadline := time.After(20 * time.Second)
	for !done(m) {
		select {
		case msg := <-out:
			if msg == nil {
				continue
			}
			tm, c := m.Update(msg)
			m = tm.(Model)
			runCmd(c, out)
		case <-deadline:
			t.Fatalf("not done:\n%s", screen(m))
		}
	}
	return m
}

// everyPartLoaded: every part of the generation complete, and judged.
func everyPartLoaded(m Model) bool {
	for _, p := range state.Parts {
		if s := m.g.Store(p); s != nil && !s.Done() {
			return false
		}
	}
	return m.anomalies != nil && len(m.winProgress) == 0
}

// TestWindowedLoadReopensFromTheSnapshotStore: the first start loads
// every part in date windows and saves them; the second shows the same
// figures from the store and, the period being closed, asks the API for
// nothing.
func TestWindowedLoadReopensFromTheSnapshotStore(t *testing.T) {
	opts, run := startDemo(t, fakeapi.Faults{})
	store, err := snapshot.Open(filepath.Join(t.TempDir(), "snapshots.db"), snapshot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	opts.Windows = &WindowOptions{Pager: opts.Fetcher.(*api.Client), Store: store, Source: run.BaseURL}

	m := New(opts)
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m = runUntil(t, make(chan tea.Msg, 1024), tm.(Model), m.Init(), everyPartLoaded)
	first, total := m.store.Len(), m.g.Figures().Total("USD")
	asked := run.Server.Stats().RecordsRequests
	if first == 0 || asked == 0 {
		t.Fatalf("%d records after %d requests", first, asked)
	}

	m2 := New(opts)
	tm, _ = m2.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	out := make(chan tea.Msg, 1024)
	m2 = runUntil(t, out, tm.(Model), m2.Init(), everyPartLoaded)
	if m2.store.Len() != first || !m2.g.Figures().Total("USD").Equal(total) {
		t.Errorf("reopened %d records, total %s; want %d, %s", m2.store.Len(), m2.g.Figures().Total("USD"), first, total)
	}
	if again := run.Server.Stats().RecordsRequests; again != asked {
		t.Errorf("reopening a closed month asked the API %d more times", again-asked)
	}
	if v := screen(m2); !strings.Contains(v, "all "+formatCount(first)+" records") {
		t.Errorf("status after reopening:\n%s", v)
	}

	// r fetches every window again, and says what changed since the
	// first fetch: nothing, the simulated API being steady.
	tm, cmd := m2.Update(keyMsg("r"))
	m2 = runUntil(t, out, tm.(Model), cmd, func(m Model) bool { return everyPartLoaded(m) && m.since != "" })
	if run.Server.Stats().RecordsRequests == asked {
		t.Error("r asked the API for nothing")
	}
	if v := screen(m2); !strings.Contains(v, "since just now: $0.00") || m2.store.Len() != first {
		t.Errorf("after r: %d records, status:\n%s", m2.store.Len(), v)
	}
	// d shows each product's change since the last fetch in the Change
	// column, and d again the change against the previous period.
	m2 = press(t, m2, "d")
	rows := strings.Split(screen(m2), "\n")
	if !strings.Contains(rows[3], "since just now") || !strings.Contains(rows[4], "$0.00") || strings.Count(rows[4], "%") != 1 { // the share, and no change percent
		t.Errorf("after d:\n%s", strings.Join(rows, "\n"))
	}
	m2 = press(t, m2, "d")
	if v := screen(m2); !strings.Contains(v, "Change") {
		t.Errorf("after d again:\n%s", v)
	}
}

// TestEscStopsAWindowedLoadKeepingWhatArrived: esc during a slow load of
// a year cancels every window in flight; the windows that arrived stay on
// screen, the period is marked partial, and the status says r loads again.
func TestEscStopsAWindowedLoadKeepingWhatArrived(t *testing.T) {
	opts, run := startDemo(t, fakeapi.Faults{Latency: 150 * time.Millisecond})
	store, err := snapshot.Open(filepath.Join(t.TempDir(), "snapshots.db"), snapshot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	opts.Windows = &WindowOptions{Pager: opts.Fetcher.(*api.Client), Store: store, Source: run.BaseURL}
	opts.Query = state.Last12Months.Apply(opts.Query, opts.Today())
	m := New(opts)
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	out := make(chan tea.Msg, 1024)
	m = runUntil(t, out, tm.(Model), m.Init(), func(m Model) bool { return m.store.Len() > 0 })
	tm, c := m.Update(keyMsg("esc"))
	m = runUntil(t, out, tm.(Model), c, func(m Model) bool { return m.store.Err() != nil })
	if m.store.Done() || m.store.Len() == 0 {
		t.Errorf("after esc: done %v with %d records; want partial, kept", m.store.Done(), m.store.Len())
	}
	if v := screen(m); !strings.Contains(v, "stopped (esc)") {
		t.Errorf("status after esc:\n%s", v)
	}

	// The next start fetches what the stopped load lacks (plan: the
	// snapshot's Refetch, tested in state/snapshot) and ends with the
	// records a plain paged load of the year has.
	asked := run.Server.Stats().RecordsRequests
	m2 := New(opts)
	tm, _ = m2.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m2 = runUntil(t, make(chan tea.Msg, 1024), tm.(Model), m2.Init(), everyPartLoaded)
	resumed := run.Server.Stats().RecordsRequests - asked
	want := state.NewGeneration(1, opts.Query, opts.Today(), state.DefaultDetectorConfig())
	if err := want.Run(context.Background(), opts.Fetcher.FetchPage, 1000, state.Want{Period: true}); err != nil {
		t.Fatal(err)
	}
	if m2.store.Len() != want.Period().Len() || !m2.store.Totals()[0].Cost.Equal(want.Period().Totals()[0].Cost) {
		t.Errorf("resumed: %d records %v; a paged load has %d %v", m2.store.Len(), m2.store.Totals(), want.Period().Len(), want.Period().Totals())
	}
	if resumed == 0 {
		t.Error("the resumed load asked the API for nothing")
	}
}

// TestOfflineShowsTheStoreAndSaysWhatItLacks: --offline shows a stored
// query without a request, and for one never stored says which days the
// store lacks.
func TestOfflineShowsTheStoreAndSaysWhatItLacks(t *testing.T) {
	opts, run := startDemo(t, fakeapi.Faults{})
	store, err := snapshot.Open(filepath.Join(t.TempDir(), "snapshots.db"), snapshot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	w := &WindowOptions{Pager: opts.Fetcher.(*api.Client), Store: store, Source: run.BaseURL, Offline: true}
	opts.Windows = w
	failed := func(m Model) bool { return m.store.Err() != nil }
	m := New(opts)
	m = runUntil(t, make(chan tea.Msg, 1024), m, m.Init(), failed)
	if err := m.store.Err(); !strings.Contains(err.Error(), "offline: the snapshot store lacks 2026-02-01..2026-02-28 of the period") {
		t.Errorf("offline with an empty store: %v", err)
	}
	if n := run.Server.Stats().RecordsRequests; n != 0 {
		t.Errorf("offline sent %d records requests", n)
	}

	opts.Windows = &WindowOptions{Pager: w.Pager, Store: store, Source: run.BaseURL}
	m = New(opts)
	m = runUntil(t, make(chan tea.Msg, 1024), m, m.Init(), everyPartLoaded)
	want, asked := m.store.Len(), run.Server.Stats().RecordsRequests
	opts.Windows = &WindowOptions{Pager: w.Pager, Store: store, Source: run.BaseURL, Offline: true}
	m = New(opts)
	m = runUntil(t, make(chan tea.Msg, 1024), m, m.Init(), func(m Model) bool { return m.store.Done() })
	if m.store.Len() != want || run.Server.Stats().RecordsRequests != asked {
		t.Errorf("offline: %d records (want %d), %d more requests", m.store.Len(), want, run.Server.Stats().RecordsRequests-asked)
	}
}
