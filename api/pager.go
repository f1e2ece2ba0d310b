package api

import (
	"errors"
	"fmt"
)

// Paging guard limits. A page budget is derived from the query: the
// periods it covers (days, or months for MONTHLY) times the products seen
// so far, divided by the page size, doubled, plus a floor of pages. The
// floor keeps a small query from tripping on a slow start; the cap on
// products keeps a server that invents products from raising the budget
// without bound. A page that adds nothing may happen once at a page
// boundary; maxIdlePages of them in a row stop paging.
const (
	pageBudgetFloor     = 10
	maxIdlePages        = 3
	pageBudgetMargin    = 2
	maxBudgetProducts   = 10_000
	defaultServerPageSz = 20 // the API's default pageSize (API.md)
)

// StopReason says why a Pager stopped paging before the last page.
type StopReason int

// Reasons a Pager stops.
const (
	// StopTokenLoop: the server sent a nextToken it had sent before.
	StopTokenLoop StopReason = iota + 1
	// StopBudget: more pages than the query's data could fill.
	StopBudget
	// StopNoProgress: maxIdlePages pages in a row added no new record yet
	// offered another page.
	StopNoProgress
	// StopOutOfRange: a record lies outside the requested dates.
	StopOutOfRange
)

// String names the reason.
func (r StopReason) String() string {
	switch r {
	case StopTokenLoop:
		return "token loop"
	case StopBudget:
		return "page budget"
	case StopNoProgress:
		return "no progress"
	case StopOutOfRange:
		return "record out of range"
	}
	return "unknown"
}

// ErrPartial matches (errors.Is) every *PagingError: paging stopped early,
// so what was loaded is only part of the query's data and must not be
// treated as complete.
var ErrPartial = errors.New("paging stopped early; the data is partial")

// ErrTokenLoop matches (errors.Is) a *PagingError whose Reason is
// StopTokenLoop.
var ErrTokenLoop = errors.New("the API repeated a page token; paging stopped to avoid a loop")

// PagingError says why paging stopped before the last page. Records of
// earlier pages are real; the data as a whole is partial.
type PagingError struct {
	// Page is the page (from 1) at which paging stopped.
	Page   int
	Reason StopReason
	// Detail says what the server did, in words.
	Detail string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("page %d: %s; stopped paging, so the data is partial", e.Page, e.Detail)
}

// Is makes every PagingError match ErrPartial, and a token loop match
// ErrTokenLoop.
func (e *PagingError) Is(target error) bool {
	return target == ErrPartial || target == ErrTokenLoop && e.Reason == StopTokenLoop
}

// productKey names one product line for duplicate detection. The unit is
// left out: the same product and day in another unit is still the same
// usage counted twice.
type productKey struct{ name, category, currency string }

// Pager guards the paging of one query so that it always ends and never
// counts a record twice, whoever drives it: FetchAll, or a dashboard that
// fetches one page at a time. Hand it every page in order; it checks the
// page's token, drops records it has already seen (counting them), rejects
// records outside the requested dates, and stops with a *PagingError on a
// token loop, a page that adds nothing, or more pages than the query's
// data could fill. Once stopped it stays stopped. Not safe for concurrent use.
type Pager struct {
	start, end Date // the requested range
	lo, hi     Date // the dates a record may carry
	monthly    bool
	pageSize   int // requested; 0 when left to the server
	largest    int // largest page seen, the page size when none was asked for

	pages  int
	idle   int // pages in a row that added nothing
	next   string
	done   bool
	err    error
	tokens map[string]struct{}

	products map[productKey]int
	seen     [][]uint64 // per product, a bit per start date offset from start
	dups     int
}

// NewPager returns a Pager for req (its first page, or the page from
// req.PageToken) whose records must lie within start..end inclusive
// (RequestBounds gives them for a request); MONTHLY records may run to the
// edges of the months start and end fall in.
func NewPager(req RecordsRequest, start, end Date) *Pager {
	p := &Pager{
		start: start, end: end, lo: start, hi: end,
		monthly:  req.Aggregation == Monthly,
		pageSize: req.PageSize,
		next:     req.PageToken,
		tokens:   map[string]struct{}{},
		products: map[productKey]int{},
	}
	if p.monthly {
		// API.md says MONTHLY records are clipped to the range; a server
		// that sends whole months is still answering this query.
		p.lo, p.hi = start.MonthStart(), end.MonthEnd()
	}
	if req.PageToken != "" {
		p.tokens[req.PageToken] = struct{}{}
	}
	return p
}

// RequestBounds returns the dates req's records may carry when the client's
// today is today. A preset is resolved for the day before and the day after
// as well: the server's clock may be on the other side of midnight.
func RequestBounds(req RecordsRequest, today Date) (start, end Date) {
	if req.Period == "" {
		return req.StartDate, req.EndDate
	}
	start, end, _ = req.Period.Bounds(today)
	for _, d := range []Date{today - 1, today + 1} {
		s, e, _ := req.Period.Bounds(d)
		start, end = min(start, s), max(end, e)
	}
	return start, end
}

