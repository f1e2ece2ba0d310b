package ui

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// scrollWriter sits between bubbletea's standard renderer and the terminal.
// The renderer diffs frames line by line, so when the table scrolls by one
// row every row of it differs and is repainted (about 5 KB at 120x40). This
// writer recognises an alt-screen frame that is a vertical scroll of the
// previous one and sends a scroll region, a scroll and the few lines that
// really changed instead. Anything it does not understand exactly goes
// through untouched, and then it forgets the screen so that it can never
// rewrite a later frame from a wrong picture of the terminal.
type scrollWriter struct {
	mu  sync.Mutex
	out io.Writer
	// shadow is what the terminal shows, line by line, as the bytes the
	// renderer wrote for each line; nil when unknown.
	shadow []string
}

// scrollFile is a scrollWriter over a terminal file: bubbletea looks for
// Fd on its output to read the window size and to set the terminal up.
type scrollFile struct {
	*scrollWriter
	f *os.File
}

func (s scrollFile) Read(p []byte) (int, error) { return s.f.Read(p) }
func (s scrollFile) Close() error               { return s.f.Close() }
func (s scrollFile) Fd() uintptr                { return s.f.Fd() }

// newScrollOutput wraps w in a scrollWriter, keeping w's file methods when
// it is a file.
func newScrollOutput(w io.Writer) io.Writer {
	sw := &scrollWriter{out: w}
	if f, ok := w.(*os.File); ok {
		return scrollFile{scrollWriter: sw, f: f}
	}
	return sw
}

// Write sends p to the terminal, rewritten when it is a scrolled frame. It
// reports len(p) written when the rewritten bytes all went out.
func (s *scrollWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.filter(p)
	if _, err := s.out.Write(out); err != nil {
		s.shadow = nil
		return 0, err
	}
	return len(p), nil
}

// filter returns the bytes to send for p and updates the shadow.
func (s *scrollWriter) filter(p []byte) []byte {
	f, ok := parseFrame(p)
	if !ok {
		if !harmless(p) {
			s.shadow = nil
		}
		return p
	}
	next := make([]string, len(f.lines))
	skipped := 0
	for i, l := range f.lines {
		if l != nil {
			next[i] = *l
			continue
		}
		if i >= len(s.shadow) {
			// A skipped line we never saw: the screen is unknown.
			s.shadow = nil
			return p
		}
		next[i] = s.shadow[i]
		skipped++
	}
	prev := s.shadow
	s.shadow = next
	if skipped == 0 || f.erase || len(prev) != len(next) {
		// A full repaint (after a resize, say) or a change of height:
		// nothing to gain, or nothing safe to do.
		return p
	}
	if r := rewriteScroll(prev, next, f.cursor); r != nil && len(r) < len(p) {
		return r
	}
	return p
}

// frame is one alt-screen frame of the standard renderer.
type frame struct {
	lines  []*string // nil: unchanged, skipped by the renderer
	erase  bool      // ends with an erase of the screen below
	cursor string    // the final cursor position sequence
}

// parseFrame reads p as the standard renderer's alt-screen frame:
//
//	ESC[H [CR] { line [ESC[K] CRLF | LF } [line [ESC[K]] [ESC[J] ESC[<n>;H
//
// where a bare LF is a skipped (unchanged) line and n is the number of
// lines. A painted line is never empty: an empty one still carries ESC[K.
func parseFrame(p []byte) (frame, bool) {
	const home = "\x1b[H"
	s := string(p)
	if !strings.HasPrefix(s, home) {
		return frame{}, false
	}
	body := strings.TrimPrefix(strings.TrimPrefix(s, home), "\r")
	// The final cursor position: ESC [ digits ; H.
	if !strings.HasSuffix(body, ";H") {
		return frame{}, false
	}
	i := strings.LastIndex(body, "\x1b[")
	if i < 0 {
		return frame{}, false
	}
	n, err := strconv.Atoi(body[i+2 : len(body)-2])
	if err != nil || n < 2 {
		return frame{}, false
	}
	f := frame{cursor: body[i:]}
	body = body[:i]
	if strings.HasSuffix(body, "\x1b[J") {
		f.erase = true
		body = strings.TrimSuffix(body, "\x1b[J")
	}
	pieces := strings.Split(body, "\n")
	if len(pieces) != n {
		return frame{}, false
	}
	f.lines = make([]*string, n)
	for j, piece := range pieces {
		last := j == n-1
		switch {
		case piece == "":
			// Skipped; the last line when skipped writes nothing.
		case !last && strings.HasSuffix(piece, "\r"):
			l := strings.TrimSuffix(piece, "\r")
			if l == "" || strings.ContainsAny(l, "\r") {
				return frame{}, false
			}
			f.lines[j] = &l
		case last && !strings.Contains(piece, "\r"):
			l := piece
			f.lines[j] = &l
		default:
			return frame{}, false
		}
		if f.lines[j] != nil && !sgrClosed(*f.lines[j]) {
			// A line that leaves colours on would colour what we paint
			// after it out of order.
			return frame{}, false
		}
	}
	return f, true
}

