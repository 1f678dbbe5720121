package conformance_test

// OpenInt (openint/openapi.json, v0) conformance cases.

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

var openIntCases = []confCase{
	{
		method: "CoreConnectionsService.List", variant: "nil params", spec: specOpenInt,
		ops: []string{"GET /core/connection"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.List(ctx, nil)
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.List", variant: "all params", spec: specOpenInt,
		ops: []string{"GET /core/connection"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.List(ctx, &connapi.ListCoreConnectionsParams{
				Limit: 10, Offset: 20, CustomerID: connapi.Ptr("cus_42"), ConnectorConfigID: "ccfg_google",
				ConnectorName: "google-drive", ForceRefresh: true,
				Expand: []string{connapi.CoreConnectionExpandIntegration, connapi.CoreConnectionExpandIntegrationConnector},
			})
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.ListIter", spec: specOpenInt, iter: true,
		ops: []string{"GET /core/connection"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.CoreConnections.ListIter(ctx, &connapi.ListCoreConnectionsParams{Limit: 2, ConnectorName: "hubspot"}), 5)
		},
	},
	{
		method: "CoreConnectionsService.Create", variant: "required only", spec: specOpenInt,
		ops: []string{"POST /core/connection"},
		// The answer is the bare new id, which Create checks for the "conn_" prefix;
		// the generator cannot know that this string is an id.
		fixups: map[string]func(genMode) any{"POST /core/connection": func(genMode) any { return "conn_created" }},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			id, _, err := c.CoreConnections.Create(ctx, &connapi.CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_google"})
			if id == "" {
				return nil, err
			}
			return id, err
		},
	},
	{
		method: "CoreConnectionsService.Create", variant: "all fields", spec: specOpenInt,
		ops: []string{"POST /core/connection"},
		// The answer is the bare new id, which Create checks for the "conn_" prefix;
		// the generator cannot know that this string is an id.
		fixups: map[string]func(genMode) any{"POST /core/connection": func(genMode) any { return "conn_created" }},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			id, _, err := c.CoreConnections.Create(ctx, &connapi.CreateCoreConnectionRequest{
				ConnectorConfigID: "ccfg_google",
				Settings:          map[string]any{"oauth": map[string]any{"credentials": map[string]any{"access_token": "tok"}}},
				DisplayName:       connapi.Ptr("Drive of Ada"),
				CustomerID:        connapi.Ptr("cus_42"),
				Disabled:          connapi.Ptr(false),
				Metadata:          map[string]any{"team": "eng"},
				IntegrationID:     connapi.Ptr("int_drive"),
			})
			if id == "" {
				return nil, err
			}
			return id, err
		},
	},
	{
		method: "CoreConnectionsService.CreateAndGet", spec: specOpenInt,
		ops: []string{"POST /core/connection", "GET /core/connection/{id}"},
		// The create answer is the bare id, which the SDK then fetches (and checks
		// for the "conn_" prefix); the generator cannot know that string is an id.
		fixups: map[string]func(genMode) any{"POST /core/connection": func(genMode) any { return "conn_created" }},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.CreateAndGet(ctx, &connapi.CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_google"},
				&connapi.GetCoreConnectionParams{Expand: []string{connapi.CoreConnectionExpandIntegration}})
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Get", variant: "nil params", spec: specOpenInt,
		ops: []string{"GET /core/connection/{id}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Get(ctx, "conn_01", nil)
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Get", variant: "all params", spec: specOpenInt,
		ops: []string{"GET /core/connection/{id}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Get(ctx, "conn_01", &connapi.GetCoreConnectionParams{
				ForceRefresh: true, Expand: []string{connapi.CoreConnectionExpandIntegration, connapi.CoreConnectionExpandIntegrationConnector},
			})
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Update", variant: "nil request", spec: specOpenInt,
		ops: []string{"PATCH /core/connection/{id}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Update(ctx, "conn_01", nil)
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Update", variant: "all fields", spec: specOpenInt,
		ops: []string{"PATCH /core/connection/{id}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Update(ctx, "conn_01", &connapi.UpdateCoreConnectionRequest{
				Settings:      models.NewNullable(map[string]any{"apiKey": "k"}),
				DisplayName:   models.NewNullable("Renamed"),
				Metadata:      map[string]any{"team": "ops"},
				Disabled:      connapi.Ptr(true),
				CustomerID:    models.NewNullable("cus_43"),
				IntegrationID: models.NewNullable("int_drive"),
			})
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Update", variant: "explicit nulls", spec: specOpenInt,
		ops: []string{"PATCH /core/connection/{id}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Update(ctx, "conn_01", &connapi.UpdateCoreConnectionRequest{
				Settings:      models.Null[map[string]any](),
				DisplayName:   models.Null[string](),
				CustomerID:    models.Null[string](),
				IntegrationID: models.Null[string](),
			})
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Delete", variant: "nil params", spec: specOpenInt, noResult: true,
		ops: []string{"DELETE /core/connection/{id}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			_, err := c.CoreConnections.Delete(ctx, "conn_01", nil)
			return nil, err
		},
	},
	{
		method: "CoreConnectionsService.Delete", variant: "skip revoke", spec: specOpenInt, noResult: true,
		ops: []string{"DELETE /core/connection/{id}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			_, err := c.CoreConnections.Delete(ctx, "conn_01", &connapi.DeleteCoreConnectionParams{SkipRevoke: true})
			return nil, err
		},
	},
	{
		method: "CoreConnectionsService.Check", variant: "nil params", spec: specOpenInt,
		ops: []string{"POST /core/connection/{id}/_check"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Check(ctx, "conn_01", nil)
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Check", variant: "all params", spec: specOpenInt,
		ops: []string{"POST /core/connection/{id}/_check"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Check(ctx, "conn_01", &connapi.CheckCoreConnectionRequest{
				SkipCache: connapi.Ptr(true), Import: connapi.Ptr(false), UpdateWebhook: connapi.Ptr(true),
				SandboxSimulateUpdate: connapi.Ptr(false), SandboxSimulateDisconnect: connapi.Ptr(false),
			})
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Sync", variant: "nil params", spec: specOpenInt,
		ops: []string{"POST /core/connection/{id}/_sync"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Sync(ctx, "conn_01", nil)
			return res, err
		},
	},
	{
		method: "CoreConnectionsService.Sync", variant: "all params", spec: specOpenInt,
		ops: []string{"POST /core/connection/{id}/_sync"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.CoreConnections.Sync(ctx, "conn_01", &connapi.SyncCoreConnectionRequest{
				Async: connapi.Ptr(true), MetaOnly: connapi.Ptr(false), FullResync: connapi.Ptr(true),
				TodoUpstreamRefresh: connapi.Ptr(false), TodoRemoveUnsyncedData: connapi.Ptr(false),
			})
			return res, err
		},
	},
}

// TestDeviationOpenIntCredentials: the spec ANDs x-apikey and x-connection-id on every
// operation; the server needs one credential. The SDK sends exactly what it was
// configured with: an API key alone fails the spec's literal requirement (the
// deviation), passes the server's; with WithConnectionID it meets both; a Bearer
// customer token meets the server's "token" alternative.
func TestDeviationOpenIntCredentials(t *testing.T) {
	t.Parallel()
	s := loadSpec(t, specOpenInt)
	raw, err := os.ReadFile(filepath.Join("testdata", "specs", "openint", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Security openapi3.SecurityRequirements `json:"security"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := openapi3.SecurityRequirements{{"apikey": {}, "connectionId": {}}}
	if !reflect.DeepEqual(doc.Security, want) {
		t.Fatalf("the spec's global security changed: %v", doc.Security)
	}
	send := func(opts ...connapi.Option) capturedRequest {
		tr := &specTransport{spec: s, mode: genFull}
		c, err := connapi.NewClient(append([]connapi.Option{
			connapi.WithBaseURL(s.baseURL()), connapi.WithHTTPClient(&http.Client{Transport: tr}), connapi.WithoutRetries(),
		}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.CoreConnections.Get(context.Background(), "conn_01", nil); err != nil {
			t.Fatal(err)
		}
		return tr.requests()[0]
	}
	check := func(cr capturedRequest, reqs openapi3.SecurityRequirements) error {
		r := cr.request(context.Background())
		route, params, err := s.route(r)
		if err != nil {
			t.Fatal(err)
		}
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: conformanceAuth}}
		return openapi3filter.ValidateSecurityRequirements(context.Background(), in, reqs)
	}

	keyOnly := send(connapi.WithAPIKey(confAPIKey))
	if got := keyOnly.header.Get("X-Connection-Id"); got != "" {
		t.Errorf("x-connection-id sent without WithConnectionID: %q", got)
	}
	if err := check(keyOnly, want); err == nil {
		t.Error("an API key alone met the spec's AND requirement; the deviation note is stale")
	}
	if err := check(keyOnly, s.doc.Security); err != nil {
		t.Errorf("an API key alone does not meet the server's requirement: %v", err)
	}

	both := send(connapi.WithAPIKey(confAPIKey), connapi.WithConnectionID("conn_01"))
	if err := check(both, want); err != nil {
		t.Errorf("API key + connection id do not meet the spec's requirement: %v", err)
	}

	bearer := send(connapi.WithBearerToken(confBearer))
	if got := bearer.header.Get("X-Apikey"); got != "" {
		t.Errorf("x-apikey sent with a Bearer token only: %q", got)
	}
	if err := check(bearer, s.doc.Security); err != nil {
		t.Errorf("a Bearer token does not meet the server's requirement: %v", err)
	}
}
