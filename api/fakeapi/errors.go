package fakeapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// The three error body shapes of API.md. Different errors use different
// shapes on purpose, so a client has to handle all of them:
//
//   - classic (401, 404, 405, token endpoint):
//     {"code","message","more_info","status"}
//   - RFC 9457 problem (400 validation, 415):
//     {"type","title","status","code","detail","errors":[...]}
//   - user error (403, 429):
//     {"code","message","httpStatusCode","userError","params"}
//
// 503s carry an HTML page, as a proxy in front of the API would send.

// Twilio error codes the server uses.
const (
	codeInvalid       = 20001 // invalid parameter
	codeAuth          = 20003 // authentication failed
	codeMethod        = 20004 // method not allowed
	codeNotFound      = 20404 // resource not found
	codeTooMany       = 20429 // too many requests
	codeNoPermission  = 70051 // token lacks the permission
	permissionBilling = "twilio/billing-insights/usage/read"
)

func moreInfo(code int) string { return "https://www.twilio.com/docs/errors/" + strconv.Itoa(code) }

// writeJSON writes v with status; encoding our own values cannot fail.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// classicError is shape 1.
type classicError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

func writeClassic(w http.ResponseWriter, status, code int, format string, args ...any) {
	writeJSON(w, status, "application/json", classicError{
		Code: code, Message: fmt.Sprintf(format, args...), MoreInfo: moreInfo(code), Status: status,
	})
}

// problem is shape 2, RFC 9457 with Twilio's code as an extension member.
type problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Code   int            `json:"code"`
	Detail string         `json:"detail"`
	Errors []problemField `json:"errors"`
}

// problemField names the offending request field.
type problemField struct {
	Field   string `json:"field"`
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
}

// fieldError is a request that failed validation, with the field to blame.
type fieldError struct {
	status int // 400, or 415 for a body of the wrong type
	field  string
	detail string
}

func (e *fieldError) Error() string { return e.field + ": " + e.detail }

func badField(field, format string, args ...any) *fieldError {
	return &fieldError{status: http.StatusBadRequest, field: field, detail: fmt.Sprintf(format, args...)}
}

func writeProblem(w http.ResponseWriter, e *fieldError) {
	title := "Invalid request parameter"
	if e.status == http.StatusUnsupportedMediaType {
		title = "Unsupported media type"
	}
	writeJSON(w, e.status, "application/problem+json", problem{
		Type:   moreInfo(codeInvalid),
		Title:  title,
		Status: e.status,
		Code:   codeInvalid,
		Detail: e.field + ": " + e.detail,
		Errors: []problemField{{Field: e.field, Pointer: "#/" + e.field, Detail: e.detail}},
	})
}

// userError is shape 3.
type userError struct {
	Code           int               `json:"code"`
	Message        string            `json:"message"`
	HTTPStatusCode int               `json:"httpStatusCode"`
	UserError      bool              `json:"userError"`
	Params         map[string]string `json:"params"`
}

func writeUserError(w http.ResponseWriter, status, code int, msg string, params map[string]string) {
	if params == nil {
		params = map[string]string{}
	}
	writeJSON(w, status, "application/json", userError{
		Code: code, Message: msg, HTTPStatusCode: status, UserError: status < 500, Params: params,
	})
}

// unavailablePage is what a load balancer answers when the service is down.
const unavailablePage = `<html>
<head><title>503 Service Temporarily Unavailable</title></head>
<body><center><h1>503 Service Temporarily Unavailable</h1></center></body>
</html>
`

func writeUnavailable(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(unavailablePage)))
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(unavailablePage))
}

// oauthError is the token endpoint's error: RFC 6749's fields, which
// golang.org/x/oauth2 reads, plus Twilio's classic ones.
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	classicError
}

func writeOAuthError(w http.ResponseWriter, status int, kind, msg string) {
	code := codeInvalid
	if status == http.StatusUnauthorized {
		code = codeAuth
	}
	writeJSON(w, status, "application/json", oauthError{
		Error: kind, ErrorDescription: msg,
		classicError: classicError{Code: code, Message: msg, MoreInfo: moreInfo(code), Status: status},
	})
}
