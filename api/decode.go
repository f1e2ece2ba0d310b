package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
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
	// Offset is the byte offset in the body where a syntax fault was found,
	// or -1 when the fault is a value rather than the JSON around it.
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
	switch {
	case e.Truncated:
		return s + e.Reason + " (the body ends at byte " + strconv.Itoa(e.Offset) + ": it was cut short)"
	case e.Offset >= 0:
		return s + e.Reason + " (at byte " + strconv.Itoa(e.Offset) + ")"
	}
	return s + e.Reason
}

// The wire shape of a records response, read by encoding/json. The field
// types of a record take their text where it lies (encoding.TextUnmarshaler,
// json.Unmarshaler) and never fail: they note what they found, and the
// pass that follows reports a missing or malformed value by record and
// field. Amounts are parsed from their bytes (no float64 ever sees them).
type (
	wirePage struct {
		AsOf    wireDate      `json:"asOf"`
		Records *[]wireRecord `json:"records"`
		Meta    struct {
			NextToken string `json:"nextToken"`
		} `json:"meta"`
	}
	wireRecord struct {
		ProductName     wireText   `json:"productName"`
		ProductCategory wireText   `json:"productCategory"`
		StartDate       wireDate   `json:"startDate"`
		EndDate         wireDate   `json:"endDate"`
		Usage           wireAmount `json:"usage"`
		Price           wireAmount `json:"price"`
	}
	wireAmount struct {
		Amount   wireNumber `json:"amount"`
		Unit     wireText   `json:"unit"`
		Currency wireText   `json:"currency"`
	}
)

// wireText is a JSON string; set is false when the key was absent or null.
type wireText struct {
	s   string
	set bool
}

func (t *wireText) UnmarshalText(b []byte) error {
	t.s, t.set = intern(b), true
	return nil
}

// wireDate is a YYYY-MM-DD string. A malformed one is only noted: the
// error quotes it from the body (rawField), so each record carries no room
// for it.
type wireDate struct {
	d       Date
	set, ok bool
}

func (t *wireDate) UnmarshalText(b []byte) error {
	t.d, t.ok = parseDateString(b)
	t.set = true
	return nil
}

// wireNumber is an amount: a JSON number, or a string holding one. Like
// wireDate, it only notes a malformed one.
type wireNumber struct {
	d       Decimal
	set, ok bool
}

func (n *wireNumber) UnmarshalJSON(b []byte) error {
	*n = wireNumber{}
	if string(b) == "null" {
		return nil
	}
	n.set = true
	v := b
	if len(v) >= 2 && v[0] == '"' {
		v = v[1 : len(v)-1]
		if bytes.IndexByte(v, '\\') >= 0 { // escaped digits are rare but valid JSON
			var s string
			if json.Unmarshal(b, &s) == nil {
				v = []byte(s)
			}
		}
	}
	var err error
	n.d, err = parseDecimal(v)
	n.ok = err == nil
	return nil
}

// internTable shares one copy of each recently seen name, category, unit
// and currency across pages and decoders: a page repeats a few dozen of
// them a thousand times. It is a direct-mapped cache of atomic pointers,
// so concurrent decoders need no lock, a collision merely costs an
// allocation, and it never holds more than its size.
var internTable [4096]atomic.Pointer[string]

// intern returns b as a string, shared with earlier calls when it can be.
func intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := uint32(2166136261) // FNV-1a
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	slot := &internTable[h%uint32(len(internTable))]
	if p := slot.Load(); p != nil && *p == string(b) {
		return *p
	}
	s := string(b)
	slot.Store(&s)
	return s
}

// minRecordBytes is about the fewest bytes a record with every field takes
// on the wire, to size the records slice once from the body's length.
const minRecordBytes = 200

