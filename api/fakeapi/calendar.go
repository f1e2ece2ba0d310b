package fakeapi

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// The calendar generator is a second, labelled source of daily usage for
// judging the anomaly detector on what real Billing Group usage does over
// a year: public holidays of the group's country, month-end and
// quarter-end batches, charges on a fixed day of the month, fees on the
// 1st and 15th, steps, launches (some below the money floor), slow drift,
// weekly-pattern changes, outages and spikes, on products of every size
// and noise. Unlike the demo Generator it is built once, in memory: a
// year of two groups is a few hundred thousand values. Every level, date
// and share is drawn from the seed, so each seed is a different year.

// CalendarShape names what a labelled event is.
type CalendarShape string

// Shapes of labelled events. ShapeHoliday is group-level; the others
// belong to one product.
const (
	ShapeHoliday CalendarShape = "holiday"
	ShapeSpike   CalendarShape = "spike"
	ShapeStop    CalendarShape = "stop"
	ShapeStep    CalendarShape = "step"
	ShapeLaunch  CalendarShape = "new"
	ShapeDrift   CalendarShape = "drift"
	ShapeWeekly  CalendarShape = "pattern"
)

// Recurring charges a product may carry. They are the product's normal,
// never an event: a detector that flags them raises a false alarm.
const (
	RecurMonthEnd   = "month-end batch"
	RecurQuarterEnd = "quarter-end batch"
	RecurFixedDay   = "day-of-month batch"
	RecurFee        = "monthly fee"
)

// CalendarEvent is one labelled event: what a detector should report.
type CalendarEvent struct {
	// Product is empty for a group-level event.
	Product    string
	Shape      CalendarShape
	Start, End api.Date
	Note       string
}

// CalendarProduct is one product's daily cost from CalendarYear.Start.
type CalendarProduct struct {
	Name, Category, Unit string
	// Cost and Usage hold one value per day from CalendarYear.Start; a
	// zero cost is a day without a record.
	Cost, Usage []decimal.Decimal
	// Recurs names the recurring charge the product carries, if any.
	Recurs string
}

// CalendarGroup is one billing group of a CalendarYear.
type CalendarGroup struct {
	ID, Name, Currency string
	// Country is "US" or "GB": whose public holidays the group keeps.
	Country  string
	Holidays []CalendarHoliday // observed from Start to To
	Products []CalendarProduct
	// Events are the labelled events from From to To: one per holiday
	// (group level) and the product events.
	Events []CalendarEvent
}

// CalendarYear is a labelled year of usage for two groups, one in USD
// (US holidays) and one in GBP (UK bank holidays).
type CalendarYear struct {
	// Start is the first day with data: CalendarHistoryDays before From,
	// so a detector has the history its rules need.
	Start api.Date
	// From and To bound the labelled year (365 days).
	From, To api.Date
	Groups   []CalendarGroup
}

// CalendarHistoryDays is how much data precedes the labelled year.
const CalendarHistoryDays = 400

// NewCalendarYear builds the labelled year ending on to for seed.
func NewCalendarYear(seed uint64, to api.Date) *CalendarYear {
	y := &CalendarYear{To: to, From: to - 364}
	y.Start = y.From - CalendarHistoryDays
	r := newRNG(seed ^ 0xca1e)
	for i, def := range []struct{ name, currency, country string }{
		{"Acme US", "USD", "US"},
		{"Acme UK", "GBP", "GB"},
	} {
		id := fmt.Sprintf("commerce_billingprofile_cal%02d%016x", i, seed)
		y.Groups = append(y.Groups, newCalendarGroup(newRNG(r.next()), y, id, def.name, def.currency, def.country))
	}
	return y
}

// Days is the number of days of data per product.
func (y *CalendarYear) Days() int { return int(y.To-y.Start) + 1 }

// Dataset returns the year as daily records, for a Server to serve.
func (y *CalendarYear) Dataset() (*Dataset, error) {
	groups := make([]DatasetGroup, len(y.Groups))
	for gi, g := range y.Groups {
		dg := DatasetGroup{ID: g.ID, Name: g.Name, Currency: g.Currency}
		for _, p := range g.Products {
			for k, c := range p.Cost {
				if c.IsZero() {
					continue
				}
				d := y.Start + api.Date(k)
				dg.Records = append(dg.Records, api.Record{ProductName: p.Name, ProductCategory: p.Category,
					StartDate: d, EndDate: d, Usage: api.Usage{Amount: api.DecimalOf(p.Usage[k]), Unit: p.Unit},
					Price: api.Price{Amount: api.DecimalOf(c), Currency: g.Currency}})
			}
		}
		groups[gi] = dg
	}
	return NewDataset(y.To, groups)
}

