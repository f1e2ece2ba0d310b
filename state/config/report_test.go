package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api"
)

// configReportLine finds the report line for key and splits it into value
// and source (columns are separated by two or more spaces).
func configReportLine(t *testing.T, report, key string) (value, source string) {
	t.Helper()
	for _, line := range strings.Split(report, "\n") {
		cols := regexp.MustCompile(`\s{2,}`).Split(strings.TrimRight(line, " "), -1)
		if cols[0] == key {
			if len(cols) > 1 {
				value = cols[1]
			}
			if len(cols) > 2 {
				source = cols[2]
			}
			return value, source
		}
	}
	t.Fatalf("no %q line in report:\n%s", key, report)
	return "", ""
}

func TestWriteReportValuesAndSources(t *testing.T) {
	s, path := configTestMustLoad(t, configTestEnv{
		doc: "[[groups]]\nname = \"main\"\nid = \"" + configTestID1 + "\"\n" +
			"[auth]\nclient_id = \"OQfile\"\nsecret_env = \"VAULT_TWILIO\"\n" +
			"[api]\npage_size = 250\n",
		env:   map[string]string{"TWILIO_CLIENT_ID": "OQenv", "VAULT_TWILIO": "vault-value-123"},
		flags: map[string]string{"period": "LAST_MONTH"},
	})
	var b strings.Builder
	if err := s.WriteReport(&b); err != nil {
		t.Fatal(err)
	}
	report := b.String()
	tests := []struct{ key, value, source string }{
		{"config file", path + " (from --config)", ""},
		{"group", "main (" + configTestID1 + ")", path + ":1"},
		{"groups[0]", "main = " + configTestID1, path + ":1"},
		{"auth.client_id", "OQenv", "env TWILIO_CLIENT_ID"},
		{"auth.secret", "env VAULT_TWILIO (set)", path + ":6"},
		{"api.page_size", "250", path + ":8"},
		{"api.request_timeout", "30s", "default"},
		{"query.period", "LAST_MONTH", "flag --period"},
		{"query.category", "(all)", "default"},
	}
	for _, tt := range tests {
		v, src := configReportLine(t, report, tt.key)
		if v != tt.value || src != tt.source {
			t.Errorf("%s: %q from %q, want %q from %q", tt.key, v, src, tt.value, tt.source)
		}
	}
	if strings.Contains(report, "vault-value-123") {
		t.Errorf("report shows the secret:\n%s", report)
	}
	if err := s.Ready(); err != nil {
		t.Errorf("a complete configuration is not ready: %v", err)
	}
}

func TestWriteReportSecretDescriptions(t *testing.T) {
	tests := []struct {
		name string
		e    configTestEnv
		want string
	}{
		{"from TWILIO_CLIENT_SECRET", configTestEnv{env: map[string]string{"TWILIO_CLIENT_SECRET": "env-secret-value"}}, "set (from env TWILIO_CLIENT_SECRET)"},
		{"named env var unset", configTestEnv{doc: "[auth]\nsecret_env = \"VAULT\"\n"}, "env VAULT (not set)"},
		{"command not run", configTestEnv{doc: "[auth]\nsecret_command = [\"pass\", \"show\", \"twilio\"]\n"}, "command: pass show twilio (not run)"},
		{"inline", configTestEnv{doc: "[auth]\nsecret = \"inline-secret-value\"\n"}, "inline in the config file (set)"},
		{"nothing", configTestEnv{}, "not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := configTestMustLoad(t, tt.e)
			report := reportOf(s)
			if v, _ := configReportLine(t, report, "auth.secret"); v != tt.want {
				t.Errorf("auth.secret = %q, want %q", v, tt.want)
			}
			if strings.Contains(report, "secret-value") {
				t.Errorf("report shows a secret:\n%s", report)
			}
		})
	}
}

func TestWriteReportDoesNotRunTheSecretCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX script")
	}
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	script := filepath.Join(dir, "fake-pass")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch "+marker+"\necho s\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	s, _ := configTestMustLoad(t, configTestEnv{doc: fmt.Sprintf("[auth]\nclient_id = \"OQ1\"\nsecret_command = [%q]\n", script)})
	_ = s.WriteReport(&strings.Builder{})
	_ = s.HasCredentials()
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the report ran the secret command")
	}
	if got, err := s.ResolveSecret(t.Context()); err != nil || got != "s" {
		t.Errorf("ResolveSecret = %q, %v", got, err)
	}
}

func TestWriteReportEscapesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	evil := filepath.Join(dir, "a\x1b]0;title\x07")
	if err := os.MkdirAll(evil, 0o700); err != nil {
		t.Fatal(err)
	}
	path := configTestWrite(t, evil, "", 0o600)
	s, err := configTestLoadPath(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(reportOf(s), "\x1b\x07") {
		t.Errorf("report writes raw control characters: %q", reportOf(s))
	}
}

