package connapi

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
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

// Payloads shaped like the Instill AI swagger (service.swagger.yaml @ 4779b0f):
// protojson output, lowerCamelCase, enums by name, RFC 3339 timestamps.
const (
	instillConnBasic = `{
		"uid": "011477fa-9215-4d0a-b0ea-7101398f786f",
		"id": "my-openai",
		"namespaceId": "acme",
		"integrationId": "openai",
		"integrationTitle": "OpenAI",
		"method": "METHOD_DICTIONARY",
		"view": "VIEW_BASIC",
		"createTime": "2024-10-01T07:55:03.697377Z",
		"updateTime": "2024-10-02T08:00:00Z"
	}`
	instillConnFull = `{
		"uid": "011477fa-9215-4d0a-b0ea-7101398f786f",
		"id": "my-openai",
		"namespaceId": "acme",
		"integrationId": "openai",
		"integrationTitle": "OpenAI",
		"method": "METHOD_DICTIONARY",
		"setup": {"api-key": "*****", "organization": "my-org", "retries": 3},
		"scopes": [],
		"view": "VIEW_FULL",
		"createTime": "2024-10-01T07:55:03.697377Z",
		"updateTime": "2024-10-02T08:00:00Z"
	}`
	instillConnOAuth = `{
		"uid": "5b1d6f5e-46a4-4d59-9c3a-1e0a3c1b2a77",
		"id": "gh",
		"namespaceId": "acme",
		"integrationId": "github",
		"integrationTitle": "GitHub",
		"method": "METHOD_OAUTH",
		"setup": {"token": "*****"},
		"scopes": ["repo", "read:org"],
		"identity": "octo@example.com",
		"oAuthAccessDetails": {"token_type": "bearer", "expires_in": 28800},
		"view": "VIEW_FULL",
		"createTime": "2024-11-05T10:00:00Z",
		"updateTime": "2024-11-05T10:00:00Z"
	}`
	instillIntegrationFull = `{
		"uid": "9fb6a2cb-bff5-4c69-bc6d-4538dd8e3362",
		"id": "openai",
		"title": "OpenAI",
		"description": "Connect your AI models with OpenAI.",
		"vendor": "OpenAI",
		"icon": "assets/openai.svg",
		"helpLink": {"text": "API keys", "url": "https://platform.openai.com/api-keys"},
		"setupSchema": {"type": "object", "required": ["api-key"], "properties": {"api-key": {"type": "string", "instillSecret": true}}},
		"oAuthConfig": {"authUrl": "https://auth.example.com/authorize", "accessUrl": "https://auth.example.com/token", "scopes": ["a", "b"]},
		"view": "VIEW_FULL"
	}`
	instillIntegrationBasic = `{"uid": "u-slack", "id": "slack", "title": "Slack", "vendor": "Salesforce", "view": "VIEW_BASIC"}`
	instillNotFound         = `{"code": 5, "message": "fetching connection: not found", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "NOT_FOUND", "domain": "pipeline.instill.tech"}]}`
)

func instillConnsPage(next string, total int, conns ...string) string {
	s := `{"connections": [` + strings.Join(conns, ",") + `]`
	if next != "" {
		s += `, "nextPageToken": "` + next + `"`
	}
	return s + fmt.Sprintf(`, "totalSize": %d}`, total)
}

func instillConnWithID(id string) string {
	return `{"uid": "uid-` + id + `", "id": "` + id + `", "namespaceId": "acme", "integrationId": "openai", "method": "METHOD_DICTIONARY", "view": "VIEW_BASIC"}`
}

// instillTokenPages serves pages keyed by the pageToken query value, counting requests.
type instillTokenPages struct {
	t     *testing.T
	mu    sync.Mutex
	pages map[string]string
	seen  []string
	calls atomic.Int32
	check func(r *http.Request)
}

func (tp *instillTokenPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tp.calls.Add(1)
	tok := r.URL.Query().Get("pageToken")
	tp.mu.Lock()
	tp.seen = append(tp.seen, tok)
	body, ok := tp.pages[tok]
	tp.mu.Unlock()
	if tp.check != nil {
		tp.check(r)
	}
	if !ok {
		tp.t.Errorf("unexpected page token %q", tok)
		writeJSON(w, http.StatusBadRequest, `{"code": 3, "message": "invalid page token"}`)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (tp *instillTokenPages) tokens() []string {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return slices.Clone(tp.seen)
}

func TestNamespaceConnectionsList(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/namespaces/{ns}/connections", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "acme", r.PathValue("ns"))
		testQuery(t, r, url.Values{"pageSize": {"25"}, "pageToken": {"tok1"}, "filter": {`integrationId="openai"`}})
		testNoBody(t, r)
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, instillConnsPage("tok2", 42, instillConnBasic, instillConnWithID("other")))
	})
	p := &ListNamespaceConnectionsParams{PageSize: 25, PageToken: "tok1", Filter: `integrationId="openai"`}
	page, resp, err := c.NamespaceConnections.List(context.Background(), "acme", p)
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "tok2", page.NextPageToken)
	assert.Equal(t, 42, page.TotalSize)
	require.Len(t, page.Connections, 2)
	got := page.Connections[0]
	assert.Equal(t, "011477fa-9215-4d0a-b0ea-7101398f786f", got.UID)
	assert.Equal(t, "my-openai", got.ID)
	assert.Equal(t, "acme", got.NamespaceID)
	assert.Equal(t, "openai", got.IntegrationID)
	assert.Equal(t, "OpenAI", got.IntegrationTitle)
	assert.Equal(t, models.NamespaceConnectionMethodDictionary, got.Method)
	assert.Equal(t, models.InstillViewBasic, got.View)
	assert.Nil(t, got.Setup)
	assert.Equal(t, time.Date(2024, 10, 1, 7, 55, 3, 697377000, time.UTC), got.CreateTime.UTC())
	assert.Equal(t, time.Date(2024, 10, 2, 8, 0, 0, 0, time.UTC), got.UpdateTime.UTC())
	assert.Equal(t, "other", page.Connections[1].ID)
	// The caller's params are not touched.
	assert.Equal(t, ListNamespaceConnectionsParams{PageSize: 25, PageToken: "tok1", Filter: `integrationId="openai"`}, *p)
}

