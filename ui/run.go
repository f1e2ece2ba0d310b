package ui

import (
	"context"
	"errors"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Run shows the dashboard on the terminal until the user quits (nil) or
// ctx ends. Everything in flight is cancelled before it returns.
func Run(ctx context.Context, opts Options) error {
	var profile termenv.Profile
	opts.NoColor, profile = TerminalProfile(os.Getenv("TERM"), opts.NoColor, os.Getenv("NO_COLOR") != "", lipgloss.ColorProfile())
	lipgloss.SetColorProfile(profile)
	if !opts.NoColor {
		// Ask the terminal for its background now, before the program
		// reads the keyboard: asked later, from the first frame's adaptive
		// colours, the answer could arrive as keystrokes. The result is
		// cached.
		lipgloss.HasDarkBackground()
	}
	m := newModel(ctx, opts)
	defer m.stop()
	// The scroll writer turns a one-row scroll of the table from a
	// repaint of every row into a terminal scroll and a few lines.
	progOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithOutput(newScrollOutput(os.Stdout))}
	if opts.Mouse {
		progOpts = append(progOpts, tea.WithMouseCellMotion())
	}
	p := tea.NewProgram(m, progOpts...)
	final, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	if fm, ok := final.(Model); ok && err == nil {
		return sessionErr(fm) // quit from the fatal screen: exit status 1
	}
	return err
}
