package state

import (
	"github.com/usagetop/usagetop/api"
)

// Part names one of a generation's loads.
type Part int

// A generation's parts, in the order they matter.
const (
	// PartPeriod is the query as asked: what the Records view lists.
	PartPeriod Part = iota
	// PartDaily is the period as DAILY records, under MONTHLY only: the
	// figures and the detector work on days.
	PartDaily
	// PartPrevious is the previous period, DAILY, for the change column.
	PartPrevious
	// PartHistory is the DAILY history before the period that the
	// anomaly detector judges the first days against.
	PartHistory
	numParts
)

// Parts lists every Part in the order a plan serves them.
var Parts = []Part{PartPeriod, PartDaily, PartPrevious, PartHistory}

// String names the part for messages ("previous period not loaded: ...").
func (p Part) String() string {
	switch p {
	case PartDaily:
		return "DAILY records"
	case PartPrevious:
		return "previous period"
	case PartHistory:
		return "anomaly history"
	}
	return "period"
}

// Generation is everything one query needs: the stores of its parts, the
// rule for which days count (Coverage), the figures computed from them,
// and the load plan. A new query, or a refresh, is a new generation; the
// dashboard, the export and anything else that shows figures drive one
// the same way: Plan, fetch, Apply, until Plan returns nothing.
//
// A Generation is not safe for concurrent use: one goroutine (the
// dashboard's event loop, or Run) owns it.
type Generation struct {
	id      uint64
	query   Query
	today   api.Date
	invalid error
	stores  [numParts]*Store
	det     DetectorConfig

	version uint64 // counts applied pages, so derived figures know when to recompute
	figs    *Figures
	figsVer uint64
}

// NewGeneration returns generation id for q on day today. An invalid q
// gives a generation with an empty period and no plan; Invalid says why.
func NewGeneration(id uint64, q Query, today api.Date, det DetectorConfig) *Generation {
	g := &Generation{id: id, query: q, today: today, det: det, invalid: q.Validate()}
	start, end := q.Bounds(today)
	g.stores[PartPeriod] = NewStore(q, id, start, end)
	if g.invalid != nil {
		g.stores[PartPeriod].done = true
		return g
	}
	if q.Agg() != api.Daily {
		d := q
		d.Aggregation = api.Daily
		g.stores[PartDaily] = NewStore(d, id, start, end)
	}
	prev := q
	prev.Period, prev.Aggregation = "", api.Daily
	prev.From, prev.To = ComparePrevious(start, end)
	if prev.From > 0 && prev.Validate() == nil {
		g.stores[PartPrevious] = NewStore(prev, id, prev.From, prev.To)
	}
	if h := HistoryQuery(q, today, det); h.From > 0 && h.From <= h.To && h.Validate() == nil {
		g.stores[PartHistory] = NewStore(h, id, h.From, h.To)
	}
	return g
}

// ID returns the generation's id, carried by every result so stale ones
// are dropped.
func (g *Generation) ID() uint64 { return g.id }

// Query returns the generation's query.
func (g *Generation) Query() Query { return g.query }

// Today returns the day the generation was started on.
func (g *Generation) Today() api.Date { return g.today }

// Invalid returns why the query was refused before any request, or nil.
func (g *Generation) Invalid() error { return g.invalid }

// Store returns part p's store, or nil when the query does not need it.
func (g *Generation) Store(p Part) *Store {
	if p < 0 || p >= numParts {
		return nil
	}
	return g.stores[p]
}

// Period returns the store of the query as asked.
func (g *Generation) Period() *Store { return g.stores[PartPeriod] }

// Daily returns the period's DAILY records: the period itself under
// DAILY, its DAILY load under MONTHLY.
func (g *Generation) Daily() *Store {
	if d := g.stores[PartDaily]; d != nil {
		return d
	}
	return g.stores[PartPeriod]
}

// Version counts the pages applied so far: anything derived from the
// stores is stale when it changes.
func (g *Generation) Version() uint64 { return g.version }

// Coverage returns which days the figures cover now and what they are
// compared with. It moves as pages arrive: while the period is loading it
// stops at the last day fully loaded.
func (g *Generation) Coverage() Coverage {
	d := g.Daily()
	start, end := d.Bounds()
	asOf := d.AsOf()
	if asOf.IsZero() {
		asOf = g.Period().AsOf()
	}
	return CoverageOf(g.query, start, end, g.today, asOf, d.LoadedThrough())
}

