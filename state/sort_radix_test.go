package state

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRadixSortIsAStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 100, 5000} {
		for _, spread := range []uint64{1, 3, 1000, math.MaxUint64} {
			keys := make([]uint64, n)
			idx := make([]int32, n)
			for i := range keys {
				keys[i] = rng.Uint64() % max(spread, 1)
				if spread == math.MaxUint64 {
					keys[i] = rng.Uint64()
				}
				idx[i] = int32(i)
			}
			type pair struct {
				k uint64
				i int32
			}
			want := make([]pair, n)
			for i := range keys {
				want[i] = pair{keys[i], idx[i]}
			}
			slices.SortStableFunc(want, func(a, b pair) int { return cmp.Compare(a.k, b.k) })
			radixSort(keys, idx)
			for i := range want {
				if keys[i] != want[i].k || idx[i] != want[i].i {
					t.Fatalf("n %d spread %d: position %d holds (%d, %d), want (%d, %d)", n, spread, i, keys[i], idx[i], want[i].k, want[i].i)
				}
			}
		}
	}
}

func TestOrderedKeyKeepsOrder(t *testing.T) {
	vals := []int64{math.MinInt64, -5, -1, 0, 1, 7, math.MaxInt64}
	for i := 1; i < len(vals); i++ {
		if orderedKey(vals[i-1], false) >= orderedKey(vals[i], false) {
			t.Errorf("ascending: %d sorts after %d", vals[i-1], vals[i])
		}
		if orderedKey(vals[i-1], true) <= orderedKey(vals[i], true) {
			t.Errorf("descending: %d sorts before %d", vals[i-1], vals[i])
		}
	}
}
