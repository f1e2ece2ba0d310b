package ui

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
	"github.com/usagetop/usagetop/state"
	"github.com/usagetop/usagetop/state/safetext"
)

// mode is what keys currently go to.
type mode int

const (
	modeNormal mode = iota
	modeFilter      // typing a filter
	modePicker      // a picker is open
	modeHelp        // the ? screen
	modeErrors      // the ! pane: the last errors in full
)

// Layout: lines above and below the view's table.
const (
	headerLines = 3 // title line, details line, tab strip
	footerLines = 2 // status bar, key hints or filter input
	minWidth    = 20
	minHeight   = 8
)

// flashFor is how long a transient status message stays.
const flashFor = 6 * time.Second

// noticeBuffer bounds queued retry notices; more are dropped, the next one
// says the same.
const noticeBuffer = 8

// Model is the dashboard's root model. It holds the query, the record
// store of the current generation and the views, and routes messages:
// global keys first, then results addressed to the root, then the
// focused view.
type Model struct {
	// Big, rarely changed parts sit behind pointers: bubbletea boxes the
	// Model on every Update, and a Model holding its styles by value
	// would copy kilobytes per key.
	opts  *Options
	keys  *KeyMap
	theme *theme
	help  *help.Model
	help2 *helpScroll // where the ? screen is scrolled to
	spin  *spinner.Model

	width, height int

	// root is cancelled on quit; every request derives from it.
	root    context.Context
	stop    context.CancelFunc
	notices chan retryNoticedMsg
	initCmd tea.Cmd

	query state.Query
	today api.Date
	gen   uint64
	// invalid is true when the query was refused before any request
	// (possible only for the query the dashboard opened with).
	invalid bool
	// g is the current generation: its stores, which days count, its
	// figures and its load plan. store is its period (g.Period()), the
	// store most of the dashboard reads.
	g       *state.Generation
	store   *state.Store
	cancels map[state.Part]context.CancelFunc // each part's request in flight

	views []view
	// synced is the store and record count each view last synced to: a
	// page syncs the view on screen only (re-merging a hidden Records view
	// of a million records on every page was half of a load's time), and
	// a view catches up when it is shown.
	synced     []syncMark
	products   *productsView
	records    *recordsView
	anomaliesV *anomaliesView
	groups     *groupsView
	active     int
	applied    []string // the filter each view last got, applied on switch

	mode   mode
	input  lineInput // the filter being typed
	filter string
	picker *picker

	loadAll     bool // L or G: load every remaining page
	bottomAfter bool // G: go to the last row once all is loaded

	err     error // the last error, shown in the status bar
	fatal   error // an error no retry can fix: the whole screen says so
	retry   *retryNoticedMsg
	now     time.Time
	flash   string
	flashID int

	categories []string // every category seen, for the picker

	// pendingProduct is the --product to open once loaded; defaultSorts
	// are each view's sort as built, so `y` copies only a changed one.
	pendingProduct string
	defaultSorts   []sortState

	errLog   []errEntry // the last errors, newest first, for the ! pane
	fallback *fallback  // what to show again if the new query fails at once

	// budgets are the open group's budgets as they stand (once the
	// month's days are in).
	budgets []state.BudgetStatus
	// A windowed load (Options.Windows) reports on winMsgs; winProgress is
	// how far each part has come, shownAt the age of what the snapshot
	// store showed while it is refreshed.
	winMsgs     chan tea.Msg
	winProgress map[state.Part]window.Progress
	shownAt     time.Time
	since       string // what changed since the period was last fetched (sinceText)
	refreshAll  bool   // r: the next windowed load fetches everything

	// anomalies is what the detector found, once run.
	anomalies *state.StoreAnomalies
	detecting bool  // the detector runs for this generation
	detectErr error // the detector failed for this generation

	// The detail view (enter) shows detailKey over the view it was opened
	// from (active), whose cursor stays where it was for esc.
	detailOpen bool
	detailKey  state.ProductKey
	detailAt   api.Date    // the anomaly day it was opened at, listed first (0: none)
	detail     *detailView // its drawn body, kept across frames

	spinFrame int          // counts spinner frames, so the status bar redraws
	chrome    *chromeCache // header, status and footer of the last frame
}

// New returns the dashboard for opts. It starts no I/O: the first page
// request is returned by Init.
func New(opts Options) Model {
	return newModel(context.Background(), opts)
}

