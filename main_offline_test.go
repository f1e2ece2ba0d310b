package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api/fakeapi"
)

// TestExportOfflineIsTheOnlineExport: after an online export, --offline
// writes the same bytes from the snapshot store and sends no request; a
// query the store does not hold is refused offline, naming the days.
func TestExportOfflineIsTheOnlineExport(t *testing.T) {
	srv := startAPI(t, fakeapi.Options{})
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("TWILIO_CLIENT_ID", fakeapi.DemoClientID)
	t.Setenv("TWILIO_CLIENT_SECRET", fakeapi.DemoClientSecret)
	group := srv.Server.Generator().Groups()[0].ID
	dir := t.TempDir()
	export := func(out string, extra ...string) (int, string) {
		t.Helper()
		args := append([]string{"export", "--base-url", srv.BaseURL, "--token-url", srv.TokenURL, "--group", group,
			"--period", "LAST_MONTH", "--view", "products", "-o", filepath.Join(dir, out)}, extra...)
		code, _, errOut := runCLI(t, args...)
		return code, errOut
	}
	state := os.Getenv("XDG_STATE_HOME")
	if code, errOut := export("online.csv"); code != exitOK {
		t.Fatalf("online: exit %d: %s", code, errOut)
	}
	before := srv.Server.Stats().RecordsRequests
	t.Setenv("XDG_STATE_HOME", state) // runCLI moves HOME, not the state dir
	if code, errOut := export("offline.csv", "--offline"); code != exitOK {
		t.Fatalf("offline: exit %d: %s", code, errOut)
	}
	if after := srv.Server.Stats().RecordsRequests; after != before {
		t.Errorf("--offline sent %d records requests", after-before)
	}
	online, _ := os.ReadFile(filepath.Join(dir, "online.csv"))
	offline, _ := os.ReadFile(filepath.Join(dir, "offline.csv"))
	if len(online) < 100 || string(online) != string(offline) {
		t.Errorf("offline export differs from online:\n%s\n---\n%s", online, offline)
	}

	// Never loaded: refused offline, with what the store lacks.
	code, _, errOut := runCLI(t, "export", "--base-url", srv.BaseURL, "--token-url", srv.TokenURL, "--group", group,
		"--from", "2025-01-01", "--to", "2025-01-31", "--offline")
	if code != exitUsage || !strings.Contains(errOut, "offline, and the snapshot store lacks 2025-01-01..2025-01-31") {
		t.Errorf("offline without a snapshot: exit %d, %s", code, errOut)
	}
}
