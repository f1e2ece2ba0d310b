package snapshot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// A window's records are stored as one blob, because a row per record
// would cost SQLite's per-row overhead (tens of bytes) on every record.
// The blob is a format version byte, the record count, then per record:
//
//	start    zigzag varint, days after the previous record's start (the first: after the window's first day)
//	span     uvarint, end - start in days (0 for DAILY)
//	product  uvarint, id in the products table (name, category, unit, currency)
//	usage    decimal
//	price    decimal
//
// A decimal is a uvarint head, zigzag(exponent)<<1 | big, then either the
// coefficient as a zigzag varint or, when it does not fit an int64, its
// decimal text as a uvarint length and bytes: exact either way. A daily
// record takes about 12 bytes.
const codecVersion = 1

// errCorrupt marks a blob that does not decode: the store is damaged.
var errCorrupt = errors.New("a stored window does not decode")

// errUnknownProduct means a blob names a product this Store has not read
// yet (another usagetop process added it): read the table again.
var errUnknownProduct = errors.New("a stored window names an unknown product")

// productIDs gives the id of a record's product tuple.
type productIDs func(r *api.Record) uint64

// encodeRecords appends recs, relative to the window starting on from.
func encodeRecords(dst []byte, from api.Date, recs []api.Record, id productIDs) []byte {
	dst = append(dst, codecVersion)
	dst = binary.AppendUvarint(dst, uint64(len(recs)))
	prev := from
	for i := range recs {
		r := &recs[i]
		dst = binary.AppendVarint(dst, int64(r.StartDate-prev))
		dst = binary.AppendUvarint(dst, uint64(r.EndDate-r.StartDate))
		dst = binary.AppendUvarint(dst, id(r))
		dst = appendDecimal(dst, r.Usage.Amount.Decimal())
		dst = appendDecimal(dst, r.Price.Amount.Decimal())
		prev = r.StartDate
	}
	return dst
}

func appendDecimal(dst []byte, d decimal.Decimal) []byte {
	exp := int64(d.Exponent())
	head := uint64(exp<<1^exp>>63) << 1
	if d.NumDigits() <= 18 {
		dst = binary.AppendUvarint(dst, head)
		return binary.AppendVarint(dst, d.CoefficientInt64())
	}
	text := d.Coefficient().String()
	dst = binary.AppendUvarint(dst, head|1)
	dst = binary.AppendUvarint(dst, uint64(len(text)))
	return append(dst, text...)
}

// product is one interned product tuple.
type product struct {
	name, category, unit, currency string
}

// decodeRecords appends the records of a blob written by encodeRecords
// for a window starting on from; products resolves ids.
func decodeRecords(dst []api.Record, blob []byte, from api.Date, products []product) ([]api.Record, error) {
	d := reader{b: blob}
	if v := d.byte(); v != codecVersion {
		return dst, fmt.Errorf("%w: format %d, this usagetop reads %d", errCorrupt, v, codecVersion)
	}
	n := d.uvarint()
	if n > uint64(len(blob)) { // every record takes several bytes
		return dst, fmt.Errorf("%w: it claims %d records in %d bytes", errCorrupt, n, len(blob))
	}
	dst = grow(dst, int(n))
	prev := from
	for range n {
		start := prev + api.Date(d.varint())
		end := start + api.Date(d.uvarint())
		pid := d.uvarint()
		usage := d.decimal()
		price := d.decimal()
		if d.err != nil {
			return dst, fmt.Errorf("%w: %v", errCorrupt, d.err)
		}
		if pid >= uint64(len(products)) || products[pid] == (product{}) {
			return dst, errUnknownProduct
		}
		p := &products[pid]
		dst = append(dst, api.Record{
			StartDate: start, EndDate: end,
			ProductName: p.name, ProductCategory: p.category,
			Usage: api.Usage{Amount: api.DecimalOf(usage), Unit: p.unit},
			Price: api.Price{Amount: api.DecimalOf(price), Currency: p.currency},
		})
		prev = start
	}
	if d.err == nil && len(d.b) != 0 {
		return dst, fmt.Errorf("%w: %d bytes left over", errCorrupt, len(d.b))
	}
	return dst, d.err
}

func grow(s []api.Record, n int) []api.Record {
	if cap(s)-len(s) < n {
		g := make([]api.Record, len(s), len(s)+n)
		copy(g, s)
		return g
	}
	return s
}

// reader reads a blob, remembering the first fault.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = errors.New(what)
	}
	r.b = nil
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail("blob ends early")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 { return readVarint(r, binary.Uvarint) }

func (r *reader) varint() int64 { return readVarint(r, binary.Varint) }

// readVarint reads one varint with read (binary.Uvarint or binary.Varint).
func readVarint[T int64 | uint64](r *reader, read func([]byte) (T, int)) T {
	v, n := read(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) decimal() decimal.Decimal {
	head := r.uvarint()
	z := head >> 1
	exp := int64(z>>1) ^ -int64(z&1)
	if exp < -1<<31 || exp > 1<<31-1 {
		r.fail("exponent out of range")
		return decimal.Zero
	}
	if head&1 == 0 {
		return decimal.New(r.varint(), int32(exp))
	}
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail("decimal text runs past the blob")
		return decimal.Zero
	}
	coef, ok := new(big.Int).SetString(string(r.b[:n]), 10)
	r.b = r.b[n:]
	if !ok {
		r.fail("bad decimal text")
		return decimal.Zero
	}
	return decimal.NewFromBigInt(coef, int32(exp))
}
