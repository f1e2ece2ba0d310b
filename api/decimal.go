package api

import (
	"errors"
	"math/big"
	"strconv"

	"github.com/shopspring/decimal"
)

// Limits on an amount: numbers with more digits or a larger exponent are
// not money, and refusing them keeps a hostile body from costing much.
const (
	maxDecimalDigits = 200
	maxDecimalExpMag = 1000
)

// Decimal is an exact decimal amount as the API sends it: an int64
// mantissa times a power of ten, which holds every real amount, and a
// decimal.Decimal only for the rare one that does not fit. Pages hold
// thousands of amounts; keeping them fixed-point means decoding allocates
// nothing for them and the store takes them as they are, where a
// decimal.Decimal would build a big.Int for each only to have it turned
// back into an int64. The zero Decimal is 0.
type Decimal struct {
	m   int64
	e   int32
	big *decimal.Decimal // non-nil: the value, which does not fit m×10^e
}

// NewDecimal returns mantissa × 10^exp.
func NewDecimal(mantissa int64, exp int32) Decimal { return Decimal{m: mantissa, e: exp} }

// DecimalOf converts d exactly.
func DecimalOf(d decimal.Decimal) Decimal {
	if d.NumDigits() <= 18 {
		return Decimal{m: d.CoefficientInt64(), e: d.Exponent()}
	}
	return Decimal{big: &d}
}

// errNotDecimal is parseDecimal's error; the decoder names the record.
var errNotDecimal = errors.New("not a decimal number")

// parseDecimal parses a JSON number ("100.5", "-0.0079", "1.5e2") exactly,
// straight into fixed point when its digits fit in an int64. It refuses
// anything else, and numbers of more than 200 significant digits or an
// exponent past ±1000 (±1200 once the point is counted).
// It takes the decoder's bytes as well as a string, so an amount on the
// wire is parsed where it lies, without a copy.
func parseDecimal[T string | []byte](s T) (Decimal, error) {
	n := scanNumber(s)
	if n == 0 || n != len(s) {
		return Decimal{}, errNotDecimal
	}
	neg, i := s[0] == '-', 0
	if neg {
		i = 1
	}
	var mant uint64
	// digits counts from the first non-zero digit; trail is the run of
	// zeros that ends them, which the exponent can carry instead.
	digits, trail, frac, inFrac := 0, 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			inFrac = true
			continue
		}
		if c == 'e' || c == 'E' {
			break
		}
		if inFrac {
			frac++
		}
		if digits == 0 && c == '0' {
			continue // a leading zero carries no value
		}
		if digits < 18 {
			mant = mant*10 + uint64(c-'0')
		}
		digits++
		if trail++; c != '0' {
			trail = 0
		}
	}
	exp := int64(0)
	if i < len(s) {
		e, err := strconv.ParseInt(string(s[i+1:]), 10, 32)
		if err != nil || e > maxDecimalExpMag || e < -maxDecimalExpMag {
			return Decimal{}, errNotDecimal
		}
		exp = e
	}
	exp -= int64(frac)
	if digits-trail > maxDecimalDigits || exp > maxDecimalExpMag+maxDecimalDigits || exp < -maxDecimalExpMag-maxDecimalDigits {
		return Decimal{}, errNotDecimal
	}
	if digits > 18 && digits-trail <= 18 {
		exp += int64(digits - 18) // mant holds the first 18 digits, zeros after the last significant one
		digits = 18
	}
	if digits <= 18 {
		m := int64(mant)
		if neg {
			m = -m
		}
		return Decimal{m: m, e: int32(exp)}, nil
	}
	// A long mantissa: keep every digit.
	buf := make([]byte, 0, digits+1)
	if neg {
		buf = append(buf, '-')
	}
	for j := 0; j < i; j++ {
		if c := s[j]; c >= '0' && c <= '9' {
			buf = append(buf, c)
		}
	}
	var v big.Int
	v.SetString(string(buf), 10) // only digits: it cannot fail
	d := decimal.NewFromBigInt(&v, int32(exp))
	return Decimal{big: &d}, nil
}

// scanNumber returns the length of the JSON number at the start of s, or 0
// if s does not start with one. Grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber[T string | []byte](s T) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return 0
	}
	if i < len(s) && s[i] == '.' {
		if i = digitsFrom(s, i+1); i == 0 {
			return 0
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i = digitsFrom(s, i); i == 0 {
			return 0
		}
	}
	return i
}

// digitsFrom returns the index after the run of digits at s[i:], or 0 when
// there is none (a point or an exponent needs at least one).
func digitsFrom[T string | []byte](s T, i int) int {
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return 0
	}
	return j
}

// Fixed returns d as mantissa × 10^exp, and false when d does not fit an
// int64 mantissa.
func (d Decimal) Fixed() (mantissa int64, exp int32, ok bool) {
	return d.m, d.e, d.big == nil
}

// Decimal returns d as a decimal.Decimal, for arithmetic.
func (d Decimal) Decimal() decimal.Decimal {
	if d.big != nil {
		return *d.big
	}
	return decimal.New(d.m, d.e)
}

// String formats d as decimal.Decimal does: no exponent, no trailing zeros
// after the point ("100.5", "-0.0079", "150").
func (d Decimal) String() string {
	if d.big != nil {
		return d.big.String()
	}
	if d.e > 0 || d.e < -40 {
		return decimal.New(d.m, d.e).String() // rare: leave the zeros to decimal
	}
	var b [64]byte
	digits := strconv.AppendUint(b[:0], absInt64(d.m), 10)
	out := make([]byte, 0, len(digits)+44)
	if d.m < 0 {
		out = append(out, '-')
	}
	frac := int(-d.e)
	if frac >= len(digits) {
		out = append(out, '0')
		pad := make([]byte, frac-len(digits), frac)
		for i := range pad {
			pad[i] = '0'
		}
		digits = append(pad, digits...)
	} else {
		out = append(out, digits[:len(digits)-frac]...)
		digits = digits[len(digits)-frac:]
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if len(digits) > 0 {
		out = append(append(out, '.'), digits...)
	}
	return string(out)
}

// absInt64 returns |m| as a uint64 (MinInt64 included).
func absInt64(m int64) uint64 {
	if m < 0 {
		return uint64(-(m + 1)) + 1
	}
	return uint64(m)
}
