package connapi_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"time"

	"golang.org/x/oauth2"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
)

// tracingTransport is a RoundTripper of the program's own: it adds a header to every
// request and prints each round trip. It sees every attempt, retries included, and
// every request as sent, credential headers included: log no header from here.
type tracingTransport struct {
	next http.RoundTripper
}

func (t *tracingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context()) // a RoundTripper must not change the request it is given
	r.Header.Set("X-Team", "billing")
	resp, err := t.next.RoundTrip(r) // a tracer would start and end a span around this
	if err != nil {
		fmt.Printf("%s %s: %v\n", r.Method, r.URL.Path, err)
		return nil, err
	}
	fmt.Printf("%s %s -> %d\n", r.Method, r.URL.Path, resp.StatusCode)
	return resp, nil
}

// WithHTTPClient takes the program's *http.Client, copied (never modified). Its
// Transport is where headers of the program's own, tracing and metrics go: the
// client puts its credentials and retries around it, so the transport sees each
// attempt. Here the first attempt gets a 503 and the second succeeds.
func ExampleWithHTTPClient() {
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/v0/core/connection",
		Sequence: []connapitest.Fault{connapitest.Status(503)}})

	hc := &http.Client{
		Transport: &tracingTransport{next: srv.Client().Transport}, // http.DefaultTransport, say
		Timeout:   30 * time.Second,
	}
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.OpenIntURL()),
		connapi.WithAPIKey(srv.APIKey()),
		connapi.WithHTTPClient(hc),
		connapi.WithRetryWait(0, time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}

	conns, _, err := c.CoreConnections.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	reqs := srv.Requests()
	fmt.Println(len(conns), "connections; the server saw X-Team:", reqs[len(reqs)-1].Header.Get("X-Team"))
	// Output:
	// GET /v0/core/connection -> 503
	// GET /v0/core/connection -> 200
	// 2 connections; the server saw X-Team: billing
}

// WithLogger sends the client's records to a *slog.Logger: at Debug one per
// attempt, at Info one per retry (its reason and wait), at Warn one per call that
// gives up a retry (retries exhausted, the retry budget spent, a Retry-After too
// long). They name the operation by its name and path template, never the
// filled-in path; headers, bodies and query values are never logged, and the
// request id passes the call's redactor. The keys are listed in the package
// documentation ("Production"). Without WithLogger, nothing is logged anywhere.
func ExampleWithLogger() {
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/v0/core/connection",
		Sequence: []connapitest.Fault{connapitest.Status(503)}})

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug, // Info and Warn only, in production
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "connapi.duration" {
				return slog.Attr{} // left out to keep this example's output fixed
			}
			return a
		},
	}))
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.OpenIntURL()),
		connapi.WithAPIKey(srv.APIKey()),
		connapi.WithLogger(logger),
		connapi.WithRetryWait(0, 0),
	)
	if err != nil {
		log.Fatal(err)
	}

	if _, _, err := c.CoreConnections.List(context.Background(), &connapi.ListCoreConnectionsParams{Limit: 1}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// level=DEBUG msg="connapi: attempt" connapi.operation=CoreConnections.List connapi.platform=openint http.request.method=GET url.template=/core/connection connapi.attempt=1 http.response.status_code=503 connapi.request_id=5eed0000-0000-4000-8000-000000000001
	// level=INFO msg="connapi: retry" connapi.operation=CoreConnections.List connapi.platform=openint http.request.method=GET url.template=/core/connection connapi.attempt=1 connapi.retry.reason=503 connapi.retry.wait=0s connapi.retry.retry_after=false
	// level=DEBUG msg="connapi: attempt" connapi.operation=CoreConnections.List connapi.platform=openint http.request.method=GET url.template=/core/connection connapi.attempt=2 http.response.status_code=200 connapi.request_id=5eed0000-0000-4000-8000-000000000002
}

// OAuth2TokenSource plugs a golang.org/x/oauth2 TokenSource into the client. Here
// it comes from oauth2.Config's password grant at connapitest's RFC 6749 token
// endpoint; clientcredentials.Config.TokenSource, or any other, works the same
// way. The oauth2 source caches the token and refreshes it when it expires; the
// client asks it for the token on every attempt.
func ExampleOAuth2TokenSource() {
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()

	// x/oauth2 makes its token requests with the *http.Client in its context: give
	// it one with a timeout.
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	cfg := &oauth2.Config{
		ClientID: "acme-sync",
		Endpoint: oauth2.Endpoint{TokenURL: srv.OAuthTokenURL(), AuthStyle: oauth2.AuthStyleInParams},
	}
	tok, err := cfg.PasswordCredentialsToken(ctx, srv.Email(), srv.Password())
	if err != nil {
		log.Fatal(err)
	}

	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.StackAIURL()),
		connapi.WithTokenSource(connapi.OAuth2TokenSource(cfg.TokenSource(ctx, tok))),
	)
	if err != nil {
		log.Fatal(err)
	}

	conns, _, err := c.Connections.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, conn := range conns {
		fmt.Println(conn.Name)
	}
	// Output:
	// Seed connection 001
	// Seed connection 002
}
