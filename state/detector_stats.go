package state

import "math"

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

// detectorSelect reorders xs so that xs[k] is its k-th smallest value,
// with no larger value before it and no smaller one after, and returns it:
// a median needs no full sort, and the detector takes thousands a second.
// xs must hold no NaN.
func detectorSelect(xs []float64, k int) float64 {
	lo, hi := 0, len(xs)-1
	for hi-lo > 12 {
		// Median of three as the pivot, then Hoare's partition.
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k] // between the parts: equal to the pivot
		}
	}
	for a := lo + 1; a <= hi; a++ { // insertion sort of what is left
		for b := a; b > lo && xs[b] < xs[b-1]; b-- {
			xs[b], xs[b-1] = xs[b-1], xs[b]
		}
	}
	return xs[k]
}

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

// detectorMedian returns the median of xs (0 when empty), reordering it.
func detectorMedian(xs []float64) float64 {
	n := len(xs)
	switch n {
	case 0:
		return 0
	case 4: // the weekday median, every day: a sorting network
		if xs[1] < xs[0] {
			xs[0], xs[1] = xs[1], xs[0]
		}
		if xs[3] < xs[2] {
			xs[2], xs[3] = xs[3], xs[2]
		}
		lo, hi := max(xs[0], xs[2]), min(xs[1], xs[3])
		return (lo + hi) / 2
	}
	m := detectorSelect(xs, n/2)
	if n%2 == 1 {
		return m
	}
	lower := xs[0] // the largest of the lower half is the other middle value
	for _, x := range xs[1 : n/2] {
		lower = max(lower, x)
	}
	return (lower + m) / 2
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
	mad := detectorMedian(xs)
	q90 := detectorSelect(xs, (len(xs)*9+9)/10-1) // ceil(0.9 n)-th smallest
	return max(detectorMADScale*mad, q90/detectorQ90Scale)
}

// detectorSpreadSorted is detectorSpread for sorted xs around their
// median, in one pass: the deviations below and above the median are
// each already in order, so merging them orders them all. buf is scratch.
func detectorSpreadSorted(xs, buf []float64) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	m := detectorMedianSorted(xs)
	hi := n / 2 // xs[hi:] lie at or above m, xs[:hi] at or below
	lo := hi - 1
	for len(buf) < n {
		var dl, dh float64
		switch {
		case lo < 0:
			dh = xs[hi] - m
			buf = append(buf, dh)
			hi++
			continue
		case hi >= n:
			buf = append(buf, m-xs[lo])
			lo--
			continue
		}
		dl, dh = m-xs[lo], xs[hi]-m
		if dl <= dh {
			buf = append(buf, dl)
			lo--
		} else {
			buf = append(buf, dh)
			hi++
		}
	}
	mad := detectorMedianSorted(buf)
	q90 := buf[(n*9+9)/10-1]
	return max(detectorMADScale*mad, q90/detectorQ90Scale)
}
