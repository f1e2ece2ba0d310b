package fakeapi

import (
	"github.com/usagetop/usagetop/api"
)

// Group is a billing group the simulated server knows.
type Group struct {
	ID       string
	Name     string
	Currency string
}

// historyMonths is how far back the demo data goes: from the first day of
// the month two years before today.
const historyMonths = 24

// minUnitsPerDay keeps every metered product's daily usage large enough
// that rounding to whole units never looks like a jump.
const minUnitsPerDay = 25

// Generator makes the demo data: a few billing groups with realistic
// products, weekly cycles, slow trends, launches, shutdowns, recurring
// monthly charges and injected anomalies. The same seed and today give the
// same records. Nothing is stored per day: each value is computed from a
// hash of (seed, group, product, day) when asked for, so any range costs
// only the records it returns.
type Generator struct {
	seed    int64
	today   api.Date
	first   api.Date // first day with data
	partial float64  // share of today's usage already in
	groups  []*genGroup
}

// genGroup is one demo billing group with its products planned.
type genGroup struct {
	Group
	products  []*product // ordered by name, as records are
	anomalies []Anomaly
}

// product is one product of one group: its shape over time and its events.
type product struct {
	name, category, unit string
	// price is per unit, in 0.00001 of the group's currency.
	price   int64
	monthly bool
	tenths  bool
	// level is the weekday cost per day at today, before events and noise.
	level float64
	// growth is the slow trend, logarithmic per day.
	growth                         float64
	seasAmp, seasPeriod, seasPhase float64
	// noise is the amplitude of the bounded day-to-day noise.
	noise float64
	week  [7]float64 // by time.Weekday, weekdays near 1
	// billDay and units0 describe a monthly product: billed on billDay,
	// units0 units rented at today.
	billDay int
	units0  float64
	// launch is the first day with usage (0: before the data starts); stop
	// is the first day without usage after it ran (0: runs through today).
	launch, stop api.Date
	events       []event
	salt         uint64
}

// event is an injected change of a product's level.
type event struct {
	kind AnomalyKind
	// start..end are the affected days of a spike or drop; a step starts
	// at start and lasts.
	start, end api.Date
	factor     float64
}

// NewGenerator returns the generator for seed with today as the last day
// of data and the asOf watermark. Today's usage is partial.
func NewGenerator(seed int64, today api.Date) *Generator {
	y, m, _ := today.Parts()
	g := &Generator{
		seed:  seed,
		today: today,
		first: api.NewDate(y, m-historyMonths, 1),
	}
	g.partial = 0.25 + 0.5*float64(hash3(uint64(seed), uint64(today), 0x7061727469616c)>>11)/(1<<53)
	for i, def := range demoGroups {
		g.groups = append(g.groups, g.buildGroup(i, def))
	}
	return g
}

// Groups lists the demo billing groups.
func (g *Generator) Groups() []Group {
	out := make([]Group, len(g.groups))
	for i, gg := range g.groups {
		out[i] = gg.Group
	}
	return out
}

// AsOf is the freshness watermark: today.
func (g *Generator) AsOf() api.Date { return g.today }

// FirstDay is the first day with data, the first of the month two years
// before today.
func (g *Generator) FirstDay() api.Date { return g.first }

// Anomalies lists the events in groupID's data that a detector should
// flag, ordered by start then product; nil for an unknown group. Kinds:
//
//   - spike, drop: the cost is multiplied (3-10x, or down to 5-20%) on
//     Start..End, one to three days.
//   - step: the level changes (x2-3.5, or down to 25-40%) on Start and
//     stays; End is Start+27, the four weeks a baseline that looks back four
//     weeks still sees the change.
//   - new: a product's first day of usage is Start; End is Start+27.
//   - stop: Start is a product's first day without usage after it ran;
//     End is Start+27.
//
// End never passes the day before today. Recurring monthly charges,
// weekly cycles, trends and noise are not anomalies and are not listed.
func (g *Generator) Anomalies(groupID string) []Anomaly {
	gg := g.group(groupID)
	if gg == nil {
		return nil
	}
	return append([]Anomaly(nil), gg.anomalies...)
}

func (g *Generator) group(id string) *genGroup {
	for _, gg := range g.groups {
		if gg.ID == id {
			return gg
		}
	}
	return nil
}

// Records returns the records of groupID over start..end (inclusive),
// ordered by date then product name, for one category (empty: all).
// DAILY gives one record per product per day with usage; MONTHLY one per
// product per calendar month clipped to start..end, the exact sum of that
// month's daily records. Any range is allowed (the 365-day limit is the
// server's). ok is false for an unknown group.
func (g *Generator) Records(groupID string, start, end api.Date, agg api.Aggregation, category string) (recs []api.Record, ok bool) {
	gg := g.group(groupID)
	if gg == nil {
		return nil, false
	}
	prods := gg.products
	if category != "" {
		prods = nil
		for _, p := range gg.products {
			if p.category == category {
				prods = append(prods, p)
			}
		}
	}
	recs = []api.Record{}
	from, to := max(start, g.first), min(end, g.today)
	if from > to || len(prods) == 0 {
		return recs, true
	}
	if agg == api.Monthly {
		return g.monthly(gg, prods, start, end, from, to), true
	}
	recs = make([]api.Record, 0, int(to-from+1)*len(prods))
	for d := from; d <= to; d++ {
		_, _, dom := d.Parts()
		wd := d.Weekday()
		for _, p := range prods {
			u, c, ok := g.value(p, d, dom, wd)
			if ok {
				recs = append(recs, p.record(d, d, u, c, gg.Currency))
			}
		}
	}
	return recs, true
}

// monthly sums daily values per product per calendar month of start..end;
// from..to is the part of it that has data.
func (g *Generator) monthly(gg *genGroup, prods []*product, start, end, from, to api.Date) []api.Record {
	var recs []api.Record
	usage := make([]int64, len(prods))
	cost := make([]int64, len(prods))
	seen := make([]bool, len(prods))
	for ms := from.MonthStart(); ms <= to; ms = ms.MonthEnd() + 1 {
		clear(usage)
		clear(cost)
		clear(seen)
		for d := max(ms, from); d <= min(ms.MonthEnd(), to); d++ {
			_, _, dom := d.Parts()
			wd := d.Weekday()
			for i, p := range prods {
				if u, c, ok := g.value(p, d, dom, wd); ok {
					usage[i] += u
					cost[i] += c
					seen[i] = true
				}
			}
		}
		for i, p := range prods {
			if seen[i] {
				recs = append(recs, p.record(max(ms, start), min(ms.MonthEnd(), end), usage[i], cost[i], gg.Currency))
			}
		}
	}
	if recs == nil {
		recs = []api.Record{}
	}
	return recs
}

// record builds an api.Record from usage in tenths and cost in 0.0001.
func (p *product) record(start, end api.Date, usageTenths, cost int64, currency string) api.Record {
	usage := api.NewDecimal(usageTenths/10, 0)
	if p.tenths {
		usage = api.NewDecimal(usageTenths, -1)
	}
	return api.Record{
		StartDate:       start,
		EndDate:         end,
		ProductName:     p.name,
		ProductCategory: p.category,
		Usage:           api.Usage{Amount: usage, Unit: p.unit},
		Price:           api.Price{Amount: api.NewDecimal(cost, -4), Currency: currency},
	}
}

// alive reports whether p has usage on d at all (launched, not stopped,
// within the data).
func (g *Generator) alive(p *product, d api.Date) bool {
	return d >= g.first && d <= g.today && (p.launch == 0 || d >= p.launch) && (p.stop == 0 || d < p.stop)
}
