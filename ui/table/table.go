// Package table is a windowed table for large, typed row sets: only the
// rows on screen are rendered, each row's line is rendered once and cached,
// the cursor follows its row (by key) across sorting and filtering, and
// cells are truncated by display width, never by bytes.
//
// The table neither sorts nor filters: its owner does that over its own data
// (often an index slice) and hands the table the rows in display order.
//
// table.go is longer than most files here on purpose: the window, the
// cursor, the column layout and the line cache are one state machine (a
// resize, a sort or a scroll each touches all four), and split apart they
// would have to expose to each other what is now private.
package table

import (
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Column describes one column.
type Column struct {
	// Key names the column for sorting and export; it is stable.
	Key string
	// Title is shown in the header.
	Title string
	// Width is the width the column starts from.
	Width int
	// Min, when set, is how far the column may shrink below Width so that
	// a column of priority 0 still fits a narrow screen: a product name cut
	// shorter is better than no cost at all.
	Min int
	// Max caps the width a flexible column grows to; 0 means no cap.
	Max int
	// Flex is the column's share of spare width; 0 keeps it at Width.
	Flex int
	// Right aligns numbers to the right edge.
	Right bool
	// Priority orders which columns survive on a narrow screen: lower
	// first. Columns of equal priority are kept or dropped in order.
	Priority int
	// Elide cuts a too-long text in its middle rather than at its end,
	// for names that differ in their last words ("…Kingdom-Mobile-Minutes"
	// against "…Kingdom-Landline-Minutes").
	Elide bool
}

// Cell is one rendered cell. Text must already be safe to print (sanitised)
// and hold no escape sequences; Style, when set, colours the cell.
type Cell struct {
	Text  string
	Style *lipgloss.Style
}

// RenderFunc renders one row's cell for column col at the given width.
// It is called once per row and layout, then the result is cached.
type RenderFunc[R any] func(row R, col int, width int) Cell

// Styles are the table's styles.
type Styles struct {
	Header   lipgloss.Style
	Selected lipgloss.Style
	Muted    lipgloss.Style
}

// Glyphs are the table's symbols, swappable for ASCII.
type Glyphs struct {
	Asc, Desc, Ellipsis string
	// Cursor marks the selected row in the gutter, so the selection shows
	// on a terminal that draws no attributes (TERM=dumb, NO_COLOR over
	// GNU screen). Above and Below mark, on the first and last row on
	// screen, that rows are scrolled out of sight. Empty: no gutter.
	Cursor, Above, Below string
}

// Gap is the number of blank cells between two columns.
const Gap = 1

type cachedLine struct {
	styled, plain string
}

// Model is the table. K is the row key that the cursor follows across
// re-sorts; R is the row type (often an index into a store).
type Model[K comparable, R any] struct {
	cols   []Column
	key    func(R) K
	render RenderFunc[R]
	styles Styles
	glyphs Glyphs

	rows   []R
	cache  map[K]cachedLine
	cursor int
	offset int
	// curKey is the key of the row under the cursor, kept as the cursor
	// moves, so SetRows can find that row again even when the owner's
	// data behind the old rows is already gone (a new generation).
	curKey K
	hasKey bool

	width, height int
	shown         []int // indices into cols, in display order
	widths        []int // width of each shown column
	header        string

	sortKey  string
	sortDesc bool
	empty    string
	// gutter is the width of the cursor and scroll marks left of the
	// first column, and a space.
	gutter int
}

// New returns a table over columns; key identifies a row and render draws
// its cells.
func New[K comparable, R any](cols []Column, key func(R) K, render RenderFunc[R], styles Styles, glyphs Glyphs) *Model[K, R] {
	cols = slices.Clone(cols)
	for i := range cols {
		// Room for the title and the sort arrow, so the header can always
		// say which column is sorted.
		if t := ansi.StringWidth(cols[i].Title); t > 0 {
			cols[i].Width = max(cols[i].Width, t+1+ansi.StringWidth(glyphs.Desc))
		}
	}
	m := &Model[K, R]{cols: cols, key: key, render: render, styles: styles, glyphs: glyphs, cache: map[K]cachedLine{}}
	m.layout()
	return m
}

// SetSize sets the table's size in cells, the header line included.
func (m *Model[K, R]) SetSize(width, height int) {
	if width == m.width && height == m.height {
		return
	}
	m.width, m.height = width, height
	m.layout()
	m.clampOffset()
}

// Width returns the width given to SetSize.
func (m *Model[K, R]) Width() int { return m.width }

// Height returns the height given to SetSize.
func (m *Model[K, R]) Height() int { return m.height }

// Columns returns every column, shown or not.
func (m *Model[K, R]) Columns() []Column { return m.cols }

// ShownColumns returns the indices of the columns that fit the width.
func (m *Model[K, R]) ShownColumns() []int { return m.shown }

// SetSort records which column the rows are sorted by, for the header.
func (m *Model[K, R]) SetSort(key string, desc bool) {
	m.sortKey, m.sortDesc = key, desc
	m.header = m.renderHeader()
}

// Sort returns the key of the column the header marks as sorted, and
// whether it is descending.
func (m *Model[K, R]) Sort() (key string, desc bool) { return m.sortKey, m.sortDesc }

// SetEmptyText sets what the table says when it has no rows.
func (m *Model[K, R]) SetEmptyText(s string) { m.empty = s }

// SetRows replaces the rows, given in display order. The cursor stays on
// the row it was on if that row is still present (at the same place on
// screen, unless it fits on the first screen: then no row is left hidden
// above it); otherwise it goes to the top row, which it then follows. With
// no rows the key is kept, so a product stays selected while a new period
// starts loading. Cached lines are kept: rows are rendered
// from their data, so a row that did not change need not be drawn again.
// Call Invalidate when row data changes.
func (m *Model[K, R]) SetRows(rows []R) {
	screen := m.cursor - m.offset
	m.rows = rows
	if m.hasKey {
		for i := range rows {
			if m.key(rows[i]) == m.curKey {
				m.cursor = i
				m.offset = i - screen
				if i < m.VisibleRows() {
					m.offset = 0
				}
				m.clampOffset()
				return
			}
		}
	}
	m.cursor, m.offset = 0, 0
	m.rememberKey()
}

// rememberKey records the key of the row under the cursor. With no rows
// the last key is kept, so the cursor finds its row again when rows
// return (a product stays selected while a new period loads).
func (m *Model[K, R]) rememberKey() {
	if len(m.rows) > 0 {
		m.hasKey = true
		m.curKey = m.key(m.rows[m.cursor])
	}
}

// ResetCursor puts the cursor on the first row and forgets which row it
// was on.
func (m *Model[K, R]) ResetCursor() {
	m.cursor, m.offset, m.hasKey = 0, 0, false
}

// Rows returns the rows in display order. The caller must not modify it.
func (m *Model[K, R]) Rows() []R { return m.rows }

// Len returns the number of rows.
func (m *Model[K, R]) Len() int { return len(m.rows) }

// Invalidate forgets the rendered line of the row with key k.
func (m *Model[K, R]) Invalidate(k K) { delete(m.cache, k) }

// InvalidateAll forgets every rendered line.
func (m *Model[K, R]) InvalidateAll() { clear(m.cache) }

// Cursor returns the cursor's row index, or -1 when there are no rows.
func (m *Model[K, R]) Cursor() int {
	if len(m.rows) == 0 {
		return -1
	}
	return m.cursor
}

// Selected returns the row under the cursor.
func (m *Model[K, R]) Selected() (R, bool) {
	if len(m.rows) == 0 {
		var zero R
		return zero, false
	}
	return m.rows[m.cursor], true
}

// VisibleRows is the number of body rows that fit.
func (m *Model[K, R]) VisibleRows() int { return max(m.height-1, 1) }

// Gutter is the width of the marks left of the first column.
func (m *Model[K, R]) Gutter() int { return m.gutter }

// RowAt returns the index of the row drawn on line y of View (0 is the
// header), for a mouse click; ok is false for the header and below the
// last row.
func (m *Model[K, R]) RowAt(y int) (int, bool) {
	i := m.offset + y - 1
	if y < 1 || i >= len(m.rows) || y > m.VisibleRows() {
		return 0, false
	}
	return i, true
}

// ColumnAt returns the column drawn at cell x of a line, for a click on
// the header; ok is false in the gutter and the gaps.
func (m *Model[K, R]) ColumnAt(x int) (int, bool) {
	at := m.gutter
	for n, i := range m.shown {
		if n > 0 {
			at += Gap
		}
		if x >= at && x < at+m.widths[n] {
			return i, true
		}
		at += m.widths[n]
	}
	return 0, false
}

// Offset is the index of the first row on screen.
func (m *Model[K, R]) Offset() int { return m.offset }

// MoveUp moves the cursor up by n rows.
func (m *Model[K, R]) MoveUp(n int) { m.SetCursor(m.cursor - n) }

// MoveDown moves the cursor down by n rows.
func (m *Model[K, R]) MoveDown(n int) { m.SetCursor(m.cursor + n) }

// PageUp moves the cursor up by a screenful.
func (m *Model[K, R]) PageUp() { m.MoveUp(m.VisibleRows()) }

// PageDown moves the cursor down by a screenful.
func (m *Model[K, R]) PageDown() { m.MoveDown(m.VisibleRows()) }

// GotoTop moves the cursor to the first row.
func (m *Model[K, R]) GotoTop() { m.SetCursor(0) }

// GotoBottom moves the cursor to the last row.
func (m *Model[K, R]) GotoBottom() { m.SetCursor(len(m.rows) - 1) }

// SetCursor moves the cursor to row i (clamped) and scrolls just enough to
// keep it on screen.
func (m *Model[K, R]) SetCursor(i int) {
	m.cursor = max(min(i, len(m.rows)-1), 0)
	vis := m.VisibleRows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	} else if m.cursor >= m.offset+vis {
		m.offset = m.cursor - vis + 1
	}
	m.clampOffset()
	m.rememberKey()
}

