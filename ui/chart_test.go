package ui

import (
	"strings"
	"testing"

	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
)

func TestCompactAmount(t *testing.T) {
	tests := []struct {
		v      float64
		prefix string
		want   string
	}{
		{0, "$", "$0"},
		{0.05, "", "0.05"},
		{1.25, "$", "$1.2"},
		{7, "", "7"},
		{42.4, "$", "$42"},
		{999, "$", "$999"},
		{1234, "$", "$1.2k"},
		{2000, "", "2k"},
		{12345, "$", "$12k"},
		{2_500_000, "$", "$2.5M"},
		{3e9, "", "3B"},
		{-1500, "$", "-$1.5k"},
		// Never "$94117647058.8B": trillions, then scientific.
		{9.41176470588e19, "$", "$9.4e19"},
		{2.5e12, "$", "$2.5T"},
		{1e20, "", "1.0e20"},
	}
	for _, tt := range tests {
		if got := compactAmount(tt.v, tt.prefix); got != tt.want {
			t.Errorf("compactAmount(%v, %q) = %q, want %q", tt.v, tt.prefix, got, tt.want)
		}
	}
}

func TestASCIIRuneCoversEveryLineRune(t *testing.T) {
	for r := rune(0x2500); r <= 0x257f; r++ {
		if runes.IsLine(r) && asciiRune(r) > 0x7e {
			t.Errorf("%q has no ASCII stand-in", r)
		}
	}
	if asciiRune('╭') != '.' || asciiRune('╯') != '\'' || asciiRune('─') != '-' || asciiRune('│') != '|' || asciiRune('└') != '+' {
		t.Error("corners and lines map to the wrong ASCII")
	}
}

// testChart is 28 days of a steady cost with a spike on day 20 and a drop
// to zero on day 25.
func testChart() costChart {
	start := api.NewDate(2025, 2, 1)
	c := costChart{currency: "USD"}
	for i := range 28 {
		v := 100.0 + float64(i%7)
		switch i {
		case 19:
			v = 600
		case 24:
			v = 0
		}
		c.dates = append(c.dates, start.AddDays(i))
		c.values = append(c.values, v)
	}
	c.marks = []chartMark{{point: 19, up: true}, {point: 24, up: false}}
	return c
}

func TestChartFitsAndMarksBothWays(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		th := &theme{styles: NewStyles(nil, true, ascii), glyphs: newGlyphs(ascii), ascii: ascii}
		for _, size := range [][2]int{{24, 5}, {40, 8}, {80, 14}, {157, 44}, {300, 70}} {
			w, h := size[0], size[1]
			out := ansi.Strip(testChart().render(w, h, th))
			lines := strings.Split(out, "\n")
			if len(lines) != h {
				t.Fatalf("%dx%d: %d lines", w, h, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw != w {
					t.Errorf("%dx%d ascii=%v: line %d is %d wide", w, h, ascii, i, lw)
				}
				if ascii && strings.ContainsFunc(l, func(r rune) bool { return r > 0x7e }) {
					t.Errorf("%dx%d: --ascii chart line %d: %q", w, h, i, l)
				}
			}
			mark := string(markRune(ascii))
			if n := strings.Count(out, mark); n != 2 {
				t.Fatalf("%dx%d ascii=%v: %d marks, want 2:\n%s", w, h, ascii, n, out)
			}
			// The spike's mark is the line's highest cell (ntcharts
			// averages a column's points, so not always the top row):
			// nothing is drawn right of the Y axis above it. The stop's
			// mark is on the X axis (the second to last line).
			axis := strings.IndexFunc(lines[h-2], func(r rune) bool { return r == '└' || r == '+' })
			for y := 0; y < h-2 && !strings.Contains(lines[y], mark); y++ {
				if right := []rune(lines[y])[axis+1:]; strings.TrimSpace(string(right)) != "" {
					t.Errorf("%dx%d ascii=%v: line %d is drawn above the spike's mark:\n%s", w, h, ascii, y, out)
				}
			}
			if !strings.Contains(lines[h-2], mark) {
				t.Errorf("%dx%d: the fall to zero is not marked on the axis:\n%s", w, h, out)
			}
		}
	}
}

func TestChartEdgeCases(t *testing.T) {
	th := &theme{styles: NewStyles(nil, true, false), glyphs: newGlyphs(false)}
	d := api.NewDate(2025, 2, 1)
	tests := []struct {
		name string
		c    costChart
	}{
		{"one day", costChart{dates: []api.Date{d}, values: []float64{12}}},
		{"one month", costChart{dates: []api.Date{d}, values: []float64{300}, monthly: true}},
		{"all zero", costChart{dates: []api.Date{d, d + 1, d + 2}, values: []float64{0, 0, 0}}},
		{"credits", costChart{dates: []api.Date{d, d + 1, d + 2}, values: []float64{5, -3, 4}}},
	}
	for _, tt := range tests {
		out := ansi.Strip(tt.c.render(60, 10, th))
		lines := strings.Split(out, "\n")
		if len(lines) != 10 || ansi.StringWidth(lines[0]) != 60 {
			t.Errorf("%s: %d lines, first %d wide:\n%s", tt.name, len(lines), ansi.StringWidth(lines[0]), out)
		}
	}
	if out := (costChart{}).render(60, 10, th); out != "" {
		t.Error("an empty chart drew something")
	}
	if out := testChart().render(chartMinWidth-1, 10, th); out != "" {
		t.Error("a chart too narrow to read drew something")
	}
}

// TestColumnPeaks: a year in 100 columns keeps each column's highest day,
// so a one-day spike is drawn at its value, not averaged with its
// neighbours.
func TestColumnPeaks(t *testing.T) {
	d := api.NewDate(2025, 1, 1)
	var dates []api.Date
	var values []float64
	for i := range 365 {
		dates = append(dates, d+api.Date(i))
		values = append(values, 10)
	}
	values[200] = 500
	peaks := columnPeaks(dates, values, 100)
	if len(peaks) > 101 {
		t.Errorf("%d points for 100 columns", len(peaks))
	}
	found := false
	for _, i := range peaks {
		found = found || i == 200
	}
	if !found {
		t.Errorf("the spike on day 200 is not drawn: %v", peaks)
	}
	if got := columnPeaks(dates[:10], values[:10], 100); len(got) != 10 {
		t.Errorf("ten days in 100 columns keep %d points, want all 10", len(got))
	}
}

// TestChartDrawsASpikeAtItsValue: over a year the spike reaches the top
// row of the chart.
func TestChartDrawsASpikeAtItsValue(t *testing.T) {
	th := &theme{styles: NewStyles(nil, true, false), glyphs: newGlyphs(false)}
	d := api.NewDate(2025, 1, 1)
	c := costChart{currency: "USD"}
	for i := range 365 {
		c.dates = append(c.dates, d+api.Date(i))
		c.values = append(c.values, 10)
	}
	c.values[200] = 500
	lines := strings.Split(ansi.Strip(c.render(80, 12, th)), "\n")
	axis := strings.IndexRune(lines[len(lines)-2], '└')
	if top := []rune(lines[0])[axis+1:]; strings.TrimSpace(string(top)) == "" {
		t.Errorf("the spike does not reach the top row:\n%s", strings.Join(lines, "\n"))
	}
}
