package fakeapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/usagetop/usagetop/api"
)

// Records paths: the documented one and the one a third-party listing shows.
var recordsPrefixes = []string{"/v2/Usage/BillingGroups/", "/v2/Public/Usage/BillingGroups/"}

const recordsSuffix = "/Records"

// recordsGroupID returns the billing group id of a records path.
func recordsGroupID(path string) (string, bool) {
	for _, p := range recordsPrefixes {
		if rest, ok := strings.CutPrefix(path, p); ok {
			id, ok := strings.CutSuffix(rest, recordsSuffix)
			if ok && !strings.Contains(id, "/") {
				return id, true
			}
		}
	}
	return "", false
}

// wireRecord is a record as the API writes it. price.amount is a JSON
// number written from the decimal's exact digits, never through float64.
type wireRecord struct {
	ProductName     string    `json:"productName"`
	ProductCategory string    `json:"productCategory"`
	StartDate       string    `json:"startDate"`
	EndDate         string    `json:"endDate"`
	Usage           wireUsage `json:"usage"`
	Price           wirePrice `json:"price"`
}

type wireUsage struct {
	Amount string `json:"amount"`
	Unit   string `json:"unit"`
}

type wirePrice struct {
	Amount   json.Number `json:"amount"`
	Currency string      `json:"currency"`
}

// wireMeta is the page metadata. NextToken is raw so the last page can say
// null, "" or nothing at all.
type wireMeta struct {
	Key           string          `json:"key"`
	PageSize      int             `json:"pageSize"`
	PreviousToken *string         `json:"previousToken"`
	NextToken     json.RawMessage `json:"nextToken,omitempty"`
}

type wirePage struct {
	AsOf    string       `json:"asOf"`
	Records []wireRecord `json:"records"`
	Meta    wireMeta     `json:"meta"`
}

// serveRecords answers one records request, POST or GET, on either path.
func (s *Server) serveRecords(w http.ResponseWriter, r *http.Request, groupID string) {
	s.mu.Lock()
	s.stats.RecordsRequests++
	n := s.stats.RecordsRequests
	s.mu.Unlock()
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		writeClassic(w, http.StatusMethodNotAllowed, codeMethod, "method %s not allowed on %s; use POST", r.Method, r.URL.Path)
		return
	}
	f := s.opts.Faults
	switch {
	case f.Every429 > 0 && n%f.Every429 == 0:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		writeUserError(w, http.StatusTooManyRequests, codeTooMany, "Too many requests", nil)
		return
	case f.Every503 > 0 && n%f.Every503 == 0:
		writeUnavailable(w)
		return
	}
	client, ok := s.authorize(w, r)
	if !ok {
		return
	}
	if s.opts.NoPermission[client] {
		writeUserError(w, http.StatusForbidden, codeNoPermission,
			"the access token lacks the permission "+permissionBilling,
			map[string]string{"permission": permissionBilling})
		return
	}
	if err := validGroupID(groupID); err != nil {
		writeProblem(w, err)
		return
	}
	if !s.hasGroup(groupID) {
		writeClassic(w, http.StatusNotFound, codeNotFound, "The requested resource %s was not found", r.URL.Path)
		return
	}
	raw, ferr := parseQuery(w, r)
	if ferr != nil {
		writeProblem(w, ferr)
		return
	}
	q, ferr := raw.validate(groupID, api.DateOf(s.opts.Now()))
	if ferr != nil {
		writeProblem(w, ferr)
		return
	}
	start, end, page := q.start, q.end, 0
	if q.token != "" {
		if start, end, page, ferr = s.openPageToken(&q); ferr != nil {
			writeProblem(w, ferr)
			return
		}
	}
	recs := s.records(groupID, start, end, q.agg, q.category)
	body := s.encodePage(&q, start, end, page, recs)
	if f.MalformedEvery > 0 && n%f.MalformedEvery == 0 {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// encodePage writes page of recs. A full page always carries a next token,
// so when the records end exactly on a page boundary the next page is
// empty: clients must stop on an empty last page too.
func (s *Server) encodePage(q *query, start, end api.Date, page int, recs []api.Record) []byte {
	from := min(page*q.pageSize, len(recs))
	to := min(from+q.pageSize, len(recs))
	out := wirePage{
		AsOf:    s.src.AsOf().String(),
		Records: make([]wireRecord, 0, to-from),
		Meta:    wireMeta{Key: "items", PageSize: q.pageSize},
	}
	for _, rec := range recs[from:to] {
		out.Records = append(out.Records, wireRecord{
			ProductName:     rec.ProductName,
			ProductCategory: rec.ProductCategory,
			StartDate:       rec.StartDate.String(),
			EndDate:         rec.EndDate.String(),
			Usage:           wireUsage{Amount: rec.Usage.Amount.String(), Unit: rec.Usage.Unit},
			Price:           wirePrice{Amount: json.Number(rec.Price.Amount.String()), Currency: rec.Price.Currency},
		})
	}
	if page > 0 {
		prev := s.mintPageToken(q, start, end, page-1)
		out.Meta.PreviousToken = &prev
	}
	if to-from == q.pageSize {
		next, _ := json.Marshal(s.mintPageToken(q, start, end, page+1))
		out.Meta.NextToken = next
	} else {
		out.Meta.NextToken = lastPageToken(q)
	}
	body, _ := json.Marshal(out)
	return body
}

// lastPageToken varies how the last page says so (null, "" or no field),
// deterministically per query, so clients meet all three.
func lastPageToken(q *query) json.RawMessage {
	switch q.fingerprint()[0] % 3 {
	case 0:
		return json.RawMessage("null")
	case 1:
		return json.RawMessage(`""`)
	}
	return nil
}

// sleep waits d or until ctx ends; false if the request went away.
func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
