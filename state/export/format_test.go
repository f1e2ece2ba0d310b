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