// sgrClosed reports whether a line leaves the graphic rendition as it found
// it at default: its last SGR sequence, if any, is a reset.
func sgrClosed(l string) bool {
	for l != "" {
		i := strings.LastIndex(l, "\x1b[")
		if i < 0 {
			return true
		}
		seq := l[i+2:]
		end := strings.IndexFunc(seq, func(r rune) bool { return r >= 0x40 && r <= 0x7e })
		if end >= 0 && seq[end] == 'm' {
			params := seq[:end]
			return params == "" || params == "0"
		}
		l = l[:i]
	}
	return true
}

// harmless reports whether p, written outside a frame, leaves the screen's
// text as it was: OSC strings (title, clipboard) and DEC private modes
// (cursor, mouse, paste, focus) other than the alternate screen.
func harmless(p []byte) bool {
	for len(p) > 0 {
		switch {
		case bytes.HasPrefix(p, []byte("\x1b]")):
			end := bytes.IndexAny(p[2:], "\a\x1b")
			if end < 0 {
				return false
			}
			end += 2
			if p[end] == '\a' {
				p = p[end+1:]
				continue
			}
			if !bytes.HasPrefix(p[end:], []byte("\x1b\\")) {
				return false
			}
			p = p[end+2:]
		case bytes.HasPrefix(p, []byte("\x1b[?")):
			j := 3
			for j < len(p) && (p[j] >= '0' && p[j] <= '9' || p[j] == ';') {
				j++
			}
			if j >= len(p) || (p[j] != 'h' && p[j] != 'l') {
				return false
			}
			for _, m := range strings.Split(string(p[3:j]), ";") {
				if m == "1049" || m == "1047" || m == "47" {
					return false
				}
			}
			p = p[j+1:]
		default:
			return false
		}
	}
	return true
}

// blank stands for a line a scroll brought in empty; it equals no line.
const blank = "\x00"

// rewriteScroll returns bytes that turn the screen prev into next with a
// scroll of a region by up to 3 lines and repaints of the other lines that
// differ, then cursor; nil when no scroll of at least 3 lines fits.
func rewriteScroll(prev, next []string, cursor string) []byte {
	var best []byte
	for k := 1; k <= 3; k++ {
		for _, up := range []bool{true, false} {
			top, bottom, ok := longestShift(prev, next, k, up)
			if !ok {
				continue
			}
			out := scrolled(prev, next, top, bottom, k, up, cursor)
			if best == nil || len(out) < len(best) {
				best = out
			}
		}
	}
	return best
}

// longestShift finds the longest run of lines that moved by k: up, new
// line i is old line i+k; down, new line i+k is old line i. It returns the
// region [top, bottom] (0-based) to scroll, at least k+3 lines long.
func longestShift(prev, next []string, k int, up bool) (top, bottom int, ok bool) {
	bestLen, bestStart, run := 0, 0, 0
	for i := 0; i+k < len(next); i++ {
		same := next[i] == prev[i+k]
		if !up {
			same = next[i+k] == prev[i]
		}
		if same {
			run++
			if run > bestLen {
				bestLen, bestStart = run, i-run+1
			}
		} else {
			run = 0
		}
	}
	if bestLen < 3 {
		return 0, 0, false
	}
	return bestStart, bestStart + bestLen - 1 + k, true
}

// scrolled writes the scroll of region [top, bottom] by k, the repaint of
// every line that then still differs from next, and cursor.
func scrolled(prev, next []string, top, bottom, k int, up bool, cursor string) []byte {
	screen := append([]string(nil), prev...)
	var b bytes.Buffer
	b.WriteString("\x1b[" + strconv.Itoa(top+1) + ";" + strconv.Itoa(bottom+1) + "r")
	if up {
		copy(screen[top:bottom+1-k], prev[top+k:bottom+1])
		for i := bottom + 1 - k; i <= bottom; i++ {
			screen[i] = blank
		}
		b.WriteString("\x1b[" + strconv.Itoa(k) + "S")
	} else {
		copy(screen[top+k:bottom+1], prev[top:bottom+1-k])
		for i := top; i < top+k; i++ {
			screen[i] = blank
		}
		b.WriteString("\x1b[" + strconv.Itoa(k) + "T")
	}
	// Resetting the region also homes the cursor; every line below is
	// placed explicitly.
	b.WriteString("\x1b[r")
	for i := range next {
		if screen[i] != next[i] {
			b.WriteString("\x1b[" + strconv.Itoa(i+1) + "H")
			b.WriteString(next[i])
		}
	}
	b.WriteString(cursor)
	return b.Bytes()
}
