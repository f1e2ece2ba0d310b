package state

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

// NewAmount returns mantissa × 10^exp (tests build amounts from parts).
func NewAmount(mantissa int64, exp int32) Amount { return Amount{m: mantissa, e: exp} }

func TestAmountAddIsExact(t *testing.T) {
	tests := []struct {
		a, b, want string
	}{
		{"0", "0", "0"},
		{"100.5", "0.0079", "100.5079"},
		{"0.1", "0.2", "0.3"},
		{"-3", "3", "0"},
		{"1e3", "1", "1001"},
		{"9223372036854775807", "1", "9223372036854775808"},               // int64 overflow falls back
		{"-9223372036854775808", "-1", "-9223372036854775809"},            // negative overflow
		{"1000000000000", "0.000000000001", "1000000000000.000000000001"}, // aligning overflows
		{"123456789012345678901234567890", "1", "123456789012345678901234567891"},
		{"1.50", "1.5", "3"},
	}
	for _, tt := range tests {
		got := AmountOf(stDec(tt.a)).Add(AmountOf(stDec(tt.b)))
		if !got.Decimal().Equal(stDec(tt.want)) {
			t.Errorf("%s + %s = %s, want %s", tt.a, tt.b, got, tt.want)
		}
		if got.String() != stDec(tt.want).String() {
			t.Errorf("%s + %s prints %q, want %q", tt.a, tt.b, got.String(), stDec(tt.want).String())
		}
	}
}

func TestAmountSumMatchesDecimal(t *testing.T) {
	// Many small prices at mixed scales: the int64 path must agree with
	// decimal arithmetic to the last digit.
	var a Amount
	d := decimal.Zero
	for i := 0; i < 10000; i++ {
		x := decimal.New(int64(i*7919%100003), -int32(i%6))
		a = a.Add(AmountOf(x))
		d = d.Add(x)
	}
	if !a.Decimal().Equal(d) {
		t.Fatalf("sum %s, want %s", a, d)
	}
}

func TestAmountCmp(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "2", -1},
		{"2", "1", 1},
		{"1.50", "1.5", 0},
		{"0.0079", "0.008", -1},
		{"-1", "0", -1},
		{"9223372036854775807", "9223372036854775808", -1},
		{"90000000000000000", "0.00000000001", 1}, // aligning overflows
		{"-90000000000000000", "0.00000000001", -1},
		{"-90000000000000000", "-0.00000000001", -1},
	}
	for _, tt := range tests {
		if got := AmountOf(stDec(tt.a)).Cmp(AmountOf(stDec(tt.b))); got != tt.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := AmountOf(stDec(tt.b)).Cmp(AmountOf(stDec(tt.a))); got != -tt.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestAmountString(t *testing.T) {
	tests := []struct {
		a    Amount
		want string
	}{
		{Amount{}, "0"},
		{NewAmount(1005, -1), "100.5"},
		{NewAmount(79, -4), "0.0079"},
		{NewAmount(-79, -4), "-0.0079"},
		{NewAmount(1500, -3), "1.5"},
		{NewAmount(-1000, -3), "-1"},
		{NewAmount(0, -3), "0"},
		{NewAmount(12, 3), "12000"},
		{NewAmount(math.MinInt64, -2), "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("String(%d e%d) = %q, want %q", tt.a.m, tt.a.e, got, tt.want)
		}
		b, _ := json.Marshal(tt.a)
		if string(b) != tt.want {
			t.Errorf("JSON(%d e%d) = %s, want %s", tt.a.m, tt.a.e, b, tt.want)
		}
		if !tt.a.Decimal().Equal(stDec(tt.want)) {
			t.Errorf("Decimal(%d e%d) = %s, want %s", tt.a.m, tt.a.e, tt.a.Decimal(), tt.want)
		}
	}
}

func TestAmountNegAndSub(t *testing.T) {
	a := NewAmount(math.MinInt64, 0)
	if got, want := a.Neg().String(), "9223372036854775808"; got != want {
		t.Errorf("Neg(MinInt64) = %s, want %s", got, want)
	}
	if got := AmountOf(stDec("10.25")).Sub(AmountOf(stDec("0.25"))); got.String() != "10" {
		t.Errorf("10.25 - 0.25 = %s", got)
	}
}

func TestAmountFloat64(t *testing.T) {
	tests := []struct {
		a    Amount
		want float64
	}{
		{NewAmount(1005, -1), 100.5},
		{NewAmount(79, -4), 0.0079},
		{NewAmount(3, 2), 300},
		{NewAmount(1, -30), 1e-30},
		{AmountOf(stDec("123456789012345678901234567890")), 1.2345678901234568e29},
	}
	for _, tt := range tests {
		if got := tt.a.Float64(); math.Abs(got-tt.want) > math.Abs(tt.want)*1e-15 {
			t.Errorf("Float64(%s) = %g, want %g", tt.a, got, tt.want)
		}
	}
}
