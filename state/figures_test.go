package state

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// book is a billing group's true daily cost per product, from which a
// fake fetcher answers any DAILY or MONTHLY request.
type book map[string]func(api.Date) string

const testGroup = "commerce_billingprofile_figures"

func d(s string) api.Date { return mustDate(s) }

func mustDate(s string) api.Date {
	x, err := api.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

// fetch answers req from the book, every record on one page. asOf is the
// API's watermark: nothing after it.
func (b book) fetch(asOf, today api.Date) PageFetcher {
	return func(_ context.Context, req api.RecordsRequest) (*api.Page, error) {
		start, end := req.StartDate, req.EndDate
		if req.Period != "" {
			start, end, _ = req.Period.Bounds(today)
		}
		end = min(end, asOf)
		var recs []api.Record
		for day := start; day <= end; day++ {
			for name, cost := range b {
				c := cost(day)
				if c == "" || c == "0" {
					continue
				}
				recs = append(recs, api.Record{StartDate: day, EndDate: day, ProductName: name, ProductCategory: "cat",
					Usage: api.Usage{Amount: api.DecimalOf(decimal.RequireFromString("1")), Unit: "units"},
					Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString(c)), Currency: "USD"}})
			}
		}
		if req.Aggregation == api.Monthly {
			recs = monthly(recs)
		}
		return &api.Page{AsOf: asOf, Records: recs}, nil
	}
}

// monthly sums DAILY records into one per product per month.
func monthly(recs []api.Record) []api.Record {
	idx := map[[2]string]int{}
	var out []api.Record
	for _, r := range recs {
		k := [2]string{r.ProductName, r.StartDate.MonthStart().String()}
		if i, ok := idx[k]; ok {
			out[i].Price.Amount = api.DecimalOf(out[i].Price.Amount.Decimal().Add(r.Price.Amount.Decimal()))
			out[i].Usage.Amount = api.DecimalOf(out[i].Usage.Amount.Decimal().Add(r.Usage.Amount.Decimal()))
			out[i].EndDate = r.EndDate
			continue
		}
		idx[k] = len(out)
		r.StartDate = max(r.StartDate.MonthStart(), r.StartDate)
		out = append(out, r)
	}
	return out
}

// loaded runs a generation of q to completion against b, with the API's
// asOf at today (today's part-day is in, as Twilio serves it).
func loaded(t *testing.T, b book, q Query, today api.Date) *Generation {
	t.Helper()
	q.GroupID = testGroup
	g := NewGeneration(1, q, today, DefaultDetectorConfig())
	if err := g.Invalid(); err != nil {
		t.Fatalf("query: %v", err)
	}
	if err := g.Run(context.Background(), b.fetch(today, today), 1000, Want{Period: true, Figures: true}); err != nil {
		t.Fatalf("run: %v", err)
	}
	return g
}

var (
	// usage costs 10 a day, and today's part-day 3.
	usageProduct = func(today api.Date) func(api.Date) string {
		return func(day api.Date) string {
			if day == today {
				return "3"
			}
			return "10"
		}
	}
	// fee charges 1000 on the 1st of each month.
	fee = func(day api.Date) string {
		if _, _, dom := day.Parts(); dom == 1 {
			return "1000"
		}
		return ""
	}
)

