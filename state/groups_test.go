package state

import (
	"testing"

	"github.com/shopspring/decimal"
)

func amt(s string) Amount { return AmountOf(decimal.RequireFromString(s)) }

func TestProductCountryAndDirection(t *testing.T) {
	tests := []struct {
		name               string
		country, direction string
	}{
		{"United States-Outbound-LC-SMS", "United States", "Outbound"},
		{"Nigeria-Outbound-SMS", "Nigeria", "Outbound"},
		{"United States-Carrier Fees-SMS", "United States", ""},
		{"Voice-Outbound-Minutes", "", "Outbound"},
		{"Voice-Inbound-TollFree-Minutes", "", "Inbound"},
		{"Phone Numbers-Toll Free", "", ""},
		{"Verify-SMS", "", ""},
		{"Spain", "", ""},
	}
	for _, tt := range tests {
		c, _ := ProductCountry(tt.name)
		d, _ := ProductDirection(tt.name)
		if c != tt.country || d != tt.direction {
			t.Errorf("%q: country %q direction %q, want %q %q", tt.name, c, d, tt.country, tt.direction)
		}
	}
}

func TestGroupProducts(t *testing.T) {
	row := func(name, cat, cur, cost, prev string) ProductFigure {
		return ProductFigure{Key: ProductKey{Name: name, Category: cat, Currency: cur}, Cost: amt(cost), PrevCost: amt(prev)}
	}
	rows := []ProductFigure{
		row("United States-Outbound-LC-SMS", "sms", "USD", "60.10", "40.15"),
		row("Nigeria-Outbound-SMS", "sms", "USD", "20.20", "0"),
		row("Voice-Inbound-Minutes", "voice", "USD", "19.70", "19.70"),
		row("Verify-SMS", "verify", "GBP", "5", "0"),
	}
	figs := func(compared bool) *Figures {
		f := &Figures{Compared: compared, index: map[ProductKey]int{}}
		for i, r := range rows {
			r.Compared = compared
			f.index[r.Key] = i
			f.rows = append(f.rows, r)
		}
		return f
	}
	got := GroupProducts(figs(true), GroupCategory)
	if len(got) != 3 || got[0].Name != "sms" || got[0].Products != 2 || !got[0].Cost.Equal(amt("80.30")) {
		t.Fatalf("by category: %+v", got)
	}
	if got[0].Share != 0.803 {
		t.Errorf("sms share %v, want 0.803 of the USD total", got[0].Share)
	}
	if !got[0].HasPrev || got[0].Change.Percent != 100 {
		t.Errorf("sms change %+v, want +100%% (80.30 against 40.15)", got[0].Change)
	}
	if g := got[2]; g.Name != "verify" || g.Currency != "GBP" || g.Share != 1 || !g.Change.New {
		t.Errorf("GBP group %+v: its own currency's whole total, new", g)
	}
	byDir := GroupProducts(figs(false), GroupDirection)
	if byDir[0].Name != "Outbound" || !byDir[0].Cost.Equal(amt("80.30")) || byDir[0].HasPrev {
		t.Errorf("by direction: %+v", byDir)
	}
	names := map[string]bool{}
	for _, g := range GroupProducts(figs(false), GroupCountry) {
		names[g.Name] = true
	}
	if !names["United States"] || !names["Nigeria"] || !names[GroupNone] {
		t.Errorf("by country: %v", names)
	}
}
