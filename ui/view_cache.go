package ui

import (
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/window"
	"github.com/usagetop/usagetop/state"
)

// chromeCache keeps the header, status bar and footer drawn for the last
// frame, with what they were drawn from. A cursor move changes none of
// them, so it costs only the table's rows: styling these lines anew on
// every key would be most of a frame's time.
//
// It is shared by the copies of a Model (Update works on copies), which is
// safe because only the program's goroutine draws.
type chromeCache struct {
	headerKey headerKey
	header    string
	statusKey statusKey
	status    string
	footerKey footerKey
	footer    string
}

type headerKey struct {
	query         state.Query
	start, end    api.Date
	asOf          api.Date
	width, active int
	filter        string
	mode          mode
	cover         state.Coverage
}

type statusKey struct {
	width, records, pages, match, spin, anomalies int
	active, cursor                                int // the cursor: the bar says "12/58"
	mode                                          mode
	done, loading, sides, loadAll, detail         bool // done also covers Partial
	err, flash, filter                            string
	retry                                         *retryNoticedMsg
	version                                       uint64 // the generation's pages: the figures' totals
	win                                           window.Progress
	shownAt                                       time.Time
	since                                         string
	now                                           time.Time
}

type footerKey struct {
	width   int
	mode    mode
	input   string
	pos     int
	enabled uint64
}

func (m *Model) cachedHeader() string {
	start, end := m.store.Bounds()
	k := headerKey{query: m.query, start: start, end: end, asOf: m.store.AsOf(), width: m.width,
		active: m.active, filter: m.filter, mode: m.mode, cover: m.g.Coverage()}
	c := m.chrome
	if c.header == "" || c.headerKey != k {
		c.headerKey, c.header = k, m.headerView()
	}
	return c.header
}

func (m *Model) cachedStatus() string {
	s := m.store
	k := statusKey{width: m.width, records: s.Len(), pages: s.Pages(), match: m.current().Nav().Len(),
		spin: m.spinFrame, anomalies: m.anomalyCount(), done: s.Done(), loading: m.loading(), sides: m.sidesLoading(),
		loadAll: m.loadAll, detail: m.detailOpen, flash: m.flash, filter: m.filter, retry: m.retry, now: m.now, active: m.active,
		version: m.g.Version(), win: m.winProgress[state.PartPeriod], shownAt: m.shownAt, since: m.since, cursor: m.current().Nav().Cursor(), mode: m.mode}
	if m.err != nil {
		k.err = m.err.Error()
	}
	c := m.chrome
	if c.status == "" || c.statusKey != k {
		c.statusKey, c.status = k, m.statusView()
	}
	return c.status
}

func (m *Model) cachedFooter() string {
	k := footerKey{width: m.width, mode: m.mode, input: m.input.Value(), pos: m.input.Position()}
	for i, b := range m.keys.ShortHelp() {
		if b.Enabled() {
			k.enabled |= 1 << i
		}
	}
	c := m.chrome
	if c.footer == "" || c.footerKey != k {
		c.footerKey, c.footer = k, m.footerView()
	}
	return c.footer
}
