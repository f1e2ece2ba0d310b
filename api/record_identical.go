package api

// Identical reports whether r and o are the same record to the letter:
// every field equal, and each amount with the same digits (100.50 is not
// 100.5), so both print the same in an export. Records that went through
// a cache or a store must come back Identical to what the API sent.
func (r *Record) Identical(o *Record) bool {
	return r.StartDate == o.StartDate && r.EndDate == o.EndDate &&
		r.ProductName == o.ProductName && r.ProductCategory == o.ProductCategory &&
		r.Usage.Unit == o.Usage.Unit && r.Price.Currency == o.Price.Currency &&
		sameDigits(r.Usage.Amount, o.Usage.Amount) && sameDigits(r.Price.Amount, o.Price.Amount)
}

// sameDigits reports whether a and b are the same number written with the
// same digits (100.50 is not 100.5).
func sameDigits(a, b Decimal) bool {
	am, ae, aok := a.Fixed()
	bm, be, bok := b.Fixed()
	if aok && bok {
		return am == bm && ae == be
	}
	ad, bd := a.Decimal(), b.Decimal()
	return ad.Equal(bd) && ad.Exponent() == bd.Exponent()
}

// FirstDifference returns the index of the first record where got and
// want are not Identical (the shorter one's length when one is a prefix
// of the other), or -1 when they are the same records in the same order.
func FirstDifference(got, want []Record) int {
	for i := range min(len(got), len(want)) {
		if !got[i].Identical(&want[i]) {
			return i
		}
	}
	if len(got) != len(want) {
		return min(len(got), len(want))
	}
	return -1
}
