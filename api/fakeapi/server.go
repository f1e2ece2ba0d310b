package fakeapi

import (
	"net/http"
	"sync"
	"time"
)

// DemoClientID and DemoClientSecret are the credentials the simulated
// server accepts when Options.Clients is nil. The secret guards nothing.
const (
	DemoClientID     = "usagetop-demo"
	DemoClientSecret = "demo-secret-not-real"
)

// Options configures a Server. The zero value serves the demo generator to
// the demo client.
type Options struct {
	// Now is the clock; default time.Now. "Today" (D in API.md) is the UTC
	// date of Now(), and token expiry is measured on it too, so a test can
	// expire tokens by moving its clock.
	Now func() time.Time
	// Seed seeds the demo generator; 0 means 1.
	Seed int64
	// Clients maps client id to secret; nil means {DemoClientID: DemoClientSecret}.
	Clients map[string]string
	// NoPermission lists client ids whose tokens lack
	// twilio/billing-insights/usage/read: their records requests get 403 70051.
	NoPermission map[string]bool
	// Dataset, when set, is served instead of the demo generator.
	Dataset *Dataset
	// Faults switches on misbehaviour for tests.
	Faults Faults
}

// Faults makes the server misbehave in the ways a client must survive.
// Counters are over records requests (1-based, in arrival order), so the
// pattern is deterministic: with Every429 = 3, requests 3, 6, 9... are
// refused, and a client that retries always makes progress.
type Faults struct {
	// Latency is added to every request, token requests included.
	Latency time.Duration
	// Every429 makes every Nth records request answer 429 code 20429.
	Every429 int
	// RetryAfter is the Retry-After header (seconds) on those 429s; 0 sends none.
	RetryAfter int
	// Every503 makes every Nth records request answer 503 (when the same
	// request is also due a 429, the 429 wins).
	Every503 int
	// TokenLifetime is the lifetime of minted tokens; default one hour.
	TokenLifetime time.Duration
	// MalformedEvery cuts every Nth records response (a 200) in half, so its
	// JSON does not parse.
	MalformedEvery int
}

// Stats counts what the server saw, so tests can assert that a request was
// (or was not) sent.
type Stats struct {
	// TokenRequests counts requests to /v2/token, whatever their outcome.
	TokenRequests int
	// TokensIssued counts tokens minted.
	TokensIssued int
	// RecordsRequests counts requests to either records path, whatever
	// their outcome (faults included).
	RecordsRequests int
	// ByStatus counts every response by HTTP status code.
	ByStatus map[int]int
}

// Server is the simulated API. It implements http.Handler and is safe for
// concurrent use.
type Server struct {
	opts Options
	gen  *Generator

	mu    sync.Mutex
	stats Stats
}

// New builds a Server from opts.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	s := &Server{opts: opts, stats: Stats{ByStatus: map[int]int{}}}
	return s
}

// ServeHTTP serves the token endpoint and the records endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not implemented yet", http.StatusNotImplemented)
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.ByStatus = make(map[int]int, len(s.stats.ByStatus))
	for k, v := range s.stats.ByStatus {
		st.ByStatus[k] = v
	}
	return st
}

// Generator returns the demo generator the server serves, or nil when it
// serves a Dataset.
func (s *Server) Generator() *Generator { return s.gen }