func (m *Model[K, R]) clampOffset() {
	vis := m.VisibleRows()
	m.offset = min(m.offset, len(m.rows)-vis)
	m.offset = max(m.offset, 0)
	if m.cursor < m.offset {
		m.offset = m.cursor
	} else if m.cursor >= m.offset+vis {
		m.offset = m.cursor - vis + 1
	}
	m.offset = max(m.offset, 0)
}

// layout picks the columns that fit the width, by priority, and shares
// spare width among flexible columns.
func (m *Model[K, R]) layout() {
	order := make([]int, len(m.cols))
	for i := range order {
		order[i] = i
	}
	// Stable by priority: insertion sort, the column count is small.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && m.cols[order[j]].Priority < m.cols[order[j-1]].Priority; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	keep := make([]bool, len(m.cols))
	width := make([]int, len(m.cols))
	used := 0
	m.gutter = m.gutterWidth()
	avail := m.width - m.gutter
	for n, i := range order {
		need := m.cols[i].Width
		if n > 0 {
			need += Gap
		}
		width[i] = m.cols[i].Width
		if over := used + need - avail; over > 0 && n > 0 {
			if m.cols[i].Priority > 0 {
				continue
			}
			// A must-have column first gives up its own spare cells,
			// then takes from those kept before it.
			own := 0
			if c := m.cols[i]; c.Min > 0 {
				own = min(max(c.Width-c.Min, 0), over)
			}
			if !m.shrink(keep, width, over-own) {
				continue
			}
			width[i] -= own
			used -= over
		}
		keep[i] = true
		used += need
	}
	m.shown = m.shown[:0]
	m.widths = m.widths[:0]
	flex := 0
	for i, c := range m.cols {
		if keep[i] {
			m.shown = append(m.shown, i)
			m.widths = append(m.widths, width[i])
			flex += c.Flex
		}
	}
	// Share what is left among flexible columns, in rounds, so a column
	// that reaches its Max hands the rest to the others.
	spare := avail - used
	for spare > 0 && flex > 0 {
		given, nextFlex := 0, 0
		for n, i := range m.shown {
			c := m.cols[i]
			if c.Flex == 0 || (c.Max > 0 && m.widths[n] >= c.Max) {
				continue
			}
			add := max(spare*c.Flex/flex, 1)
			if c.Max > 0 {
				add = min(add, c.Max-m.widths[n])
			}
			add = min(add, spare-given)
			m.widths[n] += add
			given += add
			if c.Max == 0 || m.widths[n] < c.Max {
				nextFlex += c.Flex
			}
			if given == spare {
				break
			}
		}
		if given == 0 {
			break
		}
		spare -= given
		flex = nextFlex
	}
	clear(m.cache)
	m.header = m.renderHeader()
}

