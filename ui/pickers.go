package ui

import (
	"strings"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
)

// openPeriodPicker offers the presets with their dates, and a custom range
// typed as FROM..TO and checked as it is typed.
func (m *Model) openPeriodPicker() {
	today := m.opts.Today()
	items := make([]pickerItem, 0, len(api.TimePeriods))
	current := -1
	for i, p := range api.TimePeriods {
		start, end, _ := p.Bounds(today)
		items = append(items, pickerItem{
			label:  string(p),
			detail: start.String() + ".." + end.String(),
			apply: func(q state.Query) state.Query {
				q.Period, q.From, q.To = p, 0, 0
				return q
			},
		})
		if m.query.Period == p {
			current = i
		}
	}
	// The rolling presets go to the API as custom ranges.
	cur, isRolling := state.RollingOf(m.query, today)
	for _, p := range state.RollingPeriods {
		start, end := p.Bounds(today)
		if isRolling && p == cur {
			current = len(items)
		}
		items = append(items, pickerItem{
			label:  string(p),
			detail: start.String() + ".." + end.String(),
			apply:  func(q state.Query) state.Query { return p.Apply(q, today) },
		})
	}
	m.picker = newPicker(*m.theme, *m.keys, "Period (or type a range FROM..TO)", "YYYY-MM-DD..YYYY-MM-DD", items, current,
		func(text string) (pickerItem, bool, bool, string) { return parseRange(text, today) })
	m.mode = modePicker
}

// parseRange reads a custom range typed in the period picker: two dates
// separated by "..", a space or " to ". It takes over from filtering as
// soon as the text starts with a digit, and says what is wrong until the
// range is valid.
func parseRange(text string, today api.Date) (item pickerItem, ok, handled bool, reason string) {
	if text == "" || text[0] < '0' || text[0] > '9' {
		return pickerItem{}, false, false, ""
	}
	a, b, found := strings.Cut(text, "..")
	if !found {
		if f := strings.Fields(strings.ReplaceAll(text, " to ", " ")); len(f) == 2 {
			a, b, found = f[0], f[1], true
		}
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	from, err := api.ParseDate(a)
	if err != nil {
		return pickerItem{}, false, true, "start: " + err.Error()
	}
	if !found || b == "" {
		return pickerItem{}, false, true, "now the end date: " + a + "..YYYY-MM-DD"
	}
	to, err := api.ParseDate(b)
	if err != nil {
		return pickerItem{}, false, true, "end: " + err.Error()
	}
	if err := api.ValidateRange(from, to); err != nil {
		return pickerItem{}, false, true, err.Error()
	}
	if from > today {
		return pickerItem{}, false, true, "the range starts after today (" + today.String() + ")"
	}
	days := api.DaysInclusive(from, to)
	detail := formatCount(days) + " days"
	if days == 1 {
		detail = "1 day"
	}
	return pickerItem{
		label:  from.String() + ".." + to.String(),
		detail: detail,
		apply: func(q state.Query) state.Query {
			q.Period, q.From, q.To = "", from, to
			return q
		},
	}, true, true, ""
}

// openCategoryPicker offers every category seen so far, in any query.
func (m *Model) openCategoryPicker() {
	items := []pickerItem{{label: "all categories", apply: func(q state.Query) state.Query {
		q.Category = ""
		return q
	}}}
	current := 0
	// Each category's cost and share in what is loaded (all categories'
	// figures only when the query is over all of them).
	var totals map[string]state.GroupRollup
	if m.store != nil && m.query.Category == "" {
		totals = state.CategoryTotals(m.g.Figures())
	}
	for _, c := range m.categories {
		if c == m.query.Category {
			current = len(items)
		}
		detail := cleanedNote(c)
		if g, ok := totals[c]; ok && detail == "" {
			detail = formatMoney(g.Cost, g.Currency, m.theme.ascii) + " " + leftPad(formatPercent(g.Share), 6)
		}
		items = append(items, pickerItem{label: safetext.Clean(c), detail: detail, apply: func(q state.Query) state.Query {
			q.Category = c
			return q
		}})
	}
	if m.query.Category != "" && current == 0 {
		current = len(items)
		c := m.query.Category
		items = append(items, pickerItem{label: safetext.Clean(c), apply: func(q state.Query) state.Query {
			q.Category = c
			return q
		}})
	}
	m.picker = newPicker(*m.theme, *m.keys, "Product category", "type to narrow", items, current, nil)
	m.mode = modePicker
}

// cleanedNote marks a name whose control characters were removed for
// the screen, so it is not mistaken for the clean name it now looks like.
func cleanedNote(s string) string {
	if safetext.Clean(s) != s {
		return "(control characters removed)"
	}
	return ""
}

// openGroupPicker offers the configured billing groups.
func (m *Model) openGroupPicker() {
	items := make([]pickerItem, 0, len(m.opts.Groups))
	current := 0
	for i, g := range m.opts.Groups {
		if g.ID == m.query.GroupID {
			current = i
		}
		name := g.Name
		if name == "" {
			name = g.ID
		}
		items = append(items, pickerItem{label: safetext.Clean(name), detail: safetext.Clean(shortID(g.ID, m.theme.glyphs.Ellipsis)), apply: func(q state.Query) state.Query {
			q.GroupID, q.GroupName = g.ID, g.Name
			return q
		}})
	}
	m.picker = newPicker(*m.theme, *m.keys, "Billing group", "type to narrow", items, current, nil)
	m.mode = modePicker
}

// leftPad right-aligns s in w cells.
func leftPad(s string, w int) string {
	if n := w - len([]rune(s)); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}
