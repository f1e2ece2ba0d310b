package state

import (
	"math"
	"strconv"

	"github.com/shopspring/decimal"
)

// Amount is an exact decimal number: an int64 mantissa times a power of
// ten while it fits, and a decimal.Decimal when it does not. Records and
// rollups hold hundreds of thousands of amounts; the int64 form keeps them
// small and makes sums and comparisons free of allocation, while the
// fallback keeps every result exact however large or fine it gets.
//
// The zero Amount is 0. Amounts are values; no method modifies its receiver.
type Amount struct {
	m   int64
	e   int32
	big *decimal.Decimal // non-nil: the value, which does not fit m×10^e
}

// maxInt64Digits is the most decimal digits any int64 can hold without
// checking (10^18 < 2^63).
const maxInt64Digits = 18

var pow10i = [...]int64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
}

var pow10f = [...]float64{
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// AmountOf converts d exactly, without allocating when d's coefficient has
// at most 18 digits.
func AmountOf(d decimal.Decimal) Amount {
	if d.NumDigits() <= maxInt64Digits {
		return Amount{m: d.CoefficientInt64(), e: d.Exponent()}
	}
	// A copy declared here, so only this rare branch moves to the heap.
	big := d
	return Amount{big: &big}
}

// Decimal returns a as a decimal.Decimal.
func (a Amount) Decimal() decimal.Decimal {
	if a.big != nil {
		return *a.big
	}
	return decimal.New(a.m, a.e)
}

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int {
	if a.big != nil {
		return a.big.Sign()
	}
	switch {
	case a.m < 0:
		return -1
	case a.m > 0:
		return 1
	}
	return 0
}

// IsZero reports whether a is 0.
func (a Amount) IsZero() bool { return a.Sign() == 0 }

// mulPow10 returns m×10^n and whether it fit in an int64.
func mulPow10(m int64, n int32) (int64, bool) {
	if m == 0 {
		return 0, true
	}
	if n < 0 || n > maxInt64Digits {
		return 0, false
	}
	p := pow10i[n]
	if m > math.MaxInt64/p || m < math.MinInt64/p {
		return 0, false
	}
	return m * p, true
}

// align returns both mantissas at the smaller exponent, or ok false when
// that does not fit in int64.
func align(a, b Amount) (am, bm int64, e int32, ok bool) {
	switch {
	case a.e == b.e:
		return a.m, b.m, a.e, true
	case a.e > b.e:
		am, ok = mulPow10(a.m, a.e-b.e)
		return am, b.m, b.e, ok
	default:
		bm, ok = mulPow10(b.m, b.e-a.e)
		return a.m, bm, a.e, ok
	}
}

// Add returns a+b, exactly.
func (a Amount) Add(b Amount) Amount {
	if a.big == nil && b.big == nil {
		if b.m == 0 {
			return a
		}
		if a.m == 0 {
			return b
		}
		if am, bm, e, ok := align(a, b); ok {
			s := am + bm
			// Signed overflow happened iff both operands share a sign the sum lacks.
			if (am >= 0) != (bm >= 0) || (s >= 0) == (am >= 0) {
				return Amount{m: s, e: e}
			}
		}
	}
	return AmountOf(a.Decimal().Add(b.Decimal()))
}

// Neg returns -a.
func (a Amount) Neg() Amount {
	if a.big == nil && a.m != math.MinInt64 {
		return Amount{m: -a.m, e: a.e}
	}
	return AmountOf(a.Decimal().Neg())
}

// Sub returns a-b, exactly.
func (a Amount) Sub(b Amount) Amount { return a.Add(b.Neg()) }

// Cmp compares a and b exactly: -1 if a < b, 0 if equal, +1 if a > b.
func (a Amount) Cmp(b Amount) int {
	if a.big == nil && b.big == nil {
		if am, bm, _, ok := align(a, b); ok {
			switch {
			case am < bm:
				return -1
			case am > bm:
				return 1
			}
			return 0
		}
		// Aligning overflowed: the signs alone may still decide.
		if sa, sb := a.Sign(), b.Sign(); sa != sb {
			if sa < sb {
				return -1
			}
			return 1
		}
	}
	return a.Decimal().Cmp(b.Decimal())
}

// Equal reports whether a and b are the same number (1.50 equals 1.5).
func (a Amount) Equal(b Amount) bool { return a.Cmp(b) == 0 }

// Float64 returns the nearest float64, for drawing and display ratios only:
// never sum the results.
func (a Amount) Float64() float64 {
	if a.big != nil {
		return a.big.InexactFloat64()
	}
	f := float64(a.m)
	e := a.e
	for e < 0 {
		n := min(-e, int32(len(pow10f)-1))
		f /= pow10f[n]
		e += n
	}
	for e > 0 {
		n := min(e, int32(len(pow10f)-1))
		f *= pow10f[n]
		e -= n
	}
	return f
}

// String returns a in plain decimal notation with no exponent and no
// trailing fractional zeros ("100.5", "0.0079", "-3").
func (a Amount) String() string {
	var buf [48]byte
	return string(a.appendTo(buf[:0]))
}

// appendTo appends a's String form to b.
func (a Amount) appendTo(b []byte) []byte {
	if a.big != nil || a.e > maxInt64Digits || a.e < -maxInt64Digits-1 {
		return append(b, a.Decimal().String()...)
	}
	if a.e >= 0 {
		if a.m == 0 {
			return append(b, '0')
		}
		b = strconv.AppendInt(b, a.m, 10)
		for i := int32(0); i < a.e; i++ {
			b = append(b, '0')
		}
		return b
	}
	neg := a.m < 0
	u := uint64(a.m)
	if neg {
		u = -u
	}
	var digits [24]byte
	d := strconv.AppendUint(digits[:0], u, 10)
	scale := int(-a.e)
	for len(d) <= scale { // pad so there is at least one integer digit
		d = append([]byte{'0'}, d...)
	}
	intPart, frac := d[:len(d)-scale], d[len(d)-scale:]
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if neg && (len(frac) > 0 || string(intPart) != "0") {
		b = append(b, '-')
	}
	b = append(b, intPart...)
	if len(frac) > 0 {
		b = append(b, '.')
		b = append(b, frac...)
	}
	return b
}

// StringFixed returns a rounded half away from zero to places decimal
// places, always showing them ("12.30"); for display.
func (a Amount) StringFixed(places int32) string { return a.Decimal().StringFixed(places) }

// MarshalJSON writes a as an exact JSON number, never a string and never
// through float64.
func (a Amount) MarshalJSON() ([]byte, error) { return a.appendTo(nil), nil }
