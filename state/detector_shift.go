package state

import (
	"math"
)

// detectorShift remembers a level shift so it can be undone.
type detectorShift struct {
	start, end, dir int     // the run that made it
	until           int     // it may be undone or refined before this day
	f               float64 // new level / old level; 0 for a stop; -1 when unknown
	lo              int     // first index of the saved history
	adj, raw        []float64
	res, resT       []float64
	regime          int
}

// confirmShift accepts the current run of flags, which ends at i, as a new
// level: older history is rescaled by the ratio of new to old, so the
// weekly shape carries over and the next days are judged at the new level.
func (r *detectorRun) confirmShift(i int) {
	s := r.runStart
	ratios := r.scratchA[:0]
	stopped := true
	for j := s; j <= i; j++ {
		if r.v[j] > 0 {
			stopped = false
		}
		if e := r.days[j].expected; e > 0 {
			ratios = append(ratios, r.v[j]/e)
		}
	}
	f := -1.0
	switch {
	case stopped:
		f = 0
	case len(ratios) == i-s+1:
		f = detectorMedian(ratios)
	}
	lo := max(0, s-detectorSpreadWindows*r.lookback)
	sh := &detectorShift{start: s, end: i, dir: r.runDir, until: s + r.lookback, f: f, lo: lo,
		adj: append([]float64(nil), r.adj[lo:s]...), raw: append([]float64(nil), r.raw[lo:s]...),
		res: append([]float64(nil), r.res[lo:s]...), resT: append([]float64(nil), r.resT[lo:s]...), regime: r.regime}
	if f >= 0 {
		// Residuals are ratios on the log scale and carry over unchanged.
		for j := lo; j < s; j++ {
			r.adj[j] = r.toLog(f * r.toMoney(r.adj[j]))
			r.raw[j] = r.toLog(f * r.toMoney(r.raw[j]))
		}
	} else {
		r.regime = s // no ratio to carry history over: start afresh
	}
	for j := s; j <= i; j++ {
		if k := r.days[j].kind; k == AnomalySpike || k == AnomalyDrop {
			r.days[j].kind = AnomalyStep
		}
		r.adj[j], r.raw[j] = r.y[j], r.y[j]
		r.res[j], r.resT[j] = math.NaN(), math.NaN()
		if f > 0 {
			r.res[j] = r.y[j] - r.toLog(f*r.toMoney(r.days[j].base))
			r.resT[j] = r.res[j]
			r.lvl[j] = r.toLog(f * r.days[j].expected)
		}
	}
	r.shift = sh
	r.lastStep = i
	r.resetRun()
	r.resVersion++
}

// refine handles day i going against a recent level shift when the cost
// has not gone back to its old level: the shift's size was misjudged
// (three noisy days measure it roughly), so it is measured again over
// every day since, day i included, and history is rescaled by that.
// expected is day i's expected cost under the shift. It reports false
// when the cost has gone back, or the shift cannot be measured: a revert.
func (r *detectorRun) refine(i int, expected float64) bool {
	sh := r.shift
	if !(sh.f > 0) || expected <= 0 {
		return false
	}
	old := expected / sh.f
	if math.Abs(math.Log((r.v[i]+r.offset)/(old+r.offset))) < math.Abs(math.Log(sh.f))/2 {
		return false // nearer the old level than the new: it went back
	}
	ratios := append(r.scratchA[:0], r.v[i]/old)
	for j := sh.start; j < i; j++ {
		e := r.days[j].expected
		if j > sh.end {
			e /= sh.f
		}
		if r.days[j].judged && e > 0 {
			ratios = append(ratios, r.v[j]/e)
		}
	}
	f := detectorMedian(ratios)
	if !(f > 0) {
		return false
	}
	for j := sh.lo; j < sh.start; j++ {
		r.adj[j] = r.toLog(f * r.toMoney(sh.adj[j-sh.lo]))
		r.raw[j] = r.toLog(f * r.toMoney(sh.raw[j-sh.lo]))
	}
	sh.f = f
	return true
}

// revert undoes the last level shift because day i went back the other
// way: the cost returned, so the "shift" was an excursion. The history
// from before it comes back and the excursion's days are judged again
// against it, flagging them all.
func (r *detectorRun) revert(i int) {
	sh := r.shift
	r.shift = nil
	copy(r.adj[sh.lo:sh.start], sh.adj)
	copy(r.raw[sh.lo:sh.start], sh.raw)
	copy(r.res[sh.lo:sh.start], sh.res)
	copy(r.resT[sh.lo:sh.start], sh.resT)
	r.regime = sh.regime
	r.resetRun()
	r.resVersion++
	for j := sh.start; j < i; j++ {
		r.adj[j], r.raw[j], r.res[j], r.resT[j] = r.y[j], r.y[j], math.NaN(), math.NaN()
		r.judge(j, false, false)
	}
	r.resetRun()
	r.resVersion++
}