func TestCoverageAndChange(t *testing.T) {
	tests := []struct {
		name             string
		q                Query
		today            string
		from, through    string
		prevFrom, prevTo string
		soFar, perDay    bool
		usagePct         float64 // the daily product's change
		usageMoney       string
		feePct           float64
	}{
		{name: "MTD on the 1st: today so far against the previous 1st",
			q: Query{Period: api.ThisMonth}, today: "2026-12-01",
			from: "2026-12-01", through: "2026-12-01", prevFrom: "2026-11-01", prevTo: "2026-11-01", soFar: true,
			usagePct: -70, usageMoney: "-7", feePct: 0},
		{name: "MTD on the 2nd: the 1st against the previous 1st",
			q: Query{Period: api.ThisMonth}, today: "2026-12-02",
			from: "2026-12-01", through: "2026-12-01", prevFrom: "2026-11-01", prevTo: "2026-11-01",
			usagePct: 0, usageMoney: "0", feePct: 0},
		{name: "MTD on the last day of a 31-day month against a 30-day one",
			q: Query{Period: api.ThisMonth}, today: "2026-12-31",
			from: "2026-12-01", through: "2026-12-30", prevFrom: "2026-11-01", prevTo: "2026-11-30",
			usagePct: 0, usageMoney: "0", feePct: 0},
		{name: "MTD on March 31st against all of February",
			q: Query{Period: api.ThisMonth}, today: "2027-03-31",
			from: "2027-03-01", through: "2027-03-30", prevFrom: "2027-02-01", prevTo: "2027-02-28",
			usagePct: 300.0/280*100 - 100, usageMoney: "20", feePct: 0},
		{name: "a 28-day month against a 31-day one: totals, as invoiced",
			q: Query{From: d("2026-02-01"), To: d("2026-02-28")}, today: "2026-12-02",
			from: "2026-02-01", through: "2026-02-28", prevFrom: "2026-01-01", prevTo: "2026-01-31",
			usagePct: 280.0/310*100 - 100, usageMoney: "-30", feePct: 0},
		{name: "LAST_MONTH: November against October, total to total",
			q: Query{Period: api.LastMonth}, today: "2026-12-02",
			from: "2026-11-01", through: "2026-11-30", prevFrom: "2026-10-01", prevTo: "2026-10-31",
			usagePct: 300.0/310*100 - 100, usageMoney: "-10", feePct: 0},
		{name: "a custom range: per day against the equal range before",
			q: Query{From: d("2026-11-10"), To: d("2026-11-19")}, today: "2026-12-02",
			from: "2026-11-10", through: "2026-11-19", prevFrom: "2026-10-31", prevTo: "2026-11-09", perDay: true,
			// The fee is not charged in either range: no row.
			usagePct: 0, usageMoney: "0", feePct: 0},
		{name: "a custom range in progress: the elapsed days per day",
			q: Query{From: d("2026-11-25"), To: d("2026-12-04")}, today: "2026-12-02",
			from: "2026-11-25", through: "2026-12-01", prevFrom: "2026-11-15", prevTo: "2026-11-24", perDay: true,
			// 70 over 7 days against 100 over 10: the same rate.
			usagePct: 0, usageMoney: "0", feePct: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			today := d(tc.today)
			b := book{"usage": usageProduct(today), "fee": fee}
			g := loaded(t, b, tc.q, today)
			c := g.Coverage()
			if c.From != d(tc.from) || c.Through != d(tc.through) || c.PrevFrom != d(tc.prevFrom) || c.PrevTo != d(tc.prevTo) {
				t.Fatalf("coverage %s..%s vs %s..%s, want %s..%s vs %s..%s", c.From, c.Through, c.PrevFrom, c.PrevTo,
					tc.from, tc.through, tc.prevFrom, tc.prevTo)
			}
			if c.SoFar != tc.soFar || c.PerDay != tc.perDay {
				t.Errorf("soFar %v perDay %v, want %v %v", c.SoFar, c.PerDay, tc.soFar, tc.perDay)
			}
			f := g.Figures()
			if !f.Compared {
				t.Fatal("the comparison did not load")
			}
			u := f.Of(ProductKey{Name: "usage", Category: "cat", Currency: "USD"})
			if u == nil {
				t.Fatal("no figures for the daily product")
			}
			if diff := u.Change.Percent - tc.usagePct; diff > 1e-6 || diff < -1e-6 {
				t.Errorf("daily product change %.4f%%, want %.4f%%", u.Change.Percent, tc.usagePct)
			}
			if !u.Change.Money.Equal(decimal.RequireFromString(tc.usageMoney)) {
				t.Errorf("daily product change %s, want %s", u.Change.Money, tc.usageMoney)
			}
			// Cost covers exactly the covered days, never today's part-day
			// (unless it is all there is).
			want := decimal.Zero
			for day := c.From; day <= c.Through; day++ {
				want = want.Add(decimal.RequireFromString(b["usage"](day)))
			}
			if !u.Cost.Decimal().Equal(want) {
				t.Errorf("cost %s, want %s over %d days", u.Cost, want, c.Days())
			}
			fe := f.Of(ProductKey{Name: "fee", Category: "cat", Currency: "USD"})
			switch {
			case fe == nil && tc.feePct != 0:
				t.Errorf("no figures for the fee")
			case fe != nil && fe.Change.Percent != tc.feePct:
				t.Errorf("fee change %s (%.2f%%), want %.1f%%", fe.Change, fe.Change.Percent, tc.feePct)
			}
		})
	}
}

