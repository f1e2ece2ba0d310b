package snapshot

import (
	"fmt"
	"testing"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
)

func TestRefetchFetchesOnlyWhatCanStillChange(t *testing.T) {
	year := rng("2025-12-03", "2026-12-02")
	stored := func(r window.Range, asOf string) WindowInfo { return WindowInfo{Range: r, AsOf: day(asOf)} }
	tests := []struct {
		name    string
		snap    Snapshot
		horizon int
		want    string
	}{
		{"nothing stored: everything", Snapshot{Range: year, Missing: []window.Range{year}}, 7,
			"[2025-12-03..2026-12-02]"},
		{"all stored: the last week", Snapshot{Range: year, Windows: []WindowInfo{stored(year, "2026-12-02")}}, 7,
			"[2026-11-26..2026-12-02]"},
		{"horizon 0: nothing", Snapshot{Range: year, Windows: []WindowInfo{stored(year, "2026-12-02")}}, 0,
			"[]"},
		{"days after the window's asOf were not in yet", Snapshot{Range: rng("2026-11-01", "2026-11-30"),
			Windows: []WindowInfo{stored(rng("2026-11-01", "2026-11-30"), "2026-11-20")}}, 0,
			"[2026-11-21..2026-11-30]"},
		{"a hole and the last week", Snapshot{Range: year,
			Windows: []WindowInfo{stored(rng("2025-12-03", "2026-05-31"), "2026-06-01"), stored(rng("2026-07-01", "2026-12-02"), "2026-12-02")},
			Missing: []window.Range{rng("2026-06-01", "2026-06-30")}}, 7,
			"[2026-06-01..2026-06-30 2026-11-26..2026-12-02]"},
		{"a past range is never refetched", Snapshot{Range: rng("2026-01-01", "2026-03-31"),
			Windows: []WindowInfo{stored(rng("2026-01-01", "2026-03-31"), "2026-04-02")}}, 7,
			"[]"},
		{"MONTHLY: the last week is the whole month, clipped", Snapshot{Range: rng("2026-01-15", "2026-12-02"), Aggregation: api.Monthly,
			Windows: []WindowInfo{stored(rng("2026-01-15", "2026-12-02"), "2026-12-02")}}, 7,
			"[2026-11-01..2026-12-02]"},
		{"MONTHLY: a missing day costs its month", Snapshot{Range: rng("2026-01-15", "2026-06-30"), Aggregation: api.Monthly,
			Windows: []WindowInfo{stored(rng("2026-01-15", "2026-06-30"), "2026-07-01")},
			Missing: []window.Range{rng("2026-01-20", "2026-01-20")}}, 7,
			"[2026-01-15..2026-01-31]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.snap.Aggregation == "" {
				tt.snap.Aggregation = api.Daily
			}
			if got := fmt.Sprint(tt.snap.Refetch(today, tt.horizon)); got != tt.want {
				t.Errorf("Refetch = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRefetchPlanLoadedFromTheStore(t *testing.T) {
	s := openTemp(t)
	year := rng("2025-12-03", "2026-12-02")
	// A load stopped after two windows: the rest is missing.
	save(t, s, dailyKey, monday, rng("2025-12-03", "2026-02-28"), rng("2026-03-01", "2026-05-31"))
	snap, err := s.Load(dailyKey, year)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(snap.Refetch(today, DefaultHorizonDays)); got != "[2026-06-01..2026-12-02]" {
		t.Errorf("Refetch = %s", got)
	}
}
