package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/config"
	"github.com/usagetop/usagetop/state/export"
)

// exitFindings is check's status when it reports a budget threshold or a
// new anomaly: a cron job or CI step can act on it. 1 and 2 keep their
// meanings (the API failed; bad usage or input).
const exitFindings = 3

// errFindings makes run exit with exitFindings, printing nothing more.
var errFindings = errors.New("findings reported")

// checkFlags are check's and digest's own flags.
type checkFlags struct {
	only   string // "", "budgets" or "anomalies"
	since  string // "" or "last"
	format string // "text" or "json"
}

// finding is one line of `usagetop check`.
type finding struct {
	// Key identifies the finding across runs, for --since last.
	Key   string `json:"key"`
	Kind  string `json:"kind"` // "budget" or "anomaly"
	Group string `json:"group"`
	Text  string `json:"text"`

	Budget  *budgetJSON  `json:"budget,omitempty"`
	Anomaly *anomalyJSON `json:"anomaly,omitempty"`
}

type budgetJSON struct {
	Name         string  `json:"name"`
	Currency     string  `json:"currency"`
	Monthly      string  `json:"monthly"`
	Spent        string  `json:"spent"`
	Forecast     string  `json:"forecast"`
	ForecastLow  string  `json:"forecastLow"`
	ForecastHigh string  `json:"forecastHigh"`
	SpentPct     float64 `json:"spentPercent"`
	ForecastPct  float64 `json:"forecastPercent"`
	Threshold    int     `json:"threshold"`
	ByForecast   bool    `json:"byForecast"`
	Breach       string  `json:"breach,omitempty"`
}

