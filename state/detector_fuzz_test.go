package state_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// FuzzDetectAnomalies feeds the detector costs as the API might send them
// (zeros, credits, cents, huge amounts, sudden jumps) and checks that it
// never panics and keeps its promises: nothing flagged outside the judged
// days, and every flag consistent with its own numbers.
func FuzzDetectAnomalies(f *testing.F) {
	f.Add([]byte{10, 10, 10, 10, 200, 10, 0, 0, 0, 10}, uint8(20), uint8(3))
	f.Add([]byte{0, 0, 0, 255, 255, 1, 1, 1, 0}, uint8(0), uint8(0))
	f.Add([]byte{7}, uint8(40), uint8(9))
	f.Fuzz(func(t *testing.T, data []byte, fromDay, scale uint8) {
		if len(data) == 0 || len(data) > 400 {
			return
		}
		start := api.NewDate(2025, 1, 1)
		daily := make([]decimal.Decimal, len(data))
		for i, b := range data {
			// Bytes become amounts from -1.27 (a credit) to 10^(scale%12) sizes.
			daily[i] = decimal.New(int64(b)-int64(data[0]%2)*127, int32(scale%12)-4)
		}
		in := state.AnomalyInput{ProductName: "p", Currency: "USD", Start: start, Daily: daily}
		from := start.AddDays(int(fromDay) % len(data))
		w := state.AnomalyWindow{From: from, To: start.AddDays(len(data) + 3), AsOf: start.AddDays(len(data) - 2), Today: start.AddDays(len(data))}
		res := state.DetectAnomalies(in, w, state.DefaultDetectorConfig())
		last := min(w.LastJudgeable(), start.AddDays(len(data)-1))
		for _, a := range res.Anomalies {
			if a.Date < from || a.Date > last {
				t.Fatalf("flagged %s outside %s..%s", a.Date, from, last)
			}
			if !a.Impact.Equal(a.Actual.Sub(a.Expected)) {
				t.Fatalf("impact %s != actual %s - expected %s", a.Impact, a.Actual, a.Expected)
			}
			if a.Score < 0 || a.Score > state.AnomalyScoreCap || a.Reason == "" {
				t.Fatalf("score %v reason %q", a.Score, a.Reason)
			}
		}
		if res.Judged+res.Unjudged != max(0, int(last-from)+1) {
			t.Fatalf("judged %d + unjudged %d days, want %d", res.Judged, res.Unjudged, int(last-from)+1)
		}
	})
}
