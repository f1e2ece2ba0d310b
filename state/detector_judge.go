package state

import (
	"math"
)

// detectorEval is one day measured against its baseline.
type detectorEval struct {
	base, expY, expected, change, score float64
	spread                              float64 // 0 when not worked out
	baseW                               float64 // median of the weekday points there are
	weekday, hasW                       bool
	floors                              bool // past the money and percent floors
	histDays                            int
	flag                                bool
}

// evaluate measures day i against the history before it. The score is
// worked out only for a day past both floors, unless force asks for it.
func (r *detectorRun) evaluate(i int, force bool) detectorEval {
	lo := max(r.regime, i-r.lookback)
	ev := detectorEval{histDays: i - lo}
	pts := r.scratchA[:0]
	for k := 1; k <= r.weeks && i-7*k >= lo; k++ {
		pts = append(pts, r.adj[i-7*k])
	}
	ev.weekday = r.weeks > 0 && len(pts) == r.weeks
	if len(pts) >= 2 {
		ev.baseW, ev.hasW = detectorMedian(pts), true
	}
	resDays := r.res
	if ev.weekday {
		ev.base = ev.baseW
	} else {
		ev.base = detectorMedian(append(r.scratchA[:0], r.adj[lo:i]...))
		resDays = r.resT
	}

	bias := 0.0
	if ev.weekday {
		if xs := r.recent.slide(r, lo, i); len(xs) >= detectorMinResiduals {
			bias = detectorMedianSorted(xs)
		}
	} else {
		res := r.scratchB[:0]
		for j := lo; j < i; j++ {
			if !math.IsNaN(resDays[j]) {
				res = append(res, resDays[j])
			}
		}
		if len(res) >= detectorMinResiduals {
			bias = detectorMedian(res)
		}
	}
	ev.expY = max(r.yZero, ev.base+bias)
	ev.expected = r.toMoney(ev.expY)
	ev.change = r.v[i] - ev.expected
	floors := math.Abs(ev.change) >= r.minImpact && ev.change != 0 &&
		(ev.expected == 0 || math.Abs(ev.change)*100 >= r.minPct*ev.expected)
	if !floors && !force {
		return ev // most days stop here, without the cost of a spread
	}
	var spread float64
	var pooled int
	switch {
	case ev.weekday:
		xs := r.pooled.slide(r, max(r.regime, i-detectorSpreadWindows*r.lookback), i)
		pooled = len(xs)
		if pooled >= detectorMinResiduals {
			spread = detectorSpreadSorted(xs, r.scratchA[:0]) * (1 + detectorSmallSample/float64(pooled))
			break
		}
		fallthrough
	default:
		res := r.scratchB[:0]
		for j := max(r.regime, i-detectorSpreadWindows*r.lookback); j < i; j++ {
			if !math.IsNaN(resDays[j]) {
				res = append(res, resDays[j])
			}
		}
		pooled = len(res)
		if pooled >= detectorMinResiduals {
			spread = detectorSpread(res, detectorMedian(append(r.scratchA[:0], res...)))
			spread *= 1 + detectorSmallSample/float64(pooled)
		} else {
			centre := detectorMedian(append(r.scratchA[:0], r.adj[lo:i]...))
			spread = detectorSpread(append(r.scratchA[:0], r.adj[lo:i]...), centre)
		}
	}
	dev := math.Abs(r.y[i] - ev.expY)
	// The residuals of days at about today's level alone: usage counted in
	// a few units a day is far noisier, in ratio, on a quiet weekend (or
	// after a step down) than on the busy days that fill the pooled spread.
	// It can only widen the spread, so a day already under the bar (or
	// under half of it, as a run's lean needs) skips it.
	if dev >= spread*r.threshold/2 {
		res := r.scratchB[:0]
		for j := max(r.regime, i-detectorSpreadWindows*r.lookback); j < i; j++ {
			if !math.IsNaN(resDays[j]) && math.Abs(r.lvl[j]-ev.expY) <= detectorLevelBand {
				res = append(res, resDays[j])
			}
		}
		if n := len(res); n >= detectorMinResiduals && n < pooled {
			near := detectorSpread(res, detectorMedian(append(r.scratchA[:0], res...)))
			spread = max(spread, near*(1+detectorSmallSample/float64(n)))
		}
	}
	spread = max(spread, detectorLogSpreadFloor)
	ev.spread = spread
	ev.score = min(dev/spread, AnomalyScoreCap)
	ev.floors = floors
	ev.flag = floors && ev.score >= r.threshold
	if ev.flag && ev.change > 0 && r.occasional(i, r.v[i]) {
		ev.flag = false
	}
	return ev
}

