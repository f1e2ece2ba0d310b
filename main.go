// Command usagetop is a terminal dashboard for Twilio Billing Group spend,
// and a headless exporter of the same views for scripts.
//
// main.go holds the command line, config loading and wiring; it is the only
// place that exits. Exit status: 0 success; 1 the API, network or
// credentials failed; 2 bad usage or input.
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
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/export"
	"github.com/usagetop/usagetop/ui"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is shown.
var version = ""

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // the API, the network or the credentials failed
	exitUsage   = 2 // bad usage or input
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
	var ce *state.ConfigError
	switch {
	case errors.As(err, &ue), errors.As(err, &ve), errors.As(err, &ce), errors.Is(err, export.ErrExists),
		errors.Is(err, api.ErrNoSecret): // configuration missing, not credentials refused
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

// flags are the options shared by the dashboard and export.
type flags struct {
	config      string
	demo        bool
	group       string
	period      string
	from, to    string
	category    string
	aggregation string
	baseURL     string
	tokenURL    string
	pageSize    string
	noColor     bool
	ascii       bool
	// The dashboard's own: mouse, and what `y` copies to reopen a view.
	mouse                       bool
	view, sort, filter, product string
}

// register adds the shared flags to fs: the dashboard's and export's own
// flags, and config's persistent ones (without --demo, which config check
// does not use). fakeapi and version take none of them.
func (f *flags) register(fs *pflag.FlagSet, demo bool) {
	fs.StringVar(&f.config, "config", "", "config file (default $USAGETOP_CONFIG, else the user config dir's usagetop/config.toml)")
	if demo {
		fs.BoolVar(&f.demo, "demo", false, "run on the simulated API with demo data: no account, no network")
	}
	fs.StringVar(&f.group, "group", "", "billing group: a configured name or an id (commerce_billingprofile_...)")
	fs.StringVar(&f.period, "period", "", "YESTERDAY, THIS_MONTH, LAST_MONTH, THIS_YEAR, LAST_7_DAYS, LAST_30_DAYS, LAST_90_DAYS or LAST_12_MONTHS (default THIS_MONTH)")
	fs.StringVar(&f.from, "from", "", "custom range start, YYYY-MM-DD (with --to; not with --period)")
	fs.StringVar(&f.to, "to", "", "custom range end, YYYY-MM-DD, inclusive")
	fs.StringVar(&f.category, "category", "", "one product category (productCategory); default all")
	fs.StringVar(&f.aggregation, "aggregation", "", "DAILY or MONTHLY (default DAILY)")
	fs.StringVar(&f.baseURL, "base-url", "", "API base URL (default https://billing.twilio.com)")
	fs.StringVar(&f.tokenURL, "token-url", "", "OAuth token URL (default https://oauth.twilio.com/v2/token)")
	fs.Var(rawInt{&f.pageSize}, "page-size", "records per page, 1 to 1000 (default 500)")
}

// registerScreen adds the flags of what draws on a terminal: not
// export's, which prints no screen.
func (f *flags) registerScreen(fs *pflag.FlagSet) {
	fs.BoolVar(&f.noColor, "no-color", false, "monochrome screen (also NO_COLOR)")
	fs.BoolVar(&f.ascii, "ascii", false, "draw without Unicode blocks and symbols")
}

// registerDashboard adds the dashboard's own flags: the mouse, and the
// view `y` copies (tab, sort, filter, open product).
func (f *flags) registerDashboard(fs *pflag.FlagSet) {
	fs.BoolVar(&f.mouse, "mouse", false, "click headers to sort, rows to select, tabs to switch; the wheel scrolls")
	fs.StringVar(&f.view, "view", "", "open on products, records or anomalies")
	fs.StringVar(&f.sort, "sort", "", "sort by a column of the view, as KEY[:asc|:desc] (cost:desc)")
	fs.StringVar(&f.filter, "filter", "", "filter the rows by product name or category")
	fs.StringVar(&f.product, "product", "", "open the detail of this product once loaded")
}

// rawInt is a number flag kept as typed, so that LoadSettings checks it
// like any other setting and its message gives the allowed range.
type rawInt struct{ s *string }

func (v rawInt) String() string     { return *v.s }
func (v rawInt) Set(s string) error { *v.s = s; return nil }
func (v rawInt) Type() string       { return "int" }

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
	f.registerScreen(root.Flags())
	f.registerDashboard(root.Flags())
	root.AddCommand(newExportCmd(&f), newFakeAPICmd(), newVersionCmd(), newConfigCmd(&f))
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
	settings *state.Settings
	query    state.Query
	groups   []state.Group
	client   *api.Client
	today    func() api.Date
	// closeDemo stops the in-process simulated API; nil when not in demo.
	closeDemo func()
}

func (s *session) Close() {
	if s.closeDemo != nil {
		s.closeDemo()
	}
}

// settingFlags are the shared flags that override config settings.
var settingFlags = map[string]bool{
	"group": true, "period": true, "from": true, "to": true, "category": true,
	"aggregation": true, "base-url": true, "token-url": true, "page-size": true,
	"no-color": true, "ascii": true,
}

