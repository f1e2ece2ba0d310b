package state

import (
	"strings"

	"github.com/usagetop/usagetop/api"
)

// RollingPeriod is a period preset the API does not have: the last N
// whole days or months before today. It is sent as a custom range
// (startDate/endDate), so a query over it is an ordinary custom Query;
// RollingOf recognises one again for the header and the period picker.
type RollingPeriod string

// Rolling presets. Each ends yesterday or at the end of last month, so
// every day in it is whole: a part-day would read as a fall.
const (
	Last7Days    RollingPeriod = "LAST_7_DAYS"
	Last30Days   RollingPeriod = "LAST_30_DAYS"
	Last90Days   RollingPeriod = "LAST_90_DAYS"
	Last12Months RollingPeriod = "LAST_12_MONTHS"
)

// RollingPeriods lists every rolling preset, shortest first.
var RollingPeriods = []RollingPeriod{Last7Days, Last30Days, Last90Days, Last12Months}

// String returns the preset's name.
func (p RollingPeriod) String() string { return string(p) }

// ParseRollingPeriod parses a rolling preset's name, case-insensitively.
func ParseRollingPeriod(s string) (RollingPeriod, bool) {
	for _, p := range RollingPeriods {
		if strings.EqualFold(strings.TrimSpace(s), string(p)) {
			return p, true
		}
	}
	return "", false
}

// Bounds returns the inclusive dates p covers when today is today:
// LAST_N_DAYS is the N days before today; LAST_12_MONTHS the twelve whole
// months before this one, cut to the 365 days the API allows in one query
// when they span a February 29th.
func (p RollingPeriod) Bounds(today api.Date) (start, end api.Date) {
	switch p {
	case Last7Days:
		return today - 7, today - 1
	case Last30Days:
		return today - 30, today - 1
	case Last90Days:
		return today - 90, today - 1
	case Last12Months:
		end = today.MonthStart() - 1
		return clipRange(addMonths(end, -11), end)
	}
	return 0, 0
}

// Apply returns q set to the custom range p covers today.
func (p RollingPeriod) Apply(q Query, today api.Date) Query {
	q.Period = ""
	q.From, q.To = p.Bounds(today)
	return q
}

// RollingOf returns the rolling preset whose dates q covers exactly
// today, if any: LAST_30_DAYS chosen yesterday is a plain range today.
func RollingOf(q Query, today api.Date) (RollingPeriod, bool) {
	if !q.IsCustom() {
		return "", false
	}
	for _, p := range RollingPeriods {
		if s, e := p.Bounds(today); s == q.From && e == q.To {
			return p, true
		}
	}
	return "", false
}
