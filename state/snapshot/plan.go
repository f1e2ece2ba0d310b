package snapshot

import (
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
)

// DefaultHorizonDays is how many recent days are fetched again even when
// stored: Twilio's figures are estimates until invoiced, and the last
// week is where they still move.
const DefaultHorizonDays = 7

// Refetch returns the days of the snapshot's range that must be fetched:
// those no window holds, the last horizonDays days up to today (0: none),
// and days after the asOf of the window holding them (they were not in
// yet). For MONTHLY each is widened to its whole month, clipped to the
// range, since a month's record comes whole. The ranges are sorted and
// apart, ready for window.Query.Ranges; nil when the store has it all.
func (s *Snapshot) Refetch(today api.Date, horizonDays int) []window.Range {
	r := s.Range
	if r.To < r.From {
		return nil
	}
	need := make([]bool, r.Days())
	mark := func(from, to api.Date) {
		for d := max(from, r.From); d <= min(to, r.To); d++ {
			need[d-r.From] = true
		}
	}
	for _, m := range s.Missing {
		mark(m.From, m.To)
	}
	if horizonDays > 0 {
		mark(today-api.Date(horizonDays)+1, r.To)
	}
	for _, w := range s.Windows {
		mark(w.AsOf+1, w.Range.To)
	}
	if s.Aggregation == api.Monthly {
		for d := r.From; d <= r.To; d++ {
			if need[d-r.From] {
				mark(d.MonthStart(), d.MonthEnd())
				d = d.MonthEnd()
			}
		}
	}
	var out []window.Range
	for i := 0; i < len(need); i++ {
		if !need[i] {
			continue
		}
		j := i
		for j+1 < len(need) && need[j+1] {
			j++
		}
		out = append(out, window.Range{From: r.From + api.Date(i), To: r.From + api.Date(j)})
		i = j
	}
	return out
}
