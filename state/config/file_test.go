package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// configTestCopy copies a testdata file into a temp dir with mode.
func configTestCopy(t *testing.T, name string, mode os.FileMode) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return configTestWrite(t, t.TempDir(), string(data), mode)
}

func configTestLoadPath(path string, env map[string]string) (*Settings, error) {
	return Load(context.Background(), LoadOptions{
		Flags:         withConfig(testFlagSet(QueryCommands|ScreenCommands), path),
		Getenv:        func(k string) string { return env[k] },
		UserConfigDir: func() (string, error) { return "", os.ErrNotExist },
	})
}

func TestConfigUnknownKeysNameKeyAndLine(t *testing.T) {
	path := configTestCopy(t, "unknown_keys.toml", 0o600)
	_, err := configTestLoadPath(path, nil)
	if err == nil {
		t.Fatal("unknown keys accepted")
	}
	for _, want := range []string{
		path + ":7: groups.colour: unknown key",
		path + ":10: api.page_sise: unknown key; did you mean page_size?",
		path + ":12: uii: unknown key; did you mean ui?",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if n := len(Errors(err)); n != 3 {
		t.Errorf("%d errors, want 3", n)
	}
}

func TestConfigWrongTypesNameKeyAndLine(t *testing.T) {
	path := configTestCopy(t, "wrong_types.toml", 0o600)
	_, err := configTestLoadPath(path, nil)
	want := path + ":3: api.page_size: expected a whole number from 1 to 1000, found a TOML string"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}

	tests := []struct {
		doc  string
		want string
	}{
		{"[auth]\nsecret_command = \"pass show twilio\"\n", `:2: auth.secret_command: expected a list of strings, e.g. ["pass", "show", "twilio"] (it runs without a shell), found a TOML string`},
		{"[api]\nrequest_timeout = 30\n", `:2: api.request_timeout: expected a duration in quotes, e.g. "30s", found a TOML integer`},
		{"[ui]\nascii = \"yes\"\n", `:2: ui.ascii: expected true or false, found a TOML string`},
		{"groups = \"main\"\n", `:1: groups: expected [[groups]] tables`},
		{"api = 3\n", `:1: api: expected the [api] table, found a TOML integer`},
		{"[[groups]]\nname = 1\n", `:2: groups.name: expected a string in quotes, found a TOML integer`},
		{"[auth]\nsecret = 12345\n", `:2: auth.secret: expected a string in quotes, found a TOML integer`},
		{"[anomaly]\nlookback_days = 2.5\n", `:2: anomaly.lookback_days: expected a whole number of days, e.g. 28, found a TOML float`},
		{"[api]\npage_size = 99999999999999999999\n", `:2: api.page_size:`},
	}
	for _, tt := range tests {
		path := configTestWrite(t, t.TempDir(), tt.doc, 0o600)
		_, err := configTestLoadPath(path, nil)
		if err == nil || !strings.Contains(err.Error(), path+tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.doc, err, tt.want)
		}
	}
}

func TestConfigSyntaxErrorNamesLine(t *testing.T) {
	path := configTestWrite(t, t.TempDir(), "[api]\npage_size = 10\n[query\n", 0o600)
	_, err := configTestLoadPath(path, nil)
	if err == nil || !strings.Contains(err.Error(), path+":3: syntax error") {
		t.Fatalf("err = %v, want a syntax error at line 3", err)
	}
}