// narrowGutter is the width below which the gutter has one mark, not a
// cursor mark and a scroll mark: a narrow screen needs the cell for names.
const narrowGutter = 60

// gutterWidth is the width of the gutter: the cursor mark, then a scroll
// mark (on a screen at least narrowGutter wide), then a space; none when
// the glyphs are empty.
func (m *Model[K, R]) gutterWidth() int {
	cw, sw := ansi.StringWidth(m.glyphs.Cursor), max(ansi.StringWidth(m.glyphs.Above), ansi.StringWidth(m.glyphs.Below))
	switch {
	case cw+sw == 0:
		return 0
	case m.width < narrowGutter:
		return max(cw, sw) + 1
	}
	return cw + sw + 1
}

// shrink takes over cells from the kept columns that have a Min, in
// column order, to make room for a column of priority 0. It changes
// nothing and returns false when they cannot give that much.
func (m *Model[K, R]) shrink(keep []bool, width []int, over int) bool {
	spare := 0
	for i, c := range m.cols {
		if keep[i] && c.Min > 0 {
			spare += max(width[i]-c.Min, 0)
		}
	}
	if spare < over {
		return false
	}
	for i, c := range m.cols {
		if over == 0 {
			break
		}
		if keep[i] && c.Min > 0 {
			take := min(max(width[i]-c.Min, 0), over)
			width[i] -= take
			over -= take
		}
	}
	return true
}

