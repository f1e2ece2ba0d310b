package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// Dataset is a fixed set of daily records served instead of the demo
// generator, for tests that need particular data (odd product names,
// several currencies in one group, exact amounts).
type Dataset struct {
	asOf   api.Date
	groups []datasetGroup
}

// DatasetGroup is one billing group of a Dataset. Records are DAILY
// (StartDate == EndDate), at most one per product and day.
type DatasetGroup struct {
	ID       string
	Name     string
	Currency string // optional; defaults to the first record's currency
	Records  []api.Record
}

type datasetGroup struct {
	Group
	records []api.Record // ordered by date, then product name
}

// NewDataset builds a Dataset in memory; asOf is its freshness watermark.
func NewDataset(asOf api.Date, groups []DatasetGroup) (*Dataset, error) {
	d := &Dataset{asOf: asOf}
	seen := map[string]bool{}
	for gi, g := range groups {
		if err := validGroupID(g.ID); err != nil {
			return nil, fmt.Errorf("dataset group %d: %s", gi, err.detail)
		}
		if seen[g.ID] {
			return nil, fmt.Errorf("dataset group %d: id %s given twice", gi, g.ID)
		}
		seen[g.ID] = true
		recs := append([]api.Record(nil), g.Records...)
		days := map[string]bool{}
		for i, r := range recs {
			switch {
			case r.StartDate != r.EndDate:
				return nil, fmt.Errorf("dataset group %s record %d: startDate %s and endDate %s differ; give daily records", g.ID, i, r.StartDate, r.EndDate)
			case r.ProductName == "":
				return nil, fmt.Errorf("dataset group %s record %d: no productName", g.ID, i)
			case r.Price.Currency == "":
				return nil, fmt.Errorf("dataset group %s record %d: no price currency", g.ID, i)
			case !sane(r.Usage.Amount.Decimal()) || !sane(r.Price.Amount.Decimal()):
				return nil, fmt.Errorf("dataset group %s record %d: amount %s / %s is out of range", g.ID, i, r.Usage.Amount, r.Price.Amount)
			}
			k := r.StartDate.String() + "\x00" + r.ProductName
			if days[k] {
				return nil, fmt.Errorf("dataset group %s record %d: a second record for %s on %s", g.ID, i, r.ProductName, r.StartDate)
			}
			days[k] = true
		}
		sort.SliceStable(recs, func(a, b int) bool {
			if recs[a].StartDate != recs[b].StartDate {
				return recs[a].StartDate < recs[b].StartDate
			}
			return recs[a].ProductName < recs[b].ProductName
		})
		cur := g.Currency
		if cur == "" && len(recs) > 0 {
			cur = recs[0].Price.Currency
		}
		d.groups = append(d.groups, datasetGroup{Group: Group{ID: g.ID, Name: g.Name, Currency: cur}, records: recs})
	}
	return d, nil
}

// sane bounds an amount's digits and exponent: summing 1e999999999 and
// 0.01 exactly would need a billion digits.
func sane(d decimal.Decimal) bool {
	return d.Exponent() >= -18 && d.Exponent() <= 18 && d.NumDigits() <= 40
}

// datasetFile is the JSON file LoadDataset reads: records in the API's
// record shape (price.amount a number or a decimal string).
type datasetFile struct {
	AsOf   string `json:"asOf"`
	Groups []struct {
		ID       string       `json:"id"`
		Name     string       `json:"name"`
		Currency string       `json:"currency"`
		Records  []fileRecord `json:"records"`
	} `json:"groups"`
}

type fileRecord struct {
	ProductName     string `json:"productName"`
	ProductCategory string `json:"productCategory"`
	StartDate       string `json:"startDate"`
	EndDate         string `json:"endDate"`
	Usage           struct {
		Amount decimal.Decimal `json:"amount"`
		Unit   string          `json:"unit"`
	} `json:"usage"`
	Price struct {
		Amount   decimal.Decimal `json:"amount"`
		Currency string          `json:"currency"`
	} `json:"price"`
}

