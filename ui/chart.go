package ui

import (
	"math"
	"strconv"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/NimbleMarkets/ntcharts/linechart/timeserieslinechart"
	"github.com/charmbracelet/lipgloss"
	"github.com/usagetop/usagetop/api"
)

// Chart layout limits: below these a chart says nothing useful.
const (
	chartMinWidth  = 24
	chartMinHeight = 5
)

// costChart is one product's cost per point (a day, or a month under
// MONTHLY), ready to draw. Values are float64 for drawing only; every
// figure printed beside the chart is exact.
type costChart struct {
	dates    []api.Date
	values   []float64
	marks    []chartMark
	monthly  bool
	currency string
}

// chartMark marks an anomaly on point point. A rise is marked at the top
// of the line in its column, a fall at the bottom.
type chartMark struct {
	point int
	up    bool
}

// chartCell classes: what a cell of the drawn chart is, for styling.
const (
	cellBlank = iota
	cellLabel
	cellAxis
	cellLine
	cellMark
)

// render draws the chart with ntcharts' time-series line chart, exactly h
// lines of exactly w cells. ntcharts draws the axes, labels and line on
// its canvas; the canvas is then read back here to place the anomaly
// marks on the line, to swap box-drawing runes for ASCII under --ascii
// (ntcharts has no ASCII rune set) and to style runs of cells at once
// rather than each cell (its own View styles every cell separately).
func (c costChart) render(w, h int, th *theme) string {
	if w < chartMinWidth || h < chartMinHeight || len(c.values) == 0 {
		return ""
	}
	lo, hi := 0.0, 0.0
	for _, v := range c.values {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi <= lo {
		hi = lo + 1 // a flat zero line still needs a range
	}
	dates, values := c.dates, c.values
	if len(dates) == 1 {
		// One point: draw it as a level across its day (or month).
		next := dates[0] + 1
		if c.monthly {
			next = dates[0].MonthEnd()
		}
		dates, values = []api.Date{dates[0], next}, []float64{values[0], values[0]}
	}
	t0, t1 := dates[0].Time(), dates[len(dates)-1].Time()

	prefix := ""
	if c.currency == "USD" {
		prefix = "$"
	}
	graphH := h - 2
	yStep := max(2, graphH/4)
	tc := timeserieslinechart.New(w, h,
		// The X labels are written below, each under its own point;
		// ntcharts places them every n columns, which drifts off the days.
		timeserieslinechart.WithXYSteps(1, yStep),
		timeserieslinechart.WithXLabelFormatter(func(int, float64) string { return "" }),
		timeserieslinechart.WithYLabelFormatter(func(_ int, v float64) string { return compactAmount(v, prefix) }),
		timeserieslinechart.WithYRange(lo, hi),
		timeserieslinechart.WithTimeRange(t0, t1),
		timeserieslinechart.WithLineStyle(runes.ArcLineStyle),
	)
	drawPeakLine(&tc, dates, values)

	origin := tc.Origin()
	grid := make([][]rune, h)
	class := make([][]uint8, h)
	for y := range grid {
		grid[y] = make([]rune, w)
		class[y] = make([]uint8, w)
		for x := range grid[y] {
			r := tc.Canvas.Cell(canvas.Point{X: x, Y: y}).Rune
			grid[y][x] = r
			switch {
			case r == runes.Null:
				class[y][x] = cellBlank
			case y > origin.Y || x < origin.X:
				class[y][x] = cellLabel
			case x == origin.X || y == origin.Y:
				class[y][x] = cellAxis
			default:
				class[y][x] = cellLine
			}
		}
	}

	span := tc.ViewMaxX() - tc.ViewMinX()
	// column is where ntcharts draws day d: its time, scaled as the
	// chart scales points, rounded as it rounds them.
	column := func(d api.Date) int {
		if span <= 0 {
			return origin.X
		}
		return origin.X + int(math.Round((float64(d.Time().Unix())-tc.ViewMinX())*float64(tc.GraphWidth())/span))
	}
	if y := origin.Y + 1; y < h {
		c.xLabels(grid[y], class[y], origin.X, column)
	}
	for _, mk := range c.marks {
		if mk.point < 0 || mk.point >= len(c.dates) {
			continue
		}
		x := column(c.dates[mk.point])
		if x < origin.X || x >= w {
			continue
		}
		y := lineRow(grid, x, origin, mk.up)
		grid[y][x] = markRune(th.ascii)
		class[y][x] = cellMark
	}

	st := &th.styles
	styles := [...]*lipgloss.Style{cellBlank: nil, cellLabel: &st.Muted, cellAxis: &st.Muted, cellLine: &st.Trend, cellMark: &st.Anomaly}
	var b strings.Builder
	b.Grow(w * h * 2)
	var run strings.Builder
	for y := range grid {
		if y > 0 {
			b.WriteByte('\n')
		}
		x := 0
		for x < w {
			k := class[y][x]
			run.Reset()
			for x < w && class[y][x] == k {
				r := grid[y][x]
				switch {
				case r == runes.Null:
					r = ' '
				case th.ascii:
					r = asciiRune(r)
				}
				run.WriteRune(r)
				x++
			}
			if s := styles[k]; s != nil {
				b.WriteString(s.Render(run.String()))
			} else {
				b.WriteString(run.String())
			}
		}
	}
	return b.String()
}

// drawPeakLine draws the axes and the line of values over dates on tc.
// It does what tc.Draw does, but ntcharts averages the line cells that
// fall in one graph column (so a one-day spike in a year is drawn at a
// fraction of its height); here each column shows its highest point, and
// the columns between two points are joined straight.
func drawPeakLine(tc *timeserieslinechart.Model, dates []api.Date, values []float64) {
	tc.Clear()
	tc.DrawXYAxisAndLabel()
	width := tc.Width() - tc.Origin().X
	if width <= 0 || len(dates) == 0 {
		return
	}
	xs := float64(tc.GraphWidth()) / (tc.ViewMaxX() - tc.ViewMinX())
	ys := float64(tc.Origin().Y) / (tc.ViewMaxY() - tc.ViewMinY())
	seq := make([]int, width)
	set := make([]bool, width)
	prevX, prevY := -1, 0
	for _, i := range columnPeaks(dates, values, tc.GraphWidth()) {
		x := int(math.Round((float64(dates[i].Time().Unix()) - tc.ViewMinX()) * xs))
		y := int(math.Round((values[i] - tc.ViewMinY()) * ys))
		if x < 0 || x >= width {
			continue
		}
		if !set[x] || y > seq[x] {
			seq[x], set[x] = y, true
		}
		// Join from the previous point, straight.
		for c := prevX + 1; prevX >= 0 && c < x; c++ {
			seq[c] = prevY + int(math.Round(float64(y-prevY)*float64(c-prevX)/float64(x-prevX)))
			set[c] = true
		}
		prevX, prevY = x, seq[x]
	}
	// Cut the line after the last point: ntcharts draws a sequence over
	// the whole width.
	last := width
	for last > 0 && !set[last-1] {
		last--
	}
	yCoords := canvas.CanvasYCoordinates(tc.Origin().Y, seq[:last])
	for i, v := range yCoords {
		yCoords[i] = min(v, tc.Origin().Y)
	}
	graph.DrawLineSequence(&tc.Canvas, true, tc.Origin().X, yCoords, runes.ArcLineStyle, lipgloss.NewStyle())
}

// columnPeaks returns the points to draw when dates (evenly spaced, in
// order) share graphWidth columns: of each run of points that fall in the
// same column, the one with the highest value. ntcharts averages the
// points that share a column, which would draw a one-day spike in a year
// at a fraction of its height; the highest is what a reader looks for.
func columnPeaks(dates []api.Date, values []float64, graphWidth int) []int {
	out := make([]int, 0, min(len(dates), graphWidth+1))
	if len(dates) == 0 {
		return out
	}
	span := float64(dates[len(dates)-1] - dates[0])
	col := func(i int) int {
		if span <= 0 {
			return 0
		}
		return int(math.Round(float64(dates[i]-dates[0]) * float64(graphWidth) / span))
	}
	for i := range dates {
		n := len(out)
		if n > 0 && col(out[n-1]) == col(i) {
			if values[i] > values[out[n-1]] {
				out[n-1] = i
			}
			continue
		}
		out = append(out, i)
	}
	return out
}

// xLabels writes the date labels into the label row: each label starts
// at its point's column, at even steps (every day, 2, 3 or 7 days, every
// 2 weeks, or month starts; every 1, 2, 3, 6 or 12 months under MONTHLY),
// the smallest step whose labels do not run into each other.
func (c costChart) xLabels(row []rune, class []uint8, from int, column func(api.Date) int) {
	for x := from; x < len(row); x++ {
		row[x], class[x] = runes.Null, cellBlank
	}
	if len(c.dates) == 0 {
		return
	}
	first, last := c.dates[0], c.dates[len(c.dates)-1]
	perDay := float64(column(last)-column(first)) / float64(max(int(last-first), 1))
	var picks []api.Date
	if c.monthly {
		perMonth := perDay * 30.4
		step := 12
		for _, s := range []int{1, 2, 3, 6} {
			if perMonth*float64(s) >= 9 {
				step = s
				break
			}
		}
		for i := 0; i < len(c.dates); i += step {
			picks = append(picks, c.dates[i])
		}
	} else {
		step := 0
		for _, s := range []int{1, 2, 3, 7, 14} {
			if perDay*float64(s) >= 8 {
				step = s
				break
			}
		}
		if step > 0 {
			for d := first; d <= last; d += api.Date(step) {
				picks = append(picks, d)
			}
		} else {
			picks = append(picks, first)
			for d := first.MonthEnd() + 1; d <= last; d = d.MonthEnd() + 1 {
				picks = append(picks, d)
			}
		}
	}
	next := from
	for _, d := range picks {
		label := chartDateLabel(d, c.monthly)
		x := column(d)
		if x < next || x+len(label) > len(row) {
			continue
		}
		for i, r := range label {
			row[x+i], class[x+i] = r, cellLabel
		}
		next = x + len(label) + 1
	}
}

// lineRow finds the row of the line in column x: its top for a rise, its
// bottom for a fall. Cells the axes alone would hold do not count; where
// the line lies on the X axis (a zero), the mark goes on the axis.
func lineRow(grid [][]rune, x int, origin canvas.Point, up bool) int {
	isLine := func(y int) bool {
		r := grid[y][x]
		switch {
		case x == origin.X && y < origin.Y:
			return r != runes.LineVertical && r != runes.Null
		case x == origin.X && y == origin.Y:
			return r != runes.LineUpRight && r != runes.Null
		case y == origin.Y:
			return r != runes.LineHorizontal && r != runes.Null
		}
		return r != runes.Null
	}
	if up {
		for y := 0; y <= origin.Y; y++ {
			if isLine(y) {
				return y
			}
		}
	} else {
		for y := origin.Y; y >= 0; y-- {
			if isLine(y) {
				return y
			}
		}
	}
	return origin.Y
}

// markRune is the glyph of an anomaly on the chart.
func markRune(ascii bool) rune {
	if ascii {
		return 'o' // '*' is --ascii's separator dot
	}
	return '●'
}

// asciiRune maps ntcharts' box-drawing runes to ASCII: corners become the
// dots and quotes of a hand-drawn chart, crossings a plus.
func asciiRune(r rune) rune {
	switch r {
	case runes.LineHorizontal, runes.LineLeft, runes.LineRight:
		return '-'
	case runes.LineVertical, runes.LineVerticalHeavy, runes.LineUp, runes.LineDown,
		runes.LineUpHeavy, runes.LineDownHeavy, runes.LineUpDownHeavy, runes.LineUpHeavyDown:
		return '|'
	case runes.ArcDownRight, runes.ArcDownLeft, runes.LineDownRight, runes.LineDownLeft:
		return '.'
	case runes.ArcUpRight, runes.ArcUpLeft, runes.LineUpLeft:
		return '\''
	case runes.LineUpRight, runes.LineVerticalRight, runes.LineVerticalLeft,
		runes.LineHorizontalUp, runes.LineHorizontalDown, runes.LineHorizontalVertical:
		return '+'
	}
	if r < 0x80 {
		return r
	}
	return '#'
}

// chartDateLabel labels day d on the X axis: "Feb 3", or the month
// ("2025-02") under MONTHLY.
func chartDateLabel(d api.Date, monthly bool) string {
	if monthly {
		return d.Time().Format("2006-01")
	}
	return d.Time().Format("Jan 2")
}

// compactAmount labels the Y axis: "$1.2k", "$350", "0.05"; the chart's
// caption names the currency.
func compactAmount(v float64, prefix string) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	var s string
	switch {
	case v >= 1e15:
		// Past a thousand trillion a suffix is no help: "1.2e18".
		exp := int(math.Floor(math.Log10(v)))
		s = strconv.FormatFloat(v/math.Pow(10, float64(exp)), 'f', 1, 64) + "e" + strconv.Itoa(exp)
	case v >= 1e12:
		s = trimZero(strconv.FormatFloat(v/1e12, 'f', 1, 64)) + "T"
	case v >= 1e9:
		s = trimZero(strconv.FormatFloat(v/1e9, 'f', 1, 64)) + "B"
	case v >= 1e6:
		s = trimZero(strconv.FormatFloat(v/1e6, 'f', 1, 64)) + "M"
	case v >= 1e4:
		s = strconv.FormatFloat(v/1e3, 'f', 0, 64) + "k"
	case v >= 1e3:
		s = trimZero(strconv.FormatFloat(v/1e3, 'f', 1, 64)) + "k"
	case v >= 10 || v == 0:
		s = strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		s = trimZero(strconv.FormatFloat(v, 'f', 1, 64))
	default:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	return sign + prefix + s
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