func newModel(ctx context.Context, opts Options) Model {
	opts = opts.withDefaults()
	th := &theme{styles: NewStyles(opts.Renderer, opts.NoColor, opts.ASCII), glyphs: newGlyphs(opts.ASCII), ascii: opts.ASCII}
	keys := DefaultKeyMap()
	hm := help.New()
	m := Model{
		opts:    &opts,
		keys:    &keys,
		theme:   th,
		help:    &hm,
		help2:   &helpScroll{},
		notices: make(chan retryNoticedMsg, noticeBuffer),
		width:   80,
		height:  24,
		chrome:  &chromeCache{},
	}
	if opts.ASCII {
		m.keys.asciiHelp()
	}
	m.help.Styles = th.styles.Help
	if opts.ASCII {
		m.help.ShortSeparator, m.help.FullSeparator, m.help.Ellipsis = " | ", "  ", th.glyphs.Ellipsis
	}
	sp := spinner.New(spinner.WithStyle(th.styles.Bar))
	m.spin = &sp
	m.spin.Spinner = spinner.MiniDot
	if opts.ASCII {
		m.spin.Spinner = spinner.Line
	}
	m.root, m.stop = context.WithCancel(ctx)
	m.products, m.records, m.anomaliesV, m.groups = newProductsView(*th), newRecordsView(*th), newAnomaliesView(*th), newGroupsView(*th)
	m.views = []view{m.products, m.records, m.anomaliesV, m.groups}
	m.cancels = map[state.Part]context.CancelFunc{}
	m.winMsgs = make(chan tea.Msg, 64)
	m.winProgress = map[state.Part]window.Progress{}
	m.detail = newDetailView(th)
	m.applied = make([]string, len(m.views))
	m.synced = make([]syncMark, len(m.views))
	m.defaultSorts = make([]sortState, len(m.views))
	for i, v := range m.views {
		if ss, ok := v.(sortStepper); ok {
			m.defaultSorts[i].key, m.defaultSorts[i].desc = ss.SortKey()
		}
	}
	m.input = newInput(th, "/", "filter by product or category")
	m.layout()
	m.initCmd = m.startQuery(opts.Query)
	m.initCmd = tea.Batch(m.initCmd, m.applyReopen())
	m.updateKeys()
	return m
}

// Init starts the first page request and the listener for retry notices.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.initCmd, waitRetryNoticeCmd(m.root.Done(), m.notices), waitWindowMsgCmd(m.root.Done(), m.winMsgs))
}

// Update handles one message. It does no I/O: requests, exports and the
// clipboard are commands.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg)
	case windowsShownMsg, windowLoadedMsg, windowsRefreshedMsg, windowsDoneMsg, windowProgressMsg, windowsChangedMsg:
		return m.windowMsg(msg)
	case pageLoadedMsg:
		if msg.err != nil && msg.gen == m.gen && msg.part != state.PartPeriod && m.root.Err() == nil {
			m.logError(m.pageRequest(msg), msg.err) // the period logs its own
		}
		return m.pageLoaded(msg)
	case retryNoticedMsg:
		return m.retryNoticed(msg)
	case retryTickedMsg:
		if m.retry == nil || msg.gen != m.gen {
			return m, nil
		}
		m.now = msg.at
		if m.now.Before(m.retryUntil()) {
			return m, retryTickCmd(m.gen)
		}
		return m, nil
	case exportedMsg:
		if msg.err != nil {
			m.logError("export to a CSV file", msg.err)
			return m, m.setFlash("export failed: " + msg.err.Error() + " (! has it whole)")
		}
		rows := formatCount(msg.rows) + " rows"
		if msg.rows == 1 {
			rows = "1 row"
		}
		return m, m.setFlash("exported " + rows + " to " + msg.path)
	case copiedMsg:
		if msg.err != nil {
			return m, m.setFlash("copy failed: " + msg.err.Error())
		}
		return m, m.setFlash("copied: " + msg.text)
	case anomaliesDetectedMsg:
		return m.anomaliesDetected(msg)
	case flashExpiredMsg:
		if msg.id == m.flashID {
			m.flash = ""
		}
		return m, nil
	case spinner.TickMsg:
		if !m.loading() && !m.sidesLoading() {
			return m, nil // let the spinner stop
		}
		var cmd tea.Cmd
		*m.spin, cmd = m.spin.Update(msg)
		m.spinFrame++
		return m, cmd
	}
	return m, nil
}

// loading reports whether a request for the period is in flight.
func (m *Model) loading() bool { return m.store != nil && m.store.InFlight() }

// layout sizes every view to the space between header and footer.
func (m *Model) layout() {
	w, h := m.bodySize()
	for _, v := range m.views {
		v.SetSize(w, h)
	}
	m.help.Width = m.width
}

func (m *Model) bodySize() (int, int) {
	return max(m.width, 1), max(m.height-headerLines-footerLines, 1)
}

func (m *Model) current() view { return m.views[m.active] }

// startQuery begins a new generation for q: whatever is in flight is
// cancelled, the store starts empty, and the first page is asked for. An
// invalid q is refused with its reason and the current query stays.
func (m *Model) startQuery(q state.Query) tea.Cmd {
	invalid := q.Validate()
	if invalid != nil && m.store != nil {
		m.err = invalid
		return nil
	}
	m.cancelAll()
	m.keepFallback()
	m.gen++
	m.query = q
	m.invalid = invalid != nil
	m.today = m.opts.Today()
	m.g = state.NewGeneration(m.gen, q, m.today, m.opts.Detector)
	m.store = m.g.Period()
	m.err, m.fatal, m.retry = invalid, nil, nil
	m.loadAll, m.bottomAfter = false, false
	m.anomalies, m.detecting, m.detectErr = nil, false, nil
	m.syncAll()
	m.products.SetFlagged(nil)
	m.anomaliesV.SetAnomalies(nil)
	m.applyFigures()
	clear(m.winProgress)
	m.shownAt, m.since = time.Time{}, ""
	m.products.SetSince(nil, "")
	var loads []tea.Cmd
	if m.opts.Windows != nil && !m.invalid {
		loads = m.windowLoadCmds()
	}
	m.refreshAll = false
	cmd := tea.Batch(append(loads, m.maybeFetch())...)
	m.setEmptyText() // after the plan: it says what is in flight
	return cmd
}

