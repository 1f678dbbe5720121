package models

// PipesHub connector instances (/connectors…).
//
// PipesHub's backend departs from its own OpenAPI spec: instances come back as
// {_key, name, type, isAgentActive, createdAtTimestamp (epoch ms), …} rather than
// {connectorId, instanceName, connectorType, agentEnabled, createdAt (ISO), …}, and
// pages as {totalCount, totalPages, hasNext, nextPage, …} rather than {total, hasMore}.
// The types below read both shapes into the same fields. When they are encoded, they
// write the spec's field names, plus the fields only the backend has under the
// backend's names, so that what they write reads back into the same value.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/connapi/connapi-go/internal/jsonenc"
)

// AuthType is how a PipesHub connector authenticates. It is an open set: the
// constants below are the values the spec and the backend are known to use, and any
// other value the server sends is kept as it is.
type AuthType string

// Known PipesHub authentication types.
const (
	AuthTypeOAuth             AuthType = "OAUTH"
	AuthTypeOAuthAdminConsent AuthType = "OAUTH_ADMIN_CONSENT"
	AuthTypeAPIToken          AuthType = "API_TOKEN"
	AuthTypeUsernamePassword  AuthType = "USERNAME_PASSWORD"
	AuthTypeServiceAccount    AuthType = "SERVICE_ACCOUNT"
	AuthTypeBearerToken       AuthType = "BEARER_TOKEN"
	AuthTypeBasicAuth         AuthType = "BASIC_AUTH"
	AuthTypeAccessKey         AuthType = "ACCESS_KEY"
	AuthTypeAccountKey        AuthType = "ACCOUNT_KEY"
	AuthTypeConnectionString  AuthType = "CONNECTION_STRING"
	AuthTypeCustom            AuthType = "CUSTOM"
	AuthTypeNone              AuthType = "NONE"
)

// Known reports whether a is one of the AuthType constants.
func (a AuthType) Known() bool {
	switch a {
	case AuthTypeOAuth, AuthTypeOAuthAdminConsent, AuthTypeAPIToken, AuthTypeUsernamePassword,
		AuthTypeServiceAccount, AuthTypeBearerToken, AuthTypeBasicAuth, AuthTypeAccessKey,
		AuthTypeAccountKey, AuthTypeConnectionString, AuthTypeCustom, AuthTypeNone:
		return true
	}
	return false
}

// IsOAuth reports whether a needs the OAuth flow (OAUTH or OAUTH_ADMIN_CONSENT),
// that is whether ConnectorInstancesService.AuthorizationURL applies.
func (a AuthType) IsOAuth() bool {
	return a == AuthTypeOAuth || a == AuthTypeOAuthAdminConsent
}

// ConnectorScope says who can see and use a PipesHub connector.
type ConnectorScope string

// PipesHub connector scopes.
const (
	// ConnectorScopeTeam: available to the whole organization; admins create them.
	ConnectorScopeTeam ConnectorScope = "team"
	// ConnectorScopePersonal: private to the user who created it.
	ConnectorScopePersonal ConnectorScope = "personal"
)

// Valid reports whether s is team or personal.
func (s ConnectorScope) Valid() bool {
	return s == ConnectorScopeTeam || s == ConnectorScopePersonal
}

// ConnectorSyncStrategy is how a PipesHub connector syncs (ConnectorSyncConfig).
type ConnectorSyncStrategy string

// PipesHub sync strategies. MANUAL is the server's default.
const (
	ConnectorSyncManual    ConnectorSyncStrategy = "MANUAL"
	ConnectorSyncScheduled ConnectorSyncStrategy = "SCHEDULED"
	ConnectorSyncWebhook   ConnectorSyncStrategy = "WEBHOOK"
	ConnectorSyncRealtime  ConnectorSyncStrategy = "REALTIME"
)

// ConnectorToggleType says what ConnectorInstancesService.Toggle switches.
type ConnectorToggleType string

// The two things a PipesHub connector can be switched on or off for.
const (
	// ConnectorToggleSync switches data synchronization (the instance's isActive).
	ConnectorToggleSync ConnectorToggleType = "sync"
	// ConnectorToggleAgent switches AI agent use (agentEnabled / isAgentActive).
	ConnectorToggleAgent ConnectorToggleType = "agent"
)

// Valid reports whether t is sync or agent.
func (t ConnectorToggleType) Valid() bool {
	return t == ConnectorToggleSync || t == ConnectorToggleAgent
}

// Paging limits of the PipesHub list endpoints.
const (
	// ConnectorPageLimitDefault is the page size the server uses when none is sent.
	ConnectorPageLimitDefault = 20
	// ConnectorPageLimitMax is the largest page size the list endpoints accept.
	ConnectorPageLimitMax = 200
	// ConnectorFilterOptionsLimitMax is the largest page size of the dynamic filter
	// options endpoint.
	ConnectorFilterOptionsLimitMax = 100
)

