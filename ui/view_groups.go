package ui

import (
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
	"github.com/usagetop/usagetop/ui/table"
)

// Groups view column indices, in display order.
const (
	gcGroup = iota
	gcProducts
	gcCost
	gcShare
	gcChange
)

var groupColumns = []table.Column{
	gcGroup:    {Key: "group", Title: "Group", Width: 24, Min: 12, Flex: 1, Max: 48, Priority: 0, Elide: true},
	gcProducts: {Key: "products", Title: "Products", Width: 8, Right: true, Priority: 2},
	gcCost:     {Key: "cost", Title: "Cost", Width: 13, Right: true, Priority: 0},
	gcShare:    {Key: "share", Title: "Share", Width: 7, Right: true, Priority: 1},
	gcChange:   {Key: "change", Title: "Change", Width: productChangeWidth, Right: true, Priority: 1},
}

// groupsView totals the Products rows by category, country or direction
// (t cycles), like a frequency table: enter on a group filters Products
// to it.
type groupsView struct {
	theme theme
	store *state.Store
	figs  *state.Figures // the products' figures the groups total
	by    state.GroupBy
	tbl   *table.Model[int, int]

	all    []state.GroupRollup // every group, by cost
	rows   []int               // indices into all, filtered and sorted
	filter string
	sort   int // display column sorted by
	desc   bool
	status string
}

func newGroupsView(th theme) *groupsView {
	v := &groupsView{theme: th, sort: gcCost, desc: true}
	v.tbl = table.New(groupColumns, v.keyOf, v.cell, th.tableStyles(), th.tableGlyphs())
	v.tbl.SetSort(groupColumns[gcCost].Key, true)
	return v
}

// keyOf identifies a group row by its name and currency, so the cursor
// follows a group across sorts and new pages.
func (v *groupsView) keyOf(i int) int {
	g := v.all[i]
	return int(hashString(g.Name + "\x00" + g.Currency))
}

// hashString is FNV-1a, for row keys.
func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

func (v *groupsView) Name() string { return "Groups" }

func (v *groupsView) SetSize(w, h int) { v.tbl.SetSize(w, max(h-1, 1)) }

func (v *groupsView) Nav() navigator { return v.tbl }

func (v *groupsView) SetEmptyText(s string) { v.tbl.SetEmptyText(s) }

func (v *groupsView) WantsAllPages() bool { return true }

func (v *groupsView) NearEnd() bool { return false }

// View is a line saying what the rows are grouped by, then the table.
func (v *groupsView) View() string {
	st := v.theme.styles
	g := v.theme.glyphs
	line := st.Label.Render("by ") + st.Value.Render(v.by.String()) + st.Muted.Render(" "+g.Dot+" t: by "+v.by.Next().String()+" "+g.Dot+" enter: its products")
	if v.status != "" {
		line += st.Muted.Render(" " + g.Dot + " " + v.status)
	}
	return cellFit(line, v.tbl.Width(), g.Ellipsis) + "\n" + v.tbl.View()
}

// Sync keeps the store; the groups come from the figures (SetFigures).
func (v *groupsView) Sync(s *state.Store) { v.store = s }

// SetFigures regroups the products' figures, over the days they cover.
func (v *groupsView) SetFigures(f *state.Figures) {
	v.figs = f
	v.regroup()
}

// CycleGrouping moves to the next grouping.
func (v *groupsView) CycleGrouping() {
	v.by = v.by.Next()
	v.tbl.ResetCursor()
	v.regroup()
}

func (v *groupsView) regroup() {
	if v.figs == nil {
		return
	}
	v.status = "change when the previous period has loaded"
	if v.figs.Compared {
		v.status = "figures " + v.figs.Cover.String()
	}
	v.all = state.GroupProducts(v.figs, v.by)
	v.tbl.InvalidateAll()
	v.apply()
}

// apply filters and sorts the groups into rows.
func (v *groupsView) apply() {
	f := strings.ToLower(v.filter)
	v.rows = v.rows[:0]
	for i, g := range v.all {
		if f == "" || strings.Contains(strings.ToLower(g.Name), f) {
			v.rows = append(v.rows, i)
		}
	}
	slices.SortStableFunc(v.rows, func(a, b int) int {
		c := v.compare(&v.all[a], &v.all[b])
		if v.desc {
			return -c
		}
		return c
	})
	v.tbl.SetRows(v.rows)
}

