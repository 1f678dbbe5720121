package connapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/connapi/connapi-go/models"
	"github.com/connapi/connapi-go/pagination"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const coreConnJSON = `{
	"id": "conn_1", "createdAt": "2025-03-04T10:00:00.000Z", "updatedAt": "2025-03-05T11:00:00Z",
	"connectorName": "hubspot", "displayName": "Acme CRM", "customerId": "cus_1",
	"connectorConfigId": "ccfg_1", "integrationId": null, "settings": {"oauth": {}},
	"standard": {"displayName": "Acme", "status": "healthy", "statusMessage": null, "labels": ["crm"]},
	"disabled": false, "metadata": {"team": "sales"}
}`

// testCoreBearerOnly asserts the request carries setup's bearer token and no other
// credential header.
func testCoreBearerOnly(t *testing.T, r *http.Request) {
	t.Helper()
	assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
	assert.Empty(t, r.Header.Values("X-Apikey"), "x-apikey")
	assert.Empty(t, r.Header.Values("X-Connection-Id"), "x-connection-id")
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
}

func TestCoreConnectionsList(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /core/connection", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCoreBearerOnly(t, r)
		testQuery(t, r, url.Values{
			"limit":             {"5"},
			"offset":            {"10"},
			"customerId":        {"cus_1"},
			"connectorConfigId": {"ccfg_1"},
			"connectorName":     {"hubspot"},
			"forceRefresh":      {"true"},
			"expand":            {"integration,integration.connector"},
		})
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `[`+coreConnJSON+`, {"id": "conn_2", "createdAt": "2025-03-04 10:00:00.5+00",
			"updatedAt": "2025-03-04T10:00:00Z", "connectorName": "plaid", "connectorConfigId": "ccfg_2",
			"integration": {"id": "int_9", "name": "Chase", "logoUrl": "https://logo.test/chase.png"},
			"connector": {"id": "ccfg_2", "name": "plaid", "logoUrl": "https://logo.test/plaid.png"},
			"someFutureField": 1}]`)
	})
	conns, resp, err := c.CoreConnections.List(context.Background(), &ListCoreConnectionsParams{
		Limit: 5, Offset: 10, CustomerID: Ptr("cus_1"), ConnectorConfigID: "ccfg_1",
		ConnectorName: "hubspot", ForceRefresh: true,
		Expand: []string{CoreConnectionExpandIntegration, CoreConnectionExpandIntegrationConnector},
	})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, conns, 2)
	assert.Equal(t, "conn_1", conns[0].ID)
	assert.Equal(t, "hubspot", conns[0].ConnectorName)
	require.NotNil(t, conns[0].Standard)
	assert.Equal(t, models.CoreConnectionStatusHealthy, conns[0].Standard.Status)
	assert.Nil(t, conns[0].Integration)
	assert.Equal(t, "conn_2", conns[1].ID)
	assert.Equal(t, "2025-03-04T10:00:00.5Z", conns[1].CreatedAt.UTC().Format("2006-01-02T15:04:05.999Z07:00"))
	require.NotNil(t, conns[1].Integration)
	assert.Equal(t, models.CoreConnectionIntegration{ID: "int_9", Name: "Chase", LogoURL: "https://logo.test/chase.png"}, *conns[1].Integration)
	require.NotNil(t, conns[1].Connector)
	assert.Equal(t, "plaid", conns[1].Connector.Name)
}

func TestCoreConnectionsList_NilParamsSendsNoQuery(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /core/connection", func(w http.ResponseWriter, r *http.Request) {
		assert.Empty(t, r.URL.RawQuery)
		writeJSON(w, http.StatusOK, `[]`)
	})
	conns, _, err := c.CoreConnections.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, conns)
}

// pagedCoreServer serves n connections as a bare array paged by limit/offset, and
// records the (limit, offset) of each request.
type pagedCoreServer struct {
	n        int
	mu       sync.Mutex
	requests []string
	failAt   int // offset that answers 500, -1 for never
}

func (ps *pagedCoreServer) handler(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit, err := strconv.Atoi(q.Get("limit"))
		require.NoError(t, err, "ListIter must always send a limit")
		offset := 0
		if s := q.Get("offset"); s != "" {
			offset, err = strconv.Atoi(s)
			require.NoError(t, err)
		}
		ps.mu.Lock()
		ps.requests = append(ps.requests, fmt.Sprintf("limit=%d offset=%d", limit, offset))
		ps.mu.Unlock()
		if offset == ps.failAt {
			writeJSON(w, http.StatusInternalServerError, `{"code":"INTERNAL_SERVER_ERROR","message":"boom"}`)
			return
		}
		items := []string{}
		for i := offset; i < min(offset+limit, ps.n); i++ {
			items = append(items, fmt.Sprintf(`{"id":"conn_%d","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z","connectorName":"x","connectorConfigId":"ccfg_1"}`, i))
		}
		writeJSON(w, http.StatusOK, "["+strings.Join(items, ",")+"]")
	}
}

