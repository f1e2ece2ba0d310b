package state

import "testing"

// BenchmarkRecordViewSort re-sorts every loaded record by one column
// (each iteration flips the direction, so each one really sorts).
func BenchmarkRecordViewSort(b *testing.B) {
	for _, n := range stBenchSizes {
		for _, col := range []RecordColumn{RecordCost, RecordProduct, RecordDate} {
			b.Run(stSizeName(n)+"/"+col.String(), func(b *testing.B) {
				stBenchSkip(b, n)
				s := stBenchStore(stBenchPages(stBenchRecords(n)))
				v := NewRecordView(col, false)
				v.Sync(s)
				desc := false
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					desc = !desc
					v.SetSort(col, desc)
				}
			})
		}
	}
}

// BenchmarkRecordViewSyncPage merges one more page into a sorted view of
// everything loaded so far.
func BenchmarkRecordViewSyncPage(b *testing.B) {
	for _, n := range stBenchSizes {
		b.Run(stSizeName(n), func(b *testing.B) {
			stBenchSkip(b, n)
			pages := stBenchPages(stBenchRecords(n))
			s := stBenchStore(pages[:len(pages)-1])
			last := pages[len(pages)-1]
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				s2 := stBenchStore(pages[:len(pages)-1])
				v := NewRecordView(RecordCost, true)
				v.SetFilter("sms")
				v.Sync(s2)
				s2.Append(last.token, last.page)
				b.StartTimer()
				v.Sync(s2)
			}
			_ = s
		})
	}
}

// BenchmarkProductViewSort re-sorts the Products view.
func BenchmarkProductViewSort(b *testing.B) {
	for _, n := range stBenchSizes {
		b.Run(stSizeName(n), func(b *testing.B) {
			stBenchSkip(b, n)
			s := stBenchStore(stBenchPages(stBenchRecords(n)))
			v := NewProductView(ProductCost, true)
			v.Sync(s)
			desc := false
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				desc = !desc
				v.SetSort(ProductCost, desc)
			}
		})
	}
}
