package connapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/internal/redact"
	"github.com/connapi/connapi-go/internal/redact/redacttest"
)

// rootTypes is every exported struct type of the root package, in name order.
// TestRedactionCoversEveryRootType fails when one is missing. The Client and the
// token sources are checked apart: their credentials are in unexported fields.
var rootTypes = []reflect.Type{
	reflect.TypeFor[connapi.APIError](),
	reflect.TypeFor[connapi.Attempt](),
	reflect.TypeFor[connapi.Call](),
	reflect.TypeFor[connapi.CheckCoreConnectionRequest](),
	reflect.TypeFor[connapi.Client](),
	reflect.TypeFor[connapi.ConnectionFilter](),
	reflect.TypeFor[connapi.ConnectionHealthParams](),
	reflect.TypeFor[connapi.ConnectorAuthorizationURLParams](),
	reflect.TypeFor[connapi.ConnectorFilterOptionsParams](),
	reflect.TypeFor[connapi.ConnectorOAuthCallbackParams](),
	reflect.TypeFor[connapi.ConnectorRegistryParams](),
	reflect.TypeFor[connapi.ConnectorSchemaParams](),
	reflect.TypeFor[connapi.CreateConnectionFromCallbackRequest](),
	reflect.TypeFor[connapi.CreateConnectorRequest](),
	reflect.TypeFor[connapi.CreateCoreConnectionRequest](),
	reflect.TypeFor[connapi.DeleteConnectionParams](),
	reflect.TypeFor[connapi.DeleteConnectorParams](),
	reflect.TypeFor[connapi.DeleteCoreConnectionParams](),
	reflect.TypeFor[connapi.DeleteNamespaceConnectionParams](),
	reflect.TypeFor[connapi.DeleteRBACParams](),
	reflect.TypeFor[connapi.ErrorDetail](),
	reflect.TypeFor[connapi.GetConnectionParams](),
	reflect.TypeFor[connapi.GetConnectorConfigParams](),
	reflect.TypeFor[connapi.GetConnectorFiltersParams](),
	reflect.TypeFor[connapi.GetConnectorParams](),
	reflect.TypeFor[connapi.GetCoreConnectionParams](),
	reflect.TypeFor[connapi.GetIntegrationParams](),
	reflect.TypeFor[connapi.GetNamespaceConnectionParams](),
	reflect.TypeFor[connapi.GetRBACParams](),
	reflect.TypeFor[connapi.GetResourcesParams](),
	reflect.TypeFor[connapi.GoTrueConfig](),
	reflect.TypeFor[connapi.GiveUp](),
	reflect.TypeFor[connapi.GoTrueTokenSource](),
	reflect.TypeFor[connapi.ListActiveAgentConnectorsParams](),
	reflect.TypeFor[connapi.ListActiveConnectorsParams](),
	reflect.TypeFor[connapi.ListAvailableConnectionsParams](),
	reflect.TypeFor[connapi.ListChildrenParams](),
	reflect.TypeFor[connapi.ListConfiguredConnectorsParams](),
	reflect.TypeFor[connapi.ListConnectionsParams](),
	reflect.TypeFor[connapi.ListConnectorInstancesParams](),
	reflect.TypeFor[connapi.ListCoreConnectionsParams](),
	reflect.TypeFor[connapi.ListInactiveConnectorsParams](),
	reflect.TypeFor[connapi.ListIntegrationsParams](),
	reflect.TypeFor[connapi.ListNamespaceConnectionsParams](),
	reflect.TypeFor[connapi.ListPaginatedConnectionsParams](),
	reflect.TypeFor[connapi.ListReferencedPipelinesParams](),
	reflect.TypeFor[connapi.Observer](),
	reflect.TypeFor[connapi.Operation](),
	reflect.TypeFor[connapi.PasswordGrantConfig](),
	reflect.TypeFor[connapi.PasswordGrantTokenSource](),
	reflect.TypeFor[connapi.PatchConnectionRequest](),
	reflect.TypeFor[connapi.Response](),
	reflect.TypeFor[connapi.ResponseError](),
	reflect.TypeFor[connapi.Retry](),
	reflect.TypeFor[connapi.RetryBudget](),
	reflect.TypeFor[connapi.RetryStats](),
	reflect.TypeFor[connapi.SaveConnectorFiltersRequest](),
	reflect.TypeFor[connapi.SearchResourcesParams](),
	reflect.TypeFor[connapi.SyncCoreConnectionRequest](),
	reflect.TypeFor[connapi.TestNamespaceConnectionParams](),
	reflect.TypeFor[connapi.ToggleConnectorRequest](),
	reflect.TypeFor[connapi.UpdateConnectionFromCallbackRequest](),
	reflect.TypeFor[connapi.UpdateConnectorAuthConfigRequest](),
	reflect.TypeFor[connapi.UpdateConnectorConfigRequest](),
	reflect.TypeFor[connapi.UpdateConnectorFiltersSyncRequest](),
	reflect.TypeFor[connapi.UpdateConnectorNameRequest](),
	reflect.TypeFor[connapi.UpdateCoreConnectionRequest](),
	reflect.TypeFor[connapi.UpdateNamespaceConnectionRequest](),
	reflect.TypeFor[connapi.UpdateOrganizationRoleRequest](),
	reflect.TypeFor[connapi.UpdateRBACRequest](),
	reflect.TypeFor[connapi.WrongPlatformError](),
}

