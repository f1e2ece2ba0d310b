package snapshot

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
)

// ProductChange is how one product's cost moved between the previous
// snapshot and the current one, over the days both can speak for.
type ProductChange struct {
	Product, Category, Currency string
	// Before and Now are its cost over the compared days then and now.
	Before, Now decimal.Decimal
	// Change is Now - Before: new usage since the previous fetch plus any
	// restatement.
	Change decimal.Decimal
	// Drift is the part of Change on days that were already closed at the
	// previous fetch (ended before its asOf): estimates restated, which a
	// finance engineer wants to see before the invoice.
	Drift decimal.Decimal
}

// Diff is what changed in a query range since it was last fetched.
type Diff struct {
	// Since is when the previous snapshot was fetched (the oldest of the
	// windows compared), for "since 3 h ago"; zero when no window of the
	// range has been fetched twice.
	Since time.Time
	// Compared are the days compared: those the previous snapshot held,
	// and those that came in after it.
	Compared []window.Range
	// Products are the products with any cost on the compared days,
	// sorted by name then currency.
	Products []ProductChange
}

// Changes compares, for each stored window of key within r that has a
// previous snapshot, the current records with the previous ones: per
// product, the change in cost and the drift of closed days. Days the
// previous snapshot did not hold and that had already passed its asOf are
// left out: the user never saw them, so nothing changed "since".
func (s *Store) Changes(key QueryKey, r window.Range) (*Diff, error) {
	rows, err := s.usable(key, r)
	if err != nil {
		return nil, fmt.Errorf("reading the snapshot store: %w", err)
	}
	ctx, cancel := s.ctx()
	defer cancel()
	diff := &Diff{}
	byProduct := map[[3]string]*ProductChange{}
	add := func(rec *api.Record, now bool, closed bool) {
		k := [3]string{rec.ProductName, rec.ProductCategory, rec.Price.Currency}
		pc := byProduct[k]
		if pc == nil {
			pc = &ProductChange{Product: k[0], Category: k[1], Currency: k[2]}
			byProduct[k] = pc
		}
		amount := rec.Price.Amount.Decimal()
		if now {
			pc.Now = pc.Now.Add(amount)
		} else {
			pc.Before = pc.Before.Add(amount)
			amount = amount.Neg()
		}
		pc.Change = pc.Change.Add(amount)
		if closed {
			pc.Drift = pc.Drift.Add(amount)
		}
	}
	for _, w := range rows {
		p := w.prev
		if p == nil {
			continue
		}
		if diff.Since.IsZero() || p.fetchedAt.Before(diff.Since) {
			diff.Since = p.fetchedAt
		}
		compared := func(d api.Date) bool { return r.Contains(d) && (p.r.Contains(d) || d > p.asOf) }
		cur, err := s.decode(ctx, s.db, w.data, w.r.From)
		if err != nil {
			return nil, fmt.Errorf("reading window %s from the snapshot store %s: %w", w.r, s.path, err)
		}
		old, err := s.decode(ctx, s.db, p.data, w.r.From)
		if err != nil {
			return nil, fmt.Errorf("reading the previous snapshot of window %s from %s: %w", w.r, s.path, err)
		}
		for i := range cur {
			if d := cur[i].StartDate; compared(d) {
				add(&cur[i], true, p.r.Contains(d) && cur[i].EndDate < p.asOf)
			}
		}
		for i := range old {
			if compared(old[i].StartDate) {
				add(&old[i], false, old[i].EndDate < p.asOf)
			}
		}
		diff.Compared = appendCompared(diff.Compared, w.r, r, compared)
	}
	for _, pc := range byProduct {
		diff.Products = append(diff.Products, *pc)
	}
	slices.SortFunc(diff.Products, func(a, b ProductChange) int {
		return cmp.Or(cmp.Compare(a.Product, b.Product), cmp.Compare(a.Category, b.Category), cmp.Compare(a.Currency, b.Currency))
	})
	return diff, nil
}

// appendCompared adds the days of window w within r that were compared
// (see compared in Changes), merging runs.
func appendCompared(out []window.Range, w, r window.Range, compared func(api.Date) bool) []window.Range {
	for d := max(w.From, r.From); d <= min(w.To, r.To); d++ {
		if !compared(d) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].To+1 == d {
			out[n-1].To = d
			continue
		}
		out = append(out, window.Range{From: d, To: d})
	}
	return out
}
