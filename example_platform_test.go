package connapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	connapi "github.com/connapi/connapi-go"
)

// A client for a self-hosted or proxied deployment says which platform it talks to
// with WithPlatform (a client for a vendor's own URL knows it already). A call to a
// service of another platform then fails before any request, instead of reaching
// the server and coming back as a 404 that reads like "not found".
func ExampleWithPlatform() {
	c, err := connapi.NewClient(
		connapi.WithBaseURL("https://pipeshub.internal.example/api/v1/"),
		connapi.WithPlatform(connapi.PlatformPipesHub),
		connapi.WithBearerToken("a-token"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Platform())

	// An OpenInt call on a PipesHub client: nothing is sent.
	_, err = c.CoreConnections.Delete(context.Background(), "conn_123", nil)
	fmt.Println(errors.Is(err, connapi.ErrWrongPlatform), errors.Is(err, connapi.ErrNotFound))
	fmt.Println(err)

	// A vendor's own base URL sets the platform by itself.
	oi, err := connapi.NewClient(connapi.WithBaseURL(connapi.OpenIntBaseURL), connapi.WithAPIKey("a-key"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(oi.Platform())
	// Output:
	// PipesHub
	// true false
	// connapi: CoreConnections.Delete belongs to OpenInt, but this client talks to PipesHub (its base URL or WithPlatform); nothing was sent
	// OpenInt
}

// Operations lists every endpoint the SDK calls: its name, platform, HTTP method
// and path template as the vendor writes it.
func ExampleOperations() {
	for _, op := range connapi.Operations() {
		if op.Platform() == connapi.PlatformInstill {
			fmt.Println(op.Name(), op.Method(), op.PathTemplate())
		}
	}
	// Output:
	// NamespaceConnections.List GET /v1beta/namespaces/{namespaceId}/connections
	// NamespaceConnections.Create POST /v1beta/namespaces/{namespaceId}/connections
	// NamespaceConnections.Get GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}
	// NamespaceConnections.Update PATCH /v1beta/namespaces/{namespaceId}/connections/{connectionId}
	// NamespaceConnections.Delete DELETE /v1beta/namespaces/{namespaceId}/connections/{connectionId}
	// NamespaceConnections.Test POST /v1beta/namespaces/{namespaceId}/connections/{connectionId}/test
	// NamespaceConnections.ReferencedPipelines GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}/referenced-pipelines
	// Integrations.List GET /v1beta/integrations
	// Integrations.Get GET /v1beta/integrations/{integrationId}
}
