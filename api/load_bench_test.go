package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkLoadPath measures the whole load path as a user meets it: a
// loopback server that takes latency per page (the API's round trip),
// FetchAll over pages of 500 or 1000 DAILY records, decoding and the
// paging guard included. It reports the time per page and records per
// second; set against BenchmarkDecodePage, it shows how much of a load
// the decoder is. The server answers from prebuilt bodies, so only the
// client's work and the latency are timed.
func BenchmarkLoadPath(b *testing.B) {
	const pages = 5
	for _, latency := range []time.Duration{0, 100 * time.Millisecond} {
		for _, size := range []int{500, 1000} {
			b.Run(fmt.Sprintf("latency=%s/page=%d", latency, size), func(b *testing.B) {
				bodies := make([]string, pages)
				for i := range bodies {
					next := "null"
					if i < pages-1 {
						next = strconv.Quote("p" + strconv.Itoa(i+1))
					}
					bodies[i] = strings.Replace(string(benchPageAt(size, i*size)), `"nextToken":"eyJzdGFydE9uIjoiMjAyNS0wMS0wMSJ9"`, `"nextToken":`+next, 1)
				}
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/v2/token" {
						w.Header().Set("Content-Type", "application/json")
						fmt.Fprint(w, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`)
						return
					}
					var req wireRequest
					_ = jsonDecode(r, &req)
					n, _ := strconv.Atoi(strings.TrimPrefix(req.PageToken, "p"))
					time.Sleep(latency)
					w.Header().Set("Content-Type", "application/json")
					w.Header().Set("Content-Length", strconv.Itoa(len(bodies[n])))
					fmt.Fprint(w, bodies[n])
				}))
				defer srv.Close()
				c, err := New(Config{BaseURL: srv.URL, TokenURL: srv.URL + "/v2/token", ClientID: "id", ClientSecret: "secret"})
				if err != nil {
					b.Fatal(err)
				}
				start := NewDate(2025, 1, 1)
				req := RecordsRequest{GroupID: tsGroup, StartDate: start, EndDate: start.AddDays(364), Aggregation: Daily, PageSize: size}
				b.ReportAllocs()
				for b.Loop() {
					got := 0
					err := c.FetchAll(context.Background(), req, func(p *Page) error { got += len(p.Records); return nil })
					if err != nil || got != pages*size {
						b.Fatalf("%d records, %v", got, err)
					}
				}
				perPage := b.Elapsed() / time.Duration(b.N*pages)
				b.ReportMetric(float64(perPage.Microseconds())/1000, "ms/page")
				b.ReportMetric(float64(b.N*pages*size)/b.Elapsed().Seconds(), "records/s")
			})
		}
	}
}

func jsonDecode(r *http.Request, v any) error { return json.NewDecoder(r.Body).Decode(v) }
