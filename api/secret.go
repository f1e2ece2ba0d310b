package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// SecretEnvVar is the environment variable that always supplies the client
// secret when set, whatever the config file says.
const SecretEnvVar = "TWILIO_CLIENT_SECRET"

// DefaultSecretCommandTimeout bounds a secret command when no timeout is
// configured: a password manager waiting on a prompt must not hang usagetop.
const DefaultSecretCommandTimeout = 10 * time.Second

// maxSecretOutput caps what a secret command may print; a secret is short,
// so anything larger is a misconfigured command, not a secret.
const maxSecretOutput = 64 << 10

// secretRedacted is what a Secret prints as, in every format.
const secretRedacted = "[redacted]"

// Secret holds a credential. It prints as "[redacted]" with every fmt verb,
// in JSON, as text and in slog, so a Secret inside a struct that is logged or
// dumped never shows its value; only Reveal returns it.
type Secret struct {
	value string
}

// NewSecret wraps value.
func NewSecret(value string) Secret { return Secret{value: value} }

// Reveal returns the secret's value, for the one place that must send it.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether no secret is held.
func (s Secret) IsZero() bool { return s.value == "" }

// String returns "[redacted]".
func (s Secret) String() string { return secretRedacted }

// GoString returns "[redacted]", so %#v does not show the value either.
func (s Secret) GoString() string { return secretRedacted }

// Format prints "[redacted]" for every verb (%v %+v %#v %s %q %x ...),
// because fmt would otherwise reach the field through some of them.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, secretRedacted) }

// MarshalJSON encodes the secret as the string "[redacted]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + secretRedacted + `"`), nil }

// MarshalText encodes the secret as "[redacted]" (TOML, YAML and friends).
func (s Secret) MarshalText() ([]byte, error) { return []byte(secretRedacted), nil }

// UnmarshalText stores text as the secret, so a config decoder can fill a
// Secret directly and the value never sits in a plain string field.
func (s *Secret) UnmarshalText(text []byte) error {
	s.value = string(text)
	return nil
}

// LogValue keeps the value out of structured logs.
func (s Secret) LogValue() slog.Value { return slog.StringValue(secretRedacted) }

// ErrNoSecret means no client secret is configured anywhere, or the
// variable named by secret_env is empty (errors.Is matches both).
var ErrNoSecret = errors.New("no client secret: set " + SecretEnvVar +
	", or in the config file's [auth] table set secret_env (the name of an environment variable)" +
	" or secret_command (a command that prints it, e.g. [\"pass\", \"show\", \"twilio\"])")

// missingSecretError is ErrNoSecret with a more precise message: a source
// is configured, but it holds nothing.
type missingSecretError string

func (e missingSecretError) Error() string        { return string(e) }
func (e missingSecretError) Is(target error) bool { return target == ErrNoSecret }

// SecretCommandError reports a secret command that failed. It names the
// command and how it failed (exit status, timeout, not found) and never
// carries what the command printed: that output may be the secret.
type SecretCommandError struct {
	// Name is the command's program name (argv[0]), never its arguments' output.
	Name string
	// Reason says how it failed, e.g. "exited with status 1".
	Reason string
	// Err is the underlying error (an *exec.ExitError, context.DeadlineExceeded...).
	Err error
}

func (e *SecretCommandError) Error() string {
	return fmt.Sprintf("secret command %q %s (its output is not shown, as it may hold the secret)", e.Name, e.Reason)
}

// Unwrap returns the underlying error.
func (e *SecretCommandError) Unwrap() error { return e.Err }

// SecretSource says where the OAuth client secret comes from. Resolve tries,
// in order: the TWILIO_CLIENT_SECRET environment variable, the variable named
// by Env, the Command, then Inline.
type SecretSource struct {
	// Env names another environment variable that holds the secret.
	Env string
	// Command is an argument list (argv) that prints the secret on stdout,
	// such as a password manager. It runs without a shell.
	Command []string
	// Timeout bounds Command; zero means DefaultSecretCommandTimeout.
	Timeout time.Duration
	// Inline is a secret written in the config file itself.
	Inline Secret
}

// IsZero reports whether no source is configured (TWILIO_CLIENT_SECRET,
// read at Resolve time, may still supply one).
func (s SecretSource) IsZero() bool {
	return s.Env == "" && len(s.Command) == 0 && s.Inline.IsZero()
}

