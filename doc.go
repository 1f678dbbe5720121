// Package connapi is a Go client for the connection-management APIs of hosted
// integration platforms: Stack AI connections (with OAuth, resources and RBAC),
// PipesHub connector instances, Instill AI namespace connections and OpenInt core
// connections.
//
// One Client talks to one platform: one base URL, one credential. Its services
// cover the four API families:
//
//	Stack AI:    c.Connections, c.OAuth, c.Resources, c.RBAC
//	PipesHub:    c.ConnectorInstances
//	Instill AI:  c.NamespaceConnections, c.Integrations
//	OpenInt:     c.CoreConnections
//
// Every method has one shape: a context first, then the path parameters as strings
// (outermost first), then one input, a Params or Request type (nil where nothing in it
// is required), then per-call RequestOptions. It returns (result, *Response, error),
// or (*Response, error) where the server's answer carries nothing to use: every
// Delete, and the writes the vendor answers with no content. The *Response is
// returned with errors too whenever the server answered, so the request id and status
// are always at hand. Optional fields take pointers: Ptr(v) makes one.
//
//	c, err := connapi.NewClient(
//		connapi.WithBaseURL(connapi.PipesHubBaseURL),
//		connapi.WithBearerToken(os.Getenv("PIPESHUB_TOKEN")),
//	)
//	if err != nil {
//		return err
//	}
//	inst, _, err := c.ConnectorInstances.Get(ctx, id, nil)
//
// # Platforms
//
// A Client knows the platform it talks to when its base URL is one of the vendor
// constants (StackAIBaseURL, PipesHubBaseURL, InstillBaseURL, OpenIntBaseURL: same
// scheme, host and path), or when WithPlatform names it, for a self-hosted or
// proxied deployment. Client.Platform reports it. A call to a service of another
// platform, c.ConnectorInstances.Get on an OpenInt client say, then fails before any
// I/O with an error that matches ErrWrongPlatform (a *WrongPlatformError naming
// the operation and both platforms); an …Iter method yields it once. Without that
// guard such a call would reach the server and come back as a 404, which a "delete
// it if it exists" script reads as "already gone". A client whose platform is
// unknown (any other base URL, without WithPlatform) calls every service as asked.
// Argument errors (ErrInvalidParams) are reported first.
//
//	c, err := connapi.NewClient(
//		connapi.WithBaseURL("https://pipeshub.internal.example/api/v1/"),
//		connapi.WithPlatform(connapi.PlatformPipesHub),
//		connapi.WithBearerToken(token),
//	)
//	_, err = c.CoreConnections.Delete(ctx, id, nil) // errors.Is(err, connapi.ErrWrongPlatform)
//
// Every endpoint is described by one Operation: its name ("ConnectorInstances.Get"),
// platform, HTTP method and path template as the vendor writes it
// ("/connectors/{connectorId}"). Operations lists them.
//
// # Authentication
//
// Credentials are options of NewClient, and the client never reads the environment
// on its own:
//
//   - WithBearerToken sends "Authorization: Bearer …" (Stack AI, PipesHub, Instill AI,
//     OpenInt customer tokens).
//   - WithAPIKey sends "x-apikey" and WithConnectionID sends "x-connection-id"
//     (OpenInt). OpenInt's spec asks for both together, but its core connection
//     endpoints need only the API key.
//   - WithTokenSource asks a TokenSource for a bearer token on every attempt, so a
//     refreshed token is used on retry. NewPasswordGrantTokenSource and
//     NewGoTrueTokenSource implement Stack AI's OAuth2 password grant;
//     OAuth2TokenSource adapts any golang.org/x/oauth2 TokenSource.
//
// Credentials are added by the transport, on each attempt, only to requests for the
// base URL's own scheme and host: a redirect to another host never carries
// Authorization, x-apikey or x-connection-id. Only a GET or HEAD follows a redirect
// to another origin (scheme, host or port); any other request fails there with an
// error matching ErrCrossOriginRedirect, which names the status and the target
// host, so a body never reaches another host. NewClient refuses to send credentials
// over plain http:// to a host other than loopback unless WithInsecureHTTP is given.
// No credential ever appears in an error string or a log record.
//
// Models and requests that carry credentials (OpenInt settings, Instill setup,
// PipesHub auth config, Stack AI provider data), the token source configs, the token
// sources and the Client print and log with those credentials shown as
// "[REDACTED]", under every fmt verb and in slog's handlers. json.Marshal is left
// faithful, so models round-trip: it is the one way to see the secrets.
//
// # Pagination
//
// List methods return one page with its metadata. Each has an …Iter twin that
// returns an iter.Seq2 over every item of every page:
//
//	for conn, err := range c.Connections.ListIter(ctx, &connapi.ListConnectionsParams{Limit: 100}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(conn.ConnectionID)
//	}
//
// The iterators are lazy (no request before the first step), restartable (ranging
// twice starts over), stop all I/O on break, yield an error once and then end, walk
// through empty pages while the server says there are more, and end with
// pagination.ErrPaginationStalled when the server would keep the walk going
// forever: a cursor or offset already used, a page already served (A, B, A, B),
// endless empty pages. Pages that overlap (a page repeating the items the page
// before ended with) have the repeated items dropped, so no item is yielded twice.
// The package documentation of pagination lists exactly what is detected. They
// start no goroutines. pagination.Collect and pagination.CollectN gather items into a slice.
// An iterator yields items only; when you need a page's *Response (its request id,
// or how many attempts it took), call the List method itself, page by page.
//
// # Errors
//
// Every response whose status is not 2xx becomes an *APIError with the status, the
// platform's code and message, field-level details, the request id, the Retry-After
// the server asked for, the number of attempts and the raw body (capped). It decodes
// the error bodies of all four platforms and of OAuth 2.0 token endpoints, and keeps
// plain-text and HTML error pages readable. It matches sentinels through errors.Is:
//
//	_, _, err := c.Connections.Get(ctx, id, nil)
//	switch {
//	case errors.Is(err, connapi.ErrNotFound):
//		// 404
//	case errors.Is(err, connapi.ErrRateLimited):
//		var apiErr *connapi.APIError
//		errors.As(err, &apiErr)
//		time.Sleep(apiErr.RetryAfter)
//	}
//
// Bad arguments are caught before any request is sent and return ErrInvalidParams.
// A 2xx response whose body cannot be used (not JSON, truncated, empty where a
// result is expected, larger than WithMaxResponseBytes) returns a *ResponseError. Network failures and context
// errors are returned wrapped, so errors.Is(err, context.DeadlineExceeded) works.
//
// Errors are redacted when they are built, so no secret of the call shows under
// any fmt verb (%v, %+v, %#v, %s, %q), nor in any error along the errors.Unwrap
// and errors.As chain, nor in Response.RequestID or a log record. The secrets are
// the client's credentials, the tokens a TokenSource handed out, the credential
// headers of the call, the credentials in its body, and its query values: in a URL
// every query value is replaced by REDACTED, the names kept; elsewhere (a server's
// echo) the values of parameters named like a credential (token, key, secret,
// code, state, session, …), every value given with WithQuery and every value of 8
// bytes or more are masked as [REDACTED]. Each is masked raw, query-escaped, path-escaped and JSON-escaped.
// A *url.Error in the chain is a copy with its URL redacted.
//
// # Retries
//
// Requests go through hashicorp/go-retryablehttp with our own policy; its logger is
// never used, and nothing is ever written to stderr.
//
//   - By default a request is retried twice (WithMaxRetries, WithoutRetries).
//   - Only the SDK repeats a request. net/http's Transport would re-send some
//     requests on its own (GETs, and any request with an Idempotency-Key header)
//     when a kept-alive connection fails after the request was written; the client
//     prevents that. WithoutRetries therefore means one request on the wire, and
//     Response.Attempts and APIError.Attempts count the requests that reached the
//     wire: what the server saw.
//   - 429 and 503 are retried for every method: the server refused before doing work.
//   - 408, 500, 502 and 504 are retried only for GET, HEAD, PUT, DELETE and OPTIONS,
//     or for a request carrying WithIdempotencyKey.
//   - A POST or PATCH without a key is retried after a network error only when the
//     request cannot have reached the server (no connection could be made), so a
//     write is never repeated blindly. A body that breaks off or times out half-way
//     counts as a network error after the request reached the server.
//   - Exchanges of a single-use OAuth code (OAuth.CreateFromCallback,
//     OAuth.UpdateFromCallback, ConnectorInstances.HandleOAuthCallback) go out at
//     most once, whatever their method and even with WithIdempotencyKey: they are
//     sent again only when no connection could be made. Any answer, even a 429, a
//     503 or a 401, ends the call.
//   - A server may send X-Should-Retry. "false" stops the retries of that call.
//     "true" lets a call that may be repeated (GET, HEAD, PUT, DELETE, OPTIONS, or
//     one with WithIdempotencyKey) be retried on a status that is not retried
//     otherwise, such as 409. It never makes the client send again a POST or PATCH
//     without a key, or a single-use exchange.
//   - A retry after a kept-alive connection failed goes out at once, on a new
//     connection.
//   - All the calls of a Client share a retry budget, a token bucket as in the AWS
//     SDK for Go v2: 500 tokens; a retry takes 5, or 10 after an attempt that
//     timed out; a call that succeeds at once puts 1 back, one that succeeds on a
//     retry puts back what that retry took. A retry that finds the bucket too low
//     is not made, and the call returns its last answer at once (the *APIError
//     with its *Response). During an outage the retries of all calls together thus
//     stay under 100 instead of multiplying the load. WithRetryBudget changes the
//     numbers, WithoutRetryBudget turns it off, and Client.RetryStats reports the
//     requests, retries and refusals so far.
//   - A 2xx response is never repeated, whatever its headers say.
//   - A 401 is retried once, at once, when the TokenSource can forget its token
//     (implements TokenInvalidator, as NewPasswordGrantTokenSource and
//     NewGoTrueTokenSource do): a revoked token is replaced without the caller's
//     help. The source is told which token was rejected and drops only that one,
//     so many calls rejected with the same token share one refresh.
//   - Retry-After (seconds or HTTP date) is honoured up to the maximum wait of
//     WithRetryWait. A server asking for a longer wait is not retried: the
//     *APIError comes back at once with RetryAfter set, for the caller to decide.
//     A value too large to represent counts as longer than any cap (RetryAfter is
//     then a year).
//   - Otherwise waits grow exponentially with jitter between the bounds of
//     WithRetryWait. Every wait ends at once when the context is cancelled. A
//     call whose context ends before the retry of an answer reaches the server
//     returns one error that matches both that answer's *APIError (errors.As)
//     and the context's error (errors.Is), and so does one whose context ends
//     just as an answer that is not retried (a 409, a 404) comes.
//   - After the last attempt the final response becomes the *APIError, body
//     included. Request bodies are replayed on every attempt.
//   - A DELETE whose attempt failed after the server may have applied it (a
//     network failure after the request was sent, a 500, 502 or 504, a body cut
//     off) is retried; if the retry gets 404, the object is gone as asked, so the
//     call succeeds with Response.AlreadyApplied set instead of returning
//     ErrNotFound. A 404 with no such failure before it is ErrNotFound.
//   - Any other failed call that changes state, when one of its attempts failed
//     that way, returns an error that also matches ErrMaybeApplied: whatever the
//     last attempt got (a 409, a 429, a refused redirect, a timeout), the change
//     may have happened, so read the object before repeating the call. So does
//     one whose context ends after its request may have reached the server,
//     before an answer refusing it was read (the error matches the context's
//     error too). No error means it happened; ErrMaybeApplied, it may have; any
//     other error, it did not.
//
// WithRequestTimeout bounds each attempt; the context bounds the whole call. The
// default HTTP client has no overall timeout, so give calls a context deadline, or
// pass WithHTTPClient(&http.Client{Timeout: …}).
//
// # Production
//
// Five things help to run the client in a service: middleware around every call,
// observers of its attempts and retries, traces and metrics (OpenTelemetry), logs,
// and client-side rate limits. None of them costs anything when it is not set: a
// call allocates exactly what it would without them (BenchmarkCallOverhead).
//
// Middleware. WithMiddleware wraps every call, once, around all its attempts and
// retries, after the arguments were checked. A Middleware sees the Call: its
// Operation (name "ConnectorInstances.Get", platform, HTTP method, path template
// "/connectors/{connectorId}", never the filled-in path), and after next returns
// its attempts, the final *Response and the error. It can add headers
// (Call.Header), pass a context of its own on, or short-circuit: return an error,
// or a response that the client then handles as the server's (a cache, a circuit
// breaker). What concerns one attempt, one request on the wire, belongs to an
// http.RoundTripper given with WithHTTPClient; use a Middleware for what concerns
// the call as the caller sees it (timing, accounting, per-tenant headers).
//
// Observers. What happens inside a call, where a middleware cannot look, is
// reported to the Observers of WithObserver: the start and end of each attempt
// (with its status or error class, and its duration), each retry (its reason and
// its wait, Retry-After or backoff) and each give-up (retries exhausted, the retry
// budget spent, a Retry-After longer than the maximum wait, the context ended
// during the wait). Logs and the OpenTelemetry module are built on them, and so
// can metrics of your own.
//
// Traces and metrics. Module github.com/connapi/connapi-go/otel (package
// otelconnapi) installs a Middleware and an Observer: each call gets a span named
// after its operation, with a child span per attempt whose trace context goes out
// in the request's headers (the propagator is configurable, or off), and the
// client records http.client.request.duration per attempt, calls by operation and
// outcome, retries by reason, the time spent waiting (Retry-After, backoff, rate
// limits) and give-ups. It is a module of its own, so a program that does not use
// it downloads no OpenTelemetry.
//
//	tel, err := otelconnapi.New() // the global tracer and meter providers
//	…
//	c, err := connapi.NewClient(connapi.WithBaseURL(connapi.PipesHubBaseURL),
//		connapi.WithBearerToken(token), connapi.WithMiddleware(tel.Middleware),
//		connapi.WithObserver(tel.Observer()))
//
// Logs. WithLogger sends, at Debug, one record per attempt ("connapi: attempt"); at
// Info, one per retry ("connapi: retry"); at Warn, one per call that gives up
// retrying ("connapi: gave up"). The attribute keys are one scheme, shared with
// the OpenTelemetry module's spans and metrics: OpenTelemetry's semantic
// conventions where they name the thing, "connapi." keys for the rest:
//
//	connapi.operation          operation name: "ConnectorInstances.Get"
//	connapi.platform           stackai, pipeshub, instill, openint (unknown without one)
//	http.request.method        "GET"
//	url.template               the vendor's path template: "/connectors/{connectorId}"
//	connapi.attempt            the attempt's number in its call, from 1
//	http.response.status_code  the attempt's status (none without an answer)
//	error.type                 a status of 400 or more ("503"), or the class of a failure without one:
//	                           timeout, canceled, dns, dial, connection_reset, connection_closed,
//	                           cross_origin_redirect, token_source, rate_limit_wait, response_too_large, _OTHER
//	connapi.duration           how long the attempt took (Debug)
//	connapi.request_id         the server's request id, redacted (when it sent one)
//	connapi.retry.reason       why the attempt is retried: an error.type value (Info)
//	connapi.retry.wait         the wait before the retry (Info)
//	connapi.retry.retry_after  true when the wait is the server's Retry-After (Info)
//	connapi.give_up.reason     retries_exhausted, retry_budget, retry_after_too_long, context (Warn)
//
// No record holds a secret, an ID or a filled-in path; the request id passes the
// call's redactor, lazily (a slog.LogValuer), when the handler writes the record.
//
// Rate limits. WithRateLimit(limit, burst) makes every attempt, retries included,
// wait for a token of a golang.org/x/time/rate limiter; WithRateLimiter shares one
// limiter between clients (one vendor account, several credentials). The wait
// ends with the call's context, and a call whose deadline would pass before its
// turn fails at once (context.DeadlineExceeded) without a request.
// WithRateLimitHeaders makes the client read the vendor's rate-limit headers
// (X-RateLimit-Remaining and -Reset, or the IETF draft's RateLimit-Remaining and
// -Reset, or RateLimit) and, when the window is used up, hold every attempt until
// it resets, instead of running into 429s.
//
// # Testing
//
// Package connapitest is an in-memory, stateful fake of all four platforms, served
// on loopback, with fault injection (status sequences, 429 with Retry-After,
// latency, resets, truncated and invalid bodies) and a request log. Point a client at
// it to test code that uses this SDK without an account or a network:
//
//	srv := connapitest.NewServer()
//	defer srv.Close()
//	c, _ := testclient.New(srv, connapi.PlatformPipesHub)
//
// Package connapitest/testclient hands out a client per platform of the fake (its
// URL, WithPlatform and the credential the fake accepts). It is a package of its
// own because connapitest never imports the client. Since the fake serves Stack AI
// and Instill AI under one URL, a client built from the URL alone has no platform
// and so no ErrWrongPlatform guard.
//
// To mock the SDK itself, declare a small interface in your own code with just the
// methods you call (for example Get of ConnectorInstancesService) and let the real
// service satisfy it. For transport-level tests, WithHTTPClient accepts any
// *http.Client, such as one over an httptest server or an httpmock transport.
package connapi
