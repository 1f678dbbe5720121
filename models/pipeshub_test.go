package models_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
)

// specInstance is a ConnectorInstance as the SDK spec describes it.
const specInstance = `{
	"connectorId": "conn_abc123",
	"connectorType": "google-drive",
	"instanceName": "Company Drive",
	"scope": "team",
	"authType": "OAUTH_ADMIN_CONSENT",
	"createdBy": "user_1",
	"orgId": "org_1",
	"isActive": true,
	"isConfigured": true,
	"isAuthenticated": true,
	"syncEnabled": true,
	"agentEnabled": true,
	"lastSyncAt": "2026-02-03T04:05:06Z",
	"createdAt": "2026-01-02T03:04:05Z",
	"updatedAt": "2026-01-02T03:04:06.5Z"
}`

// backendInstance is the same instance as PipesHub's backend returns it.
const backendInstance = `{
	"name": "Company Drive",
	"type": "google-drive",
	"appGroup": "Google Workspace",
	"supportedAuthTypes": ["OAUTH_ADMIN_CONSENT", "OAUTH"],
	"appDescription": "Sync files",
	"appCategories": ["Storage"],
	"iconPath": "/icons/drive.svg",
	"supportsRealtime": false,
	"supportsSync": true,
	"supportsAgent": true,
	"documentationLinks": [{"title": "Setup", "url": "https://docs.example/setup", "type": "setup"}],
	"isAdminAccessRequired": true,
	"personalConnectorType": {"anything": 1},
	"connectorInfo": null,
	"scope": "team",
	"_key": "conn_abc123",
	"authType": "OAUTH_ADMIN_CONSENT",
	"isActive": true,
	"isAgentActive": true,
	"isConfigured": true,
	"isAuthenticated": true,
	"isLocked": false,
	"status": null,
	"createdAtTimestamp": 1767323045000,
	"updatedAtTimestamp": 1767323046500,
	"createdBy": "user_1",
	"updatedBy": null,
	"config": {"sync": {"selectedStrategy": "MANUAL"}}
}`

func TestConnectorInstance_bothShapesGiveTheSameFields(t *testing.T) {
	t.Parallel()
	var spec, backend models.ConnectorInstance
	require.NoError(t, json.Unmarshal([]byte(specInstance), &spec))
	require.NoError(t, json.Unmarshal([]byte(backendInstance), &backend))

	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	updated := created.Add(1500 * time.Millisecond)
	for name, c := range map[string]models.ConnectorInstance{"spec": spec, "backend": backend} {
		assert.Equal(t, "conn_abc123", c.ConnectorID, name)
		assert.Equal(t, "Company Drive", c.InstanceName, name)
		assert.Equal(t, "google-drive", c.ConnectorType, name)
		assert.Equal(t, models.ConnectorScopeTeam, c.Scope, name)
		assert.Equal(t, models.AuthTypeOAuthAdminConsent, c.AuthType, name)
		assert.Equal(t, "user_1", c.CreatedBy, name)
		assert.True(t, c.IsActive, name)
		assert.True(t, c.IsConfigured, name)
		assert.True(t, c.IsAuthenticated, name)
		assert.True(t, c.SyncEnabled, name)
		assert.True(t, c.AgentEnabled, name)
		assert.True(t, c.CreatedAt.Equal(created), "%s: createdAt %v", name, c.CreatedAt)
		assert.True(t, c.UpdatedAt.Equal(updated), "%s: updatedAt %v", name, c.UpdatedAt)
	}

	assert.Equal(t, "org_1", spec.OrgID)
	assert.True(t, spec.LastSyncAt.Equal(time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)))
	assert.Nil(t, spec.Extra)

	assert.Equal(t, "Google Workspace", backend.AppGroup)
	assert.Equal(t, []models.AuthType{models.AuthTypeOAuthAdminConsent, models.AuthTypeOAuth}, backend.SupportedAuthTypes)
	assert.Equal(t, []string{"Storage"}, backend.AppCategories)
	assert.Equal(t, "/icons/drive.svg", backend.IconPath)
	assert.True(t, backend.SupportsSync)
	assert.True(t, backend.SupportsAgent)
	assert.True(t, backend.IsAdminAccessRequired)
	assert.Equal(t, []models.ConnectorDocumentationLink{{Title: "Setup", URL: "https://docs.example/setup", Type: "setup"}}, backend.DocumentationLinks)
	assert.JSONEq(t, `{"sync": {"selectedStrategy": "MANUAL"}}`, string(backend.Config))
	assert.Equal(t, map[string]json.RawMessage{"personalConnectorType": json.RawMessage(`{"anything": 1}`)}, backend.Extra)
}

