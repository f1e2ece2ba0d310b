package fakeapi

import (
	"fmt"
	"math"
	"sort"

	"github.com/usagetop/usagetop/api"
)

// Planning rules. They keep injected events clearly visible and keep
// everything else clearly normal, because a detector is scored against
// the list Anomalies returns.
const (
	// recentDays is the window the detector is measured over (six months);
	// the plan puts a known number of events in it.
	recentDays = 182
	// eventGap separates two events of one product, so each is judged
	// against a clean baseline (four weeks back, and then some).
	eventGap = 56
	// eventWindow is how long after a step, launch or stop a four-week
	// baseline still sees the change (reported as End - Start).
	eventWindow = 27
	// minImpact is the least change in cost per day (in the group's
	// currency) an event makes on any of its days: comfortably above the
	// detector's default money floor (5), since a smaller change is by
	// definition not worth telling a finance engineer about.
	minImpact = 8.0
	// planTries bounds the search for a product and a date that fit.
	planTries = 400
)

// buildGroup picks group i's products and plans their shapes and events.
func (g *Generator) buildGroup(i int, def groupDef) *genGroup {
	r := newRNG(hash3(uint64(g.seed), uint64(i)+1, 0x67726f7570))
	type cand struct {
		s     spec
		w     float64
		score float64
	}
	var cands []cand
	for _, s := range catalog() {
		if w := def.weights[s.region]; w > 0 {
			cands = append(cands, cand{s, w, w * r.between(0.3, 1)})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].score > cands[b].score })
	n := min(len(cands), def.minProducts+r.intn(def.maxProd-def.minProducts+1))
	gg := &genGroup{Group: def.Group}
	for _, c := range cands[:n] {
		gg.products = append(gg.products, g.newProduct(r, i, def, c.s, c.w))
	}
	sort.Slice(gg.products, func(a, b int) bool { return gg.products[a].name < gg.products[b].name })
	pl := planner{g: g, r: r, prods: gg.products}
	for _, p := range gg.products {
		if !p.monthly && (pl.flagship == nil || p.level > pl.flagship.level) {
			pl.flagship = p
		}
	}
	pl.plan()
	gg.anomalies = pl.anomalies(def.Currency)
	return gg
}

// newProduct gives a catalog product its shape in one group.
func (g *Generator) newProduct(r *rng, gi int, def groupDef, s spec, w float64) *product {
	p := &product{
		name:     s.name,
		category: s.category,
		unit:     s.unit,
		price:    int64(math.Round(float64(s.price) * def.fx)),
		monthly:  s.monthly,
		tenths:   s.tenths,
		salt:     hash3(uint64(g.seed), uint64(gi)+1, hashString(s.name)),
	}
	if s.monthly {
		p.billDay = 1 + r.intn(28)
		p.units0 = 1
		if s.daily > 1 {
			p.units0 = math.Max(1, math.Round(s.daily*w*r.logBetween(0.5, 2)))
		}
		if p.units0 > 3 {
			p.growth = math.Log(1+r.between(-0.1, 0.4)) / 12 // per month
		}
		return p
	}
	p.level = s.daily * w * def.fx * r.logBetween(0.3, 3)
	p.growth = math.Log(1+r.between(-0.3, 0.7)) / 365
	p.seasAmp = r.between(0, 0.05)
	p.seasPeriod = r.between(180, 400)
	p.seasPhase = r.between(0, 2*math.Pi)
	p.noise = r.between(0.06, 0.18)
	for d := range p.week {
		p.week[d] = r.between(0.95, 1.05)
	}
	sat, sun := s.week.weekendFactor()
	p.week[6] = sat * r.between(0.9, 1.1)
	p.week[0] = sun * r.between(0.9, 1.1)
	// Lift tiny products until their quietest day still rounds cleanly.
	lowest := math.Min(1, math.Exp(-p.growth*float64(g.today-g.first))) * (1 - p.seasAmp) * (1 - p.noise) * math.Min(p.week[0], p.week[6])
	unitPrice := float64(p.price) / 1e5
	p.level = math.Max(p.level, minUnitsPerDay*unitPrice/lowest)
	return p
}

// planner places launches, shutdowns and injected events in one group.
type planner struct {
	g     *Generator
	r     *rng
	prods []*product
	// flagship is the group's largest product; it never launches or stops,
	// because a group's main line of business does not.
	flagship *product
}

// span is a window of days events may start in.
type span struct{ from, to api.Date }

func (s span) pick(r *rng) api.Date { return s.from + api.Date(r.intn(int(s.to-s.from)+1)) }

func (pl *planner) plan() {
	g, r := pl.g, pl.r
	recent := span{g.today - recentDays, g.today - 1}
	early := span{g.first + eventGap + 7, recent.from - 1}

	// Lifecycles first: they decide when each product exists at all.
	for range 1 + r.intn(2) {
		pl.launch(span{recent.from, g.today - 7}, 0)
	}
	for range 2 + r.intn(2) {
		pl.launch(early, 0)
	}
	for range 1 + r.intn(2) {
		pl.stop(span{recent.from, g.today - 3})
	}
	for range 1 + r.intn(2) {
		pl.stop(early)
	}
	// One product that comes and goes within the two years.
	pl.launch(span{early.from, g.today - 160}, 60+r.intn(90))

	// Steps before spikes and drops, so those are sized on the final level.
	for range 1 + r.intn(2) {
		pl.event(KindStep, recent)
	}
	for range 3 + r.intn(2) {
		pl.event(KindStep, early)
	}
	for range 2 + r.intn(2) {
		pl.event(KindSpike, recent)
	}
	for range 5 + r.intn(3) {
		pl.event(KindSpike, early)
	}
	pl.event(KindDrop, recent)
	for range 1 + r.intn(2) {
		pl.event(KindDrop, early)
	}
}

