package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
	"github.com/usagetop/usagetop/ui/table"
)

// The Anomalies view's cells: an incident's line or one of its days, and
// the money, percent and text formats they share with the detail.

// anomalyFigures is what a line shows: an incident's sums or one day's.
type anomalyFigures struct {
	actual, expected, impact decimal.Decimal
	percent                  float64
	hasPercent               bool
	score                    float64
	kind                     state.AnomalyKind
	reason                   string
}

func (v *anomaliesView) cell(r anomalyRow, col, width int) table.Cell {
	in := &v.all[r.inc]
	st := &v.theme.styles
	ascii := v.theme.ascii
	f := anomalyFigures{actual: in.Actual, expected: in.Expected, impact: in.Impact, percent: in.ImpactPercent,
		hasPercent: in.HasPercent(), score: in.Score, kind: in.Kind, reason: in.Reason}
	date := in.First
	if r.day >= 0 {
		a := &in.Anomalies[r.day]
		f = anomalyFigures{actual: a.Actual, expected: a.Expected, impact: a.Impact, percent: a.ImpactPercent,
			hasPercent: a.HasPercent(), score: a.Score, kind: a.Kind, reason: a.Reason}
		date = a.Date
	}
	switch col {
	case acProduct:
		return table.Cell{Text: v.productText(r, in)}
	case acDate:
		return table.Cell{Text: date.String()}
	case acDays:
		if r.day >= 0 {
			return table.Cell{}
		}
		return table.Cell{Text: strconv.Itoa(in.Days)}
	case acKind:
		return table.Cell{Text: f.kind.String(), Style: &st.Anomaly}
	case acActual:
		return table.Cell{Text: anomalyMoney(f.actual, in.Currency, false, ascii), Style: &st.Money}
	case acExpected:
		return table.Cell{Text: anomalyMoney(f.expected, in.Currency, false, ascii), Style: &st.Muted}
	case acImpact:
		return table.Cell{Text: anomalyMoney(f.impact, in.Currency, true, ascii), Style: changeStyle(st, f.impact.Sign())}
	case acPercent:
		return table.Cell{Text: anomalyPercent(f.percent, f.hasPercent), Style: changeStyle(st, f.impact.Sign())}
	case acScore:
		return table.Cell{Text: strconv.FormatFloat(f.score, 'f', 1, 64)}
	case acReason:
		return table.Cell{Text: asciiSafe(safetext.Clean(f.reason), ascii)}
	}
	return table.Cell{}
}

// productText names a line: the product (or the group's finding) with a
// sign saying whether its days are shown; a day row is indented under it.
func (v *anomaliesView) productText(r anomalyRow, in *state.Incident) string {
	closed, open, day := "▸ ", "▾ ", "  └ "
	if v.theme.ascii {
		closed, open, day = "+ ", "- ", "  - "
	}
	if r.day >= 0 {
		return day + "day " + strconv.Itoa(int(r.day)+1) + " of " + strconv.Itoa(in.Days)
	}
	sign := "  "
	if in.Days > 1 {
		sign = closed
		if r.inc == v.open {
			sign = open
		}
	}
	if in.Scope == state.ScopeGroup {
		return sign + "group: " + strconv.Itoa(in.Anomalies[0].Moved) + " of " + strconv.Itoa(in.Anomalies[0].Of) + " products"
	}
	return sign + safetext.Clean(in.ProductName)
}

// changeStyle colours a rise as worse and a fall as better; the sign in
// the text says the same without colour.
func changeStyle(st *Styles, sign int) *lipgloss.Style {
	switch {
	case sign > 0:
		return &st.Up
	case sign < 0:
		return &st.Down
	}
	return nil
}

// anomalyPercent renders the change in percent p, or "new" when there was
// nothing to take a percentage of.
func anomalyPercent(p float64, has bool) string {
	if !has {
		return "new"
	}
	if p >= 1000 || p <= -1000 {
		return strconv.FormatFloat(p, 'f', 0, 64) + "%"
	}
	s := strconv.FormatFloat(p, 'f', 0, 64) + "%"
	if p > 0 {
		s = "+" + s
	}
	return s
}

// anomalyMoney formats an anomaly's figure as the reason lines do
// (state.AnomalyMoney), keeping to ASCII under --ascii.
func anomalyMoney(x decimal.Decimal, currency string, signed, ascii bool) string {
	if ascii && currencyPrefix(currency, false) != currencyPrefix(currency, true) {
		// A symbol ASCII lacks (£, €): the code after the amount instead.
		return state.AnomalyMoney(x, "", signed) + " " + currency
	}
	return state.AnomalyMoney(x, safetext.Clean(currency), signed)
}

// asciiSafe replaces what the detector's reasons may hold beyond ASCII
// (currency symbols) when --ascii asks for plain ASCII.
func asciiSafe(s string, ascii bool) string {
	if !ascii || safetext.IsPlainASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '£':
			b.WriteString("GBP ")
		case r == '€':
			b.WriteString("EUR ")
		case r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
