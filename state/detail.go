package state

import (
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// weekSpan is the span of "the last 7 days against the 7 before".
const weekSpan = 7

// ProductDetail is one product's figures for the detail view, over the
// same days as its Products row.
type ProductDetail struct {
	Key   ProductKey
	Cover Coverage
	// Figure is the product's Products row; nil when it has none, and
	// Missing says why.
	Figure  *ProductFigure
	Missing string

	// Days is how many days the figures cover; Mean is Cost over them.
	Days int
	Mean decimal.Decimal
	// MaxDay is the covered day with the highest cost (HasMax false when
	// no day had a cost).
	MaxDay  api.Date
	MaxCost decimal.Decimal
	HasMax  bool
	// Last7 and Prev7 are the last seven covered days and the seven before
	// them (reaching into the history), compared in Week.
	Last7, Prev7 decimal.Decimal
	Week         Change
	HasWeek      bool
	// Forecast projects the current month to its end, when the period
	// reaches into it and every day of it is loaded.
	Forecast    Forecast
	HasForecast bool
}

// Detail returns product k's detail figures.
func (g *Generation) Detail(k ProductKey) ProductDetail {
	figs := g.Figures()
	out := ProductDetail{Key: k, Cover: figs.Cover, Figure: figs.Of(k)}
	if out.Figure == nil {
		out.Missing = g.missingReason(k)
		return out
	}
	c := out.Cover
	if !c.Covered() {
		return out
	}
	day := g.DayCost(k)
	out.Days = c.Days()
	out.Mean = out.Figure.Cost.Decimal().DivRound(decimal.NewFromInt(int64(out.Days)), 4)
	for d := c.From; d <= c.Through; d++ {
		if v := day(d); v.IsPositive() && (!out.HasMax || v.GreaterThan(out.MaxCost)) {
			out.MaxDay, out.MaxCost, out.HasMax = d, v, true
		}
	}
	first := g.firstDay()
	// Weeks of whole days: a day still arriving would read as a fall.
	last := c.Through
	if c.SoFar {
		last--
	}
	if last-2*weekSpan+1 >= first {
		for i := range weekSpan {
			out.Last7 = out.Last7.Add(day(last - api.Date(i)))
			out.Prev7 = out.Prev7.Add(day(last - weekSpan - api.Date(i)))
		}
		out.Week, out.HasWeek = CompareTotals(out.Last7, out.Prev7), true
	}
	// A forecast only from complete data of the current month: a partial
	// load would extrapolate from whichever day paging stopped at.
	if ms := g.today.MonthStart(); g.Daily().Done() && !c.SoFar && c.Through >= ms {
		out.Forecast, out.HasForecast = ForecastMonth(day, first, c.Through)
	}
	return out
}

// missingReason says why product k has no figures.
func (g *Generation) missingReason(k ProductKey) string {
	switch {
	case g.query.Category != "" && k.Category != g.query.Category:
		return "not in category " + g.query.Category + " (c changes the category)"
	case !g.Daily().Done():
		return "not loaded yet"
	}
	return "no usage in the period"
}

// firstDay is the first day DayCost knows: the history's start when it
// is loaded and runs up to the period, else the period's.
func (g *Generation) firstDay() api.Date {
	start, _ := g.Daily().Bounds()
	if h := g.stores[PartHistory]; h != nil && h.Done() {
		hs, he := h.Bounds()
		if he == start-1 {
			return hs
		}
	}
	return start
}

// DayCost returns product k's cost on any day, from the period's DAILY
// records or, before the period, the history (zero where neither has it).
func (g *Generation) DayCost(k ProductKey) func(api.Date) decimal.Decimal {
	type span struct {
		row   *ProductRollup
		start api.Date
	}
	var spans []span
	for _, s := range []*Store{g.Daily(), g.stores[PartHistory]} {
		if r := s.Product(k); r != nil {
			start, _ := s.Bounds()
			spans = append(spans, span{r, start})
		}
	}
	return func(d api.Date) decimal.Decimal {
		for _, sp := range spans {
			if i := int(d - sp.start); i >= 0 && i < sp.row.Points() {
				return sp.row.DailyCost(i)
			}
		}
		return decimal.Zero
	}
}

// Product returns the store's row for k, or nil (also for a nil store).
func (s *Store) Product(k ProductKey) *ProductRollup {
	if s == nil {
		return nil
	}
	for i := range s.rows {
		if s.rows[i].Key() == k {
			return &s.rows[i]
		}
	}
	return nil
}