// Describe says where the secret would come from without revealing it or
// running anything, e.g. `env VAULT_TWILIO`, `command: pass show twilio (not run)`.
func (s SecretSource) Describe() string {
	var parts []string
	if s.Env != "" {
		parts = append(parts, "env "+s.Env)
	}
	if len(s.Command) > 0 {
		parts = append(parts, "command: "+strings.Join(s.Command, " ")+" (not run)")
	}
	if !s.Inline.IsZero() {
		parts = append(parts, "inline in the config file (set)")
	}
	if len(parts) == 0 {
		return "not set"
	}
	return strings.Join(parts, ", then ")
}

// Resolve returns the client secret. getenv reads the environment (os.Getenv
// in production). Errors name the variable or command that failed and never
// include a secret or a command's output. With nothing configured the error
// is ErrNoSecret.
func (s SecretSource) Resolve(ctx context.Context, getenv func(string) string) (string, error) {
	if v := getenv(SecretEnvVar); v != "" {
		return v, nil
	}
	if s.Env != "" {
		if v := getenv(s.Env); v != "" {
			return v, nil
		}
		if len(s.Command) == 0 && s.Inline.IsZero() {
			return "", missingSecretError(fmt.Sprintf("no client secret: the environment variable %s (named by auth.secret_env) is not set or empty; export it, or set %s", s.Env, SecretEnvVar))
		}
	}
	if len(s.Command) > 0 {
		return runSecretCommand(ctx, s.Command, s.Timeout)
	}
	if !s.Inline.IsZero() {
		return s.Inline.Reveal(), nil
	}
	return "", ErrNoSecret
}

// runSecretCommand runs argv without a shell and returns its stdout minus the
// trailing newline. stdin is empty so a command that prompts fails instead of
// waiting; stderr is discarded because it is shown nowhere.
func runSecretCommand(ctx context.Context, argv []string, timeout time.Duration) (string, error) {
	if len(argv) == 0 || argv[0] == "" {
		return "", &SecretCommandError{Name: "", Reason: "is empty: give the program and its arguments as a list"}
	}
	if timeout <= 0 {
		timeout = DefaultSecretCommandTimeout
	}
	name := filepath.Base(argv[0])
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	var out secretBuffer
	cmd.Stdout = &out
	cmd.Stderr = nil
	cmd.Stdin = nil
	// A grandchild holding stdout open must not keep us waiting past the timeout.
	cmd.WaitDelay = time.Second

	err := cmd.Run()
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return "", &SecretCommandError{Name: name, Reason: "was cancelled", Err: ctx.Err()}
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		return "", &SecretCommandError{Name: name, Reason: fmt.Sprintf("timed out after %s; raise auth.secret_command_timeout or unlock the password manager first", timeout), Err: context.DeadlineExceeded}
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		return "", &SecretCommandError{Name: name, Reason: "was not found; check auth.secret_command and your PATH", Err: err}
	default:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", &SecretCommandError{Name: name, Reason: fmt.Sprintf("failed (%s)", exit.ProcessState), Err: err}
		}
		// Start errors (permission denied, not executable) carry only the path.
		return "", &SecretCommandError{Name: name, Reason: "could not be started: " + err.Error(), Err: err}
	}
	if out.overflow {
		return "", &SecretCommandError{Name: name, Reason: fmt.Sprintf("printed more than %d bytes; make it print only the secret", maxSecretOutput)}
	}
	v := out.buf.Bytes()
	v = bytes.TrimSuffix(v, []byte("\n"))
	v = bytes.TrimSuffix(v, []byte("\r"))
	switch {
	case len(v) == 0:
		return "", &SecretCommandError{Name: name, Reason: "printed nothing; it must print the secret on stdout"}
	case bytes.ContainsAny(v, "\r\n"):
		// pass and friends print metadata after the first line; guessing which
		// line is the secret would send the wrong one.
		return "", &SecretCommandError{Name: name, Reason: "printed more than one line; make it print only the secret (for pass, keep the secret alone in the entry)"}
	}
	return string(v), nil
}

// secretBuffer collects a command's stdout up to maxSecretOutput and then
// swallows the rest, so a runaway command cannot fill memory.
type secretBuffer struct {
	buf      bytes.Buffer
	overflow bool
}

func (b *secretBuffer) Write(p []byte) (int, error) {
	if room := maxSecretOutput - b.buf.Len(); len(p) > room {
		b.overflow = true
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return b.buf.Write(p)
}
