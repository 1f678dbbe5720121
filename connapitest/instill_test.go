package connapitest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInstillListPaging(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(25))
	base := s.InstillURL() + "v1beta/namespaces/" + DefaultNamespace + "/connections"

	var ids []string
	token := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 4)
		status, _, b := send(t, s, "GET", base+"?pageToken="+url.QueryEscape(token), nil)
		require.Equal(t, http.StatusOK, status, "%s", b)
		m := obj(t, b)
		assert.EqualValues(t, 25, m["totalSize"])
		items := list(t, m, "connections")
		ids = append(ids, field(items, "id")...)
		assert.Equal(t, "VIEW_BASIC", items[0]["view"])
		assert.NotContains(t, items[0], "setup")
		token = m["nextPageToken"].(string)
		if token == "" {
			break
		}
		assert.NotRegexp(t, `^\d+$`, token, "page tokens are opaque")
	}
	require.Len(t, ids, 25)
	assert.Equal(t, "connection-001", ids[0])

	_, _, b := send(t, s, "GET", base+"?pageSize=500", nil)
	assert.Len(t, list(t, obj(t, b), "connections"), 25, "pageSize above 100 is coerced, not refused")
	_, _, b = send(t, s, "GET", base+"?pageSize=3", nil)
	assert.Len(t, list(t, obj(t, b), "connections"), 3)

	_, _, b = send(t, s, "GET", base+"?filter="+url.QueryEscape(`integrationId="github"`), nil)
	m := obj(t, b)
	assert.EqualValues(t, 7, m["totalSize"])
	_, _, b = send(t, s, "GET", base+"?filter="+url.QueryEscape(`integrationId = "github" AND qConnection = "21"`), nil)
	assert.Equal(t, []string{"connection-021"}, field(list(t, obj(t, b), "connections"), "id"))

	status, _, b := send(t, s, "GET", base+"?pageToken=12", nil)
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, 3.0, obj(t, b)["code"])
	assert.Equal(t, []any{}, obj(t, b)["details"])
	status, _, _ = send(t, s, "GET", base+"?filter=bogus", nil)
	assert.Equal(t, http.StatusBadRequest, status)

	_, _, b = send(t, s, "GET", s.InstillURL()+"v1beta/namespaces/other/connections", nil)
	assert.EqualValues(t, 0, obj(t, b)["totalSize"])
}

func TestInstillConnectionCRUD(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.InstillURL() + "v1beta/namespaces/ns-1/connections"
	body := map[string]any{
		"id": "my-openai", "integrationId": "openai", "method": "METHOD_DICTIONARY",
		"setup": map[string]any{"api-key": "sk-123", "organization": "org-9"},
	}
	status, _, b := send(t, s, "POST", base, body)
	require.Equal(t, http.StatusOK, status, "%s", b)
	c := sub(t, obj(t, b), "connection")
	assert.Equal(t, "ns-1", c["namespaceId"])
	assert.Equal(t, "OpenAI", c["integrationTitle"])
	assert.Equal(t, "VIEW_FULL", c["view"])
	assert.Equal(t, map[string]any{"api-key": redactedValue, "organization": "org-9"}, c["setup"])
	for _, k := range []string{"uid", "createTime", "updateTime", "scopes"} {
		assert.Contains(t, c, k)
	}

	status, _, b = send(t, s, "POST", base, body)
	require.Equal(t, http.StatusConflict, status)
	assert.EqualValues(t, 6, obj(t, b)["code"])
	for _, bad := range []map[string]any{
		{"id": "Bad_ID", "integrationId": "openai", "method": "METHOD_DICTIONARY", "setup": map[string]any{}},
		{"id": "x", "integrationId": "nope", "method": "METHOD_DICTIONARY", "setup": map[string]any{}},
		{"id": "x", "integrationId": "openai", "method": "METHOD_MAGIC", "setup": map[string]any{}},
		{"id": "x", "integrationId": "openai", "method": "METHOD_DICTIONARY"},
	} {
		status, _, b = send(t, s, "POST", base, bad)
		require.Equal(t, http.StatusBadRequest, status, "%v", bad)
		assert.EqualValues(t, 3, obj(t, b)["code"])
	}

	one := base + "/my-openai"
	status, _, b = send(t, s, "GET", one, nil)
	require.Equal(t, http.StatusOK, status)
	c = sub(t, obj(t, b), "connection")
	assert.NotContains(t, c, "setup")
	assert.NotContains(t, c, "scopes")
	_, _, b = send(t, s, "GET", one+"?view=VIEW_FULL", nil)
	assert.Equal(t, redactedValue, sub(t, sub(t, obj(t, b), "connection"), "setup")["api-key"])
	status, _, _ = send(t, s, "GET", one+"?view=VIEW_HUGE", nil)
	assert.Equal(t, http.StatusBadRequest, status)

	status, _, b = send(t, s, "POST", one+"/test", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{}, obj(t, b))

	// PATCH changes only the fields present; setup is replaced as a whole.
	status, _, b = send(t, s, "PATCH", one, map[string]any{"setup": map[string]any{"organization": "org-10"}, "scopes": []string{"a"}})
	require.Equal(t, http.StatusOK, status)
	c = sub(t, obj(t, b), "connection")
	assert.Equal(t, map[string]any{"organization": "org-10"}, c["setup"])
	assert.Equal(t, "METHOD_DICTIONARY", c["method"])
	assert.Equal(t, []any{"a"}, c["scopes"])
	status, _, b = send(t, s, "PATCH", one, map[string]any{"integrationId": "github"})
	require.Equal(t, http.StatusOK, status, "an immutable field is ignored")
	assert.Equal(t, "openai", sub(t, obj(t, b), "connection")["integrationId"])

	status, _, b = send(t, s, "POST", one+"/test", nil)
	require.Equal(t, http.StatusBadRequest, status)
	assert.EqualValues(t, 9, obj(t, b)["code"], "FAILED_PRECONDITION: api-key is now missing")

	status, _, b = send(t, s, "GET", one+"/referenced-pipelines?pageSize=5", nil)
	require.Equal(t, http.StatusOK, status)
	m := obj(t, b)
	assert.EqualValues(t, 12, m["totalSize"])
	assert.Len(t, m["pipelineIds"], 5)
	next := m["nextPageToken"].(string)
	_, _, b = send(t, s, "GET", one+"/referenced-pipelines?pageSize=10&pageToken="+next, nil)
	m = obj(t, b)
	assert.Len(t, m["pipelineIds"], 7)
	assert.Equal(t, "", m["nextPageToken"])
	_, _, b = send(t, s, "GET", one+"/referenced-pipelines?filter="+url.QueryEscape(`q="-1"`), nil)
	assert.Equal(t, []any{"pipeline-10", "pipeline-11", "pipeline-12"}, obj(t, b)["pipelineIds"])

	status, _, b = send(t, s, "DELETE", one, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{}, obj(t, b))
	status, _, b = send(t, s, "GET", one, nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, map[string]any{"code": 5.0, "message": "connection my-openai not found", "details": []any{}}, obj(t, b))
}

