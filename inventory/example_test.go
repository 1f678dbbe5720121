package inventory_test

import (
	"context"
	"fmt"
	"log"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/inventory"
)

// Every connection of an OpenInt account and a PipesHub account in one loop,
// then the broken ones. Against real platforms, build the clients with the
// platforms' base URLs and your credentials instead.
func Example() {
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	// A client for a vendor's base URL knows its platform; one for another URL (a
	// self-hosted deployment, a proxy, this fake) is told with WithPlatform.
	openInt, err := connapi.NewClient(connapi.WithBaseURL(srv.OpenIntURL()), connapi.WithAPIKey(srv.APIKey()),
		connapi.WithPlatform(connapi.PlatformOpenInt))
	if err != nil {
		log.Fatal(err)
	}
	pipesHub, err := connapi.NewClient(connapi.WithBaseURL(srv.PipesHubURL()), connapi.WithBearerToken(srv.Token()),
		connapi.WithPlatform(connapi.PlatformPipesHub))
	if err != nil {
		log.Fatal(err)
	}
	sources := []inventory.Source{
		{Profile: "crm", Client: openInt},
		{Profile: "docs", Client: pipesHub},
	}

	ctx := context.Background()
	for conn, err := range inventory.Connections(ctx, sources, nil) {
		if err != nil { // one source failed; the others go on
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(conn.Profile, conn.ID, conn.Type, conn.Status)
	}
	for h, err := range inventory.Check(ctx, sources, &inventory.Options{Parallel: 4}) {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		if !h.Healthy {
			fmt.Printf("broken: %s %s: %s\n", h.Profile, h.Name, h.Reason)
		}
	}
	// Output:
	// crm conn_00000001 github healthy
	// crm conn_00000002 google-drive healthy
	// docs b7e1a000-0000-4000-8000-000000000001 GoogleDrive unconfigured
	// docs b7e1a000-0000-4000-8000-000000000002 Gmail inactive
	// broken: docs Seed connector 001: not configured
	// broken: docs Seed connector 002: not active
}
