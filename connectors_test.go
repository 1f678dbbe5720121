package connapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
	"github.com/connapi/connapi-go/pagination"
)

// phSpecInstance is a connector instance in the SDK spec's shape.
const phSpecInstance = `{"connectorId":"conn_abc123","connectorType":"google-drive","instanceName":"Company Drive",
	"scope":"team","authType":"OAUTH_ADMIN_CONSENT","createdBy":"user_1","orgId":"org_1","isActive":true,
	"isConfigured":true,"isAuthenticated":true,"syncEnabled":true,"agentEnabled":true,
	"lastSyncAt":"2026-02-03T04:05:06Z","createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:06Z"}`

// phBackendInstance is the same instance as PipesHub's backend sends it.
const phBackendInstance = `{"name":"Company Drive","type":"google-drive","appGroup":"Google Workspace",
	"supportedAuthTypes":["OAUTH_ADMIN_CONSENT"],"appDescription":"Files","appCategories":["Storage"],
	"iconPath":"/d.svg","supportsRealtime":false,"supportsSync":true,"supportsAgent":true,"documentationLinks":[],
	"scope":"team","connectorInfo":null,"_key":"conn_abc123","authType":"OAUTH_ADMIN_CONSENT","isActive":true,
	"isAgentActive":true,"isConfigured":true,"isAuthenticated":true,"isLocked":false,"status":null,
	"createdAtTimestamp":1767323045000,"updatedAtTimestamp":1767323046000,"createdBy":"user_1","updatedBy":null}`

var phCreated = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// phCheckInstance asserts the fields both fixtures share.
func phCheckInstance(t *testing.T, c *models.ConnectorInstance) {
	t.Helper()
	require.NotNil(t, c)
	assert.Equal(t, "conn_abc123", c.ConnectorID)
	assert.Equal(t, "Company Drive", c.InstanceName)
	assert.Equal(t, "google-drive", c.ConnectorType)
	assert.Equal(t, models.ConnectorScopeTeam, c.Scope)
	assert.Equal(t, models.AuthTypeOAuthAdminConsent, c.AuthType)
	assert.Equal(t, "user_1", c.CreatedBy)
	assert.True(t, c.IsActive)
	assert.True(t, c.IsConfigured)
	assert.True(t, c.IsAuthenticated)
	assert.True(t, c.SyncEnabled)
	assert.True(t, c.AgentEnabled)
	assert.True(t, c.CreatedAt.Equal(phCreated), "createdAt %v", c.CreatedAt)
}

// phShape is one wire shape of an answer: the spec's or the backend's.
type phShape struct {
	name   string
	status int
	body   string
}

func phShapes(specStatus int, spec string, backendStatus int, backend string) []phShape {
	return []phShape{{"spec", specStatus, spec}, {"backend", backendStatus, backend}}
}

func TestConnectorInstances_List(t *testing.T) {
	t.Parallel()
	shapes := phShapes(200, `{"success":true,"connectors":[`+phSpecInstance+`],"pagination":{"page":2,"limit":50,"total":51,"hasMore":false}}`,
		200, `{"success":true,"connectors":[`+phBackendInstance+`],"pagination":{"page":2,"limit":50,"search":"drive","totalCount":51,"totalPages":2,"hasPrev":true,"hasNext":false,"prevPage":1,"nextPage":null},"scopeCounts":{"personal":0,"team":51}}`)
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, url.Values{"scope": {"personal"}, "page": {"2"}, "limit": {"50"}, "search": {"drive"},
					"isAuthenticated": {"false"}, "isActive": {"true"}, "connectorType": {"Confluence"}})
				testNoBody(t, r)
				writeJSON(w, sh.status, sh.body)
			})
			l, resp, err := c.ConnectorInstances.List(context.Background(), &ListConnectorInstancesParams{
				Scope: models.ConnectorScopePersonal, Page: 2, Limit: 50, Search: "drive",
				IsAuthenticated: Ptr(false), IsActive: Ptr(true), ConnectorType: "Confluence",
			})
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			require.Len(t, l.Connectors, 1)
			phCheckInstance(t, l.Connectors[0])
			require.NotNil(t, l.Pagination)
			assert.Equal(t, 2, l.Pagination.Page)
			assert.Equal(t, 50, l.Pagination.Limit)
			assert.Equal(t, 51, l.Pagination.Total)
			assert.False(t, l.Pagination.HasMore)
		})
	}
}

func TestConnectorInstances_List_defaultsScopeToTeam(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connectors", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{"scope": {"team"}})
		writeJSON(w, 200, `{"success":true,"connectors":[]}`)
	})
	p := &ListConnectorInstancesParams{}
	for _, params := range []*ListConnectorInstancesParams{nil, p} {
		l, _, err := c.ConnectorInstances.List(context.Background(), params)
		require.NoError(t, err)
		assert.Empty(t, l.Connectors)
		assert.Nil(t, l.Pagination)
	}
	assert.Empty(t, p.Scope, "the caller's params are not changed")
}

func TestConnectorInstances_ListConfigured(t *testing.T) {
	t.Parallel()
	// The backend nests the page one level down.
	shapes := phShapes(200, `{"success":true,"connectors":[`+phSpecInstance+`],"pagination":{"page":1,"limit":20,"total":1,"hasMore":false}}`,
		200, `{"success":true,"connectors":{"connectors":[`+phBackendInstance+`],"pagination":{"page":1,"limit":20,"search":null,"totalCount":1,"totalPages":1,"hasPrev":false,"hasNext":false,"prevPage":null,"nextPage":null},"scopeCounts":{"personal":0,"team":1}}}`)
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/configured", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, url.Values{"scope": {"team"}, "page": {"1"}, "limit": {"20"}, "search": {"x"}})
				writeJSON(w, sh.status, sh.body)
			})
			l, _, err := c.ConnectorInstances.ListConfigured(context.Background(), &ListConfiguredConnectorsParams{Scope: "team", Page: 1, Limit: 20, Search: "x"})
			require.NoError(t, err)
			require.Len(t, l.Connectors, 1)
			phCheckInstance(t, l.Connectors[0])
			require.NotNil(t, l.Pagination)
			assert.Equal(t, 1, l.Pagination.Total)
		})
	}
}

func TestConnectorInstances_ListActiveAgents(t *testing.T) {
	t.Parallel()
	shapes := phShapes(200, `{"success":true,"connectors":[`+phSpecInstance+`],"pagination":{"page":1,"limit":20,"total":1,"hasMore":false}}`,
		200, `{"success":true,"connectors":[`+phBackendInstance+`],"pagination":{"page":1,"limit":20,"totalCount":1,"totalPages":1,"hasPrev":false,"hasNext":false,"prevPage":null,"nextPage":null}}`)
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/agents/active", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, url.Values{"scope": {"personal"}, "limit": {"5"}})
				writeJSON(w, sh.status, sh.body)
			})
			l, _, err := c.ConnectorInstances.ListActiveAgents(context.Background(), &ListActiveAgentConnectorsParams{Scope: "personal", Limit: 5})
			require.NoError(t, err)
			require.Len(t, l.Connectors, 1)
			phCheckInstance(t, l.Connectors[0])
		})
	}
	t.Run("nil params send no query", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		mux.HandleFunc("GET /connectors/agents/active", func(w http.ResponseWriter, r *http.Request) {
			testQuery(t, r, nil)
			writeJSON(w, 200, `{"success":true,"connectors":[]}`)
		})
		_, _, err := c.ConnectorInstances.ListActiveAgents(context.Background(), nil)
		require.NoError(t, err)
	})
}

func TestConnectorInstances_ListActiveAndInactive(t *testing.T) {
	t.Parallel()
	type lister func(context.Context) (*models.ConnectorInstanceList, *Response, error)
	for _, ep := range []struct {
		path string
		call func(*Client) lister
	}{
		{"connectors/active", func(c *Client) lister {
			return func(ctx context.Context) (*models.ConnectorInstanceList, *Response, error) {
				return c.ConnectorInstances.ListActive(ctx, nil)
			}
		}},
		{"connectors/inactive", func(c *Client) lister {
			return func(ctx context.Context) (*models.ConnectorInstanceList, *Response, error) {
				return c.ConnectorInstances.ListInactive(ctx, &ListInactiveConnectorsParams{})
			}
		}},
	} {
		for _, sh := range phShapes(200, `{"success":true,"connectors":[`+phSpecInstance+`]}`, 200, `{"success":true,"connectors":[`+phBackendInstance+`]}`) {
			t.Run(ep.path+"/"+sh.name, func(t *testing.T) {
				t.Parallel()
				c, mux := setup(t)
				mux.HandleFunc("GET /"+ep.path, func(w http.ResponseWriter, r *http.Request) {
					testMethod(t, r, http.MethodGet)
					testQuery(t, r, nil)
					testNoBody(t, r)
					writeJSON(w, sh.status, sh.body)
				})
				l, _, err := ep.call(c)(context.Background())
				require.NoError(t, err)
				require.Len(t, l.Connectors, 1)
				phCheckInstance(t, l.Connectors[0])
				assert.Nil(t, l.Pagination)
			})
		}
	}
}

