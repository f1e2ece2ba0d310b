package export

import (
	"io"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// BenchmarkExport1M writes a million stored records in each format and
// reports the peak heap while loading and writing them ("peak-MiB"): the
// budget is 150 MiB, the store included. Records arrive a page at a time,
// as from the API, so only the store holds them all.
func BenchmarkExport1M(b *testing.B) {
	if testing.Short() {
		b.Skip("a million records")
	}
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start, end := api.NewDate(2025, 1, 1), api.NewDate(2025, 12, 31)
	s := state.NewStore(state.Query{From: start, To: end}, 1, start, end)
	const products, pageSize = 2740, 1000 // 2,740 products x 365 days: 1,000,100 records
	names := make([]string, products)
	for i := range names {
		names[i] = "Product " + string(rune('A'+i%26)) + "-" + strconv.Itoa(i)
	}
	page := make([]api.Record, 0, pageSize)
	token := ""
	n := 0
	flush := func(last bool) {
		next := ""
		if !last {
			next = "t" + strconv.Itoa(n)
		}
		s.Append(token, &api.Page{AsOf: end, Records: page, NextToken: next})
		token = next
		page = page[:0]
	}
	for d := start; d <= end; d++ {
		for p := range products {
			page = append(page, api.Record{StartDate: d, EndDate: d, ProductName: names[p], ProductCategory: "sms",
				Usage: api.Usage{Amount: api.NewDecimal(int64(p+1), 0), Unit: "segments"},
				Price: api.Price{Amount: api.NewDecimal(int64(p+1)*79, -4), Currency: "USD"}})
			n++
			if len(page) == pageSize {
				flush(false)
			}
		}
	}
	flush(true)
	if s.Len() != n || !s.Done() {
		b.Fatalf("stored %d of %d records (done %v)", s.Len(), n, s.Done())
	}
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := WriteRecords(io.Discard, f, s); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MiB")
		})
	}
	close(stop)
	<-sampled
}
