package state

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// stDate parses a test date or fails the test.
func stDate(t testing.TB, s string) api.Date {
	t.Helper()
	d, err := api.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// stDec parses a decimal literal or panics (test tables only).
func stDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// stGenOpts shapes synthetic DAILY usage.
type stGenOpts struct {
	products   int
	days       int
	start      api.Date
	seed       uint64
	currencies []string // cycled across products; a product with index%7==3 bills in two
	skipRate   float64  // chance a product has no usage on a day
}

var stUnits = []string{"segments", "messages", "minutes", "numbers", "requests"}
var stCategories = []string{"sms", "mms", "voice", "phone-numbers", "verify", "lookup", "whatsapp", "sip"}

// stGen returns DAILY records ordered by date, then product name, as the
// API sends them: usage a decimal string, prices at four decimals.
func stGen(o stGenOpts) []api.Record {
	if len(o.currencies) == 0 {
		o.currencies = []string{"USD"}
	}
	rng := rand.New(rand.NewPCG(o.seed, o.seed^0x9e3779b97f4a7c15))
	type prod struct {
		name, cat, unit, cur string
		rate                 decimal.Decimal
		base                 int64
	}
	prods := make([]prod, o.products)
	for i := range prods {
		cat := stCategories[i%len(stCategories)]
		prods[i] = prod{
			name: fmt.Sprintf("Product %03d %s-%s", i, strings.ToUpper(cat[:1]), cat),
			cat:  cat,
			unit: stUnits[i%len(stUnits)],
			cur:  o.currencies[i%len(o.currencies)],
			rate: decimal.New(int64(10+rng.IntN(9990)), -5), // 0.0001..0.09999
			base: int64(1 + rng.IntN(100000)),
		}
	}
	slices.SortFunc(prods, func(a, b prod) int { return strings.Compare(a.name, b.name) })
	out := make([]api.Record, 0, o.products*o.days)
	for d := 0; d < o.days; d++ {
		date := o.start.AddDays(d)
		for i, p := range prods {
			if rng.Float64() < o.skipRate {
				continue
			}
			n := p.base + int64(rng.IntN(int(p.base)+1))
			usage := decimal.New(n, 0)
			if i%5 == 1 {
				usage = decimal.New(n*10+int64(rng.IntN(10)), -1) // fractional minutes
			}
			price := usage.Mul(p.rate).Round(4)
			cur := p.cur
			if i%7 == 3 && len(o.currencies) > 1 && d%2 == 1 {
				cur = o.currencies[(i+1)%len(o.currencies)]
			}
			out = append(out, api.Record{
				StartDate: date, EndDate: date,
				ProductName: p.name, ProductCategory: p.cat,
				Usage: api.Usage{Amount: api.DecimalOf(usage), Unit: p.unit},
				Price: api.Price{Amount: api.DecimalOf(price), Currency: cur},
			})
		}
	}
	return out
}

// stMonthly aggregates DAILY records into MONTHLY ones clipped to
// start..end, ordered by date then product, as the API would.
func stMonthly(recs []api.Record, start, end api.Date) []api.Record {
	type key struct {
		month             api.Date
		name, cat, u, cur string
	}
	sums := map[key]*api.Record{}
	var keys []key
	for _, r := range recs {
		k := key{r.StartDate.MonthStart(), r.ProductName, r.ProductCategory, r.Usage.Unit, r.Price.Currency}
		m, ok := sums[k]
		if !ok {
			m = &api.Record{
				StartDate: max(k.month, start), EndDate: min(k.month.MonthEnd(), end),
				ProductName: r.ProductName, ProductCategory: r.ProductCategory,
				Usage: api.Usage{Unit: r.Usage.Unit}, Price: api.Price{Currency: r.Price.Currency},
			}
			sums[k] = m
			keys = append(keys, k)
		}
		m.Usage.Amount = api.DecimalOf(m.Usage.Amount.Decimal().Add(r.Usage.Amount.Decimal()))
		m.Price.Amount = api.DecimalOf(m.Price.Amount.Decimal().Add(r.Price.Amount.Decimal()))
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		if a.month != b.month {
			return int(a.month - b.month)
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]api.Record, len(keys))
	for i, k := range keys {
		out[i] = *sums[k]
	}
	return out
}

// stPage is one page and the token it was fetched with.
type stPage struct {
	token string
	page  *api.Page
}

// stPaginate splits recs into pages at the given cut points (record
// indices), minting tokens as the API would.
func stPaginate(recs []api.Record, cuts []int, asOf api.Date) []stPage {
	var out []stPage
	prev, token := 0, ""
	cuts = append(slices.Clone(cuts), len(recs))
	for i, c := range cuts {
		c = max(prev, min(c, len(recs)))
		next := ""
		if i < len(cuts)-1 {
			next = fmt.Sprintf("tok-%d", i+1)
		}
		out = append(out, stPage{token: token, page: &api.Page{AsOf: asOf, Records: recs[prev:c], NextToken: next}})
		prev, token = c, next
	}
	return out
}

// stEvery returns cut points every size records.
func stEvery(n, size int) []int {
	var cuts []int
	for c := size; c < n; c += size {
		cuts = append(cuts, c)
	}
	return cuts
}

// stLoad builds a store over start..end and appends recs in pages of size.
func stLoad(t testing.TB, q Query, start, end api.Date, recs []api.Record, size int) *Store {
	t.Helper()
	s := NewStore(q, 1, start, end)
	for _, p := range stPaginate(recs, stEvery(len(recs), size), end) {
		if !s.Append(p.token, p.page) {
			t.Fatalf("page %q was refused", p.token)
		}
	}
	if !s.Done() {
		t.Fatal("store not done after the last page")
	}
	return s
}