func TestConnectorInstances_Create(t *testing.T) {
	t.Parallel()
	// The spec answers 201 with the whole instance, the backend 200 with a summary.
	shapes := phShapes(201, `{"success":true,"connector":`+phSpecInstance+`}`,
		200, `{"success":true,"connector":{"connectorId":"conn_abc123","connectorType":"google-drive","instanceName":"Company Drive",
			"created":true,"scope":"team","createdBy":"user_1","isAuthenticated":false,"isConfigured":true},
			"message":"Connector instance created successfully."}`)
	const wantBody = `{"connectorType":"google-drive","instanceName":"Company Drive","scope":"team","authType":"OAUTH_ADMIN_CONSENT",
		"config":{"auth":{"oauthConfigId":"oc_1","values":{"tenant":"a&b<c>"}},"sync":{"selectedStrategy":"SCHEDULED","scheduledConfig":{"intervalMinutes":60,"timezone":"UTC"}},
		"filters":{"sync":{"values":{"folders":["f1"]}}}},"baseUrl":"https://drive.example.com","oauthConfigId":"oc_1"}`
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("POST /connectors", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPost)
				testQuery(t, r, nil)
				testJSONBody(t, r, wantBody)
				writeJSON(w, sh.status, sh.body)
			})
			got, resp, err := c.ConnectorInstances.Create(context.Background(), &CreateConnectorRequest{
				ConnectorType: "google-drive",
				InstanceName:  "Company Drive",
				Scope:         models.ConnectorScopeTeam,
				AuthType:      models.AuthTypeOAuthAdminConsent,
				Config: &models.ConnectorConfigSections{
					Auth: &models.ConnectorAuthConfig{OAuthConfigID: "oc_1", Values: map[string]any{"tenant": "a&b<c>"}},
					Sync: &models.ConnectorSyncConfig{SelectedStrategy: models.ConnectorSyncScheduled,
						ScheduledConfig: &models.ConnectorScheduledSync{IntervalMinutes: 60, Timezone: "UTC"}},
					Filters: &models.ConnectorFiltersConfig{Sync: &models.ConnectorFilterValues{Values: map[string]any{"folders": []string{"f1"}}}},
				},
				BaseURL:       "https://drive.example.com",
				OAuthConfigID: "oc_1",
			})
			require.NoError(t, err)
			assert.Equal(t, sh.status, resp.StatusCode)
			assert.Equal(t, "conn_abc123", got.ConnectorID)
			assert.Equal(t, "Company Drive", got.InstanceName)
			assert.Equal(t, "google-drive", got.ConnectorType)
			assert.Equal(t, models.ConnectorScopeTeam, got.Scope)
			assert.True(t, got.IsConfigured)
			assert.Equal(t, sh.name == "backend", got.Created)
		})
	}
}

