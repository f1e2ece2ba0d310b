package window

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/usagetop/usagetop/api"
)

// Pager fetches every page of one query in order, handing each to onPage
// before asking for the next; an error from onPage stops it and is
// returned. *api.Client is one.
type Pager interface {
	FetchAll(ctx context.Context, req api.RecordsRequest, onPage func(*api.Page) error) error
}

// Load fetches q as date windows, several at once, and reports to emit,
// which runs on Load's goroutine, one call at a time, and should return
// quickly.
//
// The query is first cut into a few chunks of whole months; the first
// page of each shows how many records a day the group has, and the rest
// of the chunk is cut into windows of about one page each (whole months
// for MONTHLY, where a window must not clip a month's record). Each window
// is a separate query paging on its own tokens. Requests in flight start
// at InitialConcurrency, double per round of successes until the API first
// refuses one (429 or Twilio 25021), then halve on each refusal and grow
// back by one per round; a Retry-After holds back every new request, not
// just the refused one.
//
// Completed windows are handed over as WindowDone events in date order,
// each once, so a store can append them; together they hold exactly the
// records one query over the ranges returns. When ctx ends or a window
// fails for good, requests in flight are cancelled, the windows already
// complete are handed over (still in date order, with gaps), and the
// error is returned: ctx.Err(), or the failure naming its window.
// The returned Progress is the final count.
func Load(ctx context.Context, p Pager, q Query, opts Options, emit func(Event)) (Progress, error) {
	if err := checkQuery(&q); err != nil {
		return Progress{}, err
	}
	opts = opts.withDefaults()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l := &loader{
		pager:  p,
		q:      q,
		opts:   opts,
		emit:   emit,
		lim:    newLimiter(opts.InitialConcurrency, opts.MaxConcurrency),
		ctx:    wctx,
		cancel: cancel,
		msgs:   make(chan message),
		target: max(1, int(float64(q.PageSize)*opts.Fill)),
	}
	for _, r := range initialChunks(q.Ranges, opts.InitialConcurrency) {
		l.wins = append(l.wins, &win{r: r})
		l.prog.Days += r.Days()
	}
	l.prog.Windows = len(l.wins)
	return l.run(ctx)
}

// winState is where one window stands.
type winState int

const (
	pending   winState = iota // to be started (not before notBefore)
	fetching                  // a page of it is in flight
	holding                   // its worker waits for leave to fetch the next page
	finishing                 // its last page is in; its worker is returning
	complete                  // all its records are in
)

// win is one window and what has arrived for it.
type win struct {
	r     Range
	state winState
	recs  []api.Record
	// token is the nextToken of the last page kept, so a failed window
	// resumes where it stopped.
	token     string
	pages     int
	asOf      api.Date
	fetchedAt time.Time
	attempts  int
	notBefore time.Time
	// sent is when its current request went out, for the limiter.
	sent time.Time
	// reply gives a holding worker leave to go on (true) or stops it.
	reply    chan bool
	inFlight bool
}

// message is what a worker tells the coordinator: a page (with the channel
// to answer on), a retry notice from the client, or that it has returned.
type message struct {
	w      *win
	page   *api.Page
	reply  chan bool
	notice *api.RetryNotice
	exited bool
	err    error
}

// errSplit stops a window's paging after its first page, when the rest of
// it is fetched as windows of its own.
var errSplit = errors.New("window split after its first page")

// loader is one Load. Everything but the workers runs on Load's goroutine,
// so its fields need no lock.
type loader struct {
	pager  Pager
	q      Query
	opts   Options
	emit   func(Event)
	lim    *limiter
	ctx    context.Context // the workers'; cancelled on stop
	cancel context.CancelFunc
	msgs   chan message
	// target is the records a window aims to hold.
	target int

	wins      []*win // in date order; they partition the query's ranges
	delivered int    // wins[:delivered] have been handed over
	workers   int    // worker goroutines not yet returned
	inFlight  int
	prog      Progress
	stopping  bool
	err       error
}

func (l *loader) run(ctx context.Context) (Progress, error) {
	ctxDone := ctx.Done()
	for {
		wake := l.dispatch()
		if l.workers == 0 && (l.stopping || l.delivered == len(l.wins)) {
			break
		}
		var timer *time.Timer
		var tick <-chan time.Time
		if !wake.IsZero() {
			timer = time.NewTimer(wake.Sub(l.opts.Now()))
			tick = timer.C
		}
		select {
		case m := <-l.msgs:
			l.handle(m)
		case <-tick:
		case <-ctxDone:
			ctxDone = nil
			l.stop(ctx.Err())
		}
		if timer != nil {
			timer.Stop()
		}
	}
	// Whatever completed is handed over, even behind a gap, so a stopped
	// load keeps what arrived.
	for _, w := range l.wins[l.delivered:] {
		if w.state == complete {
			l.handOver(w)
		}
	}
	return l.progress(), l.err
}

// dispatch starts or resumes as many windows as the limiter allows,
// earliest first so windows complete roughly in date order. It returns
// when it next has something to do that no message will prompt (a pause
// or a retry delay ending), or the zero time.
func (l *loader) dispatch() time.Time {
	if l.stopping {
		return time.Time{}
	}
	now := l.opts.Now()
	if until, paused := l.lim.paused(now); paused {
		return until
	}
	var wake time.Time
	for _, w := range l.wins[l.delivered:] {
		if l.inFlight >= l.lim.allowed() {
			break
		}
		switch w.state {
		case holding:
			w.reply <- true
			w.reply = nil
			l.send(w, now)
		case pending:
			if now.Before(w.notBefore) {
				if wake.IsZero() || w.notBefore.Before(wake) {
					wake = w.notBefore
				}
				continue
			}
			l.send(w, now)
			l.workers++
			go l.work(w, l.request(w))
		}
	}
	return wake
}