func TestNamespaceConnectionsListNilParamsAndLastPage(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/namespaces/{ns}/connections", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, nil)
		// protojson leaves out empty repeated fields, empty strings and zero numbers.
		writeJSON(w, http.StatusOK, `{}`)
	})
	page, _, err := c.NamespaceConnections.List(context.Background(), "acme", nil)
	require.NoError(t, err)
	assert.Empty(t, page.Connections)
	assert.Empty(t, page.NextPageToken)
	assert.Zero(t, page.TotalSize)
}

func TestNamespaceConnectionsListIterWalksTokens(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	tp := &instillTokenPages{t: t, pages: map[string]string{
		"":   instillConnsPage("t1", 4, instillConnWithID("a"), instillConnWithID("b")),
		"t1": instillConnsPage("t2", 4), // empty middle page that still has a token
		"t2": instillConnsPage("t3", 4, instillConnWithID("c")),
		"t3": instillConnsPage("", 4, instillConnWithID("d")),
	}}
	tp.check = func(r *http.Request) {
		assert.Equal(t, "50", r.URL.Query().Get("pageSize"))
		assert.Equal(t, `qConnection="op"`, r.URL.Query().Get("filter"))
	}
	mux.Handle("GET /v1beta/namespaces/acme/connections", tp)

	p := &ListNamespaceConnectionsParams{PageSize: 50, Filter: `qConnection="op"`}
	seq := c.NamespaceConnections.ListIter(context.Background(), "acme", p)
	assert.Zero(t, tp.calls.Load(), "lazy: nothing before the first step")

	var ids []string
	for conn, err := range seq {
		require.NoError(t, err)
		ids = append(ids, conn.ID)
	}
	assert.Equal(t, []string{"a", "b", "c", "d"}, ids)
	assert.Equal(t, []string{"", "t1", "t2", "t3"}, tp.tokens())
	assert.Empty(t, p.PageToken, "caller params untouched")

	// Ranging again starts over from the first page.
	all, err := pagination.Collect(seq)
	require.NoError(t, err)
	require.Len(t, all, 4)
	assert.Equal(t, "a", all[0].ID)
	assert.Equal(t, []string{"", "t1", "t2", "t3", "", "t1", "t2", "t3"}, tp.tokens())
}

func TestNamespaceConnectionsListIterStartsAtPageToken(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	tp := &instillTokenPages{t: t, pages: map[string]string{"t5": instillConnsPage("", 9, instillConnWithID("z"))}}
	mux.Handle("GET /v1beta/namespaces/acme/connections", tp)
	all, err := pagination.Collect(c.NamespaceConnections.ListIter(context.Background(), "acme", &ListNamespaceConnectionsParams{PageToken: "t5"}))
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, []string{"t5"}, tp.tokens())
}

func TestNamespaceConnectionsListIterStalledToken(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	tp := &instillTokenPages{t: t, pages: map[string]string{
		"":   instillConnsPage("t1", 3, instillConnWithID("a")),
		"t1": instillConnsPage("t1", 3, instillConnWithID("b")), // hands back the token it was given
	}}
	mux.Handle("GET /v1beta/namespaces/acme/connections", tp)
	var ids []string
	var errs []error
	for conn, err := range c.NamespaceConnections.ListIter(context.Background(), "acme", nil) {
		if err != nil {
			errs = append(errs, err)
			assert.Nil(t, conn)
			continue
		}
		ids = append(ids, conn.ID)
	}
	assert.Equal(t, []string{"a", "b"}, ids)
	require.Len(t, errs, 1, "error yielded once")
	assert.ErrorIs(t, errs[0], pagination.ErrPaginationStalled)
	assert.Equal(t, int32(2), tp.calls.Load())
}

func TestNamespaceConnectionsListIterBreakSendsOneRequest(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	tp := &instillTokenPages{t: t, pages: map[string]string{
		"":   instillConnsPage("t1", 4, instillConnWithID("a"), instillConnWithID("b")),
		"t1": instillConnsPage("", 4, instillConnWithID("c")),
	}}
	mux.Handle("GET /v1beta/namespaces/acme/connections", tp)
	n := 0
	for conn, err := range c.NamespaceConnections.ListIter(context.Background(), "acme", nil) {
		require.NoError(t, err)
		assert.Equal(t, "a", conn.ID)
		n++
		break
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, int32(1), tp.calls.Load())
}