// maybeFetch asks for what the generation's plan offers now: the period's
// next page when the current view needs it, and the other parts beside it.
func (m *Model) maybeFetch() tea.Cmd {
	return m.planRequests(m.wantPeriod())
}

// wantPeriod reports whether the period's next page is wanted now.
func (m *Model) wantPeriod() bool {
	s := m.store
	if s == nil || s.Done() {
		return false
	}
	v := m.current()
	return s.Pages() == 0 || m.loadAll ||
		(v.WantsAllPages() && s.Pages() < m.opts.AutoloadPages) ||
		v.NearEnd()
}

// fetchNext asks for the period's next page even if no view needs it yet:
// the user asked.
func (m *Model) fetchNext() tea.Cmd {
	return m.planRequests(true)
}

// pageLoaded takes in a page, or its error. A result of an older
// generation is dropped before anything in it is looked at.
func (m Model) pageLoaded(msg pageLoadedMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	if cancel := m.cancels[msg.part]; cancel != nil {
		cancel()
		m.cancels[msg.part] = nil
	}
	m.retry = nil
	if msg.err != nil && m.root.Err() != nil {
		return m, nil // quitting
	}
	if !m.g.Apply(msg.part, msg.token, msg.page, msg.err) {
		return m, m.maybeFetch() // a page we did not ask for: ignore it
	}
	if msg.part != state.PartPeriod {
		return m.sidePageLoaded(msg)
	}
	if msg.err != nil {
		m.logError(m.pageRequest(msg), msg.err)
		m.loadAll, m.bottomAfter = false, false
		if m.restoreFallback(msg.err) {
			m.setEmptyText()
			m.updateKeys()
			return m, m.maybeFetch()
		}
		m.err = msg.err
		var ae *api.Error
		if errors.As(msg.err, &ae) && ae.Fatal() {
			m.fatal = msg.err
		}
		m.applyFigures()
		m.setEmptyText()
		m.updateKeys()
		return m, nil
	}
	m.fallback = nil      // the new query has records of its own
	m.err = m.store.Err() // nil, or a token loop the store detected
	m.noteCategories()
	m.syncViews()
	m.applyFigures()
	if m.bottomAfter && m.store.Done() {
		m.current().Nav().GotoBottom()
		m.bottomAfter = false
	}
	if m.store.Done() {
		m.loadAll = false
	}
	m.setEmptyText()
	m.updateKeys()
	return m, tea.Batch(m.openPending(), m.maybeFetch())
}

// retryNoticed shows that the client is waiting to retry, and listens for
// the next notice.
func (m Model) retryNoticed(msg retryNoticedMsg) (tea.Model, tea.Cmd) {
	wait := waitRetryNoticeCmd(m.root.Done(), m.notices)
	if msg.gen != m.gen || !m.loading() && !m.sidesLoading() {
		return m, wait
	}
	m.retry = &msg
	m.now = msg.at
	return m, tea.Batch(wait, retryTickCmd(m.gen))
}

// retryUntil is when the client's next attempt is due.
func (m *Model) retryUntil() time.Time {
	return m.retry.at.Add(m.retry.notice.Wait)
}

// noteCategories remembers every category seen, across queries, so the
// picker can offer them after one category was chosen.
func (m *Model) noteCategories() {
	for _, c := range m.store.Categories() {
		if i, found := slices.BinarySearch(m.categories, c); !found {
			m.categories = slices.Insert(m.categories, i, c)
		}
	}
}

// setEmptyText tells the views what to say when they have no rows.
func (m *Model) setEmptyText() {
	text := "no records for this query"
	switch {
	case m.store == nil:
	case m.store.InFlight() && m.store.Len() == 0:
		text = "loading" + m.theme.glyphs.Ellipsis
	case m.filter != "" && m.store.Len() > 0:
		text = "no rows match the filter (esc clears it)"
	case m.store.Err() != nil && m.store.Len() == 0:
		text = "nothing loaded (r retries)"
	case !m.store.Done():
		text = "more pages to load (L loads them)"
	}
	for _, v := range m.views {
		v.SetEmptyText(text)
	}
	m.anomaliesV.SetStatus(m.anomalyStatus())
}

// setFlash shows a transient message in the status bar.
func (m *Model) setFlash(s string) tea.Cmd {
	m.flashID++
	m.flash = safetext.Clean(s)
	return flashExpireCmd(m.flashID, flashFor)
}

// quit cancels everything in flight and ends the program.
func (m *Model) quit() tea.Cmd {
	m.stop()
	return tea.Quit
}
