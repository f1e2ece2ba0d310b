package fakeapi

import (
	"time"

	"github.com/usagetop/usagetop/api"
)

// CalendarHoliday is a public holiday as observed (moved off a weekend as
// the country does), on which most of a group's business traffic dips.
type CalendarHoliday struct {
	Name string
	Date api.Date
}

// calendarHolidays returns the public holidays of country ("US" or "GB")
// observed in [from, to], oldest first.
func calendarHolidays(country string, from, to api.Date) []CalendarHoliday {
	fromY, _, _ := from.Parts()
	toY, _, _ := to.Parts()
	var out []CalendarHoliday
	for y := fromY; y <= toY; y++ {
		var hs []CalendarHoliday
		if country == "GB" {
			hs = ukHolidays(y)
		} else {
			hs = usHolidays(y)
		}
		for _, h := range hs {
			if h.Date >= from && h.Date <= to {
				out = append(out, h)
			}
		}
	}
	return out
}

// usHolidays are the US federal holidays of year y, a Saturday observed
// on the Friday before and a Sunday on the Monday after.
func usHolidays(y int) []CalendarHoliday {
	observed := func(d api.Date) api.Date {
		switch d.Weekday() {
		case time.Saturday:
			return d - 1
		case time.Sunday:
			return d + 1
		}
		return d
	}
	return []CalendarHoliday{
		{"New Year's Day", observed(api.NewDate(y, time.January, 1))},
		{"Martin Luther King Jr. Day", nthWeekday(y, time.January, time.Monday, 3)},
		{"Presidents' Day", nthWeekday(y, time.February, time.Monday, 3)},
		{"Memorial Day", lastWeekday(y, time.May, time.Monday)},
		{"Juneteenth", observed(api.NewDate(y, time.June, 19))},
		{"Independence Day", observed(api.NewDate(y, time.July, 4))},
		{"Labor Day", nthWeekday(y, time.September, time.Monday, 1)},
		{"Thanksgiving", nthWeekday(y, time.November, time.Thursday, 4)},
		{"Christmas Day", observed(api.NewDate(y, time.December, 25))},
	}
}

// ukHolidays are the bank holidays of England and Wales in year y, a
// weekend holiday substituted by the next free weekday.
func ukHolidays(y int) []CalendarHoliday {
	easter := easterSunday(y)
	xmas, boxing := api.NewDate(y, time.December, 25), api.NewDate(y, time.December, 26)
	switch xmas.Weekday() {
	case time.Friday: // Boxing Day on Saturday: Monday
		boxing += 2
	case time.Saturday:
		xmas, boxing = xmas+2, boxing+2
	case time.Sunday: // Boxing Day keeps Monday; Christmas moves to Tuesday
		xmas += 2
	}
	newYear := api.NewDate(y, time.January, 1)
	switch newYear.Weekday() {
	case time.Saturday:
		newYear += 2
	case time.Sunday:
		newYear++
	}
	return []CalendarHoliday{
		{"New Year's Day", newYear},
		{"Good Friday", easter - 2},
		{"Easter Monday", easter + 1},
		{"Early May bank holiday", nthWeekday(y, time.May, time.Monday, 1)},
		{"Spring bank holiday", lastWeekday(y, time.May, time.Monday)},
		{"Summer bank holiday", lastWeekday(y, time.August, time.Monday)},
		{"Christmas Day", xmas},
		{"Boxing Day", boxing},
	}
}

// nthWeekday is the n-th wd of month m in year y.
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) api.Date {
	d := api.NewDate(y, m, 1)
	d += api.Date((int(wd) - int(d.Weekday()) + 7) % 7)
	return d + api.Date(7*(n-1))
}

// lastWeekday is the last wd of month m in year y.
func lastWeekday(y int, m time.Month, wd time.Weekday) api.Date {
	d := api.NewDate(y, m, 1).MonthEnd()
	return d - api.Date((int(d.Weekday())-int(wd)+7)%7)
}

// easterSunday is Easter Sunday of year y (the anonymous Gregorian
// algorithm).
func easterSunday(y int) api.Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return api.NewDate(y, time.Month(month), day)
}
