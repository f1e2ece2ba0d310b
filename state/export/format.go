// Package export writes the headless views (records, products, anomalies)
// as CSV, JSON or Markdown, and writes files atomically. Formatting is pure:
// every writer takes an io.Writer. WriteFileAtomic is the one place that
// touches the filesystem, shared by `usagetop export --output` and the
// dashboard's `e` key.
package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/usagetop/usagetop/state/safetext"
)

// Format is an output format for export.
type Format string

// Formats export can write.
const (
	FormatCSV      Format = "csv"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "md"
)

// Formats lists every Format.
var Formats = []Format{FormatCSV, FormatJSON, FormatMarkdown}

// String returns the format's name as given on the command line.
func (f Format) String() string { return string(f) }

// ParseFormat parses csv, json or md (case-insensitive; "markdown" is accepted too).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "csv":
		return FormatCSV, nil
	case "json":
		return FormatJSON, nil
	case "md", "markdown":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("unknown format %q; use csv, json or md", s)
}

// rowSource yields a table's rows one at a time, into a buffer it may
// reuse, so a million-record export never holds all its cells at once.
type rowSource struct {
	n   int
	row func(i int, dst []string) []string
}

// sliceRows is a rowSource over rows already built.
func sliceRows(rows [][]string) rowSource {
	return rowSource{n: len(rows), row: func(i int, _ []string) []string { return rows[i] }}
}

// writeTable writes a header and rows as CSV or a Markdown table, every
// cell cleaned for a terminal (safetext.Clean), row by row. JSON has
// view-specific shapes and is written by each view's own writer.
func writeTable(w io.Writer, f Format, header []string, rows rowSource) error {
	switch f {
	case FormatCSV:
		return writeCSVRows(w, header, rows)
	case FormatMarkdown:
		bw := bufio.NewWriter(w)
		writeMDRow(bw, header)
		bw.WriteString("|")
		for range header {
			bw.WriteString(" --- |")
		}
		bw.WriteString("\n")
		var buf []string
		for i := range rows.n {
			buf = rows.row(i, buf)
			for j, c := range buf {
				buf[j] = safetext.Clean(c)
			}
			writeMDRow(bw, buf)
		}
		return bw.Flush()
	}
	return fmt.Errorf("writeTable: format %q is not a table format", f)
}

// WriteCSV writes header and rows as CSV, each cell cleaned for a terminal
// and made CSVCell-safe for a spreadsheet. It is the one CSV writer: the
// export's views and the dashboard's `e` go through it. rows' cells are
// rewritten in place.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	return writeCSVRows(w, header, sliceRows(rows))
}

// writeCSVRows is WriteCSV row by row.
func writeCSVRows(w io.Writer, header []string, rows rowSource) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	var buf []string
	for i := range rows.n {
		buf = rows.row(i, buf)
		for j, c := range buf {
			buf[j] = CSVCell(safetext.Clean(c))
		}
		if err := cw.Write(buf); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVCell returns c as a spreadsheet will show it rather than run it. A
// cell that begins (after any spaces) with '=', '+', '-', '@', a tab or a
// carriage return is a formula to Excel, LibreOffice and Google Sheets; as
// OWASP recommends, it gets a leading apostrophe and is otherwise left as
// it is. A cell that is a plain decimal number ("-12.50", "+3", "-0.8%";
// exports write amounts without exponents) is
// left alone whatever its column: a spreadsheet reads it as the number it
// is, which cannot run anything, and an amount must stay a number. Deciding
// per cell rather than per column keeps every CSV writer safe without each
// one having to say which of its columns are text.
func CSVCell(c string) string {
	t := strings.TrimLeft(c, " ")
	if t == "" {
		return c
	}
	switch t[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if !isPlainNumber(t) {
			return "'" + c
		}
	}
	return c
}

// isPlainNumber reports whether s is a decimal number and nothing else:
// an optional sign, digits with at most one point, an optional percent
// sign.
func isPlainNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits, point := 0, false
	for ; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			digits++
		} else if c == '.' && !point {
			point = true
		} else {
			break
		}
	}
	if digits == 0 {
		return false
	}
	if i == len(s)-1 && s[i] == '%' {
		i++ // a change column's "-0.8%" is a number to a spreadsheet too
	}
	return i == len(s)
}

// mdEscaper keeps a cell on one line and inside its column.
var mdEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ")

func writeMDRow(w *bufio.Writer, cells []string) {
	w.WriteString("|")
	for _, c := range cells {
		w.WriteString(" ")
		w.WriteString(mdEscaper.Replace(c))
		w.WriteString(" |")
	}
	w.WriteString("\n")
}
