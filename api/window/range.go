// Package window loads a long records query as date windows fetched
// concurrently: each window is its own query paging on its own tokens, the
// number of requests in flight adapts to the API's rate limiting, and
// completed windows are handed over in date order so a store can append
// them. It also holds Range, the inclusive day span the snapshot store and
// the load plan speak in.
package window

import (
	"fmt"
	"math"
	"strings"

	"github.com/usagetop/usagetop/api"
)

// Range is an inclusive span of UTC days, From through To.
type Range struct {
	From, To api.Date
}

// Days returns how many days r covers; 0 when To is before From.
func (r Range) Days() int { return max(0, api.DaysInclusive(r.From, r.To)) }

// Contains reports whether d lies in r.
func (r Range) Contains(d api.Date) bool { return d >= r.From && d <= r.To }

// String formats r as "2026-01-01..2026-01-31".
func (r Range) String() string { return r.From.String() + ".." + r.To.String() }

// Overlaps reports whether r and o share a day.
func (r Range) Overlaps(o Range) bool { return r.From <= o.To && o.From <= r.To }

// checkRanges insists on what windows are cut from: valid API ranges, in
// date order, not overlapping, so the windows partition them.
func checkRanges(rs []Range) error {
	if len(rs) == 0 {
		return fmt.Errorf("no date range to load")
	}
	for i, r := range rs {
		if err := api.ValidateRange(r.From, r.To); err != nil {
			return err
		}
		if i > 0 && r.From <= rs[i-1].To {
			return fmt.Errorf("date ranges %s and %s overlap or are out of order; give them sorted and apart", rs[i-1], r)
		}
	}
	return nil
}

// monthsOf cuts r at calendar month boundaries: the first and last pieces
// are clipped to r.
func monthsOf(r Range) []Range {
	var out []Range
	for from := r.From; from <= r.To; {
		to := min(from.MonthEnd(), r.To)
		out = append(out, Range{from, to})
		from = to + 1
	}
	return out
}

// initialChunks cuts the ranges into about n chunks before anything is
// known about the group, each a run of whole months (clipped to its range),
// so the first n requests each probe a different part of the query and
// every chunk can be split further once its first page shows how dense
// the data is.
func initialChunks(rs []Range, n int) []Range {
	var months []Range
	for _, r := range rs {
		months = append(months, monthsOf(r)...)
	}
	total := 0
	for _, m := range months {
		total += m.Days()
	}
	per := max(1, int(math.Ceil(float64(total)/float64(max(1, n)))))
	var out []Range
	var cur Range
	open := false
	for _, m := range months {
		if open && (m.From != cur.To+1 || cur.Days()+m.Days() > per+per/4) {
			out = append(out, cur)
			open = false
		}
		if !open {
			cur, open = m, true
			continue
		}
		cur.To = m.To
	}
	if open {
		out = append(out, cur)
	}
	return out
}

// split cuts r into windows that each hold about target records when the
// data has perDay records a day, so each window is one page. DAILY records
// are per day, so a window may end on any day; MONTHLY records cover a
// month clipped to the request, so MONTHLY windows are whole months (a
// window starting mid-month would clip that month's record differently
// from the query the user asked for) and never smaller than one.
func split(r Range, agg api.Aggregation, perDay float64, target int) []Range {
	if perDay <= 0 || target <= 0 {
		return []Range{r}
	}
	if agg == api.Monthly {
		var out []Range
		for _, m := range monthsOf(r) {
			n := len(out)
			if n > 0 && float64(out[n-1].Days()+m.Days())*perDay <= float64(target) {
				out[n-1].To = m.To
				continue
			}
			out = append(out, m)
		}
		return out
	}
	days := r.Days()
	parts := int(math.Ceil(float64(days) * perDay / float64(target)))
	parts = max(1, min(parts, days))
	out := make([]Range, 0, parts)
	from := r.From
	for i := range parts {
		// Spread the remainder so the parts differ by at most a day.
		n := days / parts
		if i < days%parts {
			n++
		}
		out = append(out, Range{from, from + api.Date(n) - 1})
		from += api.Date(n)
	}
	return out
}

// firstUnit is the smallest window r can be cut down to at its start: its
// first day (DAILY) or its first month (MONTHLY).
func firstUnit(r Range, agg api.Aggregation) Range {
	if agg == api.Monthly {
		return Range{r.From, min(r.From.MonthEnd(), r.To)}
	}
	return Range{r.From, r.From}
}

// Join lists ranges for a message: "2026-01-01..2026-01-31, 2026-03-01..2026-03-31".
func Join(rs []Range) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}