func (ps *pagedCoreServer) log() []string {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return append([]string(nil), ps.requests...)
}

func coreIDs(t *testing.T, seq func(func(*models.CoreConnection, error) bool)) []string {
	t.Helper()
	var ids []string
	for conn, err := range seq {
		require.NoError(t, err)
		ids = append(ids, conn.ID)
	}
	return ids
}

func wantCoreIDs(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("conn_%d", i))
	}
	return out
}

func TestCoreConnectionsListIter_ExactMultipleEndsOnEmptyPage(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	ps := &pagedCoreServer{n: 6, failAt: -1}
	mux.HandleFunc("GET /core/connection", ps.handler(t))
	ids := coreIDs(t, c.CoreConnections.ListIter(context.Background(), &ListCoreConnectionsParams{Limit: 2}))
	assert.Equal(t, wantCoreIDs(0, 6), ids)
	assert.Equal(t, []string{"limit=2 offset=0", "limit=2 offset=2", "limit=2 offset=4", "limit=2 offset=6"}, ps.log())
}

func TestCoreConnectionsListIter_ShortPageEnds(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	ps := &pagedCoreServer{n: 7, failAt: -1}
	mux.HandleFunc("GET /core/connection", ps.handler(t))
	ids := coreIDs(t, c.CoreConnections.ListIter(context.Background(), &ListCoreConnectionsParams{Limit: 3}))
	assert.Equal(t, wantCoreIDs(0, 7), ids)
	assert.Equal(t, []string{"limit=3 offset=0", "limit=3 offset=3", "limit=3 offset=6"}, ps.log())
}

func TestCoreConnectionsListIter_DefaultLimitAndStartOffset(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	ps := &pagedCoreServer{n: 250, failAt: -1}
	mux.HandleFunc("GET /core/connection", ps.handler(t))
	p := &ListCoreConnectionsParams{Offset: 20, ConnectorName: "x"}
	ids := coreIDs(t, c.CoreConnections.ListIter(context.Background(), p))
	assert.Equal(t, wantCoreIDs(20, 250), ids)
	assert.Equal(t, []string{"limit=100 offset=20", "limit=100 offset=120", "limit=100 offset=220"}, ps.log())
	assert.Equal(t, &ListCoreConnectionsParams{Offset: 20, ConnectorName: "x"}, p, "caller's params are not modified")
}

func TestCoreConnectionsListIter_BreakAfterFirstItemSendsOneRequest(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	ps := &pagedCoreServer{n: 10, failAt: -1}
	mux.HandleFunc("GET /core/connection", ps.handler(t))
	seq := c.CoreConnections.ListIter(context.Background(), &ListCoreConnectionsParams{Limit: 2})
	assert.Empty(t, ps.log(), "lazy: nothing before the first step")
	for conn, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, "conn_0", conn.ID)
		break
	}
	assert.Equal(t, []string{"limit=2 offset=0"}, ps.log())
}

func TestCoreConnectionsListIter_RangingTwiceStartsOver(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	ps := &pagedCoreServer{n: 3, failAt: -1}
	mux.HandleFunc("GET /core/connection", ps.handler(t))
	seq := c.CoreConnections.ListIter(context.Background(), &ListCoreConnectionsParams{Limit: 2})
	first := coreIDs(t, seq)
	second := coreIDs(t, seq)
	assert.Equal(t, wantCoreIDs(0, 3), first)
	assert.Equal(t, first, second)
	assert.Equal(t, []string{"limit=2 offset=0", "limit=2 offset=2", "limit=2 offset=0", "limit=2 offset=2"}, ps.log())
}

func TestCoreConnectionsListIter_ErrorYieldedOnceAndEnds(t *testing.T) {
	t.Parallel()
	c, mux := setup(t, WithoutRetries())
	ps := &pagedCoreServer{n: 10, failAt: 2}
	mux.HandleFunc("GET /core/connection", ps.handler(t))
	var ids []string
	var errs []error
	for conn, err := range c.CoreConnections.ListIter(context.Background(), &ListCoreConnectionsParams{Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, conn.ID)
	}
	assert.Equal(t, wantCoreIDs(0, 2), ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrServer)
	assert.Equal(t, []string{"limit=2 offset=0", "limit=2 offset=2"}, ps.log())
}

func TestCoreConnectionsListIter_CollectN(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	ps := &pagedCoreServer{n: 10, failAt: -1}
	mux.HandleFunc("GET /core/connection", ps.handler(t))
	got, err := pagination.CollectN(c.CoreConnections.ListIter(context.Background(), &ListCoreConnectionsParams{Limit: 4}), 5)
	require.NoError(t, err)
	assert.Len(t, got, 5)
	assert.Equal(t, []string{"limit=4 offset=0", "limit=4 offset=4"}, ps.log())
}

