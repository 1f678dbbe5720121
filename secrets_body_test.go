package connapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/connapi/connapi-go/models"
)

// A server that echoes the request body in its error (FastAPI's 422 carries the
// "input"; proxies and debug pages quote it) must not put the credentials a call
// sent in its body into the error: Instill setup and OAuth details, PipesHub auth
// values, OpenInt settings, Stack AI provider data, and any field named like a
// credential.
func TestSecretBodyFieldsEchoedByTheServerAreRedacted(t *testing.T) {
	t.Parallel()
	const (
		setupSecret    = "instill-setup-s3cret"
		oauthSecret    = "instill-oauth-s3cret"
		clientSecret   = "pipeshub-client-s3cret"
		settingsSecret = "openint-settings-s3cret"
		providerSecret = "stack-provider-s3cret"
	)
	c, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		echo, _ := json.Marshal(map[string]any{
			"detail":  []any{map[string]any{"loc": []any{"body"}, "msg": "invalid: " + string(body), "type": "value_error", "input": json.RawMessage(body)}},
			"message": "rejected " + string(body),
		})
		writeJSON(w, http.StatusUnprocessableEntity, string(echo))
	})
	ctx := context.Background()
	calls := []struct {
		name, secret string
		call         func() error
	}{
		{"Instill setup", setupSecret, func() error {
			_, _, err := c.NamespaceConnections.Create(ctx, "ns", &models.NamespaceConnection{ID: "conn", IntegrationID: "github",
				Method: models.NamespaceConnectionMethodDictionary, Setup: map[string]any{"token": setupSecret}})
			return err
		}},
		{"Instill oAuthAccessDetails", oauthSecret, func() error {
			_, _, err := c.NamespaceConnections.Update(ctx, "ns", "conn", &UpdateNamespaceConnectionRequest{
				OAuthAccessDetails: map[string]any{"nested": map[string]any{"refresh": oauthSecret}}})
			return err
		}},
		{"PipesHub clientSecret", clientSecret, func() error {
			_, _, err := c.ConnectorInstances.UpdateAuthConfig(ctx, "inst", &UpdateConnectorAuthConfigRequest{Auth: &models.ConnectorAuthConfig{
				Values: map[string]any{"clientId": "client-id", "clientSecret": clientSecret}}})
			return err
		}},
		{"OpenInt settings", settingsSecret, func() error {
			_, _, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_x",
				Settings: map[string]any{"oauth": map[string]any{"credentials": map[string]any{"access_token": settingsSecret}}}})
			return err
		}},
		{"Stack AI provider data", providerSecret, func() error {
			_, _, err := c.Connections.Create(ctx, &models.ConnectionRequest{ProviderID: "notion", ConnectionTypeID: "notion",
				ConnectionProviderData: map[string]any{"api_key": providerSecret}})
			return err
		}},
	}
	for _, tc := range calls {
		err := tc.call()
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("%s: want an *APIError, got %v", tc.name, err)
		}
		texts := map[string]string{"Error()": err.Error(), "Body": string(apiErr.Body), "Message": apiErr.Message}
		for i, d := range apiErr.Details {
			texts["Details"+string(rune('0'+i))] = d.Message + string(d.Raw)
		}
		for where, text := range texts {
			if strings.Contains(text, tc.secret) {
				t.Errorf("%s: the secret is in %s: %s", tc.name, where, text)
			}
		}
		if !strings.Contains(string(apiErr.Body), "[REDACTED]") {
			t.Errorf("%s: nothing redacted in the body: %s", tc.name, apiErr.Body)
		}
	}
}

// Only what may be a credential is redacted: names and other plain fields of the
// body stay readable in the server's message.
func TestPlainBodyFieldsStayReadable(t *testing.T) {
	t.Parallel()
	got := bodySecrets([]byte(`{"id":"my-connection","integrationId":"github","setup":{"token":"t0k3n-value","region":"eu"},` +
		`"name":"Readable name","clientSecret":"cl1ent-value","nested":{"apiKey":"ap1-value","list":["x-item-value"]},` +
		`"credentials":["cred-value-1"],"password":"pw"}`))
	want := map[string]bool{"t0k3n-value": true, "cl1ent-value": true, "ap1-value": true, "cred-value-1": true}
	for _, s := range got {
		if !want[s] {
			t.Errorf("%q should stay readable", s)
		}
		delete(want, s)
	}
	for s := range want {
		t.Errorf("%q is not redacted", s)
	}
	if bodySecrets([]byte(`not json`)) != nil || bodySecrets(nil) != nil {
		t.Error("a body that is not JSON gives secrets")
	}
}
