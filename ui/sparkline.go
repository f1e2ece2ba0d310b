package ui

import (
	"math"
	"strings"
)

// sparkStretch is the most cells one point may take when a series is
// shorter than its column: twelve months read better two cells apiece,
// while a lone point stretched across the column would look like a trend.
const sparkStretch = 3

// sparkLowest is the height the smallest non-zero point is drawn at, so a
// product's quietest day is still a visible block and only days with no
// cost at all are blank.
const sparkLowest = 0.125

// sparkBlocks are the eight lower-block heights, lowest first; sparkASCII
// stands in for them under --ascii.
var (
	sparkBlocks = []rune("▁▂▃▄▅▆▇█")
	sparkASCII  = []rune("_.:-=+*#")
)

// renderSparkline draws series as a one-line trend exactly width cells
// wide. Each series is scaled to its own range (smallest non-zero point to
// largest): a shared zero floor and a maximum that only grows (ntcharts'
// sparkline) would make a steady product look flat. A series longer than
// width is averaged into width buckets; a shorter one is drawn up to
// sparkStretch cells per point, left aligned. Days with no cost are blank.
//
// Callers cache the result per row: it allocates, and a row's trend only
// changes when a page adds to it.
func renderSparkline(series []float64, width int, ascii bool) string {
	if width <= 0 {
		return ""
	}
	pts := resample(series, width)
	if n := len(pts); n > 0 && n < width {
		pts = stretch(pts, min(width, n*sparkStretch))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range pts {
		if v > 0 {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	blocks := sparkBlocks
	if ascii {
		blocks = sparkASCII
	}
	var b strings.Builder
	b.Grow(width * 3)
	for _, v := range pts {
		var h float64
		switch {
		case v <= 0 || math.IsNaN(v):
			b.WriteByte(' ')
			continue
		case hi == lo:
			h = 0.5 // a steady cost: a level line, not a wall
		default:
			h = sparkLowest + (1-sparkLowest)*(v-lo)/(hi-lo)
		}
		i := int(math.Round(h*float64(len(blocks)))) - 1
		b.WriteRune(blocks[max(0, min(i, len(blocks)-1))])
	}
	if pad := width - len(pts); pad > 0 {
		b.WriteString(strings.Repeat(" ", pad))
	}
	return b.String()
}

// stretch widens pts to target cells, each point taking one or two
// neighbouring cells more than the next when target is not a multiple.
func stretch(pts []float64, target int) []float64 {
	if target <= len(pts) {
		return pts
	}
	out := make([]float64, target)
	for i := range out {
		out[i] = pts[i*len(pts)/target]
	}
	return out
}

// resample averages series into at most width points, so a spike still
// lifts its bucket and a long run of zeros still shows as a gap.
func resample(series []float64, width int) []float64 {
	n := len(series)
	if n <= width {
		return series
	}
	out := make([]float64, width)
	for i := range out {
		a, b := i*n/width, (i+1)*n/width
		sum := 0.0
		for _, v := range series[a:b] {
			sum += v
		}
		out[i] = sum / float64(b-a)
	}
	return out
}
