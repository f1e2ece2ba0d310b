package state

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// DetectorConfig holds the anomaly detector's thresholds. A day is flagged
// only when all three tests pass: the score, the money floor and the
// percent floor, so a tiny product's noise and a huge product's ordinary
// wobble both stay quiet.
type DetectorConfig struct {
	// Threshold is the robust score (departure in robust standard
	// deviations of recent residuals) a day must reach.
	Threshold float64
	// MinImpact is the money floor: the change must be at least this much,
	// in the product's currency.
	MinImpact decimal.Decimal
	// MinPercent is the percent floor: the change must be at least this
	// percentage of the expected cost.
	MinPercent float64
	// LookbackDays is how far back the baseline looks; the weekday median
	// uses up to four whole weeks of it. 0 means the default.
	LookbackDays int
	// MinHistoryDays is the least history a day needs to be judged. Fewer
	// days and the detector says "too little history" instead of guessing.
	// 0 means the default (capped at LookbackDays).
	MinHistoryDays int
	// DriftPercent is how far (in percent) a product's level must move
	// from its level four to eight weeks before to be a drift. 0 means
	// the default.
	DriftPercent float64
}

// Detector defaults, as documented in config.example.toml.
const (
	DefaultAnomalyThreshold      = 3.5
	DefaultAnomalyMinImpact      = 5
	DefaultAnomalyMinPercent     = 30.0
	DefaultAnomalyLookbackDays   = 28
	DefaultAnomalyMinHistoryDays = 14
	DefaultAnomalyDriftPercent   = 40.0
)

// DefaultDetectorConfig returns the defaults: score 3.5, at least 5 (money)
// and 30%, four weeks of lookback, two weeks of history before judging.
func DefaultDetectorConfig() DetectorConfig {
	return DetectorConfig{
		Threshold:      DefaultAnomalyThreshold,
		MinImpact:      decimal.NewFromInt(DefaultAnomalyMinImpact),
		MinPercent:     DefaultAnomalyMinPercent,
		LookbackDays:   DefaultAnomalyLookbackDays,
		MinHistoryDays: DefaultAnomalyMinHistoryDays,
		DriftPercent:   DefaultAnomalyDriftPercent,
	}
}

// Validate reports the first setting that cannot work, naming it as the
// config file does.
func (c DetectorConfig) Validate() error {
	lookback := c.LookbackDays
	if lookback == 0 {
		lookback = DefaultAnomalyLookbackDays
	}
	switch {
	case !(c.Threshold > 0) || c.Threshold > AnomalyScoreCap:
		return fmt.Errorf("anomaly threshold %g is out of range; use a score above 0 and at most %g (default %g)", c.Threshold, AnomalyScoreCap, DefaultAnomalyThreshold)
	case c.MinImpact.IsNegative():
		return fmt.Errorf("anomaly min_impact %s is negative; use 0 or more (default %d)", c.MinImpact, DefaultAnomalyMinImpact)
	case !(c.MinPercent >= 0) || c.MinPercent > 1e6:
		return fmt.Errorf("anomaly min_percent %g is out of range; use 0 or more (default %g)", c.MinPercent, DefaultAnomalyMinPercent)
	case lookback < 7 || lookback > api.MaxRangeDays:
		return fmt.Errorf("anomaly lookback_days %d is out of range; use 7 to %d (default %d)", c.LookbackDays, api.MaxRangeDays, DefaultAnomalyLookbackDays)
	case !(c.DriftPercent >= 0) || c.DriftPercent > 1e6:
		return fmt.Errorf("anomaly drift_percent %g is out of range; use 0 or more (default %g)", c.DriftPercent, DefaultAnomalyDriftPercent)
	case c.MinHistoryDays != 0 && (c.MinHistoryDays < 3 || c.MinHistoryDays > lookback):
		return fmt.Errorf("anomaly min_history_days %d is out of range; use 3 to lookback_days (%d) (default %d)", c.MinHistoryDays, lookback, DefaultAnomalyMinHistoryDays)
	}
	return nil
}

// HistoryStart returns the first day to fetch so the day from is judged
// against a full lookback: the baseline query runs from here to the day
// before the period.
func (c DetectorConfig) HistoryStart(from api.Date) api.Date {
	return from.AddDays(-detectorSane(c).LookbackDays)
}
