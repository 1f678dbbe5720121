package conformance_test

// Vendor deviations (docs/vendor-notes.md): where a backend departs from its own
// spec, the SDK must take both shapes. Spec-shaped payloads here are checked against
// the spec; backend-shaped ones follow the backend code cited in
// ../shared/docs/vendor-apis.md §3 (PipesHub) and §1 (Instill).

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
	"github.com/connapi/connapi-go/pagination"
)

// fixedAnswers answers each request with the body keyed by "METHOD /path?query"
// (exact request URI without the base path) or, failing that, "METHOD /path".
func fixedAnswers(t *testing.T, s *loadedSpec, answers map[string]struct {
	status int
	body   string
}) *specTransport {
	t.Helper()
	base := strings.TrimSuffix(s.baseURL(), "/")
	return &specTransport{spec: s, max: 10, respond: func(route *routers.Route, r *http.Request) (int, string, []byte) {
		path := strings.TrimPrefix(r.URL.String(), base)
		for _, k := range []string{r.Method + " " + path, r.Method + " " + strings.SplitN(path, "?", 2)[0]} {
			if a, ok := answers[k]; ok {
				return a.status, "application/json", []byte(a.body)
			}
		}
		t.Errorf("unexpected request %s %s", r.Method, path)
		return http.StatusNotFound, "application/json", []byte(`{"error":{"code":"HTTP_NOT_FOUND","message":"unexpected"}}`)
	}}
}

type answer = struct {
	status int
	body   string
}

// mustConformResponse checks a hand-written spec-shaped payload against the spec.
func mustConformResponse(ctx context.Context, t *testing.T, s *loadedSpec, method, path string, status int, body string) {
	t.Helper()
	r, route := exampleRequest(ctx, t, s, method, path)
	require.NoError(t, validateResponseBody(ctx, route, r, status, []byte(body)), "payload said to be spec-shaped")
}

const (
	phInstanceID = "9b2f3c1e-0d4a-4e5b-8c6d-7e8f9a0b1c2d"
	phCreatedMs  = 1762771758436 // 2025-11-10T10:49:18.436Z
)

// The same instance in the spec's shape and in the backend's
// (_build_connector_info: registry fields, then _key, name, type, isAgentActive,
// epoch-millisecond timestamps, an authType outside the spec's enum).
var (
	phSpecInstance = `{"connectorId":"` + phInstanceID + `","connectorType":"Drive","instanceName":"Marketing Drive","scope":"team",
		"authType":"OAUTH","createdBy":"user-1","orgId":"org-1","isActive":true,"isConfigured":true,"isAuthenticated":true,
		"syncEnabled":true,"agentEnabled":true,"lastSyncAt":"2025-11-10T10:49:18.436Z","createdAt":"2025-11-10T10:49:18.436Z","updatedAt":"2025-11-10T10:49:18.436Z"}`
	phBackendInstance = `{"name":"Marketing Drive","type":"Drive","appGroup":"Google Workspace","supportedAuthTypes":["OAUTH","BEARER_TOKEN"],
		"appDescription":"Sync files","appCategories":["Storage"],"iconPath":"/assets/icons/connectors/drive.svg","supportsRealtime":false,
		"supportsSync":true,"supportsAgent":true,"documentationLinks":[],"isAdminAccessRequired":false,"personalConnectorType":null,
		"scope":"team","connectorInfo":null,"_key":"` + phInstanceID + `","authType":"BEARER_TOKEN","isActive":true,"isAgentActive":true,
		"isConfigured":true,"isAuthenticated":true,"status":"ACTIVE","createdAtTimestamp":1762771758436,"updatedAtTimestamp":1762771758436,
		"createdBy":"user-1","updatedBy":"user-1","isLocked":false}`
)

