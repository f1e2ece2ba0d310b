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

func TestCleanCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"United States-Outbound-SMS", "United States-Outbound-SMS"},
		{"Café Ünïcode 日本", "Café Ünïcode 日本"},
		{"title\x1b]0;pwned\x07x", "title]0;pwnedx"},
		{"clip\x1b]52;c;ZXZpbA==\x1b\\", "clip]52;c;ZXZpbA==\\"},
		{"red\x1b[31m\u009b2J", "red[31m2J"},
		{"raw C1 byte \x9b2J", "raw C1 byte \ufffd2J"},
		{"two\nlines\r\tand tab", "two lines  and tab"},
		{"abc\u202edcba", "abcdcba"},
		{"bad \xff byte", "bad \ufffd byte"},
		{"del\x7f", "del"},
	} {
		if got := cleanCell(tc.in); got != tc.want {
			t.Errorf("cleanCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestTablesAreSafeOnATerminal: a hostile product name reaches CSV and
// Markdown without a control character; JSON keeps it exactly, escaped.
func TestTablesAreSafeOnATerminal(t *testing.T) {
	d := api.NewDate(2025, 1, 1)
	name := "Evil\x1b]0;owned\x07\nName"
	recs := RecordSlice{{StartDate: d, EndDate: d, ProductName: name, ProductCategory: "sms\u009b2J",
		Usage: api.Usage{Amount: decimal.NewFromInt(1), Unit: "segments"},
		Price: api.Price{Amount: decimal.RequireFromString("0.5"), Currency: "USD"}}}
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
			if err != nil || len(rows) != 2 || rows[1][2] != "Evil]0;owned Name" {
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
