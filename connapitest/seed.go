package connapitest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// SeedTime is the creation time of the first seeded object; the i-th object of each
// family is created i minutes later.
var SeedTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// seedAll loads WithSeed's objects.
func (h *Handler) seedAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := 1; i <= h.cfg.seed; i++ {
		t := SeedTime.Add(time.Duration(i) * time.Minute)
		name := fmt.Sprintf("Seed connection %03d", i)

		a := stackCatalog[(i-1)%len(stackCatalog)]
		h.newStackConn(stackRequest{Name: &name, ProviderID: &a.ProviderID, ConnectionTypeID: &a.ConnectionTypeID,
			ConnectionProviderData: map[string]any{"seed": i}}, t)

		pt := &pipesTypes[(i-1)%len(pipesTypes)]
		p := h.newPipesInstance(pt, fmt.Sprintf("Seed connector %03d", i), "team", pt.AuthTypes[0], t)
		p.configured = i%2 == 0
		p.authenticated = p.configured
		p.active = i%4 == 0
		p.agentActive = i%8 == 0 && pt.SupportsAgent

		in := &instillIntegrations[(i-1)%len(instillIntegrations)]
		method := "METHOD_DICTIONARY"
		if in.OAuthConfig != nil && i%3 == 0 {
			method = "METHOD_OAUTH"
		}
		setup := map[string]any{}
		for _, f := range in.required() {
			setup[f] = fmt.Sprintf("seed-%s-%03d", f, i)
		}
		h.newInstillConn(DefaultNamespace, fmt.Sprintf("connection-%03d", i), in.ID, method, setup, t)

		cfg := &openIntConfigs[(i-1)%len(openIntConfigs)]
		o := h.newOpenIntConn(cfg, t)
		customer := fmt.Sprintf("customer-%d", (i-1)%3+1)
		integration := "int_" + cfg.ConnectorName
		o.displayName, o.customerID, o.integrationID = &name, &customer, &integration
		o.settings = map[string]any{"oauth": map[string]any{"credentials": map[string]any{"access_token": fmt.Sprintf("seed-token-%03d", i)}}}
		o.metadata = map[string]any{"seed": i}
	}
}

// Stack AI: available connections.

type stackParam struct {
	Label       string `json:"label"`
	Type        string `json:"type"`
	Placeholder string `json:"placeholder"`
	Default     any    `json:"default"`
	Help        string `json:"help"`
	URL         string `json:"url"`
	Required    bool   `json:"required"`
	Name        string `json:"name"`
}

type stackAvailable struct {
	ConnectionTypeID string       `json:"connection_type_id"`
	ProviderID       string       `json:"provider_id"`
	Name             string       `json:"name"`
	Description      string       `json:"description"`
	Labels           []string     `json:"labels"`
	Params           []stackParam `json:"params"`
	MinimumPlan      string       `json:"minimum_plan"`
	Color            string       `json:"color"`
	IsMarketingStunt bool         `json:"is_marketing_stunt"`
	ConnectionType   string       `json:"connection_type"` // credentials | oauth
	authURL          string
}

var stackCatalog = []stackAvailable{
	{
		ConnectionTypeID: "gdrive", ProviderID: "gdrive", Name: "Google Drive",
		Description: "Index files and folders from Google Drive.", Labels: []string{"storage", "knowledge-base"},
		Params: []stackParam{}, MinimumPlan: "free", Color: "#4285F4", ConnectionType: "oauth",
		authURL: "https://accounts.google.com/o/oauth2/v2/auth",
	},
	{
		ConnectionTypeID: "notion", ProviderID: "notion", Name: "Notion",
		Description: "Read pages and databases from a Notion workspace.", Labels: []string{"knowledge-base"},
		Params: []stackParam{{
			Label: "Integration token", Type: "string", Placeholder: "secret_…", Name: "api_key", Required: true,
			Help: "Create an internal integration and share pages with it.", URL: "https://www.notion.so/my-integrations",
		}},
		MinimumPlan: "free", Color: "#000000", ConnectionType: "credentials",
	},
	{
		ConnectionTypeID: "confluence", ProviderID: "confluence", Name: "Confluence",
		Description: "Index Confluence spaces.", Labels: []string{"knowledge-base"},
		Params: []stackParam{
			{Label: "Site URL", Type: "string", Placeholder: "https://example.atlassian.net", Name: "base_url", Required: true},
			{Label: "Email", Type: "string", Placeholder: "you@example.com", Name: "email", Required: true},
			{Label: "API token", Type: "string", Name: "api_token", Required: true, URL: "https://id.atlassian.com/manage-profile/security/api-tokens"},
		},
		MinimumPlan: "team", Color: "#0052CC", ConnectionType: "credentials",
	},
	{
		ConnectionTypeID: "sharepoint", ProviderID: "microsoft", Name: "SharePoint",
		Description: "Index SharePoint sites and OneDrive folders.", Labels: []string{"storage", "knowledge-base"},
		Params: []stackParam{}, MinimumPlan: "enterprise", Color: "#038387", ConnectionType: "oauth",
		authURL: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
	},
}

