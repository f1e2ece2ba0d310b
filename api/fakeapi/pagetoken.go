package fakeapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"

	"github.com/usagetop/usagetop/api"
)

// Page tokens are base64 of {"startOn","endOn","page","pageSize"}, the
// shape of the docs' examples, plus two fields of ours: "query", a hash of
// every other field of the first request (so a next-page request that
// changes any of them is refused), and "sig", an HMAC over all the rest (so
// an edited token is refused). A token also pins the dates a timePeriod
// resolved to on the first page, so paging across midnight stays one query.

// wireToken is a page token's JSON.
type wireToken struct {
	StartOn  string `json:"startOn"`
	EndOn    string `json:"endOn"`
	Page     int    `json:"page"`
	PageSize int    `json:"pageSize"`
	Query    string `json:"query"`
	Sig      string `json:"sig"`
}

// fingerprint hashes the fields a next-page request must repeat exactly.
func (q *query) fingerprint() string {
	h := sha256.New()
	for _, s := range []string{q.groupID, string(q.period), q.category, string(q.agg), strconv.Itoa(q.pageSize)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if q.period == "" {
		h.Write([]byte(q.start.String() + q.end.String()))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// sign computes a token's signature over everything but itself.
func (s *Server) sign(t wireToken) string {
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write([]byte(t.StartOn + "|" + t.EndOn + "|" + strconv.Itoa(t.Page) + "|" + strconv.Itoa(t.PageSize) + "|" + t.Query))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// mintPageToken returns the token for page of the query q over start..end.
func (s *Server) mintPageToken(q *query, start, end api.Date, page int) string {
	t := wireToken{StartOn: start.String(), EndOn: end.String(), Page: page, PageSize: q.pageSize, Query: q.fingerprint()}
	t.Sig = s.sign(t)
	b, _ := json.Marshal(t)
	return base64.StdEncoding.EncodeToString(b)
}

// openPageToken checks a token against the request carrying it and returns
// the page and the dates it continues.
func (s *Server) openPageToken(q *query) (start, end api.Date, page int, err *fieldError) {
	raw := decodeBase64(q.token)
	if raw == nil {
		return 0, 0, 0, badField(fieldToken, "not a page token this server issued (it does not decode)")
	}
	var t wireToken
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if dec.Decode(&t) != nil || dec.More() {
		return 0, 0, 0, badField(fieldToken, "not a page token this server issued (it does not decode)")
	}
	if !hmac.Equal([]byte(t.Sig), []byte(s.sign(t))) {
		return 0, 0, 0, badField(fieldToken, "the page token was altered or issued by another server")
	}
	if t.Query != q.fingerprint() || t.PageSize != q.pageSize {
		return 0, 0, 0, badField(fieldToken, "the page token belongs to a different request; send every other field exactly as in the first request")
	}
	var e1, e2 error
	start, e1 = api.ParseDate(t.StartOn)
	end, e2 = api.ParseDate(t.EndOn)
	if e1 != nil || e2 != nil || t.Page < 0 {
		return 0, 0, 0, badField(fieldToken, "the page token is not valid")
	}
	return start, end, t.Page, nil
}

// decodeBase64 accepts standard or URL-safe base64, padded or not, since
// clients may re-encode a token they were handed; nil if none fits.
func decodeBase64(s string) []byte {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b
		}
	}
	return nil
}
