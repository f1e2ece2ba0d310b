package ui

import (
	"strings"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
)

// Per-day table beside the detail chart.
const (
	// detailDaysWidth fits "↓ Thu 2025-02-20 $123,456.78 ⚠": a scroll
	// mark, the day, its cost and its mark.
	detailDaysWidth = 30
	// detailDaysMoney is the width of its cost column.
	detailDaysMoney = 11
	// detailDaysFrom is the body width from which the table is drawn: the
	// chart keeps at least 46 columns beside it (80 columns have both).
	detailDaysFrom = 46 + detailDaysWidth + 3
)

// dayRow is one day (or month, under MONTHLY) of the product.
type dayRow struct {
	date     api.Date
	cost     state.Amount
	anomaly  bool // an anomaly was found on it (in it, for a month)
	complete bool // a whole day, through the last one loaded
}

// dayRows lists the product's days, newest first, from its rollup: every
// point of the period, the days after the last whole one marked as not
// complete, anomaly days marked.
func dayRows(f *detailFigures, in detailInput) []dayRow {
	if in.g == nil {
		return nil
	}
	period := in.g.Period()
	row := period.Product(in.product)
	if row == nil {
		return nil
	}
	monthly := f.chart.monthly
	flagged := map[api.Date]bool{}
	for _, a := range f.anomalies {
		d := a.Date
		if monthly {
			d = d.MonthStart()
		}
		flagged[d] = true
	}
	n := row.Points()
	out := make([]dayRow, 0, n)
	for i := n - 1; i >= 0; i-- {
		d := period.PointDate(i)
		key := d
		if monthly {
			key = d.MonthStart()
		}
		out = append(out, dayRow{date: d, cost: row.PointCost(i), anomaly: flagged[key],
			complete: monthly || f.Cover.Complete(d)})
	}
	return out
}

// scrollDays moves the per-day table by n rows (negative: up).
func (v *detailView) scrollDays(n int) { v.daysTop = max(v.daysTop+n, 0) }

// daysPane draws the per-day table h lines high: a header, then the days
// from daysTop (clamped), with marks for days above and below.
func (v *detailView) daysPane(rows []dayRow, monthly bool, currency string, h int) []string {
	st := &v.theme.styles
	g := v.theme.glyphs
	title := "Day"
	if monthly {
		title = "Month"
	}
	out := []string{st.Header.Render(cellFit(cellFit("  "+title, detailDaysWidth-detailDaysMoney-3, "")+
		strings.Repeat(" ", detailDaysMoney-4)+"Cost", detailDaysWidth, ""))}
	vis := max(h-1, 0)
	v.daysTop = max(min(v.daysTop, len(rows)-vis), 0)
	end := min(v.daysTop+vis, len(rows))
	for i := v.daysTop; i < end; i++ {
		r := rows[i]
		label := weekdayDate(r.date)
		if monthly {
			label = r.date.Time().Format("2006-01")
		}
		money := fitMoney(r.cost, currency, v.theme.ascii, detailDaysMoney)
		mark := " "
		switch {
		case r.anomaly:
			mark = g.Anomaly
		case !r.complete:
			mark = g.NoData
		}
		switch {
		case i == v.daysTop && i > 0:
			label = g.Above + " " + label
		case i == end-1 && end < len(rows):
			label = g.Below + " " + label
		default:
			label = "  " + label
		}
		line := cellFit(label, detailDaysWidth-detailDaysMoney-3, "") + " " +
			cellFit(strings.Repeat(" ", max(detailDaysMoney-len([]rune(money)), 0))+money, detailDaysMoney, "") + " "
		switch {
		case r.anomaly:
			line += st.Anomaly.Render(mark)
		case !r.complete:
			line = st.Muted.Render(line + mark)
		default:
			line += mark
		}
		out = append(out, line)
	}
	return out
}

// chartWithDays is the chart w wide and h high, with the per-day table
// at its right when the width allows.
func (v *detailView) chartWithDays(f *detailFigures, w, h int) []string {
	if w < detailDaysFrom || len(v.days) == 0 {
		return strings.Split(f.chart.render(w, h, v.theme), "\n")
	}
	cw := w - detailDaysWidth - 3
	chart := strings.Split(f.chart.render(cw, h, v.theme), "\n")
	days := v.daysPane(v.days, f.chart.monthly, f.currency, h)
	bar := v.theme.styles.Muted.Render(v.theme.glyphs.Bar)
	out := make([]string, h)
	for i := range out {
		left, right := "", ""
		if i < len(chart) {
			left = chart[i]
		}
		if i < len(days) {
			right = days[i]
		}
		out[i] = cellFit(left, cw, "") + " " + bar + " " + cellFit(right, detailDaysWidth, "")
	}
	return out
}

// detailExport is `e` in the detail: the product's days as CSV, oldest
// first, with whether each is complete and whether an anomaly was found.
func (m *Model) detailExport() exportJob {
	in := m.detailInput(m.bodySize())
	f := figures(in)
	rows := dayRows(&f, in)
	out := make([][]string, 0, len(rows))
	for i := len(rows) - 1; i >= 0; i-- {
		r := rows[i]
		out = append(out, []string{r.date.String(), safetext.Clean(in.product.Name), safetext.Clean(in.product.Category),
			r.cost.String(), safetext.Clean(in.product.Currency), boolWord(r.complete), boolWord(r.anomaly)})
	}
	header := []string{"date", "product_name", "product_category", "cost_amount", "currency", "complete", "anomaly"}
	base := exportBase("days-"+fileSafe(in.product.Name), m.query, m.store)
	return exportJob{base: base, rows: len(out), write: csvWriter(header, out)}
}

// boolWord is a CSV cell for a yes/no column.
func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
