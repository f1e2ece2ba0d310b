package config

import (
	"errors"
	"path"
	"strings"
)

// A glob is a budget's pattern on a product category or name, in the
// syntax of path.Match, which the budget evaluation (state.BudgetRule)
// matches with: * any run of characters but /, ? one character but /,
// [a-z] and [^a-z] one of a class; \ quotes the next character. Case is
// ignored: "*-verify-*" matches "US-Verify-SMS". The tokens are kept to
// tell whether two patterns can match the same text.
type glob struct {
	pattern string // lower-case
	tokens  []globToken
}

type globToken struct {
	kind   globKind
	r      rune      // globLiteral
	ranges [][2]rune // globClass: inclusive ranges
	negate bool      // globClass: [!...]
}

type globKind uint8

const (
	globLiteral globKind = iota
	globAny              // ? (not /)
	globStar             // * (not /)
	globClass            // [...]
)

// errGlob says what a bad pattern lacks.
var errGlob = errors.New(`is not a valid pattern: a [ lacks its ], or a \ ends it; use * for any run of characters, ? for one`)

// parseGlob reads a pattern; the empty pattern matches everything.
func parseGlob(pattern string) (glob, error) {
	if pattern == "" {
		pattern = "*"
	}
	lower := strings.ToLower(pattern)
	if _, err := path.Match(lower, ""); err != nil {
		return glob{}, errGlob
	}
	p := []rune(lower)
	g := glob{pattern: lower}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			if n := len(g.tokens); n == 0 || g.tokens[n-1].kind != globStar {
				g.tokens = append(g.tokens, globToken{kind: globStar})
			}
		case '?':
			g.tokens = append(g.tokens, globToken{kind: globAny})
		case '\\':
			i++
			g.tokens = append(g.tokens, globToken{kind: globLiteral, r: p[i]})
		case '[':
			t, next := parseClass(p, i+1)
			g.tokens, i = append(g.tokens, t), next
		default:
			g.tokens = append(g.tokens, globToken{kind: globLiteral, r: c})
		}
	}
	return g, nil
}

// parseClass reads a class whose body starts at p[i], in a pattern
// path.Match accepted; it returns the token and the index of the closing ].
func parseClass(p []rune, i int) (globToken, int) {
	t := globToken{kind: globClass}
	if p[i] == '^' {
		t.negate = true
		i++
	}
	esc := func() rune {
		if p[i] == '\\' {
			i++
		}
		r := p[i]
		i++
		return r
	}
	for p[i] != ']' || len(t.ranges) == 0 {
		lo := esc()
		hi := lo
		if p[i] == '-' {
			i++
			hi = esc()
		}
		t.ranges = append(t.ranges, [2]rune{lo, hi})
	}
	return t, i
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
	return r != '/'
}

// Match reports whether s matches the pattern, ignoring case, as
// path.Match does.
func (g glob) Match(s string) bool {
	ok, err := path.Match(g.pattern, strings.ToLower(s))
	return err == nil && ok
}

// compatible reports whether two one-character tokens can match the same
// character. Two classes are compared only when neither is negated; else
// they are taken to overlap, so an overlap is never missed.
func compatible(a, b globToken) bool {
	switch {
	case a.kind == globLiteral:
		return b.matches(a.r)
	case b.kind == globLiteral:
		return a.matches(b.r)
	case a.kind == globAny || b.kind == globAny || a.negate || b.negate:
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
// text; a star may stay (take a character other than /) or be left behind.
func (g glob) overlaps(other glob) bool {
	a, b := g.tokens, other.tokens
	notSlash := globToken{kind: globAny}
	seen := map[[2]int]bool{}
	var reach func(i, j int) bool
	reach = func(i, j int) bool {
		if seen[[2]int{i, j}] {
			return false
		}
		seen[[2]int{i, j}] = true
		switch {
		case i == len(a) && j == len(b):
			return true
		case i < len(a) && a[i].kind == globStar:
			return reach(i+1, j) || j < len(b) && (b[j].kind == globStar || compatible(b[j], notSlash)) && reach(i, j+1)
		case j < len(b) && b[j].kind == globStar:
			return reach(i, j+1) || i < len(a) && compatible(a[i], notSlash) && reach(i+1, j)
		case i < len(a) && j < len(b) && compatible(a[i], b[j]):
			return reach(i+1, j+1)
		}
		return false
	}
	return reach(0, 0)
}
