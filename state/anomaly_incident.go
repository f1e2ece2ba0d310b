package state

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// Incident is one row of the Anomalies view: consecutive flagged days of
// one product (or consecutive group findings), with their money summed.
type Incident struct {
	Scope           AnomalyScope
	ProductName     string
	ProductCategory string
	Currency        string
	// Kind is the first day's kind: what the incident started as.
	Kind AnomalyKind
	// First and Last are its first and last flagged days; Days counts them.
	First, Last api.Date
	Days        int
	// Actual, Expected and Impact are summed exactly over its days.
	Actual, Expected, Impact decimal.Decimal
	// ImpactPercent is Impact as a percentage of Expected (0 when
	// Expected is zero: see HasPercent).
	ImpactPercent float64
	// Score is the largest of its days' scores.
	Score float64
	// Reason is the first day's reason.
	Reason string
	// Anomalies are its days, oldest first.
	Anomalies []Anomaly
}

// HasPercent reports whether ImpactPercent means anything.
func (in Incident) HasPercent() bool { return !in.Expected.IsZero() }

// Product is the product row the incident belongs to (empty for a group
// finding).
func (in Incident) Product() ProductKey {
	return ProductKey{Name: in.ProductName, Category: in.ProductCategory, Currency: in.Currency}
}

// BuildIncidents merges rows into incidents: the flagged days of one
// product (or the group findings of one currency) on consecutive dates
// make one incident. Incidents come biggest absolute money impact first,
// then latest first day, then product name.
func BuildIncidents(rows []Anomaly) []Incident {
	sorted := slices.Clone(rows)
	slices.SortStableFunc(sorted, func(a, b Anomaly) int {
		if c := cmp.Compare(a.Scope, b.Scope); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Currency, b.Currency); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ProductName, b.ProductName); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ProductCategory, b.ProductCategory); c != 0 {
			return c
		}
		return cmp.Compare(a.Date, b.Date)
	})
	var out []Incident
	for n, a := range sorted {
		if k := len(out) - 1; k >= 0 && n > 0 {
			p := sorted[n-1]
			if p.Scope == a.Scope && p.Currency == a.Currency && p.ProductName == a.ProductName &&
				p.ProductCategory == a.ProductCategory && p.Date+1 == a.Date {
				out[k].add(a)
				continue
			}
		}
		out = append(out, Incident{Scope: a.Scope, ProductName: a.ProductName, ProductCategory: a.ProductCategory,
			Currency: a.Currency, Kind: a.Kind, First: a.Date, Reason: a.Reason})
		out[len(out)-1].add(a)
	}
	for k := range out {
		out[k].ImpactPercent = impactPercent(out[k].Impact, out[k].Expected)
	}
	slices.SortStableFunc(out, func(a, b Incident) int {
		return compareByImpact(a.Impact, b.Impact, a.First, b.First, a.ProductName, b.ProductName)
	})
	return out
}

// add appends day a to the incident.
func (in *Incident) add(a Anomaly) {
	in.Last = a.Date
	in.Days++
	in.Actual = in.Actual.Add(a.Actual)
	in.Expected = in.Expected.Add(a.Expected)
	in.Impact = in.Impact.Add(a.Impact)
	in.Score = max(in.Score, a.Score)
	in.Anomalies = append(in.Anomalies, a)
}