func TestConnectorInstances_Get(t *testing.T) {
	t.Parallel()
	for _, sh := range phShapes(200, `{"success":true,"connector":`+phSpecInstance+`}`, 200, `{"success":true,"connector":`+phBackendInstance+`}`) {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/{id}", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				assert.Equal(t, "/connectors/conn%2Fabc%20123", r.URL.EscapedPath())
				testQuery(t, r, nil)
				testNoBody(t, r)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.Get(context.Background(), "conn/abc 123", nil)
			require.NoError(t, err)
			phCheckInstance(t, got)
		})
	}
	t.Run("no connector member", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		mux.HandleFunc("GET /connectors/c1", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"success":true}`)
		})
		got, resp, err := c.ConnectorInstances.Get(context.Background(), "c1", nil)
		assert.Nil(t, got)
		require.NotNil(t, resp)
		var re *ResponseError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, 200, re.StatusCode)
		assert.Contains(t, err.Error(), `"connector"`)
	})
}

func TestConnectorInstances_Delete(t *testing.T) {
	t.Parallel()
	cases := []phShape{
		{"spec", 200, `{"success":true,"message":"Connector deleted"}`},
		{"backend", 202, `{"success":true,"message":"Connector deletion initiated","connectorId":"c1","status":"DELETING"}`},
		{"bare 202", 202, `{"success":true}`},
		{"no content", 204, ``},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("DELETE /connectors/c1", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodDelete)
				testQuery(t, r, nil)
				testNoBody(t, r)
				writeJSON(w, tc.status, tc.body)
			})
			resp, err := c.ConnectorInstances.Delete(context.Background(), "c1", nil)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}

func TestConnectorInstances_UpdateName(t *testing.T) {
	t.Parallel()
	name := strings.Repeat("é", 100) // 100 characters, 200 bytes: accepted
	shapes := phShapes(200, `{"success":true,"connector":{"connectorId":"c1","instanceName":"`+name+`","connectorType":"slack"}}`,
		200, `{"success":true,"connector":{"_key":"c1","name":"`+name+`"}}`)
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("PUT /connectors/c1/name", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPut)
				testQuery(t, r, nil)
				testJSONBody(t, r, `{"instanceName":"`+name+`"}`)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.UpdateName(context.Background(), "c1", &UpdateConnectorNameRequest{InstanceName: name})
			require.NoError(t, err)
			assert.Equal(t, "c1", got.ConnectorID)
			assert.Equal(t, name, got.InstanceName)
		})
	}
}

// phSpecConfig and phBackendConfig are GET /connectors/{id}/config answers.
const (
	phSpecConfig = `{"success":true,"config":{"connectorId":"c1","connectorType":"confluence","instanceName":"Wiki","authType":"API_TOKEN",
		"scope":"personal","config":{"auth":{"values":{"apiToken":"***"}},"sync":{"selectedStrategy":"MANUAL"},"filters":{"sync":{"values":{"spaces":["ENG"]}}}},
		"baseUrl":"https://wiki.example.com","isActive":false,"isConfigured":true,"isAuthenticated":true}}`
	phBackendConfig = `{"success":true,"config":{"connector_id":"c1","name":"Wiki","type":"confluence","appGroup":"Atlassian","authType":"API_TOKEN",
		"scope":"personal","createdBy":"u1","updatedBy":null,"appDescription":"","appCategories":[],"supportsRealtime":false,"supportsSync":true,
		"supportsAgent":true,"iconPath":"/c.svg","config":{"auth":{"authType":"API_TOKEN","connectorType":"confluence","connectorScope":"personal","values":{"apiToken":"***"}},
		"sync":{"selectedStrategy":"MANUAL"},"filters":{"sync":{"values":{"spaces":["ENG"]}}}},"isActive":false,"isConfigured":true,
		"isAuthenticated":true,"createdAtTimestamp":1767323045000,"updatedAtTimestamp":1767323045000}}`
)

func phCheckConfig(t *testing.T, cfg *models.ConnectorConfig) {
	t.Helper()
	require.NotNil(t, cfg)
	assert.Equal(t, "c1", cfg.ConnectorID)
	assert.Equal(t, "confluence", cfg.ConnectorType)
	assert.Equal(t, "Wiki", cfg.InstanceName)
	assert.Equal(t, models.AuthTypeAPIToken, cfg.AuthType)
	assert.True(t, cfg.IsConfigured)
	require.NotNil(t, cfg.Config.Auth)
	assert.Equal(t, map[string]any{"apiToken": "***"}, cfg.Config.Auth.Values)
	require.NotNil(t, cfg.Config.Sync)
	assert.Equal(t, models.ConnectorSyncManual, cfg.Config.Sync.SelectedStrategy)
	require.NotNil(t, cfg.Config.Filters)
	assert.Equal(t, []any{"ENG"}, cfg.Config.Filters.Sync.Values["spaces"])
}

func TestConnectorInstances_GetConfig(t *testing.T) {
	t.Parallel()
	for _, sh := range phShapes(200, phSpecConfig, 200, phBackendConfig) {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/c1/config", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, nil)
				testNoBody(t, r)
				writeJSON(w, sh.status, sh.body)
			})
			cfg, _, err := c.ConnectorInstances.GetConfig(context.Background(), "c1", nil)
			require.NoError(t, err)
			phCheckConfig(t, cfg)
		})
	}
}

// phBackendConfigUpdate is the backend's answer to a config update: the bare
// sections, with the stored OAuth tokens, which the SDK drops.
const phBackendConfigUpdate = `{"success":true,"config":{"auth":{"authType":"API_TOKEN","values":{"apiToken":"***"}},
	"sync":{"selectedStrategy":"MANUAL"},"filters":{"sync":{"values":{"spaces":["ENG"]}}},
	"credentials":{"access_token":"tok-secret-1"},"oauth":null},"message":"Configuration saved successfully.","syncFiltersChanged":true}`

func TestConnectorInstances_UpdateConfig(t *testing.T) {
	t.Parallel()
	for _, sh := range phShapes(200, phSpecConfig, 200, phBackendConfigUpdate) {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("PUT /connectors/c1/config", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPut)
				testQuery(t, r, nil)
				testJSONBody(t, r, `{"auth":{"values":{"apiToken":"new"}},"sync":{"selectedStrategy":"MANUAL"},
					"filters":{"indexing":{"values":{"pdf":true}}},"baseUrl":"http://wiki.internal:8090/","oauthConfigId":"oc"}`)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.UpdateConfig(context.Background(), "c1", &UpdateConnectorConfigRequest{
				Auth:          &models.ConnectorAuthConfig{Values: map[string]any{"apiToken": "new"}},
				Sync:          &models.ConnectorSyncConfig{SelectedStrategy: models.ConnectorSyncManual},
				Filters:       &models.ConnectorFiltersConfig{Indexing: &models.ConnectorFilterValues{Values: map[string]any{"pdf": true}}},
				BaseURL:       "http://wiki.internal:8090/",
				OAuthConfigID: "oc",
			})
			require.NoError(t, err)
			assert.True(t, got.Success)
			require.NotNil(t, got.Config)
			require.NotNil(t, got.Config.Config.Auth)
			assert.Equal(t, map[string]any{"apiToken": "***"}, got.Config.Config.Auth.Values)
			assert.Equal(t, models.ConnectorSyncManual, got.Config.Config.Sync.SelectedStrategy)
			if sh.name == "backend" {
				assert.Equal(t, "Configuration saved successfully.", got.Message)
				assert.True(t, got.SyncFiltersChanged)
				assert.NotContains(t, mustJSON(t, got), "tok-secret-1")
			} else {
				phCheckConfig(t, got.Config)
			}
		})
	}
}

func TestConnectorInstances_UpdateAuthConfig(t *testing.T) {
	t.Parallel()
	for _, sh := range phShapes(200, phSpecConfig, 200, phBackendConfigUpdate) {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("PUT /connectors/c1/config/auth", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPut)
				testQuery(t, r, nil)
				testJSONBody(t, r, `{"auth":{"authType":"API_TOKEN","values":{"apiToken":"rotated"},"customValues":{"k":"v"},"region":"eu"},"baseUrl":"https://wiki.example.com"}`)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.UpdateAuthConfig(context.Background(), "c1", &UpdateConnectorAuthConfigRequest{
				Auth: &models.ConnectorAuthConfig{AuthType: models.AuthTypeAPIToken, Values: map[string]any{"apiToken": "rotated"},
					CustomValues: map[string]any{"k": "v"}, Extra: map[string]any{"region": "eu"}},
				BaseURL: "https://wiki.example.com",
			})
			require.NoError(t, err)
			assert.True(t, got.Success)
			require.NotNil(t, got.Config)
			assert.Equal(t, map[string]any{"apiToken": "***"}, got.Config.Config.Auth.Values)
		})
	}
}

func TestConnectorInstances_UpdateFiltersSyncConfig(t *testing.T) {
	t.Parallel()
	for _, sh := range phShapes(200, phSpecConfig, 200, phBackendConfigUpdate) {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("PUT /connectors/c1/config/filters-sync", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPut)
				testQuery(t, r, nil)
				testJSONBody(t, r, `{"sync":{"selectedStrategy":"WEBHOOK","webhookConfig":{"events":["file.created"]}},"filters":{"sync":{"values":{"spaces":["ENG"]}}}}`)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.UpdateFiltersSyncConfig(context.Background(), "c1", &UpdateConnectorFiltersSyncRequest{
				Sync: &models.ConnectorSyncConfig{SelectedStrategy: models.ConnectorSyncWebhook,
					WebhookConfig: &models.ConnectorWebhookSync{Events: []string{"file.created"}}},
				Filters: &models.ConnectorFiltersConfig{Sync: &models.ConnectorFilterValues{Values: map[string]any{"spaces": []string{"ENG"}}}},
			})
			require.NoError(t, err)
			assert.True(t, got.Success)
			assert.Equal(t, sh.name == "backend", got.SyncFiltersChanged)
			assert.Equal(t, []any{"ENG"}, got.Config.Config.Filters.Sync.Values["spaces"])
		})
	}
}

func TestConnectorInstances_AuthorizationURL(t *testing.T) {
	t.Parallel()
	// Both specs and the backend agree on this answer.
	const body = `{"success":true,"authorizationUrl":"https://accounts.example.com/o/oauth2/auth?client_id=x&state=st_1","state":"st_1"}`
	cases := []struct {
		name  string
		p     *ConnectorAuthorizationURLParams
		query url.Values
	}{
		{"with baseUrl", &ConnectorAuthorizationURLParams{BaseURL: "https://pipeshub.example.com"}, url.Values{"baseUrl": {"https://pipeshub.example.com"}}},
		{"nil params", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/c1/oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, tc.query)
				testNoBody(t, r)
				writeJSON(w, 200, body)
			})
			got, _, err := c.ConnectorInstances.AuthorizationURL(context.Background(), "c1", tc.p)
			require.NoError(t, err)
			assert.Equal(t, "https://accounts.example.com/o/oauth2/auth?client_id=x&state=st_1", got.AuthorizationURL)
			assert.Equal(t, "st_1", got.State)
		})
	}
}

func TestConnectorInstances_HandleOAuthCallback(t *testing.T) {
	t.Parallel()
	wantQuery := url.Values{"code": {"code-123"}, "state": {"st_1"}, "baseUrl": {"https://pipeshub.example.com"}}
	params := &ConnectorOAuthCallbackParams{Code: "code-123", State: "st_1", BaseURL: "https://pipeshub.example.com"}
	cases := []struct {
		phShape
		want models.ConnectorOAuthCallbackResult
	}{
		{phShape{"backend", 200, `{"success":true,"redirect_url":"https://pipeshub.example.com/account/connectors?oauth_success=true"}`},
			models.ConnectorOAuthCallbackResult{Success: true, RedirectURL: "https://pipeshub.example.com/account/connectors?oauth_success=true"}},
		{phShape{"gateway", 200, `{"redirectUrl":"https://pipeshub.example.com/cb?oauth_error=invalid_state","success":false,"error":"invalid_state"}`},
			models.ConnectorOAuthCallbackResult{Error: "invalid_state", RedirectURL: "https://pipeshub.example.com/cb?oauth_error=invalid_state"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, wantQuery)
				testNoBody(t, r)
				writeJSON(w, tc.status, tc.body)
			})
			got, _, err := c.ConnectorInstances.HandleOAuthCallback(context.Background(), params)
			require.NoError(t, err)
			assert.Equal(t, tc.want, *got)
		})
	}
	t.Run("spec: 302 redirect", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		mux.HandleFunc("GET /connectors/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
			testQuery(t, r, url.Values{"error": {"access_denied"}})
			http.Redirect(w, r, testPrefix+"/frontend/connectors?oauth_error=access_denied", http.StatusFound)
		})
		mux.HandleFunc("GET /frontend/connectors", func(w http.ResponseWriter, r *http.Request) {
			t.Error("the redirect to the frontend was followed")
		})
		got, resp, err := c.ConnectorInstances.HandleOAuthCallback(context.Background(), &ConnectorOAuthCallbackParams{Error: "access_denied"})
		require.NoError(t, err)
		assert.Equal(t, http.StatusFound, resp.StatusCode)
		assert.False(t, got.Success)
		assert.True(t, strings.HasSuffix(got.RedirectURL, testPrefix+"/frontend/connectors?oauth_error=access_denied"), got.RedirectURL)
	})
	t.Run("not JSON, not redirected", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		mux.HandleFunc("GET /connectors/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("ok"))
		})
		_, _, err := c.ConnectorInstances.HandleOAuthCallback(context.Background(), params)
		var re *ResponseError
		require.ErrorAs(t, err, &re)
		assert.NotContains(t, err.Error(), "code-123")
	})
}

func TestConnectorInstances_GetFilters(t *testing.T) {
	t.Parallel()
	// The spec lists fields; the backend maps field names to option lists.
	shapes := phShapes(200, `{"success":true,"filterOptions":{"filters":[{"key":"channels","label":"Channels","type":"multiselect","dynamic":false,
			"options":[{"id":"general","value":"general","label":"#general"}]}]}}`,
		200, `{"success":true,"filterOptions":{"channels":[{"value":"general","label":"#general"}]}}`)
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/c1/filters", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, nil)
				testNoBody(t, r)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.GetFilters(context.Background(), "c1", nil)
			require.NoError(t, err)
			require.Len(t, got.Filters, 1)
			f := got.Filters[0]
			assert.Equal(t, "channels", f.Key)
			require.Len(t, f.Options, 1)
			assert.Equal(t, "general", f.Options[0].Value)
			assert.Equal(t, "#general", f.Options[0].Label)
		})
	}
}

func TestConnectorInstances_SaveFilters(t *testing.T) {
	t.Parallel()
	// Both specs and the backend answer {success, message}.
	c, mux := setup(t)
	mux.HandleFunc("POST /connectors/c1/filters", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testQuery(t, r, nil)
		testJSONBody(t, r, `{"filters":{"folders":[{"id":"f1","name":"Docs"}],"fileTypes":["pdf"],"modifiedAfter":"2024-01-01"}}`)
		writeJSON(w, 200, `{"success":true,"message":"Filter selections saved successfully"}`)
	})
	got, _, err := c.ConnectorInstances.SaveFilters(context.Background(), "c1", &SaveConnectorFiltersRequest{Filters: map[string]any{
		"folders":       []map[string]string{{"id": "f1", "name": "Docs"}},
		"fileTypes":     []string{"pdf"},
		"modifiedAfter": "2024-01-01",
	}})
	require.NoError(t, err)
	assert.Equal(t, models.ConnectorResult{Success: true, Message: "Filter selections saved successfully"}, *got)
}

func TestConnectorInstances_FilterOptions(t *testing.T) {
	t.Parallel()
	shapes := phShapes(200, `{"success":true,"options":[{"id":"C1","value":"C1","label":"#general"}],"pagination":{"page":2,"limit":50,"hasMore":true,"cursor":"cur-3"}}`,
		200, `{"success":true,"options":[{"id":"C1","label":"#general"}],"page":2,"limit":50,"hasMore":true,"cursor":"cur-3","message":null}`)
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/{id}/filters/{key}/options", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				assert.Equal(t, "/connectors/c1/filters/project_ids%2Fx/options", r.URL.EscapedPath())
				testQuery(t, r, url.Values{"page": {"2"}, "limit": {"50"}, "search": {"gen"}, "cursor": {"cur-2"},
					"contextGroupPath": {"org/a", "org/b"}, "excludeContextGroupPath": {"org/c"}})
				testNoBody(t, r)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.FilterOptions(context.Background(), "c1", "project_ids/x", &ConnectorFilterOptionsParams{
				Page: 2, Limit: 50, Search: "gen", Cursor: "cur-2",
				ContextGroupPath: []string{"org/a", "org/b"}, ExcludeContextGroupPath: []string{"org/c"},
			})
			require.NoError(t, err)
			assert.True(t, got.Success)
			assert.Equal(t, []models.ConnectorFilterOption{{ID: "C1", Value: map[bool]string{true: "C1"}[sh.name == "spec"], Label: "#general"}}, got.Options)
			assert.Equal(t, 2, got.Page)
			assert.True(t, got.HasMore)
			assert.Equal(t, "cur-3", got.Cursor)
		})
	}
	t.Run("backend failure inside a 200", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		mux.HandleFunc("GET /connectors/c1/filters/spaces/options", func(w http.ResponseWriter, r *http.Request) {
			testQuery(t, r, nil)
			writeJSON(w, 200, `{"success":false,"options":[],"page":1,"limit":20,"hasMore":false,"message":"upstream timed out"}`)
		})
		got, _, err := c.ConnectorInstances.FilterOptions(context.Background(), "c1", "spaces", nil)
		require.NoError(t, err)
		assert.False(t, got.Success)
		assert.Equal(t, "upstream timed out", got.Message)
	})
}

func TestConnectorInstances_Toggle(t *testing.T) {
	t.Parallel()
	cases := []struct {
		phShape
		req      *ToggleConnectorRequest
		wantBody string
	}{
		{phShape{"spec", 200, `{"success":true,"message":"Sync enabled successfully","connector":` + phSpecInstance + `}`},
			&ToggleConnectorRequest{Type: models.ConnectorToggleSync}, `{"type":"sync"}`},
		{phShape{"backend", 200, `{"success":true,"message":"Connector Company Drive sync enabled"}`},
			&ToggleConnectorRequest{Type: models.ConnectorToggleAgent}, `{"type":"agent"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("POST /connectors/c1/toggle", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPost)
				testQuery(t, r, nil)
				testJSONBody(t, r, tc.wantBody)
				writeJSON(w, tc.status, tc.body)
			})
			got, _, err := c.ConnectorInstances.Toggle(context.Background(), "c1", tc.req)
			require.NoError(t, err)
			assert.True(t, got.Success)
			assert.NotEmpty(t, got.Message)
			if tc.name == "spec" {
				phCheckInstance(t, got.Connector)
			} else {
				assert.Nil(t, got.Connector)
			}
		})
	}
}