// WriteDataset writes the year as the JSON file LoadDataset reads, so
// `usagetop fakeapi --data FILE` can serve it.
func (y *CalendarYear) WriteDataset(w io.Writer) error {
	type price struct {
		Amount   decimal.Decimal `json:"amount"`
		Currency string          `json:"currency"`
	}
	type usage struct {
		Amount decimal.Decimal `json:"amount"`
		Unit   string          `json:"unit"`
	}
	type record struct {
		ProductName     string `json:"productName"`
		ProductCategory string `json:"productCategory"`
		StartDate       string `json:"startDate"`
		EndDate         string `json:"endDate"`
		Usage           usage  `json:"usage"`
		Price           price  `json:"price"`
	}
	type group struct {
		ID       string   `json:"id"`
		Name     string   `json:"name"`
		Currency string   `json:"currency"`
		Records  []record `json:"records"`
	}
	out := struct {
		AsOf   string  `json:"asOf"`
		Groups []group `json:"groups"`
	}{AsOf: y.To.String()}
	for _, g := range y.Groups {
		gr := group{ID: g.ID, Name: g.Name, Currency: g.Currency}
		for k := range y.Days() {
			d := (y.Start + api.Date(k)).String()
			for _, p := range g.Products {
				if p.Cost[k].IsZero() {
					continue
				}
				gr.Records = append(gr.Records, record{ProductName: p.Name, ProductCategory: p.Category, StartDate: d, EndDate: d,
					Usage: usage{p.Usage[k], p.Unit}, Price: price{p.Cost[k], g.Currency}})
			}
		}
		out.Groups = append(out.Groups, gr)
	}
	return json.NewEncoder(w).Encode(out)
}

// calProduct is a product's plan before its days are drawn.
type calProduct struct {
	name, category, unit string
	price                float64 // per unit
	level                float64 // weekday cost per day at To
	growth               float64 // log per day
	noise                float64 // log-scale sd of day-to-day noise
	week                 [7]float64
	holiday              float64 // factor on a public holiday
	sparse               float64 // >0: the share of days it is used at all
	launch, stop         api.Date
	recurs               string
	recurDay             int     // for RecurFixedDay and RecurFee
	recurSize            float64 // the batch or fee, in money
	feeOnly              bool
	ev                   *calEvent
}

// calEvent is a product event's plan.
type calEvent struct {
	shape      CalendarShape
	start, end api.Date // end: last affected day (spike, stop), or the label's end
	factor     float64  // spike, step, stop (0), or the weekend's new factor
	rate       float64  // drift, log per day
}

// calendarBases are product families: category, unit and price per unit.
var calendarBases = []struct {
	name, category, unit string
	price                float64
}{
	{"SMS Outbound", "sms-outbound", "segments", 0.0079},
	{"SMS Inbound", "sms-inbound", "segments", 0.0079},
	{"MMS Outbound", "mms-outbound", "messages", 0.02},
	{"Voice Outbound", "voice-outbound", "minutes", 0.014},
	{"Voice Inbound", "voice-inbound", "minutes", 0.0085},
	{"SIP Trunking", "sip-trunking", "minutes", 0.0045},
	{"Verify SMS", "verify-sms", "verifications", 0.05},
	{"Lookup Carrier", "lookup", "requests", 0.005},
	{"Conversations", "conversations", "users", 0.05},
	{"WhatsApp Business", "whatsapp", "conversations", 0.0147},
	{"Recording Storage", "recordings", "minutes", 0.0005},
	{"Transcription", "transcriptions", "minutes", 0.05},
}

func newCalendarGroup(r *rng, y *CalendarYear, id, name, currency, country string) CalendarGroup {
	g := CalendarGroup{ID: id, Name: name, Currency: currency, Country: country,
		Holidays: calendarHolidays(country, y.Start, y.To)}
	n := 70 + r.intn(90)
	affected := r.between(0.7, 0.9)
	var ps []*calProduct
	for k := range n {
		b := calendarBases[r.intn(len(calendarBases))]
		p := &calProduct{name: fmt.Sprintf("%s %s-%03d", b.name, country, k), category: b.category, unit: b.unit, price: b.price}
		p.level = r.logBetween(0.4, 6000)
		p.growth = r.between(-0.4, 0.6) / 365
		p.noise = r.logBetween(0.03, 0.3)
		business := r.chance(0.7)
		sat, sun := r.between(0.85, 1.1), r.between(0.8, 1.05)
		if business {
			sat, sun = r.between(0.2, 0.6), r.between(0.15, 0.5)
		}
		for wd := range p.week {
			p.week[wd] = r.between(0.92, 1.08)
		}
		p.week[6], p.week[0] = sat, sun
		p.holiday = r.between(0.95, 1.05)
		if r.chance(affected) {
			p.holiday = r.between(0.2, 0.6)
		}
		switch x := r.float(); {
		case x < 0.12: // used on few days: ~10 to ~100 rows a year
			p.sparse = r.between(0.03, 0.3)
			p.level = r.logBetween(2, 200)
		case x < 0.17:
			p.recurs = RecurMonthEnd
			p.recurSize = p.level * r.between(1.5, 5)
		case x < 0.21:
			p.recurs = RecurQuarterEnd
			p.recurSize = p.level * r.between(4, 12)
		case x < 0.24:
			p.recurs, p.recurDay = RecurFixedDay, 2+r.intn(26)
			p.recurSize = p.level * r.between(1.5, 4)
		case x < 0.30:
			p.recurs, p.recurDay = RecurFee, 1
			if r.chance(0.4) {
				p.recurDay = 15
			}
			p.recurSize = math.Round(r.logBetween(10, 2000))
			p.feeOnly = r.chance(0.5)
			p.name = fmt.Sprintf("Phone Numbers %s-%03d", country, k)
			p.category, p.unit, p.price = "phonenumbers", "numbers", 1.15
		}
		ps = append(ps, p)
	}
	planCalendarEvents(r, y, ps)
	for _, p := range ps {
		g.Products = append(g.Products, p.draw(y, g.Holidays))
		if e := p.ev; e != nil {
			end := e.end
			if e.shape == ShapeDrift {
				// A drift shows once the level has moved from its level of
				// weeks before, which may be after the move itself ends.
				end += 28
			}
			g.Events = append(g.Events, CalendarEvent{Product: p.name, Shape: e.shape, Start: e.start, End: end, Note: e.note(p)})
		}
	}
	for _, h := range g.Holidays {
		if h.Date >= y.From {
			g.Events = append(g.Events, CalendarEvent{Shape: ShapeHoliday, Start: h.Date, End: h.Date, Note: h.Name})
		}
	}
	slices.SortFunc(g.Events, func(a, b CalendarEvent) int { return int(a.Start - b.Start) })
	return g
}