// PipesHub: the connector registry.

type pipesType struct {
	Type, DisplayName, AppGroup, Description string
	AuthTypes, Categories                    []string
	SupportsSync, SupportsAgent              bool
	SupportsRealtime                         bool
	authURL                                  string
}

var pipesTypes = []pipesType{
	{Type: "GoogleDrive", DisplayName: "Google Drive", AppGroup: "Google Workspace", Description: "Sync files from Google Drive",
		AuthTypes: []string{"OAUTH", "OAUTH_ADMIN_CONSENT"}, Categories: []string{"storage"},
		SupportsSync: true, SupportsAgent: true, SupportsRealtime: true, authURL: "https://accounts.google.com/o/oauth2/v2/auth"},
	{Type: "Gmail", DisplayName: "Gmail", AppGroup: "Google Workspace", Description: "Sync mail from Gmail",
		AuthTypes: []string{"OAUTH", "OAUTH_ADMIN_CONSENT"}, Categories: []string{"email"},
		SupportsSync: true, SupportsAgent: false, authURL: "https://accounts.google.com/o/oauth2/v2/auth"},
	{Type: "Confluence", DisplayName: "Confluence", AppGroup: "Atlassian", Description: "Sync Confluence spaces and pages",
		AuthTypes: []string{"API_TOKEN", "OAUTH"}, Categories: []string{"knowledge"},
		SupportsSync: true, SupportsAgent: true, authURL: "https://auth.atlassian.com/authorize"},
	{Type: "Jira", DisplayName: "Jira", AppGroup: "Atlassian", Description: "Sync Jira issues",
		AuthTypes: []string{"API_TOKEN", "OAUTH"}, Categories: []string{"issue-tracking"},
		SupportsSync: true, SupportsAgent: true, authURL: "https://auth.atlassian.com/authorize"},
	{Type: "Slack", DisplayName: "Slack", AppGroup: "Slack", Description: "Sync Slack channels and messages",
		AuthTypes: []string{"OAUTH", "BEARER_TOKEN"}, Categories: []string{"communication"},
		SupportsSync: true, SupportsAgent: true, SupportsRealtime: true, authURL: "https://slack.com/oauth/v2/authorize"},
}

// pipesTypeOf finds a registry type by its name, in the registry's words
// ("GoogleDrive") or as the PipesHub page's examples write them ("google-drive",
// "confluence"): case, hyphens, underscores and spaces do not count.
func pipesTypeOf(typ string) *pipesType {
	key := pipesTypeKey(typ)
	for i := range pipesTypes {
		if pipesTypeKey(pipesTypes[i].Type) == key {
			return &pipesTypes[i]
		}
	}
	return nil
}

func pipesTypeKey(s string) string {
	return strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(s))
}

func (t *pipesType) icon() string {
	return "/assets/icons/connectors/" + strings.ToLower(t.Type) + ".svg"
}

// pipesSpecAuthTypes is the spec's closed ConnectorAuthType enum. The backend's
// set is open (BEARER_TOKEN, BASIC_AUTH, …); in the spec shape a type offers only
// the auth types the spec knows.
var pipesSpecAuthTypes = []string{"OAUTH", "OAUTH_ADMIN_CONSENT", "API_TOKEN", "USERNAME_PASSWORD", "NONE"}

// authTypes returns the auth types t offers in the backend's or the spec's shape.
func (t *pipesType) authTypes(spec bool) []string {
	if !spec {
		return t.AuthTypes
	}
	out := []string{}
	for _, a := range t.AuthTypes {
		if slices.Contains(pipesSpecAuthTypes, a) {
			out = append(out, a)
		}
	}
	return out
}

