package fakeapi

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api"
)

const datasetJSON = `{
  "asOf": "2026-02-03",
  "groups": [
    {"id": "commerce_billingprofile_test1", "name": "Test One", "records": [
      {"productName": "B-Product", "productCategory": "sms-outbound", "startDate": "2026-01-31", "endDate": "2026-01-31",
       "usage": {"amount": "10", "unit": "segments"}, "price": {"amount": 0.079, "currency": "USD"}},
      {"productName": "A-Product\u001b]0;pwned\u0007", "productCategory": "verify", "startDate": "2026-01-31", "endDate": "2026-01-31",
       "usage": {"amount": "1.5", "unit": "verifications"}, "price": {"amount": "0.075", "currency": "USD"}},
      {"productName": "B-Product", "productCategory": "sms-outbound", "startDate": "2026-02-01", "endDate": "2026-02-01",
       "usage": {"amount": "3", "unit": "segments"}, "price": {"amount": 0.0237, "currency": "USD"}},
      {"productName": "B-Product", "productCategory": "sms-outbound", "startDate": "2026-01-30", "endDate": "2026-01-30",
       "usage": {"amount": "7", "unit": "segments"}, "price": {"amount": 0.0553, "currency": "USD"}},
      {"productName": "C-Euro", "productCategory": "sms-outbound", "startDate": "2026-02-02", "endDate": "2026-02-02",
       "usage": {"amount": "100", "unit": "segments"}, "price": {"amount": 7.1, "currency": "EUR"}}
    ]},
    {"id": "commerce_billingprofile_empty", "name": "Empty", "currency": "GBP", "records": []}
  ]
}`

