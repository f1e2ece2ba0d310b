package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/usagetop/usagetop/state/safetext"
)

// errLogSize is how many errors the `!` pane keeps, newest first.
const errLogSize = 20

// errEntry is one error for the `!` pane: when, for which request, the
// whole message (the status bar has room only for its ends) and what to
// do about it.
type errEntry struct {
	at      time.Time
	request string
	message string
	hint    string
}

// logError records err, which came back for request, for the `!` pane.
func (m *Model) logError(request string, err error) {
	e := errEntry{at: time.Now(), request: safetext.Clean(request), message: safetext.Clean(err.Error())}
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		e.hint = safetext.Clean(h.Hint())
	}
	m.errLog = append([]errEntry{e}, m.errLog...)
	if len(m.errLog) > errLogSize {
		m.errLog = m.errLog[:errLogSize]
	}
}

// pageRequest describes a page request of window win for the log: which
// query, which window, which page.
func (m *Model) pageRequest(msg pageLoadedMsg) string {
	page := "first page"
	if msg.token != "" {
		page = "a later page"
	}
	return page + " of the " + msg.part.String() + " · " + m.periodLabel(m.query) + " · " + string(m.query.Agg())
}

// errorsView is the `!` pane: the last errors, newest first, each with
// its time, request, whole message and hint, wrapped to the width.
func (m *Model) errorsView(w, h int) string {
	st := m.theme.styles
	lines := []string{st.BoxTitle.Render("Last errors") + st.Muted.Render("  (! or esc closes; newest first)"), ""}
	if len(m.errLog) == 0 {
		lines = append(lines, st.Muted.Render("no errors in this session"))
	}
	for i, e := range m.errLog {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, st.Value.Render(e.at.Format("15:04:05"))+"  "+st.Label.Render(e.request))
		for _, l := range wrap(e.message, w-2) {
			lines = append(lines, "  "+st.Error.Render(l))
		}
		if e.hint != "" {
			for _, l := range wrap("what to do: "+e.hint, w-2) {
				lines = append(lines, "  "+st.Muted.Render(l))
			}
		}
	}
	if len(lines) > h {
		lines = append(lines[:h-1], st.Muted.Render(m.theme.glyphs.Below+" "+formatCount(len(m.errLog))+" errors in all; the oldest are left out"))
	}
	return strings.Join(lines, "\n")
}

// ErrSessionFailed wraps the error a dashboard session ended on: the user
// quit from the fatal screen, so nothing was shown. Run returns it and the
// command line exits with status 1.
var ErrSessionFailed = errors.New("the dashboard ended on an error")

// sessionErr is what Run returns for the final model: nil after a normal
// quit, the fatal error (wrapped in ErrSessionFailed) after quitting from
// the fatal screen.
func sessionErr(final Model) error {
	if final.fatal == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrSessionFailed, final.fatal)
}
