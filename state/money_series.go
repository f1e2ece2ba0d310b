package state

// moneySeries is a fixed-length, zero-filled run of exact amounts, such as
// a product's cost per day. Points share one exponent so each is a bare
// int64: a third of the memory of []Amount and nothing for the garbage
// collector to scan. A point that would overflow moves the whole series to
// []Amount, which is exact at any size.
type moneySeries struct {
	m    []int64
	e    int32
	used bool     // a non-zero amount has set e
	big  []Amount // non-nil once promoted; m is then unused
}

func newMoneySeries(n int) moneySeries { return moneySeries{m: make([]int64, n)} }

func (s *moneySeries) len() int {
	if s.big != nil {
		return len(s.big)
	}
	return len(s.m)
}

// at returns point i.
func (s *moneySeries) at(i int) Amount {
	if s.big != nil {
		return s.big[i]
	}
	return Amount{m: s.m[i], e: s.e}
}

// add adds a to point i and returns the new value there.
func (s *moneySeries) add(i int, a Amount) Amount {
	if s.big == nil && a.big == nil && s.addInt(i, a) {
		return Amount{m: s.m[i], e: s.e}
	}
	s.promote()
	s.big[i] = s.big[i].Add(a)
	return s.big[i]
}

// addInt adds a on the int64 path, reporting false (with nothing changed)
// when that would overflow.
func (s *moneySeries) addInt(i int, a Amount) bool {
	if a.m == 0 {
		return true
	}
	if !s.used {
		s.e, s.used = a.e, true
	}
	if a.e < s.e {
		// A finer amount: move every point to its exponent first.
		shift := s.e - a.e
		for _, m := range s.m {
			if _, ok := mulPow10(m, shift); !ok {
				return false
			}
		}
		for j, m := range s.m {
			s.m[j], _ = mulPow10(m, shift)
		}
		s.e = a.e
	}
	am, ok := mulPow10(a.m, a.e-s.e)
	if !ok {
		return false
	}
	x := s.m[i]
	sum := x + am
	if (x >= 0) == (am >= 0) && (sum >= 0) != (x >= 0) {
		return false
	}
	s.m[i] = sum
	return true
}

// promote moves the series to exact Amounts of any size.
func (s *moneySeries) promote() {
	if s.big != nil {
		return
	}
	s.big = make([]Amount, len(s.m))
	for j, m := range s.m {
		s.big[j] = Amount{m: m, e: s.e}
	}
	s.m = nil
}

// clone returns an independent copy.
func (s moneySeries) clone() moneySeries {
	c := s
	if s.m != nil {
		c.m = append([]int64(nil), s.m...)
	}
	if s.big != nil {
		c.big = append([]Amount(nil), s.big...)
	}
	return c
}
