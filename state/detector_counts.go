package state

import (
	"math"
)

// countPlausiblyRare reports whether day i is rare enough if the product's
// cost comes in whole units of a price (a few pricey units a day): its
// number of units must lie as far in the Poisson tail as the threshold
// lies in the normal one. Costs not made of whole units pass.
func (r *detectorRun) countPlausiblyRare(i int, expected float64, up bool) bool {
	q := r.quantum(i)
	if q <= 0 || expected <= 0 {
		return true
	}
	k, lambda := math.Round(max(r.v[i], 0)/q), expected/q
	return detectorPoissonTail(k, lambda, up) <= 0.5*math.Erfc(r.threshold/math.Sqrt2)
}

// quantum returns the price the product's recent daily costs are whole
// multiples of (the smallest positive cost), or 0 when they are not.
func (r *detectorRun) quantum(i int) float64 {
	lo := max(r.regime, i-detectorSpreadWindows*r.lookback)
	q := math.Inf(1)
	for j := lo; j < i; j++ {
		if r.v[j] > 0 {
			q = min(q, r.v[j])
		}
	}
	if math.IsInf(q, 1) {
		return 0
	}
	n, whole := 0, 0
	var sum, sum2 float64
	for j := lo; j < i; j++ {
		x := max(r.v[j], 0)
		k := math.Round(x / q)
		sum, sum2 = sum+k, sum2+k*k
		if x > 0 {
			n++
			if math.Abs(x-k*q) <= detectorQuantumTolerance*q {
				whole++
			}
		}
	}
	if n < detectorMinResiduals || float64(whole) < detectorQuantumShare*float64(n) {
		return 0
	}
	// Counts vary at least as a Poisson count does (variance near the
	// mean); a flat fee of one "unit" a day is not a count.
	days := float64(i - lo)
	mean := sum / days
	if sum2/days-mean*mean < detectorQuantumDispersion*mean {
		return 0
	}
	return q
}

// detectorPoissonTail returns P(X >= k) (up) or P(X <= k) for X Poisson
// with mean lambda.
func detectorPoissonTail(k, lambda float64, up bool) float64 {
	if lambda > 1000 { // normal approximation, with continuity correction
		z := (k - lambda) / math.Sqrt(lambda)
		if up {
			return 0.5 * math.Erfc((z-0.5/math.Sqrt(lambda))/math.Sqrt2)
		}
		return 0.5 * math.Erfc(-(z+0.5/math.Sqrt(lambda))/math.Sqrt2)
	}
	if up && k > lambda+40*math.Sqrt(lambda)+40 {
		return 0 // far beyond any mass (and no endless sum up to k)
	}
	below := 0.0 // P(X <= k), or P(X <= k-1) for the upper tail
	last := k
	if up {
		last = k - 1
	}
	for j := 0.0; j <= last; j++ {
		lg, _ := math.Lgamma(j + 1)
		below += math.Exp(-lambda + j*math.Log(lambda) - lg)
	}
	if up {
		return max(0, 1-below)
	}
	return min(1, below)
}
