package state

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/usagetop/usagetop/api"
)

// BenchmarkDecodeIntoStore measures the client-side cost of a load from
// the wire to the store: decoding 1000-record pages and appending them,
// 100,000 records a run. B/record is what a long export allocates per
// record on the way in.
func BenchmarkDecodeIntoStore(b *testing.B) {
	recs := stBenchRecords(100_000)
	var pages [][]byte
	for lo := 0; lo < len(recs); lo += stBenchPageSize {
		hi := min(lo+stBenchPageSize, len(recs))
		var buf bytes.Buffer
		buf.WriteString(`{"asOf":"2025-12-31","records":[`)
		for i, r := range recs[lo:hi] {
			if i > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `{"productName":%q,"productCategory":%q,"startDate":"%s","endDate":"%s","usage":{"amount":"%s","unit":%q},"price":{"amount":%s,"currency":%q}}`,
				r.ProductName, r.ProductCategory, r.StartDate, r.EndDate, r.Usage.Amount.String(), r.Usage.Unit, r.Price.Amount.String(), r.Price.Currency)
		}
		next := "null"
		if hi < len(recs) {
			next = fmt.Sprintf(`"p%d"`, hi)
		}
		fmt.Fprintf(&buf, `],"meta":{"nextToken":%s}}`, next)
		pages = append(pages, buf.Bytes())
	}
	start, end := recs[0].StartDate, recs[len(recs)-1].EndDate
	b.ReportAllocs()
	for b.Loop() {
		s := NewStore(Query{From: start, To: end}, 1, start, end)
		token := ""
		for _, data := range pages {
			p, err := api.DecodePage(data)
			if err != nil || !s.Append(token, p) {
				b.Fatalf("page %q: %v, %v", token, err, s.Err())
			}
			token = p.NextToken
		}
		if s.Len() != len(recs) {
			b.Fatalf("%d records", s.Len())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}
