// Package ui is usagetop's terminal dashboard: a bubbletea root model that
// holds the query and its record store, a windowed table, per-product
// sparklines, pickers, help, header and status bar. All I/O happens in
// commands; Update and View only compute.
package ui
