package connapitest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Instill page (namespace connections: list, get, update, delete) and spec,
// point by point.

// "Immutable and output-only fields will be ignored": a PATCH carrying another
// integrationId, namespaceId, uid or times succeeds and changes none of them. The
// page's own example body is such a PATCH.
func TestInstillPatchIgnoresImmutableAndOutputOnlyFields(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	u := s.InstillURL() + "v1beta/namespaces/" + DefaultNamespace + "/connections/connection-001"
	_, _, b := send(t, s, "GET", u+"?view=VIEW_FULL", nil)
	before := sub(t, obj(t, b), "connection")
	require.Equal(t, "github", before["integrationId"])

	status, _, b := send(t, s, "PATCH", u, map[string]any{
		"integrationId": "openai", "namespaceId": "other", "uid": "00000000-0000-4000-8000-000000000000",
		"integrationTitle": "Nope", "view": "VIEW_BASIC", "createTime": "2020-01-01T00:00:00Z",
		"method": "METHOD_DICTIONARY", "setup": map[string]any{"token": "t2"},
	})
	require.Equal(t, http.StatusOK, status, "%s", b)
	after := sub(t, obj(t, b), "connection")
	for _, k := range []string{"integrationId", "namespaceId", "uid", "integrationTitle", "createTime"} {
		assert.Equal(t, before[k], after[k], k)
	}
	assert.Equal(t, "VIEW_FULL", after["view"])
	assert.Equal(t, map[string]any{"token": "*****"}, after["setup"], "the mutable fields did change")

	// The page's example: {"integrationId": "openai", "method": …, "setup": {}}.
	s2 := newTestServer(t)
	base := s2.InstillURL() + "v1beta/namespaces/test/connections"
	status, _, b = send(t, s2, "POST", base, map[string]any{
		"id": "openai", "integrationId": "openai", "method": "METHOD_DICTIONARY",
		"setup": map[string]any{"api-key": "key", "organization": "my-org"},
	})
	require.Equal(t, http.StatusOK, status, "%s", b)
	status, _, b = send(t, s2, "PATCH", base+"/openai", `{ "integrationId": "openai", "method": "METHOD_DICTIONARY", "setup": {} }`)
	require.Equal(t, http.StatusOK, status, "%s", b)
	assert.Equal(t, map[string]any{}, sub(t, obj(t, b), "connection")["setup"])
}

// qConnection is a fuzzy match on the connection ID, the integration's title or
// its vendor; qIntegration on the integration's title or vendor. The spec's own
// examples write both as q="…", which is taken too.
func TestInstillFuzzyFilters(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(8))
	list := func(path, filter string) []string {
		t.Helper()
		status, _, b := send(t, s, "GET", s.InstillURL()+path+"?pageSize=100&filter="+url.QueryEscape(filter), nil)
		require.Equal(t, http.StatusOK, status, "%s: %s", filter, b)
		m := obj(t, b)
		for _, key := range []string{"connections", "integrations"} {
			if items, ok := m[key]; ok {
				out := []string{}
				for _, it := range items.([]any) {
					out = append(out, it.(map[string]any)["id"].(string))
				}
				return out
			}
		}
		t.Fatalf("no list in %s", b)
		return nil
	}
	conns := "v1beta/namespaces/" + DefaultNamespace + "/connections"
	// Seeds cycle github, slack, google-drive, openai.
	assert.Equal(t, []string{"connection-003", "connection-007"}, list(conns, `qConnection="googl"`), "the vendor (Google) and title (Google Drive)")
	assert.Equal(t, []string{"connection-002", "connection-006"}, list(conns, `qConnection="salesforce"`), "Slack's vendor")
	assert.Equal(t, []string{"connection-004", "connection-008"}, list(conns, `qConnection="OPENAI"`), "the title, any case")
	assert.Equal(t, []string{"connection-005"}, list(conns, `qConnection="-005"`), "the connection ID")
	assert.Equal(t, list(conns, `qConnection="googl"`), list(conns, `q="googl"`), "the spec's example form")
	assert.Equal(t, []string{"google-drive"}, list("v1beta/integrations", `qIntegration="googl"`))
	assert.Equal(t, []string{"google-drive"}, list("v1beta/integrations", `q="googl"`))
}
