package ui

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
)

// View draws the screen: header, tab strip, the current view (or a picker
// or help), status bar and key hints. Every line fits the width.
func (m Model) View() string {
	if m.width < minWidth || m.height < minHeight {
		return m.tooSmallView()
	}
	if m.fatal != nil && m.mode != modePicker && m.mode != modeErrors {
		return m.fatalView()
	}
	header, body, status, footer := m.cachedHeader(), m.bodyView(), m.cachedStatus(), m.cachedFooter()
	if m.detailOpen {
		header = m.detailHeader(header)
	}
	var b strings.Builder
	b.Grow(len(header) + len(body) + len(status) + len(footer) + 3)
	b.WriteString(header)
	b.WriteByte('\n')
	b.WriteString(body)
	b.WriteByte('\n')
	b.WriteString(status)
	b.WriteByte('\n')
	b.WriteString(footer)
	return b.String()
}

// tooSmallView says, in as many lines as it takes, how large a window
// the dashboard needs.
func (m *Model) tooSmallView() string {
	w, h := max(m.width, 1), max(m.height, 1)
	msg := fmt.Sprintf("usagetop needs a window of at least %dx%d (this one is %dx%d)", minWidth, minHeight, m.width, m.height)
	return padLines(strings.Join(wrap(msg, w), "\n"), w, h)
}

// line fits a styled string to the width, cutting what does not fit.
func (m *Model) line(s string) string {
	if ansi.StringWidth(s) > m.width {
		return ansi.Truncate(s, m.width, m.theme.glyphs.Ellipsis)
	}
	return s
}

// joinLR puts right at the right edge after left, dropping right when
// both do not fit.
func (m *Model) joinLR(left, right string) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if right == "" || lw+1+rw > m.width {
		return m.line(left)
	}
	return left + strings.Repeat(" ", m.width-lw-rw) + right
}

// headerView is the title line, the query details and the tab strip.
func (m *Model) headerView() string {
	st, g := m.theme.styles, m.theme.glyphs
	q := m.query
	sep := st.Muted.Render(" " + g.Dot + " ")

	group := safetext.Clean(q.GroupName)
	if group == "" {
		group = safetext.Clean(q.GroupID)
	} else if q.GroupID != "" {
		group += st.Muted.Render(" (" + safetext.Clean(shortID(q.GroupID, g.Ellipsis)) + ")")
	}
	start, end := m.store.Bounds()
	period := st.Value.Render(start.String() + ".." + end.String())
	if !q.IsCustom() {
		period = st.Value.Render(string(q.Period)) + " " + st.Muted.Render(start.String()+".."+end.String())
	} else if p, ok := state.RollingOf(q, m.today); ok {
		period = st.Value.Render(p.String()) + " " + st.Muted.Render(start.String()+".."+end.String())
	}
	title := st.Title.Render("usagetop") + "  " + st.Value.Render(group) + sep + period
	if ansi.StringWidth(title) > m.width && q.GroupName == "" {
		// A bare id pushes the period's dates off an 80-column line: its
		// common prefix says nothing, the rest tells groups apart.
		group = safetext.Clean(strings.TrimPrefix(q.GroupID, api.GroupIDPrefix))
		title = st.Title.Render("usagetop") + "  " + st.Value.Render(group) + sep + period
	}

	category := "all categories"
	if q.Category != "" {
		category = safetext.Clean(q.Category)
	}
	details := st.Label.Render("category ") + st.Value.Render(category) + sep + st.Value.Render(string(q.Agg()))
	// What the money columns cover says which days count; it stays when
	// the line is narrow, asOf and the estimate note give way first.
	if m.g != nil && m.g.Invalid() == nil {
		details += sep + st.Label.Render("figures ") + st.Value.Render(asciiSafe(m.g.Coverage().String(), m.theme.ascii))
	}
	optional := []string{}
	if asOf := m.store.AsOf(); !asOf.IsZero() {
		optional = append(optional, st.Label.Render("as of ")+st.Value.Render(asOf.String()))
	}
	for _, part := range optional {
		if ansi.StringWidth(details)+ansi.StringWidth(sep)+ansi.StringWidth(part) <= m.width {
			details += sep + part
		}
	}
	// The estimate note shortens, then goes, before anything else is cut.
	for _, note := range []string{"figures are estimates until invoiced", "estimates"} {
		if ansi.StringWidth(details)+ansi.StringWidth(sep)+len(note) <= m.width {
			details += sep + st.Muted.Render(note)
			break
		}
	}

	tabLine := m.tabStrip()
	right := ""
	if m.filter != "" && m.mode != modeFilter {
		right = st.Label.Render("filter ") + st.Input.Render(safetext.Clean(m.filter)) + st.Muted.Render(" (esc clears)")
	}
	return m.line(title) + "\n" + m.line(details) + "\n" + m.joinLR(tabLine, right)
}

