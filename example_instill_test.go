package connapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

// ExampleNamespaceConnectionsService_lifecycle creates an Instill AI connection,
// tests it, lists the namespace's connections and deletes it. Against the real
// platform, use connapi.WithBaseURL(connapi.InstillBaseURL) and an instill_sk_…
// API token.
func ExampleNamespaceConnectionsService_lifecycle() {
	srv := newInstillDemoServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.URL),
		connapi.WithBearerToken("instill_sk_example"),
	)
	if err != nil {
		log.Fatal(err)
	}

	// Create: id, integrationId, method and setup are required.
	conn, _, err := c.NamespaceConnections.Create(ctx, "acme", &models.NamespaceConnection{
		ID:            "my-openai",
		IntegrationID: "openai",
		Method:        models.NamespaceConnectionMethodDictionary,
		Setup:         map[string]any{"api-key": "sk-live-123", "organization": "acme-org"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", conn.ID, conn.Method, "api-key:", conn.Setup["api-key"])

	// Test: a nil error means the third-party app accepted the setup.
	if _, err := c.NamespaceConnections.Test(ctx, "acme", conn.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println("test passed")

	// List every connection of the namespace, page by page.
	for conn, err := range c.NamespaceConnections.ListIter(ctx, "acme", &connapi.ListNamespaceConnectionsParams{PageSize: 100}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed:", conn.ID, conn.IntegrationTitle, conn.View)
	}

	// Delete, then a Get reports NOT_FOUND.
	if _, err := c.NamespaceConnections.Delete(ctx, "acme", conn.ID); err != nil {
		log.Fatal(err)
	}
	_, _, err = c.NamespaceConnections.Get(ctx, "acme", conn.ID, nil)
	var apiErr *connapi.APIError
	if errors.Is(err, connapi.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println("deleted:", apiErr.Code)
	}
	// Output:
	// created: my-openai METHOD_DICTIONARY api-key: *****
	// test passed
	// listed: existing OpenAI VIEW_BASIC
	// listed: my-openai OpenAI VIEW_BASIC
	// deleted: NOT_FOUND
}

// ExampleNamespaceConnectionsService_Update replaces a connection's setup. Only
// the fields set in the request are sent; setup is replaced as a whole, so the
// request carries every setup key.
func ExampleNamespaceConnectionsService_Update() {
	srv := newInstillDemoServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.URL), connapi.WithBearerToken("instill_sk_example"))
	if err != nil {
		log.Fatal(err)
	}
	conn, _, err := c.NamespaceConnections.Update(ctx, "acme", "existing", &connapi.UpdateNamespaceConnectionRequest{
		Setup: map[string]any{"api-key": "sk-rotated", "organization": "acme-org"},
	})
	if err != nil {
		log.Fatal(err)
	}
	keys := make([]string, 0, len(conn.Setup))
	for k := range conn.Setup {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Println(conn.ID, keys)
	// Output:
	// existing [api-key organization]
}

// ExampleNamespaceConnectionsService_ReferencedPipelinesIter lists the pipelines
// that would break if a connection were deleted.
func ExampleNamespaceConnectionsService_ReferencedPipelinesIter() {
	srv := newInstillDemoServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.URL), connapi.WithBearerToken("instill_sk_example"))
	if err != nil {
		log.Fatal(err)
	}
	for id, err := range c.NamespaceConnections.ReferencedPipelinesIter(context.Background(), "acme", "existing", nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(id)
	}
	// Output:
	// support-bot
	// weekly-report
}

// ExampleIntegrationsService_Get reads the setup schema of an integration before
// creating a connection for it.
func ExampleIntegrationsService_Get() {
	srv := newInstillDemoServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.URL), connapi.WithBearerToken("instill_sk_example"))
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

// newInstillDemoServer is a tiny in-memory stand-in for the Instill AI
// connection endpoints, enough for the examples above. Pages hold one
// connection each, so ListIter follows a page token.
func newInstillDemoServer() *httptest.Server {
	var mu sync.Mutex
	conns := map[string]map[string]any{
		"existing": {"id": "existing", "integrationId": "openai", "method": "METHOD_DICTIONARY", "setup": map[string]any{"api-key": "sk-old"}},
	}
	view := func(c map[string]any, full bool) map[string]any {
		out := map[string]any{"uid": "uid-" + c["id"].(string), "namespaceId": "acme", "integrationTitle": "OpenAI",
			"view": "VIEW_BASIC", "createTime": "2024-10-01T07:55:03Z", "updateTime": "2024-10-01T07:55:03Z"}
		for _, k := range []string{"id", "integrationId", "method"} {
			out[k] = c[k]
		}
		if full {
			redacted := map[string]any{}
			for k := range c["setup"].(map[string]any) {
				redacted[k] = "*****"
			}
			out["setup"], out["view"] = redacted, "VIEW_FULL"
		}
		return out
	}
	reply := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	notFound := func(w http.ResponseWriter) {
		reply(w, http.StatusNotFound, map[string]any{"code": 5, "message": "connection not found", "details": []any{}})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1beta/namespaces/acme/connections", func(w http.ResponseWriter, r *http.Request) {
		var c map[string]any
		if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
			reply(w, http.StatusBadRequest, map[string]any{"code": 3, "message": err.Error()})
			return
		}
		mu.Lock()
		conns[c["id"].(string)] = c
		mu.Unlock()
		reply(w, http.StatusOK, map[string]any{"connection": view(c, true)})
	})
	mux.HandleFunc("GET /v1beta/namespaces/acme/connections", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		ids := slices.Sorted(maps.Keys(conns))
		i, _ := strconv.Atoi(r.URL.Query().Get("pageToken"))
		page := map[string]any{"connections": []any{}, "totalSize": len(ids)}
		if i < len(ids) {
			page["connections"] = []any{view(conns[ids[i]], false)}
		}
		if i+1 < len(ids) {
			page["nextPageToken"] = strconv.Itoa(i + 1)
		}
		reply(w, http.StatusOK, page)
	})
	mux.HandleFunc("/v1beta/namespaces/acme/connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		c, ok := conns[r.PathValue("id")]
		if !ok {
			notFound(w)
			return
		}
		switch r.Method {
		case http.MethodGet:
			reply(w, http.StatusOK, map[string]any{"connection": view(c, r.URL.Query().Get("view") == "VIEW_FULL")})
		case http.MethodPatch:
			var patch map[string]any
			_ = json.NewDecoder(r.Body).Decode(&patch)
			for k, v := range patch {
				c[k] = v
			}
			reply(w, http.StatusOK, map[string]any{"connection": view(c, true)})
		case http.MethodDelete:
			delete(conns, r.PathValue("id"))
			reply(w, http.StatusOK, map[string]any{})
		}
	})
	mux.HandleFunc("POST /v1beta/namespaces/acme/connections/{id}/test", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		_, ok := conns[r.PathValue("id")]
		mu.Unlock()
		if !ok {
			notFound(w)
			return
		}
		reply(w, http.StatusOK, map[string]any{})
	})
	mux.HandleFunc("GET /v1beta/namespaces/acme/connections/{id}/referenced-pipelines", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, map[string]any{"pipelineIds": []string{"support-bot", "weekly-report"}, "totalSize": 2})
	})
	mux.HandleFunc("GET /v1beta/integrations/openai", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, map[string]any{"integration": map[string]any{
			"id": "openai", "title": "OpenAI", "vendor": "OpenAI", "view": "VIEW_FULL",
			"setupSchema": map[string]any{"type": "object", "required": []string{"api-key"}},
		}})
	})
	return httptest.NewServer(mux)
}
