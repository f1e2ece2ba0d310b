package state

import "strings"

// matches reports whether product p passes filter f, which is already
// lower-cased: a substring of the product's name or of its category
// (never of the two run together).
func (p *product) matches(f string) bool {
	return f == "" || strings.Contains(p.lowerName, f) || strings.Contains(p.lowerCategory, f)
}
