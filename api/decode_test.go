package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// apiExample is the response of API.md, with meta.key saying "items".
const apiExample = `{
  "asOf": "2025-01-31",
  "records": [
    {
      "productName": "United States-Outbound-LC-MMS",
      "productCategory": "united-states-outbound-lc-mms",
      "startDate": "2025-01-01",
      "endDate": "2025-01-31",
      "usage": {"amount": "66505", "unit": "segments"},
      "price": {"amount": 100.5, "currency": "USD"}
    }
  ],
  "meta": {"key": "items", "pageSize": 20, "previousToken": null, "nextToken": "eyJ..."}
}`

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustDec(s string) Decimal { return DecimalOf(decimal.RequireFromString(s)) }

func TestDecodePageReadsTheDocumentedShape(t *testing.T) {
	p, err := DecodePage([]byte(apiExample))
	if err != nil {
		t.Fatal(err)
	}
	if p.AsOf != mustDate(t, "2025-01-31") || p.NextToken != "eyJ..." || p.Done() {
		t.Errorf("asOf %s, nextToken %q", p.AsOf, p.NextToken)
	}
	if len(p.Records) != 1 {
		t.Fatalf("got %d records, want 1", len(p.Records))
	}
	r := p.Records[0]
	want := Record{
		StartDate: mustDate(t, "2025-01-01"), EndDate: mustDate(t, "2025-01-31"),
		ProductName: "United States-Outbound-LC-MMS", ProductCategory: "united-states-outbound-lc-mms",
		Usage: Usage{Amount: mustDec("66505"), Unit: "segments"},
		Price: Price{Amount: mustDec("100.5"), Currency: "USD"},
	}
	if !recordsEqual(r, want) {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
}

// sameAmount reports whether a and b are the same number (1.50 is 1.5).
func sameAmount(a, b Decimal) bool { return a.Decimal().Equal(b.Decimal()) }

func recordsEqual(a, b Record) bool {
	return a.StartDate == b.StartDate && a.EndDate == b.EndDate && a.ProductName == b.ProductName &&
		a.ProductCategory == b.ProductCategory && a.Usage.Unit == b.Usage.Unit && a.Price.Currency == b.Price.Currency &&
		sameAmount(a.Usage.Amount, b.Usage.Amount) && sameAmount(a.Price.Amount, b.Price.Amount)
}

// record builds one record's JSON with the given price and usage amounts,
// written as they should appear on the wire.
func recordJSON(price, usage string) string {
	return `{"productName":"SMS","productCategory":"sms","startDate":"2025-03-01","endDate":"2025-03-01",` +
		`"usage":{"amount":` + usage + `,"unit":"messages"},"price":{"amount":` + price + `,"currency":"USD"}}`
}

func pageOf(records ...string) string {
	return `{"asOf":"2025-03-02","records":[` + strings.Join(records, ",") + `],"meta":{"key":"items","nextToken":null}}`
}

func TestDecodePageSumsPricesExactly(t *testing.T) {
	p, err := DecodePage([]byte(pageOf(recordJSON("0.1", `"1"`), recordJSON("0.2", `"2"`))))
	if err != nil {
		t.Fatal(err)
	}
	sum := p.Records[0].Price.Amount.Decimal().Add(p.Records[1].Price.Amount.Decimal())
	if sum.String() != "0.3" {
		t.Errorf("0.1 + 0.2 = %s, want exactly 0.3", sum)
	}
}

func TestDecodePageKeepsEveryDigit(t *testing.T) {
	for _, tc := range []struct{ wire, want string }{
		{"100.5", "100.5"},
		{"0.0079", "0.0079"},
		{"-12.25", "-12.25"},
		{"0", "0"},
		{"1.5e2", "150"},
		{"15E-3", "0.015"},
		{"123456789012345678", "123456789012345678"},
		{"1234567890123456789012345678901234567890.123456789012345678901234567890", "1234567890123456789012345678901234567890.12345678901234567890123456789"},
		{"0.000000000000000000000000000001", "0.000000000000000000000000000001"},
		{`"42.000000000000000000000000001"`, "42.000000000000000000000000001"}, // as a string too
		{"9007199254740993.01", "9007199254740993.01"},                         // 2^53+1: float64 would lose it
	} {
		t.Run(tc.wire, func(t *testing.T) {
			p, err := DecodePage([]byte(pageOf(recordJSON(tc.wire, `"`+strings.Trim(tc.wire, `"`)+`"`))))
			if err != nil {
				t.Fatal(err)
			}
			r := p.Records[0]
			if !sameAmount(r.Price.Amount, mustDec(tc.want)) || !sameAmount(r.Usage.Amount, mustDec(tc.want)) {
				t.Errorf("price %s usage %s, want %s", r.Price.Amount, r.Usage.Amount, tc.want)
			}
		})
	}
}

func TestDecodePageEndsPagingOnNullAbsentOrEmptyToken(t *testing.T) {
	for name, body := range map[string]string{
		"null":      `{"records":[],"meta":{"nextToken":null}}`,
		"absent":    `{"records":[],"meta":{"key":"items"}}`,
		"empty":     `{"records":[],"meta":{"nextToken":""}}`,
		"no meta":   `{"records":[]}`,
		"null meta": `{"records":[],"meta":null}`,
	} {
		p, err := DecodePage([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !p.Done() {
			t.Errorf("%s: page not done, token %q", name, p.NextToken)
		}
	}
}

func TestDecodePageIgnoresUnknownFieldsAndMetaKey(t *testing.T) {
	body := `{"extra":{"a":[1,2,{"b":null}],"c":"\u00e9"},"asOf":"2025-03-02","meta":{"key":"items","nextToken":"t2","x":[true,false]},` +
		`"records":[{"id":7,"productName":"SMS","productCategory":"sms","startDate":"2025-03-01","endDate":"2025-03-01",` +
		`"usage":{"amount":"3","unit":"messages","extra":{}},"price":{"amount":0.03,"currency":"USD","tax":[]},"tags":["a"]}],"items":"not these"}`
	p, err := DecodePage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) != 1 || p.NextToken != "t2" || p.Records[0].Price.Amount.String() != "0.03" {
		t.Errorf("got %+v", p)
	}
}

func TestDecodePageUnescapesStrings(t *testing.T) {
	body := pageOf(strings.Replace(recordJSON("1", `"1"`), `"productName":"SMS"`, `"productName":"Caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \t\ud800x"`, 1))
	p, err := DecodePage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Records[0].ProductName, "Café 😀 \"q\" \\ / \t\uFFFDx"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDecodePageNamesTheBadRecordAndField(t *testing.T) {
	good := recordJSON("1.5", `"2"`)
	drop := func(field string) string {
		return regexp.MustCompile(`"`+field+`":("[^"]*"|[0-9.]+),?`).ReplaceAllString(good, "")
	}
	swap := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	for _, tc := range []struct {
		name, rec, field string
	}{
		{"no productName", drop("productName"), "productName"},
		{"empty productName", swap(`"productName":"SMS"`, `"productName":""`), "productName"},
		{"null productName", swap(`"productName":"SMS"`, `"productName":null`), "productName"},
		{"numeric productName", swap(`"productName":"SMS"`, `"productName":5`), "productName"},
		{"no productCategory", drop("productCategory"), "productCategory"},
		{"no startDate", drop("startDate"), "startDate"},
		{"Feb 30", swap(`"startDate":"2025-03-01"`, `"startDate":"2025-02-30"`), "startDate"},
		{"slashes", swap(`"endDate":"2025-03-01"`, `"endDate":"2025/03/01"`), "endDate"},
		{"end before start", swap(`"endDate":"2025-03-01"`, `"endDate":"2025-02-28"`), "endDate"},
		{"no usage amount", swap(`"amount":"2",`, ``), "usage.amount"},
		{"null usage", swap(`"usage":{"amount":"2","unit":"messages"}`, `"usage":null`), "usage.amount"},
		{"usage not a number", swap(`"amount":"2"`, `"amount":"two"`), "usage.amount"},
		{"usage empty", swap(`"amount":"2"`, `"amount":""`), "usage.amount"},
		{"usage NaN", swap(`"amount":"2"`, `"amount":"NaN"`), "usage.amount"},
		{"usage with spaces", swap(`"amount":"2"`, `"amount":" 2"`), "usage.amount"},
		{"usage two points", swap(`"amount":"2"`, `"amount":"1.2.3"`), "usage.amount"},
		{"no unit", swap(`,"unit":"messages"`, ``), "usage.unit"},
		{"no price amount", swap(`"amount":1.5,`, ``), "price.amount"},
		{"price true", swap(`"amount":1.5`, `"amount":true`), "price.amount"},
		{"price huge exponent", swap(`"amount":1.5`, `"amount":1e999999`), "price.amount"},
		{"no currency", swap(`,"currency":"USD"`, ``), "price.currency"},
		{"empty currency", swap(`"currency":"USD"`, `"currency":""`), "price.currency"},
		{"lower-case currency", swap(`"currency":"USD"`, `"currency":"usd"`), "price.currency"},
		{"formula currency", swap(`"currency":"USD"`, `"currency":"=1+1"`), "price.currency"},
		{"two-letter currency", swap(`"currency":"USD"`, `"currency":"US"`), "price.currency"},
		{"numeric currency", swap(`"currency":"USD"`, `"currency":840`), "price.currency"},
		{"numeric category", swap(`"productCategory":"sms"`, `"productCategory":7`), "productCategory"},
		{"numeric unit", swap(`"unit":"messages"`, `"unit":[]`), "usage.unit"},
		{"usage an array", swap(`"usage":{"amount":"2","unit":"messages"}`, `"usage":[]`), "usage"},
		{"price amount an object", swap(`"amount":1.5`, `"amount":{}`), "price.amount"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodePage([]byte(pageOf(good, good, tc.rec)))
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a *DecodeError", err)
			}
			if de.Record != 2 || de.Field != tc.field {
				t.Errorf("error names record %d field %q, want record 2 field %q (%v)", de.Record, de.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), "record 2: "+tc.field) {
				t.Errorf("message %q does not name record 2 and %s", err, tc.field)
			}
		})
	}
}

func TestDecodePageRejectsBrokenBodies(t *testing.T) {
	for name, body := range map[string]string{
		"empty":            ``,
		"html":             `<!DOCTYPE html><html><body>502 Bad Gateway</body></html>`,
		"array":            `[]`,
		"truncated":        pageOf(recordJSON("1", `"1"`))[:60],
		"trailing garbage": pageOf() + `x`,
		"two objects":      pageOf() + pageOf(),
		"no records":       `{"asOf":"2025-03-02","items":[],"meta":{}}`,
		"records object":   `{"records":{}}`,
		"record not obj":   `{"records":[1]}`,
		"bad asOf":         `{"asOf":"yesterday","records":[]}`,
		"numeric token":    `{"records":[],"meta":{"nextToken":5}}`,
		"control char":     "{\"records\":[],\"x\":\"a\x01b\"}",
		"bad escape":       `{"records":[],"x":"\q"}`,
		"missing comma":    `{"records":[] "asOf":"2025-03-02"}`,
		"leading zero":     `{"records":[],"x":01}`,
		"bare minus":       `{"records":[],"x":-}`,
		"deep nesting":     `{"records":[],"x":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`,
		"bad literal":      `{"records":[],"x":nul}`,
	} {
		if p, err := DecodePage([]byte(body)); err == nil {
			t.Errorf("%s: decoded %+v, want an error", name, p)
		}
	}
}

func TestParseDateBytesAgreesWithParseDate(t *testing.T) {
	// Every day from 1899 to 2101, then strings around the edges.
	for d := NewDate(1899, 1, 1); d <= NewDate(2101, 12, 31); d++ {
		s := d.String()
		got, ok := parseDateString(s)
		if !ok || got != d {
			t.Fatalf("parseDateString(%s) = %d, %v; want %d", s, got, ok, d)
		}
	}
	for _, s := range []string{"0000-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "2100-02-29", "2000-02-29",
		"2026-02-30", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "+026-01-01", "2026-01-1 ", "２０２６-01-01"} {
		want, werr := ParseDate(s)
		got, ok := parseDateString(s)
		if ok != (werr == nil) || got != want {
			t.Errorf("%q: parseDateString = %d, %v; ParseDate = %d, %v", s, got, ok, want, werr)
		}
	}
}

func FuzzParseDateString(f *testing.F) {
	for _, s := range []string{"2026-02-28", "2026-02-30", "0000-01-01", "2024-02-29", "99999-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, werr := ParseDate(s)
		got, ok := parseDateString(s)
		if ok != (werr == nil) || got != want {
			t.Errorf("%q: parseDateString = %d, %v; ParseDate = %d, %v", s, got, ok, want, werr)
		}
	})
}

