package state

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// ErrTokenLoop matches a Store's error when the API hands back a page
// token it has already sent: following it would loop forever.
var ErrTokenLoop = api.ErrTokenLoop

// Store holds the records of one query generation as pages arrive, with
// the product rollups kept current. It is not safe for concurrent use: the
// dashboard mutates it only in Update. Hand a goroutine copies
// (ProductRollup.Clone, DailyCosts), never the Store.
type Store struct {
	query      Query
	gen        uint64
	start, end api.Date
	monthly    bool

	recs       recList
	bigs       []decimal.Decimal // amounts too large or fine for a rec's int64
	strs       interner          // names, categories, units, currencies
	prods      []product
	prodIDs    map[uint64]uint32 // nameID<<32 | categoryID
	prodByName map[string]uint32 // name -> the first product seen with it

	next     string
	done     bool
	inFlight bool
	err      error
	asOf     api.Date
	pages    int
	dups     int
	pager    *api.Pager // ends paging, drops repeated and stray records
	maxStart api.Date

	rollups
}

// rec is one stored record, 40 bytes: strings are interned ids, money is an
// int64 mantissa with a one-byte exponent (bigExp: the mantissa indexes
// Store.bigs instead).
type rec struct {
	usage, price   int64
	start, end     api.Date
	prod           uint32
	unit, cur      uint32
	usageE, priceE int8
}

// bigExp marks a rec amount held in Store.bigs.
const bigExp = -128

// recChunk is how many records one allocation holds. Records live in
// fixed chunks rather than one growing slice, so appending never copies
// what is loaded and never leaves up to half a slice unused.
const (
	recChunkBits = 10
	recChunk     = 1 << recChunkBits
)

// recList is an append-only sequence of records in fixed chunks.
type recList struct {
	chunks []*[recChunk]rec
	n      int
}

func (l *recList) len() int { return l.n }

// at returns record i, which must exist.
func (l *recList) at(i int) *rec { return &l.chunks[i>>recChunkBits][i&(recChunk-1)] }

func (l *recList) push(r rec) {
	if l.n>>recChunkBits == len(l.chunks) {
		l.chunks = append(l.chunks, new([recChunk]rec))
	}
	*l.at(l.n) = r
	l.n++
}

// product is one distinct product name and category pair.
type product struct {
	name, category string
	nameID, catID  uint32
	// lowerName and lowerCategory are lower-cased once, so filtering on
	// every keystroke never lower-cases a product twice.
	lowerName, lowerCategory string
}

// NewStore returns an empty store for query generation gen covering
// start..end (q.Bounds at the time the query was issued).
func NewStore(q Query, gen uint64, start, end api.Date) *Store {
	s := &Store{query: q, gen: gen, start: start, end: end, monthly: q.Agg() == api.Monthly}
	s.pager = api.NewPager(q.Request(0), start, end)
	s.rollups.init(s)
	return s
}

// Query returns the query this store holds records for.
func (s *Store) Query() Query { return s.query }

// Gen returns the store's query generation.
func (s *Store) Gen() uint64 { return s.gen }

// Bounds returns the inclusive dates the store's query covers.
func (s *Store) Bounds() (start, end api.Date) { return s.start, s.end }

// Append adds page, fetched with token ("" for the first page), and
// reports whether the store changed. It ignores, and returns false for, a
// nil page, a page once paging is done, and any page whose token is not
// the one the store asked for next: a page delivered twice never counts
// twice, nor does a late page of an abandoned request. Every page passes the store's api.Pager: records already held
// are dropped and counted (Duplicates), and a token loop, a page that adds
// nothing, a record outside the query's dates or a page past the query's
// budget stop paging with an api.PagingError as the store's error; the
// store then stays partial (not Done), and any later page only brings the
// error back. Otherwise a page taken in clears the error. Either way the
// in-flight flag is cleared.
func (s *Store) Append(token string, page *api.Page) bool {
	if page == nil || s.done || token != s.next || (token == "" && s.pages > 0) {
		return false
	}
	kept, err := s.pager.Accept(page)
	s.inFlight = false
	s.err = err
	if kept == nil {
		return err != nil // the stop is news even when nothing of the page is kept
	}
	for i := range kept.Records {
		s.add(&kept.Records[i])
	}
	s.dups += kept.Duplicates
	s.pages++
	s.asOf = page.AsOf
	s.next = s.pager.NextToken()
	s.done = s.pager.Done()
	s.rollups.finishPage(s)
	return true
}

