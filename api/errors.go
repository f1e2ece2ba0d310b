package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Twilio error codes the client gives advice for (API.md).
const (
	CodeValidation      = 20001 // a request field is invalid
	CodeUnauthenticated = 20003 // token missing or expired
	CodeNotFound        = 20404 // unknown billing group
	CodeTooManyRequests = 20429 // rate limited
	CodeNoPermission    = 70051 // the client lacks twilio/billing-insights/usage/read
	CodeNotEligible     = 71001 // the account may not use the Billing Usage API
)

// ErrMissingCredentials is wrapped by New's error when the client id or
// secret is not configured; the message says which and how to supply it.
var ErrMissingCredentials = errors.New("missing credentials")

// Error is a non-2xx answer from the records or token endpoint, whatever
// shape its body had. Its text comes from the server but is sanitised:
// no control characters, bounded length.
type Error struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the Twilio error code (20404, 70051, ...), 0 if none was given.
	Code int
	// Message is the server's explanation, or ours for the token endpoint.
	Message string
	// MoreInfo is a documentation URL from the body, if any.
	MoreInfo string
	// Body holds the first bytes of a body that was not JSON (a proxy's
	// HTML page), so the user sees what actually answered.
	Body string
	// RetryAfter is the server's Retry-After, zero if it sent none.
	RetryAfter time.Duration
	// TokenEndpoint is true when the error came from the OAuth token
	// endpoint rather than the records endpoint.
	TokenEndpoint bool
}

// Error reads like "404 Not Found: billing group not found (Twilio error
// 20404, https://www.twilio.com/docs/errors/20404)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	switch {
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.Body != "":
		b.WriteString(": " + strconv.Quote(e.Body))
	}
	if e.Code != 0 || e.MoreInfo != "" {
		b.WriteString(" (")
		if e.Code != 0 {
			b.WriteString("Twilio error " + strconv.Itoa(e.Code))
			if e.MoreInfo != "" {
				b.WriteString(", ")
			}
		}
		b.WriteString(e.MoreInfo + ")")
	}
	return b.String()
}

// Retryable reports whether asking again later may succeed: rate limiting
// (429) and server trouble (5xx).
func (e *Error) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500 && e.StatusCode <= 599
}

// Fatal reports whether neither retrying nor asking for another page can
// help: the credentials, the permission or the billing group is wrong, and
// the user must change configuration.
func (e *Error) Fatal() bool {
	if e.TokenEndpoint {
		return e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusTooManyRequests
	}
	switch e.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	}
	return false
}

// Hint says what the user can do about e, in one sentence, or "" when there
// is nothing better than the message.
func (e *Error) Hint() string {
	if e.TokenEndpoint {
		switch {
		case e.Retryable():
			return "the OAuth token service is unavailable; try again in a while"
		case e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusMethodNotAllowed:
			return "check --token-url (api.token_url in the config file); Twilio's is " + DefaultTokenURL
		case e.StatusCode >= 400 && e.StatusCode < 500:
			return "check TWILIO_CLIENT_ID and TWILIO_CLIENT_SECRET (or auth in the config file): they must be an OAuth client of this account"
		}
		return ""
	}
	switch {
	case e.Code == CodeNoPermission:
		return "the API key/client lacks twilio/billing-insights/usage/read; grant it in the Twilio Console"
	case e.Code == CodeNotEligible:
		return "this account is not eligible for the Billing Usage API; ask Twilio support to enable it"
	case e.StatusCode == http.StatusForbidden:
		return "the client may lack twilio/billing-insights/usage/read, or the account may not be eligible for the Billing Usage API"
	case e.StatusCode == http.StatusUnauthorized:
		return "the API refused a freshly issued token; check that the OAuth client belongs to the account that owns the billing group"
	case e.StatusCode == http.StatusNotFound:
		return "check --group: no billing group with that id is visible to these credentials"
	case e.StatusCode == http.StatusBadRequest:
		return "the API refused the query; check the dates, period, category and page size"
	case e.StatusCode == http.StatusTooManyRequests:
		if e.RetryAfter > 0 {
			return "rate limited; try again in " + e.RetryAfter.String()
		}
		return "rate limited; wait a little and try again"
	case e.Retryable():
		return "the Billing Usage API is having trouble; try again later"
	case e.StatusCode >= 300 && e.StatusCode < 400:
		return "the server answered with a redirect, which the API never does; check --base-url"
	}
	return ""
}

