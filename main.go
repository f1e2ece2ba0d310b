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
	"net/http"
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
	"github.com/usagetop/usagetop/state/snapshot"
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
	// The dashboard's own: what `y` copies to reopen a view.
	view, sort, filter, product string
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

// exportFlags are export's own options.
type exportFlags struct {
	view   string
	format string
	output string
	force  bool
	load   loadFlags
}

// loadFlags say where the headless commands' data comes from.
type loadFlags struct {
	offline bool // the snapshot store alone, no request
	refresh bool // every window fetched again
}

// register adds --offline and --refresh to fs.
func (lf *loadFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&lf.offline, "offline", false, "work from the local snapshot store alone: no request is sent")
	fs.BoolVar(&lf.refresh, "refresh", false, "fetch every day again, whatever the snapshot store holds")
}

// demoClockEnv sets the demo's day (YYYY-MM-DD), so the figures of the
// 1st or the 2nd of a month can be seen on any day.
const demoClockEnv = "USAGETOP_DEMO_TODAY"

// demoClock is the session's clock: the real one, or under --demo the
// afternoon of the day demoClockEnv names.
func demoClock(demo bool) (func() time.Time, error) {
	v := os.Getenv(demoClockEnv)
	if !demo || v == "" {
		return time.Now, nil
	}
	d, err := api.ParseDate(v)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w; give a day such as 2026-12-02", demoClockEnv, err)}
	}
	at := d.Time().Add(15 * time.Hour)
	return func() time.Time { return at }, nil
}

// demoDataEnv picks the demo's data: unset for the generated groups,
// "calendar" for a labelled year with public holidays, quarter ends,
// price steps, launches and drift (what the anomaly detector is judged on).
const demoDataEnv = "USAGETOP_DEMO_DATA"

// demoOptions is the simulated API of --demo, on the demo clock.
func demoOptions(now func() time.Time) (fakeapi.Options, error) {
	opts := fakeapi.Options{Now: now}
	switch v := os.Getenv(demoDataEnv); v {
	case "":
	case "calendar":
		ds, err := fakeapi.NewCalendarYear(1, api.DateOf(now())).Dataset()
		if err != nil {
			return opts, err
		}
		opts.Dataset = ds
	default:
		return opts, usageError{fmt.Errorf("%s=%q: use calendar, or leave it unset for the generated demo groups", demoDataEnv, v)}
	}
	return opts, nil
}

func newExportCmd(f *flags) *cobra.Command {
	var ef exportFlags
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Fetch every page of a query and print one view (records, products or anomalies)",
		Example: "  usagetop export --demo --period LAST_MONTH --view records --format csv\n" +
			"  usagetop export --group acme --from 2026-01-01 --to 2026-06-30 --view products --format json --output h1.json",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(cmd, f, &ef)
		},
	}
	fs := cmd.Flags()
	f.register(fs, true)
	fs.StringVar(&ef.view, "view", "records", "records, products or anomalies")
	fs.StringVar(&ef.format, "format", "csv", "csv, json or md")
	fs.StringVarP(&ef.output, "output", "o", "", "write to FILE, atomically, instead of stdout (- is stdout)")
	fs.BoolVar(&ef.force, "force", false, "replace --output if it exists")
	ef.load.register(fs)
	return cmd
}

// exportView is one view export can print.
type exportView string

const (
	viewRecords   exportView = "records"
	viewProducts  exportView = "products"
	viewAnomalies exportView = "anomalies"
)

func parseView(s string) (exportView, error) {
	switch v := exportView(strings.ToLower(s)); v {
	case viewRecords, viewProducts, viewAnomalies:
		return v, nil
	}
	return "", usagef("--view: unknown view %q; use records, products or anomalies", s)
}

