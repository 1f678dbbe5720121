package connapi

import "net/http"

// Operation describes one endpoint of a platform: what the SDK calls it, which
// platform serves it, and its HTTP method and path template as the vendor writes
// them. Every service method passes its endpoint's Operation with the call (an
// …Iter twin uses its list method's), so the client can refuse a call on the wrong
// platform, and so that whatever observes calls (a log record, a trace span, a
// metric) can name the operation without the filled-in path, whose IDs may be
// personal data. Operations are package-level values, read-only, and compare equal
// by pointer; Operations lists them all.
type Operation struct {
	name     string
	platform Platform
	method   string
	path     string
}

// Name is the operation's name in the SDK, "Service.Method", as
// "ConnectorInstances.Get".
func (o *Operation) Name() string { return o.name }

// Platform is the platform that serves the operation.
func (o *Operation) Platform() Platform { return o.platform }

// Method is the HTTP method, as "GET".
func (o *Operation) Method() string { return o.method }

// PathTemplate is the path, relative to the platform's base URL, exactly as the
// vendor's reference writes it, with its parameters unfilled:
// "/connectors/{connectorId}".
func (o *Operation) PathTemplate() string { return o.path }

// String returns "Name (METHOD /path)".
func (o *Operation) String() string { return o.name + " (" + o.method + " " + o.path + ")" }