// pipesRegistryItem renders a registry entry in the backend's or the spec's shape.
func pipesRegistryItem(t *pipesType, spec bool) map[string]any {
	if spec {
		return map[string]any{
			"connectorType": t.Type, "displayName": t.DisplayName, "description": t.Description,
			"appGroup": t.AppGroup, "authTypes": t.authTypes(true), "supportedScopes": []string{"team", "personal"},
			"supportsSync": t.SupportsSync, "supportsAgent": t.SupportsAgent, "supportsRealtime": t.SupportsRealtime,
			"iconPath": t.icon(), "categories": t.Categories,
		}
	}
	return map[string]any{
		"name": t.Type, "type": t.Type, "appGroup": t.AppGroup, "appDescription": t.Description,
		"appCategories": t.Categories, "supportedAuthTypes": t.AuthTypes, "iconPath": t.icon(),
		"supportsRealtime": t.SupportsRealtime, "supportsSync": t.SupportsSync, "supportsAgent": t.SupportsAgent,
		"documentationLinks": []any{}, "isAdminAccessRequired": false, "scope": []string{"team", "personal"},
	}
}

// schema is the configuration schema of a connector type.
func (t *pipesType) schema() map[string]any {
	authFields := map[string]any{}
	var required []string
	for _, a := range t.AuthTypes {
		switch a {
		case "OAUTH", "OAUTH_ADMIN_CONSENT":
			authFields["clientId"] = map[string]any{"type": "string", "title": "Client ID"}
			authFields["clientSecret"] = map[string]any{"type": "string", "title": "Client secret", "secret": true}
		case "API_TOKEN", "BEARER_TOKEN":
			authFields["apiToken"] = map[string]any{"type": "string", "title": "API token", "secret": true}
		}
	}
	if isOAuth(t.AuthTypes[0]) {
		required = []string{"clientId", "clientSecret"}
	} else {
		required = []string{"apiToken"}
	}
	return map[string]any{
		"connectorType": t.Type,
		"authSchema":    map[string]any{"type": "object", "properties": authFields, "required": required},
		"syncSchema": map[string]any{"type": "object", "properties": map[string]any{
			"selectedStrategy": map[string]any{"type": "string", "enum": []string{"MANUAL", "SCHEDULED", "WEBHOOK", "REALTIME"}, "default": "MANUAL"},
			"scheduledConfig": map[string]any{"type": "object", "properties": map[string]any{
				"intervalMinutes": map[string]any{"type": "integer", "minimum": 5, "default": 60},
				"timezone":        map[string]any{"type": "string", "default": "UTC"},
			}},
		}},
		"filterSchema":   map[string]any{"filters": pipesFilterDefs},
		"requiredFields": required,
	}
}

var pipesFilterDefs = []map[string]any{
	{"key": "folders", "label": "Folders", "type": "multiselect", "dynamic": true, "options": []any{}},
	{"key": "fileTypes", "label": "File types", "type": "multiselect", "dynamic": false, "options": pipesFileTypes},
	{"key": "modifiedAfter", "label": "Modified after", "type": "text", "dynamic": false, "options": []any{}},
}

var pipesFileTypes = func() []map[string]string {
	var out []map[string]string
	for _, t := range []string{"pdf", "docx", "xlsx", "csv", "md", "txt"} {
		out = append(out, map[string]string{"id": t, "value": t, "label": strings.ToUpper(t)})
	}
	return out
}()

// pipesFilterOptionsOf returns the options of a filter field: 45 folders, the file
// types, and none for text fields.
func pipesFilterOptionsOf(key string) ([]map[string]string, bool) {
	switch key {
	case "folders":
		out := make([]map[string]string, 45)
		for i := range out {
			id := fmt.Sprintf("folder_%02d", i+1)
			out[i] = map[string]string{"id": id, "value": id, "label": fmt.Sprintf("Folder %02d", i+1)}
		}
		return out, true
	case "fileTypes":
		return pipesFileTypes, true
	case "modifiedAfter":
		return nil, true
	}
	return nil, false
}

// Instill AI: integrations.

type instillOAuth struct {
	AuthURL   string   `json:"authUrl"`
	AccessURL string   `json:"accessUrl"`
	Scopes    []string `json:"scopes"`
}

type instillIntegration struct {
	UID, ID, Title, Description, Vendor string
	SetupSchema                         map[string]any
	OAuthConfig                         *instillOAuth
}

func setupSchema(required []string, props map[string]any) map[string]any {
	return map[string]any{"type": "object", "required": required, "properties": props}
}

func secretField(title string) map[string]any {
	return map[string]any{"type": "string", "title": title, "instillSecret": true}
}

