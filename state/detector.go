package state

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// How the detector works, per product, day by day from the start of the
// series (lookback days included, so the state is warm when the judged
// window begins):
//
//   - Costs are compared on a log scale, log(cost + floor) with the money
//     floor as the offset: usage noise is proportional to its size, so a
//     product's quiet weekend and busy weekday are judged alike, and zero
//     stays finite.
//   - The baseline is the median of the same weekday over the previous four
//     weeks, or the median of the whole (shorter) history while four weeks
//     are not there yet. The median of the recent residuals corrects it for
//     slow trends, which a four-week median lags.
//   - The score is the departure over a robust spread of the recent
//     residuals (MAD, guarded by their 90th percentile), never the spread
//     of the four weekday points alone.
//   - A flagged day enters history as its expected value, so one anomaly
//     neither drags the baseline nor inflates the spread.
//   - detectorShiftDays flags in a row in one direction are a level shift:
//     older history is rescaled to the new level (keeping its weekly shape)
//     so a step is flagged for its first days, not for weeks. If within the
//     lookback the cost returns to the old level, the shift was a long spike:
//     the old history comes back and the whole excursion is flagged.
//   - A cost after a lookback of zeros is new; the launch then starts a
//     fresh history, and its ramp-up is not judged until MinHistoryDays.
//   - A charge that matches one on the same day of the previous month is a
//     recurring fee, not an anomaly; so is a one-day charge of a product
//     that has had such charges before, or one on a product used on few
//     days that is no bigger than its recent charges.
const (
	// detectorShiftDays is how many consecutive flags make a level shift.
	detectorShiftDays = 3
	// detectorMinResiduals is the least number of residuals worth a spread;
	// with fewer, the spread of the history's values is used.
	detectorMinResiduals = 7
	// detectorSmallSample widens a spread measured on n residuals by
	// 1 + detectorSmallSample/n, as a t distribution widens a normal: a
	// spread from few residuals is often too small, and a too-small
	// spread is a false alarm.
	detectorSmallSample = 4.0
	// detectorQuantumTolerance and detectorQuantumShare: costs are whole
	// units of a price when this share of recent days lie within this
	// fraction of a unit of a whole multiple of the smallest one.
	detectorQuantumTolerance = 0.01
	detectorQuantumShare     = 0.9
	// detectorQuantumDispersion: whole units count as a Poisson count only
	// when their variance is at least this share of their mean.
	detectorQuantumDispersion = 0.5
	// detectorLevelBand is how near (log scale) a day's expected level must
	// be to today's for its residual to join the level's own spread.
	detectorLevelBand = 0.47 // a factor of 1.6
	// detectorMinWeekdayPoints is the least number of same-weekday days
	// that make a range of their own (see beyondRange).
	detectorMinWeekdayPoints = 4
	// detectorSpreadWindows: the spread uses up to this many lookbacks of
	// residuals (the bias only the latest), as 28 samples make a noisy MAD.
	detectorSpreadWindows = 2
	// detectorNewGraceDays: a launch whose first day is below the money
	// floor is listed as new on its first day above it, within these days.
	detectorNewGraceDays = 7
	// detectorLogSpreadFloor keeps a perfectly flat history from giving an
	// infinite score: a spread of at least about 3%.
	detectorLogSpreadFloor = 0.03
	// detectorMonthlyRatio: a charge recurs if last month's excess on the
	// same day is within this factor of today's.
	detectorMonthlyRatio = 2.0
	// detectorSparseShare: a product with zero cost on at least this share
	// of its recent days is used on few days; a charge on it is a spike
	// only when detectorSparseRise times its largest recent charge.
	detectorSparseShare = 0.25
	detectorSparseRise  = 1.5
	// detectorMinOffset is the log offset when the money floor is zero.
	detectorMinOffset = 0.01
)

// DetectAnomalies judges one product's days in w and returns what it
// flagged. It never judges days after w.AsOf, the partial current day
// w.Today, or days past the end of in.Daily, and it says so when history
// is too short to judge a day rather than guessing.
func DetectAnomalies(in AnomalyInput, w AnomalyWindow, cfg DetectorConfig) AnomalyResult {
	cfg = detectorSane(cfg)
	first := max(w.From, in.Start)
	last := min(w.LastJudgeable(), in.Start.AddDays(len(in.Daily)-1))
	if len(in.Daily) == 0 || last < first {
		return AnomalyResult{Status: AnomalyNothingToJudge, Note: "no complete day to judge before " + w.LastJudgeable().AddDays(1).String()}
	}
	r := detectorRuns.Get().(*detectorRun).reset(in, int(last-in.Start)+1, cfg)
	defer detectorRuns.Put(r)
	for i := range r.v {
		r.step(i)
	}
	return r.result(in, int(first-in.Start), cfg)
}

