package export

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// ProductsHeader is the CSV and Markdown header of the products view: the
// one layout written by `usagetop export --view products` and by `e` in
// the Products view.
var ProductsHeader = []string{"product_name", "product_category", "usage_amount", "usage_unit",
	"cost_amount", "currency", "share", "change_amount", "change_percent", "anomalies", "first_date", "last_date"}

// MixedUnits is the unit written for a product whose records disagree on
// the unit; its usage amount is left empty (JSON null), never summed.
const MixedUnits = "mixed units"

// ProductRow is one row of the products view: the product's figures over
// the days that count, and its anomaly count.
type ProductRow struct {
	state.ProductFigure
	Anomalies int
}

// ProductRows returns the rows of the products view in the view's order:
// the rows of s that pv shows (filtered and sorted), with their figures
// from figs and anomaly counts from flagged (nil: none counted).
func ProductRows(s *state.Store, pv *state.ProductView, figs *state.Figures, flagged map[state.ProductKey]int) []ProductRow {
	all := s.Products()
	out := make([]ProductRow, 0, pv.Len())
	for _, i := range pv.Rows() {
		k := all[i].Key()
		row := ProductRow{Anomalies: flagged[k]}
		if f := figs.Of(k); f != nil {
			row.ProductFigure = *f
		} else {
			row.Key, row.Unit, row.MixedUnits = k, all[i].Unit, all[i].MixedUnits
		}
		out = append(out, row)
	}
	return out
}

// ProductsOf returns every product of a loaded generation as the
// products view opens: sorted by cost, descending, with the anomaly
// counts of found.
func ProductsOf(g *state.Generation, found state.StoreAnomalies) []ProductRow {
	pv := state.NewProductView(state.ProductCost, true)
	pv.Figures = g.Figures()
	pv.Sync(g.Period())
	return ProductRows(g.Period(), pv, g.Figures(), found.Counts())
}

// WriteProducts writes rows in their order. Every amount is exact: in
// JSON each money and quantity is a decimal string; share is the fraction
// of the currency's total to six places; change_percent is empty (null)
// when there is no comparison, or the previous period had no cost.
func WriteProducts(w io.Writer, f Format, rows []ProductRow) error {
	if f == FormatJSON {
		return writeProductsJSON(w, rows)
	}
	table := make([][]string, len(rows))
	for n := range rows {
		p := &rows[n]
		amount, unit := usageOf(p)
		money, pct := changeOf(p)
		table[n] = []string{p.Key.Name, p.Key.Category, amount, unit, p.Cost.String(), p.Key.Currency,
			shareString(p.Share), money, pct, strconv.Itoa(p.Anomalies), dateOf(p.First), dateOf(p.Last)}
	}
	return writeTable(w, f, ProductsHeader, sliceRows(table))
}

// usageOf returns the usage amount and unit as written.
func usageOf(p *ProductRow) (amount, unit string) {
	if p.MixedUnits {
		return "", MixedUnits
	}
	return p.Usage.String(), p.Unit
}

// changeOf returns the change in money and in percent as written: empty
// when not compared; no percent for a product new this period.
func changeOf(p *ProductRow) (money, pct string) {
	if !p.Compared {
		return "", ""
	}
	money = p.Change.Money.Round(6).String()
	if p.Change.New {
		return money, ""
	}
	return money, strconv.FormatFloat(p.Change.Percent, 'f', 2, 64)
}

// dateOf writes a day, or nothing for none.
func dateOf(d api.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// shareString renders a 0..1 share with at most six decimals.
func shareString(share float64) string {
	s := strconv.FormatFloat(share, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "" || s == "-" || s == "-0" {
		return "0"
	}
	return s
}

// jsonOrNull is a JSON string of s, or null when s is empty.
func jsonOrNull(s string) string {
	if s == "" {
		return "null"
	}
	return jsonString(s)
}

func writeProductsJSON(w io.Writer, rows []ProductRow) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	for n := range rows {
		p := &rows[n]
		if n > 0 {
			bw.WriteString(",")
		}
		amount, unit := usageOf(p)
		money, pct := changeOf(p)
		bw.WriteString("\n  {\"productName\":")
		bw.WriteString(jsonString(p.Key.Name))
		bw.WriteString(",\"productCategory\":")
		bw.WriteString(jsonString(p.Key.Category))
		bw.WriteString(",\"usage\":{\"amount\":")
		bw.WriteString(jsonOrNull(amount))
		bw.WriteString(",\"unit\":")
		bw.WriteString(jsonString(unit))
		bw.WriteString("},\"cost\":{\"amount\":")
		bw.WriteString(jsonString(p.Cost.String()))
		bw.WriteString(",\"currency\":")
		bw.WriteString(jsonString(p.Key.Currency))
		bw.WriteString("},\"share\":")
		bw.WriteString(jsonString(shareString(p.Share)))
		bw.WriteString(",\"change\":{\"amount\":")
		bw.WriteString(jsonOrNull(money))
		bw.WriteString(",\"percent\":")
		bw.WriteString(jsonOrNull(pct))
		bw.WriteString("},\"anomalies\":")
		bw.WriteString(strconv.Itoa(p.Anomalies))
		bw.WriteString(",\"firstDate\":")
		bw.WriteString(jsonOrNull(dateOf(p.First)))
		bw.WriteString(",\"lastDate\":")
		bw.WriteString(jsonOrNull(dateOf(p.Last)))
		bw.WriteString("}")
	}
	if len(rows) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
