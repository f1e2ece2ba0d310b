package state

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
// setting per line with its value and where it came from, then what a run
// against the real API still lacks. The client secret is described, never
// shown: "set (from env TWILIO_CLIENT_SECRET)", "command: pass show twilio
// (not run)", "not set".
func (s *Settings) WriteReport(w io.Writer) error {
	// A row without a source ends at its value, so no line ends in padding
	// and a long note does not widen the value column.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(key, value string, src Source) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", key, configShow(value), configShow(src.String()))
	}
	note := s.pathNote
	if note == "" {
		note = s.Path
	}
	fmt.Fprintf(tw, "config file\t%s\n", configShow(note))

	if g := s.Query.Group; g.ID != "" {
		v := g.ID
		if g.Name != "" {
			v = g.Name + " (" + g.ID + ")"
		}
		row("group", v, s.sources["group"])
	} else {
		fmt.Fprintf(tw, "group\tnot set\n")
	}
	for i, g := range s.Groups {
		k := "groups[" + strconv.Itoa(i) + "]"
		row(k, g.Name+" = "+g.ID, s.sources[k])
	}

	if s.Auth.ClientID != "" {
		row("auth.client_id", s.Auth.ClientID, s.sources["auth.client_id"])
	} else {
		fmt.Fprintf(tw, "auth.client_id\tnot set\n")
	}
	if src, ok := s.sources["auth.secret"]; ok {
		row("auth.secret", s.secretStatus(), src)
	} else {
		fmt.Fprintf(tw, "auth.secret\t%s\n", s.secretStatus())
	}
	if len(s.Auth.Secret.Command) > 0 {
		row("auth.secret_command_timeout", s.Auth.Secret.Timeout.String(), s.sources["auth.secret_command_timeout"])
	}

	row("api.base_url", s.API.BaseURL, s.sources["api.base_url"])
	row("api.token_url", s.API.TokenURL, s.sources["api.token_url"])
	row("api.page_size", strconv.Itoa(s.API.PageSize), s.sources["api.page_size"])
	row("api.request_timeout", s.API.RequestTimeout.String(), s.sources["api.request_timeout"])
	row("api.max_retries", strconv.Itoa(s.API.MaxRetries), s.sources["api.max_retries"])
	row("api.max_retry_time", s.API.MaxRetryTime.String(), s.sources["api.max_retry_time"])

	if s.Query.Period != "" {
		row("query.period", string(s.Query.Period), s.sources["query.period"])
	} else {
		row("query.from", s.Query.From.String(), s.sources["query.range"])
		row("query.to", s.Query.To.String(), s.sources["query.to"])
	}
	category := s.Query.Category
	if category == "" {
		category = "(all)"
	}
	row("query.category", category, s.sources["query.category"])
	row("query.aggregation", string(s.Query.Aggregation), s.sources["query.aggregation"])

	row("anomaly.threshold", strconv.FormatFloat(s.Anomaly.Threshold, 'g', -1, 64), s.sources["anomaly.threshold"])
	row("anomaly.min_impact", s.Anomaly.MinImpact.String(), s.sources["anomaly.min_impact"])
	row("anomaly.min_percent", strconv.FormatFloat(s.Anomaly.MinPercent, 'g', -1, 64), s.sources["anomaly.min_percent"])
	row("anomaly.lookback_days", strconv.Itoa(s.Anomaly.LookbackDays), s.sources["anomaly.lookback_days"])
	row("anomaly.min_history_days", strconv.Itoa(s.Anomaly.MinHistoryDays), s.sources["anomaly.min_history_days"])

	row("ui.autoload_pages", strconv.Itoa(s.UI.AutoloadPages), s.sources["ui.autoload_pages"])
	row("ui.no_color", strconv.FormatBool(s.UI.NoColor), s.sources["ui.no_color"])
	row("ui.ascii", strconv.FormatBool(s.UI.ASCII), s.sources["ui.ascii"])
	row("ui.mouse", strconv.FormatBool(s.UI.Mouse), s.sources["ui.mouse"])
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, m := range s.Missing() {
		if _, err := fmt.Fprintf(w, "warning: %s\n", configShow(m)); err != nil {
			return err
		}
	}
	return nil
}

// String returns the report, so printing Settings shows no secret.
func (s *Settings) String() string {
	var b strings.Builder
	_ = s.WriteReport(&b)
	return b.String()
}

// Source returns where the setting key (as in the report: "api.page_size",
// "auth.secret", "group", "groups[0]", "query.range" for the range as a
// whole and its start, "query.to" for its end) came from.
func (s *Settings) Source(key string) Source { return s.sources[key] }

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

// configShow makes text safe to print on a terminal: control characters
// (an escape sequence in a path, say) are written as Go escapes.
func configShow(v string) string {
	if !configHasControl(v) {
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
	if s.Auth.ClientID == "" {
		missing = append(missing, "no client id: set "+ConfigEnvClientID+" or client_id in the [auth] table of "+s.editPath())
	}
	if !s.secretConfigured() {
		missing = append(missing, "no client secret: set "+api.SecretEnvVar+", or secret_env or secret_command in the [auth] table of "+s.editPath())
	}
	if len(missing) == 0 {
		return nil
	}
	return errors.New(strings.Join(missing, "; "))
}

// Missing lists, as sentences, what a dashboard run against the real API
// still needs: credentials and a billing group. Empty when nothing is.
func (s *Settings) Missing() []string {
	var out []string
	if err := s.CredentialsError(); err != nil {
		out = append(out, strings.Split(err.Error(), "; ")...)
	} else if src := s.Auth.Secret; src.Env != "" && len(src.Command) == 0 && src.Inline.IsZero() &&
		s.getenv != nil && s.getenv(api.SecretEnvVar) == "" && s.getenv(src.Env) == "" {
		// Configured, but a run would still find no secret.
		out = append(out, "no client secret: auth.secret_env names "+src.Env+", which is not set in this environment; export it, or set "+api.SecretEnvVar)
	}
	if s.Query.Group.ID == "" {
		out = append(out, "no billing group: pass --group ID, or add a [[groups]] table (name, id) to "+s.editPath())
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
	path := configShow(s.editPath())
	return "usagetop needs Twilio OAuth client credentials to read your billing group usage.\n" +
		"\n" +
		"Either set them in the environment:\n" +
		"  export " + ConfigEnvClientID + "=OQ...\n" +
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
	if p := s.configPathForHelp(); p != "" {
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
