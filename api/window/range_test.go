package window

import (
	"fmt"
	"testing"

	"github.com/usagetop/usagetop/api"
)

func rangesString(rs []Range) string { return fmt.Sprint(rs) }

func TestInitialChunksAreWholeMonthsCoveringTheQuery(t *testing.T) {
	tests := []struct {
		name   string
		ranges []Range
		n      int
		want   string
	}{
		{"a calendar year in quarters", []Range{{day("2026-01-01"), day("2026-12-31")}}, 4,
			"[2026-01-01..2026-03-31 2026-04-01..2026-06-30 2026-07-01..2026-09-30 2026-10-01..2026-12-31]"},
		{"365 days from mid-month: clipped ends stay with their neighbours", []Range{{day("2025-12-03"), day("2026-12-02")}}, 4,
			"[2025-12-03..2026-02-28 2026-03-01..2026-05-31 2026-06-01..2026-08-31 2026-09-01..2026-12-02]"},
		{"a week within a month is one chunk", []Range{{day("2026-11-20"), day("2026-11-26")}}, 4,
			"[2026-11-20..2026-11-26]"},
		{"chunks are whole months, so a week across a month end is two", []Range{{day("2026-11-26"), day("2026-12-02")}}, 4,
			"[2026-11-26..2026-11-30 2026-12-01..2026-12-02]"},
		{"chunks never bridge a hole", []Range{{day("2026-01-01"), day("2026-01-31")}, {day("2026-03-01"), day("2026-03-31")}}, 1,
			"[2026-01-01..2026-01-31 2026-03-01..2026-03-31]"},
		{"two months, four wanted: one each", []Range{{day("2026-01-10"), day("2026-02-20")}}, 4,
			"[2026-01-10..2026-01-31 2026-02-01..2026-02-20]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rangesString(initialChunks(tt.ranges, tt.n)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSplitSizesWindowsToAPage(t *testing.T) {
	tests := []struct {
		name   string
		r      Range
		agg    api.Aggregation
		perDay float64
		target int
		want   string
	}{
		{"dense DAILY: ten days a window, remainder spread", Range{day("2026-03-01"), day("2026-03-31")}, api.Daily, 80, 850,
			"[2026-03-01..2026-03-11 2026-03-12..2026-03-21 2026-03-22..2026-03-31]"},
		{"sparse DAILY: one window however long", Range{day("2026-03-01"), day("2026-08-31")}, api.Daily, 2, 850,
			"[2026-03-01..2026-08-31]"},
		{"denser than a page a day: one day each", Range{day("2026-03-01"), day("2026-03-03")}, api.Daily, 5000, 850,
			"[2026-03-01..2026-03-01 2026-03-02..2026-03-02 2026-03-03..2026-03-03]"},
		{"unknown density: as it is", Range{day("2026-03-01"), day("2026-05-31")}, api.Daily, 0, 850,
			"[2026-03-01..2026-05-31]"},
		{"MONTHLY merges whole months up to a page", Range{day("2026-01-15"), day("2026-06-30")}, api.Monthly, 100.0 / 30, 250,
			"[2026-01-15..2026-02-28 2026-03-01..2026-04-30 2026-05-01..2026-06-30]"},
		{"MONTHLY never cuts inside a month", Range{day("2026-01-01"), day("2026-02-28")}, api.Monthly, 1000, 850,
			"[2026-01-01..2026-01-31 2026-02-01..2026-02-28]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := split(tt.r, tt.agg, tt.perDay, tt.target)
			if s := rangesString(got); s != tt.want {
				t.Errorf("got  %s\nwant %s", s, tt.want)
			}
			checkPartition(t, got, []Range{tt.r})
		})
	}
}
