package ui

import (
	"context"
	"errors"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Run shows the dashboard on the terminal until the user quits (nil) or
// ctx ends. Everything in flight is cancelled before it returns.
func Run(ctx context.Context, opts Options) error {
	r := opts.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	var profile termenv.Profile
	opts.NoColor, profile = TerminalProfile(os.Getenv("TERM"), opts.NoColor, os.Getenv("NO_COLOR") != "", r.ColorProfile())
	r.SetColorProfile(profile)
	if !opts.NoColor {
		// Ask the terminal for its background now, before the program
		// reads the keyboard: asked later, from the first frame's adaptive
		// colours, the answer could arrive as keystrokes. The result is
		// cached.
		r.HasDarkBackground()
	}
	var extra []tea.ProgramOption
	if opts.Mouse {
		extra = append(extra, tea.WithMouseCellMotion())
	}
	p, stop := NewProgram(ctx, opts, nil, os.Stdout, extra...)
	defer stop()
	final, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	if fm, ok := final.(Model); ok && err == nil {
		return sessionErr(fm) // quit from the fatal screen: exit status 1
	}
	return err
}

// NewProgram returns the dashboard as a program, in the alternate screen,
// that reads keys from in (nil: this process's terminal) and draws on out,
// for a caller that runs it itself: the SSH server runs one per session,
// with opts.Renderer built for that session. The program ends when the
// user quits or ctx ends; stop cancels whatever is still in flight and
// must be called once Run has returned. A nil opts.Clipboard becomes out.
func NewProgram(ctx context.Context, opts Options, in io.Reader, out io.Writer, extra ...tea.ProgramOption) (p *tea.Program, stop func()) {
	// The scroll writer turns a one-row scroll of the table from a
	// repaint of every row into a terminal scroll and a few lines.
	out = newScrollOutput(out)
	if opts.Clipboard == nil {
		// Through the scroll writer, whose lock keeps the sequence from
		// landing inside a frame.
		opts.Clipboard = out
	}
	m := newModel(ctx, opts)
	progOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithOutput(out)}
	if in != nil {
		progOpts = append(progOpts, tea.WithInput(in))
	}
	return tea.NewProgram(m, append(progOpts, extra...)...), m.stop
}
