package config

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/usagetop/usagetop/api"
)

// WriteReport prints the resolved settings for `usagetop config check`: one
// setting per line, in the order of the key table, with its value and where
// it came from (Ready says whether the dashboard can start with it). The
// client secret is described, never shown: "set (from env
// TWILIO_CLIENT_SECRET)", "command: pass show twilio (not run)", "not set".
func (s *Settings) WriteReport(w io.Writer) error {
	r := &reporter{w: w, tw: newColumns(w)}
	note := s.pathNote
	if note == "" {
		note = s.Path
	}
	r.line("config file", note)
	for i := range keys {
		if k := &keys[i]; k.report != nil {
			k.report(s, r, k)
		}
	}
	if err := r.tw.Flush(); err != nil {
		return err
	}
	for _, warning := range s.warnings {
		if _, err := fmt.Fprintf(w, "warning: %s\n", show(warning)); err != nil {
			return err
		}
	}
	return nil
}

// reporter writes the report's aligned columns: key, value, source.
type reporter struct {
	w  io.Writer
	tw *tabwriter.Writer
}

// section starts columns of their own, so long rows (a budget, a key
// fingerprint) do not widen the rows above them.
func (r *reporter) section() {
	_ = r.tw.Flush()
	r.tw = newColumns(r.w)
}

