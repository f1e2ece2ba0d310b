package fakeapi

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
)

func TestPagingReturnsEveryRecordOnce(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	gen := run.Server.Generator()
	from, to := api.NewDate(2025, 9, 15), testToday
	for _, agg := range []api.Aggregation{api.Daily, api.Monthly} {
		got, pages := fetchAll(t, run, tok, DemoGroupAcmeUK, map[string]any{
			"startDate": from.String(), "endDate": to.String(), "aggregationPeriod": string(agg), "pageSize": 997,
		})
		recs, _ := gen.Records(DemoGroupAcmeUK, from, to, agg, "")
		if want := recordLines(recs); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: paged %d records, generator %d; they differ", agg, len(got), len(want))
		}
		for i, p := range pages {
			if p.AsOf != testToday.String() {
				t.Errorf("page %d asOf %q", i, p.AsOf)
			}
			if string(p.Meta["key"]) != `"items"` || string(p.Meta["pageSize"]) != "997" {
				t.Errorf("page %d meta %v", i, p.Meta)
			}
			if prev := string(p.Meta["previousToken"]); (i == 0) != (prev == "null") {
				t.Errorf("page %d previousToken %s", i, prev)
			}
		}
	}
}

func TestDefaultPageSizeAndPreviousToken(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	first := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"LAST_MONTH"}`))
	if len(first.Records) != 20 || string(first.Meta["pageSize"]) != "20" {
		t.Fatalf("first page: %d records, meta %v; want the default 20", len(first.Records), first.Meta)
	}
	second := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"LAST_MONTH","pageToken":"`+first.nextToken()+`"}`))
	var prev string
	if err := json.Unmarshal(second.Meta["previousToken"], &prev); err != nil || prev == "" {
		t.Fatalf("second page previousToken %s", second.Meta["previousToken"])
	}
	again := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"LAST_MONTH","pageToken":"`+prev+`"}`))
	if strings.Join(again.lines(), "\n") != strings.Join(first.lines(), "\n") {
		t.Error("previousToken of page 2 does not give page 1 again")
	}
	if strings.Join(second.lines(), "\n") == strings.Join(first.lines(), "\n") {
		t.Error("page 2 repeats page 1")
	}
}

func TestPageTokenShape(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	p := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, `{"startDate":"2026-01-05","endDate":"2026-02-10","pageSize":5}`))
	raw, err := base64.StdEncoding.DecodeString(p.nextToken())
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	if fields["startOn"] != "2026-01-05" || fields["endOn"] != "2026-02-10" || fields["page"] != 1.0 || fields["pageSize"] != 5.0 {
		t.Errorf("token %s: want the docs' startOn, endOn, page, pageSize", raw)
	}
}

func TestExactlyFullLastPageIsFollowedByAnEmptyPage(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	recs, _ := run.Server.Generator().Records(DemoGroupGlobex, testToday-1, testToday-1, api.Daily, "")
	if len(recs) < 2 || len(recs) > 1000 {
		t.Fatalf("%d records on one day", len(recs))
	}
	fields := map[string]any{"timePeriod": "YESTERDAY", "pageSize": len(recs)}
	lines, pages := fetchAll(t, run, tok, DemoGroupGlobex, fields)
	if len(pages) != 2 || len(pages[0].Records) != len(recs) || len(pages[1].Records) != 0 || len(lines) != len(recs) {
		t.Fatalf("%d pages (%d records): want one full page, then an empty one", len(pages), len(lines))
	}
	if string(pages[1].Meta["previousToken"]) == "null" {
		t.Error("the empty page has no previousToken")
	}
}

func TestLastPageEndsInEveryWay(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	seen := map[string]bool{}
	for size := 1; size <= 30 && len(seen) < 3; size++ {
		body := `{"startDate":"2026-03-01","endDate":"2026-03-02","pageSize":` + strconv.Itoa(900+size) + `}`
		p := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, body))
		raw, ok := p.Meta["nextToken"]
		switch {
		case !ok:
			seen["absent"] = true
		case string(raw) == "null":
			seen["null"] = true
		case string(raw) == `""`:
			seen["empty"] = true
		default:
			t.Fatalf("%s: last page has nextToken %s", body, raw)
		}
	}
	if len(seen) != 3 {
		t.Errorf("last pages seen: %v; want null, empty and absent all to occur", seen)
	}
}

func TestPageTokenNeedsTheSameRequest(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	first := `{"startDate":"2026-01-01","endDate":"2026-01-31","productCategory":"sms-outbound","aggregationPeriod":"DAILY","pageSize":10}`
	next := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, first)).nextToken()
	if next == "" {
		t.Fatal("no second page")
	}
	with := func(body string) string { return strings.TrimSuffix(body, "}") + `,"pageToken":"` + next + `"}` }
	if res := post(t, run, tok, DemoGroupAcmeUS, with(first)); res.status != http.StatusOK {
		t.Fatalf("same request: %d %s", res.status, res.body)
	}
	for name, body := range map[string]string{
		"other category":    `{"startDate":"2026-01-01","endDate":"2026-01-31","productCategory":"verify","aggregationPeriod":"DAILY","pageSize":10}`,
		"no category":       `{"startDate":"2026-01-01","endDate":"2026-01-31","aggregationPeriod":"DAILY","pageSize":10}`,
		"other aggregation": `{"startDate":"2026-01-01","endDate":"2026-01-31","productCategory":"sms-outbound","aggregationPeriod":"MONTHLY","pageSize":10}`,
		"other page size":   `{"startDate":"2026-01-01","endDate":"2026-01-31","productCategory":"sms-outbound","aggregationPeriod":"DAILY","pageSize":11}`,
		"default page size": `{"startDate":"2026-01-01","endDate":"2026-01-31","productCategory":"sms-outbound","aggregationPeriod":"DAILY"}`,
		"other end":         `{"startDate":"2026-01-01","endDate":"2026-01-30","productCategory":"sms-outbound","aggregationPeriod":"DAILY","pageSize":10}`,
		"period for dates":  `{"timePeriod":"LAST_MONTH","productCategory":"sms-outbound","aggregationPeriod":"DAILY","pageSize":10}`,
	} {
		t.Run(name, func(t *testing.T) {
			assertProblem(t, post(t, run, tok, DemoGroupAcmeUS, with(body)), http.StatusBadRequest, "pageToken")
		})
	}
	t.Run("other group", func(t *testing.T) {
		assertProblem(t, post(t, run, tok, DemoGroupGlobex, with(first)), http.StatusBadRequest, "pageToken")
	})
}

func TestTamperedPageTokens(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	body := `{"timePeriod":"LAST_MONTH","pageSize":10}`
	next := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, body)).nextToken()
	raw, _ := base64.StdEncoding.DecodeString(next)
	edited := base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), `"page":1`, `"page":5`, 1)))
	other := start(t, Options{Seed: 2})
	foreign := decodePage(t, post(t, other, login(t, other), DemoGroupAcmeUS, body)).nextToken()
	for name, token := range map[string]string{
		"edited page":       edited,
		"truncated":         next[:len(next)/2],
		"another server's":  foreign,
		"not base64":        "!!!",
		"base64 of nothing": base64.StdEncoding.EncodeToString([]byte(`{"startOn":"2026-02-01","endOn":"2026-02-28","page":1,"pageSize":10}`)),
	} {
		t.Run(name, func(t *testing.T) {
			res := post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"LAST_MONTH","pageSize":10,"pageToken":"`+token+`"}`)
			assertProblem(t, res, http.StatusBadRequest, "pageToken")
		})
	}
	// A URL-safe re-encoding of a genuine token is still that token.
	urlSafe := base64.RawURLEncoding.EncodeToString(raw)
	if res := post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"LAST_MONTH","pageSize":10,"pageToken":"`+urlSafe+`"}`); res.status != http.StatusOK {
		t.Errorf("URL-safe token: %d %s", res.status, res.body)
	}
}

func TestPagingAcrossMidnightKeepsItsDates(t *testing.T) {
	clk := newClock()
	run := start(t, Options{Now: clk.Now})
	tok := login(t, run)
	first := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"YESTERDAY","pageSize":5}`))
	clk.Advance(24 * time.Hour)
	tok = login(t, run)
	second := decodePage(t, post(t, run, tok, DemoGroupAcmeUS, `{"timePeriod":"YESTERDAY","pageSize":5,"pageToken":"`+first.nextToken()+`"}`))
	for _, r := range append(first.Records, second.Records...) {
		if r.StartDate != "2026-03-13" {
			t.Fatalf("record dated %s: the token should pin the first page's YESTERDAY", r.StartDate)
		}
	}
}

