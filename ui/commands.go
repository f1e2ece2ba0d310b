package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/export"
)

// fetchPageCmd fetches one page. It captures values only, never the model:
// the model may change on the event loop while the request runs. Retry
// notices go to notices without blocking.
func fetchPageCmd(ctx context.Context, f Fetcher, gen uint64, part state.Part, req api.RecordsRequest, timeout time.Duration, notices chan<- retryNoticedMsg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		ctx = api.WithRetryNotify(ctx, func(n api.RetryNotice) {
			select {
			case notices <- retryNoticedMsg{gen: gen, notice: n, at: time.Now()}:
			default: // the UI is behind; the next notice will do
			}
		})
		page, err := f.FetchPage(ctx, req)
		return pageLoadedMsg{gen: gen, part: part, token: req.PageToken, page: page, err: err}
	}
}

// detectAnomaliesCmd runs the detector off the event loop. The stores it
// reads are complete (DetectReady), so nothing writes to them any more and
// reading them from here is safe.
func detectAnomaliesCmd(g *state.Generation) tea.Cmd {
	return func() tea.Msg {
		res, err := g.Detect()
		return anomaliesDetectedMsg{gen: g.ID(), result: res, err: err}
	}
}

// waitRetryNoticeCmd waits for the next retry notice, or for done.
func waitRetryNoticeCmd(done <-chan struct{}, notices <-chan retryNoticedMsg) tea.Cmd {
	return func() tea.Msg {
		select {
		case n := <-notices:
			return n
		case <-done:
			return nil
		}
	}
}

// retryTickCmd ticks the retry countdown.
func retryTickCmd(gen uint64) tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return retryTickedMsg{gen: gen, at: t} })
}

// flashExpireCmd clears flash id after a while.
func flashExpireCmd(id int, after time.Duration) tea.Cmd {
	return tea.Tick(after, func(time.Time) tea.Msg { return flashExpiredMsg{id: id} })
}

// exportCmd runs the export `e` asked for: to a file in ExportDir, or, with
// ExportToClipboard, to the terminal's clipboard. It reads o now, on the
// event loop, and the command captures only values.
func (o *Options) exportCmd(job exportJob) tea.Cmd {
	if o.ExportToClipboard {
		return clipboardExportCmd(o.Clipboard, job.rows, job.write)
	}
	return exportCmd(o.ExportDir, job.base, job.rows, job.write)
}

// MaxClipboardExport is the largest CSV `e` puts on the clipboard with
// OSC 52. Terminals cap what they accept (tmux and several emulators at
// about 100 KB of base64, which this leaves room for) and drop the rest
// without a word, so a larger view is refused instead.
const MaxClipboardExport = 64 << 10

// clipboardExportCmd writes an export as CSV to the terminal's clipboard
// (OSC 52 on w), for a session that must not write files where it runs.
func clipboardExportCmd(w io.Writer, rows int, write func(io.Writer) error) tea.Cmd {
	return func() tea.Msg {
		if w == nil {
			return exportedMsg{err: errNoTerminal}
		}
		var buf capBuffer
		buf.limit = MaxClipboardExport
		if err := write(&buf); err != nil {
			return exportedMsg{err: err}
		}
		if buf.total > MaxClipboardExport {
			return exportedMsg{err: fmt.Errorf("this view is %s of CSV and over SSH `e` copies at most %s to your clipboard: filter it (/), or run `usagetop export` on your own machine",
				formatBytes(buf.total), formatBytes(MaxClipboardExport))}
		}
		if _, err := io.WriteString(w, osc52.New(buf.kept.String()).String()); err != nil {
			return exportedMsg{err: err}
		}
		return exportedMsg{path: "your clipboard as CSV (OSC 52)", rows: rows}
	}
}

// capBuffer keeps the first limit bytes written to it and counts the
// rest, so an export too large for the clipboard is measured, not held.
type capBuffer struct {
	kept         strings.Builder // not embedded: its WriteString would bypass the cap
	limit, total int
}

func (b *capBuffer) Write(p []byte) (int, error) {
	b.total += len(p)
	if room := b.limit - b.kept.Len(); room > 0 {
		b.kept.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// formatBytes gives a size in whole kilobytes (1024), at least 1.
func formatBytes(n int) string {
	return fmt.Sprintf("%d KB", max(1, (n+512)>>10))
}

// exportCmd writes an export to a new file in dir named base.csv, or
// base-2.csv and so on when that exists: an export never replaces a file.
// write receives data the model handed over, never the model.
func exportCmd(dir, base string, rows int, write func(io.Writer) error) tea.Cmd {
	return func() tea.Msg {
		for n := 1; n < 1000; n++ {
			name := base + ".csv"
			if n > 1 {
				name = fmt.Sprintf("%s-%d.csv", base, n)
			}
			path := filepath.Join(dir, name)
			err := export.WriteFileAtomic(path, false, write)
			if errors.Is(err, export.ErrExists) {
				continue
			}
			return exportedMsg{path: path, rows: rows, err: err}
		}
		return exportedMsg{err: fmt.Errorf("%s: too many exports with this name already", filepath.Join(dir, base))}
	}
}

// errNoTerminal is copying with nowhere to write: a model made by New,
// not run by Run or NewProgram, and given no Clipboard.
var errNoTerminal = errors.New("no terminal to copy to")

// copyCmd puts text on the clipboard with OSC 52, which works over SSH:
// the terminal, not this host, owns the clipboard. w is the terminal:
// the program's output, never this process's standard output, which a
// served session does not own.
func copyCmd(w io.Writer, text string) tea.Cmd {
	return func() tea.Msg {
		if w == nil {
			return copiedMsg{text: text, err: errNoTerminal}
		}
		// Plain OSC 52: tmux (set-clipboard on) and most terminals take it
		// as is, while passthrough wrapping is off by default in tmux.
		_, err := io.WriteString(w, osc52.New(text).String())
		return copiedMsg{text: text, err: err}
	}
}
