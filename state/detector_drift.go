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
	// Each weekday's reference is the median of its four days, and the
	// recent level the median of the last week's ratios to them: one fee
	// or spike on either side moves neither.
	var ref [7]float64
	old := 0.0
	for k := range ref {
		j := i - detectorDriftFrom - 1 - k
		pts := r.scratchA[:0]
		for ; j >= lo; j -= 7 {
			pts = append(pts, r.toMoney(r.adj[j]))
		}
		ref[(i-k)%7] = detectorMedian(pts)
		old += ref[(i-k)%7]
	}
	old /= 7
	ratios := r.scratchB[:0]
	for j := i - detectorDriftRecent + 1; j <= i; j++ {
		if ref[j%7] > 0 {
			ratios = append(ratios, r.toMoney(r.adj[j])/ref[j%7])
		}
	}
	if len(ratios) < detectorDriftRecent/2+1 || old <= 0 {
		return false
	}
	ratio := detectorMedian(ratios)
	level := old * ratio
	if ratio <= 0 || math.Abs(level-old) < r.minImpact {
		return false
	}
	delta := math.Log(ratio)
	if delta < r.driftUp && delta > r.driftDown {
		return false
	}
	// The standard error of the comparison, from the product's own
	// day-to-day spread: a median of a week against medians of four.
	res := r.scratchB[:0]
	for j := lo; j < i; j++ {
		if x := r.res[j]; !math.IsNaN(x) {
			res = append(res, x)
		} else if x := r.resT[j]; !math.IsNaN(x) {
			res = append(res, x)
		}
	}
	if len(res) < detectorMinResiduals {
		return false
	}
	spread := max(detectorSpread(res, detectorMedian(append(r.scratchA[:0], res...))), detectorLogSpreadFloor)
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
