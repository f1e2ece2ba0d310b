package ui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestRenderSparkline(t *testing.T) {
	tests := []struct {
		name   string
		series []float64
		width  int
		ascii  bool
		want   string
	}{
		{"scaled to own range", []float64{100, 101, 102, 103}, 4, false, "▁▃▆█"},
		{"high floor still varies", []float64{1000, 1000.5, 1001}, 3, false, "▁▅█"},
		{"zero days blank", []float64{0, 5, 0, 10}, 4, false, " ▁ █"},
		{"steady is level", []float64{7, 7, 7}, 3, false, "▄▄▄"},
		{"short series stretched to fill", []float64{1, 2}, 5, false, "▁▁▁██"},
		{"stretch is bounded, left aligned", []float64{1, 2}, 9, false, "▁▁▁███   "},
		{"empty", nil, 3, false, "   "},
		{"ascii", []float64{100, 101, 102, 103}, 4, true, "_:+#"},
		{"averaged into width", []float64{1, 1, 2, 2, 3, 3, 4, 4}, 4, false, "▁▃▆█"},
		{"zero width", []float64{1}, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderSparkline(tt.series, tt.width, tt.ascii)
			if got != tt.want {
				t.Errorf("renderSparkline(%v, %d) = %q, want %q", tt.series, tt.width, got, tt.want)
			}
			if w := ansi.StringWidth(got); w != tt.width {
				t.Errorf("width %d, want %d", w, tt.width)
			}
		})
	}
}

func TestSparklineShowsEveryProductsTrend(t *testing.T) {
	// A large and a small product: each uses its whole height.
	big := renderSparkline([]float64{5000, 9000}, 2, false)
	small := renderSparkline([]float64{0.5, 0.9}, 2, false)
	if big != small {
		t.Errorf("same shape at different scales drew %q and %q", big, small)
	}
}