// The operation of every endpoint, one each.
var (
	// Stack AI.
	opConnectionsListAvailable   = &Operation{"Connections.ListAvailable", PlatformStackAI, http.MethodGet, "/connections/available"}
	opConnectionsList            = &Operation{"Connections.List", PlatformStackAI, http.MethodGet, "/connections"}
	opConnectionsListPaginated   = &Operation{"Connections.ListPaginated", PlatformStackAI, http.MethodGet, "/api/v1/connections"}
	opConnectionsCreate          = &Operation{"Connections.Create", PlatformStackAI, http.MethodPost, "/connections"}
	opConnectionsGet             = &Operation{"Connections.Get", PlatformStackAI, http.MethodGet, "/connections/{connection_id}"}
	opConnectionsUpdate          = &Operation{"Connections.Update", PlatformStackAI, http.MethodPut, "/connections/{connection_id}"}
	opConnectionsPatch           = &Operation{"Connections.Patch", PlatformStackAI, http.MethodPatch, "/connections/{connection_id}"}
	opConnectionsDelete          = &Operation{"Connections.Delete", PlatformStackAI, http.MethodDelete, "/connections/{connection_id}"}
	opConnectionsHealth          = &Operation{"Connections.Health", PlatformStackAI, http.MethodGet, "/connections/{connection_id}/health"}
	opOAuthStart                 = &Operation{"OAuth.Start", PlatformStackAI, http.MethodPost, "/connections/oauth/start"}
	opOAuthCreateFromCallback    = &Operation{"OAuth.CreateFromCallback", PlatformStackAI, http.MethodPost, "/connections/oauth/callback"}
	opOAuthUpdateFromCallback    = &Operation{"OAuth.UpdateFromCallback", PlatformStackAI, http.MethodPut, "/connections/oauth/callback/{connection_id}"}
	opResourcesGet               = &Operation{"Resources.Get", PlatformStackAI, http.MethodGet, "/connections/{connection_id}/resources"}
	opResourcesChildren          = &Operation{"Resources.Children", PlatformStackAI, http.MethodGet, "/connections/{connection_id}/resources/children"}
	opResourcesSearch            = &Operation{"Resources.Search", PlatformStackAI, http.MethodGet, "/connections/{connection_id}/resources/search"}
	opRBACGet                    = &Operation{"RBAC.Get", PlatformStackAI, http.MethodGet, "/api/v1/connections/{connection_id}/rbac"}
	opRBACUpdate                 = &Operation{"RBAC.Update", PlatformStackAI, http.MethodPut, "/api/v1/connections/{connection_id}/rbac"}
	opRBACDelete                 = &Operation{"RBAC.Delete", PlatformStackAI, http.MethodDelete, "/api/v1/connections/{connection_id}/rbac"}
	opRBACUpdateOrganizationRole = &Operation{"RBAC.UpdateOrganizationRole", PlatformStackAI, http.MethodPatch, "/api/v1/connections/{connection_id}/organization-role"}

	// PipesHub.
	opConnectorInstancesList                    = &Operation{"ConnectorInstances.List", PlatformPipesHub, http.MethodGet, "/connectors"}
	opConnectorInstancesListConfigured          = &Operation{"ConnectorInstances.ListConfigured", PlatformPipesHub, http.MethodGet, "/connectors/configured"}
	opConnectorInstancesListActiveAgents        = &Operation{"ConnectorInstances.ListActiveAgents", PlatformPipesHub, http.MethodGet, "/connectors/agents/active"}
	opConnectorInstancesListActive              = &Operation{"ConnectorInstances.ListActive", PlatformPipesHub, http.MethodGet, "/connectors/active"}
	opConnectorInstancesListInactive            = &Operation{"ConnectorInstances.ListInactive", PlatformPipesHub, http.MethodGet, "/connectors/inactive"}
	opConnectorInstancesCreate                  = &Operation{"ConnectorInstances.Create", PlatformPipesHub, http.MethodPost, "/connectors"}
	opConnectorInstancesGet                     = &Operation{"ConnectorInstances.Get", PlatformPipesHub, http.MethodGet, "/connectors/{connectorId}"}
	opConnectorInstancesDelete                  = &Operation{"ConnectorInstances.Delete", PlatformPipesHub, http.MethodDelete, "/connectors/{connectorId}"}
	opConnectorInstancesUpdateName              = &Operation{"ConnectorInstances.UpdateName", PlatformPipesHub, http.MethodPut, "/connectors/{connectorId}/name"}
	opConnectorInstancesGetConfig               = &Operation{"ConnectorInstances.GetConfig", PlatformPipesHub, http.MethodGet, "/connectors/{connectorId}/config"}
	opConnectorInstancesUpdateConfig            = &Operation{"ConnectorInstances.UpdateConfig", PlatformPipesHub, http.MethodPut, "/connectors/{connectorId}/config"}
	opConnectorInstancesUpdateAuthConfig        = &Operation{"ConnectorInstances.UpdateAuthConfig", PlatformPipesHub, http.MethodPut, "/connectors/{connectorId}/config/auth"}
	opConnectorInstancesUpdateFiltersSyncConfig = &Operation{"ConnectorInstances.UpdateFiltersSyncConfig", PlatformPipesHub, http.MethodPut, "/connectors/{connectorId}/config/filters-sync"}
	opConnectorInstancesAuthorizationURL        = &Operation{"ConnectorInstances.AuthorizationURL", PlatformPipesHub, http.MethodGet, "/connectors/{connectorId}/oauth/authorize"}
	opConnectorInstancesHandleOAuthCallback     = &Operation{"ConnectorInstances.HandleOAuthCallback", PlatformPipesHub, http.MethodGet, "/connectors/oauth/callback"}
	opConnectorInstancesGetFilters              = &Operation{"ConnectorInstances.GetFilters", PlatformPipesHub, http.MethodGet, "/connectors/{connectorId}/filters"}
	opConnectorInstancesSaveFilters             = &Operation{"ConnectorInstances.SaveFilters", PlatformPipesHub, http.MethodPost, "/connectors/{connectorId}/filters"}
	opConnectorInstancesFilterOptions           = &Operation{"ConnectorInstances.FilterOptions", PlatformPipesHub, http.MethodGet, "/connectors/{connectorId}/filters/{filterKey}/options"}
	opConnectorInstancesToggle                  = &Operation{"ConnectorInstances.Toggle", PlatformPipesHub, http.MethodPost, "/connectors/{connectorId}/toggle"}
	opConnectorInstancesRegistry                = &Operation{"ConnectorInstances.Registry", PlatformPipesHub, http.MethodGet, "/connectors/registry"}
	opConnectorInstancesSchema                  = &Operation{"ConnectorInstances.Schema", PlatformPipesHub, http.MethodGet, "/connectors/registry/{connectorType}/schema"}

	// Instill AI.
	opNamespaceConnectionsList                = &Operation{"NamespaceConnections.List", PlatformInstill, http.MethodGet, "/v1beta/namespaces/{namespaceId}/connections"}
	opNamespaceConnectionsCreate              = &Operation{"NamespaceConnections.Create", PlatformInstill, http.MethodPost, "/v1beta/namespaces/{namespaceId}/connections"}
	opNamespaceConnectionsGet                 = &Operation{"NamespaceConnections.Get", PlatformInstill, http.MethodGet, "/v1beta/namespaces/{namespaceId}/connections/{connectionId}"}
	opNamespaceConnectionsUpdate              = &Operation{"NamespaceConnections.Update", PlatformInstill, http.MethodPatch, "/v1beta/namespaces/{namespaceId}/connections/{connectionId}"}
	opNamespaceConnectionsDelete              = &Operation{"NamespaceConnections.Delete", PlatformInstill, http.MethodDelete, "/v1beta/namespaces/{namespaceId}/connections/{connectionId}"}
	opNamespaceConnectionsTest                = &Operation{"NamespaceConnections.Test", PlatformInstill, http.MethodPost, "/v1beta/namespaces/{namespaceId}/connections/{connectionId}/test"}
	opNamespaceConnectionsReferencedPipelines = &Operation{"NamespaceConnections.ReferencedPipelines", PlatformInstill, http.MethodGet, "/v1beta/namespaces/{namespaceId}/connections/{connectionId}/referenced-pipelines"}
	opIntegrationsList                        = &Operation{"Integrations.List", PlatformInstill, http.MethodGet, "/v1beta/integrations"}
	opIntegrationsGet                         = &Operation{"Integrations.Get", PlatformInstill, http.MethodGet, "/v1beta/integrations/{integrationId}"}

	// OpenInt.
	opCoreConnectionsList   = &Operation{"CoreConnections.List", PlatformOpenInt, http.MethodGet, "/core/connection"}
	opCoreConnectionsCreate = &Operation{"CoreConnections.Create", PlatformOpenInt, http.MethodPost, "/core/connection"}
	opCoreConnectionsGet    = &Operation{"CoreConnections.Get", PlatformOpenInt, http.MethodGet, "/core/connection/{id}"}
	opCoreConnectionsUpdate = &Operation{"CoreConnections.Update", PlatformOpenInt, http.MethodPatch, "/core/connection/{id}"}
	opCoreConnectionsDelete = &Operation{"CoreConnections.Delete", PlatformOpenInt, http.MethodDelete, "/core/connection/{id}"}
	opCoreConnectionsCheck  = &Operation{"CoreConnections.Check", PlatformOpenInt, http.MethodPost, "/core/connection/{id}/_check"}
	opCoreConnectionsSync   = &Operation{"CoreConnections.Sync", PlatformOpenInt, http.MethodPost, "/core/connection/{id}/_sync"}
)

