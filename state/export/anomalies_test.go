package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func sampleAnomalies() []state.Anomaly {
	dec := decimal.RequireFromString
	return []state.Anomaly{
		{ProductName: "SMS | US", ProductCategory: "sms", Currency: "USD", Date: api.NewDate(2025, 4, 29), Kind: state.AnomalySpike,
			Actual: dec("612.3456"), Expected: dec("200"), Impact: dec("412.3456"), ImpactPercent: 206.1728, Score: 12.3456,
			Reason: "Tue 3.1x its weekday median; +$412"},
		{ProductName: "Lookups, \"new\"", ProductCategory: "lookups", Currency: "USD", Date: api.NewDate(2025, 5, 2), Kind: state.AnomalyNew,
			Actual: dec("0.0000000000000000000123"), Expected: decimal.Zero, Impact: dec("0.0000000000000000000123"), Score: state.AnomalyScoreCap,
			Reason: "Fri new cost, none in the 28 days before; +$0.0000"},
		{ProductName: "Voice", ProductCategory: "voice", Currency: "USD", Date: api.NewDate(2025, 5, 3), Kind: state.AnomalyStop,
			Actual: decimal.Zero, Expected: dec("80.5"), Impact: dec("-80.5"), ImpactPercent: -100, Score: 20,
			Reason: "Sat cost stopped, weekday median $80.50; -$80.50"},
		{Scope: state.ScopeGroup, Currency: "GBP", Date: api.NewDate(2025, 12, 25), Kind: state.AnomalyGroup,
			Actual: dec("900.10"), Expected: dec("2000"), Impact: dec("-1099.90"), ImpactPercent: -55, Score: 8, Moved: 40, Of: 52,
			Reason: "Thu Dec 25: 40 of 52 products down, -£1,100 (-55%), shared by the group"},
	}
}

func TestWriteAnomaliesJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAnomalies(&buf, FormatJSON, sampleAnomalies()); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.UseNumber()
	var got []map[string]any
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if len(got) != 4 {
		t.Fatalf("%d rows, want 4", len(got))
	}
	keys := []string{"scope", "productName", "productCategory", "date", "kind", "currency", "actual", "expected", "impact", "impactPercent", "score", "reason"}
	for _, row := range got {
		if len(row) != len(keys) {
			t.Errorf("row has %d keys, want %d: %v", len(row), len(keys), row)
		}
		for _, k := range keys {
			if _, ok := row[k]; !ok {
				t.Errorf("row lacks %q: %v", k, row)
			}
		}
	}
	first := got[0]
	if first["scope"] != "product" || first["currency"] != "USD" || first["productName"] != "SMS | US" || first["date"] != "2025-04-29" || first["kind"] != "spike" || first["reason"] != "Tue 3.1x its weekday median; +$412" {
		t.Errorf("first row %v", first)
	}
	// Money is an exact decimal string, as in every JSON export; percent
	// and score, not money, are numbers.
	for key, want := range map[string]string{"actual": "612.3456", "expected": "200", "impact": "412.3456"} {
		if s, ok := first[key].(string); !ok || s != want {
			t.Errorf("%s = %#v, want the decimal string %q", key, first[key], want)
		}
	}
	for key, want := range map[string]string{"impactPercent": "206.17", "score": "12.35"} {
		if n, ok := first[key].(json.Number); !ok || n.String() != want {
			t.Errorf("%s = %#v, want the number %s", key, first[key], want)
		}
	}
	if s, _ := got[1]["actual"].(string); s != "0.0000000000000000000123" {
		t.Errorf("tiny amount lost precision: %v", got[1]["actual"])
	}
	if got[1]["impactPercent"] != nil {
		t.Errorf("a new cost's impactPercent = %v, want null", got[1]["impactPercent"])
	}
	if s, _ := got[2]["impact"].(string); s != "-80.5" {
		t.Errorf("stop impact %v", got[2]["impact"])
	}
	// A group finding: its scope and kind say so, product fields empty,
	// its money the group's in its currency.
	if g := got[3]; g["scope"] != "group" || g["kind"] != "group" || g["productName"] != "" || g["currency"] != "GBP" {
		t.Errorf("group finding %v", g)
	}
}

func TestWriteAnomaliesCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAnomalies(&buf, FormatCSV, sampleAnomalies()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "scope,product_name,product_category,date,kind,currency,actual,expected,impact,impact_percent,score,reason" {
		t.Errorf("header %s", got)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want header + 4", len(rows))
	}
	want := []string{"product", "SMS | US", "sms", "2025-04-29", "spike", "USD", "612.3456", "200", "412.3456", "206.17", "12.35", "Tue 3.1x its weekday median; +$412"}
	if strings.Join(rows[1], "\x00") != strings.Join(want, "\x00") {
		t.Errorf("row 1 = %q\nwant    %q", rows[1], want)
	}
	if rows[2][1] != `Lookups, "new"` || rows[2][9] != "" || rows[2][10] != "99" {
		t.Errorf("row 2 = %q", rows[2])
	}
	if rows[3][4] != "stop" || rows[3][8] != "-80.5" || rows[3][9] != "-100" {
		t.Errorf("row 3 = %q", rows[3])
	}
	want = []string{"group", "", "", "2025-12-25", "group", "GBP", "900.1", "2000", "-1099.9", "-55", "8", "Thu Dec 25: 40 of 52 products down, -£1,100 (-55%), shared by the group"}
	if strings.Join(rows[4], "\x00") != strings.Join(want, "\x00") {
		t.Errorf("row 4 = %q\nwant    %q", rows[4], want)
	}
}

func TestWriteAnomaliesMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAnomalies(&buf, FormatMarkdown, sampleAnomalies()[:1]); err != nil {
		t.Fatal(err)
	}
	want := "| scope | product_name | product_category | date | kind | currency | actual | expected | impact | impact_percent | score | reason |\n" +
		"| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n" +
		"| product | SMS \\| US | sms | 2025-04-29 | spike | USD | 612.3456 | 200 | 412.3456 | 206.17 | 12.35 | Tue 3.1x its weekday median; +$412 |\n"
	if buf.String() != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestWriteAnomaliesEmpty(t *testing.T) {
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := WriteAnomalies(&buf, f, nil); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if f == FormatJSON && strings.TrimSpace(buf.String()) != "[]" {
			t.Errorf("empty JSON = %q, want []", buf.String())
		}
		if f == FormatCSV && strings.TrimSpace(buf.String()) != strings.Join(AnomaliesHeader, ",") {
			t.Errorf("empty CSV = %q, want the header alone", buf.String())
		}
	}
}
