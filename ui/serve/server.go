// Package serve is `usagetop serve`: the dashboard over SSH for a team.
// The server holds the API credentials; users log in with a public key
// from an authorized keys file, each key may open only the billing groups
// the config maps it to, and every session runs its own dashboard
// program with its own renderer (the client's TERM, NO_COLOR, size),
// while pages are fetched once for all through a shared cache.
package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/activeterm"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/charmbracelet/wish/recover"
	"github.com/muesli/termenv"
	"github.com/usagetop/usagetop/api"
	gossh "golang.org/x/crypto/ssh"
)

// Server is the SSH server. New builds it; Serve or ListenAndServe run it;
// Shutdown ends every session with a message and stops it.
type Server struct {
	opts   Options
	ssh    *ssh.Server
	keys   *keyring
	policy *policy
	shared *api.SharedFetcher
	limit  *rateLimiter
	log    *log.Logger

	mu       sync.Mutex
	sessions map[*liveSession]struct{}
	closing  bool
	wg       sync.WaitGroup // session handlers
}

// handshakeTimeout bounds the time from connecting to logging in, so idle
// unauthenticated connections cannot pile up.
const handshakeTimeout = 30 * time.Second

// New checks opts, loads or generates the host key, and builds the
// server. It does not listen yet.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	pol, err := newPolicy(opts.Groups, opts.Users, opts.Demo)
	if err != nil {
		return nil, err
	}
	signer, err := loadHostKey(opts.HostKey)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:     opts,
		keys:     newKeyring(opts.AuthorizedKeys, opts.Logger),
		policy:   pol,
		shared:   api.NewSharedFetcher(opts.Fetcher, opts.Cache),
		limit:    newRateLimiter(opts.ConnRate, time.Minute, opts.Now),
		log:      opts.Logger,
		sessions: map[*liveSession]struct{}{},
	}
	// Read the file now, so that a missing or broken one is said at start.
	s.keys.mu.Lock()
	s.keys.refresh()
	s.keys.mu.Unlock()

	srv, err := wish.NewServer(
		wish.WithAddress(opts.Addr),
		func(srv *ssh.Server) error {
			srv.AddHostKey(signer)
			return nil
		},
		wish.WithPublicKeyAuth(s.publicKey),
		// No password or keyboard-interactive handler: those methods are
		// not offered, and a client that tries them is refused.
		func(srv *ssh.Server) error {
			srv.ConnCallback = s.connect
			srv.ServerConfigCallback = s.serverConfig
			return nil
		},
		wish.WithMiddleware(
			recover.MiddlewareWithLogger(recoverLogger{s.log},
				bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
				activeterm.Middleware(),
				s.admit,
			),
			s.logSession,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// ListenAndServe listens on Options.Addr and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("serve: cannot listen on %s: %w; pick another --addr", s.opts.Addr, err)
	}
	return s.Serve(l)
}

// Serve accepts connections on l until Shutdown. It returns nil after a
// Shutdown.
func (s *Server) Serve(l net.Listener) error {
	s.log.Info("serving the dashboard over SSH", "addr", l.Addr().String(), "demo", s.opts.Demo)
	err := s.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections, ends every session with a
// message saying why, and waits for them (at most until ctx ends, when
// the connections left are closed).
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	for ls := range s.sessions {
		ls.end(endShutdown)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	err := s.ssh.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return s.ssh.Close()
	}
	return err
}

// Stats counts what the shared fetcher saved.
func (s *Server) Stats() api.SharedStats { return s.shared.Stats() }

// Sessions is how many sessions are open.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// connect admits a connection within the per-address rate, and gives it
// the record its login is logged from.
func (s *Server) connect(ctx ssh.Context, conn net.Conn) net.Conn {
	host := remoteHost(conn.RemoteAddr())
	if !s.limit.allow(host) {
		s.log.Warn("refused connection: too many from this address", "addr", conn.RemoteAddr().String(), "limit", fmt.Sprintf("%d a minute", s.opts.ConnRate))
		return nil
	}
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing {
		return nil
	}
	a := &attempt{addr: conn.RemoteAddr().String()}
	ctx.SetValue(attemptKey{}, a)
	tc := &trackedConn{Conn: conn, ctx: ctx, a: a, log: s.log}
	tc.timer = time.AfterFunc(handshakeTimeout, func() {
		if ctx.Value(ssh.ContextKeyPublicKey) == nil {
			_ = conn.Close()
		}
	})
	return tc
}

// serverConfig records every authentication attempt, so that a refused
// login is logged once, with why, when its connection closes.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	a, _ := ctx.Value(attemptKey{}).(*attempt)
	return &gossh.ServerConfig{
		AuthLogCallback: func(conn gossh.ConnMetadata, method string, err error) {
			if a != nil {
				a.note(conn.User(), method)
			}
		},
	}
}

// publicKey lets in a key of the authorized keys file that may open at
// least one billing group.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	a, _ := ctx.Value(attemptKey{}).(*attempt)
	ak, err := s.keys.lookup(key)
	if err == nil {
		if groups, _ := s.policy.groupsFor(ak); len(groups) == 0 {
			err = errors.New("the key is in the authorized keys file but maps to no billing group in [serve.users]")
		}
	}
	if err != nil && a != nil {
		a.refuse(gossh.FingerprintSHA256(key), err)
	}
	return err == nil
}

// attemptKey holds a connection's *attempt in its context.
type attemptKey struct{}

// attempt is what a connection tried before it logged in.
type attempt struct {
	mu      sync.Mutex
	addr    string
	user    string
	methods []string
	refused []string // fingerprints
	reason  error
}

func (a *attempt) note(user, method string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.user = user
	a.noteMethod(method)
}

// noteMethod records a method tried; a.mu is held.
func (a *attempt) noteMethod(method string) {
	if len(a.methods) == 0 || a.methods[len(a.methods)-1] != method {
		a.methods = append(a.methods, method)
	}
}

func (a *attempt) refuse(fingerprint string, why error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if slices.Contains(a.refused, fingerprint) {
		return
	}
	a.refused = append(a.refused, fingerprint)
	a.reason = why
	a.noteMethod("publickey")
}

// trackedConn logs a refused login when its connection closes without
// having logged in.
type trackedConn struct {
	net.Conn
	ctx   ssh.Context
	a     *attempt
	log   *log.Logger
	timer *time.Timer
	once  sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.timer.Stop()
		if c.ctx.Value(ssh.ContextKeyPublicKey) != nil {
			return // logged in: the session logs itself
		}
		c.a.mu.Lock()
		defer c.a.mu.Unlock()
		if len(c.a.methods) == 0 {
			return // never tried to log in (a port scan, a version probe)
		}
		reason := "the client offered no public key (passwords and keyboard-interactive are not accepted)"
		if c.a.reason != nil {
			reason = c.a.reason.Error()
		}
		c.log.Warn("refused login", "user", c.a.user, "fingerprints", c.a.refused, "addr", c.a.addr, "methods", c.a.methods, "reason", reason)
	})
	return c.Conn.Close()
}

// remoteHost is the IP address of addr, without its port.
func remoteHost(addr net.Addr) string {
	if ta, ok := addr.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return host
}

// recoverLogger adapts the logger to wish's recover middleware.
type recoverLogger struct{ l *log.Logger }

func (r recoverLogger) Printf(format string, v ...any) { r.l.Errorf(format, v...) }
