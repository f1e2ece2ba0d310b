package state

import (
	"math"
	"path"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// BudgetRule is a monthly budget for part of a billing group: every
// product of the group, or those whose category and name match globs.
type BudgetRule struct {
	// Name says which budget a finding is about ("acme-us sms-*").
	Name string
	// GroupID is the billing group the budget is for.
	GroupID string
	// Category and Product are path.Match globs ("sms-*", "*-Verify-*");
	// empty matches everything.
	Category, Product string
	// Monthly is the budget per calendar month, in Currency.
	Monthly  decimal.Decimal
	Currency string
	// Warn are the percentages of Monthly that are reported when spent or
	// forecast (50, 80, 100 by default).
	Warn []int
}

// DefaultBudgetWarn are the thresholds of a budget that names none.
var DefaultBudgetWarn = []int{50, 80, 100}

// Matches reports whether product k counts against the budget.
func (r BudgetRule) Matches(k ProductKey) bool {
	if r.Currency != "" && k.Currency != r.Currency {
		return false
	}
	return globMatch(r.Category, k.Category) && globMatch(r.Product, k.Name)
}

// globMatch matches s against a path.Match pattern, case-insensitively;
// an empty pattern matches anything, a malformed one nothing.
func globMatch(pattern, s string) bool {
	if pattern == "" {
		return true
	}
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(s))
	return err == nil && ok
}

// BudgetCrossing is one threshold a budget reached.
type BudgetCrossing struct {
	Percent int
	// Forecast is set when only the month-end forecast reaches it; spent
	// to date has not yet.
	Forecast bool
}

// BudgetStatus is a budget against the month so far and its forecast.
type BudgetStatus struct {
	Rule BudgetRule
	// Month is the first day of the month judged; Through the last day
	// counted.
	Month, Through api.Date
	// Spent is the cost of the matching products from the month's first
	// day through Through; Forecast (Low..High) is their month-end
	// forecast.
	Spent                 decimal.Decimal
	Forecast, Low, High   decimal.Decimal
	SpentPct, ForecastPct float64
	// Breach is the day the forecast (or the spending) crosses the
	// budget; HasBreach is false when it does not this month.
	Breach    api.Date
	HasBreach bool
	// Crossed lists the thresholds reached, lowest first.
	Crossed []BudgetCrossing
	// Products counts the products that matched.
	Products int
}

// Level is the highest threshold reached (0 when none).
func (b BudgetStatus) Level() int {
	if len(b.Crossed) == 0 {
		return 0
	}
	return b.Crossed[len(b.Crossed)-1].Percent
}

// MonthForecasts returns the month-end forecast of every product of the
// generation that has one: the month holding the last covered day, when
// the period reaches into the current month and is completely loaded.
func (g *Generation) MonthForecasts() map[ProductKey]Forecast {
	out := map[ProductKey]Forecast{}
	for _, f := range g.Figures().Rows() {
		if d := g.Detail(f.Key); d.HasForecast {
			out[f.Key] = d.Forecast
		}
	}
	return out
}

// EvaluateBudget judges rule against the generation's current month: what
// the matching products cost so far, their forecast, the thresholds
// reached and the day the budget is breached. ok is false when the
// generation has no forecast (not a period reaching into this month, or
// not loaded).
func (g *Generation) EvaluateBudget(rule BudgetRule, forecasts map[ProductKey]Forecast) (BudgetStatus, bool) {
	st := BudgetStatus{Rule: rule}
	var path []decimal.Decimal
	var halfSq float64
	keys := make([]ProductKey, 0, len(forecasts))
	for k := range forecasts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b ProductKey) int { return strings.Compare(a.Name+a.Category, b.Name+b.Category) })
	for _, k := range keys {
		if !rule.Matches(k) {
			continue
		}
		fc := forecasts[k]
		st.Products++
		st.Month, st.Through = fc.Through.MonthStart(), fc.Through
		st.Spent = st.Spent.Add(fc.ToDate)
		st.Forecast = st.Forecast.Add(fc.Total)
		h := fc.High.Sub(fc.Total).InexactFloat64()
		halfSq += h * h
		for i, x := range fc.Path {
			if i == len(path) {
				path = append(path, decimal.Zero)
			}
			path[i] = path[i].Add(x)
		}
	}
	if st.Products == 0 {
		return st, false
	}
	half := decimal.NewFromFloat(math.Sqrt(halfSq)).Round(6)
	st.Low, st.High = decimal.Max(st.Forecast.Sub(half), st.Spent), st.Forecast.Add(half)
	if rule.Monthly.IsPositive() {
		st.SpentPct = pct(st.Spent, rule.Monthly)
		st.ForecastPct = pct(st.Forecast, rule.Monthly)
	}
	// The breach day: already, or the first day the expected path takes
	// the running total over the budget.
	switch {
	case !rule.Monthly.IsPositive():
	case st.Spent.GreaterThanOrEqual(rule.Monthly):
		st.Breach, st.HasBreach = st.Through, true
	default:
		run := st.Spent
		for i, x := range path {
			if run = run.Add(x); run.GreaterThanOrEqual(rule.Monthly) {
				st.Breach, st.HasBreach = st.Through+api.Date(i+1), true
				break
			}
		}
	}
	warn := rule.Warn
	if len(warn) == 0 {
		warn = DefaultBudgetWarn
	}
	warn = slices.Sorted(slices.Values(warn))
	for _, w := range warn {
		switch {
		case st.SpentPct >= float64(w):
			st.Crossed = append(st.Crossed, BudgetCrossing{Percent: w})
		case st.ForecastPct >= float64(w):
			st.Crossed = append(st.Crossed, BudgetCrossing{Percent: w, Forecast: true})
		}
	}
	return st, true
}

func pct(a, of decimal.Decimal) float64 {
	return a.Mul(decimal.NewFromInt(100)).DivRound(of, 6).InexactFloat64()
}
