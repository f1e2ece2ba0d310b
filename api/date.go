package api

import (
	"fmt"
	"time"
)

// Date is a UTC calendar day, stored as days since 1970-01-01 so a record
// holds it in four bytes and day arithmetic is integer arithmetic.
// The zero Date (1970-01-01) means "not set" in requests.
type Date int32

// DateLayout is the wire form of a Date.
const DateLayout = "2006-01-02"

// ParseDate parses YYYY-MM-DD strictly: 2026-02-30 is an error, not March 2.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 {
		return 0, fmt.Errorf("%q is not a date in YYYY-MM-DD form", s)
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a valid date (YYYY-MM-DD)", s)
	}
	return DateOf(t), nil
}

// DateOf returns the UTC day that holds t.
func DateOf(t time.Time) Date {
	t = t.UTC()
	y, m, d := t.Date()
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// NewDate builds a Date from its parts; out-of-range parts normalise as in time.Date.
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	// Hand-rolled because exports format hundreds of thousands of dates.
	y, m, dd := d.Time().Date()
	var b [10]byte
	b[0] = byte('0' + y/1000%10)
	b[1] = byte('0' + y/100%10)
	b[2] = byte('0' + y/10%10)
	b[3] = byte('0' + y%10)
	b[4] = '-'
	b[5] = byte('0' + int(m)/10)
	b[6] = byte('0' + int(m)%10)
	b[7] = '-'
	b[8] = byte('0' + dd/10)
	b[9] = byte('0' + dd%10)
	return string(b[:])
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == 0 }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return time.Weekday((int(d)%7 + 7 + 4) % 7) } // 1970-01-01 was a Thursday

// Parts returns the calendar year, month and day of d.
func (d Date) Parts() (year int, month time.Month, day int) { return d.Time().Date() }

// MonthStart returns the first day of d's month.
func (d Date) MonthStart() Date {
	y, m, _ := d.Parts()
	return NewDate(y, m, 1)
}

// MonthEnd returns the last day of d's month.
func (d Date) MonthEnd() Date {
	y, m, _ := d.Parts()
	return NewDate(y, m+1, 1) - 1
}

// DaysInclusive returns the number of days from a through b, both included.
func DaysInclusive(a, b Date) int { return int(b-a) + 1 }

// Day returns the day of the month (1..31).
func (d Date) Day() int {
	_, _, day := d.Parts()
	return day
}
