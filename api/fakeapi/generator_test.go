package fakeapi

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

func TestGeneratorGroups(t *testing.T) {
	g := NewGenerator(1, testToday)
	groups := g.Groups()
	want := []Group{
		{DemoGroupAcmeUS, "Acme US", "USD"},
		{DemoGroupAcmeUK, "Acme UK", "GBP"},
		{DemoGroupGlobex, "Globex", "USD"},
	}
	if len(groups) != len(want) {
		t.Fatalf("groups %v", groups)
	}
	for i := range want {
		if groups[i] != want[i] {
			t.Errorf("group %d = %+v, want %+v", i, groups[i], want[i])
		}
		if validGroupID(groups[i].ID) != nil {
			t.Errorf("group id %q is not valid", groups[i].ID)
		}
	}
	if g.AsOf() != testToday {
		t.Errorf("asOf %s", g.AsOf())
	}
	if _, ok := g.Records("commerce_billingprofile_nope", testToday, testToday, api.Daily, ""); ok {
		t.Error("unknown group reported as known")
	}
	if g.Anomalies("commerce_billingprofile_nope") != nil {
		t.Error("anomalies for an unknown group")
	}
}

func TestGeneratorIsDeterministic(t *testing.T) {
	a := NewGenerator(7, testToday)
	b := NewGenerator(7, testToday)
	c := NewGenerator(8, testToday)
	for _, grp := range a.Groups() {
		ra, _ := a.Records(grp.ID, testToday-200, testToday, api.Daily, "")
		rb, _ := b.Records(grp.ID, testToday-200, testToday, api.Daily, "")
		rc, _ := c.Records(grp.ID, testToday-200, testToday, api.Daily, "")
		la, lb, lc := strings.Join(recordLines(ra), "\n"), strings.Join(recordLines(rb), "\n"), strings.Join(recordLines(rc), "\n")
		if la != lb {
			t.Errorf("%s: same seed, different records", grp.Name)
		}
		if la == lc {
			t.Errorf("%s: different seeds, same records", grp.Name)
		}
		if len(a.Anomalies(grp.ID)) != len(b.Anomalies(grp.ID)) {
			t.Errorf("%s: same seed, different anomalies", grp.Name)
		}
	}
}

var (
	categoryShape = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	knownUnits    = map[string]bool{"segments": true, "messages": true, "minutes": true, "numbers": true, "requests": true,
		"verifications": true, "calls": true, "campaigns": true, "months": true, "users": true, "executions": true}
)

func TestGeneratorRecordsAreWellFormed(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		g := NewGenerator(seed, testToday)
		for _, grp := range g.Groups() {
			recs, _ := g.Records(grp.ID, g.FirstDay()-10, testToday+10, api.Daily, "")
			products := map[string]string{}
			for i, r := range recs {
				if r.StartDate != r.EndDate {
					t.Fatalf("%s: daily record %d spans %s..%s", grp.Name, i, r.StartDate, r.EndDate)
				}
				if r.StartDate < g.FirstDay() || r.StartDate > testToday {
					t.Fatalf("%s: record dated %s outside %s..%s", grp.Name, r.StartDate, g.FirstDay(), testToday)
				}
				if i > 0 {
					p := recs[i-1]
					if p.StartDate > r.StartDate || p.StartDate == r.StartDate && p.ProductName >= r.ProductName {
						t.Fatalf("%s: record %d (%s %s) out of order after %s %s", grp.Name, i, r.StartDate, r.ProductName, p.StartDate, p.ProductName)
					}
				}
				if !r.Usage.Amount.Decimal().IsPositive() || !r.Price.Amount.Decimal().IsPositive() || r.Price.Amount.Decimal().Exponent() < -4 {
					t.Fatalf("%s: record %+v: want positive usage and price with at most 4 decimals", grp.Name, r)
				}
				if r.Price.Currency != grp.Currency || !knownUnits[r.Usage.Unit] || !categoryShape.MatchString(r.ProductCategory) {
					t.Fatalf("%s: record %+v: currency, unit or category", grp.Name, r)
				}
				if c, ok := products[r.ProductName]; ok && c != r.ProductCategory {
					t.Fatalf("%s: %s in two categories", grp.Name, r.ProductName)
				}
				products[r.ProductName] = r.ProductCategory
			}
			if recs[0].StartDate != g.FirstDay() || recs[len(recs)-1].StartDate != testToday {
				t.Errorf("%s: data spans %s..%s, want %s..%s", grp.Name, recs[0].StartDate, recs[len(recs)-1].StartDate, g.FirstDay(), testToday)
			}
			if n := len(products); n < 40 || n > 80 {
				t.Errorf("seed %d %s: %d products, want 40-80", seed, grp.Name, n)
			}
		}
	}
	if got := NewGenerator(1, testToday).FirstDay(); got != api.NewDate(2024, 3, 1) {
		t.Errorf("first day %s, want 2024-03-01", got)
	}
}

