package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestBudgetsFor(t *testing.T) {
	s, _ := configTestMustLoad(t, configTestEnv{doc: configGoldenIDs +
		"[[budget]]\ngroup = \"a\"\nmonthly = \"12000.00\"\ncurrency = \"USD\"\n" +
		"[[budget]]\ngroup = \"A\"\ncategory = \"sms-*\"\nmonthly = \"500\"\ncurrency = \"USD\"\nwarn = [100, 80]\n" +
		"[[budget]]\ngroup = \"" + configTestID2 + "\"\nproduct = \"*-Verify-*\"\nmonthly = 7\ncurrency = \"GBP\"\n" +
		"[[budget]]\ngroup = \"demo-gbp\"\nmonthly = \"10\"\ncurrency = \"GBP\"\n"})
	if len(s.Budgets) != 4 {
		t.Fatalf("%d budgets, want 4", len(s.Budgets))
	}
	b := s.Budgets[1]
	if b.GroupID != configTestID1 || !b.Monthly.Equal(decimal.NewFromInt(500)) || b.Currency != "USD" || fmt.Sprint(b.Warn) != "[80 100]" {
		t.Errorf("budget 2 = %+v", b)
	}
	if w := s.Budgets[0].Warn; len(w) != 3 || w[0] != 50 || w[2] != 100 {
		t.Errorf("default warn = %v, want [50 80 100]", w)
	}
	a := Group{Name: "a", ID: configTestID1}
	bGroup := Group{Name: "b", ID: configTestID2}
	demo := Group{Name: "Demo-GBP", ID: "commerce_billingprofile_dddddddddddddddddddd"}
	for _, tt := range []struct {
		g                 Group
		category, product string
		want              []int // indexes into s.Budgets
	}{
		{a, "sms-outbound", "US-SMS", []int{0, 1}},
		{a, "voice", "US-Voice", []int{0}},
		{Group{ID: configTestID1}, "sms-x", "x", []int{0, 1}}, // by id alone
		{bGroup, "verify", "US-verify-SMS", []int{2}},
		{bGroup, "verify", "US-Lookup", nil},
		{demo, "voice", "x", []int{3}}, // a name the file does not configure
		{Group{ID: demo.ID}, "voice", "x", nil},
	} {
		got := s.BudgetsFor(tt.g, tt.category, tt.product)
		var idx []int
		for _, g := range got {
			for i := range s.Budgets {
				if s.Budgets[i].Source == g.Source {
					idx = append(idx, i)
				}
			}
		}
		if fmt.Sprint(idx) != fmt.Sprint(tt.want) {
			t.Errorf("BudgetsFor(%v, %q, %q) = budgets %v, want %v", tt.g, tt.category, tt.product, idx, tt.want)
		}
	}
	if got := strings.Join(s.Warnings(), "\n"); !strings.Contains(got, `group "demo-gbp" is not in [[groups]]`) || strings.Contains(got, "budgets 1") {
		t.Errorf("warnings = %q; want the demo name, and no overlap with the group total", got)
	}
}

func TestBudgetOverlapsAreWarnings(t *testing.T) {
	s, path := configTestMustLoad(t, configTestEnv{doc: configGoldenIDs +
		"[[budget]]\ngroup = \"a\"\ncategory = \"sms-*\"\nmonthly = \"5\"\ncurrency = \"USD\"\n" +
		"[[budget]]\ngroup = \"" + configTestID1 + "\"\nproduct = \"*-Verify-*\"\nmonthly = \"5\"\ncurrency = \"USD\"\n" +
		"[[budget]]\ngroup = \"a\"\ncategory = \"voice-*\"\nmonthly = \"5\"\ncurrency = \"USD\"\n" +
		"[[budget]]\ngroup = \"b\"\ncategory = \"sms-*\"\nmonthly = \"5\"\ncurrency = \"USD\"\n"})
	w := strings.Join(s.Warnings(), "\n")
	want := "budgets 1 (" + path + ":7) and 2 (" + path + ":12) of group a can match the same product"
	// 2 (any category, *-Verify-*) and 3 (voice-*, any product) meet in
	// a voice product named *-Verify-*; 1 and 3 never meet; 4 is another group.
	for _, must := range []string{want, "budgets 2 (" + path + ":12) and 3 (" + path + ":17)"} {
		if !strings.Contains(w, must) {
			t.Errorf("warnings lack %q:\n%s", must, w)
		}
	}
	if n := len(s.Warnings()); n != 2 {
		t.Errorf("%d warnings, want 2:\n%s", n, w)
	}
	if r := reportOf(s); !strings.Contains(r, "warning: "+want) {
		t.Errorf("config check does not show the overlap:\n%s", r)
	}
}

func TestCheckCurrency(t *testing.T) {
	for code, want := range map[string]string{
		"USD": "", "GBP": "", "JPY": "", "XOF": "",
		"usd": `in capitals: currency = "USD"`,
		"XYZ": `"XYZ" is not an ISO 4217 currency code`,
		"XAU": "is not an ISO 4217 currency code", // gold is no bill's currency
		"US":  "is not an ISO 4217",
		"":    "no currency",
		"D A": "is not an ISO 4217",
	} {
		got := checkCurrency(code)
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("checkCurrency(%q) = %q, want %q", code, got, want)
		}
	}
}

// TestReplaceGroupsBindsBudgets: with the demo's groups swapped in, a
// budget naming a demo group by name is bound to its id.
func TestReplaceGroupsBindsBudgets(t *testing.T) {
	s, _ := configTestMustLoad(t, configTestEnv{doc: configGoldenIDs +
		"[[budget]]\ngroup = \"demo-gbp\"\nmonthly = \"10\"\ncurrency = \"GBP\"\n" +
		"[[budget]]\ngroup = \"a\"\nmonthly = \"10\"\ncurrency = \"USD\"\n"})
	if s.Budgets[0].GroupID != "" || s.Budgets[1].GroupID != configTestID1 {
		t.Fatalf("before: %q %q", s.Budgets[0].GroupID, s.Budgets[1].GroupID)
	}
	demo := []Group{{Name: "demo-usd", ID: "commerce_billingprofile_dddddddddddddddddddd"}, {Name: "demo-gbp", ID: "commerce_billingprofile_eeeeeeeeeeeeeeeeeeee"}}
	if err := s.ReplaceGroups(demo, ""); err != nil {
		t.Fatal(err)
	}
	if s.Budgets[0].GroupID != demo[1].ID || s.Budgets[1].GroupID != "" {
		t.Errorf("after: %q %q, want the demo-gbp id and none", s.Budgets[0].GroupID, s.Budgets[1].GroupID)
	}
	if got := s.BudgetsFor(Group{ID: demo[1].ID}, "any", "any"); len(got) != 1 || got[0].Group != "demo-gbp" {
		t.Errorf("BudgetsFor(demo-gbp by id) = %+v", got)
	}
}
