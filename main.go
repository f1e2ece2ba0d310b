// Command usagetop is a terminal dashboard for Twilio Billing Group spend,
// and a headless exporter of the same views for scripts.
//
// main.go holds the command line, config loading and wiring; it is the only
// place that exits. Exit status: 0 success; 1 the API or the network
// failed, or the credentials were refused; 2 bad usage or input, including
// configuration: a setting, a missing credential, or a secret that cannot be
// obtained (secret_env unset, secret_command failing).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/api/window"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/config"
	"github.com/usagetop/usagetop/state/export"
	"github.com/usagetop/usagetop/ui"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is shown.
var version = ""

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // the API or the network failed, or the credentials were refused
	exitUsage   = 2 // bad usage or input, configuration included
)

// usageError marks an error as the user's input, so it exits 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// firstRunError carries the first-run help shown when nothing is configured.
type firstRunError struct{ help string }

func (e firstRunError) Error() string { return e.help }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// noArgs refuses positional arguments as bad usage (exit 2): on a command
// with subcommands the word was meant as one of them, so a close match is
// suggested; elsewhere it was meant as a value, so the flags are pointed to.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	path := cmd.CommandPath()
	if cmd.HasAvailableSubCommands() {
		msg := fmt.Sprintf("unknown command %q for %s", args[0], path)
		if cmd.SuggestionsMinimumDistance <= 0 {
			cmd.SuggestionsMinimumDistance = 2 // cobra's own default, set only on its path
		}
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return usagef("%s (see %s --help)", msg, path)
	}
	return usagef("%s takes no arguments, got %q; values go in flags (see %s --help)", path, strings.Join(args, " "), path)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var fr firstRunError
	if errors.Is(err, errFindings) {
		return exitFindings
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Ctrl-C, not a network fault: the request was cut by us.
		fmt.Fprintln(stderr, "usagetop: interrupted")
		return exitFailure
	}
	if errors.As(err, &fr) {
		fmt.Fprint(stderr, fr.help) // a welcome, not an error: no prefix
	} else {
		fmt.Fprintln(stderr, "usagetop: "+describeError(err))
	}
	return exitCode(err)
}

// exitCode maps an error to the exit status the command line promises.
func exitCode(err error) int {
	var ue usageError
	var ve *api.ValidationError
	var ce *config.Error
	var sce *api.SecretCommandError
	switch {
	case errors.As(err, &ue), errors.As(err, &ve), errors.As(err, &ce), errors.Is(err, export.ErrExists),
		// A secret that cannot be obtained is configuration to fix, like a
		// missing one; a secret the token endpoint refuses is not (exit 1).
		errors.Is(err, api.ErrNoSecret), errors.As(err, &sce):
		return exitUsage
	}
	return exitFailure
}

// describeError is the message for stderr: what is wrong, then what to do.
func describeError(err error) string {
	msg := err.Error()
	var h interface{ Hint() string } // *api.Error, a network failure
	if errors.As(err, &h) {
		if hint := h.Hint(); hint != "" && !strings.Contains(msg, hint) {
			msg += "\n  " + hint
		}
	}
	return msg
}

// flags are the options shared by the dashboard and export besides the
// settings' own, which config.RegisterFlags adds and config.Load reads.
type flags struct {
	demo bool
	// The dashboard's own: what `y` copies to reopen a view, and
	// --offline (the snapshot store alone).
	view, sort, filter, product string
	offline                     bool
}

// register adds the shared flags to fs: the dashboard's and export's own
// flags, and config's persistent ones (without --demo, which config check
// does not use). fakeapi and version take none of them.
func (f *flags) register(fs *pflag.FlagSet, demo bool) {
	config.RegisterFlags(fs, config.QueryCommands)
	if demo {
		fs.BoolVar(&f.demo, "demo", false, "run on the simulated API with demo data: no account, no network")
	}
}