func TestPriceIsUsageTimesUnitPrice(t *testing.T) {
	g := NewGenerator(1, testToday)
	for _, gg := range g.groups {
		byName := map[string]*product{}
		for _, p := range gg.products {
			byName[p.name] = p
		}
		recs, _ := g.Records(gg.ID, testToday-60, testToday, api.Daily, "")
		for _, r := range recs {
			unit := decimal.New(byName[r.ProductName].price, -5)
			if want := r.Usage.Amount.Decimal().Mul(unit).Round(4); !want.Equal(r.Price.Amount.Decimal()) {
				t.Fatalf("%s %s: price %s, want usage %s x %s = %s", gg.Name, r.ProductName, r.Price.Amount, r.Usage.Amount, unit, want)
			}
		}
	}
}

func TestMonthlyIsTheExactSumOfDaily(t *testing.T) {
	g := NewGenerator(1, testToday)
	from, to := api.NewDate(2025, 3, 17), testToday // 363 days, not month-aligned
	for _, grp := range g.Groups() {
		daily, _ := g.Records(grp.ID, from, to, api.Daily, "")
		monthly, _ := g.Records(grp.ID, from, to, api.Monthly, "")
		type key struct{ month, product string }
		usage, price := map[key]decimal.Decimal{}, map[key]decimal.Decimal{}
		for _, r := range daily {
			k := key{r.StartDate.MonthStart().String(), r.ProductName}
			usage[k] = usage[k].Add(r.Usage.Amount.Decimal())
			price[k] = price[k].Add(r.Price.Amount.Decimal())
		}
		if len(monthly) != len(usage) {
			t.Errorf("%s: %d monthly records, %d product-months in daily", grp.Name, len(monthly), len(usage))
		}
		for i, m := range monthly {
			k := key{m.StartDate.MonthStart().String(), m.ProductName}
			if !m.Usage.Amount.Decimal().Equal(usage[k]) || !m.Price.Amount.Decimal().Equal(price[k]) {
				t.Errorf("%s %v: monthly %s / %s, daily sums %s / %s", grp.Name, k, m.Usage.Amount, m.Price.Amount, usage[k], price[k])
			}
			wantStart, wantEnd := max(m.StartDate.MonthStart(), from), min(m.StartDate.MonthEnd(), to)
			if m.StartDate != wantStart || m.EndDate != wantEnd {
				t.Errorf("%s: monthly record over %s..%s, want %s..%s", grp.Name, m.StartDate, m.EndDate, wantStart, wantEnd)
			}
			if i > 0 && (monthly[i-1].StartDate > m.StartDate || monthly[i-1].StartDate == m.StartDate && monthly[i-1].ProductName >= m.ProductName) {
				t.Errorf("%s: monthly record %d out of order", grp.Name, i)
			}
		}
	}
	// A range reaching past today still ends each month at the range's end.
	recs, _ := g.Records(DemoGroupAcmeUS, api.NewDate(2026, 3, 1), api.NewDate(2026, 3, 31), api.Monthly, "")
	if len(recs) == 0 || recs[0].EndDate != api.NewDate(2026, 3, 31) {
		t.Errorf("monthly record for a range through 03-31: %+v", recs[0])
	}
}

func TestRecurringChargesBillOnOneDayAMonth(t *testing.T) {
	g := NewGenerator(1, testToday)
	recs, _ := g.Records(DemoGroupAcmeUS, testToday-364, testToday, api.Daily, "phonenumbers")
	if len(recs) == 0 {
		t.Fatal("no phone number rentals")
	}
	days := map[string]map[int]bool{}
	perMonth := map[string]int{}
	for _, r := range recs {
		_, _, d := r.StartDate.Parts()
		if days[r.ProductName] == nil {
			days[r.ProductName] = map[int]bool{}
		}
		days[r.ProductName][d] = true
		perMonth[r.ProductName+r.StartDate.MonthStart().String()]++
	}
	for name, ds := range days {
		if len(ds) != 1 {
			t.Errorf("%s billed on days %v of the month, want one", name, ds)
		}
	}
	for k, n := range perMonth {
		if n != 1 {
			t.Errorf("%s: %d charges in one month", k, n)
		}
	}
}

func TestTodayIsPartial(t *testing.T) {
	g := NewGenerator(1, testToday)
	for _, gg := range g.groups {
		for _, p := range gg.products {
			if p.monthly || !g.alive(p, testToday) {
				continue
			}
			ratio := p.expected(testToday, testToday.Weekday(), testToday) / p.expected(testToday-7, testToday.Weekday(), testToday)
			if ratio > 1.5 || ratio < 0.7 {
				continue // an event between the two days
			}
			today, _ := g.Records(gg.ID, testToday, testToday, api.Daily, p.category)
			week, _ := g.Records(gg.ID, testToday-7, testToday-7, api.Daily, p.category)
			if sumOf(today, p.name).GreaterThanOrEqual(sumOf(week, p.name)) {
				t.Errorf("%s %s: today's partial cost %s is not below a full day's %s", gg.Name, p.name, sumOf(today, p.name), sumOf(week, p.name))
			}
		}
	}
}

