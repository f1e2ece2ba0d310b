package state

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// A public holiday makes most of a group's products dip on the same day;
// judged one by one, each would be an anomaly, and the weeks after would
// be judged against a history that counts the dip as normal. So before
// products are judged, the group's days are read across products: each
// product's day against the median of its same weekday over the four
// weeks before (those weeks cleaned of earlier shared days). A day on
// which at least groupShare of the products with history moved the same
// way by groupMove or more, and their median move reached groupMove too,
// is a shared day: one group finding. Nothing here knows a holiday list:
// the shared move is read from the data, so any calendar works.
//
// Each product then judges a shared day against both its own normal and
// its normal moved by the group's median move: it is flagged only when it
// departs from both (it spiked on Christmas, or stopped while the others
// dipped). A shared day never joins a product's history as normal: it
// enters at its expected value, so the next weeks see no hole.
const (
	// groupMinProducts is the least number of products with history that
	// can make a shared move.
	groupMinProducts = 5
	// groupShare is the share of those products that must move one way.
	groupShare = 0.5
	// groupMove is the move (log scale, about 18%) a product must make to
	// count, and the products' median move must reach.
	groupMove = 0.2
	// groupWeeks is how many same weekdays make a product's baseline.
	groupWeeks = 4
	// groupSpreadDays is how many earlier days' median moves give the
	// spread a shared day's score is measured in.
	groupSpreadDays = 56
	// groupBand is how many spreads of the products' moves beyond the
	// group's median move a product may go and still follow the group.
	groupBand = 3.0
)

// groupCalendar holds a group's shared days: for each day from start, the
// products' median move (log scale), or NaN on an ordinary day, and the
// spread of their moves that day.
type groupCalendar struct {
	start          api.Date
	shift, spreads []float64
}

// groupShift returns the group's move on day i of the run and the spread
// of the products' moves, if day i is a shared day.
func (r *detectorRun) groupShift(i int) (move, spread float64, ok bool) {
	if r.grp == nil {
		return 0, 0, false
	}
	k := int(r.start) + i - int(r.grp.start)
	if k < 0 || k >= len(r.grp.shift) || math.IsNaN(r.grp.shift[k]) {
		return 0, 0, false
	}
	return r.grp.shift[k], r.grp.spreads[k], true
}

// judgeShared decides shared day i. Products dip by different amounts on
// a holiday, so a product follows the group when its move lies anywhere
// from its normal to the group's median move g, or beyond that by less
// than groupBand spreads of the products' moves (gs); it is flagged only
// when it departs from that band by its own threshold too (it spiked on
// Christmas, or stopped while the others dipped). Either way the day
// enters history at its expected value.
func (r *detectorRun) judgeShared(i int, ev detectorEval, g, gs float64) {
	d := detectorDay{judged: true, group: true, weekday: ev.weekday, histDays: ev.histDays, base: ev.base, expected: ev.expected, score: ev.score}
	lo, hi := g-groupBand*gs, 0.0
	if g > 0 {
		lo, hi = 0, g+groupBand*gs
	}
	expG := ev.expY + min(max(r.y[i]-ev.expY, lo), hi)
	moneyG := r.toMoney(expG)
	change := r.v[i] - moneyG
	floors := math.Abs(change) >= r.minImpact && (moneyG == 0 || math.Abs(change)*100 >= r.minPct*moneyG)
	flag := ev.flag && ev.spread > 0 && floors && math.Abs(r.y[i]-expG)/ev.spread >= r.threshold
	if flag && change > 0 {
		if rec, ok := r.recurring(i, r.v[i]-ev.expected); ok {
			flag, d.recurs, d.recur = false, true, rec
		}
	}
	if flag {
		d.expected, d.score = moneyG, min(math.Abs(r.y[i]-expG)/ev.spread, AnomalyScoreCap)
		switch {
		case change > 0:
			d.kind = AnomalySpike
		case r.v[i] <= 0:
			d.kind, d.zeroDays = AnomalyStop, 1
			r.lastStop = i
		default:
			d.kind = AnomalyDrop
		}
	}
	r.adj[i], r.raw[i] = ev.expY, ev.expY
	r.days[i] = d
}

// groupDay is one shared day found across products.
type groupDay struct {
	k         int // index from the calendar's start
	moved, of int
	shift     float64
	score     float64
}

