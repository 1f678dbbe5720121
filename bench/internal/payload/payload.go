// Package payload holds the PipesHub answers the benchmark server sends, in the
// shape PipesHub's backend really sends them (docs/vendor-notes.md: _key, name,
// type, the registry fields, isAgentActive, epoch-millisecond timestamps, the long
// pagination), and the request the Create scenario sends.
//
// The types are plain structs with every member of those answers, in the backend's
// order: the server encodes them, and the floor contestant decodes into them.
// Everything is deterministic: the same arguments give the same bytes.
package payload

import (
	"encoding/json"
	"fmt"
)

// Fixed values the scenarios and the server share.
const (
	// Token is the bearer token every contestant sends.
	Token = "bench-jwt-token" //nolint:gosec // G101: a made-up token for a loopback server
	// BasePath is the API prefix of PipesHub (servers: /api/v1).
	BasePath = "/api/v1"
	// InstanceID is the id Get asks for; any other id gets 404.
	InstanceID = "9b2f3c1e-0d4a-4e5b-8c6d-7e8f9a0b1c2d"
	// Total is the number of instances the list pages walk through.
	Total = 100_000
	// MaxLimit is PipesHub's largest page size.
	MaxLimit = 200
	// CreatedID is the id in Create's answer.
	CreatedID = "3f6c2a9e-5b1d-4c8e-9a7f-1e2d3c4b5a69"
)

// DocumentationLink is one entry of documentationLinks.
type DocumentationLink struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Type  string `json:"type"`
}

// Instance is a connector instance as the backend's _build_connector_info builds it
// for lists and Get: the registry fields, then the instance's fields (which
// override name and scope), then config on Get only.
type Instance struct {
	Name                  string              `json:"name"`
	Type                  string              `json:"type"`
	AppGroup              string              `json:"appGroup"`
	SupportedAuthTypes    []string            `json:"supportedAuthTypes"`
	AppDescription        string              `json:"appDescription"`
	AppCategories         []string            `json:"appCategories"`
	IconPath              string              `json:"iconPath"`
	SupportsRealtime      bool                `json:"supportsRealtime"`
	SupportsSync          bool                `json:"supportsSync"`
	SupportsAgent         bool                `json:"supportsAgent"`
	DocumentationLinks    []DocumentationLink `json:"documentationLinks"`
	IsAdminAccessRequired bool                `json:"isAdminAccessRequired"`
	PersonalConnectorType *string             `json:"personalConnectorType"`
	Scope                 string              `json:"scope"`
	ConnectorInfo         *string             `json:"connectorInfo"`
	Key                   string              `json:"_key"`
	AuthType              string              `json:"authType"`
	IsActive              bool                `json:"isActive"`
	IsAgentActive         bool                `json:"isAgentActive"`
	IsConfigured          bool                `json:"isConfigured"`
	IsAuthenticated       bool                `json:"isAuthenticated"`
	Status                *string             `json:"status"`
	CreatedAtTimestamp    int64               `json:"createdAtTimestamp"`
	UpdatedAtTimestamp    int64               `json:"updatedAtTimestamp"`
	CreatedBy             string              `json:"createdBy"`
	UpdatedBy             *string             `json:"updatedBy"`
	IsLocked              bool                `json:"isLocked"`
	Config                *Config             `json:"config,omitempty"`
}

// CreatedInstance is the instance in the backend's answer to a create.
type CreatedInstance struct {
	ConnectorID     string `json:"connectorId"`
	ConnectorType   string `json:"connectorType"`
	InstanceName    string `json:"instanceName"`
	Created         bool   `json:"created"`
	Scope           string `json:"scope"`
	CreatedBy       string `json:"createdBy"`
	IsAuthenticated bool   `json:"isAuthenticated"`
	IsConfigured    bool   `json:"isConfigured"`
}

// Config is an instance's stored configuration, as Get returns it.
type Config struct {
	Auth    *AuthConfig    `json:"auth,omitempty"`
	Sync    *SyncConfig    `json:"sync,omitempty"`
	Filters *FiltersConfig `json:"filters,omitempty"`
}

