package config

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pelletier/go-toml/v2"
	"github.com/shopspring/decimal"

	"github.com/usagetop/usagetop/api"
)

// Bounds on settings: generous, but they catch a typo such as a timeout in
// hours or a page size of a million.
const (
	maxTimeout       = time.Hour
	maxSecretTimeout = 5 * time.Minute
	maxRetries       = 20
	maxThreshold     = 99
	maxPercent       = 1e6
	minLookback      = 7
	minHistory       = 3
	maxAutoload      = 100000
)

func (l *loader) setClientID(src Source, key, v string) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		l.bad(src, key, "is empty; set the OAuth client id, or remove the key")
	case strings.IndexFunc(v, unicode.IsSpace) >= 0 || hasControl(v):
		l.bad(src, key, "holds spaces or control characters; a client id is one word")
	default:
		l.s.Auth.ClientID = v
		l.from(key, src)
	}
}

// setInlineSecret takes the secret written in the file. From the
// environment (TWILIO_CLIENT_SECRET) only its presence is recorded:
// Resolve reads the variable itself.
func (l *loader) setInlineSecret(k *spec, src Source, v any) {
	if src.Kind == SourceEnv {
		l.from(k.Name, src)
		return
	}
	l.secretKeys = append(l.secretKeys, k.Name)
	if v.(string) == "" {
		l.bad(src, k.Name, "is empty; remove the key, or better, use secret_env or secret_command")
		return
	}
	l.s.Auth.Secret.Inline = api.NewSecret(v.(string))
	l.from(k.Name, src)
}

func (l *loader) setSecretEnv(k *spec, src Source, v any) {
	l.secretKeys = append(l.secretKeys, k.Name)
	name := v.(string)
	if !validEnvName(name) {
		l.bad(src, k.Name, "%q is not an environment variable name (letters, digits and _, not starting with a digit)", name)
		return
	}
	l.s.Auth.Secret.Env = name
	l.from("auth.secret", src)
}

func (l *loader) setSecretCommand(k *spec, src Source, v any) {
	l.secretKeys = append(l.secretKeys, k.Name)
	argv := v.([]string)
	if len(argv) == 0 || argv[0] == "" {
		l.bad(src, k.Name, `needs the program and its arguments, e.g. ["pass", "show", "twilio"]`)
		return
	}
	l.s.Auth.Secret.Command = append([]string(nil), argv...)
	l.from("auth.secret", src)
}

func (l *loader) setDuration(src Source, key, v string, max time.Duration, dst *time.Duration) {
	d, ok := l.duration(src, key, v, max)
	if ok {
		*dst = d
		l.from(key, src)
	}
}

// duration parses a positive duration of at most max.
func (l *loader) duration(src Source, key, v string, max time.Duration) (time.Duration, bool) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	switch {
	case err != nil:
		l.bad(src, key, "%q is not a duration; write it like \"30s\", \"2m\" or \"1m30s\"", v)
	case d <= 0:
		l.bad(src, key, "must be more than zero")
	case d > max:
		l.bad(src, key, "%s is too long; the most is %s", d, max)
	default:
		return d, true
	}
	return 0, false
}

func (l *loader) setInt(src Source, key string, n int64, lo, hi int, dst *int) {
	if n < int64(lo) || n > int64(hi) {
		l.bad(src, key, "%d is out of range; use %d to %d", n, lo, hi)
		return
	}
	*dst = int(n)
	l.from(key, src)
}

func (l *loader) setFloat(src Source, key string, f, lo, hi float64, zeroOK bool, dst *float64) {
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

func (l *loader) setCategory(k *spec, src Source, v any) {
	s := v.(string)
	if hasControl(s) {
		l.bad(src, k.Name, "%q holds control characters", s)
		return
	}
	l.s.Query.Category = strings.TrimSpace(s)
	l.from(k.Name, src)
}

func (l *loader) setAggregation(k *spec, src Source, v any) {
	a, err := api.ParseAggregation(strings.TrimSpace(v.(string)))
	if err != nil {
		l.bad(src, k.Name, "%s", reason(err))
		return
	}
	l.s.Query.Aggregation = a
	l.from(k.Name, src)
}

// setWindowDate keeps one end of a custom range (i: 1 from, 2 to) for
// applyWindow. The file gives a quoted date or a bare TOML date.
func (l *loader) setWindowDate(i int, k *spec, src Source, v any) {
	switch d := v.(type) {
	case string:
		l.window[i] = raw{v: d, src: src, set: true}
	case toml.LocalDate:
		l.window[i] = raw{v: d.String(), src: src, set: true}
	default:
		l.bad(src, k.Name, "expected %s, found %s", hint(k.Name), tomlKind(v))
	}
}

// setURL accepts an absolute https URL, or http for a loopback host only
// (API.md), and refuses credentials in the URL. Messages show the URL with
// any password redacted.
func (l *loader) setURL(src Source, key, v string, dst *string) {
	v = strings.TrimSpace(v)
	u, err := url.Parse(v)
	if err != nil {
		l.bad(src, key, "%q is not a valid URL; write it like https://billing.twilio.com", v)
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

// money reads an amount: a quoted decimal or an integer, never a float,
// which may not be the amount the user wrote. Negative amounts are refused.
func (l *loader) money(src Source, k *spec, v any) (decimal.Decimal, bool) {
	var d decimal.Decimal
	switch x := v.(type) {
	case string:
		var err error
		d, err = decimal.NewFromString(strings.TrimSpace(x))
		if err != nil {
			l.bad(src, k.Name, "%q is not an amount; write it like \"5\" or \"12.50\"", x)
			return d, false
		}
	case int64:
		d = decimal.NewFromInt(x)
	case float64:
		l.bad(src, k.Name, "write money in quotes so it stays exact: %s = %q", leaf(k.Name), strconv.FormatFloat(x, 'f', -1, 64))
		return d, false
	default:
		l.bad(src, k.Name, "expected %s, found %s", hint(k.Name), tomlKind(v))
		return d, false
	}
	if d.IsNegative() {
		l.bad(src, k.Name, "cannot be negative")
		return d, false
	}
	return d, true
}

// validEnvName reports whether s can name an environment variable.
func validEnvName(s string) bool {
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

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// tomlKind names a decoded value's TOML type for messages.
func tomlKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}
