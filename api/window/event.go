package window

import (
	"time"

	"github.com/usagetop/usagetop/api"
)

// EventKind says what an Event reports.
type EventKind int

// Event kinds, in the order a load usually meets them.
const (
	// Progressed: a page arrived; only Progress is new.
	Progressed EventKind = iota
	// WindowDone: every record of Window, handed over in date order of
	// windows (see Load).
	WindowDone
	// Throttled: the API asked for fewer requests (429 or 25021); Limit in
	// Progress is the new concurrency and Wait any Retry-After pause.
	Throttled
	// Retrying: a request or a whole window failed and will be tried
	// again after Wait; Err says why.
	Retrying
)

// String names the kind, for logs and tests.
func (k EventKind) String() string {
	switch k {
	case Progressed:
		return "progressed"
	case WindowDone:
		return "window done"
	case Throttled:
		return "throttled"
	case Retrying:
		return "retrying"
	}
	return "unknown"
}

// Progress is where a load stands, for a bar such as
// "loading 7/12 windows · 18,204 records".
type Progress struct {
	// Windows is how many windows the query is cut into so far; it grows
	// when a window's first page shows the data is denser than one page.
	Windows int
	// WindowsDone counts completed windows, delivered or not.
	WindowsDone int
	// Days and DaysDone measure the same in days, which never moves
	// backwards when windows split: the steadier bar.
	Days, DaysDone int
	// Records counts the records kept so far; Pages the pages fetched.
	Records, Pages int
	// InFlight is the requests under way; Limit how many may be.
	InFlight, Limit int
}

// Event is one report from Load to its caller.
type Event struct {
	Kind     EventKind
	Progress Progress
	// Window is the range the event is about (WindowDone, Retrying).
	Window Range
	// Records are the window's records in API order (WindowDone only).
	// They belong to the caller.
	Records []api.Record
	// AsOf is the freshness watermark the window's last page carried, and
	// FetchedAt when that page arrived (WindowDone only): what a snapshot
	// store keeps with the window.
	AsOf      api.Date
	FetchedAt time.Time
	// Err is why a request failed (Throttled, Retrying).
	Err error
	// Wait is how long before the retry, or the Retry-After pause.
	Wait time.Duration
}
