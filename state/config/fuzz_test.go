package config

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// configFuzzRun decodes and applies a config document as Load
// would, with the file at mode, and returns everything a user could see:
// the error text, or the report.
func configFuzzRun(data []byte, mode fs.FileMode) string {
	doc, err := decode("/cfg/config.toml", data)
	if err != nil {
		return err.Error()
	}
	doc.mode = mode
	l := &loader{s: &Settings{sources: map[string]Source{}, getenv: func(string) string { return "" }}}
	l.applyDefaults()
	l.s.Path = doc.path
	l.applyFile(doc)
	l.finish()
	if len(l.errs) > 0 {
		return errors.Join(l.errs...).Error()
	}
	return reportOf(l.s)
}

func configFuzzSeeds(f *testing.F) {
	if data, err := os.ReadFile("../../config.example.toml"); err == nil {
		f.Add(data)
	}
	for _, name := range []string{"unknown_keys.toml", "wrong_types.toml", "inline_secret.toml"} {
		if data, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("api = { page_size = 9 }\n[[groups]]\nname='a'\nid='commerce_billingprofile_x'\n"))
	f.Add([]byte("[query]\nfrom = 2025-01-01\nto = 2025-13-01\n"))
}

// FuzzConfigDecode: any bytes decode to settings or to errors, never a
// panic, and nothing printed carries raw control characters.
func FuzzConfigDecode(f *testing.F) {
	configFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range []fs.FileMode{0o600, 0o644} {
			out := configFuzzRun(data, mode)
			if strings.ContainsAny(out, "\x1b\x07\r") {
				t.Fatalf("output carries control characters: %q", out)
			}
		}
	})
}

// FuzzConfigInlineSecretNeverShown: whatever surrounds an inline secret,
// neither errors nor the report show it.
func FuzzConfigInlineSecretNeverShown(f *testing.F) {
	f.Add("s3cr3t-value-123", "")
	f.Add("s3cr3t-value-123", "secret = 'x'\n")
	f.Add("s3cr3t-value-123", "[api]\npage_size = 'x'\n")
	f.Add("s3cr3t-value-123", "client_id = 'OQ 1'\n")
	f.Add("abc\"def-ghi-jkl", "[ui]\nascii = 3\n")
	f.Fuzz(func(t *testing.T, secret, tail string) {
		if len(secret) < 8 || strings.ContainsAny(secret, "'\n\r") || hasControl(secret) {
			t.Skip()
		}
		with := []byte("[auth]\nsecret = '" + secret + "'\n" + tail)
		without := []byte("[auth]\nsecret = 'placeholder-0'\n" + tail)
		for _, mode := range []fs.FileMode{0o600, 0o644} {
			if strings.Contains(configFuzzRun(without, mode), secret) {
				t.Skip() // the secret is text the output holds anyway
			}
			if out := configFuzzRun(with, mode); strings.Contains(out, secret) {
				t.Fatalf("mode %04o: output shows the secret:\n%s", mode, out)
			}
		}
	})
}
