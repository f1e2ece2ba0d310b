package state

import (
	"math"
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
//     residuals (MAD, guarded by their 90th percentile and widened for
//     small samples), never the spread of the four weekday points alone;
//     days at about today's level have a say of their own, as a few units
//     a day are noisier than many.
//   - A day past the score and both floors is listed only if the product
//     has not been there lately: beyond every one of the same weekday's
//     last eight weeks; for a stop, a run of zero days longer than any
//     lately; for a product costed in whole units of a price, a count as
//     rare under a Poisson law as the threshold is under a normal one. A
//     day that is not listed is the product's normal and joins history.
//   - A listed day enters history as its expected value, so one anomaly
//     neither drags the baseline nor inflates the spread.
//   - detectorShiftDays flags in a row in one direction are a level shift:
//     older history is rescaled to the new level (keeping its weekly shape)
//     so a step is flagged for its first days, not for weeks. If within the
//     lookback the cost goes back to the old level, the shift was a long
//     spike: the old history comes back and the whole excursion is flagged;
//     if it goes only part way, the shift's size is measured again.
//   - A cost after a lookback of zeros is new; the launch then starts a
//     fresh history, and its ramp-up is not judged until MinHistoryDays.
//     A stop is listed once, on its first day.
//   - A charge that recurs by the calendar is a known pattern, not an
//     anomaly (detector_recurring.go): the same day of the previous month
//     (a fee on the 1st or 15th, a batch on the 10th), the previous
//     month's last day for a month-end batch, an earlier quarter end for a
//     quarter-end batch. So is a one-day charge of a product that has had
//     such charges before, or one on a product used on few days that is
//     no bigger than its earlier charges (occasional).
//   - detectorSoftDays days in a row that each lean one way by half the
//     threshold, together reaching it, are a step too small for any one
//     day to stand out (softStep); a step's first days are listed as
//     AnomalyStep, then the level shifts as above.
//   - The same weekday flagged the same way a week apart is a change of
//     the weekly pattern: listed once, then learnt (detector_weekly.go).
//   - A level that stays more than DriftPercent from its level four to
//     eight weeks before is one drift finding (detector_drift.go).
//   - With the group's shared days (detector_group.go), a shared day is
//     judged against the group's move too and never joins history as
//     normal; DetectGroupAnomalies finds those days across products.
const (
	// detectorShiftDays is how many consecutive flags make a level shift.
	detectorShiftDays = 3
	// detectorSoftDays is how many days in a row a step too small for
	// any one day to stand out must lean one way (see softStep).
	detectorSoftDays = 4
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
	// floor is listed as new (on its first day) once its cost since the
	// launch passes the floor, within these days.
	detectorNewGraceDays = 7
	// detectorLogSpreadFloor keeps a perfectly flat history from giving an
	// infinite score: a spread of at least about 3%.
	detectorLogSpreadFloor = 0.03
	// detectorMonthlyRatio: a charge recurs if last month's excess on the
	// same day is within this factor of today's.
	detectorMonthlyRatio = 2.0
	// detectorSparseShare: a product with zero cost on at least this share
	// of its last detectorSparseDays days is used on few days; a charge on
	// it is a spike only beyond its earlier charges (see occasional), of
	// which detectorMinCharges make a spread.
	detectorSparseShare = 0.25
	detectorSparseRise  = 1.5
	detectorSparseDays  = 365
	detectorMinCharges  = 5
	// detectorMinOffset is the log offset when the money floor is zero.
	detectorMinOffset = 0.01
)

// DetectAnomalies judges one product's days in w and returns what it
// flagged. It never judges days after w.AsOf, the partial current day
// w.Today, or days past the end of in.Daily, and it says so when history
// is too short to judge a day rather than guessing. Alone, it knows
// nothing of the group's calendar: DetectGroupAnomalies judges every
// product of a group against the days they moved together.
func DetectAnomalies(in AnomalyInput, w AnomalyWindow, cfg DetectorConfig) AnomalyResult {
	return detectProduct(in, w, detectorSane(cfg), nil, nil)
}

// detectProduct is DetectAnomalies with the group's shared days (nil:
// none known) and the costs as floats when already converted (nil: convert
// them here). cfg must have been through detectorSane.
func detectProduct(in AnomalyInput, w AnomalyWindow, cfg DetectorConfig, grp *groupCalendar, vals []float64) AnomalyResult {
	first := max(w.From, in.Start)
	last := min(w.LastJudgeable(), in.Start.AddDays(len(in.Daily)-1))
	if len(in.Daily) == 0 || last < first {
		return AnomalyResult{Status: AnomalyNothingToJudge, Note: "no complete day to judge before " + w.LastJudgeable().AddDays(1).String()}
	}
	r := detectorRuns.Get().(*detectorRun).reset(in, vals, int(last-in.Start)+1, cfg)
	defer detectorRuns.Put(r)
	r.grp = grp
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
	if !(c.DriftPercent > 0) {
		c.DriftPercent = d.DriftPercent
	}
	return c
}

// detectorDay is what the run decided about one day.
type detectorDay struct {
	judged   bool
	group    bool // a day the group moved together: judged against its move
	kind     AnomalyKind
	flagDir  int8    // the score and floors flagged the day, this way
	dev      float64 // for a flagged day: its departure, log scale
	recur    detectorRecur
	drift    [2]float64 // for AnomalyDrift: the old level and the new, money per day
	hidden   bool       // a stop's later days: flagged, but not listed again
	recurs   bool       // a known pattern: a monthly fee or an occasional charge
	unsure   bool       // a one-day charge too early to tell from a monthly fee
	weekday  bool       // base was the weekday median
	histDays int
	since    int     // for AnomalyNew: index of the launch
	zeroDays int     // for AnomalyStop: days without cost, this one included
	base     float64 // baseline on the log scale, before the trend bias
	expected float64 // expected cost, money
	score    float64
}

// detectorRun is the detector's state over one product's series: the
// series in money and on the log scale, the history as the baseline sees
// it, each day's decision, and the run of flags and level shift under way.
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

	regime   int // history starts here (a launch, or an unknown shift)
	runDir   int
	runStart int
	runLen   int
	// softDir, softStart, softLen and softSum track days in a row that
	// lean one way without standing out (see softStep).
	softDir, softStart, softLen int
	softSum                     float64
	lastStop                    int // the last listed stop, or -1
	shift                       *detectorShift
	pendingNew                  int
	pendingCum                  float64 // cost since the launch pendingNew, money

	grp        *groupCalendar // the group's shared days, or nil
	driftUp    float64        // log(1 + DriftPercent/100)
	driftDown  float64        // log(1 - DriftPercent/100), or -Inf
	driftUntil int            // no drift is listed before this day
	driftRun   int            // days in a row the level has been moved
	driftAt    [2]float64     // the run's first day: old and new level, money per day
	driftScore float64
	lastStep   int // the last day a step was confirmed, or -1

	buf                []float64 // backs every per-day slice above and the scratch
	scratchA, scratchB []float64
	// recent keeps the weekday residuals of the lookback sorted as the
	// days slide by, since their median (the trend bias) is wanted every
	// day; resVersion counts rewrites of past residuals, which rebuild it.
	recent     detectorSorted
	pooled     detectorSorted // the same over the spread's longer window
	resVersion int
}

