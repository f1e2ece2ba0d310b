package state

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// stSameRollups fails unless a and b hold the same rows (by key) with the
// same exact figures, and the same totals.
func stSameRollups(t *testing.T, a, b *Store) {
	t.Helper()
	rows := map[ProductKey]*ProductRollup{}
	for i := range b.Products() {
		rows[b.Products()[i].Key()] = &b.Products()[i]
	}
	if len(a.Products()) != len(rows) {
		t.Fatalf("%d rows, want %d", len(a.Products()), len(rows))
	}
	for i := range a.Products() {
		x := &a.Products()[i]
		y := rows[x.Key()]
		if y == nil {
			t.Fatalf("row %v missing", x.Key())
		}
		if !x.Cost.Equal(y.Cost) || !x.Usage.Equal(y.Usage) || x.Unit != y.Unit || x.MixedUnits != y.MixedUnits ||
			x.Days != y.Days || x.First != y.First || x.Last != y.Last || x.Records != y.Records ||
			x.Share != y.Share || x.Partial != y.Partial {
			t.Errorf("row %v:\n got %+v\nwant %+v", x.Key(), x, y)
		}
		if x.Points() != y.Points() {
			t.Fatalf("row %v: %d points, want %d", x.Key(), x.Points(), y.Points())
		}
		for p := 0; p < x.Points(); p++ {
			if !x.PointCost(p).Equal(y.PointCost(p)) || x.Series[p] != y.Series[p] {
				t.Errorf("row %v point %d: %s, want %s", x.Key(), p, x.PointCost(p), y.PointCost(p))
			}
		}
	}
	ta, tb := a.Totals(), b.Totals()
	if len(ta) != len(tb) {
		t.Fatalf("totals %v, want %v", ta, tb)
	}
	for i := range ta {
		if ta[i].Currency != tb[i].Currency || !ta[i].Cost.Equal(tb[i].Cost) {
			t.Errorf("total %v, want %v", ta[i], tb[i])
		}
	}
}

func TestRollupAnySplitEqualsOnePage(t *testing.T) {
	start := stDate(t, "2026-01-01")
	end := start.AddDays(59)
	recs := stGen(stGenOpts{products: 12, days: 60, start: start, seed: 11, currencies: []string{"USD", "GBP"}, skipRate: 0.2})
	whole := stLoad(t, Query{}, start, end, recs, len(recs))
	rng := rand.New(rand.NewPCG(42, 42))
	for trial := 0; trial < 50; trial++ {
		cuts := make([]int, rng.IntN(20))
		for i := range cuts {
			cuts[i] = rng.IntN(len(recs) + 1)
		}
		slices.Sort(cuts) // empty pages included
		s := NewStore(Query{}, 1, start, end)
		for _, p := range stPaginate(recs, cuts, end) {
			if !s.Append(p.token, p.page) {
				t.Fatalf("trial %d: page %q refused", trial, p.token)
			}
		}
		stSameRollups(t, s, whole)
	}
}