func TestNamespaceConnectionsListIterErrorMidWalk(t *testing.T) {
	t.Parallel()
	c, mux := setup(t, WithoutRetries())
	var calls atomic.Int32
	mux.HandleFunc("GET /v1beta/namespaces/acme/connections", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Query().Get("pageToken") == "" {
			writeJSON(w, http.StatusOK, instillConnsPage("t1", 2, instillConnWithID("a")))
			return
		}
		writeJSON(w, http.StatusForbidden, `{"code": 7, "message": "permission denied", "details": []}`)
	})
	var ids []string
	var gotErr error
	nErr := 0
	for conn, err := range c.NamespaceConnections.ListIter(context.Background(), "acme", nil) {
		if err != nil {
			gotErr = err
			nErr++
			continue
		}
		ids = append(ids, conn.ID)
	}
	assert.Equal(t, []string{"a"}, ids)
	assert.Equal(t, 1, nErr)
	assert.ErrorIs(t, gotErr, ErrForbidden)
	var apiErr *APIError
	require.ErrorAs(t, gotErr, &apiErr)
	assert.Equal(t, "PERMISSION_DENIED", apiErr.Code)
	assert.Equal(t, int32(2), calls.Load())
}

func TestNamespaceConnectionsCreate(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /v1beta/namespaces/{ns}/connections", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "acme", r.PathValue("ns"))
		testQuery(t, r, nil)
		testJSONBody(t, r, `{
			"id": "my-openai",
			"integrationId": "openai",
			"method": "METHOD_DICTIONARY",
			"setup": {"api-key": "sk-<secret>&x", "organization": "my-org"}
		}`)
		writeJSON(w, http.StatusOK, `{"connection": `+instillConnFull+`}`)
	})
	in := &models.NamespaceConnection{
		ID:            "my-openai",
		IntegrationID: "openai",
		Method:        models.NamespaceConnectionMethodDictionary,
		Setup:         map[string]any{"api-key": "sk-<secret>&x", "organization": "my-org"},
	}
	got, resp, err := c.NamespaceConnections.Create(context.Background(), "acme", in)
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, "011477fa-9215-4d0a-b0ea-7101398f786f", got.UID)
	assert.Equal(t, "my-openai", got.ID)
	assert.Equal(t, models.InstillViewFull, got.View)
	assert.Equal(t, map[string]any{"api-key": "*****", "organization": "my-org", "retries": float64(3)}, got.Setup)
	assert.NotNil(t, got.Scopes)
	assert.Empty(t, got.Scopes)
	assert.Empty(t, in.UID, "input not modified")
}

