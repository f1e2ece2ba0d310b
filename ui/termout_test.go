package ui

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// emu is a tiny terminal that keeps each row as the bytes written to it
// from column 0. It understands only what the renderer and scrollWriter
// send (CUP, home, EL, ED, CR, LF, DECSTBM, SU, SD, SGR inside text, DEC
// private modes, OSC) and fails on anything it cannot model exactly, such
// as text that does not start at column 0 or a short line without EL.
type emu struct {
	w, h     int
	rows     []string
	row      int
	col0     bool // the cursor is at column 0 of row
	pending  strings.Builder
	top, bot int
	err      error
}

func newEmu(w, h int) *emu {
	e := &emu{w: w, h: h}
	e.clear()
	return e
}

func (e *emu) clear() {
	e.rows = make([]string, e.h)
	e.row, e.col0, e.top, e.bot = 0, true, 0, e.h-1
}

func (e *emu) fail(format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf(format, args...)
	}
}

// commit puts the text written since column 0 on the row. Without an
// erase after it, it must cover the whole row.
func (e *emu) commit(erase bool) {
	if e.pending.Len() == 0 {
		if erase && e.col0 {
			e.rows[e.row] = ""
		}
		return
	}
	s := e.pending.String()
	if !erase && ansi.StringWidth(s) < e.w {
		e.fail("row %d: a %d-cell line with no erase after it", e.row, ansi.StringWidth(s))
	}
	e.rows[e.row] = s
	e.pending.Reset()
	e.col0 = false
}

func (e *emu) scroll(n int, up bool) {
	for ; n > 0; n-- {
		if up {
			copy(e.rows[e.top:e.bot], e.rows[e.top+1:e.bot+1])
			e.rows[e.bot] = ""
		} else {
			copy(e.rows[e.top+1:e.bot+1], e.rows[e.top:e.bot])
			e.rows[e.top] = ""
		}
	}
}

func (e *emu) Write(p []byte) (int, error) {
	s := string(p)
	for s != "" && e.err == nil {
		switch {
		case strings.HasPrefix(s, "\x1b]"):
			end := strings.IndexAny(s, "\a")
			if st := strings.Index(s, "\x1b\\"); st >= 0 && (end < 0 || st < end) {
				end = st + 1
			}
			if end < 0 {
				e.fail("unterminated OSC")
				return len(p), nil
			}
			s = s[end+1:]
		case strings.HasPrefix(s, "\x1b["):
			j := 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			if j == len(s) {
				e.fail("unterminated CSI %q", s)
				return len(p), nil
			}
			params, final := s[2:j], s[j]
			seq := s[:j+1]
			s = s[j+1:]
			e.csi(seq, params, final)
		case s[0] == '\r':
			e.commit(false)
			e.col0 = true
			s = s[1:]
		case s[0] == '\n':
			e.commit(false)
			if e.row == e.h-1 {
				e.fail("line feed on the last row")
			}
			e.row++
			s = s[1:]
		case s[0] == 0x1b:
			e.fail("unknown escape %q", s)
		default:
			if e.pending.Len() == 0 && !e.col0 {
				e.fail("row %d: text not at column 0: %q", e.row, s)
			}
			e.pending.WriteByte(s[0])
			s = s[1:]
		}
	}
	return len(p), nil
}

func (e *emu) csi(seq, params string, final byte) {
	num := func(s string, def int) int {
		if s == "" {
			return def
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			e.fail("bad parameter in %q", seq)
		}
		return n
	}
	if strings.HasPrefix(params, "?") {
		if final != 'h' && final != 'l' {
			e.fail("unknown %q", seq)
		}
		if strings.Contains(params, "1049") {
			e.clear()
		}
		return
	}
	switch final {
	case 'm':
		if e.pending.Len() == 0 && !e.col0 {
			e.fail("row %d: colour not at column 0", e.row)
		}
		e.pending.WriteString(seq)
	case 'H':
		e.commit(false)
		rc := strings.Split(params, ";")
		row, col := num(rc[0], 1), 1
		if len(rc) > 1 {
			col = num(rc[1], 1)
		}
		if col != 1 {
			e.fail("cursor to column %d", col)
		}
		e.row, e.col0 = row-1, true
	case 'K':
		switch params {
		case "":
			e.commit(true)
		case "2":
			e.pending.Reset()
			e.rows[e.row] = ""
		default:
			e.fail("unknown %q", seq)
		}
	case 'J':
		e.commit(false)
		switch params {
		case "":
			from := e.row + 1
			if e.col0 {
				from = e.row
			}
			for i := from; i < e.h; i++ {
				e.rows[i] = ""
			}
		case "2":
			for i := range e.rows {
				e.rows[i] = ""
			}
		default:
			e.fail("unknown %q", seq)
		}
	case 'r':
		e.commit(false)
		rc := strings.Split(params, ";")
		e.top, e.bot = 0, e.h-1
		if params != "" {
			e.top, e.bot = num(rc[0], 1)-1, num(rc[1], e.h)-1
		}
		e.row, e.col0 = 0, true
	case 'S', 'T':
		e.commit(false)
		e.scroll(num(params, 1), final == 'S')
	default:
		e.fail("unknown %q", seq)
	}
}

