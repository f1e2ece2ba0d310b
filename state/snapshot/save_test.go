package snapshot

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
)

var (
	monday  = time.Date(2026, 11, 30, 9, 12, 0, 0, time.UTC)
	tuesday = monday.Add(24 * time.Hour)
)

func TestLoadAssemblesExactlyWhatTheAPIReturns(t *testing.T) {
	tests := []struct {
		name    string
		key     QueryKey
		saved   []window.Range
		load    window.Range
		missing string
	}{
		{"DAILY windows in any order, loaded across them", dailyKey,
			[]window.Range{rng("2026-03-01", "2026-03-31"), rng("2026-01-01", "2026-01-31"), rng("2026-02-01", "2026-02-28")},
			rng("2026-01-10", "2026-03-05"), "[]"},
		{"DAILY holes are reported", dailyKey,
			[]window.Range{rng("2026-01-01", "2026-01-31"), rng("2026-03-01", "2026-03-31")},
			rng("2025-12-25", "2026-04-02"), "[2025-12-25..2025-12-31 2026-02-01..2026-02-28 2026-04-01..2026-04-02]"},
		{"MONTHLY months clipped as the query clips them", monthlyKey,
			[]window.Range{rng("2026-01-15", "2026-03-31"), rng("2026-04-01", "2026-05-20")},
			rng("2026-01-15", "2026-05-20"), "[]"},
		{"MONTHLY windows clipped differently are not used", monthlyKey,
			[]window.Range{rng("2026-01-15", "2026-03-31"), rng("2026-04-01", "2026-05-20")},
			rng("2026-01-01", "2026-05-31"), "[2026-01-01..2026-05-31]"},
		{"MONTHLY whole months serve a range that clips none of them", monthlyKey,
			[]window.Range{rng("2026-01-01", "2026-03-31"), rng("2026-04-01", "2026-06-30")},
			rng("2026-04-01", "2026-06-30"), "[]"},
		{"nothing stored", dailyKey, nil, rng("2026-01-01", "2026-01-31"), "[2026-01-01..2026-01-31]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTemp(t)
			save(t, s, tt.key, monday, tt.saved...)
			snap, err := s.Load(tt.key, tt.load)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(snap.Missing); got != tt.missing {
				t.Fatalf("missing %s, want %s", got, tt.missing)
			}
			var want []api.Record
			for _, r := range demoRecords(tt.key, tt.load) {
				covered := true
				for _, m := range snap.Missing {
					covered = covered && !m.Contains(r.StartDate)
				}
				if covered {
					want = append(want, r)
				}
			}
			sameRecords(t, snap.Records, want)
		})
	}
}

func TestSavingAWindowReplacesTheDaysItCovers(t *testing.T) {
	s := openTemp(t)
	save(t, s, dailyKey, monday, rng("2026-11-01", "2026-11-30"))
	// Tuesday's refresh of the last week, with one product restated.
	week := rng("2026-11-24", "2026-11-30")
	fresh := demoRecords(dailyKey, week)
	fresh[0].Price.Amount = api.DecimalOf(fresh[0].Price.Amount.Decimal().Add(decimal.RequireFromString("12.5")))
	if err := s.SaveWindow(dailyKey, week, tuesday, api.DateOf(tuesday), fresh); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Load(dailyKey, rng("2026-11-01", "2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	want := append(demoRecords(dailyKey, rng("2026-11-01", "2026-11-23")), fresh...)
	sameRecords(t, snap.Records, want)
	var got []string
	for _, w := range snap.Windows {
		got = append(got, fmt.Sprintf("%s@%s", w.Range, w.FetchedAt.Format("Mon")))
	}
	if s := strings.Join(got, " "); s != "2026-11-01..2026-11-23@Mon 2026-11-24..2026-11-30@Tue" {
		t.Errorf("windows %s", s)
	}
	if !snap.Oldest().Equal(monday) {
		t.Errorf("oldest %v, want Monday's fetch", snap.Oldest())
	}
}

func TestSaveWindowRefusesRecordsOutsideIt(t *testing.T) {
	s := openTemp(t)
	recs := demoRecords(dailyKey, rng("2026-11-01", "2026-11-02"))
	err := s.SaveWindow(dailyKey, rng("2026-11-02", "2026-11-02"), monday, today, recs)
	if err == nil || !strings.Contains(err.Error(), "outside") {
		t.Fatalf("err = %v, want one naming the record outside the window", err)
	}
}

func TestQueriesDoNotMix(t *testing.T) {
	s := openTemp(t)
	save(t, s, dailyKey, monday, rng("2026-11-01", "2026-11-30"))
	for _, k := range []QueryKey{
		{Source: "https://billing.twilio.com", GroupID: dailyKey.GroupID},
		{Source: dailyKey.Source, GroupID: dailyKey.GroupID, Category: "voice"},
		{Source: dailyKey.Source, GroupID: dailyKey.GroupID, Aggregation: api.Monthly},
	} {
		snap, err := s.Load(k, rng("2026-11-01", "2026-11-30"))
		if err != nil || len(snap.Records) != 0 || snap.Complete() {
			t.Errorf("%+v: %d records, missing %v, err %v; want nothing", k, len(snap.Records), snap.Missing, err)
		}
	}
}
