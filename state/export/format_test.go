package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// TestTablesAreSafeOnATerminal: a hostile product name reaches CSV and
// Markdown without a control character; JSON keeps it exactly, escaped.
func TestTablesAreSafeOnATerminal(t *testing.T) {
	d := api.NewDate(2025, 1, 1)
	name := "Evil\x1b]0;owned\x07\nName"
	recs := RecordSlice{{StartDate: d, EndDate: d, ProductName: name, ProductCategory: "sms\u009b2J",
		Usage: api.Usage{Amount: api.DecimalOf(decimal.NewFromInt(1)), Unit: "segments"},
		Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString("0.5")), Currency: "USD"}}}
	for _, f := range []Format{FormatCSV, FormatMarkdown} {
		var buf bytes.Buffer
		if err := WriteRecords(&buf, f, recs); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
			if strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }) {
				t.Errorf("%s: a control character reached the output: %q", f, line)
			}
		}
		if f == FormatCSV {
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil || len(rows) != 2 || rows[1][2] != "Evil Name" {
				t.Errorf("csv: %v %q", err, rows)
			}
		}
	}
	var buf bytes.Buffer
	if err := WriteRecords(&buf, FormatJSON, recs); err != nil {
		t.Fatal(err)
	}
	var got []struct{ ProductName string }
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got) != 1 || got[0].ProductName != name {
		t.Errorf("json lost the exact name: %v %q", err, got)
	}
}

// TestCSVCellNeutralisesFormulas: a cell a spreadsheet would evaluate gets
// a leading apostrophe and is otherwise unchanged (OWASP); a plain number,
// negative or not, stays a number (issue 14.1).
func TestCSVCellNeutralisesFormulas(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"  =1", "'  =1"},
		{"-", "'-"},
		{"-12.50", "-12.50"},
		{"+3", "+3"},
		{"-1e-7", "'-1e-7"}, // exports never write exponents
		{"-.5", "-.5"},
		{"-0.8%", "-0.8%"},
		{"-%", "'-%"},
		{"-1%%", "'-1%%"},
		{"12.50", "12.50"},
		{"United States-Outbound-SMS", "United States-Outbound-SMS"},
		{"a=b", "a=b"},
		{"", ""},
		{"-1.2.3", "'-1.2.3"},
		{"-1e", "'-1e"},
	} {
		if got := CSVCell(tc.in); got != tc.want {
			t.Errorf("CSVCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestExportsKeepSpreadsheetsFromRunningCells: records whose text fields
// are formulas are written to CSV with those cells neutralised and the
// negative amounts left as numbers; Markdown and JSON keep the text exact.
func TestExportsKeepSpreadsheetsFromRunningCells(t *testing.T) {
	d := api.NewDate(2025, 1, 1)
	evil := `=HYPERLINK("http://evil","x")`
	recs := RecordSlice{{StartDate: d, EndDate: d, ProductName: evil, ProductCategory: "@cat",
		Usage: api.Usage{Amount: api.DecimalOf(decimal.RequireFromString("-3")), Unit: "+u"},
		Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString("-12.50")), Currency: "USD"}}}
	var buf bytes.Buffer
	if err := WriteRecords(&buf, FormatCSV, recs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("%v %q", err, rows)
	}
	want := []string{"2025-01-01", "2025-01-01", "'" + evil, "'@cat", "-3", "'+u", "-12.5", "USD"}
	if strings.Join(rows[1], "|") != strings.Join(want, "|") {
		t.Errorf("csv row %q, want %q", rows[1], want)
	}
	buf.Reset()
	if err := WriteRecords(&buf, FormatMarkdown, recs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "| "+evil+" |") {
		t.Errorf("markdown changed the name: %s", buf.String())
	}
	buf.Reset()
	if err := WriteRecords(&buf, FormatJSON, recs); err != nil {
		t.Fatal(err)
	}
	var got []struct{ ProductName string }
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || got[0].ProductName != evil {
		t.Errorf("json changed the name: %v %q", err, got)
	}
}

// TestExportsDropOrEscapeInvisibleCharacters: zero-width, tag, bidi and
// line-separator characters (look-alike names) are removed from CSV and
// Markdown, and written as \u escapes in JSON, which still reads back as
// the exact name (issue 14.11).
func TestExportsDropOrEscapeInvisibleCharacters(t *testing.T) {
	d := api.NewDate(2025, 1, 1)
	name := "S\u200bMS\u2028x\u202e\U000E0041\u0085é😀"
	recs := RecordSlice{{StartDate: d, EndDate: d, ProductName: name, ProductCategory: "c",
		Usage: api.Usage{Amount: api.NewDecimal(1, 0), Unit: "u"},
		Price: api.Price{Amount: api.NewDecimal(5, -1), Currency: "USD"}}}
	for _, f := range []Format{FormatCSV, FormatMarkdown} {
		var buf bytes.Buffer
		if err := WriteRecords(&buf, f, recs); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "SMS xé😀") {
			t.Errorf("%s: want the name as %q: %q", f, "SMS xé😀", buf.String())
		}
	}
	var buf bytes.Buffer
	if err := WriteRecords(&buf, FormatJSON, recs); err != nil {
		t.Fatal(err)
	}
	for _, esc := range []string{`\u200b`, `\u2028`, `\u202e`, `\udb40\udc41`, `\u0085`} {
		if !strings.Contains(buf.String(), esc) {
			t.Errorf("json lacks %s: %s", esc, buf.String())
		}
	}
	if strings.ContainsAny(buf.String(), "\u200b\u2028\u202e\U000E0041\u0085") {
		t.Errorf("json holds a raw invisible character: %q", buf.String())
	}
	var got []struct{ ProductName string }
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || got[0].ProductName != name {
		t.Errorf("json does not read back as the exact name: %v %q", err, got)
	}
}
