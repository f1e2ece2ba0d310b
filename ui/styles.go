package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// palette is the one set of colours the dashboard uses. Adaptive colours
// keep text readable on light and dark terminals alike.
var palette = struct {
	Accent, Muted, Subtle, Good, Bad, Warn, Trend, SelectFg, SelectBg, BarFg, BarBg lipgloss.AdaptiveColor
}{
	Accent:   lipgloss.AdaptiveColor{Light: "#1F5FBF", Dark: "#7AB8FF"},
	Muted:    lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"},
	Subtle:   lipgloss.AdaptiveColor{Light: "#A0A0A0", Dark: "#5C5C5C"},
	Good:     lipgloss.AdaptiveColor{Light: "#1A7F37", Dark: "#56D364"},
	Bad:      lipgloss.AdaptiveColor{Light: "#C0262D", Dark: "#FF7B72"},
	Warn:     lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#E3B341"},
	Trend:    lipgloss.AdaptiveColor{Light: "#0B7285", Dark: "#66D9E8"},
	SelectFg: lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#0D1117"},
	SelectBg: lipgloss.AdaptiveColor{Light: "#1F5FBF", Dark: "#7AB8FF"},
	BarFg:    lipgloss.AdaptiveColor{Light: "#24292F", Dark: "#D0D7DE"},
	BarBg:    lipgloss.AdaptiveColor{Light: "#E6E8EB", Dark: "#21262D"},
}

// Styles holds every style the views use. It is built once by NewStyles
// and passed down, so no view picks a colour of its own.
type Styles struct {
	Title    lipgloss.Style // the app name in the header
	Label    lipgloss.Style // header labels ("group", "period")
	Value    lipgloss.Style // header values
	Muted    lipgloss.Style // notes, hints, placeholders
	Tab      lipgloss.Style // a view name in the tab strip
	TabOn    lipgloss.Style // the current view's name
	Header   lipgloss.Style // table column titles
	Selected lipgloss.Style // the cursor row
	Money    lipgloss.Style // cost figures
	Up       lipgloss.Style // a cost increase (worse)
	Down     lipgloss.Style // a cost decrease (better)
	Trend    lipgloss.Style // sparklines
	Anomaly  lipgloss.Style // the anomaly marker
	Partial  lipgloss.Style // "partial" marks on totals
	Bar      lipgloss.Style // the status bar
	Error    lipgloss.Style // the last error in the status bar
	Warn     lipgloss.Style // retry notices
	Box      lipgloss.Style // pickers and overlays
	BoxTitle lipgloss.Style
	Fatal    lipgloss.Style // the title of the fatal error screen
	Input    lipgloss.Style // text being typed
	Cursor   lipgloss.Style // the cursor in a text field
	Help     help.Styles
}

// NewStyles builds the styles on renderer r, whose colour profile and
// background decide how each colour is written: served over SSH every
// session has its own, from that client's TERM and environment. A nil r
// is lipgloss's default renderer, the terminal of this process. With
// noColor the screen is monochrome: only bold, faint, underline and
// reverse video mark things, as NO_COLOR asks. With ascii, boxes are
// drawn with ASCII characters.
func NewStyles(r *lipgloss.Renderer, noColor, ascii bool) Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	st := newStyles(r, noColor)
	if ascii {
		st.Box = st.Box.Border(lipgloss.ASCIIBorder())
	}
	return st
}

func newStyles(r *lipgloss.Renderer, noColor bool) Styles {
	s := r.NewStyle
	if noColor {
		return Styles{
			Title:    s().Bold(true),
			Label:    s().Faint(true),
			Value:    s(),
			Muted:    s().Faint(true),
			Tab:      s(),
			TabOn:    s().Bold(true).Underline(true),
			Header:   s().Bold(true),
			Selected: s().Reverse(true),
			Money:    s(),
			Up:       s(),
			Down:     s(),
			Trend:    s(),
			Anomaly:  s().Bold(true),
			Partial:  s().Faint(true),
			Bar:      s().Reverse(true),
			Error:    s().Reverse(true).Bold(true),
			Warn:     s().Reverse(true),
			Box:      s().Border(lipgloss.NormalBorder()).Padding(0, 1),
			BoxTitle: s().Bold(true),
			Fatal:    s().Bold(true),
			Input:    s().Bold(true),
			Cursor:   s().Reverse(true),
			Help: help.Styles{
				Ellipsis: s(), ShortKey: s().Bold(true), ShortDesc: s(), ShortSeparator: s(),
				FullKey: s().Bold(true), FullDesc: s(), FullSeparator: s(),
			},
		}
	}
	p := palette
	return Styles{
		Title:    s().Bold(true).Foreground(p.Accent),
		Label:    s().Foreground(p.Muted),
		Value:    s().Bold(true),
		Muted:    s().Foreground(p.Muted),
		Tab:      s().Foreground(p.Muted),
		TabOn:    s().Bold(true).Foreground(p.Accent).Underline(true),
		Header:   s().Bold(true).Foreground(p.Accent),
		Selected: s().Foreground(p.SelectFg).Background(p.SelectBg),
		Money:    s(),
		Up:       s().Foreground(p.Bad),
		Down:     s().Foreground(p.Good),
		Trend:    s().Foreground(p.Trend),
		Anomaly:  s().Bold(true).Foreground(p.Warn),
		Partial:  s().Foreground(p.Warn),
		Bar:      s().Foreground(p.BarFg).Background(p.BarBg),
		Error:    s().Bold(true).Foreground(p.Bad).Background(p.BarBg),
		Warn:     s().Foreground(p.Warn).Background(p.BarBg),
		Box:      s().Border(lipgloss.RoundedBorder()).BorderForeground(p.Accent).Padding(0, 1),
		BoxTitle: s().Bold(true).Foreground(p.Accent),
		Fatal:    s().Bold(true).Foreground(p.Bad),
		Input:    s().Bold(true),
		Cursor:   s().Reverse(true),
		Help: help.Styles{
			Ellipsis:       s().Foreground(p.Subtle),
			ShortKey:       s().Foreground(p.Accent),
			ShortDesc:      s().Foreground(p.Muted),
			ShortSeparator: s().Foreground(p.Subtle),
			FullKey:        s().Foreground(p.Accent),
			FullDesc:       s().Foreground(p.Muted),
			FullSeparator:  s().Foreground(p.Subtle),
		},
	}
}

// glyphs are the symbols the views draw; --ascii swaps every one of them
// for plain ASCII so the screen survives any terminal and font.
type glyphs struct {
	SortAsc, SortDesc, Ellipsis, Anomaly, Up, Down, Dot, Bar string
	Spark                                                    string // lowest to highest, for ASCII sparklines
	// Cursor marks the selected row, picker item and tab in text, so the
	// selection shows where the terminal draws no attributes; Above and
	// Below say rows are scrolled out of sight.
	Cursor, Above, Below string
	// NoData is a sparkline cell for a day not loaded or not complete yet:
	// drawn apart from a fall to zero.
	NoData string
}

func newGlyphs(ascii bool) glyphs {
	if ascii {
		return glyphs{SortAsc: "^", SortDesc: "v", Ellipsis: "~", Anomaly: "!", Up: "+", Down: "-", Dot: "*", Bar: "|", Spark: "_,:-=+*#",
			Cursor: ">", Above: "^", Below: "v", NoData: "."}
	}
	return glyphs{SortAsc: "▲", SortDesc: "▼", Ellipsis: "…", Anomaly: "⚠", Up: "▲", Down: "▼", Dot: "·", Bar: "│",
		Cursor: "▶", Above: "↑", Below: "↓", NoData: "·"}
}
