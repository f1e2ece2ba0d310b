package serve

import (
	"sync"
	"time"
)

// rateLimiter allows each address n connections per period, refilled
// evenly (a token bucket of n). Its table is bounded: at maxAddresses it
// forgets the addresses whose buckets are full again, which lose nothing
// by being forgotten.
type rateLimiter struct {
	n      float64
	period time.Duration
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxAddresses bounds the limiter's table against a scan from many hosts.
const maxAddresses = 10000

func newRateLimiter(n int, period time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{n: float64(n), period: period, now: now, buckets: map[string]*bucket{}}
}

// allow takes one connection from addr's bucket, if it has one.
func (r *rateLimiter) allow(addr string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	b, ok := r.buckets[addr]
	if !ok {
		if len(r.buckets) >= maxAddresses {
			r.forgetFull(now)
		}
		b = &bucket{tokens: r.n, at: now}
		r.buckets[addr] = b
	}
	b.tokens = min(r.n, b.tokens+r.n*float64(now.Sub(b.at))/float64(r.period))
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// forgetFull drops the buckets that have refilled; r.mu is held.
func (r *rateLimiter) forgetFull(now time.Time) {
	for addr, b := range r.buckets {
		if b.tokens+r.n*float64(now.Sub(b.at))/float64(r.period) >= r.n {
			delete(r.buckets, addr)
		}
	}
}