// detectorSane fills unset settings (zero) with defaults and clamps ones
// that would break the arithmetic; Validate is where a user hears of those.
func detectorSane(c DetectorConfig) DetectorConfig {
	d := DefaultDetectorConfig()
	if !(c.Threshold > 0) {
		c.Threshold = d.Threshold
	}
	if c.MinImpact.IsNegative() {
		c.MinImpact = decimal.Zero
	}
	if !(c.MinPercent >= 0) {
		c.MinPercent = 0
	}
	if c.LookbackDays == 0 {
		c.LookbackDays = d.LookbackDays
	}
	c.LookbackDays = max(c.LookbackDays, 7)
	if c.MinHistoryDays == 0 {
		c.MinHistoryDays = d.MinHistoryDays
	}
	c.MinHistoryDays = min(max(c.MinHistoryDays, 3), c.LookbackDays)
	return c
}

// detectorDay is what the run decided about one day.
type detectorDay struct {
	judged   bool
	kind     AnomalyKind
	hidden   bool // a stop's later days: flagged, but not listed again
	recurs   bool // a known pattern: a monthly fee or an occasional charge
	unsure   bool // a one-day charge too early to tell from a monthly fee
	weekday  bool // base was the weekday median
	histDays int
	since    int     // for AnomalyNew: index of the launch
	zeroDays int     // for AnomalyStop: days without cost, this one included
	base     float64 // baseline on the log scale, before the trend bias
	expected float64 // expected cost, money
	score    float64
}

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

type detectorRun struct {
	start     api.Date
	threshold float64
	minImpact float64
	minPct    float64
	lookback  int
	weeks     int
	minHist   int
	offset    float64 // log offset: the money floor
	yZero     float64 // log(offset): a zero cost on the log scale

	v   []float64 // cost per day, money
	y   []float64 // cost per day, log scale
	adj []float64 // history as the baseline sees it (cleaned, rescaled), log scale
	raw []float64 // history rescaled but not cleaned, log scale: the range a day must leave
	// res is each day's residual from the weekday median (of two or more
	// weeks), resT from the trailing median, used while history is short
	// of four weeks; log scale, NaN when left out. They are kept apart
	// because the trailing median's residuals carry the weekly cycle and
	// would swamp the weekday spread for weeks.
	res, resT []float64
	lvl       []float64 // expected level (log scale) of each day with a residual; never rescaled, as count noise follows the real level
	days      []detectorDay

	regime     int // history starts here (a launch, or an unknown shift)
	runDir     int
	runStart   int
	runLen     int
	lastStop   int // the last listed stop, or -1
	shift      *detectorShift
	pendingNew int

	buf                []float64 // backs every per-day slice above and the scratch
	scratchA, scratchB []float64
	// recent keeps the weekday residuals of the lookback sorted as the
	// days slide by, since their median (the trend bias) is wanted every
	// day; resVersion counts rewrites of past residuals, which rebuild it.
	recent     detectorSorted
	pooled     detectorSorted // the same over the spread's longer window
	resVersion int
}

// detectorSlideMax is how many days a sorted window slides one by one;
// further, it is sorted afresh.
const detectorSlideMax = 8

