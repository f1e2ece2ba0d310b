package state

import "math"

// Slow drift (+1% a day for weeks) never makes a day stand out: the trend
// correction follows it. It is caught by comparing levels instead: the
// mean of the last week (on the log scale, so the weekly shape cancels)
// against the mean of the same product four to eight weeks before, both
// on the cleaned history (anomalies and shared days at their expected
// values, a step's history rescaled to its new level). When the two have
// differed by more than DriftPercent, by more than the threshold in
// standard errors of such means, and by more than the money floor, for
// detectorDriftDays days in a row (a noisy week moves the mean for a few
// days; a drift stays), the first of those days is one drift finding;
// none is listed again for eight weeks.
const (
	// detectorDriftRecent is the days of the recent level.
	detectorDriftRecent = 7
	// detectorDriftFrom and detectorDriftTo bound the reference level,
	// in days before the judged day: four to eight weeks.
	detectorDriftFrom = 28
	detectorDriftTo   = 56
	// detectorDriftDays is how many days in a row the level must stay
	// moved to be a drift.
	detectorDriftDays = 7
	// detectorDriftSE is the standard error, in day-to-day spreads, of a
	// week's median ratio to medians of four weeks (about 1.25/sqrt(7),
	// with the reference's share).
	detectorDriftSE = 0.6
	// detectorDriftQuick is the share of the drift threshold the weeks'
	// mean must move before the medians are worked out.
	detectorDriftQuick = 0.3
)

// checkDrift lists day i as a drift if the product's level has moved far
// enough from its level of four to eight weeks before.
func (r *detectorRun) checkDrift(i int) {
	if !r.drifted(i) {
		r.driftRun = 0
		return
	}
	r.driftRun++
	if r.driftRun < detectorDriftDays {
		return
	}
	first := i - detectorDriftDays + 1
	d := &r.days[first]
	d.kind, d.drift = AnomalyDrift, r.driftAt
	d.expected = r.v[first] * r.driftAt[0] / max(r.driftAt[1], 1e-9)
	d.score = r.driftScore
	r.driftUntil, r.driftRun = first+detectorDriftTo, 0
}

// drifted reports whether day i's level has moved far enough from its
// level four to eight weeks before; on the first day of a run it keeps
// the levels and score for the finding.
func (r *detectorRun) drifted(i int) bool {
	lo := i - detectorDriftTo
	// The reference must be judged days: before them, history is raw (a
	// fee, a spike) and would move the mean.
	if i < r.driftUntil || lo < r.regime+r.minHist || r.days[i].kind != 0 {
		return false
	}
	// A quick look first: the mean of the week against the mean of the
	// reference weeks (both whole weeks, so the weekly shape cancels).
	// A level that moved by the threshold moves these means too, unless
	// the week is torn both ways at once; most days stop here.
	sum := 0.0
	for _, y := range r.adj[i-detectorDriftRecent+1 : i+1] {
		sum += y
	}
	diff := sum / detectorDriftRecent
	sum = 0
	for _, y := range r.adj[lo : i-detectorDriftFrom] {
		sum += y
	}
	diff -= sum / float64(detectorDriftTo-detectorDriftFrom)
	if math.Abs(diff) < detectorDriftQuick*min(r.driftUp, -r.driftDown) {
		return false
	}
	// Each weekday's reference is the median of its four days, and the
	// recent level the median of the last week's ratios to them: one fee
	// or spike on either side moves neither. Medians keep their order
	// through the log, so the ratios are worked out on the log scale,
	// without an exponential a day.
	var ref [7]float64
	var pts [4]float64
	for k := range ref {
		n := 0
		for j := i - detectorDriftFrom - 1 - k; j >= lo && n < len(pts); j -= 7 {
			pts[n] = r.adj[j]
			n++
		}
		ref[(i-k)%7] = detectorMedian(pts[:n])
	}
	ratios := r.scratchB[:0]
	for j := i - detectorDriftRecent + 1; j <= i; j++ {
		ratios = append(ratios, r.adj[j]-ref[j%7])
	}
	delta := detectorMedian(ratios)
	if delta < r.driftUp && delta > r.driftDown {
		return false
	}
	old := 0.0
	for _, y := range ref {
		old += r.toMoney(y)
	}
	old /= 7
	level := r.toMoney(r.toLog(old) + delta)
	if old <= 0 || math.Abs(level-old) < r.minImpact {
		return false
	}
	// The standard error of the comparison, from the product's own
	// day-to-day spread (the residuals the day was judged with).
	xs := r.pooled.slide(r, max(r.regime, i-detectorSpreadWindows*r.lookback), i)
	if len(xs) < detectorMinResiduals {
		return false
	}
	spread := max(detectorSpreadSorted(xs, r.scratchA[:0]), detectorLogSpreadFloor)
	se := spread * detectorDriftSE
	if math.Abs(delta) < r.threshold*se {
		return false
	}
	if r.driftRun == 0 {
		r.driftAt = [2]float64{old, level}
		r.driftScore = min(math.Abs(delta)/se, AnomalyScoreCap)
	}
	return true
}