// add stores one record and rolls it up.
func (s *Store) add(r *api.Record) {
	pid := s.productID(r.ProductName, r.ProductCategory)
	row := s.rollups.row(s, pid, r.Price.Currency, r.Usage.Unit)
	unit := row.unit
	if r.Usage.Unit != row.unitName {
		unit = s.strs.id(r.Usage.Unit)
	}
	usage := amountOfAPI(r.Usage.Amount)
	price := amountOfAPI(r.Price.Amount)
	x := rec{start: r.StartDate, end: r.EndDate, prod: pid, unit: unit, cur: row.cur}
	x.usage, x.usageE = s.pack(usage)
	x.price, x.priceE = s.pack(price)
	s.recs.push(x)
	s.maxStart = max(s.maxStart, r.StartDate)
	s.rollups.add(s, row, unit, r.StartDate, r.EndDate, usage, price)
}

// amountOfAPI takes an amount as the API client decoded it: fixed point
// stays fixed point, so storing a record builds no big.Int.
func amountOfAPI(d api.Decimal) Amount {
	if m, e, ok := d.Fixed(); ok {
		return Amount{m: m, e: e}
	}
	return AmountOf(d.Decimal())
}

// apiDecimal is the inverse of amountOfAPI.
func (a Amount) apiDecimal() api.Decimal {
	if a.big != nil {
		return api.DecimalOf(*a.big)
	}
	return api.NewDecimal(a.m, a.e)
}

// productID interns a product name and category pair. Names nearly always
// come with one category, so one lookup by name usually settles it.
func (s *Store) productID(name, category string) uint32 {
	if id, ok := s.prodByName[name]; ok && s.prods[id].category == category {
		return id
	}
	key := uint64(s.strs.id(name))<<32 | uint64(s.strs.id(category))
	if id, ok := s.prodIDs[key]; ok {
		return id
	}
	if s.prodIDs == nil {
		s.prodIDs = make(map[uint64]uint32)
	}
	p := product{nameID: uint32(key >> 32), catID: uint32(key)}
	p.name, p.category = s.strs.str(p.nameID), s.strs.str(p.catID)
	p.lowerName, p.lowerCategory = strings.ToLower(p.name), strings.ToLower(p.category)
	id := uint32(len(s.prods))
	s.prods = append(s.prods, p)
	s.prodIDs[key] = id
	if _, ok := s.prodByName[p.name]; !ok {
		if s.prodByName == nil {
			s.prodByName = make(map[string]uint32)
		}
		s.prodByName[p.name] = id
	}
	return id
}

// pack stores a in a rec's mantissa and exponent.
func (s *Store) pack(a Amount) (int64, int8) {
	if a.big == nil && a.e > bigExp && a.e <= 127 {
		return a.m, int8(a.e)
	}
	s.bigs = append(s.bigs, a.Decimal())
	return int64(len(s.bigs) - 1), bigExp
}

// unpack is the inverse of pack.
func (s *Store) unpack(m int64, e int8) Amount {
	if e == bigExp {
		return Amount{big: &s.bigs[m]}
	}
	return Amount{m: m, e: int32(e)}
}

// NextToken returns the token of the next page to fetch ("" before the
// first page, and once paging is done).
func (s *Store) NextToken() string { return s.next }

// Done reports whether every page has been loaded.
func (s *Store) Done() bool { return s.done }

// Duplicates returns how many records were dropped because the API sent
// them on more than one page (or twice on one), so the status line and the
// export can say so: they are never summed.
func (s *Store) Duplicates() int { return s.dups }

// Partial reports whether figures cover only some of the pages.
func (s *Store) Partial() bool { return !s.done }

// InFlight reports whether a page request is outstanding.
func (s *Store) InFlight() bool { return s.inFlight }

