package state

// radixSort stably sorts idx by keys, where keys[i] is the key of idx[i],
// least significant byte first, skipping bytes no key differs in. It is
// O(n) per pass and at most eight passes, which is what lets the Records
// view re-sort 100,000 rows well inside a frame.
func radixSort(keys []uint64, idx []int32) {
	n := len(keys)
	if n < 2 {
		return
	}
	var varying uint64
	for _, k := range keys {
		varying |= k ^ keys[0]
	}
	if varying == 0 {
		return
	}
	kbuf := make([]uint64, n)
	ibuf := make([]int32, n)
	srcK, srcI, dstK, dstI := keys, idx, kbuf, ibuf
	for shift := uint(0); shift < 64; shift += 8 {
		if (varying>>shift)&0xff == 0 {
			continue
		}
		var count [256]int
		for _, k := range srcK {
			count[byte(k>>shift)]++
		}
		pos := 0
		for b, c := range count {
			count[b] = pos
			pos += c
		}
		for i, k := range srcK {
			b := byte(k >> shift)
			j := count[b]
			count[b]++
			dstK[j] = k
			dstI[j] = srcI[i]
		}
		srcK, srcI, dstK, dstI = dstK, dstI, srcK, srcI
	}
	if &srcI[0] != &idx[0] {
		copy(keys, srcK)
		copy(idx, srcI)
	}
}

// orderedKey maps a signed key to an unsigned one with the same order,
// reversed when desc.
func orderedKey(v int64, desc bool) uint64 {
	u := uint64(v) ^ (1 << 63)
	if desc {
		return ^u
	}
	return u
}
