package state

import (
	"testing"
)

// BenchmarkComputeFigures: the figures of 100,000 records (300 products x
// 365 days) against a previous year, recomputed once per applied page.
func BenchmarkComputeFigures(b *testing.B) {
	cur := stBenchStore(stBenchPages(stBenchRecords(100_000)))
	prev := stBenchStore(stBenchPages(stBenchRecords(100_000)))
	start, end := cur.Bounds()
	cover := CoverageOf(Query{From: start, To: end}, start, end, end+10, end, end)
	cover.PrevFrom, cover.PrevTo = start, end // the same shape of data as a previous year
	b.ReportAllocs()
	for b.Loop() {
		if f := ComputeFigures(cover, cur, prev); len(f.Rows()) == 0 || !f.Compared {
			b.Fatal("no figures")
		}
	}
}
