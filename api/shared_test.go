package api

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gatedFetcher answers after gate is closed, counting the requests that
// reached it, and reports whether their contexts were cancelled.
type gatedFetcher struct {
	gate      chan struct{}
	calls     atomic.Int64
	cancelled atomic.Int64
	err       error
	notice    *RetryNotice // sent once the gate opens, before answering, when set
}

func newGatedFetcher() *gatedFetcher { return &gatedFetcher{gate: make(chan struct{})} }

func (g *gatedFetcher) FetchPage(ctx context.Context, req RecordsRequest) (*Page, error) {
	g.calls.Add(1)
	select {
	case <-g.gate:
	case <-ctx.Done():
		g.cancelled.Add(1)
		return nil, ctx.Err()
	}
	if g.notice != nil {
		retryNotify(ctx, *g.notice)
	}
	if g.err != nil {
		return nil, g.err
	}
	return &Page{Records: []Record{{ProductName: "SMS " + req.PageToken, ProductCategory: "sms", Usage: Usage{Unit: "segments"}, Price: Price{Currency: "USD"}}}, NextToken: req.PageToken + "x"}, nil
}

func sharedReq(token string) RecordsRequest {
	return RecordsRequest{GroupID: "commerce_billingprofile_a", Period: LastMonth, Aggregation: Daily, PageToken: token}
}