// SetTitle changes column col's title, for a title that says what the
// data covers ("Trend 02-01..02-28"); one too long for the column is cut.
func (m *Model[K, R]) SetTitle(col int, title string) {
	if m.cols[col].Title == title {
		return
	}
	m.cols[col].Title = title
	m.header = m.renderHeader()
}

// SetColumnMax changes how wide column col may grow (0: no cap), for a
// column whose useful width depends on the data, such as a trend with one
// cell per day.
func (m *Model[K, R]) SetColumnMax(col, maxWidth int) {
	if m.cols[col].Max == maxWidth {
		return
	}
	m.cols[col].Max = maxWidth
	m.layout()
}

// ColumnWidth returns the width of column col at the current layout, or 0
// when it is not shown.
func (m *Model[K, R]) ColumnWidth(col int) int {
	for n, i := range m.shown {
		if i == col {
			return m.widths[n]
		}
	}
	return 0
}

func (m *Model[K, R]) renderHeader() string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", m.gutter))
	for n, i := range m.shown {
		c := m.cols[i]
		title := c.Title
		if c.Key == m.sortKey && c.Key != "" {
			arrow := m.glyphs.Asc
			if m.sortDesc {
				arrow = m.glyphs.Desc
			}
			title += " " + arrow
		}
		if n > 0 {
			b.WriteString(strings.Repeat(" ", Gap))
		}
		b.WriteString(Fit(title, m.widths[n], c.Right, m.glyphs.Ellipsis))
	}
	return m.styles.Header.Render(m.fitLine(b.String()))
}

// fitLine pads or cuts a plain line to exactly the table width.
func (m *Model[K, R]) fitLine(s string) string {
	return Fit(s, m.width, false, "")
}

// line returns the cached rendering of row r, rendering it on first use.
func (m *Model[K, R]) line(r R) cachedLine {
	k := m.key(r)
	if l, ok := m.cache[k]; ok {
		return l
	}
	var styled, plain strings.Builder
	for n, i := range m.shown {
		if n > 0 {
			styled.WriteString(strings.Repeat(" ", Gap))
			plain.WriteString(strings.Repeat(" ", Gap))
		}
		c := m.render(r, i, m.widths[n])
		text := c.Text
		if m.cols[i].Elide {
			text = Elide(text, m.widths[n], m.glyphs.Ellipsis)
		}
		text = Fit(text, m.widths[n], m.cols[i].Right, m.glyphs.Ellipsis)
		plain.WriteString(text)
		if c.Style != nil {
			styled.WriteString(c.Style.Render(text))
		} else {
			styled.WriteString(text)
		}
	}
	room := max(m.width-m.gutter, 0)
	used := ansi.StringWidth(plain.String())
	if pad := room - used; pad > 0 {
		styled.WriteString(strings.Repeat(" ", pad))
		plain.WriteString(strings.Repeat(" ", pad))
	}
	l := cachedLine{styled: styled.String(), plain: plain.String()}
	if used > room { // a screen narrower than the first column
		l.plain = ansi.Truncate(l.plain, room, "")
		l.styled = ansi.Truncate(l.styled, room, "")
	}
	if len(m.cache) >= m.cacheLimit() {
		// Scrolling through 100,000 rows must not keep 100,000 lines:
		// start over; the rows on screen are drawn again on demand.
		clear(m.cache)
	}
	m.cache[k] = l
	return l
}