// Figures returns every product's figures over Coverage, computed once per
// applied page.
func (g *Generation) Figures() *Figures {
	if g.figs == nil || g.figsVer != g.version {
		g.figs = ComputeFigures(g.Coverage(), g.Daily(), g.stores[PartPrevious])
		g.figsVer = g.version
	}
	return g.figs
}

// Replace puts s in part p's place (a refreshed copy of its days) and
// reports whether p is a part of g. Derived figures recompute.
func (g *Generation) Replace(p Part, s *Store) bool {
	if g.Store(p) == nil || s == nil {
		return false
	}
	g.stores[p] = s
	g.version++
	return true
}

// Touch says a part's store changed outside Apply (records appended by
// window), so derived figures recompute.
func (g *Generation) Touch() { g.version++ }

// Request is one planned request: the part it loads and the API request
// for that part's next page.
type Request struct {
	Part Part
	Req  api.RecordsRequest
}

// Want says which parts a plan may load now.
type Want struct {
	// Period asks for the period's next page. The dashboard asks for it
	// when a view needs more rows or a load-all is on; the export always.
	Period bool
	// Figures asks for what the figures and detection need beyond the
	// period: its DAILY records under MONTHLY, the previous period and the
	// history. They load beside the period, not after it.
	Figures bool
}

// Plan returns the requests to make now, in the order they matter, and
// marks each as in flight: at most one request per part, so each part
// pages on its own tokens. A part that is done, in flight or failed (until
// Retry) gets none. pageSize is the API page size.
func (g *Generation) Plan(pageSize int, want Want) []Request {
	if g.invalid != nil {
		return nil
	}
	var out []Request
	for _, p := range Parts {
		s := g.stores[p]
		if s == nil || s.Done() || s.InFlight() || s.Err() != nil {
			continue
		}
		if (p == PartPeriod && !want.Period) || (p != PartPeriod && !want.Figures) {
			continue
		}
		req := s.Query().Request(pageSize)
		req.PageToken = s.NextToken()
		s.SetInFlight(true)
		out = append(out, Request{Part: p, Req: req})
	}
	return out
}

// Apply takes in what part p's request (sent with token) returned: its
// page, or its error. Everything loaded stays on an error, and the token
// to resume from. It returns false for a page the part did not ask for (a
// late answer to an abandoned request), which changes nothing.
func (g *Generation) Apply(p Part, token string, page *api.Page, err error) bool {
	s := g.Store(p)
	if s == nil {
		return false
	}
	if err != nil {
		s.SetErr(err)
		g.version++
		return true
	}
	if !s.Append(token, page) {
		s.SetInFlight(false)
		return false
	}
	g.version++
	return true
}

// Retry clears the errors of every failed part, so the next Plan asks
// again from where each stopped. It reports whether any part had failed.
func (g *Generation) Retry() bool {
	retried := false
	for _, s := range g.stores {
		if s != nil && s.Err() != nil && !s.Done() {
			s.SetErr(nil)
			retried = true
		}
	}
	return retried
}

// Loading reports whether any part has a request in flight.
func (g *Generation) Loading() bool {
	for _, s := range g.stores {
		if s != nil && s.InFlight() {
			return true
		}
	}
	return false
}

// Err returns the first part's error, naming the part, or nil.
func (g *Generation) Err() (Part, error) {
	for _, p := range Parts {
		if s := g.stores[p]; s != nil && s.Err() != nil {
			return p, s.Err()
		}
	}
	return PartPeriod, nil
}

// Done reports whether every part the want names is completely loaded.
func (g *Generation) Done(want Want) bool {
	for _, p := range Parts {
		s := g.stores[p]
		if s == nil || s.Done() {
			continue
		}
		if (p == PartPeriod && want.Period) || (p != PartPeriod && want.Figures) {
			return false
		}
	}
	return true
}

// DetectReady reports whether the detector has what it needs: the
// period's DAILY records and the history, every page of both.
func (g *Generation) DetectReady() bool {
	if g.invalid != nil || !g.Daily().Done() {
		return false
	}
	h := g.stores[PartHistory]
	return h == nil || h.Done()
}

// Detect runs the anomaly detector over the period's DAILY records and
// the history. Call it once DetectReady; its stores are then complete,
// so it may run on another goroutine while the owner reads them.
func (g *Generation) Detect() (StoreAnomalies, error) {
	return DetectStore(g.Daily(), g.stores[PartHistory], g.today, g.det)
}
