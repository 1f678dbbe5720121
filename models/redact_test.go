package models_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/internal/redact"
	"github.com/connapi/connapi-go/internal/redact/redacttest"
	"github.com/connapi/connapi-go/models"
)

// modelTypes is every struct type package models declares. TestRedactionCoversEveryModel
// fails when one is missing, so that a new type's secrets are checked too.
var modelTypes = []reflect.Type{
	reflect.TypeFor[models.Timestamp](),
	reflect.TypeFor[models.Nullable[string]](),
	// Stack AI.
	reflect.TypeFor[models.UserProfile](),
	reflect.TypeFor[models.Connection](),
	reflect.TypeFor[models.ConnectionRequest](),
	reflect.TypeFor[models.AvailableConnection](),
	reflect.TypeFor[models.AvailableConnectionParam](),
	reflect.TypeFor[models.InodePath](),
	reflect.TypeFor[models.Resource](),
	reflect.TypeFor[models.ResourcePage](),
	reflect.TypeFor[models.ConnectionPage](),
	reflect.TypeFor[models.ConnectionRBAC](),
	// OpenInt.
	reflect.TypeFor[models.CoreConnection](),
	reflect.TypeFor[models.CoreConnectionStandard](),
	reflect.TypeFor[models.CoreConnectionConnectorConfig](),
	reflect.TypeFor[models.CoreConnectionIntegration](),
	reflect.TypeFor[models.CoreConnectionConnector](),
	reflect.TypeFor[models.CoreConnectionSyncResult](),
	reflect.TypeFor[models.CorePipelineSync](),
	// Instill AI.
	reflect.TypeFor[models.NamespaceConnection](),
	reflect.TypeFor[models.NamespaceConnectionList](),
	reflect.TypeFor[models.ReferencedPipelineList](),
	reflect.TypeFor[models.Integration](),
	reflect.TypeFor[models.IntegrationLink](),
	reflect.TypeFor[models.IntegrationOAuthConfig](),
	reflect.TypeFor[models.IntegrationList](),
	// PipesHub.
	reflect.TypeFor[models.ConnectorInstance](),
	reflect.TypeFor[models.ConnectorDocumentationLink](),
	reflect.TypeFor[models.ConnectorScopeCounts](),
	reflect.TypeFor[models.ConnectorPagination](),
	reflect.TypeFor[models.ConnectorInstanceList](),
	reflect.TypeFor[models.ConnectorType](),
	reflect.TypeFor[models.ConnectorRegistry](),
	reflect.TypeFor[models.ConnectorSchema](),
	reflect.TypeFor[models.ConnectorAuthConfig](),
	reflect.TypeFor[models.ConnectorSyncConfig](),
	reflect.TypeFor[models.ConnectorScheduledSync](),
	reflect.TypeFor[models.ConnectorWebhookSync](),
	reflect.TypeFor[models.ConnectorFiltersConfig](),
	reflect.TypeFor[models.ConnectorFilterValues](),
	reflect.TypeFor[models.ConnectorConfigSections](),
	reflect.TypeFor[models.ConnectorConfig](),
	reflect.TypeFor[models.ConnectorConfigUpdate](),
	reflect.TypeFor[models.ConnectorFilterOptions](),
	reflect.TypeFor[models.ConnectorFilterField](),
	reflect.TypeFor[models.ConnectorFilterOption](),
	reflect.TypeFor[models.ConnectorFilterFieldOptions](),
	reflect.TypeFor[models.ConnectorOAuthAuthorization](),
	reflect.TypeFor[models.ConnectorOAuthCallbackResult](),
	reflect.TypeFor[models.ConnectorResult](),
	reflect.TypeFor[models.ConnectorDeleteResult](),
	reflect.TypeFor[models.ConnectorToggleResult](),
}