func TestFiguresShareAndTotalsCoverTheSameDays(t *testing.T) {
	today := d("2026-12-02")
	g := loaded(t, book{"usage": usageProduct(today), "fee": fee}, Query{Period: api.ThisMonth}, today)
	f := g.Figures()
	// Dec 1: usage 10, fee 1000. Today's 3 is not counted.
	if got := f.Total("USD"); !got.Decimal().Equal(decimal.NewFromInt(1010)) {
		t.Fatalf("total %s, want 1010", got)
	}
	u := f.Of(ProductKey{Name: "usage", Category: "cat", Currency: "USD"})
	if got, want := u.Share, 10.0/1010; got-want > 1e-12 || want-got > 1e-12 {
		t.Errorf("share %v, want %v", got, want)
	}
	if ch, ok := f.TotalChange("USD"); !ok || ch.Percent != 0 {
		t.Errorf("total change %+v %v, want 0%%", ch, ok)
	}
}

func TestMonthlyAggregationFiguresComeFromDays(t *testing.T) {
	today := d("2026-12-02")
	b := book{"usage": usageProduct(today), "fee": fee}
	daily := loaded(t, b, Query{Period: api.ThisMonth}, today)
	q := Query{Period: api.ThisMonth, Aggregation: api.Monthly}
	m := loaded(t, b, q, today)
	k := ProductKey{Name: "usage", Category: "cat", Currency: "USD"}
	if a, b := daily.Figures().Of(k), m.Figures().Of(k); a == nil || b == nil || !a.Cost.Equal(b.Cost) ||
		!a.Change.Money.Equal(b.Change.Money) || a.Change.Percent != b.Change.Percent {
		t.Errorf("MONTHLY figures %+v differ from DAILY %+v", b, a)
	}
}

func TestForecast(t *testing.T) {
	today := d("2026-11-16") // through Nov 15
	// October and November, so a fee's previous charge is in the period.
	q := Query{From: d("2026-10-01"), To: d("2026-11-30")}
	tests := []struct {
		name      string
		cost      func(api.Date) string
		total     string
		recurring bool
	}{
		{"a daily product: to date plus its daily rate", func(api.Date) string { return "10" }, "300", false},
		{"a monthly fee on the 1st: counted once", fee, "1000", true},
		{"a monthly fee on the 20th: still due", func(day api.Date) string {
			if _, _, dom := day.Parts(); dom == 20 {
				return "64.50"
			}
			return ""
		}, "64.50", true},
		{"a product that stopped a week ago", func(day api.Date) string {
			if day < d("2026-11-08") {
				return "10"
			}
			return ""
		}, "70", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := loaded(t, book{"p": tc.cost}, q, today)
			det := g.Detail(ProductKey{Name: "p", Category: "cat", Currency: "USD"})
			if !det.HasForecast {
				t.Fatalf("no forecast: %+v", det)
			}
			if !det.Forecast.Total.Equal(decimal.RequireFromString(tc.total)) || det.Forecast.Recurring != tc.recurring {
				t.Errorf("forecast %s (recurring %v), want %s (%v)", det.Forecast.Total, det.Forecast.Recurring, tc.total, tc.recurring)
			}
		})
	}
}

func TestDetailFiguresAgreeWithTheRow(t *testing.T) {
	today := d("2026-12-02")
	g := loaded(t, book{"fee": fee}, Query{Period: api.ThisMonth}, today)
	det := g.Detail(ProductKey{Name: "fee", Category: "cat", Currency: "USD"})
	if det.Figure == nil || det.Days != 1 || !det.Mean.Equal(decimal.NewFromInt(1000)) || !det.Figure.Cost.Decimal().Equal(decimal.NewFromInt(1000)) {
		t.Errorf("detail %+v: want one day of 1000", det)
	}
	if det.Figure.Change.Percent != 0 || det.Figure.Change.New {
		t.Errorf("a fee charged once in each period changed %s", det.Figure.Change)
	}
	missing := g.Detail(ProductKey{Name: "other", Category: "elsewhere", Currency: "USD"})
	if missing.Figure != nil || missing.Missing != "no usage in the period" {
		t.Errorf("missing product: %+v", missing)
	}
	q := Query{Period: api.ThisMonth, Category: "cat"}
	gc := loaded(t, book{"fee": fee}, q, today)
	if m := gc.Detail(ProductKey{Name: "x", Category: "sms", Currency: "USD"}); m.Missing == "" || m.Missing == "no usage in the period" {
		t.Errorf("a product filtered out by the category says %q", m.Missing)
	}
}

