package models

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCoreConnection_DecodeFull(t *testing.T) {
	t.Parallel()
	const body = `{
		"createdAt": "2025-03-04T10:00:00.123Z",
		"updatedAt": "2025-03-04T11:00:00+02:00",
		"id": "conn_1",
		"connectorName": "hubspot",
		"displayName": "Acme CRM",
		"customerId": "cus_1",
		"connectorConfigId": "ccfg_1",
		"integrationId": "int_1",
		"settings": {"oauth": {"credentials": {"access_token": "secret"}}},
		"standard": {"displayName": "Acme", "status": "disconnected", "statusMessage": "token revoked", "labels": ["crm", "prod"]},
		"disabled": true,
		"metadata": {"team": "sales", "n": 12345678901234567890},
		"connector_config": {"id": "ccfg_1", "orgId": "org_1", "connectorName": "hubspot"},
		"integration": {"id": "int_1", "name": "HubSpot", "logoUrl": "https://logo.test/h.png"},
		"connector": {"id": "ccfg_1", "name": "hubspot", "logoUrl": "https://logo.test/c.png"},
		"unknownField": {"ignored": true}
	}`
	var c CoreConnection
	require.NoError(t, json.Unmarshal([]byte(body), &c))
	assert.Equal(t, "conn_1", c.ID)
	assert.Equal(t, time.Date(2025, 3, 4, 10, 0, 0, 123e6, time.UTC), c.CreatedAt.UTC())
	assert.Equal(t, time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC), c.UpdatedAt.UTC())
	assert.Equal(t, "hubspot", c.ConnectorName)
	assert.Equal(t, "Acme CRM", c.DisplayName)
	assert.Equal(t, "cus_1", c.CustomerID)
	assert.Equal(t, "ccfg_1", c.ConnectorConfigID)
	assert.Equal(t, "int_1", c.IntegrationID)
	assert.Contains(t, c.Settings, "oauth")
	require.NotNil(t, c.Standard)
	assert.Equal(t, CoreConnectionStandard{DisplayName: "Acme", Status: CoreConnectionStatusDisconnected, StatusMessage: "token revoked", Labels: []string{"crm", "prod"}}, *c.Standard)
	assert.True(t, c.Disabled)
	assert.JSONEq(t, `{"team": "sales", "n": 12345678901234567890}`, string(c.Metadata))
	assert.Equal(t, &CoreConnectionConnectorConfig{ID: "ccfg_1", OrgID: "org_1", ConnectorName: "hubspot"}, c.ConnectorConfig)
	assert.Equal(t, &CoreConnectionIntegration{ID: "int_1", Name: "HubSpot", LogoURL: "https://logo.test/h.png"}, c.Integration)
	assert.Equal(t, &CoreConnectionConnector{ID: "ccfg_1", Name: "hubspot", LogoURL: "https://logo.test/c.png"}, c.Connector)

	var meta struct {
		Team string      `json:"team"`
		N    json.Number `json:"n"`
	}
	require.NoError(t, c.DecodeMetadata(&meta))
	assert.Equal(t, "sales", meta.Team)
	assert.Equal(t, "12345678901234567890", meta.N.String(), "metadata keeps full precision")
}

func TestCoreConnection_DecodeNullsAndMinimal(t *testing.T) {
	t.Parallel()
	const body = `{"createdAt": "2025-03-04T10:00:00Z", "updatedAt": null, "id": "conn_1",
		"connectorName": "plaid", "connectorConfigId": "ccfg_1", "displayName": null, "customerId": null,
		"integrationId": null, "settings": null, "standard": null, "metadata": null,
		"integration": null, "connector": null}`
	var c CoreConnection
	require.NoError(t, json.Unmarshal([]byte(body), &c))
	assert.Equal(t, "conn_1", c.ID)
	assert.True(t, c.UpdatedAt.IsZero())
	assert.Empty(t, c.DisplayName)
	assert.Empty(t, c.CustomerID)
	assert.Nil(t, c.Settings)
	assert.Nil(t, c.Standard)
	assert.Nil(t, c.Integration)
	assert.Nil(t, c.Connector)
	assert.Nil(t, c.ConnectorConfig)

	m := map[string]any{"untouched": true}
	require.NoError(t, c.DecodeMetadata(&m), "null metadata")
	assert.Equal(t, map[string]any{"untouched": true}, m)

	var bare CoreConnection
	require.NoError(t, json.Unmarshal([]byte(`{"id":"conn_2"}`), &bare))
	assert.Equal(t, "conn_2", bare.ID)
	assert.True(t, bare.CreatedAt.IsZero())
	require.NoError(t, bare.DecodeMetadata(&m), "absent metadata")
}