// TestConfigErrorsNeverQuoteAnInlineSecret feeds broken files whose bad
// spot is the secret itself: the message may say where, never what.
func TestConfigErrorsNeverQuoteAnInlineSecret(t *testing.T) {
	const secret = "Zq9SECRETvalue77"
	for _, doc := range []string{
		"[auth]\nsecret = \"" + secret + "\n",
		"[auth]\nsecret = \"" + secret + "\"" + secret + "\n",
		"[auth]\nsecret = " + secret + "\n",
		"[auth]\nsecret = '" + secret + "'\nsecret = 'x'\n",
		"[auth]\nsecret = \"\\q" + secret + "\"\n",
		"[auth]\nsecret = 1." + secret + "\n",
		"[auth]\nsecret = [\"" + secret + "\"]\n",
		"[auth]\n" + secret + " = 1\n",
	} {
		path := configTestWrite(t, t.TempDir(), doc, 0o644)
		_, err := configTestLoadPath(path, nil)
		if err == nil {
			t.Errorf("%q loaded", doc)
			continue
		}
		if strings.Contains(err.Error(), secret) && !strings.HasPrefix(doc, "[auth]\n"+secret) {
			t.Errorf("%q: error quotes the secret: %v", doc, err)
		}
	}
}

func TestConfigInlineSecretFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes")
	}
	const secret = "tw-inline-S3CRET-value"
	tests := []struct {
		mode    os.FileMode
		refused bool
	}{
		{0o644, true},
		{0o640, true},
		{0o604, true},
		{0o660, true},
		{0o600, false},
		{0o400, false},
	}
	for _, tt := range tests {
		path := configTestCopy(t, "inline_secret.toml", tt.mode)
		s, err := configTestLoadPath(path, nil)
		if !tt.refused {
			if err != nil {
				t.Errorf("mode %04o: %v", tt.mode, err)
				continue
			}
			if got, _ := s.ResolveSecret(t.Context()); got != secret {
				t.Errorf("mode %04o: inline secret not resolved", tt.mode)
			}
			continue
		}
		if err == nil {
			t.Errorf("mode %04o: a readable file with an inline secret was accepted", tt.mode)
			continue
		}
		msg := err.Error()
		for _, want := range []string{path + ":8: auth.secret", "other users can read it", "chmod 600 " + path} {
			if !strings.Contains(msg, want) {
				t.Errorf("mode %04o: error %q lacks %q", tt.mode, msg, want)
			}
		}
		if strings.Contains(msg, secret) {
			t.Errorf("mode %04o: error shows the secret", tt.mode)
		}
	}
}

func TestConfigSecretEnvAndCommandAllowedInReadableFile(t *testing.T) {
	for _, doc := range []string{
		"[auth]\nsecret_env = \"VAULT\"\n",
		"[auth]\nsecret_command = [\"pass\", \"show\", \"twilio\"]\n",
	} {
		path := configTestWrite(t, t.TempDir(), doc, 0o644)
		if _, err := configTestLoadPath(path, nil); err != nil {
			t.Errorf("%q at 0644: %v", doc, err)
		}
	}
}

func TestConfigKeyLines(t *testing.T) {
	doc := "a = 1\n" +
		"[t]\n" +
		"b = 2\n" +
		"c.d = 3\n" +
		"[[g]]\n" +
		"n = 'x'\n" +
		"[[g]]\n" +
		"\n" +
		"n = 'y'\n" +
		"i = { p = 1, q = [ { r = 2 } ] }\n"
	want := map[string]int{
		"a": 1, "t": 2, "t.b": 3, "t.c.d": 4,
		"g": 5, "g[0]": 5, "g[0].n": 6, "g[1]": 7, "g[1].n": 9,
		"g[1].i": 10, "g[1].i.p": 10, "g[1].i.q[0].r": 10,
	}
	got := keyLines([]byte(doc))
	for k, line := range want {
		if got[k] != line {
			t.Errorf("line of %s = %d, want %d", k, got[k], line)
		}
	}
}

// TestConfigKeyHintsCoverEveryKey keeps type-error messages specific: each
// key of the file format says what it expects.
func TestConfigKeyHintsCoverEveryKey(t *testing.T) {
	for _, k := range keys {
		if h := hint(k.Name); h == "another type" || h == "" {
			t.Errorf("no hint for %s", k.Name)
		}
	}
}

func TestConfigEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"page_sise", "page_size", 1}, {"", "abc", 3}, {"uii", "ui", 1}, {"kitten", "sitting", 3}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestConfigWritableByOthersRefusedWhenItSetsGuardedKeys: another user who
// can write the file could change the command that prints the secret, or
// where the secret and token are sent; such a file is refused with the fix.
func TestConfigWritableByOthersRefusedWhenItSetsGuardedKeys(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes")
	}
	tests := []struct {
		name    string
		doc     string
		mode    os.FileMode
		refused string // the key named, or "" when accepted
	}{
		{"command, world-writable", "[auth]\nsecret_command = [\"pass\", \"show\", \"twilio\"]\n", 0o646, "@2: auth.secret_command"},
		{"command, group-writable", "[auth]\nsecret_command = [\"pass\"]\n", 0o660, "@2: auth.secret_command"},
		{"base url, world-writable", "[api]\n\nbase_url = \"https://billing.example\"\n", 0o666, "@3: api.base_url"},
		{"token url, group-writable", "[api]\ntoken_url = \"https://oauth.example/v2/token\"\n", 0o620, "@2: api.token_url"},
		{"command, readable only", "[auth]\nsecret_command = [\"pass\"]\n", 0o644, ""},
		{"writable, nothing guarded", "[ui]\nascii = true\n[api]\npage_size = 9\n", 0o666, ""},
		{"command, private", "[auth]\nsecret_command = [\"pass\"]\n", 0o600, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := configTestWrite(t, t.TempDir(), tt.doc, tt.mode)
			_, err := configTestLoadPath(path, nil)
			if tt.refused == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("mode %04o accepted", tt.mode)
			}
			for _, want := range []string{strings.ReplaceAll(tt.refused, "@", path+":"), "other users can write this file", "chmod go-w " + path} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

// TestConfigByteOrderMarkIsDropped: a file saved by an editor that writes a
// UTF-8 byte-order mark loads, with its lines numbered as before.
func TestConfigByteOrderMarkIsDropped(t *testing.T) {
	path := configTestWrite(t, t.TempDir(), "\xef\xbb\xbf[api]\npage_size = 42\n", 0o600)
	s, err := configTestLoadPath(path, nil)
	if err != nil {
		t.Fatalf("a file with a byte-order mark: %v", err)
	}
	if s.API.PageSize != 42 || s.sources["api.page_size"].Line != 2 {
		t.Errorf("page size %d from line %d, want 42 from line 2", s.API.PageSize, s.sources["api.page_size"].Line)
	}
	path = configTestWrite(t, t.TempDir(), "\xef\xbb\xbf[api]\npage_size = 0\n", 0o600)
	if _, err := configTestLoadPath(path, nil); err == nil || !strings.Contains(err.Error(), path+":2: api.page_size") {
		t.Errorf("err = %v, want the error on line 2", err)
	}
}

// TestConfigNotARegularFile: a directory or a device named as the config
// file is refused, saying what it is, without reading it.
func TestConfigNotARegularFile(t *testing.T) {
	paths := map[string]string{t.TempDir(): "is a directory, not a config file"}
	if runtime.GOOS != "windows" {
		paths[os.DevNull] = "is a device, not a config file"
	}
	for path, want := range paths {
		_, err := configTestLoadPath(path, nil)
		if err == nil || !strings.Contains(err.Error(), path+": "+want) || len(Errors(err)) != 1 {
			t.Errorf("%s: err = %v, want %q", path, err, want)
		}
	}
}

// TestLoadStopsWhenCancelled: an interrupted load says so, rather than
// reporting a configuration problem.
func TestLoadStopsWhenCancelled(t *testing.T) {
	path := configTestWrite(t, t.TempDir(), "[api]\npage_size = 9\n", 0o600)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Load(ctx, LoadOptions{Flags: withConfig(testFlagSet(QueryCommands|ScreenCommands), path), Getenv: func(string) string { return "" }})
	if !errors.Is(err, context.Canceled) || len(Errors(err)) != 0 {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
