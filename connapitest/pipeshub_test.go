package connapitest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPipesHubListBackendShape(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(7))
	base := s.PipesHubURL() + "connectors"

	status, _, b := send(t, s, "GET", base, nil)
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, map[string]any{"error": map[string]any{"code": "HTTP_BAD_REQUEST", "message": "Scope is required"}}, obj(t, b))

	var keys []string
	for page := 1; page <= 3; page++ {
		status, _, b = send(t, s, "GET", fmt.Sprintf("%s?scope=team&limit=3&page=%d", base, page), nil)
		require.Equal(t, http.StatusOK, status)
		m := obj(t, b)
		assert.Equal(t, true, m["success"])
		items := list(t, m, "connectors")
		keys = append(keys, field(items, "_key")...)
		p := sub(t, m, "pagination")
		assert.EqualValues(t, page, p["page"])
		assert.EqualValues(t, 3, p["limit"])
		assert.EqualValues(t, 7, p["totalCount"])
		assert.EqualValues(t, 3, p["totalPages"])
		assert.Equal(t, page > 1, p["hasPrev"])
		assert.Equal(t, page < 3, p["hasNext"])
		if page == 1 {
			assert.Nil(t, p["prevPage"])
			assert.EqualValues(t, 2, p["nextPage"])
			it := items[0]
			assert.Equal(t, "Seed connector 001", it["name"])
			assert.Equal(t, "GoogleDrive", it["type"])
			assert.IsType(t, float64(0), it["createdAtTimestamp"])
			for _, k := range []string{"appGroup", "supportedAuthTypes", "authType", "scope", "isActive", "isAgentActive", "isConfigured", "isAuthenticated", "isLocked", "status", "updatedAtTimestamp", "createdBy"} {
				assert.Contains(t, it, k)
			}
			assert.NotContains(t, it, "config")
		}
		if page == 3 {
			assert.Nil(t, p["nextPage"])
			assert.Len(t, items, 1)
		}
	}
	assert.Len(t, keys, 7)

	_, _, b = send(t, s, "GET", base+"?scope=personal", nil)
	assert.Empty(t, list(t, obj(t, b), "connectors"))
	_, _, b = send(t, s, "GET", base+"?scope=team&search=atlassian", nil)
	assert.Equal(t, []string{"Confluence", "Jira"}, field(list(t, obj(t, b), "connectors"), "type"))
	_, _, b = send(t, s, "GET", base+"?scope=team&isActive=true", nil)
	assert.Equal(t, []string{"Seed connector 004"}, field(list(t, obj(t, b), "connectors"), "name"))
	status, _, _ = send(t, s, "GET", base+"?scope=team&limit=201", nil)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, _ = send(t, s, "GET", base+"?scope=org", nil)
	assert.Equal(t, http.StatusBadRequest, status)
}

func TestPipesHubLists(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(8))
	base := s.PipesHubURL() + "connectors/"
	names := func(path string) []string {
		status, _, b := send(t, s, "GET", base+path, nil)
		require.Equal(t, http.StatusOK, status, "%s: %s", path, b)
		m := obj(t, b)
		assert.Equal(t, true, m["success"])
		if path == "configured" { // the backend nests this page one level down
			m = sub(t, m, "connectors")
		}
		return field(list(t, m, "connectors"), "name")
	}
	assert.Equal(t, []string{"Seed connector 004", "Seed connector 008"}, names("active"))
	assert.Len(t, names("inactive"), 6)
	assert.Equal(t, []string{"Seed connector 002", "Seed connector 004", "Seed connector 006", "Seed connector 008"}, names("configured"))
	assert.Equal(t, []string{"Seed connector 008"}, names("agents/active"))

	_, _, b := send(t, s, "GET", base+"configured?limit=3&page=2", nil)
	m := obj(t, b)
	assert.Equal(t, true, m["success"])
	assert.NotContains(t, m, "pagination", "backend shape: the page is nested")
	page := sub(t, m, "connectors")
	assert.Equal(t, []string{"Seed connector 008"}, field(list(t, page, "connectors"), "name"))
	p := sub(t, page, "pagination")
	assert.EqualValues(t, 4, p["totalCount"])
	assert.EqualValues(t, 2, p["page"])
	assert.Equal(t, map[string]any{"personal": 0.0, "team": 4.0}, page["scopeCounts"])
	_, _, b = send(t, s, "GET", base+"active", nil)
	assert.NotContains(t, obj(t, b), "pagination")
}

