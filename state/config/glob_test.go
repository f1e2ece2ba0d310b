package config

import "testing"

func TestGlobMatch(t *testing.T) {
	for _, tt := range []struct {
		pattern, s string
		want       bool
	}{
		{"", "anything at all", true},
		{"*", "", true},
		{"sms-*", "sms-outbound", true},
		{"sms-*", "mms-outbound", false},
		{"*-Verify-*", "US-verify-SMS", true}, // case is ignored
		{"*-Verify-*", "Verify-SMS", false},
		{"voice/*", "voice/sip", true},
		{"voice/*", "voice/sip/inbound", false}, // as path.Match: * stops at /
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[^a-c]x", "dx", true},
		{"[^a-c]x", "ax", false},
		{`\*lit`, "*lit", true},
		{`\*lit`, "alit", false},
		{"*a*b*c", "xxaxxbxxc", true},
		{"*a*b*c", "xxaxxcxxb", false},
		{"Überweisung*", "überweisung-de", true},
	} {
		g, err := parseGlob(tt.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		if got := g.Match(tt.s); got != tt.want {
			t.Errorf("%q matches %q = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestGlobRefusesBadPatterns(t *testing.T) {
	for _, p := range []string{"sms-[", `trailing\`, "[]", "[-a]"} {
		if _, err := parseGlob(p); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
}

// TestGlobOverlaps: two patterns overlap when some text matches both; each
// true case names such a text.
func TestGlobOverlaps(t *testing.T) {
	for _, tt := range []struct {
		a, b    string
		want    bool
		example string // matched by both when want
	}{
		{"sms-*", "*", true, "sms-x"},
		{"sms-*", "sms-outbound", true, "sms-outbound"},
		{"sms-*", "mms-*", false, ""},
		{"sms-*", "*-inbound", true, "sms-inbound"},
		{"a*", "*b", true, "ab"},
		{"*a", "*b", false, ""},
		{"*-Verify-*", "sms-*", true, "sms-verify-x"},
		{"a?c", "ab*", true, "abc"},
		{"a?c", "abcd*", false, ""},
		{"[a-c]x", "[d-f]x", false, ""},
		{"[a-c]x", "[c-f]x", true, "cx"},
		{"voice-*", "VOICE-in", true, "voice-in"},
		{"a*", "a/b", false, ""}, // * does not take a /
		{"a/*", "*/b", true, "a/b"},
		{"a?b", "a/b", false, ""},
	} {
		a, _ := parseGlob(tt.a)
		b, _ := parseGlob(tt.b)
		if got := a.overlaps(b); got != tt.want {
			t.Errorf("%q overlaps %q = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := b.overlaps(a); got != tt.want {
			t.Errorf("%q overlaps %q = %v (reversed), want %v", tt.b, tt.a, got, tt.want)
		}
		if tt.want && !(a.Match(tt.example) && b.Match(tt.example)) {
			t.Errorf("bad test: %q does not match both %q and %q", tt.example, tt.a, tt.b)
		}
	}
}

// TestGlobOverlapsAgreesWithMatch checks overlaps against brute force: for
// small patterns over a small alphabet, two patterns overlap exactly when
// some short text matches both as path.Match sees it.
func TestGlobOverlapsAgreesWithMatch(t *testing.T) {
	patterns := []string{"*", "a*", "*a", "a?", "?/", "a/*", "*/b", "[ab]", "[^a]*", "a*b", "b*a", "/", "-*", "*-", "a-b"}
	var texts []string
	var grow func(prefix string)
	grow = func(prefix string) {
		texts = append(texts, prefix)
		if len(prefix) < 4 {
			for _, c := range []string{"a", "b", "/", "-"} {
				grow(prefix + c)
			}
		}
	}
	grow("")
	for _, pa := range patterns {
		for _, pb := range patterns {
			a, _ := parseGlob(pa)
			b, _ := parseGlob(pb)
			both, found := "", false
			for _, s := range texts {
				if a.Match(s) && b.Match(s) {
					both, found = s, true
					break
				}
			}
			if got := a.overlaps(b); got != found {
				t.Errorf("%q overlaps %q = %v; brute force found %v %q", pa, pb, got, found, both)
			}
		}
	}
}
