package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var configUpdateGolden = flag.Bool("update-config-golden", false, "rewrite testdata/check.golden")

// configGoldenCase is one configuration a user could have: a file (written
// with mode), an environment and the flags given, as name=value.
type configGoldenCase struct {
	name  string
	doc   string
	mode  os.FileMode
	env   map[string]string
	flags []string
}

const configGoldenIDs = "[[groups]]\nname = \"a\"\nid = \"" + configTestID1 + "\"\n[[groups]]\nname = \"b\"\nid = \"" + configTestID2 + "\"\n"

// configGoldenCases are the config tests' cases: every message, report and
// source a user sees today is pinned by testdata/check.golden.
var configGoldenCases = []configGoldenCase{
	{name: "defaults"},
	{name: "report values and sources", doc: "[[groups]]\nname = \"main\"\nid = \"" + configTestID1 + "\"\n" +
		"[auth]\nclient_id = \"OQfile\"\nsecret_env = \"VAULT_TWILIO\"\n[api]\npage_size = 250\n",
		env: map[string]string{"TWILIO_CLIENT_ID": "OQenv", "VAULT_TWILIO": "vault-value-123"}, flags: []string{"period=LAST_MONTH"}},
	{name: "secret from TWILIO_CLIENT_SECRET", env: map[string]string{"TWILIO_CLIENT_SECRET": "env-secret-value"}},
	{name: "secret env unset", doc: "[auth]\nsecret_env = \"VAULT\"\n"},
	{name: "secret command", doc: "[auth]\nclient_id = \"OQ1\"\nsecret_command = [\"pass\", \"show\", \"twilio\"]\n"},
	{name: "secret inline", doc: "[auth]\nsecret = \"inline-secret-value\"\n"},
	{name: "range sources", doc: "[query]\nfrom = 2025-01-01\nto = 2025-01-31\n", flags: []string{"to=2025-02-28", "from=2025-02-01"}},
	{name: "ready", doc: "[[groups]]\nname = \"main\"\nid = \"" + configTestID1 + "\"\n[auth]\nclient_id = \"OQ1\"\nsecret_env = \"VAULT_TWILIO\"\n",
		env: map[string]string{"VAULT_TWILIO": "v"}},
	{name: "page size file", doc: "[api]\npage_size = 250\n"},
	{name: "page size flag over file", doc: "[api]\npage_size = 250\n", flags: []string{"page-size=40"}},
	{name: "base url env over file", doc: "[api]\nbase_url = \"https://file.example\"\n", env: map[string]string{"USAGETOP_BASE_URL": "http://127.0.0.1:8787/"}},
	{name: "base url flag over env", env: map[string]string{"USAGETOP_BASE_URL": "https://env.example"}, flags: []string{"base-url=https://flag.example"}},
	{name: "token url flag", flags: []string{"token-url=http://localhost:9/v2/token"}},
	{name: "client id env over file", doc: "[auth]\nclient_id = \"OQfile\"\n", env: map[string]string{"TWILIO_CLIENT_ID": "OQenv"}},
	{name: "NO_COLOR over file", doc: "[ui]\nno_color = false\n", env: map[string]string{"NO_COLOR": "1"}},
	{name: "no-color=false over NO_COLOR", env: map[string]string{"NO_COLOR": "1"}, flags: []string{"no-color=false"}},
	{name: "ascii flag", doc: "[ui]\nascii = false\n", flags: []string{"ascii=true"}},
	{name: "period file", doc: "[query]\nperiod = \"last_month\"\n"},
	{name: "period flag over file range", doc: "[query]\nfrom = 2025-01-01\nto = \"2025-01-31\"\n", flags: []string{"period=YESTERDAY"}},
	{name: "range flags over file period", doc: "[query]\nperiod = \"THIS_YEAR\"\n", flags: []string{"from=2025-02-01", "to=2025-02-28"}},
	{name: "aggregation and category flags", doc: "[query]\naggregation = \"DAILY\"\ncategory = \"voice\"\n", flags: []string{"aggregation=monthly", "category=sms"}},
	{name: "default_group", doc: "default_group = \"b\"\n" + configGoldenIDs},
	{name: "group env over file", doc: "default_group = \"b\"\n" + configGoldenIDs, env: map[string]string{"USAGETOP_GROUP": "a"}},
	{name: "group flag over env", doc: configGoldenIDs, env: map[string]string{"USAGETOP_GROUP": "a"}, flags: []string{"group=b"}},
	{name: "group by configured id", doc: configGoldenIDs, flags: []string{"group=" + configTestID2}},
	{name: "group by unconfigured id", flags: []string{"group=commerce_billingprofile_cccccccccccccccccccc"}},
	{name: "secret env over file command", doc: "[auth]\nsecret_command = [\"pass\", \"show\", \"x\"]\n", env: map[string]string{"TWILIO_CLIENT_SECRET": "s"}},
	{name: "anomaly table", doc: "[anomaly]\nthreshold = 5\nmin_impact = \"12.50\"\nmin_percent = 40\nlookback_days = 56\nmin_history_days = 21\n"},
	{name: "min_impact integer", doc: "[anomaly]\nmin_impact = 7\n"},
	{name: "inline table", doc: "api = { page_size = 9,\n  request_timeout = \"5s\" }\n"},
	{name: "unknown group name", doc: configGoldenIDs, flags: []string{"group=prod"}},
	{name: "unknown group, none configured", flags: []string{"group=prod"}},
	{name: "malformed group id", doc: configGoldenIDs, flags: []string{"group=commerce_billingprofile_"}},
	{name: "bad default_group", doc: "default_group = \"nope\"\n" + configGoldenIDs},
	{name: "page size zero", doc: "[api]\npage_size = 0\n"},
	{name: "page size too big by flag", flags: []string{"page-size=5000"}},
	{name: "page size not a number", flags: []string{"page-size=lots"}},
	{name: "bad duration", doc: "[api]\nrequest_timeout = \"30\"\n"},
	{name: "negative duration", doc: "[api]\nmax_retry_time = \"-1s\"\n"},
	{name: "too many retries", doc: "[api]\nmax_retries = 100\n"},
	{name: "plain http off loopback", doc: "[api]\nbase_url = \"http://billing.example.com\"\n"},
	{name: "relative url", flags: []string{"token-url=oauth.twilio.com/v2/token"}},
	{name: "password in url", env: map[string]string{"USAGETOP_BASE_URL": "https://me:pa55word@host"}},
	{name: "bad period", doc: "[query]\nperiod = \"LAST_WEEK\"\n"},
	{name: "period and range", doc: "[query]\nperiod = \"THIS_MONTH\"\nfrom = 2025-01-01\nto = 2025-01-02\n"},
	{name: "from without to", flags: []string{"from=2025-01-01"}},
	{name: "to without from", doc: "[query]\nto = 2025-01-01\n"},
	{name: "impossible date", flags: []string{"from=2025-02-30", "to=2025-03-01"}},
	{name: "reversed range", flags: []string{"from=2025-03-01", "to=2025-02-01"}},
	{name: "range too long", doc: "[query]\nfrom = 2024-01-01\nto = 2025-06-01\n"},
	{name: "date of the wrong type", doc: "[query]\nfrom = 20250101\nto = 2025-01-02\n"},
	{name: "bad aggregation", flags: []string{"aggregation=weekly"}},
	{name: "control characters in category", doc: "[query]\ncategory = \"sms\\u001b[2J\"\n"},
	{name: "min_impact as float", doc: "[anomaly]\nmin_impact = 5.5\n"},
	{name: "min_impact negative", doc: "[anomaly]\nmin_impact = \"-1\"\n"},
	{name: "min_impact not money", doc: "[anomaly]\nmin_impact = \"five\"\n"},
	{name: "threshold zero", doc: "[anomaly]\nthreshold = 0\n"},
	{name: "threshold nan", doc: "[anomaly]\nthreshold = nan\n"},
	{name: "lookback too short", doc: "[anomaly]\nlookback_days = 3\n"},
	{name: "history longer than lookback", doc: "[anomaly]\nlookback_days = 10\n"},
	{name: "autoload zero", doc: "[ui]\nautoload_pages = 0\n"},
	{name: "bad secret_env", doc: "[auth]\nsecret_env = \"MY-SECRET\"\n"},
	{name: "empty secret_command", doc: "[auth]\nsecret_command = []\n"},
	{name: "two secret sources", doc: "[auth]\nsecret_env = \"A\"\nsecret_command = [\"pass\"]\n"},
	{name: "client id with spaces", env: map[string]string{"TWILIO_CLIENT_ID": "OQ abc"}},
	{name: "group without id", doc: "[[groups]]\nname = \"a\"\n"},
	{name: "group with a bad id", doc: "[[groups]]\nname = \"a\"\nid = \"AC123\"\n"},
	{name: "group name that is an id", doc: "[[groups]]\nname = \"" + configTestID1 + "\"\nid = \"" + configTestID1 + "\"\n"},
	{name: "duplicate group names", doc: "[[groups]]\nname = \"a\"\nid = \"" + configTestID1 + "\"\n[[groups]]\nname = \"A\"\nid = \"" + configTestID2 + "\"\n"},
	{name: "every problem", doc: "[api]\npage_size = 0\nrequest_timeout = \"x\"\n", flags: []string{"period=SOMEDAY"}},
	{name: "unknown keys", doc: configGoldenTestdata("unknown_keys.toml")},
	{name: "wrong types", doc: configGoldenTestdata("wrong_types.toml")},
	{name: "secret_command a string", doc: "[auth]\nsecret_command = \"pass show twilio\"\n"},
	{name: "duration an integer", doc: "[api]\nrequest_timeout = 30\n"},
	{name: "bool a string", doc: "[ui]\nascii = \"yes\"\n"},
	{name: "groups a string", doc: "groups = \"main\"\n"},
	{name: "table an integer", doc: "api = 3\n"},
	{name: "group name an integer", doc: "[[groups]]\nname = 1\n"},
	{name: "secret an integer", doc: "[auth]\nsecret = 12345\n"},
	{name: "days a float", doc: "[anomaly]\nlookback_days = 2.5\n"},
	{name: "integer overflow", doc: "[api]\npage_size = 99999999999999999999\n"},
	{name: "syntax error", doc: "[api]\npage_size = 10\n[query\n"},
	{name: "unterminated secret", doc: "[auth]\nsecret = \"Zq9SECRETvalue77\n"},
	{name: "bad escape in secret", doc: "[auth]\nsecret = \"\\qZq9SECRETvalue77\"\n"},
	{name: "inline secret readable", doc: configGoldenTestdata("inline_secret.toml"), mode: 0o644},
	{name: "inline secret private", doc: configGoldenTestdata("inline_secret.toml"), mode: 0o600},
	{name: "secret_command readable", doc: "[auth]\nsecret_command = [\"pass\", \"show\", \"twilio\"]\n", mode: 0o644},
	{name: "budgets and serve", doc: configGoldenIDs + "[[budget]]\ngroup = \"a\"\nmonthly = \"12000.00\"\ncurrency = \"USD\"\n" +
		"[[budget]]\ngroup = \"a\"\ncategory = \"sms-*\"\nmonthly = 500\ncurrency = \"USD\"\nwarn = [100, 80]\n" +
		"[[budget]]\ngroup = \"" + configTestID1 + "\"\nproduct = \"*-Verify-*\"\nmonthly = \"99.5\"\ncurrency = \"USD\"\n" +
		"[[budget]]\ngroup = \"demo-gbp\"\nmonthly = \"10\"\ncurrency = \"GBP\"\n" +
		"[serve]\naddr = \"127.0.0.1:2022\"\nauthorized_keys = \"/etc/usagetop/keys\"\nidle_timeout = \"5m\"\n" +
		"[serve.users]\nalice = [\"a\", \"b\"]\n\"SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s\" = [\"" + configTestID2 + "\"]\n"},
	{name: "budget errors", doc: configGoldenIDs + "[[budget]]\ngroup = \"a\"\nmonthly = 5000.5\ncurrency = \"usd\"\n" +
		"[[budget]]\ngroup = \"a\"\ncategory = \"sms-[\"\nmonthly = \"0\"\ncurrency = \"XYZ\"\nwarn = [0, 80]\n" +
		"[[budget]]\ncurrency = \"EUR\"\n"},
	{name: "budget warn of the wrong type", doc: "[[budget]]\ngroup = \"a\"\nwarn = [50.5]\n"},
	{name: "serve errors", doc: "[serve]\naddr = \"2222\"\nmax_sessions = 0\nidle_timeout = \"0s\"\n[serve.users]\n\"SHA256:short\" = [\"a\"]\nbob = []\n"},
	{name: "serve user of the wrong type", doc: "[serve.users]\nalice = \"acme\"\n"},
	{name: "serve guarded keys writable", doc: "[serve]\nauthorized_keys = \"/k\"\n", mode: 0o666},
	{name: "control characters in a group name", doc: "[[groups]]\nname = \"a\\u001b]0;x\\u0007\"\nid = \"" + configTestID1 + "\"\n"},
}

