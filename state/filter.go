package state

import "strings"

// lowerKey is what a filter matches against: product name and category,
// lower-cased, joined by a NUL that no typed filter contains.
func lowerKey(name, category string) string {
	return strings.ToLower(name) + "\x00" + strings.ToLower(category)
}