func TestRollupCostIsTheExactSumOfPrices(t *testing.T) {
	start := stDate(t, "2026-01-01")
	recs := stGen(stGenOpts{products: 20, days: 90, start: start, seed: 12, currencies: []string{"USD", "GBP"}, skipRate: 0.1})
	s := stLoad(t, Query{}, start, start.AddDays(89), recs, 333)
	want := map[ProductKey]decimal.Decimal{}
	totals := map[string]decimal.Decimal{}
	for _, r := range recs {
		k := ProductKey{r.ProductName, r.ProductCategory, r.Price.Currency}
		want[k] = want[k].Add(r.Price.Amount.Decimal())
		totals[r.Price.Currency] = totals[r.Price.Currency].Add(r.Price.Amount.Decimal())
	}
	if len(s.Products()) != len(want) {
		t.Fatalf("%d rows, want %d", len(s.Products()), len(want))
	}
	shares := map[string]float64{}
	for _, p := range s.Products() {
		if !p.Cost.Decimal().Equal(want[p.Key()]) {
			t.Errorf("%v: cost %s, want %s", p.Key(), p.Cost, want[p.Key()])
		}
		sum := decimal.Zero
		for _, d := range p.DailyCosts() {
			sum = sum.Add(d)
		}
		if !sum.Equal(want[p.Key()]) {
			t.Errorf("%v: daily costs sum to %s, want %s", p.Key(), sum, want[p.Key()])
		}
		shares[p.Currency] += p.Share
	}
	for cur, sh := range shares {
		if math.Abs(sh-1) > 1e-9 {
			t.Errorf("%s shares sum to %v", cur, sh)
		}
	}
	for _, tot := range s.Totals() {
		if !tot.Cost.Decimal().Equal(totals[tot.Currency]) {
			t.Errorf("%s total %s, want %s", tot.Currency, tot.Cost, totals[tot.Currency])
		}
	}
}

func TestRollupDailyAndMonthlyAgree(t *testing.T) {
	start, end := stDate(t, "2026-01-10"), stDate(t, "2026-04-20")
	days := api.DaysInclusive(start, end)
	daily := stGen(stGenOpts{products: 15, days: days, start: start, seed: 13, currencies: []string{"USD", "GBP"}, skipRate: 0.3})
	monthly := stMonthly(daily, start, end)
	d := stLoad(t, Query{Aggregation: api.Daily}, start, end, daily, 100)
	m := stLoad(t, Query{Aggregation: api.Monthly}, start, end, monthly, 7)
	if m.Points() != 4 || d.Points() != days {
		t.Errorf("points: monthly %d, daily %d", m.Points(), d.Points())
	}
	for i, want := range []string{"2026-01-10", "2026-02-01", "2026-03-01", "2026-04-01"} {
		if got := m.PointDate(i); got != stDate(t, want) {
			t.Errorf("monthly point %d starts %s, want %s", i, got, want)
		}
	}
	byKey := map[ProductKey]*ProductRollup{}
	for i := range m.Products() {
		byKey[m.Products()[i].Key()] = &m.Products()[i]
	}
	for i := range d.Products() {
		dp := &d.Products()[i]
		mp := byKey[dp.Key()]
		if mp == nil {
			t.Fatalf("%v missing under MONTHLY", dp.Key())
		}
		if !dp.Cost.Equal(mp.Cost) || !dp.Usage.Equal(mp.Usage) || dp.Unit != mp.Unit {
			t.Errorf("%v: DAILY %s %s %s, MONTHLY %s %s %s", dp.Key(), dp.Cost, dp.Usage, dp.Unit, mp.Cost, mp.Usage, mp.Unit)
		}
		// Each monthly point is the sum of that month's daily points.
		for p := 0; p < m.Points(); p++ {
			sum := Amount{}
			for day := 0; day < d.Points(); day++ {
				if d.PointDate(day).MonthStart() == m.PointDate(p).MonthStart() {
					sum = sum.Add(dp.PointCost(day))
				}
			}
			if !sum.Equal(mp.PointCost(p)) {
				t.Errorf("%v month %d: %s, want %s", dp.Key(), p, mp.PointCost(p), sum)
			}
		}
	}
	dt, mt := d.Totals(), m.Totals()
	for i := range dt {
		if !dt[i].Cost.Equal(mt[i].Cost) {
			t.Errorf("%s total: DAILY %s, MONTHLY %s", dt[i].Currency, dt[i].Cost, mt[i].Cost)
		}
	}
}

