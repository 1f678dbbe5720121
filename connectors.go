package connapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/connapi/connapi-go/internal/jsonread"
	"github.com/connapi/connapi-go/models"
	"github.com/connapi/connapi-go/pagination"
)

// PipesHub connector instances. Every path is relative to the platform's base URL,
// https://app.pipeshub.com/api/v1/ (PipesHubBaseURL) or a self-hosted
// {instance}/api/v1/.
//
// PipesHub's backend departs from its spec in several answers (instance and page
// shapes, 200 instead of 201 on create, 202 on delete, a nested page from
// /connectors/configured, no instance in a toggle's answer). The methods and the
// models accept both; the doc of each method says where they differ.

// maxConnectorInstanceName is the longest instance name PipesHub accepts, in characters.
const maxConnectorInstanceName = 100

// ListConnectorInstancesParams are the query parameters of List and ListIter.
type ListConnectorInstancesParams struct {
	// Scope is team or personal. PipesHub's gateway refuses GET /connectors without
	// a scope, so when Scope is empty the SDK sends the upstream default, team.
	Scope models.ConnectorScope `url:"scope,omitempty"`
	// Page is the 1-based page number; 0 leaves it to the server (1).
	Page int `url:"page,omitempty"`
	// Limit is the page size, 1 to 200; 0 leaves it to the server (20).
	Limit int `url:"limit,omitempty"`
	// Search matches instance name, type and app group.
	Search string `url:"search,omitempty"`
	// IsAuthenticated, when set, keeps only instances in that state (upstream spec).
	IsAuthenticated *bool `url:"isAuthenticated,omitempty"`
	// IsActive, when set, keeps only active or only inactive instances (upstream spec).
	IsActive *bool `url:"isActive,omitempty"`
	// ConnectorType keeps only instances of this exact type, e.g. "Confluence"
	// (upstream spec; case-sensitive).
	ConnectorType string `url:"connectorType,omitempty"`
}

// ListConfiguredConnectorsParams are the query parameters of ListConfigured and
// ListConfiguredIter.
type ListConfiguredConnectorsParams struct {
	// Scope is team or personal; empty means both.
	Scope models.ConnectorScope `url:"scope,omitempty"`
	// Page is the 1-based page number; 0 leaves it to the server (1).
	Page int `url:"page,omitempty"`
	// Limit is the page size, 1 to 200; 0 leaves it to the server (20).
	Limit int `url:"limit,omitempty"`
	// Search matches names.
	Search string `url:"search,omitempty"`
}

// ListActiveAgentConnectorsParams are the query parameters of ListActiveAgents and
// ListActiveAgentsIter.
type ListActiveAgentConnectorsParams struct {
	// Scope is team or personal; empty means both.
	Scope models.ConnectorScope `url:"scope,omitempty"`
	// Page is the 1-based page number; 0 leaves it to the server (1).
	Page int `url:"page,omitempty"`
	// Limit is the page size, 1 to 200; 0 leaves it to the server (20).
	Limit int `url:"limit,omitempty"`
	// Search matches names.
	Search string `url:"search,omitempty"`
}

// ConnectorRegistryParams are the query parameters of Registry and RegistryIter.
type ConnectorRegistryParams struct {
	// Scope is team or personal; empty means both, and the backend then lists each
	// type's scopes as an array.
	Scope models.ConnectorScope `url:"scope,omitempty"`
	// Page is the 1-based page number; 0 leaves it to the server (1).
	Page int `url:"page,omitempty"`
	// Limit is the page size, 1 to 200; 0 leaves it to the server (20).
	Limit int `url:"limit,omitempty"`
	// Search matches names.
	Search string `url:"search,omitempty"`
}

// connectorPageQuery is the query the three page types above share today. Each
// converts to it; a parameter one endpoint gains goes on its own type only.
type connectorPageQuery struct {
	Scope  models.ConnectorScope `url:"scope,omitempty"`
	Page   int                   `url:"page,omitempty"`
	Limit  int                   `url:"limit,omitempty"`
	Search string                `url:"search,omitempty"`
}

// ListActiveConnectorsParams are the options of ListActive. The endpoint takes
// none today; the type is there so that one it gains later is a new field, not a
// new signature. Pass nil.
type ListActiveConnectorsParams struct{}

// ListInactiveConnectorsParams are the options of ListInactive. The endpoint takes
// none today; pass nil.
type ListInactiveConnectorsParams struct{}

// GetConnectorParams are the options of Get. The endpoint takes none today; pass
// nil.
type GetConnectorParams struct{}

// DeleteConnectorParams are the options of Delete. The endpoint takes none today;
// pass nil.
type DeleteConnectorParams struct{}

// UpdateConnectorNameRequest is the body of UpdateName.
type UpdateConnectorNameRequest struct {
	// InstanceName is the new display name, 1 to 100 characters. Required.
	InstanceName string `json:"instanceName"`
}

// GetConnectorConfigParams are the options of GetConfig. The endpoint takes none
// today; pass nil.
type GetConnectorConfigParams struct{}

// GetConnectorFiltersParams are the options of GetFilters. The endpoint takes none
// today; pass nil.
type GetConnectorFiltersParams struct{}

// ConnectorSchemaParams are the options of Schema. The endpoint takes none today;
// pass nil.
type ConnectorSchemaParams struct{}

