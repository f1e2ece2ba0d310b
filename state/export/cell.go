package export

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanCell makes API text safe in a CSV or Markdown cell, which is often
// read on a terminal (stdout, cat, less): control characters, escape
// sequences' introducer included, are dropped so that a product name cannot
// move the cursor, set the title or write the clipboard; tabs and line
// breaks become spaces; bidirectional overrides, which can reorder what a
// reader sees, are dropped; invalid UTF-8 becomes U+FFFD. JSON needs none of
// this: its encoder escapes every control character.
func cleanCell(s string) string {
	if plainCell(s) {
		return s // the common case costs nothing
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				b.WriteRune(utf8.RuneError)
				continue
			}
			b.WriteRune(r)
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case unicode.IsControl(r), bidiControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func plainCell(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func bidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}