// detectorSearch returns the first index of sorted xs whose value is not
// below x (xs holds no NaN, so plain comparisons do).
func detectorSearch(xs []float64, x float64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if xs[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// detectorSorted is a sorted window of r.res over the days [lo, hi).
type detectorSorted struct {
	xs      []float64
	lo, hi  int
	version int
	built   bool
}

// slide moves the window to r.res over [lo, hi) and returns its values,
// sorted.
func (w *detectorSorted) slide(r *detectorRun, lo, hi int) []float64 {
	// Rebuild when history was rewritten, the window moved back, or it
	// moved so far that sorting afresh is cheaper than sliding.
	if !w.built || w.version != r.resVersion || lo < w.lo || hi < w.hi || lo > w.hi || hi-w.hi > detectorSlideMax {
		w.xs = w.xs[:0]
		for j := lo; j < hi; j++ {
			if !math.IsNaN(r.res[j]) {
				w.xs = append(w.xs, r.res[j])
			}
		}
		slices.Sort(w.xs)
		w.built, w.version = true, r.resVersion
	} else {
		for j := w.lo; j < lo; j++ {
			if x := r.res[j]; !math.IsNaN(x) {
				if k := detectorSearch(w.xs, x); k < len(w.xs) && w.xs[k] == x {
					w.xs = slices.Delete(w.xs, k, k+1)
				}
			}
		}
		for j := w.hi; j < hi; j++ {
			if x := r.res[j]; !math.IsNaN(x) {
				w.xs = slices.Insert(w.xs, detectorSearch(w.xs, x), x)
			}
		}
	}
	w.lo, w.hi = lo, hi
	return w.xs
}

func newDetectorRun(in AnomalyInput, n int, cfg DetectorConfig) *detectorRun {
	return new(detectorRun).reset(in, n, cfg)
}

// detectorRuns recycles runs: a product's run is some tens of kilobytes,
// and the dashboard judges hundreds of products at a time.
var detectorRuns = sync.Pool{New: func() any { return new(detectorRun) }}

// reset readies r for the first n days of in, keeping its buffers.
func (r *detectorRun) reset(in AnomalyInput, n int, cfg DetectorConfig) *detectorRun {
	buf, days, recent, pooled := r.buf, r.days, r.recent.xs[:0], r.pooled.xs[:0]
	*r = detectorRun{
		start:      in.Start,
		threshold:  cfg.Threshold,
		minImpact:  cfg.MinImpact.InexactFloat64(),
		minPct:     cfg.MinPercent,
		lookback:   cfg.LookbackDays,
		weeks:      min(cfg.LookbackDays/7, 4),
		minHist:    cfg.MinHistoryDays,
		pendingNew: -1,
		lastStop:   -1,
	}
	r.recent.xs, r.pooled.xs = recent, pooled
	r.offset = max(r.minImpact, detectorMinOffset)
	r.yZero = math.Log(r.offset)
	sc := detectorSpreadWindows * cfg.LookbackDays
	if need := 7*n + 2*sc; cap(buf) >= need {
		buf = buf[:need]
	} else {
		buf = make([]float64, need)
	}
	r.buf = buf
	r.v, r.y, r.adj, r.raw = buf[:n:n], buf[n:2*n:2*n], buf[2*n:3*n:3*n], buf[3*n:4*n:4*n]
	r.res, r.resT, r.lvl = buf[4*n:5*n:5*n], buf[5*n:6*n:6*n], buf[6*n:7*n:7*n]
	r.scratchA, r.scratchB = buf[7*n:7*n:7*n+sc], buf[7*n+sc:7*n+sc]
	if cap(days) >= n {
		r.days = days[:n]
		clear(r.days)
	} else {
		r.days = make([]detectorDay, n)
	}
	for i := range r.v {
		r.v[i] = in.Daily[i].InexactFloat64()
		r.y[i] = r.toLog(r.v[i])
	}
	return r
}

// toLog and toMoney convert between money and the log scale. Credits
// (negative costs) count as zero for the statistics.
func (r *detectorRun) toLog(x float64) float64 { return math.Log(max(x, 0) + r.offset) }

func (r *detectorRun) toMoney(y float64) float64 { return max(0, math.Exp(y)-r.offset) }

// step decides day i from the days before it.
func (r *detectorRun) step(i int) {
	r.adj[i], r.raw[i], r.res[i], r.resT[i] = r.y[i], r.y[i], math.NaN(), math.NaN()
	if r.pendingNew >= 0 {
		if i-r.pendingNew >= detectorNewGraceDays {
			r.pendingNew = -1
		} else if r.v[i] >= r.minImpact && !r.recurring(i, r.v[i]) {
			r.days[i] = detectorDay{judged: true, kind: AnomalyNew, since: r.pendingNew}
			r.pendingNew = -1
			return
		}
	}
	lo := max(r.regime, i-r.lookback)
	if i-lo < r.minHist {
		r.days[i] = detectorDay{}
		r.resetRun()
		return
	}
	if r.quiet(lo, i) {
		r.fromNothing(i, lo)
		return
	}
	r.judge(i, true, true)
}

// quiet reports whether the history adj[lo:i] is all zero.
func (r *detectorRun) quiet(lo, i int) bool {
	for j := i - 1; j >= lo; j-- {
		if r.adj[j] != r.yZero {
			return false
		}
	}
	return true
}

// fromNothing decides a day whose whole history is zero.
func (r *detectorRun) fromNothing(i, lo int) {
	d := detectorDay{judged: true, histDays: i - lo}
	if r.v[i] <= 0 {
		r.res[i], r.resT[i] = 0, 0
		r.days[i] = d
		return
	}
	if sh := r.shift; sh != nil && sh.f == 0 && i < sh.until {
		// The cost stopped and came back within the lookback: an outage,
		// judged against the history from before it, not a launch.
		r.revert(i)
		r.judge(i, false, true)
		return
	}
	switch {
	case r.recurring(i, r.v[i]) || r.lone(i) && r.seenBefore(lo, r.v[i]):
		d.recurs = true
		r.adj[i], r.raw[i] = r.yZero, r.yZero // stays quiet, so the next such charge is judged the same way
	case r.lone(i) && r.lastMonthDays(i)[0] < r.start:
		// Maybe a monthly fee whose last charge is before the series.
		d.unsure = true
		r.adj[i], r.raw[i] = r.yZero, r.yZero
	default:
		// A launch: history starts afresh here.
		r.regime, r.shift = i, nil
		r.resetRun()
		if r.v[i] >= r.minImpact {
			d.kind, d.since = AnomalyNew, i
		} else {
			r.pendingNew = i
		}
	}
	r.days[i] = d
}

// detectorEval is one day measured against its baseline.
type detectorEval struct {
	base, expY, expected, change, score float64
	baseW                               float64 // median of the weekday points there are
	weekday, hasW                       bool
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
	ev.score = min(dev/spread, AnomalyScoreCap)
	ev.flag = floors && ev.score >= r.threshold
	if ev.flag && ev.change > 0 && r.sparseAndUsual(lo, i) {
		ev.flag = false
	}
	return ev
}

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

// sparseAndUsual reports whether the product is used on few days and day
// i is no bigger than its recent charges: for such a product the median
// is zero and every charge would otherwise look like a spike.
func (r *detectorRun) sparseAndUsual(lo, i int) bool {
	zeros, top := 0, r.yZero
	for j := lo; j < i; j++ {
		if r.adj[j] == r.yZero {
			zeros++
		}
		top = max(top, r.adj[j])
	}
	return float64(zeros) >= detectorSparseShare*float64(i-lo) && r.v[i] < detectorSparseRise*r.toMoney(top)
}

// judge decides day i against its baseline. mayRevert lets an opposite
// flag undo a recent level shift; mayShift lets a run of flags make one.
func (r *detectorRun) judge(i int, mayRevert, mayShift bool) {
	ev := r.evaluate(i, r.runLen > 0)
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
	if ev.flag && dir > 0 && r.recurring(i, ev.change) {
		ev.flag, d.recurs = false, true
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
	}
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

// countPlausiblyRare reports whether day i is rare enough if the product's
// cost comes in whole units of a price (a few pricey units a day): its
// number of units must lie as far in the Poisson tail as the threshold
// lies in the normal one. Costs not made of whole units pass.
func (r *detectorRun) countPlausiblyRare(i int, expected float64, up bool) bool {
	q := r.quantum(i)
	if q <= 0 || expected <= 0 {
		return true
	}
	k, lambda := math.Round(max(r.v[i], 0)/q), expected/q
	return detectorPoissonTail(k, lambda, up) <= 0.5*math.Erfc(r.threshold/math.Sqrt2)
}

// quantum returns the price the product's recent daily costs are whole
// multiples of (the smallest positive cost), or 0 when they are not.
func (r *detectorRun) quantum(i int) float64 {
	lo := max(r.regime, i-detectorSpreadWindows*r.lookback)
	q := math.Inf(1)
	for j := lo; j < i; j++ {
		if r.v[j] > 0 {
			q = min(q, r.v[j])
		}
	}
	if math.IsInf(q, 1) {
		return 0
	}
	n, whole := 0, 0
	var sum, sum2 float64
	for j := lo; j < i; j++ {
		x := max(r.v[j], 0)
		k := math.Round(x / q)
		sum, sum2 = sum+k, sum2+k*k
		if x > 0 {
			n++
			if math.Abs(x-k*q) <= detectorQuantumTolerance*q {
				whole++
			}
		}
	}
	if n < detectorMinResiduals || float64(whole) < detectorQuantumShare*float64(n) {
		return 0
	}
	// Counts vary at least as a Poisson count does (variance near the
	// mean); a flat fee of one "unit" a day is not a count.
	days := float64(i - lo)
	mean := sum / days
	if sum2/days-mean*mean < detectorQuantumDispersion*mean {
		return 0
	}
	return q
}

// detectorPoissonTail returns P(X >= k) (up) or P(X <= k) for X Poisson
// with mean lambda.
func detectorPoissonTail(k, lambda float64, up bool) float64 {
	if lambda > 1000 { // normal approximation, with continuity correction
		z := (k - lambda) / math.Sqrt(lambda)
		if up {
			return 0.5 * math.Erfc((z-0.5/math.Sqrt(lambda))/math.Sqrt2)
		}
		return 0.5 * math.Erfc(-(z+0.5/math.Sqrt(lambda))/math.Sqrt2)
	}
	if up && k > lambda+40*math.Sqrt(lambda)+40 {
		return 0 // far beyond any mass (and no endless sum up to k)
	}
	below := 0.0 // P(X <= k), or P(X <= k-1) for the upper tail
	last := k
	if up {
		last = k - 1
	}
	for j := 0.0; j <= last; j++ {
		lg, _ := math.Lgamma(j + 1)
		below += math.Exp(-lambda + j*math.Log(lambda) - lg)
	}
	if up {
		return max(0, 1-below)
	}
	return min(1, below)
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

func (r *detectorRun) resetRun() { r.runDir, r.runStart, r.runLen = 0, 0, 0 }

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
		r.adj[j], r.raw[j] = r.y[j], r.y[j]
		r.res[j], r.resT[j] = math.NaN(), math.NaN()
		if f > 0 {
			r.res[j] = r.y[j] - r.toLog(f*r.toMoney(r.days[j].base))
			r.resT[j] = r.res[j]
			r.lvl[j] = r.toLog(f * r.days[j].expected)
		}
	}
	r.shift = sh
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

// recurring reports whether a charge of excess on day i matches one on the
// same day of the previous month (give or take a day): a monthly fee.
func (r *detectorRun) recurring(i int, excess float64) bool {
	if excess <= 0 {
		return false
	}
	for _, c := range r.lastMonthDays(i) {
		j := int(c - r.start)
		if j < 0 || j >= i {
			continue
		}
		// Judge last month's day by its own neighbours: its stored
		// expectation may come from a different regime, or be missing.
		nb := r.scratchA[:0]
		for k := j - 3; k <= j+3; k++ {
			if k != j && k >= 0 && k < i {
				nb = append(nb, r.v[k])
			}
		}
		ex := r.v[j] - detectorMedian(nb)
		if ex*detectorMonthlyRatio >= excess && ex <= excess*detectorMonthlyRatio {
			return true
		}
	}
	return false
}

// lastMonthDays returns the same day of the previous month (the month's
// last day when it is shorter) with the day either side.
func (r *detectorRun) lastMonthDays(i int) [3]api.Date {
	d := r.start.AddDays(i)
	y, m, dd := d.Parts()
	prev := api.NewDate(y, m-1, 1)
	_, _, prevLen := prev.MonthEnd().Parts()
	c := prev.AddDays(min(dd, prevLen) - 1)
	return [3]api.Date{c - 1, c, c + 1}
}

// lone reports whether day i is a one-day charge: the next known day is zero.
func (r *detectorRun) lone(i int) bool { return i+1 < len(r.v) && r.v[i+1] <= 0 }

// seenBefore reports whether the series had a charge of about x (within
// detectorMonthlyRatio) before lo: an occasional charge coming back.
func (r *detectorRun) seenBefore(lo int, x float64) bool {
	for j := lo - 1; j >= 0; j-- {
		if r.v[j]*detectorMonthlyRatio >= x && r.v[j] <= x*detectorMonthlyRatio {
			return true
		}
	}
	return false
}

// result gathers the listed anomalies and the status of days from first on.
func (r *detectorRun) result(in AnomalyInput, first int, cfg DetectorConfig) AnomalyResult {
	var out AnomalyResult
	var recurs, unsure int
	for i := first; i < len(r.days); i++ {
		d := r.days[i]
		if !d.judged {
			out.Unjudged++
			continue
		}
		out.Judged++
		if d.recurs {
			recurs++
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
		notes = append(notes, fmt.Sprintf("%d monthly %s not flagged", recurs, anomalyPlural(recurs, "charge", "charges")))
	}
	if unsure > 0 {
		notes = append(notes, fmt.Sprintf("%d one-day %s not flagged: too little history to tell from a monthly fee", unsure, anomalyPlural(unsure, "charge", "charges")))
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
	if !a.Expected.IsZero() {
		a.ImpactPercent = a.Impact.InexactFloat64() / a.Expected.InexactFloat64() * 100
	}
	a.Reason = anomalyReason(a, anomalyWhy{weekday: d.weekday, histDays: d.histDays, since: r.start.AddDays(d.since), zeroDays: d.zeroDays})
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
