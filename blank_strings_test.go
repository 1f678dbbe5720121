package connapi

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
)

// The rule for strings, the same for all four vendors (docs/vendor-notes.md, "Strings
// and numbers"): where a page says only "required" or "minLength 1", a string of
// spaces satisfies it and is sent as given; only the empty string, Go's "not set", is
// refused before any request.

// blankCall is one SDK call with a whitespace-only value where the page allows one,
// and where the value must show up in the request.
type blankCall struct {
	call func(c *Client) error
	// in says where the blank value must arrive: "body" (raw JSON text) or a
	// query key.
	in, want string
}

const blank = "   "

func blankStringCalls() map[string]blankCall {
	ctx := context.Background()
	req := func(p, t string) *models.ConnectionRequest {
		return &models.ConnectionRequest{ProviderID: p, ConnectionTypeID: t}
	}
	return map[string]blankCall{
		"stackai create provider_id": {func(c *Client) error {
			_, _, err := c.Connections.Create(ctx, req(blank, "gdrive"))
			return err
		}, "body", `"provider_id":"   "`},
		"stackai update connection_type_id": {func(c *Client) error {
			_, _, err := c.Connections.Update(ctx, stackConnID, req("gdrive", blank))
			return err
		}, "body", `"connection_type_id":"   "`},
		"stackai patch name": {func(c *Client) error {
			_, _, err := c.Connections.Patch(ctx, stackConnID, &PatchConnectionRequest{Name: blank})
			return err
		}, "body", `"name":"   "`},
		"stackai oauth start provider_id": {func(c *Client) error {
			_, _, err := c.OAuth.Start(ctx, req(blank, "gdrive_oauth"))
			return err
		}, "body", `"provider_id":"   "`},
		"stackai callback code": {func(c *Client) error {
			_, _, err := c.OAuth.CreateFromCallback(ctx, &CreateConnectionFromCallbackRequest{Code: blank, Connection: req("gdrive", "gdrive_oauth")})
			return err
		}, "code", blank},
		"stackai recallback code": {func(c *Client) error {
			_, _, err := c.OAuth.UpdateFromCallback(ctx, stackConnID, &UpdateConnectionFromCallbackRequest{Code: blank, Connection: req("gdrive", "gdrive_oauth")})
			return err
		}, "code", blank},
		"stackai search query": {func(c *Client) error {
			_, _, err := c.Resources.Search(ctx, stackConnID, &SearchResourcesParams{Query: blank})
			return err
		}, "query", blank},
		"stackai rbac role": {func(c *Client) error {
			_, err := c.RBAC.Update(ctx, stackConnID, &UpdateRBACRequest{SubjectType: models.SubjectTypeUser, Role: blank, SubjectID: stackUserID})
			return err
		}, "body", `"role":"   "`},
		"stackai organization role": {func(c *Client) error {
			_, err := c.RBAC.UpdateOrganizationRole(ctx, stackConnID, &UpdateOrganizationRoleRequest{Role: Ptr(models.Role(blank))})
			return err
		}, "body", `"role":"   "`},
		"pipeshub create connectorType": {func(c *Client) error {
			_, _, err := c.ConnectorInstances.Create(ctx, &CreateConnectorRequest{ConnectorType: blank, InstanceName: "Drive", Scope: models.ConnectorScopeTeam})
			return err
		}, "body", `"connectorType":"   "`},
		"pipeshub create instanceName": {func(c *Client) error {
			_, _, err := c.ConnectorInstances.Create(ctx, &CreateConnectorRequest{ConnectorType: "google-drive", InstanceName: blank, Scope: models.ConnectorScopeTeam})
			return err
		}, "body", `"instanceName":"   "`},
		"pipeshub update name": {func(c *Client) error {
			_, _, err := c.ConnectorInstances.UpdateName(ctx, "c1", &UpdateConnectorNameRequest{InstanceName: blank})
			return err
		}, "body", `"instanceName":"   "`},
		"instill create integrationId": {func(c *Client) error {
			_, _, err := c.NamespaceConnections.Create(ctx, "acme", &models.NamespaceConnection{
				ID: "my-openai", IntegrationID: blank, Method: models.NamespaceConnectionMethodDictionary, Setup: map[string]any{},
			})
			return err
		}, "body", `"integrationId":"   "`},
		"openint create customerId": {func(c *Client) error {
			_, _, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1", CustomerID: Ptr(blank)})
			return err
		}, "body", `"customerId":"   "`},
		"openint list customerId": {func(c *Client) error {
			_, _, err := c.CoreConnections.List(ctx, &ListCoreConnectionsParams{CustomerID: Ptr(blank)})
			return err
		}, "customerId", blank},
	}
}

func TestBlankStringsAreSentWhereThePageAllowsThem(t *testing.T) {
	t.Parallel()
	for name, tc := range blankStringCalls() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var (
				mu   sync.Mutex
				seen []*http.Request
				body []string
			)
			srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				seen, body = append(seen, r), append(body, string(b))
				mu.Unlock()
				w.WriteHeader(http.StatusNotFound) // any answer will do: the request is what is checked
			})
			c, mux := setup(t, WithoutRetries())
			mux.Handle("/", srv)
			err := tc.call(c)
			assert.NotErrorIs(t, err, ErrInvalidParams)
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, seen, 1, "the call must reach the server")
			if tc.in == "body" {
				assert.Contains(t, body[0], tc.want)
				return
			}
			q, err := url.ParseQuery(seen[0].URL.RawQuery)
			require.NoError(t, err)
			assert.Equal(t, []string{tc.want}, q[tc.in])
		})
	}
}