func TestCoreConnectionsCreate(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /core/connection", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testCoreBearerOnly(t, r)
		testQuery(t, r, nil)
		testJSONBody(t, r, `{
			"connectorConfigId": "ccfg_1",
			"settings": {"apiKey": "k<&>"},
			"displayName": "Acme",
			"customerId": "cus_1",
			"disabled": false,
			"metadata": {"team": "sales"},
			"integrationId": "int_1"
		}`)
		writeJSON(w, http.StatusOK, `"conn_new"`)
	})
	id, resp, err := c.CoreConnections.Create(context.Background(), &CreateCoreConnectionRequest{
		ConnectorConfigID: "ccfg_1",
		Settings:          map[string]any{"apiKey": "k<&>"},
		DisplayName:       Ptr("Acme"),
		CustomerID:        Ptr("cus_1"),
		Disabled:          Ptr(false),
		Metadata:          map[string]string{"team": "sales"},
		IntegrationID:     Ptr("int_1"),
	})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, "conn_new", id)
}

func TestCoreConnectionsCreate_MinimalBody(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /core/connection", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"connectorConfigId": "ccfg_1"}`)
		writeJSON(w, http.StatusOK, `"conn_new"`)
	})
	id, _, err := c.CoreConnections.Create(context.Background(), &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"})
	require.NoError(t, err)
	assert.Equal(t, "conn_new", id)
}

func TestCoreConnectionsCreate_ResponseShapes(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body   string
		wantID string
	}{
		"bare string":     {`"conn_a"`, "conn_a"},
		"object with id":  {`{"id":"conn_b"}`, "conn_b"},
		"empty body":      {``, ""},
		"empty string":    {`""`, ""},
		"number is wrong": {`42`, ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("POST /core/connection", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, tc.body)
			})
			id, resp, err := c.CoreConnections.Create(context.Background(), &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"})
			require.NotNil(t, resp)
			if tc.wantID != "" {
				require.NoError(t, err)
				assert.Equal(t, tc.wantID, id)
				return
			}
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "/prefix/api/v1/core/connection", re.Path)
			assert.Empty(t, id)
		})
	}
}

// A create answer whose id is not "conn_…" is bad server output, not the caller's
// mistake: a *ResponseError (never ErrInvalidParams), with no fetch attempted.
func TestCoreConnectionsCreateWithAStrangeIDIsAResponseError(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{`"ccfg_1"`, `"abc"`, `"conn_"`, `{"id": "res_7"}`} {
		t.Run(answer, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var gets atomic.Int32
			mux.HandleFunc("POST /core/connection", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, answer)
			})
			mux.HandleFunc("GET /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
				gets.Add(1)
				writeJSON(w, http.StatusOK, coreConnJSON)
			})
			ctx := context.Background()
			req := &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"}

			id, resp, err := c.CoreConnections.Create(ctx, req)
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.NotErrorIs(t, err, ErrInvalidParams)
			assert.Equal(t, http.StatusOK, re.StatusCode)
			assert.Contains(t, err.Error(), "conn_")
			assert.NotEmpty(t, id, "the id that came back is returned: the connection may exist")
			require.NotNil(t, resp)

			conn, resp, err := c.CoreConnections.CreateAndGet(ctx, req, nil)
			require.ErrorAs(t, err, &re)
			assert.NotErrorIs(t, err, ErrInvalidParams)
			assert.Nil(t, conn)
			require.NotNil(t, resp)
			assert.EqualValues(t, 0, gets.Load(), "no fetch of an id that cannot be one")
		})
	}
}

func TestCoreConnectionsCreateAndGet(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("POST /core/connection", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		testJSONBody(t, r, `{"connectorConfigId": "ccfg_1", "customerId": "cus_1"}`)
		writeJSON(w, http.StatusOK, `"conn_1"`)
	})
	mux.HandleFunc("GET /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		assert.Equal(t, "conn_1", r.PathValue("id"))
		testQuery(t, r, url.Values{"expand": {"integration"}})
		writeJSON(w, http.StatusOK, coreConnJSON)
	})
	conn, resp, err := c.CoreConnections.CreateAndGet(context.Background(),
		&CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1", CustomerID: Ptr("cus_1")},
		&GetCoreConnectionParams{Expand: []string{CoreConnectionExpandIntegration}})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, "conn_1", conn.ID)
	assert.Equal(t, int32(2), calls.Load())
}

func TestCoreConnectionsCreateAndGet_GetFailsNamesCreatedID(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /core/connection", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `"conn_7"`)
	})
	mux.HandleFunc("GET /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, `{"code":"NOT_FOUND","message":"Connection not found"}`)
	})
	conn, resp, err := c.CoreConnections.CreateAndGet(context.Background(), &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"}, nil)
	assert.Nil(t, conn)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "conn_7")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "NOT_FOUND", apiErr.Code)
}