// CreateConnectorRequest is the body of Create.
type CreateConnectorRequest struct {
	// ConnectorType is a registry type, e.g. "google-drive" or "Confluence". Required.
	ConnectorType string `json:"connectorType"`
	// InstanceName is the display name, 1 to 100 characters. Required.
	InstanceName string `json:"instanceName"`
	// Scope is team (admins only) or personal. Required.
	Scope models.ConnectorScope `json:"scope"`
	// AuthType picks one of the type's auth methods, when it has several.
	AuthType models.AuthType `json:"authType,omitempty"`
	// Config is an optional initial configuration; it can also be set later.
	Config *models.ConnectorConfigSections `json:"config,omitempty"`
	// BaseURL is the service's URL for self-hosted services (Confluence Server,
	// GitLab Self-Managed, …); an absolute http or https URL.
	BaseURL string `json:"baseUrl,omitempty"`
	// OAuthConfigID picks an admin-created OAuth app (upstream spec; required of
	// non-admins creating OAuth connectors).
	OAuthConfigID string `json:"oauthConfigId,omitempty"`
}

// UpdateConnectorConfigRequest is the body of UpdateConfig. Only the sections given
// are changed.
type UpdateConnectorConfigRequest struct {
	Auth    *models.ConnectorAuthConfig    `json:"auth,omitempty"`
	Sync    *models.ConnectorSyncConfig    `json:"sync,omitempty"`
	Filters *models.ConnectorFiltersConfig `json:"filters,omitempty"`
	// BaseURL is an absolute http or https URL, for self-hosted services and OAuth
	// redirects.
	BaseURL string `json:"baseUrl,omitempty"`
	// OAuthConfigID picks an admin-created OAuth app.
	OAuthConfigID string `json:"oauthConfigId,omitempty"`
}

// UpdateConnectorAuthConfigRequest is the body of UpdateAuthConfig.
type UpdateConnectorAuthConfigRequest struct {
	// Auth is the new auth section. Required.
	Auth *models.ConnectorAuthConfig `json:"auth"`
	// BaseURL is an absolute http or https URL, if it changes with the credentials.
	BaseURL string `json:"baseUrl,omitempty"`
}

// UpdateConnectorFiltersSyncRequest is the body of UpdateFiltersSyncConfig. Every
// member is optional, as in both PipesHub specs: only the ones given are sent.
type UpdateConnectorFiltersSyncRequest struct {
	Sync    *models.ConnectorSyncConfig    `json:"sync,omitempty"`
	Filters *models.ConnectorFiltersConfig `json:"filters,omitempty"`
	// BaseURL is an absolute http or https URL.
	BaseURL string `json:"baseUrl,omitempty"`
}

// ConnectorAuthorizationURLParams are the query parameters of AuthorizationURL.
type ConnectorAuthorizationURLParams struct {
	// BaseURL is the frontend's URL for a self-hosted PipesHub; an absolute http or
	// https URL.
	BaseURL string `url:"baseUrl,omitempty"`
}

// ConnectorOAuthCallbackParams are what the OAuth provider sent to the callback.
// Code and State, or Error, are required.
type ConnectorOAuthCallbackParams struct {
	Code  string `url:"code,omitempty"`
	State string `url:"state,omitempty"`
	// Error is the provider's error code, e.g. "access_denied".
	Error string `url:"error,omitempty"`
	// BaseURL is the frontend URL to build redirects on; an absolute http or https URL.
	BaseURL string `url:"baseUrl,omitempty"`
}

// SaveConnectorFiltersRequest is the body of SaveFilters.
type SaveConnectorFiltersRequest struct {
	// Filters are the selections, keyed by filter field name. Required: nil is
	// refused; an empty map is sent as {} and saves no selection.
	Filters map[string]any `json:"filters"`
}

// ConnectorFilterOptionsParams are the query parameters of FilterOptions.
type ConnectorFilterOptionsParams struct {
	// Page is the 1-based page number; 0 leaves it to the server (1).
	Page int `url:"page,omitempty"`
	// Limit is the page size, 1 to 100; 0 leaves it to the server (20).
	Limit int `url:"limit,omitempty"`
	// Search filters the options by text.
	Search string `url:"search,omitempty"`
	// Cursor is the previous page's ConnectorFilterFieldOptions.Cursor, for
	// services that page by cursor.
	Cursor string `url:"cursor,omitempty"`
	// ContextGroupPath scopes GitLab project_ids options to these group paths
	// (upstream spec).
	ContextGroupPath []string `url:"contextGroupPath,omitempty"`
	// ExcludeContextGroupPath leaves out projects of these group paths (upstream spec).
	ExcludeContextGroupPath []string `url:"excludeContextGroupPath,omitempty"`
}

// ToggleConnectorRequest is the body of Toggle: {type}, as both PipesHub specs
// define it. (A full resync is asked for with the upstream resync operation, not
// here.)
type ToggleConnectorRequest struct {
	// Type is sync or agent. Required.
	Type models.ConnectorToggleType `json:"type"`
}

// ---- lists