func (v *groupsView) compare(a, b *state.GroupRollup) int {
	switch v.sort {
	case gcGroup:
		return strings.Compare(a.Name, b.Name)
	case gcProducts:
		return a.Products - b.Products
	case gcShare:
		return cmpFloat(a.Share, b.Share)
	case gcChange:
		return cmpFloat(a.Change.Percent, b.Change.Percent)
	}
	return a.Cost.Cmp(b.Cost)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (v *groupsView) SetFilter(text string) {
	v.filter = text
	v.apply()
}

// NextSort moves to the next column to the right.
func (v *groupsView) NextSort() { v.stepSort(1) }

// PrevSort moves to the next column to the left.
func (v *groupsView) PrevSort() { v.stepSort(-1) }

func (v *groupsView) stepSort(dir int) {
	if next, ok := nextSortColumn(v.sort, dir, len(groupColumns), v.tbl.ShownColumns(), nil); ok {
		v.setSort(next, next != gcGroup)
	}
}

// SortBy sorts by display column col; again, it reverses.
func (v *groupsView) SortBy(col int) {
	if col == v.sort {
		v.ReverseSort()
		return
	}
	v.setSort(col, col != gcGroup)
}

func (v *groupsView) ReverseSort() { v.setSort(v.sort, !v.desc) }

// SortKey returns the sorted column's key and direction.
func (v *groupsView) SortKey() (string, bool) { return groupColumns[v.sort].Key, v.desc }

// SetSortKey sorts by the column named key.
func (v *groupsView) SetSortKey(key string, desc bool) bool {
	for i, c := range groupColumns {
		if c.Key == key {
			v.setSort(i, desc)
			return true
		}
	}
	return false
}

func (v *groupsView) setSort(col int, desc bool) {
	v.sort, v.desc = col, desc
	v.tbl.SetSort(groupColumns[col].Key, desc)
	v.apply()
}

// Selected returns the group under the cursor.
func (v *groupsView) Selected() (state.GroupRollup, bool) {
	i, ok := v.tbl.Selected()
	if !ok {
		return state.GroupRollup{}, false
	}
	return v.all[i], true
}

// FilterText is what the Products filter is set to for group g: its name
// (the filter matches product names and categories); none for the group
// of products whose names carry no country or direction.
func (v *groupsView) FilterText(g state.GroupRollup) (string, bool) {
	if g.Name == state.GroupNone {
		return "", false
	}
	return g.Name, true
}

func (v *groupsView) cell(i, col, width int) table.Cell {
	g := &v.all[i]
	st := &v.theme.styles
	switch col {
	case gcGroup:
		var style *lipgloss.Style
		if g.Name == state.GroupNone {
			style = &st.Muted
		}
		return table.Cell{Text: safetext.Clean(g.Name), Style: style}
	case gcProducts:
		return table.Cell{Text: formatCount(g.Products)}
	case gcCost:
		return table.Cell{Text: fitMoney(g.Cost, g.Currency, v.theme.ascii, width), Style: &st.Money}
	case gcShare:
		return table.Cell{Text: formatPercent(g.Share)}
	case gcChange:
		if !g.HasPrev {
			return table.Cell{Text: "-", Style: &st.Muted}
		}
		return table.Cell{Text: g.Change.String(), Style: groupChangeStyle(st, g.Change)}
	}
	return table.Cell{}
}

// Export writes the groups as shown.
func (v *groupsView) Export(q state.Query) exportJob {
	header := []string{"group_by", "group", "products", "cost_amount", "currency", "share", "change"}
	rows := make([][]string, 0, len(v.rows))
	for _, i := range v.rows {
		g := v.all[i]
		change := ""
		if g.HasPrev {
			change = g.Change.String()
		}
		rows = append(rows, []string{v.by.String(), safetext.Clean(g.Name), strconv.Itoa(g.Products), g.Cost.String(),
			safetext.Clean(g.Currency), strconv.FormatFloat(g.Share, 'f', 4, 64), change})
	}
	return exportJob{base: exportBase("groups-"+v.by.String(), q, v.store), rows: len(rows), write: csvWriter(header, rows)}
}

// ClickHeader sorts by the column clicked in the header line (the body's
// second line: the first says what the rows are grouped by).
func (v *groupsView) ClickHeader(x, y int) bool { return clickHeader(v.tbl, x, y, 1, v.SortBy) }

// ClickRow moves the cursor to the row clicked.
func (v *groupsView) ClickRow(y int) (int, bool) { return clickRow(v.tbl, y, 1) }

// groupChangeStyle colours a group's change with changeStyle (a rise as
// worse, a fall as better); a new cost is muted.
func groupChangeStyle(st *Styles, c state.Change) *lipgloss.Style {
	switch {
	case c.New:
		return &st.Muted
	case c.Percent >= 0.05:
		return changeStyle(st, 1)
	case c.Percent <= -0.05:
		return changeStyle(st, -1)
	}
	return nil
}

// openGroup is enter on a group: Products, filtered to the group's name.
func (m *Model) openGroup(gv *groupsView) tea.Cmd {
	g, ok := gv.Selected()
	if !ok {
		return nil
	}
	text, ok := gv.FilterText(g)
	if !ok {
		return m.setFlash("these products' names carry no " + gv.by.String() + " to filter by")
	}
	m.switchView(-m.active) // Products
	m.setFilter(text)
	return m.maybeFetch()
}
