package connapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/connapi/connapi-go/models"
)

// Defaults of the Stack AI list endpoints.
const (
	// StackAIListLimit is the server's default limit of GET /connections (older
	// deployments used 100, so ListIter always sends the limit it walks with).
	StackAIListLimit = 1000
	// StackAIListPaginatedLimit is the server's default limit of GET /api/v1/connections.
	StackAIListPaginatedLimit = 10
	// StackAIPageSize is the server's default page_size of the resource listings.
	StackAIPageSize = 50
	// StackAIMaxPageSize is the largest page_size the resource listings accept.
	StackAIMaxPageSize = 1000
)

// ListConnectionsParams filters GET /connections.
type ListConnectionsParams struct {
	// ConnectionProvider keeps the connections of one provider (older API name).
	ConnectionProvider string `url:"connection_provider,omitempty"`
	// Limit is the page size; 0 leaves it to the server (StackAIListLimit).
	Limit int `url:"limit,omitempty"`
	// Offset is how many connections to skip.
	Offset int `url:"offset,omitempty"`
}

func (p *ListConnectionsParams) validate(op string) error {
	if p.Limit < 0 {
		return invalidParams(op, "limit must not be negative, got %d", p.Limit)
	}
	if p.Offset < 0 {
		return invalidParams(op, "offset must not be negative, got %d", p.Offset)
	}
	return nil
}

// SortDirection orders GET /api/v1/connections.
type SortDirection string

// Sort directions.
const (
	SortAsc  SortDirection = "asc"
	SortDesc SortDirection = "desc"
)

// ConnectionFilter is one field filter of GET /api/v1/connections, sent as the query
// key field__operator, e.g. {Field: "name", Operator: "icontains", Value: "drive"}
// becomes name__icontains=drive. With an empty Operator the key is the field alone.
type ConnectionFilter struct {
	Field    string
	Operator string
	Value    string
}

// key returns the query key of the filter.
func (f ConnectionFilter) key() string {
	if f.Operator == "" {
		return f.Field
	}
	return f.Field + "__" + f.Operator
}

// ListPaginatedConnectionsParams selects a page of GET /api/v1/connections.
type ListPaginatedConnectionsParams struct {
	// Limit is the page size; 0 leaves it to the server (StackAIListPaginatedLimit).
	Limit int
	// Offset is how many connections to skip.
	Offset int
	// SortBy names the field to sort on, e.g. "created_at"; empty leaves it to the
	// server, whose default is created_at.
	SortBy string
	// SortDir is SortAsc or SortDesc; empty leaves it to the server, whose default
	// is SortDesc (newest first).
	SortDir SortDirection
	// Filters are sent in order; several may share a key.
	Filters []ConnectionFilter
}

var stackReservedQueryKeys = map[string]bool{"limit": true, "offset": true, "sort_by": true, "sort_dir": true}

func (p *ListPaginatedConnectionsParams) validate(op string) error {
	if p.Limit < 0 {
		return invalidParams(op, "limit must not be negative, got %d", p.Limit)
	}
	if p.Offset < 0 {
		return invalidParams(op, "offset must not be negative, got %d", p.Offset)
	}
	switch p.SortDir {
	case "", SortAsc, SortDesc:
	default:
		return invalidParams(op, "sort_dir must be %q or %q, got %q", SortAsc, SortDesc, p.SortDir)
	}
	for i, f := range p.Filters {
		if strings.TrimSpace(f.Field) == "" || strings.ContainsAny(f.Field+f.Operator, " \t\r\n") {
			return invalidParams(op, "filter %d: field is required and field and operator must not contain spaces", i)
		}
		if stackReservedQueryKeys[f.key()] {
			return invalidParams(op, "filter %d: %q is a paging parameter, not a filter", i, f.key())
		}
	}
	return nil
}

func (p *ListPaginatedConnectionsParams) query() url.Values {
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	if p.SortBy != "" {
		q.Set("sort_by", p.SortBy)
	}
	if p.SortDir != "" {
		q.Set("sort_dir", string(p.SortDir))
	}
	for _, f := range p.Filters {
		q.Add(f.key(), f.Value)
	}
	return q
}

// GetConnectionParams are the options of Connections.Get.
type GetConnectionParams struct {
	// RefreshOAuthTokens asks the server to refresh the provider's OAuth tokens.
	RefreshOAuthTokens bool `url:"refresh_oauth_tokens,omitempty"`
}

// ConnectionHealthParams are the options of Connections.Health.
type ConnectionHealthParams struct {
	// RefreshOAuthTokens asks the server to refresh the provider's OAuth tokens
	// before it checks the connection. The current reference page lists no query
	// parameter for the health check (the older API had this one); it is sent only
	// when true, and a server that does not know it ignores it.
	RefreshOAuthTokens bool `url:"refresh_oauth_tokens,omitempty"`
}