// tabLabel is a view's name in the tab strip: the current one in
// brackets, so it shows on a terminal that draws no attributes.
func tabLabel(name string, on bool) string {
	if on {
		return "[" + name + "]"
	}
	return name
}

// tabSeparator is what stands between two tabs.
func (m *Model) tabSeparator() string { return " " + m.theme.glyphs.Bar + " " }

// tabStrip is the tab strip: every view, the current one marked.
func (m *Model) tabStrip() string {
	st := m.theme.styles
	var b strings.Builder
	for i, v := range m.views {
		if i > 0 {
			b.WriteString(st.Muted.Render(m.tabSeparator()))
		}
		if i == m.active {
			b.WriteString(st.TabOn.Render(tabLabel(v.Name(), true)))
		} else {
			b.WriteString(st.Tab.Render(tabLabel(v.Name(), false)))
		}
	}
	return b.String()
}

// tabAt returns the view whose tab is drawn at cell x of the tab strip.
func (m *Model) tabAt(x int) (int, bool) {
	at := 0
	sep := ansi.StringWidth(m.tabSeparator())
	for i, v := range m.views {
		w := ansi.StringWidth(tabLabel(v.Name(), i == m.active))
		if x >= at && x < at+w {
			return i, true
		}
		at += w + sep
	}
	return 0, false
}

// bodyView is the current view, or the picker or help in its place,
// exactly the body's height.
func (m *Model) bodyView() string {
	w, h := m.bodySize()
	var body string
	switch m.mode {
	case modePicker:
		body = lipgloss.Place(w, h, lipgloss.Center, lipgloss.Top, m.picker.view(w))
	case modeHelp:
		body = m.helpView(w, h)
	case modeErrors:
		body = m.errorsView(w, h)
	default:
		if m.detailOpen {
			return m.detail.View(m.detailInput(w, h))
		}
		// The table's lines are already exactly w wide; only short
		// tables need blank lines below.
		body = m.current().View()
		if n := strings.Count(body, "\n") + 1; n < h {
			body += strings.Repeat("\n", h-n)
		}
		return body
	}
	return padLines(body, w, h)
}

