package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/spf13/pflag"
	"github.com/usagetop/usagetop/api"
	"time"
)

const configTestID1 = "commerce_billingprofile_aaaaaaaaaaaaaaaaaaaa"
const configTestID2 = "commerce_billingprofile_bbbbbbbbbbbbbbbbbbbb"

// configTestEnv holds one test's environment, flags and config file.
type configTestEnv struct {
	doc   string // written to config.toml when not empty
	mode  os.FileMode
	env   map[string]string
	flags map[string]string
}

// configTestWrite writes doc as dir/config.toml with mode (umask ignored).
func configTestWrite(t *testing.T, dir, doc string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if mode == 0 {
		mode = 0o600
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// configTestLoad runs Load with the file passed by --config.
func configTestLoad(t *testing.T, e configTestEnv) (*Settings, string, error) {
	t.Helper()
	dir := t.TempDir()
	path := ""
	if e.doc != "" {
		path = configTestWrite(t, dir, e.doc, e.mode)
	}
	s, err := Load(t.Context(), LoadOptions{
		Getenv:        func(k string) string { return e.env[k] },
		UserConfigDir: func() (string, error) { return filepath.Join(dir, "userconfig"), nil },
		Flags:         withConfig(testFlags(t, e.flags), path),
	})
	return s, path, err
}

func configTestMustLoad(t *testing.T, e configTestEnv) (*Settings, string) {
	t.Helper()
	s, path, err := configTestLoad(t, e)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s, path
}

func TestLoadDefaults(t *testing.T) {
	s, _ := configTestMustLoad(t, configTestEnv{})
	if s.Path != "" {
		t.Errorf("Path = %q, want none", s.Path)
	}
	// The defaults config.example.toml documents.
	wantAPI := API{BaseURL: "https://billing.twilio.com", TokenURL: "https://oauth.twilio.com/v2/token", PageSize: 1000,
		RequestTimeout: 30 * time.Second, MaxRetries: 4, MaxRetryTime: 2 * time.Minute}
	wantQuery := Query{Period: api.ThisMonth, Aggregation: api.Daily}
	wantUI := UI{AutoloadPages: 20, RefreshDays: 7}
	wantAnomaly := Anomaly{Threshold: 3.5, MinImpact: decimal.RequireFromString("5"), MinPercent: 30, LookbackDays: 28, MinHistoryDays: 14}
	if s.API != wantAPI || s.Query != wantQuery || s.UI != wantUI || s.Anomaly.Threshold != wantAnomaly.Threshold ||
		!s.Anomaly.MinImpact.Equal(wantAnomaly.MinImpact) || s.Anomaly.MinPercent != wantAnomaly.MinPercent ||
		s.Anomaly.LookbackDays != wantAnomaly.LookbackDays || s.Anomaly.MinHistoryDays != wantAnomaly.MinHistoryDays {
		t.Errorf("defaults differ:\n got %+v %+v %+v %+v\nwant %+v %+v %+v %+v", s.API, s.Query, s.UI, s.Anomaly, wantAPI, wantQuery, wantUI, wantAnomaly)
	}
	if s.Auth.Secret.Timeout != 10*time.Second {
		t.Errorf("secret command timeout = %s, want 10s", s.Auth.Secret.Timeout)
	}
	if got := s.sources["api.page_size"].String(); got != "default" {
		t.Errorf("source of api.page_size = %q, want default", got)
	}
}

// TestLoadPrecedence checks default < file < env < flag, one
// setting at a time, and that the recorded source is the winning layer.
func TestLoadPrecedence(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		e       configTestEnv
		get     func(*Settings) any
		want    any
		wantSrc string // "file:N" means the config file at line N
	}{
		{"page size default", "api.page_size", configTestEnv{},
			func(s *Settings) any { return s.API.PageSize }, 1000, "default"},
		{"page size file over default", "api.page_size", configTestEnv{doc: "[api]\npage_size = 250\n"},
			func(s *Settings) any { return s.API.PageSize }, 250, "file:2"},
		{"page size flag over file", "api.page_size", configTestEnv{doc: "[api]\npage_size = 250\n", flags: map[string]string{"page-size": "40"}},
			func(s *Settings) any { return s.API.PageSize }, 40, "flag --page-size"},
		{"base url file", "api.base_url", configTestEnv{doc: "[api]\nbase_url = \"https://file.example\"\n"},
			func(s *Settings) any { return s.API.BaseURL }, "https://file.example", "file:2"},
		{"base url env over file", "api.base_url", configTestEnv{doc: "[api]\nbase_url = \"https://file.example\"\n", env: map[string]string{"USAGETOP_BASE_URL": "http://127.0.0.1:8787/"}},
			func(s *Settings) any { return s.API.BaseURL }, "http://127.0.0.1:8787", "env USAGETOP_BASE_URL"},
		{"base url flag over env", "api.base_url", configTestEnv{env: map[string]string{"USAGETOP_BASE_URL": "https://env.example"}, flags: map[string]string{"base-url": "https://flag.example"}},
			func(s *Settings) any { return s.API.BaseURL }, "https://flag.example", "flag --base-url"},
		{"token url flag", "api.token_url", configTestEnv{flags: map[string]string{"token-url": "http://localhost:9/v2/token"}},
			func(s *Settings) any { return s.API.TokenURL }, "http://localhost:9/v2/token", "flag --token-url"},
		{"client id file", "auth.client_id", configTestEnv{doc: "[auth]\nclient_id = \"OQfile\"\n"},
			func(s *Settings) any { return s.Auth.ClientID }, "OQfile", "file:2"},
		{"client id env over file", "auth.client_id", configTestEnv{doc: "[auth]\nclient_id = \"OQfile\"\n", env: map[string]string{"TWILIO_CLIENT_ID": "OQenv"}},
			func(s *Settings) any { return s.Auth.ClientID }, "OQenv", "env TWILIO_CLIENT_ID"},
		{"no_color file", "ui.no_color", configTestEnv{doc: "[ui]\nno_color = true\n"},
			func(s *Settings) any { return s.UI.NoColor }, true, "file:2"},
		{"NO_COLOR env over file", "ui.no_color", configTestEnv{doc: "[ui]\nno_color = false\n", env: map[string]string{"NO_COLOR": "1"}},
			func(s *Settings) any { return s.UI.NoColor }, true, "env NO_COLOR"},
		{"--no-color=false over NO_COLOR", "ui.no_color", configTestEnv{env: map[string]string{"NO_COLOR": "1"}, flags: map[string]string{"no-color": "false"}},
			func(s *Settings) any { return s.UI.NoColor }, false, "flag --no-color"},
		{"ascii flag", "ui.ascii", configTestEnv{doc: "[ui]\nascii = false\n", flags: map[string]string{"ascii": "true"}},
			func(s *Settings) any { return s.UI.ASCII }, true, "flag --ascii"},
		{"period file", "query.period", configTestEnv{doc: "[query]\nperiod = \"last_month\"\n"},
			func(s *Settings) any { return s.Query.Period }, api.LastMonth, "file:2"},
		{"period flag over file range", "query.period", configTestEnv{doc: "[query]\nfrom = 2025-01-01\nto = \"2025-01-31\"\n", flags: map[string]string{"period": "YESTERDAY"}},
			func(s *Settings) any { return [3]any{s.Query.Period, s.Query.From, s.Query.To} }, [3]any{api.Yesterday, api.Date(0), api.Date(0)}, "flag --period"},
		{"range flags over file period", "query.range", configTestEnv{doc: "[query]\nperiod = \"THIS_YEAR\"\n", flags: map[string]string{"from": "2025-02-01", "to": "2025-02-28"}},
			func(s *Settings) any { return [3]any{s.Query.Period, s.Query.From, s.Query.To} },
			[3]any{api.TimePeriod(""), api.NewDate(2025, 2, 1), api.NewDate(2025, 2, 28)}, "flag --from"},
		{"range from file, TOML dates", "query.range", configTestEnv{doc: "[query]\nfrom = 2025-01-01\nto = 2025-01-31\n"},
			func(s *Settings) any { return [2]api.Date{s.Query.From, s.Query.To} }, [2]api.Date{api.NewDate(2025, 1, 1), api.NewDate(2025, 1, 31)}, "file:2"},
		{"aggregation flag over file", "query.aggregation", configTestEnv{doc: "[query]\naggregation = \"DAILY\"\n", flags: map[string]string{"aggregation": "monthly"}},
			func(s *Settings) any { return s.Query.Aggregation }, api.Monthly, "flag --aggregation"},
		{"category flag over file", "query.category", configTestEnv{doc: "[query]\ncategory = \"voice\"\n", flags: map[string]string{"category": "sms"}},
			func(s *Settings) any { return s.Query.Category }, "sms", "flag --category"},
		{"group default_group", "group", configTestEnv{doc: "default_group = \"b\"\n[[groups]]\nname = \"a\"\nid = \"" + configTestID1 + "\"\n[[groups]]\nname = \"b\"\nid = \"" + configTestID2 + "\"\n"},
			func(s *Settings) any { return s.Query.Group }, Group{Name: "b", ID: configTestID2}, "file:1"},
		{"group env over file", "group", configTestEnv{doc: "default_group = \"b\"\n[[groups]]\nname = \"a\"\nid = \"" + configTestID1 + "\"\n[[groups]]\nname = \"b\"\nid = \"" + configTestID2 + "\"\n", env: map[string]string{"USAGETOP_GROUP": "a"}},
			func(s *Settings) any { return s.Query.Group }, Group{Name: "a", ID: configTestID1}, "env USAGETOP_GROUP"},
		{"group flag over env", "group", configTestEnv{doc: "[[groups]]\nname = \"a\"\nid = \"" + configTestID1 + "\"\n[[groups]]\nname = \"b\"\nid = \"" + configTestID2 + "\"\n", env: map[string]string{"USAGETOP_GROUP": "a"}, flags: map[string]string{"group": "b"}},
			func(s *Settings) any { return s.Query.Group }, Group{Name: "b", ID: configTestID2}, "flag --group"},
		{"secret env over file command", "auth.secret", configTestEnv{doc: "[auth]\nsecret_command = [\"pass\", \"show\", \"x\"]\n", env: map[string]string{"TWILIO_CLIENT_SECRET": "s"}},
			func(s *Settings) any { return strings.Join(s.Auth.Secret.Command, " ") }, "pass show x", "env TWILIO_CLIENT_SECRET"},
		{"anomaly threshold file", "anomaly.threshold", configTestEnv{doc: "[anomaly]\nthreshold = 4\n"},
			func(s *Settings) any { return s.Anomaly.Threshold }, 4.0, "file:2"},
		{"min_impact file", "anomaly.min_impact", configTestEnv{doc: "[anomaly]\n\nmin_impact = \"12.50\"\n"},
			func(s *Settings) any { return s.Anomaly.MinImpact.String() }, "12.5", "file:3"},
		{"min_impact integer", "anomaly.min_impact", configTestEnv{doc: "[anomaly]\nmin_impact = 7\n"},
			func(s *Settings) any { return s.Anomaly.MinImpact.String() }, "7", "file:2"},
		{"inline table keys have lines", "api.request_timeout", configTestEnv{doc: "api = { page_size = 9,\n  request_timeout = \"5s\" }\n"},
			func(s *Settings) any { return s.API.RequestTimeout.String() }, "5s", "file:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := configTestMustLoad(t, tt.e)
			if got := tt.get(s); got != tt.want {
				t.Errorf("value = %#v, want %#v", got, tt.want)
			}
			want := tt.wantSrc
			if strings.HasPrefix(want, "file:") {
				want = path + want[4:]
			}
			if got := s.sources[tt.key].String(); got != want {
				t.Errorf("source of %s = %q, want %q", tt.key, got, want)
			}
		})
	}
}

