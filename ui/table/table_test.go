package table

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

type item struct {
	id   int
	name string
	cost string
}

var testCols = []Column{
	{Key: "name", Title: "Product", Width: 10, Flex: 1, Priority: 0},
	{Key: "cat", Title: "Category", Width: 12, Priority: 2},
	{Key: "cost", Title: "Cost", Width: 8, Right: true, Priority: 1},
}

func newTest(rows []item, renders *int) *Model[int, item] {
	bold := lipgloss.NewStyle().Bold(true)
	m := New(testCols, func(r item) int { return r.id }, func(r item, col, w int) Cell {
		if renders != nil && col == 0 {
			*renders++
		}
		switch col {
		case 0:
			return Cell{Text: r.name}
		case 1:
			return Cell{Text: "cat"}
		}
		return Cell{Text: r.cost, Style: &bold}
	}, Styles{Selected: lipgloss.NewStyle().Reverse(true)}, Glyphs{Asc: "^", Desc: "v", Ellipsis: "~"})
	m.SetRows(rows)
	return m
}

func items(n int) []item {
	out := make([]item, n)
	for i := range out {
		out[i] = item{id: i, name: fmt.Sprintf("product-%03d", i), cost: fmt.Sprintf("%d.00", i)}
	}
	return out
}

func TestLayoutDropsLowPriorityColumnsWhenNarrow(t *testing.T) {
	tests := []struct {
		width int
		want  []string
	}{
		{80, []string{"name", "cat", "cost"}},
		{32, []string{"name", "cat", "cost"}},
		{31, []string{"name", "cost"}},
		{19, []string{"name", "cost"}},
		{18, []string{"name"}},
		{5, []string{"name"}},
	}
	for _, tt := range tests {
		m := newTest(items(3), nil)
		m.SetSize(tt.width, 10)
		var got []string
		for _, i := range m.ShownColumns() {
			got = append(got, m.Columns()[i].Key)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("width %d: columns %v, want %v", tt.width, got, tt.want)
		}
	}
}

func TestNoLineWiderThanTable(t *testing.T) {
	rows := items(50)
	rows[3].name = "Ünïcödé 短信 product with a very long name indeed"
	for _, w := range []int{1, 5, 18, 19, 31, 32, 40, 80, 120, 200} {
		m := newTest(rows, nil)
		m.SetSize(w, 12)
		m.SetSort("cost", true)
		m.SetCursor(3)
		for n, line := range strings.Split(m.View(), "\n") {
			if got := ansi.StringWidth(line); got != w {
				t.Errorf("width %d line %d is %d wide: %q", w, n, got, line)
			}
		}
	}
}

func TestHeaderShowsSortColumnAndDirection(t *testing.T) {
	m := newTest(items(2), nil)
	m.SetSize(60, 5)
	m.SetSort("cost", true)
	if h := ansi.Strip(strings.Split(m.View(), "\n")[0]); !strings.Contains(h, "Cost v") {
		t.Errorf("header %q does not mark cost descending", h)
	}
	m.SetSort("name", false)
	if h := ansi.Strip(strings.Split(m.View(), "\n")[0]); !strings.Contains(h, "Product ^") || strings.Contains(h, "Cost v") {
		t.Errorf("header %q does not mark product ascending", h)
	}
}

func TestCursorFollowsRowAcrossReorder(t *testing.T) {
	rows := items(100)
	m := newTest(rows, nil)
	m.SetSize(40, 11)
	m.SetCursor(42)
	// Reverse the order: row 42 is now at index 57.
	rev := make([]item, len(rows))
	for i := range rows {
		rev[len(rows)-1-i] = rows[i]
	}
	m.SetRows(rev)
	if r, _ := m.Selected(); r.id != 42 || m.Cursor() != 57 {
		t.Fatalf("cursor on id %d at %d, want id 42 at 57", r.id, m.Cursor())
	}
	// Filter it out: the cursor goes to the top, nothing hidden above.
	m.SetRows(rev[:10])
	if m.Cursor() != 0 || m.Offset() != 0 {
		t.Fatalf("cursor %d offset %d after filtering, want 0, 0", m.Cursor(), m.Offset())
	}
	m.SetRows(nil)
	if m.Cursor() != -1 {
		t.Fatalf("cursor %d with no rows, want -1", m.Cursor())
	}
	// The filter cleared: the cursor stays on the row it went to.
	top := rev[0].id
	m.SetRows(rows)
	if r, _ := m.Selected(); r.id != top {
		t.Fatalf("cursor on id %d once the filter is cleared, want %d where it was", r.id, top)
	}
}

