package snapshot

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/api/window"
)

// loadInto runs a windowed load of ranges from the simulated API and saves
// every completed window, as the dashboard and the export do.
func loadInto(t *testing.T, s *Store, c *api.Client, key QueryKey, at time.Time, ranges []window.Range) {
	t.Helper()
	q := window.Query{GroupID: key.GroupID, Category: key.Category, Aggregation: key.Aggregation, Ranges: ranges}
	var saveErr error
	_, err := window.Load(context.Background(), c, q, window.Options{}, func(e window.Event) {
		if e.Kind == window.WindowDone && saveErr == nil {
			saveErr = s.SaveWindow(key, e.Window, at, e.AsOf, e.Records)
		}
	})
	if err != nil || saveErr != nil {
		t.Fatalf("load: %v; save: %v", err, saveErr)
	}
}

func TestAWindowedLoadReopensFromTheStore(t *testing.T) {
	run, err := fakeapi.Start(fakeapi.Options{Now: func() time.Time { return today.Time().Add(15 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	c, err := api.New(api.Config{BaseURL: run.BaseURL, TokenURL: run.TokenURL,
		ClientID: fakeapi.DemoClientID, ClientSecret: fakeapi.DemoClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	for _, agg := range []api.Aggregation{api.Daily, api.Monthly} {
		t.Run(string(agg), func(t *testing.T) {
			s := openTemp(t)
			key := QueryKey{Source: run.BaseURL, GroupID: fakeapi.DemoGroupAcmeUK, Aggregation: agg}
			year := rng("2025-12-03", "2026-12-02")
			loadInto(t, s, c, key, monday, []window.Range{year})

			snap, err := s.Load(key, year)
			if err != nil {
				t.Fatal(err)
			}
			wire := fetchAll(t, c, key, year)
			sameRecords(t, snap.Records, wire)
			plan := snap.Refetch(today, DefaultHorizonDays)
			want := "[2026-11-26..2026-12-02]"
			if agg == api.Monthly {
				want = "[2026-11-01..2026-12-02]"
			}
			if fmt.Sprint(plan) != want {
				t.Fatalf("refetch plan %v, want %s", plan, want)
			}

			// The refresh fetches only the plan; nothing moved, so nothing
			// changed since the last look.
			requests := run.Server.Stats().RecordsRequests
			loadInto(t, s, c, key, tuesday, plan)
			if n := run.Server.Stats().RecordsRequests - requests; n > 2 {
				t.Errorf("the refresh took %d requests", n)
			}
			snap, err = s.Load(key, year)
			if err != nil {
				t.Fatal(err)
			}
			sameRecords(t, snap.Records, wire)
			diff, err := s.Changes(key, year)
			if err != nil || !diff.Since.Equal(monday) || fmt.Sprint(diff.Compared) != want {
				t.Fatalf("diff since %v over %v (%v); want Monday over %s", diff.Since, diff.Compared, err, want)
			}
			for _, pc := range diff.Products {
				if !pc.Change.IsZero() || !pc.Drift.IsZero() {
					t.Errorf("%s changed by %s (drift %s) though nothing moved", pc.Product, pc.Change, pc.Drift)
				}
			}
		})
	}
}

// fetchAll pages through key over r in one query: what the API says.
func fetchAll(t *testing.T, c *api.Client, key QueryKey, r window.Range) []api.Record {
	t.Helper()
	var recs []api.Record
	req := api.RecordsRequest{GroupID: key.GroupID, StartDate: r.From, EndDate: r.To, Category: key.Category,
		Aggregation: key.Aggregation, PageSize: api.MaxPageSize}
	if err := c.FetchAll(context.Background(), req, func(p *api.Page) error {
		recs = append(recs, p.Records...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return recs
}
