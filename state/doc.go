// Package state is usagetop's domain core, shared by the dashboard and the
// headless export: the query (billing group, period, category,
// aggregation), the record store of one query generation, product rollups
// kept up to date as pages arrive, sorting and filtering, anomaly
// detection and the configuration schema.
//
// It is pure Go: no bubbletea import and no I/O apart from reading the
// configuration file, so every rule here is tested without a terminal or a
// network. Money is exact throughout (Amount, decimal.Decimal); float64
// appears only in values meant for drawing (Series, Share).
package state