func TestNamespaceConnectionsCreateOAuthEmptySetup(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /v1beta/namespaces/acme/connections", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{
			"id": "gh",
			"integrationId": "github",
			"method": "METHOD_OAUTH",
			"setup": {},
			"scopes": ["repo", "read:org"],
			"identity": "octo@example.com",
			"oAuthAccessDetails": {"token_type": "bearer"}
		}`)
		writeJSON(w, http.StatusOK, `{"connection": `+instillConnOAuth+`}`)
	})
	got, _, err := c.NamespaceConnections.Create(context.Background(), "acme", &models.NamespaceConnection{
		ID:                 "gh",
		IntegrationID:      "github",
		Method:             models.NamespaceConnectionMethodOAuth,
		Setup:              map[string]any{},
		Scopes:             []string{"repo", "read:org"},
		Identity:           "octo@example.com",
		OAuthAccessDetails: map[string]any{"token_type": "bearer"},
	})
	require.NoError(t, err)
	assert.Equal(t, models.NamespaceConnectionMethodOAuth, got.Method)
	assert.Equal(t, []string{"repo", "read:org"}, got.Scopes)
	assert.Equal(t, "octo@example.com", got.Identity)
	assert.Equal(t, map[string]any{"token_type": "bearer", "expires_in": float64(28800)}, got.OAuthAccessDetails)
}

func TestNamespaceConnectionsCreateValidation(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	ctx := context.Background()
	valid := func() *models.NamespaceConnection {
		return &models.NamespaceConnection{ID: "x", IntegrationID: "openai", Method: models.NamespaceConnectionMethodDictionary, Setup: map[string]any{}}
	}
	cases := []struct {
		name  string
		ns    string
		conn  func() *models.NamespaceConnection
		words []string
	}{
		{"nil connection", "acme", func() *models.NamespaceConnection { return nil }, []string{"connection is required"}},
		{"empty namespace", "", valid, []string{"namespace ID"}},
		{"slash namespace", "a/b", valid, []string{"namespace ID", "/"}},
		{"missing id", "acme", func() *models.NamespaceConnection { v := valid(); v.ID = ""; return v }, []string{"connection ID"}},
		{"slash id", "acme", func() *models.NamespaceConnection { v := valid(); v.ID = "x/y"; return v }, []string{"connection ID"}},
		{"missing integration", "acme", func() *models.NamespaceConnection { v := valid(); v.IntegrationID = ""; return v }, []string{"integrationId"}},
		{"missing method", "acme", func() *models.NamespaceConnection { v := valid(); v.Method = ""; return v }, []string{"method is required"}},
		{"unspecified method", "acme", func() *models.NamespaceConnection {
			v := valid()
			v.Method = models.NamespaceConnectionMethodUnspecified
			return v
		}, []string{"METHOD_UNSPECIFIED"}},
		{"unknown method", "acme", func() *models.NamespaceConnection { v := valid(); v.Method = "METHOD_MAGIC"; return v }, []string{"METHOD_MAGIC"}},
		{"nil setup", "acme", func() *models.NamespaceConnection { v := valid(); v.Setup = nil; return v }, []string{"setup"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, resp, err := c.NamespaceConnections.Create(ctx, tc.ns, tc.conn())
			assertInvalidParams(t, err, tc.words...)
			assert.Nil(t, got)
			assert.Nil(t, resp)
		})
	}
	assert.Zero(t, n.Load())
}

func TestNamespaceConnectionsGetViews(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/namespaces/{ns}/connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "acme", r.PathValue("ns"))
		assert.Equal(t, "my-openai", r.PathValue("id"))
		testNoBody(t, r)
		switch r.URL.Query().Get("view") {
		case "VIEW_FULL":
			testQuery(t, r, url.Values{"view": {"VIEW_FULL"}})
			writeJSON(w, http.StatusOK, `{"connection": `+instillConnFull+`}`)
		case "VIEW_BASIC", "":
			writeJSON(w, http.StatusOK, `{"connection": `+instillConnBasic+`}`)
		default:
			t.Errorf("unexpected view %q", r.URL.Query().Get("view"))
		}
	})
	ctx := context.Background()

	basic, _, err := c.NamespaceConnections.Get(ctx, "acme", "my-openai", &GetNamespaceConnectionParams{View: models.InstillViewBasic})
	require.NoError(t, err)
	assert.Equal(t, models.InstillViewBasic, basic.View)
	assert.Nil(t, basic.Setup, "VIEW_BASIC has no setup")
	assert.Nil(t, basic.Scopes)

	full, _, err := c.NamespaceConnections.Get(ctx, "acme", "my-openai", &GetNamespaceConnectionParams{View: models.InstillViewFull})
	require.NoError(t, err)
	assert.Equal(t, models.InstillViewFull, full.View)
	assert.Equal(t, "*****", full.Setup["api-key"])
	assert.Equal(t, "my-org", full.Setup["organization"])

	def, _, err := c.NamespaceConnections.Get(ctx, "acme", "my-openai", nil)
	require.NoError(t, err)
	assert.Equal(t, "my-openai", def.ID)
}

func TestNamespaceConnectionsGetNilParamsSendsNoQuery(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/namespaces/acme/connections/my-openai", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, nil)
		writeJSON(w, http.StatusOK, `{"connection": `+instillConnBasic+`}`)
	})
	_, _, err := c.NamespaceConnections.Get(context.Background(), "acme", "my-openai", nil)
	require.NoError(t, err)
}

func TestNamespaceConnectionsGetEscapesIDs(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/namespaces/{ns}/connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/v1beta/namespaces/team%20a/connections/conn%3Fx%231", r.URL.EscapedPath())
		assert.Equal(t, "team a", r.PathValue("ns"))
		assert.Equal(t, "conn?x#1", r.PathValue("id"))
		testQuery(t, r, nil)
		writeJSON(w, http.StatusOK, `{"connection": `+instillConnBasic+`}`)
	})
	_, _, err := c.NamespaceConnections.Get(context.Background(), "team a", "conn?x#1", nil)
	require.NoError(t, err)
}

func TestNamespaceConnectionsGetNotFound(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /v1beta/namespaces/acme/connections/nope", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("X-Request-Id", "req-404")
		writeJSON(w, http.StatusNotFound, instillNotFound)
	})
	got, resp, err := c.NamespaceConnections.Get(context.Background(), "acme", "nope", nil)
	assert.Nil(t, got)
	require.NotNil(t, resp, "response returned with the error")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrValidation)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "NOT_FOUND", apiErr.Code)
	assert.Equal(t, "fetching connection: not found", apiErr.Message)
	assert.Equal(t, "req-404", apiErr.RequestID)
	require.Len(t, apiErr.Details, 1)
	assert.Equal(t, "type.googleapis.com/google.rpc.ErrorInfo", apiErr.Details[0].Type)
	assert.JSONEq(t, `{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "NOT_FOUND", "domain": "pipeline.instill.tech"}`, string(apiErr.Details[0].Raw))
	assert.Equal(t, int32(1), calls.Load(), "404 is not retried")
	assert.NotContains(t, err.Error(), testToken)
}

func TestNamespaceConnectionsMissingEnvelope(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/namespaces/acme/connections/x", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{}`)
	})
	mux.HandleFunc("GET /v1beta/integrations/x", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"unexpected": true}`)
	})
	_, resp, err := c.NamespaceConnections.Get(context.Background(), "acme", "x", nil)
	var re *ResponseError
	require.ErrorAs(t, err, &re)
	assert.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, re.StatusCode)
	assert.Equal(t, testPrefix+"/v1beta/namespaces/acme/connections/x", re.Path)
	assert.Contains(t, err.Error(), `"connection"`)

	_, _, err = c.Integrations.Get(context.Background(), "x", nil)
	require.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), `"integration"`)
}

func TestNamespaceConnectionsUpdateSendsOnlySetFields(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		req  *UpdateNamespaceConnectionRequest
		body string
	}{
		{"nothing set", &UpdateNamespaceConnectionRequest{}, `{}`},
		{"setup replaced whole", &UpdateNamespaceConnectionRequest{Setup: map[string]any{"api-key": "sk-new", "organization": "org"}}, `{"setup": {"api-key": "sk-new", "organization": "org"}}`},
		{"setup cleared", &UpdateNamespaceConnectionRequest{Setup: map[string]any{}}, `{"setup": {}}`},
		{"scopes cleared", &UpdateNamespaceConnectionRequest{Scopes: []string{}}, `{"scopes": []}`},
		{"scopes set", &UpdateNamespaceConnectionRequest{Scopes: []string{"repo"}}, `{"scopes": ["repo"]}`},
		{"method", &UpdateNamespaceConnectionRequest{Method: Ptr(models.NamespaceConnectionMethodOAuth)}, `{"method": "METHOD_OAUTH"}`},
		{"rename and identity", &UpdateNamespaceConnectionRequest{ID: Ptr("my-openai-2"), Identity: Ptr("")}, `{"id": "my-openai-2", "identity": ""}`},
		{"oauth details", &UpdateNamespaceConnectionRequest{OAuthAccessDetails: map[string]any{"k": 1}}, `{"oAuthAccessDetails": {"k": 1}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("PATCH /v1beta/namespaces/{ns}/connections/{id}", func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, "acme", r.PathValue("ns"))
				assert.Equal(t, "my-openai", r.PathValue("id"))
				testQuery(t, r, nil)
				testJSONBody(t, r, tc.body)
				writeJSON(w, http.StatusOK, `{"connection": `+instillConnFull+`}`)
			})
			got, resp, err := c.NamespaceConnections.Update(context.Background(), "acme", "my-openai", tc.req)
			require.NoError(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, "my-openai", got.ID)
			assert.Equal(t, models.InstillViewFull, got.View)
		})
	}
}

