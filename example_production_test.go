package connapi_test

import (
	"context"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"

	"golang.org/x/time/rate"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
)

// A Middleware wraps every call once, around all its attempts: here it adds a
// header to each and reports the call as the caller saw it. It names the operation
// by its path template; the filled-in path, with its IDs, is never shown to it.
func ExampleWithMiddleware() {
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/api/v1/connectors",
		Sequence: []connapitest.Fault{connapitest.Status(503)}})

	report := func(ctx context.Context, call *connapi.Call, next connapi.Invoker) (*connapi.Response, error) {
		call.Header().Set("X-Tenant", "acme")
		resp, err := next(ctx, call)
		op := call.Operation()
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		fmt.Printf("%s (%s %s): %d attempts, status %d, error %v\n",
			op.Name(), op.Method(), op.PathTemplate(), call.Attempts(), status, err)
		return resp, err
	}
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.PipesHubURL()),
		connapi.WithBearerToken(srv.Token()),
		connapi.WithRetryWait(0, 0),
		connapi.WithMiddleware(report),
	)
	if err != nil {
		log.Fatal(err)
	}
	page, _, err := c.ConnectorInstances.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	reqs := srv.Requests()
	fmt.Println(len(page.Connectors), "connectors; X-Tenant:", reqs[0].Header.Get("X-Tenant"), reqs[1].Header.Get("X-Tenant"))
	// Output:
	// ConnectorInstances.List (GET /connectors): 2 attempts, status 200, error <nil>
	// 2 connectors; X-Tenant: acme acme
}

// An Observer is told what happens inside the calls: here it counts attempts by
// outcome and retries by reason, as a metrics library of your own would.
func ExampleWithObserver() {
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/v0/core/connection",
		Sequence: []connapitest.Fault{connapitest.Status(503), connapitest.Status(502)}})

	var mu sync.Mutex
	counts := map[string]int{}
	count := func(key string) {
		mu.Lock()
		defer mu.Unlock()
		counts[key]++
	}
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.OpenIntURL()),
		connapi.WithAPIKey(srv.APIKey()),
		connapi.WithRetryWait(0, 0),
		connapi.WithObserver(connapi.Observer{
			AttemptEnd: func(_ context.Context, call *connapi.Call, a connapi.Attempt) {
				outcome := a.ErrorType
				if outcome == "" {
					outcome = "ok"
				}
				count(call.Operation().Name() + " attempt " + outcome)
			},
			Retry: func(_ context.Context, call *connapi.Call, r connapi.Retry) {
				count(call.Operation().Name() + " retry after " + r.Reason)
			},
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, _, err := c.CoreConnections.List(context.Background(), nil); err != nil {
		log.Fatal(err)
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(k, counts[k])
	}
	// Output:
	// CoreConnections.List attempt 502 1
	// CoreConnections.List attempt 503 1
	// CoreConnections.List attempt ok 1
	// CoreConnections.List retry after 502 1
	// CoreConnections.List retry after 503 1
}

// WithRateLimit makes every attempt wait for a token: at 20 requests a second,
// with bursts of one, three calls take at least 100 ms. Give several clients one
// limiter with WithRateLimiter.
func ExampleWithRateLimit() {
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.OpenIntURL()),
		connapi.WithAPIKey(srv.APIKey()),
		connapi.WithRateLimit(rate.Limit(20), 1),
	)
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	for range 3 {
		if _, _, err := c.CoreConnections.List(context.Background(), nil); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("3 calls; at least 100ms:", time.Since(start) >= 100*time.Millisecond)
	// Output:
	// 3 calls; at least 100ms: true
}

// WithRateLimitHeaders makes the client wait for the vendor's window to reset when
// its rate-limit headers say that nothing is left, instead of running into a 429.
// Here the fake allows two requests a second and sends X-RateLimit-* headers: the
// third call waits for the next second, and no call fails, without any retry.
func ExampleWithRateLimitHeaders() {
	srv := connapitest.NewServer(connapitest.WithSeed(1),
		connapitest.WithRateLimit(2, time.Second, connapitest.XRateLimitHeaders))
	defer srv.Close()
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.OpenIntURL()),
		connapi.WithAPIKey(srv.APIKey()),
		connapi.WithoutRetries(),
		connapi.WithRateLimitHeaders(),
	)
	if err != nil {
		log.Fatal(err)
	}
	for i := range 3 {
		_, resp, err := c.CoreConnections.List(context.Background(), nil)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("call %d: %d, remaining %s\n", i+1, resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
	// Output:
	// call 1: 200, remaining 1
	// call 2: 200, remaining 0
	// call 3: 200, remaining 1
}