func TestDeviationPipesHubShapes(t *testing.T) {
	t.Parallel()
	s := loadSpec(t, specPipesHub)
	ctx := context.Background()
	created := time.UnixMilli(phCreatedMs).UTC()

	specList := `{"success":true,"connectors":[` + phSpecInstance + `],"pagination":{"page":1,"limit":20,"total":21,"hasMore":true}}`
	backendList := `{"success":true,"connectors":[` + phBackendInstance + `],"pagination":{"page":1,"limit":20,"search":null,"totalCount":21,
		"totalPages":2,"hasPrev":false,"hasNext":true,"prevPage":null,"nextPage":2},"scopeCounts":{"personal":0,"team":21}}`
	mustConformResponse(ctx, t, s, http.MethodGet, "/connectors", http.StatusOK, specList)

	t.Run("list", func(t *testing.T) {
		t.Parallel()
		for name, body := range map[string]string{"spec": specList, "backend": backendList} {
			tr := fixedAnswers(t, s, map[string]answer{"GET /connectors": {200, body}})
			l, _, err := newConformanceClient(t, s, tr).ConnectorInstances.List(ctx, nil)
			require.NoError(t, err, name)
			require.Len(t, l.Connectors, 1, name)
			c := l.Connectors[0]
			assert.Equal(t, phInstanceID, c.ConnectorID, "%s: _key/connectorId", name)
			assert.Equal(t, "Marketing Drive", c.InstanceName, "%s: name/instanceName", name)
			assert.Equal(t, "Drive", c.ConnectorType, "%s: type/connectorType", name)
			assert.Equal(t, models.ConnectorScopeTeam, c.Scope, name)
			assert.True(t, c.IsActive && c.IsConfigured && c.IsAuthenticated, name)
			assert.True(t, c.AgentEnabled, "%s: isAgentActive/agentEnabled", name)
			assert.True(t, c.CreatedAt.Equal(created), "%s: createdAtTimestamp (epoch ms) / createdAt (ISO): %v", name, c.CreatedAt)
			assert.True(t, c.UpdatedAt.Equal(created), name)
			require.NotNil(t, l.Pagination, name)
			assert.Equal(t, 21, l.Pagination.Total, "%s: totalCount/total", name)
			assert.True(t, l.Pagination.HasMore, "%s: hasNext/hasMore", name)
			// The gateway needs a scope on GET /connectors; the SDK sends the default.
			assert.Equal(t, "team", tr.requests()[0].url.Query().Get("scope"), name)
		}
	})

	t.Run("authType beyond the enum", func(t *testing.T) {
		t.Parallel()
		enum := s.doc.Components.Schemas["ConnectorAuthType"]
		require.NotNil(t, enum)
		for _, v := range []string{"BEARER_TOKEN", "CONNECTION_STRING", "A_TYPE_FROM_NEXT_YEAR"} {
			assert.NotContains(t, enum.Value.Enum, v)
			body := `{"success":true,"connector":` + strings.Replace(phBackendInstance, `"authType":"BEARER_TOKEN"`, `"authType":"`+v+`"`, 1) + `}`
			tr := fixedAnswers(t, s, map[string]answer{"GET /connectors/" + phInstanceID: {200, body}})
			c, _, err := newConformanceClient(t, s, tr).ConnectorInstances.Get(ctx, phInstanceID, nil)
			require.NoError(t, err, v)
			assert.Equal(t, models.AuthType(v), c.AuthType)
		}
	})

	t.Run("iterator over both pagination shapes", func(t *testing.T) {
		t.Parallel()
		item := func(id string) string {
			return strings.Replace(phBackendInstance, phInstanceID, id, 1)
		}
		shapes := map[string]map[string]answer{
			"backend": {
				"GET /connectors?limit=1&page=1&scope=team": {200, `{"success":true,"connectors":[` + item("a") + `],"pagination":{"page":1,"limit":1,"totalCount":2,"totalPages":2,"hasPrev":false,"hasNext":true,"prevPage":null,"nextPage":2}}`},
				"GET /connectors?limit=1&page=2&scope=team": {200, `{"success":true,"connectors":[` + item("b") + `],"pagination":{"page":2,"limit":1,"totalCount":2,"totalPages":2,"hasPrev":true,"hasNext":false,"prevPage":1,"nextPage":null}}`},
			},
			"spec": {
				"GET /connectors?limit=1&page=1&scope=team": {200, `{"success":true,"connectors":[` + item("a") + `],"pagination":{"page":1,"limit":1,"total":2,"hasMore":true}}`},
				"GET /connectors?limit=1&page=2&scope=team": {200, `{"success":true,"connectors":[` + item("b") + `],"pagination":{"page":2,"limit":1,"total":2,"hasMore":false}}`},
			},
		}
		for name, answers := range shapes {
			tr := fixedAnswers(t, s, answers)
			all, err := pagination.Collect(newConformanceClient(t, s, tr).ConnectorInstances.ListIter(ctx, &connapi.ListConnectorInstancesParams{Limit: 1}))
			require.NoError(t, err, name)
			require.Len(t, all, 2, name)
			assert.Equal(t, "a", all[0].ConnectorID, name)
			assert.Equal(t, "b", all[1].ConnectorID, name)
			assert.Len(t, tr.requests(), 2, "%s: the walk stops when the server says so", name)
		}
	})

	t.Run("configured, nested by the backend", func(t *testing.T) {
		t.Parallel()
		nested := `{"success":true,"connectors":{"connectors":[` + phBackendInstance + `],"pagination":{"page":1,"limit":20,"totalCount":1,"totalPages":1,"hasPrev":false,"hasNext":false,"prevPage":null,"nextPage":null},"scopeCounts":{"personal":0,"team":1}}}`
		flat := `{"success":true,"connectors":[` + phSpecInstance + `],"pagination":{"page":1,"limit":20,"total":1,"hasMore":false}}`
		mustConformResponse(ctx, t, s, http.MethodGet, "/connectors/configured", http.StatusOK, flat)
		for name, body := range map[string]string{"spec": flat, "backend": nested} {
			tr := fixedAnswers(t, s, map[string]answer{"GET /connectors/configured": {200, body}})
			l, _, err := newConformanceClient(t, s, tr).ConnectorInstances.ListConfigured(ctx, nil)
			require.NoError(t, err, name)
			require.Len(t, l.Connectors, 1, name)
			assert.Equal(t, phInstanceID, l.Connectors[0].ConnectorID, name)
			require.NotNil(t, l.Pagination, name)
			assert.False(t, l.Pagination.HasMore, name)
		}
	})

	t.Run("create: 201 (spec) and 200 (backend)", func(t *testing.T) {
		t.Parallel()
		spec := `{"success":true,"connector":` + phSpecInstance + `}`
		backend := `{"success":true,"connector":{"connectorId":"` + phInstanceID + `","connectorType":"Drive","instanceName":"Marketing Drive",
			"created":true,"scope":"team","createdBy":"user-1","isAuthenticated":false,"isConfigured":false},"message":"Connector instance created successfully."}`
		mustConformResponse(ctx, t, s, http.MethodPost, "/connectors", http.StatusCreated, spec)
		for name, a := range map[string]answer{"spec": {201, spec}, "backend": {200, backend}} {
			tr := fixedAnswers(t, s, map[string]answer{"POST /connectors": a})
			c, resp, err := newConformanceClient(t, s, tr).ConnectorInstances.Create(ctx, &connapi.CreateConnectorRequest{
				ConnectorType: "Drive", InstanceName: "Marketing Drive", Scope: models.ConnectorScopeTeam,
			})
			require.NoError(t, err, name)
			assert.Equal(t, a.status, resp.StatusCode, name)
			assert.Equal(t, phInstanceID, c.ConnectorID, name)
			assert.Equal(t, "Marketing Drive", c.InstanceName, name)
		}
	})

	t.Run("delete: 200 (spec) and 202 DELETING (backend)", func(t *testing.T) {
		t.Parallel()
		spec := `{"success":true,"message":"Connector deleted"}`
		backend := `{"success":true,"message":"Connector deletion initiated","connectorId":"` + phInstanceID + `","status":"DELETING"}`
		mustConformResponse(ctx, t, s, http.MethodDelete, "/connectors/{connectorId}", http.StatusOK, spec)
		for name, a := range map[string]answer{"spec": {200, spec}, "backend": {202, backend}} {
			tr := fixedAnswers(t, s, map[string]answer{"DELETE /connectors/" + phInstanceID: a})
			resp, err := newConformanceClient(t, s, tr).ConnectorInstances.Delete(ctx, phInstanceID, nil)
			require.NoError(t, err, name)
			assert.Equal(t, a.status, resp.StatusCode, name)
			assert.Equal(t, name == "backend", resp.StatusCode == http.StatusAccepted, "%s: deletion only accepted", name)
		}
	})

	t.Run("rename: {_key, name} from the backend", func(t *testing.T) {
		t.Parallel()
		spec := `{"success":true,"connector":` + strings.Replace(phSpecInstance, "Marketing Drive", "Renamed", 1) + `}`
		backend := `{"success":true,"connector":{"_key":"` + phInstanceID + `","name":"Renamed"}}`
		mustConformResponse(ctx, t, s, http.MethodPut, "/connectors/{connectorId}/name", http.StatusOK, spec)
		for name, body := range map[string]string{"spec": spec, "backend": backend} {
			tr := fixedAnswers(t, s, map[string]answer{"PUT /connectors/" + phInstanceID + "/name": {200, body}})
			c, _, err := newConformanceClient(t, s, tr).ConnectorInstances.UpdateName(ctx, phInstanceID, &connapi.UpdateConnectorNameRequest{InstanceName: "Renamed"})
			require.NoError(t, err, name)
			assert.Equal(t, phInstanceID, c.ConnectorID, name)
			assert.Equal(t, "Renamed", c.InstanceName, name)
		}
	})
}

