package state

import (
	"math"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/usagetop/usagetop/api"
)

// Bounds on settings: generous, but they catch a typo such as a timeout in
// hours or a page size of a million.
const (
	configMaxTimeout       = time.Hour
	configMaxSecretTimeout = 5 * time.Minute
	configMaxRetries       = 20
	configMaxThreshold     = 99
	configMaxPercent       = 1e6
	configMinLookback      = 7
	configMinHistory       = 3
	configMaxAutoload      = 100000
)

func (l *configLoader) setClientID(src Source, key, v string) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		l.bad(src, key, "is empty; set the OAuth client id, or remove the key")
	case strings.IndexFunc(v, unicode.IsSpace) >= 0 || configHasControl(v):
		l.bad(src, key, "holds spaces or control characters; a client id is one word")
	default:
		l.s.Auth.ClientID = v
		l.from(key, src)
	}
}

func (l *configLoader) setDuration(src Source, key, v string, max time.Duration, dst *time.Duration) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	switch {
	case err != nil:
		l.bad(src, key, "%q is not a duration; write it like \"30s\", \"2m\" or \"1m30s\"", v)
	case d <= 0:
		l.bad(src, key, "must be more than zero")
	case d > max:
		l.bad(src, key, "%s is too long; the most is %s", d, max)
	default:
		*dst = d
		l.from(key, src)
	}
}

func (l *configLoader) setInt(src Source, key string, n int64, lo, hi int, dst *int) {
	if n < int64(lo) || n > int64(hi) {
		l.bad(src, key, "%d is out of range; use %d to %d", n, lo, hi)
		return
	}
	*dst = int(n)
	l.from(key, src)
}

func (l *configLoader) setFloat(src Source, key string, f, lo, hi float64, zeroOK bool, dst *float64) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		l.bad(src, key, "must be a finite number")
	case f < lo || (!zeroOK && f == lo) || f > hi:
		op := "more than"
		if zeroOK {
			op = "at least"
		}
		l.bad(src, key, "%g is out of range; it must be %s %g and at most %g", f, op, lo, hi)
	default:
		*dst = f
		l.from(key, src)
	}
}

func (l *configLoader) setCategory(src Source, key, v string) {
	if configHasControl(v) {
		l.bad(src, key, "%q holds control characters", v)
		return
	}
	l.s.Query.Category = strings.TrimSpace(v)
	l.from(key, src)
}

func (l *configLoader) setAggregation(src Source, key, v string) {
	a, err := api.ParseAggregation(strings.TrimSpace(v))
	if err != nil {
		l.bad(src, key, "%s", configReason(err))
		return
	}
	l.s.Query.Aggregation = a
	l.from(key, src)
}

// setURL accepts an absolute https URL, or http for a loopback host only
// (API.md), and refuses credentials in the URL. Messages show the URL with
// any password redacted.
func (l *configLoader) setURL(src Source, key, v string, dst *string) {
	v = strings.TrimSpace(v)
	u, err := url.Parse(v)
	if err != nil {
		l.bad(src, key, "is not a valid URL; write it like https://billing.twilio.com")
		return
	}
	shown := u.Redacted()
	switch {
	case u.Scheme == "" || u.Host == "":
		l.bad(src, key, "%q is not an absolute URL; write it like https://billing.twilio.com", shown)
	case u.User != nil:
		l.bad(src, key, "%q holds a user name or password; credentials go in [auth], never in a URL", shown)
	case u.RawQuery != "" || u.Fragment != "":
		l.bad(src, key, "%q has a query or fragment; give only scheme, host and path", shown)
	case u.Scheme == "http" && !api.IsLoopbackHost(u.Hostname()):
		l.bad(src, key, "%q uses plain http; that is allowed only for a loopback host (localhost, 127.0.0.1, ::1); use https", shown)
	case u.Scheme != "http" && u.Scheme != "https":
		l.bad(src, key, "%q is not an http or https URL", shown)
	default:
		if key == "api.base_url" {
			v = strings.TrimRight(v, "/")
		}
		*dst = v
		l.from(key, src)
	}
}

// configValidEnvName reports whether s can name an environment variable.
func configValidEnvName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func configHasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}
