package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
)

// The demo: its clock and data (environment variables, so a demo of the
// 1st of a month runs on any day), and the simulated API as a command.

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
