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
	"strconv"
	"sync"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

// fakeOpenInt is a tiny in-memory stand-in for OpenInt's /v0/core/connection
// endpoints, so that the examples run offline and their output is checked.
type fakeOpenInt struct {
	mu    sync.Mutex
	next  int
	order []string
	conns map[string]*models.CoreConnection
}

func newFakeOpenInt() *httptest.Server {
	f := &fakeOpenInt{conns: map[string]*models.CoreConnection{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v0/core/connection", f.create)
	mux.HandleFunc("GET /v0/core/connection", f.list)
	mux.HandleFunc("GET /v0/core/connection/{id}", f.get)
	mux.HandleFunc("PATCH /v0/core/connection/{id}", f.patch)
	mux.HandleFunc("DELETE /v0/core/connection/{id}", f.delete)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Apikey") == "" && r.Header.Get("Authorization") == "" {
			replyOpenInt(w, http.StatusUnauthorized, map[string]string{"code": "UNAUTHORIZED", "message": "no credentials"})
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
}

func replyOpenInt(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeOpenInt) create(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ConnectorConfigID string          `json:"connectorConfigId"`
		CustomerID        string          `json:"customerId"`
		DisplayName       string          `json:"displayName"`
		Metadata          json.RawMessage `json:"metadata"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		replyOpenInt(w, http.StatusBadRequest, map[string]any{"code": "BAD_REQUEST", "message": err.Error()})
		return
	}
	f.next++
	id := "conn_" + strconv.Itoa(f.next)
	at := models.NewTimestamp(time.Date(2025, 3, 4, 10, 0, f.next, 0, time.UTC))
	f.conns[id] = &models.CoreConnection{
		ID: id, CreatedAt: at, UpdatedAt: at, ConnectorName: "hubspot",
		ConnectorConfigID: in.ConnectorConfigID, CustomerID: in.CustomerID,
		DisplayName: in.DisplayName, Metadata: in.Metadata,
		Standard: &models.CoreConnectionStandard{Status: models.CoreConnectionStatusHealthy},
	}
	f.order = append(f.order, id)
	replyOpenInt(w, http.StatusOK, id) // the bare id, as OpenInt answers
}

func (f *fakeOpenInt) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset := len(f.order), 0
	if s := q.Get("limit"); s != "" {
		limit, _ = strconv.Atoi(s)
	}
	if s := q.Get("offset"); s != "" {
		offset, _ = strconv.Atoi(s)
	}
	out := []*models.CoreConnection{}
	for i, id := range f.order {
		if i >= offset && len(out) < limit {
			out = append(out, f.conns[id])
		}
	}
	replyOpenInt(w, http.StatusOK, out) // a bare array, with no total
}

func (f *fakeOpenInt) get(w http.ResponseWriter, r *http.Request) {
	c, ok := f.conns[r.PathValue("id")]
	if !ok {
		replyOpenInt(w, http.StatusNotFound, map[string]string{"code": "NOT_FOUND", "message": "Connection not found"})
		return
	}
	withConfig := *c
	withConfig.ConnectorConfig = &models.CoreConnectionConnectorConfig{ID: c.ConnectorConfigID, OrgID: "org_1", ConnectorName: c.ConnectorName}
	replyOpenInt(w, http.StatusOK, withConfig)
}

func (f *fakeOpenInt) patch(w http.ResponseWriter, r *http.Request) {
	c, ok := f.conns[r.PathValue("id")]
	if !ok {
		replyOpenInt(w, http.StatusNotFound, map[string]string{"code": "NOT_FOUND", "message": "Connection not found"})
		return
	}
	var in struct {
		DisplayName *string        `json:"displayName"`
		Metadata    map[string]any `json:"metadata"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		replyOpenInt(w, http.StatusBadRequest, map[string]any{"code": "BAD_REQUEST", "message": err.Error()})
		return
	}
	if in.DisplayName != nil {
		c.DisplayName = *in.DisplayName
	}
	if in.Metadata != nil { // shallow merge, as OpenInt does
		merged := map[string]any{}
		_ = c.DecodeMetadata(&merged)
		maps.Copy(merged, in.Metadata)
		c.Metadata, _ = json.Marshal(merged)
	}
	replyOpenInt(w, http.StatusOK, c)
}

func (f *fakeOpenInt) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := f.conns[id]; !ok {
		replyOpenInt(w, http.StatusNotFound, map[string]string{"code": "NOT_FOUND", "message": "Connection not found"})
		return
	}
	delete(f.conns, id)
	for i, v := range f.order {
		if v == id {
			f.order = append(f.order[:i], f.order[i+1:]...)
			break
		}
	}
	replyOpenInt(w, http.StatusOK, struct{}{})
}

// This example walks a connection's life on OpenInt: create it, merge a key into its
// metadata, list the connections, and delete it. Against the real service the base
// URL is https://api.openint.dev/v0/ and the API key comes from your OpenInt console.
func ExampleCoreConnectionsService() {
	srv := newFakeOpenInt()
	defer srv.Close()

	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.URL+"/v0/"),   // https://api.openint.dev/v0/
		connapi.WithAPIKey("org_1:sk-secret"), // sent as x-apikey; no x-connection-id needed
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Create answers with the new id only.
	id, _, err := c.CoreConnections.Create(ctx, &connapi.CreateCoreConnectionRequest{
		ConnectorConfigID: "ccfg_hubspot",
		CustomerID:        models.Ptr("cus_42"),
		DisplayName:       models.Ptr("Acme CRM"),
		Metadata:          map[string]any{"team": "sales"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", id)

	// Metadata is shallow-merged: "team" stays, "stage" is added.
	conn, _, err := c.CoreConnections.Update(ctx, id, &connapi.UpdateCoreConnectionRequest{
		Metadata: map[string]any{"stage": "won"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("metadata", string(conn.Metadata))

	conns, _, err := c.CoreConnections.List(ctx, &connapi.ListCoreConnectionsParams{CustomerID: models.Ptr("cus_42"), Limit: 10})
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
	// created conn_1
	// metadata {"stage":"won","team":"sales"}
	// listed conn_1 hubspot healthy
	// after delete, not found: true
}

// ListIter walks every page: OpenInt returns bare arrays with no total, so the walk
// ends at the first page shorter than Limit.
func ExampleCoreConnectionsService_ListIter() {
	srv := newFakeOpenInt()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.URL+"/v0/"), connapi.WithAPIKey("org_1:sk-secret"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for range 3 {
		if _, _, err := c.CoreConnections.Create(ctx, &connapi.CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_hubspot"}); err != nil {
			log.Fatal(err)
		}
	}

	for conn, err := range c.CoreConnections.ListIter(ctx, &connapi.ListCoreConnectionsParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(conn.ID, conn.CreatedAt.Format(time.RFC3339))
	}
	// Output:
	// conn_1 2025-03-04T10:00:01Z
	// conn_2 2025-03-04T10:00:02Z
	// conn_3 2025-03-04T10:00:03Z
}

// CreateAndGet creates a connection and fetches the object, which carries the
// connector config it belongs to.
func ExampleCoreConnectionsService_CreateAndGet() {
	srv := newFakeOpenInt()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.URL+"/v0/"), connapi.WithAPIKey("org_1:sk-secret"))
	if err != nil {
		log.Fatal(err)
	}
	conn, _, err := c.CoreConnections.CreateAndGet(context.Background(),
		&connapi.CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_hubspot", DisplayName: models.Ptr("Acme CRM")}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn.ID, conn.DisplayName, conn.ConnectorConfig.OrgID)
	// Output:
	// conn_1 Acme CRM org_1
}