// cacheLimit is how many rendered lines the table keeps: a few screens.
func (m *Model[K, R]) cacheLimit() int { return max(8*m.VisibleRows(), 512) }

// View renders the header and the rows on screen, exactly height lines
// when there are enough rows, each exactly width cells wide. The gutter
// marks the cursor's row, and on the first and last row on screen, rows
// scrolled out of sight above and below.
func (m *Model[K, R]) View() string {
	var b strings.Builder
	b.WriteString(m.header)
	if len(m.rows) == 0 {
		if m.empty != "" && m.height > 1 {
			b.WriteByte('\n')
			b.WriteString(m.styles.Muted.Render(Fit(m.empty, m.width, false, m.glyphs.Ellipsis)))
		}
		return b.String()
	}
	end := min(m.offset+m.VisibleRows(), len(m.rows))
	lines := make([]string, 0, end-m.offset)
	size := len(m.header)
	for i := m.offset; i < end; i++ {
		l := m.line(m.rows[i])
		s := l.styled
		if i == m.cursor {
			s = m.styles.Selected.Render(m.gutterMark(i, end) + l.plain)
		} else if m.gutter > 0 {
			s = m.gutterMark(i, end) + s
		}
		lines = append(lines, s)
		size += len(s) + 1
	}
	b.Grow(size)
	for _, s := range lines {
		b.WriteByte('\n')
		b.WriteString(s)
	}
	return b.String()
}

// gutterMark is the gutter of row i (end is one past the last row on
// screen): the cursor mark on the cursor's row, and a scroll mark on the
// first or last row on screen when rows are hidden beyond it.
func (m *Model[K, R]) gutterMark(i, end int) string {
	if m.gutter == 0 {
		return ""
	}
	scroll := ""
	switch {
	case i == m.offset && m.offset > 0:
		scroll = m.glyphs.Above
	case i == end-1 && end < len(m.rows):
		scroll = m.glyphs.Below
	}
	if m.width < narrowGutter {
		// One mark: the cursor's, else the scroll mark.
		if i == m.cursor {
			return Fit(m.glyphs.Cursor, m.gutter, false, "")
		}
		return Fit(scroll, m.gutter, false, "")
	}
	cursor := strings.Repeat(" ", ansi.StringWidth(m.glyphs.Cursor))
	if i == m.cursor {
		cursor = m.glyphs.Cursor
	}
	// The cursor's row keeps its scroll mark, so rows hidden beyond it
	// are still said.
	return Fit(cursor+scroll, m.gutter, false, "")
}

// Elide cuts plain text s to at most w cells by replacing its middle with mark,
// keeping a third of the room for its start and the rest for its end:
// what tells two product names apart, and an error's cause, are at the
// end.
func Elide(s string, w int, mark string) string {
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s
	}
	mw := ansi.StringWidth(mark)
	if w <= mw+1 {
		return ansi.Truncate(s, w, "")
	}
	head := max((w-mw)/3, 1)
	tail := w - mw - head
	return ansi.Truncate(s, head, "") + mark + ansi.TruncateLeft(s, sw-tail, "")
}

// Fit pads s to width w (left- or right-aligned) or truncates it with
// tail, measuring display cells, not bytes; s may be styled.
func Fit(s string, w int, right bool, tail string) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, tail)
		sw = ansi.StringWidth(s)
	}
	if sw == w {
		return s
	}
	pad := strings.Repeat(" ", w-sw)
	if right {
		return pad + s
	}
	return s + pad
}