// ConnectorInstance is a configured PipesHub connector: one connection of an
// organization or a user to an external service.
//
// It reads the spec's shape (connectorId, instanceName, connectorType, agentEnabled,
// ISO times) and the backend's (_key, name, type, isAgentActive, epoch-millisecond
// createdAtTimestamp/updatedAtTimestamp, plus the registry fields the backend copies
// into every instance). The backend has no syncEnabled: its isActive is the sync
// switch, so SyncEnabled follows IsActive when syncEnabled is absent. Members it does
// not know are kept, undecoded, in Extra.
//
// Encoding writes the spec's names (connectorId, instanceName, connectorType,
// agentEnabled, createdAt as RFC 3339, …), the backend-only fields under their
// backend names, and then Extra.
type ConnectorInstance struct {
	// ConnectorID is the instance id: connectorId (spec) or _key (backend, a UUID).
	ConnectorID string `json:"connectorId,omitempty"`
	// InstanceName is the user-given name: instanceName (spec) or name (backend).
	InstanceName string `json:"instanceName,omitempty"`
	// ConnectorType is the registry type: connectorType (spec) or type (backend).
	ConnectorType string         `json:"connectorType,omitempty"`
	Scope         ConnectorScope `json:"scope,omitempty"`
	AuthType      AuthType       `json:"authType,omitempty"`
	OrgID         string         `json:"orgId,omitempty"`
	CreatedBy     string         `json:"createdBy,omitempty"`
	UpdatedBy     string         `json:"updatedBy,omitempty"`

	// IsActive: the connector is enabled (for sync, on the backend).
	IsActive bool `json:"isActive"`
	// IsConfigured: every required setting is complete.
	IsConfigured bool `json:"isConfigured"`
	// IsAuthenticated: the OAuth flow is done or the credentials were accepted.
	IsAuthenticated bool `json:"isAuthenticated"`
	// SyncEnabled: syncEnabled (spec), else the backend's isActive.
	SyncEnabled bool `json:"syncEnabled"`
	// AgentEnabled: agentEnabled (spec) or isAgentActive (backend).
	AgentEnabled bool `json:"agentEnabled"`
	// PendingFullSync: a full sync is due after a filter change (upstream spec).
	PendingFullSync bool `json:"pendingFullSync,omitempty"`

	// LastSyncAt, CreatedAt and UpdatedAt read ISO times (spec) or epoch
	// milliseconds (backend createdAtTimestamp, updatedAtTimestamp).
	LastSyncAt Timestamp `json:"lastSyncAt,omitzero"`
	CreatedAt  Timestamp `json:"createdAt,omitzero"`
	UpdatedAt  Timestamp `json:"updatedAt,omitzero"`

	// Backend-only fields.

	// Status is the backend's lifecycle status, e.g. "DELETING".
	Status string `json:"status,omitempty"`
	// IsLocked: a sync holds the instance.
	IsLocked bool `json:"isLocked,omitempty"`
	// Created is set in the backend's answer to Create.
	Created               bool                         `json:"created,omitempty"`
	AppGroup              string                       `json:"appGroup,omitempty"`
	AppDescription        string                       `json:"appDescription,omitempty"`
	AppCategories         []string                     `json:"appCategories,omitempty"`
	IconPath              string                       `json:"iconPath,omitempty"`
	SupportedAuthTypes    []AuthType                   `json:"supportedAuthTypes,omitempty"`
	SupportsRealtime      bool                         `json:"supportsRealtime,omitempty"`
	SupportsSync          bool                         `json:"supportsSync,omitempty"`
	SupportsAgent         bool                         `json:"supportsAgent,omitempty"`
	DocumentationLinks    []ConnectorDocumentationLink `json:"documentationLinks,omitempty"`
	IsAdminAccessRequired bool                         `json:"isAdminAccessRequired,omitempty"`
	ConnectorInfo         string                       `json:"connectorInfo,omitempty"`
	// Config is the backend's config member as sent: the instance's stored settings
	// on Get, the connector type's configuration schema in list items.
	Config json.RawMessage `json:"config,omitempty"`

	// Extra holds the members this type does not know, undecoded.
	Extra map[string]json.RawMessage `json:"-"`
}

// unmarshalWire is the map-based decoder that UnmarshalJSON hands an object with
// a repeated member to: it reads the last of the repeated values.
func (c *ConnectorInstance) unmarshalWire(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorInstance")
	if err != nil {
		return err
	}
	var v ConnectorInstance
	phTake(w, &v.ConnectorID, "connectorId", "_key")
	phTake(w, &v.InstanceName, "instanceName", "name")
	phTake(w, &v.ConnectorType, "connectorType", "type")
	phTake(w, &v.Scope, "scope")
	phTake(w, &v.AuthType, "authType")
	phTake(w, &v.OrgID, "orgId")
	phTake(w, &v.CreatedBy, "createdBy")
	phTake(w, &v.UpdatedBy, "updatedBy")
	phTake(w, &v.IsActive, "isActive")
	phTake(w, &v.IsConfigured, "isConfigured")
	phTake(w, &v.IsAuthenticated, "isAuthenticated")
	if !phTake(w, &v.SyncEnabled, "syncEnabled") {
		v.SyncEnabled = v.IsActive
	}
	phTake(w, &v.AgentEnabled, "agentEnabled", "isAgentActive")
	phTake(w, &v.PendingFullSync, "pendingFullSync")
	phTake(w, &v.LastSyncAt, "lastSyncAt", "lastSyncTimestamp")
	phTake(w, &v.CreatedAt, "createdAt", "createdAtTimestamp")
	phTake(w, &v.UpdatedAt, "updatedAt", "updatedAtTimestamp")
	phTake(w, &v.Status, "status")
	phTake(w, &v.IsLocked, "isLocked")
	phTake(w, &v.Created, "created")
	phTake(w, &v.AppGroup, "appGroup")
	phTake(w, &v.AppDescription, "appDescription")
	phTake(w, &v.AppCategories, "appCategories")
	phTake(w, &v.IconPath, "iconPath")
	phTake(w, &v.SupportedAuthTypes, "supportedAuthTypes")
	phTake(w, &v.SupportsRealtime, "supportsRealtime")
	phTake(w, &v.SupportsSync, "supportsSync")
	phTake(w, &v.SupportsAgent, "supportsAgent")
	phTake(w, &v.DocumentationLinks, "documentationLinks")
	phTake(w, &v.IsAdminAccessRequired, "isAdminAccessRequired")
	phTake(w, &v.ConnectorInfo, "connectorInfo")
	phTake(w, &v.Config, "config")
	v.Extra = w.rest()
	*c = v
	return nil
}

// MarshalJSON writes the spec's names, the backend-only fields, then Extra.
func (c ConnectorInstance) MarshalJSON() ([]byte, error) {
	type plain ConnectorInstance
	return phEncodeWithRaw(plain(c), c.Extra)
}

// ConnectorDocumentationLink is one entry of a connector's documentation links.
type ConnectorDocumentationLink struct {
	Title string `json:"title,omitempty"`
	URL   string `json:"url,omitempty"`
	Type  string `json:"type,omitempty"`
}

