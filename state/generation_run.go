package state

import (
	"context"
	"fmt"

	"github.com/usagetop/usagetop/api"
)

// PageFetcher fetches one page of records.
type PageFetcher func(ctx context.Context, req api.RecordsRequest) (*api.Page, error)

// Run loads what want names to completion, page by page, as the dashboard
// does without a snapshot store (served sessions, tests):
// it follows Plan, with the parts' requests in flight together, and
// applies each answer on this goroutine. It stops at the first error,
// keeping what was loaded, and returns it naming the part and how far it
// got. The dashboard and the headless commands load in date windows
// (LoadWindows); Run is the plain paged load they are checked against.
func (g *Generation) Run(ctx context.Context, fetch PageFetcher, pageSize int, want Want) error {
	type result struct {
		part  Part
		token string
		page  *api.Page
		err   error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result)
	inFlight := 0
	var firstErr error
	for {
		if firstErr == nil {
			for _, r := range g.Plan(pageSize, want) {
				inFlight++
				go func(r Request) {
					page, err := fetch(ctx, r.Req)
					results <- result{part: r.Part, token: r.Req.PageToken, page: page, err: err}
				}(r)
			}
		}
		if inFlight == 0 {
			break
		}
		res := <-results
		inFlight--
		if firstErr != nil && res.err != nil {
			continue // cancelled after the first failure
		}
		// After a failure the pages still arriving are kept too.
		g.Apply(res.part, res.token, res.page, res.err)
		s := g.Store(res.part)
		if err := s.Err(); err != nil && firstErr == nil {
			firstErr = loadError(res.part, s, err)
			cancel()
			continue
		}
	}
	return firstErr
}

// loadError says which part failed and how far it had come.
func loadError(p Part, s *Store, err error) error {
	if s.Len() == 0 {
		if p == PartPeriod {
			return err
		}
		return fmt.Errorf("%s: %w", p, err)
	}
	return fmt.Errorf("%s: after %d records (loaded through %s): %w", p, s.Len(), s.LoadedThrough(), err)
}