// NextToken returns the token of the page to fetch next: "" before the
// first page, and the last page's nextToken after it.
func (p *Pager) NextToken() string { return p.next }

// Done reports whether the last page has been accepted.
func (p *Pager) Done() bool { return p.done }

// Err returns the *PagingError that stopped paging, or nil.
func (p *Pager) Err() error { return p.err }

// Pages returns the number of pages accepted.
func (p *Pager) Pages() int { return p.pages }

// Duplicates returns how many records were dropped because an earlier
// record (of this page or an earlier one) was the same product on the same
// start date.
func (p *Pager) Duplicates() int { return p.dups }

// Budget returns how many pages the query may take, given the products
// seen so far.
func (p *Pager) Budget() int {
	size := p.pageSize
	if size <= 0 {
		size = max(p.largest, defaultServerPageSz)
	}
	periods := DaysInclusive(p.start, p.end)
	if p.monthly {
		periods = monthsSpanned(p.start, p.end)
	}
	products := min(max(len(p.products), 1), maxBudgetProducts)
	need := (max(periods, 1)*products + size - 1) / size
	return pageBudgetMargin*need + pageBudgetFloor
}

// monthsSpanned counts the calendar months a..b touches.
func monthsSpanned(a, b Date) int {
	ya, ma, _ := a.Parts()
	yb, mb, _ := b.Parts()
	return (yb-ya)*12 + int(mb-ma) + 1
}

// Accept takes the next page. It returns the page to use, with repeated
// records dropped (Duplicates counts them), and a *PagingError when paging
// must stop. A page that is returned along with an error is still good
// (its records are new and in range); a nil page means nothing of it may be
// used. After an error, or after the last page, every call returns the
// same error (or nil, nil).
func (p *Pager) Accept(page *Page) (*Page, error) {
	if p.err != nil {
		return nil, p.err
	}
	if p.done || page == nil {
		return nil, nil
	}
	n := p.pages + 1
	for i := range page.Records {
		r := &page.Records[i]
		if r.StartDate < p.lo || r.EndDate > p.hi || r.EndDate < r.StartDate {
			p.err = &PagingError{Page: n, Reason: StopOutOfRange, Detail: fmt.Sprintf(
				"record %d (%s, %s..%s) lies outside the requested range %s..%s: the server answered another query, so nothing of this page was kept",
				i, r.ProductName, r.StartDate, r.EndDate, p.start, p.end)}
			return nil, p.err
		}
	}
	kept := *page
	kept.Records = p.dropSeen(page.Records)
	dropped := len(page.Records) - len(kept.Records)
	kept.Duplicates += dropped
	p.dups += dropped
	p.pages = n
	p.largest = max(p.largest, len(page.Records))
	if page.Done() {
		p.done, p.next = true, ""
		return &kept, nil
	}
	if _, loop := p.tokens[page.NextToken]; loop {
		p.err = &PagingError{Page: n, Reason: StopTokenLoop, Detail: "the server sent a nextToken it had sent before"}
		return &kept, p.err
	}
	p.tokens[page.NextToken] = struct{}{}
	p.next = page.NextToken
	if len(kept.Records) > 0 {
		p.idle = 0
	} else if p.idle++; p.idle >= maxIdlePages {
		p.err = &PagingError{Page: n, Reason: StopNoProgress, Detail: fmt.Sprintf(
			"the server sent %d pages in a row that added no new record (empty, or only records already loaded), each with a fresh nextToken", p.idle)}
		return &kept, p.err
	}
	if budget := p.Budget(); n >= budget {
		p.err = &PagingError{Page: n, Reason: StopBudget, Detail: fmt.Sprintf(
			"the server offered more pages than %d products over %s..%s can fill (budget %d pages)",
			len(p.products), p.start, p.end, budget)}
		return &kept, p.err
	}
	return &kept, nil
}

// dropSeen returns recs without the records already seen, and marks the
// rest seen. recs is not modified: when nothing is dropped it is returned
// as it is, otherwise a copy is.
func (p *Pager) dropSeen(recs []Record) []Record {
	var out []Record
	for i := range recs {
		if !p.mark(&recs[i]) {
			if out == nil {
				out = append(make([]Record, 0, len(recs)-1), recs[:i]...)
			}
			continue
		}
		if out != nil {
			out = append(out, recs[i])
		}
	}
	if out == nil {
		return recs
	}
	return out
}

// mark records r as seen and reports whether it was new. Records are
// checked to lie in range first, so the offset fits the bitmap.
func (p *Pager) mark(r *Record) bool {
	k := productKey{r.ProductName, r.ProductCategory, r.Price.Currency}
	id, ok := p.products[k]
	if !ok {
		id = len(p.seen)
		p.products[k] = id
		p.seen = append(p.seen, make([]uint64, (DaysInclusive(p.lo, p.hi)+63)/64))
	}
	off := int(r.StartDate - p.lo)
	bits := p.seen[id]
	word, bit := off/64, uint64(1)<<(off%64)
	if bits[word]&bit != 0 {
		return false
	}
	bits[word] |= bit
	return true
}
