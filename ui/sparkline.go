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

// sparkASCII turns ntcharts' eight lower blocks into ASCII for --ascii:
// ntcharts only draws block elements, so its line is transliterated. The
// second step is a comma: a dot marks a day with no data yet.
var sparkASCII = strings.NewReplacer(
	"▁", "_", "▂", ",", "▃", ":", "▄", "-", "▅", "=", "▆", "+", "▇", "*", "█", "#")

// renderSparkline draws series as a one-line trend exactly width cells
// wide with ntcharts' sparkline. Heights run from zero (blank) to the
// row's highest point (a full block), so a steady charge reads level and
// a small move stays small. Points from known on (days not loaded or not
// complete yet) are drawn as noData, apart from a fall to zero. A series
// longer than width keeps each bucket's highest point, so a one-day spike
// is not averaged away; a shorter one is drawn up to sparkStretch cells
// per point, left aligned.
//
// It costs a fresh sparkline.Model per call (a copied Model shares its
// buffer, so one cannot serve two rows): callers cache the result per row
// with sparkCache.
func renderSparkline(series []float64, known, width int, ascii bool, noData string) string {
	if width <= 0 {
		return ""
	}
	pts := make([]float64, len(series))
	for i, v := range series {
		pts[i] = v
		if i >= known {
			pts[i] = math.NaN()
		}
	}
	pts = resample(pts, width)
	if n := len(pts); n > 0 && n < width {
		pts = stretch(pts, min(width, n*sparkStretch))
	}
	if len(pts) == 0 {
		return strings.Repeat(" ", width)
	}
	// ntcharts' floor is 0 and its maximum only grows: the heights are
	// scaled here, to 0..1 of a one-row chart whose maximum is fixed at 1.
	sl := sparkline.New(len(pts), 1, sparkline.WithMaxValue(1), sparkline.WithNoAutoMaxValue())
	sl.PushAll(scaleHeights(pts))
	sl.DrawColumnsOnly() // no canvas style: the table styles the cell
	line := sl.View()
	if ascii {
		line = sparkASCII.Replace(line)
	}
	if noData != "" {
		cells := []rune(line)
		for i, v := range pts {
			if math.IsNaN(v) && i < len(cells) {
				cells[i] = []rune(noData)[0]
			}
		}
		line = string(cells)
	}
	if pad := width - len(pts); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	return line
}

// scaleHeights maps each point to a bar height in 0..1: zero is blank,
// the series' highest point is a full block, and any cost above zero is
// at least sparkLowest so it shows. NaN (no data) is drawn blank here and
// marked by the caller.
func scaleHeights(pts []float64) []float64 {
	hi := 0.0
	for _, v := range pts {
		if v > hi {
			hi = v
		}
	}
	out := make([]float64, len(pts))
	for i, v := range pts {
		if v <= 0 || math.IsNaN(v) || hi <= 0 {
			continue
		}
		out[i] = max(v/hi, sparkLowest)
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

// resample keeps the highest point of each of width buckets of series, so
// a spike keeps its height and a long run of zeros still shows as a gap.
// A bucket with no data (all NaN) stays NaN; one with some data keeps the
// highest known point.
func resample(series []float64, width int) []float64 {
	n := len(series)
	if n <= width {
		return series
	}
	out := make([]float64, width)
	for i := range out {
		a, b := i*n/width, (i+1)*n/width
		hi := math.NaN()
		for _, v := range series[a:b] {
			if !math.IsNaN(v) && (math.IsNaN(hi) || v > hi) {
				hi = v
			}
		}
		out[i] = hi
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
	ascii  bool
	noData string
	lines  map[state.ProductKey]sparkEntry
}

// sparkEntry is one drawn trend and what it was drawn from.
type sparkEntry struct {
	records, width, known int
	line                  string
}

func newSparkCache(ascii bool, noData string) *sparkCache {
	return &sparkCache{ascii: ascii, noData: noData, lines: map[state.ProductKey]sparkEntry{}}
}

// line returns p's trend, width cells wide, its first known points drawn
// as bars and the rest as not known yet; it is drawn only when p has
// gained records, the width or known changed since it was last drawn.
func (c *sparkCache) line(p *state.ProductRollup, width, known int) string {
	k := p.Key()
	if e, ok := c.lines[k]; ok && e.records == p.Records && e.width == width && e.known == known {
		return e.line
	}
	l := renderSparkline(p.Series, known, width, c.ascii, c.noData)
	c.lines[k] = sparkEntry{records: p.Records, width: width, known: known, line: l}
	return l
}

// reset forgets every trend: Records counts identify data only within
// one store.
func (c *sparkCache) reset() { clear(c.lines) }
