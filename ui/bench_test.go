package ui

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
)

// bigRecords returns about n DAILY records: 300 products over as many days
// as it takes, ordered by date then product as the API sends them.
func bigRecords(n int) []api.Record {
	// 300 products a day, more when a year of them would not reach n: a
	// repeated product-day is a duplicate the store drops.
	products := max(300, (n+364)/365)
	start := api.NewDate(2025, 1, 1)
	recs := make([]api.Record, 0, n)
	for d := 0; len(recs) < n; d++ {
		for p := 0; p < products && len(recs) < n; p++ {
			fp := fixtureProducts[p%len(fixtureProducts)]
			units := int64(100 + (p*37+d*11)%900)
			recs = append(recs, api.Record{
				StartDate: start.AddDays(d % 365), EndDate: start.AddDays(d % 365),
				ProductName:     fmt.Sprintf("%s-%03d", fp.name, p),
				ProductCategory: fp.category,
				Usage:           api.Usage{Amount: api.DecimalOf(decimal.NewFromInt(units)), Unit: fp.unit},
				Price:           api.Price{Amount: api.DecimalOf(decimal.New(units*int64(p%7+1), -3)), Currency: "USD"},
			})
		}
	}
	return recs
}

// loadedBig returns a model at w x h with every one of n records loaded,
// on the given view (0 Products, 1 Records), cursor mid-table.
func loadedBig(tb testing.TB, n, w, h, view int) Model {
	tb.Helper()
	recs := bigRecords(n)
	opts := testOptions(nil)
	opts.Query.Period, opts.Query.From, opts.Query.To = "", api.NewDate(2025, 1, 1), api.NewDate(2025, 12, 31)
	m := New(opts)
	tm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m = tm.(Model)
	tm, _ = m.Update(pageLoadedMsg{gen: m.gen, page: &api.Page{AsOf: api.NewDate(2025, 12, 31), Records: recs}})
	m = tm.(Model)
	for m.active != view {
		m.switchView(1)
	}
	m.current().Nav().GotoBottom()
	m.current().Nav().MoveUp(m.current().Nav().Len() / 2)
	if m.store.Len() != n {
		tb.Fatalf("loaded %d of %d records", m.store.Len(), n)
	}
	m.initCmd = nil // the page came in above; there is nothing to fetch
	m.View()
	return m
}

// moveDown is one cursor move as the program makes it: Update, then View.
func moveDown(m Model, down tea.KeyMsg) (Model, string) {
	tm, _ := m.Update(down)
	m = tm.(Model)
	return m, m.View()
}

// BenchmarkCursorMove times Update + View for one cursor move. Rendering
// is windowed, so 100,000 records cost about what 1,000 do.
func BenchmarkCursorMove(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor) // colours cost bytes and time
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, tc := range []struct {
		name string
		n    int
		view int
	}{
		{"records=1000", 1000, 1},
		{"records=100000", 100_000, 1},
		{"products/records=1000", 1000, 0},
		{"products/records=100000", 100_000, 0},
	} {
		b.Run(tc.name, func(b *testing.B) {
			opts := testOptions(nil)
			opts.NoColor = false
			m := loadedBig(b, tc.n, 120, 40, tc.view)
			down := keyMsg("down")
			nav := m.current().Nav()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if nav.Cursor() == nav.Len()-1 {
					b.StopTimer()
					nav.GotoTop()
					b.StartTimer()
				}
				m, _ = moveDown(m, down)
			}
		})
	}
}

// repaintBytes estimates what bubbletea's standard renderer writes to go
// from one frame to the next: it rewrites each changed line (plus a
// cursor move and an erase to the line's end) and skips the rest.
func repaintBytes(prev, next string) int {
	const perLine = len("\x1b[1B") + len("\r") + len("\x1b[K")
	a, b := strings.Split(prev, "\n"), strings.Split(next, "\n")
	n := 0
	for i := range b {
		if i >= len(a) || a[i] != b[i] {
			n += len(b[i]) + perLine
		}
	}
	return n
}