// TestSettingsNeverShowSecrets prints Settings every way a careless caller
// might and checks that neither the inline secret nor the environment's
// appears.
func TestSettingsNeverShowSecrets(t *testing.T) {
	const inline, fromEnv = "inline-Sup3r-secret", "env-Sup3r-secret"
	s, _ := configTestMustLoad(t, configTestEnv{
		doc: "[auth]\nclient_id = \"OQ1\"\nsecret = \"" + inline + "\"\n",
		env: map[string]string{"TWILIO_CLIENT_SECRET": fromEnv},
	})
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	outs := []string{reportOf(s), string(js)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, *s), fmt.Sprintf(verb, s.Auth), fmt.Sprintf(verb, s.Auth.Secret))
	}
	for _, o := range outs {
		if strings.Contains(o, inline) || strings.Contains(o, fromEnv) {
			t.Errorf("secret shown in %q", o)
		}
	}
	if got, _ := s.ResolveSecret(t.Context()); got != fromEnv {
		t.Errorf("TWILIO_CLIENT_SECRET should win over the inline secret")
	}
}

func TestFirstRun(t *testing.T) {
	tests := []struct {
		name      string
		e         configTestEnv
		firstRun  bool
		hasCreds  bool
		credsHint string
	}{
		{"nothing configured", configTestEnv{}, true, false, "TWILIO_CLIENT_ID"},
		{"environment only", configTestEnv{env: map[string]string{"TWILIO_CLIENT_ID": "OQ1", "TWILIO_CLIENT_SECRET": "s"}}, false, true, ""},
		{"client id but no secret", configTestEnv{env: map[string]string{"TWILIO_CLIENT_ID": "OQ1"}}, false, false, "no client secret"},
		{"file without credentials", configTestEnv{doc: "[ui]\nascii = true\n"}, false, false, "no client id"},
		{"file with id and command", configTestEnv{doc: "[auth]\nclient_id = \"OQ1\"\nsecret_command = [\"pass\"]\n"}, false, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := configTestMustLoad(t, tt.e)
			if s.FirstRun() != tt.firstRun || s.HasCredentials() != tt.hasCreds {
				t.Errorf("FirstRun %v HasCredentials %v, want %v %v", s.FirstRun(), s.HasCredentials(), tt.firstRun, tt.hasCreds)
			}
			err := s.CredentialsError()
			if tt.credsHint == "" && err != nil {
				t.Errorf("CredentialsError = %v", err)
			}
			if tt.credsHint != "" && (err == nil || !strings.Contains(err.Error(), tt.credsHint)) {
				t.Errorf("CredentialsError = %v, want %q", err, tt.credsHint)
			}
		})
	}
	s, _ := configTestMustLoad(t, configTestEnv{})
	help := s.FirstRunHelp()
	for _, want := range []string{"TWILIO_CLIENT_ID", "TWILIO_CLIENT_SECRET", s.DefaultPath, "usagetop --demo", "usagetop config check"} {
		if !strings.Contains(help, want) {
			t.Errorf("FirstRunHelp lacks %q:\n%s", want, help)
		}
	}
	if n := strings.Count(help, "\n"); n > 20 {
		t.Errorf("FirstRunHelp is %d lines; keep it short", n)
	}
}

// TestExampleConfigLoads is the example's promise: it loads cleanly (even
// world-readable, as checked out) and documents every key.
func TestExampleConfigLoads(t *testing.T) {
	const example = "../../config.example.toml"
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	path := configTestWrite(t, t.TempDir(), string(data), 0o644)
	s, err := configTestLoadPath(path, nil)
	if err != nil {
		t.Fatalf("config.example.toml does not load:\n%v", err)
	}
	if len(s.Groups) == 0 || s.Query.Group.ID == "" || s.Auth.ClientID == "" || s.Auth.Secret.IsZero() {
		t.Errorf("example should show groups, a default group, a client id and a secret source: %+v", s)
	}
	if !s.Auth.Secret.Inline.IsZero() {
		t.Errorf("example must not hold an inline secret")
	}
	if len(s.Budgets) != 2 || s.Serve.Addr != ":2222" || len(s.Warnings()) != 0 {
		t.Errorf("example should show two budgets and [serve] without warnings: %+v %+v %q", s.Budgets, s.Serve, s.Warnings())
	}
	// Each key must appear, set or commented out, in its own table.
	documented := map[string]bool{}
	header := regexp.MustCompile(`^[ \t]*#?[ \t]*\[\[?([a-z_.]+)\]\]?`)
	entry := regexp.MustCompile(`^[ \t]*#?[ \t]*([a-z_]+)[ \t]*=`)
	table := ""
	for _, line := range strings.Split(string(data), "\n") {
		if m := header.FindStringSubmatch(line); m != nil {
			table = m[1]
			documented[table] = true
		} else if m := entry.FindStringSubmatch(line); m != nil {
			documented[joinKey(table, m[1])] = true
		}
	}
	for _, k := range keys {
		if !documented[k.Name] {
			t.Errorf("config.example.toml does not document %s", k.Name)
		}
	}
}

