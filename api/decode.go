package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// DecodeError says why a records response could not be decoded: which
// record (by index in the page) and which field, so a bad value is reported
// instead of read as a silent zero.
type DecodeError struct {
	// Record is the index of the record in the page, or -1 when the fault is
	// outside the records array.
	Record int
	// Field is the JSON path of the faulty field inside the record (or the
	// page), such as "price.amount"; empty for a syntax error.
	Field string
	// Offset is the byte offset in the body where the fault was found.
	Offset int
	// Reason says what is wrong.
	Reason string
	// Truncated is true when the body stops in the middle of its JSON (or
	// is empty): the answer was most likely cut short on its way, so asking
	// again may succeed. A complete body that is wrong is not truncated.
	Truncated bool
}

func (e *DecodeError) Error() string {
	s := "malformed records response: "
	if e.Record >= 0 {
		s += "record " + strconv.Itoa(e.Record) + ": "
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	if e.Truncated {
		return s + e.Reason + " (the body ends at byte " + strconv.Itoa(e.Offset) + ": it was cut short)"
	}
	return s + e.Reason + " (at byte " + strconv.Itoa(e.Offset) + ")"
}

// Limits that keep a hostile or broken body from costing much: JSON nesting
// deeper than this is refused (the real shape is 3 levels deep), and numbers
// with more digits or a larger exponent are not money.
const (
	maxJSONDepth      = 64
	maxDecimalDigits  = 200
	maxDecimalExpMag  = 1000
	estimatedRecBytes = 220 // bytes per record on the wire, to size the slice once
)

// DecodePage decodes one 200 response of the records endpoint.
//
// It is hand-written rather than built on encoding/json because pages are
// large and frequent: it decodes amounts straight from their bytes into exact
// decimals (price.amount never passes through float64), parses dates without
// allocating, and shares one string per distinct product name, category,
// unit and currency within a page. It reads "records" (ignoring meta.key),
// "asOf" and meta.nextToken, and ignores every other field. Object keys match
// exactly; a repeated key keeps its last value, as encoding/json does.
// Invalid UTF-8 in strings becomes U+FFFD.
//
// Every record must carry productName, productCategory, startDate, endDate,
// usage.amount, usage.unit, price.amount and price.currency; a missing,
// null or malformed one is a *DecodeError naming the record and field.
// Amounts are accepted as a JSON number or a string holding one.
func DecodePage(data []byte) (*Page, error) {
	d := decoder{data: data, intern: make(map[string]string, 64)}
	p, err := d.page()
	if de, ok := err.(*DecodeError); ok && endsEarly(data) {
		de.Truncated = true
		de.Offset = len(data)
	}
	return p, err
}

// endsEarly reports whether data is empty or stops inside a JSON value:
// what a body cut short in transfer looks like. Only failed pages are asked,
// so the second reading costs nothing on the fast path.
func endsEarly(data []byte) bool {
	var v json.RawMessage
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&v)
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

type decoder struct {
	data    []byte
	pos     int
	record  int    // index of the record being decoded, -1 outside records
	field   string // field being decoded, for errors
	intern  map[string]string
	scratch []byte // unescaped string contents
}

func (d *decoder) fail(format string, args ...any) error {
	return &DecodeError{Record: d.record, Field: d.field, Offset: d.pos, Reason: fmt.Sprintf(format, args...)}
}

func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte without consuming it, or 0 at the end.
func (d *decoder) peek() byte {
	d.ws()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

func (d *decoder) describeNext() string {
	if d.pos >= len(d.data) {
		return "end of body"
	}
	return strconv.QuoteRune(rune(d.data[d.pos]))
}

func (d *decoder) expect(c byte) error {
	if d.peek() != c {
		return d.fail("expected %q, found %s", c, d.describeNext())
	}
	d.pos++
	return nil
}

// null consumes a JSON null if one is next.
func (d *decoder) null() (bool, error) {
	if d.peek() != 'n' {
		return false, nil
	}
	return true, d.literal("null")
}

func (d *decoder) literal(word string) error {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return d.fail("invalid literal, found %s", d.describeNext())
	}
	d.pos += len(word)
	return nil
}

func (d *decoder) page() (*Page, error) {
	d.record = -1
	if c := d.peek(); c != '{' {
		if c == '<' {
			return nil, d.fail("body is HTML, not JSON")
		}
		return nil, d.fail("body is not a JSON object (starts with %s)", d.describeNext())
	}
	p := &Page{}
	sawRecords := false
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "records":
			d.field = "records"
			sawRecords = true
			return d.records(p)
		case "asOf":
			d.field = "asOf"
			isNull, err := d.null()
			if err != nil || isNull {
				p.AsOf = 0
				return err
			}
			p.AsOf, err = d.date()
			return err
		case "meta":
			d.field = "meta"
			return d.meta(p)
		}
		return d.skip(0)
	})
	if err != nil {
		return nil, err
	}
	d.field = ""
	if d.ws(); d.pos != len(d.data) {
		return nil, d.fail("unexpected data after the response object")
	}
	if !sawRecords {
		d.field = "records"
		return nil, d.fail("missing: the response has no records array")
	}
	return p, nil
}

