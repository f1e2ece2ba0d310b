package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state/safetext"
)

// RecordsHeader is the CSV and Markdown header of the records view.
var RecordsHeader = []string{"start_date", "end_date", "product_name", "product_category", "usage_amount", "usage_unit", "price_amount", "currency"}

// RecordSource yields records one at a time, so a large store is written
// without materialising every record at once.
type RecordSource interface {
	Len() int
	Record(i int) api.Record
}

// RecordSlice adapts a []api.Record to RecordSource.
type RecordSlice []api.Record

// Len returns the number of records.
func (s RecordSlice) Len() int { return len(s) }

// Record returns record i.
func (s RecordSlice) Record(i int) api.Record { return s[i] }

// WriteRecords writes every record of src in the API's record shape.
func WriteRecords(w io.Writer, f Format, src RecordSource) error {
	if f == FormatJSON {
		return writeRecordsJSON(w, src)
	}
	// Row by row: a million records are never all cells at once.
	return writeTable(w, f, RecordsHeader, rowSource{n: src.Len(), row: func(i int, dst []string) []string {
		r := src.Record(i)
		return append(dst[:0], r.StartDate.String(), r.EndDate.String(), r.ProductName, r.ProductCategory,
			r.Usage.Amount.String(), r.Usage.Unit, r.Price.Amount.String(), r.Price.Currency)
	}})
}

// writeRecordsJSON streams the array: one record per line, every amount
// an exact decimal string, as in every JSON export.
func writeRecordsJSON(w io.Writer, src RecordSource) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	for i := 0; i < src.Len(); i++ {
		r := src.Record(i)
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n  {\"startDate\":%q,\"endDate\":%q,\"productName\":%s,\"productCategory\":%s,\"usage\":{\"amount\":%q,\"unit\":%s},\"price\":{\"amount\":%q,\"currency\":%s}}",
			r.StartDate.String(), r.EndDate.String(), jsonString(r.ProductName), jsonString(r.ProductCategory),
			r.Usage.Amount.String(), jsonString(r.Usage.Unit), r.Price.Amount.String(), jsonString(r.Price.Currency))
	}
	if src.Len() > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// jsonString encodes s as a JSON string literal, exactly: controls and
// HTML-unsafe runes are escaped the way encoding/json does, and so are the
// characters a terminal or an editor would act on or hide while the text
// is read (C1 controls, bidi overrides, zero-width and tag characters:
// safetext.IsInvisible), so whoever views the file sees \uXXXX where they
// are, and a JSON reader still gets the value as the API sent it.
func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	if safetext.IsPlainASCII(s) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+12)
	for _, r := range string(b) {
		if (r < 0x80 || r > 0x9f) && !safetext.IsInvisible(r) {
			out = utf8.AppendRune(out, r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
			continue
		}
		out = fmt.Appendf(out, `\u%04x`, r)
	}
	return string(out)
}
