package connapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/connapitest/testclient"
)

// A Client is built from options: the platform's base URL and one credential, then
// whatever retry, timeout and identification settings the program wants. Here the
// client talks to connapitest; a real program passes connapi.PipesHubBaseURL and
// reads its token from its own configuration (the SDK never reads the environment).
func ExampleNewClient() {
	srv := connapitest.NewServer()
	defer srv.Close()

	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.PipesHubURL()), // connapi.PipesHubBaseURL
		connapi.WithBearerToken(srv.Token()),   // os.Getenv("PIPESHUB_TOKEN"), say
		connapi.WithUserAgent("acme-sync/1.4"), // appended to connapi-go/<Version>
		connapi.WithMaxRetries(4),
		connapi.WithRetryWait(200*time.Millisecond, 5*time.Second),
		connapi.WithDefaultRequestOptions(connapi.WithRequestTimeout(10*time.Second)), // per attempt
	)
	if err != nil {
		log.Fatal(err)
	}

	reg, _, err := c.ConnectorInstances.Registry(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range reg.Connectors {
		fmt.Println(t.ConnectorType)
	}
	// Output:
	// GoogleDrive
	// Gmail
	// Confluence
	// Jira
	// Slack
}

// Every non-2xx response is an *APIError. errors.Is matches it against the sentinel
// of its status; errors.As gives the details the platform sent.
func ExampleAPIError() {
	srv := connapitest.NewServer()
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.PipesHubURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}

	_, _, err = c.ConnectorInstances.Get(context.Background(), "no-such-connector", nil)
	fmt.Println("not found:", errors.Is(err, connapi.ErrNotFound))

	var apiErr *connapi.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("status:", apiErr.StatusCode)
		fmt.Println("code:", apiErr.Code)
		fmt.Println("message:", apiErr.Message)
	}
	// Output:
	// not found: true
	// status: 404
	// code: HTTP_NOT_FOUND
	// message: Connector instance no-such-connector not found
}

// The client retries 429 and 503 answers (and, for idempotent requests, other
// transient failures) with backoff, honouring Retry-After up to its maximum wait.
// Response.Attempts says how many attempts a call took.
func Example_retries() {
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	defer srv.Close()
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.OpenIntURL()),
		connapi.WithAPIKey(srv.APIKey()),
		connapi.WithRetryWait(0, 2*time.Second), // no wait without Retry-After; at most 2s with it
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// The server answers the first list with 429 Too Many Requests, then normally.
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/v0/core/connection",
		Sequence: []connapitest.Fault{connapitest.RateLimited(0)}})
	conns, resp, err := c.CoreConnections.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(conns), "connections, attempts:", resp.Attempts)

	// A server that keeps failing: the first attempt and the default two retries,
	// then the last answer as an *APIError.
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/v0/core/connection/{id}",
		Fault: connapitest.Status(503)})
	_, resp, err = c.CoreConnections.Get(ctx, conns[0].ID, nil)
	fmt.Println("server error:", errors.Is(err, connapi.ErrServer), "attempts:", resp.Attempts)
	// Output:
	// 3 connections, attempts: 2
	// server error: true attempts: 3
}

// Test your own code against connapitest: seed it, inject faults, and check what
// your code sent with srv.Requests(), where credentials are redacted.
//
// testclient.New hands out a client for one platform of the fake: its base URL,
// connapi.WithPlatform and the credential the fake accepts. It lives in a package
// of its own, connapitest/testclient, because connapitest never imports the client
// (the client's own tests import connapitest). With the platform set, a call to
// another platform's service fails at once with ErrWrongPlatform, as it does
// against the vendors' URLs.
func Example_testing() {
	srv := connapitest.NewServer(connapitest.WithSeed(25)) // 25 objects per platform
	defer srv.Close()

	// Or PlatformStackAI, PlatformPipesHub, PlatformInstill.
	c, err := testclient.New(srv, connapi.PlatformOpenInt, connapi.WithRetryWait(0, time.Second))
	if err != nil {
		log.Fatal(err)
	}

	// Inject faults, deterministically: here one 503, then normal answers.
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/v0/core/connection",
		Sequence: []connapitest.Fault{connapitest.Status(503)}})

	// The code under test: count one customer's connections, five per page.
	n := 0
	for _, err := range c.CoreConnections.ListIter(context.Background(),
		&connapi.ListCoreConnectionsParams{CustomerID: connapi.Ptr("customer-1"), Limit: 5}) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "connections")

	// A call to another platform's service is refused before any request.
	_, _, err = c.ConnectorInstances.Get(context.Background(), "c1", nil)
	fmt.Println("wrong platform:", errors.Is(err, connapi.ErrWrongPlatform))

	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path+"?"+r.Query.Encode(), "x-apikey:", r.Header.Get("X-Apikey"))
	}
	// Output:
	// 9 connections
	// wrong platform: true
	// GET /v0/core/connection?customerId=customer-1&limit=5 x-apikey: REDACTED
	// GET /v0/core/connection?customerId=customer-1&limit=5 x-apikey: REDACTED
	// GET /v0/core/connection?customerId=customer-1&limit=5&offset=5 x-apikey: REDACTED
}
