package api

import (
	"container/list"
	"context"
	"sync"
	"time"
	"unsafe"
)

// PageFetcher fetches one page of records: *Client, or a SharedFetcher
// in front of it.
type PageFetcher interface {
	FetchPage(ctx context.Context, req RecordsRequest) (*Page, error)
}

// Defaults for SharedOptions fields left zero.
const (
	DefaultSharedMaxAge   = 5 * time.Minute
	DefaultSharedMaxBytes = 256 << 20
)

// SharedOptions bound a SharedFetcher's cache.
type SharedOptions struct {
	// MaxAge is how long a fetched page is served again: long enough for
	// a team opening the same query in the same minutes, short enough
	// that `r` soon brings new usage. 0 means DefaultSharedMaxAge.
	MaxAge time.Duration
	// MaxBytes bounds the memory the cached pages hold, estimated; the
	// oldest go first. 0 means DefaultSharedMaxBytes.
	MaxBytes int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// SharedStats counts how a SharedFetcher answered.
type SharedStats struct {
	// Fetched is the requests passed on to the wrapped fetcher.
	Fetched int64
	// Joined is the calls that waited on a request already in flight.
	Joined int64
	// Hits is the calls answered from the cache.
	Hits int64
	// Pages and Bytes are what the cache holds now.
	Pages int
	Bytes int64
}

// SharedFetcher lets many callers (the sessions of `usagetop serve`) share
// pages: a request already in flight is not sent again, its callers wait
// for the one answer (single flight), and a page fetched recently is
// served from a cache bounded by age and memory. Requests are keyed
// exactly, page token included, so a page is shared only by callers that
// asked for the very same one. Errors are shared by the callers waiting
// on that request but never cached: the next call tries again.
//
// Pages it returns are shared between callers: read them, never modify
// them (state.Store.Append only reads).
type SharedFetcher struct {
	next PageFetcher
	opts SharedOptions

	mu      sync.Mutex
	flights map[RecordsRequest]*flight
	cache   map[RecordsRequest]*list.Element // of *cached
	order   *list.List                       // oldest fetch at the back
	stats   SharedStats
}

// flight is one request in flight and the callers waiting on it.
type flight struct {
	done    chan struct{}
	page    *Page
	err     error
	waiters map[*waiter]struct{}
	cancel  context.CancelFunc
}

// waiter is one caller of a flight; its context receives retry notices.
type waiter struct{ ctx context.Context }

// cached is one page in the cache.
type cached struct {
	req   RecordsRequest
	page  *Page
	at    time.Time
	bytes int64
}

// NewSharedFetcher returns a SharedFetcher in front of next.
func NewSharedFetcher(next PageFetcher, opts SharedOptions) *SharedFetcher {
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultSharedMaxAge
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultSharedMaxBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &SharedFetcher{
		next:    next,
		opts:    opts,
		flights: make(map[RecordsRequest]*flight),
		cache:   make(map[RecordsRequest]*list.Element),
		order:   list.New(),
	}
}

// FetchPage returns the page for req: from the cache, from the request
// already in flight, or from a new request. The request runs on until it
// ends or every caller waiting on it has given up (ctx); each caller's
// retry notices (WithRetryNotify) are sent to all of them.
func (s *SharedFetcher) FetchPage(ctx context.Context, req RecordsRequest) (*Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if el, ok := s.cache[req]; ok {
		c := el.Value.(*cached)
		if s.opts.Now().Sub(c.at) < s.opts.MaxAge {
			s.stats.Hits++
			s.mu.Unlock()
			return c.page, nil
		}
		s.remove(el)
	}
	w := &waiter{ctx: ctx}
	f, ok := s.flights[req]
	if ok {
		s.stats.Joined++
	} else {
		f = s.start(ctx, req)
	}
	f.waiters[w] = struct{}{}
	s.mu.Unlock()

	select {
	case <-f.done:
		return f.page, f.err
	case <-ctx.Done():
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(f.waiters, w)
		if len(f.waiters) == 0 && s.flights[req] == f {
			// Nobody wants the answer any more: stop the request, and
			// let the next caller start afresh rather than join a
			// cancelled one.
			f.cancel()
			delete(s.flights, req)
		}
		return nil, ctx.Err()
	}
}

// start sends req on its own goroutine; s.mu is held.
func (s *SharedFetcher) start(ctx context.Context, req RecordsRequest) *flight {
	f := &flight{done: make(chan struct{}), waiters: make(map[*waiter]struct{})}
	// The request outlives the caller that started it (others may be
	// waiting) but keeps its values; retry notices go to every waiter.
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f.cancel = cancel
	// Set, not chained (WithRetryNotify would chain): the starter's own
	// listener hears through f.waiters like the others, not also through
	// the values fctx keeps.
	fctx = context.WithValue(fctx, retryNotifyKey{}, func(n RetryNotice) {
		s.mu.Lock()
		ctxs := make([]context.Context, 0, len(f.waiters))
		for w := range f.waiters {
			ctxs = append(ctxs, w.ctx)
		}
		s.mu.Unlock()
		for _, c := range ctxs {
			retryNotify(c, n)
		}
	})
	s.flights[req] = f
	s.stats.Fetched++
	go func() {
		defer cancel()
		page, err := s.next.FetchPage(fctx, req)
		s.mu.Lock()
		defer s.mu.Unlock()
		f.page, f.err = page, err
		if s.flights[req] == f {
			delete(s.flights, req)
		}
		if err == nil && page != nil {
			s.store(req, page)
		}
		close(f.done)
	}()
	return f
}

// store caches page, then evicts what is too old, then the oldest until
// the cache fits its memory; s.mu is held.
func (s *SharedFetcher) store(req RecordsRequest, page *Page) {
	size := pageBytes(page)
	if size > s.opts.MaxBytes {
		return
	}
	if el, ok := s.cache[req]; ok {
		s.remove(el)
	}
	now := s.opts.Now()
	s.cache[req] = s.order.PushFront(&cached{req: req, page: page, at: now, bytes: size})
	s.stats.Bytes += size
	for el := s.order.Back(); el != nil; el = s.order.Back() {
		c := el.Value.(*cached)
		if now.Sub(c.at) < s.opts.MaxAge && s.stats.Bytes <= s.opts.MaxBytes {
			break
		}
		s.remove(el)
	}
}

// remove drops one cached page; s.mu is held.
func (s *SharedFetcher) remove(el *list.Element) {
	c := el.Value.(*cached)
	s.order.Remove(el)
	delete(s.cache, c.req)
	s.stats.Bytes -= c.bytes
}

// Stats returns the counts so far and what the cache holds.
func (s *SharedFetcher) Stats() SharedStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Pages = s.order.Len()
	return st
}

// Memory estimate of a cached page: the Record values, their strings
// (counted even when a decoder interned them, so the estimate errs high)
// and the two decimals' big.Int words.
const (
	recordBytes  = int64(unsafe.Sizeof(Record{}))
	decimalExtra = 2 * 40 // a big.Int and its one or two words, per decimal
)

func pageBytes(p *Page) int64 {
	n := int64(unsafe.Sizeof(*p)) + int64(len(p.NextToken))
	for i := range p.Records {
		r := &p.Records[i]
		n += recordBytes + decimalExtra + int64(len(r.ProductName)+len(r.ProductCategory)+len(r.Usage.Unit)+len(r.Price.Currency))
	}
	return n
}