// newColumns aligns the report's columns. A row without a source ends at
// its value, so no line ends in padding and a long note does not widen
// the value column.
func newColumns(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

func (r *reporter) row(key, value string, src Source) {
	fmt.Fprintf(r.tw, "%s\t%s\t%s\n", key, show(value), show(src.String()))
}

// line is a row with no source.
func (r *reporter) line(key, value string) {
	fmt.Fprintf(r.tw, "%s\t%s\n", key, show(value))
}

// rowOrNotSet is a row, or "not set" with no source when value is empty.
func (r *reporter) rowOrNotSet(key, value string, src Source) {
	if value == "" {
		r.line(key, "not set")
		return
	}
	r.row(key, value, src)
}

// reportValue is the report of a key shown as one value and its source.
func reportValue(value func(*Settings) string) func(*Settings, *reporter, *spec) {
	return func(s *Settings, r *reporter, k *spec) { r.row(k.Name, value(s), s.sources[k.Name]) }
}

// reportGroup shows the selected group, from whichever layer chose it.
func reportGroup(s *Settings, r *reporter, _ *spec) {
	g := s.Query.Group
	v := g.ID
	if g.Name != "" {
		v = g.Name + " (" + g.ID + ")"
	}
	r.rowOrNotSet("group", v, s.sources["group"])
}

// reportWindow shows the period, or the custom range with each end's source.
func reportWindow(s *Settings, r *reporter, _ *spec) {
	if s.Query.Period != "" {
		r.row("query.period", string(s.Query.Period), s.sources["query.period"])
		return
	}
	r.row("query.from", s.Query.From.String(), s.sources["query.range"])
	r.row("query.to", s.Query.To.String(), s.sources["query.to"])
}

// secretStatus says where the secret comes from without revealing it.
func (s *Settings) secretStatus() string {
	getenv := s.getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if getenv(api.SecretEnvVar) != "" {
		return "set (from env " + api.SecretEnvVar + ")"
	}
	src := s.Auth.Secret
	if src.Env != "" {
		state := "not set"
		if getenv(src.Env) != "" {
			state = "set"
		}
		return "env " + src.Env + " (" + state + ")"
	}
	return src.Describe()
}

// show makes text safe to print on a terminal: control characters (an
// escape sequence in a path, say) are written as Go escapes.
func show(v string) string {
	if !hasControl(v) {
		return v
	}
	var b strings.Builder
	for _, r := range v {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// HasCredentials reports whether a client id and a source for the secret
// are configured. It does not run the secret command or check the token.
func (s *Settings) HasCredentials() bool { return s.CredentialsError() == nil }

// CredentialsError says what is missing for a run against the real API
// (client id, client secret), or returns nil.
func (s *Settings) CredentialsError() error {
	var missing []string
	for _, g := range s.gaps() {
		if g.credential {
			missing = append(missing, g.what+": "+g.fix)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return errors.New(strings.Join(missing, "; "))
}

// Ready tells a valid configuration from one the dashboard can start
// with against the real API: nil, or an error naming each thing missing
// (client id, client secret, billing group) and how to set it. It does not
// run the secret command. The demo needs none of these.
func (s *Settings) Ready() error {
	gaps := s.gaps()
	if len(gaps) == 0 {
		return nil
	}
	what := "the file is valid"
	if s.Path == "" {
		what = "the settings are valid (no config file was read)"
	}
	if len(gaps) == 1 {
		return errors.New(show(what + ", but the dashboard cannot start: " + gaps[0].what + " (" + gaps[0].fix + ")"))
	}
	var b strings.Builder
	b.WriteString(what + ", but the dashboard cannot start:")
	for _, g := range gaps {
		b.WriteString("\n  " + g.what + " (" + show(g.fix) + ")")
	}
	return errors.New(b.String())
}

// gap is one thing a run against the real API lacks, and how to set it.
type gap struct {
	what, fix string
	// credential marks the client id and secret, which every command
	// against the real API needs; a group can come from --group.
	credential bool
}

// gaps lists what a dashboard run against the real API still needs.
func (s *Settings) gaps() []gap {
	var out []gap
	if s.Auth.ClientID == "" {
		out = append(out, gap{"no client id", "set " + envClientID + " or client_id in the [auth] table of " + s.editPath(), true})
	}
	if !s.secretConfigured() {
		out = append(out, gap{"no client secret", "set " + api.SecretEnvVar + ", or secret_env or secret_command in the [auth] table of " + s.editPath(), true})
	} else if src := s.Auth.Secret; src.Env != "" && len(src.Command) == 0 && src.Inline.IsZero() &&
		s.getenv != nil && s.getenv(api.SecretEnvVar) == "" && s.getenv(src.Env) == "" {
		// Configured, but a run would still find no secret.
		out = append(out, gap{"no client secret", "auth.secret_env names " + src.Env + ", which is not set in this environment; export it, or set " + api.SecretEnvVar, false})
	}
	if s.Query.Group.ID == "" {
		out = append(out, gap{"no billing group", "pass --group NAME|ID, or add a [[groups]] table with name and id to " + s.editPath(), false})
	}
	return out
}

// FirstRun reports whether usagetop looks unconfigured: no config file was
// read and neither a client id nor a secret is set anywhere. The caller
// shows FirstRunHelp instead of failing on a missing secret.
func (s *Settings) FirstRun() bool {
	return s.Path == "" && s.Auth.ClientID == "" && !s.secretConfigured()
}

// FirstRunHelp explains, in a few lines, how to configure usagetop, and
// suggests the demo.
func (s *Settings) FirstRunHelp() string {
	path := show(s.editPath())
	return "usagetop needs Twilio OAuth client credentials to read your billing group usage.\n" +
		"\n" +
		"Either set them in the environment:\n" +
		"  export " + envClientID + "=OQ...\n" +
		"  export " + api.SecretEnvVar + "=...\n" +
		"  usagetop --group " + api.GroupIDPrefix + "...\n" +
		"\n" +
		"or write " + path + " (config.example.toml documents every key):\n" +
		"  [[groups]]\n" +
		"  name = \"main\"\n" +
		"  id = \"" + api.GroupIDPrefix + "...\"\n" +
		"\n" +
		"  [auth]\n" +
		"  client_id = \"OQ...\"\n" +
		"  secret_command = [\"pass\", \"show\", \"twilio/usagetop\"]\n" +
		"\n" +
		"then run `usagetop config check`.\n" +
		"To look around without an account: usagetop --demo\n"
}

// editPath is the config file the user should edit, for messages.
func (s *Settings) editPath() string {
	if p := s.pathForHelp(); p != "" {
		return p
	}
	return "a config file passed with --config PATH"
}

// secretConfigured reports whether any secret source is set, including
// TWILIO_CLIENT_SECRET.
func (s *Settings) secretConfigured() bool {
	if s.getenv != nil && s.getenv(api.SecretEnvVar) != "" {
		return true
	}
	return !s.Auth.Secret.IsZero()
}