// ConnectorScopeCounts counts a list's items per scope (backend only).
type ConnectorScopeCounts struct {
	Personal int `json:"personal"`
	Team     int `json:"team"`
}

// ConnectorPagination describes one page of a PipesHub list. It reads the spec's
// {page, limit, total, hasMore} and the backend's {page, limit, search, totalCount,
// totalPages, hasPrev, hasNext, prevPage, nextPage} into the same fields: Total is
// total or totalCount, HasMore is hasMore or hasNext.
//
// Encoding writes page and limit; total and hasMore when they were received (under
// either name) or are set (non-zero, true); and the backend-only fields that are set
// (nextPage and prevPage also when received as null). A decoded value therefore
// survives a round trip with the same meaning: Next answers the same before and
// after.
type ConnectorPagination struct {
	Page  int `json:"page"`
	Limit int `json:"limit"`
	// Total is the number of items in all pages: total (spec) or totalCount (backend).
	Total int `json:"total"`
	// HasMore: hasMore (spec) or hasNext (backend).
	HasMore    bool   `json:"hasMore"`
	TotalPages int    `json:"totalPages,omitempty"`
	HasPrev    bool   `json:"hasPrev,omitempty"`
	PrevPage   *int   `json:"prevPage,omitempty"`
	NextPage   *int   `json:"nextPage,omitempty"`
	Search     string `json:"search,omitempty"`

	// Extra holds the members this type does not know, undecoded.
	Extra map[string]json.RawMessage `json:"-"`

	hasMoreSet  bool // hasMore or hasNext was received
	totalSet    bool // total or totalCount was received
	nextPageSet bool // nextPage was received, possibly as null
	prevPageSet bool // prevPage was received, possibly as null
}

// unmarshalWire is the map-based decoder that UnmarshalJSON hands an object with
// a repeated member to: it reads the last of the repeated values.
func (p *ConnectorPagination) unmarshalWire(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorPagination")
	if err != nil {
		return err
	}
	var v ConnectorPagination
	phTake(w, &v.Page, "page")
	phTake(w, &v.Limit, "limit")
	v.totalSet = phTake(w, &v.Total, "total", "totalCount")
	phTake(w, &v.TotalPages, "totalPages")
	v.hasMoreSet = phTake(w, &v.HasMore, "hasMore", "hasNext")
	phTake(w, &v.HasPrev, "hasPrev")
	v.nextPageSet = w.phIsNull("nextPage")
	v.nextPageSet = phTake(w, &v.NextPage, "nextPage") || v.nextPageSet
	v.prevPageSet = w.phIsNull("prevPage")
	v.prevPageSet = phTake(w, &v.PrevPage, "prevPage") || v.prevPageSet
	phTake(w, &v.Search, "search")
	v.Extra = w.rest()
	*p = v
	return nil
}

// MarshalJSON writes page, limit, total and hasMore when received or set, the
// backend-only fields that are set, then Extra. It writes total and hasMore only
// then so that decoding the output does not turn a missing signal into a received
// one (which would change what Next says).
func (p ConnectorPagination) MarshalJSON() ([]byte, error) {
	m := map[string]any{"page": p.Page, "limit": p.Limit}
	if p.Total != 0 || p.totalSet {
		m["total"] = p.Total
	}
	if p.HasMore || p.hasMoreSet {
		m["hasMore"] = p.HasMore
	}
	if p.TotalPages != 0 {
		m["totalPages"] = p.TotalPages
	}
	if p.HasPrev {
		m["hasPrev"] = true
	}
	if p.PrevPage != nil || p.prevPageSet {
		m["prevPage"] = p.PrevPage
	}
	if p.NextPage != nil || p.nextPageSet {
		m["nextPage"] = p.NextPage
	}
	if p.Search != "" {
		m["search"] = p.Search
	}
	return phEncodeWithRaw(m, p.Extra)
}

// Next says which page follows page number current, and whether there is one, for
// a page that held got items when pageSize items were asked for (0: the server's
// default). A nil p is a response without pagination. The signals are read in this
// order:
//
//   - nextPage received as null: no more pages.
//   - HasMore (hasMore or hasNext) true: more, at nextPage if given, else current+1.
//   - hasMore or hasNext received as false: no more pages.
//   - nextPage given: more, at nextPage.
//   - TotalPages, then Total: more while current is below the last page.
//   - Otherwise a short page (got < page size) is the last one.
func (p *ConnectorPagination) Next(current, pageSize, got int) (next int, more bool) {
	next = current + 1
	if p != nil {
		if p.NextPage != nil {
			next = *p.NextPage
		}
		switch {
		case p.nextPageSet && p.NextPage == nil:
			return next, false
		case p.HasMore:
			return next, true
		case p.hasMoreSet:
			return next, false
		case p.NextPage != nil:
			return next, true
		case p.TotalPages > 0:
			return next, current < p.TotalPages
		}
		if pageSize <= 0 {
			pageSize = p.Limit
		}
	}
	if pageSize <= 0 {
		pageSize = ConnectorPageLimitDefault
	}
	if p != nil && (p.totalSet || p.Total > 0) {
		return next, current*pageSize < p.Total
	}
	return next, got >= pageSize
}

// ConnectorInstanceList is one page of connector instances.
//
// It also reads the backend's answer to GET /connectors/configured, which nests the
// page one level down: {success, connectors: {connectors: […], pagination, scopeCounts}}.
type ConnectorInstanceList struct {
	Connectors []*ConnectorInstance `json:"connectors"`
	// Pagination is nil for the endpoints that do not page (active, inactive).
	Pagination *ConnectorPagination `json:"pagination,omitempty"`
	// ScopeCounts counts instances per scope (backend only).
	ScopeCounts *ConnectorScopeCounts `json:"scopeCounts,omitempty"`
}

