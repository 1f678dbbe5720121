package connapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/connapi/connapi-go/models"
)

// OpenInt core connections (CoreConnectionsService).
//
// Base URL: https://api.openint.dev/v0/ (paths below are relative to it).
//
// Authentication: the core connection endpoints need only the organization API key,
// WithAPIKey, sent as "x-apikey"; a customer token works too, through WithBearerToken
// ("Authorization: Bearer …"). OpenInt's OpenAPI document declares x-apikey AND
// x-connection-id as required together on every operation, but that is an artefact of
// its generator: the server uses x-connection-id only to pick the remote connection
// of unified and proxy calls. WithConnectionID is therefore optional here; when it is
// set, it is sent as configured, on every call. The client sends exactly the
// credential headers it was configured with, and no others.
//
// Errors: OpenInt answers errors with tRPC bodies {"code":"NOT_FOUND","message":…,
// "issues":[…]}; they become *APIError with Code set to the tRPC code and one
// ErrorDetail per issue, so a 400 BAD_REQUEST with issues matches ErrValidation.
//
// IDs carry a prefix, which every method checks before sending anything: "conn_"
// for connections, "ccfg_" for connector configs, "int_" for integrations.

const (
	coreConnectionPath = "core/connection"

	coreConnectionPrefix      = "conn_"
	coreConnectorConfigPrefix = "ccfg_"
	coreIntegrationPrefix     = "int_"

	// DefaultCoreConnectionsPageSize is the page size ListIter asks for when
	// ListCoreConnectionsParams.Limit is zero.
	DefaultCoreConnectionsPageSize = 100
)

// Values of the Expand parameter of ListCoreConnectionsParams and
// GetCoreConnectionParams.
const (
	// CoreConnectionExpandIntegration adds CoreConnection.Integration.
	CoreConnectionExpandIntegration = "integration"
	// CoreConnectionExpandIntegrationConnector adds CoreConnection.Connector.
	CoreConnectionExpandIntegrationConnector = "integration.connector"
)

// ListCoreConnectionsParams filters and pages CoreConnectionsService.List and
// ListIter. The zero value lists everything the credential can see.
type ListCoreConnectionsParams struct {
	// Limit is the page size; 0 sends none (List) or DefaultCoreConnectionsPageSize
	// (ListIter). It must not be negative.
	Limit int `url:"limit,omitempty"`
	// Offset is how many connections to skip; it must not be negative.
	Offset int `url:"offset,omitempty"`
	// CustomerID keeps the connections of one customer. When set, it must not be
	// empty.
	CustomerID *string `url:"customerId,omitempty"`
	// ConnectorConfigID keeps the connections of one connector config ("ccfg_…").
	ConnectorConfigID string `url:"connectorConfigId,omitempty"`
	// ConnectorName keeps the connections of one connector, e.g. "hubspot".
	ConnectorName string `url:"connectorName,omitempty"`
	// ForceRefresh asks the server to refresh the connections' credentials (such
	// as an expired OAuth access token) before answering.
	ForceRefresh bool `url:"forceRefresh,omitempty"`
	// Expand names related objects to embed, sent comma-separated:
	// CoreConnectionExpandIntegration, CoreConnectionExpandIntegrationConnector.
	Expand []string `url:"expand,comma,omitempty"`
}

// GetCoreConnectionParams are the options of CoreConnectionsService.Get.
type GetCoreConnectionParams struct {
	// ForceRefresh asks the server to refresh the connection's credentials (such
	// as an expired OAuth access token) before answering.
	ForceRefresh bool `url:"forceRefresh,omitempty"`
	// Expand names related objects to embed, sent comma-separated:
	// CoreConnectionExpandIntegration, CoreConnectionExpandIntegrationConnector.
	Expand []string `url:"expand,comma,omitempty"`
}

