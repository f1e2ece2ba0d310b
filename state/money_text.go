package state

import (
	"strings"

	"github.com/usagetop/usagetop/state/safetext"
)

// currencySymbols are the symbols written before amounts. Other
// currencies show their ISO code; ASCII output keeps only "$".
var currencySymbols = map[string]string{"USD": "$", "GBP": "£", "EUR": "€"}

// CurrencyPrefix returns what goes before an amount in currency.
func CurrencyPrefix(currency string, ascii bool) string {
	if s, ok := currencySymbols[currency]; ok && (!ascii || s == "$") {
		return s
	}
	if currency == "" {
		return ""
	}
	return safetext.Clean(currency) + " "
}

// FormatMoney writes a rounded to cents with thousands separators and the
// currency, as every screen and report shows money: "$12,345.67",
// "-£3.10", "CHF 9.00".
func FormatMoney(a Amount, currency string, ascii bool) string {
	s := GroupThousands(a.StringFixed(2))
	neg := strings.HasPrefix(s, "-")
	s = CurrencyPrefix(currency, ascii) + strings.TrimPrefix(s, "-")
	if neg {
		s = "-" + s
	}
	return s
}

// FormatSignedMoney is FormatMoney with a sign always shown, for a
// change: "+$412.00", "-£3.10", "$0.00" for none.
func FormatSignedMoney(a Amount, currency string, ascii bool) string {
	s := FormatMoney(a, currency, ascii)
	if a.Sign() > 0 && s != FormatMoney(Amount{}, currency, ascii) {
		return "+" + s
	}
	return s
}

// GroupThousands inserts commas into the integer part of a plain decimal
// string: "1234567.5" becomes "1,234,567.5".
func GroupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.Grow(len(s) + len(intPart)/3 + 1)
	b.WriteString(sign)
	head := len(intPart) % 3
	if head > 0 {
		b.WriteString(intPart[:head])
	}
	for i := head; i < len(intPart); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
