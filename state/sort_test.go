package state

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api"
)

func TestColumnNames(t *testing.T) {
	var got []string
	for _, c := range ProductColumns {
		got = append(got, c.String())
	}
	if want := "Cost Product Category Usage Share Days First Last Change"; strings.Join(got, " ") != want {
		t.Errorf("product columns %v", got)
	}
	got = got[:0]
	for _, c := range RecordColumns {
		got = append(got, c.String())
	}
	if want := "Date Product Category Usage Unit Cost Currency"; strings.Join(got, " ") != want {
		t.Errorf("record columns %v", got)
	}
	if ProductChange.Next() != ProductCost || ProductCost.Next() != ProductName || RecordCurrency.Next() != RecordDate {
		t.Error("Next does not cycle")
	}
	if ProductColumn(42).String() != "ProductColumn(42)" {
		t.Error(ProductColumn(42).String())
	}
}

func TestSortProductsEveryColumnBothWaysWithTies(t *testing.T) {
	d := func(s string) api.Date { return stDate(t, "2026-01-"+s) }
	rows := []ProductRollup{
		{Name: "alpha", Category: "sms", Currency: "USD", Cost: NewAmount(5, 0), Usage: NewAmount(10, 0), Share: 0.5, Days: 3, First: d("01"), Last: d("05")},
		{Name: "Beta", Category: "voice", Currency: "USD", Cost: NewAmount(500, -2), Usage: NewAmount(20, 0), Share: 0.5, Days: 1, First: d("02"), Last: d("02")},
		{Name: "gamma", Category: "sms", Currency: "GBP", Cost: NewAmount(1, 0), MixedUnits: true, Share: 1, Days: 3, First: d("01"), Last: d("09")},
		{Name: "alpha", Category: "mms", Currency: "USD", Cost: NewAmount(5, -1), Usage: NewAmount(100, -1), Share: 0.05, Days: 7, First: d("03"), Last: d("05")},
	}
	// Figures with the rollups' values, and a change for all but Beta.
	change := &Figures{index: map[ProductKey]int{}}
	for i, r := range rows {
		change.index[r.Key()] = i
		change.rows = append(change.rows, ProductFigure{Key: r.Key(), Cost: r.Cost, Usage: r.Usage, MixedUnits: r.MixedUnits, Share: r.Share,
			Change: Change{Percent: []float64{0.1, 0, -0.5, 0.1}[i]}, Compared: i != 1})
	}
	// A = alpha/sms, B = Beta, C = gamma, D = alpha/mms.
	tests := []struct {
		col       ProductColumn
		asc, desc string
	}{
		{ProductCost, "DCAB", "ABCD"},
		{ProductName, "DABC", "CBDA"},
		{ProductCategory, "DACB", "BACD"},
		{ProductUsage, "DABC", "BDAC"},
		{ProductShare, "DABC", "CABD"},
		{ProductDays, "BACD", "DACB"},
		{ProductFirst, "ACBD", "DBAC"},
		{ProductLast, "BDAC", "CDAB"},
		{ProductChange, "CDAB", "DACB"},
	}
	order := func(col ProductColumn, desc bool, change *Figures) string {
		idx := []int32{0, 1, 2, 3}
		SortProducts(rows, idx, col, desc, change)
		var b strings.Builder
		for _, i := range idx {
			b.WriteByte("ABCD"[i])
		}
		return b.String()
	}
	for _, tt := range tests {
		if got := order(tt.col, false, change); got != tt.asc {
			t.Errorf("%s ascending: %s, want %s", tt.col, got, tt.asc)
		}
		if got := order(tt.col, true, change); got != tt.desc {
			t.Errorf("%s descending: %s, want %s", tt.col, got, tt.desc)
		}
	}
	if got := order(ProductChange, true, nil); got != "DABC" {
		t.Errorf("change without values: %s, want the tie-break order DABC", got)
	}
}

