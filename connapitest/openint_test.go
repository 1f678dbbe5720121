package connapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenIntListPaging(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(10))
	base := s.OpenIntURL() + "core/connection"

	status, _, b := send(t, s, "GET", base, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, arr(t, b), 10, "no default limit")

	var ids []string
	for offset := 0; ; offset += 4 {
		_, _, b = send(t, s, "GET", fmt.Sprintf("%s?limit=4&offset=%d", base, offset), nil)
		page := arr(t, b)
		ids = append(ids, field(page, "id")...)
		if len(page) < 4 {
			break
		}
	}
	require.Len(t, ids, 10)
	assert.Equal(t, "conn_00000001", ids[0])

	_, _, b = send(t, s, "GET", base+"?customerId=customer-2", nil)
	assert.Equal(t, []string{"conn_00000002", "conn_00000005", "conn_00000008"}, field(arr(t, b), "id"))
	_, _, b = send(t, s, "GET", base+"?connectorConfigId=ccfg_slack_01&connectorName=slack", nil)
	assert.Len(t, arr(t, b), 2)

	_, _, b = send(t, s, "GET", base+"?limit=1&expand=integration", nil)
	c := arr(t, b)[0]
	assert.Equal(t, "int_github", sub(t, c, "integration")["id"])
	assert.NotContains(t, c, "connector")
	assert.NotContains(t, c, "connector_config")
	_, _, b = send(t, s, "GET", base+"?limit=1&expand=integration,integration.connector", nil)
	assert.Equal(t, "github", sub(t, arr(t, b)[0], "connector")["name"])

	status, _, b = send(t, s, "GET", base+"?expand=everything", nil)
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "BAD_REQUEST", obj(t, b)["code"])
	status, _, _ = send(t, s, "GET", base+"?limit=ten", nil)
	assert.Equal(t, http.StatusBadRequest, status)
}

func TestOpenIntConnectionCRUD(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.OpenIntURL() + "core/connection"

	status, _, b := send(t, s, "POST", base, map[string]any{"displayName": "x"})
	require.Equal(t, http.StatusBadRequest, status)
	e := obj(t, b)
	assert.Equal(t, "BAD_REQUEST", e["code"])
	assert.Equal(t, []any{map[string]any{"message": "Required", "path": []any{"connectorConfigId"}}}, e["issues"])
	status, _, _ = send(t, s, "POST", base, map[string]any{"connectorConfigId": "github"})
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, b = send(t, s, "POST", base, map[string]any{"connectorConfigId": "ccfg_nope"})
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "NOT_FOUND", obj(t, b)["code"])

	status, _, b = send(t, s, "POST", base, map[string]any{
		"connectorConfigId": "ccfg_hubspot_01", "displayName": "CRM", "customerId": "cus_1",
		"settings": map[string]any{"token": "t"}, "metadata": map[string]any{"a": 1, "b": 2}, "integrationId": "int_hubspot",
	})
	require.Equal(t, http.StatusOK, status)
	var id string
	require.NoError(t, json.Unmarshal(b, &id), "a bare JSON string: %s", b)
	assert.Regexp(t, `^conn_`, id)
	one := base + "/" + id

	status, _, b = send(t, s, "GET", one+"?expand=integration.connector", nil)
	require.Equal(t, http.StatusOK, status)
	c := obj(t, b)
	assert.Equal(t, map[string]any{"id": "ccfg_hubspot_01", "orgId": openIntOrgID, "connectorName": "hubspot"}, c["connector_config"])
	assert.Equal(t, "int_hubspot", sub(t, c, "integration")["id"])
	assert.Equal(t, "hubspot", sub(t, c, "connector")["name"])
	assert.Equal(t, "healthy", sub(t, c, "standard")["status"])
	for _, k := range []string{"createdAt", "updatedAt", "connectorName", "displayName", "customerId", "settings", "disabled", "metadata"} {
		assert.Contains(t, c, k)
	}

	status, _, b = send(t, s, "PATCH", one, map[string]any{"metadata": map[string]any{"b": 3, "c": 4}, "displayName": nil, "disabled": true})
	require.Equal(t, http.StatusOK, status)
	c = obj(t, b)
	assert.Equal(t, map[string]any{"a": 1.0, "b": 3.0, "c": 4.0}, c["metadata"], "metadata is merged shallowly")
	assert.Nil(t, c["displayName"])
	assert.Equal(t, true, c["disabled"])
	assert.Equal(t, "cus_1", c["customerId"])
	assert.NotContains(t, c, "connector_config")
	status, _, _ = send(t, s, "PATCH", one, map[string]any{"integrationId": "hubspot"})
	assert.Equal(t, http.StatusBadRequest, status)

	status, _, b = send(t, s, "POST", one+"/_check", map[string]any{"sandboxSimulateDisconnect": true})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"id": id, "status": "disconnected", "statusMessage": nil}, obj(t, b))
	status, _, b = send(t, s, "POST", one+"/_check", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "disconnected", obj(t, b)["status"])

	status, _, b = send(t, s, "POST", one+"/_sync", map[string]any{"fullResync": true})
	require.Equal(t, http.StatusOK, status)
	m := obj(t, b)
	assert.Regexp(t, `^evt_`, m["connection_requested_event_id"])
	syncs := list(t, m, "pipeline_syncs")
	require.Len(t, syncs, 1)
	assert.Contains(t, syncs[0], "pipeline_id")
	assert.Contains(t, syncs[0], "sync_completed_event_id")

	status, _, _ = send(t, s, "DELETE", one+"?skipRevoke=maybe", nil)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, b = send(t, s, "DELETE", one+"?skipRevoke=true", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{}, obj(t, b))
	status, _, b = send(t, s, "GET", one, nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, map[string]any{"code": "NOT_FOUND", "message": "Connection " + id + " not found"}, obj(t, b))
	for _, path := range []string{"/_check", "/_sync"} {
		status, _, _ = send(t, s, "POST", one+path, nil)
		assert.Equal(t, http.StatusNotFound, status)
	}
}
