package serve

import (
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// BenchmarkFiftySessionsOnOneQuery opens 50 sessions at once on one
// query, as 50 simulated clients over loopback SSH, waits until every
// dashboard has loaded and stopped drawing, then has each move its cursor
// ten times a second for three seconds. It reports the heap each open
// session holds, the CPU the whole process (server, clients, simulated
// API) spent per session to load and per keystroke, the bytes each
// keystroke's repaint sent to its terminal, and the records
// requests the simulated API served for all 50 (one session's worth).
//
//	go test ./ui/serve -run '^$' -bench FiftySessions -benchtime 1x
func BenchmarkFiftySessionsOnOneQuery(b *testing.B) {
	const sessions = 50
	const typing = 3 * time.Second
	const keysPerSecond = 10
	for range b.N {
		f := newFixture(b, func(o *Options) { o.MaxSessions = sessions })
		f.outKeep = 16 << 10
		heap0, cpu0 := heapInUse(), cpuTime(b)
		cs := make([]*client, sessions)
		var wg sync.WaitGroup
		for i := range cs {
			wg.Go(func() { cs[i] = f.open(b, "alice", "xterm-256color", 120, 40, nil, "") })
		}
		wg.Wait()
		for _, c := range cs {
			c.waitFor("all ", " records", "2 anomalies")
		}
		for _, c := range cs {
			c.settle(400 * time.Millisecond)
		}
		cpuLoad := cpuTime(b) - cpu0
		heap := heapInUse() - heap0

		cpu1, sent := cpuTime(b), 0
		for _, c := range cs {
			sent -= c.out.Len()
		}
		keys := 0
		for start := time.Now(); time.Since(start) < typing; {
			for i, c := range cs {
				c.typeKeys([]string{"j", "k"}[i%2])
				keys++
			}
			time.Sleep(time.Second / keysPerSecond)
		}
		for _, c := range cs {
			c.settle(400 * time.Millisecond)
		}
		cpuKeys := cpuTime(b) - cpu1
		for _, c := range cs {
			sent += c.out.Len()
		}

		b.ReportMetric(float64(heap)/sessions/1024, "KiB-heap/session")
		b.ReportMetric(float64(cpuLoad.Milliseconds())/sessions, "cpu-ms-load/session")
		b.ReportMetric(float64(cpuKeys.Microseconds())/float64(keys), "cpu-µs/keystroke")
		b.ReportMetric(float64(sent)/float64(keys), "B-sent/keystroke")
		b.ReportMetric(float64(f.api.Server.Stats().RecordsRequests), "api-requests")
		for _, c := range cs {
			c.typeKeys("q")
			c.wait()
		}
	}
}
