package ui

import (
	"math"
	"strings"

	"github.com/NimbleMarkets/ntcharts/sparkline"
	"github.com/usagetop/usagetop/state"
)

// sparkStretch is the most cells one point may take when a series is
// shorter than its column: twelve months read better two cells apiece,
// while a lone point stretched across the column would look like a trend.
const sparkStretch = 3

// sparkLowest is the height the smallest non-zero point is drawn at, so a
// product's quietest day is still a visible block and only days with no
// cost at all are blank.
const sparkLowest = 0.125

// sparkLevel is the height of a series whose non-zero points are all
// equal: a level line half way up, not a wall of full blocks.
const sparkLevel = 0.5

// sparkASCII turns ntcharts' eight lower blocks into ASCII for --ascii:
// ntcharts only draws block elements, so its line is transliterated.
var sparkASCII = strings.NewReplacer(
	"▁", "_", "▂", ".", "▃", ":", "▄", "-", "▅", "=", "▆", "+", "▇", "*", "█", "#")

// renderSparkline draws series as a one-line trend exactly width cells
// wide with ntcharts' sparkline. A series longer than width is averaged
// into width buckets; a shorter one is drawn up to sparkStretch cells per
// point, left aligned. Days with no cost are blank.
//
// It costs a fresh sparkline.Model per call (a copied Model shares its
// buffer, so one cannot serve two rows): callers cache the result per row
// with sparkCache.
func renderSparkline(series []float64, width int, ascii bool) string {
	if width <= 0 {
		return ""
	}
	pts := resample(series, width)
	if n := len(pts); n > 0 && n < width {
		pts = stretch(pts, min(width, n*sparkStretch))
	}
	if len(pts) == 0 {
		return strings.Repeat(" ", width)
	}
	// ntcharts' floor is always 0 and its maximum only grows, which would
	// make a steady product look flat: the heights are scaled here, to
	// 0..1 of a one-row chart whose maximum is fixed at 1.
	sl := sparkline.New(len(pts), 1, sparkline.WithMaxValue(1), sparkline.WithNoAutoMaxValue())
	sl.PushAll(scaleHeights(pts))
	sl.DrawColumnsOnly() // no canvas style: the table styles the cell
	line := sl.View()
	if ascii {
		line = sparkASCII.Replace(line)
	}
	if pad := width - len(pts); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	return line
}

// scaleHeights maps each point to a bar height in 0..1 over the series'
// own range (smallest non-zero point to largest), so every product's trend
// uses the whole height: the smallest non-zero point is sparkLowest, the
// largest 1, a level series sparkLevel, and a day with no cost 0.
func scaleHeights(pts []float64) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range pts {
		if v > 0 {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	out := make([]float64, len(pts))
	for i, v := range pts {
		switch {
		case v <= 0 || math.IsNaN(v):
			out[i] = 0
		case hi == lo:
			out[i] = sparkLevel
		default:
			out[i] = sparkLowest + (1-sparkLowest)*(v-lo)/(hi-lo)
		}
	}
	return out
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

// sparkCache holds each product's drawn trend, so redrawing a row (a page
// arrived, the sort or the filter changed, the row scrolled back into
// view) reuses the string unless the row's data or the column changed.
// A row's Records count changes with every record added to it, so it
// stands for the series within one store; reset forgets everything when
// the store changes.
type sparkCache struct {
	ascii bool
	lines map[state.ProductKey]sparkEntry
}

// sparkEntry is one drawn trend and what it was drawn from.
type sparkEntry struct {
	records, width int
	line           string
}

func newSparkCache(ascii bool) *sparkCache {
	return &sparkCache{ascii: ascii, lines: map[state.ProductKey]sparkEntry{}}
}

// line returns p's trend over its first points points, width cells wide,
// drawing it only when p has gained records or the width changed since it
// was last drawn (points is fixed within one store).
func (c *sparkCache) line(p *state.ProductRollup, width, points int) string {
	k := p.Key()
	if e, ok := c.lines[k]; ok && e.records == p.Records && e.width == width {
		return e.line
	}
	l := renderSparkline(p.Series[:min(max(points, 0), len(p.Series))], width, c.ascii)
	c.lines[k] = sparkEntry{records: p.Records, width: width, line: l}
	return l
}

// reset forgets every trend: Records counts identify data only within
// one store.
func (c *sparkCache) reset() { clear(c.lines) }