func TestDatasetServed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.json")
	if err := os.WriteFile(path, []byte(datasetJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	ds, err := LoadDataset(path)
	if err != nil {
		t.Fatal(err)
	}
	run := start(t, Options{Dataset: ds})
	if run.Server.Generator() != nil {
		t.Error("a dataset server has a generator")
	}
	groups := run.Server.Groups()
	if len(groups) != 2 || groups[0] != (Group{"commerce_billingprofile_test1", "Test One", "USD"}) || groups[1].Currency != "GBP" {
		t.Errorf("groups %+v", groups)
	}
	tok := login(t, run)
	lines, pages := fetchAll(t, run, tok, "commerce_billingprofile_test1", map[string]any{"startDate": "2026-01-01", "endDate": "2026-02-28", "pageSize": 2})
	want := []string{
		"2026-01-30|2026-01-30|B-Product|sms-outbound|7|segments|0.0553|USD",
		"2026-01-31|2026-01-31|A-Product\x1b]0;pwned\x07|verify|1.5|verifications|0.075|USD",
		"2026-01-31|2026-01-31|B-Product|sms-outbound|10|segments|0.079|USD",
		"2026-02-01|2026-02-01|B-Product|sms-outbound|3|segments|0.0237|USD",
		"2026-02-02|2026-02-02|C-Euro|sms-outbound|100|segments|7.1|EUR",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("daily:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if pages[0].AsOf != "2026-02-03" {
		t.Errorf("asOf %s", pages[0].AsOf)
	}
	lines, _ = fetchAll(t, run, tok, "commerce_billingprofile_test1", map[string]any{"startDate": "2026-01-31", "endDate": "2026-02-15", "aggregationPeriod": "MONTHLY", "productCategory": "sms-outbound"})
	want = []string{
		"2026-01-31|2026-01-31|B-Product|sms-outbound|10|segments|0.079|USD",
		"2026-02-01|2026-02-15|B-Product|sms-outbound|3|segments|0.0237|USD",
		"2026-02-01|2026-02-15|C-Euro|sms-outbound|100|segments|7.1|EUR",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("monthly:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	p := decodePage(t, post(t, run, tok, "commerce_billingprofile_empty", `{"timePeriod":"THIS_YEAR"}`))
	if len(p.Records) != 0 || p.nextToken() != "" {
		t.Errorf("empty group: %d records", len(p.Records))
	}
	if res := post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"THIS_YEAR"}`); res.status != http.StatusNotFound {
		t.Errorf("a demo group on a dataset server: status %d, want 404", res.status)
	}
}

func TestDatasetMonthlySums(t *testing.T) {
	recs := []api.Record{}
	for d := api.NewDate(2026, 1, 1); d <= api.NewDate(2026, 2, 28); d++ {
		recs = append(recs, api.Record{StartDate: d, EndDate: d, ProductName: "P", ProductCategory: "c",
			Usage: api.Usage{Amount: api.DecimalOf(dec("1.1")), Unit: "u"}, Price: api.Price{Amount: api.DecimalOf(dec("0.0001")), Currency: "USD"}})
	}
	ds, err := NewDataset(api.NewDate(2026, 2, 28), []DatasetGroup{{ID: "commerce_billingprofile_x", Name: "X", Records: recs}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := ds.Records("commerce_billingprofile_x", api.NewDate(2026, 1, 10), api.NewDate(2026, 2, 28), api.Monthly, "")
	want := []string{
		"2026-01-10|2026-01-31|P|c|24.2|u|0.0022|USD",
		"2026-02-01|2026-02-28|P|c|30.8|u|0.0028|USD",
	}
	if strings.Join(recordLines(got), "\n") != strings.Join(want, "\n") {
		t.Errorf("monthly %v, want %v", recordLines(got), want)
	}
}

func TestDatasetRejects(t *testing.T) {
	rec := `{"productName":"P","productCategory":"c","startDate":"2026-01-01","endDate":"2026-01-01","usage":{"amount":"1","unit":"u"},"price":{"amount":1,"currency":"USD"}}`
	tests := map[string]string{
		"bad asOf":         `{"asOf":"2026-02-30","groups":[]}`,
		"bad id":           `{"asOf":"2026-02-03","groups":[{"id":"AC123","name":"x","records":[]}]}`,
		"duplicate id":     `{"asOf":"2026-02-03","groups":[{"id":"commerce_billingprofile_a","records":[]},{"id":"commerce_billingprofile_a","records":[]}]}`,
		"monthly record":   `{"asOf":"2026-02-03","groups":[{"id":"commerce_billingprofile_a","records":[` + strings.Replace(rec, `"endDate":"2026-01-01"`, `"endDate":"2026-01-31"`, 1) + `]}]}`,
		"duplicate record": `{"asOf":"2026-02-03","groups":[{"id":"commerce_billingprofile_a","records":[` + rec + `,` + rec + `]}]}`,
		"bad date":         `{"asOf":"2026-02-03","groups":[{"id":"commerce_billingprofile_a","records":[` + strings.Replace(rec, `"startDate":"2026-01-01"`, `"startDate":"01/01/2026"`, 1) + `]}]}`,
		"no currency":      `{"asOf":"2026-02-03","groups":[{"id":"commerce_billingprofile_a","records":[` + strings.Replace(rec, `"currency":"USD"`, `"currency":""`, 1) + `]}]}`,
		"unknown field":    `{"asOf":"2026-02-03","groupz":[]}`,
		"not JSON":         `asOf: 2026-02-03`,
	}
	for name, body := range tests {
		if _, err := ParseDataset([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := LoadDataset(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file accepted")
	}
}

func FuzzParseDataset(f *testing.F) {
	f.Add([]byte(datasetJSON))
	f.Add([]byte(`{"asOf":"2026-02-03","groups":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ParseDataset(b)
		if err != nil {
			return
		}
		for _, g := range ds.Groups() {
			for _, agg := range []api.Aggregation{api.Daily, api.Monthly} {
				if _, ok := ds.Records(g.ID, ds.AsOf()-400, ds.AsOf()+400, agg, ""); !ok {
					t.Fatalf("group %s listed but unknown", g.ID)
				}
			}
		}
	})
}
