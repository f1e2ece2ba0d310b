package ui

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// lineInput is a one-line text field: enough editing for a filter or a
// date range (type, backspace, delete, left/right, home/end, ctrl+u,
// ctrl+w, paste). bubbles/textinput would pull in a clipboard module the
// build does not carry, and its blinking cursor redraws the screen.
type lineInput struct {
	prompt, placeholder string
	value               []rune
	pos                 int
	limit               int
	styles              *Styles
}

// inputLimit bounds what can be typed into a field.
const inputLimit = 80

func newInput(th *theme, prompt, placeholder string) lineInput {
	return lineInput{prompt: prompt, placeholder: placeholder, limit: inputLimit, styles: &th.styles}
}

// Value returns the text typed.
func (in *lineInput) Value() string { return string(in.value) }

// SetValue replaces the text and puts the cursor at its end.
func (in *lineInput) SetValue(s string) {
	in.value = []rune(s)
	in.pos = len(in.value)
}

// Update applies one key and reports whether the text changed.
func (in *lineInput) Update(msg tea.KeyMsg) bool {
	before := string(in.value)
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		in.insert(msg.Runes)
	case tea.KeyBackspace, tea.KeyCtrlH:
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete, tea.KeyCtrlD:
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
	case tea.KeyLeft, tea.KeyCtrlB:
		in.pos = max(0, in.pos-1)
	case tea.KeyRight, tea.KeyCtrlF:
		in.pos = min(len(in.value), in.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.value)
	case tea.KeyCtrlU:
		in.value = in.value[in.pos:]
		in.pos = 0
	case tea.KeyCtrlK:
		in.value = in.value[:in.pos]
	case tea.KeyCtrlW:
		i := in.pos
		for i > 0 && unicode.IsSpace(in.value[i-1]) {
			i--
		}
		for i > 0 && !unicode.IsSpace(in.value[i-1]) {
			i--
		}
		in.value = append(in.value[:i], in.value[in.pos:]...)
		in.pos = i
	}
	return string(in.value) != before
}

// insert adds typed or pasted runes at the cursor, dropping controls.
func (in *lineInput) insert(rs []rune) {
	if msg := Sanitize(string(rs)); msg != string(rs) {
		rs = []rune(msg)
	}
	for _, r := range rs {
		if len(in.value) >= in.limit {
			return
		}
		in.value = append(in.value, 0)
		copy(in.value[in.pos+1:], in.value[in.pos:])
		in.value[in.pos] = r
		in.pos++
	}
}

// View draws the prompt and text, width cells at most, with the cursor
// shown as a reversed cell.
func (in *lineInput) View(width int) string {
	var b strings.Builder
	b.WriteString(in.styles.Label.Render(in.prompt))
	room := width - ansi.StringWidth(in.prompt) - 1
	if room <= 0 {
		return ansi.Truncate(b.String(), max(width, 0), "")
	}
	if len(in.value) == 0 {
		b.WriteString(in.styles.Cursor.Render(" "))
		if in.placeholder != "" {
			b.WriteString(in.styles.Muted.Render(ansi.Truncate(in.placeholder, room, "")))
		}
		return b.String()
	}
	// Scroll so the cursor stays in view.
	start := 0
	if in.pos > room {
		start = in.pos - room
	}
	end := min(len(in.value), start+room)
	before := string(in.value[start:in.pos])
	b.WriteString(in.styles.Input.Render(before))
	if in.pos < len(in.value) {
		b.WriteString(in.styles.Cursor.Render(string(in.value[in.pos])))
		if in.pos+1 < end {
			b.WriteString(in.styles.Input.Render(string(in.value[in.pos+1 : end])))
		}
	} else {
		b.WriteString(in.styles.Cursor.Render(" "))
	}
	return b.String()
}