func TestProductViewFilterSortAndKey(t *testing.T) {
	start := stDate(t, "2026-03-01")
	recs := []api.Record{
		stRec(t, "2026-03-01", "US Outbound SMS", "sms", "1", "segments", "3", "USD"),
		stRec(t, "2026-03-01", "Voice Inbound", "voice", "1", "minutes", "2", "USD"),
		stRec(t, "2026-03-01", "Verify SMS", "verify", "1", "requests", "5", "USD"),
		stRec(t, "2026-03-01", "Lookup", "lookup", "1", "requests", "1", "USD"),
	}
	s := stLoad(t, Query{}, start, start, recs, 10)
	v := NewProductView(ProductCost, true)
	v.Sync(s)
	names := func() string {
		var out []string
		for _, i := range v.Rows() {
			out = append(out, s.Products()[i].Name)
		}
		return strings.Join(out, ",")
	}
	steps := []struct {
		filter string
		want   string
	}{
		{"", "Verify SMS,US Outbound SMS,Voice Inbound,Lookup"},
		{"sms", "Verify SMS,US Outbound SMS"},
		{"SMS", "Verify SMS,US Outbound SMS"},
		{"v", "Verify SMS,Voice Inbound"}, // "verify" and "voice" categories too
		{"look", "Lookup"},
		{"sms\x00", ""},
		{"nothing", ""},
	}
	for _, st := range steps {
		v.SetFilter(st.filter)
		if got := names(); got != st.want {
			t.Errorf("filter %q: %s, want %s", st.filter, got, st.want)
		}
	}
	v.SetFilter("")
	v.SetSort(ProductName, false)
	if got, want := names(), "Lookup,US Outbound SMS,Verify SMS,Voice Inbound"; got != want {
		t.Errorf("by name: %s, want %s", got, want)
	}
	if col, desc := v.Sort(); col != ProductName || desc {
		t.Errorf("Sort() = %v %v", col, desc)
	}
	if got := v.Index(ProductKey{"Verify SMS", "verify", "USD"}); got != 2 {
		t.Errorf("Index of Verify SMS = %d, want 2", got)
	}
	if got := v.Index(ProductKey{"Verify SMS", "verify", "GBP"}); got != -1 {
		t.Errorf("Index of a missing key = %d", got)
	}
}

