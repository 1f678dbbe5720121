package connapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

// TestVendorPagesWalk runs every endpoint documented on the four vendors' pages
// (../shared/vendor-docs/), with the pages' own example values, through the SDK
// against connapitest, and checks that each one succeeds and that the server saw
// exactly those endpoints. Where a page gives no value (Stack AI's page shows no
// provider ids) the values come from the server, as a user's program would get
// them; where a page's example names server state (ids, cursors) the walk uses the
// objects it created. Every answer must carry a request id.
func TestVendorPagesWalk(t *testing.T) {
	t.Parallel()
	t.Run("Stack AI", walkStackAIPage)
	t.Run("PipesHub backend shape", func(t *testing.T) { walkPipesHubPage(t) })
	t.Run("PipesHub spec shape", func(t *testing.T) { walkPipesHubPage(t, connapitest.WithPipesHubSpecShape()) })
	t.Run("Instill AI", walkInstillPage)
	t.Run("OpenInt", walkOpenIntPage)
}

// pageEndpoint is one endpoint of a vendor page, as "METHOD /path/{param}" relative
// to the fake's root.
type pageEndpoint = string

// walkClient returns a client for base on srv, with retries off, and a check that
// every response carries a request id.
func walkClient(t *testing.T, base string, opts ...connapi.Option) *connapi.Client {
	t.Helper()
	all := append([]connapi.Option{connapi.WithBaseURL(base), connapi.WithoutRetries()}, opts...)
	c, err := connapi.NewClient(all...)
	require.NoError(t, err)
	return c
}

// ok fails the test unless the call succeeded with a request id.
func ok(t *testing.T, resp *connapi.Response, err error, step string) {
	t.Helper()
	require.NoError(t, err, step)
	require.NotNil(t, resp, step)
	assert.NotEmpty(t, resp.RequestID, "%s: the answer carries a request id", step)
}

// assertWalked checks that the server saw every endpoint of want, and no other.
func assertWalked(t *testing.T, srv *connapitest.Server, want []pageEndpoint) {
	t.Helper()
	seen := map[pageEndpoint]bool{}
	for _, r := range srv.Requests() {
		ep := ""
		for _, w := range want {
			if matchEndpoint(w, r.Method, r.Path) {
				ep = w
				break
			}
		}
		if assert.NotEmpty(t, ep, "request outside the page: %s %s", r.Method, r.Path) {
			seen[ep] = true
		}
	}
	for _, w := range want {
		assert.True(t, seen[w], "the walk missed %s", w)
	}
}

// matchEndpoint reports whether method and path match "METHOD /a/{x}/b".
func matchEndpoint(ep, method, path string) bool {
	m, pattern, _ := strings.Cut(ep, " ")
	if m != method {
		return false
	}
	ps, segs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(segs) {
		return false
	}
	for i, p := range ps {
		if !strings.HasPrefix(p, "{") && p != segs[i] {
			return false
		}
	}
	return true
}

