package ui

import (
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap is every binding of the dashboard. It implements help.KeyMap, so
// the `?` screen is generated from it, and bindings are enabled by state
// (see Model.updateKeys) so help shows only what works right now.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextView, PrevView                      key.Binding
	Open, Close, Back                       key.Binding
	Sort, PrevSort, NextSort, Reverse       key.Binding
	Filter, Errors                          key.Binding
	Period, PrevPeriod, NextPeriod          key.Binding
	Category, Aggregation, Group            key.Binding
	Refresh, LoadAll, Export, Copy          key.Binding
	Help, Quit                              key.Binding
	// StepProduct is j/k in the detail, for help and the key line only:
	// the keys themselves are Up and Down, which move the table under it.
	StepProduct key.Binding
	// GroupBy cycles the Groups view's grouping.
	GroupBy key.Binding
	// Since switches the Products view's Change column to the change
	// since the period was last fetched (a snapshot store's refresh).
	Since key.Binding

	// Used inside pickers and text inputs, where letters are typed text:
	// Move is the arrows alone.
	Move, Accept, Cancel key.Binding
}

// DefaultKeyMap returns the bindings of DESIGN.md's key table.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Up:          b([]string{"up", "k"}, "↑/k", "up"),
		Down:        b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:      b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown:    b([]string{"pgdown", "ctrl+f", " "}, "pgdn", "page down"),
		Top:         b([]string{"g", "home"}, "g/home", "top"),
		Bottom:      b([]string{"G", "end"}, "G/end", "bottom, loading the rest"),
		NextView:    b([]string{"tab"}, "tab", "view"),
		PrevView:    b([]string{"shift+tab"}, "shift+tab", "previous view"),
		Open:        b([]string{"enter"}, "enter", "detail"),
		Close:       b([]string{"esc"}, "esc", "back"),
		Back:        b([]string{"esc"}, "esc", "clear filter / stop loading"),
		Sort:        b([]string{"s"}, "s", "sort column"),
		PrevSort:    b([]string{"<", ","}, "<", "sort column left"),
		NextSort:    b([]string{">", "."}, ">", "sort column right"),
		Errors:      b([]string{"!"}, "!", "last errors"),
		Reverse:     b([]string{"S"}, "S", "reverse sort"),
		Filter:      b([]string{"/"}, "/", "filter"),
		Period:      b([]string{"p"}, "p", "period"),
		PrevPeriod:  b([]string{"["}, "[", "previous period"),
		NextPeriod:  b([]string{"]"}, "]", "next period"),
		Category:    b([]string{"c"}, "c", "category"),
		Aggregation: b([]string{"a"}, "a", "daily/monthly"),
		Group:       b([]string{"b"}, "b", "billing group"),
		Refresh:     b([]string{"r"}, "r", "refresh / retry"),
		LoadAll:     b([]string{"L"}, "L", "load all"),
		Export:      b([]string{"e"}, "e", "export CSV"),
		Copy:        b([]string{"y"}, "y", "copy command line"),
		Help:        b([]string{"?"}, "?", "help"),
		Quit:        b([]string{"q", "ctrl+c"}, "q", "quit"),
		StepProduct: b([]string{"j", "k"}, "j/k", "next/previous product"),
		GroupBy:     b([]string{"t"}, "t", "group by category/country/direction"),
		Since:       b([]string{"d"}, "d", "change since last fetch / vs previous period"),
		Move:        b([]string{"up", "down"}, "↑/↓", "move"),
		Accept:      b([]string{"enter"}, "enter", "choose"),
		Cancel:      b([]string{"esc"}, "esc", "cancel"),
	}
}

// ShortHelp is the one-line hint under the table. Bindings that do not
// work in the current state are disabled and left out.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Open, k.Close, k.StepProduct, k.GroupBy, k.Sort, k.Filter, k.Period, k.NextView, k.LoadAll, k.Quit}
}

// FullHelp is the `?` screen, one column per group of related keys.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.NextView, k.PrevView},
		{k.Open, k.Close, k.StepProduct, k.Back, k.Sort, k.PrevSort, k.NextSort, k.Reverse, k.Filter, k.Help, k.Quit},
		{k.Period, k.PrevPeriod, k.NextPeriod, k.Category, k.Aggregation, k.Group, k.GroupBy, k.Since},
		{k.Refresh, k.LoadAll, k.Export, k.Copy, k.Errors},
	}
}

// listedWhenOff reports whether help lists b even while it is disabled:
// L, which is off only because everything is loaded and which a user
// should learn about before the next long period.
func (k KeyMap) listedWhenOff(b key.Binding) bool {
	return b.Help().Key == k.LoadAll.Help().Key
}

// pickerHelp is the key hint shown inside a picker.
func (k KeyMap) pickerHelp() []key.Binding {
	return []key.Binding{k.Move, k.Accept, k.Cancel}
}

// asciiHelp swaps the arrows in help texts for words, for --ascii.
func (k *KeyMap) asciiHelp() {
	k.Up.SetHelp("up/k", "up")
	k.Down.SetHelp("down/j", "down")
	k.Move.SetHelp("up/down", "move")
}
