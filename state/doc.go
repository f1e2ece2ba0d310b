// Package state is usagetop's domain core, shared by the dashboard, the
// headless commands and the SSH server: the query (billing group, period,
// category, aggregation); the generation of one query, with its stores,
// the rule for which days count (Coverage) and its load plan; the figures
// computed from them (cost, share, change, detail, month-end forecast,
// budgets); the record store and its rollups; sorting and filtering;
// anomaly detection. The configuration is state/config, the snapshot
// store state/snapshot.
//
// No bubbletea import. Every rule is pure and tested without a terminal,
// a file or a network; the only I/O goes through what a caller hands in
// (a PageFetcher for Generation.Run, a pager and a snapshot store for
// Generation.LoadWindows). Money is exact throughout (Amount,
// decimal.Decimal); float64 appears only in values meant for drawing
// (Series, Share) and in percentages.
package state
