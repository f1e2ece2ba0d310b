package ui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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
	// Every price shows its four places (trailing zeros are exact), right
	// aligned: the column reads down like a ledger.
	end := -1
	for n, want := range []string{"1.4420", "3.0345", "1.3600", "12.0000", "0.2291"} {
		l := strings.Split(screen(m), "\n")[4+n]
		i := strings.Index(l, " "+want+" ")
		if i < 0 {
			t.Fatalf("row %d lacks %q:\n%s", n, want, screen(m))
		}
		at := ansi.StringWidth(l[:i]) + 1 + len(want)
		if end >= 0 && at != end {
			t.Errorf("%s ends at cell %d, others at %d:\n%s", want, at, end, screen(m))
		}
		end = at
	}
}

func TestFitMoneyNeverCutsDigits(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"1234.5", 13, "$1,234.50"},
		{"1234567890.5", 13, "$1.2B"},
		{"12345678.9", 13, "$12,345,679"},
		{"123456789012.5", 13, "$123.5B"},
		{"1e20", 13, "$1.0e20"},
		{"-1e20", 13, "-$1.0e20"},
		{"4500000000000", 13, "$4.5T"},
	}
	for _, tt := range tests {
		got := fitMoney(amount(tt.in), "USD", false, tt.width)
		if got != tt.want || len(got) > tt.width {
			t.Errorf("fitMoney(%s, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestFormatPercentNeverNegativeZero(t *testing.T) {
	for in, want := range map[float64]string{-0.00001: "0.0%", 0: "0.0%", -0.0123: "-1.2%", 0.125: "12.5%"} {
		if got := formatPercent(in); got != want {
			t.Errorf("formatPercent(%v) = %q, want %q", in, got, want)
		}
	}
}
