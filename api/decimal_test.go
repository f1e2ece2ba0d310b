package api

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestParseDecimalIsExactAndFixedPoint: amounts parse to the exact value,
// and the ones an int64 holds stay fixed point (no big.Int behind them).
func TestParseDecimalIsExactAndFixedPoint(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		fixed    bool
	}{
		{"100.5", "100.5", true},
		{"0.0079", "0.0079", true},
		{"-12.50", "-12.5", true},
		{"0", "0", true},
		{"-0", "0", true},
		{"1.5e2", "150", true},
		{"15E-3", "0.015", true},
		{"0.000000000000000000000000000001", "0.000000000000000000000000000001", true},
		{"999999999999999999", "999999999999999999", true},
		{"9999999999999999999", "9999999999999999999", false},
		{"1e200", "1" + strings.Repeat("0", 200), true},
		{"12345678901234567890000", "12345678901234567890000", false},
		{"1234567890123456780000", "1234567890123456780000", true},
		{"9007199254740993.01", "9007199254740993.01", true},
		{"12345678901234567890.5", "12345678901234567890.5", false},
		{"1e-200", "0." + strings.Repeat("0", 199) + "1", true},
	} {
		d, err := parseDecimal(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if _, _, fixed := d.Fixed(); fixed != tc.fixed || d.String() != tc.want || d.Decimal().String() != tc.want {
			t.Errorf("%s: %s (decimal %s), fixed %v; want %s, fixed %v", tc.in, d, d.Decimal(), fixed, tc.want, tc.fixed)
		}
	}
	for _, bad := range []string{"", "-", "01", "1.", ".5", "+1", "1e", "NaN", " 1", "1 ", "0x10", "1e1001", strings.Repeat("1", 201)} {
		if d, err := parseDecimal(bad); err == nil {
			t.Errorf("%q parsed as %s", bad, d)
		}
	}
}

// BenchmarkParseDecimal shows a typical amount parses without allocating.
func BenchmarkParseDecimal(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseDecimal("100.0079"); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzParseDecimal: whatever ParseDecimal accepts is a JSON number of the
// value decimal.NewFromString reads, and its String parses back to it.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"100.5", "-0.0079", "1e-200", "123456789012345678901234567890.5", "0.0", "-0e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDecimal(s)
		if err != nil {
			return
		}
		if !jsonNumber.MatchString(s) {
			t.Fatalf("accepted %q, not a JSON number", s)
		}
		want, err := decimal.NewFromString(s)
		if err != nil || !d.Decimal().Equal(want) {
			t.Fatalf("%q: %s, want %s (%v)", s, d, want, err)
		}
		again, err := parseDecimal(d.String())
		if err != nil || !sameAmount(again, d) {
			t.Fatalf("%q: String %q parses back as %s (%v)", s, d.String(), again, err)
		}
	})
}