type anomalyJSON struct {
	Product  string `json:"product"`
	Category string `json:"category"`
	Date     string `json:"date"`
	Kind     string `json:"kind"`
	Impact   string `json:"impact"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
}

func newCheckCmd(f *flags) *cobra.Command {
	var cf checkFlags
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check budgets and anomalies of this month for every configured group (exit 3 when something is found)",
		Long: "check loads this month of every configured billing group, evaluates each [[budget]]\n" +
			"(spent and month-end forecast against its warn thresholds) and the anomaly detector,\n" +
			"and prints one line per finding. Exit status: 0 nothing to report, 3 findings,\n" +
			"1 the API failed, 2 bad usage or configuration.",
		Example: "  usagetop check --demo\n  usagetop check --since last --format json   # in cron: only what is new",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCheck(cmd, f, &cf)
		},
	}
	fs := cmd.Flags()
	f.register(fs, true)
	fs.StringVar(&cf.only, "only", "", "budgets or anomalies (default both)")
	fs.StringVar(&cf.since, "since", "", "last: report only what the previous check did not")
	fs.StringVar(&cf.format, "format", "text", "text or json")
	return cmd
}

// monthOf is one group's month so far: the generation and what the
// detector found in it.
type monthOf struct {
	group config.Group
	g     *state.Generation
	found state.StoreAnomalies
}

// loadMonths loads this month of every group of the session, DAILY, with
// the previous month and the detector's history, as the dashboard would.
func loadMonths(ctx context.Context, s *session, stderr io.Writer) ([]monthOf, error) {
	var out []monthOf
	groups := s.groups
	if len(groups) == 0 {
		groups = []config.Group{{Name: s.query.GroupName, ID: s.query.GroupID}}
	}
	for _, grp := range groups {
		q := state.Query{GroupID: grp.ID, GroupName: grp.Name, Period: api.ThisMonth, Category: s.query.Category}
		gs := *s
		gs.query = q
		g, err := loadGeneration(ctx, &gs, state.Want{Period: true, Figures: true}, loadFlags{}, stderr)
		if err != nil {
			return nil, fmt.Errorf("group %s: %w", groupLabel(grp), err)
		}
		found, err := g.Detect()
		if err != nil {
			return nil, fmt.Errorf("group %s: %w", groupLabel(grp), err)
		}
		out = append(out, monthOf{group: grp, g: g, found: found})
	}
	return out, nil
}

func groupLabel(g config.Group) string {
	if g.Name != "" {
		return g.Name
	}
	return g.ID
}

// budgetsOf returns the budget rules that apply to group.
func budgetsOf(rules []state.BudgetRule, group config.Group) []state.BudgetRule {
	var out []state.BudgetRule
	for _, r := range rules {
		if r.GroupID == group.ID {
			out = append(out, r)
		}
	}
	return out
}

// findingsOf lists what check reports for one group's month.
func findingsOf(m monthOf, rules []state.BudgetRule, only string) []finding {
	var out []finding
	label := groupLabel(m.group)
	if only != "anomalies" {
		fcs := m.g.MonthForecasts()
		for _, r := range budgetsOf(rules, m.group) {
			st, ok := m.g.EvaluateBudget(r, fcs)
			if !ok || st.Level() == 0 {
				continue
			}
			out = append(out, budgetFinding(label, st))
		}
	}
	if only != "budgets" {
		for _, a := range m.found.Anomalies {
			out = append(out, anomalyFinding(label, a))
		}
	}
	return out
}

func budgetFinding(group string, st state.BudgetStatus) finding {
	r := st.Rule
	cur := r.Currency
	top := st.Crossed[len(st.Crossed)-1]
	text := fmt.Sprintf("budget %s: spent %s of %s (%.0f%%) through %s; month-end forecast %s (%s-%s, %.0f%%)",
		r.Name, money(st.Spent, cur), money(r.Monthly, cur), st.SpentPct, st.Through,
		money(st.Forecast, cur), money(st.Low, cur), money(st.High, cur), st.ForecastPct)
	if st.HasBreach {
		text += "; over budget from " + st.Breach.String()
	}
	b := &budgetJSON{Name: r.Name, Currency: cur, Monthly: r.Monthly.String(), Spent: st.Spent.String(),
		Forecast: st.Forecast.Round(2).String(), ForecastLow: st.Low.Round(2).String(), ForecastHigh: st.High.Round(2).String(),
		SpentPct: st.SpentPct, ForecastPct: st.ForecastPct, Threshold: top.Percent, ByForecast: top.Forecast}
	if st.HasBreach {
		b.Breach = st.Breach.String()
	}
	// One key per threshold and month: crossing 80% is news once, 100% again.
	key := fmt.Sprintf("budget|%s|%s|%d|%v", r.Name, st.Month, top.Percent, top.Forecast)
	return finding{Key: key, Kind: "budget", Group: group, Text: group + ": " + text, Budget: b}
}

func anomalyFinding(group string, a state.Anomaly) finding {
	text := fmt.Sprintf("%s: anomaly %s %s on %s, %s: %s", group, a.ProductName, a.Kind, a.Date,
		state.FormatSignedMoney(state.AmountOf(a.Impact), a.Currency, false), a.Reason)
	return finding{
		Key:  "anomaly|" + group + "|" + a.ProductName + "|" + a.ProductCategory + "|" + a.Date.String() + "|" + a.Kind.String(),
		Kind: "anomaly", Group: group, Text: text,
		Anomaly: &anomalyJSON{Product: a.ProductName, Category: a.ProductCategory, Date: a.Date.String(), Kind: a.Kind.String(),
			Impact: a.Impact.String(), Currency: a.Currency, Reason: a.Reason},
	}
}

func runCheck(cmd *cobra.Command, f *flags, cf *checkFlags) error {
	if cf.only != "" && cf.only != "budgets" && cf.only != "anomalies" {
		return usagef("--only %q: use budgets or anomalies", cf.only)
	}
	if cf.since != "" && cf.since != "last" {
		return usagef("--since %q: the only value is last", cf.since)
	}
	if cf.format != "text" && cf.format != "json" {
		return usagef("--format %q: use text or json", cf.format)
	}
	ctx := cmd.Context()
	s, err := openSession(ctx, cmd, f)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, w := range s.warnings() {
		fmt.Fprintln(cmd.ErrOrStderr(), "usagetop: warning: "+w)
	}
	months, err := loadMonths(ctx, s, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	rules := budgetRules(s)
	var all []finding
	for _, m := range months {
		all = append(all, findingsOf(m, rules, cf.only)...)
	}
	report := all
	statePath := checkStatePath()
	if cf.since == "last" {
		seen, err := readCheckState(statePath)
		if err != nil {
			return err
		}
		report = slices.DeleteFunc(slices.Clone(all), func(x finding) bool { return seen[x.Key] })
	}
	out := cmd.OutOrStdout()
	if cf.format == "json" {
		if report == nil {
			report = []finding{}
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		for _, x := range report {
			fmt.Fprintln(out, x.Text)
		}
	}
	if cf.since == "last" {
		if err := writeCheckState(statePath, all); err != nil {
			return err
		}
	}
	if len(report) > 0 {
		return errFindings
	}
	return nil
}

// checkStatePath is where check remembers what it reported:
// $XDG_STATE_HOME/usagetop/check.json, or ~/.local/state/usagetop/check.json.
func checkStatePath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "usagetop", "check.json")
}

// checkState is the file check keeps between runs.
type checkState struct {
	Reported map[string]string `json:"reported"` // finding key -> when first reported
	At       string            `json:"at"`
}

func readCheckState(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading what the last check reported: %w", err)
	}
	var st checkState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, usageError{fmt.Errorf("%s is not a check state file (%v); move it aside and run check again", path, err)}
	}
	seen := map[string]bool{}
	for k := range st.Reported {
		seen[k] = true
	}
	return seen, nil
}

// writeCheckState records the current findings, atomically: what is no
// longer found is forgotten, so it is news again if it comes back.
func writeCheckState(path string, all []finding) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("keeping the check state: %w", err)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	st := checkState{Reported: map[string]string{}, At: now}
	for _, x := range all {
		st.Reported[x.Key] = now
	}
	return export.WriteFileAtomic(path, true, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	})
}

// budgetRules returns the configured budgets as state rules, each bound
// to the id of the group it names.
func budgetRules(s *session) []state.BudgetRule {
	var out []state.BudgetRule
	for _, b := range s.settings.Budgets {
		id := b.GroupID
		for _, g := range s.groups {
			if id == "" && g.Name != "" && strings.EqualFold(g.Name, b.Group) {
				id = g.ID
			}
		}
		name := b.Group
		for _, part := range []string{b.Category, b.Product} {
			if part != "" {
				name += " " + part
			}
		}
		out = append(out, state.BudgetRule{Name: name, GroupID: id, Category: b.Category, Product: b.Product,
			Monthly: b.Monthly, Currency: b.Currency, Warn: b.Warn})
	}
	return out
}

// warnings are the configuration's warnings worth saying: under --demo a
// budget naming a demo group is bound to it, not unknown.
func (s *session) warnings() []string {
	if s.demo {
		return nil
	}
	return s.settings.Warnings()
}
