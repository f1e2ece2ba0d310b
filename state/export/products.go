package export

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/usagetop/usagetop/state"
)

// ProductsHeader is the CSV and Markdown header of the products view.
var ProductsHeader = []string{"product_name", "product_category", "usage_amount", "usage_unit",
	"cost_amount", "currency", "share", "days", "first_date", "last_date"}

// MixedUnits is the unit written for a product whose records disagree on
// the unit; its usage amount is left empty (JSON null), never summed.
const MixedUnits = "mixed units"

// WriteProducts writes the product rollups sorted by cost, descending
// (ties by product name, category, currency). Amounts are exact: in JSON,
// cost.amount is a number carrying the decimal's own digits, and
// usage.amount a decimal string as the API writes usage; share is the
// fraction of the currency's total, rounded to six places. rows is not
// modified.
func WriteProducts(w io.Writer, f Format, rows []state.ProductRollup) error {
	order := make([]int32, len(rows))
	for i := range order {
		order[i] = int32(i)
	}
	state.SortProducts(rows, order, state.ProductCost, true, nil)
	if f == FormatJSON {
		return writeProductsJSON(w, rows, order)
	}
	table := make([][]string, len(order))
	for n, i := range order {
		p := &rows[i]
		amount, unit := usageOf(p)
		table[n] = []string{p.Name, p.Category, amount, unit, p.Cost.String(), p.Currency,
			shareString(p.Share), strconv.Itoa(p.Days), p.First.String(), p.Last.String()}
	}
	return writeTable(w, f, ProductsHeader, table)
}

// usageOf returns the usage amount and unit as written.
func usageOf(p *state.ProductRollup) (amount, unit string) {
	if p.MixedUnits {
		return "", MixedUnits
	}
	return p.Usage.String(), p.Unit
}

// shareString renders a 0..1 share with at most six decimals.
func shareString(share float64) string {
	s := strconv.FormatFloat(share, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}

func writeProductsJSON(w io.Writer, rows []state.ProductRollup, order []int32) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	for n, i := range order {
		p := &rows[i]
		if n > 0 {
			bw.WriteString(",")
		}
		amount, unit := usageOf(p)
		usage := "null"
		if !p.MixedUnits {
			usage = jsonString(amount)
		}
		bw.WriteString("\n  {\"productName\":")
		bw.WriteString(jsonString(p.Name))
		bw.WriteString(",\"productCategory\":")
		bw.WriteString(jsonString(p.Category))
		bw.WriteString(",\"usage\":{\"amount\":")
		bw.WriteString(usage)
		bw.WriteString(",\"unit\":")
		bw.WriteString(jsonString(unit))
		bw.WriteString("},\"cost\":{\"amount\":")
		bw.WriteString(p.Cost.String())
		bw.WriteString(",\"currency\":")
		bw.WriteString(jsonString(p.Currency))
		bw.WriteString("},\"share\":")
		bw.WriteString(shareString(p.Share))
		bw.WriteString(",\"days\":")
		bw.WriteString(strconv.Itoa(p.Days))
		bw.WriteString(",\"firstDate\":\"")
		bw.WriteString(p.First.String())
		bw.WriteString("\",\"lastDate\":\"")
		bw.WriteString(p.Last.String())
		bw.WriteString("\"}")
	}
	if len(order) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