// findGroupDays reads the shared days of products (one currency) from
// their float costs vals (vals[p][j] is day j of ins[p]) over the n days
// from start.
func findGroupDays(ins []AnomalyInput, vals [][]float64, start api.Date, n int, offset float64, minImpact float64) (*groupCalendar, []groupDay, [][]float64) {
	cal := &groupCalendar{start: start, shift: make([]float64, n), spreads: make([]float64, n)}
	for k := range cal.shift {
		cal.shift[k] = math.NaN()
	}
	P := len(ins)
	// clean[p][k] is product p's day k on the log scale, shared days
	// replaced by their baseline; NaN outside its series.
	buf := make([]float64, P*n)
	clean := make([][]float64, P)
	for p := range ins {
		c := buf[p*n : (p+1)*n : (p+1)*n]
		off := int(ins[p].Start) - int(start)
		for k := range c {
			j := k - off
			if j < 0 || j >= len(vals[p]) {
				c[k] = math.NaN()
				continue
			}
			c[k] = math.Log(max(vals[p][j], 0) + offset)
		}
		clean[p] = c
	}
	yZero := math.Log(offset)
	bases := make([]float64, P)
	moves := make([]float64, 0, P)
	scratch := make([]float64, 0, max(P, groupSpreadDays))
	medians := make([]float64, n)
	for k := range medians {
		medians[k] = math.NaN()
	}
	var days []groupDay
	var pts [groupWeeks]float64
	for k := 7 * groupWeeks; k < n; k++ {
		moves = moves[:0]
		down, up := 0, 0
		for p := range clean {
			bases[p] = math.NaN()
			c := clean[p]
			y := c[k]
			if math.IsNaN(y) {
				continue
			}
			// A product with no cost on one of those weekdays (used on few
			// days, or not yet there) cannot tell a shared move.
			ok := true
			for w := range pts {
				pts[w] = c[k-7*(w+1)]
				if math.IsNaN(pts[w]) || pts[w] <= yZero {
					ok = false
				}
			}
			if !ok {
				continue
			}
			base := detectorMedian(pts[:])
			if math.Exp(base)-offset < minImpact {
				continue // too small to tell a move from a quiet day
			}
			bases[p] = base
			m := y - base
			moves = append(moves, m)
			switch {
			case m <= -groupMove:
				down++
			case m >= groupMove:
				up++
			}
		}
		of := len(moves)
		if of < groupMinProducts {
			continue
		}
		med := detectorMedian(moves)
		moved := 0
		switch {
		case med <= -groupMove && float64(down) >= groupShare*float64(of):
			moved = down
		case med >= groupMove && float64(up) >= groupShare*float64(of):
			moved = up
		default:
			medians[k] = med
			continue
		}
		cal.shift[k] = med
		cal.spreads[k] = detectorSpread(append(scratch[:0], moves...), med)
		for p, b := range bases {
			if !math.IsNaN(b) {
				clean[p][k] = b
			}
		}
		sc := scratch[:0]
		for j := max(0, k-groupSpreadDays); j < k; j++ {
			if !math.IsNaN(medians[j]) {
				sc = append(sc, medians[j])
			}
		}
		score := AnomalyScoreCap
		if len(sc) >= detectorMinResiduals {
			centre := detectorMedian(append([]float64(nil), sc...))
			spread := max(detectorSpread(sc, centre), detectorLogSpreadFloor)
			score = min(math.Abs(med-centre)/spread, AnomalyScoreCap)
		}
		days = append(days, groupDay{k: k, moved: moved, of: of, shift: med, score: score})
	}
	return cal, days, clean
}

// groupFinding turns shared day gd into the group's finding: its money is
// summed over every product of the group, the expected side at each
// product's baseline (its actual cost when it had no baseline).
func groupFinding(ins []AnomalyInput, clean [][]float64, start api.Date, gd groupDay, offset float64) Anomaly {
	date := start.AddDays(gd.k)
	a := Anomaly{Scope: ScopeGroup, Kind: AnomalyGroup, Date: date, Score: gd.score, Moved: gd.moved, Of: gd.of}
	if len(ins) > 0 {
		a.Currency = ins[0].Currency
	}
	for p, in := range ins {
		j := int(date - in.Start)
		if j < 0 || j >= len(in.Daily) {
			continue
		}
		actual := in.Daily[j]
		a.Actual = a.Actual.Add(actual)
		c := clean[p][gd.k]
		y := math.Log(max(actual.InexactFloat64(), 0) + offset)
		if math.IsNaN(c) || c == y {
			a.Expected = a.Expected.Add(actual)
			continue
		}
		a.Expected = a.Expected.Add(anomalyRound(max(0, math.Exp(c)-offset)))
	}
	a.Impact = a.Actual.Sub(a.Expected)
	a.ImpactPercent = impactPercent(a.Impact, a.Expected)
	a.Reason = groupReason(a)
	return a
}

// groupReason explains a group finding in one line, e.g. "Thu Nov 26: 114
// of 187 products down, -$8,210 (-46%), shared by the group".
func groupReason(a Anomaly) string {
	way := "down"
	if a.Impact.IsPositive() {
		way = "up"
	}
	pct := ""
	if a.HasPercent() {
		pct = fmt.Sprintf(" (%+.0f%%)", a.ImpactPercent)
	}
	return fmt.Sprintf("%s %s: %d of %d products %s, %s%s, shared by the group",
		a.Date.Weekday().String()[:3], anomalyShortDate(a.Date), a.Moved, a.Of, way, AnomalyMoney(a.Impact, a.Currency, true), pct)
}

// anomalyShortDate writes a date as "Nov 26".
func anomalyShortDate(d api.Date) string {
	_, m, dd := d.Parts()
	return fmt.Sprintf("%s %d", m.String()[:3], dd)
}

// detectorFloats converts a product's daily costs to float64 once, for
// both the group pass and the product's run.
func detectorFloats(daily []decimal.Decimal) []float64 {
	out := make([]float64, len(daily))
	for i, x := range daily {
		out[i] = x.InexactFloat64()
	}
	return out
}
