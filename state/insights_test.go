package state_test

import (
	"errors"
	"testing"
	gotime "time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/state"
)

// loadedStore rolls the generator's records for q into a store, as a
// fully paged query would.
func loadedStore(t *testing.T, g *fakeapi.Generator, q state.Query, today api.Date) *state.Store {
	t.Helper()
	start, end := q.Bounds(today)
	recs, ok := g.Records(q.GroupID, start, end, q.Agg(), q.Category)
	if !ok {
		t.Fatalf("unknown group %s", q.GroupID)
	}
	s := state.NewStore(q, 1, start, end)
	if !s.Append("", &api.Page{AsOf: g.AsOf(), Records: recs}) {
		t.Fatal("page not appended")
	}
	return s
}

// TestDetectStoreFindsInjectedAnomaliesOfAMonth runs detection the way the
// dashboard and export do, over a store and its lookback store, and checks
// that the injected events of each month are found, including those in the
// first days of the month, which need the history query.
func TestDetectStoreFindsInjectedAnomaliesOfAMonth(t *testing.T) {
	today := api.NewDate(2026, 11, 26)
	g := fakeapi.NewGenerator(1, today)
	cfg := state.DefaultDetectorConfig()
	found, total := 0, 0
	for _, grp := range g.Groups() {
		for m := 1; m <= 5; m++ {
			from := api.NewDate(2026, gotime.Month(11-m), 1)
			q := state.Query{GroupID: grp.ID, From: from, To: from.MonthEnd(), Aggregation: api.Daily}
			period := loadedStore(t, g, q, today)
			history := loadedStore(t, g, state.HistoryQuery(q, today, cfg), today)
			got, err := state.DetectStore(period, history, today, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range g.Anomalies(grp.ID) {
				if a.Start < from || a.Start > q.To {
					continue
				}
				total++
				hit := false
				for _, f := range got.Anomalies {
					if f.ProductName == a.ProductName && f.Date >= a.Start-2 && f.Date <= a.End+2 {
						hit = true
						break
					}
				}
				if hit {
					found++
				} else {
					t.Logf("missed %s %s %s..%s in %s", a.ProductName, a.Kind, a.Start, a.End, grp.Name)
				}
			}
			for _, a := range got.Anomalies {
				if a.Date < from || a.Date > q.To {
					t.Errorf("%s flagged %s outside the period %s..%s", a.ProductName, a.Date, from, q.To)
				}
			}
		}
	}
	if total == 0 {
		t.Fatal("the generator injected nothing in these months; the test proves nothing")
	}
	if recall := float64(found) / float64(total); recall < 0.95 {
		t.Errorf("found %d of %d injected anomalies through stores (%.2f)", found, total, recall)
	}
	t.Logf("found %d of %d injected anomalies through stores", found, total)
}

func TestDetectStoreNeedsDaily(t *testing.T) {
	today := api.NewDate(2026, 11, 26)
	g := fakeapi.NewGenerator(1, today)
	q := state.Query{GroupID: g.Groups()[0].ID, Period: api.LastMonth, Aggregation: api.Monthly}
	_, err := state.DetectStore(loadedStore(t, g, q, today), nil, today, state.DefaultDetectorConfig())
	if !errors.Is(err, state.ErrNeedsDaily) {
		t.Errorf("MONTHLY detection error = %v, want ErrNeedsDaily", err)
	}
}

func TestHistoryQueryIsTheDetectorHistoryBeforeThePeriod(t *testing.T) {
	today := api.NewDate(2026, 11, 26)
	q := state.Query{GroupID: "commerce_billingprofile_x", Period: api.LastMonth, Category: "sms", Aggregation: api.Monthly}
	h := state.HistoryQuery(q, today, state.DefaultDetectorConfig())
	if h.From != api.NewDate(2026, 7, 23) || h.To != api.NewDate(2026, 9, 30) {
		t.Errorf("history = %s..%s, want the 70 days before 2026-10-01 (drift's eight weeks, judged)", h.From, h.To)
	}
	if h.Agg() != api.Daily || h.Category != "sms" || h.GroupID != q.GroupID || h.Period != "" {
		t.Errorf("history query = %+v", h)
	}
	if err := h.Validate(); err != nil {
		t.Errorf("history query invalid: %v", err)
	}
}

// TestDetectorHistory checks how much DAILY history each kind of period
// needs: drift's eight judged weeks at least, and a year before the
// first quarter end in the period, so a quarter-end batch is known.
func TestDetectorHistory(t *testing.T) {
	d := api.NewDate
	today := d(2026, 12, 2)
	cases := []struct {
		name     string
		q        state.Query
		from, to api.Date
	}{
		{"a month without a quarter end", state.Query{From: d(2026, 11, 1), To: d(2026, 11, 30)}, d(2026, 8, 23), d(2026, 10, 31)},
		{"a month ending a quarter", state.Query{From: d(2026, 9, 1), To: d(2026, 9, 30)}, d(2025, 9, 23), d(2026, 8, 31)},
		{"this year", state.Query{Period: api.ThisYear}, d(2025, 3, 24), d(2025, 12, 31)},
		{"starting on a quarter end: more than one request", state.Query{From: d(2026, 3, 31), To: d(2026, 4, 30)}, d(2025, 3, 24), d(2026, 3, 30)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.GroupID, c.q.Aggregation = "commerce_billingprofile_x", api.Daily
			from, to := state.DetectorHistory(c.q, today, state.DefaultDetectorConfig())
			if from != c.from || to != c.to {
				t.Errorf("DetectorHistory = %s..%s, want %s..%s", from, to, c.from, c.to)
			}
			h := state.HistoryQuery(c.q, today, state.DefaultDetectorConfig())
			if h.To != to || api.DaysInclusive(h.From, h.To) > api.MaxRangeDays || (api.DaysInclusive(from, to) <= api.MaxRangeDays && h.From != from) {
				t.Errorf("HistoryQuery = %s..%s, want the part of %s..%s nearest the period in one request", h.From, h.To, from, to)
			}
			if err := h.Validate(); err != nil {
				t.Errorf("history query invalid: %v", err)
			}
		})
	}
}