// object decodes a JSON object, calling member for each key with the
// decoder positioned at the value; member must consume the value. The key
// slice is only valid during the call.
func (d *decoder) object(member func(key []byte) error) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	if d.peek() == '}' {
		d.pos++
		return nil
	}
	for {
		if d.peek() != '"' {
			return d.fail("expected an object key, found %s", d.describeNext())
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return nil
		default:
			return d.fail("expected ',' or '}' in object, found %s", d.describeNext())
		}
	}
}

func (d *decoder) records(p *Page) error {
	p.Records = p.Records[:0] // a repeated key keeps the last array
	if isNull, err := d.null(); err != nil || isNull {
		return err
	}
	if err := d.expect('['); err != nil {
		return err
	}
	if p.Records == nil {
		p.Records = make([]Record, 0, len(d.data)/estimatedRecBytes+1)
	}
	if d.peek() == ']' {
		d.pos++
		return nil
	}
	for i := 0; ; i++ {
		d.record = i
		var r Record
		if err := d.rec(&r); err != nil {
			return err
		}
		p.Records = append(p.Records, r)
		d.record, d.field = -1, "records"
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return nil
		default:
			return d.fail("expected ',' or ']' after record %d, found %s", i, d.describeNext())
		}
	}
}

// Bits of recordFields, one per required field, so a missing one is named.
const (
	hasProductName = 1 << iota
	hasProductCategory
	hasStartDate
	hasEndDate
	hasUsageAmount
	hasUsageUnit
	hasPriceAmount
	hasPriceCurrency
	hasAll = 1<<iota - 1
)

var requiredFields = []string{
	"productName", "productCategory", "startDate", "endDate",
	"usage.amount", "usage.unit", "price.amount", "price.currency",
}