// DecodePage decodes one 200 response of the records endpoint with
// encoding/json, then checks every record and parses its amounts exactly
// (parseDecimal: a JSON number, or a string holding one; never through
// float64). It reads "records" (ignoring meta.key), "asOf" and
// meta.nextToken, and ignores every other field.
//
// Every record must carry productName (not empty), productCategory,
// startDate and endDate (YYYY-MM-DD, end not before start), usage.amount,
// usage.unit, price.amount and price.currency (an ISO 4217 code: three
// capital letters); a missing, null or malformed one is a *DecodeError
// naming the record and field. A page whose records are null is empty; one
// without records is an error.
func DecodePage(data []byte) (*Page, error) {
	// Room for the records a body of this size can hold, so encoding/json
	// does not grow and copy the slice as it appends (a quarter of the
	// decoding time). It decodes an empty array as a new slice of no
	// capacity, so one still holding this capacity and no records was
	// never written: the key was absent.
	recs := make([]wireRecord, 0, len(data)/minRecordBytes+1)
	w := wirePage{Records: &recs}
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, explain(data, err)
	}
	switch {
	case w.Records == nil:
		recs = nil // "records": null (the last of repeated keys wins)
	case w.Records == &recs && len(recs) == 0 && cap(recs) > 0:
		// Still pointing at recs, which nothing filled: there was no key.
		return nil, &DecodeError{Record: -1, Field: "records", Offset: -1, Reason: "missing: the response has no records array"}
	default:
		recs = *w.Records // a null then an array leaves a new slice
	}
	p := &Page{NextToken: w.Meta.NextToken, Records: make([]Record, len(recs))}
	if w.AsOf.set {
		if !w.AsOf.ok {
			return nil, &DecodeError{Record: -1, Field: "asOf", Offset: -1, Reason: rawField(data, -1, "asOf") + " is not a valid date (YYYY-MM-DD)"}
		}
		p.AsOf = w.AsOf.d
	}
	for i := range recs {
		if err := recs[i].decode(&p.Records[i]); err != nil {
			err.Record = i
			if err.Reason == "" {
				err.Reason = rawField(data, i, err.Field) + malformed[err.Field]
			}
			return nil, err
		}
	}
	return p, nil
}

// decode checks w and fills r; the error's Record is left to the caller.
func (w *wireRecord) decode(r *Record) *DecodeError {
	bad := func(field, format string, args ...any) *DecodeError {
		return &DecodeError{Field: field, Offset: -1, Reason: fmt.Sprintf(format, args...)}
	}
	// A malformed value gets no Reason here: DecodePage quotes it from the
	// body and says what is wrong with it (malformed).
	date := func(d wireDate, field string) *DecodeError {
		if !d.set {
			return bad(field, "missing")
		}
		return &DecodeError{Field: field, Offset: -1}
	}
	amount := func(n wireNumber, field string) *DecodeError {
		if !n.set {
			return bad(field, "missing")
		}
		return &DecodeError{Field: field, Offset: -1}
	}
	switch {
	case w.ProductName.s == "":
		return bad("productName", "missing or empty")
	case !w.ProductCategory.set:
		return bad("productCategory", "missing")
	case !w.StartDate.ok:
		return date(w.StartDate, "startDate")
	case !w.EndDate.ok:
		return date(w.EndDate, "endDate")
	case w.EndDate.d < w.StartDate.d:
		return bad("endDate", "end date %s is before start date %s", w.EndDate.d, w.StartDate.d)
	case !w.Usage.Amount.ok:
		return amount(w.Usage.Amount, "usage.amount")
	case !w.Usage.Unit.set:
		return bad("usage.unit", "missing")
	case !w.Price.Amount.ok:
		return amount(w.Price.Amount, "price.amount")
	case w.Price.Currency.s == "":
		return bad("price.currency", "missing or empty")
	case !isCurrencyCode(w.Price.Currency.s):
		return bad("price.currency", "%q is not a currency code (three capital letters, such as USD)", w.Price.Currency.s)
	}
	*r = Record{
		StartDate: w.StartDate.d, EndDate: w.EndDate.d,
		ProductName: w.ProductName.s, ProductCategory: w.ProductCategory.s,
		Usage: Usage{Amount: w.Usage.Amount.d, Unit: w.Usage.Unit.s},
		Price: Price{Amount: w.Price.Amount.d, Currency: w.Price.Currency.s},
	}
	return nil
}

// malformed says what is wrong with a malformed value, by field.
var malformed = map[string]string{
	"startDate":    " is not a valid date (YYYY-MM-DD)",
	"endDate":      " is not a valid date (YYYY-MM-DD)",
	"usage.amount": " is not a decimal number (or too long or too large for an amount)",
	"price.amount": " is not a decimal number (or too long or too large for an amount)",
}

