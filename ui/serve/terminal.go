package serve

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// keyboard is a session's input. One goroutine reads the session, so a
// terminal query and then the program take turns on the same bytes and
// nothing read is lost: bytes the query does not consume are handed to
// the program first. It also notes when the user last typed, for the idle
// timeout: repaints keep an SSH connection busy, keystrokes do not lie.
type keyboard struct {
	ch      chan []byte   // chunks read from the session; closed at its end
	closed  chan struct{} // closed when the session's input has ended
	pending []byte        // read, not yet handed out
	done    <-chan struct{}
	last    atomic.Int64 // unix nanoseconds of the last byte typed
	now     func() time.Time
	// strayUntil is when replies to the background query stop being
	// looked for in the input: a terminal that answers after the query
	// gave up must not have its reply read as keys (`]` is a key).
	strayUntil time.Time
}

// strayReplyWindow is how long after the query gave up a late reply is
// still removed from the input.
const strayReplyWindow = 10 * time.Second

// keyboardChunk is how much one read of the session may return.
const keyboardChunk = 4096

// newKeyboard starts reading r until it fails or ctx ends.
func newKeyboard(ctx context.Context, r io.Reader, now func() time.Time) *keyboard {
	k := &keyboard{ch: make(chan []byte, 16), closed: make(chan struct{}), done: ctx.Done(), now: now}
	k.last.Store(now().UnixNano())
	go func() {
		defer close(k.closed)
		defer close(k.ch)
		for {
			buf := make([]byte, keyboardChunk)
			n, err := r.Read(buf)
			if n > 0 {
				k.last.Store(k.now().UnixNano())
				select {
				case k.ch <- buf[:n]:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return k
}

// Read hands out what was typed; io.EOF once the session has ended.
func (k *keyboard) Read(p []byte) (int, error) {
	if len(k.pending) == 0 {
		select {
		case b, ok := <-k.ch:
			if !ok {
				return 0, io.EOF
			}
			k.pending = k.dropStrayReplies(b)
			if len(k.pending) == 0 {
				return 0, nil
			}
		case <-k.done:
			return 0, io.EOF
		}
	}
	n := copy(p, k.pending)
	k.pending = k.pending[n:]
	return n, nil
}

// idle is how long ago the user last typed.
func (k *keyboard) idle() time.Duration {
	return k.now().Sub(time.Unix(0, k.last.Load()))
}

// The background query: OSC 11 asks for the background colour, and the
// primary device attributes (DA1), which every terminal answers, mark the
// end of the replies, so a terminal that ignores OSC 11 costs no wait.
const backgroundQuery = "\x1b]11;?\x07\x1b[c"

var (
	bgReply  = regexp.MustCompile(`\x1b\]11;rgb:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})(?:\x07|\x1b\\)`)
	da1Reply = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)
)

// queryBackground asks the terminal on w whether its background is dark.
// It waits for the replies at most timeout; known is false when none came.
// Whatever else arrives meanwhile (keystrokes) stays queued for the
// program, in order.
func (k *keyboard) queryBackground(w io.Writer, timeout time.Duration) (dark, known bool) {
	if _, err := io.WriteString(w, backgroundQuery); err != nil {
		return false, false
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	got := k.pending
	k.pending = nil
	for !da1Reply.Match(got) {
		select {
		case b, ok := <-k.ch:
			if !ok {
				k.pending = got
				return false, false
			}
			got = append(got, b...)
			continue
		case <-timer.C:
		case <-k.done:
		}
		break
	}
	if m := bgReply.FindSubmatchIndex(got); m != nil {
		dark, known = darkColour(string(got[m[2]:m[3]]), string(got[m[4]:m[5]]), string(got[m[6]:m[7]])), true
		got = append(got[:m[0]:m[0]], got[m[1]:]...)
	}
	if m := da1Reply.FindIndex(got); m != nil {
		got = append(got[:m[0]:m[0]], got[m[1]:]...)
	}
	k.pending = bytes.Clone(got)
	if !known {
		k.strayUntil = k.now().Add(strayReplyWindow)
	}
	return dark, known
}

// dropStrayReplies removes late replies to the background query from b.
func (k *keyboard) dropStrayReplies(b []byte) []byte {
	if k.strayUntil.IsZero() || k.now().After(k.strayUntil) || !bytes.Contains(b, []byte("\x1b")) {
		return b
	}
	b = bgReply.ReplaceAll(b, nil)
	return da1Reply.ReplaceAll(b, nil)
}

// darkColour reports whether an X11 rgb colour (each component 1 to 4 hex
// digits) is dark, by its perceived luminance.
func darkColour(r, g, b string) bool {
	c := func(s string) float64 {
		v, _ := strconv.ParseUint(s, 16, 16)
		return float64(v) / float64(uint64(1)<<(4*len(s))-1)
	}
	return 0.299*c(r)+0.587*c(g)+0.114*c(b) < 0.5
}

// terminal is what a session's client said about its terminal.
type terminal struct {
	term    string // TERM from the pty request
	env     sshEnviron
	dumb    bool // TERM dumb or unset: no escape sequences at all
	noColor bool // NO_COLOR set, or a dumb terminal
}

func newTerminal(term string, environ []string) terminal {
	t := terminal{term: term, env: sshEnviron(append(environ, "TERM="+term))}
	t.dumb = term == "" || term == "dumb"
	t.noColor = t.dumb || t.env.Getenv("NO_COLOR") != ""
	return t
}

// renderer builds the session's own renderer on w: its colour profile
// from the client's TERM, COLORTERM and NO_COLOR, never the server's, and
// the background the terminal reported (dark when it did not say).
func (t terminal) renderer(w io.Writer, dark bool) *lipgloss.Renderer {
	if t.noColor {
		r := lipgloss.NewRenderer(w)
		// NO_COLOR forbids colours, not bold and reverse video, which
		// the monochrome styles mark the cursor row with; the Ascii
		// profile would drop those too.
		r.SetColorProfile(termenv.ANSI)
		if t.dumb {
			r.SetColorProfile(termenv.Ascii)
		}
		return r
	}
	// Unsafe: the session is no local terminal, but the client's is one.
	r := lipgloss.NewRenderer(w, termenv.WithEnvironment(t.env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	r.SetHasDarkBackground(dark)
	return r
}

// sshEnviron is a session's environment, as termenv reads one.
type sshEnviron []string

// Environ returns every variable, as KEY=value.
func (e sshEnviron) Environ() []string { return e }

// Getenv returns the last value given for k: a client's SetEnv comes after
// anything set before it.
func (e sshEnviron) Getenv(k string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}