func (d *decoder) rec(r *Record) error {
	d.field = ""
	if d.peek() != '{' {
		return d.fail("expected a record object, found %s", d.describeNext())
	}
	var seen uint
	// set records a present field; null counts as missing.
	set := func(bit uint, isNull bool) {
		if isNull {
			seen &^= bit
		} else {
			seen |= bit
		}
	}
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "productName":
			d.field = "productName"
			s, isNull, err := d.internedString()
			r.ProductName = s
			set(hasProductName, isNull || s == "")
			if err == nil && s == "" && !isNull {
				return d.fail("empty")
			}
			return err
		case "productCategory":
			d.field = "productCategory"
			s, isNull, err := d.internedString()
			r.ProductCategory = s
			set(hasProductCategory, isNull)
			return err
		case "startDate", "endDate":
			bit, dst := uint(hasStartDate), &r.StartDate
			d.field = "startDate"
			if key[0] == 'e' {
				bit, dst, d.field = hasEndDate, &r.EndDate, "endDate"
			}
			isNull, err := d.null()
			set(bit, isNull)
			if err != nil || isNull {
				return err
			}
			*dst, err = d.date()
			return err
		case "usage":
			return d.amountObject(usageFields, hasUsageAmount, hasUsageUnit, &seen, &r.Usage.Amount, &r.Usage.Unit)
		case "price":
			return d.amountObject(priceFields, hasPriceAmount, hasPriceCurrency, &seen, &r.Price.Amount, &r.Price.Currency)
		}
		d.field = "" // naming it would cost an allocation per unknown field
		return d.skip(1)
	})
	if err != nil {
		return err
	}
	if seen != hasAll {
		for i, name := range requiredFields {
			if seen&(1<<i) == 0 {
				d.field = name
				return d.fail("missing")
			}
		}
	}
	if r.EndDate < r.StartDate {
		d.field = "endDate"
		return d.fail("end date %s is before start date %s", r.EndDate, r.StartDate)
	}
	if r.Price.Currency == "" {
		d.field = "price.currency"
		return d.fail("empty")
	}
	return nil
}

// amountFields names the members of usage or price, spelled out so that
// error paths need no string concatenation while decoding.
type amountFields struct{ name, unitKey, amountPath, unitPath string }

var (
	usageFields = amountFields{"usage", "unit", "usage.amount", "usage.unit"}
	priceFields = amountFields{"price", "currency", "price.amount", "price.currency"}
)

// amountObject decodes {"amount": ..., "<unitKey>": "..."} (usage or price).
func (d *decoder) amountObject(f amountFields, amountBit, unitBit uint, seen *uint, amount *decimal.Decimal, unit *string) error {
	d.field = f.name
	*seen &^= amountBit | unitBit // a repeated object replaces the earlier one
	if isNull, err := d.null(); err != nil || isNull {
		return err
	}
	return d.object(func(key []byte) error {
		switch string(key) {
		case "amount":
			d.field = f.amountPath
			isNull, err := d.null()
			if err != nil {
				return err
			}
			if isNull {
				*seen &^= amountBit
				return nil
			}
			*amount, err = d.amount()
			*seen |= amountBit
			return err
		case f.unitKey:
			d.field = f.unitPath
			s, isNull, err := d.internedString()
			*unit = s
			if isNull {
				*seen &^= unitBit
			} else {
				*seen |= unitBit
			}
			return err
		}
		return d.skip(2)
	})
}

func (d *decoder) meta(p *Page) error {
	p.NextToken = ""
	if isNull, err := d.null(); err != nil || isNull {
		return err
	}
	return d.object(func(key []byte) error {
		if string(key) != "nextToken" {
			return d.skip(1)
		}
		d.field = "meta.nextToken"
		isNull, err := d.null()
		if err != nil || isNull {
			p.NextToken = ""
			return err
		}
		if d.peek() != '"' {
			return d.fail("expected a string or null, found %s", d.describeNext())
		}
		b, err := d.str()
		p.NextToken = string(b)
		return err
	})
}

// internedString reads a string (or null), sharing one copy per distinct
// value within the page: a page repeats a few dozen names a thousand times.
func (d *decoder) internedString() (s string, isNull bool, err error) {
	if isNull, err = d.null(); err != nil || isNull {
		return "", isNull, err
	}
	if d.peek() != '"' {
		return "", false, d.fail("expected a string, found %s", d.describeNext())
	}
	b, err := d.str()
	if err != nil {
		return "", false, err
	}
	if s, ok := d.intern[string(b)]; ok { // no allocation for the lookup
		return s, false, nil
	}
	s = string(b)
	d.intern[s] = s
	return s, false, nil
}