// List returns one page of the connector instances the caller can see. When
// p.Scope is empty it sends scope=team, the upstream default, because PipesHub's
// gateway answers 400 "Scope is required" to a list without a scope. Use ListIter
// to walk every page.
//
// API: GET /connectors
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) List(ctx context.Context, p *ListConnectorInstancesParams, opts ...RequestOption) (*models.ConnectorInstanceList, *Response, error) {
	const op = "ConnectorInstances.List"
	var q ListConnectorInstancesParams
	if p != nil {
		q = *p
	}
	if err := checkConnectorPage(op, q.Scope, q.Page, q.Limit, models.ConnectorPageLimitMax); err != nil {
		return nil, nil, err
	}
	if q.Scope == "" {
		q.Scope = models.ConnectorScopeTeam
	}
	return s.list(ctx, opConnectorInstancesList, "connectors", &q, opts)
}

// ListIter walks every page of List, from p.Page (default 1). The walk ends when
// the server says so (hasNext or hasMore false, nextPage null), or on a short page
// when it says nothing. Like List, it sends scope=team when p.Scope is empty.
// Nothing is fetched before the first step; breaking out stops all requests; each
// range starts again from p.Page.
//
// API: GET /connectors
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) ListIter(ctx context.Context, p *ListConnectorInstancesParams, opts ...RequestOption) iter.Seq2[*models.ConnectorInstance, error] {
	var base ListConnectorInstancesParams
	if p != nil {
		base = *p
	}
	return walkConnectorPages(ctx, base.Page, base.Limit, func(ctx context.Context, page int) ([]*models.ConnectorInstance, *models.ConnectorPagination, error) {
		q := base
		q.Page = page
		l, _, err := s.List(ctx, &q, opts...)
		if err != nil {
			return nil, nil, err
		}
		return l.Connectors, l.Pagination, nil
	}, s.client.pageOptions(opts)...)
}

// ListConfigured returns one page of the instances whose configuration is
// complete (isConfigured). The backend nests this page one level down
// ({connectors: {connectors, pagination}}); the result is the same either way.
//
// API: GET /connectors/configured
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) ListConfigured(ctx context.Context, p *ListConfiguredConnectorsParams, opts ...RequestOption) (*models.ConnectorInstanceList, *Response, error) {
	var q connectorPageQuery
	if p != nil {
		q = connectorPageQuery(*p)
	}
	return s.listPage(ctx, opConnectorInstancesListConfigured, "connectors/configured", q, opts)
}

// ListConfiguredIter walks every page of ListConfigured; see ListIter for how the
// walk ends.
//
// API: GET /connectors/configured
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) ListConfiguredIter(ctx context.Context, p *ListConfiguredConnectorsParams, opts ...RequestOption) iter.Seq2[*models.ConnectorInstance, error] {
	var base ListConfiguredConnectorsParams
	if p != nil {
		base = *p
	}
	return walkConnectorPages(ctx, base.Page, base.Limit, func(ctx context.Context, page int) ([]*models.ConnectorInstance, *models.ConnectorPagination, error) {
		q := base
		q.Page = page
		l, _, err := s.ListConfigured(ctx, &q, opts...)
		if err != nil {
			return nil, nil, err
		}
		return l.Connectors, l.Pagination, nil
	}, s.client.pageOptions(opts)...)
}

// ListActiveAgents returns one page of the instances enabled for AI agents
// (agentEnabled, isAgentActive on the backend).
//
// API: GET /connectors/agents/active
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) ListActiveAgents(ctx context.Context, p *ListActiveAgentConnectorsParams, opts ...RequestOption) (*models.ConnectorInstanceList, *Response, error) {
	var q connectorPageQuery
	if p != nil {
		q = connectorPageQuery(*p)
	}
	return s.listPage(ctx, opConnectorInstancesListActiveAgents, "connectors/agents/active", q, opts)
}

// ListActiveAgentsIter walks every page of ListActiveAgents; see ListIter for how
// the walk ends.
//
// API: GET /connectors/agents/active
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) ListActiveAgentsIter(ctx context.Context, p *ListActiveAgentConnectorsParams, opts ...RequestOption) iter.Seq2[*models.ConnectorInstance, error] {
	var base ListActiveAgentConnectorsParams
	if p != nil {
		base = *p
	}
	return walkConnectorPages(ctx, base.Page, base.Limit, func(ctx context.Context, page int) ([]*models.ConnectorInstance, *models.ConnectorPagination, error) {
		q := base
		q.Page = page
		l, _, err := s.ListActiveAgents(ctx, &q, opts...)
		if err != nil {
			return nil, nil, err
		}
		return l.Connectors, l.Pagination, nil
	}, s.client.pageOptions(opts)...)
}

// ListActive returns every active (enabled) instance, in one unpaged list. p may be
// nil.
//
// API: GET /connectors/active
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) ListActive(ctx context.Context, p *ListActiveConnectorsParams, opts ...RequestOption) (*models.ConnectorInstanceList, *Response, error) {
	return s.list(ctx, opConnectorInstancesListActive, "connectors/active", nil, opts)
}

// ListInactive returns every inactive (disabled) instance, in one unpaged list. p
// may be nil.
//
// API: GET /connectors/inactive
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) ListInactive(ctx context.Context, p *ListInactiveConnectorsParams, opts ...RequestOption) (*models.ConnectorInstanceList, *Response, error) {
	return s.list(ctx, opConnectorInstancesListInactive, "connectors/inactive", nil, opts)
}

