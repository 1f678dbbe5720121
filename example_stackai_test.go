package connapi_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

// stackExampleClient returns a client for a local stand-in of the Stack AI API
// served by mux. Real code passes connapi.StackAIBaseURL instead.
func stackExampleClient(mux *http.ServeMux) (*connapi.Client, func()) {
	srv := httptest.NewServer(mux)
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.URL),
		connapi.WithBearerToken("example-token"),
	)
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

func stackExampleJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, body)
}

func ExampleConnectionsService_ListIter() {
	names := []string{"Marketing Drive", "Sales Notion", "Support Slack"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connections", func(w http.ResponseWriter, r *http.Request) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		body := "["
		for i := offset; i < min(offset+limit, len(names)); i++ {
			if i > offset {
				body += ","
			}
			body += fmt.Sprintf(`{"connection_id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4%d", "name": %q}`, i, names[i])
		}
		stackExampleJSON(w, body+"]")
	})
	c, done := stackExampleClient(mux)
	defer done()

	// Two connections per request; the walk ends at the first short page.
	for conn, err := range c.Connections.ListIter(context.Background(), &connapi.ListConnectionsParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(conn.Name)
	}
	// Output:
	// Marketing Drive
	// Sales Notion
	// Support Slack
}

func ExampleResourcesService_ChildrenIter() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connections/{id}/resources/children", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			stackExampleJSON(w, `{"data": [
				{"resource_id": "1Zy", "inode_type": "directory", "inode_path": {"path": "Reports"}},
				{"resource_id": "1Ab", "inode_type": "file", "inode_path": {"path": "budget.xlsx"}, "size": 18204}
			], "next_cursor": "page-2", "current_cursor": null}`)
			return
		}
		stackExampleJSON(w, `{"data": [
			{"resource_id": "1Cd", "inode_type": "file", "inode_path": {"path": "roadmap.pdf"}, "size": 482113}
		], "next_cursor": null, "current_cursor": "page-2"}`)
	})
	c, done := stackExampleClient(mux)
	defer done()

	const connectionID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	// An empty ResourceID lists the root of the connection.
	for res, err := range c.Resources.ChildrenIter(context.Background(), connectionID, &connapi.ListChildrenParams{PageSize: 100}) {
		if err != nil {
			log.Fatal(err)
		}
		if res.IsDirectory() {
			fmt.Printf("%s/\n", res.InodePath.Path)
			continue
		}
		fmt.Printf("%s (%d bytes)\n", res.InodePath.Path, res.Size)
	}
	// Output:
	// Reports/
	// budget.xlsx (18204 bytes)
	// roadmap.pdf (482113 bytes)
}

func ExampleOAuthService_Start() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /connections/oauth/start", func(w http.ResponseWriter, r *http.Request) {
		stackExampleJSON(w, `"https://accounts.google.com/o/oauth2/v2/auth?client_id=stack&state=xyz"`)
	})
	mux.HandleFunc("POST /connections/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("code") == "" {
			http.Error(w, `{"detail": "code is required"}`, http.StatusUnprocessableEntity)
			return
		}
		stackExampleJSON(w, `{"connection_id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "name": "Marketing Drive",
			"provider_id": "gdrive", "connection_type_id": "gdrive_oauth", "connection_provider_data": {}}`)
	})
	c, done := stackExampleClient(mux)
	defer done()
	ctx := context.Background()

	req := &models.ConnectionRequest{Name: "Marketing Drive", ProviderID: "gdrive", ConnectionTypeID: "gdrive_oauth"}

	// 1. Get the provider's consent page and send the user's browser there.
	authURL, _, err := c.OAuth.Start(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("consent at:", authURL)

	// 2. The provider redirects back with ?code=…; exchange it for the connection,
	// with the same request as in step 1.
	code := "4/0AeanS0b-code-from-the-redirect"
	conn, _, err := c.OAuth.CreateFromCallback(ctx, code, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("connected:", conn.Name, conn.ConnectionID)
	// Output:
	// consent at: https://accounts.google.com/o/oauth2/v2/auth?client_id=stack&state=xyz
	// connected: Marketing Drive 6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b
}

func ExampleRBACService_Update() {
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /api/v1/connections/{id}/rbac", func(w http.ResponseWriter, r *http.Request) {
		stackExampleJSON(w, `{"org_level_role": "viewer",
			"user_roles": {"0b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a": ["editor"]}, "group_roles": {}}`)
	})
	mux.HandleFunc("PATCH /api/v1/connections/{id}/organization-role", func(w http.ResponseWriter, r *http.Request) {
		stackExampleJSON(w, `{"org_level_role": null,
			"user_roles": {"0b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a": ["editor"]}, "group_roles": {}}`)
	})
	c, done := stackExampleClient(mux)
	defer done()
	ctx := context.Background()

	const connectionID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	const userID = "0b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"

	// Let one user edit the connection…
	rbac, _, err := c.RBAC.Update(ctx, connectionID, &connapi.UpdateRBACRequest{
		SubjectType: models.SubjectTypeUser,
		Role:        models.RoleEditor,
		SubjectID:   userID,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("user roles:", rbac.UserRoles.Roles(userID))

	// …and take it away from the rest of the organization (nil sends "role": null).
	rbac, _, err = c.RBAC.UpdateOrganizationRole(ctx, connectionID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("organization role removed:", rbac.OrgLevelRole == nil)
	// Output:
	// user roles: [editor]
	// organization role removed: true
}

func ExampleNewGoTrueTokenSource() {
	// Stack AI's examples log in at its Supabase auth server with the user's email
	// and password; the token source caches the token and refreshes it before it
	// expires.
	ts, err := connapi.NewGoTrueTokenSource(connapi.GoTrueConfig{
		TokenURL: connapi.StackAIGoTrueTokenURL,
		APIKey:   os.Getenv("STACKAI_ANON_KEY"),
		Email:    os.Getenv("STACKAI_EMAIL"),
		Password: os.Getenv("STACKAI_PASSWORD"),
	})
	if err != nil {
		log.Fatal(err)
	}
	c, err := connapi.NewClient(
		connapi.WithBaseURL(connapi.StackAIBaseURL),
		connapi.WithTokenSource(ts),
	)
	if err != nil {
		log.Fatal(err)
	}
	available, _, err := c.Connections.ListAvailable(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range available {
		fmt.Println(a.ProviderID, a.ConnectionType)
	}
}