// AuthConfig is the auth section of a configuration.
type AuthConfig struct {
	Values        map[string]any `json:"values,omitempty"`
	OAuthConfigID string         `json:"oauthConfigId,omitempty"`
	CustomValues  map[string]any `json:"customValues,omitempty"`
}

// SyncConfig is the sync section of a configuration.
type SyncConfig struct {
	SelectedStrategy string           `json:"selectedStrategy,omitempty"`
	ScheduledConfig  *ScheduledConfig `json:"scheduledConfig,omitempty"`
	WebhookConfig    *WebhookConfig   `json:"webhookConfig,omitempty"`
	Values           map[string]any   `json:"values,omitempty"`
	CustomValues     map[string]any   `json:"customValues,omitempty"`
}

// ScheduledConfig is the schedule of a SCHEDULED sync.
type ScheduledConfig struct {
	IntervalMinutes int    `json:"intervalMinutes,omitempty"`
	CronExpression  string `json:"cronExpression,omitempty"`
	Timezone        string `json:"timezone,omitempty"`
}

// WebhookConfig is the set-up of a WEBHOOK sync.
type WebhookConfig struct {
	WebhookURL string   `json:"webhookUrl,omitempty"`
	Events     []string `json:"events,omitempty"`
}

// FiltersConfig holds the sync and indexing filter selections.
type FiltersConfig struct {
	Sync     *FilterValues `json:"sync,omitempty"`
	Indexing *FilterValues `json:"indexing,omitempty"`
}

// FilterValues are filter selections keyed by filter name, each {operator, value,
// type} on the backend.
type FilterValues struct {
	Values map[string]any `json:"values,omitempty"`
}

// Pagination is the backend's page description.
type Pagination struct {
	Page       int     `json:"page"`
	Limit      int     `json:"limit"`
	Search     *string `json:"search"`
	TotalCount int     `json:"totalCount"`
	TotalPages int     `json:"totalPages"`
	HasPrev    bool    `json:"hasPrev"`
	HasNext    bool    `json:"hasNext"`
	PrevPage   *int    `json:"prevPage"`
	NextPage   *int    `json:"nextPage"`
}

// ScopeCounts counts the instances per scope.
type ScopeCounts struct {
	Personal int `json:"personal"`
	Team     int `json:"team"`
}

// List is the answer to GET /connectors.
type List struct {
	Success     bool         `json:"success"`
	Connectors  []Instance   `json:"connectors"`
	Pagination  *Pagination  `json:"pagination"`
	ScopeCounts *ScopeCounts `json:"scopeCounts"`
}

// One is the answer to GET /connectors/{id}.
type One struct {
	Success   bool      `json:"success"`
	Connector *Instance `json:"connector"`
}

// CreateAnswer is the backend's answer to POST /connectors.
type CreateAnswer struct {
	Success   bool             `json:"success"`
	Connector *CreatedInstance `json:"connector"`
	Message   string           `json:"message"`
}

// CreateRequest is the body of POST /connectors.
type CreateRequest struct {
	ConnectorType string  `json:"connectorType"`
	InstanceName  string  `json:"instanceName"`
	Scope         string  `json:"scope"`
	AuthType      string  `json:"authType,omitempty"`
	Config        *Config `json:"config,omitempty"`
	BaseURL       string  `json:"baseUrl,omitempty"`
}

// registryEntry is the part of an instance copied from the connector registry.
type registryEntry struct {
	typ, group, desc, icon, info string
	auth, categories             []string
	realtime, agent, admin       bool
	docs                         []DocumentationLink
}