// reviewedSafe lists the fields that look as if they could hold a secret (maps,
// raw JSON, strings named like one) but do not, each with the reason. A field that
// may hold one is registered in redact.go instead.
var reviewedSafe = map[string]string{
	"AvailableConnectionParam.URL":          "a link to the provider's help page",
	"AvailableConnectionParam.Default":      "a form field's default value, from the public catalogue",
	"UserProfile.AvatarURL":                 "a public picture",
	"Resource.DataloaderMetadata":           "file metadata from the data loader (mime types, sizes)",
	"Resource.UserMetadata":                 "metadata the user attached to a file",
	"CoreConnectionIntegration.LogoURL":     "a public logo",
	"CoreConnectionConnector.LogoURL":       "a public logo",
	"NamespaceConnectionList.NextPageToken": "a page cursor",
	"ReferencedPipelineList.NextPageToken":  "a page cursor",
	"IntegrationList.NextPageToken":         "a page cursor",
	"Integration.SetupSchema":               "a JSON Schema: field names and types, no values",
	"IntegrationLink.URL":                   "a public documentation link",
	"IntegrationOAuthConfig.AuthURL":        "the provider's public authorization endpoint",
	"IntegrationOAuthConfig.AccessURL":      "the provider's public token endpoint",
	"ConnectorDocumentationLink.URL":        "a public documentation link",
	"ConnectorPagination.Extra":             "unknown members of a page's metadata",
	"ConnectorType.Config":                  "the connector type's configuration schema, from the public registry",
	"ConnectorType.Extra":                   "unknown members of a public registry entry",
	"ConnectorSchema.AuthSchema":            "a schema: field names and types, no values",
	"ConnectorSchema.SyncSchema":            "a schema: field names and types, no values",
	"ConnectorSchema.FilterSchema":          "a schema: field names and types, no values",
	"ConnectorSchema.Extra":                 "unknown members of a public schema",
	"ConnectorScheduledSync.Extra":          "schedule timestamps (startTime, nextTime)",
	"ConnectorFilterValues.Values":          "filter selections (labels, folders, dates)",
	"ConnectorConfig.BaseURL":               "a self-hosted service's address",
	"ConnectorFilterField.Key":              "the name of a filter field",
	"ConnectorFilterField.DefaultValue":     "a filter's default selection",
	"ConnectionRBAC.UserRoles":              "user ids and their roles",
	"ConnectionRBAC.GroupRoles":             "group ids and their roles",
	"ConnectionRBAC.Raw":                    "the RBAC body as sent: ids and roles",
}

func TestRedactionCoversEveryModel(t *testing.T) {
	t.Parallel()
	redacttest.CheckDeclared(t, ".", modelTypes, reviewedSafe)
}

// Every model that holds a secret, at any depth, hides it under every fmt verb and
// in slog's handlers, keeps what is not secret, and still encodes it in JSON.
func TestModelsHidePlantedSecrets(t *testing.T) {
	t.Parallel()
	n := 0
	for _, typ := range modelTypes {
		if typ.Kind() != reflect.Struct || !redact.Holds(typ) {
			continue
		}
		n++
		t.Run(typ.Name(), func(t *testing.T) {
			t.Parallel()
			redacttest.CheckHidden(t, redacttest.Plant(t, typ))
		})
	}
	assert.GreaterOrEqual(t, n, 17, "the secret-bearing models and the lists and results that hold them")
}

// allOutputs prints v under every verb and logs it with slog's JSON and text
// handlers, and returns all of it.
func allOutputs(v any) string {
	var out strings.Builder
	for _, verb := range redacttest.Verbs {
		fmt.Fprintf(&out, verb+"\n", v)
	}
	slog.New(slog.NewJSONHandler(&out, nil)).Info("m", "v", v)
	slog.New(slog.NewTextHandler(&out, nil)).Info("m", "v", v)
	return out.String()
}