func TestLoadConfigPath(t *testing.T) {
	dir := t.TempDir()
	flagFile := configTestWrite(t, filepath.Join(dir), "[api]\npage_size = 1\n", 0o600)
	envDir := filepath.Join(dir, "env")
	userDir := filepath.Join(dir, "user")
	for _, d := range []string{envDir, filepath.Join(userDir, "usagetop")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	envFile := configTestWrite(t, envDir, "[api]\npage_size = 2\n", 0o600)
	userFile := configTestWrite(t, filepath.Join(userDir, "usagetop"), "[api]\npage_size = 3\n", 0o600)
	missing := filepath.Join(dir, "nope.toml")

	tests := []struct {
		name     string
		flag     string
		env      string
		userDir  string
		userErr  error
		wantSize int
		wantPath string
		wantErr  string
	}{
		{"--config wins", flagFile, envFile, userDir, nil, 1, flagFile, ""},
		{"USAGETOP_CONFIG next", "", envFile, userDir, nil, 2, envFile, ""},
		{"user config dir last", "", "", userDir, nil, 3, userFile, ""},
		{"default missing is fine", "", "", filepath.Join(dir, "empty"), nil, 1000, "", ""},
		{"no user config dir is fine", "", "", "", errors.New("$HOME is not defined"), 1000, "", ""},
		{"--config missing is an error", missing, "", userDir, nil, 0, "", "flag --config: config file " + missing + " does not exist"},
		{"USAGETOP_CONFIG missing is an error", "", missing, userDir, nil, 0, "", "env USAGETOP_CONFIG: config file " + missing + " does not exist"},
		{"a directory is an error", "", dir, userDir, nil, 0, "", "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(t.Context(), LoadOptions{
				Flags:         withConfig(testFlagSet(QueryCommands|ScreenCommands), tt.flag),
				Getenv:        func(k string) string { return map[string]string{"USAGETOP_CONFIG": tt.env}[k] },
				UserConfigDir: func() (string, error) { return tt.userDir, tt.userErr },
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.API.PageSize != tt.wantSize || s.Path != tt.wantPath {
				t.Errorf("page size %d from %q, want %d from %q", s.API.PageSize, s.Path, tt.wantSize, tt.wantPath)
			}
		})
	}
}