func TestConnectorInstance_backendWithoutSyncEnabledFollowsIsActive(t *testing.T) {
	t.Parallel()
	var c models.ConnectorInstance
	require.NoError(t, json.Unmarshal([]byte(`{"_key":"k","isActive":false,"isAgentActive":true}`), &c))
	assert.False(t, c.SyncEnabled)
	assert.True(t, c.AgentEnabled)

	require.NoError(t, json.Unmarshal([]byte(`{"_key":"k","isActive":true,"syncEnabled":false}`), &c))
	assert.True(t, c.IsActive)
	assert.False(t, c.SyncEnabled, "an explicit syncEnabled wins")
}

func TestConnectorInstance_wrongTypesAndUnknownsAreKeptNotFatal(t *testing.T) {
	t.Parallel()
	var c models.ConnectorInstance
	err := json.Unmarshal([]byte(`{"_key":"k","isActive":"yes","createdAt":"not a time","newField":[1,2]}`), &c)
	require.NoError(t, err)
	assert.Equal(t, "k", c.ConnectorID)
	assert.False(t, c.IsActive)
	assert.True(t, c.CreatedAt.IsZero())
	assert.JSONEq(t, `"yes"`, string(c.Extra["isActive"]))
	assert.JSONEq(t, `"not a time"`, string(c.Extra["createdAt"]))
	assert.JSONEq(t, `[1,2]`, string(c.Extra["newField"]))

	assert.Error(t, json.Unmarshal([]byte(`[1]`), &c), "a non-object is an error")
}

func TestConnectorInstance_marshalWritesSpecNamesAndRoundTrips(t *testing.T) {
	t.Parallel()
	var backend models.ConnectorInstance
	require.NoError(t, json.Unmarshal([]byte(backendInstance), &backend))
	b, err := json.Marshal(backend)
	require.NoError(t, err)

	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"connectorId", "instanceName", "connectorType", "agentEnabled", "syncEnabled", "createdAt", "updatedAt", "appGroup", "config", "personalConnectorType"} {
		assert.Contains(t, m, k)
	}
	for _, k := range []string{"_key", "name", "type", "isAgentActive", "createdAtTimestamp", "updatedAtTimestamp", "lastSyncAt"} {
		assert.NotContains(t, m, k)
	}
	assert.JSONEq(t, `"2026-01-02T03:04:05Z"`, string(m["createdAt"]))

	var again models.ConnectorInstance
	require.NoError(t, json.Unmarshal(b, &again))
	assert.Equal(t, backend.ConnectorID, again.ConnectorID)
	assert.True(t, backend.CreatedAt.Equal(again.CreatedAt.Time))
	backend.CreatedAt, backend.UpdatedAt = again.CreatedAt, again.UpdatedAt // same instant, maybe another location
	assert.JSONEq(t, string(backend.Config), string(again.Config))
	backend.Config = again.Config
	assert.JSONEq(t, string(backend.Extra["personalConnectorType"]), string(again.Extra["personalConnectorType"]))
	backend.Extra = again.Extra
	assert.Equal(t, backend, again)
}

