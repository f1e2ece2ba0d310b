package state

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// AnomalyKind says which way a flagged day departs from its product's usual cost.
type AnomalyKind int

// Anomaly kinds. The zero value is no anomaly.
const (
	// AnomalySpike is a day well above its expected cost.
	AnomalySpike AnomalyKind = iota + 1
	// AnomalyDrop is a day well below its expected cost, but not zero.
	AnomalyDrop
	// AnomalyNew is a cost that appears after a stretch of nothing.
	AnomalyNew
	// AnomalyStop is a cost that falls to zero. Only the first day of a
	// stop is listed; the days after it say the same thing again.
	AnomalyStop
	// AnomalyStep is the first days of a lasting change of level; the
	// days after them are judged at the new level.
	AnomalyStep
	// AnomalyDrift is a slow move: the first day the product's level has
	// moved more than DetectorConfig.DriftPercent from its level four to
	// eight weeks before, with no step that explains it.
	AnomalyDrift
	// AnomalyPattern is a change of the weekly pattern (weekends suddenly
	// like weekdays, say), listed once and then learnt per weekday.
	AnomalyPattern
	// AnomalyGroup is a group-level finding: a day on which most products
	// of the billing group moved together (a public holiday, say).
	AnomalyGroup
)

// AnomalyKinds lists every kind, in the order a legend shows them.
var AnomalyKinds = []AnomalyKind{AnomalySpike, AnomalyDrop, AnomalyNew, AnomalyStop, AnomalyStep, AnomalyDrift, AnomalyPattern, AnomalyGroup}

// Up reports whether the kind marks a cost above its expectation (a
// chart draws it at the top); a step or drift says so by its impact.
func (a Anomaly) Up() bool {
	switch a.Kind {
	case AnomalySpike, AnomalyNew:
		return true
	case AnomalyDrop, AnomalyStop:
		return false
	}
	return a.Impact.IsPositive()
}

// AnomalyScope says whether a finding is about one product or the group.
type AnomalyScope int

// Scopes. The zero value is a product's finding.
const (
	// ScopeProduct is one product's flagged day.
	ScopeProduct AnomalyScope = iota
	// ScopeGroup is a move most of the group's products shared; its
	// product fields are empty.
	ScopeGroup
)

// String returns the scope as exported: product or group.
func (s AnomalyScope) String() string {
	if s == ScopeGroup {
		return "group"
	}
	return "product"
}

// String returns the kind's name as shown and exported: spike, drop, new,
// stop, step, drift, pattern, group.
func (k AnomalyKind) String() string {
	switch k {
	case AnomalySpike:
		return "spike"
	case AnomalyDrop:
		return "drop"
	case AnomalyNew:
		return "new"
	case AnomalyStop:
		return "stop"
	case AnomalyStep:
		return "step"
	case AnomalyDrift:
		return "drift"
	case AnomalyPattern:
		return "pattern"
	case AnomalyGroup:
		return "group"
	}
	return fmt.Sprintf("AnomalyKind(%d)", int(k))
}

// Anomaly is one flagged product-day, or one group-level finding (Scope
// ScopeGroup, Kind AnomalyGroup, product fields empty, money figures the
// group's totals over its products in Currency).
type Anomaly struct {
	Scope           AnomalyScope
	ProductName     string
	ProductCategory string
	Currency        string
	Date            api.Date
	Kind            AnomalyKind
	// Actual is the day's cost, exactly as summed from the records.
	Actual decimal.Decimal
	// Expected is the baseline the day was judged against, rounded to
	// the cent (or to 1/10000 below one unit); zero for AnomalyNew.
	Expected decimal.Decimal
	// Impact is Actual - Expected: positive for spikes and new costs.
	Impact decimal.Decimal
	// ImpactPercent is Impact as a percentage of Expected. It has no
	// meaning when Expected is zero (see HasPercent) and is 0 then.
	ImpactPercent float64
	// Score is the size of the departure in robust standard deviations
	// (always positive; Kind gives the direction), capped at AnomalyScoreCap.
	Score float64
	// Reason explains the flag in one line of plain numbers.
	Reason string
	// Moved and Of are a group finding's count of products that moved
	// with the group, out of those with enough history to tell.
	Moved, Of int
}

