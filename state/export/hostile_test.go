package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// hostileServer is a loopback Billing Usage API whose records endpoint
// answers the n-th request (from 1) with pages(n): a page body given as
// its records' JSON and its nextToken's raw JSON.
func hostileServer(t *testing.T, pages func(n int) (records []string, next string)) *api.Client {
	t.Helper()
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v2/token" {
			io.WriteString(w, `{"access_token":"hostile-token","token_type":"Bearer","expires_in":3600}`)
			return
		}
		n++
		recs, next := pages(n)
		fmt.Fprintf(w, `{"asOf":"2025-03-31","records":[%s],"meta":{"key":"items","nextToken":%s}}`, strings.Join(recs, ","), next)
	}))
	t.Cleanup(srv.Close)
	c, err := api.New(api.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/v2/token", ClientID: "id", ClientSecret: "secret", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// hostileRec is a record of March 2025 with the given text fields.
func hostileRec(day int, name, category, unit, price, currency string) string {
	d := api.NewDate(2025, 3, 1).AddDays(day)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return fmt.Sprintf(`{"productName":%s,"productCategory":%s,"startDate":"%s","endDate":"%s","usage":{"amount":"1","unit":%s},"price":{"amount":%s,"currency":%s}}`,
		q(name), q(category), d, d, q(unit), price, q(currency))
}

// loadLikeExport pages the query into a store as `usagetop export` does.
func loadLikeExport(c *api.Client) (*state.Store, error) {
	q := state.Query{GroupID: "commerce_billingprofile_0123456789abcdef", From: api.NewDate(2025, 3, 1), To: api.NewDate(2025, 3, 31)}
	store := state.NewStore(q, 1, q.From, q.To)
	token := ""
	err := c.FetchAll(context.Background(), q.Request(1000), func(p *api.Page) error {
		store.Append(token, p)
		token = p.NextToken
		return nil
	})
	return store, err
}

// TestHostileServerEndToEnd runs the export's load and CSV writers against
// a server that sends formulas as names (issue 14, item 1), repeats
// records on a later page (item 3), then keeps offering empty pages with
// fresh tokens (item 2): the CSV is spreadsheet-safe, the repeated records
// are dropped and counted, and the store stays partial (item 4).
func TestHostileServerEndToEnd(t *testing.T) {
	evil := `=HYPERLINK("http://evil","x")`
	page1 := []string{
		hostileRec(0, evil, "@SUM(A1)", "+cmd", "-12.50", "USD"),
		hostileRec(0, "SMS", "sms", "segments", "1.25", "USD"),
		hostileRec(1, "SMS", "sms", "segments", "2.25", "USD"),
	}
	c := hostileServer(t, func(n int) ([]string, string) {
		switch n {
		case 1:
			return page1, `"p2"`
		case 2: // two of page 1 again, one new
			return append(page1[1:3:3], hostileRec(2, "SMS", "sms", "segments", "3.25", "USD")), `"p3"`
		}
		return nil, fmt.Sprintf(`"fresh-%d"`, n)
	})
	store, err := loadLikeExport(c)
	if !errors.Is(err, api.ErrPartial) {
		t.Fatalf("load error %v; want the data said to be partial", err)
	}
	if store.Done() || !store.Partial() || store.Len() != 4 || store.Duplicates() != 2 {
		t.Errorf("done %v, partial %v, %d records, %d duplicates; want partial, 4 records, 2 duplicates",
			store.Done(), store.Partial(), store.Len(), store.Duplicates())
	}
	if got := store.Totals(); len(got) != 1 || got[0].Cost.String() != "-5.75" {
		t.Errorf("totals %v; want USD -5.75 (-12.50 + 1.25 + 2.25 + 3.25, the repeats not summed)", got)
	}
	var buf bytes.Buffer
	if err := WriteRecords(&buf, FormatCSV, store); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var evilRow []string
	for _, r := range rows {
		if strings.Contains(r[2], "HYPERLINK") {
			evilRow = r
		}
	}
	want := []string{"'" + evil, "'@SUM(A1)", "1", "'+cmd", "-12.5", "USD"}
	if evilRow == nil || strings.Join(evilRow[2:], "|") != strings.Join(want, "|") {
		t.Errorf("hostile row %q; want %q after the dates", evilRow, want)
	}
	buf.Reset()
	if err := WriteProducts(&buf, FormatCSV, rowsOf(store)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\"'"+strings.ReplaceAll(evil, `"`, `""`)+"\"") || strings.Contains(buf.String(), ",\"=HYPERLINK") {
		t.Errorf("products CSV does not neutralise the name:\n%s", buf.String())
	}
}

// TestHostileServerCurrencyAndRange: a currency that is not a code is a
// decode error naming the record and field (item 1); September asked,
// October answered is an error naming the record and the range (item 10).
// Either way the store keeps what came before and stays partial.
func TestHostileServerCurrencyAndRange(t *testing.T) {
	for _, tc := range []struct {
		name string
		bad  string
		want []string
	}{
		{"formula currency", hostileRec(3, "SMS", "sms", "u", "1", "=1+1"), []string{"record 1", "price.currency", "=1+1"}},
		{"out of range", strings.ReplaceAll(hostileRec(0, "SMS", "sms", "u", "1", "USD"), "2025-03-01", "2025-04-01"),
			[]string{"record 1", "2025-04-01", "2025-03-01..2025-03-31", "partial"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := hostileServer(t, func(n int) ([]string, string) {
				if n == 1 {
					return []string{hostileRec(0, "SMS", "sms", "u", "1", "USD")}, `"p2"`
				}
				return []string{hostileRec(2, "SMS", "sms", "u", "1", "USD"), tc.bad}, `null`
			})
			store, err := loadLikeExport(c)
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v does not say %q", err, w)
				}
			}
			if store.Len() != 1 || store.Done() {
				t.Errorf("%d records, done %v; want page 1's record, not done", store.Len(), store.Done())
			}
		})
	}
}
