package window

import (
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/usagetop/usagetop/api"
)

// CodeOrgRateLimit is Twilio's error code for an organisation-wide rate
// limit. It is throttling like a 429, whatever HTTP status carries it.
const CodeOrgRateLimit = 25021

// IsRateLimit reports whether err says the API wants fewer requests: a 429
// or Twilio error 25021.
func IsRateLimit(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && (e.StatusCode == http.StatusTooManyRequests || e.Code == CodeOrgRateLimit)
}

// limiter decides how many requests may be in flight, additive increase /
// multiplicative decrease as TCP does: it starts at a few, doubles each
// round of successes until the first throttling (slow start), then halves
// on throttling and grows back by one per round of successes. It also
// holds the pause a Retry-After asks of every request, not only the one
// that was refused. Only the loader's coordinating goroutine uses it.
type limiter struct {
	limit, max float64
	// threshold is where slow start ends; after a throttling it is half
	// the limit that drew it.
	threshold float64
	// cut is when the limit was last halved: a throttled request sent
	// before it was part of the burst already answered for.
	cut time.Time
	// pauseUntil holds back new requests while a Retry-After runs.
	pauseUntil time.Time
}

func newLimiter(initial, max int) *limiter {
	initial = max1(min(initial, max))
	return &limiter{limit: float64(initial), max: float64(max1(max)), threshold: float64(max1(max))}
}

func max1(n int) int { return max(1, n) }

// allowed returns how many requests may be in flight now.
func (l *limiter) allowed() int { return int(l.limit) }

// succeeded counts a page that came back.
func (l *limiter) succeeded() {
	if l.limit < l.threshold {
		l.limit++
	} else {
		l.limit += 1 / math.Floor(l.limit) // one per round of successes
	}
	l.limit = min(l.limit, l.max)
}

// throttled counts a rate-limit answer to a request sent at sent, with the
// server's Retry-After (zero if none). It reports whether the limit was
// halved: one burst of refusals halves it once.
func (l *limiter) throttled(now, sent time.Time, retryAfter time.Duration) bool {
	if retryAfter > 0 && now.Add(retryAfter).After(l.pauseUntil) {
		l.pauseUntil = now.Add(retryAfter)
	}
	if !sent.After(l.cut) {
		return false
	}
	l.limit = max(1, float64(int(l.limit)/2))
	l.threshold = l.limit
	l.cut = now
	return true
}

// paused reports whether new requests must wait, and until when.
func (l *limiter) paused(now time.Time) (time.Time, bool) {
	return l.pauseUntil, now.Before(l.pauseUntil)
}