// registerDashboard adds the dashboard's own flags: the screen's settings
// (colour, ASCII, mouse) and the view `y` copies (tab, sort, filter,
// open product). Export, which draws no screen, has none of them.
func (f *flags) registerDashboard(fs *pflag.FlagSet) {
	config.RegisterFlags(fs, config.ScreenCommands)
	fs.StringVar(&f.view, "view", "", "open on products, records or anomalies")
	fs.StringVar(&f.sort, "sort", "", "sort by a column of the view, as KEY[:asc|:desc] (cost:desc)")
	fs.StringVar(&f.filter, "filter", "", "filter the rows by product name or category")
	fs.StringVar(&f.product, "product", "", "open the detail of this product once loaded")
	fs.BoolVar(&f.offline, "offline", false, "show what the local snapshot store holds, sending no request")
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	var f flags
	root := &cobra.Command{
		Use:   "usagetop",
		Short: "A terminal dashboard for Twilio Billing Group spend",
		Long: "usagetop shows what a Twilio billing group used and what it cost: a sortable\n" +
			"table of products with daily trends, records, anomalies and a detail chart.\n\n" +
			"Try it with no account:  usagetop --demo",
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDashboard(cmd, &f)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())}
	})
	f.register(root.Flags(), true)
	f.registerDashboard(root.Flags())
	root.AddCommand(newExportCmd(&f), newFakeAPICmd(), newVersionCmd(), newConfigCmd(&f), newCheckCmd(&f), newDigestCmd(&f), newServeCmd(&f))
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "usagetop "+versionString())
			return nil
		},
	}
}

func versionString() string {
	v := version
	bi, ok := debug.ReadBuildInfo()
	if v == "" && ok {
		v = bi.Main.Version
	}
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	if ok {
		v += " (" + bi.GoVersion + ")"
	}
	return v
}

// session is everything a command needs once flags and config are resolved.
type session struct {
	settings *config.Settings
	query    state.Query
	groups   []config.Group
	client   *api.Client
	today    func() api.Date
	// closeDemo stops the in-process simulated API; nil when not in demo.
	closeDemo func()
	// now is the session's clock (the demo's may be set); demo is --demo.
	now  func() time.Time
	demo bool
}

// source names the API the session's data comes from, for the snapshot
// store: the demo's data is the same at any port.
func (s *session) source() string {
	if s.demo {
		return "demo:" + os.Getenv(demoDataEnv)
	}
	return s.settings.API.BaseURL
}

func (s *session) Close() {
	if s.closeDemo != nil {
		s.closeDemo()
	}
}

// loadSettings resolves defaults, config file, environment and flags. In
// the demo, --group is left for the simulated API's groups, which are not
// in the user's config.
func loadSettings(cmd *cobra.Command, demo bool) (*config.Settings, error) {
	return config.Load(cmd.Context(), config.LoadOptions{
		Flags:         cmd.Flags(),
		Getenv:        os.Getenv,
		UserConfigDir: os.UserConfigDir,
		DeferGroup:    demo,
	})
}

// openSession loads settings, starts the demo server when asked, and
// builds the query and the client.
func openSession(ctx context.Context, cmd *cobra.Command, f *flags) (*session, error) {
	st, err := loadSettings(cmd, f.demo)
	if err != nil {
		return nil, err
	}
	now, err := demoClock(f.demo)
	if err != nil {
		return nil, err
	}
	s := &session{settings: st, today: func() api.Date { return api.DateOf(now()) }, now: now, demo: f.demo}
	var secret string
	if f.demo {
		opts, err := demoOptions(now)
		if err != nil {
			return nil, err
		}
		run, err := fakeapi.Start(opts)
		if err != nil {
			return nil, fmt.Errorf("cannot start the demo API on loopback: %w", err)
		}
		s.closeDemo = run.Close
		st.API.BaseURL, st.API.TokenURL = run.BaseURL, run.TokenURL
		st.Auth.ClientID, secret = fakeapi.DemoClientID, fakeapi.DemoClientSecret
		var groups []config.Group
		for _, g := range run.Server.Groups() {
			groups = append(groups, config.Group{Name: g.Name, ID: g.ID})
		}
		if err := st.ReplaceGroups(groups, cmd.Flags().Lookup("group").Value.String()); err != nil {
			s.Close()
			return nil, err
		}
	} else {
		if st.FirstRun() {
			return nil, usageError{firstRunError{st.FirstRunHelp()}}
		}
		if err := st.CredentialsError(); err != nil {
			return nil, usageError{err}
		}
		if secret, err = st.ResolveSecret(ctx); err != nil {
			return nil, err
		}
	}
	s.groups = st.Groups
	g := st.Query.Group
	s.query = state.Query{
		GroupID:     g.ID,
		GroupName:   g.Name,
		Period:      st.Query.Period,
		From:        st.Query.From,
		To:          st.Query.To,
		Category:    st.Query.Category,
		Aggregation: st.Query.Aggregation,
	}
	if err := s.query.Validate(); err != nil {
		s.Close()
		return nil, err
	}
	if s.client, err = api.New(st.APIConfig(secret)); err != nil {
		s.Close()
		return nil, usageError{err}
	}
	return s, nil
}

