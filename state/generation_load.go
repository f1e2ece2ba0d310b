package state

import (
	"context"
	"fmt"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
	"github.com/usagetop/usagetop/state/snapshot"
)

// WindowLoad says how LoadWindows fills a generation: from the snapshot
// store, and by fetching date windows concurrently.
type WindowLoad struct {
	// Pager fetches a window page by page (*api.Client).
	Pager window.Pager
	// Store is the snapshot store; nil loads everything from the API.
	Store *snapshot.Store
	// Source names the API the snapshots came from (its base URL), so a
	// snapshot of one account is never shown for another.
	Source string
	// Offline loads from the store alone; Refresh fetches every window
	// again, whatever the store holds.
	Offline, Refresh bool
	// HorizonDays are the last days refetched even when stored, since
	// Twilio's figures are estimates until invoiced (0: a week).
	HorizonDays int
	PageSize    int
	Window      window.Options
	// Progress, when set, hears every event of the windowed loads.
	Progress func(Part, window.Event)
}

// LoadWindows fills every part of g that want names, to completion: what
// the snapshot store holds, then the windows it lacks (and the last days,
// which can still change) fetched concurrently and saved. Each part's
// records come back from the store in date order, so a file written from
// them is the same online and --offline. Offline, a part the store does not
// wholly hold is an error naming the days it lacks.
func (g *Generation) LoadWindows(ctx context.Context, wl WindowLoad, want Want) error {
	if g.invalid != nil {
		return g.invalid
	}
	for _, p := range Parts {
		s := g.stores[p]
		if s == nil || s.Done() || (p == PartPeriod && !want.Period) || (p != PartPeriod && !want.Figures) {
			continue
		}
		if err := g.loadPartWindows(ctx, p, s, wl); err != nil {
			return err
		}
		g.version++
	}
	return nil
}

func (g *Generation) loadPartWindows(ctx context.Context, p Part, s *Store, wl WindowLoad) error {
	q := s.Query()
	start, end := s.Bounds()
	r := window.Range{From: start, To: end}
	key := snapshot.QueryKey{Source: wl.Source, GroupID: q.GroupID, Category: q.Category, Aggregation: q.Agg()}
	plan := []window.Range{r}
	if wl.Store != nil && !wl.Refresh {
		snap, err := wl.Store.Load(key, r)
		if err != nil {
			return fmt.Errorf("%s: the snapshot store: %w", p, err)
		}
		horizon := wl.HorizonDays
		if horizon <= 0 {
			horizon = snapshot.DefaultHorizonDays
		}
		plan = snap.Refetch(g.today, horizon)
		if wl.Offline {
			if !snap.Complete() {
				return fmt.Errorf("%s: offline, and the snapshot store lacks %s of %s; run once without --offline", p, window.Join(snap.Missing), r)
			}
			plan = nil
		}
	} else if wl.Offline {
		return fmt.Errorf("offline needs the snapshot store, and there is none")
	}
	var fetched []api.Record
	asOf := api.Date(0)
	if len(plan) > 0 {
		wq := window.Query{GroupID: q.GroupID, Category: q.Category, Aggregation: q.Agg(), PageSize: wl.PageSize, Ranges: plan}
		var saveErr error
		_, err := window.Load(ctx, wl.Pager, wq, wl.Window, func(e window.Event) {
			if wl.Progress != nil {
				wl.Progress(p, e)
			}
			if e.Kind != window.WindowDone {
				return
			}
			asOf = max(asOf, e.AsOf)
			if wl.Store == nil {
				fetched = append(fetched, e.Records...)
				return
			}
			if err := wl.Store.SaveWindow(key, e.Window, e.FetchedAt, e.AsOf, e.Records); err != nil && saveErr == nil {
				saveErr = err
			}
		})
		if err != nil {
			return loadError(p, s, err)
		}
		if saveErr != nil {
			return fmt.Errorf("%s: saving to the snapshot store: %w", p, saveErr)
		}
	}
	if wl.Store != nil {
		snap, err := wl.Store.Load(key, r)
		if err != nil {
			return fmt.Errorf("%s: the snapshot store: %w", p, err)
		}
		if !snap.Complete() {
			return fmt.Errorf("%s: the snapshot store still lacks %s after loading it", p, window.Join(snap.Missing))
		}
		fetched = snap.Records
		for _, w := range snap.Windows {
			asOf = max(asOf, w.AsOf)
		}
	}
	s.Fill(fetched, asOf)
	return nil
}
