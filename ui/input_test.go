package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

func testInput(prompt, placeholder string) lineInput {
	th := &theme{styles: NewStyles(nil, true, false), glyphs: newGlyphs(false)}
	return newInput(th, prompt, placeholder)
}

// typeKeys sends keys by name: a key name from keyMsg, ctrl+ names, or
// text typed (or pasted) at once.
func typeKeys(in *lineInput, keys ...string) (changed bool) {
	ctrl := map[string]tea.KeyType{
		"left": tea.KeyLeft, "right": tea.KeyRight, "delete": tea.KeyDelete, "space": tea.KeySpace,
		"ctrl+a": tea.KeyCtrlA, "ctrl+e": tea.KeyCtrlE, "ctrl+u": tea.KeyCtrlU,
		"ctrl+k": tea.KeyCtrlK, "ctrl+w": tea.KeyCtrlW, "ctrl+v": tea.KeyCtrlV,
	}
	for _, k := range keys {
		msg := keyMsg(k)
		if t, ok := ctrl[k]; ok {
			msg = tea.KeyMsg{Type: t}
			if t == tea.KeySpace {
				msg.Runes = []rune{' '}
			}
		}
		if in.Update(msg) {
			changed = true
		}
	}
	return changed
}

func TestInputEditing(t *testing.T) {
	tests := []struct {
		name    string
		keys    []string
		want    string
		wantPos int
	}{
		{"typing", []string{"v", "e", "r"}, "ver", 3},
		{"paste at once", []string{"verify sms"}, "verify sms", 10},
		{"space", []string{"a", "space", "b"}, "a b", 3},
		{"backspace", []string{"verify", "backspace"}, "verif", 5},
		{"insert mid-text", []string{"vrify", "home", "right", "e"}, "verify", 2},
		{"delete under cursor", []string{"verify", "ctrl+a", "delete"}, "erify", 0},
		{"end after home", []string{"abc", "home", "end", "d"}, "abcd", 4},
		{"ctrl+u clears before cursor", []string{"abc def", "left", "left", "ctrl+u"}, "ef", 0},
		{"ctrl+k clears after cursor", []string{"abc def", "ctrl+a", "right", "ctrl+k"}, "a", 1},
		{"ctrl+w deletes a word", []string{"sms verify", "ctrl+w"}, "sms ", 4},
		{"escape sequences are not text", []string{"a\x1b]0;pwned\x07b"}, "ab", 2},
		{"controls dropped", []string{"a\tb\x00c"}, "a bc", 4},
		{"length is bounded", []string{strings.Repeat("x", 100)}, strings.Repeat("x", inputLimit), inputLimit},
		{"view keys are not text", []string{"ab", "tab", "up", "down", "esc", "enter", "ctrl+v"}, "ab", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInput("/", "")
			typeKeys(&in, tt.keys...)
			if got := in.Value(); got != tt.want {
				t.Errorf("value %q, want %q", got, tt.want)
			}
			if got := in.Position(); got != tt.wantPos {
				t.Errorf("cursor at %d, want %d", got, tt.wantPos)
			}
		})
	}
}

func TestInputUpdateReportsChanges(t *testing.T) {
	in := testInput("/", "")
	if !typeKeys(&in, "a") {
		t.Error("typing reported no change")
	}
	if typeKeys(&in, "left", "right", "up") {
		t.Error("moving the cursor reported a change")
	}
	if !typeKeys(&in, "backspace") {
		t.Error("backspace reported no change")
	}
}

func TestInputSetValueKeepsCursorAtEnd(t *testing.T) {
	in := testInput("/", "")
	typeKeys(&in, "abc", "home")
	in.SetValue("verify")
	if in.Position() != len("verify") {
		t.Errorf("cursor at %d after SetValue", in.Position())
	}
	typeKeys(&in, "x")
	if in.Value() != "verifyx" {
		t.Errorf("typed after SetValue: %q", in.Value())
	}
}

func TestInputViewFitsAndShowsTheCursor(t *testing.T) {
	long := "abcdefghijklmnopqrstuvwxyz0123456789"
	for _, width := range []int{0, 1, 2, 3, 8, 20, 40, 80} {
		for _, text := range []string{"", "ver", long, "日本語のテキスト日本語のテキスト"} {
			in := testInput("/ ", "filter by product")
			in.SetValue(text)
			runes := []rune(text)
			for pos := len(runes); pos >= 0; pos-- {
				v := in.View(width)
				if w := ansi.StringWidth(v); w > width {
					t.Errorf("width %d, %q at %d: drew %d cells: %q", width, text, pos, w, ansi.Strip(v))
				}
				plain := ansi.Strip(v)
				if width >= 8 && pos < len(runes) && !strings.ContainsRune(plain, runes[pos]) {
					t.Errorf("width %d, %q at %d: cursor's rune %q not shown in %q", width, text, pos, runes[pos], plain)
				}
				typeKeys(&in, "left")
			}
		}
	}
}

func TestInputViewDoesNotPadShortText(t *testing.T) {
	// The filter's hint follows the field on the same line.
	in := testInput("/", "")
	in.SetValue("ver")
	if got := ansi.Strip(in.View(80)); got != "/ver " {
		t.Errorf("drew %q, want %q", got, "/ver ")
	}
	in = testInput("/", "filter by product or category")
	if got := ansi.Strip(in.View(12)); got != "/filter by p" {
		t.Errorf("placeholder drew %q, want %q", got, "/filter by p")
	}
}

func TestInputCopiesKeepTheirText(t *testing.T) {
	// The root model is a value: an older copy must not see later typing.
	a := testInput("/", "")
	typeKeys(&a, "ab")
	b := a
	typeKeys(&b, "c")
	c := b
	c.SetValue("x")
	if a.Value() != "ab" || b.Value() != "abc" || c.Value() != "x" {
		t.Errorf("copies hold %q, %q, %q; want ab, abc, x", a.Value(), b.Value(), c.Value())
	}
}