func TestFoundRowOnFirstScreenLeavesNoneHiddenAbove(t *testing.T) {
	rows := items(100)
	m := newTest(rows, nil)
	m.SetSize(40, 11) // 10 body rows
	m.SetCursor(5)
	// A filter narrows to rows 5.. so the row sits at the top; clearing it
	// puts it back at 5, which fits the first screen: offset 0.
	m.SetRows(rows[5:])
	m.SetRows(rows)
	if m.Cursor() != 5 || m.Offset() != 0 {
		t.Errorf("cursor %d offset %d, want 5, 0: no row hidden above a row that fits the first screen", m.Cursor(), m.Offset())
	}
}

func TestGutterMarksCursorAndHiddenRows(t *testing.T) {
	m := New([]Column{{Key: "name", Title: "Name", Width: 10}},
		func(r item) int { return r.id },
		func(r item, _ int, _ int) Cell { return Cell{Text: r.name} },
		Styles{}, Glyphs{Asc: "^", Desc: "v", Ellipsis: "~", Cursor: ">", Above: "^", Below: "v"})
	m.SetRows(items(20))
	m.SetSize(narrowGutter, 6) // 5 body rows
	m.SetCursor(7)             // rows 3..7 on screen
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.HasPrefix(lines[0], "   Name") {
		t.Errorf("header %q does not leave the gutter blank", lines[0])
	}
	if !strings.HasPrefix(lines[1], " ^ ") {
		t.Errorf("first row %q does not say rows are hidden above", lines[1])
	}
	if !strings.HasPrefix(lines[5], ">v ") {
		t.Errorf("cursor row %q, the last on screen, lacks the cursor mark or the mark for rows below", lines[5])
	}
	m.SetCursor(5)
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.HasPrefix(lines[5], " v ") || !strings.HasPrefix(lines[3], ">  ") {
		t.Errorf("rows %q: want the cursor mark on row 5 and a below mark on the last row", lines[1:])
	}
	if w := ansi.StringWidth(lines[2]); w != narrowGutter {
		t.Errorf("row is %d cells wide with the gutter, want %d", w, narrowGutter)
	}
	// A narrow screen keeps one mark: the cursor's, else the scroll mark.
	m.SetSize(20, 6)
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.HasPrefix(lines[3], "> ") || !strings.HasPrefix(lines[5], "v ") || ansi.StringWidth(lines[3]) != 20 {
		t.Errorf("narrow rows %q", lines)
	}
}

func TestScrollKeepsCursorOnScreen(t *testing.T) {
	m := newTest(items(100), nil)
	m.SetSize(40, 11) // 10 body rows
	m.MoveDown(15)
	if m.Offset() != 6 {
		t.Errorf("offset %d after moving to 15, want 6", m.Offset())
	}
	m.PageDown()
	if m.Cursor() != 25 || m.Offset() != 16 {
		t.Errorf("cursor %d offset %d after page down, want 25, 16", m.Cursor(), m.Offset())
	}
	m.GotoBottom()
	if m.Cursor() != 99 || m.Offset() != 90 {
		t.Errorf("cursor %d offset %d at bottom, want 99, 90", m.Cursor(), m.Offset())
	}
	m.GotoTop()
	m.MoveUp(3)
	if m.Cursor() != 0 || m.Offset() != 0 {
		t.Errorf("cursor %d offset %d at top, want 0, 0", m.Cursor(), m.Offset())
	}
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "product-009") || strings.Contains(view, "product-010") {
		t.Errorf("view does not show exactly rows 0-9:\n%s", view)
	}
}

func TestOnlyVisibleRowsAreRenderedAndCached(t *testing.T) {
	renders := 0
	m := newTest(items(100_000), &renders)
	m.SetSize(40, 21)
	m.View()
	if renders != 20 {
		t.Fatalf("rendered %d rows for a 20-row window", renders)
	}
	m.MoveDown(1)
	m.View()
	if renders != 20 {
		t.Fatalf("moving within the window rendered %d rows, want none new", renders-20)
	}
	m.MoveDown(19) // cursor 20: the window scrolls by one row
	m.View()
	if renders != 21 {
		t.Fatalf("scrolling one row rendered %d rows, want 1 new", renders-20)
	}
}

func TestTruncationKeepsStylesClosed(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	rows := []item{{id: 1, name: "a", cost: "123456789012345"}, {id: 2, name: "b", cost: "1"}}
	m := newTest(rows, nil)
	m.SetSize(20, 3)
	m.SetCursor(1) // row 0 is drawn with its cell styles
	styled := strings.Split(m.View(), "\n")[1]
	if !strings.Contains(ansi.Strip(styled), "1234567~") {
		t.Errorf("long cost not truncated with a tail: %q", ansi.Strip(styled))
	}
	if !strings.HasSuffix(strings.TrimRight(styled, " "), "\x1b[0m") {
		t.Errorf("styled cell lost its reset: %q", styled)
	}
}

