package api

import (
	"context"
	"fmt"
)

// FetchAll fetches req's pages in order, from req.PageToken (empty for the
// first page), handing each to onPage, until a page has no nextToken (null,
// absent or ""). It stops at the first error: FetchPage's says which page
// failed, onPage's is returned as it is. A server that hands out a token it
// has handed out before would loop forever, so that is an error too.
func (c *Client) FetchAll(ctx context.Context, req RecordsRequest, onPage func(*Page) error) error {
	if err := req.Validate(); err != nil {
		return err // a bad query is not a page failure
	}
	seen := make(map[string]struct{})
	if req.PageToken != "" {
		seen[req.PageToken] = struct{}{}
	}
	for n := 1; ; n++ {
		page, err := c.FetchPage(ctx, req)
		if err != nil {
			return fmt.Errorf("page %d: %w", n, err)
		}
		if err := onPage(page); err != nil {
			return err
		}
		if page.Done() {
			return nil
		}
		if _, dup := seen[page.NextToken]; dup {
			return fmt.Errorf("page %d: the server sent a nextToken it had sent before; stopping instead of looping forever", n)
		}
		seen[page.NextToken] = struct{}{}
		req.PageToken = page.NextToken
	}
}