// unmarshalWire is the map-based decoder that UnmarshalJSON hands an object with
// a repeated member to: it reads the last of the repeated values.
func (l *ConnectorInstanceList) unmarshalWire(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorInstanceList")
	if err != nil {
		return err
	}
	var v ConnectorInstanceList
	if raw := bytes.TrimSpace(w["connectors"]); len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
	} else if len(raw) > 0 && !phIsNull(raw) {
		if err := json.Unmarshal(raw, &v.Connectors); err != nil {
			return fmt.Errorf("models.ConnectorInstanceList: connectors: %w", err)
		}
	}
	v.Connectors = slices.DeleteFunc(v.Connectors, func(c *ConnectorInstance) bool { return c == nil })
	phTake(w, &v.Pagination, "pagination")
	phTake(w, &v.ScopeCounts, "scopeCounts")
	*l = v
	return nil
}

// ConnectorType is an entry of the PipesHub connector registry: a kind of connector
// that instances can be created from. It reads the spec's shape (connectorType,
// displayName, description, authTypes, supportedScopes, categories) and the
// backend's (type, name, appDescription, supportedAuthTypes, scope as a string or an
// array, appCategories, config).
//
// Encoding writes the spec's names, the backend-only fields, then Extra.
type ConnectorType struct {
	// ConnectorType identifies the type: connectorType (spec) or type (backend).
	ConnectorType string `json:"connectorType,omitempty"`
	// DisplayName: displayName (spec) or name (backend).
	DisplayName string `json:"displayName,omitempty"`
	// Description: description (spec) or appDescription (backend).
	Description string `json:"description,omitempty"`
	AppGroupID  string `json:"appGroupId,omitempty"`
	AppGroup    string `json:"appGroup,omitempty"`
	// AuthTypes: authTypes (spec) or supportedAuthTypes (backend).
	AuthTypes []AuthType `json:"authTypes,omitempty"`
	// SupportedScopes: supportedScopes (spec), or the backend's scope, which is a
	// single string when the registry was asked for one scope.
	SupportedScopes  []ConnectorScope `json:"supportedScopes,omitempty"`
	SupportsSync     bool             `json:"supportsSync,omitempty"`
	SupportsAgent    bool             `json:"supportsAgent,omitempty"`
	SupportsRealtime bool             `json:"supportsRealtime,omitempty"`
	IconPath         string           `json:"iconPath,omitempty"`
	// Categories: categories (spec) or appCategories (backend).
	Categories []string `json:"categories,omitempty"`
	IsBeta     bool     `json:"isBeta,omitempty"`
	// ConnectorInfo is a free-text note (backend only).
	ConnectorInfo string `json:"connectorInfo,omitempty"`
	// Config is the backend's configuration schema of the type (auth, sync,
	// filters, documentationLinks, …), as sent.
	Config json.RawMessage `json:"config,omitempty"`

	// Extra holds the members this type does not know, undecoded.
	Extra map[string]json.RawMessage `json:"-"`
}

// unmarshalWire is the map-based decoder that UnmarshalJSON hands an object with
// a repeated member to: it reads the last of the repeated values.
func (t *ConnectorType) unmarshalWire(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorType")
	if err != nil {
		return err
	}
	var v ConnectorType
	phTake(w, &v.ConnectorType, "connectorType", "type")
	phTake(w, &v.DisplayName, "displayName", "name")
	phTake(w, &v.Description, "description", "appDescription")
	phTake(w, &v.AppGroupID, "appGroupId")
	phTake(w, &v.AppGroup, "appGroup")
	phTake(w, &v.AuthTypes, "authTypes", "supportedAuthTypes")
	if !phTake(w, &v.SupportedScopes, "supportedScopes", "scope") {
		var one ConnectorScope
		if phTake(w, &one, "scope") {
			v.SupportedScopes = []ConnectorScope{one}
		}
	}
	phTake(w, &v.SupportsSync, "supportsSync")
	phTake(w, &v.SupportsAgent, "supportsAgent")
	phTake(w, &v.SupportsRealtime, "supportsRealtime")
	phTake(w, &v.IconPath, "iconPath")
	phTake(w, &v.Categories, "categories", "appCategories")
	phTake(w, &v.IsBeta, "isBeta")
	phTake(w, &v.ConnectorInfo, "connectorInfo")
	phTake(w, &v.Config, "config")
	v.Extra = w.rest()
	*t = v
	return nil
}

// MarshalJSON writes the spec's names, the backend-only fields, then Extra.
func (t ConnectorType) MarshalJSON() ([]byte, error) {
	type plain ConnectorType
	return phEncodeWithRaw(plain(t), t.Extra)
}

// ConnectorRegistry is one page of the PipesHub connector registry.
type ConnectorRegistry struct {
	Connectors []*ConnectorType     `json:"connectors"`
	Pagination *ConnectorPagination `json:"pagination,omitempty"`
	// CountsByScope counts the registry's types per scope (backend only).
	CountsByScope *ConnectorScopeCounts `json:"registryCountsByScope,omitempty"`
}