func TestConnectorInstances_Registry(t *testing.T) {
	t.Parallel()
	shapes := phShapes(200, `{"success":true,"connectors":[{"connectorType":"slack","displayName":"Slack","authTypes":["OAUTH","API_TOKEN"],
			"supportedScopes":["team"],"supportsAgent":true,"categories":["Chat"]}],"pagination":{"page":1,"limit":10,"total":1,"hasMore":false}}`,
		200, `{"success":true,"connectors":[{"name":"Slack","type":"slack","appGroup":"Slack","supportedAuthTypes":["OAUTH","API_TOKEN"],
			"appDescription":"","appCategories":["Chat"],"iconPath":"/s.svg","supportsRealtime":true,"supportsSync":true,"supportsAgent":true,
			"config":{"hideConnector":false},"scope":"team","connectorInfo":null}],
			"pagination":{"page":1,"limit":10,"search":"sl","totalCount":1,"totalPages":1,"hasPrev":false,"hasNext":false,"prevPage":null,"nextPage":null},
			"registryCountsByScope":{"personal":3,"team":1}}`)
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/registry", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, url.Values{"scope": {"team"}, "page": {"1"}, "limit": {"10"}, "search": {"sl"}})
				testNoBody(t, r)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.Registry(context.Background(), &ConnectorRegistryParams{Scope: "team", Page: 1, Limit: 10, Search: "sl"})
			require.NoError(t, err)
			require.Len(t, got.Connectors, 1)
			ct := got.Connectors[0]
			assert.Equal(t, "slack", ct.ConnectorType)
			assert.Equal(t, "Slack", ct.DisplayName)
			assert.Equal(t, []models.AuthType{models.AuthTypeOAuth, models.AuthTypeAPIToken}, ct.AuthTypes)
			assert.Equal(t, []models.ConnectorScope{models.ConnectorScopeTeam}, ct.SupportedScopes)
			assert.Equal(t, []string{"Chat"}, ct.Categories)
			assert.True(t, ct.SupportsAgent)
			require.NotNil(t, got.Pagination)
			assert.Equal(t, 1, got.Pagination.Total)
		})
	}
}

func TestConnectorInstances_Schema(t *testing.T) {
	t.Parallel()
	shapes := phShapes(200, `{"success":true,"schema":{"connectorType":"google drive","authSchema":{"fields":[]},"syncSchema":{"strategies":["MANUAL"]},
			"filterSchema":{"fields":[]},"requiredFields":["clientId"]}}`,
		200, `{"success":true,"schema":{"iconPath":"/d.svg","supportsRealtime":false,"supportsSync":true,"supportsAgent":true,"documentationLinks":[],
			"hideConnector":false,"auth":{"fields":[]},"sync":{"strategies":["MANUAL"]},"filters":{"fields":[]}}}`)
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connectors/registry/{type}/schema", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				assert.Equal(t, "/connectors/registry/google%20drive/schema", r.URL.EscapedPath())
				testQuery(t, r, nil)
				testNoBody(t, r)
				writeJSON(w, sh.status, sh.body)
			})
			got, _, err := c.ConnectorInstances.Schema(context.Background(), "google drive", nil)
			require.NoError(t, err)
			assert.JSONEq(t, `{"fields":[]}`, string(got.AuthSchema))
			assert.JSONEq(t, `{"strategies":["MANUAL"]}`, string(got.SyncSchema))
			assert.JSONEq(t, `{"fields":[]}`, string(got.FilterSchema))
		})
	}
}

// phCall is one call of every method, with valid arguments.
type phCall struct {
	name string
	call func(*Client) (*Response, error)
}