func TestAuthType_openSet(t *testing.T) {
	t.Parallel()
	for _, a := range []models.AuthType{
		models.AuthTypeOAuth, models.AuthTypeOAuthAdminConsent, models.AuthTypeAPIToken,
		models.AuthTypeUsernamePassword, models.AuthTypeServiceAccount, models.AuthTypeBearerToken,
		models.AuthTypeBasicAuth, models.AuthTypeAccessKey, models.AuthTypeAccountKey,
		models.AuthTypeConnectionString, models.AuthTypeCustom, models.AuthTypeNone,
	} {
		assert.True(t, a.Known(), a)
	}
	var c models.ConnectorInstance
	require.NoError(t, json.Unmarshal([]byte(`{"_key":"k","authType":"PASSKEY_2030","supportedAuthTypes":["PASSKEY_2030","OAUTH"]}`), &c))
	assert.Equal(t, models.AuthType("PASSKEY_2030"), c.AuthType)
	assert.False(t, c.AuthType.Known())
	assert.Equal(t, []models.AuthType{"PASSKEY_2030", models.AuthTypeOAuth}, c.SupportedAuthTypes)
	assert.True(t, models.AuthTypeOAuth.IsOAuth())
	assert.True(t, models.AuthTypeOAuthAdminConsent.IsOAuth())
	assert.False(t, models.AuthTypeAPIToken.IsOAuth())

	assert.True(t, models.ConnectorScopeTeam.Valid())
	assert.True(t, models.ConnectorScopePersonal.Valid())
	assert.False(t, models.ConnectorScope("org").Valid())
	assert.True(t, models.ConnectorToggleSync.Valid())
	assert.True(t, models.ConnectorToggleAgent.Valid())
	assert.False(t, models.ConnectorToggleType("both").Valid())
}

func TestConnectorPagination_bothShapes(t *testing.T) {
	t.Parallel()
	var spec, backend models.ConnectorPagination
	require.NoError(t, json.Unmarshal([]byte(`{"page":2,"limit":10,"total":35,"hasMore":true}`), &spec))
	require.NoError(t, json.Unmarshal([]byte(`{"page":2,"limit":10,"search":null,"totalCount":35,"totalPages":4,"hasPrev":true,"hasNext":true,"prevPage":1,"nextPage":3}`), &backend))
	for name, p := range map[string]models.ConnectorPagination{"spec": spec, "backend": backend} {
		assert.Equal(t, 2, p.Page, name)
		assert.Equal(t, 10, p.Limit, name)
		assert.Equal(t, 35, p.Total, name)
		assert.True(t, p.HasMore, name)
	}
	assert.Equal(t, 4, backend.TotalPages)
	assert.True(t, backend.HasPrev)
	assert.Equal(t, 1, *backend.PrevPage)
	assert.Equal(t, 3, *backend.NextPage)
}

func pag(t *testing.T, s string) *models.ConnectorPagination {
	t.Helper()
	var p models.ConnectorPagination
	require.NoError(t, json.Unmarshal([]byte(s), &p))
	return &p
}

