package serve

import (
	"errors"
	"fmt"
	"time"

	"github.com/charmbracelet/log"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state/config"
	"github.com/usagetop/usagetop/ui"
)

// Options configure the server: the config's [serve] section, and the
// wiring.
type Options struct {
	// Serve is the configuration's [serve] section: the address, the
	// authorized keys and host key files, the limits (0: the Default*
	// values) and Users, which maps a key to the billing groups it may
	// open. A key is named by its fingerprint ("SHA256:..."), by its
	// comment in the authorized keys file, or by the user part of that
	// comment ("alice" for "alice@laptop"), tried in that order; a group is
	// a name from Groups, an id, or "*" for every group in Groups. A key
	// with no entry is refused. The SSH login name is never used: the
	// client picks it.
	config.Serve
	// Demo lets every key in the authorized keys file open every group in
	// Groups; Users is not needed.
	Demo bool

	// Groups are the billing groups the server knows (the config's, or
	// the demo's); names in Users refer to them.
	Groups []ui.Group
	// Fetcher loads pages (an *api.Client holding the credentials, which
	// never leave the server); the server shares its pages between
	// sessions through an api.SharedFetcher.
	Fetcher api.PageFetcher
	// Cache bounds the pages kept for sharing.
	Cache api.SharedOptions
	// Dashboard is the template of each session's dashboard: its query
	// (the group is replaced by the session's), page size, detector and
	// the like. Fetcher, Groups, Renderer, colours, export and clipboard
	// are set per session.
	Dashboard ui.Options
	// Logger receives one line per session start and end and per refused
	// login; nil means log.Default().
	Logger *log.Logger
	// TermQueryTimeout bounds the wait for a terminal's answer to the
	// background colour query; 0 means DefaultTermQueryTimeout.
	TermQueryTimeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Defaults for Options fields left zero.
const (
	DefaultAddr             = ":2222"
	DefaultMaxSessions      = 50
	DefaultIdleTimeout      = 30 * time.Minute
	DefaultMaxSession       = 12 * time.Hour
	DefaultConnRate         = 10
	DefaultTermQueryTimeout = time.Second
)

// AllGroups, as a Users entry, is every group in Options.Groups.
const AllGroups = "*"

func (o Options) withDefaults() Options {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxSession <= 0 {
		o.MaxSession = DefaultMaxSession
	}
	if o.ConnRate <= 0 {
		o.ConnRate = DefaultConnRate
	}
	if o.TermQueryTimeout <= 0 {
		o.TermQueryTimeout = DefaultTermQueryTimeout
	}
	if o.Logger == nil {
		o.Logger = log.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// validate says what is missing or wrong, and what to set.
func (o Options) validate() error {
	var errs []error
	if o.AuthorizedKeys == "" {
		errs = append(errs, errors.New("serve: no authorized keys file; set --authorized-keys (an OpenSSH authorized_keys file of the keys that may log in)"))
	}
	if o.HostKey == "" {
		errs = append(errs, errors.New("serve: no host key path; set --host-key (it is generated there when missing)"))
	}
	if o.Fetcher == nil {
		errs = append(errs, errors.New("serve: no API client to fetch with"))
	}
	if len(o.Users) == 0 && !o.Demo {
		errs = append(errs, errors.New("serve: no [serve.users] mapping, so every key would be refused; map keys to billing groups in the config (or try --demo)"))
	}
	if o.IdleTimeout > o.MaxSession && o.MaxSession > 0 {
		errs = append(errs, fmt.Errorf("serve: idle timeout %s is longer than the maximum session %s", o.IdleTimeout, o.MaxSession))
	}
	return errors.Join(errs...)
}
