package config

import (
	"encoding/base64"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/usagetop/usagetop/api"
)

// Serve is the [serve] table: `usagetop serve`, the dashboard over SSH.
type Serve struct {
	// Addr is where the SSH server listens, HOST:PORT.
	Addr string
	// AuthorizedKeys is the file of public keys that may connect.
	AuthorizedKeys string
	// HostKey is the server's private key file; empty means one generated
	// on first start under the state directory.
	HostKey string
	// MaxSessions bounds the sessions open at once.
	MaxSessions int
	// IdleTimeout ends a session without a keystroke for this long.
	IdleTimeout time.Duration
	// MaxSession ends any session this long after it started.
	MaxSession time.Duration
	// ConnRate is how many connections one IP address may open a minute.
	ConnRate int
	// Users maps a key, by its fingerprint ("SHA256:...") or by its
	// comment or user name, to the billing groups (names or ids) it may
	// open. A key with no entry is refused.
	Users map[string][]string
}

// GroupsFor returns the billing groups a key may open: the entry for its
// fingerprint, else the one for its comment or user name.
func (s *Serve) GroupsFor(fingerprint, name string) ([]string, bool) {
	if g, ok := s.Users[fingerprint]; ok && fingerprint != "" {
		return g, true
	}
	g, ok := s.Users[name]
	return g, ok && name != ""
}

// Bounds of the [serve] settings.
const (
	maxServeSessions = 10000
	maxIdleTimeout   = 24 * time.Hour
	maxSessionTime   = 7 * 24 * time.Hour
	maxConnRate      = 10000
	// sha256Base64Len is the length of an unpadded base64 SHA-256, as
	// ssh-keygen -l prints it after "SHA256:".
	sha256Base64Len = 43
)

// serveKeys are the [serve] table's keys.
func serveKeys() []spec {
	durationKey := func(name, def, hint string, most time.Duration, dst func(*Serve) *time.Duration) spec {
		return spec{Name: name, Type: typeDuration, Default: def, Hint: hint,
			apply: func(l *loader, k *spec, src Source, v any) {
				l.setDuration(src, k.Name, v.(string), most, dst(&l.s.Serve))
			},
			report: reportServe(func(s *Serve) string { return dst(s).String() })}
	}
	return []spec{
		{Name: "serve", Type: typeTable},
		{Name: "serve.addr", Type: typeString, Default: ":2222", Flag: "addr", Commands: ServeCommand,
			Usage: "address the SSH server listens on, HOST:PORT", Hint: `an address in quotes, e.g. ":2222" or "127.0.0.1:2222"`,
			apply: (*loader).setServeAddr,
			report: func(s *Settings, r *reporter, k *spec) {
				if s.serveConfigured() {
					r.section()
				}
				reportServe(func(s *Serve) string { return s.Addr })(s, r, k)
			}},
		{Name: "serve.authorized_keys", Type: typeString, Flag: "authorized-keys", Commands: ServeCommand, Guarded: true,
			Usage: "file of the public keys that may connect (authorized_keys format)", Hint: `a file path in quotes`,
			apply: func(l *loader, k *spec, src Source, v any) {
				l.setPath(src, k.Name, v.(string), &l.s.Serve.AuthorizedKeys)
			},
			report: reportServe(func(s *Serve) string { return orNotSet(s.AuthorizedKeys) })},
		{Name: "serve.host_key", Type: typeString, Flag: "host-key", Commands: ServeCommand, Guarded: true,
			Usage: "the server's private host key file (default: generated on first start)", Hint: `a file path in quotes`,
			apply: func(l *loader, k *spec, src Source, v any) {
				l.setPath(src, k.Name, v.(string), &l.s.Serve.HostKey)
			},
			report: reportServe(func(s *Serve) string { return orNotSet(s.HostKey) })},
		{Name: "serve.max_sessions", Type: typeInt, Default: "32", Min: 1, Max: maxServeSessions,
			Hint:   `a whole number, e.g. 32`,
			apply:  intSetting(func(s *Settings) *int { return &s.Serve.MaxSessions }),
			report: reportServe(func(s *Serve) string { return strconv.Itoa(s.MaxSessions) })},
		durationKey("serve.idle_timeout", "15m0s", `a duration in quotes, e.g. "15m"`, maxIdleTimeout,
			func(s *Serve) *time.Duration { return &s.IdleTimeout }),
		durationKey("serve.max_session", "12h0m0s", `a duration in quotes, e.g. "12h"`, maxSessionTime,
			func(s *Serve) *time.Duration { return &s.MaxSession }),
		{Name: "serve.conn_rate", Type: typeInt, Default: "10", Min: 1, Max: maxConnRate,
			Hint:   `a whole number of connections per minute, e.g. 10`,
			apply:  intSetting(func(s *Settings) *int { return &s.Serve.ConnRate }),
			report: reportServe(func(s *Serve) string { return strconv.Itoa(s.ConnRate) })},
		{Name: "serve.users", Type: typeLists, Guarded: true,
			Hint:   `a list of billing group names or ids, e.g. ["acme-us"]`,
			apply:  (*loader).setServeUsers,
			report: reportServeUsers},
	}
}

