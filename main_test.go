package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
)

// runCLI runs the command line in-process with a clean environment: no
// config file and no credentials unless the test sets them.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("USAGETOP_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code = run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// startAPI serves the simulated API for tests that talk to it as a real
// account would (not --demo), so its request counters can be read.
func startAPI(t *testing.T, opts fakeapi.Options) *fakeapi.Running {
	t.Helper()
	run, err := fakeapi.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(run.Close)
	return run
}

func TestDemoExportRecordsCSVIsEveryRecord(t *testing.T) {
	code, out, errOut := runCLI(t, "export", "--demo", "--period", "LAST_MONTH", "--view", "records", "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("stdout is not CSV: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "start_date,end_date,product_name,product_category,usage_amount,usage_unit,price_amount,currency" {
		t.Fatalf("header = %s", got)
	}
	today := api.DateOf(time.Now())
	g := fakeapi.NewGenerator(1, today)
	start, end, _ := api.LastMonth.Bounds(today)
	want, ok := g.Records(g.Groups()[0].ID, start, end, api.Daily, "")
	if !ok {
		t.Fatal("demo group unknown to its own generator")
	}
	if len(rows)-1 != len(want) {
		t.Fatalf("exported %d records, the demo group has %d", len(rows)-1, len(want))
	}
	for i, r := range want {
		row := rows[i+1]
		if row[0] != r.StartDate.String() || row[2] != r.ProductName || row[6] != r.Price.Amount.String() {
			t.Fatalf("row %d = %q, want %s %s %s", i, row, r.StartDate, r.ProductName, r.Price.Amount)
		}
	}
}

func TestDemoExportJSONAndMarkdown(t *testing.T) {
	code, out, errOut := runCLI(t, "export", "--demo", "--period", "LAST_MONTH", "--format", "json")
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var recs []map[string]any
	if err := dec.Decode(&recs); err != nil || len(recs) == 0 {
		t.Fatalf("json: %v, %d records", err, len(recs))
	}
	// Every amount in a JSON export is an exact decimal string.
	if a, ok := recs[0]["price"].(map[string]any)["amount"].(string); !ok || a == "" {
		t.Errorf("price.amount is not a decimal string: %v", recs[0]["price"])
	}
	code, out, errOut = runCLI(t, "export", "--demo", "--period", "LAST_MONTH", "--format", "md")
	if code != exitOK || !strings.HasPrefix(out, "| start_date |") {
		t.Fatalf("md: exit %d, %.200s %s", code, out, errOut)
	}
}

// TestBadInputExits2WithoutARequest covers every bad input of issue 2: each
// exits 2, names the problem, and the API sees no request at all.
func TestBadInputExits2WithoutARequest(t *testing.T) {
	srv := startAPI(t, fakeapi.Options{})
	group := srv.Server.Generator().Groups()[0].ID
	base := []string{"export", "--base-url", srv.BaseURL, "--token-url", srv.TokenURL}
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"impossible date", []string{"--group", group, "--from", "2026-02-30", "--to", "2026-03-05"}, "2026-02-30"},
		{"range over 365 days", []string{"--group", group, "--from", "2025-01-01", "--to", "2026-01-01"}, "365"},
		{"end before start", []string{"--group", group, "--from", "2026-03-05", "--to", "2026-03-01"}, "before"},
		{"period with dates", []string{"--group", group, "--period", "LAST_MONTH", "--from", "2026-03-01", "--to", "2026-03-05"}, "together"},
		{"id without prefix", []string{"--group", "billingprofile_123", "--period", "LAST_MONTH"}, "commerce_billingprofile_"},
		{"unknown period", []string{"--group", group, "--period", "LAST_WEEK"}, "LAST_WEEK"},
		{"unknown aggregation", []string{"--group", group, "--period", "LAST_MONTH", "--aggregation", "HOURLY"}, "HOURLY"},
		{"unknown format", []string{"--group", group, "--period", "LAST_MONTH", "--format", "xlsx"}, "xlsx"},
		{"unknown view", []string{"--group", group, "--period", "LAST_MONTH", "--view", "invoices"}, "invoices"},
		{"unknown flag", []string{"--group", group, "--colour"}, "colour"},
		{"output in a missing directory", []string{"--group", group, "--output", filepath.Join(dir, "no", "x.csv")}, "does not exist"},
		{"output is a directory", []string{"--group", group, "--output", dir, "--force"}, "is a directory"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TWILIO_CLIENT_ID", fakeapi.DemoClientID)
			t.Setenv("TWILIO_CLIENT_SECRET", fakeapi.DemoClientSecret)
			before := srv.Server.Stats()
			code, out, errOut := runCLI(t, append(base, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want 2; stderr: %s", code, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q does not name %q", errOut, tc.want)
			}
			if out != "" {
				t.Errorf("stdout should be empty, got %.100q", out)
			}
			after := srv.Server.Stats()
			if after.RecordsRequests != before.RecordsRequests || after.TokenRequests != before.TokenRequests {
				t.Errorf("bad input sent %d token and %d records requests", after.TokenRequests-before.TokenRequests, after.RecordsRequests-before.RecordsRequests)
			}
		})
	}
}