func phAllCalls() []phCall {
	ctx := context.Background()
	ci := func(c *Client) *ConnectorInstancesService { return c.ConnectorInstances }
	first := func(seq iter.Seq2[*models.ConnectorInstance, error]) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	return []phCall{
		{"List", func(c *Client) (*Response, error) { _, r, err := ci(c).List(ctx, nil); return r, err }},
		{"ListIter", func(c *Client) (*Response, error) { return nil, first(ci(c).ListIter(ctx, nil)) }},
		{"ListConfigured", func(c *Client) (*Response, error) { _, r, err := ci(c).ListConfigured(ctx, nil); return r, err }},
		{"ListConfiguredIter", func(c *Client) (*Response, error) { return nil, first(ci(c).ListConfiguredIter(ctx, nil)) }},
		{"ListActiveAgents", func(c *Client) (*Response, error) { _, r, err := ci(c).ListActiveAgents(ctx, nil); return r, err }},
		{"ListActiveAgentsIter", func(c *Client) (*Response, error) { return nil, first(ci(c).ListActiveAgentsIter(ctx, nil)) }},
		{"ListActive", func(c *Client) (*Response, error) { _, r, err := ci(c).ListActive(ctx, nil); return r, err }},
		{"ListInactive", func(c *Client) (*Response, error) { _, r, err := ci(c).ListInactive(ctx, nil); return r, err }},
		{"Create", func(c *Client) (*Response, error) {
			_, r, err := ci(c).Create(ctx, &CreateConnectorRequest{ConnectorType: "slack", InstanceName: "S", Scope: "team"})
			return r, err
		}},
		{"Get", func(c *Client) (*Response, error) { _, r, err := ci(c).Get(ctx, "c1", nil); return r, err }},
		{"Delete", func(c *Client) (*Response, error) { return ci(c).Delete(ctx, "c1", nil) }},
		{"UpdateName", func(c *Client) (*Response, error) {
			_, r, err := ci(c).UpdateName(ctx, "c1", &UpdateConnectorNameRequest{InstanceName: "n"})
			return r, err
		}},
		{"GetConfig", func(c *Client) (*Response, error) { _, r, err := ci(c).GetConfig(ctx, "c1", nil); return r, err }},
		{"UpdateConfig", func(c *Client) (*Response, error) {
			_, r, err := ci(c).UpdateConfig(ctx, "c1", &UpdateConnectorConfigRequest{})
			return r, err
		}},
		{"UpdateAuthConfig", func(c *Client) (*Response, error) {
			_, r, err := ci(c).UpdateAuthConfig(ctx, "c1", &UpdateConnectorAuthConfigRequest{Auth: &models.ConnectorAuthConfig{}})
			return r, err
		}},
		{"UpdateFiltersSyncConfig", func(c *Client) (*Response, error) {
			_, r, err := ci(c).UpdateFiltersSyncConfig(ctx, "c1", &UpdateConnectorFiltersSyncRequest{Sync: &models.ConnectorSyncConfig{}})
			return r, err
		}},
		{"AuthorizationURL", func(c *Client) (*Response, error) { _, r, err := ci(c).AuthorizationURL(ctx, "c1", nil); return r, err }},
		{"HandleOAuthCallback", func(c *Client) (*Response, error) {
			_, r, err := ci(c).HandleOAuthCallback(ctx, &ConnectorOAuthCallbackParams{Code: "x", State: "y"})
			return r, err
		}},
		{"GetFilters", func(c *Client) (*Response, error) { _, r, err := ci(c).GetFilters(ctx, "c1", nil); return r, err }},
		{"SaveFilters", func(c *Client) (*Response, error) {
			_, r, err := ci(c).SaveFilters(ctx, "c1", &SaveConnectorFiltersRequest{Filters: map[string]any{"a": 1}})
			return r, err
		}},
		{"FilterOptions", func(c *Client) (*Response, error) {
			_, r, err := ci(c).FilterOptions(ctx, "c1", "k", nil)
			return r, err
		}},
		{"Toggle", func(c *Client) (*Response, error) {
			_, r, err := ci(c).Toggle(ctx, "c1", &ToggleConnectorRequest{Type: models.ConnectorToggleSync})
			return r, err
		}},
		{"Registry", func(c *Client) (*Response, error) { _, r, err := ci(c).Registry(ctx, nil); return r, err }},
		{"RegistryIter", func(c *Client) (*Response, error) {
			for _, err := range ci(c).RegistryIter(ctx, nil) {
				return nil, err
			}
			return nil, nil
		}},
		{"Schema", func(c *Client) (*Response, error) { _, r, err := ci(c).Schema(ctx, "slack", nil); return r, err }},
	}
}

// Every method turns PipesHub's error body into an *APIError.
func TestConnectorInstances_errorBody(t *testing.T) {
	t.Parallel()
	for _, tc := range phAllCalls() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var hits atomic.Int32
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header().Set("X-Request-Id", "req-9")
				writeJSON(w, 404, `{"error":{"code":"HTTP_NOT_FOUND","message":"Connector instance c1 not found or access denied","metadata":{"x":1}}}`)
			})
			resp, err := tc.call(c)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrNotFound)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 404, apiErr.StatusCode)
			assert.Equal(t, "HTTP_NOT_FOUND", apiErr.Code)
			assert.Equal(t, "Connector instance c1 not found or access denied", apiErr.Message)
			assert.Equal(t, "req-9", apiErr.RequestID)
			if !strings.HasSuffix(tc.name, "Iter") {
				require.NotNil(t, resp, "the *Response comes with the error")
				assert.Equal(t, 404, resp.StatusCode)
			}
			assert.Equal(t, int32(1), hits.Load(), "a 404 is not retried")
		})
	}
}

