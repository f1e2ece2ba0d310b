// Package ui is usagetop's terminal dashboard: a bubbletea root model that
// holds the query and its record store, a windowed table, per-product
// sparklines, pickers, help, header and status bar. All I/O happens in
// commands; Update and View only compute.
//
// Where things are: model.go (root model, generations, paging), update.go
// (key routing), insights.go (background loads of the previous period and
// the anomaly history, and detection), view*.go and status.go (drawing),
// view_products.go, view_records.go, view_anomalies.go and view_detail.go
// (the views), chart.go (the detail chart), table/ (the windowed table),
// view_cache.go (the chrome kept between frames), termout.go (the scroll
// writer in front of the terminal), commands.go (fetch, export, copy and
// timers, run off the event loop), sparkline.go, picker*.go, input.go,
// styles.go, keys.go. Text from the API is cleaned by state/safetext
// before it is drawn.
// Goldens: `go test ./ui -update` rewrites testdata/.
package ui