func TestNamespaceConnectionsUpdateValidation(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	ctx := context.Background()
	cases := []struct {
		name   string
		ns, id string
		req    *UpdateNamespaceConnectionRequest
		words  []string
	}{
		{"nil request", "acme", "x", nil, []string{"update request"}},
		{"empty connection id", "acme", "", &UpdateNamespaceConnectionRequest{}, []string{"connection ID"}},
		{"dotdot connection id", "acme", "..", &UpdateNamespaceConnectionRequest{}, []string{"connection ID"}},
		{"slash namespace", "a/b", "x", &UpdateNamespaceConnectionRequest{}, []string{"namespace ID"}},
		{"empty new id", "acme", "x", &UpdateNamespaceConnectionRequest{ID: Ptr("")}, []string{"new connection ID"}},
		{"slash new id", "acme", "x", &UpdateNamespaceConnectionRequest{ID: Ptr("a/b")}, []string{"new connection ID"}},
		{"bad method", "acme", "x", &UpdateNamespaceConnectionRequest{Method: Ptr(models.NamespaceConnectionMethod("METHOD_X"))}, []string{"METHOD_X"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, resp, err := c.NamespaceConnections.Update(ctx, tc.ns, tc.id, tc.req)
			assertInvalidParams(t, err, tc.words...)
			assert.Nil(t, got)
			assert.Nil(t, resp)
		})
	}
	assert.Zero(t, n.Load())
}

func TestNamespaceConnectionsDelete(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("DELETE /v1beta/namespaces/{ns}/connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		assert.Equal(t, "acme", r.PathValue("ns"))
		assert.Equal(t, "my-openai", r.PathValue("id"))
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{}`)
	})
	resp, err := c.NamespaceConnections.Delete(context.Background(), "acme", "my-openai", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, int32(1), calls.Load())
}

func TestNamespaceConnectionsTest(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /v1beta/namespaces/{ns}/connections/{id}/test", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "acme", r.PathValue("ns"))
		testQuery(t, r, nil)
		testNoBody(t, r)
		if r.PathValue("id") == "bad" {
			writeJSON(w, http.StatusBadRequest, `{"code": 3, "message": "invalid connection: 401 Unauthorized from api.openai.com", "details": []}`)
			return
		}
		writeJSON(w, http.StatusOK, `{}`)
	})
	resp, err := c.NamespaceConnections.Test(context.Background(), "acme", "good", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	resp, err = c.NamespaceConnections.Test(context.Background(), "acme", "bad", nil)
	require.NotNil(t, resp)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "INVALID_ARGUMENT", apiErr.Code)
	assert.Contains(t, apiErr.Message, "401 Unauthorized")
	assert.Empty(t, apiErr.Details)
}

func TestNamespaceConnectionsReferencedPipelines(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/namespaces/{ns}/connections/{id}/referenced-pipelines", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "acme", r.PathValue("ns"))
		assert.Equal(t, "my-openai", r.PathValue("id"))
		testQuery(t, r, url.Values{"pageSize": {"2"}, "pageToken": {"p1"}, "filter": {`q="sales"`}})
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"pipelineIds": ["sales-bot", "sales-report"], "nextPageToken": "p2", "totalSize": 5}`)
	})
	page, resp, err := c.NamespaceConnections.ReferencedPipelines(context.Background(), "acme", "my-openai",
		&ListReferencedPipelinesParams{PageSize: 2, PageToken: "p1", Filter: `q="sales"`})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, []string{"sales-bot", "sales-report"}, page.PipelineIDs)
	assert.Equal(t, "p2", page.NextPageToken)
	assert.Equal(t, 5, page.TotalSize)
}