// changedFlags returns the setting flags the user set, by name, for
// LoadSettings' precedence (a flag left at its default must not override
// the file).
func changedFlags(cmd *cobra.Command) map[string]string {
	m := map[string]string{}
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if settingFlags[fl.Name] {
			m[fl.Name] = fl.Value.String()
		}
	})
	return m
}

// loadSettings resolves defaults, config file, environment and flags.
func loadSettings(cmd *cobra.Command, f *flags, demo bool) (*state.Settings, error) {
	fl := changedFlags(cmd)
	if p, ok := state.ParseRollingPeriod(fl["period"]); ok {
		// A rolling preset is a custom range to the API and the config.
		delete(fl, "period")
		from, to := p.Bounds(api.DateOf(time.Now()))
		fl["from"], fl["to"] = from.String(), to.String()
	}
	if demo {
		// Demo groups are not in the user's config; the group flag is
		// resolved against the simulated API's groups instead.
		delete(fl, "group")
	}
	return state.LoadSettings(state.SettingsLoadOptions{
		ConfigPath:    f.config,
		Getenv:        os.Getenv,
		UserConfigDir: os.UserConfigDir,
		Flags:         fl,
	})
}

// openSession loads settings, starts the demo server when asked, and
// builds the query and the client.
func openSession(ctx context.Context, cmd *cobra.Command, f *flags) (*session, error) {
	st, err := loadSettings(cmd, f, f.demo)
	if err != nil {
		return nil, err
	}
	s := &session{settings: st, today: func() api.Date { return api.DateOf(time.Now()) }}
	var secret string
	if f.demo {
		run, err := fakeapi.Start(fakeapi.Options{})
		if err != nil {
			return nil, fmt.Errorf("cannot start the demo API on loopback: %w", err)
		}
		s.closeDemo = run.Close
		st.API.BaseURL, st.API.TokenURL = run.BaseURL, run.TokenURL
		st.Auth.ClientID, secret = fakeapi.DemoClientID, fakeapi.DemoClientSecret
		var groups []state.Group
		for _, g := range run.Server.Generator().Groups() {
			groups = append(groups, state.Group{Name: g.Name, ID: g.ID})
		}
		if err := st.ReplaceGroups(groups, f.group); err != nil {
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

	var write func(w io.Writer) error
	n := 0
	if view == viewAnomalies {
		found, err := detectAll(ctx, s, cmd.ErrOrStderr())
		if err != nil {
			return err
		}
		n = len(found)
		write = func(w io.Writer) error { return export.WriteAnomalies(w, format, found) }
	} else {
		store, err := fetchAll(ctx, s, s.query, cmd.ErrOrStderr())
		if err != nil {
			return err
		}
		n = store.Len()
		if n == 0 {
			// Not an error (a quiet period is real), but a mistyped
			// category looks the same, so say it.
			what := s.query.Label(s.today())
			if s.query.Category != "" {
				what += ", category " + s.query.Category
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "usagetop: no records in %s; check --group, the period and --category\n", what)
		}
		write = func(w io.Writer) error {
			if view == viewProducts {
				return export.WriteProducts(w, format, store.Products())
			}
			return export.WriteRecords(w, format, store)
		}
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
func fetchAll(ctx context.Context, s *session, q state.Query, stderr io.Writer) (*state.Store, error) {
	start, end := q.Bounds(s.today())
	store := state.NewStore(q, 1, start, end)
	attempts := s.settings.API.MaxRetries + 1
	ctx = api.WithRetryNotify(ctx, func(n api.RetryNotice) {
		fmt.Fprintln(stderr, "usagetop: "+retryLine(n, attempts))
	})
	token := "" // the token the next page is fetched with
	err := s.client.FetchAll(ctx, q.Request(s.settings.API.PageSize), func(p *api.Page) error {
		store.Append(token, p)
		token = p.NextToken
		return nil
	})
	if err != nil && store.Len() > 0 {
		return nil, fmt.Errorf("after %d records (loaded through %s): %w", store.Len(), store.LoadedThrough(), err)
	}
	return store, err
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

// detectAll fetches the session's query as DAILY (the detector judges
// days, whatever aggregation was asked for) and its lookback history, and
// returns every anomaly, largest money impact first.
func detectAll(ctx context.Context, s *session, stderr io.Writer) ([]state.Anomaly, error) {
	cfg := s.settings.DetectorConfig()
	q := s.query
	q.Aggregation = api.Daily
	today := s.today()
	period, err := fetchAll(ctx, s, q, stderr)
	if err != nil {
		return nil, err
	}
	history, err := fetchAll(ctx, s, state.HistoryQuery(q, today, cfg), stderr)
	if err != nil {
		return nil, fmt.Errorf("fetching the %d days of history before the period: %w", cfg.LookbackDays, err)
	}
	found, err := state.DetectStore(period, history, today, cfg)
	if err != nil {
		return nil, err
	}
	return found.Anomalies, nil
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
			st, err := loadSettings(cmd, f, false)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if err := st.WriteReport(out); err != nil {
				return err
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
	f.registerScreen(cmd.PersistentFlags())
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
		Mouse:         st.UI.Mouse || f.mouse,
		View:          f.view,
		Sort:          f.sort,
		Filter:        f.filter,
		Product:       f.product,
		Detector:      st.DetectorConfig(),
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