// rootReviewedSafe lists the root package's fields that look as if they could
// hold a secret but do not, each with the reason.
var rootReviewedSafe = map[string]string{
	"APIError.Body":                             "the error body, in which the SDK has already replaced every credential it knows (errors.go)",
	"APIError.Code":                             "the vendor's error code",
	"Attempt.Header":                            "only the headers an Observer adds to an attempt (trace context), never the request's own",
	"ErrorDetail.Raw":                           "one detail of that error body, redacted with it",
	"ResponseError.Err":                         "the cause, an error whose text the SDK redacts",
	"CreateCoreConnectionRequest.Metadata":      "the caller's own data, not a credential",
	"UpdateCoreConnectionRequest.Metadata":      "the caller's own data, not a credential",
	"SaveConnectorFiltersRequest.Filters":       "filter selections (labels, folders, dates)",
	"ListIntegrationsParams.PageToken":          "a page cursor",
	"ListNamespaceConnectionsParams.PageToken":  "a page cursor",
	"ListReferencedPipelinesParams.PageToken":   "a page cursor",
	"ConnectorAuthorizationURLParams.BaseURL":   "a self-hosted frontend's address",
	"ConnectorOAuthCallbackParams.BaseURL":      "a self-hosted frontend's address",
	"CreateConnectorRequest.BaseURL":            "a self-hosted service's address",
	"UpdateConnectorAuthConfigRequest.BaseURL":  "a self-hosted service's address",
	"UpdateConnectorConfigRequest.BaseURL":      "a self-hosted service's address",
	"UpdateConnectorFiltersSyncRequest.BaseURL": "a self-hosted service's address",
}

func TestRedactionCoversEveryRootType(t *testing.T) {
	t.Parallel()
	redacttest.CheckDeclared(t, ".", rootTypes, rootReviewedSafe)
}

func TestRootTypesHidePlantedSecrets(t *testing.T) {
	t.Parallel()
	n := 0
	for _, typ := range rootTypes {
		if !redact.Holds(typ) {
			continue
		}
		n++
		t.Run(typ.Name(), func(t *testing.T) {
			t.Parallel()
			redacttest.CheckHidden(t, redacttest.Plant(t, typ))
		})
	}
	assert.GreaterOrEqual(t, n, 10)
}

// printAndLog prints v under every verb and logs it with slog's handlers.
func printAndLog(v any) string {
	var out strings.Builder
	for _, verb := range redacttest.Verbs {
		fmt.Fprintf(&out, verb+"\n", v)
	}
	slog.New(slog.NewJSONHandler(&out, nil)).Info("m", "v", v)
	slog.New(slog.NewTextHandler(&out, nil)).Info("m", "v", v)
	return out.String()
}

// A Client holds its credentials in unexported fields, which fmt would print; a
// token source its password and cached token.
func TestClientAndTokenSourcesHideCredentials(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer()
	t.Cleanup(srv.Close)
	const bearer, apiKey, connID = "bearer-0a1b2c3d", "apikey-4e5f6a7b", "conn_idsecret9"
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.OpenIntURL()), connapi.WithBearerToken(bearer),
		connapi.WithAPIKey(apiKey), connapi.WithConnectionID(connID))
	require.NoError(t, err)
	out := printAndLog(c)
	for _, s := range []string{bearer, apiKey, connID} {
		assert.NotContains(t, out, s)
	}
	assert.Contains(t, out, srv.OpenIntURL())

	const password, secret, anonKey = "pw-correct-horse", "cs-battery-staple", "anon-key-5150"
	pg, err := connapi.NewPasswordGrantTokenSource(connapi.PasswordGrantConfig{
		TokenURL: srv.OAuthTokenURL(), Username: srv.Email(), Password: password, ClientID: "cid", ClientSecret: secret,
	})
	require.NoError(t, err)
	gt, err := connapi.NewGoTrueTokenSource(connapi.GoTrueConfig{
		TokenURL: srv.GoTrueTokenURL(), APIKey: anonKey, Email: srv.Email(), Password: password,
	})
	require.NoError(t, err)
	gtGood, err := connapi.NewGoTrueTokenSource(connapi.GoTrueConfig{
		TokenURL: srv.GoTrueTokenURL(), APIKey: srv.APIKey(), Email: srv.Email(), Password: srv.Password(),
	})
	require.NoError(t, err)
	tok, err := gtGood.Token(context.Background()) // a cached token, which printing must not show
	require.NoError(t, err)
	out = printAndLog(pg) + printAndLog(gt) + printAndLog(gtGood)
	for _, s := range []string{password, secret, anonKey, srv.Password(), tok} {
		assert.NotContains(t, out, s)
	}
	assert.Contains(t, out, srv.OAuthTokenURL())
}

// The request types' JSON is what the SDK sends: faithful.
func TestRequestJSONStaysFaithful(t *testing.T) {
	t.Parallel()
	req := connapi.CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1", Settings: map[string]any{"apiKey": "sk-faithful"}}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "req", req)
	assert.NotContains(t, buf.String(), "sk-faithful")
	assert.Contains(t, buf.String(), `"settings":{"apiKey":"[REDACTED]"}`)
	assert.Contains(t, fmt.Sprint(req), "ccfg_1")
	b, err := jsonMarshal(req)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"settings":{"apiKey":"sk-faithful"}`)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