func (e *emu) screen() string { return strings.Join(e.rows, "\n") }

// frameOf builds the renderer's frame that paints lines, skipping those
// equal to prev's, the way standard_renderer.go's flush does in alt-screen.
func frameOf(prev, lines []string) []byte {
	var b strings.Builder
	b.WriteString("\x1b[H")
	for i, l := range lines {
		if i < len(prev) && prev[i] == l {
			if i < len(lines)-1 {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteString(l + "\x1b[K")
		if i < len(lines)-1 {
			b.WriteString("\r\n")
		}
	}
	b.WriteString(ansi.CursorPosition(0, len(lines)))
	return []byte(b.String())
}

func rowsOf(first, n int) []string {
	lines := []string{"header", "\x1b[1mcolumns\x1b[0m"}
	for i := 0; i < n; i++ {
		lines = append(lines, fmt.Sprintf("row %d", first+i))
	}
	return append(lines, "status")
}

// TestScrollWriterScrolls checks a one-row scroll either way becomes a
// scroll region, a scroll and a few lines, and leaves the screen as the
// renderer's own bytes would.
func TestScrollWriterScrolls(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to int
		scroll   string
	}{
		{"down a row", 0, 1, "\x1b[1S"},
		{"up a row", 1, 0, "\x1b[1T"},
		{"down three", 0, 3, "\x1b[3S"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prev, next := rowsOf(tc.from, 20), rowsOf(tc.to, 20)
			want, got := newEmu(40, len(prev)), newEmu(40, len(prev))
			sw := &scrollWriter{out: got}
			for _, f := range [][]byte{frameOf(nil, prev), frameOf(prev, next)} {
				want.Write(f)
				out := sw.filter(f)
				got.Write(out)
				if bytes.Equal(f, frameOf(prev, next)) {
					if !strings.Contains(string(out), tc.scroll) {
						t.Errorf("no scroll in %q", out)
					}
					if len(out) >= len(f) {
						t.Errorf("rewrote %d bytes into %d", len(f), len(out))
					}
				}
			}
			if want.err != nil || got.err != nil {
				t.Fatalf("emulator: %v / %v", want.err, got.err)
			}
			if want.screen() != got.screen() {
				t.Errorf("screen\n%s\nwant\n%s", got.screen(), want.screen())
			}
		})
	}
}

// TestScrollWriterPassesThrough checks what it must not rewrite goes out
// byte for byte, and what changes the screen behind its back makes it
// forget the screen.
func TestScrollWriterPassesThrough(t *testing.T) {
	prev, next := rowsOf(0, 20), rowsOf(1, 20)
	scrolledFrame := frameOf(prev, next)
	for _, tc := range []struct {
		name   string
		before string // written between the two frames
		keeps  bool   // the scrolled frame is still rewritten
	}{
		{"clipboard", "\x1b]52;c;aGVsbG8=\a", true},
		{"title", "\x1b]2;usagetop\x1b\\", true},
		{"cursor and mouse", "\x1b[?25l\x1b[?1002h\x1b[?1006h", true},
		{"alt screen", "\x1b[?1049h", false},
		{"clear", "\x1b[2J", false},
		{"home alone", "\x1b[H", false},
		{"unknown", "\x1b[5;5Hx", false},
		{"short frame", string(frameOf(nil, rowsOf(0, 10))), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sw := &scrollWriter{out: &bytes.Buffer{}}
			sw.filter(frameOf(nil, prev))
			if out := sw.filter([]byte(tc.before)); string(out) != tc.before {
				t.Errorf("wrote %q for %q", out, tc.before)
			}
			out := sw.filter(scrolledFrame)
			if rewritten := !bytes.Equal(out, scrolledFrame); rewritten != tc.keeps {
				t.Errorf("rewritten = %v after %q", rewritten, tc.before)
			}
		})
	}
	t.Run("not a frame", func(t *testing.T) {
		sw := &scrollWriter{out: &bytes.Buffer{}}
		for _, p := range []string{"hello", "\x1b[2A\rline\r\n\x1b[K", "\x1b[Hline\r\n\x1b[3;5H", "\x1b[H\x1b[K"} {
			if out := sw.filter([]byte(p)); string(out) != p {
				t.Errorf("wrote %q for %q", out, p)
			}
		}
	})
	t.Run("colour left on", func(t *testing.T) {
		sw := &scrollWriter{out: &bytes.Buffer{}}
		open := rowsOf(0, 20)
		open[5] = "\x1b[31mred"
		sw.filter(frameOf(nil, open))
		next := append([]string{open[0], open[1]}, open[3:]...)
		next = append(next[:len(next)-1], "row 20", "status")
		f := frameOf(open, next)
		if out := sw.filter(f); !bytes.Equal(out, f) {
			t.Errorf("rewrote a frame whose colours run across lines: %q", out)
		}
	})
}