// judge decides day i against its baseline. mayRevert lets an opposite
// flag undo a recent level shift; mayShift lets a run of flags make one.
func (r *detectorRun) judge(i int, mayRevert, mayShift bool) {
	g, gs, shared := r.groupShift(i)
	ev := r.evaluate(i, r.runLen > 0 || shared)
	if shared {
		r.judgeShared(i, ev, g, gs)
		return
	}
	dir := 1
	if ev.change < 0 {
		dir = -1
	}
	if ev.flag && mayRevert && r.shift != nil && i < r.shift.until && dir != r.shift.dir {
		if !r.refine(i, ev.expected) {
			r.revert(i)
		}
		r.judge(i, false, mayShift)
		return
	}
	d := detectorDay{judged: true, weekday: ev.weekday, histDays: ev.histDays, base: ev.base, expected: ev.expected, score: ev.score}
	if ev.flag {
		// Kept even when the day turns out to recur by the calendar: a
		// weekly change that starts on a fee's day is seen a week later.
		d.flagDir, d.dev = int8(dir), r.y[i]-ev.expY
	}
	if ev.flag && dir > 0 {
		if rec, ok := r.recurring(i, ev.change); ok {
			ev.flag, d.recurs, d.recur = false, true, rec
		}
	}
	if ev.flag {
		if r.weeklyRepeat(i, d) {
			r.learnWeekday(i, d)
			return
		}
	}
	// A flagged day is listed only if the product has not been there
	// lately; if it has, the day is normal for it and joins the history,
	// so the spread learns. A day that leans a run's way by half the
	// threshold (a quiet weekend inside a step, say) extends the run
	// without being listed, so that a step makes one event, not several.
	listed := ev.flag
	if listed && dir < 0 && r.v[i] <= 0 {
		d.zeroDays, listed = r.zeroRun(i)
	} else if listed {
		listed = r.beyondRange(i, max(r.regime, i-r.lookback), dir > 0)
	}
	if listed && !r.countPlausiblyRare(i, ev.expected, dir > 0) {
		listed = false
	}
	lean := listed || r.runLen > 0 && dir == r.runDir && ev.score >= r.threshold/2
	switch {
	case d.recurs:
		r.adj[i], r.raw[i] = ev.expY, ev.expY
		r.resetRun()
	case !lean:
		r.lvl[i] = ev.expY
		if ev.hasW {
			r.res[i] = r.y[i] - ev.baseW
		}
		if !ev.weekday {
			r.resT[i] = r.y[i] - ev.base
		}
		r.resetRun()
	default:
		if listed {
			d.kind = AnomalySpike
			if dir < 0 {
				d.kind = AnomalyDrop
			}
			if dir < 0 && r.v[i] <= 0 {
				d.kind = AnomalyStop
				d.hidden = r.stillStopped(i)
				if !d.hidden {
					r.lastStop = i
				}
			}
		}
		r.adj[i] = ev.expY
		if r.runLen > 0 && r.runDir == dir && r.runStart+r.runLen == i {
			r.runLen++
		} else {
			r.runDir, r.runStart, r.runLen = dir, i, 1
		}
	}
	r.days[i] = d
	if mayShift && r.runLen >= detectorShiftDays {
		r.confirmShift(i)
		return
	}
	r.softStep(i, ev, dir, mayShift && !lean && !d.recurs)
}