func (l *loader) send(w *win, now time.Time) {
	w.state, w.inFlight, w.sent = fetching, true, now
	l.inFlight++
}

func (l *loader) request(w *win) api.RecordsRequest {
	return api.RecordsRequest{
		GroupID:     l.q.GroupID,
		StartDate:   w.r.From,
		EndDate:     w.r.To,
		Category:    l.q.Category,
		Aggregation: l.q.Aggregation,
		PageSize:    l.q.PageSize,
		PageToken:   w.token,
	}
}

// work pages through one window, asking the coordinator before each page
// after the first.
func (l *loader) work(w *win, req api.RecordsRequest) {
	ctx := api.WithRetryNotify(l.ctx, func(n api.RetryNotice) {
		l.msgs <- message{w: w, notice: &n}
	})
	err := l.pager.FetchAll(ctx, req, func(p *api.Page) error {
		reply := make(chan bool, 1)
		l.msgs <- message{w: w, page: p, reply: reply}
		select {
		case goOn := <-reply:
			if !goOn {
				return errSplit
			}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	l.msgs <- message{w: w, exited: true, err: err}
}

func (l *loader) handle(m message) {
	switch {
	case m.notice != nil:
		l.onNotice(m.w, *m.notice)
	case m.page != nil:
		l.onPage(m.w, m.page, m.reply)
	case m.exited:
		l.onExit(m.w, m.err)
	}
}

// onNotice hears that the client will retry a request itself. A rate
// limit slows every window, not just the refused one.
func (l *loader) onNotice(w *win, n api.RetryNotice) {
	kind := Retrying
	if IsRateLimit(n.Err) {
		kind = Throttled
		l.lim.throttled(l.opts.Now(), w.sent, retryAfter(n.Err))
	}
	l.report(Event{Kind: kind, Window: w.r, Err: n.Err, Wait: n.Wait})
}

func retryAfter(err error) time.Duration {
	var e *api.Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

func (l *loader) onPage(w *win, p *api.Page, reply chan bool) {
	now := l.opts.Now()
	w.inFlight = false
	l.inFlight--
	l.lim.succeeded()
	l.prog.Pages++
	if w.pages == 0 && !p.Done() && l.splitAfterFirst(w, p, now) {
		reply <- false
		l.report(Event{Kind: Progressed})
		return
	}
	w.pages++
	w.recs = append(w.recs, p.Records...)
	w.token, w.asOf = p.NextToken, p.AsOf
	l.prog.Records += len(p.Records)
	if p.Done() {
		w.state, w.fetchedAt = finishing, now
		reply <- true
	} else {
		w.state, w.reply = holding, reply
	}
	l.report(Event{Kind: Progressed})
}

// onExit hears that a window's worker returned: the window is complete,
// was split, or failed.
func (l *loader) onExit(w *win, err error) {
	l.workers--
	switch {
	case err == nil:
		l.complete(w, w.fetchedAt)
		l.deliver()
		return
	case errors.Is(err, errSplit):
		return
	}
	if w.inFlight {
		w.inFlight = false
		l.inFlight--
	}
	if l.stopping {
		return
	}
	if !retryable(err) || w.attempts+1 >= l.opts.WindowAttempts {
		l.stop(fmt.Errorf("loading %s: %w", w.r, err))
		return
	}
	now := l.opts.Now()
	w.attempts++
	wait := l.opts.RetryDelay << (w.attempts - 1)
	if IsRateLimit(err) {
		ra := retryAfter(err)
		l.lim.throttled(now, w.sent, ra)
		wait = max(wait, ra)
	}
	w.state, w.notBefore = pending, now.Add(wait)
	l.report(Event{Kind: Retrying, Window: w.r, Err: err, Wait: wait})
}

// retryable reports whether trying a window again later may help: the
// client gave up on a rate limit, server trouble, a body cut short or the
// network, not on a refusal that would come back the same.
func retryable(err error) bool {
	if IsRateLimit(err) {
		return true
	}
	var e *api.Error
	if errors.As(err, &e) {
		return e.Retryable()
	}
	var d *api.DecodeError
	if errors.As(err, &d) {
		return d.Truncated
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne)
}

func (l *loader) complete(w *win, at time.Time) {
	w.state, w.fetchedAt = complete, at
	l.prog.WindowsDone++
	l.prog.DaysDone += w.r.Days()
}

// deliver hands over the complete windows at the head of the date order.
func (l *loader) deliver() {
	for l.delivered < len(l.wins) && l.wins[l.delivered].state == complete {
		l.handOver(l.wins[l.delivered])
		l.delivered++
	}
}

func (l *loader) handOver(w *win) {
	recs := w.recs
	w.recs = nil // the caller owns them now
	l.report(Event{Kind: WindowDone, Window: w.r, Records: recs, AsOf: w.asOf, FetchedAt: w.fetchedAt})
}

// stop cancels what is in flight and starts no more; the first reason
// is the one returned.
func (l *loader) stop(err error) {
	if l.err == nil {
		l.err = err
	}
	l.stopping = true
	l.cancel()
}

func (l *loader) progress() Progress {
	p := l.prog
	p.InFlight, p.Limit = l.inFlight, l.lim.allowed()
	return p
}

func (l *loader) report(e Event) {
	e.Progress = l.progress()
	l.emit(e)
}
