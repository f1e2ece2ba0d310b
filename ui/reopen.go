package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/usagetop/usagetop/state/safetext"
)

// applyReopen applies Options.View, Sort and Filter to a new model, and
// keeps Product to open once it has loaded. It returns what names
// nothing, for the status bar.
func (m *Model) applyReopen() tea.Cmd {
	var bad []string
	if name := strings.TrimSpace(m.opts.View); name != "" {
		found := false
		for i, v := range m.views {
			if strings.EqualFold(v.Name(), name) {
				m.active, found = i, true
			}
		}
		if !found {
			bad = append(bad, "--view "+safetext.Clean(name)+" (products, records or anomalies)")
		}
	}
	if sort := strings.TrimSpace(m.opts.Sort); sort != "" {
		key, dir, _ := strings.Cut(sort, ":")
		ss, ok := m.current().(sortStepper)
		desc := strings.EqualFold(dir, "desc")
		if !ok || (dir != "" && !desc && !strings.EqualFold(dir, "asc")) || !ss.SetSortKey(strings.ToLower(key), desc) {
			bad = append(bad, "--sort "+safetext.Clean(sort)+" (a column of this view, then :asc or :desc)")
		}
	}
	if m.opts.Filter != "" {
		m.setFilter(m.opts.Filter)
	}
	m.pendingProduct = m.opts.Product
	if len(bad) > 0 {
		return m.setFlash("ignored " + strings.Join(bad, ", "))
	}
	return nil
}

// openPending opens the detail of the product --product named, once a
// row of the current view holds it; it gives up when everything has
// loaded without it.
func (m *Model) openPending() tea.Cmd {
	if m.pendingProduct == "" || m.store == nil {
		return nil
	}
	if pv, ok := m.current().(*productsView); ok {
		for pos, i := range pv.pv.Rows() {
			if p := &m.store.Products()[i]; p.Name == m.pendingProduct {
				pv.tbl.SetCursor(pos)
				m.detailOpen, m.detailKey = true, p.Key()
				m.pendingProduct = ""
				m.updateKeys()
				return nil
			}
		}
	} else {
		for _, p := range m.store.Products() {
			if p.Name == m.pendingProduct {
				m.detailOpen, m.detailKey = true, p.Key()
				m.pendingProduct = ""
				m.updateKeys()
				return nil
			}
		}
	}
	if m.store.Done() {
		name := m.pendingProduct
		m.pendingProduct = ""
		return m.setFlash("--product " + safetext.Clean(name) + ": no such product in this period")
	}
	return nil
}

// reopenFlags are the dashboard flags that bring back what is on screen
// besides the query: the tab, the sort (when not the view's default), the
// filter and the open product. Each value is its own element.
func (m *Model) reopenFlags() []string {
	var out []string
	if m.active != 0 {
		out = append(out, "--view", strings.ToLower(m.current().Name()))
	}
	if ss, ok := m.current().(sortStepper); ok {
		key, desc := ss.SortKey()
		def := m.defaultSorts[m.active]
		if key != "" && (key != def.key || desc != def.desc) {
			dir := ":asc"
			if desc {
				dir = ":desc"
			}
			out = append(out, "--sort", key+dir)
		}
	}
	if m.filter != "" {
		out = append(out, "--filter", m.filter)
	}
	if m.detailOpen {
		out = append(out, "--product", m.detailKey.Name)
	}
	return out
}

// sortState is a view's sort column key and direction.
type sortState struct {
	key  string
	desc bool
}
