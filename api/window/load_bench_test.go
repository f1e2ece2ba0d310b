package window

import (
	"testing"
	"time"

	"github.com/usagetop/usagetop/api/fakeapi"
)

// BenchmarkYearAt200ms loads a 365-day DAILY query of the largest demo
// group from the simulated API with 200 ms per request, once by sequential
// paging and once in windows, both at the largest page, and reports both
// times and the speed-up (the budget is at least 5x). Each run takes
// seconds: use -benchtime=1x.
func BenchmarkYearAt200ms(b *testing.B) {
	q := Query{GroupID: fakeapi.DemoGroupGlobex, Ranges: []Range{yearRange}}
	var seq, win time.Duration
	var records int
	for b.Loop() {
		// A fresh server and client each time, so neither side starts with
		// a token or the other's cached results.
		c, _ := demoAPI(b, fakeapi.Faults{Latency: 200 * time.Millisecond}, nil)
		start := time.Now()
		want := sequential(b, c, q)
		seq += time.Since(start)

		c, _ = demoAPI(b, fakeapi.Faults{Latency: 200 * time.Millisecond}, nil)
		start = time.Now()
		got, err := load(b, c, q, Options{}, 0)
		win += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		sameRecords(b, got.recs, want)
		records = len(want)
	}
	n := float64(b.N)
	b.ReportMetric(seq.Seconds()/n, "sequential-s")
	b.ReportMetric(win.Seconds()/n, "windows-s")
	b.ReportMetric(seq.Seconds()/win.Seconds(), "speedup-x")
	b.ReportMetric(float64(records), "records")
}
