package state

import (
	"math"
	"slices"
)

// The detector's statistics work on float64 copies of the daily costs:
// they estimate, they never sum money. Reported amounts are the exact
// decimals from the input.

// detectorMADScale turns a median absolute deviation into a standard
// deviation for normally distributed residuals.
const detectorMADScale = 1.4826

// detectorQ90Scale turns the 90th percentile of absolute deviations into a
// standard deviation for normal residuals. It guards the MAD, which is
// zero when more than half the residuals are equal (products used on few
// days), and would then make every small wobble look enormous.
const detectorQ90Scale = 1.6449

// detectorMedianSorted returns the median of sorted xs (0 when empty).
func detectorMedianSorted(xs []float64) float64 {
	n := len(xs)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// detectorMedian sorts xs in place and returns its median.
func detectorMedian(xs []float64) float64 {
	slices.Sort(xs)
	return detectorMedianSorted(xs)
}

// detectorSpread returns a robust standard deviation of xs around centre:
// the larger of the scaled MAD and the scaled 90th percentile of absolute
// deviations. It overwrites xs.
func detectorSpread(xs []float64, centre float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	for k, x := range xs {
		xs[k] = math.Abs(x - centre)
	}
	slices.Sort(xs)
	mad := detectorMedianSorted(xs)
	q90 := xs[(len(xs)*9+9)/10-1] // ceil(0.9 n)-th smallest
	return max(detectorMADScale*mad, q90/detectorQ90Scale)
}
