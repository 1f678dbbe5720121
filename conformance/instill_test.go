package conformance_test

// Instill AI (instill-ai/service.swagger.yaml, Swagger 2.0) conformance cases.

import (
	"context"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

const (
	instillNS   = "acme-ns"
	instillConn = "my-openai"
)

var instillCases = []confCase{
	{
		method: "NamespaceConnectionsService.List", variant: "nil params", spec: specInstill,
		ops: []string{"GET /v1beta/namespaces/{namespaceId}/connections"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.List(ctx, instillNS, nil)
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.List", variant: "all params", spec: specInstill,
		ops: []string{"GET /v1beta/namespaces/{namespaceId}/connections"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.List(ctx, instillNS, &connapi.ListNamespaceConnectionsParams{
				PageSize: 100, PageToken: "tok-2", Filter: `integrationId="openai"`,
			})
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.ListIter", spec: specInstill, iter: true,
		ops: []string{"GET /v1beta/namespaces/{namespaceId}/connections"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.NamespaceConnections.ListIter(ctx, instillNS, &connapi.ListNamespaceConnectionsParams{PageSize: 2, Filter: `qConnection="googl"`}), 5)
		},
	},
	{
		method: "NamespaceConnectionsService.Create", variant: "dictionary", spec: specInstill,
		ops: []string{"POST /v1beta/namespaces/{namespaceId}/connections"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.Create(ctx, instillNS, &models.NamespaceConnection{
				ID: instillConn, IntegrationID: "openai", Method: models.NamespaceConnectionMethodDictionary,
				Setup: map[string]any{"api-key": "sk-123", "organization": "org-1"},
			})
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.Create", variant: "oauth", spec: specInstill,
		ops: []string{"POST /v1beta/namespaces/{namespaceId}/connections"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.Create(ctx, instillNS, &models.NamespaceConnection{
				ID: "my-slack", IntegrationID: "slack", Method: models.NamespaceConnectionMethodOAuth,
				Setup: map[string]any{"token": "xoxb"}, Scopes: []string{"channels:read"}, Identity: "ada@example.test",
				OAuthAccessDetails: map[string]any{"team": "T1"},
			})
			return res, err
		},
	},
	{
		// A connection as Get returns it (output-only fields set), copied to another
		// namespace: the output-only (readOnly) fields must not be sent.
		method: "NamespaceConnectionsService.Create", variant: "copy of a fetched connection", spec: specInstill,
		ops: []string{"POST /v1beta/namespaces/{namespaceId}/connections"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			fetched := &models.NamespaceConnection{
				UID: "3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e", ID: instillConn, NamespaceID: "old-ns",
				IntegrationID: "openai", IntegrationTitle: "OpenAI", Method: models.NamespaceConnectionMethodDictionary,
				Setup: map[string]any{"api-key": "sk-123"}, View: models.InstillViewFull,
				CreateTime: models.NewTimestamp(fixedTime), UpdateTime: models.NewTimestamp(fixedTime),
			}
			res, _, err := c.NamespaceConnections.Create(ctx, instillNS, fetched)
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.Get", variant: "nil params", spec: specInstill,
		ops: []string{"GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.Get(ctx, instillNS, instillConn, nil)
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.Get", variant: "full view", spec: specInstill,
		ops: []string{"GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.Get(ctx, instillNS, instillConn, &connapi.GetNamespaceConnectionParams{View: models.InstillViewFull})
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.Update", variant: "one field", spec: specInstill,
		ops: []string{"PATCH /v1beta/namespaces/{namespaceId}/connections/{connectionId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.Update(ctx, instillNS, instillConn, &connapi.UpdateNamespaceConnectionRequest{
				Setup: map[string]any{"api-key": "sk-456"},
			})
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.Update", variant: "all fields", spec: specInstill,
		ops: []string{"PATCH /v1beta/namespaces/{namespaceId}/connections/{connectionId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			m := models.NamespaceConnectionMethodOAuth
			res, _, err := c.NamespaceConnections.Update(ctx, instillNS, instillConn, &connapi.UpdateNamespaceConnectionRequest{
				ID: connapi.Ptr("renamed"), Method: &m, Setup: map[string]any{"token": "t"}, Scopes: []string{},
				Identity: connapi.Ptr("ada@example.test"), OAuthAccessDetails: map[string]any{"team": "T1"},
			})
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.Delete", spec: specInstill, noResult: true,
		ops: []string{"DELETE /v1beta/namespaces/{namespaceId}/connections/{connectionId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			_, err := c.NamespaceConnections.Delete(ctx, instillNS, instillConn, nil)
			return nil, err
		},
	},
	{
		method: "NamespaceConnectionsService.Test", spec: specInstill, noResult: true,
		ops: []string{"POST /v1beta/namespaces/{namespaceId}/connections/{connectionId}/test"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			_, err := c.NamespaceConnections.Test(ctx, instillNS, instillConn, nil)
			return nil, err
		},
	},
	{
		method: "NamespaceConnectionsService.ReferencedPipelines", variant: "nil params", spec: specInstill,
		ops: []string{"GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}/referenced-pipelines"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.ReferencedPipelines(ctx, instillNS, instillConn, nil)
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.ReferencedPipelines", variant: "all params", spec: specInstill,
		ops: []string{"GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}/referenced-pipelines"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.NamespaceConnections.ReferencedPipelines(ctx, instillNS, instillConn, &connapi.ListReferencedPipelinesParams{
				PageSize: 50, PageToken: "tok-2", Filter: `q="sales"`,
			})
			return res, err
		},
	},
	{
		method: "NamespaceConnectionsService.ReferencedPipelinesIter", spec: specInstill, iter: true,
		ops: []string{"GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}/referenced-pipelines"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.NamespaceConnections.ReferencedPipelinesIter(ctx, instillNS, instillConn, &connapi.ListReferencedPipelinesParams{PageSize: 2}), 5)
		},
	},
	{
		method: "IntegrationsService.List", variant: "nil params", spec: specInstill,
		ops: []string{"GET /v1beta/integrations"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.Integrations.List(ctx, nil)
			return res, err
		},
	},
	{
		method: "IntegrationsService.List", variant: "all params", spec: specInstill,
		ops: []string{"GET /v1beta/integrations"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.Integrations.List(ctx, &connapi.ListIntegrationsParams{PageSize: 25, PageToken: "tok-2", Filter: `qIntegration="googl"`})
			return res, err
		},
	},
	{
		method: "IntegrationsService.ListIter", spec: specInstill, iter: true,
		ops: []string{"GET /v1beta/integrations"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			return iterResult(c.Integrations.ListIter(ctx, &connapi.ListIntegrationsParams{PageSize: 2}), 5)
		},
	},
	{
		method: "IntegrationsService.Get", variant: "nil params", spec: specInstill,
		ops: []string{"GET /v1beta/integrations/{integrationId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.Integrations.Get(ctx, "openai", nil)
			return res, err
		},
	},
	{
		method: "IntegrationsService.Get", variant: "full view", spec: specInstill,
		ops: []string{"GET /v1beta/integrations/{integrationId}"},
		call: func(ctx context.Context, c *connapi.Client) (any, error) {
			res, _, err := c.Integrations.Get(ctx, "openai", &connapi.GetIntegrationParams{View: models.InstillViewFull})
			return res, err
		},
	},
}