// ---- Instill ----

func TestDeviationInstillPageSize(t *testing.T) {
	t.Parallel()
	s := loadSpec(t, specInstill)
	ctx := context.Background()
	// Over the cap: the spec says the server coerces it to 100, so the SDK sends it
	// as given (docs/vendor-notes.md, Instill); only what no int32 can hold, and
	// negatives, are refused before sending.
	tr := &specTransport{spec: s, mode: genFull, max: 5}
	c := newConformanceClient(t, s, tr)
	_, _, err := c.NamespaceConnections.List(ctx, instillNS, &connapi.ListNamespaceConnectionsParams{PageSize: -1})
	assert.ErrorIs(t, err, connapi.ErrInvalidParams)
	_, _, err = c.Integrations.List(ctx, &connapi.ListIntegrationsParams{PageSize: math.MaxInt32 + 1})
	assert.ErrorIs(t, err, connapi.ErrInvalidParams)
	assert.Empty(t, tr.requests(), "no request for an out-of-range page size")

	_, _, err = c.NamespaceConnections.List(ctx, instillNS, &connapi.ListNamespaceConnectionsParams{PageSize: 101})
	require.NoError(t, err)
	_, _, err = c.Integrations.List(ctx, &connapi.ListIntegrationsParams{PageSize: 1000})
	require.NoError(t, err)
	_, _, err = c.NamespaceConnections.ReferencedPipelines(ctx, instillNS, instillConn, &connapi.ListReferencedPipelinesParams{PageSize: 101})
	require.NoError(t, err)

	// At the cap and at zero (server default): sent as is, or not at all.
	_, _, err = c.NamespaceConnections.List(ctx, instillNS, &connapi.ListNamespaceConnectionsParams{PageSize: 100})
	require.NoError(t, err)
	_, _, err = c.NamespaceConnections.List(ctx, instillNS, nil)
	require.NoError(t, err)
	reqs := tr.requests()
	require.Len(t, reqs, 5)
	for i, want := range []string{"101", "1000", "101", "100"} {
		assert.Equal(t, want, reqs[i].url.Query().Get("pageSize"), "request %d", i)
	}
	assert.False(t, reqs[4].url.Query().Has("pageSize"))
}