func (s *ConnectorInstancesService) listPage(ctx context.Context, op *Operation, path string, q connectorPageQuery, opts []RequestOption) (*models.ConnectorInstanceList, *Response, error) {
	if err := checkConnectorPage(op.name, q.Scope, q.Page, q.Limit, models.ConnectorPageLimitMax); err != nil {
		return nil, nil, err
	}
	return s.list(ctx, op, path, &q, opts)
}

func (s *ConnectorInstancesService) list(ctx context.Context, op *Operation, path string, q any, opts []RequestOption) (*models.ConnectorInstanceList, *Response, error) {
	var out models.ConnectorInstanceList
	resp, err := s.client.do(ctx, op, path, q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// connectorEnvelope is the {success, connector} answer of the calls that return
// one instance. It reads what encoding/json reads into
// struct{ Connector *models.ConnectorInstance `json:"connector"` } (the member
// named connector without regard to case, the last one when repeated, null as
// none), with jsonread: encoding/json would check the body, scan over the instance,
// then hand it to its decoder; here it is scanned once before it is decoded.
type connectorEnvelope struct {
	Connector *models.ConnectorInstance
}

// UnmarshalJSON implements json.Unmarshaler.
func (e *connectorEnvelope) UnmarshalJSON(b []byte) error {
	var r jsonread.Reader
	r.Reset(b)
	if r.Null() {
		return r.End()
	}
	if !r.Object() {
		if err := r.Err(); err != nil {
			return err
		}
		return fmt.Errorf("cannot read a value starting with %q as the {success, connector} object", r.Peek())
	}
	for first := true; ; {
		key := r.Member(&first)
		if key == nil {
			break
		}
		if !bytes.EqualFold(key, []byte("connector")) {
			r.Skip()
			continue
		}
		if r.Null() {
			e.Connector = nil
			continue
		}
		raw := r.Skip()
		if r.Err() != nil {
			break
		}
		c := new(models.ConnectorInstance)
		if err := c.UnmarshalJSON(raw); err != nil {
			return err
		}
		e.Connector = c
	}
	return r.End()
}

// onePassModel returns out as a json.Unmarshaler when it is a model whose
// UnmarshalJSON checks all of its JSON while reading it in one pass (the PipesHub
// types that come in pages, models/pipeshub_decode.go). decodeBody hands such a
// model the body directly: through json.Unmarshal, encoding/json would first check
// the body and then scan over it once more, which costs twice the decoding itself.
func onePassModel(out any) (json.Unmarshaler, bool) {
	switch v := out.(type) {
	case *models.ConnectorInstanceList:
		return v, true
	case *models.ConnectorInstance:
		return v, true
	case *models.ConnectorPagination:
		return v, true
	case *models.ConnectorType:
		return v, true
	case *connectorEnvelope:
		return v, true
	}
	return nil, false
}

// walkConnectorPages is the page-number walk behind every iterator of this
// service. start 0 means page 1; a negative start reaches fetch, whose List call
// rejects it.
func walkConnectorPages[T any](ctx context.Context, start, limit int, fetch func(context.Context, int) ([]T, *models.ConnectorPagination, error), popts ...pagination.Option) iter.Seq2[T, error] {
	if start == 0 {
		start = 1
	}
	return walk(ctx, start, func(ctx context.Context, page int) ([]T, int, bool, error) {
		items, pg, err := fetch(ctx, page)
		if err != nil {
			return nil, page, false, err
		}
		next, more := pg.Next(page, limit, len(items))
		return items, next, more, nil
	}, popts...)
}

// ---- one instance

// Create creates a connector instance from a registry type. It is created
// unconfigured: set its auth with UpdateAuthConfig, run AuthorizationURL for OAuth
// types, pick filters with SaveFilters, then switch it on with Toggle. The spec
// answers 201 and the backend 200; both are accepted. The backend's answer holds
// only connectorId, connectorType, instanceName, scope, createdBy, isConfigured and
// isAuthenticated.
//
// API: POST /connectors
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) Create(ctx context.Context, r *CreateConnectorRequest, opts ...RequestOption) (*models.ConnectorInstance, *Response, error) {
	const op = "ConnectorInstances.Create"
	if r == nil {
		return nil, nil, invalidParams(op, "request is required")
	}
	if r.ConnectorType == "" {
		return nil, nil, invalidParams(op, "connectorType is required")
	}
	if err := checkConnectorInstanceName(op, r.InstanceName); err != nil {
		return nil, nil, err
	}
	if r.Scope == "" {
		return nil, nil, invalidParams(op, "scope is required (team or personal)")
	}
	if err := checkConnectorScope(op, r.Scope); err != nil {
		return nil, nil, err
	}
	if err := checkConnectorBaseURL(op, "baseUrl", r.BaseURL); err != nil {
		return nil, nil, err
	}
	return s.instance(ctx, opConnectorInstancesCreate, "connectors", r, opts)
}

// Get returns a connector instance. The backend's answer also carries the
// instance's stored settings in Config. p may be nil.
//
// API: GET /connectors/{connectorId}
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) Get(ctx context.Context, connectorID string, p *GetConnectorParams, opts ...RequestOption) (*models.ConnectorInstance, *Response, error) {
	path, err := connectorPath("ConnectorInstances.Get", connectorID, "")
	if err != nil {
		return nil, nil, err
	}
	return s.instance(ctx, opConnectorInstancesGet, path, nil, opts)
}