// HasPercent reports whether ImpactPercent means anything: a change from
// an expected zero has no percentage.
func (a Anomaly) HasPercent() bool { return !a.Expected.IsZero() }

// AnomalyScoreCap bounds Score so that a departure from a perfectly flat
// or empty history (an infinite z) still sorts, prints and exports.
const AnomalyScoreCap = 99.0

// AnomalyInput is one product's daily cost, the detector's only input.
// It is plain data so the detector does not depend on how records are stored.
type AnomalyInput struct {
	ProductName     string
	ProductCategory string
	Currency        string
	// Start is the date of Daily[0].
	Start api.Date
	// Daily is the cost of each day from Start, zero-filled: a day with no
	// records is a zero, not a gap. It should begin LookbackDays before the
	// first judged day (DetectorConfig.HistoryStart) so the first days are
	// judged against real history; days past its end are not judged.
	Daily []decimal.Decimal
}

// AnomalyWindow says which days to judge.
type AnomalyWindow struct {
	// From and To bound the judged days, inclusive.
	From, To api.Date
	// AsOf is the freshness watermark: days after it are not judged.
	AsOf api.Date
	// Today is the current UTC day. Its usage is still coming in, so it is
	// never judged even when AsOf has reached it. Zero means "not known".
	Today api.Date
}

// LastJudgeable returns the last day the window allows judging: To, cut
// back to AsOf and to the day before Today.
func (w AnomalyWindow) LastJudgeable() api.Date {
	last := w.To
	if !w.AsOf.IsZero() && w.AsOf < last {
		last = w.AsOf
	}
	if !w.Today.IsZero() && w.Today-1 < last {
		last = w.Today - 1
	}
	return last
}

// AnomalyStatus says how much of a product's window the detector could judge.
type AnomalyStatus int

// Statuses, from fully judged to not judged at all.
const (
	// AnomalyJudged means every day in the window was judged.
	AnomalyJudged AnomalyStatus = iota
	// AnomalyPartlyJudged means some days lacked history (a recent launch,
	// or a series that starts too late) and were not judged.
	AnomalyPartlyJudged
	// AnomalyTooLittleHistory means no day had enough history to judge.
	AnomalyTooLittleHistory
	// AnomalyNothingToJudge means the window holds no judgeable day: it
	// lies after AsOf, on the partial current day, or past the series.
	AnomalyNothingToJudge
)

// String describes the status for a status line.
func (s AnomalyStatus) String() string {
	switch s {
	case AnomalyJudged:
		return "judged"
	case AnomalyPartlyJudged:
		return "partly judged: some days have too little history"
	case AnomalyTooLittleHistory:
		return "too little history to judge"
	case AnomalyNothingToJudge:
		return "no complete day to judge"
	}
	return fmt.Sprintf("AnomalyStatus(%d)", int(s))
}

// AnomalyResult is what the detector found for one product.
type AnomalyResult struct {
	// Anomalies are the flagged days, oldest first.
	Anomalies []Anomaly
	Status    AnomalyStatus
	// Judged counts the days judged; Unjudged the days in the window that
	// had too little history.
	Judged, Unjudged int
	// Note explains the status in a sentence (empty when all is judged),
	// e.g. why days were skipped or which charges looked like monthly fees.
	Note string
	// Recurring lists the judged days whose charge was recognised as
	// recurring by the calendar and so not flagged, oldest first.
	Recurring []Recurrence
}

// Recurrence is a charge the detector recognised as recurring (a fee on
// the 1st, a month-end or quarter-end batch) rather than flagging it.
type Recurrence struct {
	Date api.Date
	// Reason says by which rule, in one line: "Dec 31: quarter-end
	// batch, as on Sep 30 and Jun 30".
	Reason string
}