func runExport(cmd *cobra.Command, f *flags, ef *exportFlags) error {
	// Check export's own flags before any request is sent.
	view, err := parseView(ef.view)
	if err != nil {
		return err
	}
	format, err := export.ParseFormat(ef.format)
	if err != nil {
		return usageError{fmt.Errorf("--format: %w", err)}
	}
	if ef.output == "-" {
		ef.output = "" // the usual spelling of stdout
	}
	if ef.output != "" {
		if err := export.CheckTarget(ef.output, ef.force); err != nil {
			return usageError{fmt.Errorf("--output: %w", err)}
		}
	}
	ctx := cmd.Context()
	s, err := openSession(ctx, cmd, f)
	if err != nil {
		return err
	}
	defer s.Close()

	// The export runs the dashboard's plan: the same generation, the same
	// figures, so a file and the screen never disagree.
	want := state.Want{Period: true, Figures: view != viewRecords}
	g, err := loadGeneration(ctx, s, want, ef.load, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	store := g.Period()
	if store.Len() == 0 {
		// Not an error (a quiet period is real), but a mistyped
		// category looks the same, so say it.
		what := s.query.Label(s.today())
		if s.query.Category != "" {
			what += ", category " + s.query.Category
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "usagetop: no records in %s; check --group, the period and --category\n", what)
	}
	var found state.StoreAnomalies
	if view != viewRecords {
		if found, err = g.Detect(); err != nil {
			return err
		}
	}
	var write func(w io.Writer) error
	n := 0
	switch view {
	case viewAnomalies:
		n = len(found.Anomalies)
		write = func(w io.Writer) error { return export.WriteAnomalies(w, format, found.Anomalies) }
	case viewProducts:
		rows := export.ProductsOf(g, found)
		n = len(rows)
		fmt.Fprintf(cmd.ErrOrStderr(), "usagetop: figures cover %s\n", g.Coverage())
		write = func(w io.Writer) error { return export.WriteProducts(w, format, rows) }
	default:
		n = store.Len()
		write = func(w io.Writer) error { return export.WriteRecords(w, format, store) }
	}
	if ef.output == "" {
		return write(cmd.OutOrStdout())
	}
	if err := export.WriteFileAtomic(ef.output, ef.force, write); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%d rows) to %s\n", view, n, ef.output)
	return nil
}

// fetchAll loads every page of q into a store, telling stderr about rate
// limits and retries as they happen.
// loadGeneration runs the session's query to completion with the
// dashboard's load plan, saying on stderr when it waits to retry.
func loadGeneration(ctx context.Context, s *session, want state.Want, lf loadFlags, stderr io.Writer) (*state.Generation, error) {
	if lf.offline && lf.refresh {
		return nil, usagef("--offline and --refresh cannot be used together")
	}
	g := state.NewGeneration(1, s.query, s.today(), s.settings.DetectorConfig())
	if err := g.Invalid(); err != nil {
		return nil, err
	}
	attempts := s.settings.API.MaxRetries + 1
	ctx = api.WithRetryNotify(ctx, func(n api.RetryNotice) {
		fmt.Fprintln(stderr, "usagetop: "+retryLine(n, attempts))
	})
	snaps := openSnapshots(stderr)
	if snaps != nil {
		defer snaps.Close()
	}
	wl := state.WindowLoad{Pager: s.client, Store: snaps, Source: s.source(), Offline: lf.offline, Refresh: lf.refresh,
		PageSize: s.settings.API.PageSize, Window: window.Options{Now: s.now}}
	if err := g.LoadWindows(ctx, wl, want); err != nil {
		if lf.offline {
			return nil, usageError{err}
		}
		return nil, err
	}
	return g, nil
}

// openSnapshots opens the local snapshot store, or says on stderr why the
// command works without one (a damaged file is set aside, never deleted).
func openSnapshots(stderr io.Writer) *snapshot.Store {
	path, err := snapshot.DefaultPath()
	if err != nil {
		fmt.Fprintf(stderr, "usagetop: no snapshot store (%v); everything is fetched\n", err)
		return nil
	}
	st, err := snapshot.Open(path, snapshot.Options{})
	var aside *snapshot.SetAsideError
	if errors.As(err, &aside) {
		fmt.Fprintln(stderr, "usagetop: "+aside.Error())
		st, err = snapshot.Open(path, snapshot.Options{})
	}
	if err != nil {
		fmt.Fprintf(stderr, "usagetop: no snapshot store (%v); everything is fetched\n", err)
		return nil
	}
	return st
}