// stRefRecordOrder sorts record indices the slow, obvious way: the spec.
func stRefRecordOrder(s *Store, col RecordColumn, desc bool, filter string) []int32 {
	var idx []int32
	f := strings.ToLower(filter)
	for i := 0; i < s.Len(); i++ {
		r := s.Row(i)
		if strings.Contains(strings.ToLower(r.ProductName), f) || strings.Contains(strings.ToLower(r.ProductCategory), f) {
			idx = append(idx, int32(i))
		}
	}
	slices.SortFunc(idx, func(i, j int32) int {
		a, b := s.Row(int(i)), s.Row(int(j))
		var c int
		switch col {
		case RecordDate:
			c = cmp.Compare(a.StartDate, b.StartDate)
		case RecordProduct:
			c = compareText(a.ProductName, b.ProductName)
		case RecordCategory:
			c = compareText(a.ProductCategory, b.ProductCategory)
		case RecordUsage:
			c = a.Usage.Decimal().Cmp(b.Usage.Decimal())
		case RecordUnit:
			c = compareText(a.Unit, b.Unit)
		case RecordCost:
			c = a.Price.Decimal().Cmp(b.Price.Decimal())
		case RecordCurrency:
			c = compareText(a.Currency, b.Currency)
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c := compareText(a.ProductName, b.ProductName); c != 0 {
			return c
		}
		if c := compareText(a.ProductCategory, b.ProductCategory); c != 0 {
			return c
		}
		if c := cmp.Compare(a.StartDate, b.StartDate); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	return idx
}

func stRecordsForSort(t *testing.T, extreme bool) ([]api.Record, api.Date, api.Date) {
	start := stDate(t, "2026-01-01")
	recs := stGen(stGenOpts{products: 25, days: 20, start: start, seed: 21, currencies: []string{"USD", "GBP", "EUR"}, skipRate: 0.2})
	// Ties on purpose: equal prices written at different scales, a repeated
	// day of one product, names differing only in case.
	recs = append(recs,
		stRec(t, "2026-01-20", "product 000 S-sms", "SMS", "5", "segments", "0.5000", "USD"),
		stRec(t, "2026-01-20", "Product 000 S-sms", "sms", "5.0", "segments", "0.5", "USD"),
		stRec(t, "2026-01-20", "Product 000 S-sms", "sms", "5.0", "segments", "0.5", "USD"),
	)
	if extreme {
		recs = append(recs,
			stRec(t, "2026-01-20", "Huge", "x", "123456789012345678901234567890", "bytes", "98765432109876543210.5", "USD"),
			stRec(t, "2026-01-20", "Fine", "x", "0.000000000000000000001", "bytes", "0.0000000000000000000001", "USD"),
		)
	}
	return recs, start, start.AddDays(19)
}

func TestRecordViewMatchesTheSpecEveryColumnBothWays(t *testing.T) {
	for _, extreme := range []bool{false, true} {
		recs, start, end := stRecordsForSort(t, extreme)
		s := stLoad(t, Query{}, start, end, recs, 50)
		for _, col := range RecordColumns {
			for _, desc := range []bool{false, true} {
				for _, filter := range []string{"", "SMS", "voice", "0", "zzz"} {
					v := NewRecordView(RecordDate, false)
					v.Sync(s)
					v.SetSort(col, desc)
					v.SetFilter(filter)
					want := stRefRecordOrder(s, col, desc, filter)
					if !slices.Equal(v.Rows(), want) {
						t.Fatalf("extreme %v, %s desc %v filter %q:\n got %v\nwant %v", extreme, col, desc, filter, head(v.Rows()), head(want))
					}
				}
			}
		}
	}
}

func head(x []int32) string {
	if len(x) > 12 {
		return fmt.Sprint(x[:12], "... (", len(x), ")")
	}
	return fmt.Sprint(x)
}

func TestRecordViewStaysRightAsPagesArrive(t *testing.T) {
	for _, extreme := range []bool{false, true} {
		recs, start, end := stRecordsForSort(t, extreme)
		// Put the extreme records early so later pages must merge around them.
		if extreme {
			n := len(recs)
			recs = append(recs[n-2:], recs[:n-2]...)
			slices.SortStableFunc(recs, func(a, b api.Record) int { return cmp.Compare(a.StartDate, b.StartDate) })
		}
		for _, col := range RecordColumns {
			for _, desc := range []bool{false, true} {
				s := NewStore(Query{}, 1, start, end)
				v := NewRecordView(col, desc)
				v.SetFilter("s")
				for _, p := range stPaginate(recs, stEvery(len(recs), 37), end) {
					s.Append(p.token, p.page)
					v.Sync(s)
					if want := stRefRecordOrder(s, col, desc, "s"); !slices.Equal(v.Rows(), want) {
						t.Fatalf("extreme %v, %s desc %v after %d records:\n got %v\nwant %v", extreme, col, desc, s.Len(), head(v.Rows()), head(want))
					}
				}
			}
		}
	}
}

func TestRecordViewFilterKeystrokes(t *testing.T) {
	recs, start, end := stRecordsForSort(t, false)
	s := stLoad(t, Query{}, start, end, recs, 100)
	v := NewRecordView(RecordCost, true)
	v.Sync(s)
	// Typing, deleting and retyping must always equal filtering afresh.
	for _, f := range []string{"", "p", "pr", "pro", "prod", "produ", "product 01", "product 0", "S", "sm", "sms", "m", "", "VOICE"} {
		v.SetFilter(f)
		if want := stRefRecordOrder(s, RecordCost, true, f); !slices.Equal(v.Rows(), want) {
			t.Fatalf("filter %q: got %v, want %v", f, head(v.Rows()), head(want))
		}
		if v.Filter() != strings.ToLower(f) {
			t.Errorf("Filter() = %q", v.Filter())
		}
	}
}

func TestRecordViewFollowsANewStore(t *testing.T) {
	recs, start, end := stRecordsForSort(t, false)
	a := stLoad(t, Query{}, start, end, recs, 100)
	b := stLoad(t, Query{}, start, end, recs[:10], 100)
	v := NewRecordView(RecordProduct, false)
	v.Sync(a)
	v.Sync(b)
	if want := stRefRecordOrder(b, RecordProduct, false, ""); !slices.Equal(v.Rows(), want) {
		t.Fatalf("after switching stores: %v, want %v", head(v.Rows()), head(want))
	}
	if got := v.Index(want0(b)); got != 0 {
		t.Errorf("Index of the first row = %d", got)
	}
}

func want0(s *Store) int32 { return stRefRecordOrder(s, RecordProduct, false, "")[0] }

// Stores with more distinct strings than tie keys can rank fall back to a
// comparison sort; it must give the same order as the radix path.
func TestRecordViewComparisonFallbackAgrees(t *testing.T) {
	recs, start, end := stRecordsForSort(t, false)
	s := stLoad(t, Query{}, start, end, recs, 64)
	for _, col := range RecordColumns {
		for _, desc := range []bool{false, true} {
			v := NewRecordView(col, desc)
			v.Sync(s)
			radix := v.Rows()
			v.tieOK = false
			v.sortAll()
			if !slices.Equal(v.Rows(), radix) {
				t.Fatalf("%s desc %v: comparison sort %v, radix %v", col, desc, head(v.Rows()), head(radix))
			}
		}
	}
}

func TestViewsNeverRewriteRowsTheUIHolds(t *testing.T) {
	recs, start, end := stRecordsForSort(t, false)
	s := NewStore(Query{}, 1, start, end)
	pages := stPaginate(recs, []int{100}, end)
	s.Append(pages[0].token, pages[0].page)
	rv := NewRecordView(RecordCost, true)
	rv.Sync(s)
	pv := NewProductView(ProductCost, true)
	pv.Sync(s)
	heldR, heldP := slices.Clone(rv.Rows()), slices.Clone(pv.Rows())
	r, p := rv.Rows(), pv.Rows()
	rv.SetFilter("s")
	rv.SetFilter("sm")
	rv.SetSort(RecordDate, false)
	pv.SetFilter("s")
	s.Append(pages[1].token, pages[1].page)
	rv.Sync(s)
	pv.Sync(s)
	if !slices.Equal(r, heldR) || !slices.Equal(p, heldP) {
		t.Error("a view changed a Rows slice it had already handed out")
	}
}