// FuzzDecodePage checks that DecodePage never panics, names a record that
// exists when it refuses one, refuses what is not JSON, and that what it
// accepts survives a round trip through the wire shape. The reference
// decoder (encoding/json into maps) still judges it: where both accept a
// body they must agree, and DecodePage may refuse what the reference
// accepts only for a currency that is not a code (it checks more). The
// reference matches keys exactly and encoding/json does not, and
// encoding/json judges every value of a repeated key where the reference
// sees the last, so bodies with a key that differs from a field's name
// only in case, or with a repeated key, are judged by the other
// properties alone.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(apiExample))
	f.Add([]byte(pageOf(recordJSON("0.1", `"1"`), recordJSON("1e3", `2.5`))))
	f.Add([]byte(`{"records":[],"meta":{"nextToken":""}}`))
	f.Add([]byte(`{"records":[{"productName":"\ud83d\ude00\u00e9\\","productCategory":"","startDate":"2024-02-29","endDate":"2024-03-01","usage":{"amount":"-0.5","unit":""},"price":{"amount":"7","currency":"GBP"}}],"records":null}`))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePage(data)
		want, referr := referenceDecode(data)
		if referr == nil && (foldsAKey(data) || repeatsAKey(data)) {
			referr = errors.New("no reference: keys differ in case or repeat")
		}
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
			if de.Truncated && json.Valid(data) {
				t.Fatalf("complete JSON called cut short: %q", data)
			}
			if referr == nil && (de.Field != "price.currency" || de.Record < 0 || de.Record >= len(want.Records)) {
				t.Fatalf("refused what the reference accepts (%v): %q", err, data)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("decoded invalid JSON %q", data)
		}
		again, err := DecodePage(encodeWire(p))
		if err != nil {
			t.Fatalf("a decoded page does not decode again: %v\n%s", err, encodeWire(p))
		}
		samePage(t, "round trip", again, p)
		if referr == nil {
			samePage(t, "reference", p, want)
		}
	})
}

