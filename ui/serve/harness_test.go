package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/log"
	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/config"
	"github.com/usagetop/usagetop/ui"
	gossh "golang.org/x/crypto/ssh"
)

// testNow is the demo data's today, so every run sees the same figures.
var testNow = time.Date(2026, 3, 14, 15, 4, 5, 0, time.UTC)

const waitLong = 20 * time.Second

// fixture is a running server on loopback with the simulated API behind
// it, and keys: alice maps to the first group, bob to every group, carol
// is in the file with no mapping, and mallory is not in the file at all.
type fixture struct {
	srv    *Server
	addr   string
	api    *fakeapi.Running
	groups []ui.Group
	keys   map[string]gossh.Signer
	log    *syncBuffer
	// outKeep bounds what each client keeps of its output; 0 keeps all.
	outKeep int
}

// newFixture starts a server; change adjusts its options first.
func newFixture(t testing.TB, change func(*Options)) *fixture {
	t.Helper()
	run, err := fakeapi.Start(fakeapi.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(run.Close)
	client, err := api.New(api.Config{BaseURL: run.BaseURL, TokenURL: run.TokenURL,
		ClientID: fakeapi.DemoClientID, ClientSecret: fakeapi.DemoClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{api: run, keys: map[string]gossh.Signer{}, log: &syncBuffer{}}
	for _, g := range run.Server.Groups() {
		f.groups = append(f.groups, ui.Group{Name: g.Name, ID: g.ID})
	}
	dir := t.TempDir()
	var authorized strings.Builder
	for _, name := range []string{"alice", "bob", "carol", "mallory"} {
		signer := newKey(t)
		f.keys[name] = signer
		if name != "mallory" {
			authorized.WriteString(strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey()))) + " " + name + "@laptop\n")
		}
	}
	keysPath := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keysPath, []byte(authorized.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := Options{
		Serve: config.Serve{
			AuthorizedKeys: keysPath,
			HostKey:        filepath.Join(dir, "state", "host_key"),
			Users:          map[string][]string{"alice": {f.groups[0].Name}, "bob@laptop": {AllGroups}},
			ConnRate:       1000,
		},
		Groups:  f.groups,
		Fetcher: client,
		Dashboard: ui.Options{
			Query:    state.Query{Period: api.LastMonth, Aggregation: api.Daily},
			Today:    func() api.Date { return api.DateOf(testNow) },
			PageSize: 200,
		},
		Logger:           log.NewWithOptions(f.log, log.Options{Level: log.DebugLevel}),
		TermQueryTimeout: 50 * time.Millisecond,
	}
	if change != nil {
		change(&opts)
	}
	f.srv, err = New(opts)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = l.Addr().String()
	go func() { _ = f.srv.Serve(l) }()
	t.Cleanup(func() { _ = f.srv.ssh.Close() })
	return f
}

func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dial logs in as user with auth.
func (f *fixture) dial(user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", f.addr, &gossh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // a test server on loopback
		Timeout:         5 * time.Second,
	})
}

// client is one interactive session, as `ssh -t` opens it.
type client struct {
	t      testing.TB
	sess   *gossh.Session
	in     io.WriteCloser
	out    *syncBuffer
	errOut *syncBuffer
	done   chan error
}

// open logs in with name's key and opens a session on a w x h terminal
// of type term, with env sent first and command as the SSH command.
func (f *fixture) open(t testing.TB, name, term string, w, h int, env map[string]string, command string) *client {
	t.Helper()
	conn, err := f.dial(name, gossh.PublicKeys(f.keys[name]))
	if err != nil {
		t.Fatalf("%s: log in: %v", name, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatalf("setenv %s: %v", k, err)
		}
	}
	if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, sess: sess, out: &syncBuffer{keep: f.outKeep}, errOut: &syncBuffer{}, done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = c.out, c.errOut
	if c.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if command == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(command)
	}
	if err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- sess.Wait() }()
	return c
}

// type sends keys as typed.
func (c *client) typeKeys(keys string) {
	c.t.Helper()
	if _, err := io.WriteString(c.in, keys); err != nil {
		c.t.Fatalf("typing %q: %v", keys, err)
	}
}

// screen is everything the session drew, escape sequences removed.
func (c *client) screen() string { return ansi.Strip(c.out.String()) }

// waitFor waits until the drawn text holds every one of what.
func (c *client) waitFor(what ...string) {
	c.t.Helper()
	deadline := time.Now().Add(waitLong)
	for time.Now().Before(deadline) {
		s := c.screen()
		all := true
		for _, w := range what {
			all = all && strings.Contains(s, w)
		}
		if all {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.t.Fatalf("screen never showed %q; it shows:\n%s", what, tail(c.screen(), 3000))
}

// settle waits until the session has drawn nothing for quiet: loading,
// detection and the spinner are done.
func (c *client) settle(quiet time.Duration) {
	c.t.Helper()
	last, since := -1, time.Now()
	deadline := time.Now().Add(waitLong)
	for time.Since(since) < quiet {
		if time.Now().After(deadline) {
			c.t.Fatal("the session never stopped drawing")
		}
		if n := c.out.Len(); n != last {
			last, since = n, time.Now()
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait waits for the session to end and returns its exit status.
func (c *client) wait() int {
	c.t.Helper()
	select {
	case err := <-c.done:
		if err == nil {
			return 0
		}
		if ee, ok := err.(*gossh.ExitError); ok {
			return ee.ExitStatus()
		}
		c.t.Fatalf("session ended with %v", err)
	case <-time.After(waitLong):
		c.t.Fatal("session did not end")
	}
	return -1
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// syncBuffer is a bytes.Buffer safe for one writer and many readers.
// With keep set it holds only about the last keep bytes (the load
// benchmark's 50 clients must not weigh in the server's memory), and
// total counts every byte.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	keep  int
	total int
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total += len(p)
	if b.keep > 0 && b.b.Len()+len(p) > 2*b.keep {
		tail := bytes.Clone(b.b.Bytes()[max(0, b.b.Len()-b.keep):])
		b.b.Reset()
		b.b.Write(tail)
	}
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Len is how many bytes were ever written.
func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.total
}
