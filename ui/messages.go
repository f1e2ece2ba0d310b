package ui

import (
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// pageLoadedMsg is the result of one page request. Gen is the query
// generation that asked for it: Update drops it, error included, when the
// query has changed since.
type pageLoadedMsg struct {
	gen   uint64
	part  state.Part // which of the generation's loads it belongs to
	token string     // the token the page was asked for with
	page  *api.Page
	err   error
}

// retryNoticedMsg says the client is waiting before retrying a request of
// generation gen (rate limited or the server failed).
type retryNoticedMsg struct {
	gen    uint64
	notice api.RetryNotice
	at     time.Time
}

// retryTickedMsg re-renders the retry countdown once a second.
type retryTickedMsg struct {
	gen uint64
	at  time.Time
}

// exportedMsg reports a finished `e` export: the file written, or why not.
type exportedMsg struct {
	path string
	rows int
	err  error
}

// copiedMsg reports that the command line was sent to the clipboard.
type copiedMsg struct {
	text string
	err  error
}

// flashExpiredMsg clears the transient status message numbered id, unless
// a newer one replaced it.
type flashExpiredMsg struct {
	id int
}

// anomaliesDetectedMsg carries the anomaly detector's findings over
// generation gen's period and history.
type anomaliesDetectedMsg struct {
	gen    uint64
	result state.StoreAnomalies
	err    error
}