func (l *loader) setServeAddr(k *spec, src Source, v any) {
	addr := strings.TrimSpace(v.(string))
	host, port, err := net.SplitHostPort(addr)
	n, perr := strconv.Atoi(port)
	// Port 0 asks the system for a free port (tests, a first try).
	if err != nil || perr != nil || n < 0 || n > 65535 || hasControl(host) {
		l.bad(src, k.Name, "%q is not HOST:PORT; write it like \":2222\" (every interface) or \"127.0.0.1:2222\"", addr)
		return
	}
	l.s.Serve.Addr = addr
	l.from(k.Name, src)
}

func (l *loader) setPath(src Source, key, v string, dst *string) {
	switch {
	case strings.TrimSpace(v) == "":
		l.bad(src, key, "is empty; give a file path, or remove the key")
	case hasControl(v):
		l.bad(src, key, "%q holds control characters", v)
	default:
		*dst = v
		l.from(key, src)
	}
}

// setServeUsers reads [serve.users]: each key a fingerprint or a name, each
// to the groups it may open.
func (l *loader) setServeUsers(k *spec, _ Source, v any) {
	users := map[string][]string{}
	names := make([]string, 0, len(v.(map[string][]string)))
	for name := range v.(map[string][]string) {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		groups := v.(map[string][]string)[name]
		at := k.Name + "." + name
		src := l.doc.source(at)
		switch {
		case strings.HasPrefix(name, "SHA256:"):
			if b, err := base64.RawStdEncoding.DecodeString(name[len("SHA256:"):]); err != nil || len(name)-len("SHA256:") != sha256Base64Len || len(b) != 32 {
				l.bad(src, at, "%q is not a key fingerprint; copy it from ssh-keygen -lf KEY.pub (SHA256: and 43 characters)", name)
				continue
			}
		case name == "" || strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
			l.bad(src, at, "%q is not a key's comment or user name (one word) or fingerprint (SHA256:...)", name)
			continue
		}
		if len(groups) == 0 {
			l.bad(src, at, "lists no billing group; give the groups this key may open, e.g. [\"acme-us\"], or remove the line to refuse the key")
			continue
		}
		ok := true
		for _, g := range groups {
			if !strings.HasPrefix(g, api.GroupIDPrefix) {
				if _, err := l.s.FindGroup(g); err != nil {
					l.s.warnings = append(l.s.warnings, fmt.Sprintf("%s (%s): group %q is not in [[groups]]; it will match only a group of that name, such as a demo group", at, src, g))
				}
				continue
			}
			if err := api.ValidateGroupID(g); err != nil {
				l.bad(src, at, "%s", reason(err))
				ok = false
			}
		}
		if ok {
			users[name] = append([]string(nil), groups...)
			l.from(k.Name+"["+name+"]", src)
		}
	}
	l.s.Serve.Users = users
	l.from(k.Name, l.doc.source(k.Name))
}

// reportServe shows a [serve] setting once anything configures the server,
// so the report stays short for those who never run it.
func reportServe(value func(*Serve) string) func(*Settings, *reporter, *spec) {
	return func(s *Settings, r *reporter, k *spec) {
		if s.serveConfigured() {
			r.row(k.Name, value(&s.Serve), s.sources[k.Name])
		}
	}
}

func reportServeUsers(s *Settings, r *reporter, k *spec) {
	names := make([]string, 0, len(s.Serve.Users))
	for name := range s.Serve.Users {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		key := k.Name + "[" + name + "]"
		r.row(key, strings.Join(s.Serve.Users[name], ", "), s.sources[key])
	}
}

// serveConfigured reports whether a file or a flag set any [serve] key.
func (s *Settings) serveConfigured() bool {
	for key, src := range s.sources {
		if strings.HasPrefix(key, "serve.") && src.Kind != SourceDefault {
			return true
		}
	}
	return false
}

func orNotSet(v string) string {
	if v == "" {
		return "not set"
	}
	return v
}
