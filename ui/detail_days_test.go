package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestDetailDaysTable: beside the chart, the product's days newest first,
// the anomaly day marked; pgdn scrolls them; e exports them.
func TestDetailDaysTable(t *testing.T) {
	opts := testOptions(newPagedFetcher(fixtureRecords(10), 1000))
	opts.ExportDir = t.TempDir()
	m := loaded(t, opts, 80, 24)
	m = press(t, m, "/", "Verify-SMS", "enter", "enter")
	v := screen(m)
	if !strings.Contains(v, "Fri 2025-02-28") || !strings.Contains(v, "$127.92 ⚠") {
		t.Fatalf("the detail lacks the days table with the spike marked:\n%s", v)
	}
	m = press(t, m, "pgdown", "pgdown")
	v = screen(m)
	if strings.Contains(v, "Fri 2025-02-28") || !strings.Contains(v, "Sat 2025-02-01") || !strings.Contains(v, "↑ ") {
		t.Errorf("pgdn does not scroll the days:\n%s", v)
	}

	tm, cmd := m.Update(keyMsg("e"))
	m = tm.(Model)
	out := make(chan tea.Msg, 8)
	runCmd(cmd, out)
	msg := waitFor[exportedMsg](out)
	if msg.err != nil || msg.rows != 28 {
		t.Fatalf("export %+v, want 28 days", msg)
	}
	got := readFile(t, msg.path)
	if !strings.HasPrefix(got, "date,product_name,product_category,cost_amount,currency,complete,anomaly\n2025-02-01,Verify-SMS,") ||
		!strings.Contains(got, "2025-02-20,Verify-SMS,verify,127.92,USD,yes,yes") {
		t.Errorf("%s:\n%s", baseName(msg.path), got)
	}
	if !strings.Contains(baseName(msg.path), "days-Verify-SMS") {
		t.Errorf("file %s does not name the product", baseName(msg.path))
	}
}