// Stack AI: 19 endpoints (001_caa07b3c57f0bcde.txt).
func walkStackAIPage(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer()
	defer srv.Close()
	c := walkClient(t, srv.StackAIURL(), connapi.WithBearerToken(srv.Token()))
	ctx := context.Background()

	available, resp, err := c.Connections.ListAvailable(ctx, nil)
	ok(t, resp, err, "Get Available Connections")
	var creds, oauth *models.AvailableConnection
	for _, a := range available {
		switch {
		case a.ConnectionType == models.ConnectionTypeCredentials && creds == nil:
			creds = a
		case a.ConnectionType == models.ConnectionTypeOAuth && oauth == nil:
			oauth = a
		}
	}
	require.NotNil(t, creds)
	require.NotNil(t, oauth)

	// Create Connection: name is optional (default "Unnamed connection").
	req := &models.ConnectionRequest{ProviderID: creds.ProviderID, ConnectionTypeID: creds.ConnectionTypeID,
		ConnectionProviderData: map[string]any{"api_key": "secret_example"}}
	conn, resp, err := c.Connections.Create(ctx, req)
	ok(t, resp, err, "Create Connection")
	assert.Equal(t, "Unnamed connection", conn.Name)
	id := conn.ConnectionID

	// Get Connections: limit default 1000, offset default 0.
	list, resp, err := c.Connections.List(ctx, &connapi.ListConnectionsParams{Limit: 1000, Offset: 0})
	ok(t, resp, err, "Get Connections")
	assert.Len(t, list, 1)
	_, resp, err = c.Connections.List(ctx, &connapi.ListConnectionsParams{ConnectionProvider: creds.ProviderID})
	ok(t, resp, err, "Get Connections by provider")

	_, resp, err = c.Connections.Get(ctx, id, &connapi.GetConnectionParams{RefreshOAuthTokens: false})
	ok(t, resp, err, "Get Connection By Id")
	req.Name = "Sales Notion"
	conn, resp, err = c.Connections.Update(ctx, id, req)
	ok(t, resp, err, "Update Connection")
	assert.Equal(t, "Sales Notion", conn.Name)
	conn, resp, err = c.Connections.Patch(ctx, id, &connapi.PatchConnectionRequest{Name: "Renamed Notion"})
	ok(t, resp, err, "Patch Connection")
	assert.Equal(t, "Renamed Notion", conn.Name)
	_, resp, err = c.Connections.Health(ctx, id, nil)
	ok(t, resp, err, "Get Connection Health")

	// The OAuth flow: start, create from the callback, update from a new callback.
	oreq := &models.ConnectionRequest{Name: "Marketing Drive", ProviderID: oauth.ProviderID, ConnectionTypeID: oauth.ConnectionTypeID}
	u, resp, err := c.OAuth.Start(ctx, oreq)
	ok(t, resp, err, "Get Oauth Url")
	assert.True(t, strings.HasPrefix(u, "https://"), u)
	drive, resp, err := c.OAuth.CreateFromCallback(ctx, &connapi.CreateConnectionFromCallbackRequest{Code: "code-from-the-redirect", Connection: oreq})
	ok(t, resp, err, "Create Connection From Callback")
	drive, resp, err = c.OAuth.UpdateFromCallback(ctx, drive.ConnectionID, &connapi.UpdateConnectionFromCallbackRequest{Code: "code-from-a-new-consent", Connection: oreq})
	ok(t, resp, err, "Update Connection From Callback")
	assert.Equal(t, "Marketing Drive", drive.Name)

	// Resources: children of the root (resource_id null, page_size default 50),
	// then the next page by cursor, search, and get by ids (optional).
	page, resp, err := c.Resources.Children(ctx, drive.ConnectionID, &connapi.ListChildrenParams{PageSize: 50})
	ok(t, resp, err, "Get Children Resources")
	require.NotEmpty(t, page.Data)
	dir := page.Data[0]
	sub, resp, err := c.Resources.Children(ctx, drive.ConnectionID, &connapi.ListChildrenParams{ResourceID: dir.ResourceID, PageSize: 5})
	ok(t, resp, err, "Get Children Resources of a directory")
	require.NotEmpty(t, sub.NextCursor)
	_, resp, err = c.Resources.Children(ctx, drive.ConnectionID, &connapi.ListChildrenParams{ResourceID: dir.ResourceID, Cursor: sub.NextCursor, PageSize: 5})
	ok(t, resp, err, "Get Children Resources, next page")
	found, resp, err := c.Resources.Search(ctx, drive.ConnectionID, &connapi.SearchResourcesParams{Query: "summary", PageSize: 50})
	ok(t, resp, err, "Search")
	assert.NotEmpty(t, found.Data)
	byID, resp, err := c.Resources.Get(ctx, drive.ConnectionID, &connapi.GetResourcesParams{ResourceIDs: []string{dir.ResourceID}})
	ok(t, resp, err, "Get Connection Resources")
	assert.NotNil(t, byID[dir.ResourceID])
	none, resp, err := c.Resources.Get(ctx, drive.ConnectionID, nil)
	ok(t, resp, err, "Get Connection Resources without resource_ids")
	assert.Empty(t, none)

	// Get Paginated Connections: limit 10, offset 0, sort_by created_at, sort_dir
	// desc (the defaults), and a field__operator filter.
	pg, resp, err := c.Connections.ListPaginated(ctx, &connapi.ListPaginatedConnectionsParams{
		Limit: 10, SortBy: "created_at", SortDir: connapi.SortDesc,
		Filters: []connapi.ConnectionFilter{{Field: "name", Operator: "icontains", Value: "drive"}},
	})
	ok(t, resp, err, "Get Paginated Connections")
	require.Len(t, pg.Items, 1)
	_, resp, err = c.Connections.ListPaginated(ctx, nil)
	ok(t, resp, err, "Get Paginated Connections, defaults")

	// RBAC: subject_type user|group, role, subject_id a UUID.
	const user = "0b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	resp, err = c.RBAC.Update(ctx, id, &connapi.UpdateRBACRequest{SubjectType: models.SubjectTypeUser, Role: models.RoleEditor, SubjectID: user})
	ok(t, resp, err, "Update Connection Rbac")
	rbac, resp, err := c.RBAC.Get(ctx, id, nil)
	ok(t, resp, err, "Get Connection Rbac")
	assert.Equal(t, []models.Role{models.RoleEditor}, rbac.UserRoles.Roles(user))
	resp, err = c.RBAC.UpdateOrganizationRole(ctx, id, &connapi.UpdateOrganizationRoleRequest{Role: connapi.Ptr(models.RoleViewer)})
	ok(t, resp, err, "Update Connection Organization Role")
	resp, err = c.RBAC.UpdateOrganizationRole(ctx, id, &connapi.UpdateOrganizationRoleRequest{Role: nil}) // "Set to null to remove org-level access."
	ok(t, resp, err, "Update Connection Organization Role to null")
	resp, err = c.RBAC.Delete(ctx, id, &connapi.DeleteRBACParams{SubjectType: models.SubjectTypeUser, SubjectID: user})
	ok(t, resp, err, "Delete Connection Rbac")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	rbac, _, err = c.RBAC.Get(ctx, id, nil)
	require.NoError(t, err)
	assert.Nil(t, rbac.OrgLevelRole)
	assert.Empty(t, rbac.UserRoles.Roles(user))

	resp, err = c.Connections.Delete(ctx, id, nil)
	ok(t, resp, err, "Delete Connection")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	_, _, err = c.Connections.Get(ctx, id, nil)
	var apiErr *connapi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, errors.Is(err, connapi.ErrNotFound))
	assert.NotEmpty(t, apiErr.RequestID, "an error carries the request id too")

	assertWalked(t, srv, []pageEndpoint{
		"GET /connections/available", "GET /connections", "POST /connections",
		"GET /connections/{connection_id}", "PUT /connections/{connection_id}",
		"DELETE /connections/{connection_id}", "PATCH /connections/{connection_id}",
		"GET /connections/{connection_id}/health", "POST /connections/oauth/start",
		"POST /connections/oauth/callback", "PUT /connections/oauth/callback/{connection_id}",
		"GET /connections/{connection_id}/resources", "GET /connections/{connection_id}/resources/children",
		"GET /connections/{connection_id}/resources/search", "GET /api/v1/connections",
		"GET /api/v1/connections/{connection_id}/rbac", "PUT /api/v1/connections/{connection_id}/rbac",
		"DELETE /api/v1/connections/{connection_id}/rbac", "PATCH /api/v1/connections/{connection_id}/organization-role",
	})
}

