package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for Config fields left zero.
const (
	DefaultBaseURL        = "https://billing.twilio.com"
	DefaultTokenURL       = "https://oauth.twilio.com/v2/token"
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxAttempts    = 5
	DefaultMaxRetryTime   = 2 * time.Minute
	DefaultMaxBodyBytes   = 64 << 20
	DefaultUserAgent      = "usagetop"
)

// RecordsPath is the records endpoint under the base URL; %s is the
// billing group id.
const RecordsPath = "/v2/Usage/BillingGroups/%s/Records"

// Config configures a Client. Zero fields take the defaults above.
type Config struct {
	BaseURL      string
	TokenURL     string
	ClientID     string
	ClientSecret string
	// RequestTimeout bounds one attempt: token fetch, request and reading
	// the whole response.
	RequestTimeout time.Duration
	// MaxAttempts bounds the tries of one request, the first included.
	MaxAttempts int
	// MaxRetryTime bounds the time spent on one request across retries.
	MaxRetryTime time.Duration
	// MaxBodyBytes caps the size of a response body.
	MaxBodyBytes int64
	// HTTPClient sends the requests; nil for a private client that refuses
	// redirects. Its Timeout should be zero: RequestTimeout applies.
	HTTPClient *http.Client
	UserAgent  string
	// Sleep waits between retries; nil for a real timer. Tests and
	// simulations set it so that retries take no time. It must return
	// ctx.Err() when ctx ends first.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to the Billing Usage API. It is safe for concurrent use.
type Client struct {
	cfg     Config
	hc      *http.Client
	tokens  *tokenCache
	sleep   func(ctx context.Context, d time.Duration) error
	jitter  func(ceiling time.Duration) time.Duration
	baseURL string // without a trailing slash
}

// New checks cfg, fills in defaults and returns a Client. It sends nothing.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = DefaultTokenURL
	}
	if err := checkURL("base URL", cfg.BaseURL); err != nil {
		return nil, err
	}
	if err := checkURL("token URL", cfg.TokenURL); err != nil {
		return nil, err
	}
	var missing []string
	if cfg.ClientID == "" {
		missing = append(missing, "client id (set TWILIO_CLIENT_ID or client_id under [auth] in the config file)")
	}
	if cfg.ClientSecret == "" {
		missing = append(missing, "client secret (set TWILIO_CLIENT_SECRET, or secret_env, secret_command or secret under [auth] in the config file)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: no %s", ErrMissingCredentials, strings.Join(missing, " and no "))
	}
	for _, d := range []struct {
		name string
		bad  bool
	}{
		{"request timeout", cfg.RequestTimeout < 0},
		{"max attempts", cfg.MaxAttempts < 0},
		{"max retry time", cfg.MaxRetryTime < 0},
		{"max body bytes", cfg.MaxBodyBytes < 0},
	} {
		if d.bad {
			return nil, fmt.Errorf("api config: %s must not be negative", d.name)
		}
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.MaxRetryTime == 0 {
		cfg.MaxRetryTime = DefaultMaxRetryTime
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	hc := &http.Client{
		// The API does not redirect; following one could carry the bearer
		// token or the secret somewhere unexpected.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	hc.Transport = userAgentTransport{base: hc.Transport, agent: cfg.UserAgent}
	c := &Client{
		cfg:     cfg,
		hc:      hc,
		tokens:  newTokenCache(cfg, hc),
		sleep:   cfg.Sleep,
		jitter:  fullJitter,
		baseURL: strings.TrimRight(cfg.BaseURL, "/"),
	}
	if c.sleep == nil {
		c.sleep = sleepContext
	}
	return c, nil
}

// checkURL allows https anywhere and plain http only to loopback hosts,
// where nothing crosses a network.
func checkURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s %q is not a URL: %v", what, raw, err)
	}
	if u.User != nil {
		return fmt.Errorf("%s must not carry credentials; give them as TWILIO_CLIENT_ID and TWILIO_CLIENT_SECRET", what)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("%s %q has no host", what, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%s %q uses plain http to a non-loopback host; use https (http is allowed only for 127.0.0.1, ::1 and localhost)", what, raw)
	}
	return fmt.Errorf("%s %q must start with https://", what, raw)
}

// IsLoopbackHost reports whether host (a URL's Hostname) is localhost or a
// loopback address: the only hosts plain http may be used with, since
// nothing sent there crosses a network. The configuration checks its URLs
// with it too, so both apply the same rule.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// userAgentTransport names the client on every request, token requests
// included, without touching a caller's transport.
type userAgentTransport struct {
	base  http.RoundTripper
	agent string
}

func (t userAgentTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	if r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", t.agent)
	}
	return base.RoundTrip(r)
}

// CheckCredentials fetches a fresh access token and nothing else, to prove
// the client id, secret and token URL work.
func (c *Client) CheckCredentials(ctx context.Context) error {
	return c.retry(ctx, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
		defer cancel()
		_, err := c.tokens.renew(ctx, nil)
		return err
	})
}

// wireRequest is the JSON body of a records request. Field order is fixed
// and pageToken comes last, so every page's body is the first page's body
// plus the token.
type wireRequest struct {
	StartDate         string `json:"startDate,omitempty"`
	EndDate           string `json:"endDate,omitempty"`
	TimePeriod        string `json:"timePeriod,omitempty"`
	ProductCategory   string `json:"productCategory,omitempty"`
	AggregationPeriod string `json:"aggregationPeriod"`
	PageSize          int    `json:"pageSize,omitempty"`
	PageToken         string `json:"pageToken,omitempty"`
}

