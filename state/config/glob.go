package config

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// A glob is a budget's pattern on a product category or name: * matches
// any run of characters (slashes included, unlike path.Match), ? one
// character, [abc], [a-z] and [!abc] one of a class; \ quotes the next
// character. Matching ignores case: "*-verify-*" matches "US-Verify-SMS".
type glob []globToken

type globToken struct {
	kind   globKind
	r      rune      // globLiteral
	ranges [][2]rune // globClass: inclusive ranges
	negate bool      // globClass: [!...]
}

type globKind uint8

const (
	globLiteral globKind = iota
	globAny              // ?
	globStar             // *
	globClass            // [...]
)

// errGlob says what a bad pattern lacks.
var errGlob = errors.New(`is not a valid pattern: a [ has no closing ], or a \ ends it; use * for any run of characters, ? for one`)

// parseGlob reads a pattern; the empty pattern matches everything.
func parseGlob(pattern string) (glob, error) {
	if pattern == "" {
		return glob{{kind: globStar}}, nil
	}
	p := []rune(strings.ToLower(pattern))
	var g glob
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			if len(g) == 0 || g[len(g)-1].kind != globStar {
				g = append(g, globToken{kind: globStar})
			}
		case '?':
			g = append(g, globToken{kind: globAny})
		case '\\':
			if i+1 == len(p) {
				return nil, errGlob
			}
			i++
			g = append(g, globToken{kind: globLiteral, r: p[i]})
		case '[':
			t, next, ok := parseClass(p, i+1)
			if !ok {
				return nil, errGlob
			}
			g, i = append(g, t), next
		default:
			g = append(g, globToken{kind: globLiteral, r: c})
		}
	}
	return g, nil
}

// parseClass reads a class whose body starts at p[i]; it returns the token
// and the index of the closing ].
func parseClass(p []rune, i int) (globToken, int, bool) {
	t := globToken{kind: globClass}
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		t.negate = true
		i++
	}
	for first := true; i < len(p); first = false {
		if p[i] == ']' && !first {
			return t, i, len(t.ranges) > 0
		}
		lo := p[i]
		if lo == '\\' && i+1 < len(p) {
			i++
			lo = p[i]
		}
		hi := lo
		if i+2 < len(p) && p[i+1] == '-' && p[i+2] != ']' {
			hi = p[i+2]
			i += 2
		}
		if hi < lo {
			return t, i, false
		}
		t.ranges = append(t.ranges, [2]rune{lo, hi})
		i++
	}
	return t, i, false
}

func (t globToken) matches(r rune) bool {
	switch t.kind {
	case globLiteral:
		return t.r == r
	case globClass:
		in := false
		for _, rg := range t.ranges {
			if r >= rg[0] && r <= rg[1] {
				in = true
				break
			}
		}
		return in != t.negate
	}
	return true
}

// Match reports whether s matches the pattern, ignoring case.
func (g glob) Match(s string) bool {
	s = strings.ToLower(s)
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		r, size := utf8.DecodeRuneInString(s[si:])
		switch {
		case pi < len(g) && g[pi].kind == globStar:
			starP, starS = pi, si
			pi++
		case pi < len(g) && g[pi].matches(r):
			pi++
			si += size
		case starP >= 0:
			// Let the last star take one more character and retry.
			_, size = utf8.DecodeRuneInString(s[starS:])
			starS += size
			pi, si = starP+1, starS
		default:
			return false
		}
	}
	for pi < len(g) && g[pi].kind == globStar {
		pi++
	}
	return pi == len(g)
}

// compatible reports whether two one-character tokens can match the same
// character. Two classes are compared only when neither is negated; else
// they are taken to overlap, so an overlap is never missed.
func compatible(a, b globToken) bool {
	switch {
	case a.kind == globAny || b.kind == globAny:
		return true
	case a.kind == globLiteral:
		return b.matches(a.r)
	case b.kind == globLiteral:
		return a.matches(b.r)
	case a.negate || b.negate:
		return true
	}
	for _, x := range a.ranges {
		for _, y := range b.ranges {
			if x[0] <= y[1] && y[0] <= x[1] {
				return true
			}
		}
	}
	return false
}

// overlaps reports whether some string matches both patterns. It searches
// the pairs of positions the two patterns can reach together on the same
// text; a star may stay (take a character) or be left behind.
func (g glob) overlaps(h glob) bool {
	seen := map[[2]int]bool{}
	var reach func(i, j int) bool
	reach = func(i, j int) bool {
		if seen[[2]int{i, j}] {
			return false
		}
		seen[[2]int{i, j}] = true
		switch {
		case i == len(g) && j == len(h):
			return true
		case i < len(g) && g[i].kind == globStar:
			return reach(i+1, j) || j < len(h) && reach(i, j+1)
		case j < len(h) && h[j].kind == globStar:
			return reach(i, j+1) || i < len(g) && reach(i+1, j)
		case i < len(g) && j < len(h) && compatible(g[i], h[j]):
			return reach(i+1, j+1)
		}
		return false
	}
	return reach(0, 0)
}