// TestCursorMoveRepaintsLittle keeps a cursor move well under 2 KB on the
// wire at 120x40, in colour: only the two rows that change are redrawn.
func TestCursorMoveRepaintsLittle(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, view := range []int{0, 1} {
		m := loadedBig(t, 10_000, 120, 40, view)
		prev := m.View()
		var next string
		m, next = moveDown(m, keyMsg("down"))
		if n := repaintBytes(prev, next); n > 1024 {
			t.Errorf("view %d: a cursor move repaints %d bytes", view, n)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while the program writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

// BenchmarkTerminalBytesPerMove runs the real program (standard renderer,
// colours on) at 120x40 and reports the bytes it writes per cursor move:
// "screen" moves within the rows on screen (down, then up, alternately);
// "scroll" moves past the last row on screen, so the table scrolls by one
// row. bubbletea v1's renderer diffs whole lines, so it redraws every row
// of the table then (about 5 KB); the scroll writer Run installs sends a
// terminal scroll and the few changed lines instead.
func BenchmarkTerminalBytesPerMove(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, scroll := range []bool{false, true} {
		name := "screen"
		if scroll {
			name = "scroll"
		}
		b.Run(name, func(b *testing.B) {
			m := loadedBig(b, 10_000, 120, 40, 1)
			if scroll {
				nav := m.current().Nav()
				nav.MoveDown(nav.VisibleRows() - 1) // on the last row on screen
			}
			var out syncBuffer
			// As Run does: alt screen, through the scroll writer.
			p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(newScrollOutput(&out)),
				tea.WithoutSignalHandler(), tea.WithAltScreen())
			done := make(chan struct{})
			go func() {
				defer close(done)
				if _, err := p.Run(); err != nil {
					b.Error(err)
				}
			}()
			p.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
			frame := 40 * time.Millisecond // over two frames at 60 fps
			time.Sleep(4 * frame)
			total := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				key := "down"
				if !scroll && i%2 == 1 {
					key = "up"
				}
				before := out.Len()
				p.Send(keyMsg(key))
				time.Sleep(frame)
				total += out.Len() - before
			}
			b.StopTimer()
			b.ReportMetric(float64(total)/float64(b.N), "bytes/move")
			p.Quit()
			<-done
		})
	}
}

// benchFilterKeys types a three-letter filter and clears it, each key an
// Update and a View, and reports the time per keystroke.
func benchFilterKeys(b *testing.B, m Model) {
	for i := 0; i < b.N; i++ {
		tm, _ := m.Update(keyMsg("/"))
		mm := tm.(Model)
		for _, k := range []string{"v", "e", "r"} {
			tm, _ = mm.Update(keyMsg(k))
			mm = tm.(Model)
			mm.View()
		}
		tm, _ = mm.Update(keyMsg("esc"))
		mm = tm.(Model)
		mm.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*4)/1000, "ms/keystroke")
}

// BenchmarkRecordsKeystrokes times the heavier keys over 100,000 loaded
// records: one more filter character, and re-sorting by the next column.
func BenchmarkRecordsKeystrokes(b *testing.B) {
	m := loadedBig(b, 100_000, 120, 40, 1)
	b.Run("filter", func(b *testing.B) { benchFilterKeys(b, m) })
	b.Run("sort", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			tm, _ := m.Update(keyMsg("s"))
			m = tm.(Model)
			m.View()
		}
	})
}

// BenchmarkDetailOpen times enter on a product of 300 over 100,000 records
// (365 days) at 200x50, with the frame that draws its chart ("open"), and
// a later frame, which reuses the drawn chart ("frame").
func BenchmarkDetailOpen(b *testing.B) {
	m := loadedBig(b, 100_000, 200, 50, 0)
	m.today = api.NewDate(2026, 1, 1) // the whole year is past: 365 days to draw
	b.Run("open", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.updateKeys() // the key map is shared: the last open disabled enter
			tm, _ := m.Update(keyMsg("enter"))
			mm := tm.(Model)
			mm.detail.out = "" // every open draws anew
			mm.View()
		}
		if m.detail.drawn < b.N {
			b.Fatalf("drew %d times in %d opens", m.detail.drawn, b.N)
		}
	})
	b.Run("frame", func(b *testing.B) {
		m.updateKeys()
		tm, _ := m.Update(keyMsg("enter"))
		mm := tm.(Model)
		mm.View()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			mm.View()
		}
	})
}

// BenchmarkKeystrokeAt1M times one filter keystroke (Update + View) and
// one cursor move with a million records loaded in the Records view: the
// budget is 16 ms a keystroke.
func BenchmarkKeystrokeAt1M(b *testing.B) {
	m := loadedBig(b, 1_000_000, 120, 40, 1)
	b.Run("filter", func(b *testing.B) { benchFilterKeys(b, m) })
	b.Run("move", func(b *testing.B) {
		down := tea.KeyMsg{Type: tea.KeyDown}
		for i := 0; i < b.N; i++ {
			m, _ = moveDown(m, down)
		}
	})
}
