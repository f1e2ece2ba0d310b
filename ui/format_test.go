package ui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
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

func TestAlignPoint(t *testing.T) {
	tests := []struct {
		s      string
		places int
		want   string
	}{
		{"1.442", 4, "1.442 "},
		{"3.0345", 4, "3.0345"},
		{"12", 4, "12     "},
		{"1,765", 1, "1,765  "},
		{"110,587.1", 1, "110,587.1"},
		{"0.123456789", 4, "0.123456789"},
		{"7", 0, "7"},
	}
	for _, tt := range tests {
		if got := alignPoint(tt.s, tt.places); got != tt.want {
			t.Errorf("alignPoint(%q, %d) = %q, want %q", tt.s, tt.places, got, tt.want)
		}
	}
}

// TestRecordsLineUpOnTheDecimalPoint: exact prices with different numbers
// of decimals still read as a column of figures.
func TestRecordsLineUpOnTheDecimalPoint(t *testing.T) {
	recs := []api.Record{}
	for i, price := range []string{"1.442", "3.0345", "1.36", "12", "0.2291"} {
		d := api.NewDate(2025, 2, 3)
		recs = append(recs, api.Record{StartDate: d, EndDate: d, ProductName: "P" + strconv.Itoa(i), ProductCategory: "c",
			Usage: api.Usage{Amount: api.DecimalOf(decimal.NewFromInt(int64(i + 1))), Unit: "u"},
			Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString(price)), Currency: "USD"}})
	}
	m := press(t, loaded(t, testOptions(newPagedFetcher(recs, 100)), 80, 24), "tab")
	col := -1
	for _, l := range strings.Split(screen(m), "\n")[4:9] {
		fields := strings.Fields(l)
		price := fields[len(fields)-1]
		at := strings.LastIndex(l, price) + strings.IndexByte(price, '.')
		if !strings.Contains(price, ".") {
			at = strings.LastIndex(l, price) + len(price)
		}
		if col >= 0 && at != col {
			t.Errorf("decimal point of %s at %d, others at %d:\n%s", price, at, col, screen(m))
		}
		col = at
	}
}
