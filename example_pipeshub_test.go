package connapi_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/url"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

// The PipesHub examples run against connapitest, which answers in the shapes of
// PipesHub's backend. Against the real platform, pass connapi.PipesHubBaseURL and a
// JWT or phpat_ personal access token.

func ExampleConnectorInstancesService_ListIter() {
	srv := connapitest.NewServer(connapitest.WithSeed(5)) // five connector instances
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.PipesHubURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}

	// Scope is left empty: the SDK sends scope=team, which the gateway requires.
	// Two instances per request; the iterator follows the pages.
	for conn, err := range c.ConnectorInstances.ListIter(context.Background(), &connapi.ListConnectorInstancesParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-18s %-11s authenticated=%-5t sync=%t\n", conn.InstanceName, conn.ConnectorType, conn.IsAuthenticated, conn.SyncEnabled)
	}
	fmt.Println(srv.RequestCount("GET", "/api/v1/connectors"), "requests")
	// Output:
	// Seed connector 001 GoogleDrive authenticated=false sync=false
	// Seed connector 002 Gmail       authenticated=true  sync=false
	// Seed connector 003 Confluence  authenticated=false sync=false
	// Seed connector 004 Jira        authenticated=true  sync=true
	// Seed connector 005 Slack       authenticated=false sync=false
	// 3 requests
}

// Every option of a dynamic filter field (Drive folders here), page after page:
// the iterator follows the cursor the server hands back, and stops when it says
// there is no more.
func ExampleConnectorInstancesService_FilterOptionsIter() {
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.PipesHubURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	page, _, err := c.ConnectorInstances.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	drive := page.Connectors[0].ConnectorID

	n := 0
	p := &connapi.ConnectorFilterOptionsParams{Limit: 20}
	for opt, err := range c.ConnectorInstances.FilterOptionsIter(ctx, drive, "folders", p) {
		if err != nil {
			log.Fatal(err)
		}
		if n++; n <= 2 {
			fmt.Println(opt.ID, opt.Label)
		}
	}
	fmt.Println(n, "folders in", srv.RequestCount("GET", "/api/v1/connectors/{connectorId}/filters/{filterKey}/options"), "requests")
	// Output:
	// folder_01 Folder 01
	// folder_02 Folder 02
	// 45 folders in 3 requests
}

// A connector's life: create it, give it its OAuth app, run the OAuth flow, pick
// what to sync, switch sync on, check it, delete it.
func ExampleConnectorInstancesService_lifecycle() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.PipesHubURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	ci := c.ConnectorInstances

	conn, _, err := ci.Create(ctx, &connapi.CreateConnectorRequest{
		ConnectorType: "GoogleDrive",
		InstanceName:  "Company Drive",
		Scope:         models.ConnectorScopeTeam,
		AuthType:      models.AuthTypeOAuth,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", conn.InstanceName)

	if _, _, err := ci.UpdateAuthConfig(ctx, conn.ConnectorID, &connapi.UpdateConnectorAuthConfigRequest{
		Auth: &models.ConnectorAuthConfig{Values: map[string]any{"clientId": "cid.apps.googleusercontent.com", "clientSecret": "GOCSPX-example"}},
	}); err != nil {
		log.Fatal(err)
	}

	authz, _, err := ci.AuthorizationURL(ctx, conn.ConnectorID, nil)
	if err != nil {
		log.Fatal(err)
	}
	u, err := url.Parse(authz.AuthorizationURL)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("send the user to:", u.Host+u.Path)

	// The provider redirects the user back with a code and the state; hand both to
	// PipesHub.
	cb, _, err := ci.HandleOAuthCallback(ctx, &connapi.ConnectorOAuthCallbackParams{Code: "4/0Ab-code", State: authz.State})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("oauth success:", cb.Success)

	if _, _, err := ci.SaveFilters(ctx, conn.ConnectorID, &connapi.SaveConnectorFiltersRequest{Filters: map[string]any{
		"folders": map[string]any{"operator": "in", "value": []string{"folder_01"}, "type": "list"},
	}}); err != nil {
		log.Fatal(err)
	}
	if _, _, err := ci.Toggle(ctx, conn.ConnectorID, &connapi.ToggleConnectorRequest{Type: models.ConnectorToggleSync}); err != nil {
		log.Fatal(err)
	}

	got, _, err := ci.Get(ctx, conn.ConnectorID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("configured=%t authenticated=%t active=%t\n", got.IsConfigured, got.IsAuthenticated, got.IsActive)

	// PipesHub's backend deletes in the background: 202 Accepted.
	resp, err := ci.Delete(ctx, conn.ConnectorID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("delete accepted:", resp.StatusCode == http.StatusAccepted)
	// Output:
	// created: Company Drive
	// send the user to: accounts.google.com/o/oauth2/v2/auth
	// oauth success: true
	// configured=true authenticated=true active=true
	// delete accepted: true
}
