package ui

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
)

// The detail view's figures: what state computes for a product (its
// Products row, mean, highest day, week against week, month end, budgets)
// gathered with its anomalies and chart, and laid out as labelled items.

// detailFigures are what the detail view shows of a product: its figures
// from state (the same as its Products row), its anomalies and its chart.
type detailFigures struct {
	state.ProductDetail
	currency  string
	partial   bool            // the period is not completely loaded
	anomalies []state.Anomaly // this product's, oldest first
	result    *state.AnomalyResult
	budgets   []state.BudgetStatus // those covering the product
	chart     costChart
}

// figures gathers the product's figures and chart from in.
func figures(in detailInput) detailFigures {
	f := detailFigures{currency: in.product.Currency}
	if in.g == nil {
		return f
	}
	f.ProductDetail = in.g.Detail(in.product)
	for _, b := range in.budgets {
		if b.Rule.Matches(in.product) {
			f.budgets = append(f.budgets, b)
		}
	}
	f.partial = !in.g.Period().Done()
	if in.found != nil {
		for _, a := range in.found.Anomalies {
			if anomalyProduct(&a) == in.product {
				f.anomalies = append(f.anomalies, a)
			}
		}
		slices.SortFunc(f.anomalies, func(a, b state.Anomaly) int { return int(a.Date) - int(b.Date) })
		if !in.at.IsZero() {
			// Opened at an incident: its days lead the legend.
			k := slices.IndexFunc(f.anomalies, func(a state.Anomaly) bool { return a.Date >= in.at })
			if k > 0 {
				f.anomalies = slices.Concat(f.anomalies[k:], f.anomalies[:k])
			}
		}
		if r, ok := in.found.Results[in.product]; ok {
			f.result = &r
		}
	}

	// The chart: each day the figures cover, or each month under MONTHLY.
	period := in.g.Period()
	monthly := period.Query().Agg() == api.Monthly
	c := costChart{currency: in.product.Currency, monthly: monthly}
	if row := period.Product(in.product); row != nil {
		n := row.Points()
		if cov := f.Cover; !monthly {
			n = min(n, max(cov.Days(), 0))
		}
		for i := 0; i < n; i++ {
			c.dates = append(c.dates, period.PointDate(i))
			c.values = append(c.values, row.PointCost(i).Float64())
		}
		for _, a := range f.anomalies {
			if p := pointOf(c.dates, a.Date, monthly); p >= 0 {
				c.marks = append(c.marks, chartMark{point: p, up: a.Up()})
			}
		}
	}
	f.chart = c
	return f
}

// pointOf returns the chart point holding day d: the day itself, or its
// month under MONTHLY; -1 when the chart does not reach it.
func pointOf(dates []api.Date, d api.Date, monthly bool) int {
	for i := len(dates) - 1; i >= 0; i-- {
		if dates[i] == d || (monthly && dates[i] <= d) {
			return i
		}
		if dates[i] < d {
			return -1
		}
	}
	return -1
}

// coverageNote says which days a figure covers, muted beside it.
func coverageNote(c state.Coverage) string {
	s := state.DayRange(c.From, c.Through)
	if c.SoFar {
		s += " so far"
	}
	return s
}

// dayRange names days for a note ("Nov 1–2").
func dayRange(from, to api.Date) string { return state.DayRange(from, to) }

// statItems are the product's figures as label and value, each over the
// days the header names.
func (v *detailView) statItems(f *detailFigures) []statItem {
	ascii := v.theme.ascii
	money := func(d decimal.Decimal) string { return formatMoney(state.AmountOf(d), f.currency, ascii) }
	cov := f.Cover
	total := statItem{label: "total", value: formatMoney(f.Figure.Cost, f.currency, ascii), note: coverageNote(cov)}
	items := []statItem{total}
	if f.Figure.Compared {
		items = append(items, statItem{label: "change", value: state.FormatSignedMoney(state.AmountOf(f.Figure.Change.Money), f.currency, ascii),
			note: f.Figure.Change.String() + " vs " + formatMoney(f.Figure.PrevCost, f.currency, ascii) + " " + dayRange(cov.PrevFrom, cov.PrevTo)})
	}
	if f.Days > 0 {
		items = append(items, statItem{label: "per day", value: money(f.Mean), note: "(mean of " + plural(f.Days, "day", "days") + ")"})
	}
	if f.HasMax {
		items = append(items, statItem{label: "highest day", value: money(f.MaxCost), note: "on " + weekdayDate(f.MaxDay)})
	}
	if f.HasWeek {
		items = append(items, statItem{label: "last 7 days", value: money(f.Last7),
			note: "vs " + money(f.Prev7) + " the 7 before (" + f.Week.String() + ")"})
	}
	if fc := f.Forecast; f.HasForecast {
		band := ""
		if !fc.Low.Equal(fc.High) {
			band = "likely " + money(fc.Low) + " to " + money(fc.High) + ": "
		}
		note := "(" + band + money(fc.ToDate) + " to date + " + money(fc.Remaining) +
			" for " + plural(fc.DaysLeft, "more day", "more days") + " at the last 7 days' rate"
		if fc.Shaped {
			note += ", shaped by weekday"
		}
		note += ")"
		if fc.Recurring {
			note = "(a monthly charge, counted once: " + money(fc.ToDate) + " to date"
			if fc.Pending.IsPositive() {
				note += " + " + money(fc.Pending) + " still due"
			}
			note += ")"
		}
		items = append(items, statItem{label: "month end " + fc.MonthEnd.String(), value: money(fc.Total), note: note})
	}
	for _, b := range f.budgets {
		note := fmt.Sprintf("%.0f%% of %s spent, forecast %.0f%%", b.SpentPct, money(b.Rule.Monthly), b.ForecastPct)
		if b.HasBreach {
			note += ", over from " + b.Breach.String()
		}
		items = append(items, statItem{label: "budget " + safetext.Clean(b.Rule.Name), value: money(b.Spent), note: note})
	}
	return items
}