func configGoldenTestdata(name string) string {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		panic(err)
	}
	return string(data)
}

// configGoldenRun loads one case as `usagetop config check` would and
// returns what the user sees: the report, or the error. Paths are written
// as $CONFIG and $USERCONFIG so the golden does not depend on temp dirs.
func configGoldenRun(t *testing.T, c configGoldenCase) string {
	t.Helper()
	dir := t.TempDir()
	path := ""
	if c.doc != "" {
		path = configTestWrite(t, dir, c.doc, c.mode)
	}
	flags := testFlagSet(QueryCommands | ScreenCommands)
	for _, f := range c.flags {
		if err := flags.Parse([]string{"--" + f}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Load(t.Context(), LoadOptions{
		Getenv:        func(k string) string { return c.env[k] },
		UserConfigDir: func() (string, error) { return filepath.Join(dir, "userconfig"), nil },
		Flags:         withConfig(flags, path),
	})
	var out string
	if err != nil {
		out = "error:\n" + err.Error() + "\n"
		if len(Errors(err)) == 0 {
			t.Errorf("%s: error %T holds no config error", c.name, err)
		}
	} else {
		var b strings.Builder
		if err := s.WriteReport(&b); err != nil {
			t.Fatal(err)
		}
		out = b.String()
		if err := s.Ready(); err != nil {
			out += "not ready: " + err.Error() + "\n"
		}
	}
	if path != "" {
		out = strings.ReplaceAll(out, path, "$CONFIG")
	}
	return strings.ReplaceAll(out, filepath.Join(dir, "userconfig"), "$USERCONFIG")
}

// TestConfigCheckGolden pins what `config check` shows for each case: the
// report with every value's source, or every error with its file, line,
// variable or flag. Run with -update-config-golden after a deliberate change.
func TestConfigCheckGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range configGoldenCases {
		b.WriteString("=== " + c.name + "\n")
		b.WriteString(configGoldenRun(t, c))
	}
	golden := filepath.Join("testdata", "check.golden")
	if *configUpdateGolden {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s is missing; run go test -run TestConfigCheckGolden -update-config-golden", golden)
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < min(len(gl), len(wl)); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("config check output differs from %s at line %d:\n got %q\nwant %q", golden, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("config check output differs from %s in length: %d lines, want %d", golden, len(gl), len(wl))
	}
}