// softStep catches a step too small for any one day to stand out: days
// past the floors in a row, each at least half the threshold the same
// way, whose scores together (their sum over the root of their number)
// reach the threshold. Until then they join history as normal days; once
// they qualify they are listed as a step and the level shifts.
func (r *detectorRun) softStep(i int, ev detectorEval, dir int, may bool) {
	if !may || !ev.floors || ev.score < r.threshold/2 {
		r.softLen = 0
		return
	}
	if r.softLen > 0 && r.softDir == dir && r.softStart+r.softLen == i {
		r.softLen++
		r.softSum += ev.score
	} else {
		r.softDir, r.softStart, r.softLen, r.softSum = dir, i, 1, ev.score
	}
	if r.softLen < detectorSoftDays || r.softSum < r.threshold*math.Sqrt(float64(r.softLen)) {
		return
	}
	for j := r.softStart; j <= i; j++ {
		r.days[j].kind = AnomalyStep
		r.adj[j] = r.toLog(r.days[j].expected)
	}
	r.runDir, r.runStart, r.runLen = dir, r.softStart, r.softLen
	r.softLen = 0
	r.confirmShift(i)
}

func (r *detectorRun) resetRun() { r.runDir, r.runStart, r.runLen = 0, 0, 0 }

// beyondRange reports whether day i lies above (up) or below every one of
// the same weekday's recent days, anomalies included (every day of the
// history while it is short of four weeks). A value the product has
// reached on that weekday lately is its normal, however the spread reads:
// a few units a day make zero days, and a weekly burst is a pattern.
func (r *detectorRun) beyondRange(i, lo int, up bool) bool {
	n, top, bottom := 0, math.Inf(-1), math.Inf(1)
	for j := i - 7; j >= max(r.regime, i-detectorSpreadWindows*r.lookback); j -= 7 {
		n++
		top, bottom = max(top, r.raw[j]), min(bottom, r.raw[j])
	}
	if n < detectorMinWeekdayPoints {
		for j := lo; j < i; j++ {
			top, bottom = max(top, r.raw[j]), min(bottom, r.raw[j])
		}
	}
	if up {
		return r.y[i] > top
	}
	return r.y[i] < bottom
}

// occasional reports whether a charge of x on day i is usual for a
// product used on few days (zero cost on at least detectorSparseShare of
// the days of the last detectorSparseDays): for such a product the median
// is zero and every charge would otherwise look like a spike, or, after a
// quiet month, like a launch. The charge is usual unless it is beyond its
// earlier charges: above detectorSparseRise times the largest, and, with
// enough of them, above their median by the threshold in their spread.
func (r *detectorRun) occasional(i int, x float64) bool {
	lo := max(0, i-detectorSparseDays)
	charges := r.scratchB[:0]
	top := 0.0
	for j := lo; j < i; j++ {
		if r.v[j] > 0 {
			charges = append(charges, math.Log(r.v[j]))
			top = max(top, r.v[j])
		}
	}
	if len(charges) == 0 || float64(i-lo-len(charges)) < detectorSparseShare*float64(i-lo) {
		return false
	}
	if x < detectorSparseRise*top {
		return true
	}
	if len(charges) < detectorMinCharges {
		return false
	}
	med := detectorMedian(append(r.scratchA[:0], charges...))
	spread := max(detectorSpread(charges, med), detectorLogSpreadFloor)
	return math.Log(x) <= med+r.threshold*spread
}

// zeroRun measures the run of zero days that day i ends, counting only
// days expected to cost something (a closed weekend neither counts nor
// breaks it), and reports whether it is longer than any such run in the
// recent history: a product of a few pricey units a day has zero days,
// and its stop shows as a run of zeros longer than it has had.
func (r *detectorRun) zeroRun(i int) (days int, longer bool) {
	j := i
	for ; j >= r.regime && r.v[j] <= 0; j-- {
		if j == i || r.days[j].expected >= r.minImpact {
			days++
		}
	}
	longest, cur := 0, 0
	for k := max(r.regime, i-detectorSpreadWindows*r.lookback); k <= j; k++ {
		switch {
		case r.v[k] > 0:
			cur = 0
		case r.days[k].judged && r.days[k].expected >= r.minImpact:
			cur++
			longest = max(longest, cur)
		}
	}
	return days, days > longest
}

// stillStopped reports whether a stop has been listed and the cost has
// been zero ever since: a stop is listed once, not every day.
func (r *detectorRun) stillStopped(i int) bool {
	if r.lastStop < 0 || r.lastStop >= i { // a revert judges a stop's days again
		return false
	}
	for j := r.lastStop; j < i; j++ {
		if r.v[j] > 0 {
			return false
		}
	}
	return true
}
