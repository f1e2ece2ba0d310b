package state

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

func TestMoneySeriesStaysExact(t *testing.T) {
	tests := []struct {
		name string
		adds []struct {
			i int
			v string
		}
	}{
		{"one scale", []struct {
			i int
			v string
		}{{0, "1.5"}, {0, "2.5"}, {2, "0.1"}}},
		{"finer later", []struct {
			i int
			v string
		}{{0, "100"}, {1, "0.0079"}, {0, "0.5"}, {2, "1e-10"}}},
		{"coarser later", []struct {
			i int
			v string
		}{{0, "0.0001"}, {1, "1e5"}, {1, "-1e5"}}},
		{"overflow on add", []struct {
			i int
			v string
		}{{0, "9223372036854775000"}, {0, "1000"}, {1, "1"}}},
		{"overflow on rescale", []struct {
			i int
			v string
		}{{0, "922337203685477580"}, {1, "0.1"}, {2, "3"}}},
		{"big amount", []struct {
			i int
			v string
		}{{2, "1"}, {1, "123456789012345678901234567890.5"}, {2, "0.25"}}},
	}
	for _, tt := range tests {
		s := newMoneySeries(3)
		want := make([]decimal.Decimal, 3)
		for _, a := range tt.adds {
			got := s.add(a.i, AmountOf(stDec(a.v)))
			want[a.i] = want[a.i].Add(stDec(a.v))
			if !got.Decimal().Equal(want[a.i]) {
				t.Errorf("%s: add returned %s, want %s", tt.name, got, want[a.i])
			}
		}
		if s.len() != 3 {
			t.Errorf("%s: len %d", tt.name, s.len())
		}
		c := s.clone()
		s.add(0, NewAmount(1, 0))
		for i := range want {
			if !c.at(i).Decimal().Equal(want[i]) {
				t.Errorf("%s: point %d = %s, want %s", tt.name, i, c.at(i), want[i])
			}
		}
	}
}

func TestMoneySeriesPromotesOnlyWhenNeeded(t *testing.T) {
	s := newMoneySeries(2)
	s.add(0, NewAmount(1e15, 0))
	s.add(1, NewAmount(1, -2)) // point 0 becomes 1e17 at exponent -2: fits
	if s.big != nil {
		t.Fatal("promoted although every point fits")
	}
	s.add(0, NewAmount(math.MaxInt64/100, 0)) // 9.2e18 + 1e17 at exponent -2: overflows
	if s.big == nil {
		t.Fatal("did not promote on overflow")
	}
}
