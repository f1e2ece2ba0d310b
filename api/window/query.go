package window

import (
	"fmt"
	"time"

	"github.com/usagetop/usagetop/api"
)

// Query is what Load fetches: one billing group, category and aggregation
// over one or more date ranges (a refetch plan may leave holes).
type Query struct {
	GroupID     string
	Category    string          // empty for every category
	Aggregation api.Aggregation // empty for DAILY, as the API assumes
	// PageSize is the records per page; 0 for api.MaxPageSize, since every
	// page costs a round trip.
	PageSize int
	// Ranges are the days to load: each a valid API range, sorted, apart.
	Ranges []Range
}

// Defaults for Options fields left zero.
const (
	DefaultInitialConcurrency = 4
	DefaultMaxConcurrency     = 16
	DefaultWindowAttempts     = 3
	DefaultRetryDelay         = 2 * time.Second
	DefaultFill               = 0.9
)

// Options tunes Load. Zero fields take the defaults above.
type Options struct {
	// InitialConcurrency is how many requests start at once: also how
	// many chunks the query is first cut into, so the first round of pages
	// samples the whole span.
	InitialConcurrency int
	// MaxConcurrency caps the requests in flight however well things go.
	// The client's transport should keep as many idle connections per
	// host (net/http keeps 2 by default), or each round pays new TLS
	// handshakes.
	MaxConcurrency int
	// WindowAttempts bounds the tries of one window, the first included,
	// for failures the client's own retries did not cure; only that window
	// is tried again, from the page that failed.
	WindowAttempts int
	// RetryDelay is the wait before a window's second try; it doubles
	// with each try, and a Retry-After longer than it wins.
	RetryDelay time.Duration
	// Fill is the share of a page a window aims to hold: below 1, so a
	// window estimated from a sample still fits one page.
	Fill float64
	// Now is the clock for fetch times and waits; default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.InitialConcurrency <= 0 {
		o.InitialConcurrency = DefaultInitialConcurrency
	}
	if o.MaxConcurrency <= 0 {
		o.MaxConcurrency = DefaultMaxConcurrency
	}
	o.InitialConcurrency = min(o.InitialConcurrency, o.MaxConcurrency)
	if o.WindowAttempts <= 0 {
		o.WindowAttempts = DefaultWindowAttempts
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = DefaultRetryDelay
	}
	if o.Fill <= 0 || o.Fill > 1 {
		o.Fill = DefaultFill
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func checkQuery(q *Query) error {
	if err := api.ValidateGroupID(q.GroupID); err != nil {
		return err
	}
	switch q.Aggregation {
	case "":
		q.Aggregation = api.Daily
	case api.Daily, api.Monthly:
	default:
		return &api.ValidationError{Field: "aggregationPeriod", Reason: fmt.Sprintf("unknown aggregation %q; use DAILY or MONTHLY", q.Aggregation)}
	}
	if q.PageSize == 0 {
		q.PageSize = api.MaxPageSize
	}
	if q.PageSize < 0 || q.PageSize > api.MaxPageSize {
		return &api.ValidationError{Field: "pageSize", Reason: fmt.Sprintf("page size %d is out of range; use 1 to %d", q.PageSize, api.MaxPageSize)}
	}
	return checkRanges(q.Ranges)
}
