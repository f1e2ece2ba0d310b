package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// Backoff shape: full jitter over an exponential ceiling (the first retry
// waits up to backoffBase, doubling to backoffCap), and a cap on how long a
// server's Retry-After is believed.
const (
	backoffBase   = 500 * time.Millisecond
	backoffCap    = 30 * time.Second
	maxRetryAfter = 5 * time.Minute
)

// RetryNotice tells the caller that a request failed and will be retried,
// so a UI can say "rate limited, retrying in 2s".
type RetryNotice struct {
	// Attempt is the number of the attempt that failed, starting at 1.
	Attempt int
	// Wait is how long the client waits before the next attempt.
	Wait time.Duration
	// Err is why the attempt failed (often an *Error).
	Err error
}

// Cause says in a few words why the attempt failed: "rate limited (429)",
// "server error 503 Service Unavailable", "the response was cut short",
// prefixed "token endpoint: " when the token request failed; else the
// error's own text. The dashboard and the headless commands both say it.
func (n RetryNotice) Cause() string {
	what := n.Err.Error()
	var ae *Error
	var de *DecodeError
	switch {
	case errors.As(n.Err, &ae) && ae.StatusCode == http.StatusTooManyRequests:
		what = "rate limited (429)"
	case ae != nil:
		what = fmt.Sprintf("server error %d %s", ae.StatusCode, http.StatusText(ae.StatusCode))
	case errors.As(n.Err, &de) && de.Truncated:
		what = "the response was cut short"
	}
	if ae != nil && ae.TokenEndpoint {
		what = "token endpoint: " + what
	}
	return what
}

type retryNotifyKey struct{}

// WithRetryNotify returns a context under which every retry wait of the
// client's calls is first reported to fn, then to any fn set on ctx
// before (a loader listening for rate limits does not deafen the command
// that reports them). fn runs on the calling goroutine and should return
// quickly.
func WithRetryNotify(ctx context.Context, fn func(RetryNotice)) context.Context {
	outer, _ := ctx.Value(retryNotifyKey{}).(func(RetryNotice))
	if outer == nil {
		return context.WithValue(ctx, retryNotifyKey{}, fn)
	}
	return context.WithValue(ctx, retryNotifyKey{}, func(n RetryNotice) {
		fn(n)
		outer(n)
	})
}

func retryNotify(ctx context.Context, n RetryNotice) {
	if fn, ok := ctx.Value(retryNotifyKey{}).(func(RetryNotice)); ok && fn != nil {
		fn(n)
	}
}

// retry runs attempt until it succeeds, fails in a way retrying cannot fix,
// or the attempt or time budget is spent. Only 429s, 5xx, transient
// network faults and bodies cut short are retried (see retryable);
// cancellation of ctx stops at once.
func (c *Client) retry(ctx context.Context, attempt func(ctx context.Context) error) error {
	start := time.Now()
	var waited time.Duration
	for n := 1; ; n++ {
		err := attempt(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !retryable(err) {
			return err
		}
		if n >= c.cfg.MaxAttempts {
			return fmt.Errorf("gave up after %s: %w", attemptsText(n), err)
		}
		wait := c.backoff(n, err)
		// Injected sleeps take no real time, so count the waits too.
		elapsed := max(time.Since(start), waited)
		if elapsed+wait > c.cfg.MaxRetryTime {
			return fmt.Errorf("gave up after %s in %s (the next wait, %s, would pass the %s retry limit): %w",
				attemptsText(n), elapsed.Round(time.Millisecond), wait.Round(time.Millisecond), c.cfg.MaxRetryTime, err)
		}
		retryNotify(ctx, RetryNotice{Attempt: n, Wait: wait, Err: err})
		if serr := c.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("stopped waiting to retry (%v): %w", err, serr)
		}
		waited += wait
	}
}

// backoff returns the wait after failed attempt n: full jitter over an
// exponential ceiling, but never less than the server's Retry-After.
func (c *Client) backoff(n int, err error) time.Duration {
	ceiling := backoffCap
	if n < 16 {
		ceiling = min(backoffCap, backoffBase<<(n-1))
	}
	wait := c.jitter(ceiling)
	var apiErr *Error
	if errors.As(err, &apiErr) && apiErr.RetryAfter > wait {
		wait = apiErr.RetryAfter
	}
	return wait
}

// fullJitter returns a uniformly random duration in [0, ceiling].
func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// sleepContext waits d or until ctx is done, whichever comes first.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date, capped at
// maxRetryAfter; zero when absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, maxRetryAfter))
}

// transportError is a failure to exchange a request and response at all
// (connection refused, reset, timeout), as opposed to an HTTP error answer.
type transportError struct {
	msg string
	err error
	// setting names the URL that could not be reached, for Hint; empty
	// when no URL is to blame.
	setting string
}

func (e *transportError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// Hint says what the user can check, or "" when the failure was a
// cancellation or a wait rather than a network fault.
func (e *transportError) Hint() string {
	if e.setting == "" || errors.Is(e.err, context.Canceled) {
		return ""
	}
	return "check the network and " + e.setting + "; a proxy is taken from HTTPS_PROXY"
}

// retryable reports whether err is worth another attempt: 429 and 5xx
// answers, network faults that are usually passing, and 200 bodies cut
// short. Context cancellation, complete but malformed bodies and every
// other HTTP status are not.
func retryable(err error) bool {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.Retryable()
	}
	var decErr *DecodeError
	if errors.As(err, &decErr) {
		// A body cut short is a transfer fault like a reset connection; a
		// complete body that is wrong would come back wrong again.
		return decErr.Truncated
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	var te *transportError
	if !errors.As(err, &te) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true // this attempt's own timeout; the caller's context is checked first
	}
	for _, transient := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EPIPE, syscall.ETIMEDOUT, io.ErrUnexpectedEOF, io.EOF} {
		if errors.Is(err, transient) {
			return true
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTemporary || dnsErr.IsTimeout
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// attemptsText says "1 attempt" or "n attempts".
func attemptsText(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}