func TestConnectorInstances_List_gatewayRejectsMissingScope(t *testing.T) {
	t.Parallel()
	// What the gateway says when no scope is sent; the SDK always sends one, so
	// this only shows the error surfaces intact.
	c, mux := setup(t)
	mux.HandleFunc("GET /connectors", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"error":{"code":"HTTP_BAD_REQUEST","message":"Scope is required"}}`)
	})
	_, _, err := c.ConnectorInstances.List(context.Background(), nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "HTTP_BAD_REQUEST", apiErr.Code)
	assert.Equal(t, "Scope is required", apiErr.Message)
}

// Bad arguments are refused before anything is sent.
func TestConnectorInstances_invalidParams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	long := strings.Repeat("é", 101)
	okCreate := func(mod func(*CreateConnectorRequest)) *CreateConnectorRequest {
		r := &CreateConnectorRequest{ConnectorType: "slack", InstanceName: "Slack", Scope: models.ConnectorScopeTeam}
		mod(r)
		return r
	}
	iterErr := func(seq iter.Seq2[*models.ConnectorInstance, error]) error {
		n := 0
		var last error
		for _, err := range seq {
			n++
			last = err
		}
		if n != 1 {
			return fmt.Errorf("the iterator yielded %d times, want 1", n)
		}
		return last
	}
	cases := []struct {
		name  string
		words []string
		call  func(s *ConnectorInstancesService) error
	}{
		{"Get empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error { _, _, err := s.Get(ctx, "", nil); return err }},
		{"Get blank id", []string{"connectorId"}, func(s *ConnectorInstancesService) error { _, _, err := s.Get(ctx, "  ", nil); return err }},
		{"Get dot-dot id", []string{"connectorId"}, func(s *ConnectorInstancesService) error { _, _, err := s.Get(ctx, "..", nil); return err }},
		{"Delete empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error { _, err := s.Delete(ctx, "", nil); return err }},
		{"UpdateName empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateName(ctx, "", &UpdateConnectorNameRequest{InstanceName: "x"})
			return err
		}},
		{"UpdateName empty name", []string{"instanceName"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateName(ctx, "c1", &UpdateConnectorNameRequest{InstanceName: ""})
			return err
		}},
		{"UpdateName empty name", []string{"instanceName"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateName(ctx, "c1", &UpdateConnectorNameRequest{InstanceName: ""})
			return err
		}},
		{"UpdateName 101 characters", []string{"instanceName", "100"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateName(ctx, "c1", &UpdateConnectorNameRequest{InstanceName: long})
			return err
		}},
		{"GetConfig empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error { _, _, err := s.GetConfig(ctx, "", nil); return err }},
		{"UpdateConfig empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateConfig(ctx, "", &UpdateConnectorConfigRequest{})
			return err
		}},
		{"UpdateConfig nil", []string{"request"}, func(s *ConnectorInstancesService) error { _, _, err := s.UpdateConfig(ctx, "c1", nil); return err }},
		{"UpdateConfig bad baseUrl", []string{"baseUrl"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateConfig(ctx, "c1", &UpdateConnectorConfigRequest{BaseURL: "wiki.example.com"})
			return err
		}},
		{"UpdateAuthConfig empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateAuthConfig(ctx, "", &UpdateConnectorAuthConfigRequest{Auth: &models.ConnectorAuthConfig{}})
			return err
		}},
		{"UpdateAuthConfig no auth", []string{"auth"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateAuthConfig(ctx, "c1", &UpdateConnectorAuthConfigRequest{})
			return err
		}},
		{"UpdateAuthConfig bad baseUrl", []string{"baseUrl"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateAuthConfig(ctx, "c1", &UpdateConnectorAuthConfigRequest{Auth: &models.ConnectorAuthConfig{}, BaseURL: "ftp://files.example.com"})
			return err
		}},
		{"UpdateFiltersSyncConfig empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateFiltersSyncConfig(ctx, "", &UpdateConnectorFiltersSyncRequest{Sync: &models.ConnectorSyncConfig{}})
			return err
		}},
		{"UpdateFiltersSyncConfig nil", []string{"request"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateFiltersSyncConfig(ctx, "c1", nil)
			return err
		}},
		{"UpdateFiltersSyncConfig bad baseUrl", []string{"baseUrl"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.UpdateFiltersSyncConfig(ctx, "c1", &UpdateConnectorFiltersSyncRequest{Sync: &models.ConnectorSyncConfig{}, BaseURL: "https://"})
			return err
		}},
		{"AuthorizationURL empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.AuthorizationURL(ctx, "", nil)
			return err
		}},
		{"AuthorizationURL bad baseUrl", []string{"baseUrl"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.AuthorizationURL(ctx, "c1", &ConnectorAuthorizationURLParams{BaseURL: "/relative/path"})
			return err
		}},
		{"HandleOAuthCallback nil", []string{"code"}, func(s *ConnectorInstancesService) error { _, _, err := s.HandleOAuthCallback(ctx, nil); return err }},
		{"HandleOAuthCallback code without state", []string{"state"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.HandleOAuthCallback(ctx, &ConnectorOAuthCallbackParams{Code: "x"})
			return err
		}},
		{"HandleOAuthCallback bad baseUrl", []string{"baseUrl"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.HandleOAuthCallback(ctx, &ConnectorOAuthCallbackParams{Code: "x", State: "y", BaseURL: "http://exa mple.com"})
			return err
		}},
		{"GetFilters empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error { _, _, err := s.GetFilters(ctx, "", nil); return err }},
		{"SaveFilters empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.SaveFilters(ctx, "", &SaveConnectorFiltersRequest{Filters: map[string]any{"a": 1}})
			return err
		}},
		{"SaveFilters empty filters", []string{"filters"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.SaveFilters(ctx, "c1", &SaveConnectorFiltersRequest{})
			return err
		}},
		{"FilterOptions empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.FilterOptions(ctx, "", "k", nil)
			return err
		}},
		{"FilterOptions empty key", []string{"filterKey"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.FilterOptions(ctx, "c1", "", nil)
			return err
		}},
		{"FilterOptions limit 101", []string{"limit", "100"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.FilterOptions(ctx, "c1", "k", &ConnectorFilterOptionsParams{Limit: 101})
			return err
		}},
		{"FilterOptions page -1", []string{"page"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.FilterOptions(ctx, "c1", "k", &ConnectorFilterOptionsParams{Page: -1})
			return err
		}},
		{"Toggle empty id", []string{"connectorId"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Toggle(ctx, "", &ToggleConnectorRequest{Type: "sync"})
			return err
		}},
		{"Toggle nil", []string{"type"}, func(s *ConnectorInstancesService) error { _, _, err := s.Toggle(ctx, "c1", nil); return err }},
		{"Toggle bad type", []string{"type", "both"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Toggle(ctx, "c1", &ToggleConnectorRequest{Type: "both"})
			return err
		}},
		{"Toggle upper-case type", []string{"type"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Toggle(ctx, "c1", &ToggleConnectorRequest{Type: "SYNC"})
			return err
		}},
		{"Schema empty type", []string{"connectorType"}, func(s *ConnectorInstancesService) error { _, _, err := s.Schema(ctx, "", nil); return err }},
		{"Create nil", []string{"request"}, func(s *ConnectorInstancesService) error { _, _, err := s.Create(ctx, nil); return err }},
		{"Create no type", []string{"connectorType"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Create(ctx, okCreate(func(r *CreateConnectorRequest) { r.ConnectorType = "" }))
			return err
		}},
		{"Create empty name", []string{"instanceName"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Create(ctx, okCreate(func(r *CreateConnectorRequest) { r.InstanceName = "" }))
			return err
		}},
		{"Create 101 characters", []string{"instanceName", "101"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Create(ctx, okCreate(func(r *CreateConnectorRequest) { r.InstanceName = long }))
			return err
		}},
		{"Create no scope", []string{"scope"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Create(ctx, okCreate(func(r *CreateConnectorRequest) { r.Scope = "" }))
			return err
		}},
		{"Create bad scope", []string{"scope", "org"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Create(ctx, okCreate(func(r *CreateConnectorRequest) { r.Scope = "org" }))
			return err
		}},
		{"Create bad baseUrl", []string{"baseUrl"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Create(ctx, okCreate(func(r *CreateConnectorRequest) { r.BaseURL = "not a url" }))
			return err
		}},
		{"List limit 201", []string{"limit", "200"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.List(ctx, &ListConnectorInstancesParams{Limit: 201})
			return err
		}},
		{"List limit -1", []string{"limit"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.List(ctx, &ListConnectorInstancesParams{Limit: -1})
			return err
		}},
		{"List page -1", []string{"page"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.List(ctx, &ListConnectorInstancesParams{Page: -1})
			return err
		}},
		{"List bad scope", []string{"scope"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.List(ctx, &ListConnectorInstancesParams{Scope: "everyone"})
			return err
		}},
		{"ListConfigured limit 201", []string{"limit"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.ListConfigured(ctx, &ListConfiguredConnectorsParams{Limit: 201})
			return err
		}},
		{"ListActiveAgents page -3", []string{"page"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.ListActiveAgents(ctx, &ListActiveAgentConnectorsParams{Page: -3})
			return err
		}},
		{"Registry limit 500", []string{"limit"}, func(s *ConnectorInstancesService) error {
			_, _, err := s.Registry(ctx, &ConnectorRegistryParams{Limit: 500})
			return err
		}},
		{"ListIter limit 201", []string{"limit"}, func(s *ConnectorInstancesService) error {
			return iterErr(s.ListIter(ctx, &ListConnectorInstancesParams{Limit: 201}))
		}},
		{"ListIter page -1", []string{"page"}, func(s *ConnectorInstancesService) error {
			return iterErr(s.ListIter(ctx, &ListConnectorInstancesParams{Page: -1}))
		}},
		{"ListConfiguredIter bad scope", []string{"scope"}, func(s *ConnectorInstancesService) error {
			return iterErr(s.ListConfiguredIter(ctx, &ListConfiguredConnectorsParams{Scope: "Team"}))
		}},
		{"ListActiveAgentsIter limit 0 is fine, -2 is not", []string{"limit"}, func(s *ConnectorInstancesService) error {
			return iterErr(s.ListActiveAgentsIter(ctx, &ListActiveAgentConnectorsParams{Limit: -2}))
		}},
		{"ListIter nil context", []string{"context"}, func(s *ConnectorInstancesService) error {
			var nilCtx context.Context
			return iterErr(s.ListIter(nilCtx, nil))
		}},
		{"Get nil context", []string{"context"}, func(s *ConnectorInstancesService) error {
			var nilCtx context.Context
			_, _, err := s.Get(nilCtx, "c1", nil)
			return err
		}},
		{"RegistryIter limit 201", []string{"limit"}, func(s *ConnectorInstancesService) error {
			for _, err := range s.RegistryIter(ctx, &ConnectorRegistryParams{Limit: 201}) {
				return err
			}
			return nil
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, n := noRequestClient(t)
			err := tc.call(c.ConnectorInstances)
			assertInvalidParams(t, err, tc.words...)
			assert.Zero(t, n.Load(), "requests sent")
		})
	}
}

// phPager serves GET path from a list of page bodies (page 1 first) and counts the
// requests and the pages asked for.
type phPager struct {
	mu    sync.Mutex
	pages []int
}

func (p *phPager) serve(t *testing.T, mux *http.ServeMux, path string, bodies []string) {
	mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		page, err := strconv.Atoi(r.URL.Query().Get("page"))
		if !assert.NoError(t, err, "page query") {
			return
		}
		p.mu.Lock()
		p.pages = append(p.pages, page)
		p.mu.Unlock()
		if page < 1 || page > len(bodies) {
			writeJSON(w, 200, `{"success":true,"connectors":[]}`)
			return
		}
		writeJSON(w, 200, bodies[page-1])
	})
}

func (p *phPager) requested() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]int(nil), p.pages...)
}

func phItems(ids ...string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"_key":%q,"name":"n-%s","type":"slack","isActive":true}`, id, id)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func phIDs(t *testing.T, seq iter.Seq2[*models.ConnectorInstance, error]) []string {
	t.Helper()
	all, err := pagination.Collect(seq)
	require.NoError(t, err)
	ids := make([]string, len(all))
	for i, c := range all {
		ids[i] = c.ConnectorID
	}
	return ids
}