func sumOf(recs []api.Record, name string) decimal.Decimal {
	var s decimal.Decimal
	for _, r := range recs {
		if r.ProductName == name {
			s = s.Add(r.Price.Amount.Decimal())
		}
	}
	return s
}

func TestAnomalyList(t *testing.T) {
	kinds := map[AnomalyKind]int{}
	for _, seed := range []int64{1, 2, 3, 4, 5, 42, 1234} {
		g := NewGenerator(seed, testToday)
		for _, grp := range g.Groups() {
			an := g.Anomalies(grp.ID)
			recent, early := 0, 0
			for i, a := range an {
				kinds[a.Kind]++
				if a.Start > a.End || a.End > testToday-1 || a.Start < g.FirstDay() || a.Note == "" || a.ProductCategory == "" {
					t.Errorf("seed %d %s: anomaly %+v", seed, grp.Name, a)
				}
				if i > 0 && an[i-1].Start > a.Start {
					t.Errorf("seed %d %s: anomalies out of order", seed, grp.Name)
				}
				if a.Start >= testToday-recentDays {
					recent++
				} else {
					early++
				}
			}
			if recent < 6 || recent > 12 || early <= recent {
				t.Errorf("seed %d %s: %d events in the last six months, %d before; want 6-12 starting in them and more before", seed, grp.Name, recent, early)
			}
		}
	}
	for _, k := range []AnomalyKind{KindSpike, KindDrop, KindStep, KindNew, KindStop} {
		if kinds[k] == 0 {
			t.Errorf("no %s anomalies", k)
		}
	}
}

// TestAnomaliesAreVisibleAndNoiseIsNot runs a plain reference detector over
// the generated daily costs: each day against the median of the same
// weekday over the four weeks before, plus appearances and disappearances.
// Every listed event must trip it, and nothing it trips may fall outside a
// listed event, so the list is complete and the noise stays quiet.
// Recurring monthly charges are left out: they are not a daily series.
func TestAnomaliesAreVisibleAndNoiseIsNot(t *testing.T) {
	const up, down = 1.6, 0.55
	for _, seed := range []int64{1, 2, 3, 42, 1234} {
		g := NewGenerator(seed, testToday)
		first, last := g.FirstDay(), testToday-1
		for _, gg := range g.groups {
			anomalies := g.Anomalies(gg.ID)
			hit := make([]bool, len(anomalies))
			for _, p := range gg.products {
				if p.monthly {
					continue
				}
				series := make([]float64, last-first+1) // cost per day; -1 for none
				for d := first; d <= last; d++ {
					_, _, dom := d.Parts()
					series[d-first] = -1
					if _, c, ok := g.value(p, d, dom, d.Weekday()); ok {
						series[d-first] = float64(c)
					}
				}
				for i := 35; i < len(series); i++ {
					reason := flag(series, i, up, down)
					if reason == "" {
						continue
					}
					d, listed := first+api.Date(i), false
					for k, a := range anomalies {
						if a.ProductName == p.name && d >= a.Start && d <= a.End {
							hit[k], listed = true, true
						}
					}
					if !listed {
						t.Errorf("seed %d %s: %s on %s flagged (%s) but no anomaly is listed", seed, gg.Name, p.name, d, reason)
					}
				}
			}
			for k, a := range anomalies {
				if a.Start >= first+35 && !hit[k] {
					t.Errorf("seed %d %s: listed %s %s..%s (%s) is not visible", seed, gg.Name, a.ProductName, a.Start, a.End, a.Note)
				}
			}
		}
	}
}

// flag is the reference detector for day i of a series (-1: no usage).
func flag(series []float64, i int, up, down float64) string {
	v := series[i]
	recent := 0
	for k := 1; k <= 7; k++ {
		if series[i-k] >= 0 {
			recent++
		}
	}
	switch {
	case v < 0 && recent >= 4:
		return "stopped"
	case v < 0:
		return ""
	case recent == 0:
		return "new"
	}
	var same []float64
	for k := 7; k <= 28; k += 7 {
		if b := series[i-k]; b >= 0 {
			same = append(same, b)
		}
	}
	if len(same) < 3 {
		return ""
	}
	sort.Float64s(same)
	med := same[len(same)/2]
	if len(same)%2 == 0 {
		med = (same[len(same)/2-1] + same[len(same)/2]) / 2
	}
	switch r := v / med; {
	case r > up:
		return "up"
	case r < down:
		return "down"
	}
	return ""
}

func BenchmarkGeneratorYearDaily(b *testing.B) {
	g := NewGenerator(1, testToday)
	n := 0
	for b.Loop() {
		recs, _ := g.Records(DemoGroupGlobex, testToday-364, testToday, api.Daily, "")
		n = len(recs)
	}
	b.ReportMetric(float64(n), "records/op")
}

func BenchmarkGeneratorYearMonthly(b *testing.B) {
	g := NewGenerator(1, testToday)
	for b.Loop() {
		g.Records(DemoGroupGlobex, testToday-364, testToday, api.Monthly, "")
	}
}

func BenchmarkNewGenerator(b *testing.B) {
	for b.Loop() {
		NewGenerator(1, testToday)
	}
}
