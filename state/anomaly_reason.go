package state

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// anomalyWhy is what the detector knew of a flagged day beyond the numbers.
type anomalyWhy struct {
	weekday  bool     // judged against the weekday median
	histDays int      // days of history (the trailing median's length)
	since    api.Date // a new cost's first day
	zeroDays int      // a stop's days without cost so far
	shared   bool     // a day the group moved together: Expected is moved with it
	// oldLevel and newLevel are a drift's levels, money per day.
	oldLevel, newLevel decimal.Decimal
}

// anomalyReason explains a flagged day in one line of plain numbers, e.g.
// "Tue 3.1x its weekday median; +$412".
func anomalyReason(a Anomaly, why anomalyWhy) string {
	day := a.Date.Weekday().String()[:3]
	impact := AnomalyMoney(a.Impact, a.Currency, true)
	baseline := "weekday median"
	if !why.weekday {
		baseline = fmt.Sprintf("%d-day median", why.histDays)
	}
	if why.shared {
		baseline = "expected cost on a day the group moved together"
	}
	switch a.Kind {
	case AnomalyDrift:
		pct := ""
		if !why.oldLevel.IsZero() {
			pct = fmt.Sprintf(" %+.0f%%", (why.newLevel.InexactFloat64()/why.oldLevel.InexactFloat64()-1)*100)
		}
		return fmt.Sprintf("%s drift: %s/day,%s from %s/day 4-8 weeks before", day,
			AnomalyMoney(why.newLevel, a.Currency, false), pct, AnomalyMoney(why.oldLevel, a.Currency, false))
	case AnomalyStep:
		day += " step:"
	case AnomalyPattern:
		day += " weekly pattern changed:"
	case AnomalyNew:
		if why.since != a.Date {
			return fmt.Sprintf("%s new cost since %s; %s", day, why.since, impact)
		}
		return fmt.Sprintf("%s new cost, none in the %d days before; %s", day, why.histDays, impact)
	case AnomalyStop:
		if why.zeroDays > 1 {
			return fmt.Sprintf("%s no cost for %d days, %s %s; %s", day, why.zeroDays, baseline, AnomalyMoney(a.Expected, a.Currency, false), impact)
		}
		return fmt.Sprintf("%s cost stopped, %s %s; %s", day, baseline, AnomalyMoney(a.Expected, a.Currency, false), impact)
	}
	if a.Expected.IsZero() {
		return fmt.Sprintf("%s %s where its %s is 0; %s", day, AnomalyMoney(a.Actual, a.Currency, false), baseline, impact)
	}
	return fmt.Sprintf("%s %sx its %s; %s", day, anomalyRatio(a.Actual, a.Expected), baseline, impact)
}

// anomalyRatio formats actual/expected as "3.1", "12", "0.4".
func anomalyRatio(actual, expected decimal.Decimal) string {
	q := actual.InexactFloat64() / expected.InexactFloat64()
	if q >= 9.95 {
		return fmt.Sprintf("%.0f", q)
	}
	return fmt.Sprintf("%.1f", q)
}

// AnomalyMoney formats an amount for a reason line or a cell: a symbol for
// USD, GBP and EUR ("$412", "£0.37"), the code after the number for any
// other currency ("412 JPY"). Amounts of 100 or more drop the cents and
// group thousands; amounts under a cent keep four decimals. signed adds
// "+" to positive amounts.
func AnomalyMoney(x decimal.Decimal, currency string, signed bool) string {
	sign := ""
	switch {
	case x.IsNegative():
		sign = "-"
	case signed && x.IsPositive():
		sign = "+"
	}
	a := x.Abs()
	var num string
	switch {
	case a.GreaterThanOrEqual(decimal.NewFromInt(100)):
		num = anomalyGroupThousands(a.Round(0).String())
	case a.IsZero() || a.GreaterThanOrEqual(decimal.New(1, -2)):
		num = a.StringFixed(2)
	default:
		num = a.StringFixed(4)
	}
	switch strings.ToUpper(currency) {
	case "USD":
		return sign + "$" + num
	case "GBP":
		return sign + "£" + num
	case "EUR":
		return sign + "€" + num
	case "":
		return sign + num
	}
	return sign + num + " " + currency
}

// anomalyGroupThousands puts commas between groups of three digits of a
// whole number.
func anomalyGroupThousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for k := lead; k < len(s); k += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[k : k+3])
	}
	return b.String()
}