// wireKeys are the keys DecodePage reads.
var wireKeys = []string{"asOf", "records", "meta", "nextToken", "productName", "productCategory",
	"startDate", "endDate", "usage", "price", "amount", "unit", "currency"}

// foldsAKey reports whether data holds a key that encoding/json would take
// for one of wireKeys although it is spelled otherwise ("AsOf").
func foldsAKey(data []byte) bool {
	d := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		k, ok := tok.(string)
		if !ok {
			continue
		}
		for _, w := range wireKeys {
			if k != w && strings.EqualFold(k, w) {
				return true
			}
		}
	}
}

// repeatsAKey reports whether an object in data has a key twice.
func repeatsAKey(data []byte) bool {
	d := json.NewDecoder(bytes.NewReader(data))
	type level struct {
		keys  map[string]bool
		isKey bool // the next string token in this object is a key
	}
	var stack []*level
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				if top != nil && top.keys != nil {
					top.isKey = true
				}
				stack = append(stack, &level{keys: map[string]bool{}, isKey: true})
			case '[':
				if top != nil && top.keys != nil {
					top.isKey = true
				}
				stack = append(stack, &level{})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.keys != nil && top.isKey {
				if top.keys[v] {
					return true
				}
				top.keys[v], top.isKey = true, false
				continue
			}
			if top != nil && top.keys != nil {
				top.isKey = true
			}
		default:
			if top != nil && top.keys != nil {
				top.isKey = true
			}
		}
	}
}