func TestNamespaceConnectionsReferencedPipelinesIter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	tp := &instillTokenPages{t: t, pages: map[string]string{
		"":   `{"pipelineIds": ["p-a", "p-b"], "nextPageToken": "n1", "totalSize": 3}`,
		"n1": `{"nextPageToken": "n2", "totalSize": 3}`,
		"n2": `{"pipelineIds": ["p-c"], "totalSize": 3}`,
	}}
	tp.check = func(r *http.Request) { assert.Equal(t, "100", r.URL.Query().Get("pageSize")) }
	mux.Handle("GET /v1beta/namespaces/acme/connections/my-openai/referenced-pipelines", tp)
	seq := c.NamespaceConnections.ReferencedPipelinesIter(context.Background(), "acme", "my-openai", &ListReferencedPipelinesParams{PageSize: 100})
	ids, err := pagination.Collect(seq)
	require.NoError(t, err)
	assert.Equal(t, []string{"p-a", "p-b", "p-c"}, ids)
	assert.Equal(t, []string{"", "n1", "n2"}, tp.tokens())

	for id, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, "p-a", id)
		break
	}
	assert.Equal(t, int32(4), tp.calls.Load(), "break after the first ID: one more request")
}

func TestNamespaceConnectionsReferencedPipelinesIterStalled(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	tp := &instillTokenPages{t: t, pages: map[string]string{
		"":  `{"pipelineIds": ["p-a"], "nextPageToken": "x"}`,
		"x": `{"pipelineIds": ["p-b"], "nextPageToken": "x"}`, // does not advance
	}}
	mux.Handle("GET /v1beta/namespaces/acme/connections/c/referenced-pipelines", tp)
	ids, err := pagination.Collect(c.NamespaceConnections.ReferencedPipelinesIter(context.Background(), "acme", "c", nil))
	assert.ErrorIs(t, err, pagination.ErrPaginationStalled)
	assert.Equal(t, []string{"p-a", "p-b"}, ids)
}

func TestIntegrationsList(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/integrations", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{"pageSize": {"1"}, "filter": {`qIntegration="sla"`}})
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"integrations": [`+instillIntegrationBasic+`], "nextPageToken": "i2", "totalSize": 12}`)
	})
	page, resp, err := c.Integrations.List(context.Background(), &ListIntegrationsParams{PageSize: 1, Filter: `qIntegration="sla"`})
	require.NoError(t, err)
	require.NotNil(t, resp)
	require.Len(t, page.Integrations, 1)
	in := page.Integrations[0]
	assert.Equal(t, "slack", in.ID)
	assert.Equal(t, "Slack", in.Title)
	assert.Equal(t, "Salesforce", in.Vendor)
	assert.Equal(t, models.InstillViewBasic, in.View)
	assert.Nil(t, in.SetupSchema)
	assert.Nil(t, in.OAuthConfig)
	assert.Nil(t, in.HelpLink)
	assert.Equal(t, "i2", page.NextPageToken)
	assert.Equal(t, 12, page.TotalSize)
}

func TestIntegrationsListIter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	tp := &instillTokenPages{t: t, pages: map[string]string{
		"":   `{"integrations": [{"id": "openai"}, {"id": "slack"}], "nextPageToken": "i1", "totalSize": 3}`,
		"i1": `{"integrations": [], "nextPageToken": "i2", "totalSize": 3}`,
		"i2": `{"integrations": [{"id": "github"}], "totalSize": 3}`,
	}}
	mux.Handle("GET /v1beta/integrations", tp)
	seq := c.Integrations.ListIter(context.Background(), nil)
	var ids []string
	for in, err := range seq {
		require.NoError(t, err)
		ids = append(ids, in.ID)
	}
	assert.Equal(t, []string{"openai", "slack", "github"}, ids)
	again, err := pagination.CollectN(seq, 1)
	require.NoError(t, err)
	require.Len(t, again, 1)
	assert.Equal(t, "openai", again[0].ID)
	assert.Equal(t, []string{"", "i1", "i2", ""}, tp.tokens())
}

func TestIntegrationsGet(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/integrations/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "openai", r.PathValue("id"))
		testQuery(t, r, url.Values{"view": {"VIEW_FULL"}})
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"integration": `+instillIntegrationFull+`}`)
	})
	in, resp, err := c.Integrations.Get(context.Background(), "openai", &GetIntegrationParams{View: models.InstillViewFull})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, "9fb6a2cb-bff5-4c69-bc6d-4538dd8e3362", in.UID)
	assert.Equal(t, "openai", in.ID)
	assert.Equal(t, "OpenAI", in.Title)
	assert.Equal(t, "Connect your AI models with OpenAI.", in.Description)
	assert.Equal(t, "assets/openai.svg", in.Icon)
	require.NotNil(t, in.HelpLink)
	assert.Equal(t, models.IntegrationLink{Text: "API keys", URL: "https://platform.openai.com/api-keys"}, *in.HelpLink)
	require.NotNil(t, in.OAuthConfig)
	assert.Equal(t, models.IntegrationOAuthConfig{AuthURL: "https://auth.example.com/authorize", AccessURL: "https://auth.example.com/token", Scopes: []string{"a", "b"}}, *in.OAuthConfig)
	assert.Equal(t, "object", in.SetupSchema["type"])
	assert.Equal(t, models.InstillViewFull, in.View)
}

