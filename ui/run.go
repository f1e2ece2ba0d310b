package ui

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"
)

// Run shows the dashboard on the terminal until the user quits (nil) or
// ctx ends. Everything in flight is cancelled before it returns.
func Run(ctx context.Context, opts Options) error {
	m := newModel(ctx, opts)
	defer m.stop()
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx))
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
