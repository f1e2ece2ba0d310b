// Package safetext makes text from outside (the API, data files) safe to
// show on a terminal or write where a terminal will show it: the dashboard
// and the CSV and Markdown exports clean text the same way.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s made safe to print: escape sequences (CSI, OSC such as
// window titles and OSC 52 clipboard writes, DCS, SOS, PM, APC, and two-byte
// ESC sequences) are removed whole, other C0 and C1 controls and DEL are
// dropped, tabs and line breaks (U+2028 and U+2029 included) become
// spaces, invisible format characters are dropped (bidirectional overrides
// and isolates, zero-width spaces and joiners, the byte-order mark, tag
// characters: all of Unicode's Cf), and invalid UTF-8 becomes U+FFFD. Every string that came from the
// API passes through here before it can reach the terminal, because a
// product name is attacker-controlled text as far as the terminal knows;
// invisible characters would let two different names look the same.
func Clean(s string) string {
	if IsPlainASCII(s) {
		return s // the common case costs no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
			i += size
		case r == 0x1b: // ESC
			i = skipEscape(s, i+1)
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
			i += size
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			i += size // other controls carry no text
		case IsInvisible(r):
			i += size // they can reorder or hide what the user sees
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// IsPlainASCII reports whether s is printable ASCII only, which Clean
// returns unchanged.
func IsPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// IsInvisible reports whether r is a format character (Unicode Cf): bidi
// overrides and isolates, zero-width space, joiners, word joiner, the
// byte-order mark, soft hyphen, tag characters. They draw nothing or
// reorder what is drawn, so they can make one name look like another.
func IsInvisible(r rune) bool { return unicode.Is(unicode.Cf, r) }

// skipEscape skips what follows an ESC at s[i:] and returns the index after
// the whole sequence.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC
		return skipString(s, i+1)
	}
	// nF sequences: intermediates 0x20-0x2F, then one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes up to and including the
// final byte of a control sequence.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c >= 0x7f {
			// not a CSI byte: the sequence is malformed; stop here so the
			// rest is judged on its own.
			return i - 1
		}
	}
	return i
}

// skipString skips a control string (OSC, DCS, ...) up to its terminator:
// BEL, ESC \ (ST) or C1 ST. An unterminated string runs to the end, since a
// terminal would swallow it the same way.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // a new escape aborts the string; let the caller judge it
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // U+009C ST
			return i + 2
		}
		i++
	}
	return i
}
