package state

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
)

// result gathers the listed anomalies and the status of days from first on.
func (r *detectorRun) result(in AnomalyInput, first int, cfg DetectorConfig) AnomalyResult {
	var out AnomalyResult
	var recurs, unsure, shared int
	for i := first; i < len(r.days); i++ {
		d := r.days[i]
		if !d.judged {
			out.Unjudged++
			continue
		}
		out.Judged++
		if d.recurs {
			recurs++
			if d.recur.what != "" {
				date := r.start.AddDays(i)
				out.Recurring = append(out.Recurring, Recurrence{Date: date, Reason: d.recur.reason(date)})
			}
		}
		if d.group {
			shared++
		}
		if d.unsure {
			unsure++
		}
		if d.kind != 0 && !d.hidden {
			out.Anomalies = append(out.Anomalies, r.anomaly(in, i, d))
		}
	}
	switch {
	case out.Judged == 0:
		out.Status = AnomalyTooLittleHistory
	case out.Unjudged > 0:
		out.Status = AnomalyPartlyJudged
	}
	var notes []string
	if out.Unjudged > 0 {
		notes = append(notes, fmt.Sprintf("%d %s not judged: less than %d days of history", out.Unjudged, anomalyPlural(out.Unjudged, "day", "days"), cfg.MinHistoryDays))
	}
	if recurs > 0 {
		note := fmt.Sprintf("%d recurring %s not flagged", recurs, anomalyPlural(recurs, "charge", "charges"))
		if n := len(out.Recurring); n > 0 {
			note += " (latest " + out.Recurring[n-1].Reason + ")"
		}
		notes = append(notes, note)
	}
	if unsure > 0 {
		notes = append(notes, fmt.Sprintf("%d one-day %s not flagged: too little history to tell from a monthly fee", unsure, anomalyPlural(unsure, "charge", "charges")))
	}
	if shared > 0 {
		notes = append(notes, fmt.Sprintf("%d %s judged with the group's shared move", shared, anomalyPlural(shared, "day", "days")))
	}
	out.Note = strings.Join(notes, "; ")
	return out
}

func (r *detectorRun) anomaly(in AnomalyInput, i int, d detectorDay) Anomaly {
	a := Anomaly{
		ProductName:     in.ProductName,
		ProductCategory: in.ProductCategory,
		Currency:        in.Currency,
		Date:            r.start.AddDays(i),
		Kind:            d.kind,
		Actual:          in.Daily[i],
		Score:           d.score,
	}
	if d.kind == AnomalyNew {
		a.Score = AnomalyScoreCap
	} else {
		a.Expected = anomalyRound(d.expected)
	}
	a.Impact = a.Actual.Sub(a.Expected)
	a.ImpactPercent = impactPercent(a.Impact, a.Expected)
	why := anomalyWhy{weekday: d.weekday, histDays: d.histDays, since: r.start.AddDays(d.since), zeroDays: d.zeroDays, shared: d.group}
	if d.kind == AnomalyDrift {
		why.oldLevel, why.newLevel = anomalyRound(d.drift[0]), anomalyRound(d.drift[1])
	}
	a.Reason = anomalyReason(a, why)
	return a
}

// anomalyRound rounds an estimated cost to the cent, or to 1/10000 below
// one unit so tiny products do not read as zero.
func anomalyRound(x float64) decimal.Decimal {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return decimal.Zero
	}
	d := decimal.NewFromFloat(x)
	if math.Abs(x) >= 1 {
		return d.Round(2)
	}
	return d.Round(4)
}

func anomalyPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