// str reads a JSON string at d.pos and returns its contents. Without
// escapes the result aliases the body; otherwise it aliases d.scratch. Either
// way it is only valid until the next call.
func (d *decoder) str() ([]byte, error) {
	d.pos++ // opening quote, checked by the caller
	start := d.pos
	ascii := true
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if plainStringByte[c] {
			d.pos++
			continue
		}
		switch {
		case c == '"':
			b := d.data[start:d.pos]
			d.pos++
			if !ascii && !utf8.Valid(b) {
				d.scratch = appendValidUTF8(d.scratch[:0], b)
				return d.scratch, nil
			}
			return b, nil
		case c == '\\':
			return d.strEscaped(start)
		case c < 0x20:
			return nil, d.fail("control character in string")
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.pos++
	}
	return nil, d.fail("unterminated string")
}

// strEscaped finishes a string that holds escapes, from its start.
// plainStringByte marks the bytes that need no attention inside a string:
// printable ASCII other than the quote and the backslash.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (d *decoder) strEscaped(start int) ([]byte, error) {
	out := append(d.scratch[:0], d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.Valid(out) {
				out = appendValidUTF8(nil, out)
			}
			d.scratch = out
			return out, nil
		case c < 0x20:
			return nil, d.fail("control character in string")
		case c != '\\':
			out = append(out, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			break
		}
		e := d.data[d.pos+1]
		d.pos += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return nil, d.fail("invalid \\u escape")
			}
			if utf16IsSurrogate(r) {
				r2 := rune(-1)
				if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
					save := d.pos
					d.pos += 2
					if r2, ok = d.hex4(); !ok {
						return nil, d.fail("invalid \\u escape")
					}
					if combined := utf16Decode(r, r2); combined != utf8.RuneError {
						out = utf8.AppendRune(out, combined)
						continue
					}
					d.pos = save // not a pair: the second escape stands alone
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			d.pos--
			return nil, d.fail("invalid escape \\%c", e)
		}
	}
	return nil, d.fail("unterminated string")
}

func (d *decoder) hex4() (rune, bool) {
	if len(d.data)-d.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	d.pos += 4
	return r, true
}

func utf16IsSurrogate(r rune) bool { return r >= 0xd800 && r < 0xe000 }

func utf16Decode(r1, r2 rune) rune {
	if r1 >= 0xd800 && r1 < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000 {
		return (r1-0xd800)<<10 | (r2 - 0xdc00) + 0x10000
	}
	return utf8.RuneError
}

// appendValidUTF8 appends b with each invalid byte replaced by U+FFFD, as
// encoding/json does.
func appendValidUTF8(dst, b []byte) []byte {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, b[:n]...)
		}
		b = b[n:]
	}
	return dst
}

// number reads a JSON number and returns its bytes.
func (d *decoder) number() ([]byte, error) {
	start := d.pos
	n := scanNumber(d.data[d.pos:])
	if n == 0 {
		return nil, d.fail("expected a number, found %s", d.describeNext())
	}
	d.pos += n
	return d.data[start:d.pos], nil
}

// scanNumber returns the length of the JSON number at the start of b, or 0
// if b does not start with one. Grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber(b []byte) int {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return 0
	}
	if i < len(b) && b[i] == '.' {
		i++
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return 0
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return 0
		}
	}
	return i
}

// amount reads a decimal given as a JSON number or as a string holding a
// JSON number, exactly.
func (d *decoder) amount() (decimal.Decimal, error) {
	var b []byte
	var err error
	switch c := d.peek(); {
	case c == '"':
		if b, err = d.str(); err != nil {
			return decimal.Decimal{}, err
		}
		if scanNumber(b) != len(b) || len(b) == 0 {
			return decimal.Decimal{}, d.fail("%q is not a decimal number", b)
		}
	case c == '-' || c >= '0' && c <= '9':
		if b, err = d.number(); err != nil {
			return decimal.Decimal{}, err
		}
	default:
		return decimal.Decimal{}, d.fail("expected a number, found %s", d.describeNext())
	}
	v, ok := parseDecimal(b)
	if !ok {
		return decimal.Decimal{}, d.fail("%q is too long or too large for an amount", b)
	}
	return v, nil
}

