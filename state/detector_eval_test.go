package state_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// detectorTruth is one anomaly known to be in test data.
type detectorTruth struct {
	Product    string
	Kind       string
	Start, End api.Date
	// Optional marks an anomaly too small or too noisy to insist on:
	// finding it is not required, but an event on it is no false alarm.
	Optional bool
}

// detectorEvent is a run of consecutive flagged days of one product.
type detectorEvent struct {
	Product    string
	Kinds      string
	Start, End api.Date
}

// detectorScore is how well flagged events match the truth.
type detectorScore struct {
	Truths, Found  int // known anomalies, and those an event overlaps
	Events, Real   int // flagged events, and those overlapping a known anomaly
	Missed, Excess []string
}

func (s detectorScore) Recall() float64 {
	if s.Truths == 0 {
		return 1
	}
	return float64(s.Found) / float64(s.Truths)
}

func (s detectorScore) Precision() float64 {
	if s.Events == 0 {
		return 1
	}
	return float64(s.Real) / float64(s.Events)
}

func (s *detectorScore) add(o detectorScore) {
	s.Truths += o.Truths
	s.Found += o.Found
	s.Events += o.Events
	s.Real += o.Real
	s.Missed = append(s.Missed, o.Missed...)
	s.Excess = append(s.Excess, o.Excess...)
}

// detectorTolerance is how many days an event may sit outside a known
// anomaly and still count as finding it.
const detectorTolerance = 2

// detectorEvents merges consecutive flagged days of one product into events.
func detectorEvents(rows []state.Anomaly) []detectorEvent {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b state.Anomaly) int {
		if c := strings.Compare(a.ProductName, b.ProductName); c != 0 {
			return c
		}
		return int(a.Date - b.Date)
	})
	var evs []detectorEvent
	for _, a := range rows {
		if n := len(evs); n > 0 && evs[n-1].Product == a.ProductName && evs[n-1].End+1 == a.Date {
			evs[n-1].End = a.Date
			evs[n-1].Kinds += "," + a.Kind.String()
			continue
		}
		evs = append(evs, detectorEvent{Product: a.ProductName, Kinds: a.Kind.String(), Start: a.Date, End: a.Date})
	}
	return evs
}

// detectorMatch scores events against truths: a truth is found when an
// event of its product overlaps it, give or take detectorTolerance days.
func detectorMatch(rows []state.Anomaly, truths []detectorTruth) detectorScore {
	evs := detectorEvents(rows)
	overlaps := func(e detectorEvent, t detectorTruth) bool {
		return e.Product == t.Product && e.Start <= t.End+detectorTolerance && e.End >= t.Start-detectorTolerance
	}
	s := detectorScore{Events: len(evs)}
	for _, t := range truths {
		if t.Optional {
			continue
		}
		s.Truths++
		if slices.ContainsFunc(evs, func(e detectorEvent) bool { return overlaps(e, t) }) {
			s.Found++
		} else {
			s.Missed = append(s.Missed, fmt.Sprintf("%s %s %s..%s", t.Product, t.Kind, t.Start, t.End))
		}
	}
	for _, e := range evs {
		if slices.ContainsFunc(truths, func(t detectorTruth) bool { return overlaps(e, t) }) {
			s.Real++
		} else {
			s.Excess = append(s.Excess, fmt.Sprintf("%s %s %s..%s", e.Product, e.Kinds, e.Start, e.End))
		}
	}
	return s
}

// detectorLogScore logs a score's figures and, when verbose, what was
// missed and what was flagged without cause.
func detectorLogScore(t *testing.T, name string, s detectorScore) {
	t.Helper()
	t.Logf("%s: recall %.3f (%d/%d), precision %.3f (%d/%d)", name, s.Recall(), s.Found, s.Truths, s.Precision(), s.Real, s.Events)
	if testing.Verbose() {
		for _, m := range s.Missed {
			t.Logf("  missed: %s", m)
		}
		for _, e := range s.Excess {
			t.Logf("  excess: %s", e)
		}
	}
}
