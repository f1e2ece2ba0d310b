package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeRefusesToStartWithoutWhatItNeeds(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	keys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keys, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no authorized keys", []string{"serve", "--demo", "--addr", "127.0.0.1:0"}, "--authorized-keys"},
		{"no key mapping outside the demo", []string{"serve", "--addr", "127.0.0.1:0", "--authorized-keys", keys,
			"--group", "commerce_billingprofile_x", "--base-url", "http://127.0.0.1:1", "--token-url", "http://127.0.0.1:1/v2/token"}, "[serve.users]"},
	}
	t.Setenv("TWILIO_CLIENT_ID", "id")
	t.Setenv("TWILIO_CLIENT_SECRET", "secret")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q named", code, stderr, tt.want)
			}
		})
	}
}