func TestWrongSecretExits1AndNeverShowsIt(t *testing.T) {
	srv := startAPI(t, fakeapi.Options{})
	const secret = "wrong-secret-8c1d0e"
	t.Setenv("TWILIO_CLIENT_ID", fakeapi.DemoClientID)
	t.Setenv("TWILIO_CLIENT_SECRET", secret)
	code, out, errOut := runCLI(t, "export", "--base-url", srv.BaseURL, "--token-url", srv.TokenURL,
		"--group", srv.Server.Generator().Groups()[0].ID, "--period", "LAST_MONTH")
	if code != exitFailure {
		t.Errorf("exit %d, want 1; stderr: %s", code, errOut)
	}
	if errOut == "" {
		t.Error("no message on stderr")
	}
	if strings.Contains(out+errOut, secret) {
		t.Errorf("the secret was printed:\n%s\n%s", out, errOut)
	}
	if srv.Server.Stats().RecordsRequests != 0 {
		t.Error("a records request was sent without a token")
	}
}

// TestExportUnderFaultsIsExact exports a 12-month DAILY range from a server
// that rate-limits every few requests, fails now and then and cuts a
// response short: every record arrives exactly once and per-product sums
// are exact.
func TestExportUnderFaultsIsExact(t *testing.T) {
	if testing.Short() {
		t.Skip("long: 12 months of records through retries")
	}
	srv := startAPI(t, fakeapi.Options{Faults: fakeapi.Faults{Every429: 4, RetryAfter: 1, Every503: 7, MalformedEvery: 11}})
	g := srv.Server.Generator()
	group := g.Groups()[0].ID
	today := api.DateOf(time.Now())
	from, to := today-365, today-1
	t.Setenv("TWILIO_CLIENT_ID", fakeapi.DemoClientID)
	t.Setenv("TWILIO_CLIENT_SECRET", fakeapi.DemoClientSecret)
	code, out, errOut := runCLI(t, "export", "--base-url", srv.BaseURL, "--token-url", srv.TokenURL,
		"--group", group, "--from", from.String(), "--to", to.String(), "--page-size", "1000", "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, said := range []string{"rate limited (429)", "server error 503", "cut short"} {
		if !strings.Contains(errOut, said) {
			t.Errorf("stderr does not report the %q retry: %q", said, errOut)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := g.Records(group, from, to, api.Daily, "")
	if len(rows)-1 != len(want) {
		t.Fatalf("got %d records, want %d", len(rows)-1, len(want))
	}
	seen := map[string]bool{}
	got := map[string]decimal.Decimal{}
	for _, r := range rows[1:] {
		key := r[0] + "|" + r[2]
		if seen[key] {
			t.Fatalf("record %s arrived twice", key)
		}
		seen[key] = true
		got[r[2]] = got[r[2]].Add(decimal.RequireFromString(r[6]))
	}
	sums := map[string]decimal.Decimal{}
	for _, r := range want {
		sums[r.ProductName] = sums[r.ProductName].Add(r.Price.Amount.Decimal())
	}
	for name, s := range sums {
		if !got[name].Equal(s) {
			t.Errorf("%s: exported sum %s, want exactly %s", name, got[name], s)
		}
	}
}

func TestOutputFileIsAtomicAndNeverReplacedSilently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "records.csv")
	if err := os.WriteFile(path, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "export", "--demo", "--period", "YESTERDAY", "--output", path)
	if code != exitUsage || !strings.Contains(errOut, "--force") {
		t.Fatalf("exit %d, stderr %q: want 2 and a hint about --force", code, errOut)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Fatal("existing file was changed")
	}
	code, _, errOut = runCLI(t, "export", "--demo", "--period", "YESTERDAY", "--output", path, "--force")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "start_date,") {
		t.Fatalf("file holds %.60q", b)
	}
}

