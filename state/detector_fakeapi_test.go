package state_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/state"
)

// detectorSixMonths is the judged span of the evaluation: the last six
// months (182 days) before today.
const detectorSixMonths = 182

// detectorFakeInputs builds each product's daily cost over [from-lookback,
// today] from the simulated API's DAILY records, zero-filled, as the
// dashboard does with its lookback query.
func detectorFakeInputs(t *testing.T, g *fakeapi.Generator, grp fakeapi.Group, start, today api.Date) []state.AnomalyInput {
	t.Helper()
	recs, ok := g.Records(grp.ID, start, today, api.Daily, "")
	if !ok {
		t.Fatalf("group %s unknown to the generator", grp.ID)
	}
	n := int(today-start) + 1
	byKey := map[[2]string]*state.AnomalyInput{}
	var order [][2]string
	for _, r := range recs {
		k := [2]string{r.ProductName, r.ProductCategory}
		in := byKey[k]
		if in == nil {
			in = &state.AnomalyInput{ProductName: r.ProductName, ProductCategory: r.ProductCategory, Currency: r.Price.Currency, Start: start, Daily: make([]decimal.Decimal, n)}
			byKey[k] = in
			order = append(order, k)
		}
		i := int(r.StartDate - start)
		in.Daily[i] = in.Daily[i].Add(r.Price.Amount.Decimal())
	}
	ins := make([]state.AnomalyInput, len(order))
	for k, key := range order {
		ins[k] = *byKey[key]
	}
	return ins
}

// TestDetectorFindsInjectedAnomalies is issue 5's measure: over the last
// six months of every demo group, consecutive flagged days of a product
// count as one event, an event finds an injected anomaly when it overlaps
// it give or take detectorTolerance days, and recall must reach 0.95 and
// precision 0.9, with the default thresholds. Several seeds and dates keep
// it from being a fit to one draw of the generator.
func TestDetectorFindsInjectedAnomalies(t *testing.T) {
	total := detectorFakeScore(t, state.DefaultDetectorConfig())
	t.Logf("measure: recall %.3f, precision %.3f", total.Recall(), total.Precision())
	if total.Truths == 0 {
		t.Fatal("the generator injected no anomalies in the last six months")
	}
	if total.Recall() < 0.95 {
		t.Errorf("recall %.3f, want >= 0.95", total.Recall())
	}
	if total.Precision() < 0.9 {
		t.Errorf("precision %.3f, want >= 0.9", total.Precision())
	}
}

// detectorFakeScore runs the detector with cfg over the demo groups of a
// few seeds and dates, logging each group's figures and the overall ones.
func detectorFakeScore(t *testing.T, cfg state.DetectorConfig) detectorScore {
	t.Helper()
	var total detectorScore
	for _, run := range []struct {
		seed  int64
		today api.Date
	}{
		{1, api.NewDate(2025, 9, 17)},
		{1, api.NewDate(2026, 3, 2)},
		{2, api.NewDate(2025, 12, 31)},
		{3, api.NewDate(2026, 6, 15)},
		{42, api.NewDate(2025, 11, 11)},
		{1234, api.NewDate(2026, 1, 31)},
	} {
		g := fakeapi.NewGenerator(run.seed, run.today)
		from := run.today.AddDays(-detectorSixMonths)
		w := state.AnomalyWindow{From: from, To: run.today, AsOf: g.AsOf(), Today: run.today}
		last := w.LastJudgeable()
		for _, grp := range g.Groups() {
			ins := detectorFakeInputs(t, g, grp, cfg.HistoryStart(from), run.today)
			rows := state.DetectGroupAnomalies(ins, w, cfg).Anomalies
			var truths []detectorTruth
			for _, a := range g.Anomalies(grp.ID) {
				// An anomaly that began before the judged span is history
				// (a launch in the lookback), not something to find.
				if a.Start >= from && a.Start <= last {
					truths = append(truths, detectorTruth{Product: a.ProductName, Kind: string(a.Kind) + " (" + a.Note + ")", Start: a.Start, End: a.End})
				}
			}
			s := detectorMatch(rows, truths)
			detectorLogScore(t, fmt.Sprintf("seed %d, today %s, %s (%d products)", run.seed, run.today, grp.Name, len(ins)), s)
			total.add(s)
		}
	}
	detectorLogScore(t, fmt.Sprintf("overall at a money floor of %s", cfg.MinImpact), total)
	return total
}