// padLines makes s exactly h lines, each at most w cells.
func padLines(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// retryText counts down to the client's next attempt.
func (m *Model) retryText() string {
	left := m.retryUntil().Sub(m.now)
	secs := int(math.Ceil(left.Seconds()))
	what := m.retry.notice.Cause()
	if secs <= 0 {
		return what + ", retrying now"
	}
	return what + ", retrying in " + formatCount(secs) + "s"
}

// errorText is the last error. A request's URL
// is left out: the status bar has no room for it, and the cause after it
// is what the user needs.
func (m *Model) errorText() string {
	text := m.err.Error()
	if kept, ok := m.err.(*keptError); ok {
		text = kept.what + " failed: " + kept.err.Error() // the status bar says it was kept
	}
	var ue *url.Error
	if errors.As(m.err, &ue) && ue.Err != nil {
		text = strings.Replace(text, ue.Error(), ue.Err.Error(), 1)
	}
	text = safetext.Clean(text)
	return text
}

// footerView is the filter input while typing one, else the key hints.
func (m *Model) footerView() string {
	if m.mode == modeFilter {
		return m.line(m.input.View(m.width) + "  " + m.theme.styles.Muted.Render("enter keeps "+m.theme.glyphs.Dot+" esc clears"))
	}
	var bindings []key.Binding
	if m.mode == modePicker {
		bindings = m.keys.pickerHelp()
	} else {
		bindings = fitHints(m.keys.ShortHelp(), m.width, ansi.StringWidth(m.help.ShortSeparator))
	}
	return m.line(m.help.ShortHelpView(bindings))
}

// hintDropOrder is which key hints give way, first to last, when the hint
// line is too narrow for all of them: `?` lists them all anyway, and q
// quit must stay in sight.
var hintDropOrder = []string{"enter", "s", "/", "p"}

// fitHints leaves out hints, in hintDropOrder, until the enabled ones fit
// in width cells.
func fitHints(bs []key.Binding, width, sepWidth int) []key.Binding {
	size := func(bs []key.Binding) int {
		n, w := 0, 0
		for _, b := range bs {
			if b.Enabled() {
				w += ansi.StringWidth(b.Help().Key) + 1 + ansi.StringWidth(b.Help().Desc)
				n++
			}
		}
		return w + max(n-1, 0)*sepWidth
	}
	for _, drop := range hintDropOrder {
		if size(bs) <= width {
			break
		}
		bs = slices.DeleteFunc(slices.Clone(bs), func(b key.Binding) bool { return b.Help().Key == drop })
	}
	return bs
}

// fatalView replaces the dashboard when nothing can work until the user
// changes something: it says what is wrong and what to do.
func (m *Model) fatalView() string {
	st := m.theme.styles
	w := min(m.width-4, 100)
	var lines []string
	var ae *api.Error
	isAPI := errors.As(m.fatal, &ae)
	lines = append(lines, st.Fatal.Render(fatalTitle(ae, isAPI)), "")
	lines = append(lines, wrap(safetext.Clean(m.fatal.Error()), w)...)
	if isAPI {
		if hint := ae.Hint(); hint != "" {
			lines = append(lines, "")
			lines = append(lines, wrap(st.Value.Render("What to do: ")+safetext.Clean(hint), w)...)
		}
	}
	lines = append(lines, "")
	keys := "r retry  " + m.theme.glyphs.Dot + "  ! details  " + m.theme.glyphs.Dot + "  q quit"
	if len(m.opts.Groups) > 0 {
		keys = "b choose another billing group  " + m.theme.glyphs.Dot + "  " + keys
	}
	lines = append(lines, st.Muted.Render(keys))
	box := st.Box.Width(w + 2).Render(strings.Join(lines, "\n"))
	return padLines(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, box), m.width, m.height)
}

// fatalTitle heads the fatal screen with what went wrong in a few words:
// a rejected secret is not a missing billing group.
func fatalTitle(ae *api.Error, isAPI bool) string {
	switch {
	case !isAPI:
	case ae.TokenEndpoint || ae.StatusCode == http.StatusUnauthorized:
		return "usagetop cannot sign in to the Billing Usage API"
	case ae.StatusCode == http.StatusForbidden:
		return "usagetop may not read this billing group"
	case ae.StatusCode == http.StatusNotFound:
		return "usagetop cannot find this billing group"
	}
	return "usagetop cannot load this billing group"
}

// wrap breaks plain text s into lines of at most w cells, at spaces (a
// URL stays whole unless it is wider than a line). ansi.Wrap leaves the
// space it broke at on the line, one cell too many: it is trimmed.
func wrap(s string, w int) []string {
	lines := strings.Split(ansi.Wrap(s, max(w, 1), " "), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// detailInput gathers what the detail view draws from.
func (m *Model) detailInput(w, h int) detailInput {
	in := detailInput{product: m.detailKey, at: m.detailAt, g: m.g, found: m.anomalies, budgets: m.budgets, width: w, height: h}
	if m.anomalies == nil {
		if st := m.anomalyStatus(); len(st) > 0 {
			in.waiting = st[0]
		}
	}
	return in
}

// detailHeader swaps the tab strip of header for one that says which
// product is open, over which view, and that esc goes back.
func (m *Model) detailHeader(header string) string {
	st := m.theme.styles
	i := strings.LastIndexByte(header, '\n')
	if i < 0 {
		return header
	}
	tab := st.Tab.Render(tabLabel(m.current().Name(), false)) + st.Muted.Render(m.tabSeparator()) +
		st.TabOn.Render(tabLabel("Detail: "+safetext.Clean(m.detailKey.Name), true))
	return header[:i+1] + m.joinLR(tab, st.Muted.Render("esc back"))
}
