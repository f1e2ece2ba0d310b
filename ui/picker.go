package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/state"
)

// pickerItem is one choice. apply turns the current query into the chosen
// one, so every picker (period, category, group) hands back the same kind
// of result.
type pickerItem struct {
	label  string // already sanitised
	detail string // shown muted on the right
	apply  func(state.Query) state.Query
}

// freeParser reads typed text that is an answer in itself (a custom date
// range) rather than a filter. ok is false with a reason while the text is
// not valid; handled is false when the text is not meant for it.
type freeParser func(text string) (item pickerItem, ok, handled bool, reason string)

// picker is a small list to choose from, narrowed as you type.
type picker struct {
	title  string
	items  []pickerItem
	shown  []int
	cursor int
	input  lineInput
	free   freeParser
	theme  theme
	keys   KeyMap
}

// pickerRows is the most items a picker lists at once.
const pickerRows = 10

func newPicker(th theme, keys KeyMap, title, placeholder string, items []pickerItem, current int, free freeParser) *picker {
	p := &picker{title: title, items: items, free: free, theme: th, keys: keys}
	p.input = newInput(&p.theme, "> ", placeholder)
	p.narrow()
	for i, n := range p.shown {
		if n == current {
			p.cursor = i
		}
	}
	return p
}

// narrow keeps the items whose label or detail holds the typed text.
func (p *picker) narrow() {
	f := strings.ToLower(strings.TrimSpace(p.input.Value()))
	p.shown = p.shown[:0]
	for i, it := range p.items {
		if f == "" || strings.Contains(strings.ToLower(it.label), f) || strings.Contains(strings.ToLower(it.detail), f) {
			p.shown = append(p.shown, i)
		}
	}
	p.cursor = max(0, min(p.cursor, len(p.shown)-1))
}

// freeState parses the typed text with the free parser, if any.
func (p *picker) freeState() (item pickerItem, ok, handled bool, reason string) {
	if p.free == nil || strings.TrimSpace(p.input.Value()) == "" {
		return pickerItem{}, false, false, ""
	}
	return p.free(strings.TrimSpace(p.input.Value()))
}

// update handles a key. It returns the chosen item when one was chosen,
// and closed when the picker is done (chosen or cancelled).
func (p *picker) update(msg tea.KeyMsg) (chosen *pickerItem, closed bool) {
	switch {
	case key.Matches(msg, p.keys.Cancel):
		return nil, true
	case key.Matches(msg, p.keys.Accept):
		if it, ok, handled, _ := p.freeState(); handled {
			if ok {
				return &it, true
			}
			return nil, false // the reason is on screen
		}
		if len(p.shown) == 0 {
			return nil, false
		}
		it := p.items[p.shown[p.cursor]]
		return &it, true
	case msg.Type == tea.KeyUp || msg.Type == tea.KeyCtrlP:
		p.cursor = max(0, p.cursor-1)
		return nil, false
	case msg.Type == tea.KeyDown || msg.Type == tea.KeyCtrlN:
		p.cursor = min(len(p.shown)-1, p.cursor+1)
		p.cursor = max(p.cursor, 0)
		return nil, false
	case msg.Type == tea.KeyHome:
		p.cursor = 0
		return nil, false
	case msg.Type == tea.KeyEnd:
		p.cursor = max(len(p.shown)-1, 0)
		return nil, false
	case msg.Type == tea.KeyPgUp:
		p.cursor = max(p.cursor-pickerRows, 0)
		return nil, false
	case msg.Type == tea.KeyPgDown:
		p.cursor = max(min(p.cursor+pickerRows, len(p.shown)-1), 0)
		return nil, false
	}
	if p.input.Update(msg) {
		p.narrow()
		p.cursor = 0 // the best match is the first one
	}
	return nil, false
}

// view draws the picker as a box at most width cells wide.
func (p *picker) view(width int) string {
	st := p.theme.styles
	inner := max(min(width-4, 64), 10) // the box adds a border and padding
	var lines []string
	lines = append(lines, st.BoxTitle.Render(ansi.Truncate(p.title, inner, p.theme.glyphs.Ellipsis)))
	lines = append(lines, p.input.View(inner))

	it, ok, handled, reason := p.freeState()
	if handled {
		if ok {
			lines = append(lines, st.Down.Render(cellFit("enter: "+it.label+"  "+it.detail, inner, p.theme.glyphs.Ellipsis)))
		} else {
			for _, l := range wrap(reason, inner) {
				lines = append(lines, st.Error.Render(cellFit(l, inner, p.theme.glyphs.Ellipsis)))
			}
		}
	} else {
		lines = append(lines, "")
	}

	start := max(0, p.cursor-pickerRows+1)
	end := min(len(p.shown), start+pickerRows)
	if len(p.shown) == 0 && !handled {
		lines = append(lines, st.Muted.Render("no match"))
	}
	above, below := "↑", "↓"
	if p.theme.ascii {
		above, below = "^", "v"
	}
	if start > 0 {
		lines = append(lines, st.Muted.Render(cellFit(above+" "+formatCount(start)+" more", inner, p.theme.glyphs.Ellipsis)))
	}
	// The cursor's item is marked with a glyph as well as reverse video,
	// so the choice shows on a terminal that draws no attributes.
	mark := p.theme.glyphs.Cursor + " "
	markW := ansi.StringWidth(mark)
	for i := start; i < end; i++ {
		it := p.items[p.shown[i]]
		detailW := min(ansi.StringWidth(it.detail), inner/2)
		label := cellFit(it.label, inner-detailW-1-markW, p.theme.glyphs.Ellipsis)
		row := strings.Repeat(" ", markW) + label + " " + st.Muted.Render(cellFit(it.detail, detailW, p.theme.glyphs.Ellipsis))
		if i == p.cursor {
			row = st.Selected.Render(mark + label + " " + cellFit(it.detail, detailW, p.theme.glyphs.Ellipsis))
		}
		lines = append(lines, row)
	}
	// Say that the list goes on: a picker showing ten categories would
	// otherwise look like all there are.
	if more := len(p.shown) - end; more > 0 {
		lines = append(lines, st.Muted.Render(cellFit(below+" "+formatCount(more)+" more", inner, p.theme.glyphs.Ellipsis)))
	}
	lines = append(lines, "", st.Muted.Render(cellFit("↑↓ pgup pgdn home end · type to narrow · enter choose · esc cancel", inner, p.theme.glyphs.Ellipsis)))
	if p.theme.ascii {
		lines[len(lines)-1] = st.Muted.Render(cellFit("up down pgup pgdn home end, type to narrow, enter choose, esc cancel", inner, p.theme.glyphs.Ellipsis))
	}
	return st.Box.Width(inner + 2).Render(strings.Join(lines, "\n"))
}
