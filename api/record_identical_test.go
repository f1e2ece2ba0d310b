package api

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestRecordIdentical(t *testing.T) {
	base := Record{StartDate: 20000, EndDate: 20000, ProductName: "SMS", ProductCategory: "sms",
		Usage: Usage{Amount: DecimalOf(decimal.RequireFromString("12")), Unit: "segments"},
		Price: Price{Amount: DecimalOf(decimal.RequireFromString("100.5")), Currency: "USD"}}
	tests := []struct {
		name   string
		change func(r *Record)
		want   bool
	}{
		{"a copy", func(*Record) {}, true},
		{"same price, other digits", func(r *Record) { r.Price.Amount = DecimalOf(decimal.RequireFromString("100.50")) }, false},
		{"other price", func(r *Record) { r.Price.Amount = DecimalOf(decimal.RequireFromString("100.6")) }, false},
		{"other usage digits", func(r *Record) { r.Usage.Amount = DecimalOf(decimal.RequireFromString("12.0")) }, false},
		{"other day", func(r *Record) { r.EndDate++ }, false},
		{"other product", func(r *Record) { r.ProductName = "MMS" }, false},
		{"other currency", func(r *Record) { r.Price.Currency = "GBP" }, false},
	}
	for _, tt := range tests {
		o := base
		tt.change(&o)
		if got := base.Identical(&o); got != tt.want {
			t.Errorf("%s: Identical = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFirstDifference(t *testing.T) {
	a := Record{StartDate: 1, ProductName: "SMS"}
	b := Record{StartDate: 2, ProductName: "SMS"}
	tests := []struct {
		got, want []Record
		at        int
	}{
		{nil, nil, -1},
		{[]Record{a, b}, []Record{a, b}, -1},
		{[]Record{a, a}, []Record{a, b}, 1},
		{[]Record{a}, []Record{a, b}, 1},
		{[]Record{b, a}, []Record{a, b}, 0},
	}
	for _, tt := range tests {
		if got := FirstDifference(tt.got, tt.want); got != tt.at {
			t.Errorf("FirstDifference(%v, %v) = %d, want %d", tt.got, tt.want, got, tt.at)
		}
	}
}