// CreateCoreConnectionRequest is the body of CoreConnectionsService.Create. Nil and
// zero fields are not sent.
type CreateCoreConnectionRequest struct {
	// ConnectorConfigID is required and starts with "ccfg_".
	ConnectorConfigID string `json:"connectorConfigId"`
	// Settings are the connector-specific settings (credentials included).
	Settings map[string]any `json:"settings,omitzero"`
	// DisplayName is a human-readable name.
	DisplayName *string `json:"displayName,omitempty"`
	// CustomerID is your own id for the end user; when set it must not be empty.
	CustomerID *string `json:"customerId,omitempty"`
	// Disabled creates the connection disabled.
	Disabled *bool `json:"disabled,omitempty"`
	// Metadata is any JSON value (a map, a struct, json.RawMessage) to attach.
	Metadata any `json:"metadata,omitempty"`
	// IntegrationID ties the connection to an integration; it starts with "int_".
	IntegrationID *string `json:"integrationId,omitempty"`
}

// UpdateCoreConnectionRequest is the body of CoreConnectionsService.Update. Only the
// fields that are set are sent; the others keep their stored values.
//
// The page types Settings, DisplayName, CustomerID and IntegrationID as "… | null",
// so each is a models.Nullable with three states: absent (the zero value, not
// sent), models.Null (sent as null, which clears the field) and
// models.NewNullable(v) (sent as v):
//
//	&connapi.UpdateCoreConnectionRequest{
//		DisplayName: models.NewNullable("Acme CRM"),
//		CustomerID:  models.Null[string](),
//	}
type UpdateCoreConnectionRequest struct {
	// Settings replaces the connector-specific settings; null clears them.
	Settings models.Nullable[map[string]any] `json:"settings,omitzero"`
	// DisplayName is a human-readable name; null clears it.
	DisplayName models.Nullable[string] `json:"displayName,omitzero"`
	// Metadata is shallow-merged by the server into the stored metadata: each
	// top-level key given here replaces the stored key of the same name, and stored
	// keys not given are kept. A key given as null is stored as null; it is not
	// removed. Nested objects are replaced whole, not merged. Nil is not sent; to
	// send an explicit null, give json.RawMessage("null").
	Metadata any `json:"metadata,omitempty"`
	// Disabled enables or disables the connection (a boolean, not nullable).
	Disabled *bool `json:"disabled,omitempty"`
	// CustomerID moves the connection to another customer (minimum length 1: a
	// value must not be empty); null detaches it from its customer.
	CustomerID models.Nullable[string] `json:"customerId,omitzero"`
	// IntegrationID ties the connection to an integration (a value starts with
	// "int_"); null unties it.
	IntegrationID models.Nullable[string] `json:"integrationId,omitzero"`
}

// DeleteCoreConnectionParams are the options of CoreConnectionsService.Delete.
type DeleteCoreConnectionParams struct {
	// SkipRevoke (skipRevoke) deletes the connection without revoking its
	// credentials at the provider.
	SkipRevoke bool `url:"skipRevoke,omitempty"`
}

// CheckCoreConnectionRequest is the body of CoreConnectionsService.Check: options,
// each a bool or null on the wire. Nil fields are not sent; a field set to false is sent as
// false. OpenInt's spec does not describe these options; the notes below go by their
// names.
type CheckCoreConnectionRequest struct {
	// SkipCache (skipCache) checks with the provider rather than a cached result.
	SkipCache *bool `json:"skipCache,omitempty"`
	// Import (import) imports the connection's data as part of the check.
	Import *bool `json:"import,omitempty"`
	// UpdateWebhook (updateWebhook) registers the provider webhook again.
	UpdateWebhook *bool `json:"updateWebhook,omitempty"`
	// SandboxSimulateUpdate (sandboxSimulateUpdate), for sandbox connections,
	// simulates an update from the provider.
	SandboxSimulateUpdate *bool `json:"sandboxSimulateUpdate,omitempty"`
	// SandboxSimulateDisconnect (sandboxSimulateDisconnect), for sandbox
	// connections, simulates a disconnect by the provider.
	SandboxSimulateDisconnect *bool `json:"sandboxSimulateDisconnect,omitempty"`
}

