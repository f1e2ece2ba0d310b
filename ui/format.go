package ui

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// currencyPrefix, formatMoney and groupThousands are state's: the
// dashboard writes money as the reports do.
var (
	currencyPrefix = state.CurrencyPrefix
	formatMoney    = state.FormatMoney
	groupThousands = state.GroupThousands
)

// fitMoney renders a to fit width cells: as formatMoney when it fits,
// else without cents, else abbreviated ("$1.2T", "$1.0e20"), so a huge
// cost is never cut in the middle of its digits. The abbreviation rounds
// for display only; exports and totals keep the exact amount.
func fitMoney(a state.Amount, currency string, ascii bool, width int) string {
	s := formatMoney(a, currency, ascii)
	if len([]rune(s)) <= width {
		return s
	}
	d := a.Decimal()
	whole := groupThousands(d.Round(0).String())
	prefix := currencyPrefix(currency, ascii)
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	if s := sign + prefix + whole; len([]rune(s)) <= width {
		return s
	}
	return sign + prefix + compactDecimal(d.Abs())
}

// compactDecimal abbreviates a non-negative amount: "12.3k", "4.5M",
// "6.7B", "8.9T", then "1.2e18" (one decimal, rounded) beyond a thousand
// trillion, where a suffix no one reads would follow.
func compactDecimal(d decimal.Decimal) string {
	for _, u := range []struct {
		exp    int32
		suffix string
	}{{12, "T"}, {9, "B"}, {6, "M"}, {3, "k"}} {
		if d.Shift(-u.exp).GreaterThanOrEqual(decimal.NewFromInt(1)) {
			v := d.Shift(-u.exp)
			if v.LessThan(decimal.NewFromInt(1000)) {
				return v.StringFixed(1) + u.suffix
			}
			// 1000T and up: scientific.
			exp := int32(len(d.Truncate(0).String()) - 1)
			return d.Shift(-exp).StringFixed(1) + "e" + strconv.Itoa(int(exp))
		}
	}
	return d.StringFixed(2)
}

// formatExact renders a exactly, grouped: "1,234.0079".
func formatExact(a state.Amount) string { return groupThousands(a.String()) }

// fracDigits is the number of decimal places a shows exactly.
func fracDigits(a state.Amount) int {
	s := a.String()
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// alignPoint pads a plain decimal string on the right so that, right
// aligned in a column, its decimal point sits places cells from the edge:
// "1.5" becomes "1.5   " for places 4, "12" becomes "12     ". A number
// with more places than that is left as it is.
func alignPoint(s string, places int) string { return padPlaces(s, places, " ", " ") }

// fixedPlaces pads a plain decimal string with zeros to places decimal
// places, so prices right-aligned in a column line up like a ledger
// ("3.02" is "3.0200" for 4) and stay exact: only zeros are added. A
// number with more places than that is left as it is.
func fixedPlaces(s string, places int) string { return padPlaces(s, places, ".", "0") }

// padPlaces gives s places decimal places by appending fill, and point
// first when s has no decimal point.
func padPlaces(s string, places int, point, fill string) string {
	if places <= 0 {
		return s
	}
	have := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		have = len(s) - i - 1
	} else {
		s += point
	}
	if pad := places - have; pad > 0 {
		return s + strings.Repeat(fill, pad)
	}
	return s
}

// formatQuantity renders a usage amount with at most two decimal places.
func formatQuantity(a state.Amount) string {
	return groupThousands(a.Decimal().Round(2).String())
}

// formatCount renders an integer with thousands separators.
func formatCount(n int) string { return groupThousands(strconv.Itoa(n)) }

// formatPercent renders a 0..1 share as "12.3%"; a share that rounds to
// zero is "0.0%", never "-0.0%".
func formatPercent(share float64) string {
	s := strconv.FormatFloat(share*100, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	return s + "%"
}

// shortID shortens a billing group id for the header, keeping its end,
// which is the part that differs between groups.
func shortID(id, ellipsis string) string {
	id = strings.TrimPrefix(id, api.GroupIDPrefix)
	if len(id) > 10 {
		return ellipsis + id[len(id)-8:]
	}
	return id
}
