package safetext

import (
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "United States-Outbound-SMS", "United States-Outbound-SMS"},
		{"unicode kept", "Übersee SMS – 短信", "Übersee SMS – 短信"},
		{"window title BEL", "a\x1b]0;pwned\x07b", "ab"},
		{"window title ST", "a\x1b]2;pwned\x1b\\b", "ab"},
		{"osc52 clipboard", "x\x1b]52;c;cm0gLXJmIH4K\x07y", "xy"},
		{"unterminated osc", "x\x1b]0;never ends", "x"},
		{"csi colour", "\x1b[31mred\x1b[0m", "red"},
		{"csi cursor move", "a\x1b[2J\x1b[10;10Hb", "ab"},
		{"csi private", "a\x1b[?1049hb", "ab"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"apc", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"two byte escape", "a\x1bcb", "ab"},
		{"charset escape", "a\x1b(0b", "ab"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 osc", "a\u009d0;t\u009cb", "ab"},
		{"c0 controls", "a\x00\x07\x08b\x7f", "ab"},
		{"line breaks to spaces", "a\r\nb\tc", "a  b c"},
		{"bidi override", "abc\u202edef", "abcdef"},
		{"bidi isolate", "a\u2066b\u2069c", "abc"},
		{"zero width space and joiners", "S\u200bM\u200cS\u200d\u2060", "SMS"},
		{"byte order mark", "\ufeffSMS", "SMS"},
		{"soft hyphen", "SM\u00adS", "SMS"},
		{"tag characters", "SMS\U000E0001\U000E0041\U000E007F", "SMS"},
		{"line and paragraph separators", "a\u2028b\u2029c", "a b c"},
		{"visible unicode kept", "Ünïcödé – 短信 😀", "Ünïcödé – 短信 😀"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"trailing esc", "ab\x1b", "ab"},
		{"osc aborted by csi", "a\x1b]0;t\x1b[31mb", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// isSafe reports whether s holds nothing a terminal would act on.
func isSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || IsInvisible(r) || r == 0x2028 || r == 0x2029 {
			return false
		}
	}
	return true
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;pwned\x07", "\x1b[31mx", "\u009b1m", "\x1bP\x1b\\", "\xc2", "\x1b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Clean(in)
		if !isSafe(out) {
			t.Fatalf("Clean(%q) = %q holds a control", in, out)
		}
		if again := Clean(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, out, again)
		}
	})
}