func TestIntegrationsGetNotFound(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /v1beta/integrations/nope", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, `{"code": 5, "message": "integration not found", "details": []}`)
	})
	_, _, err := c.Integrations.Get(context.Background(), "nope", nil)
	assert.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "NOT_FOUND", apiErr.Code)
}

// TestInstillInvalidParamsSendNothing runs every method with bad path IDs and
// page sizes: each fails with ErrInvalidParams and no request is sent; the
// iterators yield that error once, on the first step.
func TestInstillInvalidParamsSendNothing(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	ctx := context.Background()
	nc := c.NamespaceConnections
	upd := &UpdateNamespaceConnectionRequest{}
	conn := &models.NamespaceConnection{ID: "x", IntegrationID: "openai", Method: models.NamespaceConnectionMethodDictionary, Setup: map[string]any{}}

	type call func(ns, id string) error
	calls := map[string]call{
		"List": func(ns, _ string) error { _, _, err := nc.List(ctx, ns, nil); return err },
		"ListIter": func(ns, _ string) error {
			_, err := pagination.Collect(nc.ListIter(ctx, ns, nil))
			return err
		},
		"Create":              func(ns, _ string) error { _, _, err := nc.Create(ctx, ns, conn); return err },
		"Get":                 func(ns, id string) error { _, _, err := nc.Get(ctx, ns, id, nil); return err },
		"Update":              func(ns, id string) error { _, _, err := nc.Update(ctx, ns, id, upd); return err },
		"Delete":              func(ns, id string) error { _, err := nc.Delete(ctx, ns, id, nil); return err },
		"Test":                func(ns, id string) error { _, err := nc.Test(ctx, ns, id, nil); return err },
		"ReferencedPipelines": func(ns, id string) error { _, _, err := nc.ReferencedPipelines(ctx, ns, id, nil); return err },
		"ReferencedPipelinesIter": func(ns, id string) error {
			_, err := pagination.Collect(nc.ReferencedPipelinesIter(ctx, ns, id, nil))
			return err
		},
	}
	withID := map[string]bool{"Get": true, "Update": true, "Delete": true, "Test": true, "ReferencedPipelines": true, "ReferencedPipelinesIter": true}
	bad := []string{"", "  ", ".", "..", "a/b", "/"}
	for name, fn := range calls {
		for _, b := range bad {
			assertInvalidParams(t, fn(b, "ok"), "namespace ID")
			if withID[name] {
				assertInvalidParams(t, fn("acme", b), "connection ID")
			}
		}
	}
	for _, b := range bad {
		_, _, err := c.Integrations.Get(ctx, b, nil)
		assertInvalidParams(t, err, "integration ID")
	}

	for _, size := range []int{-1, math.MaxInt32 + 1} {
		_, _, err := nc.List(ctx, "acme", &ListNamespaceConnectionsParams{PageSize: size})
		assertInvalidParams(t, err, "page size")
		_, err = pagination.Collect(nc.ListIter(ctx, "acme", &ListNamespaceConnectionsParams{PageSize: size}))
		assertInvalidParams(t, err, "page size")
		_, _, err = nc.ReferencedPipelines(ctx, "acme", "x", &ListReferencedPipelinesParams{PageSize: size})
		assertInvalidParams(t, err, "page size")
		_, err = pagination.Collect(nc.ReferencedPipelinesIter(ctx, "acme", "x", &ListReferencedPipelinesParams{PageSize: size}))
		assertInvalidParams(t, err, "page size")
		_, _, err = c.Integrations.List(ctx, &ListIntegrationsParams{PageSize: size})
		assertInvalidParams(t, err, "page size")
		_, err = pagination.Collect(c.Integrations.ListIter(ctx, &ListIntegrationsParams{PageSize: size}))
		assertInvalidParams(t, err, "page size")
	}

	// An invalid-params error from an iterator is yielded exactly once.
	nErr := 0
	for _, err := range nc.ListIter(ctx, "", nil) {
		require.ErrorIs(t, err, ErrInvalidParams)
		nErr++
	}
	assert.Equal(t, 1, nErr)
	assert.Zero(t, n.Load())
}