// pipesHubExampleConfig is the config of both create examples on the PipesHub page.
func pipesHubExampleConfig() *models.ConnectorConfigSections {
	return &models.ConnectorConfigSections{
		Auth: &models.ConnectorAuthConfig{
			Values:        map[string]any{"apiKey": "sk-xxxxx", "baseUrl": "https://api.example.com"},
			OAuthConfigID: "oauth_config_123",
		},
		Sync: &models.ConnectorSyncConfig{
			ScheduledConfig: &models.ConnectorScheduledSync{CronExpression: "0 */6 * * *", Timezone: "America/New_York"},
			WebhookConfig:   &models.ConnectorWebhookSync{Events: []string{"file.created", "file.modified", "file.deleted"}},
		},
		Filters: &models.ConnectorFiltersConfig{Sync: &models.ConnectorFilterValues{Values: map[string]any{
			"folders": []string{"folder_id_1", "folder_id_2"}, "fileTypes": []string{"pdf", "docx", "xlsx"}, "includeShared": true,
		}}},
	}
}

// PipesHub: 9 endpoints (002_e826f881150b2eca.txt).
func walkPipesHubPage(t *testing.T, opts ...connapitest.Option) {
	t.Parallel()
	srv := connapitest.NewServer(opts...)
	defer srv.Close()
	c := walkClient(t, srv.PipesHubURL(), connapi.WithBearerToken(srv.Token()))
	ctx := context.Background()
	ci := c.ConnectorInstances

	// create, the page's two examples.
	confluence, resp, err := ci.Create(ctx, &connapi.CreateConnectorRequest{
		ConnectorType: "confluence", InstanceName: "My Confluence", Scope: models.ConnectorScopePersonal,
		AuthType: models.AuthTypeAPIToken, Config: pipesHubExampleConfig(), BaseURL: "https://confluence.mycompany.com",
	})
	ok(t, resp, err, "create (example confluence)")
	drive, resp, err := ci.Create(ctx, &connapi.CreateConnectorRequest{
		ConnectorType: "google-drive", InstanceName: "Company Google Drive", Scope: models.ConnectorScopeTeam,
		AuthType: models.AuthTypeOAuthAdminConsent, Config: pipesHubExampleConfig(), BaseURL: "https://confluence.mycompany.com",
	})
	ok(t, resp, err, "create (example googleDrive)")

	// list(scope="team", page=1, limit=20), and the personal scope.
	l, resp, err := ci.List(ctx, &connapi.ListConnectorInstancesParams{Scope: models.ConnectorScopeTeam, Page: 1, Limit: 20})
	ok(t, resp, err, "list")
	assert.Equal(t, []string{"Company Google Drive"}, instanceNames(l.Connectors))
	l, resp, err = ci.List(ctx, &connapi.ListConnectorInstancesParams{Scope: models.ConnectorScopePersonal, Search: "Confluence"})
	ok(t, resp, err, "list (personal, search)")
	assert.Equal(t, []string{"My Confluence"}, instanceNames(l.Connectors))

	_, resp, err = ci.ListActive(ctx, nil)
	ok(t, resp, err, "list_active")
	l, resp, err = ci.ListInactive(ctx, nil)
	ok(t, resp, err, "list_inactive")
	assert.Len(t, l.Connectors, 2)
	_, resp, err = ci.ListConfigured(ctx, &connapi.ListConfiguredConnectorsParams{Scope: models.ConnectorScopeTeam, Page: 1, Limit: 20})
	ok(t, resp, err, "list_configured")
	_, resp, err = ci.ListActiveAgents(ctx, &connapi.ListActiveAgentConnectorsParams{Scope: models.ConnectorScopeTeam, Page: 1, Limit: 20})
	ok(t, resp, err, "list_active_agents")

	got, resp, err := ci.Get(ctx, confluence.ConnectorID, nil)
	ok(t, resp, err, "get")
	assert.Equal(t, "My Confluence", got.InstanceName)
	assert.Equal(t, "Confluence", got.ConnectorType, "the registry's name")
	renamed, resp, err := ci.UpdateName(ctx, drive.ConnectorID, &connapi.UpdateConnectorNameRequest{InstanceName: "Sales Team Drive (Updated)"})
	ok(t, resp, err, "update_name")
	assert.Equal(t, "Sales Team Drive (Updated)", renamed.InstanceName)
	for _, id := range []string{confluence.ConnectorID, drive.ConnectorID} {
		resp, err = ci.Delete(ctx, id, nil)
		ok(t, resp, err, "delete")
	}

	assertWalked(t, srv, []pageEndpoint{
		"GET /api/v1/connectors", "POST /api/v1/connectors", "GET /api/v1/connectors/active",
		"GET /api/v1/connectors/inactive", "GET /api/v1/connectors/configured",
		"GET /api/v1/connectors/agents/active", "GET /api/v1/connectors/{connectorId}",
		"DELETE /api/v1/connectors/{connectorId}", "PUT /api/v1/connectors/{connectorId}/name",
	})
}