func TestDeviationInstillTokenWalk(t *testing.T) {
	t.Parallel()
	s := loadSpec(t, specInstill)
	ctx := context.Background()
	conn := func(id string) string {
		return `{"id":"` + id + `","integrationId":"openai","method":"METHOD_DICTIONARY","setup":{}}`
	}
	const listPath = "GET /v1beta/namespaces/" + instillNS + "/connections"
	page1 := `{"connections":[` + conn("a") + `,` + conn("b") + `],"nextPageToken":"t2","totalSize":3}`
	mustConformResponse(ctx, t, s, http.MethodGet, "/v1beta/namespaces/{namespaceId}/connections", http.StatusOK, page1)
	for name, last := range map[string]string{
		"empty token":  `{"connections":[` + conn("c") + `],"nextPageToken":"","totalSize":3}`,
		"absent token": `{"connections":[` + conn("c") + `],"totalSize":3}`,
	} {
		tr := fixedAnswers(t, s, map[string]answer{
			listPath + "?pageSize=2":              {200, page1},
			listPath + "?pageSize=2&pageToken=t2": {200, last},
		})
		all, err := pagination.Collect(newConformanceClient(t, s, tr).NamespaceConnections.ListIter(ctx, instillNS, &connapi.ListNamespaceConnectionsParams{PageSize: 2}))
		require.NoError(t, err, name)
		require.Len(t, all, 3, name)
		assert.Equal(t, "c", all[2].ID, name)
		assert.Len(t, tr.requests(), 2, name)
	}

	// Integrations and referenced pipelines walk the same way.
	tr := fixedAnswers(t, s, map[string]answer{
		"GET /v1beta/integrations?pageSize=1":                                                                                  {200, `{"integrations":[{"id":"openai"}],"nextPageToken":"n","totalSize":2}`},
		"GET /v1beta/integrations?pageSize=1&pageToken=n":                                                                      {200, `{"integrations":[{"id":"slack"}],"nextPageToken":"","totalSize":2}`},
		"GET /v1beta/namespaces/" + instillNS + "/connections/" + instillConn + "/referenced-pipelines?pageSize=1":             {200, `{"pipelineIds":["p1"],"nextPageToken":"n","totalSize":2}`},
		"GET /v1beta/namespaces/" + instillNS + "/connections/" + instillConn + "/referenced-pipelines?pageSize=1&pageToken=n": {200, `{"pipelineIds":["p2"],"totalSize":2}`},
	})
	c := newConformanceClient(t, s, tr)
	ints, err := pagination.Collect(c.Integrations.ListIter(ctx, &connapi.ListIntegrationsParams{PageSize: 1}))
	require.NoError(t, err)
	assert.Len(t, ints, 2)
	ids, err := pagination.Collect(c.NamespaceConnections.ReferencedPipelinesIter(ctx, instillNS, instillConn, &connapi.ListReferencedPipelinesParams{PageSize: 1}))
	require.NoError(t, err)
	assert.Equal(t, []string{"p1", "p2"}, ids)
}