// SetInFlight records that a page request was sent (true) or ended (false).
func (s *Store) SetInFlight(v bool) { s.inFlight = v }

// Err returns the last page error, nil after a successful page.
func (s *Store) Err() error { return s.err }

// SetErr records a failed page. Everything loaded stays, and NextToken is
// still the page to retry. It also clears the in-flight flag.
func (s *Store) SetErr(err error) {
	s.err = err
	s.inFlight = false
}

// LoadedThrough returns the last date whose records are all loaded. Records
// arrive ordered by date, so everything before the latest record's start
// date is complete; that date itself may continue on the next page. It is
// the query's end once paging is done, and the day before its start while
// nothing is loaded.
func (s *Store) LoadedThrough() api.Date {
	switch {
	case s.done:
		return s.end
	case s.recs.len() == 0:
		return s.start - 1
	}
	return min(s.maxStart-1, s.end)
}

// AsOf returns the API's freshness watermark from the latest page (zero
// before any page).
func (s *Store) AsOf() api.Date { return s.asOf }

// Len returns the number of records held.
func (s *Store) Len() int { return s.recs.len() }

// Pages returns the number of pages appended.
func (s *Store) Pages() int { return s.pages }

// RecordRow is one stored record as the Records view reads it: strings
// are shared interned copies and amounts are values, so reading a row
// allocates nothing.
type RecordRow struct {
	StartDate, EndDate api.Date
	ProductName        string
	ProductCategory    string
	Usage              Amount
	Unit               string
	Price              Amount
	Currency           string
}

// Row returns record i (0 <= i < Len) without allocating.
func (s *Store) Row(i int) RecordRow {
	x := s.recs.at(i)
	p := &s.prods[x.prod]
	return RecordRow{
		StartDate:       x.start,
		EndDate:         x.end,
		ProductName:     p.name,
		ProductCategory: p.category,
		Usage:           s.unpack(x.usage, x.usageE),
		Unit:            s.strs.str(x.unit),
		Price:           s.unpack(x.price, x.priceE),
		Currency:        s.strs.str(x.cur),
	}
}

// Record materialises record i as the API delivered it.
func (s *Store) Record(i int) api.Record {
	r := s.Row(i)
	return api.Record{
		StartDate:       r.StartDate,
		EndDate:         r.EndDate,
		ProductName:     r.ProductName,
		ProductCategory: r.ProductCategory,
		Usage:           api.Usage{Amount: r.Usage.apiDecimal(), Unit: r.Unit},
		Price:           api.Price{Amount: r.Price.apiDecimal(), Currency: r.Currency},
	}
}

// Categories returns the distinct product categories seen so far, sorted,
// for the category picker.
func (s *Store) Categories() []string {
	seen := make(map[string]struct{}, len(s.prods))
	out := make([]string, 0, 16)
	for _, p := range s.prods {
		if _, ok := seen[p.category]; !ok {
			seen[p.category] = struct{}{}
			out = append(out, p.category)
		}
	}
	slices.Sort(out)
	return out
}

// AppendRecords adds records that arrive whole rather than page by page
// (a window of a date-window load, or the snapshot store): in date order,
// after every record already held, with the API's asOf. It returns false,
// changing nothing, once the store is done or pages have come by token.
func (s *Store) AppendRecords(recs []api.Record, asOf api.Date) bool {
	if s.done || s.next != "" {
		return false
	}
	for i := range recs {
		s.add(&recs[i])
	}
	s.pages++
	s.asOf = max(s.asOf, asOf)
	s.err, s.inFlight = nil, false
	s.rollups.finishPage(s)
	return true
}

// Finish marks a store filled by AppendRecords complete.
func (s *Store) Finish() {
	s.done, s.inFlight, s.err = true, false, nil
	s.rollups.finishPage(s)
}

// Fill is AppendRecords of every record of the store's range, then
// Finish. It returns false, changing nothing, when the store already
// holds records.
func (s *Store) Fill(recs []api.Record, asOf api.Date) bool {
	if s.pages > 0 || s.recs.len() > 0 || !s.AppendRecords(recs, asOf) {
		return false
	}
	s.Finish()
	return true
}