// Delete deletes a connector instance; synced records stay in the knowledge
// bases. p may be nil. The spec answers 200: the instance is gone. The backend
// answers 202 Accepted (status "DELETING") and finishes in the background: check
// resp.StatusCode == http.StatusAccepted to tell the two apart; the body is
// discarded (models.ConnectorDeleteResult describes it). If an attempt failed after
// the server may have deleted it and the retry gets 404, the delete is taken as
// done: the error is nil and resp.AlreadyApplied is set.
//
// API: DELETE /connectors/{connectorId}
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) Delete(ctx context.Context, connectorID string, p *DeleteConnectorParams, opts ...RequestOption) (*Response, error) {
	path, err := connectorPath("ConnectorInstances.Delete", connectorID, "")
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, opConnectorInstancesDelete, path, nil, nil, nil, opts)
}

// UpdateName renames a connector instance; req.InstanceName is 1 to 100
// characters. The backend's answer holds only the id and the new name.
//
// API: PUT /connectors/{connectorId}/name
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) UpdateName(ctx context.Context, connectorID string, req *UpdateConnectorNameRequest, opts ...RequestOption) (*models.ConnectorInstance, *Response, error) {
	const op = "ConnectorInstances.UpdateName"
	path, err := connectorPath(op, connectorID, "/name")
	if err != nil {
		return nil, nil, err
	}
	if req == nil {
		return nil, nil, invalidParams(op, "instanceName is required")
	}
	if err := checkConnectorInstanceName(op, req.InstanceName); err != nil {
		return nil, nil, err
	}
	return s.instance(ctx, opConnectorInstancesUpdateName, path, req, opts)
}

// instance sends a call whose answer is {success, connector} and unwraps it.
func (s *ConnectorInstancesService) instance(ctx context.Context, op *Operation, path string, body any, opts []RequestOption) (*models.ConnectorInstance, *Response, error) {
	var out connectorEnvelope
	resp, err := s.client.do(ctx, op, path, nil, body, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.Connector == nil {
		return nil, resp, connectorMissingMember(resp, "connector")
	}
	return out.Connector, resp, nil
}

// ---- configuration

// GetConfig returns a connector instance's configuration. Credentials are redacted
// by the server. p may be nil.
//
// API: GET /connectors/{connectorId}/config
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) GetConfig(ctx context.Context, connectorID string, p *GetConnectorConfigParams, opts ...RequestOption) (*models.ConnectorConfig, *Response, error) {
	path, err := connectorPath("ConnectorInstances.GetConfig", connectorID, "/config")
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Config *models.ConnectorConfig `json:"config"`
	}
	resp, err := s.client.do(ctx, opConnectorInstancesGetConfig, path, nil, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.Config == nil {
		return nil, resp, connectorMissingMember(resp, "config")
	}
	return out.Config, resp, nil
}

// UpdateConfig changes the sections of a connector's configuration that r gives.
// The connector must be switched off first (Toggle), else the server answers 400.
// Changing the auth section clears the stored OAuth tokens.
//
// API: PUT /connectors/{connectorId}/config
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) UpdateConfig(ctx context.Context, connectorID string, r *UpdateConnectorConfigRequest, opts ...RequestOption) (*models.ConnectorConfigUpdate, *Response, error) {
	const op = "ConnectorInstances.UpdateConfig"
	path, err := connectorPath(op, connectorID, "/config")
	if err != nil {
		return nil, nil, err
	}
	if r == nil {
		return nil, nil, invalidParams(op, "request is required")
	}
	if err := checkConnectorBaseURL(op, "baseUrl", r.BaseURL); err != nil {
		return nil, nil, err
	}
	return s.configUpdate(ctx, opConnectorInstancesUpdateConfig, path, r, opts)
}

// UpdateAuthConfig replaces the auth section of a connector's configuration, for
// example to rotate credentials. It clears the stored OAuth tokens and marks the
// instance unauthenticated and inactive: run the OAuth flow again and switch it
// back on. The connector must be switched off first.
//
// API: PUT /connectors/{connectorId}/config/auth
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) UpdateAuthConfig(ctx context.Context, connectorID string, r *UpdateConnectorAuthConfigRequest, opts ...RequestOption) (*models.ConnectorConfigUpdate, *Response, error) {
	const op = "ConnectorInstances.UpdateAuthConfig"
	path, err := connectorPath(op, connectorID, "/config/auth")
	if err != nil {
		return nil, nil, err
	}
	if r == nil || r.Auth == nil {
		return nil, nil, invalidParams(op, "auth is required")
	}
	if err := checkConnectorBaseURL(op, "baseUrl", r.BaseURL); err != nil {
		return nil, nil, err
	}
	return s.configUpdate(ctx, opConnectorInstancesUpdateAuthConfig, path, r, opts)
}