// parseDecimal converts a valid JSON number to an exact decimal. It takes
// an int64 fast path for the usual short amounts.
func parseDecimal(b []byte) (decimal.Decimal, bool) {
	neg := false
	i := 0
	if b[0] == '-' {
		neg, i = true, 1
	}
	var mant uint64
	digits, frac := 0, 0
	inFrac := false
	for ; i < len(b); i++ {
		c := b[i]
		if c == '.' {
			inFrac = true
			continue
		}
		if c == 'e' || c == 'E' {
			break
		}
		if digits < 18 {
			mant = mant*10 + uint64(c-'0')
		}
		digits++
		if inFrac {
			frac++
		}
	}
	exp := int64(0)
	if i < len(b) {
		e, err := strconv.ParseInt(string(b[i+1:]), 10, 32)
		if err != nil || e > maxDecimalExpMag || e < -maxDecimalExpMag {
			return decimal.Decimal{}, false
		}
		exp = e
	}
	if digits > maxDecimalDigits {
		return decimal.Decimal{}, false
	}
	exp -= int64(frac)
	if digits <= 18 {
		m := int64(mant)
		if neg {
			m = -m
		}
		return decimal.New(m, int32(exp)), true
	}
	// Long mantissa: keep every digit through big.Int.
	buf := make([]byte, 0, digits+1)
	if neg {
		buf = append(buf, '-')
	}
	for _, c := range b {
		if c == 'e' || c == 'E' {
			break
		}
		if c >= '0' && c <= '9' {
			buf = append(buf, c)
		}
	}
	var v big.Int
	if _, ok := v.SetString(string(buf), 10); !ok {
		return decimal.Decimal{}, false
	}
	return decimal.NewFromBigInt(&v, int32(exp)), true
}

// date reads a "YYYY-MM-DD" string strictly, as ParseDate does, without
// allocating.
func (d *decoder) date() (Date, error) {
	if d.peek() != '"' {
		return 0, d.fail("expected a date string, found %s", d.describeNext())
	}
	b, err := d.str()
	if err != nil {
		return 0, err
	}
	v, ok := parseDateBytes(b)
	if !ok {
		return 0, d.fail("%q is not a valid date (YYYY-MM-DD)", b)
	}
	return v, nil
}

// parseDateBytes parses YYYY-MM-DD with a real calendar check (no Feb 30).
func parseDateBytes(b []byte) (Date, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(b[0:4])
	m, ok2 := num(b[5:7])
	dd, ok3 := num(b[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || dd < 1 || dd > daysIn(y, m) {
		return 0, false
	}
	return Date(daysFromCivil(y, m, dd)), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns days since 1970-01-01 for a proleptic Gregorian
// date (H. Hinnant's algorithm), so decoding needs no time.Time.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// skip consumes any JSON value. depth counts the enclosing containers so
// a body of a million '[' cannot exhaust the stack.
func (d *decoder) skip(depth int) error {
	if depth > maxJSONDepth {
		return d.fail("JSON nested too deeply")
	}
	switch c := d.peek(); c {
	case '"':
		_, err := d.str()
		return err
	case '{':
		return d.object(func([]byte) error { return d.skip(depth + 1) })
	case '[':
		d.pos++
		if d.peek() == ']' {
			d.pos++
			return nil
		}
		for {
			if err := d.skip(depth + 1); err != nil {
				return err
			}
			switch d.peek() {
			case ',':
				d.pos++
			case ']':
				d.pos++
				return nil
			default:
				return d.fail("expected ',' or ']' in array, found %s", d.describeNext())
			}
		}
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		_, err := d.number()
		return err
	}
}
