package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// handleMouse scrolls with the wheel and takes clicks (mouse reporting is
// on only with Options.Mouse). A wheel notch is a cursor move, routed as
// the arrow key so pickers, help and the detail treat it as they treat
// the key. A click on a tab switches to it, on a column title sorts by it
// (again: reverses it), on a row selects it (again: opens its detail).
func (m Model) handleMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if msg.Action != tea.MouseActionPress {
		return m, nil
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		return m.handleKey(tea.KeyMsg{Type: tea.KeyUp})
	case tea.MouseButtonWheelDown:
		return m.handleKey(tea.KeyMsg{Type: tea.KeyDown})
	case tea.MouseButtonLeft:
		return m.click(msg.X, msg.Y)
	}
	return m, nil
}

// click handles a left click at cell x, line y of the screen.
func (m Model) click(x, y int) (tea.Model, tea.Cmd) {
	if m.mode != modeNormal || m.fatal != nil {
		return m, nil
	}
	if y == headerLines-1 { // the tab strip
		if m.detailOpen { // the detail's strip: back to its view
			m.detailOpen = false
			m.updateKeys()
			return m, nil
		}
		if i, ok := m.tabAt(x); ok && i != m.active {
			m.switchView(i - m.active)
			m.updateKeys()
			return m, m.maybeFetch()
		}
		return m, nil
	}
	c, ok := m.current().(clicker)
	if !ok || m.detailOpen || y < headerLines {
		return m, nil
	}
	by := y - headerLines
	if c.ClickHeader(x, by) {
		m.updateKeys()
		return m, nil
	}
	before := m.current().Nav().Cursor()
	if row, ok := c.ClickRow(by); ok {
		if row == before {
			return m.handleKey(tea.KeyMsg{Type: tea.KeyEnter})
		}
		m.updateKeys()
		return m, m.maybeFetch()
	}
	return m, nil
}
