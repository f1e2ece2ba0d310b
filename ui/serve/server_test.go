package serve

import (
	"context"
	"encoding/base64"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestAllowedKeySeesOnlyItsGroups(t *testing.T) {
	f := newFixture(t, nil)
	alice := f.open(t, "alice", "xterm-256color", 100, 30, nil, "")
	alice.waitFor("Acme US", "all ", " records")
	// The picker offers what alice may open, and nothing else.
	alice.typeKeys("b")
	alice.waitFor("Billing group")
	time.Sleep(100 * time.Millisecond)
	if s := alice.screen(); strings.Contains(s, "Acme UK") || strings.Contains(s, "Globex") {
		t.Errorf("alice's picker shows groups she may not open:\n%s", tail(s, 2000))
	}
	alice.typeKeys("\x03") // ctrl+c quits from the picker
	if code := alice.wait(); code != 0 {
		t.Errorf("quitting exited %d, want 0", code)
	}

	// bob may open every group, and asks for one by name.
	bob := f.open(t, "bob", "xterm-256color", 100, 30, nil, "Globex")
	bob.waitFor("Globex", "all ", " records")
	bob.typeKeys("b")
	bob.waitFor("Acme US", "Acme UK")
	bob.typeKeys("\x03") // ctrl+c quits from the picker
	bob.wait()

	logs := f.log.String()
	for _, want := range []string{"connect", "disconnect", "fingerprint=" + gossh.FingerprintSHA256(f.keys["alice"].PublicKey())} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestRefusedLogins(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		user string
		auth gossh.AuthMethod
		log  string // in the refused login's line
	}{
		{"unknown-key", gossh.PublicKeys(f.keys["mallory"]), regexp.QuoteMeta("fingerprints=["+gossh.FingerprintSHA256(f.keys["mallory"].PublicKey())+"]") + ".*not in the authorized keys file"},
		{"unmapped-key", gossh.PublicKeys(f.keys["carol"]), regexp.QuoteMeta("fingerprints=["+gossh.FingerprintSHA256(f.keys["carol"].PublicKey())+"]") + ".*maps to no billing group"},
		{"password", gossh.Password("hunter2"), "passwords and keyboard-interactive are not accepted"},
		{"keyboard-interactive", gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"hunter2"}, nil
		}), "passwords and keyboard-interactive are not accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			conn, err := f.dial(tt.user, tt.auth)
			if err == nil {
				conn.Close()
				t.Fatal("logged in")
			}
			waitLog(t, f, `refused login user=`+tt.user+` .*`+tt.log)
		})
	}
	if logs := f.log.String(); strings.Contains(logs, "hunter2") {
		t.Errorf("a password reached the log:\n%s", logs)
	}
}