// requestBody encodes a validated request. An empty Aggregation is sent as
// DAILY, the finest the API offers.
func requestBody(req RecordsRequest) ([]byte, error) {
	w := wireRequest{
		TimePeriod:        string(req.Period),
		ProductCategory:   req.Category,
		AggregationPeriod: string(req.Aggregation),
		PageSize:          req.PageSize,
		PageToken:         req.PageToken,
	}
	if req.Period == "" {
		w.StartDate, w.EndDate = req.StartDate.String(), req.EndDate.String()
	}
	if w.AggregationPeriod == "" {
		w.AggregationPeriod = string(Daily)
	}
	return json.Marshal(w)
}

// FetchPage fetches one page of records. The request is validated first:
// an invalid one returns a *ValidationError and sends nothing. 429 and 5xx
// answers, transient network faults and a 200 body cut short are retried
// (see WithRetryNotify);
// a 401 renews the token and retries once. Other failures return an
// *Error, a *DecodeError, or a network error wrapping the cause.
func (c *Client) FetchPage(ctx context.Context, req RecordsRequest) (*Page, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	body, err := requestBody(req)
	if err != nil {
		return nil, fmt.Errorf("encoding records request: %w", err)
	}
	endpoint := c.baseURL + fmt.Sprintf(RecordsPath, url.PathEscape(req.GroupID))
	var page *Page
	err = c.retry(ctx, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
		defer cancel()
		var err error
		page, err = c.fetchOnce(ctx, endpoint, body)
		return err
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// fetchOnce makes one attempt: a token, the POST, and on 401 one renewal
// and one more POST. A server or proxy may echo the Authorization header
// back in its answer; every access token sent is redacted from the error.
func (c *Client) fetchOnce(ctx context.Context, endpoint string, body []byte) (*Page, error) {
	tok, err := c.tokens.get(ctx)
	if err != nil {
		return nil, err
	}
	sent := []string{tok.AccessToken}
	status, header, data, err := c.post(ctx, endpoint, body, tok.AccessToken)
	if err == nil && status == http.StatusUnauthorized {
		// The token expired early or was revoked: renew it once.
		if tok, err = c.tokens.renew(ctx, tok); err != nil {
			return nil, err
		}
		sent = append(sent, tok.AccessToken)
		status, header, data, err = c.post(ctx, endpoint, body, tok.AccessToken)
	}
	if err != nil {
		return nil, err
	}
	if status < 200 || status > 299 {
		return nil, parseError(status, header, redactTokens(data, sent))
	}
	page, err := DecodePage(data)
	var de *DecodeError
	if errors.As(err, &de) {
		de.Reason = string(redactTokens([]byte(de.Reason), sent))
	}
	return page, err
}

// redactTokens replaces every access token of sent in b with "[redacted]".
// Tokens too short to search for without mangling text are left alone; a
// real one is hundreds of characters.
func redactTokens(b []byte, sent []string) []byte {
	for _, tok := range sent {
		if len(tok) >= 4 && bytes.Contains(b, []byte(tok)) {
			b = bytes.ReplaceAll(b, []byte(tok), []byte(secretRedacted))
		}
	}
	return b
}

// post sends one records request and reads the whole answer under the
// size cap (error bodies under a smaller one).
func (c *Client) post(ctx context.Context, endpoint string, body []byte, accessToken string) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("building records request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, c.transportErr(ctx, err)
	}
	defer resp.Body.Close()
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	limit := c.cfg.MaxBodyBytes
	if !ok {
		limit = min(limit, maxErrorRead) // enough to explain the error
	}
	if ok && resp.ContentLength > limit {
		return 0, nil, nil, bodyTooLarge(resp.ContentLength, limit)
	}
	data, over, err := readBody(resp.Body, resp.ContentLength, limit)
	if err != nil {
		return 0, nil, nil, c.transportErr(ctx, fmt.Errorf("reading the response: %w", err))
	}
	if over && ok {
		return 0, nil, nil, bodyTooLarge(-1, limit)
	}
	return resp.StatusCode, resp.Header, data, nil
}

// readBody reads at most limit bytes of r and reports whether there was
// more. A known length (Content-Length, -1 when unknown) sizes the buffer
// once, so a large page is not copied as the buffer grows.
func readBody(r io.Reader, length, limit int64) (data []byte, over bool, err error) {
	if length >= 0 && length <= limit {
		data = make([]byte, length+1) // one spare byte to see a body longer than it said
		n, err := io.ReadFull(r, data[:length])
		if err != nil {
			return data[:n], false, err
		}
		if m, _ := r.Read(data[length:]); m > 0 {
			return data[:length], true, nil // net/http cuts that off; a plain reader may not
		}
		return data[:length], false, nil
	}
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(data)) > limit {
		return data[:limit], true, err
	}
	return data, false, err
}

// bodyTooLarge says a records response passed the size cap (size -1 when
// it was found while reading) and names the setting that makes pages smaller.
func bodyTooLarge(size, limit int64) error {
	what := "larger than"
	if size >= 0 {
		what = fmt.Sprintf("%d bytes, more than", size)
	}
	return fmt.Errorf("the records response is %s the %d bytes this client reads; ask for smaller pages with --page-size (api.page_size in the config file)", what, limit)
}

// transportErr wraps a failure to talk to the server with what was being
// done. A timeout of the attempt is said as such.
func (c *Client) transportErr(ctx context.Context, err error) error {
	msg := "cannot reach the Billing Usage API"
	if errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		msg = fmt.Sprintf("the Billing Usage API did not answer within %s", c.cfg.RequestTimeout)
	}
	return &transportError{msg: msg, err: err, setting: "--base-url (api.base_url)"}
}
