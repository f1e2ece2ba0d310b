package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/usagetop/usagetop/api"
)

// Budget is one [[budget]] entry: a monthly amount for a billing group, or
// for those of its products whose category and name match its patterns.
type Budget struct {
	// Group is the billing group as written: a configured name or an id.
	Group string
	// GroupID is Group's id when Group is an id or the name of one of
	// Settings.Groups (ReplaceGroups resolves it again); empty otherwise.
	GroupID string
	// Category and Product are patterns on productCategory and the product
	// name in path.Match's syntax (* any run but /, ? one character,
	// [a-z] a class), case ignored; empty matches every product.
	Category string
	Product  string
	// Monthly is the budget for one calendar month, exact, in Currency.
	Monthly decimal.Decimal
	// Currency is Monthly's ISO 4217 code, e.g. "USD".
	Currency string
	// Warn are the percents of Monthly, ascending, at which spend or the
	// month-end forecast is reported: by default 50, 80, 100.
	Warn []int
	// Source is the entry's [[budget]] line in the config file.
	Source Source

	category, product glob
}

// Matches reports whether the budget covers a product of billing group g
// (by id, or by name when Group names a group the file does not configure)
// with the given productCategory and product name.
func (b *Budget) Matches(g Group, category, product string) bool {
	switch {
	case b.GroupID != "" && b.GroupID == g.ID:
	case b.GroupID == "" && g.Name != "" && strings.EqualFold(b.Group, g.Name):
	default:
		return false
	}
	return b.category.Match(category) && b.product.Match(product)
}

// BudgetsFor returns the budgets that cover a product of group g with the
// given category and name, in file order.
func (s *Settings) BudgetsFor(g Group, category, product string) []Budget {
	var out []Budget
	for i := range s.Budgets {
		if s.Budgets[i].Matches(g, category, product) {
			out = append(out, s.Budgets[i])
		}
	}
	return out
}

// Warnings are what `config check` points out without refusing the
// configuration: budgets whose patterns overlap, groups named in budgets
// or [serve.users] that the file does not configure.
func (s *Settings) Warnings() []string { return s.warnings }

// Budget limits: a percent past 1000 is a typo, not a warning level.
const maxWarnPercent = 1000

// applyBudgets reads the [[budget]] tables, then warns of budgets of one
// group whose patterns can match the same product.
func (l *loader) applyBudgets(entries []map[string]any) {
	for i, e := range entries {
		at := "budget[" + strconv.Itoa(i) + "]"
		src := func(field string) Source {
			if l.doc.lines[at+"."+field] > 0 {
				return l.doc.source(at + "." + field)
			}
			return l.doc.source(at)
		}
		b, ok := Budget{Source: l.doc.source(at)}, true
		fail := func(field, format string, args ...any) {
			l.bad(src(field), "budget."+field, format, args...)
			ok = false
		}
		b.Group, _ = e["budget.group"].(string)
		b.Group = strings.TrimSpace(b.Group)
		switch {
		case b.Group == "":
			fail("group", `budget %d has no group; add group = "NAME" (a [[groups]] name) or a group id`, i+1)
		case strings.HasPrefix(b.Group, api.GroupIDPrefix):
			if err := api.ValidateGroupID(b.Group); err != nil {
				fail("group", "%s", reason(err))
			}
			b.GroupID = b.Group
		default:
			if b.GroupID = l.s.budgetGroupID(b.Group); b.GroupID == "" {
				l.s.warnings = append(l.s.warnings, fmt.Sprintf("budget %d (%s): group %q is not in [[groups]]; it will match only a group of that name, such as a demo group", i+1, src("group"), b.Group))
			}
		}
		for _, field := range []string{"category", "product"} {
			pattern, _ := e["budget."+field].(string)
			g, err := parseGlob(pattern)
			if err != nil || hasControl(pattern) {
				fail(field, "%q %v", pattern, errGlob)
				continue
			}
			if field == "category" {
				b.Category, b.category = pattern, g
			} else {
				b.Product, b.product = pattern, g
			}
		}
		if v, set := e["budget.monthly"]; !set {
			fail("monthly", `budget %d has no amount; add monthly = "5000.00" (a month's budget, in quotes)`, i+1)
		} else if d, good := l.money(src("monthly"), lookup("budget.monthly"), v); !good {
			ok = false
		} else if d.IsZero() {
			fail("monthly", "must be more than zero")
		} else {
			b.Monthly = d
		}
		b.Currency, _ = e["budget.currency"].(string)
		if msg := checkCurrency(b.Currency); msg != "" {
			fail("currency", "%s", msg)
		}
		warn, set := e["budget.warn"].([]int64)
		if !set {
			v, _ := lookup("budget.warn").parseText(lookup("budget.warn").Default)
			warn = v.([]int64)
		}
		if msg := checkWarn(warn); msg != "" {
			fail("warn", "%s", msg)
		}
		for _, p := range warn {
			b.Warn = append(b.Warn, int(p))
		}
		slices.Sort(b.Warn)
		if ok {
			l.s.Budgets = append(l.s.Budgets, b)
			l.from(at, b.Source)
		}
	}
	l.s.warnings = append(l.s.warnings, budgetOverlaps(l.s.Budgets)...)
}

