package state

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDetectorSelectAgreesWithSort checks the selection behind every
// median and spread against a full sort, on sizes and ties the detector
// meets (four weekday points, a few weeks of residuals, many equal zeros).
func TestDetectorSelectAgreesWithSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 2000; trial++ {
		n := 1 + rng.IntN(80)
		xs := make([]float64, n)
		for i := range xs {
			switch trial % 3 {
			case 0:
				xs[i] = rng.NormFloat64()
			case 1:
				xs[i] = float64(rng.IntN(3)) // many ties
			default:
				xs[i] = 0
			}
		}
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		k := rng.IntN(n)
		got := detectorSelect(slices.Clone(xs), k)
		if got != sorted[k] {
			t.Fatalf("select(%v, %d) = %v, want %v", xs, k, got, sorted[k])
		}
		want := sorted[n/2]
		if n%2 == 0 {
			want = (sorted[n/2-1] + sorted[n/2]) / 2
		}
		if got := detectorMedian(slices.Clone(xs)); got != want {
			t.Fatalf("median(%v) = %v, want %v", xs, got, want)
		}
		if got := detectorMedianSorted(sorted); got != want {
			t.Fatalf("median of sorted %v = %v, want %v", sorted, got, want)
		}
		a, b := detectorSpread(slices.Clone(xs), want), detectorSpreadSorted(sorted, nil)
		if math.Abs(a-b) > 1e-12 {
			t.Fatalf("spread(%v) = %v by selection, %v by merging", xs, a, b)
		}
	}
	if detectorMedian(nil) != 0 || detectorSpread(nil, 0) != 0 || detectorSpreadSorted(nil, nil) != 0 {
		t.Error("empty input should give 0")
	}
}

func TestDetectorPoissonTail(t *testing.T) {
	cases := []struct {
		k, lambda float64
		up        bool
		want      float64
	}{
		{4, 1, true, 0.018988},   // P(X >= 4 | 1)
		{1, 8, false, 0.0030192}, // P(X <= 1 | 8)
		{0, 8.4, false, math.Exp(-8.4)},
		{0, 5, true, 1},
		{1e12, 3, true, 0}, // a spike of a trillion units returns at once
		{1300, 1200, true, 0.00197},
	}
	for _, c := range cases {
		if got := detectorPoissonTail(c.k, c.lambda, c.up); math.Abs(got-c.want) > 1e-4*max(1, c.want) && math.Abs(got-c.want) > 2e-4 {
			t.Errorf("tail(%v, %v, up=%v) = %v, want %v", c.k, c.lambda, c.up, got, c.want)
		}
	}
}