// UpdateFiltersSyncConfig changes the filter and sync sections without touching
// auth. The connector must be authenticated and switched off. SyncFiltersChanged in
// the answer says whether a full resync is due.
//
// API: PUT /connectors/{connectorId}/config/filters-sync
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) UpdateFiltersSyncConfig(ctx context.Context, connectorID string, r *UpdateConnectorFiltersSyncRequest, opts ...RequestOption) (*models.ConnectorConfigUpdate, *Response, error) {
	const op = "ConnectorInstances.UpdateFiltersSyncConfig"
	path, err := connectorPath(op, connectorID, "/config/filters-sync")
	if err != nil {
		return nil, nil, err
	}
	if r == nil {
		return nil, nil, invalidParams(op, "request is required")
	}
	if err := checkConnectorBaseURL(op, "baseUrl", r.BaseURL); err != nil {
		return nil, nil, err
	}
	return s.configUpdate(ctx, opConnectorInstancesUpdateFiltersSyncConfig, path, r, opts)
}

func (s *ConnectorInstancesService) configUpdate(ctx context.Context, op *Operation, path string, body any, opts []RequestOption) (*models.ConnectorConfigUpdate, *Response, error) {
	var out models.ConnectorConfigUpdate
	resp, err := s.client.do(ctx, op, path, nil, body, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// ---- OAuth

// AuthorizationURL starts the OAuth flow of a connector whose auth type is OAUTH or
// OAUTH_ADMIN_CONSENT: send the user's browser to the returned AuthorizationURL. The
// provider then calls back with a code and the returned state, which
// HandleOAuthCallback hands to PipesHub.
//
// API: GET /connectors/{connectorId}/oauth/authorize
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) AuthorizationURL(ctx context.Context, connectorID string, p *ConnectorAuthorizationURLParams, opts ...RequestOption) (*models.ConnectorOAuthAuthorization, *Response, error) {
	const op = "ConnectorInstances.AuthorizationURL"
	path, err := connectorPath(op, connectorID, "/oauth/authorize")
	if err != nil {
		return nil, nil, err
	}
	var q any
	if p != nil {
		if err := checkConnectorBaseURL(op, "baseUrl", p.BaseURL); err != nil {
			return nil, nil, err
		}
		q = p
	}
	var out models.ConnectorOAuthAuthorization
	resp, err := s.client.do(ctx, opConnectorInstancesAuthorizationURL, path, q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.AuthorizationURL == "" {
		return nil, resp, connectorMissingMember(resp, "authorizationUrl")
	}
	return &out, resp, nil
}

// HandleOAuthCallback hands the provider's callback parameters to PipesHub, which
// exchanges the code for tokens and marks the instance authenticated. A failed
// exchange is not an error: it comes back as Success false with Error set.
// RedirectURL is where PipesHub would send the browser next. The spec answers with
// a 302 redirect, which is not followed: its Location becomes RedirectURL, so no
// request goes to the frontend host. The backend answers with JSON instead, whose
// redirectUrl is read the same way.
//
// API: GET /connectors/oauth/callback
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) HandleOAuthCallback(ctx context.Context, p *ConnectorOAuthCallbackParams, opts ...RequestOption) (*models.ConnectorOAuthCallbackResult, *Response, error) {
	const op = "ConnectorInstances.HandleOAuthCallback"
	if p == nil || (p.Error == "" && (p.Code == "" || p.State == "")) {
		return nil, nil, invalidParams(op, "code and state, or error, are required")
	}
	if err := checkConnectorBaseURL(op, "baseUrl", p.BaseURL); err != nil {
		return nil, nil, err
	}
	var raw rawBody
	// A GET, but it spends a single-use code: retried only when the request never
	// left; and its answer may be the redirect itself.
	opts = append(opts[:len(opts):len(opts)], withoutRedirects(), oneShot())
	resp, err := s.client.do(ctx, opConnectorInstancesHandleOAuthCallback, "connectors/oauth/callback", p, nil, &raw, opts)
	if err != nil {
		return nil, resp, err
	}
	var out models.ConnectorOAuthCallbackResult
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		out.RedirectURL = resp.Header.Get("Location")
		return &out, resp, nil
	}
	if body := bytes.TrimSpace(raw.data); len(body) > 0 {
		if err := json.Unmarshal(body, &out); err != nil {
			return nil, resp, connectorResponseError(resp, raw.contentType, fmt.Errorf("decoding JSON: %w", err))
		}
	}
	return &out, resp, nil
}

// ---- filters

// GetFilters returns the filter fields a connector instance offers, with their
// static options. Fields with Dynamic set get their options from FilterOptions. p
// may be nil.
//
// API: GET /connectors/{connectorId}/filters
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) GetFilters(ctx context.Context, connectorID string, p *GetConnectorFiltersParams, opts ...RequestOption) (*models.ConnectorFilterOptions, *Response, error) {
	path, err := connectorPath("ConnectorInstances.GetFilters", connectorID, "/filters")
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		FilterOptions *models.ConnectorFilterOptions `json:"filterOptions"`
	}
	resp, err := s.client.do(ctx, opConnectorInstancesGetFilters, path, nil, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.FilterOptions == nil {
		return &models.ConnectorFilterOptions{}, resp, nil
	}
	return out.FilterOptions, resp, nil
}

