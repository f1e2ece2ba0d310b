package snapshot

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

var testProducts = []product{
	{"United States-Outbound-SMS", "sms-outbound", "segments", "USD"},
	{"Phone Numbers-Local", "phone-numbers", "numbers", "GBP"},
}

func rec(start, end string, pid int, usage, price string) api.Record {
	p := testProducts[pid]
	return api.Record{StartDate: day(start), EndDate: day(end), ProductName: p.name, ProductCategory: p.category,
		Usage: api.Usage{Amount: api.DecimalOf(decimal.RequireFromString(usage)), Unit: p.unit},
		Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString(price)), Currency: p.currency}}
}

func testID(r *api.Record) uint64 {
	for i, p := range testProducts {
		if p == productOf(r) {
			return uint64(i)
		}
	}
	panic("unknown test product")
}

func TestCodecRoundTripsExactly(t *testing.T) {
	tests := []struct {
		name string
		recs []api.Record
	}{
		{"none", nil},
		{"daily", []api.Record{rec("2026-03-01", "2026-03-01", 0, "66505", "100.5"), rec("2026-03-01", "2026-03-01", 1, "12.0", "0.0079"),
			rec("2026-03-02", "2026-03-02", 0, "0", "0")}},
		{"monthly spans", []api.Record{rec("2026-01-15", "2026-01-31", 0, "1234.5", "987.6543"), rec("2026-02-01", "2026-02-28", 1, "3", "3.00")}},
		{"trailing zeros are kept as sent", []api.Record{rec("2026-03-01", "2026-03-01", 0, "1.500", "2.10")}},
		{"negative credits", []api.Record{rec("2026-03-01", "2026-03-01", 0, "-5", "-0.25")}},
		{"out of date order", []api.Record{rec("2026-03-09", "2026-03-09", 0, "1", "1"), rec("2026-03-01", "2026-03-01", 1, "2", "2")}},
		{"beyond int64", []api.Record{rec("2026-03-01", "2026-03-01", 0, "123456789012345678901234567890", "-98765432109876543210.123456789")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blob := encodeRecords(nil, day("2026-01-01"), tt.recs, testID)
			got, err := decodeRecords(nil, blob, day("2026-01-01"), testProducts)
			if err != nil {
				t.Fatal(err)
			}
			sameRecords(t, got, tt.recs)
		})
	}
}

func TestCodecRejectsDamagedBlobs(t *testing.T) {
	blob := encodeRecords(nil, day("2026-01-01"), []api.Record{rec("2026-03-01", "2026-03-01", 1, "12.5", "0.0079")}, testID)
	tests := []struct {
		name string
		blob []byte
		want error
	}{
		{"empty", nil, errCorrupt},
		{"another format", append([]byte{9}, blob[1:]...), errCorrupt},
		{"cut short", blob[:len(blob)-2], errCorrupt},
		{"trailing bytes", append(append([]byte{}, blob...), 0), errCorrupt},
		{"a count larger than the blob", []byte{codecVersion, 0xff, 0xff, 0x03}, errCorrupt},
		{"a product not read yet", blob, errUnknownProduct},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			products := testProducts
			if tt.want == errUnknownProduct {
				products = products[:1]
			}
			if _, err := decodeRecords(nil, tt.blob, day("2026-01-01"), products); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func FuzzDecodeRecordsNeverPanics(f *testing.F) {
	f.Add(encodeRecords(nil, 0, []api.Record{rec("2026-03-01", "2026-03-01", 1, "12.5", "0.0079")}, testID))
	f.Add([]byte{codecVersion, 1, 0, 0, 0, 3, 20, 0xff})
	f.Fuzz(func(t *testing.T, blob []byte) {
		_, _ = decodeRecords(nil, blob, 0, testProducts)
	})
}
