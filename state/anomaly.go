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
)

// AnomalyKinds lists every kind, in the order a legend shows them.
var AnomalyKinds = []AnomalyKind{AnomalySpike, AnomalyDrop, AnomalyNew, AnomalyStop}

// String returns the kind's name as shown and exported: spike, drop, new, stop.
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
	}
	return fmt.Sprintf("AnomalyKind(%d)", int(k))
}

// Anomaly is one flagged product-day.
type Anomaly struct {
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
}