// note describes an event for a test's log.
func (e *calEvent) note(p *calProduct) string {
	switch e.shape {
	case ShapeDrift:
		return fmt.Sprintf("%+.1f%%/day from $%.0f/day", 100*(math.Exp(e.rate)-1), p.level)
	case ShapeWeekly:
		return fmt.Sprintf("weekend x%.2f -> x%.2f of $%.0f/day", p.week[6], e.factor, p.level)
	}
	return fmt.Sprintf("x%.2f of $%.0f/day, noise %.2f", e.factor, p.level, p.noise)
}

// planCalendarEvents gives some of the dense products one event each
// within the labelled year, away from holidays' edges of the data.
func planCalendarEvents(r *rng, y *CalendarYear, ps []*calProduct) {
	plan := []struct {
		shape CalendarShape
		n     int
	}{{ShapeSpike, 5}, {ShapeStop, 4}, {ShapeStep, 5}, {ShapeLaunch, 4}, {ShapeDrift, 3}, {ShapeWeekly, 3}}
	order := r.perm(len(ps))
	next := 0
	pick := func(ok func(*calProduct) bool) *calProduct {
		for ; next < len(order); next++ {
			p := ps[order[next]]
			if p.sparse == 0 && p.recurs == "" && p.ev == nil && p.level*p.week[3] >= 25 && ok(p) {
				next++
				return p
			}
		}
		return nil
	}
	any := func(*calProduct) bool { return true }
	for _, pl := range plan {
		for range pl.n {
			e := &calEvent{shape: pl.shape}
			ok := any
			switch pl.shape {
			case ShapeStep, ShapeDrift:
				ok = func(p *calProduct) bool { return p.noise < 0.2 }
			case ShapeWeekly:
				ok = func(p *calProduct) bool { return p.week[6] < 0.6 && p.noise < 0.15 }
			}
			p := pick(ok)
			if p == nil {
				continue
			}
			switch pl.shape {
			case ShapeSpike:
				e.start = y.From + api.Date(10+r.intn(340))
				e.end = e.start + api.Date(r.intn(2))
				e.factor = r.between(4, 12) * math.Exp(3*p.noise)
			case ShapeStop:
				e.start = y.From + api.Date(10+r.intn(340))
				e.end = e.start + api.Date(r.intn(4))
				if r.chance(0.25) {
					e.end = y.To
				}
			case ShapeStep:
				e.start = y.From + api.Date(10+r.intn(330))
				e.end = e.start + 6
				e.factor = r.between(1.8, 3)
				if r.chance(0.4) {
					e.factor = r.between(0.3, 0.5)
				}
			case ShapeLaunch:
				e.start = y.From + api.Date(10+r.intn(330))
				e.end = e.start + 3
				e.factor = 1
				if r.chance(0.5) {
					e.factor = 0.02 // ramps up from below the money floor
				}
				p.launch = e.start
			case ShapeDrift:
				e.start = y.From + api.Date(10+r.intn(260))
				// Enough that the level is plainly 40% off its level of
				// four to eight weeks before, up or down.
				e.rate = r.between(0.012, 0.02)
				if r.chance(0.3) {
					e.rate = -r.between(0.015, 0.02)
				}
				e.end = e.start + api.Date(45+r.intn(35))
			case ShapeWeekly:
				e.start = y.From + api.Date(10+r.intn(330))
				for e.start.Weekday() != 6 {
					e.start++
				}
				e.end = e.start + 1
				e.factor = r.between(0.95, 1.1)
			}
			p.ev = e
		}
	}
}

// perm returns a random permutation of [0, n).
func (r *rng) perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		j := r.intn(i + 1)
		p[i], p[j] = p[j], i
	}
	return p
}
