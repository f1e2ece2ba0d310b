package state

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// stBenchSizes are the record counts the benchmarks run at.
var stBenchSizes = []int{1_000, 100_000, 1_000_000}

const stBenchPageSize = 1000

var (
	stBenchMu    sync.Mutex
	stBenchCache = map[int][]api.Record{}
)

// stBenchRecords returns n synthetic DAILY records over one year, ordered
// by date then product: about n/365 products (300 at 100,000), a mix of
// units, categories and price scales. Decimal values are drawn from a
// small per-product palette and shared, so a million records fit in
// memory next to the store under test. Results are cached per n.
func stBenchRecords(n int) []api.Record {
	stBenchMu.Lock()
	defer stBenchMu.Unlock()
	if recs, ok := stBenchCache[n]; ok {
		return recs
	}
	const days = 365
	products := max(1, (n+days-1)/days)
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	type prod struct {
		name, cat, unit string
		usage, price    [8]decimal.Decimal
	}
	prods := make([]prod, products)
	for i := range prods {
		p := &prods[i]
		p.cat = stCategories[i%len(stCategories)]
		p.name = fmt.Sprintf("Product %04d %s", i, p.cat)
		p.unit = stUnits[i%len(stUnits)]
		rate := decimal.New(int64(10+rng.IntN(9990)), -5)
		for k := range p.usage {
			u := decimal.New(int64(1+rng.IntN(100000)), -int32(i%3))
			p.usage[k] = u
			p.price[k] = u.Mul(rate).Round(int32(2 + i%4))
		}
	}
	start := api.NewDate(2025, 1, 1)
	recs := make([]api.Record, 0, n)
	for d := 0; len(recs) < n; d++ {
		date := start.AddDays(d % days)
		for i := range prods {
			if len(recs) == n {
				break
			}
			p := &prods[i]
			k := rng.IntN(len(p.usage))
			recs = append(recs, api.Record{
				StartDate: date, EndDate: date, ProductName: p.name, ProductCategory: p.cat,
				Usage: api.Usage{Amount: api.DecimalOf(p.usage[k]), Unit: p.unit},
				Price: api.Price{Amount: api.DecimalOf(p.price[k]), Currency: "USD"},
			})
		}
	}
	stBenchCache[n] = recs
	return recs
}

// stBenchPages splits recs into API-sized pages.
func stBenchPages(recs []api.Record) []stPage {
	return stPaginate(recs, stEvery(len(recs), stBenchPageSize), api.NewDate(2025, 12, 31))
}

// stBenchStore loads recs into a fresh store.
func stBenchStore(pages []stPage) *Store {
	s := NewStore(Query{GroupID: stGroup, From: api.NewDate(2025, 1, 1), To: api.NewDate(2025, 12, 31)}, 1,
		api.NewDate(2025, 1, 1), api.NewDate(2025, 12, 31))
	for _, p := range pages {
		s.Append(p.token, p.page)
	}
	return s
}

func stSizeName(n int) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1_000:
		return fmt.Sprintf("%dk", n/1_000)
	}
	return fmt.Sprint(n)
}

// stBenchSkip skips the million-record runs under -short.
func stBenchSkip(b *testing.B, n int) {
	if n >= 1_000_000 && testing.Short() {
		b.Skip("a million records is skipped under -short")
	}
}

// BenchmarkStoreAppend appends every page of a query, rollups included.
func BenchmarkStoreAppend(b *testing.B) {
	for _, n := range stBenchSizes {
		b.Run(stSizeName(n), func(b *testing.B) {
			stBenchSkip(b, n)
			pages := stBenchPages(stBenchRecords(n))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				stBenchStore(pages)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkStoreMemory measures the heap a loaded store holds per record,
// alone and with a synced Records view and Products view (what the
// dashboard keeps).
func BenchmarkStoreMemory(b *testing.B) {
	for _, n := range stBenchSizes {
		b.Run(stSizeName(n), func(b *testing.B) {
			stBenchSkip(b, n)
			pages := stBenchPages(stBenchRecords(n))
			var store, views float64
			for b.Loop() {
				before := stHeap()
				s := stBenchStore(pages)
				mid := stHeap()
				rv := NewRecordView(RecordCost, true)
				rv.Sync(s)
				pv := NewProductView(ProductCost, true)
				pv.Sync(s)
				after := stHeap()
				store = float64(mid-before) / float64(n)
				views = float64(after-before) / float64(n)
				runtime.KeepAlive(s)
				runtime.KeepAlive(rv)
				runtime.KeepAlive(pv)
			}
			b.ReportMetric(store, "B/record")
			b.ReportMetric(views, "B/record+views")
		})
	}
}

// stHeap returns live heap bytes after a full collection.
func stHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