// ListAvailableConnectionsParams are the options of Connections.ListAvailable. The
// endpoint takes none today; the type is there so that one it gains later is a new
// field, not a new signature. Pass nil.
type ListAvailableConnectionsParams struct{}

// DeleteConnectionParams are the options of Connections.Delete. The endpoint takes
// none today; pass nil.
type DeleteConnectionParams struct{}

// PatchConnectionRequest is the body of Connections.Patch.
type PatchConnectionRequest struct {
	// Name is the new name; it is required.
	Name string `json:"name"`
}

// ListAvailable returns the kinds of connection that can be configured, with the
// parameters each one takes. p may be nil.
//
// API: GET /connections/available
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) ListAvailable(ctx context.Context, p *ListAvailableConnectionsParams, opts ...RequestOption) ([]*models.AvailableConnection, *Response, error) {
	var out []*models.AvailableConnection
	resp, err := s.client.do(ctx, opConnectionsListAvailable, "connections/available", nil, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// List returns one page of the user's connections in the current organization. The
// server answers a bare array with no total: a page shorter than the limit is the
// last one. ListIter walks all pages.
//
// API: GET /connections
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) List(ctx context.Context, p *ListConnectionsParams, opts ...RequestOption) ([]*models.Connection, *Response, error) {
	const op = "Connections.List"
	var q ListConnectionsParams
	if p != nil {
		q = *p
	}
	if err := q.validate(op); err != nil {
		return nil, nil, err
	}
	var out []*models.Connection
	resp, err := s.client.do(ctx, opConnectionsList, "connections", &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ListIter returns an iterator over all the user's connections, from p.Offset on,
// fetched p.Limit at a time (StackAIListLimit when 0; the limit is always sent). A
// page shorter than the limit ends the walk; so does a server that caps the limit
// below the one asked for, so keep Limit at or below the server's maximum.
//
// API: GET /connections
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) ListIter(ctx context.Context, p *ListConnectionsParams, opts ...RequestOption) iter.Seq2[*models.Connection, error] {
	const op = "Connections.ListIter"
	var base ListConnectionsParams
	if p != nil {
		base = *p
	}
	if err := base.validate(op); err != nil {
		return errSeq[*models.Connection](err)
	}
	if base.Limit == 0 {
		base.Limit = StackAIListLimit
	}
	return walk(ctx, base.Offset, func(ctx context.Context, off int) ([]*models.Connection, int, bool, error) {
		q := base
		q.Offset = off
		items, _, err := s.List(ctx, &q, opts...)
		if err != nil {
			return nil, off, false, err
		}
		return items, off + len(items), len(items) >= q.Limit, nil
	}, s.client.pageOptions(opts)...)
}

// ListPaginated returns one page of the organization's connections, sorted and
// filtered. The response envelope is not documented; a bare array and an object
// with items and a total both decode (see models.ConnectionPage).
//
// API: GET /api/v1/connections
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) ListPaginated(ctx context.Context, p *ListPaginatedConnectionsParams, opts ...RequestOption) (*models.ConnectionPage, *Response, error) {
	const op = "Connections.ListPaginated"
	var q ListPaginatedConnectionsParams
	if p != nil {
		q = *p
	}
	if err := q.validate(op); err != nil {
		return nil, nil, err
	}
	var out models.ConnectionPage
	resp, err := s.client.do(ctx, opConnectionsListPaginated, "api/v1/connections", q.query(), nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// ListPaginatedIter returns an iterator over the connections ListPaginated pages
// through, from p.Offset on, p.Limit at a time (StackAIListPaginatedLimit when 0;
// the limit is always sent). The walk ends when the server says there is no more
// (has_more), when the offset reaches its total, or, when it sends neither, at a
// page shorter than the limit.
//
// API: GET /api/v1/connections
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) ListPaginatedIter(ctx context.Context, p *ListPaginatedConnectionsParams, opts ...RequestOption) iter.Seq2[*models.Connection, error] {
	const op = "Connections.ListPaginatedIter"
	var base ListPaginatedConnectionsParams
	if p != nil {
		base = *p
		base.Filters = append([]ConnectionFilter(nil), p.Filters...)
	}
	if err := base.validate(op); err != nil {
		return errSeq[*models.Connection](err)
	}
	if base.Limit == 0 {
		base.Limit = StackAIListPaginatedLimit
	}
	return walk(ctx, base.Offset, func(ctx context.Context, off int) ([]*models.Connection, int, bool, error) {
		q := base
		q.Offset = off
		page, _, err := s.ListPaginated(ctx, &q, opts...)
		if err != nil {
			return nil, off, false, err
		}
		next := off + len(page.Items)
		var more bool
		switch {
		case page.HasMore != nil:
			more = *page.HasMore
		case page.Total != nil:
			more = next < *page.Total
		default:
			more = len(page.Items) >= q.Limit
		}
		return page.Items, next, more && len(page.Items) > 0, nil
	}, s.client.pageOptions(opts)...)
}

// Create creates a connection in the user's current organization. ProviderID and
// ConnectionTypeID are required. The server answers 201 with the connection.
//
// API: POST /connections
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) Create(ctx context.Context, req *models.ConnectionRequest, opts ...RequestOption) (*models.Connection, *Response, error) {
	if err := stackCheckConnectionRequest("Connections.Create", req); err != nil {
		return nil, nil, err
	}
	var out models.Connection
	resp, err := s.client.do(ctx, opConnectionsCreate, "connections", nil, req, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// Get returns the connection with the given UUID.
//
// API: GET /connections/{connection_id}
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) Get(ctx context.Context, connectionID string, p *GetConnectionParams, opts ...RequestOption) (*models.Connection, *Response, error) {
	id, err := stackConnectionID("Connections.Get", connectionID)
	if err != nil {
		return nil, nil, err
	}
	var q GetConnectionParams
	if p != nil {
		q = *p
	}
	var out models.Connection
	resp, err := s.client.do(ctx, opConnectionsGet, "connections/"+id, &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// Update replaces the connection with the given UUID. ProviderID and
// ConnectionTypeID are required.
//
// API: PUT /connections/{connection_id}
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) Update(ctx context.Context, connectionID string, req *models.ConnectionRequest, opts ...RequestOption) (*models.Connection, *Response, error) {
	const op = "Connections.Update"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	if err := stackCheckConnectionRequest(op, req); err != nil {
		return nil, nil, err
	}
	var out models.Connection
	resp, err := s.client.do(ctx, opConnectionsUpdate, "connections/"+id, nil, req, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// Patch renames the connection with the given UUID.
//
// API: PATCH /connections/{connection_id}
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) Patch(ctx context.Context, connectionID string, req *PatchConnectionRequest, opts ...RequestOption) (*models.Connection, *Response, error) {
	const op = "Connections.Patch"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	if req == nil || req.Name == "" {
		return nil, nil, invalidParams(op, "name is required")
	}
	var out models.Connection
	resp, err := s.client.do(ctx, opConnectionsPatch, "connections/"+id, nil, req, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// Delete deletes the connection with the given UUID. The server answers 204. p
// may be nil. If an attempt failed after the server may have deleted it and the
// retry gets 404, the delete is taken as done: the error is nil and
// resp.AlreadyApplied is set.
//
// API: DELETE /connections/{connection_id}
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) Delete(ctx context.Context, connectionID string, p *DeleteConnectionParams, opts ...RequestOption) (*Response, error) {
	id, err := stackConnectionID("Connections.Delete", connectionID)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, opConnectionsDelete, "connections/"+id, nil, nil, nil, opts)
}

// Health checks the connection with the given UUID against its provider. The
// vendor's page documents no schema for the answer ("Successful Response",
// application/json), so it is returned as the decoded JSON object (empty, never
// nil, when the server sends {} or nothing).
//
// API: GET /connections/{connection_id}/health
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *ConnectionsService) Health(ctx context.Context, connectionID string, p *ConnectionHealthParams, opts ...RequestOption) (map[string]any, *Response, error) {
	id, err := stackConnectionID("Connections.Health", connectionID)
	if err != nil {
		return nil, nil, err
	}
	var q ConnectionHealthParams
	if p != nil {
		q = *p
	}
	var out map[string]any
	resp, err := s.client.do(ctx, opConnectionsHealth, "connections/"+id+"/health", &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out == nil {
		out = map[string]any{}
	}
	return out, resp, nil
}

// stackConnectionID checks that a connection ID is a UUID and returns it escaped.
func stackConnectionID(op, id string) (string, error) {
	return stackUUIDParam(op, "connection ID", id)
}

// stackUUIDParam checks that value is a UUID (8-4-4-4-12 hex digits) and returns it
// escaped for a path.
func stackUUIDParam(op, name, value string) (string, error) {
	if value == "" {
		return "", invalidParams(op, "%s is required", name)
	}
	if !stackIsUUID(value) {
		return "", invalidParams(op, "%s must be a UUID, got %q", name, stackShorten(value))
	}
	return pathParam(op, name, value)
}

func stackIsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// stackShorten keeps an echoed argument short in an error message.
func stackShorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// stackCheckConnectionRequest checks the fields the page requires. An empty string
// is Go's "not set" and is refused; any other string, blank ones included, is sent
// (connection_provider_data, also required, is always sent: nil goes as {}).
func stackCheckConnectionRequest(op string, req *models.ConnectionRequest) error {
	switch {
	case req == nil:
		return invalidParams(op, "a ConnectionRequest is required")
	case req.ProviderID == "":
		return invalidParams(op, "provider_id is required")
	case req.ConnectionTypeID == "":
		return invalidParams(op, "connection_type_id is required")
	}
	return nil
}