// Bounds on server text kept in an Error.
const (
	maxErrorMessage = 500
	maxErrorBody    = 200
	maxErrorRead    = 64 << 10 // bytes of an error body read at all
)

// errorBody is the union of the three error shapes of API.md: classic
// {code,message,more_info,status}; RFC 9457 {type,title,status,code,detail,
// errors}; and {code,message,httpStatusCode,userError,params}.
type errorBody struct {
	Code     json.RawMessage   `json:"code"`
	Message  string            `json:"message"`
	MoreInfo string            `json:"more_info"`
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Detail   string            `json:"detail"`
	Errors   []json.RawMessage `json:"errors"`
	// OAuth 2.0 (RFC 6749) token endpoint errors.
	OAuthError       string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// parseError turns a non-2xx status, its headers and its body into an
// *Error. It never fails: a body it cannot read still yields the status
// and the first bytes.
func parseError(status int, header http.Header, body []byte) *Error {
	e := &Error{StatusCode: status, RetryAfter: parseRetryAfter(header.Get("Retry-After"), time.Now())}
	var eb errorBody
	trimmed := strings.TrimSpace(string(body))
	if !strings.HasPrefix(trimmed, "{") || json.Unmarshal(body, &eb) != nil {
		e.Body = sanitize(trimmed, maxErrorBody)
		return e
	}
	e.Code = parseCode(eb.Code)
	msg := eb.Message
	if msg == "" {
		msg = eb.Detail
	}
	if msg == "" {
		msg = eb.Title
	} else if eb.Title != "" && eb.Detail != "" && !strings.Contains(eb.Detail, eb.Title) {
		msg = eb.Title + ": " + eb.Detail
	}
	if msg == "" {
		msg = eb.ErrorDescription
		if eb.OAuthError != "" {
			msg = strings.TrimSuffix(eb.OAuthError+": "+msg, ": ")
		}
	}
	if details := problemDetails(eb.Errors, msg); details != "" {
		msg = strings.TrimPrefix(msg+"; "+details, "; ")
	}
	e.Message = sanitize(msg, maxErrorMessage)
	e.MoreInfo = eb.MoreInfo
	if e.MoreInfo == "" && strings.HasPrefix(eb.Type, "http") {
		e.MoreInfo = eb.Type // RFC 9457: the type URI documents the problem
	}
	e.MoreInfo = sanitize(e.MoreInfo, maxErrorBody)
	if e.Message == "" && e.Code == 0 {
		e.Body = sanitize(trimmed, maxErrorBody)
	}
	return e
}

// parseCode accepts the Twilio code as a number or a numeric string.
func parseCode(raw json.RawMessage) int {
	s := strings.Trim(string(raw), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// problemDetails summarises an RFC 9457 "errors" array, whose items are
// strings or objects naming a field (pointer, field, parameter) and saying
// what is wrong (detail, message). Items the message already says are left
// out.
func problemDetails(items []json.RawMessage, msg string) string {
	var parts []string
	add := func(s string) {
		if !strings.Contains(msg, s) {
			parts = append(parts, s)
		}
	}
	for _, raw := range items {
		if len(parts) == 3 {
			parts = append(parts, "...")
			break
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			add(s)
			continue
		}
		var o struct {
			Detail, Message, Pointer, Field, Parameter, Name string
		}
		if json.Unmarshal(raw, &o) != nil {
			continue
		}
		what := firstNonEmpty(o.Detail, o.Message)
		where := strings.TrimPrefix(strings.TrimPrefix(firstNonEmpty(o.Pointer, o.Field, o.Parameter, o.Name), "#"), "/")
		switch {
		case what != "" && where != "":
			add(where + ": " + what)
		case what+where != "":
			add(what + where)
		}
	}
	return strings.Join(parts, "; ")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// sanitize makes server text safe to print on a terminal: control
// characters and escape sequences become spaces, invalid UTF-8 is dropped,
// runs of space collapse, and the result is cut to about max bytes.
func sanitize(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' ||
			unicode.Is(unicode.Cf, r) { // format characters such as bidi overrides can disguise text
			space = true
			continue
		}
		if b.Len() >= max {
			b.WriteString("...")
			return strings.TrimSpace(b.String())
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
