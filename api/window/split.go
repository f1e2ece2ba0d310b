package window

import (
	"slices"
	"sort"
	"time"

	"github.com/usagetop/usagetop/api"
)

// splitAfterFirst looks at the first page of a window that has more
// pages. Records come ordered by date, so every day before the page's
// last day is complete in it: the window is cut down to those days and
// completed with them, and the rest (from the last day, whose records the
// page may hold only in part) becomes new windows sized by the density
// the page showed. When the page covers a single day (or month) the window
// shrinks to that day and starts again, at the cost of this one page. It
// reports false when the window must page on as it is: the records are not
// in date order, a MONTHLY page does not end on a month's start, or the
// window is already one day (or month).
func (l *loader) splitAfterFirst(w *win, p *api.Page, now time.Time) bool {
	recs := p.Records
	if len(recs) == 0 || !slices.IsSortedFunc(recs, func(a, b api.Record) int { return int(a.StartDate - b.StartDate) }) {
		return false
	}
	last := recs[len(recs)-1].StartDate
	if last <= w.r.From || last > w.r.To {
		unit := firstUnit(w.r, l.q.Aggregation)
		if last != w.r.From || unit.To >= w.r.To {
			return false
		}
		// One day (month) fills the page: fetch it alone, and the rest at
		// no denser than that.
		rest := Range{unit.To + 1, w.r.To}
		w.r, w.state = unit, pending
		l.insertAfter(w, split(rest, l.q.Aggregation, float64(len(recs))/float64(unit.Days()), l.target))
		return true
	}
	if l.q.Aggregation == api.Monthly && last != last.MonthStart() {
		return false
	}
	keep := sort.Search(len(recs), func(i int) bool { return recs[i].StartDate >= last })
	rest := Range{last, w.r.To}
	perDay := float64(keep) / float64(last-w.r.From)
	w.r.To = last - 1
	w.recs = slices.Clip(recs[:keep])
	w.pages, w.asOf = 1, p.AsOf
	l.prog.Records += keep
	l.insertAfter(w, split(rest, l.q.Aggregation, perDay, l.target))
	l.complete(w, now)
	l.deliver()
	return true
}

// insertAfter puts new pending windows for rs right after w.
func (l *loader) insertAfter(w *win, rs []Range) {
	i := slices.Index(l.wins, w)
	added := make([]*win, len(rs))
	for j, r := range rs {
		added[j] = &win{r: r}
	}
	l.wins = slices.Insert(l.wins, i+1, added...)
	l.prog.Windows += len(added)
}