func TestLoadGroupSelection(t *testing.T) {
	groups := "[[groups]]\nname = \"Production\"\nid = \"" + configTestID1 + "\"\n\n[[groups]]\nname = \"staging\"\nid = \"" + configTestID2 + "\"\n"
	other := "commerce_billingprofile_cccccccccccccccccccc"
	tests := []struct {
		name    string
		doc     string
		group   string
		want    Group
		wantErr []string
	}{
		{"first group when none chosen", groups, "", Group{"Production", configTestID1}, nil},
		{"by name", groups, "staging", Group{"staging", configTestID2}, nil},
		{"by name, any case", groups, "production", Group{"Production", configTestID1}, nil},
		{"by configured id gets its name", groups, configTestID2, Group{"staging", configTestID2}, nil},
		{"by unconfigured id", groups, other, Group{ID: other}, nil},
		{"id without any config", "", other, Group{ID: other}, nil},
		{"no group at all", "", "", Group{}, nil},
		{"unknown name lists the names", groups, "prod", Group{}, []string{"flag --group", `unknown billing group "prod"`, "Production, staging"}},
		{"unknown name with no groups", "", "prod", Group{}, []string{"no groups are configured", "[[groups]]"}},
		{"malformed id", groups, "commerce_billingprofile_", Group{}, []string{"flag --group", "is not a billing group id"}},
		{"bad default_group", "default_group = \"nope\"\n" + groups, "", Group{}, []string{":1: default_group: unknown billing group \"nope\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := configTestEnv{doc: tt.doc}
			if tt.group != "" {
				e.flags = map[string]string{"group": tt.group}
			}
			s, _, err := configTestLoad(t, e)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, group %+v", s.Query.Group)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Query.Group != tt.want {
				t.Errorf("group = %+v, want %+v", s.Query.Group, tt.want)
			}
		})
	}
}