// budgetGroupID is the id of a budget's group: the group itself when it is
// an id, else the id of the configured group of that name, else "".
func (s *Settings) budgetGroupID(group string) string {
	if strings.HasPrefix(group, api.GroupIDPrefix) {
		return group
	}
	if g, err := s.FindGroup(group); err == nil {
		return g.ID
	}
	return ""
}

// checkWarn says what is wrong with a list of warning percents, or "".
func checkWarn(warn []int64) string {
	if len(warn) == 0 {
		return "warn is empty; give at least one percent, e.g. [80, 100], or leave warn out for [50, 80, 100]"
	}
	seen := map[int64]bool{}
	for _, p := range warn {
		switch {
		case p < 1 || p > maxWarnPercent:
			return fmt.Sprintf("warn %d is out of range; give percents of the budget from 1 to %d", p, maxWarnPercent)
		case seen[p]:
			return fmt.Sprintf("warn lists %d twice", p)
		}
		seen[p] = true
	}
	return ""
}

// budgetOverlaps warns of two budgets of one group whose patterns can match
// the same product: its cost counts against both. A budget with neither
// pattern is the group's total and overlaps the others by design.
func budgetOverlaps(budgets []Budget) []string {
	var out []string
	for i := range budgets {
		for j := i + 1; j < len(budgets); j++ {
			a, b := &budgets[i], &budgets[j]
			sameGroup := a.GroupID != "" && a.GroupID == b.GroupID || strings.EqualFold(a.Group, b.Group)
			whole := a.Category == "" && a.Product == "" || b.Category == "" && b.Product == ""
			if !sameGroup || whole || !a.category.overlaps(b.category) || !a.product.overlaps(b.product) {
				continue
			}
			out = append(out, fmt.Sprintf("budgets %d (%s) and %d (%s) of group %s can match the same product (%s; %s); its cost counts against both",
				i+1, a.Source, j+1, b.Source, a.Group, patternPair("category", a.Category, b.Category), patternPair("product", a.Product, b.Product)))
		}
	}
	return out
}

func patternPair(field, a, b string) string {
	show := func(p string) string {
		if p == "" {
			return "any"
		}
		return strconv.Quote(p)
	}
	return field + " " + show(a) + " and " + show(b)
}

// reportBudgets shows each budget on one line.
func reportBudgets(s *Settings, r *reporter, _ *spec) {
	r.section()
	for i, b := range s.Budgets {
		what := b.Group
		if b.Category != "" {
			what += ", category " + b.Category
		}
		if b.Product != "" {
			what += ", product " + b.Product
		}
		warn := make([]string, len(b.Warn))
		for i, p := range b.Warn {
			warn[i] = strconv.Itoa(p)
		}
		r.row("budget["+strconv.Itoa(i)+"]", fmt.Sprintf("%s: %s %s a month, warn at %s%%", what, b.Monthly, b.Currency, strings.Join(warn, ", ")), b.Source)
	}
}