// SaveFilters saves filter selections, which decide what is synced.
//
// API: POST /connectors/{connectorId}/filters
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) SaveFilters(ctx context.Context, connectorID string, r *SaveConnectorFiltersRequest, opts ...RequestOption) (*models.ConnectorResult, *Response, error) {
	const op = "ConnectorInstances.SaveFilters"
	path, err := connectorPath(op, connectorID, "/filters")
	if err != nil {
		return nil, nil, err
	}
	if r == nil || r.Filters == nil {
		return nil, nil, invalidParams(op, "filters are required (an empty map saves no selection)")
	}
	var out models.ConnectorResult
	resp, err := s.client.do(ctx, opConnectorInstancesSaveFilters, path, nil, r, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// FilterOptions returns one page of the options of a dynamic filter field (Slack
// channels, Drive folders, Confluence spaces, …), fetched from the external
// service. Page by Page, or by Cursor where the answer has one. Limit is 1 to 100.
// When the external service fails, the backend answers 200 with Success false and
// a Message.
//
// API: GET /connectors/{connectorId}/filters/{filterKey}/options
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) FilterOptions(ctx context.Context, connectorID, filterKey string, p *ConnectorFilterOptionsParams, opts ...RequestOption) (*models.ConnectorFilterFieldOptions, *Response, error) {
	const op = "ConnectorInstances.FilterOptions"
	path, err := connectorPath(op, connectorID, "/filters/")
	if err != nil {
		return nil, nil, err
	}
	key, err := pathParam(op, "filterKey", filterKey)
	if err != nil {
		return nil, nil, err
	}
	var q any
	if p != nil {
		if err := checkConnectorPage(op, "", p.Page, p.Limit, models.ConnectorFilterOptionsLimitMax); err != nil {
			return nil, nil, err
		}
		q = p
	}
	var out models.ConnectorFilterFieldOptions
	resp, err := s.client.do(ctx, opConnectorInstancesFilterOptions, path+key+"/options", q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// FilterOptionsIter walks every option of a dynamic filter field, page after
// page, from p.Page (or p.Cursor): by cursor while the server gives one (the
// cursor alone is sent then), else by page number. The walk goes on while the
// answer says hasMore (hasNext) or gives a cursor, and ends on the first answer
// that does neither. Without p.Page and p.Cursor it starts at page 1. An answer with Success false and a Message (the external
// service failed) ends the walk with a *ResponseError; call FilterOptions for
// that page to read the Message. Nothing is fetched before the first step;
// breaking out stops all requests; each range starts again from p.Page and
// p.Cursor; WithPrefetch fetches the next page while the loop works.
//
// API: GET /connectors/{connectorId}/filters/{filterKey}/options
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) FilterOptionsIter(ctx context.Context, connectorID, filterKey string, p *ConnectorFilterOptionsParams, opts ...RequestOption) iter.Seq2[models.ConnectorFilterOption, error] {
	var base ConnectorFilterOptionsParams
	if p != nil {
		base = *p
	}
	start := filterOptionsCursor{page: base.Page, cursor: base.Cursor}
	if start.page == 0 && start.cursor == "" {
		start.page = 1
	}
	return walk(ctx, start, func(ctx context.Context, at filterOptionsCursor) ([]models.ConnectorFilterOption, filterOptionsCursor, bool, error) {
		q := base
		q.Page, q.Cursor = at.page, at.cursor
		out, resp, err := s.FilterOptions(ctx, connectorID, filterKey, &q, opts...)
		if err != nil {
			return nil, at, false, err
		}
		if !out.Success && out.Message != "" {
			return nil, at, false, filterOptionsFailed(resp)
		}
		next := filterOptionsCursor{page: max(at.page, 1) + 1} // after a cursor, page 2 at least
		if out.Cursor != "" {
			next = filterOptionsCursor{cursor: out.Cursor}
		}
		return out.Options, next, out.HasMore || out.Cursor != "", nil
	}, s.client.pageOptions(opts)...)
}

// filterOptionsCursor is where a walk of filter options stands: a cursor when the
// server gave one, else a page number.
type filterOptionsCursor struct {
	page   int
	cursor string
}

// errFilterOptionsFailed is the cause of the *ResponseError FilterOptionsIter
// ends with on an answer with Success false. The server's Message is left out:
// it comes from the external service, and nothing masks it.
var errFilterOptionsFailed = errors.New("success is false: PipesHub could not fetch the options from the external service (FilterOptions returns its message)")

func filterOptionsFailed(resp *Response) error {
	e := &ResponseError{Method: http.MethodGet, StatusCode: http.StatusOK, Err: errFilterOptionsFailed}
	if resp != nil && resp.Response != nil {
		e.StatusCode = resp.StatusCode
		e.ContentType = resp.Header.Get("Content-Type")
		if resp.Request != nil && resp.Request.URL != nil {
			e.Path = resp.Request.URL.EscapedPath()
		}
	}
	return e
}

// ---- control

// Toggle switches a connector's sync or agent use on or off (it flips the current
// state). Switching on needs a configured instance, authenticated for OAuth types,
// and for agent a type that supports agents. The spec's answer includes the updated
// instance; the backend's does not, and Connector is nil then (call Get).
//
// API: POST /connectors/{connectorId}/toggle
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) Toggle(ctx context.Context, connectorID string, r *ToggleConnectorRequest, opts ...RequestOption) (*models.ConnectorToggleResult, *Response, error) {
	const op = "ConnectorInstances.Toggle"
	path, err := connectorPath(op, connectorID, "/toggle")
	if err != nil {
		return nil, nil, err
	}
	if r == nil || !r.Type.Valid() {
		var got models.ConnectorToggleType
		if r != nil {
			got = r.Type
		}
		return nil, nil, invalidParams(op, "type must be %q or %q, not %q", models.ConnectorToggleSync, models.ConnectorToggleAgent, got)
	}
	var out models.ConnectorToggleResult
	resp, err := s.client.do(ctx, opConnectorInstancesToggle, path, nil, r, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// ---- registry

// Registry returns one page of the connector types instances can be created from.
// Without a scope, the backend lists each type's scopes as an array.
//
// API: GET /connectors/registry
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) Registry(ctx context.Context, p *ConnectorRegistryParams, opts ...RequestOption) (*models.ConnectorRegistry, *Response, error) {
	const op = "ConnectorInstances.Registry"
	var q ConnectorRegistryParams
	if p != nil {
		q = *p
	}
	if err := checkConnectorPage(op, q.Scope, q.Page, q.Limit, models.ConnectorPageLimitMax); err != nil {
		return nil, nil, err
	}
	var out models.ConnectorRegistry
	resp, err := s.client.do(ctx, opConnectorInstancesRegistry, "connectors/registry", &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// RegistryIter walks every page of Registry; see ListIter for how the walk ends.
//
// API: GET /connectors/registry
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) RegistryIter(ctx context.Context, p *ConnectorRegistryParams, opts ...RequestOption) iter.Seq2[*models.ConnectorType, error] {
	var base ConnectorRegistryParams
	if p != nil {
		base = *p
	}
	return walkConnectorPages(ctx, base.Page, base.Limit, func(ctx context.Context, page int) ([]*models.ConnectorType, *models.ConnectorPagination, error) {
		q := base
		q.Page = page
		r, _, err := s.Registry(ctx, &q, opts...)
		if err != nil {
			return nil, nil, err
		}
		return r.Connectors, r.Pagination, nil
	}, s.client.pageOptions(opts)...)
}

// Schema returns the configuration schema of a connector type: the auth, sync and
// filter fields a configuration form needs. p may be nil.
//
// API: GET /connectors/registry/{connectorType}/schema
// API docs: https://docs.pipeshub.com/api-reference
func (s *ConnectorInstancesService) Schema(ctx context.Context, connectorType string, p *ConnectorSchemaParams, opts ...RequestOption) (*models.ConnectorSchema, *Response, error) {
	typ, err := pathParam("ConnectorInstances.Schema", "connectorType", connectorType)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Schema *models.ConnectorSchema `json:"schema"`
	}
	resp, err := s.client.do(ctx, opConnectorInstancesSchema, "connectors/registry/"+typ+"/schema", nil, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.Schema == nil {
		return nil, resp, connectorMissingMember(resp, "schema")
	}
	return out.Schema, resp, nil
}

// ---- checks and helpers

// connectorPath returns "connectors/{id}" + suffix, with id checked and escaped.
func connectorPath(op, connectorID, suffix string) (string, error) {
	id, err := pathParam(op, "connectorId", connectorID)
	if err != nil {
		return "", err
	}
	return "connectors/" + id + suffix, nil
}

func checkConnectorPage(op string, scope models.ConnectorScope, page, limit, maxLimit int) error {
	if scope != "" {
		if err := checkConnectorScope(op, scope); err != nil {
			return err
		}
	}
	if page < 0 {
		return invalidParams(op, "page must be at least 1, not %d", page)
	}
	if limit < 0 || limit > maxLimit {
		return invalidParams(op, "limit must be between 1 and %d, not %d", maxLimit, limit)
	}
	return nil
}

func checkConnectorScope(op string, scope models.ConnectorScope) error {
	if !scope.Valid() {
		return invalidParams(op, "scope must be %q or %q, not %q", models.ConnectorScopeTeam, models.ConnectorScopePersonal, scope)
	}
	return nil
}

// checkConnectorInstanceName applies the spec's minLength 1 and maxLength 100,
// counted in characters; a blank name is a name (see docs/vendor-notes.md).
func checkConnectorInstanceName(op, name string) error {
	if name == "" {
		return invalidParams(op, "instanceName is required")
	}
	if n := utf8.RuneCountInString(name); n > maxConnectorInstanceName {
		return invalidParams(op, "instanceName must be at most %d characters, not %d", maxConnectorInstanceName, n)
	}
	return nil
}

// checkConnectorBaseURL accepts "" (not sent) or an absolute http or https URL with a host.
func checkConnectorBaseURL(op, field, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalidParams(op, "%s must be an absolute http or https URL", field)
	}
	return nil
}

// connectorMissingMember reports a 2xx answer that lacks the member the call returns.
func connectorMissingMember(resp *Response, member string) error {
	return connectorResponseError(resp, "", fmt.Errorf("the response has no %q member", member))
}

func connectorResponseError(resp *Response, contentType string, err error) error {
	re := &ResponseError{ContentType: contentType, Err: err}
	if resp != nil && resp.Response != nil {
		re.StatusCode = resp.StatusCode
		if re.ContentType == "" {
			re.ContentType = resp.Header.Get("Content-Type")
		}
		if resp.Request != nil {
			re.Method = resp.Request.Method
			re.Path = resp.Request.URL.EscapedPath()
		}
	}
	return re
}
