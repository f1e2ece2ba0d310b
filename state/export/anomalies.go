package export

import (
	"bufio"
	"io"
	"math"
	"strconv"

	"github.com/usagetop/usagetop/state"
)

// AnomaliesHeader is the CSV and Markdown header of the anomalies view.
var AnomaliesHeader = []string{"scope", "product_name", "product_category", "date", "kind", "currency",
	"actual", "expected", "impact", "impact_percent", "score", "reason"}

// WriteAnomalies writes flagged product-days and group findings, one row
// per day, in the order given (the view's order; state.DetectStore
// returns them biggest impact first). scope is "product" or "group"; a
// group finding's product fields are empty and its money is the group's
// total in currency.
// Money is exact: in JSON actual, expected and impact are decimal strings,
// as every amount in every JSON export. impactPercent is null (an empty cell in CSV
// and Markdown) when the expected cost is zero, as a change from nothing
// has no percentage; it and score are rounded to two decimals.
func WriteAnomalies(w io.Writer, f Format, rows []state.Anomaly) error {
	if f == FormatJSON {
		return writeAnomaliesJSON(w, rows)
	}
	table := make([][]string, len(rows))
	for n, a := range rows {
		table[n] = []string{a.Scope.String(), a.ProductName, a.ProductCategory, a.Date.String(), a.Kind.String(), a.Currency,
			a.Actual.String(), a.Expected.String(), a.Impact.String(), anomalyPercent(a), anomalyFloat(a.Score), a.Reason}
	}
	return writeTable(w, f, AnomaliesHeader, sliceRows(table))
}

// anomalyPercent renders ImpactPercent, or "" when it has no meaning.
func anomalyPercent(a state.Anomaly) string {
	if !a.HasPercent() {
		return ""
	}
	return anomalyFloat(a.ImpactPercent)
}

// anomalyFloat renders a figure with at most two decimals ("" when it is
// not a number, which JSON cannot carry).
func anomalyFloat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	s := strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

func writeAnomaliesJSON(w io.Writer, rows []state.Anomaly) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	for n, a := range rows {
		if n > 0 {
			bw.WriteString(",")
		}
		pct, score := anomalyPercent(a), anomalyFloat(a.Score)
		if pct == "" {
			pct = "null"
		}
		if score == "" {
			score = "null"
		}
		bw.WriteString("\n  {\"scope\":")
		bw.WriteString(jsonString(a.Scope.String()))
		bw.WriteString(",\"productName\":")
		bw.WriteString(jsonString(a.ProductName))
		bw.WriteString(",\"productCategory\":")
		bw.WriteString(jsonString(a.ProductCategory))
		bw.WriteString(",\"date\":\"")
		bw.WriteString(a.Date.String())
		bw.WriteString("\",\"kind\":")
		bw.WriteString(jsonString(a.Kind.String()))
		bw.WriteString(",\"currency\":")
		bw.WriteString(jsonString(a.Currency))
		bw.WriteString(",\"actual\":")
		bw.WriteString(jsonString(a.Actual.String()))
		bw.WriteString(",\"expected\":")
		bw.WriteString(jsonString(a.Expected.String()))
		bw.WriteString(",\"impact\":")
		bw.WriteString(jsonString(a.Impact.String()))
		bw.WriteString(",\"impactPercent\":")
		bw.WriteString(pct)
		bw.WriteString(",\"score\":")
		bw.WriteString(score)
		bw.WriteString(",\"reason\":")
		bw.WriteString(jsonString(a.Reason))
		bw.WriteString("}")
	}
	if len(rows) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