// candidate returns a random metered product, or nil for a monthly one.
func (pl *planner) candidate() *product {
	p := pl.prods[pl.r.intn(len(pl.prods))]
	if p.monthly {
		return nil
	}
	return p
}

// minCost is p's lowest expected cost over from..to (no noise).
func (pl *planner) minCost(p *product, from, to api.Date) float64 {
	low := math.Inf(1)
	for d := from; d <= to; d++ {
		low = math.Min(low, p.expected(d, d.Weekday(), pl.g.today))
	}
	return low
}

// launch makes a product start on a day in s; with life > 0 it also stops
// life days later.
func (pl *planner) launch(s span, life int) {
	for range planTries {
		p := pl.candidate()
		if p == nil || p == pl.flagship || p.launch != 0 || p.stop != 0 || len(p.events) > 0 {
			continue
		}
		day := s.pick(pl.r)
		stop := api.Date(0)
		if life > 0 {
			stop = day + api.Date(life)
			if stop > pl.g.today-3 || pl.minCost(p, stop-7, stop-1) < minImpact {
				continue
			}
		}
		if pl.minCost(p, day, day+6) < minImpact {
			continue
		}
		p.launch, p.stop = day, stop
		return
	}
}

// stop makes a product shut down on a day in s, after at least eventGap
// days of usage.
func (pl *planner) stop(s span) {
	for range planTries {
		p := pl.candidate()
		if p == nil || p == pl.flagship || p.stop != 0 || len(p.events) > 0 {
			continue
		}
		day := s.pick(pl.r)
		if p.launch != 0 && day-p.launch < eventGap+eventWindow {
			continue
		}
		if pl.minCost(p, day-7, day-1) < minImpact {
			continue
		}
		p.stop = day
		return
	}
}

// event injects one spike, drop or step starting in s.
func (pl *planner) event(kind AnomalyKind, s span) {
	g, r := pl.g, pl.r
	for range planTries {
		p := pl.candidate()
		if p == nil {
			continue
		}
		start := s.pick(r)
		end := start
		var factor float64
		switch kind {
		case KindSpike:
			end = start + api.Date(r.intn(3))
			factor = r.between(3, 10)
		case KindDrop:
			end = start + api.Date(r.intn(3))
			factor = r.between(0.05, 0.2)
		case KindStep:
			if start > g.today-7 {
				continue
			}
			factor = r.between(2, 3.5)
			if r.chance(0.5) {
				factor = r.between(0.25, 0.4)
			}
		}
		if end > g.today-1 {
			continue
		}
		// A clean history before, and room after, within the product's life.
		if !g.alive(p, start-eventGap) || !g.alive(p, min(end+eventWindow+7, g.today)) {
			continue
		}
		if p.stop != 0 && end+eventGap > p.stop {
			continue
		}
		if p.launch != 0 && start-p.launch < eventGap+eventWindow {
			continue
		}
		clash := false
		for _, e := range p.events {
			if start <= e.end+eventGap && e.start <= end+eventGap {
				clash = true
			}
		}
		if clash {
			continue
		}
		// Visible on every affected day, in money.
		checkTo := end
		if kind == KindStep {
			checkTo = start + 6
		}
		if pl.minCost(p, start, checkTo)*math.Abs(factor-1) < minImpact {
			continue
		}
		// A lower level must still round cleanly to whole units.
		if kind == KindStep && factor < 1 {
			units := pl.minCost(p, start-14, start-1) * factor * (1 - p.noise) / (float64(p.price) / 1e5)
			if units < minUnitsPerDay {
				continue
			}
		}
		p.events = append(p.events, event{kind: kind, start: start, end: end, factor: factor})
		sort.Slice(p.events, func(a, b int) bool { return p.events[a].start < p.events[b].start })
		return
	}
}

// anomalies lists every planned event as the detector should see it.
func (pl *planner) anomalies(currency string) []Anomaly {
	g := pl.g
	last := g.today - 1
	var out []Anomaly
	add := func(p *product, kind AnomalyKind, start, end api.Date, note string) {
		out = append(out, Anomaly{ProductName: p.name, ProductCategory: p.category, Kind: kind, Start: start, End: min(end, last), Note: note})
	}
	for _, p := range pl.prods {
		if p.launch > g.first {
			cost := pl.minCost(p, p.launch, p.launch+6)
			add(p, KindNew, p.launch, p.launch+eventWindow, fmt.Sprintf("new product: usage starts from zero at about %.2f %s a day or more", cost, currency))
		}
		if p.stop != 0 && p.stop <= last {
			cost := pl.minCost(p, p.stop-7, p.stop-1)
			add(p, KindStop, p.stop, p.stop+eventWindow, fmt.Sprintf("product stopped: from at least %.2f %s a day to zero", cost, currency))
		}
		for _, e := range p.events {
			switch e.kind {
			case KindSpike, KindDrop:
				days := int(e.end-e.start) + 1
				base := pl.minCost(p, e.start, e.end) / e.factor
				add(p, e.kind, e.start, e.end, fmt.Sprintf("%s: cost x%.2f for %d day(s), at least %.2f %s a day off its usual level", e.kind, e.factor, days, base*math.Abs(e.factor-1), currency))
			case KindStep:
				dir := "up"
				if e.factor < 1 {
					dir = "down"
				}
				add(p, KindStep, e.start, e.start+eventWindow, fmt.Sprintf("step %s: level x%.2f from %s on", dir, e.factor, e.start))
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Start != out[b].Start {
			return out[a].Start < out[b].Start
		}
		return out[a].ProductName < out[b].ProductName
	})
	return out
}
