package ui

import (
	"strings"
	"testing"
)

// TestCopiedCommandReopensTheView: y copies the tab, sort, filter and open
// product, and a dashboard started with those flags shows the same view.
func TestCopiedCommandReopensTheView(t *testing.T) {
	f := newPagedFetcher(fixtureRecords(10), 1000)
	m := loaded(t, testOptions(f), 120, 30)
	if line := m.commandLine(); strings.Contains(line, "--view") || strings.Contains(line, "--sort") {
		t.Errorf("the default view copies view flags: %s", line)
	}
	m = press(t, m, "/", "verify", "enter", ">", "enter")
	line := m.commandLine()
	for _, want := range []string{"--period LAST_MONTH", "--sort share:desc", "--filter verify", "--product Verify-"} {
		if !strings.Contains(line, want) {
			t.Errorf("copied %q lacks %q", line, want)
		}
	}
	opened := m.detailKey.Name

	opts := testOptions(newPagedFetcher(fixtureRecords(10), 1000))
	opts.Sort, opts.Filter, opts.Product = "share:desc", "verify", opened
	again := loaded(t, opts, 120, 30)
	if !again.detailOpen || again.detailKey.Name != opened || again.filter != "verify" {
		t.Errorf("reopened: detail %v %q, filter %q; want %q open under the filter", again.detailOpen, again.detailKey.Name, again.filter, opened)
	}
	if got := again.commandLine(); got != line {
		t.Errorf("the reopened view copies %q, want %q", got, line)
	}

	m = press(t, loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 1000)), 120, 30), "tab", "S")
	if line := m.commandLine(); !strings.Contains(line, "--view records --sort date:desc") {
		t.Errorf("Records reversed copies %q", line)
	}
	opts = testOptions(newPagedFetcher(fixtureRecords(10), 1000))
	opts.View, opts.Sort = "nosuch", "bogus"
	bad := loaded(t, opts, 120, 30)
	if !strings.Contains(bad.flash, "--view nosuch") || !strings.Contains(bad.flash, "--sort bogus") {
		t.Errorf("bad flags are not said: %q", bad.flash)
	}
}