// PATCH with a new id renames the connection, as the real backend allows;
// namespaceId (output only) and integrationId (immutable) are ignored.
func TestInstillRename(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(3))
	base := s.InstillURL() + "v1beta/namespaces/" + DefaultNamespace + "/connections"
	_, _, b := send(t, s, "GET", base, nil)
	ids := field(list(t, obj(t, b), "connections"), "id")
	require.Len(t, ids, 3)
	status, _, b := send(t, s, "GET", base+"/"+ids[1]+"?view=VIEW_FULL", nil)
	require.Equal(t, http.StatusOK, status)
	before := sub(t, obj(t, b), "connection")

	status, _, b = send(t, s, "PATCH", base+"/"+ids[1], map[string]any{"id": "renamed-1"})
	require.Equal(t, http.StatusOK, status, "%s", b)
	after := sub(t, obj(t, b), "connection")
	assert.Equal(t, "renamed-1", after["id"])
	assert.Equal(t, before["uid"], after["uid"])
	assert.Equal(t, before["setup"], after["setup"])

	status, _, _ = send(t, s, "GET", base+"/"+ids[1], nil)
	assert.Equal(t, http.StatusNotFound, status, "the old id is gone")
	status, _, _ = send(t, s, "GET", base+"/renamed-1", nil)
	assert.Equal(t, http.StatusOK, status)
	_, _, b = send(t, s, "GET", base, nil)
	assert.Equal(t, []string{ids[0], "renamed-1", ids[2]}, field(list(t, obj(t, b), "connections"), "id"), "it keeps its place")
	_, _, b = send(t, s, "GET", base+"/renamed-1/referenced-pipelines", nil)
	assert.EqualValues(t, 12, obj(t, b)["totalSize"], "the referencing pipelines follow the rename")

	// Refusals leave the connection as it was.
	status, _, b = send(t, s, "PATCH", base+"/renamed-1", map[string]any{"id": ids[0]})
	require.Equal(t, http.StatusConflict, status)
	assert.EqualValues(t, 6, obj(t, b)["code"], "ALREADY_EXISTS")
	for _, body := range []map[string]any{
		{"id": "Not_Valid"},
		{"id": ""},
		{"id": "Not_Valid", "namespaceId": "other"},
	} {
		status, _, b = send(t, s, "PATCH", base+"/renamed-1", body)
		require.Equal(t, http.StatusBadRequest, status, "%v", body)
		assert.EqualValues(t, 3, obj(t, b)["code"], "INVALID_ARGUMENT: %v", body)
	}
	status, _, _ = send(t, s, "GET", base+"/renamed-1", nil)
	assert.Equal(t, http.StatusOK, status)
	status, _, _ = send(t, s, "GET", base+"/ok-id", nil)
	assert.Equal(t, http.StatusNotFound, status)

	// Same id, same namespace: no change.
	status, _, _ = send(t, s, "PATCH", base+"/renamed-1", map[string]any{"id": "renamed-1", "namespaceId": DefaultNamespace})
	assert.Equal(t, http.StatusOK, status)
}