func TestDeviationInstillUpdateMask(t *testing.T) {
	t.Parallel()
	s := loadSpec(t, specInstill)
	ctx := context.Background()
	tr := &specTransport{spec: s, mode: genFull}
	_, _, err := newConformanceClient(t, s, tr).NamespaceConnections.Update(ctx, instillNS, instillConn, &connapi.UpdateNamespaceConnectionRequest{
		Setup: map[string]any{"api-key": "sk-456"},
	})
	require.NoError(t, err)
	reqs := tr.requests()
	require.Len(t, reqs, 1)
	// Exactly the fields set, and no updateMask: grpc-gateway derives the mask from
	// the body's keys.
	assert.JSONEq(t, `{"setup":{"api-key":"sk-456"}}`, string(reqs[0].body))
	assert.Empty(t, reqs[0].url.RawQuery)
	_, err = s.validateRequest(ctx, reqs[0])
	require.NoError(t, err)

	// The swagger's own body schema (the full Connection, as Create uses it) rejects
	// that partial body: this is the deviation the loaded spec relaxes.
	create := s.doc.Paths.Value("/v1beta/namespaces/{namespaceId}/connections").Post
	schema := create.RequestBody.Value.Content.Get("application/json").Schema.Value
	var body any
	require.NoError(t, json.Unmarshal(reqs[0].body, &body))
	err = schema.VisitJSON(body, openapi3.VisitAsRequest())
	var se *openapi3.SchemaError
	if assert.Error(t, err) && errors.As(err, &se) {
		assert.Equal(t, "required", se.SchemaField)
	}
}
