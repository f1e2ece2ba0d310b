package ui

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/state"
)

func amount(s string) state.Amount { return state.AmountOf(decimal.RequireFromString(s)) }

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		in, cur string
		ascii   bool
		want    string
	}{
		{"12345.678", "USD", false, "$12,345.68"},
		{"0.0079", "USD", false, "$0.01"},
		{"0", "USD", false, "$0.00"},
		{"-3.1", "GBP", false, "-£3.10"},
		{"1234567", "GBP", true, "GBP 1,234,567.00"},
		{"9", "CHF", false, "CHF 9.00"},
		{"100.5", "", false, "100.50"},
		{"999.995", "USD", false, "$1,000.00"},
	}
	for _, tt := range tests {
		if got := formatMoney(amount(tt.in), tt.cur, tt.ascii); got != tt.want {
			t.Errorf("formatMoney(%s %s) = %q, want %q", tt.in, tt.cur, got, tt.want)
		}
	}
}

func TestGroupThousands(t *testing.T) {
	tests := map[string]string{
		"0": "0", "999": "999", "1000": "1,000", "-1234567.0079": "-1,234,567.0079",
		"123456": "123,456", "12.5": "12.5",
	}
	for in, want := range tests {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatExactKeepsEveryDigit(t *testing.T) {
	if got := formatExact(amount("10000.0079")); got != "10,000.0079" {
		t.Errorf("formatExact = %q", got)
	}
}