// ConnectorSchema is the configuration schema of a connector type. It reads the
// spec's {connectorType, authSchema, syncSchema, filterSchema, requiredFields} and
// the backend's {auth, sync, filters, iconPath, supports…, documentationLinks,
// hideConnector}: auth, sync and filters land in AuthSchema, SyncSchema and
// FilterSchema.
type ConnectorSchema struct {
	ConnectorType string `json:"connectorType,omitempty"`
	// AuthSchema: authSchema (spec) or auth (backend), as sent.
	AuthSchema json.RawMessage `json:"authSchema,omitempty"`
	// SyncSchema: syncSchema (spec) or sync (backend), as sent.
	SyncSchema json.RawMessage `json:"syncSchema,omitempty"`
	// FilterSchema: filterSchema (spec) or filters (backend), as sent.
	FilterSchema       json.RawMessage              `json:"filterSchema,omitempty"`
	RequiredFields     []string                     `json:"requiredFields,omitempty"`
	IconPath           string                       `json:"iconPath,omitempty"`
	SupportsRealtime   bool                         `json:"supportsRealtime,omitempty"`
	SupportsSync       bool                         `json:"supportsSync,omitempty"`
	SupportsAgent      bool                         `json:"supportsAgent,omitempty"`
	DocumentationLinks []ConnectorDocumentationLink `json:"documentationLinks,omitempty"`
	HideConnector      bool                         `json:"hideConnector,omitempty"`

	// Extra holds the members this type does not know, undecoded.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON reads both the spec's and the backend's shape.
func (s *ConnectorSchema) UnmarshalJSON(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorSchema")
	if err != nil {
		return err
	}
	var v ConnectorSchema
	phTake(w, &v.ConnectorType, "connectorType", "type")
	phTake(w, &v.AuthSchema, "authSchema", "auth")
	phTake(w, &v.SyncSchema, "syncSchema", "sync")
	phTake(w, &v.FilterSchema, "filterSchema", "filters")
	phTake(w, &v.RequiredFields, "requiredFields")
	phTake(w, &v.IconPath, "iconPath")
	phTake(w, &v.SupportsRealtime, "supportsRealtime")
	phTake(w, &v.SupportsSync, "supportsSync")
	phTake(w, &v.SupportsAgent, "supportsAgent")
	phTake(w, &v.DocumentationLinks, "documentationLinks")
	phTake(w, &v.HideConnector, "hideConnector")
	v.Extra = w.rest()
	*s = v
	return nil
}

// MarshalJSON writes the spec's names, the backend-only fields, then Extra.
func (s ConnectorSchema) MarshalJSON() ([]byte, error) {
	type plain ConnectorSchema
	return phEncodeWithRaw(plain(s), s.Extra)
}

// ConnectorAuthConfig is the auth section of a connector's configuration. The
// keys of Values depend on the connector type's auth schema (see
// ConnectorInstancesService.Schema). The backend merges whatever members it gets into
// the stored section and sends back its own (connectorType, redirectUri, scopes, …):
// members not named here are read into, and written from, Extra.
type ConnectorAuthConfig struct {
	// AuthType, if sent, must equal the instance's: the backend refuses to change it.
	AuthType AuthType `json:"authType,omitempty"`
	// Values are the credentials and settings the auth schema asks for.
	Values map[string]any `json:"values,omitempty"`
	// OAuthConfigID names an admin-created OAuth app to use.
	OAuthConfigID string         `json:"oauthConfigId,omitempty"`
	CustomValues  map[string]any `json:"customValues,omitempty"`

	// Extra holds further members, written at the top level of the section.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads the known members and keeps the rest in Extra.
func (a *ConnectorAuthConfig) UnmarshalJSON(b []byte) error {
	type plain ConnectorAuthConfig
	return phDecodeWithExtra(b, (*plain)(a), &a.Extra)
}

// MarshalJSON writes the known members, then Extra.
func (a ConnectorAuthConfig) MarshalJSON() ([]byte, error) {
	type plain ConnectorAuthConfig
	return phEncodeWithExtra(plain(a), a.Extra)
}

// ConnectorSyncConfig is the sync section of a connector's configuration. Members
// not named here are read into, and written from, Extra.
type ConnectorSyncConfig struct {
	// SelectedStrategy defaults to MANUAL on the server.
	SelectedStrategy ConnectorSyncStrategy   `json:"selectedStrategy,omitempty"`
	ScheduledConfig  *ConnectorScheduledSync `json:"scheduledConfig,omitempty"`
	WebhookConfig    *ConnectorWebhookSync   `json:"webhookConfig,omitempty"`
	Values           map[string]any          `json:"values,omitempty"`
	CustomValues     map[string]any          `json:"customValues,omitempty"`

	// Extra holds further members, written at the top level of the section.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads the known members and keeps the rest in Extra.
func (s *ConnectorSyncConfig) UnmarshalJSON(b []byte) error {
	type plain ConnectorSyncConfig
	return phDecodeWithExtra(b, (*plain)(s), &s.Extra)
}

// MarshalJSON writes the known members, then Extra.
func (s ConnectorSyncConfig) MarshalJSON() ([]byte, error) {
	type plain ConnectorSyncConfig
	return phEncodeWithExtra(plain(s), s.Extra)
}

// ConnectorScheduledSync configures the SCHEDULED strategy. Members not named here
// (the backend's startTime, nextTime, …) are read into, and written from, Extra.
type ConnectorScheduledSync struct {
	// IntervalMinutes is at least 5; the server's default is 60.
	IntervalMinutes int    `json:"intervalMinutes,omitempty"`
	CronExpression  string `json:"cronExpression,omitempty"`
	// Timezone is an IANA name; the server's default is UTC.
	Timezone string `json:"timezone,omitempty"`

	// Extra holds further members.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads the known members and keeps the rest in Extra.
func (s *ConnectorScheduledSync) UnmarshalJSON(b []byte) error {
	type plain ConnectorScheduledSync
	return phDecodeWithExtra(b, (*plain)(s), &s.Extra)
}

// MarshalJSON writes the known members, then Extra.
func (s ConnectorScheduledSync) MarshalJSON() ([]byte, error) {
	type plain ConnectorScheduledSync
	return phEncodeWithExtra(plain(s), s.Extra)
}

// ConnectorWebhookSync configures the WEBHOOK strategy.
type ConnectorWebhookSync struct {
	// WebhookURL is generated by the server.
	WebhookURL string   `json:"webhookUrl,omitempty"`
	Events     []string `json:"events,omitempty"`

	// Extra holds further members.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads the known members and keeps the rest in Extra.
func (s *ConnectorWebhookSync) UnmarshalJSON(b []byte) error {
	type plain ConnectorWebhookSync
	return phDecodeWithExtra(b, (*plain)(s), &s.Extra)
}

// MarshalJSON writes the known members, then Extra.
func (s ConnectorWebhookSync) MarshalJSON() ([]byte, error) {
	type plain ConnectorWebhookSync
	return phEncodeWithExtra(plain(s), s.Extra)
}

// ConnectorFiltersConfig is the filters section of a connector's configuration:
// sync filters decide which records are fetched, indexing filters which content is
// indexed.
type ConnectorFiltersConfig struct {
	Sync     *ConnectorFilterValues `json:"sync,omitempty"`
	Indexing *ConnectorFilterValues `json:"indexing,omitempty"`
}

// ConnectorFilterValues are filter selections keyed by filter field name. The
// backend stores each as {operator, value, type}.
type ConnectorFilterValues struct {
	Values map[string]any `json:"values,omitempty"`
}

// ConnectorConfigSections are the three sections of a connector's configuration.
// Each is nil when absent.
type ConnectorConfigSections struct {
	Auth    *ConnectorAuthConfig    `json:"auth,omitempty"`
	Sync    *ConnectorSyncConfig    `json:"sync,omitempty"`
	Filters *ConnectorFiltersConfig `json:"filters,omitempty"`
}

// ConnectorConfig is a connector instance's configuration, as GET
// /connectors/{connectorId}/config returns it. It reads the spec's shape
// (connectorId, connectorType, instanceName, config{auth, sync, filters}, baseUrl,
// …) and the backend's (connector_id, name, type, appGroup, createdAtTimestamp, …).
// The backend's answers to the config updates are the bare sections ({auth, sync,
// filters, credentials, oauth}); they are read into Config. The stored OAuth
// credentials the backend echoes there (credentials, oauth) are deliberately not
// kept.
type ConnectorConfig struct {
	// ConnectorID: connectorId (spec) or connector_id (backend).
	ConnectorID string `json:"connectorId,omitempty"`
	// ConnectorType: connectorType (spec) or type (backend).
	ConnectorType string `json:"connectorType,omitempty"`
	// InstanceName: instanceName (spec) or name (backend).
	InstanceName    string                  `json:"instanceName,omitempty"`
	AuthType        AuthType                `json:"authType,omitempty"`
	Scope           ConnectorScope          `json:"scope,omitempty"`
	Config          ConnectorConfigSections `json:"config"`
	BaseURL         string                  `json:"baseUrl,omitempty"`
	IsActive        bool                    `json:"isActive"`
	IsConfigured    bool                    `json:"isConfigured"`
	IsAuthenticated bool                    `json:"isAuthenticated"`

	// Backend-only fields.

	AppGroup         string    `json:"appGroup,omitempty"`
	AppDescription   string    `json:"appDescription,omitempty"`
	AppCategories    []string  `json:"appCategories,omitempty"`
	IconPath         string    `json:"iconPath,omitempty"`
	SupportsRealtime bool      `json:"supportsRealtime,omitempty"`
	SupportsSync     bool      `json:"supportsSync,omitempty"`
	SupportsAgent    bool      `json:"supportsAgent,omitempty"`
	CreatedBy        string    `json:"createdBy,omitempty"`
	UpdatedBy        string    `json:"updatedBy,omitempty"`
	CreatedAt        Timestamp `json:"createdAt,omitzero"`
	UpdatedAt        Timestamp `json:"updatedAt,omitzero"`

	// Extra holds the members this type does not know, undecoded.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON reads the spec's shape, the backend's, and bare sections.
func (c *ConnectorConfig) UnmarshalJSON(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorConfig")
	if err != nil {
		return err
	}
	var v ConnectorConfig
	phTake(w, &v.ConnectorID, "connectorId", "connector_id", "_key")
	phTake(w, &v.ConnectorType, "connectorType", "type")
	phTake(w, &v.InstanceName, "instanceName", "name")
	phTake(w, &v.AuthType, "authType")
	phTake(w, &v.Scope, "scope")
	if !phTake(w, &v.Config, "config") {
		phTake(w, &v.Config.Auth, "auth")
		phTake(w, &v.Config.Sync, "sync")
		phTake(w, &v.Config.Filters, "filters")
	}
	delete(w, "credentials")
	delete(w, "oauth")
	phTake(w, &v.BaseURL, "baseUrl")
	phTake(w, &v.IsActive, "isActive")
	phTake(w, &v.IsConfigured, "isConfigured")
	phTake(w, &v.IsAuthenticated, "isAuthenticated")
	phTake(w, &v.AppGroup, "appGroup")
	phTake(w, &v.AppDescription, "appDescription")
	phTake(w, &v.AppCategories, "appCategories")
	phTake(w, &v.IconPath, "iconPath")
	phTake(w, &v.SupportsRealtime, "supportsRealtime")
	phTake(w, &v.SupportsSync, "supportsSync")
	phTake(w, &v.SupportsAgent, "supportsAgent")
	phTake(w, &v.CreatedBy, "createdBy")
	phTake(w, &v.UpdatedBy, "updatedBy")
	phTake(w, &v.CreatedAt, "createdAt", "createdAtTimestamp")
	phTake(w, &v.UpdatedAt, "updatedAt", "updatedAtTimestamp")
	v.Extra = w.rest()
	*c = v
	return nil
}

// MarshalJSON writes the spec's names, the backend-only fields, then Extra.
func (c ConnectorConfig) MarshalJSON() ([]byte, error) {
	type plain ConnectorConfig
	return phEncodeWithRaw(plain(c), c.Extra)
}

// ConnectorConfigUpdate is the answer to a configuration update.
type ConnectorConfigUpdate struct {
	Success bool   `json:"success"`
	Message string `json:"message,omitempty"`
	// SyncFiltersChanged: the sync filters changed, so a full resync is due
	// (filters-sync updates, upstream).
	SyncFiltersChanged bool `json:"syncFiltersChanged,omitempty"`
	// Config is the configuration as saved. The backend sends only the sections.
	Config *ConnectorConfig `json:"config,omitempty"`
}

// ConnectorFilterOptions lists the filter fields of a connector instance. It reads
// the spec's {filters: [{key, label, type, options, dynamic}]}, the upstream spec's
// {filters: [{name, displayName, filterType, optionSourceType, …}]}, and the
// backend's map of filter name to options ({"labels": [{value, label}], …}), which
// becomes one field per name, sorted by name.
type ConnectorFilterOptions struct {
	Filters []ConnectorFilterField `json:"filters"`
}

// UnmarshalJSON reads the list and the map shape.
func (o *ConnectorFilterOptions) UnmarshalJSON(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorFilterOptions")
	if err != nil {
		return err
	}
	var v ConnectorFilterOptions
	if raw := bytes.TrimSpace(w["filters"]); len(raw) > 0 && raw[0] == '[' {
		if err := json.Unmarshal(raw, &v.Filters); err != nil {
			return fmt.Errorf("models.ConnectorFilterOptions: filters: %w", err)
		}
	} else {
		for _, name := range slices.Sorted(maps.Keys(w)) {
			var opts []ConnectorFilterOption
			if json.Unmarshal(w[name], &opts) == nil {
				v.Filters = append(v.Filters, ConnectorFilterField{Key: name, Options: opts})
			}
		}
	}
	*o = v
	return nil
}

// ConnectorFilterField is one filter a connector offers.
type ConnectorFilterField struct {
	// Key names the field in filter values and in FilterOptions calls: key (spec)
	// or name (upstream).
	Key string `json:"key"`
	// Label: label (spec) or displayName (upstream).
	Label       string `json:"label,omitempty"`
	Description string `json:"description,omitempty"`
	// Type: type (spec: select, multiselect, text, boolean) or filterType
	// (upstream: string, boolean, datetime, list, multiselect, number).
	Type string `json:"type,omitempty"`
	// Category is sync or indexing.
	Category                  string          `json:"category,omitempty"`
	Required                  bool            `json:"required,omitempty"`
	DefaultValue              json.RawMessage `json:"defaultValue,omitempty"`
	DefaultOperator           string          `json:"defaultOperator,omitempty"`
	NoImplicitOperatorDefault bool            `json:"noImplicitOperatorDefault,omitempty"`
	Operators                 []string        `json:"operators,omitempty"`
	// OptionSourceType is manual, static or dynamic.
	OptionSourceType string `json:"optionSourceType,omitempty"`
	// Dynamic: the options come from ConnectorInstancesService.FilterOptions
	// (dynamic, or optionSourceType "dynamic").
	Dynamic bool                    `json:"dynamic,omitempty"`
	Options []ConnectorFilterOption `json:"options,omitempty"`
}

// UnmarshalJSON reads the spec's and the upstream spec's names.
func (f *ConnectorFilterField) UnmarshalJSON(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorFilterField")
	if err != nil {
		return err
	}
	var v ConnectorFilterField
	phTake(w, &v.Key, "key", "name")
	phTake(w, &v.Label, "label", "displayName")
	phTake(w, &v.Description, "description")
	phTake(w, &v.Type, "type", "filterType")
	phTake(w, &v.Category, "category")
	phTake(w, &v.Required, "required")
	phTake(w, &v.DefaultValue, "defaultValue")
	phTake(w, &v.DefaultOperator, "defaultOperator")
	phTake(w, &v.NoImplicitOperatorDefault, "noImplicitOperatorDefault")
	phTake(w, &v.Operators, "operators")
	phTake(w, &v.OptionSourceType, "optionSourceType")
	phTake(w, &v.Dynamic, "dynamic")
	v.Dynamic = v.Dynamic || v.OptionSourceType == "dynamic"
	phTake(w, &v.Options, "options")
	*f = v
	return nil
}

// ConnectorFilterOption is one value a filter field can take. A bare string on the
// wire fills all three fields.
type ConnectorFilterOption struct {
	ID    string `json:"id,omitempty"`
	Value string `json:"value,omitempty"`
	Label string `json:"label,omitempty"`
}

// UnmarshalJSON reads an object or a bare string.
func (o *ConnectorFilterOption) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*o = ConnectorFilterOption{ID: s, Value: s, Label: s}
		return nil
	}
	type plain ConnectorFilterOption
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = ConnectorFilterOption(v)
	return nil
}

// ConnectorFilterFieldOptions is one page of options of a dynamic filter field. It
// reads the spec's {options, pagination: {page, limit, hasMore, cursor}} and the
// backend's flat {options, page, limit, hasMore, cursor, message}.
//
// The backend answers 200 with success false and a Message when the external
// service fails; check Success.
type ConnectorFilterFieldOptions struct {
	Success bool                    `json:"success"`
	Options []ConnectorFilterOption `json:"options"`
	Page    int                     `json:"page,omitempty"`
	Limit   int                     `json:"limit,omitempty"`
	HasMore bool                    `json:"hasMore"`
	// Cursor, when set, fetches the next page (ConnectorFilterOptionsParams.Cursor).
	Cursor  string `json:"cursor,omitempty"`
	Message string `json:"message,omitempty"`
}

// UnmarshalJSON reads the nested and the flat shape.
func (o *ConnectorFilterFieldOptions) UnmarshalJSON(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorFilterFieldOptions")
	if err != nil {
		return err
	}
	var v ConnectorFilterFieldOptions
	phTake(w, &v.Success, "success")
	phTake(w, &v.Options, "options")
	phTake(w, &v.Message, "message")
	for _, src := range []phWire{w, phNested(w, "pagination")} {
		phTake(src, &v.Page, "page")
		phTake(src, &v.Limit, "limit")
		phTake(src, &v.HasMore, "hasMore", "hasNext")
		phTake(src, &v.Cursor, "cursor", "nextCursor")
	}
	*o = v
	return nil
}

// ConnectorOAuthAuthorization starts a connector's OAuth flow: send the user's
// browser to AuthorizationURL. State comes back in the provider's callback.
type ConnectorOAuthAuthorization struct {
	AuthorizationURL string `json:"authorizationUrl"`
	State            string `json:"state,omitempty"`
}

// ConnectorOAuthCallbackResult is the outcome of handing an OAuth callback to
// PipesHub. The connector backend answers {success, error, redirect_url}; the
// gateway {success, error, errorMessage, redirectUrl}. Success is false when the
// server did not say.
type ConnectorOAuthCallbackResult struct {
	Success      bool   `json:"success"`
	Error        string `json:"error,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	// RedirectURL is where PipesHub would send the user's browser next:
	// redirectUrl or redirect_url, or the target of a redirect the server answered
	// with.
	RedirectURL string `json:"redirectUrl,omitempty"`
	// Message and ConnectorID are sent by gateways that answer JSON instead of
	// redirecting.
	Message     string `json:"message,omitempty"`
	ConnectorID string `json:"connectorId,omitempty"`
}

// UnmarshalJSON reads the gateway's and the backend's names.
func (r *ConnectorOAuthCallbackResult) UnmarshalJSON(b []byte) error {
	w, err := phDecodeWire(b, "ConnectorOAuthCallbackResult")
	if err != nil {
		return err
	}
	var v ConnectorOAuthCallbackResult
	phTake(w, &v.Success, "success")
	phTake(w, &v.Error, "error")
	phTake(w, &v.ErrorMessage, "errorMessage", "error_message")
	phTake(w, &v.RedirectURL, "redirectUrl", "redirect_url")
	phTake(w, &v.Message, "message")
	phTake(w, &v.ConnectorID, "connectorId", "connector_id", "_key")
	*r = v
	return nil
}

// ConnectorResult is a bare {success, message} answer.
type ConnectorResult struct {
	Success bool   `json:"success"`
	Message string `json:"message,omitempty"`
}

// ConnectorDeleteResult is the body of PipesHub's answer to a delete. The spec
// answers 200 {success, message}: the instance is gone. The backend answers 202
// {success, message, connectorId, status: "DELETING"}: deletion runs in the
// background. ConnectorInstancesService.Delete returns only the *Response (its
// StatusCode tells the two apart); this type is for code that reads the body itself.
type ConnectorDeleteResult struct {
	// Accepted is not decoded: code that reads the body sets it from the status, true
	// when the server took the deletion on to finish it later (a 202, or status
	// "DELETING").
	Accepted    bool   `json:"-"`
	Success     bool   `json:"success"`
	Message     string `json:"message,omitempty"`
	ConnectorID string `json:"connectorId,omitempty"`
	// Status is the instance's status, "DELETING" for a 202.
	Status string `json:"status,omitempty"`
}

// ConnectorToggleResult is the answer to a toggle. The spec includes the updated
// instance; the backend sends only {success, message}, and Connector is nil then.
type ConnectorToggleResult struct {
	Success   bool               `json:"success"`
	Message   string             `json:"message,omitempty"`
	Connector *ConnectorInstance `json:"connector,omitempty"`
}

// ---- decoding helpers (prefixed ph: they are this file's own)

// phWire is a JSON object whose members are consumed as they are decoded; what is
// left at the end is what the type does not know.
type phWire map[string]json.RawMessage

func phDecodeWire(b []byte, what string) (phWire, error) {
	var w phWire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("models.%s: %w", what, err)
	}
	return w, nil
}

// phNested returns member key of w as a phWire, or nil.
func phNested(w phWire, key string) phWire {
	var n phWire
	if json.Unmarshal(w[key], &n) != nil {
		return nil
	}
	return n
}

func phIsNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// phIsNull reports whether member key is present with the value null.
func (w phWire) phIsNull(key string) bool {
	raw, ok := w[key]
	return ok && phIsNull(raw)
}

// phTake decodes into dst the first of keys that is present, not null, and of the
// right type, and reports whether one was. Every key that decodes (or is null) is
// consumed; one of the wrong type stays in w, so it ends up in Extra rather than
// failing the whole object.
func phTake[T any](w phWire, dst *T, keys ...string) bool {
	set := false
	for _, k := range keys {
		raw, ok := w[k]
		if !ok {
			continue
		}
		if phIsNull(raw) {
			delete(w, k)
			continue
		}
		var v T
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		delete(w, k)
		if !set {
			*dst = v
			set = true
		}
	}
	return set
}

func (w phWire) rest() map[string]json.RawMessage {
	if len(w) == 0 {
		return nil
	}
	return map[string]json.RawMessage(w)
}

// phMarshal encodes v like json.Marshal, without HTML escaping.
func phMarshal(v any) ([]byte, error) {
	return jsonenc.Marshal(v)
}

// phEncodeWithRaw encodes known (an object) and adds the members of extra it does not
// already have.
func phEncodeWithRaw(known any, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := phMarshal(known)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, v := range extra {
		if _, dup := all[k]; !dup && json.Valid(v) {
			all[k] = v
		}
	}
	return phMarshal(all)
}

// phEncodeWithExtra is phEncodeWithRaw for an Extra of plain Go values.
func phEncodeWithExtra(known any, extra map[string]any) ([]byte, error) {
	if len(extra) == 0 {
		return phMarshal(known)
	}
	raw := make(map[string]json.RawMessage, len(extra))
	for k, v := range extra {
		b, err := phMarshal(v)
		if err != nil {
			return nil, fmt.Errorf("extra member %q: %w", k, err)
		}
		raw[k] = b
	}
	return phEncodeWithRaw(known, raw)
}

// phDecodeWithExtra decodes b into known (a pointer to a struct without its own
// UnmarshalJSON) and puts the members that match none of its json names into
// *extra, numbers as json.Number.
func phDecodeWithExtra[T any](b []byte, known *T, extra *map[string]any) error {
	var zero T
	*known = zero
	if err := json.Unmarshal(b, known); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	names := phJSONNames(reflect.TypeFor[T]())
	*extra = nil
	for k, raw := range all {
		if names[strings.ToLower(k)] {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if *extra == nil {
			*extra = make(map[string]any)
		}
		(*extra)[k] = v
	}
	return nil
}

var phJSONNamesCache sync.Map // reflect.Type -> map[string]bool

// phJSONNames returns the lower-cased json member names of struct type t (encoding/json
// matches names without regard to case).
func phJSONNames(t reflect.Type) map[string]bool {
	if v, ok := phJSONNamesCache.Load(t); ok {
		return v.(map[string]bool)
	}
	names := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names[strings.ToLower(name)] = true
	}
	phJSONNamesCache.Store(t, names)
	return names
}
