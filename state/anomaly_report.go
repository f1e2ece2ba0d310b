package state

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// AnomalyReport is what detection found over one billing group.
type AnomalyReport struct {
	// Anomalies are every flagged product-day and every group finding,
	// biggest money impact first (SortAnomaliesByImpact): the export's
	// per-day rows.
	Anomalies []Anomaly
	// Incidents are the same findings as the Anomalies view lists them:
	// consecutive flagged days of one product as one incident, group
	// findings as their own, biggest money impact first.
	Incidents []Incident
	// Results holds each input's result, in the order of the inputs.
	Results []AnomalyResult
}

// DetectGroupAnomalies judges every product of a billing group in w: first
// the days most of the group's products moved together (one group finding
// each, per currency), then each product against its own history and
// those shared days (see detectProduct). Inputs should share the dates
// they cover (as DetectStore builds them) and begin where DetectorHistory
// says, so recurring charges and drift have the history they need.
func DetectGroupAnomalies(ins []AnomalyInput, w AnomalyWindow, cfg DetectorConfig) AnomalyReport {
	cfg = detectorSane(cfg)
	out := AnomalyReport{Results: make([]AnomalyResult, len(ins))}
	offset := max(cfg.MinImpact.InexactFloat64(), detectorMinOffset)
	minImpact := cfg.MinImpact.InexactFloat64()
	last := w.LastJudgeable()
	for _, idx := range anomalyCurrencies(ins) {
		sub := make([]AnomalyInput, len(idx))
		vals := make([][]float64, len(idx))
		start, end := api.Date(math.MaxInt32), api.Date(math.MinInt32)
		for n, k := range idx {
			sub[n], vals[n] = ins[k], detectorFloats(ins[k].Daily)
			if len(ins[k].Daily) > 0 {
				start = min(start, ins[k].Start)
				end = max(end, ins[k].Start.AddDays(len(ins[k].Daily)-1))
			}
		}
		end = min(end, last)
		var cal *groupCalendar
		if end >= start {
			var days []groupDay
			var clean [][]float64
			cal, days, clean = findGroupDays(sub, vals, start, int(end-start)+1, offset, minImpact)
			for _, gd := range days {
				if d := start.AddDays(gd.k); d >= w.From && d <= last {
					out.Anomalies = append(out.Anomalies, groupFinding(sub, clean, start, gd, offset))
				}
			}
		}
		detectProducts(ins, idx, vals, w, cfg, cal, out.Results)
		for _, k := range idx {
			out.Anomalies = append(out.Anomalies, out.Results[k].Anomalies...)
		}
	}
	SortAnomaliesByImpact(out.Anomalies)
	out.Incidents = BuildIncidents(out.Anomalies)
	return out
}

// detectProducts judges the products idx of ins (vals[n] the floats of
// ins[idx[n]]) into results, on every core: products are independent once
// the group's shared days are known.
func detectProducts(ins []AnomalyInput, idx []int, vals [][]float64, w AnomalyWindow, cfg DetectorConfig, cal *groupCalendar, results []AnomalyResult) {
	workers := min(runtime.GOMAXPROCS(0), len(idx))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for n := int(next.Add(1) - 1); n < len(idx); n = int(next.Add(1) - 1) {
				k := idx[n]
				results[k] = detectProduct(ins[k], w, cfg, cal, vals[n])
			}
		})
	}
	wg.Wait()
}

// anomalyCurrencies splits the inputs' indices by currency, in the order
// each currency first appears: a group's shared days are read in one
// currency, as totals are never mixed.
func anomalyCurrencies(ins []AnomalyInput) [][]int {
	var order []string
	by := map[string][]int{}
	for k, in := range ins {
		if _, ok := by[in.Currency]; !ok {
			order = append(order, in.Currency)
		}
		by[in.Currency] = append(by[in.Currency], k)
	}
	out := make([][]int, len(order))
	for n, c := range order {
		out[n] = by[c]
	}
	return out
}

// SortAnomaliesByImpact orders rows as the Anomalies view lists them: the
// largest absolute money impact first (a stop of $400 outranks a spike of
// $300), then the latest date, then product name, so the order is stable.
// Impacts in different currencies are compared by number alone.
func SortAnomaliesByImpact(rows []Anomaly) {
	slices.SortStableFunc(rows, func(a, b Anomaly) int {
		return compareByImpact(a.Impact, b.Impact, a.Date, b.Date, a.ProductName, b.ProductName)
	})
}

// Counts returns how many anomaly days each product has.
func (s StoreAnomalies) Counts() map[ProductKey]int {
	counts := map[ProductKey]int{}
	for _, a := range s.Anomalies {
		counts[ProductKey{Name: a.ProductName, Category: a.ProductCategory, Currency: a.Currency}]++
	}
	return counts
}

// compareByImpact is the Anomalies view's order of two findings (days or
// incidents): larger absolute impact, then later date, then name A to Z.
func compareByImpact(impactA, impactB decimal.Decimal, dateA, dateB api.Date, nameA, nameB string) int {
	if c := impactB.Abs().Cmp(impactA.Abs()); c != 0 {
		return c
	}
	if c := cmp.Compare(dateB, dateA); c != 0 {
		return c
	}
	return cmp.Compare(nameA, nameB)
}

// impactPercent is impact as a percentage of expected, 0 when expected is
// zero (a change from nothing has no percentage).
func impactPercent(impact, expected decimal.Decimal) float64 {
	if expected.IsZero() {
		return 0
	}
	return impact.InexactFloat64() / expected.InexactFloat64() * 100
}

// Tally counts what detection found as the Anomalies view lists it:
// product incidents (consecutive flagged days of one product) and group
// findings (days most products moved together).
func (s StoreAnomalies) Tally() (incidents, groups int) {
	for _, in := range s.Incidents {
		if in.Scope == ScopeGroup {
			groups++
		} else {
			incidents++
		}
	}
	return incidents, groups
}
