package ui

import (
	"regexp"
	"strings"
	"testing"
)

// TestGroupsViewTotalsAndFilters: the Groups tab totals cost and share by
// category (t: by country, by direction), and enter on a group shows its
// products.
func TestGroupsViewTotalsAndFilters(t *testing.T) {
	m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 1000)), 100, 30)
	m = press(t, m, "shift+tab")
	if m.current().Name() != "Groups" {
		t.Fatalf("shift+tab from Products goes to %s", m.current().Name())
	}
	v := screen(m)
	// verify = Verify-WhatsApp $670.00 + Verify-SMS $642.12.
	if !strings.Contains(v, "by category") || !regexpLine(v, `verify\s+2\s+\$1,312\.12\s+23\.7%`) {
		t.Errorf("the category totals are wrong:\n%s", v)
	}
	m = press(t, m, "t")
	if v := screen(m); !strings.Contains(v, "by country") || !strings.Contains(v, "United States") {
		t.Errorf("t does not group by country:\n%s", v)
	}
	m = press(t, m, "t")
	if v := screen(m); !strings.Contains(v, "by direction") || !strings.Contains(v, "Outbound") {
		t.Errorf("t does not group by direction:\n%s", v)
	}
	m = press(t, m, "t", "/", "verify", "enter", "enter")
	if m.current().Name() != "Products" || m.filter != "verify" || m.current().Nav().Len() != 2 {
		t.Errorf("enter on verify: view %s, filter %q, %d rows", m.current().Name(), m.filter, m.current().Nav().Len())
	}
}

// TestCategoryPickerShowsCostAndShare: the c picker says what each
// category cost and its share.
func TestCategoryPickerShowsCostAndShare(t *testing.T) {
	m := loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 1000)), 100, 30)
	m = press(t, m, "c")
	if v := screen(m); !regexpLine(v, `verify\s+\$1,312\.12\s+23\.7%`) {
		t.Errorf("the picker lacks verify's cost and share:\n%s", v)
	}
}

// regexpLine reports whether a line of s matches pattern.
func regexpLine(s, pattern string) bool {
	re := regexp.MustCompile(pattern)
	for _, l := range strings.Split(s, "\n") {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}