func newConfigCmd(f *flags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Inspect the configuration",
		// Runnable, so that an unknown subcommand is refused (exit 2)
		// rather than answered with help and success.
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var online bool
	check := &cobra.Command{
		Use:   "check",
		Short: "Validate the config and print the resolved settings with their sources (secrets redacted)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := loadSettings(cmd, false)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if err := st.WriteReport(out); err != nil {
				return err
			}
			if err := st.Ready(); err != nil {
				return usageError{err}
			}
			if !online {
				fmt.Fprintln(out, "config is valid")
				return nil
			}
			if !st.HasCredentials() {
				return usageError{errors.New("--online needs credentials.\n" + st.FirstRunHelp())}
			}
			secret, err := st.ResolveSecret(cmd.Context())
			if err != nil {
				return err
			}
			client, err := api.New(st.APIConfig(secret))
			if err != nil {
				return usageError{err}
			}
			if err := client.CheckCredentials(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(out, "config is valid; the token endpoint %s issued a token\n", st.API.TokenURL)
			return nil
		},
	}
	check.Flags().BoolVar(&online, "online", false, "also ask the token endpoint for a token")
	// Persistent, so they may come before or after "check".
	f.register(cmd.PersistentFlags(), false)
	config.RegisterFlags(cmd.PersistentFlags(), config.ScreenCommands)
	cmd.AddCommand(check)
	return cmd
}

// runDashboard opens the terminal UI on the session's query.
func runDashboard(cmd *cobra.Command, f *flags) error {
	ctx := cmd.Context()
	s, err := openSession(ctx, cmd, f)
	if err != nil {
		return err
	}
	defer s.Close()
	if !isTerminal(cmd.OutOrStdout()) {
		return usagef("the dashboard draws on a terminal, and stdout is not one; for a file or a pipe use: usagetop export (see usagetop export --help)")
	}
	st := s.settings
	var windows *ui.WindowOptions
	if snaps := openSnapshots(cmd.ErrOrStderr()); snaps != nil {
		defer snaps.Close()
		windows = &ui.WindowOptions{Pager: s.client, Store: snaps, Source: s.source(), Window: window.Options{Now: s.now},
			HorizonDays: st.UI.RefreshDays, Offline: f.offline}
	} else if f.offline {
		return usagef("--offline needs the snapshot store, and it could not be opened (see above)")
	}
	return ui.Run(ctx, ui.Options{
		Windows:       windows,
		Fetcher:       s.client,
		Query:         s.query,
		Groups:        s.groups,
		Today:         s.today,
		PageSize:      st.API.PageSize,
		AutoloadPages: st.UI.AutoloadPages,
		NoColor:       st.UI.NoColor,
		ASCII:         st.UI.ASCII,
		Mouse:         st.UI.Mouse,
		View:          f.view,
		Sort:          f.sort,
		Filter:        f.filter,
		Product:       f.product,
		Detector:      st.DetectorConfig(),
		Budgets:       budgetRules(s),
		CommandFlags:  reopenFlags(cmd, f),
		// The client gives up on a page after MaxRetryTime of retries
		// plus one last attempt; the dashboard must not give up sooner.
		RequestTimeout: st.API.MaxRetryTime + st.API.RequestTimeout,
	})
}

// reopenFlags are the flags, besides the query's own, that a command line
// copied with `y` needs to reopen the same view: --demo, or the --config,
// --base-url and --token-url this run was given. Demo URLs are left out:
// each demo listens on a new port. None of these can hold a secret.
func reopenFlags(cmd *cobra.Command, f *flags) []string {
	if f.demo {
		return []string{"--demo"}
	}
	var out []string
	for _, name := range []string{"config", "base-url", "token-url"} {
		if fl := cmd.Flags().Lookup(name); fl != nil && fl.Changed {
			out = append(out, "--"+name, fl.Value.String())
		}
	}
	return out
}

// isTerminal reports whether w is a character device (a terminal), not a
// file, a pipe or a buffer.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