// detectorRuns recycles runs: a product's run is some tens of kilobytes,
// and the dashboard judges hundreds of products at a time.
var detectorRuns = sync.Pool{New: func() any { return new(detectorRun) }}

// reset readies r for the first n days of in (vals: its costs as floats,
// or nil), keeping its buffers.
func (r *detectorRun) reset(in AnomalyInput, vals []float64, n int, cfg DetectorConfig) *detectorRun {
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
		lastStep:   -1,
		driftUp:    math.Log1p(cfg.DriftPercent / 100),
		driftDown:  math.Log(max(0, 1-cfg.DriftPercent/100)),
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
		if vals != nil {
			r.v[i] = vals[i]
		} else {
			r.v[i] = in.Daily[i].InexactFloat64()
		}
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
		// A launch below the money floor is news once its cost since the
		// launch passes the floor within its first detectorNewGraceDays
		// (a product that costs less in a week is too small to tell); its
		// first day carries the finding.
		r.pendingCum += max(r.v[i], 0)
		switch {
		case i-r.pendingNew >= detectorNewGraceDays:
			r.pendingNew = -1
		case r.pendingCum >= r.minImpact:
			r.days[r.pendingNew].kind, r.days[r.pendingNew].since = AnomalyNew, r.pendingNew
			r.pendingNew = -1
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
	r.checkDrift(i)
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
	rec, recurs := r.recurring(i, r.v[i])
	switch {
	case recurs || r.lone(i) && r.seenBefore(lo, r.v[i]) || r.occasional(i, r.v[i]):
		d.recurs, d.recur = true, rec
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
			r.pendingNew, r.pendingCum = i, max(r.v[i], 0)
		}
	}
	r.days[i] = d
}
