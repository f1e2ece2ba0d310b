package state

import (
	"strings"

	"github.com/usagetop/usagetop/api"
)

// Query is what the dashboard shows and what export prints: one billing
// group, a period (a preset, or a custom range when Period is empty), an
// optional product category and an aggregation. It is a comparable value;
// a changed Query means a new generation.
type Query struct {
	// GroupID is the billing group id sent to the API.
	GroupID string
	// GroupName is the configured name, for display only.
	GroupName string
	// Period is a preset; empty means the custom range From..To.
	Period api.TimePeriod
	// From and To are the inclusive custom range when Period is empty.
	From, To api.Date
	// Category is the productCategory filter sent to the API; empty for all.
	Category string
	// Aggregation is DAILY or MONTHLY; empty means DAILY.
	Aggregation api.Aggregation
}

// IsCustom reports whether q uses a custom date range rather than a preset.
func (q Query) IsCustom() bool { return q.Period == "" }

// Agg returns q's aggregation, DAILY when unset.
func (q Query) Agg() api.Aggregation {
	if q.Aggregation == "" {
		return api.Daily
	}
	return q.Aggregation
}

// Request returns the first-page request for q. The api package validates
// requests, so Validate and the client can never disagree on what is valid.
func (q Query) Request(pageSize int) api.RecordsRequest {
	r := api.RecordsRequest{
		GroupID:     q.GroupID,
		Period:      q.Period,
		Category:    q.Category,
		Aggregation: q.Aggregation,
		PageSize:    pageSize,
	}
	if q.IsCustom() {
		r.StartDate, r.EndDate = q.From, q.To
	}
	return r
}

// Validate checks q as the API would; the error is an *api.ValidationError
// naming the field.
func (q Query) Validate() error {
	r := q.Request(0)
	if q.Period != "" && (!q.From.IsZero() || !q.To.IsZero()) {
		// Request drops the dates of a preset query; say so rather than
		// silently ignoring them.
		r.StartDate, r.EndDate = q.From, q.To
	}
	return r.Validate()
}

// Bounds returns the inclusive dates q covers when today is today (UTC).
func (q Query) Bounds(today api.Date) (start, end api.Date) {
	if q.IsCustom() {
		return q.From, q.To
	}
	start, end, _ = q.Period.Bounds(today)
	return start, end
}

// Label describes q's period for the header: "LAST_MONTH
// 2026-10-01..2026-10-31", or just the dates for a custom range.
func (q Query) Label(today api.Date) string {
	start, end := q.Bounds(today)
	dates := start.String() + ".." + end.String()
	if q.IsCustom() {
		return dates
	}
	return string(q.Period) + " " + dates
}

// CommandLine renders the usagetop invocation that opens this same query,
// shell-quoted, for copying. It holds no secret: credentials never travel
// in flags.
func (q Query) CommandLine() string {
	args := []string{"usagetop"}
	group := q.GroupID
	if group == "" {
		group = q.GroupName
	}
	if group != "" {
		args = append(args, "--group", ShellQuote(group))
	}
	if q.IsCustom() {
		args = append(args, "--from", q.From.String(), "--to", q.To.String())
	} else {
		args = append(args, "--period", ShellQuote(string(q.Period)))
	}
	if q.Aggregation != "" {
		args = append(args, "--aggregation", ShellQuote(string(q.Aggregation)))
	}
	if q.Category != "" {
		args = append(args, "--category", ShellQuote(q.Category))
	}
	return strings.Join(args, " ")
}

// ShellQuote returns s as one POSIX shell word: unchanged when it holds
// only characters no shell treats specially, else single-quoted. Every
// command line or fix usagetop prints for pasting goes through it.
func ShellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("_-.,:/@%+=", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