func TestFirstRunExplainsInsteadOfFailing(t *testing.T) {
	t.Setenv("TWILIO_CLIENT_ID", "")
	t.Setenv("TWILIO_CLIENT_SECRET", "")
	code, _, errOut := runCLI(t, "export", "--period", "LAST_MONTH")
	if code != exitUsage {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut, "--demo") || !strings.Contains(errOut, "TWILIO_CLIENT_ID") {
		t.Errorf("first-run message should explain configuration and suggest --demo:\n%s", errOut)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "usagetop ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestProductsExportEqualsRecordSums checks the products view against the
// records it rolls up: each product's cost is the exact sum of its prices.
func TestProductsExportEqualsRecordSums(t *testing.T) {
	code, out, errOut := runCLI(t, "export", "--demo", "--period", "LAST_MONTH", "--view", "products", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var rows []struct {
		ProductName string
		Cost        struct {
			Amount   json.Number
			Currency string
		}
	}
	if err := dec.Decode(&rows); err != nil || len(rows) == 0 {
		t.Fatalf("decode: %v (%d rows)", err, len(rows))
	}
	today := api.DateOf(time.Now())
	g := fakeapi.NewGenerator(1, today)
	start, end, _ := api.LastMonth.Bounds(today)
	recs, _ := g.Records(g.Groups()[0].ID, start, end, api.Daily, "")
	sums := map[string]decimal.Decimal{}
	for _, r := range recs {
		sums[r.ProductName] = sums[r.ProductName].Add(r.Price.Amount.Decimal())
	}
	if len(rows) != len(sums) {
		t.Errorf("%d product rows, %d products in the records", len(rows), len(sums))
	}
	prev := decimal.NewFromInt(1 << 62)
	for _, r := range rows {
		cost := decimal.RequireFromString(r.Cost.Amount.String())
		if !cost.Equal(sums[r.ProductName]) {
			t.Errorf("%s: cost %s, records sum to %s", r.ProductName, cost, sums[r.ProductName])
		}
		if cost.GreaterThan(prev) {
			t.Errorf("products are not sorted by cost descending at %s", r.ProductName)
		}
		prev = cost
	}
}

func TestAnomaliesExportListsInjectedEvents(t *testing.T) {
	today := api.DateOf(time.Now())
	from := today.AddDays(-180)
	to := today.AddDays(-1)
	code, out, errOut := runCLI(t, "export", "--demo", "--from", from.String(), "--to", to.String(), "--view", "anomalies", "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "scope,product_name,product_category,date,kind,currency,actual,expected,impact,impact_percent,score,reason" {
		t.Fatalf("header = %q", rows[0])
	}
	g := fakeapi.NewGenerator(1, today)
	flagged := map[string]bool{}
	for _, r := range rows[1:] {
		flagged[r[1]] = true
	}
	for _, a := range g.Anomalies(g.Groups()[0].ID) {
		if a.Start >= from.AddDays(14) && a.End <= to && !flagged[a.ProductName] {
			t.Errorf("injected %s on %s (%s) is not in the export", a.Kind, a.ProductName, a.Start)
		}
	}
}

func TestConfigCheck(t *testing.T) {
	t.Setenv("TWILIO_CLIENT_SECRET", "")
	t.Setenv("USAGETOP_TWILIO_CLIENT_SECRET", "from-the-vault")
	code, out, errOut := runCLI(t, "config", "check", "--config", "config.example.toml")
	if code != exitOK || !strings.Contains(out, "config is valid") {
		t.Errorf("example config: exit %d\n%s%s", code, out, errOut)
	}

	dir := t.TempDir()
	unknown := filepath.Join(dir, "unknown.toml")
	os.WriteFile(unknown, []byte("[api]\npage_sise = 10\n"), 0o600)
	code, _, errOut = runCLI(t, "config", "check", "--config", unknown)
	if code != exitUsage || !strings.Contains(errOut, "page_sise") || !strings.Contains(errOut, ":2") {
		t.Errorf("unknown key: exit %d, %s", code, errOut)
	}

	const secret = "inline-secret-5e9a"
	inline := filepath.Join(dir, "inline.toml")
	os.WriteFile(inline, []byte("default_group = \"commerce_billingprofile_x\"\n[auth]\nclient_id = \"OQ1\"\nsecret = \""+secret+"\"\n"), 0o644)
	os.Chmod(inline, 0o644)
	code, out, errOut = runCLI(t, "config", "check", "--config", inline)
	if code != exitUsage || !strings.Contains(errOut, "chmod 600") {
		t.Errorf("readable inline secret: exit %d, %s", code, errOut)
	}
	os.Chmod(inline, 0o600)
	code, out2, errOut2 := runCLI(t, "config", "check", "--config", inline)
	if code != exitOK {
		t.Errorf("inline secret at 0600: exit %d, %s", code, errOut2)
	}
	if all := out + errOut + out2 + errOut2; strings.Contains(all, secret) {
		t.Errorf("config check printed the secret:\n%s", all)
	}
}

// TestStrayArgumentsAreBadUsage: a mistyped command or a value given
// without its flag is the user's input, so it exits 2 and says what to do.
func TestStrayArgumentsAreBadUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"exprt"}, "did you mean export?"},
		{[]string{"export", "LAST_MONTH"}, "takes no arguments"},
		{[]string{"version", "now"}, "takes no arguments"},
		{[]string{"config", "chek"}, "did you mean check?"},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

func TestOutputDashIsStdout(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errOut := runCLI(t, "export", "--demo", "--period", "YESTERDAY", "--output", "-")
	if code != exitOK || !strings.HasPrefix(out, "start_date,") {
		t.Fatalf("exit %d, stdout %.60q, stderr %s", code, out, errOut)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Error(`--output - wrote a file named "-"`)
	}
}

// TestCommandsTakeOnlyTheirFlags: the dashboard's flags mean nothing to
// fakeapi or version, so their help does not list them and they are refused
// there; config check takes them before or after "check".
func TestCommandsTakeOnlyTheirFlags(t *testing.T) {
	code, out, _ := runCLI(t, "fakeapi", "--help")
	if code != exitOK || strings.Contains(out, "--group") || strings.Contains(out, "--demo") {
		t.Errorf("fakeapi --help: exit %d, lists the dashboard's flags:\n%s", code, out)
	}
	code, _, errOut := runCLI(t, "fakeapi", "--group", "x")
	if code != exitUsage || !strings.Contains(errOut, "usagetop fakeapi --help") {
		t.Errorf("fakeapi --group: exit %d, %s", code, errOut)
	}
	t.Setenv("TWILIO_CLIENT_ID", "OQ1")
	t.Setenv("TWILIO_CLIENT_SECRET", "s")
	t.Setenv("USAGETOP_GROUP", "commerce_billingprofile_x")
	for _, args := range [][]string{
		{"config", "check", "--page-size", "7"},
		{"config", "--page-size", "7", "check"},
		{"--page-size", "7", "config", "check"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitOK || !strings.Contains(out, "flag --page-size") {
			t.Errorf("%q: exit %d, %s%s", args, code, out, errOut)
		}
	}
	code, _, errOut = runCLI(t, "export", "--demo", "--page-size", "many")
	if code != exitUsage || !strings.Contains(errOut, "use 1 to 1000") {
		t.Errorf("--page-size many: exit %d, %s", code, errOut)
	}
}

func TestRetryLineSaysWhatFailedInAFewWords(t *testing.T) {
	html := "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&api.Error{StatusCode: 429, Code: 20429, Message: "Too many requests"}, "rate limited (429); retrying in 1s (attempt 2 of 5)"},
		{fmt.Errorf("page 3: %w", &api.Error{StatusCode: 503, Body: html}), "server error 503 Service Unavailable; retrying in 1s (attempt 2 of 5)"},
		{&api.Error{StatusCode: 502, TokenEndpoint: true}, "token endpoint: server error 502 Bad Gateway; retrying in 1s (attempt 2 of 5)"},
		{&api.DecodeError{Record: 4, Truncated: true}, "the response was cut short; retrying in 1s (attempt 2 of 5)"},
		{errors.New("cannot reach the Billing Usage API: connection refused"), "cannot reach the Billing Usage API: connection refused; retrying in 1s (attempt 2 of 5)"},
	} {
		if got := retryLine(api.RetryNotice{Attempt: 1, Wait: time.Second, Err: tc.err}, 5); got != tc.want {
			t.Errorf("retryLine(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// TestInterruptedExportSaysSo: ctrl-c during a fetch is reported as an
// interruption, not as an unreachable API, and leaves no file behind.
func TestInterruptedExportSaysSo(t *testing.T) {
	srv := startAPI(t, fakeapi.Options{Faults: fakeapi.Faults{Latency: time.Minute}})
	t.Setenv("TWILIO_CLIENT_ID", fakeapi.DemoClientID)
	t.Setenv("TWILIO_CLIENT_SECRET", fakeapi.DemoClientSecret)
	t.Setenv("USAGETOP_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"export", "--base-url", srv.BaseURL, "--token-url", srv.TokenURL,
		"--group", srv.Server.Generator().Groups()[0].ID, "--output", filepath.Join(dir, "x.csv")}, &out, &errOut)
	if code != exitFailure || strings.TrimSpace(errOut.String()) != "usagetop: interrupted" {
		t.Errorf("exit %d, stderr %q; want 1 and 'usagetop: interrupted'", code, errOut.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("an interrupted export left %v", entries)
	}
}

// TestEmptyExportSaysSoOnStderr: an empty result keeps stdout to the header
// but tells the user, since a mistyped category looks the same.
func TestEmptyExportSaysSoOnStderr(t *testing.T) {
	code, out, errOut := runCLI(t, "export", "--demo", "--period", "LAST_MONTH", "--category", "no-such-category")
	if code != exitOK || strings.Count(out, "\n") != 1 {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, "no records") || !strings.Contains(errOut, "no-such-category") {
		t.Errorf("stderr %q does not say the export is empty", errOut)
	}
}

// TestDashboardRefusesANonTerminal: `usagetop --demo > file` would fill the
// file with screen drawing; it is refused with a pointer to export.
func TestDashboardRefusesANonTerminal(t *testing.T) {
	code, out, errOut := runCLI(t, "--demo")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "usagetop export") {
		t.Errorf("exit %d, stdout %.80q, stderr %q", code, out, errOut)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "screen"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file counts as a terminal")
	}
}

// TestReopenFlags: the command line `y` copies carries --demo, or the
// config file and API URLs given as flags, and nothing else.
func TestReopenFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--demo", "--period", "LAST_MONTH"}, "--demo"},
		{[]string{"--config", "/etc/u.toml", "--token-url", "https://t.example/v2/token", "--group", "acme"}, "--config /etc/u.toml --token-url https://t.example/v2/token"},
		{[]string{"--base-url", "https://b.example", "--page-size", "50"}, "--base-url https://b.example"},
		{nil, ""},
	} {
		cmd := &cobra.Command{}
		var f flags
		f.register(cmd.Flags(), true)
		if err := cmd.ParseFlags(tc.args); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(reopenFlags(cmd, &f), " "); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestMissingSecretIsBadUsage: a secret_env naming an unset variable is
// missing configuration like no secret at all (exit 2), unlike a secret the
// token endpoint refuses (exit 1).
func TestMissingSecretIsBadUsage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	doc := "[auth]\nclient_id = \"OQ1\"\nsecret_env = \"VAULT_TWILIO_R2\"\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TWILIO_CLIENT_SECRET", "")
	t.Setenv("VAULT_TWILIO_R2", "")
	code, _, errOut := runCLI(t, "export", "--config", path, "--group", "commerce_billingprofile_x")
	if code != exitUsage || !strings.Contains(errOut, "VAULT_TWILIO_R2") {
		t.Errorf("exit %d, %s; want 2 naming the variable", code, errOut)
	}
}

// TestConfigCheckTellsValidFromReady: a valid configuration the dashboard
// cannot start with is not "valid" and exit 0: config check prints the
// report, then says what is missing and where to set it, and exits 2.
func TestConfigCheckTellsValidFromReady(t *testing.T) {
	t.Setenv("TWILIO_CLIENT_ID", "")
	t.Setenv("TWILIO_CLIENT_SECRET", "")
	t.Setenv("USAGETOP_GROUP", "")
	code, out, errOut := runCLI(t, "config", "check")
	if code != exitUsage || strings.Contains(out, "config is valid") || !strings.Contains(out, "api.page_size") {
		t.Errorf("nothing configured: exit %d, stdout:\n%s", code, out)
	}
	for _, want := range []string{"the dashboard cannot start:", "no client id (set TWILIO_CLIENT_ID or client_id in the [auth] table",
		"no client secret (set TWILIO_CLIENT_SECRET", "no billing group (pass --group"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("[auth]\nsecret_command = [\"pass\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "config", "check", "--config", path, "--group", "commerce_billingprofile_x")
	want := "usagetop: the file is valid, but the dashboard cannot start: no client id (set TWILIO_CLIENT_ID or client_id in the [auth] table of " + path + ")\n"
	if code != exitUsage || errOut != want {
		t.Errorf("no client id: exit %d, stderr %q; want 2 and %q", code, errOut, want)
	}
	t.Setenv("TWILIO_CLIENT_ID", "OQ1")
	if code, out, errOut = runCLI(t, "config", "check", "--config", path, "--group", "commerce_billingprofile_x"); code != exitOK || !strings.Contains(out, "config is valid") {
		t.Errorf("ready: exit %d, %s%s", code, out, errOut)
	}
}

// TestSecretCommandFailureIsConfiguration: a secret that cannot be obtained
// is configuration to fix (exit 2), like a secret_env that is not set; the
// message names the command, never its output.
func TestSecretCommandFailureIsConfiguration(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX commands")
	}
	t.Setenv("TWILIO_CLIENT_SECRET", "")
	for _, tc := range []struct {
		argv string
		want string
	}{
		{`["false"]`, `secret command "false" failed`},
		{`["/no/such/usagetop-pass"]`, `secret command "usagetop-pass" was not found`},
		{`["sh", "-c", "echo printed-but-not-shown; echo second-line"]`, `printed more than one line`},
	} {
		path := filepath.Join(t.TempDir(), "config.toml")
		doc := "[auth]\nclient_id = \"OQ1\"\nsecret_command = " + tc.argv + "\n"
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := runCLI(t, "export", "--config", path, "--group", "commerce_billingprofile_x")
		if code != exitUsage || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "printed-but-not-shown") {
			t.Errorf("%s: exit %d, %q; want 2 and %q", tc.argv, code, errOut, tc.want)
		}
	}
}

// TestExportHelpListsNoScreenFlags: export draws no screen, so its help
// has no --no-color or --ascii; the dashboard's has them and --mouse.
func TestExportHelpListsNoScreenFlags(t *testing.T) {
	_, out, _ := runCLI(t, "export", "--help")
	if strings.Contains(out, "--no-color") || strings.Contains(out, "--ascii") || strings.Contains(out, "--mouse") {
		t.Errorf("export --help lists screen flags:\n%s", out)
	}
	_, out, _ = runCLI(t, "--help")
	for _, want := range []string{"--no-color", "--ascii", "--mouse", "--sort", "--filter", "--product", "LAST_30_DAYS"} {
		if !strings.Contains(out, want) {
			t.Errorf("usagetop --help lacks %s", want)
		}
	}
}

// TestRollingPeriodFlag: --period LAST_7_DAYS exports the seven days
// before today.
func TestRollingPeriodFlag(t *testing.T) {
	code, out, errOut := runCLI(t, "export", "--demo", "--period", "LAST_7_DAYS", "--view", "products", "--format", "csv")
	today := api.DateOf(time.Now())
	if code != exitOK || !strings.Contains(out, (today-7).String()) || !strings.Contains(out, (today-1).String()) {
		t.Errorf("exit %d, want rows from %s to %s:\n%s%s", code, today-7, today-1, out, errOut)
	}
}