// waitLog waits until a line of the log matches the regular expression.
func waitLog(t *testing.T, f *fixture, pattern string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(5 * time.Second)
	for !re.MatchString(f.log.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no log line matches %q:\n%s", pattern, f.log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestKeyAskingForAnotherGroupIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	c := f.open(t, "alice", "xterm-256color", 80, 24, nil, "Globex")
	if code := c.wait(); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if e := c.errOut.String(); !strings.Contains(e, `may not open billing group "Globex"`) || !strings.Contains(e, "Acme US") {
		t.Errorf("stderr %q, want the refusal and the groups alice may open", e)
	}
	if strings.Contains(c.screen(), "records") {
		t.Error("the dashboard opened anyway")
	}
	waitLog(t, f, `refused session user=alice fingerprint=SHA256:\S+ addr=127.0.0.1:\d+ command=\[Globex\]`)
}

func TestIdleTimeoutCountsKeystrokesNotRepaints(t *testing.T) {
	const idle = 1500 * time.Millisecond
	f := newFixture(t, func(o *Options) { o.IdleTimeout = idle })
	c := f.open(t, "alice", "xterm-256color", 100, 30, nil, "")
	c.waitFor("Acme US")
	// Keep typing (moving the cursor) for two idle periods: still open.
	start := time.Now()
	var typed time.Time
	for time.Since(start) < 2*idle {
		c.typeKeys("j")
		typed = time.Now()
		time.Sleep(idle / 10)
	}
	select {
	case err := <-c.done:
		t.Fatalf("a session in use was closed (%v); stderr %q", err, c.errOut.String())
	default:
	}
	// Stop typing: the session ends, whatever the dashboard draws.
	if code := c.wait(); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if since := time.Since(typed); since < idle {
		t.Errorf("closed %s after the last keystroke, before the idle timeout %s", since, idle)
	}
	if e := c.errOut.String(); !strings.Contains(e, "without a keystroke") {
		t.Errorf("stderr %q, want why the session closed", e)
	}
}

func TestMaxSessionTimeEndsEvenABusySession(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.MaxSession, o.IdleTimeout = 600*time.Millisecond, 500*time.Millisecond })
	c := f.open(t, "alice", "xterm-256color", 100, 30, nil, "")
	go func() {
		for range 40 {
			if _, err := c.in.Write([]byte("j")); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	c.wait()
	if e := c.errOut.String(); !strings.Contains(e, "sessions last at most") {
		t.Errorf("stderr %q, want the maximum session time named", e)
	}
}

// loadedRequests opens sessions of alice at once on her default query,
// waits until each shows its dashboard, then until the simulated API has
// had no request for a while, and returns how many records requests it
// served.
func loadedRequests(t *testing.T, sessions int) int {
	f := newFixture(t, nil)
	var cs []*client
	for range sessions {
		cs = append(cs, f.open(t, "alice", "xterm-256color", 100, 30, nil, ""))
	}
	for _, c := range cs {
		// Detection runs once every page, history included, is in.
		c.waitFor("Acme US", "all ", " records", "2 anomalies")
		c.settle(500 * time.Millisecond)
	}
	last, quiet := -1, time.Now()
	for time.Since(quiet) < 500*time.Millisecond {
		n := f.api.Server.Stats().RecordsRequests
		if n != last {
			last, quiet = n, time.Now()
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range cs {
		c.typeKeys("q")
		c.wait()
	}
	return last
}

func TestSessionsOnOneQueryMakeTheRequestsOfOne(t *testing.T) {
	one := loadedRequests(t, 1)
	if one == 0 {
		t.Fatal("one session made no request")
	}
	t.Logf("one session on its query made %d records requests", one)
	if two := loadedRequests(t, 2); two != one {
		t.Errorf("two sessions on one query made %d requests, one session %d", two, one)
	}
}

func TestEachSessionHasItsOwnColoursAndSize(t *testing.T) {
	f := newFixture(t, nil)
	colour := f.open(t, "alice", "xterm-256color", 200, 50, nil, "")
	mono := f.open(t, "alice", "xterm-256color", 80, 24, map[string]string{"NO_COLOR": "1"}, "")
	colour.waitFor("Acme US", "all ", "2 anomalies")
	mono.waitFor("Acme US", "all ", "2 anomalies")
	sgr256 := regexp.MustCompile(`\x1b\[[0-9;]*38;5;[0-9]+`)
	if !sgr256.MatchString(colour.out.String()) {
		t.Error("the xterm-256color session has no 256-colour text")
	}
	if anyColour := regexp.MustCompile(`\x1b\[[0-9;]*[34][0-9][;m]`); anyColour.MatchString(mono.out.String()) {
		t.Error("the NO_COLOR session received colours")
	}
	if reverse := regexp.MustCompile(`\x1b\[[0-9;]*7m`); !reverse.MatchString(mono.out.String()) {
		t.Error("the NO_COLOR session has no reverse video: its cursor row is invisible")
	}
	// A line at 200 columns is wider than anything the 80-column one
	// draws; resizing one leaves the other as it was.
	if !regexp.MustCompile(`[^\n]{150,}`).MatchString(colour.screen()) {
		t.Error("the 200-column session never drew a line wider than 150 columns")
	}
	mono.settle(1500 * time.Millisecond)
	colour.settle(1500 * time.Millisecond)
	before, colourBefore := mono.out.Len(), colour.out.Len()
	if err := colour.sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	colour.settle(1500 * time.Millisecond)
	if colour.out.Len() == colourBefore {
		t.Error("the resized session did not redraw")
	}
	if after := mono.out.Len(); after != before {
		t.Errorf("resizing one session redrew the other (%d more bytes)", after-before)
	}
	colour.typeKeys("q")
	mono.typeKeys("q")
	colour.wait()
	mono.wait()
}

func TestShutdownEndsSessionsWithAMessage(t *testing.T) {
	f := newFixture(t, nil)
	c := f.open(t, "alice", "xterm-256color", 100, 30, nil, "")
	c.waitFor("Acme US")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	c.wait()
	if e := c.errOut.String(); !strings.Contains(e, "shutting down") {
		t.Errorf("stderr %q, want the shutdown said", e)
	}
	if _, err := f.dial("alice", gossh.PublicKeys(f.keys["alice"])); err == nil {
		t.Error("a login succeeded after shutdown")
	}
}

func TestAuthorizedKeysFileIsReadAgainWhenItChanges(t *testing.T) {
	f := newFixture(t, nil)
	conn, err := f.dial("alice", gossh.PublicKeys(f.keys["alice"]))
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	// Remove alice's line: her next login is refused.
	path := f.srv.opts.AuthorizedKeys
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.Contains(line, "alice@") {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	if conn, err := f.dial("alice", gossh.PublicKeys(f.keys["alice"])); err == nil {
		conn.Close()
		t.Error("a key removed from the file still logs in")
	}
}

func TestHostKeyIsGeneratedPrivateAndKept(t *testing.T) {
	f := newFixture(t, nil)
	info, err := os.Stat(f.srv.opts.HostKey)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("host key mode %04o, want 0600", perm)
	}
	first, err := loadHostKey(f.srv.opts.HostKey)
	if err != nil {
		t.Fatal(err)
	}
	again, err := loadHostKey(f.srv.opts.HostKey)
	if err != nil || string(again.PublicKey().Marshal()) != string(first.PublicKey().Marshal()) {
		t.Errorf("the host key changed on the second start (%v)", err)
	}
	if err := os.Chmod(f.srv.opts.HostKey, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadHostKey(f.srv.opts.HostKey); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a host key others can read: %v, want a refusal saying chmod 600", err)
	}
}

func TestClientLeavingEndsItsSession(t *testing.T) {
	f := newFixture(t, nil)
	c := f.open(t, "alice", "xterm-256color", 100, 30, nil, "")
	c.waitFor("Acme US")
	if n := f.srv.Sessions(); n != 1 {
		t.Fatalf("%d sessions open, want 1", n)
	}
	c.sess.Close()
	deadline := time.Now().Add(5 * time.Second)
	for f.srv.Sessions() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the session outlived its client")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if strings.Contains(f.log.String(), "ERRO") {
		t.Errorf("a client leaving was logged as an error:\n%s", f.log.String())
	}
}

func TestMaxSessions(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.MaxSessions = 1 })
	first := f.open(t, "alice", "xterm-256color", 100, 30, nil, "")
	first.waitFor("Acme US")
	second := f.open(t, "alice", "xterm-256color", 100, 30, nil, "")
	if code := second.wait(); code != 1 || !strings.Contains(second.errOut.String(), "the server is full (1 sessions)") {
		t.Errorf("second session: exit %d, stderr %q; want it refused as full", code, second.errOut.String())
	}
	first.typeKeys("q")
	first.wait()
}

func TestCopyAndExportGoToTheSessionsTerminal(t *testing.T) {
	f := newFixture(t, nil)
	c := f.open(t, "alice", "xterm-256color", 120, 30, nil, "")
	c.waitFor("Acme US", "all ", " records")
	c.settle(400 * time.Millisecond)
	c.typeKeys("y")
	c.waitFor("copied: usagetop --group")
	c.typeKeys("e")
	c.waitFor("to your clipboard as CSV")
	raw := c.out.String()
	osc := regexp.MustCompile(`\x1b\]52;c;([A-Za-z0-9+/=]+)\a`).FindAllStringSubmatch(raw, -1)
	if len(osc) != 2 {
		t.Fatalf("%d OSC 52 sequences reached the client, want 2 (y, then e)", len(osc))
	}
	csv, err := base64.StdEncoding.DecodeString(osc[1][1])
	if err != nil || !strings.HasPrefix(string(csv), "product_name,") {
		t.Errorf("exported CSV %q (%v)", csv, err)
	}
	c.typeKeys("q")
	c.wait()
}