// allOperations lists every Operation, grouped by platform.
var allOperations = [...]*Operation{
	opConnectionsListAvailable,
	opConnectionsList,
	opConnectionsListPaginated,
	opConnectionsCreate,
	opConnectionsGet,
	opConnectionsUpdate,
	opConnectionsPatch,
	opConnectionsDelete,
	opConnectionsHealth,
	opOAuthStart,
	opOAuthCreateFromCallback,
	opOAuthUpdateFromCallback,
	opResourcesGet,
	opResourcesChildren,
	opResourcesSearch,
	opRBACGet,
	opRBACUpdate,
	opRBACDelete,
	opRBACUpdateOrganizationRole,
	opConnectorInstancesList,
	opConnectorInstancesListConfigured,
	opConnectorInstancesListActiveAgents,
	opConnectorInstancesListActive,
	opConnectorInstancesListInactive,
	opConnectorInstancesCreate,
	opConnectorInstancesGet,
	opConnectorInstancesDelete,
	opConnectorInstancesUpdateName,
	opConnectorInstancesGetConfig,
	opConnectorInstancesUpdateConfig,
	opConnectorInstancesUpdateAuthConfig,
	opConnectorInstancesUpdateFiltersSyncConfig,
	opConnectorInstancesAuthorizationURL,
	opConnectorInstancesHandleOAuthCallback,
	opConnectorInstancesGetFilters,
	opConnectorInstancesSaveFilters,
	opConnectorInstancesFilterOptions,
	opConnectorInstancesToggle,
	opConnectorInstancesRegistry,
	opConnectorInstancesSchema,
	opNamespaceConnectionsList,
	opNamespaceConnectionsCreate,
	opNamespaceConnectionsGet,
	opNamespaceConnectionsUpdate,
	opNamespaceConnectionsDelete,
	opNamespaceConnectionsTest,
	opNamespaceConnectionsReferencedPipelines,
	opIntegrationsList,
	opIntegrationsGet,
	opCoreConnectionsList,
	opCoreConnectionsCreate,
	opCoreConnectionsGet,
	opCoreConnectionsUpdate,
	opCoreConnectionsDelete,
	opCoreConnectionsCheck,
	opCoreConnectionsSync,
}

// Operations returns every operation the SDK calls, one per endpoint, grouped by
// platform. The slice is a new copy; the Operations are shared.
func Operations() []*Operation {
	out := make([]*Operation, len(allOperations))
	copy(out, allOperations[:])
	return out
}