func TestConnectorInstances_ListIter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backendPage := func(page int, hasNext bool, ids ...string) string {
		next := "null"
		if hasNext {
			next = strconv.Itoa(page + 1)
		}
		return fmt.Sprintf(`{"success":true,"connectors":%s,"pagination":{"page":%d,"limit":2,"totalCount":5,"totalPages":3,"hasPrev":%t,"hasNext":%t,"prevPage":null,"nextPage":%s}}`,
			phItems(ids...), page, page > 1, hasNext, next)
	}
	specPage := func(page int, hasMore bool, ids ...string) string {
		return fmt.Sprintf(`{"success":true,"connectors":%s,"pagination":{"page":%d,"limit":2,"total":5,"hasMore":%t}}`, phItems(ids...), page, hasMore)
	}
	nextOnly := func(next string, ids ...string) string {
		return fmt.Sprintf(`{"success":true,"connectors":%s,"pagination":{"nextPage":%s}}`, phItems(ids...), next)
	}
	bare := func(ids ...string) string {
		return fmt.Sprintf(`{"success":true,"connectors":%s}`, phItems(ids...))
	}
	walks := []struct {
		name   string
		bodies []string
	}{
		{"ends on hasNext false", []string{backendPage(1, true, "a", "b"), backendPage(2, true, "c", "d"), backendPage(3, false, "e")}},
		// A full last page: only hasMore can end the walk there.
		{"ends on hasMore false", []string{specPage(1, true, "a", "b"), specPage(2, true, "c", "d"), specPage(3, false, "e", "f")}},
		{"ends on nextPage null", []string{nextOnly("2", "a", "b"), nextOnly("3", "c", "d"), nextOnly("null", "e", "f")}},
		{"ends on a short page", []string{bare("a", "b"), bare("c", "d"), bare("e")}},
	}
	for _, wk := range walks {
		t.Run(wk.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var pg phPager
			pg.serve(t, mux, "/connectors", wk.bodies)
			ids := phIDs(t, c.ConnectorInstances.ListIter(ctx, &ListConnectorInstancesParams{Limit: 2}))
			want := []string{"a", "b", "c", "d", "e", "f"}[:strings.Count(strings.Join(wk.bodies, ""), `"_key"`)]
			assert.Equal(t, want, ids)
			assert.Equal(t, []int{1, 2, 3}, pg.requested())
		})
	}

	t.Run("sends every parameter on every page", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var n atomic.Int32
		mux.HandleFunc("GET /connectors", func(w http.ResponseWriter, r *http.Request) {
			page := n.Add(1) + 1 // starts at page 2
			testQuery(t, r, url.Values{"scope": {"team"}, "page": {strconv.Itoa(int(page))}, "limit": {"2"}, "search": {"s"}, "isActive": {"false"}})
			writeJSON(w, 200, specPage(int(page), page < 3, "x"+strconv.Itoa(int(page))))
		})
		p := &ListConnectorInstancesParams{Page: 2, Limit: 2, Search: "s", IsActive: Ptr(false)}
		assert.Equal(t, []string{"x2", "x3"}, phIDs(t, c.ConnectorInstances.ListIter(ctx, p)))
		assert.Equal(t, 2, p.Page, "the caller's params are not changed")
		assert.Empty(t, p.Scope)
	})

	t.Run("lazy, break after the first item sends one request", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var pg phPager
		pg.serve(t, mux, "/connectors", []string{backendPage(1, true, "a", "b"), backendPage(2, false, "c")})
		seq := c.ConnectorInstances.ListIter(ctx, nil)
		assert.Empty(t, pg.requested(), "nothing before the first step")
		for conn, err := range seq {
			require.NoError(t, err)
			assert.Equal(t, "a", conn.ConnectorID)
			break
		}
		assert.Equal(t, []int{1}, pg.requested())
	})

	t.Run("ranging twice starts over", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var pg phPager
		pg.serve(t, mux, "/connectors", []string{backendPage(1, true, "a", "b"), backendPage(2, false, "c")})
		seq := c.ConnectorInstances.ListIter(ctx, nil)
		first := phIDs(t, seq)
		second := phIDs(t, seq)
		assert.Equal(t, []string{"a", "b", "c"}, first)
		assert.Equal(t, first, second)
		assert.Equal(t, []int{1, 2, 1, 2}, pg.requested())
	})

	t.Run("walks through an empty page that has more", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var pg phPager
		pg.serve(t, mux, "/connectors", []string{specPage(1, true, "a"), specPage(2, true), specPage(3, false, "b")})
		assert.Equal(t, []string{"a", "b"}, phIDs(t, c.ConnectorInstances.ListIter(ctx, nil)))
	})

	t.Run("a nextPage that does not advance stalls", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var pg phPager
		pg.serve(t, mux, "/connectors", []string{nextOnly("1", "a")})
		got, err := pagination.Collect(c.ConnectorInstances.ListIter(ctx, nil))
		assert.ErrorIs(t, err, pagination.ErrPaginationStalled)
		assert.Len(t, got, 1)
		assert.Equal(t, []int{1}, pg.requested())
	})

	t.Run("an error is yielded once and ends the walk", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t, WithoutRetries())
		var n atomic.Int32
		mux.HandleFunc("GET /connectors", func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				writeJSON(w, 200, specPage(1, true, "a"))
				return
			}
			writeJSON(w, 500, `{"error":{"code":"INTERNAL_ERROR","message":"boom"}}`)
		})
		var ids []string
		var errs []error
		for conn, err := range c.ConnectorInstances.ListIter(ctx, nil) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, conn.ConnectorID)
		}
		assert.Equal(t, []string{"a"}, ids)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrServer)
		assert.Equal(t, int32(2), n.Load())
	})
}

func TestConnectorInstances_otherIterators(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nested := func(page int, hasNext bool, ids ...string) string {
		return fmt.Sprintf(`{"success":true,"connectors":{"connectors":%s,"pagination":{"page":%d,"limit":20,"hasNext":%t}}}`, phItems(ids...), page, hasNext)
	}
	flat := func(page int, hasMore bool, ids ...string) string {
		return fmt.Sprintf(`{"success":true,"connectors":%s,"pagination":{"page":%d,"limit":20,"hasMore":%t}}`, phItems(ids...), page, hasMore)
	}
	t.Run("ListConfiguredIter", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var pg phPager
		pg.serve(t, mux, "/connectors/configured", []string{nested(1, true, "a"), nested(2, false, "b")})
		assert.Equal(t, []string{"a", "b"}, phIDs(t, c.ConnectorInstances.ListConfiguredIter(ctx, nil)))
		assert.Equal(t, []int{1, 2}, pg.requested())
	})
	t.Run("ListActiveAgentsIter", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var pg phPager
		pg.serve(t, mux, "/connectors/agents/active", []string{flat(1, true, "a"), flat(2, false, "b")})
		seq := c.ConnectorInstances.ListActiveAgentsIter(ctx, &ListActiveAgentConnectorsParams{Scope: "personal"})
		assert.Equal(t, []string{"a", "b"}, phIDs(t, seq))
		assert.Equal(t, []string{"a", "b"}, phIDs(t, seq))
		assert.Equal(t, []int{1, 2, 1, 2}, pg.requested())
	})
	t.Run("RegistryIter", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var pg phPager
		pg.serve(t, mux, "/connectors/registry", []string{
			`{"success":true,"connectors":[{"name":"Slack","type":"slack","scope":["team","personal"]}],"pagination":{"page":1,"limit":1,"hasNext":true,"nextPage":2}}`,
			`{"success":true,"connectors":[{"connectorType":"jira","displayName":"Jira"}],"pagination":{"page":2,"limit":1,"total":2,"hasMore":false}}`,
		})
		all, err := pagination.Collect(c.ConnectorInstances.RegistryIter(ctx, &ConnectorRegistryParams{Limit: 1}))
		require.NoError(t, err)
		require.Len(t, all, 2)
		assert.Equal(t, "slack", all[0].ConnectorType)
		assert.Equal(t, "Jira", all[1].DisplayName)
		assert.Equal(t, []int{1, 2}, pg.requested())
	})
}

// phFake is a small stateful PipesHub that answers in the backend's shapes, for the
// lifecycle test.
type phFake struct {
	mu        sync.Mutex
	instances map[string]map[string]any
	filters   map[string]map[string]any
	states    map[string]string // OAuth state -> instance id
	seq       int
}

