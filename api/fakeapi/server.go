package fakeapi

import (
	"crypto/sha256"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/usagetop/usagetop/api"
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
	// Now is the clock; default time.Now. "Today" (D in API.md, for the
	// timePeriod presets) is the UTC date of Now() at each request, and
	// token expiry is measured on it too, so a test can expire tokens by
	// moving its clock. The demo generator's today (its last day of data
	// and asOf) is fixed when New runs.
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
	opts     Options
	gen      *Generator
	src      source
	clients  map[string]string
	tokenKey []byte // signs page tokens
	cache    resultCache

	mu     sync.Mutex
	stats  Stats
	tokens map[string]accessToken
}

// source is what the server serves: the generator or a Dataset.
type source interface {
	Groups() []Group
	AsOf() api.Date
	Records(groupID string, start, end api.Date, agg api.Aggregation, category string) ([]api.Record, bool)
}

// New builds a Server from opts. With no Dataset it serves
// NewGenerator(opts.Seed, today) where today is the UTC date of opts.Now().
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	s := &Server{
		opts:    opts,
		clients: opts.Clients,
		stats:   Stats{ByStatus: map[int]int{}},
		tokens:  map[string]accessToken{},
	}
	if s.clients == nil {
		s.clients = map[string]string{DemoClientID: DemoClientSecret}
	}
	if opts.Dataset != nil {
		s.src = opts.Dataset
	} else {
		s.gen = NewGenerator(opts.Seed, api.DateOf(opts.Now()))
		s.src = s.gen
	}
	// Derived from the seed, so tokens survive a restart of the same demo.
	key := sha256.Sum256([]byte("usagetop fakeapi page tokens " + strconv.FormatInt(opts.Seed, 10)))
	s.tokenKey = key[:]
	return s
}

// ServeHTTP serves POST /v2/token and the records endpoints; anything else
// is a 404.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusWriter{ResponseWriter: w}
	defer func() {
		if rec.status != 0 {
			s.mu.Lock()
			s.stats.ByStatus[rec.status]++
			s.mu.Unlock()
		}
	}()
	if d := s.opts.Faults.Latency; d > 0 && !sleep(r, d) {
		return
	}
	if r.URL.Path == "/v2/token" {
		s.serveToken(rec, r)
		return
	}
	if id, ok := recordsGroupID(r.URL.Path); ok {
		s.serveRecords(rec, r, id)
		return
	}
	writeClassic(rec, http.StatusNotFound, codeNotFound, "The requested resource %s was not found", r.URL.Path)
}

// statusWriter remembers the status a handler wrote, for Stats.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
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

// Groups lists the billing groups the server serves.
func (s *Server) Groups() []Group { return s.src.Groups() }

func (s *Server) hasGroup(id string) bool {
	for _, g := range s.src.Groups() {
		if g.ID == id {
			return true
		}
	}
	return false
}

// records returns a query's full result, from the cache when paging
// through it, so a year at 20 records a page is generated once, not per page.
func (s *Server) records(groupID string, start, end api.Date, agg api.Aggregation, category string) []api.Record {
	key := groupID + "|" + start.String() + "|" + end.String() + "|" + string(agg) + "|" + category
	if recs, ok := s.cache.get(key); ok {
		return recs
	}
	recs, _ := s.src.Records(groupID, start, end, agg, category)
	s.cache.put(key, recs)
	return recs
}

// resultCache keeps the last few query results; they are never modified.
type resultCache struct {
	mu      sync.Mutex
	entries []cacheEntry // most recent last
}

type cacheEntry struct {
	key  string
	recs []api.Record
}

// cacheSize is how many query results stay cached: enough for a few
// clients paging at once.
const cacheSize = 8

func (c *resultCache) get(key string) ([]api.Record, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			return e.recs, true
		}
	}
	return nil, false
}

func (c *resultCache) put(key string, recs []api.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= cacheSize {
		c.entries = c.entries[1:]
	}
	c.entries = append(c.entries, cacheEntry{key, recs})
}
