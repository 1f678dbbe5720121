package connapitest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/connapi/connapi-go/connapitest"
)

// Example lists seeded Stack AI connections with plain net/http.
func Example() {
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	defer srv.Close()

	req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.StackAIURL()+"connections?limit=2", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer func() { _ = resp.Body.Close() }()

	var conns []struct {
		Name       string `json:"name"`
		ProviderID string `json:"provider_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&conns); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode)
	for _, c := range conns {
		fmt.Println(c.Name, c.ProviderID)
	}
	// Output:
	// 200
	// Seed connection 001 gdrive
	// Seed connection 002 notion
}

// ExampleFaults makes the first two calls to an endpoint fail with 503, as a
// client's retry tests need.
func ExampleFaults() {
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	srv.Faults().Add(connapitest.Rule{
		Method:   "GET",
		Path:     "/v0/core/connection/{id}",
		Sequence: []connapitest.Fault{connapitest.Status(503), connapitest.Status(503)},
	})

	for range 3 {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.OpenIntURL()+"core/connection/conn_00000001", nil)
		req.Header.Set("x-apikey", srv.APIKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		_ = resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	fmt.Println(srv.RequestCount("GET", "/v0/core/connection/{id}"), "requests")
	// Output:
	// 503
	// 503
	// 200
	// 3 requests
}