// pageSize is an int32 whose documented cap (100) the server coerces larger values
// to: every value from 1 to the int32 maximum is sent as given, 0 not at all.
func TestInstillPageSizeBounds(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var got []string
	mux.HandleFunc("GET /v1beta/integrations", func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query().Get("pageSize"))
		writeJSON(w, http.StatusOK, `{"integrations": [], "totalSize": 0}`)
	})
	mux.HandleFunc("GET /v1beta/namespaces/acme/connections", func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query().Get("pageSize"))
		writeJSON(w, http.StatusOK, `{"connections": [], "totalSize": 0}`)
	})
	mux.HandleFunc("GET /v1beta/namespaces/acme/connections/x/referenced-pipelines", func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query().Get("pageSize"))
		writeJSON(w, http.StatusOK, `{"pipelineIds": [], "totalSize": 0}`)
	})
	ctx := context.Background()
	for _, size := range []int{0, 1, 100, 101, 1000, math.MaxInt32} {
		_, _, err := c.Integrations.List(ctx, &ListIntegrationsParams{PageSize: size})
		require.NoError(t, err, "page size %d", size)
	}
	_, _, err := c.NamespaceConnections.List(ctx, "acme", &ListNamespaceConnectionsParams{PageSize: 500})
	require.NoError(t, err)
	_, _, err = c.NamespaceConnections.ReferencedPipelines(ctx, "acme", "x", &ListReferencedPipelinesParams{PageSize: 101})
	require.NoError(t, err)
	assert.Equal(t, []string{"", "1", "100", "101", "1000", "2147483647", "500", "101"}, got)
}

// The page's own PATCH example carries integrationId (immutable: the server
// ignores it), and a spec-valid body needs it.
func TestNamespaceConnectionsUpdateSendsThePagesExampleBody(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("PATCH /v1beta/namespaces/{ns}/connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "NAMESPACE_ID", r.PathValue("ns"))
		assert.Equal(t, "CONNECTION_ID", r.PathValue("id"))
		testJSONBody(t, r, `{"integrationId": "openai", "method": "METHOD_DICTIONARY", "setup": {}}`)
		writeJSON(w, http.StatusOK, `{"connection": `+instillConnFull+`}`)
	})
	got, _, err := c.NamespaceConnections.Update(context.Background(), "NAMESPACE_ID", "CONNECTION_ID", &UpdateNamespaceConnectionRequest{
		IntegrationID: Ptr("openai"),
		Method:        Ptr(models.NamespaceConnectionMethodDictionary),
		Setup:         map[string]any{},
	})
	require.NoError(t, err)
	assert.Equal(t, "openai", got.IntegrationID)

	_, _, err = c.NamespaceConnections.Update(context.Background(), "NAMESPACE_ID", "CONNECTION_ID", &UpdateNamespaceConnectionRequest{IntegrationID: Ptr("")})
	assertInvalidParams(t, err, "integrationId")
}

// TestInstillErrorsReachEveryMethod answers every call with a google.rpc.Status
// body and checks each method hands back the *APIError and the *Response.
func TestInstillErrorsReachEveryMethod(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusConflict, `{"code": 6, "message": "connection already exists", "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "id", "description": "taken"}]}]}`)
	})
	ctx := context.Background()
	nc := c.NamespaceConnections
	conn := &models.NamespaceConnection{ID: "x", IntegrationID: "openai", Method: models.NamespaceConnectionMethodDictionary, Setup: map[string]any{}}
	calls := map[string]func() (*Response, error){
		"List":   func() (*Response, error) { _, r, err := nc.List(ctx, "acme", nil); return r, err },
		"Create": func() (*Response, error) { _, r, err := nc.Create(ctx, "acme", conn); return r, err },
		"Get":    func() (*Response, error) { _, r, err := nc.Get(ctx, "acme", "x", nil); return r, err },
		"Update": func() (*Response, error) {
			_, r, err := nc.Update(ctx, "acme", "x", &UpdateNamespaceConnectionRequest{ID: Ptr("y")})
			return r, err
		},
		"Delete":              func() (*Response, error) { return nc.Delete(ctx, "acme", "x", nil) },
		"Test":                func() (*Response, error) { return nc.Test(ctx, "acme", "x", nil) },
		"ReferencedPipelines": func() (*Response, error) { _, r, err := nc.ReferencedPipelines(ctx, "acme", "x", nil); return r, err },
		"Integrations.List":   func() (*Response, error) { _, r, err := c.Integrations.List(ctx, nil); return r, err },
		"Integrations.Get":    func() (*Response, error) { _, r, err := c.Integrations.Get(ctx, "openai", nil); return r, err },
	}
	for name, call := range calls {
		resp, err := call()
		require.NotNil(t, resp, name)
		assert.Equal(t, http.StatusConflict, resp.StatusCode, name)
		assert.ErrorIs(t, err, ErrConflict, name)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, name)
		assert.Equal(t, "ALREADY_EXISTS", apiErr.Code, name)
		require.Len(t, apiErr.Details, 1, name)
		assert.Equal(t, "type.googleapis.com/google.rpc.BadRequest", apiErr.Details[0].Type, name)
		assert.Equal(t, "id", apiErr.Details[0].Field(), name)
		assert.Equal(t, "taken", apiErr.Details[0].Message, name)
	}
}