func TestConnectorPagination_Next(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		p        *models.ConnectorPagination
		pageSize int
		got      int
		next     int
		more     bool
	}{
		{"hasNext true", pag(t, `{"hasNext":true,"nextPage":3}`), 10, 10, 3, true},
		{"hasNext false", pag(t, `{"hasNext":false,"nextPage":null}`), 10, 10, 3, false},
		{"hasMore true", pag(t, `{"hasMore":true}`), 10, 10, 3, true},
		{"hasMore false, full page", pag(t, `{"hasMore":false}`), 10, 10, 3, false},
		{"hasMore true, empty page", pag(t, `{"hasMore":true}`), 10, 0, 3, true},
		{"nextPage null alone", pag(t, `{"page":2,"nextPage":null}`), 10, 10, 3, false},
		{"nextPage null beats hasMore", pag(t, `{"hasMore":true,"nextPage":null}`), 10, 10, 3, false},
		{"nextPage alone", pag(t, `{"nextPage":7}`), 10, 10, 7, true},
		{"totalPages left", pag(t, `{"totalPages":3}`), 10, 10, 3, true},
		{"totalPages done", pag(t, `{"totalPages":2}`), 10, 10, 3, false},
		{"total left", pag(t, `{"total":25}`), 10, 10, 3, true},
		{"total done", pag(t, `{"total":20}`), 10, 10, 3, false},
		{"total with server limit, left", pag(t, `{"limit":5,"total":12}`), 0, 5, 3, true},
		{"total with server limit, done", pag(t, `{"limit":5,"total":10}`), 0, 5, 3, false},
		{"no signal, full page", pag(t, `{"page":2}`), 10, 10, 3, true},
		{"no signal, short page", pag(t, `{"page":2}`), 10, 9, 3, false},
		{"no signal, default size", pag(t, `{}`), 0, 20, 3, true},
		{"nil, short page", nil, 0, 19, 3, false},
		{"nil, full page", nil, 5, 5, 3, true},
	}
	for _, tc := range cases {
		next, more := tc.p.Next(2, tc.pageSize, tc.got)
		assert.Equal(t, tc.more, more, tc.name)
		assert.Equal(t, tc.next, next, tc.name)
	}
}