func TestCategoryFilter(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	lines, _ := fetchAll(t, run, tok, DemoGroupGlobex, map[string]any{"timePeriod": "LAST_MONTH", "productCategory": "verify", "pageSize": 100})
	recs, _ := run.Server.Generator().Records(DemoGroupGlobex, api.NewDate(2026, 2, 1), api.NewDate(2026, 2, 28), api.Daily, "verify")
	if len(lines) == 0 || strings.Join(lines, "\n") != strings.Join(recordLines(recs), "\n") {
		t.Fatalf("verify: %d records paged, %d generated", len(lines), len(recs))
	}
	for _, l := range lines {
		if strings.Split(l, "|")[3] != "verify" {
			t.Fatalf("record %s is not in category verify", l)
		}
	}
	p := decodePage(t, post(t, run, tok, DemoGroupGlobex, `{"timePeriod":"LAST_MONTH","productCategory":"no-such-category"}`))
	if len(p.Records) != 0 || p.nextToken() != "" {
		t.Errorf("unknown category: %d records, next %q; want an empty last page", len(p.Records), p.nextToken())
	}
}

func TestTimePeriodBounds(t *testing.T) {
	run := start(t, Options{}) // today is 2026-03-14
	tok := login(t, run)
	tests := []struct {
		period string
		months []string // start..end of each MONTHLY record's range
	}{
		{"YESTERDAY", []string{"2026-03-13..2026-03-13"}},
		{"THIS_MONTH", []string{"2026-03-01..2026-03-14"}},
		{"LAST_MONTH", []string{"2026-02-01..2026-02-28"}},
		{"THIS_YEAR", []string{"2026-01-01..2026-01-31", "2026-02-01..2026-02-28", "2026-03-01..2026-03-14"}},
	}
	for _, tt := range tests {
		lines, _ := fetchAll(t, run, tok, DemoGroupAcmeUS, map[string]any{"timePeriod": tt.period, "aggregationPeriod": "MONTHLY", "pageSize": 1000})
		ranges := map[string]bool{}
		for _, l := range lines {
			f := strings.Split(l, "|")
			ranges[f[0]+".."+f[1]] = true
		}
		if len(ranges) != len(tt.months) {
			t.Errorf("%s: ranges %v, want %v", tt.period, ranges, tt.months)
		}
		for _, m := range tt.months {
			if !ranges[m] {
				t.Errorf("%s: no record over %s (got %v)", tt.period, m, ranges)
			}
		}
	}
}

