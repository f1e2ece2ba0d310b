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

// writeTable writes a header and rows as CSV or a Markdown table, every
// cell cleaned for a terminal (safetext.Clean). JSON has view-specific shapes
// and is written by each view's own writer.
func writeTable(w io.Writer, f Format, header []string, rows [][]string) error {
	for _, r := range rows {
		for i, c := range r {
			r[i] = safetext.Clean(c)
		}
	}
	switch f {
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil { // WriteAll flushes
			return err
		}
		return cw.Error()
	case FormatMarkdown:
		bw := bufio.NewWriter(w)
		writeMDRow(bw, header)
		bw.WriteString("|")
		for range header {
			bw.WriteString(" --- |")
		}
		bw.WriteString("\n")
		for _, r := range rows {
			writeMDRow(bw, r)
		}
		return bw.Flush()
	}
	return fmt.Errorf("writeTable: format %q is not a table format", f)
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
