package api

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
)

func TestSanitizeMakesServerTextSafeToPrint(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                         "plain text",
		"two\nlines\r\n":                     "two lines",
		"\x1b[2J\x1b]0;title\x07cleared":     "[2J ]0;title cleared",
		"tabs\tand   runs  of  space":        "tabs and runs of space",
		"bidi \u202egnp.exe":                 "bidi gnp.exe",
		"C1 \u009b31m control":               "C1 31m control",
		"bad utf-8 \xff\xfe here":            "bad utf-8 here",
		"   padded   ":                       "padded",
		"caf\u00e9 \u20ac12 \U0001F600 fine": "caf\u00e9 \u20ac12 \U0001F600 fine",
	} {
		if got := sanitize(in, 100); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := sanitize(strings.Repeat("ab ", 100), 10); got != "ab ab ab a..." {
		t.Errorf("cut = %q", got)
	}
}

func TestHintsSayWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{StatusCode: 403, Code: CodeNoPermission}, "twilio/billing-insights/usage/read"},
		{Error{StatusCode: 403, Code: CodeNotEligible}, "not eligible"},
		{Error{StatusCode: 403}, "may lack"},
		{Error{StatusCode: 404, Code: CodeNotFound}, "--group"},
		{Error{StatusCode: 401, Code: CodeUnauthenticated}, "OAuth client"},
		{Error{StatusCode: 429, RetryAfter: 2e9}, "try again in 2s"},
		{Error{StatusCode: 502}, "try again later"},
		{Error{StatusCode: 401, TokenEndpoint: true}, "TWILIO_CLIENT_ID and TWILIO_CLIENT_SECRET"},
		{Error{StatusCode: 503, TokenEndpoint: true}, "token service is unavailable"},
	} {
		if got := tc.e.Hint(); !strings.Contains(got, tc.want) {
			t.Errorf("%+v: hint %q, want it to mention %q", tc.e, got, tc.want)
		}
	}
}

func TestFatalAndRetryableNeverBothHold(t *testing.T) {
	for status := 100; status < 600; status++ {
		for _, token := range []bool{false, true} {
			e := &Error{StatusCode: status, TokenEndpoint: token}
			if e.Fatal() && e.Retryable() {
				t.Errorf("%d (token endpoint %v) is both fatal and retryable", status, token)
			}
		}
	}
}

// FuzzParseError feeds arbitrary bodies to the error parser: it must not
// panic, and what it keeps must be bounded and free of control characters.
func FuzzParseError(f *testing.F) {
	for _, s := range []string{
		`{"code":20404,"message":"not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}`,
		`{"type":"https://x","title":"Bad","status":400,"code":20001,"detail":"d","errors":[{"pointer":"#/a","detail":"b"},"c",5,null]}`,
		`{"code":"20001","message":"m","httpStatusCode":400,"userError":true,"params":{"a":"b"}}`,
		"<html>\x1b[31m</html>",
		`{"error":"invalid_client","error_description":"nope"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		e := parseError(http.StatusBadRequest, http.Header{}, []byte(body))
		if len(e.Message) > maxErrorMessage+8 || len(e.Body) > maxErrorBody+8 || len(e.MoreInfo) > maxErrorBody+8 {
			t.Fatalf("kept too much: %d/%d/%d bytes", len(e.Message), len(e.Body), len(e.MoreInfo))
		}
		for _, r := range e.Error() + e.Hint() {
			if unicode.IsControl(r) {
				t.Fatalf("control character %U in %q", r, e.Error())
			}
		}
	})
}