func TestCoreConnection_UnknownStatusKept(t *testing.T) {
	t.Parallel()
	var c CoreConnection
	require.NoError(t, json.Unmarshal([]byte(`{"id":"conn_1","standard":{"status":"paused"}}`), &c))
	assert.Equal(t, CoreConnectionStatus("paused"), c.Standard.Status)
}

func TestCoreConnection_Timestamps(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Time{
		`"2025-03-04T10:00:00Z"`:          time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC),
		`"2025-03-04 10:00:00.5+00"`:      time.Date(2025, 3, 4, 10, 0, 0, 5e8, time.UTC),
		`"2025-03-04 12:00:00-05"`:        time.Date(2025, 3, 4, 17, 0, 0, 0, time.UTC),
		`"2025-03-04T12:00:00.123456+02"`: time.Date(2025, 3, 4, 10, 0, 0, 123456e3, time.UTC),
		`"2025-03-04 10:00:00+00:00"`:     time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC),
		`1741082400000`:                   time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC),
	} {
		var c CoreConnection
		require.NoError(t, json.Unmarshal([]byte(`{"id":"conn_1","createdAt":`+in+`,"updatedAt":`+in+`}`), &c), in)
		assert.Equal(t, want, c.CreatedAt.UTC(), in)
		assert.Equal(t, want, c.UpdatedAt.UTC(), in)
	}
	var c CoreConnection
	assert.Error(t, json.Unmarshal([]byte(`{"createdAt":"yesterday"}`), &c))
	assert.Error(t, json.Unmarshal([]byte(`{"createdAt":"2025-13-45 10:00:00+00"}`), &c))
	assert.Error(t, json.Unmarshal([]byte(`{"id": 5}`), &c), "wrong type is still an error")
}

func TestCoreConnection_RoundTrip(t *testing.T) {
	t.Parallel()
	in := CoreConnection{
		ID:                "conn_1",
		CreatedAt:         NewTimestamp(time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)),
		UpdatedAt:         NewTimestamp(time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)),
		ConnectorName:     "hubspot",
		ConnectorConfigID: "ccfg_1",
		Standard:          &CoreConnectionStandard{Status: CoreConnectionStatusHealthy, Labels: []string{"a"}},
		Metadata:          json.RawMessage(`{"k":"v"}`),
		ConnectorConfig:   &CoreConnectionConnectorConfig{ID: "ccfg_1", OrgID: "org_1", ConnectorName: "hubspot"},
	}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"conn_1","createdAt":"2025-03-04T10:00:00Z","updatedAt":"2025-03-05T10:00:00Z",
		"connectorName":"hubspot","connectorConfigId":"ccfg_1","standard":{"status":"healthy","labels":["a"]},
		"disabled":false,"metadata":{"k":"v"},
		"connector_config":{"id":"ccfg_1","orgId":"org_1","connectorName":"hubspot"}}`, string(b))
	var out CoreConnection
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in.ID, out.ID)
	assert.True(t, in.CreatedAt.Equal(out.CreatedAt.Time))
	assert.Equal(t, in.Standard, out.Standard)
	assert.Equal(t, in.ConnectorConfig, out.ConnectorConfig)
	assert.JSONEq(t, string(in.Metadata), string(out.Metadata))
}

func TestCoreConnectionSyncResult_Decode(t *testing.T) {
	t.Parallel()
	var r CoreConnectionSyncResult
	require.NoError(t, json.Unmarshal([]byte(`{"connection_requested_event_id":"evt_1",
		"pipeline_syncs":[{"pipeline_id":"pipe_1","sync_completed_event_id":"evt_2"},
		{"pipeline_id":"pipe_2","sync_completed_event_id":"evt_3"}]}`), &r))
	assert.Equal(t, CoreConnectionSyncResult{
		ConnectionRequestedEventID: "evt_1",
		PipelineSyncs: []CorePipelineSync{
			{PipelineID: "pipe_1", SyncCompletedEventID: "evt_2"},
			{PipelineID: "pipe_2", SyncCompletedEventID: "evt_3"},
		},
	}, r)
}