func TestPipesHubRegistry(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.PipesHubURL() + "connectors/registry"
	status, _, b := send(t, s, "GET", base+"?limit=2&page=3", nil)
	require.Equal(t, http.StatusOK, status)
	m := obj(t, b)
	items := list(t, m, "connectors")
	require.Len(t, items, 1)
	assert.Equal(t, "Slack", items[0]["type"])
	assert.Contains(t, items[0], "supportedAuthTypes")
	assert.EqualValues(t, 5, sub(t, m, "pagination")["totalCount"])

	_, _, b = send(t, s, "GET", base+"?search=google", nil)
	assert.Len(t, list(t, obj(t, b), "connectors"), 2)

	status, _, b = send(t, s, "GET", base+"/Confluence/schema", nil)
	require.Equal(t, http.StatusOK, status)
	schema := sub(t, obj(t, b), "schema")
	assert.Equal(t, "Confluence", schema["connectorType"])
	for _, k := range []string{"authSchema", "syncSchema", "filterSchema", "requiredFields"} {
		assert.Contains(t, schema, k)
	}
	status, _, b = send(t, s, "GET", base+"/Nope/schema", nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "HTTP_NOT_FOUND", sub(t, obj(t, b), "error")["code"])
}

func TestPipesHubLifecycle(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.PipesHubURL() + "connectors"

	status, _, b := send(t, s, "POST", base, map[string]any{"connectorType": "GoogleDrive", "scope": "team"})
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "instanceName is required", sub(t, obj(t, b), "error")["message"])
	status, _, _ = send(t, s, "POST", base, map[string]any{"connectorType": "Dropbox", "instanceName": "x", "scope": "team"})
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, _ = send(t, s, "POST", base, map[string]any{"connectorType": "Gmail", "instanceName": "x", "scope": "team", "authType": "API_TOKEN"})
	assert.Equal(t, http.StatusBadRequest, status)

	status, _, b = send(t, s, "POST", base, map[string]any{"connectorType": "GoogleDrive", "instanceName": "Company Drive", "scope": "team", "authType": "OAUTH"})
	require.Equal(t, http.StatusOK, status)
	m := obj(t, b)
	assert.Equal(t, "Connector instance created successfully.", m["message"])
	created := sub(t, m, "connector")
	id := created["connectorId"].(string)
	assert.Equal(t, map[string]any{
		"connectorId": id, "connectorType": "GoogleDrive", "instanceName": "Company Drive", "created": true,
		"scope": "team", "createdBy": pipesUserID, "isAuthenticated": false, "isConfigured": false,
	}, created)
	one := base + "/" + id

	status, _, b = send(t, s, "GET", one, nil)
	require.Equal(t, http.StatusOK, status)
	c := sub(t, obj(t, b), "connector")
	assert.Equal(t, id, c["_key"])
	assert.Equal(t, "OAUTH", c["authType"])
	assert.Contains(t, c, "config")

	status, _, b = send(t, s, "PUT", one+"/name", map[string]any{"instanceName": "Drive"})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"_key": id, "name": "Drive"}, sub(t, obj(t, b), "connector"))
	status, _, _ = send(t, s, "PUT", one+"/name", map[string]any{"instanceName": ""})
	assert.Equal(t, http.StatusBadRequest, status)

	// OAuth: auth config makes it configured but not authenticated.
	status, _, b = send(t, s, "PUT", one+"/config/auth", map[string]any{"auth": map[string]any{"values": map[string]any{"clientId": "cid", "clientSecret": "shh"}}})
	require.Equal(t, http.StatusOK, status)
	cfg := sub(t, obj(t, b), "config")
	assert.Equal(t, true, cfg["isConfigured"])
	assert.Equal(t, false, cfg["isAuthenticated"])
	values := sub(t, sub(t, sub(t, cfg, "config"), "auth"), "values")
	assert.Equal(t, "cid", values["clientId"])
	assert.Equal(t, redactedValue, values["clientSecret"])

	status, _, b = send(t, s, "POST", one+"/toggle", map[string]any{"type": "sync"})
	require.Equal(t, http.StatusBadRequest, status, "an unauthenticated connector cannot be enabled")
	assert.Equal(t, "HTTP_BAD_REQUEST", sub(t, obj(t, b), "error")["code"])

	status, _, b = send(t, s, "GET", one+"/oauth/authorize", nil)
	require.Equal(t, http.StatusOK, status)
	m = obj(t, b)
	state := m["state"].(string)
	u, err := url.Parse(m["authorizationUrl"].(string))
	require.NoError(t, err)
	assert.Equal(t, state, u.Query().Get("state"))

	status, _, _ = send(t, s, "GET", base+"/oauth/callback?code=c&state=forged", nil)
	assert.Equal(t, http.StatusBadRequest, status)
	// The provider's error (user denied access) is an answer, not a failed request.
	status, _, b = send(t, s, "GET", base+"/oauth/callback?error=access_denied&state="+url.QueryEscape(state), nil)
	require.Equal(t, http.StatusOK, status)
	m = obj(t, b)
	assert.Equal(t, false, m["success"])
	assert.Equal(t, "access_denied", m["error"])
	assert.Equal(t, pipesFrontendURL+"/connectors/oauth/callback?oauth_error=access_denied", m["redirectUrl"])
	status, _, b = send(t, s, "GET", base+"/oauth/callback?code=c&state="+url.QueryEscape(state), nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, id, obj(t, b)["connectorId"])
	status, _, _ = send(t, s, "GET", base+"/oauth/callback?code=c&state="+url.QueryEscape(state), nil)
	assert.Equal(t, http.StatusBadRequest, status, "a state is single use")

	// The backend's toggle answer holds no instance; Get shows the new state.
	status, _, b = send(t, s, "POST", one+"/toggle", map[string]any{"type": "sync"})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"success": true, "message": "Connector sync enabled"}, obj(t, b))
	status, _, b = send(t, s, "POST", one+"/toggle", map[string]any{"type": "agent"})
	require.Equal(t, http.StatusOK, status)
	assert.NotContains(t, obj(t, b), "connector")
	_, _, b = send(t, s, "GET", one, nil)
	c = sub(t, obj(t, b), "connector")
	assert.Equal(t, true, c["isActive"])
	assert.Equal(t, true, c["isAgentActive"])
	status, _, _ = send(t, s, "POST", one+"/toggle", map[string]any{"type": "both"})
	assert.Equal(t, http.StatusBadRequest, status)

	// While active (sync on), config, auth and filters/sync cannot change.
	for _, path := range []string{"/config", "/config/auth"} {
		status, _, b = send(t, s, "PUT", one+path, map[string]any{"auth": map[string]any{}, "sync": map[string]any{"selectedStrategy": "SCHEDULED"}})
		require.Equal(t, http.StatusBadRequest, status, path)
		assert.Equal(t, map[string]any{"code": "HTTP_BAD_REQUEST", "message": "Connector must be disabled first"}, sub(t, obj(t, b), "error"), path)
	}
	_, _, b = send(t, s, "GET", one+"/config", nil)
	assert.Equal(t, "MANUAL", sub(t, sub(t, sub(t, obj(t, b), "config"), "config"), "sync")["selectedStrategy"], "nothing changed")
	status, _, _ = send(t, s, "PUT", one+"/config/filters-sync", map[string]any{"sync": map[string]any{"selectedStrategy": "SCHEDULED"}})
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, _ = send(t, s, "POST", one+"/toggle", map[string]any{"type": "sync"})
	require.Equal(t, http.StatusOK, status)
	status, _, b = send(t, s, "PUT", one+"/config/filters-sync", map[string]any{"sync": map[string]any{"selectedStrategy": "SCHEDULED"}})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "SCHEDULED", sub(t, sub(t, sub(t, obj(t, b), "config"), "config"), "sync")["selectedStrategy"])

	status, _, b = send(t, s, "PUT", one+"/config", map[string]any{"baseUrl": "https://drive.example.com", "filters": map[string]any{"sync": map[string]any{"values": map[string]any{}}}})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "https://drive.example.com", sub(t, obj(t, b), "config")["baseUrl"])
	status, _, b = send(t, s, "GET", one+"/config", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "https://drive.example.com", sub(t, obj(t, b), "config")["baseUrl"])

	// Filters.
	status, _, _ = send(t, s, "POST", one+"/filters", map[string]any{})
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, b = send(t, s, "POST", one+"/filters", map[string]any{"filters": map[string]any{"fileTypes": []string{"pdf"}}})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"success": true, "message": "Filters saved successfully"}, obj(t, b))
	status, _, b = send(t, s, "GET", one+"/filters", nil)
	require.Equal(t, http.StatusOK, status)
	m = obj(t, b)
	assert.Equal(t, map[string]any{"fileTypes": []any{"pdf"}}, m["filters"])
	assert.Len(t, list(t, sub(t, m, "filterOptions"), "filters"), 3)

	var folders []string
	for page := 1; page <= 3; page++ {
		_, _, b = send(t, s, "GET", fmt.Sprintf("%s/filters/folders/options?page=%d", one, page), nil)
		m = obj(t, b)
		folders = append(folders, field(list(t, m, "options"), "id")...)
		assert.Equal(t, page < 3, sub(t, m, "pagination")["hasMore"])
	}
	assert.Len(t, folders, 45)
	_, _, b = send(t, s, "GET", one+"/filters/folders/options?limit=40", nil)
	cursor := sub(t, obj(t, b), "pagination")["cursor"].(string)
	_, _, b = send(t, s, "GET", one+"/filters/folders/options?cursor="+cursor, nil)
	assert.Equal(t, []string{"folder_41", "folder_42", "folder_43", "folder_44", "folder_45"}, field(list(t, obj(t, b), "options"), "id"))
	_, _, b = send(t, s, "GET", one+"/filters/folders/options?search=folder%2007", nil)
	assert.Len(t, list(t, obj(t, b), "options"), 1)
	status, _, _ = send(t, s, "GET", one+"/filters/owners/options", nil)
	assert.Equal(t, http.StatusNotFound, status)

	// Delete is asynchronous on the backend: 202 DELETING, then gone.
	status, _, b = send(t, s, "DELETE", one, nil)
	require.Equal(t, http.StatusAccepted, status)
	assert.Equal(t, map[string]any{"success": true, "message": "Connector deletion initiated", "connectorId": id, "status": "DELETING"}, obj(t, b))
	status, _, b = send(t, s, "GET", one, nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "HTTP_NOT_FOUND", sub(t, obj(t, b), "error")["code"])
}

