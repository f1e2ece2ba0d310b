package ui

import "slices"

// nextSortColumn is the column a sort steps to: dir (+1 right, -1 left)
// from display column cur among n, skipping columns not shown and those
// sortable rejects (nil: every column sorts), wrapping. ok is false when
// no other column qualifies. Every view's s, < and > step through it.
func nextSortColumn(cur, dir, n int, shown []int, sortable func(int) bool) (next int, ok bool) {
	for step := 1; step <= n; step++ {
		next = ((cur+dir*step)%n + n) % n
		if slices.Contains(shown, next) && (sortable == nil || sortable(next)) {
			return next, true
		}
	}
	return cur, false
}
