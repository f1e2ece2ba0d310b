package ui

import (
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/snapshot"
	"github.com/usagetop/usagetop/ui/table"
)

// sinceChange is one product's change since the period was last fetched:
// in money, and how much of it is closed days restated.
type sinceChange struct {
	change, drift state.Amount
}

// SetSince installs what changed since the last fetch (nil: nothing to
// compare, and the Change column goes back to the previous period).
func (v *productsView) SetSince(d *snapshot.Diff, title string) {
	v.since, v.sinceTitle = nil, title
	if d != nil {
		v.since = make(map[state.ProductKey]sinceChange, len(d.Products))
		for _, p := range d.Products {
			k := state.ProductKey{Name: p.Product, Category: p.Category, Currency: p.Currency}
			v.since[k] = sinceChange{change: state.AmountOf(p.Change), drift: state.AmountOf(p.Drift)}
		}
	}
	if v.since == nil && v.showSince {
		v.ToggleSince()
	}
	v.tbl.InvalidateAll()
}

// HasSince reports whether there is a change since the last fetch to show.
func (v *productsView) HasSince() bool { return v.since != nil }

// ToggleSince switches the Change column between the change against the
// previous period and the change since the period was last fetched.
func (v *productsView) ToggleSince() {
	v.showSince = !v.showSince && v.since != nil
	title := productColumns[pcChange].Title
	if v.showSince {
		title = v.sinceTitle
	}
	v.tbl.SetTitle(pcChange, title)
	v.tbl.InvalidateAll()
}

// sinceCell is a product's change since the last fetch: the money, and
// "r" (restated) when days already closed then changed since.
func (v *productsView) sinceCell(p *state.ProductRollup, width int) table.Cell {
	st := &v.theme.styles
	c, ok := v.since[p.Key()]
	if !ok {
		return table.Cell{Text: "-", Style: &st.Muted}
	}
	text := state.FormatSignedMoney(c.change, p.Currency, v.theme.ascii)
	if !c.drift.IsZero() {
		text += " (restated " + state.FormatSignedMoney(c.drift, p.Currency, v.theme.ascii) + ")"
		if len([]rune(text)) > width {
			text = state.FormatSignedMoney(c.change, p.Currency, v.theme.ascii) + " r"
		}
	}
	switch c.change.Sign() {
	case 1:
		return table.Cell{Text: text, Style: &st.Up}
	case -1:
		return table.Cell{Text: text, Style: &st.Down}
	}
	return table.Cell{Text: text}
}
