package window

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
)

func TestLimiterGrowsFastThenHalvesOncePerBurst(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	tests := []struct {
		name  string
		steps func(l *limiter)
		want  int
	}{
		{"starts where asked", func(*limiter) {}, 4},
		{"slow start doubles per round", func(l *limiter) {
			for range 4 {
				l.succeeded()
			}
		}, 8},
		{"capped at the maximum", func(l *limiter) {
			for range 100 {
				l.succeeded()
			}
		}, 16},
		{"a refusal halves", func(l *limiter) {
			for range 4 {
				l.succeeded()
			}
			l.throttled(at(100), at(50), 0)
		}, 4},
		{"refusals of requests sent before the cut halve once", func(l *limiter) {
			for range 4 {
				l.succeeded()
			}
			l.throttled(at(100), at(50), 0)
			l.throttled(at(110), at(60), 0)
			l.throttled(at(120), at(90), 0)
		}, 4},
		{"a refusal after the cut halves again, never below one", func(l *limiter) {
			l.throttled(at(100), at(50), 0)
			l.throttled(at(300), at(200), 0)
			l.throttled(at(500), at(400), 0)
		}, 1},
		{"after a cut it grows by one per round", func(l *limiter) {
			for range 4 {
				l.succeeded()
			}
			l.throttled(at(100), at(50), 0) // 8 -> 4
			for range 4 {
				l.succeeded() // one round at 4
			}
		}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(4, 16)
			tt.steps(l)
			if got := l.allowed(); got != tt.want {
				t.Errorf("allowed = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestLimiterPausesForRetryAfter(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	l := newLimiter(4, 16)
	l.throttled(t0, t0.Add(-time.Second), 2*time.Second)
	l.throttled(t0.Add(time.Second), t0.Add(-time.Second), time.Second/2) // a shorter ask does not shorten it
	for _, tc := range []struct {
		after  time.Duration
		paused bool
	}{{0, true}, {1999 * time.Millisecond, true}, {2 * time.Second, false}} {
		if _, p := l.paused(t0.Add(tc.after)); p != tc.paused {
			t.Errorf("%s after the refusal paused = %v, want %v", tc.after, p, tc.paused)
		}
	}
}

func TestIsRateLimit(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&api.Error{StatusCode: http.StatusTooManyRequests, Code: api.CodeTooManyRequests}, true},
		{&api.Error{StatusCode: http.StatusTooManyRequests}, true},
		{&api.Error{StatusCode: http.StatusForbidden, Code: CodeOrgRateLimit}, true},
		{fmt.Errorf("page 3: gave up after 5 attempts: %w", &api.Error{StatusCode: 429}), true},
		{&api.Error{StatusCode: http.StatusServiceUnavailable}, false},
		{&api.Error{StatusCode: http.StatusForbidden, Code: api.CodeNoPermission}, false},
		{errors.New("connection reset"), false},
	}
	for _, tt := range tests {
		if got := IsRateLimit(tt.err); got != tt.want {
			t.Errorf("IsRateLimit(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