// retryLine says in a few words what failed and when the next attempt is:
// "rate limited (429); retrying in 1s (attempt 2 of 5)". A server's error
// page is left out; the status says enough.
func retryLine(n api.RetryNotice, attempts int) string {
	what := n.Err.Error()
	var ae *api.Error
	var de *api.DecodeError
	switch {
	case errors.As(n.Err, &ae) && ae.StatusCode == http.StatusTooManyRequests:
		what = "rate limited (429)"
	case ae != nil:
		what = fmt.Sprintf("server error %d %s", ae.StatusCode, http.StatusText(ae.StatusCode))
	case errors.As(n.Err, &de) && de.Truncated:
		what = "the response was cut short"
	}
	if ae != nil && ae.TokenEndpoint {
		what = "token endpoint: " + what
	}
	return fmt.Sprintf("%s; retrying in %s (attempt %d of %d)", what, n.Wait.Round(100*time.Millisecond), n.Attempt+1, attempts)
}

func newFakeAPICmd() *cobra.Command {
	var (
		addr   string
		data   string
		seed   int64
		faults fakeapi.Faults
	)
	cmd := &cobra.Command{
		Use:   "fakeapi",
		Short: "Serve the simulated Billing Usage API (for demos and tests)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := fakeapi.Options{Seed: seed, Faults: faults}
			if data != "" {
				ds, err := fakeapi.LoadDataset(data)
				if err != nil {
					return usageError{fmt.Errorf("--data: %w", err)}
				}
				opts.Dataset = ds
			}
			run, err := fakeapi.Listen(addr, opts)
			if err != nil {
				return usagef("cannot listen on %s: %v; pick another --addr", addr, err)
			}
			defer run.Close()
			out := cmd.ErrOrStderr()
			fmt.Fprintf(out, "simulated Billing Usage API on %s\n", run.BaseURL)
			fmt.Fprintf(out, "  token URL     %s\n  client id     %s\n  client secret %s (demo only)\n",
				run.TokenURL, fakeapi.DemoClientID, fakeapi.DemoClientSecret)
			if g := run.Server.Generator(); g != nil {
				for _, grp := range g.Groups() {
					fmt.Fprintf(out, "  group %-10s %s (%s)\n", grp.Name, grp.ID, grp.Currency)
				}
			}
			fmt.Fprintf(out, "try: TWILIO_CLIENT_ID=%s TWILIO_CLIENT_SECRET=%s usagetop --base-url %s --token-url %s --group <id>\n",
				fakeapi.DemoClientID, fakeapi.DemoClientSecret, run.BaseURL, run.TokenURL)
			<-cmd.Context().Done()
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", "127.0.0.1:8787", "address to listen on")
	fs.StringVar(&data, "data", "", "serve records from this JSON file instead of generated demo data")
	fs.Int64Var(&seed, "seed", 1, "seed of the demo data generator")
	fs.DurationVar(&faults.Latency, "latency", 0, "added to every request")
	fs.IntVar(&faults.Every429, "every-429", 0, "answer every Nth records request with 429")
	fs.IntVar(&faults.RetryAfter, "retry-after", 1, "Retry-After seconds on those 429s")
	fs.IntVar(&faults.Every503, "every-503", 0, "answer every Nth records request with 503")
	fs.DurationVar(&faults.TokenLifetime, "token-lifetime", 0, "lifetime of minted tokens (default 1h)")
	fs.IntVar(&faults.MalformedEvery, "malformed-every", 0, "send malformed JSON on every Nth records response")
	return cmd
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
	groups := make([]ui.Group, len(s.groups))
	for i, g := range s.groups {
		groups[i] = ui.Group{Name: g.Name, ID: g.ID}
	}
	st := s.settings
	return ui.Run(ctx, ui.Options{
		Fetcher:       s.client,
		Query:         s.query,
		Groups:        groups,
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
