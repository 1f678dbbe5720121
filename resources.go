package connapi

import (
	"context"
	"iter"

	"github.com/connapi/connapi-go/models"
)

// GetResourcesParams selects the resources Resources.Get returns.
type GetResourcesParams struct {
	// ResourceIDs are the provider's IDs of the resources, sent as repeated
	// resource_ids parameters. They are optional on the page: with none, no
	// resource_ids is sent.
	ResourceIDs []string `url:"resource_ids,omitempty"`
	// RefreshOAuthTokens asks the server to refresh the provider's OAuth tokens.
	RefreshOAuthTokens bool `url:"refresh_oauth_tokens,omitempty"`
}

// ListChildrenParams selects a page of Resources.Children.
type ListChildrenParams struct {
	// ResourceID is the directory to list; empty lists the root. A file has no
	// children: its listing is empty.
	ResourceID string `url:"resource_id,omitempty"`
	// Cursor is the NextCursor of the previous page; empty starts at the first.
	Cursor string `url:"cursor,omitempty"`
	// PageSize is 1..StackAIMaxPageSize; 0 leaves it to the server (StackAIPageSize).
	PageSize int `url:"page_size,omitempty"`
	// RefreshOAuthTokens asks the server to refresh the provider's OAuth tokens.
	RefreshOAuthTokens bool `url:"refresh_oauth_tokens,omitempty"`
}

// SearchResourcesParams selects a page of Resources.Search.
type SearchResourcesParams struct {
	// Query is the text to search for; it is required.
	Query string `url:"query"`
	// Cursor is the NextCursor of the previous page; empty starts at the first.
	Cursor string `url:"cursor,omitempty"`
	// PageSize is 1..StackAIMaxPageSize; 0 leaves it to the server (StackAIPageSize).
	PageSize int `url:"page_size,omitempty"`
	// RefreshOAuthTokens asks the server to refresh the provider's OAuth tokens.
	RefreshOAuthTokens bool `url:"refresh_oauth_tokens,omitempty"`
}

// stackCheckPageSize accepts 0 (server default) and 1..StackAIMaxPageSize.
func stackCheckPageSize(op string, n int) error {
	if n < 0 || n > StackAIMaxPageSize {
		return invalidParams(op, "page_size must be between 1 and %d, got %d", StackAIMaxPageSize, n)
	}
	return nil
}

// Get returns the resources of a connection by their IDs, keyed by ID. An ID the
// server knows nothing about maps to nil.
//
// resource_ids is optional on the page, so p may be nil and p.ResourceIDs empty:
// the request then carries no resource_ids, which selects no resource, and the
// server's answer is an empty object (so connapitest answers), returned as an empty,
// non-nil map. The page says nothing more about that case.
//
// API: GET /connections/{connection_id}/resources
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ResourcesService) Get(ctx context.Context, connectionID string, p *GetResourcesParams, opts ...RequestOption) (map[string]*models.Resource, *Response, error) {
	const op = "Resources.Get"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	var q GetResourcesParams
	if p != nil {
		q = *p
	}
	var out map[string]*models.Resource
	resp, err := s.client.do(ctx, opResourcesGet, "connections/"+id+"/resources", &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out == nil {
		out = map[string]*models.Resource{}
	}
	return out, resp, nil
}

// Children returns one page of the resources directly inside a directory of the
// connection (the root when p.ResourceID is empty). ChildrenIter walks all pages.
//
// API: GET /connections/{connection_id}/resources/children
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ResourcesService) Children(ctx context.Context, connectionID string, p *ListChildrenParams, opts ...RequestOption) (*models.ResourcePage, *Response, error) {
	const op = "Resources.Children"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	var q ListChildrenParams
	if p != nil {
		q = *p
	}
	if err := stackCheckPageSize(op, q.PageSize); err != nil {
		return nil, nil, err
	}
	var out models.ResourcePage
	resp, err := s.client.do(ctx, opResourcesChildren, "connections/"+id+"/resources/children", &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// ChildrenIter returns an iterator over all the resources directly inside a
// directory of the connection, from p.Cursor on. It follows next_cursor until the
// server sends none.
//
// API: GET /connections/{connection_id}/resources/children
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ResourcesService) ChildrenIter(ctx context.Context, connectionID string, p *ListChildrenParams, opts ...RequestOption) iter.Seq2[*models.Resource, error] {
	const op = "Resources.ChildrenIter"
	var base ListChildrenParams
	if p != nil {
		base = *p
	}
	if _, err := stackConnectionID(op, connectionID); err != nil {
		return errSeq[*models.Resource](err)
	}
	if err := stackCheckPageSize(op, base.PageSize); err != nil {
		return errSeq[*models.Resource](err)
	}
	return walk(ctx, base.Cursor, func(ctx context.Context, cursor string) ([]*models.Resource, string, bool, error) {
		q := base
		q.Cursor = cursor
		page, _, err := s.Children(ctx, connectionID, &q, opts...)
		if err != nil {
			return nil, cursor, false, err
		}
		return page.Data, page.NextCursor, page.NextCursor != "", nil
	}, s.client.pageOptions(opts)...)
}

// Search returns one page of the connection's resources that match p.Query.
// SearchIter walks all pages.
//
// API: GET /connections/{connection_id}/resources/search
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ResourcesService) Search(ctx context.Context, connectionID string, p *SearchResourcesParams, opts ...RequestOption) (*models.ResourcePage, *Response, error) {
	const op = "Resources.Search"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	if err := stackCheckSearch(op, p); err != nil {
		return nil, nil, err
	}
	q := *p
	var out models.ResourcePage
	resp, err := s.client.do(ctx, opResourcesSearch, "connections/"+id+"/resources/search", &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// SearchIter returns an iterator over all the connection's resources that match
// p.Query, from p.Cursor on. It follows next_cursor until the server sends none.
//
// API: GET /connections/{connection_id}/resources/search
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ResourcesService) SearchIter(ctx context.Context, connectionID string, p *SearchResourcesParams, opts ...RequestOption) iter.Seq2[*models.Resource, error] {
	const op = "Resources.SearchIter"
	if _, err := stackConnectionID(op, connectionID); err != nil {
		return errSeq[*models.Resource](err)
	}
	if err := stackCheckSearch(op, p); err != nil {
		return errSeq[*models.Resource](err)
	}
	base := *p
	return walk(ctx, base.Cursor, func(ctx context.Context, cursor string) ([]*models.Resource, string, bool, error) {
		q := base
		q.Cursor = cursor
		page, _, err := s.Search(ctx, connectionID, &q, opts...)
		if err != nil {
			return nil, cursor, false, err
		}
		return page.Data, page.NextCursor, page.NextCursor != "", nil
	}, s.client.pageOptions(opts)...)
}

func stackCheckSearch(op string, p *SearchResourcesParams) error {
	if p == nil || p.Query == "" {
		return invalidParams(op, "a search query is required")
	}
	return stackCheckPageSize(op, p.PageSize)
}
