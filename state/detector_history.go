package state

import (
	"time"

	"github.com/usagetop/usagetop/api"
)

// detectorMonthDays is the history a monthly rule needs before a day: the
// same day of the previous month, with its neighbours.
const detectorMonthDays = 31 + 7

// DetectorHistory returns the DAILY history the detector needs before q's
// period (from..to, to being the day before the period starts) so every
// rule has what it looks back to:
//
//   - the spread and the weekly range: two lookbacks (56 days by default);
//   - drift: the level four to eight weeks before the first judged day,
//     itself judged (MinHistoryDays after the history starts);
//   - a fee or batch on a day of the month, or at month end: the previous
//     month's day;
//   - a quarter-end batch in the period: the same quarter end a year
//     before (and the quarter ends between), so up to about 13 months.
//
// The span may be longer than the API's 365-day limit for one request
// (a long period with a quarter end early in it): the caller must then
// fetch it as consecutive requests of at most api.MaxRangeDays days each.
// HistoryQuery returns the part nearest the period, which always fits one.
func DetectorHistory(q Query, today api.Date, cfg DetectorConfig) (from, to api.Date) {
	cfg = detectorSane(cfg)
	start, end := q.Bounds(today)
	need := max(detectorSpreadWindows*cfg.LookbackDays, cfg.MinHistoryDays+detectorDriftTo, detectorMonthDays)
	from = start.AddDays(-need)
	if qe, ok := firstQuarterEnd(start, end); ok {
		y, m, _ := qe.Parts()
		from = min(from, api.NewDate(y-1, m+1, 1)-1-7)
	}
	return from, start - 1
}

// firstQuarterEnd returns the first quarter end (Mar 31, Jun 30, Sep 30,
// Dec 31) in [start, end].
func firstQuarterEnd(start, end api.Date) (api.Date, bool) {
	y, m, _ := start.Parts()
	qm := time.Month((int(m) + 2) / 3 * 3) // the quarter's last month
	qe := api.NewDate(y, qm+1, 1) - 1
	return qe, qe <= end
}
