package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// maxRenewMargin is how long before expiry a cached token is renewed, at
// most; short-lived tokens are renewed when a tenth of their life is left.
const maxRenewMargin = time.Minute

// tokenCache holds the current access token. The golang.org/x/oauth2
// client credentials flow fetches tokens; the cache is ours because a 401
// must be able to throw the token away, and each fetch must run under the
// caller's context rather than one captured at construction.
type tokenCache struct {
	conf   clientcredentials.Config
	hc     *http.Client
	secret string
	// lock is a one-slot semaphore rather than a mutex so that a caller
	// waiting behind another's token fetch can give up when its context ends.
	lock      chan struct{}
	tok       *oauth2.Token
	fetchedAt time.Time
	now       func() time.Time // the clock that judges freshness; tests move it
}

func newTokenCache(cfg Config, hc *http.Client) *tokenCache {
	return &tokenCache{
		conf: clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     cfg.TokenURL,
			// Twilio wants the credentials in the form body, not HTTP Basic.
			AuthStyle: oauth2.AuthStyleInParams,
		},
		hc:     hc,
		secret: cfg.ClientSecret,
		lock:   make(chan struct{}, 1),
		now:    time.Now,
	}
}

// get returns a token that is not about to expire, fetching one if needed.
func (t *tokenCache) get(ctx context.Context) (*oauth2.Token, error) {
	return t.acquire(ctx, nil, false)
}

// renew fetches a new token in place of stale, the one the server refused;
// if another caller already replaced it, that replacement is returned, so
// of several requests refused with the same token only one causes a fetch.
// A nil stale forces a fetch.
func (t *tokenCache) renew(ctx context.Context, stale *oauth2.Token) (*oauth2.Token, error) {
	return t.acquire(ctx, stale, true)
}

func (t *tokenCache) acquire(ctx context.Context, stale *oauth2.Token, renew bool) (*oauth2.Token, error) {
	select {
	case t.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, &transportError{msg: "gave up waiting for an access token", err: ctx.Err()}
	}
	defer func() { <-t.lock }()
	mustFetch := renew && (stale == nil || t.tok == stale)
	if !mustFetch && t.fresh(t.now()) {
		return t.tok, nil
	}
	t.tok = nil
	fetchedAt := t.now()
	tok, err := t.conf.Token(context.WithValue(ctx, oauth2.HTTPClient, t.hc))
	if err != nil {
		return nil, t.tokenError(err)
	}
	if tok.AccessToken == "" {
		return nil, &Error{StatusCode: http.StatusOK, TokenEndpoint: true, Message: "the token endpoint answered without an access_token"}
	}
	t.tok, t.fetchedAt = tok, fetchedAt
	return tok, nil
}

// fresh reports whether the cached token can still be used at now.
func (t *tokenCache) fresh(now time.Time) bool {
	if t.tok == nil {
		return false
	}
	if t.tok.Expiry.IsZero() {
		return true // the server gave no lifetime; a 401 will tell us
	}
	margin := min(maxRenewMargin, t.tok.Expiry.Sub(t.fetchedAt)/10)
	return now.Before(t.tok.Expiry.Add(-margin))
}

// tokenError turns a token fetch failure into an *Error or a transport
// error, and makes sure the client secret appears nowhere in it.
func (t *tokenCache) tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := http.StatusBadRequest
		var header http.Header
		if re.Response != nil {
			status, header = re.Response.StatusCode, re.Response.Header
		}
		if header == nil {
			header = http.Header{}
		}
		e := parseError(status, header, []byte(t.redact(string(re.Body))))
		e.TokenEndpoint = true
		said := e.Message
		if said == "" {
			said = firstNonEmpty(re.ErrorDescription, re.ErrorCode, e.Body)
		}
		switch {
		case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
			// Nothing was said about the credentials: the URL is wrong.
			e.Message = "no OAuth token endpoint at this URL"
		case status >= 400 && status < 500 && status != http.StatusTooManyRequests:
			e.Message = "the token endpoint rejected the client credentials"
		case status >= 200 && status < 300:
			e.Message = "the token endpoint refused to issue a token"
		default:
			e.Message = "the token endpoint failed"
		}
		if said != "" {
			e.Message += " (server said: " + sanitize(t.redact(said), maxErrorMessage) + ")"
		}
		e.Body = ""
		return e
	}
	var ue *url.Error
	if errors.As(err, &ue) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &transportError{msg: "cannot reach the token endpoint", err: redactedError{err, t}, setting: "--token-url (api.token_url)"}
	}
	return fmt.Errorf("token endpoint: %w", redactedError{err, t})
}

// redact removes the client secret, raw or form-encoded, from s.
func (t *tokenCache) redact(s string) string {
	if len(t.secret) < 4 { // too short to search for without mangling text
		return s
	}
	for _, form := range []string{t.secret, url.QueryEscape(t.secret)} {
		s = strings.ReplaceAll(s, form, "[redacted]")
	}
	return s
}

// redactedError shows err's text with the secret removed while still
// unwrapping to err, so errors.Is and errors.As keep working.
type redactedError struct {
	err error
	t   *tokenCache
}

func (r redactedError) Error() string { return r.t.redact(r.err.Error()) }
func (r redactedError) Unwrap() error { return r.err }
