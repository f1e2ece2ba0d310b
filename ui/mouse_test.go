package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func click(t *testing.T, m Model, x, y int) Model {
	t.Helper()
	tm, cmd := m.Update(tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	return settle(t, tm.(Model), cmd)
}

// TestMouseClicks: a click on a column title sorts by it, on a row
// selects it, on a tab switches to it.
func TestMouseClicks(t *testing.T) {
	opts := testOptions(newPagedFetcher(fixtureRecords(10), 1000))
	opts.Mouse = true
	m := loaded(t, opts, 120, 30)
	lines := strings.Split(screen(m), "\n")
	header := lines[headerLines]
	x := strings.Index(header, "Share")
	m = click(t, m, x, headerLines)
	if key, desc := m.current().(sortStepper).SortKey(); key != "share" || !desc {
		t.Errorf("click on Share sorts by %s desc=%v", key, desc)
	}
	m = click(t, m, 10, headerLines+4)
	if got := m.current().Nav().Cursor(); got != 3 {
		t.Errorf("click on the fourth row puts the cursor on %d", got)
	}
	m = click(t, m, 10, headerLines+4)
	if !m.detailOpen {
		t.Error("a click on the selected row does not open its detail")
	}
	m = click(t, m, 0, headerLines-1)
	if m.detailOpen {
		t.Error("a click on the detail's tab strip does not go back")
	}
	tabs := strings.Split(screen(m), "\n")[headerLines-1]
	m = click(t, m, strings.Index(tabs, "Records")+2, headerLines-1)
	if m.active != 1 || m.detailOpen {
		t.Errorf("click on the Records tab: view %d, detail %v", m.active, m.detailOpen)
	}
}