// Instance names are limited to 100 characters, counted as runes, not bytes.
func TestPipesHubInstanceNameLengthInCharacters(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.PipesHubURL() + "connectors"
	create := func(name string) (int, []byte) {
		status, _, b := send(t, s, "POST", base, map[string]any{"connectorType": "Jira", "instanceName": name, "scope": "team", "authType": "API_TOKEN"})
		return status, b
	}
	status, b := create(strings.Repeat("日", 100)) // 100 characters, 300 bytes
	require.Equal(t, http.StatusOK, status, "%s", b)
	id := sub(t, obj(t, b), "connector")["connectorId"].(string)
	status, _ = create(strings.Repeat("日", 101))
	assert.Equal(t, http.StatusBadRequest, status)

	rename := func(name string) int {
		status, _, _ := send(t, s, "PUT", base+"/"+id+"/name", map[string]any{"instanceName": name})
		return status
	}
	assert.Equal(t, http.StatusOK, rename(strings.Repeat("é", 100)), "100 characters, 200 bytes")
	assert.Equal(t, http.StatusBadRequest, rename(strings.Repeat("é", 101)))
	assert.Equal(t, http.StatusBadRequest, rename(""))
}

// In the spec shape the OAuth callback with the provider's error redirects to the
// frontend (302), carrying the error; baseUrl names the frontend.
func TestPipesHubSpecShapeOAuthCallbackError(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithPipesHubSpecShape())
	client := *s.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for q, want := range map[string]string{
		"error=access_denied": pipesFrontendURL + "/connectors/oauth/callback?oauth_error=access_denied",
		"error=access_denied&baseUrl=" + url.QueryEscape("https://pipes.example.com/"): "https://pipes.example.com/connectors/oauth/callback?oauth_error=access_denied",
	} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.PipesHubURL()+"connectors/oauth/callback?"+q, nil)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		resp, err := client.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusFound, resp.StatusCode, q)
		assert.Equal(t, want, resp.Header.Get("Location"), q)
	}
}

