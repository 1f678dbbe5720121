package connapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

// The OpenInt examples run against connapitest. Against the real service, pass
// connapi.OpenIntBaseURL and the API key from your OpenInt console.

// This example walks a connection's life on OpenInt: create it, merge a key into its
// metadata, list the customer's connections, and delete it.
func ExampleCoreConnectionsService() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.OpenIntURL()), // connapi.OpenIntBaseURL
		connapi.WithAPIKey(srv.APIKey()),      // sent as x-apikey; no x-connection-id needed
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Create answers with the new id only.
	id, _, err := c.CoreConnections.Create(ctx, &connapi.CreateCoreConnectionRequest{
		ConnectorConfigID: "ccfg_hubspot_01",
		CustomerID:        connapi.Ptr("cus_42"),
		DisplayName:       connapi.Ptr("Acme CRM"),
		Metadata:          map[string]any{"team": "sales"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", id)

	// Metadata is shallow-merged: "team" stays, "stage" is added. The display name
	// is cleared (sent as null); fields left unset are not sent.
	conn, _, err := c.CoreConnections.Update(ctx, id, &connapi.UpdateCoreConnectionRequest{
		Metadata:    map[string]any{"stage": "won"},
		DisplayName: models.Null[string](),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("metadata", string(conn.Metadata))
	fmt.Printf("display name %q, customer %s\n", conn.DisplayName, conn.CustomerID)

	conns, _, err := c.CoreConnections.List(ctx, &connapi.ListCoreConnectionsParams{CustomerID: connapi.Ptr("cus_42"), Limit: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, conn := range conns {
		fmt.Println("listed", conn.ID, conn.ConnectorName, conn.Standard.Status)
	}

	if _, err := c.CoreConnections.Delete(ctx, id, &connapi.DeleteCoreConnectionParams{SkipRevoke: true}); err != nil {
		log.Fatal(err)
	}
	_, _, err = c.CoreConnections.Get(ctx, id, nil)
	fmt.Println("after delete, not found:", errors.Is(err, connapi.ErrNotFound))

	// Output:
	// created conn_00000001
	// metadata {"stage":"won","team":"sales"}
	// display name "", customer cus_42
	// listed conn_00000001 hubspot healthy
	// after delete, not found: true
}

// ListIter walks every page: OpenInt returns bare arrays with no total, so the walk
// ends at the first page shorter than Limit.
func ExampleCoreConnectionsService_ListIter() {
	srv := connapitest.NewServer(connapitest.WithSeed(5)) // five connections, one minute apart
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.OpenIntURL()), connapi.WithAPIKey(srv.APIKey()))
	if err != nil {
		log.Fatal(err)
	}

	for conn, err := range c.CoreConnections.ListIter(context.Background(), &connapi.ListCoreConnectionsParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(conn.ID, conn.ConnectorName, conn.CreatedAt.Format(time.RFC3339))
	}
	fmt.Println(srv.RequestCount("GET", "/v0/core/connection"), "requests")
	// Output:
	// conn_00000001 github 2025-01-01T00:01:00Z
	// conn_00000002 google-drive 2025-01-01T00:02:00Z
	// conn_00000003 slack 2025-01-01T00:03:00Z
	// conn_00000004 hubspot 2025-01-01T00:04:00Z
	// conn_00000005 github 2025-01-01T00:05:00Z
	// 3 requests
}

// CreateAndGet creates a connection and fetches the object, which carries the
// connector config it belongs to.
func ExampleCoreConnectionsService_CreateAndGet() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.OpenIntURL()), connapi.WithAPIKey(srv.APIKey()))
	if err != nil {
		log.Fatal(err)
	}
	conn, _, err := c.CoreConnections.CreateAndGet(context.Background(),
		&connapi.CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_hubspot_01", DisplayName: connapi.Ptr("Acme CRM")}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn.ID, conn.DisplayName, conn.ConnectorConfig.ID, conn.ConnectorConfig.ConnectorName)
	// Output:
	// conn_00000001 Acme CRM ccfg_hubspot_01 hubspot
}
