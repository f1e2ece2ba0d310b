package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func TestRenderSparkline(t *testing.T) {
	tests := []struct {
		name   string
		series []float64
		known  int
		width  int
		ascii  bool
		want   string
	}{
		{"from zero, not from the row's low", []float64{100, 101, 102, 103}, 4, 4, false, "████"},
		{"a steady charge reads level", []float64{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, 11, 11, false, "███████████"},
		{"a real fall is a fall", []float64{10, 10, 5, 0}, 4, 4, false, "██▄ "},
		{"zero days blank", []float64{0, 5, 0, 10}, 4, 4, false, " ▄ █"},
		{"days not loaded are dots, not a fall", []float64{10, 10, 10, 0, 0}, 3, 5, false, "███··"},
		{"short series stretched to fill", []float64{1, 2}, 2, 5, false, "▄▄▄██"},
		{"stretch is bounded, left aligned", []float64{1, 2}, 2, 9, false, "▄▄▄███   "},
		{"empty", nil, 0, 3, false, "   "},
		{"ascii", []float64{2, 4, 6, 8}, 4, 4, true, ",-+#"},
		{"ascii no data", []float64{8, 8, 8}, 2, 3, true, "##."},
		{"a one-day spike keeps its height", []float64{1, 1, 1, 8, 1, 1, 1, 1}, 8, 4, false, "▁█▁▁"},
		{"tiny cost still shows", []float64{0.01, 100}, 2, 2, false, "▁█"},
		{"zero width", []float64{1}, 1, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderSparkline(tt.series, tt.known, tt.width, tt.ascii, map[bool]string{false: "·", true: "."}[tt.ascii])
			if got != tt.want {
				t.Errorf("renderSparkline(%v, known %d, %d) = %q, want %q", tt.series, tt.known, tt.width, got, tt.want)
			}
			if w := ansi.StringWidth(got); w != tt.width {
				t.Errorf("width %d, want %d", w, tt.width)
			}
		})
	}
}

func TestSparklineShowsEveryProductsTrend(t *testing.T) {
	// A large and a small product: each is drawn against its own highest
	// day, so both use the whole height.
	big := renderSparkline([]float64{4500, 9000}, 2, 2, false, "·")
	small := renderSparkline([]float64{0.45, 0.9}, 2, 2, false, "·")
	if big != small {
		t.Errorf("same shape at different scales drew %q and %q", big, small)
	}
}

func TestSparklineIsPlainTextInColour(t *testing.T) {
	// The table styles the cell; ntcharts must not add its own escapes,
	// or the cell's width and colour would be wrong.
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	if got := renderSparkline([]float64{1, 0, 4, 2}, 4, 4, false, "·"); got != "▂ █▄" {
		t.Errorf("got %q, want %q", got, "▂ █▄")
	}
}

func TestSparkCacheRedrawsOnlyWhatChanged(t *testing.T) {
	c := newSparkCache(false, "·")
	a := &state.ProductRollup{Name: "A", Records: 2, Series: []float64{1, 2}}
	b := &state.ProductRollup{Name: "B", Records: 2, Series: []float64{2, 1}}
	if got := c.line(a, 2, 99); got != "▄█" {
		t.Fatalf("a = %q", got)
	}
	if got := c.line(b, 2, 99); got != "█▄" {
		t.Fatalf("b drawn after a = %q: rows share a chart", got)
	}

	// Same record count: the cached line stands even if the slice moved.
	a.Series = []float64{1, 2}
	if got := c.line(a, 2, 99); got != "▄█" {
		t.Errorf("a again = %q", got)
	}
	// A record added: redrawn.
	a.Series, a.Records = []float64{4, 2}, 3
	if got := c.line(a, 2, 99); got != "█▄" {
		t.Errorf("a after a record = %q, want redrawn", got)
	}
	// The column widened: redrawn at the new width.
	if got := c.line(a, 4, 99); got != "██▄▄" {
		t.Errorf("a at width 4 = %q", got)
	}
	// Fewer days known: the rest are dots.
	if got := c.line(a, 4, 1); got != "██··" {
		t.Errorf("a with one day known = %q", got)
	}
	// A new store may reuse the count with other data: reset forgets.
	c.reset()
	a.Series = []float64{1, 0}
	if got := c.line(a, 4, 99); got != "██  " {
		t.Errorf("a after reset = %q", got)
	}
}

func TestSparkCacheASCII(t *testing.T) {
	p := &state.ProductRollup{Name: "A", Records: 1, Series: []float64{0, 1, 2, 3, 4, 5, 6, 7, 8}}
	got := newSparkCache(true, ".").line(p, 9, 99)
	if got != " _,:-=+*#" {
		t.Errorf("got %q", got)
	}
	for _, r := range got {
		if r > 127 {
			t.Errorf("non-ASCII %q in %q", r, got)
		}
	}
}

// BenchmarkSparklineRow times drawing one row's trend: a month of days in a
// 30-cell column, and a year of days averaged into 60 cells.
func BenchmarkSparklineRow(b *testing.B) {
	for _, tc := range []struct {
		name          string
		points, width int
	}{{"days=31/width=30", 31, 30}, {"days=365/width=60", 365, 60}} {
		series := make([]float64, tc.points)
		for i := range series {
			series[i] = float64(100 + (i*37)%90)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				renderSparkline(series, len(series), tc.width, false, "·")
			}
		})
	}
}

// TestTrendLeavesOutTodaysPartDay: today's costs are still coming in, so
// a steady product's trend must not end in a fall (the detail chart stops
// at yesterday for the same reason).
func TestTrendLeavesOutTodaysPartDay(t *testing.T) {
	mar1 := api.NewDate(2025, 3, 1)
	costs := append(repeat("10.00", 19), "1.00") // the 20th is today
	opts := testOptions(newPagedFetcher(dayRecords("Steady-SMS", mar1, costs), 100))
	opts.Query.Period = api.ThisMonth
	m := loaded(t, opts, 120, 20)
	var row string
	for _, l := range strings.Split(screen(m), "\n") {
		if strings.Contains(l, "Steady-SMS") {
			row = l
		}
	}
	trend := strings.TrimSpace(row[strings.LastIndex(row, "%")+1:])
	if trend == "" || strings.ContainsAny(trend, "▁▂▃") {
		t.Errorf("a steady product's trend %q ends in a fall:\n%s", trend, screen(m))
	}
}