// SyncCoreConnectionRequest is the body of CoreConnectionsService.Sync: options,
// whose nil fields are not sent.
type SyncCoreConnectionRequest struct {
	// Async runs the sync in the background; per OpenInt, it does not combine with
	// the other options yet.
	Async *bool `json:"async,omitempty"`
	// MetaOnly syncs the connection's metadata only, skipping its pipelines.
	MetaOnly *bool `json:"metaOnly,omitempty"`
	// FullResync drops the pipelines' state and syncs everything again.
	FullResync *bool `json:"fullResync,omitempty"`
	// TodoUpstreamRefresh asks the provider to refresh its data from the source
	// first (todo_upstreamRefresh: marked as unfinished by OpenInt).
	TodoUpstreamRefresh *bool `json:"todo_upstreamRefresh,omitempty"`
	// TodoRemoveUnsyncedData removes data not seen in this sync
	// (todo_removeUnsyncedData: marked as unfinished by OpenInt).
	TodoRemoveUnsyncedData *bool `json:"todo_removeUnsyncedData,omitempty"`
}

// List returns one page of OpenInt connections. The server answers with a bare
// array, with no total and no next-page flag: a page shorter than Limit is the last
// one. Use ListIter to walk every page. p may be nil.
//
// The API key alone (WithAPIKey) is enough; x-connection-id is not needed here,
// although the OpenInt spec marks it as required.
//
// API: GET /core/connection
// API docs: https://docs.openint.dev/api-reference/core/list-connections
func (s *CoreConnectionsService) List(ctx context.Context, p *ListCoreConnectionsParams, opts ...RequestOption) ([]*models.CoreConnection, *Response, error) {
	const op = "CoreConnections.List"
	if p == nil {
		p = &ListCoreConnectionsParams{}
	}
	if err := p.validate(op); err != nil {
		return nil, nil, err
	}
	var out []*models.CoreConnection
	resp, err := s.client.do(ctx, opCoreConnectionsList, coreConnectionPath, p, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ListIter returns an iterator over every OpenInt connection matching p, fetched
// page by page from p.Offset. It always sends a limit, p.Limit or else
// DefaultCoreConnectionsPageSize, because the server's answer has no total: the walk
// ends at the first page shorter than the limit, so a result that is an exact
// multiple of the limit costs one extra request, for the empty last page. If a server
// capped pages below the limit, the walk would end after the first page: keep Limit
// within what the server returns.
//
// The iterator is lazy, restartable (p is copied at the call, never modified), stops
// all I/O at break, and yields an error once, as its last value. Invalid parameters
// are yielded as ErrInvalidParams at the first step, without a request.
//
// API: GET /core/connection
// API docs: https://docs.openint.dev/api-reference/core/list-connections
func (s *CoreConnectionsService) ListIter(ctx context.Context, p *ListCoreConnectionsParams, opts ...RequestOption) iter.Seq2[*models.CoreConnection, error] {
	const op = "CoreConnections.ListIter"
	var base ListCoreConnectionsParams
	if p != nil {
		base = *p
		base.Expand = append([]string(nil), p.Expand...)
		if p.CustomerID != nil {
			base.CustomerID = Ptr(*p.CustomerID)
		}
	}
	if base.Limit == 0 {
		base.Limit = DefaultCoreConnectionsPageSize
	}
	if err := base.validate(op); err != nil {
		return errSeq[*models.CoreConnection](err)
	}
	return walk(ctx, base.Offset, func(ctx context.Context, offset int) ([]*models.CoreConnection, int, bool, error) {
		q := base
		q.Offset = offset
		items, _, err := s.List(ctx, &q, opts...)
		if err != nil {
			return nil, offset, false, err
		}
		return items, offset + len(items), len(items) >= q.Limit, nil
	}, s.client.pageOptions(opts)...)
}

// Create creates an OpenInt connection and returns its id ("conn_…"): the server
// answers with the bare id, not the object. Use CreateAndGet for the object. req is
// required, and req.ConnectorConfigID must start with "ccfg_".
//
// An answer that holds no id, or an id that is not "conn_…", is bad server output:
// the error is a *ResponseError, and an id that did come back is returned with it,
// since the connection may exist.
//
// Create is a POST: it is not retried once the request may have reached the server,
// since a repeat could create a second connection.
//
// API: POST /core/connection
// API docs: https://docs.openint.dev/api-reference/core/create-connection
func (s *CoreConnectionsService) Create(ctx context.Context, req *CreateCoreConnectionRequest, opts ...RequestOption) (string, *Response, error) {
	const op = "CoreConnections.Create"
	if err := req.validate(op); err != nil {
		return "", nil, err
	}
	var out createdCoreConnectionID
	resp, err := s.client.do(ctx, opCoreConnectionsCreate, coreConnectionPath, nil, req, &out, opts)
	if err != nil {
		return "", resp, err
	}
	id := string(out)
	switch {
	case id == "":
		return "", resp, coreCreateResponseError(resp, errors.New("no connection id in the response"))
	case !strings.HasPrefix(id, coreConnectionPrefix) || id == coreConnectionPrefix:
		// The connection may well exist: hand the id back with the error.
		return id, resp, coreCreateResponseError(resp, fmt.Errorf("the new connection's id %q does not have the form %s…", id, coreConnectionPrefix))
	}
	return id, resp, nil
}

// coreCreateResponseError reports a 2xx answer to Create that holds no usable id.
func coreCreateResponseError(resp *Response, err error) error {
	path := "/" + coreConnectionPath
	if resp.Request != nil && resp.Request.URL != nil {
		path = resp.Request.URL.EscapedPath()
	}
	return &ResponseError{
		Method:      http.MethodPost,
		Path:        path,
		StatusCode:  resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Err:         err,
	}
}

// CreateAndGet creates an OpenInt connection, then fetches it with p (which may be
// nil) and returns it. The *Response is the fetch's. If the creation succeeds but
// the fetch fails, the error names the new connection's id, which exists on the
// server; it still matches the fetch's error with errors.Is and errors.As.
//
// API: POST /core/connection
// API: GET /core/connection/{id}
// API docs: https://docs.openint.dev/api-reference/core/create-connection
func (s *CoreConnectionsService) CreateAndGet(ctx context.Context, req *CreateCoreConnectionRequest, p *GetCoreConnectionParams, opts ...RequestOption) (*models.CoreConnection, *Response, error) {
	const op = "CoreConnections.CreateAndGet"
	if err := req.validate(op); err != nil {
		return nil, nil, err
	}
	if err := p.validate(op); err != nil {
		return nil, nil, err
	}
	id, resp, err := s.Create(ctx, req, opts...)
	if err != nil {
		return nil, resp, err // a strange id is Create's *ResponseError, and no fetch is tried
	}
	conn, resp, err := s.Get(ctx, id, p, opts...)
	if err != nil {
		return nil, resp, fmt.Errorf("connapi: %s: connection %s was created, but fetching it failed: %w", op, id, err)
	}
	return conn, resp, nil
}

// Get returns one OpenInt connection, with the connector config it belongs to
// (ConnectorConfig) and, when p.Expand asks for them, its integration and connector.
// connectionID must start with "conn_". p may be nil.
//
// API: GET /core/connection/{id}
// API docs: https://docs.openint.dev/api-reference/core/get-connection
func (s *CoreConnectionsService) Get(ctx context.Context, connectionID string, p *GetCoreConnectionParams, opts ...RequestOption) (*models.CoreConnection, *Response, error) {
	const op = "CoreConnections.Get"
	path, err := coreConnectionIDPath(op, connectionID, "")
	if err != nil {
		return nil, nil, err
	}
	if err := p.validate(op); err != nil {
		return nil, nil, err
	}
	var q any
	if p != nil {
		q = p
	}
	var out models.CoreConnection
	resp, err := s.client.do(ctx, opCoreConnectionsGet, path, q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// Update changes an OpenInt connection and returns it. Only the fields set in req
// are sent (PATCH); Metadata is shallow-merged into the stored metadata by the
// server (see UpdateCoreConnectionRequest.Metadata). connectionID must start with "conn_".
// A nil req sends an empty object, which changes nothing.
//
// API: PATCH /core/connection/{id}
// API docs: https://docs.openint.dev/api-reference/core/update-connection
func (s *CoreConnectionsService) Update(ctx context.Context, connectionID string, req *UpdateCoreConnectionRequest, opts ...RequestOption) (*models.CoreConnection, *Response, error) {
	const op = "CoreConnections.Update"
	path, err := coreConnectionIDPath(op, connectionID, "")
	if err != nil {
		return nil, nil, err
	}
	if req == nil {
		req = &UpdateCoreConnectionRequest{}
	}
	if err := req.validate(op); err != nil {
		return nil, nil, err
	}
	var out models.CoreConnection
	resp, err := s.client.do(ctx, opCoreConnectionsUpdate, path, nil, req, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// Delete deletes an OpenInt connection. p.SkipRevoke asks the server not to revoke
// the connection's credentials at the provider first. The server answers {}, which
// is discarded. connectionID must start with "conn_". p may be nil. If an attempt
// failed after the server may have deleted it and the retry gets 404, the delete is
// taken as done: the error is nil and resp.AlreadyApplied is set.
//
// API: DELETE /core/connection/{id}
// API docs: https://docs.openint.dev/api-reference/core/delete-connection
func (s *CoreConnectionsService) Delete(ctx context.Context, connectionID string, p *DeleteCoreConnectionParams, opts ...RequestOption) (*Response, error) {
	const op = "CoreConnections.Delete"
	path, err := coreConnectionIDPath(op, connectionID, "")
	if err != nil {
		return nil, err
	}
	var q any
	if p != nil {
		q = p
	}
	return s.client.do(ctx, opCoreConnectionsDelete, path, q, nil, nil, opts)
}

// Check asks OpenInt to check an OpenInt connection against its provider, with the
// options in req (nil sends an empty object). OpenInt's spec leaves the answer untyped,
// so it is returned undecoded, exactly as the server sent it (possibly the literal
// null); it is nil for an empty body. Decode it with json.Unmarshal into the shape
// you expect. connectionID must start with "conn_".
//
// API: POST /core/connection/{id}/_check
// API docs: https://docs.openint.dev/api-reference/core/check-connection
func (s *CoreConnectionsService) Check(ctx context.Context, connectionID string, req *CheckCoreConnectionRequest, opts ...RequestOption) (json.RawMessage, *Response, error) {
	const op = "CoreConnections.Check"
	path, err := coreConnectionIDPath(op, connectionID, "/_check")
	if err != nil {
		return nil, nil, err
	}
	if req == nil {
		req = &CheckCoreConnectionRequest{}
	}
	var out json.RawMessage
	resp, err := s.client.do(ctx, opCoreConnectionsCheck, path, nil, req, &out, append(opts[:len(opts):len(opts)], emptyOK()))
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Sync starts a sync of an OpenInt connection, with the options in p (nil sends an
// empty object), and returns the ids of the events it emitted. connectionID must start
// with "conn_". Sync is a POST and is not retried once the request may have reached the
// server.
//
// API: POST /core/connection/{id}/_sync
// API docs: https://docs.openint.dev/api-reference/core/sync-connection
func (s *CoreConnectionsService) Sync(ctx context.Context, connectionID string, req *SyncCoreConnectionRequest, opts ...RequestOption) (*models.CoreConnectionSyncResult, *Response, error) {
	const op = "CoreConnections.Sync"
	path, err := coreConnectionIDPath(op, connectionID, "/_sync")
	if err != nil {
		return nil, nil, err
	}
	if req == nil {
		req = &SyncCoreConnectionRequest{}
	}
	var out models.CoreConnectionSyncResult
	resp, err := s.client.do(ctx, opCoreConnectionsSync, path, nil, req, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// createdCoreConnectionID reads Create's answer: the bare id as a JSON string, or,
// tolerantly, an object with an "id".
type createdCoreConnectionID string

func (c *createdCoreConnectionID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = createdCoreConnectionID(s)
		return nil
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return errors.New("expected the new connection id as a JSON string")
	}
	*c = createdCoreConnectionID(obj.ID)
	return nil
}

// coreConnectionIDPath checks a connection id and returns its path plus suffix.
func coreConnectionIDPath(op, id, suffix string) (string, error) {
	if err := checkPrefixedID(op, "id", id, coreConnectionPrefix); err != nil {
		return "", err
	}
	esc, err := pathParam(op, "id", id)
	if err != nil {
		return "", err
	}
	return coreConnectionPath + "/" + esc + suffix, nil
}

// checkPrefixedID applies OpenInt's "Must start with '<prefix>'" and refuses the
// bare prefix too: OpenInt's ids are the prefix and a generated part, so a bare
// prefix can name nothing (see docs/vendor-notes.md).
func checkPrefixedID(op, name, value, prefix string) error {
	switch {
	case value == "":
		return invalidParams(op, "%s is required", name)
	case !strings.HasPrefix(value, prefix):
		return invalidParams(op, "%s %q must start with %q", name, value, prefix)
	case value == prefix:
		return invalidParams(op, "%s %q has nothing after the %q prefix", name, value, prefix)
	}
	return nil
}

// checkCustomerID applies customerId's "Minimum length: 1" to a value that is set.
func checkCustomerID(op, name string, v *string) error {
	if v != nil && *v == "" {
		return invalidParams(op, "%s must not be empty when set (minimum length 1)", name)
	}
	return nil
}

func checkExpand(op string, expand []string) error {
	for _, e := range expand {
		if strings.TrimSpace(e) == "" || strings.Contains(e, ",") {
			return invalidParams(op, "expand entry %q must be a non-empty name without commas", e)
		}
	}
	return nil
}

func (p *ListCoreConnectionsParams) validate(op string) error {
	if p.Limit < 0 {
		return invalidParams(op, "limit must not be negative, not %d", p.Limit)
	}
	if p.Offset < 0 {
		return invalidParams(op, "offset must not be negative, not %d", p.Offset)
	}
	if err := checkCustomerID(op, "customerId", p.CustomerID); err != nil {
		return err
	}
	if p.ConnectorConfigID != "" {
		if err := checkPrefixedID(op, "connectorConfigId", p.ConnectorConfigID, coreConnectorConfigPrefix); err != nil {
			return err
		}
	}
	return checkExpand(op, p.Expand)
}

func (p *GetCoreConnectionParams) validate(op string) error {
	if p == nil {
		return nil
	}
	return checkExpand(op, p.Expand)
}

func (r *CreateCoreConnectionRequest) validate(op string) error {
	if r == nil {
		return invalidParams(op, "request is required")
	}
	if err := checkPrefixedID(op, "connectorConfigId", r.ConnectorConfigID, coreConnectorConfigPrefix); err != nil {
		return err
	}
	if err := checkCustomerID(op, "customerId", r.CustomerID); err != nil {
		return err
	}
	if r.IntegrationID != nil {
		return checkPrefixedID(op, "integrationId", *r.IntegrationID, coreIntegrationPrefix)
	}
	return nil
}

func (r *UpdateCoreConnectionRequest) validate(op string) error {
	if v, ok := r.CustomerID.Get(); ok {
		if err := checkCustomerID(op, "customerId", &v); err != nil {
			return err
		}
	}
	if v, ok := r.IntegrationID.Get(); ok {
		return checkPrefixedID(op, "integrationId", v, coreIntegrationPrefix)
	}
	return nil
}