func TestCoreConnectionsGet(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCoreBearerOnly(t, r)
		assert.Equal(t, "conn_1", r.PathValue("id"))
		testQuery(t, r, url.Values{"forceRefresh": {"true"}, "expand": {"integration,integration.connector"}})
		testNoBody(t, r)
		body := strings.TrimSuffix(strings.TrimSpace(coreConnJSON), "}") + `,
			"connector_config": {"id": "ccfg_1", "orgId": "org_1", "connectorName": "hubspot"},
			"integration": {"id": "int_1", "name": "HubSpot", "logoUrl": "https://logo.test/h.png"},
			"connector": {"id": "ccfg_1", "name": "hubspot", "logoUrl": "https://logo.test/c.png"}}`
		writeJSON(w, http.StatusOK, body)
	})
	conn, resp, err := c.CoreConnections.Get(context.Background(), "conn_1", &GetCoreConnectionParams{
		ForceRefresh: true,
		Expand:       []string{CoreConnectionExpandIntegration, CoreConnectionExpandIntegrationConnector},
	})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, "conn_1", conn.ID)
	assert.Equal(t, &models.CoreConnectionConnectorConfig{ID: "ccfg_1", OrgID: "org_1", ConnectorName: "hubspot"}, conn.ConnectorConfig)
	assert.Equal(t, &models.CoreConnectionIntegration{ID: "int_1", Name: "HubSpot", LogoURL: "https://logo.test/h.png"}, conn.Integration)
	assert.Equal(t, &models.CoreConnectionConnector{ID: "ccfg_1", Name: "hubspot", LogoURL: "https://logo.test/c.png"}, conn.Connector)
	var meta map[string]string
	require.NoError(t, conn.DecodeMetadata(&meta))
	assert.Equal(t, map[string]string{"team": "sales"}, meta)
}

func TestCoreConnectionsGet_NilParamsAndEscaping(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "conn_a/b c", r.PathValue("id"))
		assert.Equal(t, "/core/connection/conn_a%2Fb%20c", r.URL.EscapedPath())
		assert.Empty(t, r.URL.RawQuery)
		writeJSON(w, http.StatusOK, `{"id":"conn_a/b c"}`)
	})
	conn, _, err := c.CoreConnections.Get(context.Background(), "conn_a/b c", nil)
	require.NoError(t, err)
	assert.Equal(t, "conn_a/b c", conn.ID)
}

func TestCoreConnectionsUpdate(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("PATCH /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPatch)
		testCoreBearerOnly(t, r)
		assert.Equal(t, "conn_1", r.PathValue("id"))
		testQuery(t, r, nil)
		testJSONBody(t, r, `{
			"settings": {},
			"displayName": "",
			"metadata": {"stage": "won"},
			"disabled": true,
			"customerId": "cus_2",
			"integrationId": "int_2"
		}`)
		writeJSON(w, http.StatusOK, coreConnJSON)
	})
	conn, resp, err := c.CoreConnections.Update(context.Background(), "conn_1", &UpdateCoreConnectionRequest{
		Settings:      models.NewNullable(map[string]any{}),
		DisplayName:   models.NewNullable(""),
		Metadata:      json.RawMessage(`{"stage": "won"}`),
		Disabled:      Ptr(true),
		CustomerID:    models.NewNullable("cus_2"),
		IntegrationID: models.NewNullable("int_2"),
	})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, "conn_1", conn.ID)
}

// The page types settings, displayName, customerId and integrationId as "… | null":
// each has three states on the wire, absent, null and a value.
func TestCoreConnectionsUpdate_NullableFieldsThreeStates(t *testing.T) {
	t.Parallel()
	type field struct {
		key string
		set func(r *UpdateCoreConnectionRequest, state string)
		val string // the value's JSON
	}
	fields := []field{
		{"settings", func(r *UpdateCoreConnectionRequest, st string) {
			r.Settings = map[string]models.Nullable[map[string]any]{"null": models.Null[map[string]any](), "value": models.NewNullable(map[string]any{"apiKey": "k"})}[st]
		}, `{"apiKey": "k"}`},
		{"displayName", func(r *UpdateCoreConnectionRequest, st string) {
			r.DisplayName = map[string]models.Nullable[string]{"null": models.Null[string](), "value": models.NewNullable("Acme CRM")}[st]
		}, `"Acme CRM"`},
		{"customerId", func(r *UpdateCoreConnectionRequest, st string) {
			r.CustomerID = map[string]models.Nullable[string]{"null": models.Null[string](), "value": models.NewNullable("cus_9")}[st]
		}, `"cus_9"`},
		{"integrationId", func(r *UpdateCoreConnectionRequest, st string) {
			r.IntegrationID = map[string]models.Nullable[string]{"null": models.Null[string](), "value": models.NewNullable("int_hubspot")}[st]
		}, `"int_hubspot"`},
	}
	for _, f := range fields {
		for _, state := range []string{"absent", "null", "value"} {
			t.Run(f.key+" "+state, func(t *testing.T) {
				t.Parallel()
				c, mux := setup(t)
				mux.HandleFunc("PATCH /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
					b, err := io.ReadAll(r.Body)
					require.NoError(t, err)
					var body map[string]json.RawMessage
					require.NoError(t, json.Unmarshal(b, &body))
					raw, present := body[f.key]
					switch state {
					case "absent":
						assert.False(t, present, "%s must be left out: %s", f.key, b)
					case "null":
						assert.Equal(t, "null", string(raw), "%s: %s", f.key, b)
					case "value":
						assert.JSONEq(t, f.val, string(raw), "%s: %s", f.key, b)
					}
					assert.Equal(t, `true`, string(body["disabled"]), "the other fields are unaffected")
					writeJSON(w, http.StatusOK, coreConnJSON)
				})
				req := &UpdateCoreConnectionRequest{Disabled: Ptr(true)}
				f.set(req, state)
				_, _, err := c.CoreConnections.Update(context.Background(), "conn_1", req)
				require.NoError(t, err)
			})
		}
	}
}

