package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"

	"github.com/usagetop/usagetop/state/config"
	"github.com/usagetop/usagetop/ui"
	"github.com/usagetop/usagetop/ui/serve"
)

// serveFlags are serve's own options; each overrides its [serve] key.
type serveFlags struct {
	addr           string
	authorizedKeys string
	hostKey        string
}

// serveShutdownTimeout is how long sessions get to close on SIGTERM
// before their connections are cut.
const serveShutdownTimeout = 10 * time.Second

func newServeCmd(f *flags) *cobra.Command {
	var sf serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the dashboard over SSH to a team: keys log in, the API credentials stay on this host",
		Long: "serve runs an SSH server whose every session is the dashboard. Users log in with a\n" +
			"key from --authorized-keys; [serve.users] in the config maps each key to the billing\n" +
			"groups it may open. Sessions on the same query share one fetch.\n\n" +
			"Users connect with:  ssh -p 2222 HOST   (or: ssh -t -p 2222 HOST GROUP)",
		Example: "  usagetop serve --demo --addr 127.0.0.1:2222 --authorized-keys ~/.ssh/authorized_keys\n" +
			"  usagetop serve --config /etc/usagetop/config.toml --authorized-keys /etc/usagetop/authorized_keys",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, f, &sf)
		},
	}
	fs := cmd.Flags()
	f.register(fs, true)
	fs.StringVar(&sf.addr, "addr", "", "address to listen on, host:port (default "+serve.DefaultAddr+")")
	fs.StringVar(&sf.authorizedKeys, "authorized-keys", "", "OpenSSH authorized_keys file of the keys that may log in; read again when it changes")
	fs.StringVar(&sf.hostKey, "host-key", "", "the server's private host key, generated when missing (default: the state directory's ssh_host_ed25519_key)")
	return cmd
}

func runServe(cmd *cobra.Command, f *flags, sf *serveFlags) error {
	ctx := cmd.Context()
	s, err := openSession(ctx, cmd, f)
	if err != nil {
		return err
	}
	defer s.Close()
	opts, err := serveOptions(cmd, f, sf, s)
	if err != nil {
		return err
	}
	srv, err := serve.New(opts)
	if err != nil {
		return usageError{err}
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	opts.Logger.Info("shutting down: ending sessions", "sessions", srv.Sessions())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serveShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	<-errc
	return nil
}

// serveOptions fills serve.Options from the [serve] settings, then the
// flags, then the session (groups, client, query).
func serveOptions(cmd *cobra.Command, f *flags, sf *serveFlags, s *session) (serve.Options, error) {
	opts, err := serveSettings(s.settings)
	if err != nil {
		return opts, err
	}
	if sf.addr != "" {
		opts.Addr = sf.addr
	}
	if sf.authorizedKeys != "" {
		opts.AuthorizedKeys = sf.authorizedKeys
	}
	if sf.hostKey != "" {
		opts.HostKey = sf.hostKey
	}
	if opts.HostKey == "" {
		dir, err := stateDir()
		if err != nil {
			return opts, usagef("no --host-key given and no state directory to generate one in (%v); pass --host-key PATH", err)
		}
		opts.HostKey = filepath.Join(dir, "ssh_host_ed25519_key")
	}
	opts.Demo = f.demo
	opts.Groups = s.groups
	opts.Fetcher = s.client
	opts.Logger = log.NewWithOptions(cmd.ErrOrStderr(), log.Options{ReportTimestamp: true, TimeFormat: time.RFC3339})
	log.SetDefault(opts.Logger) // wish's middleware logs through the default
	st := s.settings
	var reopen []string
	if f.demo {
		reopen = []string{"--demo"} // the server's --config means nothing on the user's machine
	}
	opts.Dashboard = ui.Options{
		Query:         s.query,
		Today:         s.today,
		PageSize:      st.API.PageSize,
		AutoloadPages: st.UI.AutoloadPages,
		ASCII:         st.UI.ASCII,
		Detector:      st.DetectorConfig(),
		Budgets:       budgetRules(s),
		CommandFlags:  reopen,
		// As the dashboard: the client's retries must end first.
		RequestTimeout: st.API.MaxRetryTime + st.API.RequestTimeout,
	}
	return opts, nil
}

// serveSettings is the configuration's [serve] section as serve.Options:
// addr, authorized_keys, host_key, max_sessions, idle_timeout,
// max_session, conn_rate and [serve.users] (a key's fingerprint, comment,
// or the user part of its comment -> billing group names or ids).
func serveSettings(st *config.Settings) (serve.Options, error) {
	return serve.Options{Serve: st.Serve}, nil
}

// stateDir is where usagetop keeps what it generates for itself:
// $XDG_STATE_HOME/usagetop, else ~/.local/state/usagetop.
func stateDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "usagetop"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if home == "" {
		return "", errors.New("no home directory")
	}
	return filepath.Join(home, ".local", "state", "usagetop"), nil
}
