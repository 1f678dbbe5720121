package conformance_test

// PipesHub (pipeshub/out.openapi.yaml, the SDK spec; and
// pipeshub/backend/pipeshub-openapi.yaml, the newer upstream spec) conformance cases.
// Cases validate against both specs, except those sending parameters only the
// upstream spec declares.

import (
	"context"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

const phConnector = "9b2f3c1e-0d4a-4e5b-8c6d-7e8f9a0b1c2d"

var phBoth = []specID{specPipesHubUpstream}

var pipesHubCases = []confCase{
	{
		method: "ConnectorInstancesService.List", variant: "nil params", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.List(ctx, nil)
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.List", variant: "spec params", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.List(ctx, &connapi.ListConnectorInstancesParams{
				Scope: models.ConnectorScopePersonal, Page: 2, Limit: 200, Search: "drive",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.List", variant: "upstream filters", spec: specPipesHubUpstream,
		ops: []string{"GET /connectors"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.List(ctx, &connapi.ListConnectorInstancesParams{
				Scope: models.ConnectorScopeTeam, Page: 1, Limit: 20, Search: "drive",
				IsAuthenticated: connapi.Ptr(true), IsActive: connapi.Ptr(false), ConnectorType: "google-drive",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.ListIter", spec: specPipesHub, also: phBoth, iter: true,
		ops: []string{"GET /connectors"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.ConnectorInstances.ListIter(ctx, &connapi.ListConnectorInstancesParams{Limit: 2}), 5)
		},
	},
	{
		method: "ConnectorInstancesService.ListConfigured", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/configured"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.ListConfigured(ctx, &connapi.ListConfiguredConnectorsParams{
				Scope: models.ConnectorScopeTeam, Page: 1, Limit: 50, Search: "jira",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.ListConfiguredIter", spec: specPipesHub, also: phBoth, iter: true,
		ops: []string{"GET /connectors/configured"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.ConnectorInstances.ListConfiguredIter(ctx, &connapi.ListConfiguredConnectorsParams{Limit: 2}), 5)
		},
	},
	{
		method: "ConnectorInstancesService.ListActiveAgents", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/agents/active"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.ListActiveAgents(ctx, &connapi.ListActiveAgentConnectorsParams{
				Scope: models.ConnectorScopePersonal, Page: 3, Limit: 10, Search: "slack",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.ListActiveAgentsIter", spec: specPipesHub, also: phBoth, iter: true,
		ops: []string{"GET /connectors/agents/active"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.ConnectorInstances.ListActiveAgentsIter(ctx, nil), 5)
		},
	},
	{
		method: "ConnectorInstancesService.ListActive", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/active"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.ListActive(ctx, nil)
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.ListInactive", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/inactive"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.ListInactive(ctx, nil)
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.Create", variant: "required only", spec: specPipesHub, also: phBoth,
		ops: []string{"POST /connectors"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.Create(ctx, &connapi.CreateConnectorRequest{
				ConnectorType: "google-drive", InstanceName: "Company Google Drive", Scope: models.ConnectorScopeTeam,
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.Create", variant: "spec fields", spec: specPipesHub, also: phBoth,
		ops: []string{"POST /connectors"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.Create(ctx, &connapi.CreateConnectorRequest{
				ConnectorType: "confluence", InstanceName: "My Confluence", Scope: models.ConnectorScopePersonal,
				AuthType: models.AuthTypeAPIToken, BaseURL: "https://confluence.example.test",
				Config: &models.ConnectorConfigSections{
					Auth: &models.ConnectorAuthConfig{Values: map[string]any{"apiToken": "t", "email": "ada@example.test"}},
					Sync: &models.ConnectorSyncConfig{
						SelectedStrategy: models.ConnectorSyncScheduled,
						ScheduledConfig:  &models.ConnectorScheduledSync{IntervalMinutes: 60, Timezone: "UTC"},
					},
					Filters: &models.ConnectorFiltersConfig{Sync: &models.ConnectorFilterValues{Values: map[string]any{"spaces": []any{"ENG"}}}},
				},
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.Create", variant: "upstream oauthConfigId", spec: specPipesHubUpstream,
		ops: []string{"POST /connectors"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.Create(ctx, &connapi.CreateConnectorRequest{
				ConnectorType: "google-drive", InstanceName: "Drive", Scope: models.ConnectorScopePersonal,
				AuthType: models.AuthTypeOAuth, OAuthConfigID: "oauth_config_123",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.Get", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/{connectorId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.Get(ctx, phConnector, nil)
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.Delete", spec: specPipesHub, also: phBoth, noResult: true,
		ops: []string{"DELETE /connectors/{connectorId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			_, err := c.ConnectorInstances.Delete(ctx, phConnector, nil)
			return nil, err
		},
	},
	{
		method: "ConnectorInstancesService.UpdateName", spec: specPipesHub, also: phBoth,
		ops: []string{"PUT /connectors/{connectorId}/name"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.UpdateName(ctx, phConnector, &connapi.UpdateConnectorNameRequest{InstanceName: "Sales Team Drive (Updated)"})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.GetConfig", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/{connectorId}/config"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.GetConfig(ctx, phConnector, nil)
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.UpdateConfig", spec: specPipesHub, also: phBoth,
		ops: []string{"PUT /connectors/{connectorId}/config"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.UpdateConfig(ctx, phConnector, &connapi.UpdateConnectorConfigRequest{
				Auth:    &models.ConnectorAuthConfig{Values: map[string]any{"apiKey": "k"}, CustomValues: map[string]any{"region": "eu"}},
				Sync:    &models.ConnectorSyncConfig{SelectedStrategy: models.ConnectorSyncWebhook, WebhookConfig: &models.ConnectorWebhookSync{Events: []string{"file.created"}}},
				Filters: &models.ConnectorFiltersConfig{Indexing: &models.ConnectorFilterValues{Values: map[string]any{"fileTypes": []any{"pdf"}}}},
				BaseURL: "https://jira.example.test",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.UpdateAuthConfig", spec: specPipesHub, also: phBoth,
		ops: []string{"PUT /connectors/{connectorId}/config/auth"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.UpdateAuthConfig(ctx, phConnector, &connapi.UpdateConnectorAuthConfigRequest{
				Auth:    &models.ConnectorAuthConfig{Values: map[string]any{"clientId": "id", "clientSecret": "secret"}, OAuthConfigID: "oauth_config_123"},
				BaseURL: "https://gitlab.example.test",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.UpdateFiltersSyncConfig", spec: specPipesHub, also: phBoth,
		ops: []string{"PUT /connectors/{connectorId}/config/filters-sync"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.UpdateFiltersSyncConfig(ctx, phConnector, &connapi.UpdateConnectorFiltersSyncRequest{
				Sync:    &models.ConnectorSyncConfig{SelectedStrategy: models.ConnectorSyncManual},
				Filters: &models.ConnectorFiltersConfig{Sync: &models.ConnectorFilterValues{Values: map[string]any{"folders": []any{"f1"}}}},
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.AuthorizationURL", variant: "nil params", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/{connectorId}/oauth/authorize"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.AuthorizationURL(ctx, phConnector, nil)
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.AuthorizationURL", variant: "base URL", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/{connectorId}/oauth/authorize"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.AuthorizationURL(ctx, phConnector, &connapi.ConnectorAuthorizationURLParams{BaseURL: "https://pipeshub.example.test"})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.HandleOAuthCallback", variant: "code", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/oauth/callback"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.HandleOAuthCallback(ctx, &connapi.ConnectorOAuthCallbackParams{
				Code: "4/0Adeu5", State: "eyJjb25uZWN0b3JJZCI6IjEifQ", BaseURL: "https://pipeshub.example.test",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.HandleOAuthCallback", variant: "error", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/oauth/callback"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.HandleOAuthCallback(ctx, &connapi.ConnectorOAuthCallbackParams{Error: "access_denied", State: "s"})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.GetFilters", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/{connectorId}/filters"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.GetFilters(ctx, phConnector, nil)
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.SaveFilters", spec: specPipesHub, also: phBoth,
		ops: []string{"POST /connectors/{connectorId}/filters"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.SaveFilters(ctx, phConnector, &connapi.SaveConnectorFiltersRequest{
				Filters: map[string]any{"folders": []any{map[string]any{"id": "folder_123", "name": "Documents"}}, "fileTypes": []any{"pdf"}},
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.FilterOptions", variant: "spec params", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/{connectorId}/filters/{filterKey}/options"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.FilterOptions(ctx, phConnector, "folders", &connapi.ConnectorFilterOptionsParams{
				Page: 2, Limit: 100, Search: "Repo", Cursor: "c-2",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.FilterOptions", variant: "upstream context groups", spec: specPipesHubUpstream,
		ops: []string{"GET /connectors/{connectorId}/filters/{filterKey}/options"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.FilterOptions(ctx, phConnector, "folders", &connapi.ConnectorFilterOptionsParams{
				ContextGroupPath: []string{"drive", "shared"}, ExcludeContextGroupPath: []string{"trash"},
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.FilterOptionsIter", spec: specPipesHub, also: phBoth, iter: true,
		ops: []string{"GET /connectors/{connectorId}/filters/{filterKey}/options"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.ConnectorInstances.FilterOptionsIter(ctx, phConnector, "folders", &connapi.ConnectorFilterOptionsParams{Limit: 2, Search: "Repo"}), 5)
		},
	},
	{
		method: "ConnectorInstancesService.Toggle", spec: specPipesHub, also: phBoth,
		ops: []string{"POST /connectors/{connectorId}/toggle"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.Toggle(ctx, phConnector, &connapi.ToggleConnectorRequest{Type: models.ConnectorToggleSync})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.Registry", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/registry"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.Registry(ctx, &connapi.ConnectorRegistryParams{
				Scope: models.ConnectorScopeTeam, Page: 1, Limit: 20, Search: "google",
			})
			return res, err
		},
	},
	{
		method: "ConnectorInstancesService.RegistryIter", spec: specPipesHub, also: phBoth, iter: true,
		ops: []string{"GET /connectors/registry"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.ConnectorInstances.RegistryIter(ctx, &connapi.ConnectorRegistryParams{Limit: 2}), 5)
		},
	},
	{
		method: "ConnectorInstancesService.Schema", spec: specPipesHub, also: phBoth,
		ops: []string{"GET /connectors/registry/{connectorType}/schema"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.ConnectorInstances.Schema(ctx, "google-drive", nil)
			return res, err
		},
	},
}
