package models

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNamespaceConnectionDecodeSpecShape(t *testing.T) {
	t.Parallel()
	// A VIEW_FULL connection as grpc-gateway writes it, plus a field this SDK
	// does not know.
	const body = `{
		"uid": "011477fa-9215-4d0a-b0ea-7101398f786f",
		"id": "gh",
		"namespaceId": "acme",
		"integrationId": "github",
		"integrationTitle": "GitHub",
		"method": "METHOD_OAUTH",
		"setup": {"token": "*****", "nested": {"a": [1, "b"]}},
		"scopes": ["repo"],
		"identity": "octo@example.com",
		"oAuthAccessDetails": {"token_type": "bearer"},
		"view": "VIEW_FULL",
		"createTime": "2024-10-01T07:55:03.697377Z",
		"updateTime": "2024-10-01T07:55:03Z",
		"someFutureField": {"x": 1}
	}`
	var c NamespaceConnection
	require.NoError(t, json.Unmarshal([]byte(body), &c))
	assert.Equal(t, "011477fa-9215-4d0a-b0ea-7101398f786f", c.UID)
	assert.Equal(t, "gh", c.ID)
	assert.Equal(t, "acme", c.NamespaceID)
	assert.Equal(t, "github", c.IntegrationID)
	assert.Equal(t, "GitHub", c.IntegrationTitle)
	assert.Equal(t, NamespaceConnectionMethodOAuth, c.Method)
	assert.Equal(t, map[string]any{"token": "*****", "nested": map[string]any{"a": []any{float64(1), "b"}}}, c.Setup)
	assert.Equal(t, []string{"repo"}, c.Scopes)
	assert.Equal(t, "octo@example.com", c.Identity)
	assert.Equal(t, map[string]any{"token_type": "bearer"}, c.OAuthAccessDetails)
	assert.Equal(t, InstillViewFull, c.View)
	assert.Equal(t, time.Date(2024, 10, 1, 7, 55, 3, 697377000, time.UTC), c.CreateTime.UTC())
	assert.Equal(t, time.Date(2024, 10, 1, 7, 55, 3, 0, time.UTC), c.UpdateTime.UTC())
}