// LoadDataset reads a dataset from a JSON file:
//
//	{"asOf": "2025-01-31", "groups": [{"id": "commerce_billingprofile_...",
//	  "name": "...", "currency": "USD", "records": [ ...API record shape... ]}]}
func LoadDataset(path string) (*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, err := ParseDataset(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// ParseDataset reads a dataset from the JSON LoadDataset describes.
func ParseDataset(b []byte) (*Dataset, error) {
	var f datasetFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	asOf, err := api.ParseDate(f.AsOf)
	if err != nil {
		return nil, fmt.Errorf("dataset asOf: %w", err)
	}
	groups := make([]DatasetGroup, len(f.Groups))
	for gi, g := range f.Groups {
		groups[gi] = DatasetGroup{ID: g.ID, Name: g.Name, Currency: g.Currency}
		for i, r := range g.Records {
			start, err := api.ParseDate(r.StartDate)
			if err != nil {
				return nil, fmt.Errorf("dataset group %d record %d startDate: %w", gi, i, err)
			}
			end, err := api.ParseDate(r.EndDate)
			if err != nil {
				return nil, fmt.Errorf("dataset group %d record %d endDate: %w", gi, i, err)
			}
			groups[gi].Records = append(groups[gi].Records, api.Record{
				StartDate: start, EndDate: end,
				ProductName: r.ProductName, ProductCategory: r.ProductCategory,
				Usage: api.Usage{Amount: api.DecimalOf(r.Usage.Amount), Unit: r.Usage.Unit},
				Price: api.Price{Amount: api.DecimalOf(r.Price.Amount), Currency: r.Price.Currency},
			})
		}
	}
	return NewDataset(asOf, groups)
}

// Groups lists the dataset's billing groups.
func (d *Dataset) Groups() []Group {
	out := make([]Group, len(d.groups))
	for i, g := range d.groups {
		out[i] = g.Group
	}
	return out
}

// AsOf is the dataset's freshness watermark.
func (d *Dataset) AsOf() api.Date { return d.asOf }

// Records returns groupID's records over start..end for one category
// (empty: all), DAILY as stored or MONTHLY summed per product per calendar
// month clipped to start..end (per currency, should a product be billed in
// two). Ordered by date, then product name; false for an unknown group.
func (d *Dataset) Records(groupID string, start, end api.Date, agg api.Aggregation, category string) ([]api.Record, bool) {
	var g *datasetGroup
	for i := range d.groups {
		if d.groups[i].ID == groupID {
			g = &d.groups[i]
		}
	}
	if g == nil {
		return nil, false
	}
	lo := sort.Search(len(g.records), func(i int) bool { return g.records[i].StartDate >= start })
	out := []api.Record{}
	for _, r := range g.records[lo:] {
		if r.StartDate > end {
			break
		}
		if category == "" || r.ProductCategory == category {
			out = append(out, r)
		}
	}
	if agg != api.Monthly {
		return out, true
	}
	return sumMonths(out, start, end), true
}

// sumMonths folds daily records (ordered by date) into one per product,
// unit and currency per calendar month, clipped to start..end.
func sumMonths(daily []api.Record, start, end api.Date) []api.Record {
	var out []api.Record
	for i := 0; i < len(daily); {
		ms := daily[i].StartDate.MonthStart()
		j := i
		for j < len(daily) && daily[j].StartDate.MonthStart() == ms {
			j++
		}
		type key struct{ name, unit, currency string }
		idx := map[key]int{}
		first := len(out)
		for _, r := range daily[i:j] {
			k := key{r.ProductName, r.Usage.Unit, r.Price.Currency}
			if n, ok := idx[k]; ok {
				out[n].Usage.Amount = api.DecimalOf(out[n].Usage.Amount.Decimal().Add(r.Usage.Amount.Decimal()))
				out[n].Price.Amount = api.DecimalOf(out[n].Price.Amount.Decimal().Add(r.Price.Amount.Decimal()))
				continue
			}
			idx[k] = len(out)
			r.StartDate, r.EndDate = max(ms, start), min(ms.MonthEnd(), end)
			out = append(out, r)
		}
		month := out[first:]
		sort.SliceStable(month, func(a, b int) bool { return month[a].ProductName < month[b].ProductName })
		i = j
	}
	if out == nil {
		out = []api.Record{}
	}
	return out
}
