package state

import (
	"errors"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// ErrNeedsDaily says anomaly detection was asked of MONTHLY data: the
// detector judges days, so it needs the query's DAILY records.
var ErrNeedsDaily = errors.New("anomaly detection needs DAILY data; press a for DAILY (export fetches it itself)")

// HistoryQuery returns the query for the baseline history of q: the days
// DetectorHistory asks for before q's period, DAILY, same group and
// category, cut to the api.MaxRangeDays nearest the period so it is one
// valid request (a caller that splits requests can use DetectorHistory
// whole). It is a separate query so the first days of a period are judged
// against real history.
func HistoryQuery(q Query, today api.Date, cfg DetectorConfig) Query {
	from, to := DetectorHistory(q, today, cfg)
	h := q
	h.Period = ""
	h.From, h.To = max(from, to-api.MaxRangeDays+1), to
	h.Aggregation = api.Daily
	return h
}

// StoreAnomalies is what detection found over one loaded query.
type StoreAnomalies struct {
	// Anomalies are every flagged product-day and group finding, largest
	// money impact first: the export's per-day rows.
	Anomalies []Anomaly
	// Incidents are the Anomalies view's rows: consecutive flagged days
	// of a product as one, group findings on their own, largest money
	// impact first.
	Incidents []Incident
	// Results holds each product's detector result, by key.
	Results map[ProductKey]AnomalyResult
}

// DetectStore runs the detector over every product of period, a DAILY
// store, using history (the HistoryQuery store, or nil when there is none)
// as the lookback, the group's shared days read across all of them
// (DetectGroupAnomalies). Products seen only in history are judged too: a cost
// that stops at the period start is an anomaly. The window is the period's
// bounds cut back to asOf and before today.
func DetectStore(period, history *Store, today api.Date, cfg DetectorConfig) (StoreAnomalies, error) {
	if period.Query().Agg() != api.Daily || (history != nil && history.Query().Agg() != api.Daily) {
		return StoreAnomalies{}, ErrNeedsDaily
	}
	from, to := period.Bounds()
	seriesStart := from
	var lookback int
	if history != nil {
		hFrom, hTo := history.Bounds()
		if hTo == from-1 {
			seriesStart, lookback = hFrom, int(from-hFrom)
		}
	}
	asOf := period.AsOf()
	if asOf.IsZero() {
		asOf = to
	}
	window := AnomalyWindow{From: from, To: to, AsOf: asOf, Today: today}

	type pair struct{ hist, cur *ProductRollup }
	byKey := map[ProductKey]*pair{}
	var order []ProductKey
	add := func(rows []ProductRollup, isHist bool) {
		for i := range rows {
			k := rows[i].Key()
			p := byKey[k]
			if p == nil {
				p = &pair{}
				byKey[k] = p
				order = append(order, k)
			}
			if isHist {
				p.hist = &rows[i]
			} else {
				p.cur = &rows[i]
			}
		}
	}
	add(period.Products(), false)
	if lookback > 0 {
		add(history.Products(), true)
	}

	out := StoreAnomalies{Results: make(map[ProductKey]AnomalyResult, len(order))}
	days := lookback + api.DaysInclusive(from, to)
	ins := make([]AnomalyInput, 0, len(order))
	for _, k := range order {
		p := byKey[k]
		daily := make([]decimal.Decimal, days)
		if p.hist != nil {
			for i := 0; i < lookback && i < p.hist.Points(); i++ {
				daily[i] = p.hist.DailyCost(i)
			}
		}
		if p.cur != nil {
			for i := 0; i < p.cur.Points() && lookback+i < days; i++ {
				daily[lookback+i] = p.cur.DailyCost(i)
			}
		}
		ins = append(ins, AnomalyInput{
			ProductName: k.Name, ProductCategory: k.Category, Currency: k.Currency,
			Start: seriesStart, Daily: daily,
		})
	}
	rep := DetectGroupAnomalies(ins, window, cfg)
	for n, k := range order {
		out.Results[k] = rep.Results[n]
	}
	out.Anomalies, out.Incidents = rep.Anomalies, rep.Incidents
	return out, nil
}
