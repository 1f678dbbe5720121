package connapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"maps"
	"slices"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

// The Instill AI examples run against connapitest. Against the real platform, pass
// connapi.InstillBaseURL and an instill_sk_… API token.

// ExampleNamespaceConnectionsService_lifecycle creates an Instill AI connection,
// tests it, lists the namespace's connections and deletes it.
func ExampleNamespaceConnectionsService_lifecycle() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.InstillURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Create: id, integrationId, method and setup are required. Secret setup
	// fields come back redacted.
	for _, id := range []string{"openai-prod", "openai-staging"} {
		conn, _, err := c.NamespaceConnections.Create(ctx, "acme", &models.NamespaceConnection{
			ID:            id,
			IntegrationID: "openai",
			Method:        models.NamespaceConnectionMethodDictionary,
			Setup:         map[string]any{"api-key": "sk-live-123", "organization": "org-acme"},
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("created:", conn.ID, conn.Method, "api-key:", conn.Setup["api-key"], "organization:", conn.Setup["organization"])
	}

	// Test: a nil error means the third-party app accepted the setup.
	if _, err := c.NamespaceConnections.Test(ctx, "acme", "openai-prod", nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println("test passed")

	// List every connection of the namespace, one per page to show the paging.
	for conn, err := range c.NamespaceConnections.ListIter(ctx, "acme", &connapi.ListNamespaceConnectionsParams{PageSize: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed:", conn.ID, conn.IntegrationTitle, conn.View)
	}

	// Delete, then a Get reports NOT_FOUND.
	if _, err := c.NamespaceConnections.Delete(ctx, "acme", "openai-staging", nil); err != nil {
		log.Fatal(err)
	}
	_, _, err = c.NamespaceConnections.Get(ctx, "acme", "openai-staging", nil)
	var apiErr *connapi.APIError
	if errors.Is(err, connapi.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println("deleted:", apiErr.Code)
	}
	// Output:
	// created: openai-prod METHOD_DICTIONARY api-key: ***** organization: org-acme
	// created: openai-staging METHOD_DICTIONARY api-key: ***** organization: org-acme
	// test passed
	// listed: openai-prod OpenAI VIEW_BASIC
	// listed: openai-staging OpenAI VIEW_BASIC
	// deleted: NOT_FOUND
}

// ExampleNamespaceConnectionsService_Update replaces a connection's setup. Only
// the fields set in the request are sent; setup is replaced as a whole, so the
// request carries every setup key.
func ExampleNamespaceConnectionsService_Update() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.InstillURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, _, err := c.NamespaceConnections.Create(ctx, "acme", &models.NamespaceConnection{
		ID: "my-openai", IntegrationID: "openai", Method: models.NamespaceConnectionMethodDictionary,
		Setup: map[string]any{"api-key": "sk-old"},
	}); err != nil {
		log.Fatal(err)
	}

	conn, _, err := c.NamespaceConnections.Update(ctx, "acme", "my-openai", &connapi.UpdateNamespaceConnectionRequest{
		Setup: map[string]any{"api-key": "sk-rotated", "organization": "org-acme"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range slices.Sorted(maps.Keys(conn.Setup)) {
		fmt.Println(k, conn.Setup[k])
	}
	// Output:
	// api-key *****
	// organization org-acme
}

// ExampleNamespaceConnectionsService_ReferencedPipelinesIter lists the pipelines
// that would break if a connection were deleted.
func ExampleNamespaceConnectionsService_ReferencedPipelinesIter() {
	// One seeded connection, "connection-001" in the namespace
	// connapitest.DefaultNamespace; the fake says twelve pipelines use it.
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.InstillURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	var ids []string
	for id, err := range c.NamespaceConnections.ReferencedPipelinesIter(context.Background(),
		connapitest.DefaultNamespace, "connection-001", &connapi.ListReferencedPipelinesParams{PageSize: 5}) {
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, id)
	}
	fmt.Println(len(ids), "pipelines, from", ids[0], "to", ids[len(ids)-1])
	fmt.Println(srv.RequestCount("GET", "/v1beta/namespaces/{ns}/connections/{id}/referenced-pipelines"), "requests")
	// Output:
	// 12 pipelines, from pipeline-01 to pipeline-12
	// 3 requests
}

// ExampleIntegrationsService_Get reads the setup schema of an integration before
// creating a connection for it.
func ExampleIntegrationsService_Get() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.InstillURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	in, _, err := c.Integrations.Get(context.Background(), "openai", &connapi.GetIntegrationParams{View: models.InstillViewFull})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Title, "requires", in.SetupSchema["required"])
	// Output:
	// OpenAI requires [api-key]
}
