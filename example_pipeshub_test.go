package connapi_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

// pipesHubExampleServer starts a stand-in for https://app.pipeshub.com/api/v1/ that
// answers the given routes ("METHOD /path" to status and JSON body) in PipesHub's
// backend shapes. A real program passes connapi.PipesHubBaseURL instead.
func pipesHubExampleServer(routes map[string]func(r *http.Request) (int, string)) *httptest.Server {
	mux := http.NewServeMux()
	for pattern, answer := range routes {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			status, body := answer(r)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	return httptest.NewServer(http.StripPrefix("/api/v1", mux))
}

func ExampleConnectorInstancesService_ListIter() {
	pages := map[string]string{
		"1": `{"success":true,"connectors":[
			{"_key":"9b1f","name":"Company Drive","type":"Drive","scope":"team","isActive":true,"isAgentActive":false},
			{"_key":"0c7e","name":"Support Slack","type":"Slack","scope":"team","isActive":false,"isAgentActive":true}],
			"pagination":{"page":1,"limit":2,"totalCount":3,"totalPages":2,"hasPrev":false,"hasNext":true,"prevPage":null,"nextPage":2}}`,
		"2": `{"success":true,"connectors":[
			{"_key":"5d20","name":"Eng Wiki","type":"Confluence","scope":"team","isActive":true,"isAgentActive":true}],
			"pagination":{"page":2,"limit":2,"totalCount":3,"totalPages":2,"hasPrev":true,"hasNext":false,"prevPage":1,"nextPage":null}}`,
	}
	srv := pipesHubExampleServer(map[string]func(*http.Request) (int, string){
		"GET /connectors": func(r *http.Request) (int, string) { return 200, pages[r.URL.Query().Get("page")] },
	})
	defer srv.Close()

	c, err := connapi.NewClient(connapi.WithBaseURL(srv.URL+"/api/v1/"), connapi.WithBearerToken("phpat_example"))
	if err != nil {
		log.Fatal(err)
	}
	// Scope is left empty: the SDK sends scope=team, which the gateway requires.
	for conn, err := range c.ConnectorInstances.ListIter(context.Background(), &connapi.ListConnectorInstancesParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %-13s %-10s sync=%t agent=%t\n", conn.ConnectorID, conn.InstanceName, conn.ConnectorType, conn.SyncEnabled, conn.AgentEnabled)
	}
	// Output:
	// 9b1f Company Drive Drive      sync=true agent=false
	// 0c7e Support Slack Slack      sync=false agent=true
	// 5d20 Eng Wiki      Confluence sync=true agent=true
}

// A connector's life: create it, give it credentials, run the OAuth flow, pick what
// to sync, switch sync on, check it, delete it.
func ExampleConnectorInstancesService_lifecycle() {
	const id = "4f6c2a10-7d1e-4d8f-9a51-0c2b6a1d3e77"
	state := map[string]bool{"isConfigured": false, "isAuthenticated": false, "isActive": false}
	srv := pipesHubExampleServer(map[string]func(*http.Request) (int, string){
		"POST /connectors": func(*http.Request) (int, string) {
			return 200, `{"success":true,"message":"Connector instance created successfully.","connector":{"connectorId":"` + id +
				`","connectorType":"Drive","instanceName":"Company Drive","created":true,"scope":"team","createdBy":"u1","isAuthenticated":false,"isConfigured":false}}`
		},
		"PUT /connectors/{id}/config/auth": func(*http.Request) (int, string) {
			state["isConfigured"] = true
			return 200, `{"success":true,"message":"Configuration saved successfully.","config":{"auth":{"authType":"OAUTH","oauthConfigId":"oauth_app_1"}}}`
		},
		"GET /connectors/{id}/oauth/authorize": func(*http.Request) (int, string) {
			return 200, `{"success":true,"authorizationUrl":"https://accounts.google.com/o/oauth2/auth?client_id=cid&state=st_42","state":"st_42"}`
		},
		"GET /connectors/oauth/callback": func(r *http.Request) (int, string) {
			state["isAuthenticated"] = r.URL.Query().Get("state") == "st_42"
			return 200, `{"success":true,"redirect_url":"https://pipeshub.example.com/account/connectors?oauth_success=true"}`
		},
		"POST /connectors/{id}/filters": func(*http.Request) (int, string) {
			return 200, `{"success":true,"message":"Filter selections saved successfully"}`
		},
		"POST /connectors/{id}/toggle": func(*http.Request) (int, string) {
			state["isActive"] = !state["isActive"]
			return 200, `{"success":true,"message":"Sync enabled"}`
		},
		"GET /connectors/{id}": func(*http.Request) (int, string) {
			return 200, fmt.Sprintf(`{"success":true,"connector":{"_key":%q,"name":"Company Drive","type":"Drive","scope":"team","authType":"OAUTH",
				"isConfigured":%t,"isAuthenticated":%t,"isActive":%t,"isAgentActive":false,"createdAtTimestamp":1767323045000}}`,
				id, state["isConfigured"], state["isAuthenticated"], state["isActive"])
		},
		"DELETE /connectors/{id}": func(*http.Request) (int, string) {
			return 202, `{"success":true,"message":"Connector deletion initiated","connectorId":"` + id + `","status":"DELETING"}`
		},
	})
	defer srv.Close()

	ctx := context.Background()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.URL+"/api/v1/"), connapi.WithBearerToken("phpat_example"))
	if err != nil {
		log.Fatal(err)
	}
	ci := c.ConnectorInstances

	conn, _, err := ci.Create(ctx, &connapi.CreateConnectorRequest{
		ConnectorType: "Drive",
		InstanceName:  "Company Drive",
		Scope:         models.ConnectorScopeTeam,
		AuthType:      models.AuthTypeOAuth,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", conn.ConnectorID)

	if _, _, err := ci.UpdateAuthConfig(ctx, conn.ConnectorID, &connapi.UpdateConnectorAuthConfigRequest{
		Auth: &models.ConnectorAuthConfig{OAuthConfigID: "oauth_app_1"},
	}); err != nil {
		log.Fatal(err)
	}

	authz, _, err := ci.AuthorizationURL(ctx, conn.ConnectorID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("send the user to:", authz.AuthorizationURL[:strings.Index(authz.AuthorizationURL, "?")])

	// The provider redirects the user back with a code; hand it to PipesHub.
	cb, _, err := ci.HandleOAuthCallback(ctx, &connapi.ConnectorOAuthCallbackParams{Code: "4/0Ab-code", State: authz.State})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("oauth success:", cb.Success)

	if _, _, err := ci.SaveFilters(ctx, conn.ConnectorID, &connapi.SaveConnectorFiltersRequest{Filters: map[string]any{
		"folders": map[string]any{"operator": "in", "value": []string{"0AFx-shared"}, "type": "list"},
	}}); err != nil {
		log.Fatal(err)
	}
	if _, _, err := ci.Toggle(ctx, conn.ConnectorID, &connapi.ToggleConnectorRequest{Type: models.ConnectorToggleSync}); err != nil {
		log.Fatal(err)
	}

	got, _, err := ci.Get(ctx, conn.ConnectorID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("configured=%t authenticated=%t active=%t created=%s\n",
		got.IsConfigured, got.IsAuthenticated, got.IsActive, got.CreatedAt.Format("2006-01-02"))

	del, _, err := ci.Delete(ctx, conn.ConnectorID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("delete accepted:", del.Accepted, del.Status)
	// Output:
	// created: 4f6c2a10-7d1e-4d8f-9a51-0c2b6a1d3e77
	// send the user to: https://accounts.google.com/o/oauth2/auth
	// oauth success: true
	// configured=true authenticated=true active=true created=2026-01-02
	// delete accepted: true DELETING
}
