package state_test

import (
	"math/rand/v2"
	"testing"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// TestDetectorOnSyntheticPopulations measures the detector on varied
// synthetic products it was not tuned on (several seeds): weekly cycles,
// trends, monthly fees, launches, shutdowns, count noise, and sizes from
// cents to thousands a day.
func TestDetectorOnSyntheticPopulations(t *testing.T) {
	today := api.NewDate(2025, 9, 17)
	const lookback, judged = 28, 182
	start := today.AddDays(-judged - lookback)
	n := lookback + judged // through today-1
	w := state.AnomalyWindow{From: start.AddDays(lookback), To: today, AsOf: today, Today: today}
	var total detectorScore
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 42))
		ps, truths := synthPopulation(rng, 150, n, lookback, start)
		var rows []state.Anomaly
		for k, p := range ps {
			res := state.DetectAnomalies(p.input(start, n, seed*1000+uint64(k)), w, state.DefaultDetectorConfig())
			rows = append(rows, res.Anomalies...)
		}
		s := detectorMatch(rows, truths)
		detectorLogScore(t, "seed "+string(rune('0'+seed)), s)
		total.add(s)
	}
	detectorLogScore(t, "all seeds", total)
	if total.Recall() < 0.95 || total.Precision() < 0.9 {
		t.Errorf("recall %.3f (want >= 0.95), precision %.3f (want >= 0.9)", total.Recall(), total.Precision())
	}
}
