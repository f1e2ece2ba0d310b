package snapshot

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
)

// largeGroup is a year of a large group: products x 365 daily records
// with realistic amounts, saved as the calendar-month windows a load
// makes.
func largeGroup(b *testing.B, s *Store, products int) (window.Range, int) {
	b.Helper()
	year := rng("2025-12-03", "2026-12-02")
	r := rand.New(rand.NewPCG(1, 2))
	names := make([]string, products)
	unit := make([]int64, products)
	for i := range names {
		names[i] = fmt.Sprintf("Region %03d-Outbound-SMS", i)
		unit[i] = 50 + r.Int64N(2000) // price per unit in 0.00001
	}
	n := 0
	for from := year.From; from <= year.To; {
		w := window.Range{From: from, To: min(from.MonthEnd(), year.To)}
		var recs []api.Record
		for d := w.From; d <= w.To; d++ {
			for i := range names {
				usage := 25 + r.Int64N(200000)
				recs = append(recs, api.Record{StartDate: d, EndDate: d, ProductName: names[i], ProductCategory: "sms-outbound",
					Usage: api.Usage{Amount: api.NewDecimal(usage, 0), Unit: "segments"},
					Price: api.Price{Amount: api.NewDecimal(usage*unit[i]/10, -4), Currency: "USD"}})
			}
		}
		if err := s.SaveWindow(dailyKey, w, monday, today, recs); err != nil {
			b.Fatal(err)
		}
		n += len(recs)
		from = w.To + 1
	}
	return year, n
}

// BenchmarkReopen100k loads a year of 274 products (100,010 records) back
// from the store, as a reopened dashboard does before its first screen
// (budget: under 300 ms), and reports the bytes each record takes.
func BenchmarkReopen100k(b *testing.B) {
	s := openTemp(b)
	year, n := largeGroup(b, s, 274)
	size, err := s.Size()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		snap, err := s.Load(dailyKey, year)
		if err != nil || len(snap.Records) != n {
			b.Fatalf("%d records, %v", len(snap.Records), err)
		}
	}
	b.ReportMetric(float64(size)/float64(n), "bytes/record")
	b.ReportMetric(float64(n), "records")
}

// BenchmarkDemoYearBytes reports the bytes per record of a year of the
// largest demo group, saved as month windows, and again after a refresh
// of its last week keeps the previous snapshot of those days.
func BenchmarkDemoYearBytes(b *testing.B) {
	for b.Loop() {
		s := openTemp(b)
		year := rng("2025-12-03", "2026-12-02")
		var months []window.Range
		for from := year.From; from <= year.To; from = min(from.MonthEnd(), year.To) + 1 {
			months = append(months, window.Range{From: from, To: min(from.MonthEnd(), year.To)})
		}
		save(b, s, dailyKey, monday, months...)
		n := len(demoRecords(dailyKey, year))
		size, _ := s.Size()
		save(b, s, dailyKey, monday.Add(24*time.Hour), rng("2026-11-26", "2026-12-02"))
		after, _ := s.Size()
		b.ReportMetric(float64(size)/float64(n), "bytes/record")
		b.ReportMetric(float64(after)/float64(n), "bytes/record-after-refresh")
		b.ReportMetric(float64(n), "records")
	}
}

// BenchmarkSaveMonth saves one month of 274 products (8,500 records) as a
// window, replacing the one before: the cost of each completed window.
func BenchmarkSaveMonth(b *testing.B) {
	s := openTemp(b)
	largeGroup(b, s, 274)
	snap, err := s.Load(dailyKey, rng("2026-11-01", "2026-11-30"))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := s.SaveWindow(dailyKey, rng("2026-11-01", "2026-11-30"), monday.Add(time.Duration(i)*time.Minute), today, snap.Records); err != nil {
			b.Fatal(err)
		}
	}
}