var registry = []registryEntry{
	{typ: "Drive", group: "Google Workspace", desc: "Sync files and folders from Google Drive", icon: "/assets/icons/connectors/drive.svg",
		auth: []string{"OAUTH", "OAUTH_ADMIN_CONSENT"}, categories: []string{"Storage"}, agent: true,
		docs: []DocumentationLink{{"Setup", "https://docs.pipeshub.com/connectors/google-workspace/drive", "setup"}}},
	{typ: "Gmail", group: "Google Workspace", desc: "Sync emails and attachments from Gmail", icon: "/assets/icons/connectors/gmail.svg",
		auth: []string{"OAUTH"}, categories: []string{"Email"}, agent: true},
	{typ: "Confluence", group: "Atlassian", desc: "Sync pages and spaces from Confluence", icon: "/assets/icons/connectors/confluence.svg",
		auth: []string{"OAUTH", "API_TOKEN"}, categories: []string{"Knowledge"}, info: "Cloud and Server 7.0+"},
	{typ: "Jira", group: "Atlassian", desc: "Sync issues and comments from Jira", icon: "/assets/icons/connectors/jira.svg",
		auth: []string{"OAUTH", "API_TOKEN"}, categories: []string{"Issue Tracking"}, agent: true},
	{typ: "Slack", group: "Slack", desc: "Sync channels and threads from Slack", icon: "/assets/icons/connectors/slack.svg",
		auth: []string{"BEARER_TOKEN"}, categories: []string{"Messaging"}, realtime: true, admin: true},
	{typ: "OneDrive", group: "Microsoft 365", desc: "Sync files from OneDrive", icon: "/assets/icons/connectors/onedrive.svg",
		auth: []string{"OAUTH_ADMIN_CONSENT"}, categories: []string{"Storage"}, admin: true,
		docs: []DocumentationLink{{"Azure app", "https://docs.pipeshub.com/connectors/microsoft-365/onedrive", "setup"}}},
	{typ: "Notion", group: "Notion", desc: "Sync pages and databases from Notion", icon: "/assets/icons/connectors/notion.svg",
		auth: []string{"OAUTH", "API_TOKEN"}, categories: []string{"Knowledge"}, agent: true},
	{typ: "S3", group: "Amazon Web Services", desc: "Sync objects from S3 buckets", icon: "/assets/icons/connectors/s3.svg",
		auth: []string{"ACCESS_KEY"}, categories: []string{"Storage"}},
}

var ownerIDs = []string{"6650a1f2c3d4e5f6a7b8c9d0", "6650a1f2c3d4e5f6a7b8c9d1", "66b0c2d3e4f5a6b7c8d9e0f1"}

var teamNames = []string{"Marketing", "Sales", "Engineering", "Support", "Finance", "Équipe Lyon", "Legal", "Data"}

func ptr[T any](v T) *T { return &v }

// ListItem is item i (0-based) of the walk: every item differs in id, name, flags
// and times; the registry fields repeat every eight items.
func ListItem(i int) Instance {
	r := registry[i%len(registry)]
	var info, status, updatedBy *string
	if r.info != "" {
		info = ptr(r.info)
	}
	if i%3 != 0 {
		status = ptr("ACTIVE")
	}
	if i%4 != 0 {
		updatedBy = ptr(ownerIDs[(i+1)%len(ownerIDs)])
	}
	created := int64(1762771758436) + int64(i)*37_013
	authType := r.auth[i%len(r.auth)]
	docs := r.docs
	if docs == nil {
		docs = []DocumentationLink{}
	}
	return Instance{
		Name:                  fmt.Sprintf("%s %s %d", teamNames[i%len(teamNames)], r.typ, i+1),
		Type:                  r.typ,
		AppGroup:              r.group,
		SupportedAuthTypes:    r.auth,
		AppDescription:        r.desc,
		AppCategories:         r.categories,
		IconPath:              r.icon,
		SupportsRealtime:      r.realtime,
		SupportsSync:          true,
		SupportsAgent:         r.agent,
		DocumentationLinks:    docs,
		IsAdminAccessRequired: r.admin,
		Scope:                 "team",
		ConnectorInfo:         info,
		Key:                   fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", 0x9b2f3c1e+i, i%0x10000, i%0x1000, (i*7)%0x1000, 0x7e8f9a0b1c2d+int64(i)),
		AuthType:              authType,
		IsActive:              i%5 != 0,
		IsAgentActive:         r.agent && i%2 == 0,
		IsConfigured:          i%7 != 0,
		IsAuthenticated:       i%6 != 0,
		Status:                status,
		CreatedAtTimestamp:    created,
		UpdatedAtTimestamp:    created + int64(i%5)*86_400_000,
		CreatedBy:             ownerIDs[i%len(ownerIDs)],
		UpdatedBy:             updatedBy,
		IsLocked:              i%11 == 0,
	}
}