func TestInstillIntegrations(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.InstillURL() + "v1beta/integrations"
	status, _, b := send(t, s, "GET", base, nil)
	require.Equal(t, http.StatusOK, status)
	m := obj(t, b)
	assert.EqualValues(t, 4, m["totalSize"])
	assert.Equal(t, "", m["nextPageToken"])
	items := list(t, m, "integrations")
	assert.Equal(t, []string{"github", "slack", "google-drive", "openai"}, field(items, "id"))
	assert.NotContains(t, items[0], "setupSchema")

	_, _, b = send(t, s, "GET", base+"?pageSize=3", nil)
	next := obj(t, b)["nextPageToken"].(string)
	_, _, b = send(t, s, "GET", base+"?pageSize=3&pageToken="+next, nil)
	assert.Equal(t, []string{"openai"}, field(list(t, obj(t, b), "integrations"), "id"))
	_, _, b = send(t, s, "GET", base+"?filter="+url.QueryEscape(`qIntegration="googl"`), nil)
	assert.Equal(t, []string{"google-drive"}, field(list(t, obj(t, b), "integrations"), "id"))

	status, _, b = send(t, s, "GET", base+"/github?view=VIEW_FULL", nil)
	require.Equal(t, http.StatusOK, status)
	in := sub(t, obj(t, b), "integration")
	assert.Contains(t, in, "setupSchema")
	assert.Equal(t, "https://github.com/login/oauth/authorize", sub(t, in, "oAuthConfig")["authUrl"])
	assert.Equal(t, "GitHub", in["title"])
	assert.Contains(t, in, "helpLink")
	_, _, b = send(t, s, "GET", base+"/openai?view=VIEW_FULL", nil)
	assert.NotContains(t, sub(t, obj(t, b), "integration"), "oAuthConfig")
	_, _, b = send(t, s, "GET", base+"/github", nil)
	assert.NotContains(t, sub(t, obj(t, b), "integration"), "setupSchema")

	status, _, b = send(t, s, "GET", base+"/nope", nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.EqualValues(t, 5, obj(t, b)["code"])
}

// TestInstillPageTokensSurviveDeletesAndCreates walks the connections two at a
// time and deletes each one it is handed, creating one per page, as a clean-up
// loop does. Instill's backend encodes a page token as the last item's (create
// time, uid), so the walk neither skips a connection nor repeats one. The fake's
// tokens were offsets: every delete shifted the rest forward, and the walk
// skipped half of them.
func TestInstillPageTokensSurviveDeletesAndCreates(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(9))
	base := s.InstillURL() + "v1beta/namespaces/" + DefaultNamespace + "/connections"
	var seen []string
	created := 0
	token := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20)
		status, _, b := send(t, s, "GET", base+"?pageSize=2&pageToken="+url.QueryEscape(token), nil)
		require.Equal(t, http.StatusOK, status, "%s", b)
		m := obj(t, b)
		for _, id := range field(list(t, m, "connections"), "id") {
			seen = append(seen, id)
			status, _, b := send(t, s, "DELETE", base+"/"+id, nil)
			require.Equal(t, http.StatusOK, status, "%s", b)
		}
		if created < 3 {
			created++
			status, _, b := send(t, s, "POST", base, map[string]any{"id": "new-" + string(rune('a'+created)), "integrationId": "openai", "method": "METHOD_DICTIONARY", "setup": map[string]any{"api-key": "k"}})
			require.Equal(t, http.StatusOK, status, "%s", b)
		}
		token = m["nextPageToken"].(string)
		if token == "" {
			break
		}
	}
	want := []string{"connection-001", "connection-002", "connection-003", "connection-004", "connection-005", "connection-006", "connection-007", "connection-008", "connection-009", "new-b", "new-c", "new-d"}
	assert.Equal(t, want, seen, "every connection once, those created during the walk at its end")
	_, _, b := send(t, s, "GET", base, nil)
	assert.Empty(t, list(t, obj(t, b), "connections"))
	assert.EqualValues(t, 0, obj(t, b)["totalSize"])

	status, _, b := send(t, s, "GET", base+"?pageToken="+url.QueryEscape(token+"x"), nil)
	assert.Equal(t, http.StatusBadRequest, status, "%s", b)
}
