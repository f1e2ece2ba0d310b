package state

import (
	"math"
	"slices"
)

// detectorSlideMax is how many days a sorted window slides one by one;
// further, it is sorted afresh.
const detectorSlideMax = 8

// detectorSearch returns the first index of sorted xs whose value is not
// below x (xs holds no NaN, so plain comparisons do).
func detectorSearch(xs []float64, x float64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if xs[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// detectorSorted is a sorted window of r.res over the days [lo, hi).
type detectorSorted struct {
	xs      []float64
	lo, hi  int
	version int
	built   bool
}

// slide moves the window to r.res over [lo, hi) and returns its values,
// sorted.
func (w *detectorSorted) slide(r *detectorRun, lo, hi int) []float64 {
	// Rebuild when history was rewritten, the window moved back, or it
	// moved so far that sorting afresh is cheaper than sliding.
	if !w.built || w.version != r.resVersion || lo < w.lo || hi < w.hi || lo > w.hi || hi-w.hi > detectorSlideMax {
		w.xs = w.xs[:0]
		for j := lo; j < hi; j++ {
			if !math.IsNaN(r.res[j]) {
				w.xs = append(w.xs, r.res[j])
			}
		}
		slices.Sort(w.xs)
		w.built, w.version = true, r.resVersion
	} else {
		for j := w.lo; j < lo; j++ {
			if x := r.res[j]; !math.IsNaN(x) {
				if k := detectorSearch(w.xs, x); k < len(w.xs) && w.xs[k] == x {
					w.xs = slices.Delete(w.xs, k, k+1)
				}
			}
		}
		for j := w.hi; j < hi; j++ {
			if x := r.res[j]; !math.IsNaN(x) {
				w.xs = slices.Insert(w.xs, detectorSearch(w.xs, x), x)
			}
		}
	}
	w.lo, w.hi = lo, hi
	return w.xs
}