// samePage fails t unless got and want hold the same page.
func samePage(t *testing.T, what string, got, want *Page) {
	t.Helper()
	if got.AsOf != want.AsOf || got.NextToken != want.NextToken || len(got.Records) != len(want.Records) {
		t.Fatalf("%s: page differs: got asOf %d token %q %d records; want %d %q %d", what, got.AsOf, got.NextToken, len(got.Records), want.AsOf, want.NextToken, len(want.Records))
	}
	for i := range got.Records {
		if !recordsEqual(got.Records[i], want.Records[i]) {
			t.Fatalf("%s: record %d: got %+v, want %+v", what, i, got.Records[i], want.Records[i])
		}
	}
}

// encodeWire writes p back in the API's shape, amounts as JSON numbers.
func encodeWire(p *Page) []byte {
	var b bytes.Buffer
	b.WriteString(`{"records":[`)
	for i, r := range p.Records {
		if i > 0 {
			b.WriteByte(',')
		}
		q := func(s string) string { j, _ := json.Marshal(s); return string(j) }
		fmt.Fprintf(&b, `{"productName":%s,"productCategory":%s,"startDate":%q,"endDate":%q,"usage":{"amount":%s,"unit":%s},"price":{"amount":%s,"currency":%s}}`,
			q(r.ProductName), q(r.ProductCategory), r.StartDate, r.EndDate, r.Usage.Amount, q(r.Usage.Unit), r.Price.Amount, q(r.Price.Currency))
	}
	b.WriteString(`],"meta":{"nextToken":`)
	j, _ := json.Marshal(p.NextToken)
	b.Write(j)
	b.WriteString(`}`)
	if p.AsOf != 0 {
		fmt.Fprintf(&b, `,"asOf":%q`, p.AsOf)
	}
	b.WriteString(`}`)
	return b.Bytes()
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// referenceDecode is a slow, obviously correct DecodePage built on
// encoding/json, for the fuzz test to compare against.
func referenceDecode(data []byte) (*Page, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var top map[string]any
	if err := d.Decode(&top); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	if top == nil {
		return nil, errors.New("not an object")
	}
	p := &Page{}
	if v, ok := top["asOf"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return nil, errors.New("asOf")
		}
		var err error
		if p.AsOf, err = ParseDate(s); err != nil {
			return nil, err
		}
	}
	if v, ok := top["meta"]; ok && v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, errors.New("meta")
		}
		if tok, ok := m["nextToken"]; ok && tok != nil {
			if p.NextToken, ok = tok.(string); !ok {
				return nil, errors.New("nextToken")
			}
		}
	}
	v, ok := top["records"]
	if !ok {
		return nil, errors.New("no records")
	}
	if v == nil {
		return p, nil
	}
	recs, ok := v.([]any)
	if !ok {
		return nil, errors.New("records")
	}
	for i, rv := range recs {
		m, ok := rv.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("record %d", i)
		}
		var r Record
		str := func(m map[string]any, k string, nonEmpty bool) (string, error) {
			s, ok := m[k].(string)
			if !ok || nonEmpty && s == "" {
				return "", fmt.Errorf("record %d: %s", i, k)
			}
			return s, nil
		}
		amount := func(m map[string]any) (Decimal, error) {
			var s string
			switch a := m["amount"].(type) {
			case json.Number:
				s = string(a)
			case string:
				s = a
			}
			if !jsonNumber.MatchString(s) {
				return Decimal{}, fmt.Errorf("record %d: amount", i)
			}
			d, err := decimal.NewFromString(s)
			return DecimalOf(d), err
		}
		sub := func(k string) (map[string]any, error) {
			o, ok := m[k].(map[string]any)
			if !ok {
				return nil, fmt.Errorf("record %d: %s", i, k)
			}
			return o, nil
		}
		var err error
		var sd, ed string
		if r.ProductName, err = str(m, "productName", true); err != nil {
			return nil, err
		}
		if r.ProductCategory, err = str(m, "productCategory", false); err != nil {
			return nil, err
		}
		if sd, err = str(m, "startDate", false); err != nil {
			return nil, err
		}
		if ed, err = str(m, "endDate", false); err != nil {
			return nil, err
		}
		if r.StartDate, err = ParseDate(sd); err != nil {
			return nil, err
		}
		if r.EndDate, err = ParseDate(ed); err != nil {
			return nil, err
		}
		if r.EndDate < r.StartDate {
			return nil, errors.New("end before start")
		}
		u, err := sub("usage")
		if err != nil {
			return nil, err
		}
		if r.Usage.Amount, err = amount(u); err != nil {
			return nil, err
		}
		if r.Usage.Unit, err = str(u, "unit", false); err != nil {
			return nil, err
		}
		pr, err := sub("price")
		if err != nil {
			return nil, err
		}
		if r.Price.Amount, err = amount(pr); err != nil {
			return nil, err
		}
		if r.Price.Currency, err = str(pr, "currency", true); err != nil {
			return nil, err
		}
		p.Records = append(p.Records, r)
	}
	return p, nil
}

