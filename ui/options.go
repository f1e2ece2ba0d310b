package ui

import (
	"context"
	"io"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/config"
)

// Fetcher fetches one page of records. *api.Client implements it; tests
// inject fakes.
type Fetcher interface {
	FetchPage(ctx context.Context, req api.RecordsRequest) (*api.Page, error)
}

// Group is a billing group the `b` picker offers: the configuration's.
type Group = config.Group

// Options configure the dashboard.
type Options struct {
	// Fetcher loads pages; required.
	Fetcher Fetcher
	// Query is the query to open with.
	Query state.Query
	// Groups are the billing groups to pick from with `b`.
	Groups []Group
	// Today returns the current UTC day; nil means the system clock.
	Today func() api.Date
	// PageSize is sent as pageSize; 0 leaves it to the server.
	PageSize int
	// AutoloadPages is how many pages the Products view loads in the
	// background before waiting for L; 0 means DefaultAutoloadPages.
	AutoloadPages int
	// NoColor gives a monochrome screen; ASCII avoids Unicode blocks and
	// symbols.
	NoColor, ASCII bool
	// Mouse turns on mouse reporting so the wheel scrolls the rows. It is
	// off by default: with it on, the terminal's own text selection needs
	// a modifier key (usually shift).
	Mouse bool
	// ExportDir is where `e` writes CSV files; empty means the current
	// directory.
	ExportDir string
	// ExportToClipboard makes `e` put the view's CSV on the terminal's
	// clipboard (OSC 52, through Clipboard) instead of writing a file: a
	// session served over SSH must never write to the server's disk. A
	// view over MaxClipboardExport bytes is refused with what to do.
	ExportToClipboard bool
	// Detector holds the anomaly thresholds; an invalid (or zero) one
	// means state.DefaultDetectorConfig.
	Detector state.DetectorConfig
	// Windows, when set, loads each query in concurrent date windows
	// through a snapshot store instead of page by page.
	Windows *WindowOptions
	// Budgets are the configured monthly budgets; those of the open group
	// are judged once the month's days are in (status bar and detail).
	Budgets []state.BudgetRule
	// Clipboard receives the OSC 52 sequences `y` (and `e`, with
	// ExportToClipboard) write; nil means the program's output, which Run
	// and NewProgram set. With neither, copying says it cannot.
	Clipboard io.Writer
	// Renderer draws the styles with its colour profile and background;
	// nil means lipgloss's default renderer, the terminal of this process.
	// The SSH server gives each session its own.
	Renderer *lipgloss.Renderer
	// CommandFlags are the flags, besides the query's, that the command
	// line `y` copies must carry to reopen this view: "--demo", or a
	// non-default "--config", "--base-url", "--token-url", each followed
	// by its value as its own element. Never a secret.
	CommandFlags []string
	// View, Sort, Filter and Product reopen a view as `y` copied it: the
	// tab by name (products, records, anomalies), the sort as a column
	// key with ":asc" or ":desc" ("cost:desc"), the filter text, and the
	// product whose detail to open once it has loaded. Empty: the
	// defaults. A value that names nothing is said in the status bar.
	View, Sort, Filter, Product string
	// RequestTimeout bounds one page request, retries included; 0 means
	// DefaultRequestTimeout.
	RequestTimeout time.Duration
}

// Defaults for Options fields left zero.
const (
	DefaultAutoloadPages  = 20
	DefaultRequestTimeout = 2 * time.Minute
)

func (o Options) withDefaults() Options {
	if o.Today == nil {
		o.Today = func() api.Date { return api.DateOf(time.Now()) }
	}
	if o.AutoloadPages <= 0 {
		o.AutoloadPages = DefaultAutoloadPages
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.Detector.Validate() != nil {
		o.Detector = state.DefaultDetectorConfig()
	}
	if o.ExportDir == "" {
		o.ExportDir = "."
	}
	return o
}
