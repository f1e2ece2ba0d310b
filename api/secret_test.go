package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const testSecret = "hunter2-Sup3rS3cret"

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret(testSecret)
	type holder struct {
		Name   string
		Secret Secret
		Ptr    *Secret
		Source SecretSource
	}
	h := holder{Name: "x", Secret: s, Ptr: &s, Source: SecretSource{Env: "E", Inline: s}}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s), fmt.Sprintf(verb, h), fmt.Sprintf(verb, &h))
	}
	js, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(js))
	txt, _ := s.MarshalText()
	outs = append(outs, string(txt), s.String(), s.GoString())
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("auth", "secret", s)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("auth", "holder", h)
	outs = append(outs, logged.String())
	for _, o := range outs {
		if strings.Contains(o, testSecret) || strings.Contains(o, fmt.Sprintf("%x", testSecret)) {
			t.Errorf("secret leaked in %q", o)
		}
	}
	if got := fmt.Sprintf("%v", s); got != "[redacted]" {
		t.Errorf("%%v = %q, want [redacted]", got)
	}
	if s.Reveal() != testSecret {
		t.Errorf("Reveal lost the value")
	}
}

func TestSecretUnmarshalText(t *testing.T) {
	var s Secret
	if err := s.UnmarshalText([]byte(testSecret)); err != nil {
		t.Fatal(err)
	}
	if s.Reveal() != testSecret || s.IsZero() {
		t.Errorf("UnmarshalText stored %q", s.Reveal())
	}
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeScript creates an executable shell script in a temp dir. The product
// never runs a shell; the test uses one only as a stand-in password manager.
func writeScript(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("secret command tests use POSIX shell scripts")
	}
	p := filepath.Join(t.TempDir(), "fake-pass")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestResolveOrder(t *testing.T) {
	script := writeScript(t, `printf '%s\n' from-command`)
	tests := []struct {
		name string
		src  SecretSource
		env  map[string]string
		want string
	}{
		{"TWILIO_CLIENT_SECRET beats everything", SecretSource{Env: "MINE", Command: []string{script}, Inline: NewSecret("inline")},
			map[string]string{SecretEnvVar: "from-twilio-env", "MINE": "from-mine"}, "from-twilio-env"},
		{"named env var beats command and inline", SecretSource{Env: "MINE", Command: []string{script}, Inline: NewSecret("inline")},
			map[string]string{"MINE": "from-mine"}, "from-mine"},
		{"empty named env var falls through to the command", SecretSource{Env: "MINE", Command: []string{script}},
			nil, "from-command"},
		{"command beats inline", SecretSource{Command: []string{script}, Inline: NewSecret("inline")}, nil, "from-command"},
		{"inline last", SecretSource{Inline: NewSecret("inline")}, nil, "inline"},
		{"env alone with nothing configured", SecretSource{}, map[string]string{SecretEnvVar: "e"}, "e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.src.Resolve(context.Background(), envOf(tt.env))
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got != tt.want {
				t.Errorf("Resolve = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResolveNothingConfigured(t *testing.T) {
	_, err := SecretSource{}.Resolve(context.Background(), envOf(nil))
	if !errors.Is(err, ErrNoSecret) {
		t.Fatalf("err = %v, want ErrNoSecret", err)
	}
	if !strings.Contains(err.Error(), SecretEnvVar) {
		t.Errorf("error %q does not say how to fix it", err)
	}
}

func TestResolveNamedEnvMissing(t *testing.T) {
	_, err := SecretSource{Env: "VAULT_TWILIO"}.Resolve(context.Background(), envOf(nil))
	if err == nil || !strings.Contains(err.Error(), "VAULT_TWILIO") {
		t.Fatalf("err = %v, want one naming VAULT_TWILIO", err)
	}
	if !errors.Is(err, ErrNoSecret) {
		t.Errorf("err = %v is not ErrNoSecret: an empty source is a missing secret", err)
	}
}

func TestSecretCommandArgsWithoutShell(t *testing.T) {
	// The script prints its first argument; a shell would have expanded it.
	script := writeScript(t, `printf '%s\n' "$1"`)
	arg := "a b $HOME `id` ;|*"
	got, err := SecretSource{Command: []string{script, arg}}.Resolve(context.Background(), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got != arg {
		t.Errorf("got %q, want the argument passed literally %q", got, arg)
	}
}

func TestSecretCommandTrimsOnlyTrailingNewline(t *testing.T) {
	for _, tt := range []struct{ out, want string }{
		{`printf '  s e c  \n'`, "  s e c  "},
		{`printf 'crlf\r\n'`, "crlf"},
		{`printf 'no-newline'`, "no-newline"},
	} {
		script := writeScript(t, tt.out)
		got, err := SecretSource{Command: []string{script}}.Resolve(context.Background(), envOf(nil))
		if err != nil {
			t.Fatalf("%s: %v", tt.out, err)
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.out, got, tt.want)
		}
	}
}

func TestSecretCommandFailures(t *testing.T) {
	big := strings.Repeat(testSecret, maxSecretOutput/len(testSecret)+2)
	tests := []struct {
		name    string
		body    string
		timeout time.Duration
		want    string
		is      error
	}{
		{"non-zero exit", "echo " + testSecret + "; echo " + testSecret + " >&2; exit 3", 0, "exit status 3", nil},
		{"empty output", "exit 0", 0, "printed nothing", nil},
		{"only a newline", "echo", 0, "printed nothing", nil},
		{"several lines", "printf '%s\\nurl: x\\n' " + testSecret, 0, "more than one line", nil},
		{"too much output", "printf '%s' " + big, 0, "printed more than", nil},
		{"timeout", "echo " + testSecret + "; exec sleep 30", 50 * time.Millisecond, "timed out after 50ms", context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := writeScript(t, tt.body)
			got, err := SecretSource{Command: []string{script, "arg"}, Timeout: tt.timeout}.Resolve(context.Background(), envOf(nil))
			if err == nil {
				t.Fatalf("no error, got a secret of %d bytes", len(got))
			}
			var ce *SecretCommandError
			if !errors.As(err, &ce) {
				t.Fatalf("err %T %v, want *SecretCommandError", err, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not say %q", msg, tt.want)
			}
			if !strings.Contains(msg, `"fake-pass"`) {
				t.Errorf("error %q does not name the command", msg)
			}
			if strings.Contains(msg, testSecret) || strings.Contains(fmt.Sprintf("%+v", err), testSecret) {
				t.Errorf("error leaks the command output: %q", msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
		})
	}
}

func TestSecretCommandNotFound(t *testing.T) {
	for _, name := range []string{"usagetop-no-such-password-manager", filepath.Join(t.TempDir(), "missing")} {
		_, err := SecretSource{Command: []string{name}}.Resolve(context.Background(), envOf(nil))
		if err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("%s: err = %v, want not found", name, err)
		}
	}
}

func TestSecretCommandCancelled(t *testing.T) {
	script := writeScript(t, "exec sleep 30")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := SecretSource{Command: []string{script}}.Resolve(ctx, envOf(nil))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestSecretSourceDescribe(t *testing.T) {
	tests := []struct {
		src  SecretSource
		want string
	}{
		{SecretSource{}, "not set"},
		{SecretSource{Env: "VAULT"}, "env VAULT"},
		{SecretSource{Command: []string{"pass", "show", "twilio"}}, "command: pass show twilio (not run)"},
		{SecretSource{Inline: NewSecret(testSecret)}, "inline in the config file (set)"},
	}
	for _, tt := range tests {
		if got := tt.src.Describe(); got != tt.want {
			t.Errorf("Describe() = %q, want %q", got, tt.want)
		}
	}
}
