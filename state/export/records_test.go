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

func sampleRecords(t *testing.T) RecordSlice {
	t.Helper()
	d := api.NewDate(2025, 1, 1)
	return RecordSlice{
		{StartDate: d, EndDate: d, ProductName: "United States-Outbound-LC-MMS", ProductCategory: "mms",
			Usage: api.Usage{Amount: api.DecimalOf(decimal.RequireFromString("66505")), Unit: "segments"},
			Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString("100.5000")), Currency: "USD"}},
		{StartDate: d + 1, EndDate: d + 1, ProductName: `Odd "name", with | pipe`, ProductCategory: "x",
			Usage: api.Usage{Amount: api.DecimalOf(decimal.RequireFromString("1234.5")), Unit: "minutes"},
			Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString("0.0000000000000000000123")), Currency: "USD"}},
	}
}

func TestWriteRecordsCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRecords(&buf, FormatCSV, sampleRecords(t)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "start_date,end_date,product_name,product_category,usage_amount,usage_unit,price_amount,currency" {
		t.Errorf("header = %s", got)
	}
	if len(rows) != 3 {
		t.Fatalf("rows = %d, want header + 2", len(rows))
	}
	if rows[1][6] != "100.5" || rows[2][2] != `Odd "name", with | pipe` || rows[2][6] != "0.0000000000000000000123" {
		t.Errorf("rows = %q", rows[1:])
	}
}

func TestWriteRecordsJSONIsExact(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRecords(&buf, FormatJSON, sampleRecords(t)); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var got []struct {
		StartDate, EndDate, ProductName, ProductCategory string
		Usage                                            struct{ Amount, Unit string }
		Price                                            struct {
			Amount   json.Number
			Currency string
		}
	}
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
	}
	if len(got) != 2 || got[0].StartDate != "2025-01-01" || got[0].Usage.Amount != "66505" || got[0].Price.Amount != "100.5" {
		t.Errorf("first record = %+v", got[0])
	}
	if got[1].Price.Amount != "0.0000000000000000000123" {
		t.Errorf("tiny price lost precision: %s", got[1].Price.Amount)
	}
}

func TestWriteRecordsEmptyJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRecords(&buf, FormatJSON, RecordSlice{}); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("empty export = %q, want []", buf.String())
	}
}

func TestWriteRecordsMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRecords(&buf, FormatMarkdown, sampleRecords(t)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("want header, rule and 2 rows, got:\n%s", buf.String())
	}
	for _, l := range lines {
		// Every line has the same number of unescaped column separators.
		if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 9 {
			t.Errorf("line %q has %d separators, want 9", l, n)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"csv": FormatCSV, "JSON": FormatJSON, "md": FormatMarkdown, "markdown": FormatMarkdown} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xlsx"); err == nil || !strings.Contains(err.Error(), "csv, json or md") {
		t.Errorf("ParseFormat(xlsx) error = %v", err)
	}
}
