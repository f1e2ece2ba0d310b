package api

// Identical reports whether r and o are the same record to the letter:
// every field equal, and each amount with the same digits (100.50 is not
// 100.5), so both print the same in an export. Records that went through
// a cache or a store must come back Identical to what the API sent.
func (r *Record) Identical(o *Record) bool {
	return r.StartDate == o.StartDate && r.EndDate == o.EndDate &&
		r.ProductName == o.ProductName && r.ProductCategory == o.ProductCategory &&
		r.Usage.Unit == o.Usage.Unit && r.Price.Currency == o.Price.Currency &&
		r.Usage.Amount.Equal(o.Usage.Amount) && r.Usage.Amount.Exponent() == o.Usage.Amount.Exponent() &&
		r.Price.Amount.Equal(o.Price.Amount) && r.Price.Amount.Exponent() == o.Price.Amount.Exponent()
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
