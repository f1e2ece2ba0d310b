package state

import (
	"cmp"
	"slices"
	"strings"
)

// GroupBy is what the Groups view totals products by.
type GroupBy int

// Groupings, in the order the Groups view cycles through them.
const (
	GroupCategory  GroupBy = iota // the API's productCategory
	GroupCountry                  // the country a product name starts with
	GroupDirection                // Outbound or Inbound, from the product name
)

// String names the grouping for the screen.
func (g GroupBy) String() string {
	switch g {
	case GroupCountry:
		return "country"
	case GroupDirection:
		return "direction"
	}
	return "category"
}

// Next is the grouping after g, wrapping.
func (g GroupBy) Next() GroupBy { return (g + 1) % 3 }

// GroupNone is the group of products whose name carries no country or
// direction.
const GroupNone = "(not in the name)"

// GroupRollup is the total of one group of products in one currency.
type GroupRollup struct {
	Name     string
	Currency string
	Products int
	Cost     Amount
	// Share is Cost over the currency's total cost (0..1), for display.
	Share float64
	// PrevCost is the group's cost over the compared days; Change compares
	// the two (HasPrev: once the previous period has loaded).
	PrevCost Amount
	HasPrev  bool
	Change   Change
}

// GroupProducts totals the products' figures by g, one group per name
// and currency, sorted by cost, highest first (then by name). Money is
// summed exactly; a currency's shares add up to its total. Once the
// figures are compared, each group's change follows the same rule as a
// product's (Figures' coverage), over the same days.
func GroupProducts(figs *Figures, g GroupBy) []GroupRollup {
	type key struct{ name, currency string }
	idx := map[key]int{}
	var out []GroupRollup
	totals := map[string]Amount{}
	for _, p := range figs.Rows() {
		k := key{GroupOf(p.Key.Name, p.Key.Category, g), p.Key.Currency}
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, GroupRollup{Name: k.name, Currency: k.currency})
		}
		out[j].Products++
		out[j].Cost = out[j].Cost.Add(p.Cost)
		out[j].PrevCost = out[j].PrevCost.Add(p.PrevCost)
		totals[p.Key.Currency] = totals[p.Key.Currency].Add(p.Cost)
	}
	for i := range out {
		r := &out[i]
		if t := totals[r.Currency].Decimal(); t.IsPositive() {
			r.Share = r.Cost.Decimal().DivRound(t, 8).InexactFloat64()
		}
		if figs.Compared {
			r.HasPrev = true
			r.Change = figs.compare(r.Cost, r.PrevCost)
		}
	}
	slices.SortFunc(out, func(a, b GroupRollup) int {
		if c := b.Cost.Cmp(a.Cost); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Currency, b.Currency))
	})
	return out
}

// GroupOf returns the group a product belongs to under g.
func GroupOf(name, category string, g GroupBy) string {
	var s string
	var ok bool
	switch g {
	case GroupCountry:
		s, ok = ProductCountry(name)
	case GroupDirection:
		s, ok = ProductDirection(name)
	default:
		s, ok = category, category != ""
	}
	if !ok {
		return GroupNone
	}
	return s
}

// directions are the words product names use for a direction.
var directions = []string{"Outbound", "Inbound"}

// services are first words of product names that name a service, not a
// country ("Voice-Outbound-Minutes").
var services = []string{"voice", "sms", "mms", "whatsapp", "verify", "conversations", "lookups", "lookup",
	"phone numbers", "short code", "support plan", "sip", "messaging", "video", "fax", "programmable voice"}

// ProductDirection returns the direction a product name carries as one of
// its dash-separated words ("United States-Outbound-LC-SMS": Outbound).
func ProductDirection(name string) (string, bool) {
	for _, part := range strings.Split(name, "-") {
		for _, d := range directions {
			if strings.EqualFold(strings.TrimSpace(part), d) {
				return d, true
			}
		}
	}
	return "", false
}

// ProductCountry returns the country a product name starts with: its
// first word, when a direction or carrier fees follow it and it does not
// name a service ("Nigeria-Outbound-SMS": Nigeria; "Voice-Outbound-Minutes"
// has none).
func ProductCountry(name string) (string, bool) {
	parts := strings.Split(name, "-")
	if len(parts) < 2 {
		return "", false
	}
	first := strings.TrimSpace(parts[0])
	if first == "" || slices.Contains(services, strings.ToLower(first)) {
		return "", false
	}
	second := strings.TrimSpace(parts[1])
	if _, ok := ProductDirection(second); ok || strings.EqualFold(second, "Carrier Fees") {
		return first, true
	}
	return "", false
}

// CategoryTotals is each category's total and share of its currency's
// total, for the category picker: GroupProducts by category, keyed by
// category (a category billed in two currencies keeps the larger).
func CategoryTotals(figs *Figures) map[string]GroupRollup {
	out := map[string]GroupRollup{}
	for _, g := range GroupProducts(figs, GroupCategory) {
		if _, ok := out[g.Name]; !ok {
			out[g.Name] = g
		}
	}
	return out
}
