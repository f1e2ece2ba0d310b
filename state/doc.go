// Package state is usagetop's domain core, shared by the dashboard and the
// headless export: the query (billing group, period, category,
// aggregation), the record store of one query generation, product rollups
// kept up to date as pages arrive, sorting and filtering, anomaly
// detection. The configuration, which reads a file, is its own package,
// state/config.
//
// It is pure Go: no bubbletea import and no I/O, so every rule here is
// tested without a terminal, a file or a network. Money is exact
// throughout (Amount, decimal.Decimal); float64 appears only in values
// meant for drawing (Series, Share).
package state