// fetchConcurrently calls f.FetchPage n times at once and waits until all
// n are inside it (in flight or waiting on one) before opening the gate.
func fetchConcurrently(t *testing.T, s *SharedFetcher, g *gatedFetcher, n int, req RecordsRequest) ([]*Page, []error) {
	t.Helper()
	pages, errs := make([]*Page, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { pages[i], errs[i] = s.FetchPage(context.Background(), req) })
	}
	waitUntil(t, func() bool { st := s.Stats(); return st.Fetched+st.Joined == int64(n) })
	close(g.gate)
	wg.Wait()
	return pages, errs
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSharedFetcherSendsOneRequestForManyCallers(t *testing.T) {
	g := newGatedFetcher()
	s := NewSharedFetcher(g, SharedOptions{})
	pages, errs := fetchConcurrently(t, s, g, 10, sharedReq(""))
	for i := range pages {
		if errs[i] != nil || pages[i] != pages[0] {
			t.Fatalf("caller %d got %v, %v; want the one shared page", i, pages[i], errs[i])
		}
	}
	if n := g.calls.Load(); n != 1 {
		t.Errorf("10 callers on one request sent %d requests, want 1", n)
	}
	// Later callers are served from the cache; another page token is
	// another request.
	if _, err := s.FetchPage(context.Background(), sharedReq("")); err != nil || g.calls.Load() != 1 {
		t.Errorf("cached page: err %v, %d requests, want none sent", err, g.calls.Load())
	}
	if p, err := s.FetchPage(context.Background(), sharedReq("t2")); err != nil || p.Records[0].ProductName != "SMS t2" || g.calls.Load() != 2 {
		t.Errorf("page t2: %v, %v after %d requests; want its own request", p, err, g.calls.Load())
	}
	if st := s.Stats(); st.Fetched != 2 || st.Joined != 9 || st.Hits != 1 || st.Pages != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestSharedFetcherEvictsByAgeAndMemory(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	one := pageBytes(&Page{Records: []Record{{ProductName: "SMS t1", ProductCategory: "sms", Usage: Usage{Unit: "segments"}, Price: Price{Currency: "USD"}}}, NextToken: "t1x"})
	tests := []struct {
		name      string
		maxBytes  int64
		advance   time.Duration
		refetch   string // the page asked again after t1, t2, t3
		wantCalls int64
	}{
		{"fresh page served again", 10 * one, time.Minute, "t1", 3},
		{"page older than MaxAge fetched again", 10 * one, 5 * time.Minute, "t3", 4},
		{"oldest page evicted when memory is full", 2 * one, 0, "t1", 4},
		{"newer page kept when memory is full", 2 * one, 0, "t3", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGatedFetcher()
			close(g.gate)
			s := NewSharedFetcher(g, SharedOptions{MaxAge: 5 * time.Minute, MaxBytes: tt.maxBytes, Now: clock})
			for _, tok := range []string{"t1", "t2", "t3"} {
				if _, err := s.FetchPage(context.Background(), sharedReq(tok)); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add(tt.advance)
			if _, err := s.FetchPage(context.Background(), sharedReq(tt.refetch)); err != nil {
				t.Fatal(err)
			}
			if n := g.calls.Load(); n != tt.wantCalls {
				t.Errorf("%d requests, want %d", n, tt.wantCalls)
			}
			if st := s.Stats(); st.Bytes > tt.maxBytes {
				t.Errorf("cache holds %d bytes, over its %d", st.Bytes, tt.maxBytes)
			}
		})
	}
}

func TestSharedFetcherSharesErrorsButDoesNotCacheThem(t *testing.T) {
	g := newGatedFetcher()
	g.err = errors.New("rate limited")
	s := NewSharedFetcher(g, SharedOptions{})
	_, errs := fetchConcurrently(t, s, g, 3, sharedReq(""))
	for i, err := range errs {
		if err != g.err {
			t.Errorf("caller %d got %v, want the shared error", i, err)
		}
	}
	g.err = nil
	if _, err := s.FetchPage(context.Background(), sharedReq("")); err != nil || g.calls.Load() != 2 {
		t.Errorf("after an error: %v with %d requests; want a new request that succeeds", err, g.calls.Load())
	}
}

func TestSharedFetcherRequestOutlivesACallerNotAllOfThem(t *testing.T) {
	g := newGatedFetcher()
	s := NewSharedFetcher(g, SharedOptions{})
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	go func() { _, err := s.FetchPage(ctx1, sharedReq("")); errs <- err }()
	waitUntil(t, func() bool { return g.calls.Load() == 1 })
	var page *Page
	go func() { p, err := s.FetchPage(ctx2, sharedReq("")); page = p; errs <- err }()
	waitUntil(t, func() bool { return s.Stats().Joined == 1 })

	// The caller that started the request leaves: the other still waits.
	cancel1()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v", err)
	}
	if g.cancelled.Load() != 0 {
		t.Fatal("the request was cancelled while a caller still waited on it")
	}
	// The last one leaves: the request is cancelled.
	cancel2()
	if err := <-errs; !errors.Is(err, context.Canceled) || page != nil {
		t.Fatalf("second caller got %v, %v", page, err)
	}
	waitUntil(t, func() bool { return g.cancelled.Load() == 1 })
	// A new caller starts afresh instead of joining the cancelled request.
	close(g.gate)
	if _, err := s.FetchPage(context.Background(), sharedReq("")); err != nil || g.calls.Load() != 2 {
		t.Errorf("after everyone left: %v with %d requests", err, g.calls.Load())
	}
}

func TestSharedFetcherTellsEveryWaiterOfRetries(t *testing.T) {
	g := newGatedFetcher()
	g.notice = &RetryNotice{Attempt: 1, Wait: 2 * time.Second, Err: fmt.Errorf("429")}
	s := NewSharedFetcher(g, SharedOptions{})
	var heard [2]atomic.Int64
	var wg sync.WaitGroup
	for i := range heard {
		ctx := WithRetryNotify(context.Background(), func(RetryNotice) { heard[i].Add(1) })
		wg.Go(func() { _, _ = s.FetchPage(ctx, sharedReq("")) })
	}
	waitUntil(t, func() bool { st := s.Stats(); return st.Fetched+st.Joined == 2 })
	close(g.gate)
	wg.Wait()
	for i := range heard {
		if n := heard[i].Load(); n != 1 {
			t.Errorf("caller %d heard %d retry notices, want 1", i, n)
		}
	}
}