func TestConnectorPagination_marshal(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(pag(t, `{"page":3,"limit":10,"totalCount":30,"totalPages":3,"hasPrev":true,"hasNext":false,"prevPage":2,"nextPage":null,"odd":true}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"page":3,"limit":10,"total":30,"hasMore":false,"totalPages":3,"hasPrev":true,"prevPage":2,"nextPage":null,"odd":true}`, string(b))

	b, err = json.Marshal(models.ConnectorPagination{Page: 1, Limit: 20})
	require.NoError(t, err)
	assert.JSONEq(t, `{"page":1,"limit":20}`, string(b), "total and hasMore neither received nor set")

	b, err = json.Marshal(models.ConnectorPagination{Page: 1, Limit: 20, Total: 5, HasMore: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"page":1,"limit":20,"total":5,"hasMore":true}`, string(b))

	b, err = json.Marshal(pag(t, `{"page":1,"limit":20,"total":0,"hasMore":false}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"page":1,"limit":20,"total":0,"hasMore":false}`, string(b), "received zero values are kept")
}

// TestConnectorPagination_roundTripKeepsNext: encoding then decoding a page must not
// change what Next says, whichever signals the server sent (or left out).
func TestConnectorPagination_roundTripKeepsNext(t *testing.T) {
	t.Parallel()
	for _, wire := range []string{
		`{}`,
		`{"page":1,"limit":20}`,
		`{"page":1,"limit":20,"nextPage":2}`,
		`{"page":1,"limit":20,"nextPage":null}`,
		`{"page":1,"limit":20,"total":0}`,
		`{"page":1,"limit":20,"total":40}`,
		`{"page":1,"limit":20,"totalCount":20,"hasNext":false}`,
		`{"page":1,"limit":20,"hasMore":false}`,
		`{"page":1,"limit":20,"hasMore":true}`,
		`{"page":1,"limit":20,"totalPages":3,"prevPage":null}`,
	} {
		p := pag(t, wire)
		b, err := json.Marshal(p)
		require.NoError(t, err, wire)
		q := pag(t, string(b))
		for _, got := range []int{0, 5, 20} {
			n1, m1 := p.Next(1, 20, got)
			n2, m2 := q.Next(1, 20, got)
			assert.Equal(t, []any{n1, m1}, []any{n2, m2}, "wire %s, re-encoded %s, got %d", wire, b, got)
		}
		b2, err := json.Marshal(q)
		require.NoError(t, err, wire)
		assert.JSONEq(t, string(b), string(b2), "encoding is stable: %s", wire)
	}
}

func TestConnectorInstanceList_flatAndNested(t *testing.T) {
	t.Parallel()
	flat := `{"success":true,"connectors":[` + specInstance + `,null],"pagination":{"page":1,"limit":20,"total":1,"hasMore":false}}`
	nested := `{"success":true,"connectors":{"connectors":[` + backendInstance + `],"pagination":{"page":1,"limit":20,"totalCount":1,"totalPages":1,"hasPrev":false,"hasNext":false,"prevPage":null,"nextPage":null},"scopeCounts":{"personal":0,"team":1}}}`
	for name, body := range map[string]string{"flat": flat, "nested": nested} {
		var l models.ConnectorInstanceList
		require.NoError(t, json.Unmarshal([]byte(body), &l), name)
		require.Len(t, l.Connectors, 1, name)
		assert.Equal(t, "conn_abc123", l.Connectors[0].ConnectorID, name)
		require.NotNil(t, l.Pagination, name)
		assert.Equal(t, 1, l.Pagination.Total, name)
		_, more := l.Pagination.Next(1, 20, 1)
		assert.False(t, more, name)
	}
	var l models.ConnectorInstanceList
	require.NoError(t, json.Unmarshal([]byte(nested), &l))
	assert.Equal(t, &models.ConnectorScopeCounts{Team: 1}, l.ScopeCounts)

	require.NoError(t, json.Unmarshal([]byte(`{"success":true}`), &l))
	assert.Empty(t, l.Connectors)
	assert.Nil(t, l.Pagination)
}

func TestConnectorType_bothShapes(t *testing.T) {
	t.Parallel()
	spec := `{"connectorType":"google-drive","displayName":"Google Drive","description":"Files","appGroupId":"g1","appGroup":"Google Workspace",
		"authTypes":["OAUTH"],"supportedScopes":["team","personal"],"supportsSync":true,"supportsAgent":true,"supportsRealtime":false,
		"iconPath":"/i.svg","categories":["Storage"],"isBeta":true}`
	backend := `{"name":"Google Drive","type":"google-drive","appGroup":"Google Workspace","supportedAuthTypes":["OAUTH"],
		"appDescription":"Files","appCategories":["Storage"],"iconPath":"/i.svg","supportsRealtime":false,"supportsSync":true,
		"supportsAgent":true,"config":{"auth":{"supportedAuthTypes":["OAUTH"]}},"scope":["team","personal"],"connectorInfo":null}`
	for name, body := range map[string]string{"spec": spec, "backend": backend} {
		var ct models.ConnectorType
		require.NoError(t, json.Unmarshal([]byte(body), &ct), name)
		assert.Equal(t, "google-drive", ct.ConnectorType, name)
		assert.Equal(t, "Google Drive", ct.DisplayName, name)
		assert.Equal(t, "Files", ct.Description, name)
		assert.Equal(t, []models.AuthType{models.AuthTypeOAuth}, ct.AuthTypes, name)
		assert.Equal(t, []models.ConnectorScope{"team", "personal"}, ct.SupportedScopes, name)
		assert.Equal(t, []string{"Storage"}, ct.Categories, name)
		assert.True(t, ct.SupportsSync, name)
		assert.Nil(t, ct.Extra, name)
	}
	var one models.ConnectorType
	require.NoError(t, json.Unmarshal([]byte(`{"type":"Slack","scope":"personal"}`), &one))
	assert.Equal(t, []models.ConnectorScope{models.ConnectorScopePersonal}, one.SupportedScopes)
	assert.Nil(t, one.Extra)

	b, err := json.Marshal(one)
	require.NoError(t, err)
	assert.JSONEq(t, `{"connectorType":"Slack","supportedScopes":["personal"]}`, string(b))
}

func TestConnectorSchema_bothShapes(t *testing.T) {
	t.Parallel()
	var spec, backend models.ConnectorSchema
	require.NoError(t, json.Unmarshal([]byte(`{"connectorType":"slack","authSchema":{"a":1},"syncSchema":{"s":1},"filterSchema":{"f":1},"requiredFields":["token"]}`), &spec))
	require.NoError(t, json.Unmarshal([]byte(`{"iconPath":"/s.svg","supportsRealtime":true,"supportsSync":true,"supportsAgent":false,
		"documentationLinks":[{"title":"t","url":"u"}],"hideConnector":false,"auth":{"a":1},"sync":{"s":1},"filters":{"f":1}}`), &backend))
	for name, s := range map[string]models.ConnectorSchema{"spec": spec, "backend": backend} {
		assert.JSONEq(t, `{"a":1}`, string(s.AuthSchema), name)
		assert.JSONEq(t, `{"s":1}`, string(s.SyncSchema), name)
		assert.JSONEq(t, `{"f":1}`, string(s.FilterSchema), name)
	}
	assert.Equal(t, []string{"token"}, spec.RequiredFields)
	assert.True(t, backend.SupportsRealtime)
	assert.Len(t, backend.DocumentationLinks, 1)
}

func TestConnectorConfig_threeShapes(t *testing.T) {
	t.Parallel()
	spec := `{"connectorId":"c1","connectorType":"confluence","instanceName":"Wiki","authType":"API_TOKEN","scope":"personal",
		"config":{"auth":{"values":{"apiToken":"***"}},"sync":{"selectedStrategy":"SCHEDULED","scheduledConfig":{"intervalMinutes":60,"timezone":"UTC"}},
		"filters":{"sync":{"values":{"spaces":["ENG"]}}}},"baseUrl":"https://wiki.example.com","isActive":false,"isConfigured":true,"isAuthenticated":true}`
	backend := `{"connector_id":"c1","name":"Wiki","type":"confluence","appGroup":"Atlassian","authType":"API_TOKEN","scope":"personal",
		"createdBy":"u1","updatedBy":null,"appDescription":"d","appCategories":["Docs"],"supportsRealtime":false,"supportsSync":true,
		"supportsAgent":true,"iconPath":"/c.svg","config":{"auth":{"authType":"API_TOKEN","connectorType":"confluence","connectorScope":"personal","values":{"apiToken":"***"}},
		"sync":{"selectedStrategy":"SCHEDULED","scheduledConfig":{"intervalMinutes":60,"timezone":"UTC","startTime":1767323045000}},
		"filters":{"sync":{"values":{"spaces":["ENG"]}}}},"isActive":false,"isConfigured":true,"isAuthenticated":true,
		"createdAtTimestamp":1767323045000,"updatedAtTimestamp":null}`
	for name, body := range map[string]string{"spec": spec, "backend": backend} {
		var c models.ConnectorConfig
		require.NoError(t, json.Unmarshal([]byte(body), &c), name)
		assert.Equal(t, "c1", c.ConnectorID, name)
		assert.Equal(t, "confluence", c.ConnectorType, name)
		assert.Equal(t, "Wiki", c.InstanceName, name)
		assert.Equal(t, models.AuthTypeAPIToken, c.AuthType, name)
		assert.Equal(t, models.ConnectorScopePersonal, c.Scope, name)
		assert.True(t, c.IsConfigured, name)
		assert.True(t, c.IsAuthenticated, name)
		require.NotNil(t, c.Config.Auth, name)
		assert.Equal(t, map[string]any{"apiToken": "***"}, c.Config.Auth.Values, name)
		require.NotNil(t, c.Config.Sync, name)
		assert.Equal(t, models.ConnectorSyncScheduled, c.Config.Sync.SelectedStrategy, name)
		assert.Equal(t, 60, c.Config.Sync.ScheduledConfig.IntervalMinutes, name)
		require.NotNil(t, c.Config.Filters, name)
		assert.Equal(t, []any{"ENG"}, c.Config.Filters.Sync.Values["spaces"], name)
		assert.Nil(t, c.Extra, name)
	}
	var c models.ConnectorConfig
	require.NoError(t, json.Unmarshal([]byte(backend), &c))
	assert.Equal(t, "Atlassian", c.AppGroup)
	assert.Equal(t, map[string]any{"connectorType": "confluence", "connectorScope": "personal"}, c.Config.Auth.Extra)
	assert.Equal(t, map[string]any{"startTime": json.Number("1767323045000")}, c.Config.Sync.ScheduledConfig.Extra)
	assert.Equal(t, int64(1767323045000), c.CreatedAt.UnixMilli())

	// The answer to a config update is the bare sections, with the stored tokens.
	bare := `{"auth":{"authType":"OAUTH","clientId":"x"},"sync":{"selectedStrategy":"MANUAL"},"filters":{},"credentials":{"access_token":"secret-token"},"oauth":{"used_codes":["c"]}}`
	require.NoError(t, json.Unmarshal([]byte(bare), &c))
	require.NotNil(t, c.Config.Auth)
	assert.Equal(t, models.AuthTypeOAuth, c.Config.Auth.AuthType)
	assert.Equal(t, map[string]any{"clientId": "x"}, c.Config.Auth.Extra)
	assert.Equal(t, models.ConnectorSyncManual, c.Config.Sync.SelectedStrategy)
	assert.Nil(t, c.Extra, "credentials and oauth are not kept")
	out, err := json.Marshal(c)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "secret-token")
}

func TestConnectorAuthConfig_extraRoundTrips(t *testing.T) {
	t.Parallel()
	a := models.ConnectorAuthConfig{
		Values:        map[string]any{"apiToken": "t<o>k&"},
		OAuthConfigID: "oc1",
		Extra:         map[string]any{"redirectUri": "https://app/cb", "values": "ignored: a known name wins"},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as the client encodes request bodies
	require.NoError(t, enc.Encode(a))
	b := buf.Bytes()
	assert.JSONEq(t, `{"values":{"apiToken":"t<o>k&"},"oauthConfigId":"oc1","redirectUri":"https://app/cb"}`, string(b))
	assert.Contains(t, string(b), `t<o>k&`, "no HTML escaping")

	var back models.ConnectorAuthConfig
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, map[string]any{"redirectUri": "https://app/cb"}, back.Extra)
	assert.Equal(t, "oc1", back.OAuthConfigID)

	var empty models.ConnectorSyncConfig
	require.NoError(t, json.Unmarshal([]byte(`{"selectedStrategy":"WEBHOOK","webhookConfig":{"webhookUrl":"https://h","events":["a"],"supported":true}}`), &empty))
	assert.Nil(t, empty.Extra)
	assert.Equal(t, map[string]any{"supported": true}, empty.WebhookConfig.Extra)
}

func TestConnectorFilterOptions_threeShapes(t *testing.T) {
	t.Parallel()
	spec := `{"filters":[{"key":"folders","label":"Folders","type":"multiselect","dynamic":true,"options":[{"id":"f1","value":"f1","label":"Docs"}]}]}`
	upstream := `{"filters":[{"name":"folders","displayName":"Folders","filterType":"multiselect","category":"sync","optionSourceType":"dynamic",
		"operators":["in","not_in"],"defaultValue":null,"options":["f1"]}]}`
	for name, body := range map[string]string{"spec": spec, "upstream": upstream} {
		var o models.ConnectorFilterOptions
		require.NoError(t, json.Unmarshal([]byte(body), &o), name)
		require.Len(t, o.Filters, 1, name)
		f := o.Filters[0]
		assert.Equal(t, "folders", f.Key, name)
		assert.Equal(t, "Folders", f.Label, name)
		assert.Equal(t, "multiselect", f.Type, name)
		assert.True(t, f.Dynamic, name)
		require.Len(t, f.Options, 1, name)
		assert.Equal(t, "f1", f.Options[0].ID, name)
	}

	var backend models.ConnectorFilterOptions
	require.NoError(t, json.Unmarshal([]byte(`{"labels":[{"value":"INBOX","label":"Inbox"}],"fileTypes":[{"value":"pdf","label":"PDFs"}],"bad":3}`), &backend))
	assert.Equal(t, []models.ConnectorFilterField{
		{Key: "fileTypes", Options: []models.ConnectorFilterOption{{Value: "pdf", Label: "PDFs"}}},
		{Key: "labels", Options: []models.ConnectorFilterOption{{Value: "INBOX", Label: "Inbox"}}},
	}, backend.Filters)
}

func TestConnectorFilterFieldOptions_nestedAndFlat(t *testing.T) {
	t.Parallel()
	spec := `{"success":true,"options":[{"id":"C1","value":"C1","label":"#general"}],"pagination":{"page":2,"limit":50,"hasMore":true,"cursor":"nx"}}`
	backend := `{"success":true,"options":[{"id":"C1","label":"#general"}],"page":2,"limit":50,"hasMore":true,"cursor":"nx","message":null}`
	for name, body := range map[string]string{"spec": spec, "backend": backend} {
		var o models.ConnectorFilterFieldOptions
		require.NoError(t, json.Unmarshal([]byte(body), &o), name)
		assert.True(t, o.Success, name)
		assert.Equal(t, 2, o.Page, name)
		assert.Equal(t, 50, o.Limit, name)
		assert.True(t, o.HasMore, name)
		assert.Equal(t, "nx", o.Cursor, name)
		require.Len(t, o.Options, 1, name)
		assert.Equal(t, "#general", o.Options[0].Label, name)
	}
}

func TestConnectorOAuthCallbackResult_bothNames(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"backend": `{"success":false,"error":"invalid_state","error_message":"bad","redirect_url":"https://app/cb?oauth_error=invalid_state"}`,
		"gateway": `{"success":false,"error":"invalid_state","errorMessage":"bad","redirectUrl":"https://app/cb?oauth_error=invalid_state"}`,
	} {
		var r models.ConnectorOAuthCallbackResult
		require.NoError(t, json.Unmarshal([]byte(body), &r), name)
		assert.Equal(t, models.ConnectorOAuthCallbackResult{Error: "invalid_state", ErrorMessage: "bad", RedirectURL: "https://app/cb?oauth_error=invalid_state"}, r, name)
	}
}

func TestConnectorConfigAndSchema_marshalRoundTrips(t *testing.T) {
	t.Parallel()
	var c models.ConnectorConfig
	require.NoError(t, json.Unmarshal([]byte(`{"connector_id":"c1","name":"Wiki","type":"confluence","scope":"personal","isActive":false,
		"config":{"sync":{"selectedStrategy":"SCHEDULED","scheduledConfig":{"intervalMinutes":60,"startTime":5},
		"webhookConfig":{"events":["a"],"secretKey":"k"}}},"createdAtTimestamp":1767323045000,"future":1}`), &c))
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, `{"connectorId":"c1","instanceName":"Wiki","connectorType":"confluence","scope":"personal",
		"isActive":false,"isConfigured":false,"isAuthenticated":false,"createdAt":"2026-01-02T03:04:05Z","future":1,
		"config":{"sync":{"selectedStrategy":"SCHEDULED","scheduledConfig":{"intervalMinutes":60,"startTime":5},
		"webhookConfig":{"events":["a"],"secretKey":"k"}}}}`, string(b))
	var again models.ConnectorConfig
	require.NoError(t, json.Unmarshal(b, &again))
	assert.Equal(t, c.Config, again.Config)
	assert.Equal(t, c.ConnectorID, again.ConnectorID)

	var s models.ConnectorSchema
	require.NoError(t, json.Unmarshal([]byte(`{"auth":{"a":1},"hideConnector":true,"extra":"x"}`), &s))
	b, err = json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, `{"authSchema":{"a":1},"hideConnector":true,"extra":"x"}`, string(b))
}