func TestCursorFollowsKeyWhenOldRowsAreGone(t *testing.T) {
	// The owner's data behind the old rows may be replaced before
	// SetRows (a new query): the cursor must not read it.
	data := map[int]string{1: "a", 2: "b", 3: "c"}
	m := New([]Column{{Key: "k", Title: "K", Width: 5}}, func(r int) string { return data[r] },
		func(r int, col, w int) Cell { return Cell{Text: data[r]} }, Styles{}, Glyphs{})
	m.SetSize(10, 5)
	m.SetRows([]int{1, 2, 3})
	m.SetCursor(1) // on "b"
	data = map[int]string{7: "x", 8: "b"}
	m.SetRows([]int{8, 7})
	if m.Cursor() != 0 {
		t.Fatalf("cursor %d, want 0 (the row keyed b)", m.Cursor())
	}
}

func TestCacheStaysBounded(t *testing.T) {
	m := newTest(items(100_000), nil)
	m.SetSize(40, 21)
	for m.Cursor() < 99_999 {
		m.PageDown()
		m.View()
	}
	if n := len(m.cache); n > m.cacheLimit() {
		t.Fatalf("%d cached lines after scrolling everything, limit %d", n, m.cacheLimit())
	}
}

// TestMustHaveColumnsShrinkFlexibleOnes: a column of priority 0 that does
// not fit takes cells from columns with a Min (its own first) rather than
// being dropped, and a column that elides keeps the end of its text.
func TestMustHaveColumnsShrinkFlexibleOnes(t *testing.T) {
	type want struct {
		width int
		cols  string
		nameW int
	}
	check := func(m *Model[int, item], nameCol int, tests []want) {
		t.Helper()
		for _, tt := range tests {
			m.SetSize(tt.width, 5)
			var got []string
			for _, i := range m.ShownColumns() {
				got = append(got, m.Columns()[i].Key)
			}
			if strings.Join(got, ",") != tt.cols || m.ColumnWidth(nameCol) != tt.nameW {
				t.Errorf("width %d: columns %v, name %d wide; want %s, %d", tt.width, got, m.ColumnWidth(nameCol), tt.cols, tt.nameW)
			}
			for _, l := range strings.Split(m.View(), "\n") {
				if w := ansi.StringWidth(l); w > tt.width {
					t.Errorf("width %d: line %q is %d wide", tt.width, l, w)
				}
			}
		}
	}
	render := func(r item, col, w int) Cell {
		if col == 0 {
			return Cell{Text: r.name}
		}
		return Cell{Text: r.cost}
	}
	glyphs := Glyphs{Asc: "^", Desc: "v", Ellipsis: "~"}

	m := New([]Column{
		{Key: "name", Title: "Product", Width: 30, Min: 12, Flex: 1, Priority: 0, Elide: true},
		{Key: "cost", Title: "Cost", Width: 10, Right: true, Priority: 0},
		{Key: "share", Title: "Share", Width: 6, Right: true, Priority: 1},
	}, func(r item) int { return r.id }, render, Styles{}, glyphs)
	m.SetRows([]item{{id: 1, name: "Voice-Outbound-United Kingdom-Landline-Minutes", cost: "$1.00"}})
	check(m, 0, []want{
		{49, "name,cost,share", 30},
		{48, "name,cost", 37}, // Share has priority 1: it does not shrink others
		{30, "name,cost", 19}, // Product shrinks for Cost
		{23, "name,cost", 12}, // down to its Min
		{22, "name", 30},      // below that Cost goes (lines are cut to the width)
	})
	m.SetSize(30, 5)
	if row := strings.Split(m.View(), "\n")[1]; !strings.HasPrefix(row, "Voice-~line-Minutes      $1.00") {
		t.Errorf("elided name: %q", row)
	}

	// A must-have column after a fixed one enters narrower than its Width.
	m = New([]Column{
		{Key: "date", Title: "Date", Width: 10, Priority: 0},
		{Key: "name", Title: "Product", Width: 30, Min: 16, Flex: 1, Priority: 0, Elide: true},
		{Key: "cost", Title: "Cost", Width: 12, Right: true, Priority: 0},
	}, func(r item) int { return r.id }, render, Styles{}, glyphs)
	m.SetRows([]item{{id: 1, name: "x"}})
	check(m, 1, []want{
		{54, "date,name,cost", 30},
		{40, "date,name,cost", 16},
		{39, "date,name", 28},
	})
}
