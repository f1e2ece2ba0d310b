package ui

import (
	"testing"

	"github.com/muesli/termenv"
)

func TestTerminalProfile(t *testing.T) {
	tests := []struct {
		name        string
		term        string
		flag, env   bool
		detected    termenv.Profile
		wantNoColor bool
		wantProfile termenv.Profile
	}{
		{"xterm-256color in colour", "xterm-256color", false, false, termenv.ANSI256, false, termenv.ANSI256},
		{"--no-color keeps attributes", "xterm-256color", true, false, termenv.ANSI256, true, termenv.ANSI256},
		{"NO_COLOR is --no-color", "xterm-256color", false, true, termenv.Ascii, true, termenv.ANSI},
		{"GNU screen has reverse video", "screen", false, false, termenv.Ascii, true, termenv.ANSI},
		{"screen with NO_COLOR", "screen", false, true, termenv.Ascii, true, termenv.ANSI},
		{"vt100", "vt100", false, false, termenv.Ascii, true, termenv.ANSI},
		{"dumb draws nothing but text", "dumb", false, false, termenv.Ascii, true, termenv.Ascii},
		{"no TERM", "", false, true, termenv.Ascii, true, termenv.Ascii},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nc, p := TerminalProfile(tt.term, tt.flag, tt.env, tt.detected)
			if nc != tt.wantNoColor || p != tt.wantProfile {
				t.Errorf("TerminalProfile(%q, %v, %v, %v) = %v, %v; want %v, %v", tt.term, tt.flag, tt.env, tt.detected, nc, p, tt.wantNoColor, tt.wantProfile)
			}
		})
	}
}