func instanceNames(l []*models.ConnectorInstance) []string {
	out := []string{}
	for _, in := range l {
		out = append(out, in.InstanceName)
	}
	slices.Sort(out)
	return out
}

// Instill AI: 4 endpoints (000_ea1de6386f512cec.txt). The page's NAMESPACE_ID and
// CONNECTION_ID are the example connection object's namespaceId ("test") and id
// ("openai"), created first (creation is not on the page).
func walkInstillPage(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer()
	defer srv.Close()
	c := walkClient(t, srv.InstillURL(), connapi.WithBearerToken(srv.Token()))
	ctx := context.Background()
	nc := c.NamespaceConnections

	// The page's example connection object.
	var example models.NamespaceConnection
	require.NoError(t, json.Unmarshal([]byte(`{
		"uid": "011477fa-9215-4d0a-b0ea-7101398f786f", "id": "openai", "namespaceId": "test",
		"integrationId": "openai", "integrationTitle": "OpenAI", "method": "METHOD_DICTIONARY",
		"setup": {"api-key": "key", "organization": "my-org"}, "scopes": [], "view": "VIEW_FULL",
		"createTime": "2024-10-01T07:55:03.697377Z", "updateTime": "2024-10-01T07:55:03.697377Z"
	}`), &example))
	_, _, err := nc.Create(ctx, example.NamespaceID, &example)
	require.NoError(t, err)

	l, resp, err := nc.List(ctx, "test", nil)
	ok(t, resp, err, "List Connections")
	require.Len(t, l.Connections, 1)
	got, resp, err := nc.Get(ctx, "test", "openai", &connapi.GetNamespaceConnectionParams{View: models.InstillViewFull})
	ok(t, resp, err, "Get Connection")
	assert.Equal(t, "OpenAI", got.IntegrationTitle)
	assert.Equal(t, "my-org", got.Setup["organization"])

	// Update, with the page's body: { "integrationId": "openai", "method":
	// "METHOD_DICTIONARY", "setup": {} }.
	upd, resp, err := nc.Update(ctx, "test", "openai", &connapi.UpdateNamespaceConnectionRequest{
		IntegrationID: connapi.Ptr("openai"), Method: connapi.Ptr(models.NamespaceConnectionMethodDictionary), Setup: map[string]any{},
	})
	ok(t, resp, err, "Update Connection")
	assert.Empty(t, upd.Setup)
	assert.Equal(t, "openai", upd.IntegrationID)

	resp, err = nc.Delete(ctx, "test", "openai", nil)
	ok(t, resp, err, "Delete Connection")

	assertWalked(t, srv, []pageEndpoint{
		"POST /v1beta/namespaces/{namespaceId}/connections", // the setup step
		"GET /v1beta/namespaces/{namespaceId}/connections", "GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}",
		"PATCH /v1beta/namespaces/{namespaceId}/connections/{connectionId}", "DELETE /v1beta/namespaces/{namespaceId}/connections/{connectionId}",
	})
}

