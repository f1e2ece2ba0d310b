package api

import (
	"fmt"
	"strings"
)

// RecordsRequest is one call to the records endpoint. Either Period or the
// StartDate/EndDate pair is set, never both.
type RecordsRequest struct {
	GroupID     string
	Period      TimePeriod // empty when a custom range is used
	StartDate   Date       // zero unless a custom range is used
	EndDate     Date
	Category    string // empty for every category
	Aggregation Aggregation
	PageSize    int    // zero for the server default
	PageToken   string // the previous page's NextToken; empty for the first page
}

// ValidationError says which request field is wrong and why. Nothing that
// fails validation is ever sent.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Reason }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ValidateGroupID checks the billing group id's shape.
func ValidateGroupID(id string) error {
	if id == "" {
		return invalid("billingGroupId", "no billing group given; pass --group with an id that starts with %s", GroupIDPrefix)
	}
	if !strings.HasPrefix(id, GroupIDPrefix) || len(id) == len(GroupIDPrefix) {
		return invalid("billingGroupId", "%q is not a billing group id; ids start with %s", id, GroupIDPrefix)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return invalid("billingGroupId", "%q holds characters a billing group id cannot have", id)
		}
	}
	return nil
}

// ValidateRange checks a custom date range: both ends set, start not after
// end, at most MaxRangeDays days inclusive.
func ValidateRange(start, end Date) error {
	switch {
	case start.IsZero():
		return invalid("startDate", "a custom range needs a start date (YYYY-MM-DD)")
	case end.IsZero():
		return invalid("endDate", "a custom range needs an end date (YYYY-MM-DD)")
	case end < start:
		return invalid("endDate", "end date %s is before start date %s", end, start)
	case DaysInclusive(start, end) > MaxRangeDays:
		return invalid("endDate", "range %s..%s is %d days; the API allows at most %d", start, end, DaysInclusive(start, end), MaxRangeDays)
	}
	return nil
}

// ParseTimePeriod parses a period preset name (case-insensitive).
func ParseTimePeriod(s string) (TimePeriod, error) {
	for _, p := range TimePeriods {
		if strings.EqualFold(s, string(p)) {
			return p, nil
		}
	}
	return "", invalid("timePeriod", "unknown period %q; use one of %s", s, joinPeriods())
}

// ParseAggregation parses DAILY or MONTHLY (case-insensitive).
func ParseAggregation(s string) (Aggregation, error) {
	for _, a := range Aggregations {
		if strings.EqualFold(s, string(a)) {
			return a, nil
		}
	}
	return "", invalid("aggregationPeriod", "unknown aggregation %q; use DAILY or MONTHLY", s)
}

func joinPeriods() string {
	names := make([]string, len(TimePeriods))
	for i, p := range TimePeriods {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// Validate checks every field the way the API would, so nothing invalid
// reaches the wire. The error is a *ValidationError naming the field.
func (r *RecordsRequest) Validate() error {
	if err := ValidateGroupID(r.GroupID); err != nil {
		return err
	}
	hasDates := !r.StartDate.IsZero() || !r.EndDate.IsZero()
	switch {
	case r.Period != "" && hasDates:
		return invalid("timePeriod", "a period (%s) and dates cannot be used together; give one or the other", r.Period)
	case r.Period != "":
		if _, err := ParseTimePeriod(string(r.Period)); err != nil || string(r.Period) != strings.ToUpper(string(r.Period)) {
			return invalid("timePeriod", "unknown period %q; use one of %s", r.Period, joinPeriods())
		}
	case hasDates:
		if err := ValidateRange(r.StartDate, r.EndDate); err != nil {
			return err
		}
	default:
		return invalid("timePeriod", "give a period (%s) or a start and end date", joinPeriods())
	}
	if r.Aggregation != "" && r.Aggregation != Daily && r.Aggregation != Monthly {
		return invalid("aggregationPeriod", "unknown aggregation %q; use DAILY or MONTHLY", r.Aggregation)
	}
	if r.PageSize < 0 || r.PageSize > MaxPageSize {
		return invalid("pageSize", "page size %d is out of range; use 1 to %d", r.PageSize, MaxPageSize)
	}
	if strings.ContainsAny(r.Category, "\x00\r\n") {
		return invalid("productCategory", "category %q holds control characters", r.Category)
	}
	return nil
}
