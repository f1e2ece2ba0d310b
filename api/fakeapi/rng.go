package fakeapi

import "math"

// The generator draws from its own splitmix64 stream rather than math/rand
// so the demo data stays the same across Go releases: a seed is a promise.

// mix64 is splitmix64's finaliser: a cheap, well-spread 64-bit hash.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hash3 combines three values into one well-spread hash.
func hash3(a, b, c uint64) uint64 {
	return mix64(mix64(mix64(a)^b) ^ c)
}

// hashString hashes a name (FNV-1a, then mixed).
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix64(h)
}

// rng is a deterministic random stream.
type rng struct{ state uint64 }

func newRNG(seed uint64) *rng { return &rng{state: mix64(seed)} }

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	return mix64(r.state)
}

// float returns a uniform value in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a uniform value in [0, n); the modulo bias is negligible for small n.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a uniform value in [lo, hi).
func (r *rng) between(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// logBetween returns a value in [lo, hi) uniform on a log scale, so sizes
// spread over orders of magnitude.
func (r *rng) logBetween(lo, hi float64) float64 {
	return math.Exp(r.between(math.Log(lo), math.Log(hi)))
}

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// bell maps a hash to a value in [-1, 1], bell-shaped (the mean of three
// uniforms), so noise has no heavy tails that would look like anomalies.
func bell(h uint64) float64 {
	const mask = 1<<21 - 1
	a := float64(h & mask)
	b := float64(h >> 21 & mask)
	c := float64(h >> 42 & mask)
	return (a+b+c)/(3*mask)*2 - 1
}
