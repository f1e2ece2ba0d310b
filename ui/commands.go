package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// copyCmd puts text on the clipboard with OSC 52, which works over SSH:
// the terminal, not this host, owns the clipboard.
func copyCmd(w io.Writer, text string) tea.Cmd {
	return func() tea.Msg {
		if w == nil {
			w = os.Stdout
		}
		// Plain OSC 52: tmux (set-clipboard on) and most terminals take it
		// as is, while passthrough wrapping is off by default in tmux.
		_, err := io.WriteString(w, osc52.New(text).String())
		return copiedMsg{text: text, err: err}
	}
}
