package state

import "testing"

// BenchmarkRecordViewFilter measures one keystroke in the Records view's
// filter: typing a character that narrows the rows ("sm" to "sms"), and
// deleting one, which refilters from every record ("sms" to "sm").
func BenchmarkRecordViewFilter(b *testing.B) {
	for _, n := range stBenchSizes {
		for _, step := range []struct{ name, from, to string }{
			{"type", "s", "sm"},
			{"backspace", "sm", "s"},
			{"clear", "s", ""},
		} {
			b.Run(stSizeName(n)+"/"+step.name, func(b *testing.B) {
				stBenchSkip(b, n)
				s := stBenchStore(stBenchPages(stBenchRecords(n)))
				v := NewRecordView(RecordCost, true)
				v.Sync(s)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					b.StopTimer()
					v.SetFilter(step.from)
					b.StartTimer()
					v.SetFilter(step.to)
				}
			})
		}
	}
}

// BenchmarkProductViewFilter measures one keystroke in the Products view.
func BenchmarkProductViewFilter(b *testing.B) {
	for _, n := range stBenchSizes {
		b.Run(stSizeName(n), func(b *testing.B) {
			stBenchSkip(b, n)
			s := stBenchStore(stBenchPages(stBenchRecords(n)))
			v := NewProductView(ProductCost, true)
			v.Sync(s)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				v.SetFilter("s")
				b.StartTimer()
				v.SetFilter("sm")
			}
		})
	}
}
