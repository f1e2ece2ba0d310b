package state

import (
	"errors"
	"slices"
	"testing"
	"unsafe"

	"github.com/usagetop/usagetop/api"
)

// stRec builds one DAILY record.
func stRec(t testing.TB, date, name, cat, usage, unit, price, cur string) api.Record {
	d := stDate(t, date)
	return api.Record{
		StartDate: d, EndDate: d, ProductName: name, ProductCategory: cat,
		Usage: api.Usage{Amount: api.DecimalOf(stDec(usage)), Unit: unit},
		Price: api.Price{Amount: api.DecimalOf(stDec(price)), Currency: cur},
	}
}

func TestStoreAppendIgnoresDuplicateAndStalePages(t *testing.T) {
	start, end := stDate(t, "2026-10-01"), stDate(t, "2026-10-31")
	recs := stGen(stGenOpts{products: 5, days: 31, start: start, seed: 1})
	pages := stPaginate(recs, []int{40, 80}, end)
	s := NewStore(Query{GroupID: stGroup, Period: api.LastMonth}, 7, start, end)

	steps := []struct {
		name   string
		token  string
		page   *api.Page
		wantOK bool
		len    int
		pages  int
	}{
		{"nil page", "", nil, false, 0, 0},
		{"a later page first", pages[1].token, pages[1].page, false, 0, 0},
		{"first page", pages[0].token, pages[0].page, true, 40, 1},
		{"first page again", pages[0].token, pages[0].page, false, 40, 1},
		{"second page", pages[1].token, pages[1].page, true, 80, 2},
		{"second page again", pages[1].token, pages[1].page, false, 80, 2},
		{"first page a third time", pages[0].token, pages[0].page, false, 80, 2},
		{"last page", pages[2].token, pages[2].page, true, len(recs), 3},
		{"last page again", pages[2].token, pages[2].page, false, len(recs), 3},
	}
	for _, st := range steps {
		if got := s.Append(st.token, st.page); got != st.wantOK {
			t.Errorf("%s: Append = %v, want %v", st.name, got, st.wantOK)
		}
		if s.Len() != st.len || s.Pages() != st.pages {
			t.Errorf("%s: %d records in %d pages, want %d in %d", st.name, s.Len(), s.Pages(), st.len, st.pages)
		}
	}
	if !s.Done() || s.NextToken() != "" || s.Partial() {
		t.Errorf("after the last page: done %v, next %q, partial %v", s.Done(), s.NextToken(), s.Partial())
	}
	if s.Gen() != 7 || s.AsOf() != end {
		t.Errorf("gen %d asOf %s", s.Gen(), s.AsOf())
	}
	ref := stLoad(t, Query{}, start, end, recs, len(recs))
	stSameRollups(t, s, ref)
}

func TestStoreErrorKeepsRecordsAndToken(t *testing.T) {
	start, end := stDate(t, "2026-10-01"), stDate(t, "2026-10-31")
	recs := stGen(stGenOpts{products: 3, days: 31, start: start, seed: 2})
	pages := stPaginate(recs, []int{30}, end)
	s := NewStore(Query{}, 1, start, end)
	s.SetInFlight(true)
	s.Append(pages[0].token, pages[0].page)
	if s.InFlight() {
		t.Error("still in flight after a page arrived")
	}
	s.SetInFlight(true)
	boom := errors.New("503 from the API")
	s.SetErr(boom)
	if !errors.Is(s.Err(), boom) || s.InFlight() {
		t.Errorf("err %v, in flight %v", s.Err(), s.InFlight())
	}
	if s.Len() != 30 || s.NextToken() != pages[1].token || s.Done() {
		t.Errorf("after an error: %d records, next %q, done %v; want 30, %q, false", s.Len(), s.NextToken(), s.Done(), pages[1].token)
	}
	if !s.Append(s.NextToken(), pages[1].page) {
		t.Fatal("retrying the failed page was refused")
	}
	if s.Err() != nil || s.Len() != len(recs) || !s.Done() {
		t.Errorf("after the retry: err %v, %d records, done %v", s.Err(), s.Len(), s.Done())
	}
}

// TestStoreStaysPartialAfterPagingStops: a token loop (or any stop of the
// api.Pager) leaves the store partial, with its error, its records and
// LoadedThrough short of the end; retrying brings the error back and never
// the records twice (issue 14.4).
func TestStoreStaysPartialAfterPagingStops(t *testing.T) {
	start := stDate(t, "2026-10-01")
	end := start.AddDays(2)
	recs := stGen(stGenOpts{products: 2, days: 3, start: start, seed: 3})
	s := NewStore(Query{}, 1, start, end)
	s.Append("", &api.Page{Records: recs[:2], NextToken: "a"})
	s.Append("a", &api.Page{Records: recs[2:4], NextToken: "a"})
	var pe *api.PagingError
	if !errors.Is(s.Err(), ErrTokenLoop) || !errors.As(s.Err(), &pe) || s.Done() || !s.Partial() || s.Len() != 4 {
		t.Fatalf("err %v, done %v, partial %v, %d records; want a token loop, partial, 4 records", s.Err(), s.Done(), s.Partial(), s.Len())
	}
	if got := s.LoadedThrough(); got == end {
		t.Errorf("loaded through %s: the end of the query, as if paging had finished", got)
	}
	s.SetErr(nil) // r retries the page
	if !s.Append(s.NextToken(), &api.Page{Records: recs[4:], NextToken: ""}) || !errors.Is(s.Err(), api.ErrPartial) {
		t.Errorf("after a retry: err %v; want the stop again", s.Err())
	}
	if s.Len() != 4 || s.Done() {
		t.Errorf("after a retry: %d records, done %v; want 4, not done", s.Len(), s.Done())
	}
}