func TestRunKeepsWhatLoadedAndNamesThePart(t *testing.T) {
	today := d("2026-12-02")
	q := Query{GroupID: testGroup, Period: api.ThisMonth}
	g := NewGeneration(1, q, today, DefaultDetectorConfig())
	ok := book{"p": fee}.fetch(today, today)
	fetch := func(ctx context.Context, req api.RecordsRequest) (*api.Page, error) {
		if req.EndDate == d("2026-11-30") { // the history
			return nil, context.DeadlineExceeded
		}
		return ok(ctx, req)
	}
	err := g.Run(context.Background(), fetch, 100, Want{Period: true, Figures: true})
	if err == nil || g.Period().Len() == 0 {
		t.Fatalf("err %v, %d records kept", err, g.Period().Len())
	}
	if got := err.Error(); got[:len("anomaly history")] != "anomaly history" {
		t.Errorf("error %q does not name the part", got)
	}
}

func TestForecastFollowsTheWeekdayAndGivesABand(t *testing.T) {
	weekdays := func(day api.Date) string {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return ""
		}
		return "100"
	}
	today := d("2026-11-19") // a Thursday: through Wednesday the 18th
	q := Query{From: d("2026-10-01"), To: d("2026-11-30")}
	k := ProductKey{Name: "p", Category: "cat", Currency: "USD"}
	g := loaded(t, book{"p": weekdays}, q, today)
	fc := g.Detail(k).Forecast
	// To date: 13 weekdays of November; left: 8 weekdays, no weekend cost.
	if !fc.ToDate.Equal(decimal.NewFromInt(1300)) || !fc.Shaped || len(fc.Path) != 12 {
		t.Fatalf("forecast %+v", fc)
	}
	if got := fc.Total.Sub(decimal.NewFromInt(2100)).Abs(); got.GreaterThan(decimal.RequireFromString("0.01")) {
		t.Errorf("month end %s, want 2100 (weekends stay quiet)", fc.Total)
	}
	if !fc.Path[2].IsZero() || !fc.Path[3].IsZero() { // Nov 21 and 22
		t.Errorf("a weekend day forecast at %s, %s", fc.Path[2], fc.Path[3])
	}
	if !fc.Low.Equal(fc.Total) || !fc.High.Equal(fc.Total) {
		t.Errorf("a perfectly regular product has a band %s..%s", fc.Low, fc.High)
	}

	// A noisy product gets a band that holds the point, never below what
	// is billed.
	noisy := func(day api.Date) string { return []string{"50", "150", "80", "120", "100"}[int(day)%5] }
	fc = loaded(t, book{"p": noisy}, q, today).Detail(k).Forecast
	if !fc.Low.LessThan(fc.Total) || !fc.High.GreaterThan(fc.Total) || fc.Low.LessThan(fc.ToDate) {
		t.Errorf("band %s..%s around %s (to date %s)", fc.Low, fc.High, fc.Total, fc.ToDate)
	}
}

// TestWeekComparisonLeavesOutADayStillArriving: on the 1st, the detail's
// last 7 days are the 7 whole days before it, not a part-day among them.
func TestWeekComparisonLeavesOutADayStillArriving(t *testing.T) {
	today := d("2026-12-01")
	g := loaded(t, book{"usage": usageProduct(today)}, Query{Period: api.ThisMonth}, today)
	det := g.Detail(ProductKey{Name: "usage", Category: "cat", Currency: "USD"})
	if !det.Cover.SoFar || !det.HasWeek || !det.Last7.Equal(decimal.NewFromInt(70)) || det.Week.Percent != 0 {
		t.Errorf("on the 1st: so far %v, last 7 %s (%s), want 70 and no change", det.Cover.SoFar, det.Last7, det.Week)
	}
}