// benchPage builds a realistic page: n DAILY records over 60 products.
func benchPage(n int) []byte { return benchPageAt(n, 0) }

// benchPageAt is benchPage's records from the from-th on, so consecutive
// pages of a load hold different records.
func benchPageAt(n, from int) []byte {
	var b strings.Builder
	b.WriteString(`{"asOf":"2025-12-31","records":[`)
	day := NewDate(2025, 1, 1)
	for i := from; i < from+n; i++ {
		if i > from {
			b.WriteByte(',')
		}
		prod := i % 60
		d := day.AddDays(i / 60).String()
		fmt.Fprintf(&b, `{"productName":"United States-Outbound-Product-%02d","productCategory":"us-outbound-product-%02d",`+
			`"startDate":"%s","endDate":"%s","usage":{"amount":"%d","unit":"segments"},"price":{"amount":%d.%04d,"currency":"USD"}}`,
			prod, prod, d, d, 1000+i*7%50000, i%997, i*31%10000)
	}
	b.WriteString(`],"meta":{"key":"items","pageSize":1000,"previousToken":null,"nextToken":"eyJzdGFydE9uIjoiMjAyNS0wMS0wMSJ9"}}`)
	return []byte(b.String())
}

// BenchmarkDecodePage measures decoding 1000-record pages; the budget is
// 200,000 records per second on one core. It reports records/s, and
// allocations and bytes per record (the churn of a long export).
func BenchmarkDecodePage(b *testing.B) {
	const n = 1000
	data := benchPage(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		p, err := DecodePage(data)
		if err != nil || len(p.Records) != n {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	records := float64(b.N * n)
	b.ReportMetric(records/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/records, "allocs/record")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/records, "B/record")
}

// TestEveryPrefixOfAPageIsCutShort: however a body is cut, the error says
// the body was cut short (so the client asks again); a complete body with
// a bad value does not.
func TestEveryPrefixOfAPageIsCutShort(t *testing.T) {
	page := pageJSON(`"t2"`, "1.5", "0.0079")
	for i := 0; i < len(page); i++ {
		_, err := DecodePage([]byte(page[:i]))
		var de *DecodeError
		if !errors.As(err, &de) || !de.Truncated || de.Offset != i || !strings.Contains(err.Error(), "cut short") {
			t.Fatalf("prefix of %d bytes: got %v, want a truncated *DecodeError", i, err)
		}
	}
	_, err := DecodePage([]byte(strings.Replace(page, "0.0079", "0.0.79", 1)))
	var de *DecodeError
	if !errors.As(err, &de) || de.Truncated {
		t.Fatalf("a complete body with a bad amount: got %v, want a *DecodeError that is not truncated", err)
	}
}

// TestDecodePageRepeatedRecordsKeyKeepsTheLast: as encoding/json does for
// any key, the last "records" wins, null or not.
func TestDecodePageRepeatedRecordsKeyKeepsTheLast(t *testing.T) {
	for body, want := range map[string]int{
		`{"records":[` + recordJSON("1", `"1"`) + `],"records":null}`: 0,
		`{"records":null,"records":[` + recordJSON("1", `"1"`) + `]}`: 1,
	} {
		p, err := DecodePage([]byte(body))
		if err != nil || len(p.Records) != want {
			t.Errorf("%s: %v, %v; want %d records", body, p, err, want)
		}
	}
}

// TestDecodePageQuotesTheMalformedValue: the error shows the value that
// is wrong, as the body has it.
func TestDecodePageQuotesTheMalformedValue(t *testing.T) {
	good := recordJSON("1.5", `"2"`)
	for _, tc := range []struct{ old, new, want string }{
		{`"startDate":"2025-03-01"`, `"StartDate":"2025-02-30"`, `startDate: "2025-02-30" is not a valid date`},
		{`"amount":"2"`, `"amount":"two"`, `usage.amount: "two" is not a decimal number`},
		{`"amount":1.5`, `"amount":1e99999`, `price.amount: 1e99999 is not a decimal number`},
	} {
		_, err := DecodePage([]byte(pageOf(good, strings.Replace(good, tc.old, tc.new, 1))))
		if err == nil || !strings.Contains(err.Error(), "record 1: "+tc.want) {
			t.Errorf("%s: got %v, want %q", tc.new, err, tc.want)
		}
	}
	_, err := DecodePage([]byte(`{"asOf":"yesterday","records":[]}`))
	if err == nil || !strings.Contains(err.Error(), `asOf: "yesterday" is not a valid date`) {
		t.Errorf("asOf: got %v", err)
	}
}