// recorder feeds each write of the program to the renderer's terminal and,
// through a scrollWriter, to a second one, and compares them after each.
type recorder struct {
	t          *testing.T
	mu         sync.Mutex
	raw, viaSW *emu
	sw         *scrollWriter
	rawBytes   int
	swBytes    *countWriter
	writes     int
}

type countWriter struct {
	w io.Writer
	n int
}

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return c.w.Write(p) }

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes++
	r.rawBytes += len(p)
	r.raw.Write(p)
	r.sw.Write(p)
	if r.raw.err != nil || r.viaSW.err != nil {
		r.t.Errorf("write %d %q: emulator: %v / %v", r.writes, p, r.raw.err, r.viaSW.err)
		r.raw.err, r.viaSW.err = nil, nil
	}
	if a, b := r.raw.screen(), r.viaSW.screen(); a != b {
		r.t.Errorf("write %d %q: screens differ\nrenderer:\n%s\nfiltered:\n%s", r.writes, p, a, b)
	}
	return len(p), nil
}

// TestScrollWriterFaithfulOnRealSession runs the real program over a
// scripted session and checks after every write that the terminal fed
// through the scrollWriter shows exactly what the renderer meant.
func TestScrollWriterFaithfulOnRealSession(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	var keys []string
	for i := 0; i < 80; i++ {
		keys = append(keys, "down")
	}
	for i := 0; i < 40; i++ {
		keys = append(keys, "up")
	}
	keys = append(keys, "pgdown", "down", "down", "pgup", "up", "tab", "shift+tab",
		"/", "v", "e", "r", "esc", "s", "down", "down", "down", "home", "down", "down")
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			w, h := size[0], size[1]
			m := loadedBig(t, 2000, w, h, 1)
			nav := m.current().Nav()
			nav.GotoTop()
			nav.MoveDown(nav.VisibleRows() - 3)
			viaSW := newEmu(w, h)
			cw := &countWriter{w: viaSW}
			rec := &recorder{t: t, raw: newEmu(w, h), viaSW: viaSW, sw: &scrollWriter{out: cw}, swBytes: cw}
			p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(rec), tea.WithoutSignalHandler(),
				tea.WithAltScreen(), tea.WithFPS(120))
			done := make(chan struct{})
			go func() {
				defer close(done)
				if _, err := p.Run(); err != nil {
					t.Error(err)
				}
			}()
			p.Send(tea.WindowSizeMsg{Width: w, Height: h})
			time.Sleep(30 * time.Millisecond)
			for _, k := range keys {
				p.Send(keyMsg(k))
				time.Sleep(12 * time.Millisecond) // about one frame at 120 fps
			}
			time.Sleep(30 * time.Millisecond)
			p.Quit()
			<-done
			rec.mu.Lock()
			defer rec.mu.Unlock()
			t.Logf("%d writes: %d bytes from the renderer, %d through the filter", rec.writes, rec.rawBytes, rec.swBytes.n)
			if rec.swBytes.n*2 > rec.rawBytes {
				t.Errorf("filter sent %d of the renderer's %d bytes; scrolls are not being rewritten", rec.swBytes.n, rec.rawBytes)
			}
		})
	}
}