func TestRollupMixedCurrenciesAndUnits(t *testing.T) {
	start := stDate(t, "2026-03-01")
	recs := []api.Record{
		stRec(t, "2026-03-01", "SMS", "sms", "100", "segments", "0.79", "USD"),
		stRec(t, "2026-03-01", "Voice", "voice", "10.5", "minutes", "1.05", "USD"),
		stRec(t, "2026-03-02", "SMS", "sms", "50", "segments", "0.40", "GBP"),
		stRec(t, "2026-03-02", "Voice", "voice", "3", "calls", "0.30", "USD"),
		stRec(t, "2026-03-03", "SMS", "sms", "20", "segments", "0.16", "USD"),
		stRec(t, "2026-03-05", "Voice", "voice", "1", "minutes", "0.10", "USD"),
	}
	s := stLoad(t, Query{}, start, start.AddDays(4), recs, 2)
	type want struct {
		cost, usage, unit string
		mixed             bool
		days              int
		first, last       string
		share             float64
		series            []float64
	}
	wants := map[ProductKey]want{
		{"SMS", "sms", "USD"}:     {"0.95", "120", "segments", false, 2, "2026-03-01", "2026-03-03", 0.95 / 2.40, []float64{0.79, 0, 0.16, 0, 0}},
		{"SMS", "sms", "GBP"}:     {"0.40", "50", "segments", false, 1, "2026-03-02", "2026-03-02", 1, []float64{0, 0.40, 0, 0, 0}},
		{"Voice", "voice", "USD"}: {"1.45", "0", "", true, 3, "2026-03-01", "2026-03-05", 1.45 / 2.40, []float64{1.05, 0.30, 0, 0, 0.10}},
	}
	if len(s.Products()) != len(wants) {
		t.Fatalf("%d rows, want %d", len(s.Products()), len(wants))
	}
	for _, p := range s.Products() {
		w, ok := wants[p.Key()]
		if !ok {
			t.Fatalf("unexpected row %v", p.Key())
		}
		if p.Cost.String() != stDec(w.cost).String() || p.Usage.String() != w.usage || p.Unit != w.unit || p.MixedUnits != w.mixed ||
			p.Days != w.days || p.First != stDate(t, w.first) || p.Last != stDate(t, w.last) || math.Abs(p.Share-w.share) > 1e-12 ||
			!slices.Equal(p.Series, w.series) || p.Partial {
			t.Errorf("%v = %+v, want %+v", p.Key(), p, w)
		}
	}
	tot := s.Totals()
	if len(tot) != 2 || tot[0].Currency != "GBP" || tot[0].Cost.String() != "0.4" || tot[1].Currency != "USD" || tot[1].Cost.String() != "2.4" {
		t.Errorf("totals %v", tot)
	}
}

func TestRollupPartialUntilDone(t *testing.T) {
	start := stDate(t, "2026-03-01")
	recs := stGen(stGenOpts{products: 4, days: 10, start: start, seed: 14})
	pages := stPaginate(recs, []int{10, 20}, start.AddDays(9))
	s := NewStore(Query{}, 1, start, start.AddDays(9))
	for i, p := range pages {
		s.Append(p.token, p.page)
		last := i == len(pages)-1
		if s.Partial() == last {
			t.Errorf("page %d: store partial %v", i, s.Partial())
		}
		for _, r := range s.Products() {
			if r.Partial == last {
				t.Errorf("page %d: %s partial %v", i, r.Name, r.Partial)
			}
		}
	}
}

func TestRollupCloneIsIndependent(t *testing.T) {
	start := stDate(t, "2026-03-01")
	recs := stGen(stGenOpts{products: 1, days: 4, start: start, seed: 15})
	s := NewStore(Query{}, 1, start, start.AddDays(3))
	pages := stPaginate(recs, []int{2}, start)
	s.Append(pages[0].token, pages[0].page)
	c := s.Products()[0].Clone()
	s.Append(pages[1].token, pages[1].page)
	if c.Series[2] != 0 || !c.PointCost(2).IsZero() || c.Records != 2 {
		t.Errorf("clone changed by a later page: %+v", c)
	}
	if s.Products()[0].Series[2] == 0 {
		t.Error("store row did not take the later page")
	}
}
