// Package ui is usagetop's terminal dashboard: a bubbletea root model that
// holds the query and its record store, a windowed table, per-product
// sparklines, pickers, help, header and status bar. All I/O happens in
// commands; Update and View only compute.
//
// Where things are: model.go (root model, generations), update.go (key
// routing), insights.go (the generation's plan turned into commands, the
// figures handed to the views, detection), windows.go (loading in date
// windows through the snapshot store), fallback.go and errlog.go (a failed
// query keeps what was shown; the ! pane), view*.go and status.go
// (drawing), view_products.go, view_records.go, view_anomalies*.go,
// view_groups.go, view_detail.go, detail_figures.go and detail_days.go
// (the views), chart.go (the detail chart), table/ (the windowed table),
// view_cache.go (the chrome kept between frames), termout.go (the scroll
// writer), commands.go (fetch, export, copy and timers, off the event
// loop), sparkline.go, picker*.go, input.go, styles.go, keys.go, help.go,
// mouse.go, reopen.go (what y copies). serve/ runs the dashboard over SSH.
// Text from the API is cleaned by state/safetext before it is drawn.
// Goldens: `go test ./ui -update` rewrites testdata/.
package ui
