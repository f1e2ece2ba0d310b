package ui

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestStylesFollowTheirRenderer: two sessions' renderers in one process
// give each its own colours, whatever the process's own terminal is.
func TestStylesFollowTheirRenderer(t *testing.T) {
	renderer := func(p termenv.Profile) *lipgloss.Renderer {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(p)
		r.SetHasDarkBackground(true)
		return r
	}
	tests := []struct {
		name    string
		profile termenv.Profile
		want    string // in the rendered title; "" means no colour at all
	}{
		{"256 colours", termenv.ANSI256, "\x1b[1;38;5;"},
		{"true colour", termenv.TrueColor, "\x1b[1;38;2;"},
		{"dumb terminal", termenv.Ascii, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewStyles(renderer(tt.profile), false, false).Title.Render("usagetop")
			if tt.want == "" {
				if got != "usagetop" {
					t.Errorf("rendered %q, want plain text", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("rendered %q, want %q in it", got, tt.want)
			}
		})
	}
}

func TestMonochromeKeepsReverseVideo(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii) // what NO_COLOR makes termenv choose
	_, p := TerminalProfile("xterm", true, true, r.ColorProfile())
	r.SetColorProfile(p)
	if got := NewStyles(r, true, false).Selected.Render("row"); !strings.Contains(got, "\x1b[7m") {
		t.Errorf("the monochrome cursor row renders %q, want reverse video", got)
	}
}