// TestStoreDropsAndCountsRepeatedRecords: a record the API sends on two
// pages is stored once, and the count of those dropped is kept for the
// status line (issue 14.3).
func TestStoreDropsAndCountsRepeatedRecords(t *testing.T) {
	start := stDate(t, "2026-10-01")
	end := start.AddDays(9)
	recs := stGen(stGenOpts{products: 4, days: 10, start: start, seed: 8})
	s := NewStore(Query{}, 1, start, end)
	s.Append("", &api.Page{Records: recs[:20], NextToken: "b"})
	again := append(slices.Clone(recs[15:20]), recs[20:]...)
	s.Append("b", &api.Page{Records: again})
	if s.Len() != len(recs) || s.Duplicates() != 5 || !s.Done() {
		t.Errorf("%d records, %d duplicates, done %v; want %d, 5, done", s.Len(), s.Duplicates(), s.Done(), len(recs))
	}
	ref := stLoad(t, Query{}, start, end, recs, len(recs))
	stSameRollups(t, s, ref)
}

func TestStoreLoadedThrough(t *testing.T) {
	start, end := stDate(t, "2026-10-01"), stDate(t, "2026-10-31")
	recs := stGen(stGenOpts{products: 10, days: 31, start: start, seed: 4})
	// Records are ordered by date, ten a day: record 25 is on Oct 3.
	pages := stPaginate(recs, []int{25, 30, 200}, end)
	s := NewStore(Query{}, 1, start, end)
	if got, want := s.LoadedThrough(), stDate(t, "2026-09-30"); got != want {
		t.Errorf("empty: loaded through %s, want %s", got, want)
	}
	wants := []string{"2026-10-02", "2026-10-02", "2026-10-19", "2026-10-31"}
	for i, p := range pages {
		s.Append(p.token, p.page)
		if got, want := s.LoadedThrough(), stDate(t, wants[i]); got != want {
			t.Errorf("after page %d: loaded through %s, want %s", i+1, got, want)
		}
	}
}

func TestStoreRowsRoundTrip(t *testing.T) {
	start := stDate(t, "2026-10-01")
	recs := stGen(stGenOpts{products: 6, days: 4, start: start, seed: 5, currencies: []string{"USD", "GBP"}})
	recs = append(recs,
		stRec(t, "2026-10-04", "Huge", "x", "123456789012345678901234567890", "bytes", "98765432109876543210.123456789", "USD"),
		stRec(t, "2026-10-04", "Tiny", "x", "1e-200", "bytes", "1e200", "USD"),
		stRec(t, "2026-10-04", "Négatif", "x", "-5", "credits", "-0.0001", "EUR"),
	)
	s := stLoad(t, Query{}, start, start.AddDays(3), recs, 7)
	if s.Len() != len(recs) {
		t.Fatalf("%d records, want %d", s.Len(), len(recs))
	}
	for i, want := range recs {
		got := s.Record(i)
		if got.StartDate != want.StartDate || got.EndDate != want.EndDate ||
			got.ProductName != want.ProductName || got.ProductCategory != want.ProductCategory ||
			got.Usage.Unit != want.Usage.Unit || got.Price.Currency != want.Price.Currency ||
			!got.Usage.Amount.Decimal().Equal(want.Usage.Amount.Decimal()) || !got.Price.Amount.Decimal().Equal(want.Price.Amount.Decimal()) {
			t.Errorf("record %d = %+v, want %+v", i, got, want)
		}
		row := s.Row(i)
		if row.ProductName != want.ProductName || !row.Price.Decimal().Equal(want.Price.Amount.Decimal()) {
			t.Errorf("row %d = %+v", i, row)
		}
	}
	// Interned: every row of a product shares one copy of its name.
	a, b := s.Row(0).ProductName, s.Row(6).ProductName
	if a != b || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Errorf("rows 0 and 6 (%q, %q) do not share the interned name", a, b)
	}
	want := []string{"lookup", "mms", "phone-numbers", "sms", "verify", "voice", "x"}
	if got := s.Categories(); !slices.Equal(got, want) {
		t.Errorf("categories %v, want %v", got, want)
	}
}

func TestStoreRowDoesNotAllocate(t *testing.T) {
	start := stDate(t, "2026-10-01")
	s := stLoad(t, Query{}, start, start.AddDays(9), stGen(stGenOpts{products: 5, days: 10, start: start, seed: 6}), 20)
	var sink RecordRow
	if n := testing.AllocsPerRun(100, func() { sink = s.Row(17) }); n != 0 {
		t.Errorf("Row allocates %v times", n)
	}
	_ = sink
}