var instillIntegrations = []instillIntegration{
	{UID: "c1a0b7d4-0000-4000-8000-000000000001", ID: "github", Title: "GitHub", Vendor: "GitHub",
		Description: "Do anything available on GitHub.",
		SetupSchema: setupSchema([]string{"token"}, map[string]any{"token": secretField("Token")}),
		OAuthConfig: &instillOAuth{AuthURL: "https://github.com/login/oauth/authorize",
			AccessURL: "https://github.com/login/oauth/access_token", Scopes: []string{"repo", "write:repo_hook"}}},
	{UID: "c1a0b7d4-0000-4000-8000-000000000002", ID: "slack", Title: "Slack", Vendor: "Salesforce",
		Description: "Get and post messages on Slack channels.",
		SetupSchema: setupSchema([]string{"bot-token"}, map[string]any{
			"bot-token": secretField("Bot OAuth Token"), "user-token": secretField("User OAuth Token"),
		}),
		OAuthConfig: &instillOAuth{AuthURL: "https://slack.com/oauth/v2/authorize",
			AccessURL: "https://slack.com/api/oauth.v2.access", Scopes: []string{"channels:history", "chat:write"}}},
	{UID: "c1a0b7d4-0000-4000-8000-000000000003", ID: "google-drive", Title: "Google Drive", Vendor: "Google",
		Description: "Read files and folders from Google Drive.",
		SetupSchema: setupSchema([]string{"refresh-token"}, map[string]any{"refresh-token": secretField("Refresh Token")}),
		OAuthConfig: &instillOAuth{AuthURL: "https://accounts.google.com/o/oauth2/auth",
			AccessURL: "https://oauth2.googleapis.com/token", Scopes: []string{"https://www.googleapis.com/auth/drive"}}},
	{UID: "c1a0b7d4-0000-4000-8000-000000000004", ID: "openai", Title: "OpenAI", Vendor: "OpenAI",
		Description: "Connect the AI models served on the OpenAI Platform.",
		SetupSchema: setupSchema([]string{"api-key"}, map[string]any{
			"api-key":      secretField("API Key"),
			"organization": map[string]any{"type": "string", "title": "Organization ID"},
		})},
}

func instillIntegrationOf(id string) *instillIntegration {
	for i := range instillIntegrations {
		if instillIntegrations[i].ID == id {
			return &instillIntegrations[i]
		}
	}
	return nil
}

// required lists the setup fields the schema requires.
func (in *instillIntegration) required() []string {
	r, _ := in.SetupSchema["required"].([]string)
	return r
}

// secrets lists the setup fields marked instillSecret.
func (in *instillIntegration) secrets() map[string]bool {
	out := map[string]bool{}
	props, _ := in.SetupSchema["properties"].(map[string]any)
	for k, v := range props {
		if p, ok := v.(map[string]any); ok && p["instillSecret"] == true {
			out[k] = true
		}
	}
	return out
}

// json renders the integration; setupSchema and oAuthConfig only in VIEW_FULL.
func (in *instillIntegration) json(full bool) map[string]any {
	m := map[string]any{
		"uid": in.UID, "id": in.ID, "title": in.Title, "description": in.Description, "vendor": in.Vendor,
		"icon":     "assets/" + in.ID + ".svg",
		"helpLink": map[string]string{"text": "Learn more about the " + in.Title + " integration", "url": "https://www.instill-ai.com/docs/component/" + in.ID},
		"view":     "VIEW_BASIC",
	}
	if full {
		m["view"] = "VIEW_FULL"
		m["setupSchema"] = in.SetupSchema
		if in.OAuthConfig != nil {
			m["oAuthConfig"] = in.OAuthConfig
		}
	}
	return m
}

// OpenInt: connector configs.

type openIntConfig struct {
	ID, ConnectorName string
}

var openIntConfigs = []openIntConfig{
	{ID: "ccfg_github_01", ConnectorName: "github"},
	{ID: "ccfg_google-drive_01", ConnectorName: "google-drive"},
	{ID: "ccfg_slack_01", ConnectorName: "slack"},
	{ID: "ccfg_hubspot_01", ConnectorName: "hubspot"},
}

func openIntConfigOf(id string) *openIntConfig {
	for i := range openIntConfigs {
		if openIntConfigs[i].ID == id {
			return &openIntConfigs[i]
		}
	}
	return nil
}

func (c *openIntConfig) logoURL() string {
	return "https://cdn.openint.dev/connectors/" + c.ConnectorName + ".svg"
}
