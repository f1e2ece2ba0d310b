package serve

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/logging"
	"github.com/usagetop/usagetop/ui"
	gossh "golang.org/x/crypto/ssh"
)

// endReason is why the server ended a session; endQuit is the user's own
// choice and needs no message.
type endReason int

const (
	endQuit endReason = iota
	endIdle
	endMax
	endShutdown
	endGone // the client closed the session
)

// message is what the user reads once the dashboard has closed.
func (r endReason) message(o Options) string {
	switch r {
	case endIdle:
		return fmt.Sprintf("session closed after %s without a keystroke; ssh in again to continue", o.IdleTimeout)
	case endMax:
		return fmt.Sprintf("session closed: sessions last at most %s; ssh in again to continue", o.MaxSession)
	case endShutdown:
		return "the server is shutting down; try again in a minute"
	}
	return ""
}

// sessionKey holds a session's *liveSession in its context.
type sessionKey struct{}

// liveSession is one admitted session.
type liveSession struct {
	ctx    context.Context
	cancel context.CancelFunc
	kb     *keyboard
	groups []ui.Group // what its key may open
	group  ui.Group   // what it opens with
	stop   func()     // cancels the dashboard's requests; nil until built

	mu     sync.Mutex
	reason endReason
	prog   *tea.Program // nil until built
}

// end closes the session's dashboard for reason; the first reason wins.
// A running dashboard is asked to quit, which restores the terminal as
// a quit by the user does; one not yet running never starts.
func (ls *liveSession) end(r endReason) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.reason == endQuit {
		ls.reason = r
	}
	if ls.prog != nil {
		ls.prog.Quit()
		return
	}
	ls.cancel()
}

func (ls *liveSession) endReason() endReason {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.reason
}

// logSession logs one line as a session starts and one as it ends (wish's
// logging middleware), with the key's fingerprint, never a secret.
func (s *Server) logSession(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		l := s.log
		if k := sess.PublicKey(); k != nil {
			l = l.With("fingerprint", gossh.FingerprintSHA256(k))
		}
		logging.StructuredMiddlewareWithLogger(l, log.InfoLevel)(next)(sess)
	}
}

// admit lets a session in when its key may still open a billing group (the
// file may have changed since it logged in), the group it asked for is one
// of them, and the server has room. It then watches the session's idle and
// total time, and once the dashboard has closed, says why.
func (s *Server) admit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		groups, err := s.sessionGroups(sess)
		if err != nil {
			s.refuse(sess, err)
			return
		}
		ls := &liveSession{groups: groups}
		if ls.group, err = pick(groups, strings.Join(sess.Command(), " "), s.opts.Dashboard.Query.GroupID); err != nil {
			s.refuse(sess, err)
			return
		}
		if err := s.register(ls); err != nil {
			s.refuse(sess, err)
			return
		}
		defer s.unregister(ls)
		// Not cancelled by the client leaving: wish then asks the program
		// to quit, as a user would, instead of killing it mid-frame.
		ls.ctx, ls.cancel = context.WithCancel(context.WithoutCancel(sess.Context()))
		defer ls.cancel()
		ls.kb = newKeyboard(ls.ctx, sess, s.opts.Now)
		sess.Context().SetValue(sessionKey{}, ls)
		go s.watch(ls)

		next(sess)

		if ls.stop != nil {
			ls.stop()
		}
		code := 0
		if msg := ls.endReason().message(s.opts); msg != "" {
			fmt.Fprintf(sess.Stderr(), "usagetop: %s\n", msg)
			code = 1
		}
		_ = sess.Exit(code)
	}
}

// sessionGroups is what the session's key may open now.
func (s *Server) sessionGroups(sess ssh.Session) ([]ui.Group, error) {
	key := sess.PublicKey()
	if key == nil {
		return nil, fmt.Errorf("log in with a public key")
	}
	ak, err := s.keys.lookup(key)
	if err != nil {
		return nil, err
	}
	groups, _ := s.policy.groupsFor(ak)
	if len(groups) == 0 {
		return nil, fmt.Errorf("your key may open no billing group; ask the server's admin to map it in [serve.users]")
	}
	return groups, nil
}

// refuse ends a session before its dashboard opens, telling the user and
// the log why.
func (s *Server) refuse(sess ssh.Session, why error) {
	fp := ""
	if k := sess.PublicKey(); k != nil {
		fp = gossh.FingerprintSHA256(k)
	}
	s.log.Warn("refused session", "user", sess.User(), "fingerprint", fp, "addr", sess.RemoteAddr().String(), "command", sess.Command(), "reason", why)
	fmt.Fprintf(sess.Stderr(), "usagetop: %s\n", why)
	_ = sess.Exit(1)
}

// register counts a session in, if the server has room and is not closing.
func (s *Server) register(ls *liveSession) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return fmt.Errorf("the server is shutting down; try again in a minute")
	case len(s.sessions) >= s.opts.MaxSessions:
		return fmt.Errorf("the server is full (%d sessions); try again later", s.opts.MaxSessions)
	}
	s.sessions[ls] = struct{}{}
	s.wg.Add(1)
	return nil
}

func (s *Server) unregister(ls *liveSession) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, ls)
	s.wg.Done()
}

// watch ends ls when it has gone IdleTimeout without a keystroke, has
// lasted MaxSession, or its client has closed it.
func (s *Server) watch(ls *liveSession) {
	deadline := s.opts.Now().Add(s.opts.MaxSession)
	for {
		idleLeft := s.opts.IdleTimeout - ls.kb.idle()
		maxLeft := deadline.Sub(s.opts.Now())
		switch {
		case maxLeft <= 0:
			ls.end(endMax)
			return
		case idleLeft <= 0:
			ls.end(endIdle)
			return
		}
		t := time.NewTimer(min(idleLeft, maxLeft))
		select {
		case <-ls.ctx.Done():
			t.Stop()
			return
		case <-ls.kb.closed:
			// The client closed the session but perhaps not the
			// connection (a multiplexed ssh): nobody is left to quit.
			t.Stop()
			ls.end(endGone)
			return
		case <-t.C:
		}
	}
}

// program builds the session's dashboard: its own renderer from the
// client's terminal, the groups its key may open, the shared fetcher, and
// exports that go to the client's clipboard, never the server's disk.
func (s *Server) program(sess ssh.Session) *tea.Program {
	ls, ok := sess.Context().Value(sessionKey{}).(*liveSession)
	if !ok {
		return nil
	}
	pty, _, _ := sess.Pty()
	t := newTerminal(pty.Term, sess.Environ())
	dark := true // most terminals; used only when the terminal does not say
	if !t.noColor {
		if d, known := ls.kb.queryBackground(sess, s.opts.TermQueryTimeout); known {
			dark = d
		}
	}
	opts := s.opts.Dashboard
	opts.Fetcher = s.shared
	opts.Groups = ls.groups
	opts.Query.GroupID, opts.Query.GroupName = ls.group.ID, ls.group.Name
	opts.Renderer = t.renderer(sess, dark)
	opts.NoColor = opts.NoColor || t.noColor
	opts.ExportToClipboard, opts.ExportDir, opts.Clipboard = true, "", nil
	p, stop := ui.NewProgram(ls.ctx, opts, ls.kb, sess, tea.WithoutSignalHandler())
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.reason != endQuit {
		stop()
		return nil // ended while its terminal was being asked about
	}
	ls.stop, ls.prog = stop, p
	return p
}
