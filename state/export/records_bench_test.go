package export

import (
	"io"
	"testing"

	"github.com/usagetop/usagetop/api"
)

// BenchmarkWriteRecords100k writes 100,000 records in each format; the
// table formats stream row by row, so bytes allocated per record stay a
// few strings' worth, however many records.
func BenchmarkWriteRecords100k(b *testing.B) {
	recs := make(RecordSlice, 100_000)
	day := api.NewDate(2026, 1, 1)
	for i := range recs {
		recs[i] = api.Record{StartDate: day + api.Date(i%365), EndDate: day + api.Date(i%365), ProductName: "United States-Outbound-SMS",
			ProductCategory: "sms-outbound", Usage: api.Usage{Amount: api.NewDecimal(int64(i), 0), Unit: "segments"},
			Price: api.Price{Amount: api.NewDecimal(int64(i)*79, -4), Currency: "USD"}}
	}
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteRecords(io.Discard, f, recs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs)), "ns/record")
		})
	}
}
