package fakeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/usagetop/usagetop/api"
)

// defaultPageSize is the page size when a request gives none.
const defaultPageSize = 20

// maxBodyBytes caps a records request body.
const maxBodyBytes = 64 << 10

// Request field names, as on the wire.
const (
	fieldStart    = "startDate"
	fieldEnd      = "endDate"
	fieldPeriod   = "timePeriod"
	fieldCategory = "productCategory"
	fieldAgg      = "aggregationPeriod"
	fieldSize     = "pageSize"
	fieldToken    = "pageToken"
	fieldGroup    = "billingGroupId"
)

// rawQuery is a records request as sent, before validation. Absent fields,
// JSON nulls and empty strings are all "not given". Unknown fields are
// ignored, as API.md says the real service's responses are read: leniently.
type rawQuery struct {
	startDate, endDate, period, category, agg, token string
	pageSize                                         string // decimal digits, or empty
}

// parseQuery reads a request's fields: a JSON body for POST, query
// parameters for GET (and for a POST with no body at all).
func parseQuery(w http.ResponseWriter, r *http.Request) (rawQuery, *fieldError) {
	if r.Method == http.MethodGet || (r.ContentLength == 0 && r.Header.Get("Content-Type") == "") {
		return parseParams(r.URL.Query())
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return rawQuery{}, &fieldError{status: http.StatusUnsupportedMediaType, field: "Content-Type",
			detail: "send the request body as JSON with Content-Type application/json"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		return rawQuery{}, badField("body", "the request body could not be read or is over %d bytes", maxBodyBytes)
	}
	return parseJSON(body)
}

// parseParams reads query parameters; a field given twice is an error.
func parseParams(v url.Values) (rawQuery, *fieldError) {
	var q rawQuery
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{fieldStart, &q.startDate}, {fieldEnd, &q.endDate}, {fieldPeriod, &q.period},
		{fieldCategory, &q.category}, {fieldAgg, &q.agg}, {fieldToken, &q.token}, {fieldSize, &q.pageSize},
	} {
		vals := v[f.name]
		if len(vals) > 1 {
			return q, badField(f.name, "given %d times; give it once", len(vals))
		}
		if len(vals) == 1 {
			*f.dst = vals[0]
		}
	}
	if q.pageSize != "" {
		if _, err := strconv.Atoi(q.pageSize); err != nil {
			return q, badField(fieldSize, "%q is not an integer", q.pageSize)
		}
	}
	return q, nil
}

// parseJSON reads a JSON object body; each known field must have its type.
func parseJSON(body []byte) (rawQuery, *fieldError) {
	var q rawQuery
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return q, badField("body", "the request body is not a JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return q, badField("body", "the request body has data after its JSON object")
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{fieldStart, &q.startDate}, {fieldEnd, &q.endDate}, {fieldPeriod, &q.period},
		{fieldCategory, &q.category}, {fieldAgg, &q.agg}, {fieldToken, &q.token},
	} {
		raw, ok := obj[f.name]
		if !ok || string(raw) == "null" {
			continue
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return q, badField(f.name, "must be a string")
		}
	}
	if raw, ok := obj[fieldSize]; ok && string(raw) != "null" {
		if _, err := strconv.Atoi(string(raw)); err != nil {
			return q, badField(fieldSize, "must be an integer, not %s", truncate(string(raw), 40))
		}
		q.pageSize = string(raw)
	}
	return q, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// query is a validated records request.
type query struct {
	groupID    string
	period     api.TimePeriod // empty for a custom range
	start, end api.Date       // resolved bounds
	category   string
	agg        api.Aggregation
	pageSize   int
	token      string
}

// validate checks every field of q as API.md fixes them, with today as D
// for the period presets, and resolves the dates.
func (q rawQuery) validate(groupID string, today api.Date) (query, *fieldError) {
	out := query{groupID: groupID, category: q.category, token: q.token}
	hasDates := q.startDate != "" || q.endDate != ""
	switch {
	case q.period != "" && hasDates:
		return out, badField(fieldPeriod, "cannot be combined with startDate/endDate; give one or the other")
	case q.period != "":
		p := api.TimePeriod(q.period)
		start, end, ok := p.Bounds(today)
		if !ok {
			return out, badField(fieldPeriod, "unknown value %q; use YESTERDAY, THIS_MONTH, LAST_MONTH or THIS_YEAR", truncate(q.period, 40))
		}
		out.period, out.start, out.end = p, start, end
	case q.startDate == "":
		if q.endDate != "" {
			return out, badField(fieldStart, "required with endDate (YYYY-MM-DD)")
		}
		return out, badField(fieldPeriod, "give timePeriod, or startDate and endDate")
	case q.endDate == "":
		return out, badField(fieldEnd, "required with startDate (YYYY-MM-DD)")
	default:
		var err error
		if out.start, err = api.ParseDate(q.startDate); err != nil {
			return out, badField(fieldStart, "%q is not a valid date (YYYY-MM-DD)", truncate(q.startDate, 40))
		}
		if out.end, err = api.ParseDate(q.endDate); err != nil {
			return out, badField(fieldEnd, "%q is not a valid date (YYYY-MM-DD)", truncate(q.endDate, 40))
		}
		if out.end < out.start {
			return out, badField(fieldEnd, "%s is before startDate %s", out.end, out.start)
		}
		if n := api.DaysInclusive(out.start, out.end); n > api.MaxRangeDays {
			return out, badField(fieldEnd, "the range %s..%s is %d days; at most %d are allowed", out.start, out.end, n, api.MaxRangeDays)
		}
	}
	switch api.Aggregation(q.agg) {
	case "":
		out.agg = api.Daily // chosen default
	case api.Daily, api.Monthly:
		out.agg = api.Aggregation(q.agg)
	default:
		return out, badField(fieldAgg, "unknown value %q; use DAILY or MONTHLY", truncate(q.agg, 40))
	}
	out.pageSize = defaultPageSize
	if q.pageSize != "" {
		n, err := strconv.Atoi(q.pageSize)
		if err != nil || n < 1 || n > api.MaxPageSize {
			return out, badField(fieldSize, "%s is out of range; use 1 to %d", truncate(q.pageSize, 40), api.MaxPageSize)
		}
		out.pageSize = n
	}
	if strings.ContainsFunc(q.category, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return out, badField(fieldCategory, "holds control characters")
	}
	return out, nil
}

// validGroupID checks the shape of a billing group id in the path.
func validGroupID(id string) *fieldError {
	if !strings.HasPrefix(id, api.GroupIDPrefix) || len(id) == len(api.GroupIDPrefix) {
		return badField(fieldGroup, "%q is not a billing group id; ids start with %s", truncate(id, 60), api.GroupIDPrefix)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return badField(fieldGroup, "%q holds characters a billing group id cannot have", truncate(id, 60))
		}
	}
	return nil
}
