package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// productRecord builds one DAILY record.
func productRecord(day api.Date, name, cat, usage, unit, price, cur string) api.Record {
	return api.Record{StartDate: day, EndDate: day, ProductName: name, ProductCategory: cat,
		Usage: api.Usage{Amount: api.DecimalOf(decimal.RequireFromString(usage)), Unit: unit},
		Price: api.Price{Amount: api.DecimalOf(decimal.RequireFromString(price)), Currency: cur}}
}

// productStore loads recs as one page and returns the products view's
// rows over every day, sorted by cost as the dashboard opens.
func productStore(t *testing.T, start, end api.Date, recs []api.Record) []ProductRow {
	t.Helper()
	s := state.NewStore(state.Query{}, 1, start, end)
	if !s.Append("", &api.Page{AsOf: end, Records: recs}) {
		t.Fatal("page refused")
	}
	return rowsOf(s)
}

// rowsOf is the products view of a loaded store over all its days.
func rowsOf(s *state.Store) []ProductRow {
	start, end := s.Bounds()
	figs := state.ComputeFigures(state.Coverage{From: start, Through: end, End: end, PrevFrom: start, PrevTo: start - 1}, s, nil)
	pv := state.NewProductView(state.ProductCost, true)
	pv.Figures = figs
	pv.Sync(s)
	return ProductRows(s, pv, figs, nil)
}

type productJSON struct {
	ProductName     string `json:"productName"`
	ProductCategory string `json:"productCategory"`
	Usage           struct {
		Amount *string `json:"amount"`
		Unit   string  `json:"unit"`
	} `json:"usage"`
	Cost struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	} `json:"cost"`
	Share  string `json:"share"`
	Change struct {
		Amount  *string `json:"amount"`
		Percent *string `json:"percent"`
	} `json:"change"`
	Anomalies int    `json:"anomalies"`
	FirstDate string `json:"firstDate"`
	LastDate  string `json:"lastDate"`
}

func decodeProducts(t *testing.T, b []byte) []productJSON {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var out []productJSON
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("not the products JSON shape: %v\n%s", err, b)
	}
	return out
}

func sampleProducts(t *testing.T) []ProductRow {
	d := api.NewDate(2026, 3, 1)
	return productStore(t, d, d+4, []api.Record{
		productRecord(d, "SMS", "sms", "100", "segments", "0.79", "USD"),
		productRecord(d, "Voice", "voice", "10.5", "minutes", "1.05", "USD"),
		productRecord(d+1, `Odd "name", with | pipe`, "x", "3", "requests", "0.0000000000000000000123", "USD"),
		productRecord(d+1, "Voice", "voice", "3", "calls", "0.30", "USD"),
		productRecord(d+2, "SMS", "sms", "20", "segments", "0.16", "USD"),
		productRecord(d+4, "SMS", "sms", "50", "segments", "0.40", "GBP"),
	})
}

func TestWriteProductsJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteProducts(&buf, FormatJSON, sampleProducts(t)); err != nil {
		t.Fatal(err)
	}
	got := decodeProducts(t, buf.Bytes())
	var lines []string
	for _, p := range got {
		usage := "null"
		if p.Usage.Amount != nil {
			usage = *p.Usage.Amount
		}
		if p.Change.Amount != nil || p.Change.Percent != nil {
			t.Errorf("%s: a change with nothing compared", p.ProductName)
		}
		lines = append(lines, fmt.Sprintf("%s|%s|%s %s|%s %s|%s|%s..%s", p.ProductName, p.ProductCategory,
			usage, p.Usage.Unit, p.Cost.Amount, p.Cost.Currency, p.Share, p.FirstDate, p.LastDate))
	}
	want := []string{
		"Voice|voice|null mixed units|1.35 USD|0.586957|2026-03-01..2026-03-02",
		"SMS|sms|120 segments|0.95 USD|0.413043|2026-03-01..2026-03-03",
		"SMS|sms|50 segments|0.4 GBP|1|2026-03-05..2026-03-05",
		`Odd "name", with | pipe|x|3 requests|0.0000000000000000000123 USD|0|2026-03-02..2026-03-02`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("products JSON:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(buf.String(), `"amount":"0.0000000000000000000123",`) {
		t.Errorf("cost amount is not an exact decimal string:\n%s", buf.String())
	}
}

func TestWriteProductsCSVAndMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteProducts(&buf, FormatCSV, sampleProducts(t)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "product_name,product_category,usage_amount,usage_unit,cost_amount,currency,share,change_amount,change_percent,anomalies,first_date,last_date" {
		t.Errorf("header %s", got)
	}
	if got := strings.Join(rows[1], ","); got != "Voice,voice,,mixed units,1.35,USD,0.586957,,,0,2026-03-01,2026-03-02" {
		t.Errorf("first row %s", got)
	}
	if len(rows) != 5 || rows[4][0] != `Odd "name", with | pipe` || rows[4][4] != "0.0000000000000000000123" {
		t.Errorf("rows %q", rows)
	}

	buf.Reset()
	if err := WriteProducts(&buf, FormatMarkdown, sampleProducts(t)); err != nil {
		t.Fatal(err)
	}
	md := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(md) != 6 || !strings.HasPrefix(md[0], "| product_name | product_category |") || !strings.HasPrefix(md[1], "| --- |") {
		t.Errorf("markdown:\n%s", buf.String())
	}
	if !strings.Contains(md[5], `Odd "name", with \| pipe`) {
		t.Errorf("pipe not escaped: %s", md[5])
	}
}

func TestWriteProductsEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteProducts(&buf, FormatJSON, nil); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("empty export %q", buf.String())
	}
}

// The products export's cost per product is the exact sum of that
// product's record prices, whatever the scales and however many records.
func TestWriteProductsCostIsTheExactSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	start := api.NewDate(2025, 1, 1)
	var recs []api.Record
	want := map[string]decimal.Decimal{}
	for day := 0; day < 120; day++ {
		for p := 0; p < 30; p++ {
			if rng.IntN(4) == 0 {
				continue
			}
			price := decimal.New(rng.Int64N(1_000_000_000), -int32(rng.IntN(9)))
			cur := []string{"USD", "GBP"}[p%2]
			name := fmt.Sprintf("product %02d", p)
			recs = append(recs, api.Record{StartDate: start + api.Date(day), EndDate: start + api.Date(day),
				ProductName: name, ProductCategory: "cat",
				Usage: api.Usage{Amount: api.DecimalOf(decimal.New(int64(rng.IntN(1000)), 0)), Unit: "units"},
				Price: api.Price{Amount: api.DecimalOf(price), Currency: cur}})
			want[name+"|"+cur] = want[name+"|"+cur].Add(price)
		}
	}
	var buf bytes.Buffer
	if err := WriteProducts(&buf, FormatJSON, productStore(t, start, start+119, recs)); err != nil {
		t.Fatal(err)
	}
	got := decodeProducts(t, buf.Bytes())
	if len(got) != len(want) {
		t.Fatalf("%d products, want %d", len(got), len(want))
	}
	for i, p := range got {
		w := want[p.ProductName+"|"+p.Cost.Currency]
		if d, err := decimal.NewFromString(p.Cost.Amount); err != nil || !d.Equal(w) {
			t.Errorf("%s %s: cost %s, want %s", p.ProductName, p.Cost.Currency, p.Cost.Amount, w)
		}
		if i > 0 {
			prev, _ := decimal.NewFromString(got[i-1].Cost.Amount)
			cur, _ := decimal.NewFromString(p.Cost.Amount)
			if prev.LessThan(cur) {
				t.Errorf("not sorted by cost descending at %d: %s then %s", i, prev, cur)
			}
		}
	}
}