// The cases the vendors' own pages show, decoded from the wire as the SDK reads them.
func TestModelsHideVendorSecrets(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		v      any
		body   string
		secret []string
		shown  []string
	}{
		"OpenInt settings.oauth.credentials.access_token": {
			v: &models.CoreConnection{},
			body: `{"id":"conn_1","connectorName":"hubspot","connectorConfigId":"ccfg_1","createdAt":"2025-01-01T00:00:00Z",
				"updatedAt":"2025-01-01T00:00:00Z","disabled":false,
				"settings":{"oauth":{"credentials":{"access_token":"at-5f1c9e","refresh_token":"rt-77a1b2","token_type":"bearer"}},"apiKey":"sk-live-12ab"}}`,
			secret: []string{"at-5f1c9e", "rt-77a1b2", "sk-live-12ab"},
			shown:  []string{"conn_1", "hubspot", "oauth", "apiKey"},
		},
		"OpenInt metadata: members named like a secret hidden": {
			v: &models.CoreConnection{},
			body: `{"id":"conn_2","connectorName":"hubspot","connectorConfigId":"ccfg_1","createdAt":"2025-01-01T00:00:00Z",
				"updatedAt":"2025-01-01T00:00:00Z","metadata":{"team":"team-shown-1","api_key":"md-key-hidden-2","nested":{"password":"md-pw-hidden-3","region":"eu-shown-4"}}}`,
			secret: []string{"md-key-hidden-2", "md-pw-hidden-3"},
			shown:  []string{"conn_2", "team-shown-1", "eu-shown-4", "api_key", "password"},
		},
		"Instill setup": {
			v:      &models.NamespaceConnection{},
			body:   `{"id":"my-openai","integrationId":"openai","method":"METHOD_DICTIONARY","setup":{"api-key":"sk-proj-9f8e7d","organization":"org-1"},"oAuthAccessDetails":{"authed_user":{"access_token":"xoxp-1234"}}}`,
			secret: []string{"sk-proj-9f8e7d", "xoxp-1234"},
			shown:  []string{"my-openai", "openai", "api-key"},
		},
		"PipesHub auth config values": {
			v:      &models.ConnectorConfig{},
			body:   `{"connectorId":"c1","connectorType":"Jira","config":{"auth":{"authType":"API_TOKEN","values":{"email":"a@example.com","apiToken":"ATATT3xFfGF0"},"customValues":{"pat":"glpat-xyz"},"clientSecret":"cs-31337"}}}`,
			secret: []string{"ATATT3xFfGF0", "glpat-xyz", "cs-31337"},
			shown:  []string{"Jira", "apiToken", "clientSecret"},
		},
		"PipesHub instance config (backend Get)": {
			v:      &models.ConnectorInstance{},
			body:   `{"_key":"k1","name":"Drive","type":"Drive","config":{"auth":{"clientSecret":"GOCSPX-abc"}},"credentials":{"access_token":"ya29.q"}}`,
			secret: []string{"GOCSPX-abc", "ya29.q"},
			shown:  []string{"k1", "Drive", "credentials"},
		},
		// Only secrets are hidden in PipesHub's open members: what the backend adds
		// to a config (status, isLocked, supportedAuthTypes, …) and an instance's
		// stored settings stay readable, while members named like a credential, the
		// auth values and a webhook URL's path are hidden at every depth.
		"PipesHub config: harmless members shown": {
			v: &models.ConnectorConfig{},
			body: `{"connectorId":"c1","connectorType":"Jira","status":"ACTIVE-7f","isLocked":false,"supportedAuthTypes":["OAUTH","API_TOKEN"],
				"isAgentActive":true,"documentationLinks":[{"title":"Setup guide","url":"https://docs.example.com/jira"}],
				"privateKey":"-----BEGIN PRIVATE KEY-----pk-77","oauthApp":{"clientId":"cid-shown-1","client_secret":"cs-nested-9","tokenType":"bearer","refreshToken":"rt-nested-8"}}`,
			secret: []string{"pk-77", "cs-nested-9", "rt-nested-8"},
			shown: []string{"ACTIVE-7f", `"isLocked":false`, "OAUTH", "API_TOKEN", `"isAgentActive":true`, "Setup guide",
				"https://docs.example.com/jira", "cid-shown-1", "bearer", "privateKey", "client_secret"},
		},
		"PipesHub instance config: settings shown, secrets hidden": {
			v: &models.ConnectorInstance{},
			body: `{"_key":"k1","name":"Drive","type":"Drive","status":"DELETING-3","isLocked":true,"authType":"OAUTH",
				"config":{"auth":{"authType":"OAUTH","oauthConfigId":"ocfg-shown-4","values":{"domain":"dom-hidden-5","apiToken":"at-hidden-6"},"clientSecret":"GOCSPX-abc"},
				"sync":{"selectedStrategy":"SCHEDULED","scheduledConfig":{"intervalMinutes":60,"timezone":"Europe/Paris"},
				"webhookConfig":{"webhookUrl":"https://hooks.example.com/services/wh-path-secret","events":["file.created"]}},
				"filters":{"sync":{"values":{"folders":["folder-shown-7"]}}}},
				"credentials":{"access_token":"ya29.q"},"connectorSecret":"cs-top-2","lastError":"error-shown-8"}`,
			secret: []string{"GOCSPX-abc", "ya29.q", "dom-hidden-5", "at-hidden-6", "wh-path-secret", "cs-top-2"},
			shown: []string{"DELETING-3", "SCHEDULED", "Europe/Paris", "ocfg-shown-4", "folder-shown-7", "file.created",
				"hooks.example.com", "error-shown-8", "domain", "apiToken", "credentials"},
		},
		"Stack AI connection_provider_data": {
			v:      &models.Connection{},
			body:   `{"connection_id":"0b0e4c1e-0000-4000-8000-000000000001","name":"Notion","provider_id":"notion","connection_provider_data":{"api_key":"secret_notion_42"}}`,
			secret: []string{"secret_notion_42"},
			shown:  []string{"Notion", "api_key"},
		},
		"PipesHub OAuth state": {
			v:      &models.ConnectorOAuthAuthorization{},
			body:   `{"authorizationUrl":"https://accounts.google.com/o/oauth2/v2/auth?client_id=cid&state=st-8c1d&redirect_uri=x","state":"st-8c1d"}`,
			secret: []string{"st-8c1d"},
			shown:  []string{"accounts.google.com", "client_id=[REDACTED]"},
		},
	} {
		require.NoError(t, json.Unmarshal([]byte(tc.body), tc.v), name)
		out := allOutputs(tc.v)
		for _, s := range tc.secret {
			assert.NotContains(t, out, s, "%s: printed or logged", name)
		}
		for _, s := range tc.shown {
			assert.Contains(t, out, s, "%s: hidden though not secret", name)
		}
		b, err := json.Marshal(tc.v)
		require.NoError(t, err)
		for _, s := range tc.secret {
			assert.Contains(t, string(b), s, "%s: json.Marshal must stay faithful", name)
		}
	}
}

// A list logged through the list type hides its items' secrets in the JSON handler;
// a bare slice does not (documented in redact.go), which this pins down.
func TestModelListsHideTheirItems(t *testing.T) {
	t.Parallel()
	conns := []*models.CoreConnection{{ID: "conn_1", Settings: map[string]any{"apiKey": "sk-bare-slice"}}}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "page", models.ConnectorInstanceList{
		Connectors: []*models.ConnectorInstance{{ConnectorID: "c1", Config: json.RawMessage(`{"token":"tok-in-list"}`)}},
	})
	assert.NotContains(t, buf.String(), "tok-in-list")
	assert.Contains(t, buf.String(), `"config":{"token":"[REDACTED]"}`)

	buf.Reset()
	slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "conns", conns)
	assert.NotContains(t, buf.String(), "sk-bare-slice", "the text handler prints items with %+v, which hides")
}
