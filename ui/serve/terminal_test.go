package serve

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// scripted is a session's input arriving in the chunks given, then
// blocking until the test ends, as an open connection does.
type scripted struct {
	chunks chan string
}

func (s *scripted) Read(p []byte) (int, error) {
	c, ok := <-s.chunks
	if !ok {
		return 0, io.EOF
	}
	return copy(p, c), nil
}

func TestBackgroundQueryKeepsEveryKeystroke(t *testing.T) {
	tests := []struct {
		name      string
		input     []string // as the client sends it, after the query
		late      []string // sent after the query gave up
		wantKnown bool
		wantDark  bool
		wantKeys  string // what the program then reads
	}{
		{"dark terminal, keys around the replies", []string{"j", "\x1b]11;rgb:1c1c/1c1c/1c1c\x07", "k\x1b[?62;22c", "q"}, nil, true, true, "jkq"},
		{"light terminal, ST-terminated reply", []string{"\x1b]11;rgb:ffff/fafa/f0f0\x1b\\\x1b[?1;2c"}, nil, true, false, ""},
		{"no OSC 11, only the device attributes", []string{"\x1b[?6c", "G"}, nil, false, false, "G"},
		{"a terminal that never answers", []string{"jjj"}, nil, false, false, "jjj"},
		{"a reply too late to wait for", []string{"j"}, []string{"\x1b]11;rgb:0000/0000/0000\x07\x1b[?62c", "]k"}, false, false, "j]k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			in := &scripted{chunks: make(chan string, len(tt.input)+len(tt.late))}
			for _, c := range tt.input {
				in.chunks <- c
			}
			k := newKeyboard(ctx, in, time.Now)
			var asked strings.Builder
			dark, known := k.queryBackground(&asked, 100*time.Millisecond)
			if asked.String() != backgroundQuery {
				t.Errorf("asked %q", asked.String())
			}
			if known != tt.wantKnown || dark != tt.wantDark {
				t.Errorf("dark %v known %v, want %v %v", dark, known, tt.wantDark, tt.wantKnown)
			}
			for _, c := range tt.late {
				in.chunks <- c
			}
			// Whatever is left arrives; then the session ends.
			time.Sleep(20 * time.Millisecond)
			close(in.chunks)
			got, _ := io.ReadAll(k)
			if string(got) != tt.wantKeys {
				t.Errorf("program reads %q, want %q", got, tt.wantKeys)
			}
		})
	}
}

func TestKeyboardIdleCountsInputOnly(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := &scripted{chunks: make(chan string)}
	k := newKeyboard(ctx, in, clock)
	now = now.Add(10 * time.Minute)
	if got := k.idle(); got != 10*time.Minute {
		t.Errorf("idle %s before any key, want 10m", got)
	}
	in.chunks <- "j"
	buf := make([]byte, 8)
	if n, err := k.Read(buf); n != 1 || err != nil {
		t.Fatalf("read %d, %v", n, err)
	}
	if got := k.idle(); got != 0 {
		t.Errorf("idle %s right after a key, want 0", got)
	}
}

func TestTerminalColours(t *testing.T) {
	tests := []struct {
		term    string
		env     []string
		noColor bool
	}{
		{"xterm-256color", nil, false},
		{"xterm-256color", []string{"NO_COLOR=1"}, true},
		{"dumb", nil, true},
		{"", nil, true},
	}
	for _, tt := range tests {
		if got := newTerminal(tt.term, tt.env).noColor; got != tt.noColor {
			t.Errorf("TERM=%q env %v: noColor %v, want %v", tt.term, tt.env, got, tt.noColor)
		}
	}
	for _, c := range []struct {
		r, g, b string
		dark    bool
	}{{"0000", "0000", "0000", true}, {"ffff", "ffff", "ffff", false}, {"1e", "1e", "2e", true}, {"f", "f", "e", false}} {
		if got := darkColour(c.r, c.g, c.b); got != c.dark {
			t.Errorf("rgb:%s/%s/%s dark %v, want %v", c.r, c.g, c.b, got, c.dark)
		}
	}
}
