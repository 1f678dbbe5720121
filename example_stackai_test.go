package connapi_test

import (
	"context"
	"fmt"
	"log"
	"net/url"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

// The Stack AI examples run against connapitest, the SDK's embedded fake server.
// Against the real platform, pass connapi.StackAIBaseURL and a token source (see
// ExampleNewGoTrueTokenSource) instead of srv.StackAIURL() and srv.Token().

func ExampleConnectionsService_ListIter() {
	srv := connapitest.NewServer(connapitest.WithSeed(5)) // five connections to list
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.StackAIURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}

	// Two connections per request; the walk ends at the first short page.
	for conn, err := range c.Connections.ListIter(context.Background(), &connapi.ListConnectionsParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(conn.Name, conn.ProviderID)
	}
	fmt.Println(srv.RequestCount("GET", "/connections"), "requests")
	// Output:
	// Seed connection 001 gdrive
	// Seed connection 002 notion
	// Seed connection 003 confluence
	// Seed connection 004 microsoft
	// Seed connection 005 gdrive
	// 3 requests
}

func ExampleResourcesService_ChildrenIter() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.StackAIURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	conn, _, err := c.Connections.Create(ctx, &models.ConnectionRequest{
		Name: "Team Notion", ProviderID: "notion", ConnectionTypeID: "notion",
		ConnectionProviderData: map[string]any{"api_key": "secret_example"},
	})
	if err != nil {
		log.Fatal(err)
	}

	// An empty ResourceID lists the root of the connection; the iterator follows
	// the cursors, three resources per request.
	for res, err := range c.Resources.ChildrenIter(ctx, conn.ConnectionID, &connapi.ListChildrenParams{PageSize: 3}) {
		if err != nil {
			log.Fatal(err)
		}
		if res.IsDirectory() {
			fmt.Printf("%s/\n", res.InodePath.Path)
			continue
		}
		fmt.Printf("%s (%s)\n", res.InodePath.Path, res.ContentMime)
	}
	// Output:
	// Documents/
	// Reports/
	// Archive/
	// README.md (text/markdown)
	// notes.txt (text/plain)
	// budget.xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)
	// logo.png (image/png)
}

func ExampleOAuthService_Start() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.StackAIURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	req := &models.ConnectionRequest{Name: "Marketing Drive", ProviderID: "gdrive", ConnectionTypeID: "gdrive"}

	// 1. Get the provider's consent page and send the user's browser there.
	authURL, _, err := c.OAuth.Start(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	u, err := url.Parse(authURL)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("consent at:", u.Host+u.Path)

	// 2. The provider redirects back with ?code=…; exchange it for the connection,
	// with the same request as in step 1.
	code := "4/0AeanS0b-code-from-the-redirect"
	conn, _, err := c.OAuth.CreateFromCallback(ctx, &connapi.CreateConnectionFromCallbackRequest{Code: code, Connection: req})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("connected:", conn.Name, conn.ProviderID)
	// Output:
	// consent at: accounts.google.com/o/oauth2/v2/auth
	// connected: Marketing Drive gdrive
}

func ExampleRBACService_Update() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.StackAIURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	conn, _, err := c.Connections.Create(ctx, &models.ConnectionRequest{
		Name: "Sales Notion", ProviderID: "notion", ConnectionTypeID: "notion",
		ConnectionProviderData: map[string]any{"api_key": "secret_example"},
	})
	if err != nil {
		log.Fatal(err)
	}
	const userID = "0b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"

	// Let one user edit the connection…
	if _, err := c.RBAC.Update(ctx, conn.ConnectionID, &connapi.UpdateRBACRequest{
		SubjectType: models.SubjectTypeUser,
		Role:        models.RoleEditor,
		SubjectID:   userID,
	}); err != nil {
		log.Fatal(err)
	}
	// …and let the rest of the organization view it. The page documents no body
	// for these writes (the result is nil then), so read the RBAC back.
	viewer := models.RoleViewer
	if _, err := c.RBAC.UpdateOrganizationRole(ctx, conn.ConnectionID, &connapi.UpdateOrganizationRoleRequest{Role: &viewer}); err != nil {
		log.Fatal(err)
	}
	rbac, _, err := c.RBAC.Get(ctx, conn.ConnectionID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("user roles:", rbac.UserRoles.Roles(userID))
	fmt.Println("organization role:", *rbac.OrgLevelRole)

	// Take organization-wide access away again (nil sends "role": null).
	if _, err := c.RBAC.UpdateOrganizationRole(ctx, conn.ConnectionID, &connapi.UpdateOrganizationRoleRequest{Role: nil}); err != nil {
		log.Fatal(err)
	}
	rbac, _, err = c.RBAC.Get(ctx, conn.ConnectionID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("organization role removed:", rbac.OrgLevelRole == nil)
	// Output:
	// user roles: [editor]
	// organization role: viewer
	// organization role removed: true
}

func ExampleNewGoTrueTokenSource() {
	srv := connapitest.NewServer()
	defer srv.Close()

	// Stack AI's examples log in at its Supabase auth server with the user's email
	// and password; the token source caches the token and refreshes it before it
	// expires. Against the real platform: TokenURL connapi.StackAIGoTrueTokenURL,
	// APIKey the project's anon key, and the user's own email and password.
	ts, err := connapi.NewGoTrueTokenSource(connapi.GoTrueConfig{
		TokenURL: srv.GoTrueTokenURL(),
		APIKey:   srv.APIKey(),
		Email:    srv.Email(),
		Password: srv.Password(),
	})
	if err != nil {
		log.Fatal(err)
	}
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.StackAIURL()), // connapi.StackAIBaseURL
		connapi.WithTokenSource(ts),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	available, _, err := c.Connections.ListAvailable(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range available {
		fmt.Println(a.ConnectionTypeID, a.ConnectionType)
	}
	if _, _, err := c.Connections.List(ctx, nil); err != nil {
		log.Fatal(err)
	}
	// Two calls, one login: the second call reused the cached token.
	fmt.Println("logins:", srv.RequestCount("POST", "/auth/v1/token"))
	// Output:
	// gdrive oauth
	// notion credentials
	// confluence credentials
	// sharepoint oauth
	// logins: 1
}
