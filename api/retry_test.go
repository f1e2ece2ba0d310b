package api

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRetryableClassifiesFailures(t *testing.T) {
	netErr := func(err error) error {
		return &transportError{msg: "cannot reach", err: &url.Error{Op: "Post", URL: "https://x", Err: err}}
	}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"429", &Error{StatusCode: 429}, true},
		{"503 wrapped", fmt.Errorf("page 2: %w", &Error{StatusCode: 503}), true},
		{"400", &Error{StatusCode: 400}, false},
		{"401", &Error{StatusCode: 401}, false},
		{"404", &Error{StatusCode: 404}, false},
		{"token endpoint 503", &Error{StatusCode: 503, TokenEndpoint: true}, true},
		{"connection refused", netErr(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), true},
		{"connection reset", netErr(&net.OpError{Op: "read", Err: syscall.ECONNRESET}), true},
		{"cut short", netErr(io.ErrUnexpectedEOF), true},
		{"attempt timeout", netErr(context.DeadlineExceeded), true},
		{"temporary DNS failure", netErr(&net.DNSError{Err: "server misbehaving", IsTemporary: true}), true},
		{"no such host", netErr(&net.DNSError{Err: "no such host", IsNotFound: true}), false},
		{"bad certificate", netErr(x509.UnknownAuthorityError{}), false},
		{"cancelled", netErr(context.Canceled), false},
		{"bare cancellation", context.Canceled, false},
		{"malformed page", &DecodeError{Record: 3, Field: "price.amount"}, false},
		{"page cut short", fmt.Errorf("page 2: %w", &DecodeError{Record: 3, Truncated: true}), true},
		{"anything else", errors.New("boom"), false},
	} {
		if got := retryable(tc.err); got != tc.want {
			t.Errorf("%s: retryable = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestBackoffGrowsToItsCapAndHonoursRetryAfter(t *testing.T) {
	c := &Client{jitter: func(ceiling time.Duration) time.Duration { return ceiling }}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		if got := c.backoff(i+1, &Error{StatusCode: 503}); got != w {
			t.Errorf("after attempt %d: wait %s, want %s", i+1, got, w)
		}
	}
	if got := c.backoff(100, errors.New("x")); got != backoffCap {
		t.Errorf("after attempt 100: wait %s, want the cap", got)
	}
	// Retry-After is a floor: a shorter backoff waits for it.
	c.jitter = func(time.Duration) time.Duration { return 0 }
	if got := c.backoff(1, &Error{StatusCode: 429, RetryAfter: 3 * time.Second}); got != 3*time.Second {
		t.Errorf("wait %s, want Retry-After's 3s", got)
	}
}

func TestFullJitterStaysInRange(t *testing.T) {
	if fullJitter(0) != 0 || fullJitter(-time.Second) != 0 {
		t.Error("no ceiling, yet a wait")
	}
	seenLow, seenHigh := false, false
	for range 2000 {
		d := fullJitter(time.Second)
		if d < 0 || d > time.Second {
			t.Fatalf("jitter %s outside [0, 1s]", d)
		}
		seenLow = seenLow || d < 250*time.Millisecond
		seenHigh = seenHigh || d > 750*time.Millisecond
	}
	if !seenLow || !seenHigh {
		t.Error("jitter does not spread over its range")
	}
}

func TestSleepContextReturnsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if err := sleepContext(context.Background(), time.Millisecond); err != nil {
		t.Errorf("got %v", err)
	}
}

// TestUnreachableServerHintNamesTheURLSetting: a network failure says which
// URL setting to check; a cancellation gives no advice.
func TestUnreachableServerHintNamesTheURLSetting(t *testing.T) {
	ts := newTestServer(t)
	c, _ := newTestClient(t, ts, func(cfg *Config) { cfg.MaxAttempts = 1 })
	ts.srv.Close()
	_, err := c.FetchPage(context.Background(), lastMonth())
	var h interface{ Hint() string }
	if !errors.As(err, &h) || !strings.Contains(h.Hint(), "--token-url") {
		t.Errorf("error %v: no hint naming --token-url", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.FetchPage(ctx, lastMonth())
	if errors.As(err, &h) && h.Hint() != "" {
		t.Errorf("a cancelled request gives advice: %q", h.Hint())
	}
}

// TestGaveUpSaysAttemptsInGoodEnglish: "gave up after 1 attempt", never
// "1 attempts" (issue 14.11).
func TestGaveUpSaysAttemptsInGoodEnglish(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		want     string
	}{{1, "gave up after 1 attempt:"}, {2, "gave up after 2 attempts:"}} {
		c := &Client{cfg: Config{MaxAttempts: tc.attempts, MaxRetryTime: time.Hour},
			sleep: func(context.Context, time.Duration) error { return nil }, jitter: func(time.Duration) time.Duration { return 0 }}
		err := c.retry(context.Background(), func(context.Context) error { return &Error{StatusCode: 503} })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d attempts: %v; want %q", tc.attempts, err, tc.want)
		}
	}
}