func TestCoreConnectionsUpdate_SendsOnlyFieldsSet(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		req  *UpdateCoreConnectionRequest
		want string
	}{
		"nil request":   {nil, `{}`},
		"metadata only": {&UpdateCoreConnectionRequest{Metadata: map[string]any{"a": 1}}, `{"metadata": {"a": 1}}`},
		"disable only":  {&UpdateCoreConnectionRequest{Disabled: Ptr(false)}, `{"disabled": false}`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("PATCH /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
				testJSONBody(t, r, tc.want)
				writeJSON(w, http.StatusOK, coreConnJSON)
			})
			_, _, err := c.CoreConnections.Update(context.Background(), "conn_1", tc.req)
			require.NoError(t, err)
		})
	}
}

func TestCoreConnectionsDelete(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		p    *DeleteCoreConnectionParams
		want url.Values
	}{
		"nil params":  {nil, nil},
		"skip revoke": {&DeleteCoreConnectionParams{SkipRevoke: true}, url.Values{"skipRevoke": {"true"}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("DELETE /core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodDelete)
				testCoreBearerOnly(t, r)
				assert.Equal(t, "conn_1", r.PathValue("id"))
				testQuery(t, r, tc.want)
				testNoBody(t, r)
				writeJSON(w, http.StatusOK, `{}`)
			})
			resp, err := c.CoreConnections.Delete(context.Background(), "conn_1", tc.p)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
		})
	}
}

func TestCoreConnectionsCheck(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		p        *CheckCoreConnectionRequest
		wantBody string
		reply    string
		want     string
	}{
		"all options": {
			&CheckCoreConnectionRequest{
				SkipCache: Ptr(true), Import: Ptr(false), UpdateWebhook: Ptr(true),
				SandboxSimulateUpdate: Ptr(false), SandboxSimulateDisconnect: Ptr(true),
			},
			`{"skipCache": true, "import": false, "updateWebhook": true, "sandboxSimulateUpdate": false, "sandboxSimulateDisconnect": true}`,
			`{"id":"conn_1","status":"healthy"}`, `{"id":"conn_1","status":"healthy"}`,
		},
		"nil params":  {nil, `{}`, `null`, `null`},
		"empty reply": {&CheckCoreConnectionRequest{}, `{}`, ``, ``},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("POST /core/connection/{id}/_check", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPost)
				testCoreBearerOnly(t, r)
				assert.Equal(t, "conn_1", r.PathValue("id"))
				testQuery(t, r, nil)
				testJSONBody(t, r, tc.wantBody)
				writeJSON(w, http.StatusOK, tc.reply)
			})
			raw, resp, err := c.CoreConnections.Check(context.Background(), "conn_1", tc.p)
			require.NoError(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, tc.want, string(raw))
		})
	}
}

func TestCoreConnectionsSync(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /core/connection/{id}/_sync", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testCoreBearerOnly(t, r)
		assert.Equal(t, "conn_1", r.PathValue("id"))
		testQuery(t, r, nil)
		testJSONBody(t, r, `{"async": false, "metaOnly": true, "fullResync": true,
			"todo_upstreamRefresh": false, "todo_removeUnsyncedData": true}`)
		writeJSON(w, http.StatusOK, `{"connection_requested_event_id": "evt_1",
			"pipeline_syncs": [{"pipeline_id": "pipe_1", "sync_completed_event_id": "evt_2"}]}`)
	})
	res, resp, err := c.CoreConnections.Sync(context.Background(), "conn_1", &SyncCoreConnectionRequest{
		Async: Ptr(false), MetaOnly: Ptr(true), FullResync: Ptr(true),
		TodoUpstreamRefresh: Ptr(false), TodoRemoveUnsyncedData: Ptr(true),
	})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, &models.CoreConnectionSyncResult{
		ConnectionRequestedEventID: "evt_1",
		PipelineSyncs:              []models.CorePipelineSync{{PipelineID: "pipe_1", SyncCompletedEventID: "evt_2"}},
	}, res)
}