// Get is the answer to GET /connectors/{InstanceID}: the first item, with its
// stored configuration.
func Get() []byte {
	c := ListItem(0)
	c.Key = InstanceID
	c.Config = &Config{
		Auth: &AuthConfig{
			Values:        map[string]any{"clientId": "1234567890-abcdefghij.apps.googleusercontent.com", "redirectUri": "https://pipeshub.example.com/connectors/oauth/callback/Drive"},
			OAuthConfigID: "6650a1f2c3d4e5f6a7b8c9e3",
		},
		Sync: &SyncConfig{
			SelectedStrategy: "SCHEDULED",
			ScheduledConfig:  &ScheduledConfig{IntervalMinutes: 60, Timezone: "Europe/Paris"},
			Values:           map[string]any{"batchSize": "50", "maxFileSizeMb": 25},
		},
		Filters: &FiltersConfig{
			Sync: &FilterValues{Values: map[string]any{
				"file_extensions": map[string]any{"operator": "in", "value": []any{"pdf", "docx", "xlsx", "pptx"}, "type": "list"},
				"modified_after":  map[string]any{"operator": "greater_than", "value": 1735689600000, "type": "datetime"},
			}},
			Indexing: &FilterValues{Values: map[string]any{
				"include_shared": map[string]any{"operator": "is", "value": true, "type": "boolean"},
			}},
		},
	}
	return mustMarshal(One{Success: true, Connector: &c})
}

// ListPage is the answer to GET /connectors?page=page&limit=limit: items
// (page-1)*limit on, out of Total.
func ListPage(page, limit int) []byte {
	first := (page - 1) * limit
	n := max(0, min(limit, Total-first))
	items := make([]Instance, n)
	for i := range items {
		items[i] = ListItem(first + i)
	}
	pages := (Total + limit - 1) / limit
	pg := &Pagination{Page: page, Limit: limit, TotalCount: Total, TotalPages: pages, HasPrev: page > 1, HasNext: page < pages}
	if pg.HasPrev {
		pg.PrevPage = ptr(page - 1)
	}
	if pg.HasNext {
		pg.NextPage = ptr(page + 1)
	}
	return mustMarshal(List{Success: true, Connectors: items, Pagination: pg, ScopeCounts: &ScopeCounts{Personal: 1_234, Team: Total}})
}

// NewCreateRequest is the body the Create scenario sends: a self-hosted Confluence
// with an API token, a schedule and a sync filter.
func NewCreateRequest() CreateRequest {
	return CreateRequest{
		ConnectorType: "Confluence",
		InstanceName:  "Engineering Wiki",
		Scope:         "team",
		AuthType:      "API_TOKEN",
		Config: &Config{
			Auth: &AuthConfig{Values: map[string]any{"username": "svc-pipeshub@example.com", "apiToken": "bench-api-token"}},
			Sync: &SyncConfig{SelectedStrategy: "SCHEDULED", ScheduledConfig: &ScheduledConfig{IntervalMinutes: 60, Timezone: "UTC"}},
			Filters: &FiltersConfig{Sync: &FilterValues{Values: map[string]any{
				"space_keys": map[string]any{"operator": "in", "value": []any{"ENG", "OPS"}, "type": "list"},
			}}},
		},
		BaseURL: "https://confluence.example.com",
	}
}

// Create is the backend's answer to the Create scenario's request (200, not the
// spec's 201).
func Create() []byte {
	r := NewCreateRequest()
	return mustMarshal(CreateAnswer{
		Success: true,
		Connector: &CreatedInstance{
			ConnectorID: CreatedID, ConnectorType: r.ConnectorType, InstanceName: r.InstanceName, Created: true,
			Scope: r.Scope, CreatedBy: ownerIDs[0], IsAuthenticated: false, IsConfigured: true,
		},
		Message: "Connector instance created successfully.",
	})
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
