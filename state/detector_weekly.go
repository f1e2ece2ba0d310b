package state

import "math"

// A weekly pattern that changes (weekends suddenly as busy as weekdays)
// shows as the same weekday flagged the same way, by about as much, a
// week apart, with ordinary days between. The weekday median would take
// weeks to follow, flagging every weekend again; instead the second
// occurrence teaches the detector the weekday's new level at once: the
// weekday's history is moved to it, and the change is listed once, on
// its first day, as a pattern.

// detectorWeeklyMatch is how near (log scale, as a share of the larger)
// two departures a week apart must be to be the same new pattern.
const detectorWeeklyMatch = 0.5

// weeklyRepeat reports whether flagged day i, as decided in d, repeats
// the flag of the same weekday a week before: the same direction, about
// the same size, with a normal day between (not a step, which shifts
// every day) and no step confirmed since.
func (r *detectorRun) weeklyRepeat(i int, d detectorDay) bool {
	j := i - 7
	if j < r.regime || r.lastStep > j {
		return false
	}
	prev := r.days[j]
	if prev.flagDir != d.flagDir || prev.group || math.Abs(d.dev-prev.dev) > detectorWeeklyMatch*max(math.Abs(d.dev), math.Abs(prev.dev)) {
		return false
	}
	for k := j + 1; k < i; k++ {
		if r.days[k].judged && r.days[k].flagDir == 0 {
			return true
		}
	}
	return false
}

// learnWeekday moves day i's weekday history to its new level, the mean
// of the two departures, and lists the change once, on the week-old day,
// when it began.
func (r *detectorRun) learnWeekday(i int, d detectorDay) {
	j := i - 7
	delta := (d.dev + r.days[j].dev) / 2
	for k := j - 7; k >= max(r.regime, i-detectorSpreadWindows*r.lookback); k -= 7 {
		r.adj[k] += delta
		r.raw[k] += delta
	}
	r.adj[j], r.raw[j] = r.y[j], r.y[j]
	r.adj[i], r.raw[i] = r.y[i], r.y[i]
	d.flagDir = 0
	r.days[j].kind, r.days[j].hidden, r.days[j].recurs = AnomalyPattern, false, false
	r.days[i] = d
	r.resetRun()
}