func TestCoreConnectionsSync_NilParamsSendsEmptyObject(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /core/connection/{id}/_sync", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{}`)
		writeJSON(w, http.StatusOK, `{"connection_requested_event_id": "evt_1"}`)
	})
	res, _, err := c.CoreConnections.Sync(context.Background(), "conn_1", nil)
	require.NoError(t, err)
	assert.Equal(t, "evt_1", res.ConnectionRequestedEventID)
	assert.Empty(t, res.PipelineSyncs)
}

// TestCoreConnectionsInvalidParams proves that every bad argument is ErrInvalidParams
// and sends nothing.
func TestCoreConnectionsInvalidParams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	badIDs := map[string]string{"empty": "", "no prefix": "abc", "prefix only": "conn_", "other prefix": "ccfg_1", "spaces": " conn_1"}
	type call func(c *Client) error
	cases := map[string]struct {
		call  call
		words []string
	}{
		"list negative limit": {func(c *Client) error {
			_, _, err := c.CoreConnections.List(ctx, &ListCoreConnectionsParams{Limit: -1})
			return err
		}, []string{"limit"}},
		"list negative offset": {func(c *Client) error {
			_, _, err := c.CoreConnections.List(ctx, &ListCoreConnectionsParams{Offset: -1})
			return err
		}, []string{"offset"}},
		"list empty customer": {func(c *Client) error {
			_, _, err := c.CoreConnections.List(ctx, &ListCoreConnectionsParams{CustomerID: Ptr("")})
			return err
		}, []string{"customerId"}},
		"list bad ccfg": {func(c *Client) error {
			_, _, err := c.CoreConnections.List(ctx, &ListCoreConnectionsParams{ConnectorConfigID: "conn_1"})
			return err
		}, []string{"connectorConfigId", "ccfg_"}},
		"list bad expand": {func(c *Client) error {
			_, _, err := c.CoreConnections.List(ctx, &ListCoreConnectionsParams{Expand: []string{"a,b"}})
			return err
		}, []string{"expand"}},
		"iter negative limit": {func(c *Client) error {
			_, err := pagination.Collect(c.CoreConnections.ListIter(ctx, &ListCoreConnectionsParams{Limit: -5}))
			return err
		}, []string{"limit"}},
		"iter bad ccfg": {func(c *Client) error {
			_, err := pagination.Collect(c.CoreConnections.ListIter(ctx, &ListCoreConnectionsParams{ConnectorConfigID: "x"}))
			return err
		}, []string{"ccfg_"}},
		"create nil": {func(c *Client) error {
			_, _, err := c.CoreConnections.Create(ctx, nil)
			return err
		}, []string{"request"}},
		"create no ccfg": {func(c *Client) error {
			_, _, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{})
			return err
		}, []string{"connectorConfigId", "required"}},
		"create bad ccfg": {func(c *Client) error {
			_, _, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "int_1"})
			return err
		}, []string{"ccfg_"}},
		"create empty customer": {func(c *Client) error {
			_, _, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1", CustomerID: Ptr("")})
			return err
		}, []string{"customerId"}},
		"create bad integration": {func(c *Client) error {
			_, _, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1", IntegrationID: Ptr("ccfg_1")})
			return err
		}, []string{"integrationId", "int_"}},
		"create-and-get bad expand": {func(c *Client) error {
			_, _, err := c.CoreConnections.CreateAndGet(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"}, &GetCoreConnectionParams{Expand: []string{""}})
			return err
		}, []string{"expand"}},
		"get bad expand": {func(c *Client) error {
			_, _, err := c.CoreConnections.Get(ctx, "conn_1", &GetCoreConnectionParams{Expand: []string{" "}})
			return err
		}, []string{"expand"}},
		"update empty customer": {func(c *Client) error {
			_, _, err := c.CoreConnections.Update(ctx, "conn_1", &UpdateCoreConnectionRequest{CustomerID: models.NewNullable("")})
			return err
		}, []string{"customerId"}},
		"update bad integration": {func(c *Client) error {
			_, _, err := c.CoreConnections.Update(ctx, "conn_1", &UpdateCoreConnectionRequest{IntegrationID: models.NewNullable("int_")})
			return err
		}, []string{"int_"}},
	}
	for idName, id := range badIDs {
		cases["get id "+idName] = struct {
			call  call
			words []string
		}{func(c *Client) error { _, _, err := c.CoreConnections.Get(ctx, id, nil); return err }, []string{"id"}}
		cases["update id "+idName] = struct {
			call  call
			words []string
		}{func(c *Client) error { _, _, err := c.CoreConnections.Update(ctx, id, nil); return err }, []string{"id"}}
		cases["delete id "+idName] = struct {
			call  call
			words []string
		}{func(c *Client) error { _, err := c.CoreConnections.Delete(ctx, id, nil); return err }, []string{"id"}}
		cases["check id "+idName] = struct {
			call  call
			words []string
		}{func(c *Client) error { _, _, err := c.CoreConnections.Check(ctx, id, nil); return err }, []string{"id"}}
		cases["sync id "+idName] = struct {
			call  call
			words []string
		}{func(c *Client) error { _, _, err := c.CoreConnections.Sync(ctx, id, nil); return err }, []string{"id"}}
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, n := noRequestClient(t)
			err := tc.call(c)
			assertInvalidParams(t, err, tc.words...)
			assert.Equal(t, int32(0), n.Load())
		})
	}
}

func TestCoreConnectionsErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("400 BAD_REQUEST with issues is ErrValidation", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		mux.HandleFunc("POST /core/connection", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusBadRequest, `{"code":"BAD_REQUEST","message":"Invalid input data","issues":[
				{"code":"invalid_type","expected":"string","received":"undefined","path":["settings","apiKey"],"message":"Required"},
				{"message":"Connector config not found"}]}`)
		})
		_, resp, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"})
		require.NotNil(t, resp)
		assert.ErrorIs(t, err, ErrValidation)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
		assert.Equal(t, "BAD_REQUEST", apiErr.Code)
		assert.Equal(t, "Invalid input data", apiErr.Message)
		require.Len(t, apiErr.Details, 2)
		assert.Equal(t, "settings.apiKey", apiErr.Details[0].Field())
		assert.Equal(t, "Required", apiErr.Details[0].Message)
		assert.Equal(t, "Connector config not found", apiErr.Details[1].Message)
		assert.Equal(t, 1, apiErr.Attempts, "a POST answered 400 is not retried")
	})
	t.Run("400 without issues is not ErrValidation", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		mux.HandleFunc("POST /core/connection/{id}/_sync", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusBadRequest, `{"code":"BAD_REQUEST","message":"async is not compatible with other options"}`)
		})
		_, _, err := c.CoreConnections.Sync(ctx, "conn_1", &SyncCoreConnectionRequest{Async: Ptr(true), FullResync: Ptr(true)})
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrValidation)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "BAD_REQUEST", apiErr.Code)
	})
	for name, call := range map[string]func(c *Client) (*Response, error){
		"get": func(c *Client) (*Response, error) {
			_, resp, err := c.CoreConnections.Get(ctx, "conn_gone", nil)
			return resp, err
		},
		"update": func(c *Client) (*Response, error) {
			_, resp, err := c.CoreConnections.Update(ctx, "conn_gone", &UpdateCoreConnectionRequest{Disabled: Ptr(true)})
			return resp, err
		},
		"delete": func(c *Client) (*Response, error) {
			return c.CoreConnections.Delete(ctx, "conn_gone", nil)
		},
		"check": func(c *Client) (*Response, error) {
			_, resp, err := c.CoreConnections.Check(ctx, "conn_gone", nil)
			return resp, err
		},
	} {
		t.Run("404 NOT_FOUND is ErrNotFound: "+name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("/core/connection/{id}/", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusNotFound, `{"code":"NOT_FOUND","message":"Connection conn_gone not found","issues":[]}`)
			})
			mux.HandleFunc("/core/connection/{id}", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusNotFound, `{"code":"NOT_FOUND","message":"Connection conn_gone not found","issues":[]}`)
			})
			resp, err := call(c)
			require.NotNil(t, resp)
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			assert.ErrorIs(t, err, ErrNotFound)
			assert.NotErrorIs(t, err, ErrValidation)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "NOT_FOUND", apiErr.Code)
			assert.Equal(t, "Connection conn_gone not found", apiErr.Message)
			assert.Empty(t, apiErr.Details)
		})
	}
	t.Run("500 on GET is retried, then ErrServer", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t, WithMaxRetries(2))
		var n atomic.Int32
		mux.HandleFunc("GET /core/connection", func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			writeJSON(w, http.StatusInternalServerError, `{"code":"INTERNAL_SERVER_ERROR","message":"db down"}`)
		})
		_, _, err := c.CoreConnections.List(ctx, nil)
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, int32(3), n.Load())
	})
	t.Run("500 on sync POST is not retried", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t, WithMaxRetries(2))
		var n atomic.Int32
		mux.HandleFunc("POST /core/connection/{id}/_sync", func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			writeJSON(w, http.StatusInternalServerError, `{"code":"INTERNAL_SERVER_ERROR","message":"db down"}`)
		})
		_, _, err := c.CoreConnections.Sync(ctx, "conn_1", nil)
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, int32(1), n.Load())
	})
}

