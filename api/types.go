// Package api is the HTTP client for Twilio's Billing Usage API: the wire
// types, request validation, OAuth 2.0 client credentials, paging, retries
// and typed errors. It knows nothing of the terminal UI.
package api

// Aggregation is the aggregationPeriod of a records request.
type Aggregation string

// Aggregation values the API accepts.
const (
	Daily   Aggregation = "DAILY"
	Monthly Aggregation = "MONTHLY"
)

// Aggregations lists every valid Aggregation.
var Aggregations = []Aggregation{Daily, Monthly}

// String returns the wire form.
func (a Aggregation) String() string { return string(a) }

// TimePeriod is a named period preset (timePeriod).
type TimePeriod string

// TimePeriod values the API accepts.
const (
	Yesterday TimePeriod = "YESTERDAY"
	ThisMonth TimePeriod = "THIS_MONTH"
	LastMonth TimePeriod = "LAST_MONTH"
	ThisYear  TimePeriod = "THIS_YEAR"
)

// TimePeriods lists every valid TimePeriod.
var TimePeriods = []TimePeriod{Yesterday, ThisMonth, LastMonth, ThisYear}

// String returns the wire form.
func (p TimePeriod) String() string { return string(p) }

// Bounds returns the inclusive UTC dates a preset covers when today is
// today (API.md: YESTERDAY = D-1..D-1; THIS_MONTH = 1st..D; LAST_MONTH = the
// whole previous month; THIS_YEAR = Jan 1..D). ok is false for an unknown preset.
func (p TimePeriod) Bounds(today Date) (start, end Date, ok bool) {
	y, _, _ := today.Parts()
	switch p {
	case Yesterday:
		return today - 1, today - 1, true
	case ThisMonth:
		return today.MonthStart(), today, true
	case LastMonth:
		prev := today.MonthStart() - 1
		return prev.MonthStart(), prev, true
	case ThisYear:
		return NewDate(y, 1, 1), today, true
	}
	return 0, 0, false
}

// GroupIDPrefix starts every billing group id.
const GroupIDPrefix = "commerce_billingprofile_"

// MaxRangeDays is the longest range one request may cover, inclusive.
const MaxRangeDays = 365

// MaxPageSize is the largest pageSize the API accepts (chosen, API.md).
const MaxPageSize = 1000

// Record is one usage record: a product's usage and cost over a day
// (DAILY) or a month clipped to the range (MONTHLY).
type Record struct {
	StartDate       Date
	EndDate         Date
	ProductName     string
	ProductCategory string
	Usage           Usage
	Price           Price
}

// Usage is an amount of a product used, in its unit. Amount is exact.
type Usage struct {
	Amount Decimal
	Unit   string
}

// Price is what usage cost. Amount is exact: it never passes through float64.
type Price struct {
	Amount   Decimal
	Currency string
}

// Page is one page of records and the token that fetches the next one.
type Page struct {
	// AsOf is the freshness watermark: usage after it is not yet in.
	AsOf    Date
	Records []Record
	// NextToken is empty on the last page.
	NextToken string
	// Duplicates counts the records a Pager dropped from this page because
	// an earlier record was the same product on the same date; they are
	// reported, never summed.
	Duplicates int
}

// Done reports whether p is the last page.
func (p *Page) Done() bool { return p.NextToken == "" }
