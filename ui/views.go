package ui

import (
	"io"

	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/ui/table"
)

// theme is what every view draws with, built once in New.
type theme struct {
	styles Styles
	glyphs glyphs
	ascii  bool
}

func (t theme) tableStyles() table.Styles {
	return table.Styles{Header: t.styles.Header, Selected: t.styles.Selected, Muted: t.styles.Muted}
}

func (t theme) tableGlyphs() table.Glyphs {
	return table.Glyphs{Asc: t.glyphs.SortAsc, Desc: t.glyphs.SortDesc, Ellipsis: t.glyphs.Ellipsis,
		Cursor: t.glyphs.Cursor, Above: t.glyphs.Above, Below: t.glyphs.Below}
}

// navigator is the cursor movement every view's table offers.
type navigator interface {
	MoveUp(n int)
	MoveDown(n int)
	PageUp()
	PageDown()
	GotoTop()
	GotoBottom()
	Cursor() int
	Len() int
	VisibleRows() int
}

// exportJob is a view's rows, as shown, copied out of the model so the
// file can be written off the event loop.
type exportJob struct {
	base  string // file name without extension
	rows  int
	write func(io.Writer) error
}

// view is one screen of the dashboard (Products, Records, Anomalies). The
// root model keeps a list of them, so adding a view is adding an element.
type view interface {
	// Name is the tab title.
	Name() string
	SetSize(width, height int)
	// Sync is called when the store is replaced (a new generation) or a
	// page was appended.
	Sync(s *state.Store)
	SetFilter(text string)
	// NextSort moves the sort to the next column; ReverseSort flips it.
	NextSort()
	ReverseSort()
	Nav() navigator
	View() string
	// WantsAllPages reports whether the view's figures need every page,
	// so it keeps loading in the background.
	WantsAllPages() bool
	// NearEnd reports whether the cursor is within one screen of the
	// last loaded row, so the next page should be asked for.
	NearEnd() bool
	// Export returns the view's rows as shown (filter and sort applied).
	Export(q state.Query) exportJob
	// SetEmptyText says what the view shows with no rows.
	SetEmptyText(s string)
}

// sortStepper is a view whose sort also steps to the left (<), as htop's
// does, and whose header sorts on a click.
type sortStepper interface {
	PrevSort()
	// SortBy sorts by display column col (a click on its header).
	SortBy(col int)
	// SortKey is the sorted column's key and direction, for the command
	// line `y` copies; SetSortKey sorts by the column named key, and
	// reports whether there is one.
	SortKey() (key string, desc bool)
	SetSortKey(key string, desc bool) bool
}

// clicker is a view that takes mouse clicks on its table; x and y are
// cells within the view's body (y 0 is its first line).
type clicker interface {
	// ClickHeader sorts by the column at x when y is the header line.
	ClickHeader(x, y int) bool
	// ClickRow moves the cursor to the row at line y and returns its
	// index; ok is false when y holds no row.
	ClickRow(y int) (row int, ok bool)
}

// clickHeader sorts tbl's owner by the column at x, when y is the line
// top where tbl's header is drawn.
func clickHeader[K comparable, R any](tbl *table.Model[K, R], x, y, top int, sortBy func(col int)) bool {
	col, ok := tbl.ColumnAt(x)
	if y != top || !ok {
		return false
	}
	sortBy(col)
	return true
}

// clickRow moves tbl's cursor to the row drawn at line y of a view whose
// table starts at line top.
func clickRow[K comparable, R any](tbl *table.Model[K, R], y, top int) (int, bool) {
	i, ok := tbl.RowAt(y - top)
	if ok {
		tbl.SetCursor(i)
	}
	return i, ok
}

// shownTotaler is a view whose rows have a cost: it sums the rows the
// filter leaves, per currency, for the status bar.
type shownTotaler interface {
	ShownTotals() []state.CurrencyTotal
}

// syncMark is what a view was last synced to.
type syncMark struct {
	store *state.Store
	n     int
}

// syncViews brings the view on screen up to date with the store; the
// others catch up when shown (switchView).
func (m *Model) syncViews() { m.syncView(m.active) }

// syncView syncs view i unless it already shows every record of the
// current store.
func (m *Model) syncView(i int) {
	mark := syncMark{store: m.store, n: m.store.Len()}
	if m.synced[i] == mark {
		return
	}
	m.views[i].Sync(m.store)
	m.synced[i] = mark
}

// syncAll syncs every view: a new generation, or a restored one.
func (m *Model) syncAll() {
	for i := range m.views {
		m.synced[i] = syncMark{}
		m.syncView(i)
	}
}