// coreHeaderRecorder is an httptest server under /v0/ that records the credential
// headers of every request and answers each core endpoint plausibly.
func coreHeaderRecorder(t *testing.T) (*httptest.Server, func() []http.Header) {
	t.Helper()
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := http.Header{}
		for _, k := range []string{"Authorization", "X-Apikey", "X-Connection-Id"} {
			if v, ok := r.Header[k]; ok {
				h[k] = v
			}
		}
		mu.Lock()
		seen = append(seen, h)
		mu.Unlock()
		_, _ = io.Copy(io.Discard, r.Body)
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v0/core/connection":
			writeJSON(w, http.StatusOK, `[]`)
		case r.Method == http.MethodPost && r.URL.Path == "/v0/core/connection":
			writeJSON(w, http.StatusOK, `"conn_1"`)
		case strings.HasSuffix(r.URL.Path, "/_sync"):
			writeJSON(w, http.StatusOK, `{"connection_requested_event_id":"evt_1"}`)
		case strings.HasSuffix(r.URL.Path, "/_check"), r.Method == http.MethodDelete:
			writeJSON(w, http.StatusOK, `{}`)
		default:
			writeJSON(w, http.StatusOK, coreConnJSON)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []http.Header {
		mu.Lock()
		defer mu.Unlock()
		return append([]http.Header(nil), seen...)
	}
}

func callEveryCoreMethod(t *testing.T, c *Client) {
	t.Helper()
	ctx := context.Background()
	_, _, err := c.CoreConnections.List(ctx, nil)
	require.NoError(t, err)
	_, err = pagination.Collect(c.CoreConnections.ListIter(ctx, nil))
	require.NoError(t, err)
	_, _, err = c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"})
	require.NoError(t, err)
	_, _, err = c.CoreConnections.Get(ctx, "conn_1", nil)
	require.NoError(t, err)
	_, _, err = c.CoreConnections.Update(ctx, "conn_1", nil)
	require.NoError(t, err)
	_, err = c.CoreConnections.Delete(ctx, "conn_1", nil)
	require.NoError(t, err)
	_, _, err = c.CoreConnections.Check(ctx, "conn_1", nil)
	require.NoError(t, err)
	_, _, err = c.CoreConnections.Sync(ctx, "conn_1", nil)
	require.NoError(t, err)
}

func TestCoreConnectionsAuthHeadersExactlyAsConfigured(t *testing.T) {
	t.Parallel()
	const key, connID, bearer = "org_1:sk-test-key", "conn_headerid", "customer-jwt-token"
	for name, tc := range map[string]struct {
		opts []Option
		want http.Header
	}{
		"api key only": {
			[]Option{WithAPIKey(key)},
			http.Header{"X-Apikey": {key}},
		},
		"api key and connection id": {
			[]Option{WithAPIKey(key), WithConnectionID(connID)},
			http.Header{"X-Apikey": {key}, "X-Connection-Id": {connID}},
		},
		"bearer customer token": {
			[]Option{WithBearerToken(bearer)},
			http.Header{"Authorization": {"Bearer " + bearer}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, seen := coreHeaderRecorder(t)
			c, err := NewClient(append([]Option{WithBaseURL(srv.URL + "/v0/"), WithRetryWait(0, 0)}, tc.opts...)...)
			require.NoError(t, err)
			callEveryCoreMethod(t, c)
			got := seen()
			require.Len(t, got, 8)
			for i, h := range got {
				assert.Equal(t, tc.want, h, "request %d", i)
			}
		})
	}
}

func TestCoreConnectionsContextCanceledBeforeRequest(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var n atomic.Int32
	mux.HandleFunc("GET /core/connection", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, http.StatusOK, `[]`)
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := pagination.Collect(c.CoreConnections.ListIter(ctx, nil))
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
	assert.Equal(t, int32(0), n.Load())
}

// A bare prefix passes "Must start with 'conn_'" but names nothing: the SDK refuses
// it, and says so (not "must start with", which it does).
func TestCoreConnectionsBarePrefixSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		call func() error
		want string
	}{
		"path id": {func() error { _, _, err := c.CoreConnections.Get(ctx, "conn_", nil); return err },
			`id "conn_" has nothing after the "conn_" prefix`},
		"connector config": {func() error {
			_, _, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_"})
			return err
		}, `connectorConfigId "ccfg_" has nothing after the "ccfg_" prefix`},
		"integration": {func() error {
			_, _, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1", IntegrationID: Ptr("int_")})
			return err
		}, `integrationId "int_" has nothing after the "int_" prefix`},
		"no prefix": {func() error { _, _, err := c.CoreConnections.Get(ctx, "abc", nil); return err },
			`id "abc" must start with "conn_"`},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.call()
			require.ErrorIs(t, err, ErrInvalidParams)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.EqualValues(t, 0, n.Load())
}