// TestLoadInvalidValues checks that each bad value is refused with a
// message that names where it is and what would be accepted.
func TestLoadInvalidValues(t *testing.T) {
	tests := []struct {
		name string
		e    configTestEnv
		want []string // substrings of the error; "@N" is the file path and line N
	}{
		{"page size zero", configTestEnv{doc: "[api]\npage_size = 0\n"}, []string{"@2: api.page_size: 0 is out of range; use 1 to 1000"}},
		{"page size too big by flag", configTestEnv{flags: map[string]string{"page-size": "5000"}}, []string{"flag --page-size: 5000 is out of range"}},
		{"page size not a number", configTestEnv{flags: map[string]string{"page-size": "lots"}}, []string{"flag --page-size", `"lots" is not a whole number`}},
		{"bad duration", configTestEnv{doc: "[api]\nrequest_timeout = \"30\"\n"}, []string{"@2: api.request_timeout", `write it like "30s"`}},
		{"negative duration", configTestEnv{doc: "[api]\nmax_retry_time = \"-1s\"\n"}, []string{"@2: api.max_retry_time: must be more than zero"}},
		{"too many retries", configTestEnv{doc: "[api]\nmax_retries = 100\n"}, []string{"@2: api.max_retries: 100 is out of range"}},
		{"plain http off loopback", configTestEnv{doc: "[api]\nbase_url = \"http://billing.example.com\"\n"}, []string{"@2: api.base_url", "plain http", "use https"}},
		{"relative url", configTestEnv{flags: map[string]string{"token-url": "oauth.twilio.com/v2/token"}}, []string{"flag --token-url", "not an absolute URL"}},
		{"password in url is redacted", configTestEnv{env: map[string]string{"USAGETOP_BASE_URL": "https://me:pa55word@host"}}, []string{"env USAGETOP_BASE_URL", "credentials go in [auth]"}},
		{"bad period", configTestEnv{doc: "[query]\nperiod = \"LAST_WEEK\"\n"}, []string{"@2: query.period", `unknown period "LAST_WEEK"`, "THIS_MONTH"}},
		{"period and range", configTestEnv{doc: "[query]\nperiod = \"THIS_MONTH\"\nfrom = 2025-01-01\nto = 2025-01-02\n"}, []string{"@3: query.from", "cannot be used together"}},
		{"from without to", configTestEnv{flags: map[string]string{"from": "2025-01-01"}}, []string{"flag --from", "needs an end date"}},
		{"to without from", configTestEnv{doc: "[query]\nto = 2025-01-01\n"}, []string{"@2: query.to", "needs a start date"}},
		{"impossible date", configTestEnv{flags: map[string]string{"from": "2025-02-30", "to": "2025-03-01"}}, []string{"flag --from", `"2025-02-30" is not a valid date`}},
		{"reversed range", configTestEnv{flags: map[string]string{"from": "2025-03-01", "to": "2025-02-01"}}, []string{"flag --to", "before start date"}},
		{"range too long", configTestEnv{doc: "[query]\nfrom = 2024-01-01\nto = 2025-06-01\n"}, []string{"@3: query.to", "at most 365"}},
		{"date of the wrong type", configTestEnv{doc: "[query]\nfrom = 20250101\nto = 2025-01-02\n"}, []string{"@2: query.from", "expected a date", "found an integer"}},
		{"bad aggregation", configTestEnv{flags: map[string]string{"aggregation": "weekly"}}, []string{"flag --aggregation", "use DAILY or MONTHLY"}},
		{"control characters in category", configTestEnv{doc: "[query]\ncategory = \"sms\\u001b[2J\"\n"}, []string{"@2: query.category", "control characters"}},
		{"min_impact as float", configTestEnv{doc: "[anomaly]\nmin_impact = 5.5\n"}, []string{"@2: anomaly.min_impact", `min_impact = "5.5"`}},
		{"min_impact negative", configTestEnv{doc: "[anomaly]\nmin_impact = \"-1\"\n"}, []string{"@2: anomaly.min_impact: cannot be negative"}},
		{"min_impact not money", configTestEnv{doc: "[anomaly]\nmin_impact = \"five\"\n"}, []string{"@2: anomaly.min_impact", "not an amount"}},
		{"threshold zero", configTestEnv{doc: "[anomaly]\nthreshold = 0\n"}, []string{"@2: anomaly.threshold: 0 is out of range"}},
		{"threshold nan", configTestEnv{doc: "[anomaly]\nthreshold = nan\n"}, []string{"@2: anomaly.threshold: must be a finite number"}},
		{"lookback too short", configTestEnv{doc: "[anomaly]\nlookback_days = 3\n"}, []string{"@2: anomaly.lookback_days: 3 is out of range; use 7 to 365"}},
		{"history longer than lookback", configTestEnv{doc: "[anomaly]\nlookback_days = 10\n"}, []string{"@2: anomaly.lookback_days", "min_history_days (14) cannot exceed lookback_days (10)"}},
		{"autoload zero", configTestEnv{doc: "[ui]\nautoload_pages = 0\n"}, []string{"@2: ui.autoload_pages"}},
		{"bool flag", configTestEnv{flags: map[string]string{"ascii": "maybe"}}, []string{"flag --ascii", "not true or false"}},
		{"bad secret_env", configTestEnv{doc: "[auth]\nsecret_env = \"MY-SECRET\"\n"}, []string{"@2: auth.secret_env", "not an environment variable name"}},
		{"empty secret_command", configTestEnv{doc: "[auth]\nsecret_command = []\n"}, []string{"@2: auth.secret_command", "needs the program"}},
		{"two secret sources", configTestEnv{doc: "[auth]\nsecret_env = \"A\"\nsecret_command = [\"pass\"]\n"}, []string{"@3: auth.secret_command", "set only one of auth.secret_env, auth.secret_command"}},
		{"client id with spaces", configTestEnv{env: map[string]string{"TWILIO_CLIENT_ID": "OQ abc"}}, []string{"env TWILIO_CLIENT_ID", "one word"}},
		{"group without id", configTestEnv{doc: "[[groups]]\nname = \"a\"\n"}, []string{"@1: groups.id", "group 1 has no id"}},
		{"group with a bad id", configTestEnv{doc: "[[groups]]\nname = \"a\"\nid = \"AC123\"\n"}, []string{"@3: groups.id", `"AC123" is not a billing group id`}},
		{"group name that is an id", configTestEnv{doc: "[[groups]]\nname = \"" + configTestID1 + "\"\nid = \"" + configTestID1 + "\"\n"}, []string{"@2: groups.name", "cannot start with"}},
		{"duplicate group names", configTestEnv{doc: "[[groups]]\nname = \"a\"\nid = \"" + configTestID1 + "\"\n[[groups]]\nname = \"A\"\nid = \"" + configTestID2 + "\"\n"}, []string{"@5: groups.name", "used twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path, err := configTestLoad(t, tt.e)
			if err == nil {
				t.Fatalf("no error; settings:\n%s", reportOf(s))
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "@", path+":")
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "pa55word") {
				t.Errorf("error shows the URL's password: %q", err)
			}
			if len(Errors(err)) == 0 {
				t.Errorf("error %T holds no *Error", err)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, _, err := configTestLoad(t, configTestEnv{
		doc:   "[api]\npage_size = 0\nrequest_timeout = \"x\"\n",
		flags: map[string]string{"period": "SOMEDAY"},
	})
	if n := len(Errors(err)); n != 3 {
		t.Errorf("%d problems reported, want 3: %v", n, err)
	}
}

func TestResolveSecretUsesLoadedEnvironment(t *testing.T) {
	s, _ := configTestMustLoad(t, configTestEnv{
		doc: "[auth]\nclient_id = \"OQ1\"\nsecret_env = \"VAULT_TWILIO\"\n",
		env: map[string]string{"VAULT_TWILIO": "from-vault"},
	})
	got, err := s.ResolveSecret(t.Context())
	if err != nil || got != "from-vault" {
		t.Errorf("ResolveSecret = %q, %v; want from-vault", got, err)
	}
}

func TestReplaceGroups(t *testing.T) {
	demo := []Group{{"demo-usd", configTestID1}, {"demo-gbp", configTestID2}}
	tests := []struct {
		sel     string
		want    Group
		wantErr string
	}{
		{"", demo[0], ""},
		{"demo-gbp", demo[1], ""},
		{configTestID2, demo[1], ""},
		{"production", Group{}, "demo-usd, demo-gbp"},
	}
	for _, tt := range tests {
		s, _ := configTestMustLoad(t, configTestEnv{doc: "[[groups]]\nname = \"production\"\nid = \"commerce_billingprofile_cccccccccccccccccccc\"\n"})
		err := s.ReplaceGroups(demo, tt.sel)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err = %v, want %q", tt.sel, err, tt.wantErr)
			}
			continue
		}
		if err != nil || s.Query.Group != tt.want || len(s.Groups) != 2 {
			t.Errorf("%q: group %+v, groups %v, err %v; want %+v", tt.sel, s.Query.Group, s.Groups, err, tt.want)
		}
	}
}

func TestDetectorConfigTakesTheAnomalyTable(t *testing.T) {
	s, _ := configTestMustLoad(t, configTestEnv{doc: "[anomaly]\nthreshold = 5\nmin_impact = \"12.50\"\nmin_percent = 40\nlookback_days = 56\nmin_history_days = 21\n"})
	cfg := s.DetectorConfig()
	if cfg.Threshold != 5 || !cfg.MinImpact.Equal(decimal.RequireFromString("12.5")) || cfg.MinPercent != 40 ||
		cfg.LookbackDays != 56 || cfg.MinHistoryDays != 21 {
		t.Errorf("DetectorConfig() = %+v, want the file's thresholds", cfg)
	}
}

// testFlags registers the query commands' flags and sets the given ones, as
// a command line would.
func testFlags(t *testing.T, flags map[string]string) *pflag.FlagSet {
	t.Helper()
	fs := testFlagSet(QueryCommands | ScreenCommands)
	for name, v := range flags {
		if err := fs.Set(name, v); err != nil {
			t.Fatalf("--%s=%s: %v", name, v, err)
		}
	}
	return fs
}

// reportOf is the config check report of s.
func reportOf(s *Settings) string {
	var b strings.Builder
	_ = s.WriteReport(&b)
	return b.String()
}

// withConfig sets --config to path, unless path is empty.
func withConfig(fs *pflag.FlagSet, path string) *pflag.FlagSet {
	if path != "" {
		if err := fs.Set("config", path); err != nil {
			panic(err)
		}
	}
	return fs
}

// testFlagSet is a command line with the flags of cmds registered.
func testFlagSet(cmds Commands) *pflag.FlagSet {
	fs := pflag.NewFlagSet("usagetop", pflag.ContinueOnError)
	RegisterFlags(fs, cmds)
	return fs
}