func newPHFake(t *testing.T, mux *http.ServeMux) *phFake {
	f := &phFake{instances: map[string]map[string]any{}, filters: map[string]map[string]any{}, states: map[string]string{}}
	fail := func(w http.ResponseWriter, status int, code, msg string) {
		writeJSON(w, status, mustJSON(t, map[string]any{"error": map[string]any{"code": code, "message": msg}}))
	}
	// lookup runs h with the instance of the path's id, under the lock.
	lookup := func(h func(w http.ResponseWriter, r *http.Request, id string, inst map[string]any)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			f.mu.Lock()
			defer f.mu.Unlock()
			id := r.PathValue("id")
			inst, ok := f.instances[id]
			if !ok || inst["status"] == "DELETING" {
				fail(w, 404, "HTTP_NOT_FOUND", "Connector instance "+id+" not found or access denied")
				return
			}
			h(w, r, id, inst)
		}
	}
	decode := func(r *http.Request, v any) {
		assert.NoError(t, json.NewDecoder(r.Body).Decode(v))
	}

	mux.HandleFunc("POST /connectors", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			ConnectorType, InstanceName, AuthType string
			Scope                                 string
		}
		decode(r, &body)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.seq++
		id := fmt.Sprintf("4f6c2a10-0000-4000-8000-%012d", f.seq)
		f.instances[id] = map[string]any{
			"_key": id, "name": body.InstanceName, "type": body.ConnectorType, "scope": body.Scope,
			"authType": body.AuthType, "isActive": false, "isAgentActive": false, "isConfigured": false,
			"isAuthenticated": false, "isLocked": false, "status": nil, "createdBy": "user_1",
			"createdAtTimestamp": 1767323045000, "updatedAtTimestamp": 1767323045000,
		}
		writeJSON(w, 200, mustJSON(t, map[string]any{"success": true, "message": "Connector instance created successfully.",
			"connector": map[string]any{"connectorId": id, "connectorType": body.ConnectorType, "instanceName": body.InstanceName,
				"created": true, "scope": body.Scope, "createdBy": "user_1", "isAuthenticated": false, "isConfigured": false}}))
	})
	mux.HandleFunc("PUT /connectors/{id}/config/auth", lookup(func(w http.ResponseWriter, r *http.Request, id string, inst map[string]any) {
		if inst["isActive"] == true {
			fail(w, 400, "HTTP_BAD_REQUEST", "Cannot update configuration while connector is active. Please disable the connector first.")
			return
		}
		var body struct {
			Auth map[string]any `json:"auth"`
		}
		decode(r, &body)
		inst["isConfigured"], inst["isAuthenticated"], inst["isActive"] = true, false, false
		writeJSON(w, 200, mustJSON(t, map[string]any{"success": true, "message": "Configuration saved successfully.",
			"config": map[string]any{"auth": body.Auth, "credentials": nil, "oauth": nil}}))
	}))
	mux.HandleFunc("GET /connectors/{id}/oauth/authorize", lookup(func(w http.ResponseWriter, r *http.Request, id string, inst map[string]any) {
		if inst["isConfigured"] != true {
			fail(w, 400, "HTTP_BAD_REQUEST", "OAuth configuration not found. Please configure first.")
			return
		}
		state := "st-" + id
		f.states[state] = id
		writeJSON(w, 200, mustJSON(t, map[string]any{"success": true, "state": state,
			"authorizationUrl": "https://accounts.example.com/o/oauth2/auth?client_id=cid&state=" + url.QueryEscape(state)}))
	}))
	mux.HandleFunc("GET /connectors/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		id, ok := f.states[r.URL.Query().Get("state")]
		if !ok || r.URL.Query().Get("code") == "" {
			writeJSON(w, 200, `{"success":false,"error":"invalid_state","redirect_url":"/connectors/oauth/callback?oauth_error=invalid_state"}`)
			return
		}
		delete(f.states, r.URL.Query().Get("state"))
		f.instances[id]["isAuthenticated"] = true
		writeJSON(w, 200, `{"success":true,"redirect_url":"https://pipeshub.example.com/account/connectors?oauth_success=true"}`)
	})
	mux.HandleFunc("POST /connectors/{id}/filters", lookup(func(w http.ResponseWriter, r *http.Request, id string, inst map[string]any) {
		var body struct {
			Filters map[string]any `json:"filters"`
		}
		decode(r, &body)
		if len(body.Filters) == 0 {
			fail(w, 400, "HTTP_BAD_REQUEST", "No filter selections provided")
			return
		}
		f.filters[id] = body.Filters
		writeJSON(w, 200, `{"success":true,"message":"Filter selections saved successfully"}`)
	}))
	mux.HandleFunc("POST /connectors/{id}/toggle", lookup(func(w http.ResponseWriter, r *http.Request, id string, inst map[string]any) {
		var body struct{ Type string }
		decode(r, &body)
		if inst["isConfigured"] != true || inst["isAuthenticated"] != true {
			fail(w, 400, "HTTP_BAD_REQUEST", "Connector must be configured and authenticated first")
			return
		}
		key := map[string]string{"sync": "isActive", "agent": "isAgentActive"}[body.Type]
		inst[key] = inst[key] != true
		writeJSON(w, 200, `{"success":true,"message":"Connector `+body.Type+` toggled"}`)
	}))
	mux.HandleFunc("GET /connectors/{id}", lookup(func(w http.ResponseWriter, r *http.Request, id string, inst map[string]any) {
		one := map[string]any{"config": map[string]any{"filters": map[string]any{"values": f.filters[id]}}}
		for k, v := range inst {
			one[k] = v
		}
		writeJSON(w, 200, mustJSON(t, map[string]any{"success": true, "connector": one}))
	}))
	mux.HandleFunc("DELETE /connectors/{id}", lookup(func(w http.ResponseWriter, r *http.Request, id string, inst map[string]any) {
		inst["status"] = "DELETING"
		writeJSON(w, 202, mustJSON(t, map[string]any{"success": true, "message": "Connector deletion initiated", "connectorId": id, "status": "DELETING"}))
	}))
	return f
}

func TestConnectorInstances_lifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mux := setup(t)
	newPHFake(t, mux)
	ci := c.ConnectorInstances

	created, _, err := ci.Create(ctx, &CreateConnectorRequest{
		ConnectorType: "Drive", InstanceName: "Team Drive", Scope: models.ConnectorScopeTeam, AuthType: models.AuthTypeOAuth,
	})
	require.NoError(t, err)
	require.NotEmpty(t, created.ConnectorID)
	assert.True(t, created.Created)
	assert.False(t, created.IsConfigured)
	id := created.ConnectorID

	// Switching on an unconfigured connector is refused.
	_, _, err = ci.Toggle(ctx, id, &ToggleConnectorRequest{Type: models.ConnectorToggleSync})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "HTTP_BAD_REQUEST", apiErr.Code)

	upd, _, err := ci.UpdateAuthConfig(ctx, id, &UpdateConnectorAuthConfigRequest{
		Auth: &models.ConnectorAuthConfig{OAuthConfigID: "oauth_app_1", Values: map[string]any{"clientId": "cid"}},
	})
	require.NoError(t, err)
	assert.Equal(t, "oauth_app_1", upd.Config.Config.Auth.OAuthConfigID)

	authz, _, err := ci.AuthorizationURL(ctx, id, &ConnectorAuthorizationURLParams{BaseURL: "https://pipeshub.example.com"})
	require.NoError(t, err)
	u, err := url.Parse(authz.AuthorizationURL)
	require.NoError(t, err)
	assert.Equal(t, authz.State, u.Query().Get("state"))

	// The provider calls back; the app hands code and state to PipesHub.
	cb, _, err := ci.HandleOAuthCallback(ctx, &ConnectorOAuthCallbackParams{Code: "auth-code", State: authz.State})
	require.NoError(t, err)
	assert.True(t, cb.Success)

	saved, _, err := ci.SaveFilters(ctx, id, &SaveConnectorFiltersRequest{Filters: map[string]any{
		"folders": map[string]any{"operator": "in", "value": []string{"f1"}, "type": "list"},
	}})
	require.NoError(t, err)
	assert.True(t, saved.Success)

	tog, _, err := ci.Toggle(ctx, id, &ToggleConnectorRequest{Type: models.ConnectorToggleSync})
	require.NoError(t, err)
	assert.True(t, tog.Success)
	assert.Nil(t, tog.Connector, "the backend does not send the instance")

	got, _, err := ci.Get(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, id, got.ConnectorID)
	assert.Equal(t, "Team Drive", got.InstanceName)
	assert.Equal(t, "Drive", got.ConnectorType)
	assert.True(t, got.IsConfigured)
	assert.True(t, got.IsAuthenticated)
	assert.True(t, got.IsActive)
	assert.True(t, got.SyncEnabled)
	assert.False(t, got.AgentEnabled)
	assert.True(t, got.CreatedAt.Equal(phCreated))
	assert.JSONEq(t, `{"filters":{"values":{"folders":{"operator":"in","value":["f1"],"type":"list"}}}}`, string(got.Config))

	resp, err := ci.Delete(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode, "the backend deletes in the background")

	_, _, err = ci.Get(ctx, id, nil)
	assert.True(t, errors.Is(err, ErrNotFound), "gone after delete: %v", err)
}

func TestConnectorInstances_HandleOAuthCallbackIsNeverReplayed(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var n atomic.Int32
	mux.HandleFunc("GET /connectors/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, http.StatusBadGateway, `{"error":{"code":"HTTP_BAD_GATEWAY","message":"gateway"}}`)
			return
		}
		writeJSON(w, http.StatusBadRequest, `{"error":{"code":"HTTP_BAD_REQUEST","message":"Invalid or expired state"}}`)
	})
	_, _, err := c.ConnectorInstances.HandleOAuthCallback(context.Background(), &ConnectorOAuthCallbackParams{Code: "c", State: "s"})
	assert.ErrorIs(t, err, ErrServer)
	assert.EqualValues(t, 1, n.Load())
}
