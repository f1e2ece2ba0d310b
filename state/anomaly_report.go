package state

import (
	"cmp"
	"slices"
)

// DetectAllAnomalies runs DetectAnomalies over every product and returns
// every flagged day, biggest money impact first (SortAnomaliesByImpact),
// with each product's result in the order of ins.
func DetectAllAnomalies(ins []AnomalyInput, w AnomalyWindow, cfg DetectorConfig) ([]Anomaly, []AnomalyResult) {
	results := make([]AnomalyResult, len(ins))
	var rows []Anomaly
	for k, in := range ins {
		results[k] = DetectAnomalies(in, w, cfg)
		rows = append(rows, results[k].Anomalies...)
	}
	SortAnomaliesByImpact(rows)
	return rows, results
}

// SortAnomaliesByImpact orders rows as the Anomalies view lists them: the
// largest absolute money impact first (a stop of $400 outranks a spike of
// $300), then the latest date, then product name, so the order is stable.
// Impacts in different currencies are compared by number alone.
func SortAnomaliesByImpact(rows []Anomaly) {
	slices.SortStableFunc(rows, func(a, b Anomaly) int {
		if c := b.Impact.Abs().Cmp(a.Impact.Abs()); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Date, a.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.ProductName, b.ProductName)
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
