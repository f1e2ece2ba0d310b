package main

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"
	"github.com/usagetop/usagetop/state"
)

// digestMovers is how many products the digest lists as top movers.
const digestMovers = 5

func newDigestCmd(f *flags) *cobra.Command {
	var cf checkFlags
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Print a Markdown summary of this month for a chat channel or e-mail",
		Long: "digest summarises this month of every configured billing group in Markdown:\n" +
			"month to date against the same days of last month, the top movers in money,\n" +
			"anomalies, the month-end forecast and each budget's status.",
		Example: "  usagetop digest --demo\n  usagetop digest --since last | mail -s 'Twilio spend' finance@example.com",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDigest(cmd, f, &cf)
		},
	}
	fs := cmd.Flags()
	f.register(fs, true)
	fs.StringVar(&cf.since, "since", "", "last: list only anomalies the previous digest did not")
	return cmd
}

func runDigest(cmd *cobra.Command, f *flags, cf *checkFlags) error {
	if cf.since != "" && cf.since != "last" {
		return usagef("--since %q: the only value is last", cf.since)
	}
	ctx := cmd.Context()
	s, err := openSession(ctx, cmd, f)
	if err != nil {
		return err
	}
	defer s.Close()
	months, err := loadMonths(ctx, s, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	path := filepath.Join(filepath.Dir(checkStatePath()), "digest.json")
	seen := map[string]bool{}
	if cf.since == "last" {
		if seen, err = readCheckState(path); err != nil {
			return err
		}
	}
	rules := budgetRules(s)
	var all []finding
	out := cmd.OutOrStdout()
	for i, m := range months {
		if i > 0 {
			fmt.Fprintln(out)
		}
		all = append(all, writeDigest(out, m, budgetsOf(rules, m.group), seen)...)
	}
	if cf.since == "last" {
		return writeCheckState(path, all)
	}
	return nil
}

// writeDigest writes one group's section and returns its anomaly
// findings (for --since last).
func writeDigest(w io.Writer, m monthOf, rules []state.BudgetRule, seen map[string]bool) []finding {
	g := m.g
	figs := g.Figures()
	cov := g.Coverage()
	label := groupLabel(m.group)
	fmt.Fprintf(w, "## %s: %s\n\n", mdText(label), cov)
	if !cov.Covered() {
		fmt.Fprintln(w, "No complete day this month yet.")
		return nil
	}
	fcs := g.MonthForecasts()
	for _, t := range figs.Totals {
		line := "- Month to date: **" + state.FormatMoney(t.Cost, t.Currency, false) + "**"
		if ch, ok := figs.TotalChange(t.Currency); ok {
			line += fmt.Sprintf(", %s (%s) against the same days of last month",
				state.FormatSignedMoney(state.AmountOf(ch.Money), t.Currency, false), ch)
		}
		fmt.Fprintln(w, line)
		if st, ok := g.EvaluateBudget(state.BudgetRule{Currency: t.Currency}, fcs); ok {
			fmt.Fprintf(w, "- Month-end forecast: **%s** (likely %s to %s)\n",
				money(st.Forecast, t.Currency), money(st.Low, t.Currency), money(st.High, t.Currency))
		}
	}

	// Top movers: the largest changes in money, either way.
	rows := slices.Clone(figs.Rows())
	rows = slices.DeleteFunc(rows, func(r state.ProductFigure) bool { return !r.Compared || r.Change.Money.IsZero() })
	slices.SortFunc(rows, func(a, b state.ProductFigure) int {
		return cmp.Or(b.Change.Money.Abs().Cmp(a.Change.Money.Abs()), strings.Compare(a.Key.Name, b.Key.Name))
	})
	if len(rows) > 0 {
		fmt.Fprint(w, "\n### Top movers\n\n| Product | Cost | Change |\n| --- | ---: | ---: |\n")
		for _, r := range rows[:min(len(rows), digestMovers)] {
			fmt.Fprintf(w, "| %s | %s | %s %s |\n", mdText(r.Key.Name), state.FormatMoney(r.Cost, r.Key.Currency, false),
				state.FormatSignedMoney(state.AmountOf(r.Change.Money), r.Key.Currency, false), r.Change)
		}
	}

	var found []finding
	var lines []string
	for _, a := range m.found.Anomalies {
		f := anomalyFinding(label, a)
		found = append(found, f)
		if !seen[f.Key] {
			lines = append(lines, fmt.Sprintf("- **%s** %s on %s, %s: %s", mdText(a.ProductName), a.Kind, a.Date,
				state.FormatSignedMoney(state.AmountOf(a.Impact), a.Currency, false), mdText(a.Reason)))
		}
	}
	fmt.Fprint(w, "\n### Anomalies\n\n")
	if len(lines) == 0 {
		fmt.Fprintln(w, "None new.")
	} else {
		fmt.Fprintln(w, strings.Join(lines, "\n"))
	}

	if len(rules) > 0 {
		fmt.Fprint(w, "\n### Budgets\n\n| Budget | Spent | Forecast | Status |\n| --- | ---: | ---: | --- |\n")
		for _, r := range rules {
			st, ok := g.EvaluateBudget(r, fcs)
			if !ok {
				continue
			}
			status := "within budget"
			if lvl := st.Level(); lvl > 0 {
				status = fmt.Sprintf("%d%% reached", lvl)
				if st.Crossed[len(st.Crossed)-1].Forecast {
					status = fmt.Sprintf("forecast reaches %d%%", lvl)
				}
			}
			if st.HasBreach {
				status += ", over from " + st.Breach.String()
			}
			fmt.Fprintf(w, "| %s | %s of %s (%.0f%%) | %s (%.0f%%) | %s |\n", mdText(r.Name), money(st.Spent, r.Currency),
				money(r.Monthly, r.Currency), st.SpentPct, money(st.Forecast, r.Currency), st.ForecastPct, status)
		}
	}
	return found
}

// mdText keeps text from the API inside its Markdown cell or line.
func mdText(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "*", `\*`, "_", `\_`).Replace(s)
}

// money writes an exact amount as check and digest show money.
func money(d decimal.Decimal, currency string) string {
	return state.FormatMoney(state.AmountOf(d), currency, false)
}