// OpenInt: 1 endpoint (003_eba9348537afba47.txt), with both headers the page
// lists and its example body. Its integrationId example "<string>" contradicts
// "Must start with 'int_'", written under it: the walk prefixes it.
func walkOpenIntPage(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	c := walkClient(t, srv.OpenIntURL(), connapi.WithAPIKey(srv.APIKey()), connapi.WithConnectionID("conn_00000001"))
	ctx := context.Background()

	conn, resp, err := c.CoreConnections.Update(ctx, "conn_00000001", &connapi.UpdateCoreConnectionRequest{
		Settings:      models.NewNullable(map[string]any{}),
		DisplayName:   models.NewNullable("<string>"),
		Metadata:      "<any>",
		Disabled:      connapi.Ptr(true),
		CustomerID:    models.NewNullable("<string>"),
		IntegrationID: models.NewNullable("int_<string>"),
	})
	ok(t, resp, err, "PATCH /core/connection/{id} (example body)")
	assert.Equal(t, "<string>", conn.DisplayName)
	assert.Equal(t, "<string>", conn.CustomerID)
	assert.Equal(t, "int_<string>", conn.IntegrationID)
	assert.True(t, conn.Disabled)
	assert.JSONEq(t, `"<any>"`, string(conn.Metadata))

	// Every "… | null" field set to null clears it.
	conn, resp, err = c.CoreConnections.Update(ctx, "conn_00000001", &connapi.UpdateCoreConnectionRequest{
		Settings: models.Null[map[string]any](), DisplayName: models.Null[string](),
		CustomerID: models.Null[string](), IntegrationID: models.Null[string](),
	})
	ok(t, resp, err, "PATCH /core/connection/{id} (nulls)")
	assert.Nil(t, conn.Settings)
	assert.Empty(t, conn.DisplayName)
	assert.Empty(t, conn.CustomerID)
	assert.Empty(t, conn.IntegrationID)
	assert.True(t, conn.Disabled, "absent: kept")

	for _, r := range srv.Requests() {
		assert.Equal(t, []string{connapitest.Redacted}, r.Header["X-Apikey"])
		assert.Equal(t, []string{connapitest.Redacted}, r.Header["X-Connection-Id"])
	}
	assertWalked(t, srv, []pageEndpoint{"PATCH /v0/core/connection/{id}"})
}