// TestAPIConfigIsAcceptedByTheClient ties the two validations together: what
// the config accepts, api.New accepts, and retries map to attempts.
func TestAPIConfigIsAcceptedByTheClient(t *testing.T) {
	s, _ := configTestMustLoad(t, configTestEnv{
		doc:   "[auth]\nclient_id = \"OQ1\"\n[api]\nmax_retries = 2\nrequest_timeout = \"7s\"\n",
		flags: map[string]string{"base-url": "http://127.0.0.1:8787", "token-url": "http://localhost:8787/v2/token"},
	})
	cfg := s.APIConfig("secret")
	if cfg.MaxAttempts != 3 || cfg.RequestTimeout.String() != "7s" || cfg.ClientID != "OQ1" || cfg.BaseURL != "http://127.0.0.1:8787" {
		t.Errorf("APIConfig = %+v", cfg)
	}
	if _, err := api.New(cfg); err != nil {
		t.Errorf("api.New refuses what the config accepted: %v", err)
	}
}

// TestWriteReportRangeSourcesAndNoPadding: each end of a custom range names
// its own flag or line, and no line of the report ends in spaces.
func TestWriteReportRangeSourcesAndNoPadding(t *testing.T) {
	s, _ := configTestMustLoad(t, configTestEnv{
		doc:   "[query]\nfrom = 2025-01-01\nto = 2025-01-31\n",
		flags: map[string]string{"to": "2025-02-28", "from": "2025-02-01"},
	})
	var b strings.Builder
	if err := s.WriteReport(&b); err != nil {
		t.Fatal(err)
	}
	report := b.String()
	for key, want := range map[string]string{"query.from": "flag --from", "query.to": "flag --to"} {
		if _, src := configReportLine(t, report, key); src != want {
			t.Errorf("%s comes from %q, want %q", key, src, want)
		}
	}
	for _, line := range strings.Split(report, "\n") {
		if strings.TrimRight(line, " ") != line {
			t.Errorf("line ends in spaces: %q", line)
		}
	}
}

// TestReady tells a valid configuration from one the dashboard can start
// with, and names each missing piece with where to set it.
func TestReady(t *testing.T) {
	group := "[[groups]]\nname = \"main\"\nid = \"" + configTestID1 + "\"\n"
	creds := "[auth]\nclient_id = \"OQ1\"\nsecret_env = \"VAULT_TWILIO\"\n"
	for _, tc := range []struct {
		name string
		e    configTestEnv
		want []string // substrings of Ready's error; nil: ready
	}{
		{"nothing", configTestEnv{}, []string{"the settings are valid (no config file was read), but the dashboard cannot start:",
			"\n  no client id (set TWILIO_CLIENT_ID or client_id in the [auth] table of ",
			"\n  no client secret (set TWILIO_CLIENT_SECRET, or secret_env or secret_command",
			"\n  no billing group (pass --group NAME|ID, or add a [[groups]] table with name and id to "}},
		{"no client id", configTestEnv{doc: group + "[auth]\nsecret_command = [\"pass\"]\n"},
			[]string{"the file is valid, but the dashboard cannot start: no client id (set TWILIO_CLIENT_ID or client_id in the [auth] table of @)"}},
		{"no group", configTestEnv{doc: creds, env: map[string]string{"VAULT_TWILIO": "v"}},
			[]string{"the file is valid, but the dashboard cannot start: no billing group ("}},
		{"group by flag", configTestEnv{doc: creds, env: map[string]string{"VAULT_TWILIO": "v"}, flags: map[string]string{"group": configTestID2}}, nil},
		{"secret_env unset", configTestEnv{doc: group + creds},
			[]string{"no client secret (auth.secret_env names VAULT_TWILIO, which is not set in this environment"}},
		{"secret_env set", configTestEnv{doc: group + creds, env: map[string]string{"VAULT_TWILIO": "v"}}, nil},
		{"TWILIO_CLIENT_SECRET wins", configTestEnv{doc: group + creds, env: map[string]string{"TWILIO_CLIENT_SECRET": "v"}}, nil},
		{"environment only", configTestEnv{env: map[string]string{"TWILIO_CLIENT_ID": "OQ1", "TWILIO_CLIENT_SECRET": "s", "USAGETOP_GROUP": configTestID1}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, path := configTestMustLoad(t, tc.e)
			err := s.Ready()
			if tc.want == nil {
				if err != nil {
					t.Errorf("Ready() = %v, want ready", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Ready() = nil, want what is missing")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), strings.ReplaceAll(w, "@", path)) {
					t.Errorf("Ready() = %q, lacks %q", err, w)
				}
			}
		})
	}
}
