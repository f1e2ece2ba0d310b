package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/state/safetext"
)

// lineInput is the one-line text field of the filter and the pickers:
// bubbles' textinput, set up for this screen. Its cursor does not blink
// (a blink would redraw the screen twice a second for nothing), it keeps
// the keys the views own (up/down move the list, tab switches views), and
// it draws in the theme's styles, read when drawn because the theme can
// change once the terminal's background is known.
//
// The textinput (5 KB) sits behind a pointer so that copying the root
// model, which every Update does, stays cheap; it is copied on write, so
// an older copy of the model keeps its own text.
type lineInput struct {
	ti          *textinput.Model
	placeholder string
	styles      *Styles
}

// inputLimit bounds what can be typed into a field.
const inputLimit = 80

func newInput(th *theme, prompt, placeholder string) lineInput {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.CharLimit = inputLimit
	// No suggestions are offered, and their keys (tab, up, down) belong
	// to the view around the field.
	ti.KeyMap.AcceptSuggestion.SetEnabled(false)
	ti.KeyMap.NextSuggestion.SetEnabled(false)
	ti.KeyMap.PrevSuggestion.SetEnabled(false)
	// ctrl+v would read the system clipboard in a command (an external
	// program, often missing over ssh); the terminal's own paste arrives
	// as typed text and works everywhere.
	ti.KeyMap.Paste.SetEnabled(false)
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Focus() // the field only sees keys while it is on screen
	return lineInput{ti: &ti, placeholder: placeholder, styles: &th.styles}
}

// Value returns the text typed.
func (in *lineInput) Value() string { return in.ti.Value() }

// Position returns the cursor's index in the text, in runes.
func (in *lineInput) Position() int { return in.ti.Position() }

// SetValue replaces the text and puts the cursor at its end.
func (in *lineInput) SetValue(s string) {
	ti := *in.ti
	ti.SetValue(safetext.Clean(s))
	ti.CursorEnd()
	in.ti = &ti
}

// Update applies one key and reports whether the text changed. Typed and
// pasted text is sanitised first: textinput drops control characters but
// would keep the rest of an escape sequence as text.
func (in *lineInput) Update(msg tea.KeyMsg) bool {
	if msg.Type == tea.KeyRunes {
		msg.Runes = []rune(safetext.Clean(string(msg.Runes)))
	}
	// The only command textinput returns is the cursor blink, which is off.
	ti, _ := in.ti.Update(msg)
	changed := ti.Value() != in.ti.Value()
	in.ti = &ti
	return changed
}

// View draws the prompt and text, width cells at most. Text longer than
// the room scrolls so the cursor stays in view; shorter text is not
// padded, so a hint can follow it on the line.
func (in *lineInput) View(width int) string {
	st := in.styles
	room := width - ansi.StringWidth(in.ti.Prompt) - 1 // one cell for the cursor
	if room <= 0 {
		return ansi.Truncate(st.Label.Render(in.ti.Prompt), max(width, 0), "")
	}
	ti := *in.ti // a copy: drawing changes nothing
	ti.PromptStyle = st.Label
	ti.TextStyle = st.Input
	ti.PlaceholderStyle = st.Muted
	ti.Cursor.Style = st.Cursor
	ti.Cursor.TextStyle = st.Input
	ti.Placeholder = ansi.Truncate(in.placeholder, room+1, "")
	if ansi.StringWidth(ti.Value()) > room {
		// textinput scrolls within Width cells (and then pads to it); the
		// window is placed from scratch: ending at the text's end, or
		// starting at the cursor when the cursor is left of that.
		pos := ti.Position()
		ti.Width = room
		ti.CursorEnd()
		ti.SetCursor(pos)
	}
	out := ti.View()
	if ansi.StringWidth(out) > width { // wide runes can overrun textinput's count
		out = ansi.Truncate(out, width, "")
	}
	return out
}