func TestNamespaceConnectionEncodeOmitsUnset(t *testing.T) {
	t.Parallel()
	// What Create sends: output-only zero fields are left out; an empty
	// non-nil setup is kept as {} because the server requires it.
	b, err := json.Marshal(NamespaceConnection{ID: "x", IntegrationID: "openai", Method: NamespaceConnectionMethodDictionary, Setup: map[string]any{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id": "x", "integrationId": "openai", "method": "METHOD_DICTIONARY", "setup": {}}`, string(b))

	b, err = json.Marshal(NamespaceConnection{ID: "x", Scopes: []string{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id": "x", "scopes": []}`, string(b))

	b, err = json.Marshal(NamespaceConnection{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(b))
}

func TestNamespaceConnectionRoundTrip(t *testing.T) {
	t.Parallel()
	in := NamespaceConnection{
		UID: "u", ID: "x", NamespaceID: "ns", IntegrationID: "openai", IntegrationTitle: "OpenAI",
		Method: NamespaceConnectionMethodDictionary, Setup: map[string]any{"k": "v"}, Scopes: []string{"s"},
		Identity: "me", OAuthAccessDetails: map[string]any{"a": "b"}, View: InstillViewFull,
		CreateTime: NewTimestamp(time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)),
		UpdateTime: NewTimestamp(time.Date(2024, 1, 3, 3, 4, 5, 0, time.UTC)),
	}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	var out NamespaceConnection
	require.NoError(t, json.Unmarshal(b, &out))
	assert.True(t, in.CreateTime.Equal(out.CreateTime.Time))
	assert.True(t, in.UpdateTime.Equal(out.UpdateTime.Time))
	out.CreateTime, out.UpdateTime = in.CreateTime, in.UpdateTime
	assert.Equal(t, in, out)
}

func TestInstillEnumsAreOpen(t *testing.T) {
	t.Parallel()
	cases := []struct {
		json       string
		wantMethod NamespaceConnectionMethod
		wantView   InstillView
	}{
		{`"METHOD_DICTIONARY"`, NamespaceConnectionMethodDictionary, "METHOD_DICTIONARY"},
		{`"METHOD_FUTURE"`, "METHOD_FUTURE", "METHOD_FUTURE"},
		{`0`, NamespaceConnectionMethodUnspecified, InstillViewUnspecified},
		{`1`, NamespaceConnectionMethodDictionary, InstillViewBasic},
		{`2`, NamespaceConnectionMethodOAuth, InstillViewFull},
		{`7`, "7", "7"},
		{`null`, "", ""},
	}
	for _, tc := range cases {
		var m NamespaceConnectionMethod
		require.NoError(t, json.Unmarshal([]byte(tc.json), &m), tc.json)
		assert.Equal(t, tc.wantMethod, m, tc.json)
		var v InstillView
		require.NoError(t, json.Unmarshal([]byte(tc.json), &v), tc.json)
		assert.Equal(t, tc.wantView, v, tc.json)
	}

	var m NamespaceConnectionMethod
	assert.Error(t, json.Unmarshal([]byte(`true`), &m))
	assert.Error(t, json.Unmarshal([]byte(`1.5`), &m))

	// Inside an object, an unknown value does not fail the whole decode.
	var c NamespaceConnection
	require.NoError(t, json.Unmarshal([]byte(`{"id": "x", "method": "METHOD_NEW", "view": "VIEW_NEW"}`), &c))
	assert.Equal(t, NamespaceConnectionMethod("METHOD_NEW"), c.Method)
	assert.False(t, c.Method.IsKnown())
	assert.Equal(t, InstillView("VIEW_NEW"), c.View)
	assert.False(t, c.View.IsKnown())

	assert.True(t, NamespaceConnectionMethodDictionary.IsKnown())
	assert.True(t, NamespaceConnectionMethodOAuth.IsKnown())
	assert.False(t, NamespaceConnectionMethodUnspecified.IsKnown(), "not usable to create a connection")
	assert.True(t, InstillViewUnspecified.IsKnown())
	assert.True(t, InstillViewBasic.IsKnown())
	assert.True(t, InstillViewFull.IsKnown())

	// Encoding writes the name as it is.
	b, err := json.Marshal(struct {
		M NamespaceConnectionMethod
		V InstillView
	}{NamespaceConnectionMethodOAuth, InstillViewFull})
	require.NoError(t, err)
	assert.JSONEq(t, `{"M": "METHOD_OAUTH", "V": "VIEW_FULL"}`, string(b))
}

func TestIntegrationDecode(t *testing.T) {
	t.Parallel()
	const body = `{
		"uid": "9fb6a2cb-bff5-4c69-bc6d-4538dd8e3362",
		"id": "github",
		"title": "GitHub",
		"description": "Do things with GitHub.",
		"vendor": "GitHub",
		"icon": "assets/github.svg",
		"helpLink": {"text": "Docs", "url": "https://docs.github.com"},
		"setupSchema": {"type": "object", "properties": {"token": {"type": "string"}}},
		"oAuthConfig": {"authUrl": "https://github.com/login/oauth/authorize", "accessUrl": "https://github.com/login/oauth/access_token", "scopes": ["repo", "admin:repo_hook"]},
		"view": "VIEW_FULL"
	}`
	var in Integration
	require.NoError(t, json.Unmarshal([]byte(body), &in))
	assert.Equal(t, Integration{
		UID:         "9fb6a2cb-bff5-4c69-bc6d-4538dd8e3362",
		ID:          "github",
		Title:       "GitHub",
		Description: "Do things with GitHub.",
		Vendor:      "GitHub",
		Icon:        "assets/github.svg",
		HelpLink:    &IntegrationLink{Text: "Docs", URL: "https://docs.github.com"},
		SetupSchema: map[string]any{"type": "object", "properties": map[string]any{"token": map[string]any{"type": "string"}}},
		OAuthConfig: &IntegrationOAuthConfig{
			AuthURL:   "https://github.com/login/oauth/authorize",
			AccessURL: "https://github.com/login/oauth/access_token",
			Scopes:    []string{"repo", "admin:repo_hook"},
		},
		View: InstillViewFull,
	}, in)
}

func TestInstillListsDecode(t *testing.T) {
	t.Parallel()
	var cl NamespaceConnectionList
	require.NoError(t, json.Unmarshal([]byte(`{"connections": [{"id": "a"}, {"id": "b"}], "nextPageToken": "n", "totalSize": 7}`), &cl))
	require.Len(t, cl.Connections, 2)
	assert.Equal(t, "b", cl.Connections[1].ID)
	assert.Equal(t, "n", cl.NextPageToken)
	assert.Equal(t, 7, cl.TotalSize)

	var rl ReferencedPipelineList
	require.NoError(t, json.Unmarshal([]byte(`{"pipelineIds": ["p1"], "totalSize": 1}`), &rl))
	assert.Equal(t, ReferencedPipelineList{PipelineIDs: []string{"p1"}, TotalSize: 1}, rl)

	var il IntegrationList
	require.NoError(t, json.Unmarshal([]byte(`{}`), &il))
	assert.Empty(t, il.Integrations)
	assert.Empty(t, il.NextPageToken)
}
