package snapshot

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

func TestChangesSinceTheLastLookAndDriftOfClosedDays(t *testing.T) {
	s := openTemp(t)
	// Monday's look: November, asOf the 30th (its last day still open).
	nov := rng("2026-11-01", "2026-11-30")
	if err := s.SaveWindow(dailyKey, nov, monday, day("2026-11-30"), demoRecords(dailyKey, nov)); err != nil {
		t.Fatal(err)
	}
	// Tuesday's refresh of the last week plus a new day: one closed day
	// restated up, the open day grown, one closed day's record withdrawn.
	week := rng("2026-11-24", "2026-12-01")
	fresh := demoRecords(dailyKey, week)
	var restated, grown, withdrawn api.Record
	var kept []api.Record
	for _, r := range fresh {
		switch {
		case r.StartDate == day("2026-11-25") && restated.ProductName == "":
			r.Price.Amount = api.DecimalOf(r.Price.Amount.Decimal().Add(decimal.RequireFromString("12.5")))
			restated = r
		case r.StartDate == day("2026-11-30") && grown.ProductName == "" && r.ProductName != restated.ProductName:
			r.Price.Amount = api.DecimalOf(r.Price.Amount.Decimal().Add(decimal.RequireFromString("3")))
			grown = r
		case r.StartDate == day("2026-11-26") && withdrawn.ProductName == "" && r.ProductName != restated.ProductName && r.ProductName != grown.ProductName:
			withdrawn = r
			continue
		}
		kept = append(kept, r)
	}
	if err := s.SaveWindow(dailyKey, week, tuesday, day("2026-12-01"), kept); err != nil {
		t.Fatal(err)
	}

	diff, err := s.Changes(dailyKey, rng("2026-11-01", "2026-12-01"))
	if err != nil {
		t.Fatal(err)
	}
	if !diff.Since.Equal(monday) || fmt.Sprint(diff.Compared) != "[2026-11-24..2026-12-01]" {
		t.Fatalf("since %v over %v; want Monday's look over the refreshed days", diff.Since, diff.Compared)
	}
	// What each product should show: its new day's cost plus what moved.
	type want struct{ change, drift decimal.Decimal }
	wants := map[string]*want{}
	for _, r := range demoRecords(dailyKey, rng("2026-12-01", "2026-12-01")) {
		wants[r.ProductName] = &want{change: r.Price.Amount.Decimal()}
	}
	at := func(name string) *want {
		if wants[name] == nil {
			wants[name] = &want{}
		}
		return wants[name]
	}
	at(restated.ProductName).change = at(restated.ProductName).change.Add(decimal.RequireFromString("12.5"))
	at(restated.ProductName).drift = decimal.RequireFromString("12.5")
	at(grown.ProductName).change = at(grown.ProductName).change.Add(decimal.RequireFromString("3"))
	at(withdrawn.ProductName).change = at(withdrawn.ProductName).change.Sub(withdrawn.Price.Amount.Decimal())
	at(withdrawn.ProductName).drift = withdrawn.Price.Amount.Decimal().Neg()

	for _, pc := range diff.Products {
		w := at(pc.Product)
		if !pc.Change.Equal(w.change) || !pc.Drift.Equal(w.drift) || !pc.Now.Sub(pc.Before).Equal(pc.Change) {
			t.Errorf("%s: change %s drift %s (now %s before %s), want change %s drift %s",
				pc.Product, pc.Change, pc.Drift, pc.Now, pc.Before, w.change, w.drift)
		}
		delete(wants, pc.Product)
	}
	for name, w := range wants {
		if !w.change.IsZero() {
			t.Errorf("%s missing from the changes (want %s)", name, w.change)
		}
	}
}

func TestNoChangesWithoutAPreviousLook(t *testing.T) {
	s := openTemp(t)
	save(t, s, dailyKey, monday, rng("2026-11-01", "2026-11-30"))
	diff, err := s.Changes(dailyKey, rng("2026-11-01", "2026-11-30"))
	if err != nil || !diff.Since.IsZero() || len(diff.Products) != 0 || len(diff.Compared) != 0 {
		t.Fatalf("diff %+v, err %v; want nothing to compare", diff, err)
	}
}
