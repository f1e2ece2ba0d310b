package api

import (
	"context"
	"fmt"
	"time"
)

// FetchAll fetches req's pages in order, from req.PageToken (empty for the
// first page), handing each to onPage, until a page has no nextToken (null,
// absent or ""). Every page goes through a Pager first: repeated records
// are dropped (Page.Duplicates counts them) and paging stops with a
// *PagingError (errors.Is ErrPartial) on a token loop, a page that adds
// nothing, a record outside the requested dates, or more pages than the
// query's data could fill. It stops at the first error: FetchPage's says
// which page failed, onPage's is returned as it is.
func (c *Client) FetchAll(ctx context.Context, req RecordsRequest, onPage func(*Page) error) error {
	if err := req.Validate(); err != nil {
		return err // a bad query is not a page failure
	}
	start, end := RequestBounds(req, DateOf(time.Now()))
	pager := NewPager(req, start, end)
	for n := 1; ; n++ {
		page, err := c.FetchPage(ctx, req)
		if err != nil {
			return fmt.Errorf("page %d: %w", n, err)
		}
		kept, stop := pager.Accept(page)
		if kept != nil {
			if err := onPage(kept); err != nil {
				return err
			}
		}
		if stop != nil || pager.Done() {
			return stop
		}
		req.PageToken = pager.NextToken()
	}
}