func TestAmountsOnTheWire(t *testing.T) {
	run := start(t, Options{})
	tok := login(t, run)
	res := post(t, run, tok, DemoGroupAcmeUK, `{"timePeriod":"LAST_MONTH","pageSize":1000}`)
	var raw struct {
		Records []struct {
			Usage struct{ Amount json.RawMessage } `json:"usage"`
			Price struct{ Amount json.RawMessage } `json:"price"`
		} `json:"records"`
	}
	if err := json.Unmarshal(res.body, &raw); err != nil || len(raw.Records) == 0 {
		t.Fatalf("%v, %d records", err, len(raw.Records))
	}
	fractional := false
	for _, r := range raw.Records {
		if r.Usage.Amount[0] != '"' {
			t.Fatalf("usage.amount %s is not a string", r.Usage.Amount)
		}
		p := string(r.Price.Amount)
		if p[0] == '"' || strings.ContainsAny(p, "eE") {
			t.Fatalf("price.amount %s is not a plain JSON number", p)
		}
		if _, frac, ok := strings.Cut(p, "."); ok {
			fractional = true
			if len(frac) > 4 || strings.HasSuffix(frac, "0") {
				t.Fatalf("price.amount %s: want at most 4 decimals, no trailing zeros", p)
			}
		}
	}
	if !fractional {
		t.Error("no fractional prices")
	}
}
