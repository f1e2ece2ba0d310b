package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkConfig writes a config with two budgets of the demo's Acme US
// group: the whole group at a sum it is far over, and its SMS at a sum it
// is far under.
func checkConfig(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	body := `[[budget]]
group = "Acme US"
monthly = "1000.00"
currency = "USD"

[[budget]]
group = "Acme US"
category = "sms-*"
monthly = "900000000"
currency = "USD"
`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCheckExitCodesAndSinceLast runs check as cron would, against the
// simulated API: a breached budget is a finding (exit 3) and the one far
// from its limit is not; with --since last the second run reports nothing
// new (exit 0).
func TestCheckExitCodesAndSinceLast(t *testing.T) {
	t.Setenv("USAGETOP_DEMO_TODAY", "2026-11-16")
	cfg := checkConfig(t)
	stateDir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", stateDir)
	check := func(args ...string) (int, string, string) {
		t.Helper()
		t.Setenv("XDG_STATE_HOME", stateDir) // runCLI keeps it; HOME moves
		return runCLI(t, append([]string{"check", "--demo", "--config", cfg, "--only", "budgets"}, args...)...)
	}
	code, out, errOut := check()
	if code != exitFindings {
		t.Fatalf("exit %d, want %d: %s%s", code, exitFindings, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "budget Acme US: spent $") || !strings.Contains(lines[0], "over budget from 2026-11-") {
		t.Errorf("want one line for the breached budget:\n%s", out)
	}

	code, out, _ = check("--since", "last")
	if code != exitFindings || out == "" {
		t.Fatalf("first --since last: exit %d, %q", code, out)
	}
	code, out, errOut = check("--since", "last")
	if code != exitOK || out != "" {
		t.Errorf("second --since last: exit %d, %q %s; want nothing new", code, out, errOut)
	}

	code, out, _ = check("--format", "json")
	var found []finding
	if err := json.Unmarshal([]byte(out), &found); err != nil || code != exitFindings || len(found) != 1 {
		t.Fatalf("json: exit %d, %v, %s", code, err, out)
	}
	if b := found[0].Budget; b == nil || b.Monthly != "1000" || b.Threshold != 100 || b.ByForecast || b.Breach == "" {
		t.Errorf("json budget %+v", b)
	}

	if code, _, errOut = runCLI(t, "check", "--demo", "--only", "money"); code != exitUsage || !strings.Contains(errOut, "budgets or anomalies") {
		t.Errorf("bad --only: exit %d %s", code, errOut)
	}
}

// TestCheckWithinBudgetExitsZero: a budget far from its limit, and no
// anomalies asked for, is nothing to report.
func TestCheckWithinBudgetExitsZero(t *testing.T) {
	t.Setenv("USAGETOP_DEMO_TODAY", "2026-11-16")
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("[[budget]]\ngroup = \"Acme US\"\nmonthly = \"900000000\"\ncurrency = \"USD\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "check", "--demo", "--config", path, "--only", "budgets")
	if code != exitOK || out != "" {
		t.Errorf("exit %d, %q %s", code, out, errOut)
	}
}

// TestDigestIsMarkdownWithExactMoney: the digest of the demo's month.
func TestDigestIsMarkdownWithExactMoney(t *testing.T) {
	t.Setenv("USAGETOP_DEMO_TODAY", "2026-11-16")
	code, out, errOut := runCLI(t, "digest", "--demo", "--config", checkConfig(t))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"## Acme US: Nov 1-15 vs Oct 1-15", "- Month to date: **$", "### Top movers", "| Product | Cost | Change |",
		"### Anomalies", "### Budgets", "| Acme US | $"} {
		if !strings.Contains(out, want) {
			t.Errorf("digest lacks %q:\n%s", want, out)
		}
	}
}
