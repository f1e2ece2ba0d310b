package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/export"
	"github.com/usagetop/usagetop/state/snapshot"
)

// The headless export: its flags, the views it prints, and how every
// headless command (export, check, digest) loads a generation: through the
// snapshot store and concurrent date windows.

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
	// Windows load concurrently: their retry notices take turns on stderr.
	var mu sync.Mutex
	ctx = api.WithRetryNotify(ctx, func(n api.RetryNotice) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(stderr, "usagetop: "+retryLine(n, attempts))
	})
	snaps := openSnapshots(stderr)
	if snaps != nil {
		defer snaps.Close()
	}
	wl := state.WindowLoad{Pager: s.client, Store: snaps, Source: s.source(), Offline: lf.offline, Refresh: lf.refresh,
		PageSize: s.settings.API.PageSize, Window: window.Options{Now: s.now}, HorizonDays: s.settings.UI.RefreshDays}
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
	return fmt.Sprintf("%s; retrying in %s (attempt %d of %d)", n.Cause(), n.Wait.Round(100*time.Millisecond), n.Attempt+1, attempts)
}