func TestPipesHubTokenAuthAndAgentSupport(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.PipesHubURL() + "connectors"
	_, _, b := send(t, s, "POST", base, map[string]any{"connectorType": "Confluence", "instanceName": "Wiki", "scope": "personal", "authType": "API_TOKEN"})
	id := sub(t, obj(t, b), "connector")["connectorId"].(string)
	status, _, b := send(t, s, "PUT", base+"/"+id+"/config/auth", map[string]any{"auth": map[string]any{"values": map[string]any{"apiToken": "t"}}})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, true, sub(t, obj(t, b), "config")["isAuthenticated"], "API_TOKEN auth authenticates at once")
	status, _, _ = send(t, s, "GET", base+"/"+id+"/oauth/authorize", nil)
	assert.Equal(t, http.StatusBadRequest, status)

	_, _, b = send(t, s, "POST", base, map[string]any{"connectorType": "Gmail", "instanceName": "Mail", "scope": "personal", "authType": "OAUTH"})
	id = sub(t, obj(t, b), "connector")["connectorId"].(string)
	status, _, _ = send(t, s, "POST", base+"/"+id+"/toggle", map[string]any{"type": "agent"})
	assert.Equal(t, http.StatusBadRequest, status, "Gmail does not support agents")
}

func TestPipesHubSpecShape(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(3), WithPipesHubSpecShape())
	base := s.PipesHubURL() + "connectors"

	status, _, b := send(t, s, "GET", base+"?limit=2", nil)
	require.Equal(t, http.StatusOK, status, "scope defaults to team in the spec")
	m := obj(t, b)
	assert.Equal(t, map[string]any{"page": 1.0, "limit": 2.0, "total": 3.0, "hasMore": true}, m["pagination"])
	it := list(t, m, "connectors")[0]
	for _, k := range []string{"connectorId", "instanceName", "connectorType", "agentEnabled", "syncEnabled", "createdAt", "updatedAt", "orgId"} {
		assert.Contains(t, it, k)
	}
	assert.NotContains(t, it, "_key")
	assert.Equal(t, "2025-01-01T00:01:00Z", it["createdAt"])

	status, _, b = send(t, s, "POST", base, map[string]any{"connectorType": "Slack", "instanceName": "Chat", "scope": "team", "authType": "OAUTH"})
	require.Equal(t, http.StatusCreated, status)
	id := sub(t, obj(t, b), "connector")["connectorId"].(string)
	_, _, b = send(t, s, "PUT", base+"/"+id+"/name", map[string]any{"instanceName": "Chat 2"})
	assert.Equal(t, "Chat 2", sub(t, obj(t, b), "connector")["instanceName"])
	_, _, b = send(t, s, "GET", base+"/registry", nil)
	assert.Contains(t, list(t, obj(t, b), "connectors")[0], "displayName")

	// The spec's toggle answer includes the updated instance.
	_, _, b = send(t, s, "POST", base, map[string]any{"connectorType": "Jira", "instanceName": "Issues", "scope": "team", "authType": "API_TOKEN"})
	jira := sub(t, obj(t, b), "connector")["connectorId"].(string)
	status, _, b = send(t, s, "PUT", base+"/"+jira+"/config/auth", map[string]any{"auth": map[string]any{"values": map[string]any{"apiToken": "t"}}})
	require.Equal(t, http.StatusOK, status, "%s", b)
	status, _, b = send(t, s, "POST", base+"/"+jira+"/toggle", map[string]any{"type": "sync"})
	require.Equal(t, http.StatusOK, status, "%s", b)
	assert.Equal(t, true, sub(t, obj(t, b), "connector")["isActive"])

	// The spec's /connectors/configured page is flat.
	status, _, b = send(t, s, "GET", base+"/configured", nil)
	require.Equal(t, http.StatusOK, status)
	m = obj(t, b)
	assert.Equal(t, []string{"Seed connector 002", "Issues"}, field(list(t, m, "connectors"), "instanceName"))
	assert.EqualValues(t, 2, sub(t, m, "pagination")["total"])

	status, _, b = send(t, s, "DELETE", base+"/"+id, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"success": true, "message": "Connector instance deleted successfully"}, obj(t, b))
}