// rawField returns the JSON text of field (a dotted path such as
// "usage.amount") of record i of the page in data, or of the page itself
// when i is -1, cut to 40 bytes, for an error to quote. It reads the body
// again, which only a failed page costs.
func rawField(data []byte, i int, field string) string {
	var page struct {
		Records []json.RawMessage `json:"records"`
	}
	obj := json.RawMessage(data)
	if i >= 0 {
		if json.Unmarshal(data, &page) != nil || i >= len(page.Records) {
			return "the value"
		}
		obj = page.Records[i]
	}
	for _, key := range strings.Split(field, ".") {
		var members map[string]json.RawMessage
		if json.Unmarshal(obj, &members) != nil {
			return "the value"
		}
		obj = members[key]
		for k, v := range members {
			if obj == nil && strings.EqualFold(k, key) { // as encoding/json matched it
				obj = v
			}
		}
	}
	if len(obj) > 40 {
		return string(obj[:40]) + "..."
	}
	return string(obj)
}

// isCurrencyCode reports whether s has the shape of an ISO 4217 code.
// Whether the code is assigned is not checked: a new currency must not
// stop a load, but text that is no code at all (a formula, a name) must.
func isCurrencyCode(s string) bool {
	return len(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z'
}

// explain turns encoding/json's error for a page into a *DecodeError that
// names the record and field. It runs only when decoding failed, so it may
// read the body again.
func explain(data []byte, err error) *DecodeError {
	var se *json.SyntaxError
	if errors.As(err, &se) || len(bytes.TrimSpace(data)) == 0 {
		de := &DecodeError{Record: -1, Offset: len(data), Reason: "empty body"}
		if se != nil {
			de.Offset, de.Reason = int(se.Offset), se.Error()
			if strings.Contains(de.Reason, "after top-level value") {
				de.Reason = "unexpected data after the response object"
			}
		}
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '<' {
			de.Reason = "body is HTML, not JSON"
		}
		if endsEarly(data) {
			de.Truncated, de.Offset = true, len(data)
		}
		return de
	}
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return &DecodeError{Record: -1, Offset: -1, Reason: err.Error()}
	}
	if te.Field == "" {
		return &DecodeError{Record: -1, Offset: -1, Reason: "body is not a JSON object (it is a JSON " + te.Value + ")"}
	}
	if te.Field != "records" && !strings.HasPrefix(te.Field, "records.") {
		return &DecodeError{Record: -1, Field: te.Field, Offset: -1, Reason: "expected " + jsonKind(te.Type.Kind().String()) + ", found a JSON " + te.Value}
	}
	// A record is wrong: decode them one at a time to say which.
	var raw struct {
		Records []json.RawMessage `json:"records"`
	}
	if json.Unmarshal(data, &raw) != nil {
		return &DecodeError{Record: -1, Field: "records", Offset: -1, Reason: "expected an array, found a JSON " + te.Value}
	}
	for i, r := range raw.Records {
		var w wireRecord
		err := json.Unmarshal(r, &w)
		if err == nil {
			continue
		}
		de := &DecodeError{Record: i, Offset: -1, Reason: err.Error()}
		if errors.As(err, &te) {
			de.Field = te.Field
			de.Reason = "expected " + jsonKind(te.Type.Kind().String()) + ", found a JSON " + te.Value
			if te.Field == "" {
				de.Reason = "expected a record object, found a JSON " + te.Value
			}
		}
		return de
	}
	return &DecodeError{Record: -1, Offset: -1, Reason: err.Error()}
}

// jsonKind names a Go kind as the JSON value it decodes from.
func jsonKind(goKind string) string {
	switch goKind {
	case "string", "ptr":
		return "a string"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	}
	return goKind
}

// endsEarly reports whether data is empty or stops inside a JSON value:
// what a body cut short in transfer looks like.
func endsEarly(data []byte) bool {
	var v json.RawMessage
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&v)
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// parseDateString parses YYYY-MM-DD with a real calendar check (no Feb
// 30), without allocating or a time.Time.
func parseDateString[T string | []byte](b T) (Date, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	num := func(s T) (int, bool) {
		n := 0
		for _, c := range []byte(s) {
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
