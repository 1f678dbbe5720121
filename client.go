package connapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/connapi/connapi-go/internal/jsonenc"
	"github.com/connapi/connapi-go/pagination"
	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// Version is the SDK's version, sent in the User-Agent.
const Version = "0.1.0"

// Client talks to one platform: one base URL, one credential. Its services cover
// the four API families; when the client knows its platform (Platform), a call to
// a service of another platform fails with ErrWrongPlatform before any I/O. A
// Client is safe for concurrent use. Build one with NewClient.
type Client struct {
	baseURL          string   // absolute, ends in "/"
	base             *url.URL // baseURL parsed, once
	basePath         string   // base's escaped path, ends in "/"
	rc               *retryablehttp.Client
	transport        http.RoundTripper // the transport under the auth layer
	retryWaitMax     time.Duration
	maxResponseBytes int64
	defaultReqOpts   []RequestOption
	secrets          []string // static credentials, redacted from errors
	bearer           string
	apiKey           string
	connectionID     string
	tokenSource      TokenSource
	platform         Platform

	// waitHook, when set (tests only), replaces the computed wait between attempts.
	waitHook func(time.Duration) time.Duration

	budget *retryBudget // nil: retries are not limited across calls
	stats  clientStats

	// invoke runs a call through the middleware (WithMiddleware) to send; nil
	// without middleware, when do calls send itself.
	invoke Invoker
	// observers are told of attempts, retries and give-ups (WithObserver, and
	// the logger's); none by default.
	observers []Observer
	// limiter (WithRateLimit, WithRateLimiter) and serverLimit
	// (WithRateLimitHeaders) make attempts wait their turn; nil by default.
	limiter     *rate.Limiter
	serverLimit *serverLimit
	// clk is the clock of the rate-limit waits; nil is the real one (tests only).
	clk clock

	// The values of the headers every request carries, made once and shared by
	// the requests (net/http never modifies a request's header values, and
	// neither does the SDK: it replaces them).
	hdrUserAgent, hdrBearer, hdrAPIKey, hdrConnectionID []string
	// onResponse is the response handler of every request: it reads the
	// answer of an attempt into its call's buffer, inside the attempt.
	onResponse retryablehttp.ResponseHandlerFunc

	common service

	// Stack AI.
	Connections *ConnectionsService
	OAuth       *OAuthService
	Resources   *ResourcesService
	RBAC        *RBACService
	// PipesHub.
	ConnectorInstances *ConnectorInstancesService
	// Instill AI.
	NamespaceConnections *NamespaceConnectionsService
	Integrations         *IntegrationsService
	// OpenInt.
	CoreConnections *CoreConnectionsService
}

type service struct{ client *Client }

// ConnectionsService manages Stack AI connections (/connections, /api/v1/connections).
type ConnectionsService service

// OAuthService runs Stack AI's OAuth flow for connections (/connections/oauth/*).
type OAuthService service

// ResourcesService browses the files and folders behind a Stack AI connection
// (/connections/{id}/resources*).
type ResourcesService service

// RBACService governs who may use a Stack AI connection
// (/api/v1/connections/{id}/rbac, …/organization-role).
type RBACService service

// ConnectorInstancesService manages PipesHub connector instances (/connectors…).
type ConnectorInstancesService service

// NamespaceConnectionsService manages Instill AI namespace connections
// (/v1beta/namespaces/{ns}/connections…).
type NamespaceConnectionsService service

// IntegrationsService lists the Instill AI integrations a connection can use
// (/v1beta/integrations…).
type IntegrationsService service

// CoreConnectionsService manages OpenInt core connections (/core/connection…).
type CoreConnectionsService service

// Response is returned with every result, and with every error for which a response
// was received. The body has already been read and closed.
type Response struct {
	*http.Response
	// RequestID is the server's request id (X-Request-Id or similar), for support.
	RequestID string
	// Attempts is how many of the call's attempts (its first request and its
	// retries) may have reached the server: each counts once its request was
	// handed to a connection, unless net/http's Transport then found that not a
	// byte of it had been written (a kept-alive connection the server had
	// closed) — such a request reached nobody, and the Transport's own re-send of
	// it on a new connection is the same attempt. A followed redirect is part of
	// its attempt. An attempt that never got a connection (a dial error, a rate
	// limit or TokenSource failure, a context that had ended) is not counted. So
	// Attempts equals the requests the server received, except that a request
	// written into a connection the server had already given up on counts,
	// though the server never read it: the client cannot tell it from one the
	// server read before the connection broke.
	Attempts int
	// AlreadyApplied is set on a DELETE that succeeded although its last attempt
	// got 404: an earlier attempt failed in a way that leaves open whether the
	// server applied it (a network failure after the request was sent, a 500, 502
	// or 504, a body cut off), and the retry found the object gone. The delete is
	// then taken as done: the error is nil, the method's result is its zero value,
	// and StatusCode is the last attempt's 404.
	AlreadyApplied bool
}

// NewClient returns a Client configured by opts. WithBaseURL is required. It never
// reads the environment and never panics: a bad option value is returned as an error.
func NewClient(opts ...Option) (*Client, error) {
	cfg := clientConfig{
		maxRetries:       DefaultMaxRetries,
		retryWaitMin:     DefaultRetryWaitMin,
		retryWaitMax:     DefaultRetryWaitMax,
		maxResponseBytes: DefaultMaxResponseBytes,
	}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("connapi: NewClient: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("connapi: NewClient: %w", err)
		}
	}
	base, err := normalizeBaseURL(cfg.baseURL, cfg.baseURLSet)
	if err != nil {
		return nil, fmt.Errorf("connapi: NewClient: %w", err)
	}
	platform, err := resolvePlatform(base, cfg.platform)
	if err != nil {
		return nil, fmt.Errorf("connapi: NewClient: %w", err)
	}
	if cfg.bearer != "" && cfg.tokenSource != nil {
		return nil, errors.New("connapi: NewClient: WithBearerToken and WithTokenSource are exclusive")
	}
	hasCreds := cfg.bearer != "" || cfg.apiKey != "" || cfg.connectionID != "" || cfg.tokenSource != nil
	if hasCreds && base.Scheme == "http" && !isLoopbackHost(base.Hostname()) && !cfg.allowInsecure {
		return nil, fmt.Errorf("connapi: NewClient: refusing to send credentials over plain http to %s; use https, or WithInsecureHTTP to accept the risk", base.Host)
	}

	hc := cfg.httpClient
	if hc == nil {
		hc = &http.Client{}
	}
	inner := hc.Transport
	if inner == nil {
		t := cleanhttp.DefaultPooledTransport()
		t.MaxIdleConnsPerHost = max(runtime.GOMAXPROCS(0)+1, DefaultMaxIdleConnsPerHost)
		t.MaxIdleConns = max(t.MaxIdleConns, t.MaxIdleConnsPerHost)
		inner = t
	}
	ua := "connapi-go/" + Version
	if cfg.userAgent != "" {
		ua += " " + cfg.userAgent
	}
	_, traces := inner.(*http.Transport)
	transport := &authTransport{base: inner, traces: traces, scheme: base.Scheme, host: base.Host}
	hc.Transport = transport
	hc.CheckRedirect = checkRedirect(hc.CheckRedirect)

	c := &Client{
		baseURL:          base.String(),
		base:             base,
		basePath:         base.EscapedPath(),
		transport:        inner,
		retryWaitMax:     cfg.retryWaitMax,
		maxResponseBytes: cfg.maxResponseBytes,
		defaultReqOpts:   cfg.defaultReqOpts,
		hdrUserAgent:     []string{ua},
		bearer:           cfg.bearer,
		apiKey:           cfg.apiKey,
		connectionID:     cfg.connectionID,
		tokenSource:      cfg.tokenSource,
		platform:         platform,
	}
	if !cfg.noBudget {
		c.budget = newRetryBudget(cfg.budget)
	}
	c.limiter = cfg.limiter
	if cfg.rateLimitHeaders {
		c.serverLimit = &serverLimit{}
	}
	if cfg.logger != nil {
		c.observers = append(c.observers, logObserver(c, cfg.logger))
	}
	c.observers = append(c.observers, cfg.observers...)
	if len(cfg.middleware) > 0 {
		c.invoke = chainMiddleware(cfg.middleware, c.send)
	}
	for _, s := range []string{cfg.bearer, cfg.apiKey, cfg.connectionID} {
		if s != "" {
			c.secrets = append(c.secrets, s)
		}
	}
	if c.bearer != "" {
		c.hdrBearer = []string{"Bearer " + c.bearer}
	}
	if c.apiKey != "" {
		c.hdrAPIKey = []string{c.apiKey}
	}
	if c.connectionID != "" {
		c.hdrConnectionID = []string{c.connectionID}
	}
	c.onResponse = c.readAttempt
	transport.client = c
	c.rc = &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil, // retryablehttp's own logger writes to stderr
		RetryWaitMin: cfg.retryWaitMin,
		RetryWaitMax: cfg.retryWaitMax,
		RetryMax:     cfg.maxRetries,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	c.rc.RequestLogHook = c.prepareAttempt
	c.common.client = c
	c.Connections = (*ConnectionsService)(&c.common)
	c.OAuth = (*OAuthService)(&c.common)
	c.Resources = (*ResourcesService)(&c.common)
	c.RBAC = (*RBACService)(&c.common)
	c.ConnectorInstances = (*ConnectorInstancesService)(&c.common)
	c.NamespaceConnections = (*NamespaceConnectionsService)(&c.common)
	c.Integrations = (*IntegrationsService)(&c.common)
	c.CoreConnections = (*CoreConnectionsService)(&c.common)
	return c, nil
}

func normalizeBaseURL(raw string, set bool) (*url.URL, error) {
	if !set || strings.TrimSpace(raw) == "" {
		return nil, errors.New("a base URL is required (WithBaseURL)")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("bad base URL: %w", redactParseError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base URL must be http or https, not %q", u.Scheme)
	}
	if u.Host == "" {
		return nil, errors.New("base URL has no host")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("base URL must not have a query or fragment")
	}
	if u.User != nil {
		return nil, errors.New("base URL must not carry user info; use a credential option")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// redactParseError keeps url.Parse's reason but drops the URL, which may hold secrets.
func redactParseError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// BaseURL returns the base URL requests are resolved against, with a trailing slash.
func (c *Client) BaseURL() string { return c.baseURL }

// CloseIdleConnections closes the idle keep-alive connections of the client's
// transport. Failed requests never do this on their own, so a pool shared with other
// clients stays warm.
func (c *Client) CloseIdleConnections() {
	if ci, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// pathParam validates one path parameter and returns it escaped: it must be
// non-empty, and neither "." nor "..", which would change the path's meaning.
func pathParam(op, name, value string) (string, error) {
	switch strings.TrimSpace(value) {
	case "":
		return "", invalidParams(op, "%s is required", name)
	case ".", "..":
		return "", invalidParams(op, "%s must not be %q", name, value)
	}
	return url.PathEscape(value), nil
}

// errSeq returns an iterator that yields err once: the …Iter methods report bad
// arguments this way, before any request.
func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// walk is pagination.Items with a nil context reported as ErrInvalidParams, like
// every other argument error of the …Iter methods; popts come from
// Client.pageOptions.
func walk[T any, C comparable](ctx context.Context, start C, fetch pagination.FetchFunc[T, C], popts ...pagination.Option) iter.Seq2[T, error] {
	if ctx == nil {
		return errSeq[T](invalidParams("iterator", "nil context"))
	}
	return pagination.Items(ctx, start, fetch, popts...)
}

// bufPool recycles the buffers response bodies are read into.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// rawBody, passed as the out argument of do, receives the body bytes undecoded.
type rawBody struct {
	data        []byte
	contentType string
}

// do sends one call of op: op's method to path (op's path template filled in,
// relative to the base URL, already escaped), with q as query parameters (a struct
// with url tags, url.Values, or nil) and in as a JSON body (nil for none;
// json.RawMessage or []byte are sent as they are). A 2xx body is decoded into out
// (nil to discard, *rawBody for the bytes); any other status becomes an *APIError.
// A call of another platform's op is refused here, before any I/O. The call then
// goes through the client's middleware, if any, to send.
func (c *Client) do(ctx context.Context, op *Operation, path string, q any, in any, out any, opts []RequestOption) (*Response, error) {
	method := op.method
	if ctx == nil {
		return nil, invalidParams(method+" "+path, "nil context")
	}
	if err := c.checkPlatform(op); err != nil {
		return nil, err
	}
	// One allocation holds the call's state, its request and its URL.
	st := &callState{op: op, method: method, stats: &c.stats}
	rc := &st.rc
	for _, o := range c.defaultReqOpts {
		o(rc)
	}
	for _, o := range opts {
		if o != nil {
			o(rc)
		}
	}
	if rc.header != nil || rc.idempotencyKey != "" {
		if err := rc.checkHeaders(); err != nil {
			return nil, invalidParams(method+" "+path, "%v", err)
		}
	}
	if err := c.buildURL(&st.u, path, q, rc.query, &st.scratch); err != nil {
		return nil, fmt.Errorf("connapi: %s %s: %w", method, path, err)
	}
	st.url = &st.u
	displayPath := st.u.EscapedPath()

	if in != nil {
		b, err := encodeJSON(in)
		if err != nil {
			return nil, fmt.Errorf("connapi: %s %s: encoding request body: %w", method, displayPath, err)
		}
		st.body = b
		st.hasBody = true
	}

	st.displayPath = displayPath
	st.header = rc.header
	st.extraQuery = rc.query
	st.out = out
	st.idempotencyKey = rc.idempotencyKey
	st.idempotent = (isIdempotentMethod(method) || rc.idempotencyKey != "") && !rc.notIdempotent
	st.oneShot = rc.notIdempotent
	st.timeout = rc.timeout
	st.noRedirect = rc.noRedirect
	st.allowEmpty = rc.allowEmpty
	st.call.st = st
	if c.invoke == nil {
		return c.send(ctx, &st.call)
	}
	resp, err := c.invoke(ctx, &st.call)
	if err != nil {
		return resp, err
	}
	// Whether it called next or not, a middleware returns a response or an
	// error: a caller (and the methods that read the response) never gets a nil
	// *Response with a nil error.
	if resp == nil || resp.Response == nil {
		return nil, fmt.Errorf("connapi: %s: a middleware returned neither a response nor an error", op.name)
	}
	if st.sent {
		return resp, nil
	}
	// A middleware answered in the server's place.
	buf := bufPool.Get().(*bytes.Buffer)
	defer putBuf(buf)
	buf.Reset()
	readErr := c.readBody(st, buf, resp.Response)
	resp.Response.Body = http.NoBody
	return c.finish(st, resp, buf, readErr)
}

// send is the end of every call's Invoker chain: the request, its attempts and
// retries, and the answer read and decoded into the call's result.
func (c *Client) send(ctx context.Context, call *Call) (*Response, error) {
	if call == nil || call.st == nil {
		return nil, errors.New("connapi: an Invoker was given no call")
	}
	st := call.st
	if ctx == nil {
		return nil, invalidParams(st.op.name, "a middleware passed a nil context to next")
	}
	if st.sent {
		return nil, fmt.Errorf("connapi: %s: a middleware called next more than once", st.op.name)
	}
	st.sent = true
	method, displayPath := st.method, st.displayPath
	st.callerAuth = st.header.Get(headerAuthorization) != ""

	req := c.newRequest(ctx, st)
	st.rreq.Request = req
	st.rreq.SetResponseHandler(c.onResponse)

	buf := bufPool.Get().(*bytes.Buffer)
	defer putBuf(buf)
	// The final response of an attempt is read inside the attempt (readAttempt),
	// so a body that breaks off or times out is retried like any other network
	// failure (for the methods that may be retried), and the per-attempt timeout
	// covers the body.
	st.buf = buf
	defer func() { st.buf = nil }()

	httpResp, err := c.rc.Do(&st.rreq) //nolint:bodyclose // closed below on every path, or handed to the caller drained
	if st.retryPending {
		// The last retry decided never reached the transport: it was not made.
		st.retryPending = false
		c.budget.give(st.retryCost)
		st.retryCost = 0
	}
	if err != nil {
		if resp, err, ok := c.endedBeforeRetry(ctx, st, err); ok {
			return resp, err
		}
		if resp, err, ok := c.endedWithAnswer(ctx, st, httpResp); ok {
			return resp, err
		}
	}
	attempts := st.attempts()
	if err != nil && (httpResp == nil || !isBodyError(err)) {
		var resp *Response
		if httpResp == nil {
			httpResp = st.lastResp
		}
		if httpResp != nil {
			// The server's last answer still tells the caller what happened, for
			// instance when the call ended while waiting to retry.
			drainClose(httpResp.Body)
			httpResp.Body = http.NoBody
			resp = &Response{Response: httpResp, RequestID: c.requestID(st, httpResp.Header), Attempts: attempts}
		}
		err = ctxError(ctx, err)
		if httpResp != nil && ctx.Err() != nil {
			err = &lastResponse{err: err, status: httpResp.StatusCode}
		}
		return resp, st.maybeApplied(newTransportErr(method, displayPath, err, c.redactorFor(st)))
	}
	resp := &Response{Response: httpResp, RequestID: c.requestID(st, httpResp.Header), Attempts: attempts}
	readErr := st.readErr
	if st.readFor != httpResp { // retries ran out on a retryable status: the handler never ran
		buf.Reset()
		readErr = c.readBody(st, buf, httpResp)
	}
	if readErr != nil && (errors.Is(readErr, context.Canceled) || errors.Is(readErr, context.DeadlineExceeded)) {
		readErr = &bodyError{err: readErr}
	}
	return c.finish(st, resp, buf, readErr)
}

// isBodyError reports whether err is a failure to read an attempt's body.
func isBodyError(err error) bool {
	var be *bodyError
	return errors.As(err, &be)
}

// newRequest returns the first attempt's request of st, called with ctx, as
// http.NewRequestWithContext(st, …) would make it, without parsing the URL
// again: st.u is already built. Its context is the call state with the trace
// that counts the requests on the wire (the transport takes the trace off a
// redirect's request). The headers are set once for all attempts;
// prepareAttempt gives each attempt its own body.
func (c *Client) newRequest(ctx context.Context, st *callState) *http.Request {
	// The call state is the context of its requests: the transport, the retry
	// policy and the response handler find it there, without a context value.
	st.Context = ctx
	h := make(http.Header, 4+len(st.header))
	h["User-Agent"] = c.hdrUserAgent
	h["Accept"] = hdrAcceptJSON
	if st.hasBody {
		h["Content-Type"] = hdrContentTypeJSON
	}
	for k, v := range st.header {
		h[k] = v
	}
	if st.idempotencyKey != "" {
		h[headerIdempotency] = []string{st.idempotencyKey}
	}
	c.setStaticCredentials(h)
	r := http.Request{
		Method:     st.method,
		URL:        &st.u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       st.u.Host,
	}
	if st.hasBody {
		r.ContentLength = int64(len(st.body))
		body := st.body
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return r.WithContext(st.traced(st)) //nolint:contextcheck // st is ctx, with the call's state

}

// The values of the headers that do not depend on the client.
var (
	hdrAcceptJSON      = []string{"application/json"}
	hdrContentTypeJSON = []string{"application/json"}
)

// readAttempt is the response handler of every request (Client.onResponse):
// it reads the answer of the call's attempt into the call's buffer. A failed
// read is returned as a *bodyError, which the retry policy treats as a network
// failure.
func (c *Client) readAttempt(r *http.Response) error {
	var st *callState
	if r.Request != nil {
		st = stateFrom(r.Request.Context())
	}
	if st == nil || st.buf == nil {
		return nil // send reads it after the attempts
	}
	if st.readFor != r { // else the retry policy read it before its wait (keepAnswer)
		st.buf.Reset()
		st.readFor = r
		st.readErr = c.readBody(st, st.buf, r)
	}
	st.bodyRead = true
	if st.readErr != nil && !errors.Is(st.readErr, ErrResponseTooLarge) {
		return &bodyError{err: st.readErr}
	}
	return nil
}

// keepAnswer reads the body of an answer the call is about to retry into the
// call's buffer, within the client's cap, and closes it, and records it as the
// answer a call that ends before its retry returns (endedBeforeRetry).
func (c *Client) keepAnswer(st *callState, r *http.Response) {
	if st.buf == nil {
		drainClose(r.Body)
		return
	}
	if st.readFor != r {
		st.buf.Reset()
		st.readFor = r
		st.readErr = c.readBody(st, st.buf, r)
	}
	st.retryAfter, st.retryAttempts = r, st.attempts()
}

// endedBeforeRetry returns the error of a call that ended (err) between the
// server's answer it was about to retry (st.retryAfter) and a retry reaching the
// server: its context ended during the wait, the rate limiter's wait or the
// TokenSource's call, or the rate limiter's turn would have come after the
// context's deadline. That answer and the reason the call stopped are one
// error, which matches both: an *APIError, redacted, and the context's error.
// ok is false for any other end, which then reads as before.
func (c *Client) endedBeforeRetry(ctx context.Context, st *callState, err error) (resp *Response, _ error, ok bool) {
	ans := st.retryAfter
	if ans == nil || st.attempts() != st.retryAttempts {
		return nil, nil, false // never retried after an answer, or a retry went out since
	}
	var cause error
	var rw *rateLimitWaitError
	switch {
	case errors.As(err, &rw):
		cause = rw
	case ctx.Err() != nil:
		cause = ctx.Err()
	default:
		return nil, nil, false
	}
	var body []byte
	if st.readFor == ans {
		body = st.buf.Bytes()
	}
	attempts := st.attempts()
	apiErr := newRedactedAPIError(ans, body, st.method, st.displayPath, attempts, c.redactorFor(st))
	ans.Body = io.NopCloser(bytes.NewReader(apiErr.Body))
	resp = &Response{Response: ans, RequestID: c.requestID(st, ans.Header), Attempts: attempts}
	return resp, st.maybeApplied(&retryNotSentError{cause: cause, last: apiErr}), true
}

// endedWithAnswer returns the error of a call whose context ended as the final
// answer of its last attempt (ans) came, one that is not retried (a 409, a 404):
// that answer, as an *APIError with what could be read of its body, redacted,
// and the context's error are one error, which matches both, as for an answer
// the call was waiting to retry (endedBeforeRetry). ok is false when the
// context has not ended, when the last attempt had no answer, and for an answer
// that is not an error (a success the context ended on reads as before).
func (c *Client) endedWithAnswer(ctx context.Context, st *callState, ans *http.Response) (resp *Response, _ error, ok bool) {
	if ans == nil || ans != st.lastResp || ctx.Err() == nil || st.buf == nil {
		return nil, nil, false
	}
	code := ans.StatusCode
	switch {
	case code >= 200 && code <= 299, st.noRedirect && code >= 300 && code <= 399:
		return nil, nil, false // not an error answer: the context's error stands
	case st.method == http.MethodDelete && code == http.StatusNotFound && st.ambiguous:
		return nil, nil, false // may be the object an earlier attempt deleted
	}
	if st.readFor != ans { // the response handler did not run: read what is there
		st.buf.Reset()
		st.readFor = ans
		st.readErr = c.readBody(st, st.buf, ans)
	}
	attempts := st.attempts()
	apiErr := newRedactedAPIError(ans, st.buf.Bytes(), st.method, st.displayPath, attempts, c.redactorFor(st))
	ans.Body = io.NopCloser(bytes.NewReader(apiErr.Body))
	resp = &Response{Response: ans, RequestID: c.requestID(st, ans.Header), Attempts: attempts}
	return resp, st.maybeApplied(&retryNotSentError{cause: ctx.Err(), last: apiErr, final: true}), true
}

// finish turns the answer of a call into its result: resp's body is in buf (or
// failed to read with readErr; a *bodyError for a read the call's context cut
// short). A status other than 2xx becomes an *APIError; a 2xx body is decoded
// into the call's result.
func (c *Client) finish(st *callState, resp *Response, buf *bytes.Buffer, readErr error) (*Response, error) {
	httpResp, method, displayPath := resp.Response, st.method, st.displayPath
	contentType := httpResp.Header.Get("Content-Type")
	if method == http.MethodDelete && httpResp.StatusCode == http.StatusNotFound && st.ambiguous {
		// An earlier attempt may have deleted it before its answer was lost: the
		// object is gone, which is what the caller asked for.
		resp.AlreadyApplied = true
		c.budget.succeeded(st.retryCost)
		return resp, nil
	}
	redirect := st.noRedirect && httpResp.StatusCode >= 300 && httpResp.StatusCode <= 399
	if (httpResp.StatusCode < 200 || httpResp.StatusCode > 299) && !redirect {
		apiErr := newRedactedAPIError(httpResp, buf.Bytes(), method, displayPath, resp.Attempts, c.redactorFor(st))
		httpResp.Body = io.NopCloser(bytes.NewReader(apiErr.Body))
		return resp, st.maybeApplied(apiErr)
	}
	if readErr != nil {
		var be *bodyError
		if errors.As(readErr, &be) {
			return resp, st.maybeApplied(newTransportErr(method, displayPath, readErr, c.redactorFor(st)))
		}
		return resp, &ResponseError{Method: method, Path: displayPath, StatusCode: httpResp.StatusCode, ContentType: contentType, Err: readErr}
	}
	if err := decodeBody(buf.Bytes(), contentType, st.out, st.allowEmpty || redirect); err != nil {
		return resp, &ResponseError{Method: method, Path: displayPath, StatusCode: httpResp.StatusCode, ContentType: contentType, Err: err}
	}
	if st.sent {
		c.budget.succeeded(st.retryCost)
	}
	return resp, nil
}

// putBuf returns a body buffer to the pool, unless it grew too large to keep.
func putBuf(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		bufPool.Put(buf)
	}
}

// maybeApplied marks the error of a failed call that changes state (any method
// but GET, HEAD and OPTIONS, and every single-use exchange) when one of its
// attempts failed after the server may have applied it: whatever the last attempt
// got, the change may have happened (ErrMaybeApplied).
func (st *callState) maybeApplied(err error) error {
	if !st.ambiguous {
		return err
	}
	switch st.method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		if !st.oneShot {
			return err
		}
	}
	return &maybeAppliedError{err: err}
}

// maybeAppliedError is a failed call's error that matches ErrMaybeApplied too.
type maybeAppliedError struct{ err error }

func (e *maybeAppliedError) Error() string {
	return e.err.Error() + " (" + ErrMaybeApplied.Error() + ")"
}

func (e *maybeAppliedError) Unwrap() []error { return []error{e.err, ErrMaybeApplied} }

// bodyError is a failure to read a response body inside an attempt; the retry
// policy treats it as a network failure.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "reading response: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// secretsFor lists every value a call's errors and logs must not show: the client's
// credentials, the tokens the call sent, its query values (queryValuesToRedact,
// and every value given with WithQuery), any credential header set for the call,
// and the credentials in its body.
func (c *Client) secretsFor(st *callState, u *url.URL, h http.Header, body []byte) []string {
	out := append(append([]string(nil), c.secrets...), st.secretValues()...)
	out = append(append(out, queryValuesToRedact(u)...), headerSecrets(h)...)
	for _, vs := range st.extraQuery { // WithQuery: the caller's own, whatever their length
		out = append(out, vs...)
	}
	return append(out, bodySecrets(body)...)
}

// bodySecrets returns the strings of a JSON request body that may be credentials,
// for a server that echoes the body in its error (FastAPI's 422 "input", a debug
// page): every string under a key named like a credential (password, secret,
// token, key, credential, …), and every string inside the sections that hold a
// connector's credentials: Instill setup and oAuthAccessDetails, OpenInt settings,
// PipesHub auth, Stack AI connection_provider_data. Other fields (names, ids)
// stay readable. Strings shorter than 4 bytes are left alone, as everywhere.
func bodySecrets(body []byte) []string {
	if len(body) == 0 {
		return nil
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, secret || isSecretBodyKey(k))
			}
		case []any:
			for _, e := range x {
				walk(e, secret)
			}
		case string:
			if secret && len(x) >= 4 {
				out = append(out, x)
			}
		}
	}
	walk(v, false)
	return out
}

// isSecretBodyKey reports whether a body member's value (and everything inside it)
// is to be treated as a credential.
func isSecretBodyKey(k string) bool {
	k = strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(k))
	switch k {
	case "setup", "settings", "oauthaccessdetails", "auth", "connectionproviderdata", "key", "code":
		return true
	}
	for _, w := range []string{"password", "passwd", "secret", "token", "apikey", "privatekey", "credential", "authorization", "cookie", "signature"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

func headerSecrets(h http.Header) []string {
	var out []string
	for _, k := range credentialHeaders {
		for _, v := range h[k] {
			out = append(out, v, strings.TrimPrefix(v, "Bearer "))
		}
	}
	return out
}

// buildURL sets u to path joined to the base URL, with the query q (a struct
// with url tags, url.Values, or nil) and extra (WithQuery's values). path is
// relative and already escaped: it is joined to the base path as it is, without
// parsing the whole URL again, when it holds only the bytes an escaped path
// does; anything else goes through url.Parse, as every path did before. scratch
// is room for the query string on its way.
func (c *Client) buildURL(u *url.URL, path string, q any, extra url.Values, scratch *[64]byte) error {
	if strings.HasPrefix(path, "/") || strings.Contains(path, "://") {
		return errors.New("path must be relative to the base URL")
	}
	if err := c.joinPath(u, path); err != nil {
		return err
	}
	if qa, ok := q.(queryAppender); ok && len(extra) == 0 {
		if b := qa.appendQuery(scratch[:0]); len(b) > 0 {
			u.RawQuery = string(b)
		}
		return nil
	}
	var vals url.Values
	switch v := q.(type) {
	case nil:
	case url.Values:
		vals = v
	default:
		var err error
		vals, err = query.Values(q)
		if err != nil {
			return fmt.Errorf("encoding query: %w", err)
		}
	}
	if len(extra) > 0 {
		if vals == nil {
			vals = make(url.Values)
		} else {
			vals = cloneValues(vals)
		}
		for k, vs := range extra {
			vals[k] = append(vals[k], vs...)
		}
	}
	if len(vals) > 0 {
		u.RawQuery = vals.Encode()
	}
	return nil
}

// joinPath sets u to the base URL with the escaped path p joined to its path:
// what url.Parse(c.baseURL + p) gives, with the host as NewRequest sends it (an
// empty port dropped).
func (c *Client) joinPath(u *url.URL, p string) error {
	escaped := c.basePath + p
	for i := 0; i < len(p); i++ {
		if !isEscapedPathByte(p[i]) {
			parsed, err := url.Parse(c.baseURL + p)
			if err != nil {
				return redactParseError(err)
			}
			*u = *parsed
			u.Host = requestHost(u.Host)
			return nil
		}
	}
	*u = url.URL{Scheme: c.base.Scheme, Host: requestHost(c.base.Host), Path: escaped}
	if strings.IndexByte(escaped, '%') >= 0 {
		unescaped, err := url.PathUnescape(escaped)
		if err != nil {
			return err
		}
		u.Path = unescaped
	}
	// EscapedPath gives RawPath back as it is when it is a valid encoding of
	// Path, as url.Parse's RawPath; otherwise Path escaped, again as url.Parse.
	u.RawPath = escaped
	return nil
}

// isEscapedPathByte reports whether b may appear in an escaped path as url.Parse
// reads it, without any meaning of its own (a query, a fragment) and without
// being escaped again: the unreserved bytes, the sub-delimiters, ':', '@', '/'
// and the '%' of an escape.
func isEscapedPathByte(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	switch b {
	case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@', '/', '%':
		return true
	}
	return false
}

// requestHost is host as http.NewRequest sends it: without an empty port.
func requestHost(host string) string {
	if strings.LastIndex(host, ":") > strings.LastIndex(host, "]") {
		return strings.TrimSuffix(host, ":")
	}
	return host
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// encodeJSON marshals v without HTML escaping, so "<", ">" and "&" reach the server
// as they are.
func encodeJSON(v any) ([]byte, error) {
	switch b := v.(type) {
	case json.RawMessage:
		return b, nil
	case []byte:
		return b, nil
	case bodyAppender:
		if out, err := jsonenc.Build(b.appendJSON); err == nil {
			return out, nil
		}
		// The error as encoding/json words it.
	}
	return jsonenc.Marshal(v)
}

// maxBodyPrealloc is the most a response's Content-Length makes readBody
// allocate before the body arrives.
const maxBodyPrealloc = 8 << 20

// readBody reads at most the configured cap into buf, then drains and closes
// the body.
func (c *Client) readBody(st *callState, buf *bytes.Buffer, resp *http.Response) error {
	if resp.Body == nil {
		return nil // a middleware's answer without a body
	}
	if resp.ContentLength > c.maxResponseBytes {
		drainClose(resp.Body)
		return fmt.Errorf("%w: Content-Length %d is over the %d-byte cap", ErrResponseTooLarge, resp.ContentLength, c.maxResponseBytes)
	}
	if resp.ContentLength > 0 {
		// ReadFrom wants bytes.MinRead bytes free before every read, the one that
		// finds the end included: without them, a body of exactly the room Grow
		// made doubles the buffer at its last read. The server's word is trusted
		// up to maxBodyPrealloc: a larger body grows the buffer as it arrives, so
		// a Content-Length the body does not have (petabytes, the largest int64)
		// neither costs its size nor overflows Grow.
		buf.Grow(int(min(resp.ContentLength, maxBodyPrealloc)) + bytes.MinRead)
	}
	limit := c.maxResponseBytes
	if limit < math.MaxInt64 {
		limit++ // one byte more tells a body over the cap
	}
	st.limited = io.LimitedReader{R: resp.Body, N: limit}
	n, err := buf.ReadFrom(&st.limited)
	st.limited.R = nil
	if err != nil {
		drainClose(resp.Body)
		return err
	}
	if n > c.maxResponseBytes {
		drainClose(resp.Body)
		buf.Truncate(int(c.maxResponseBytes))
		return fmt.Errorf("%w: over the %d-byte cap", ErrResponseTooLarge, c.maxResponseBytes)
	}
	_ = resp.Body.Close() // read to its end: nothing to drain
	return nil
}

// drainClose reads a little of what is left, so the connection can be reused, and
// closes the body.
func drainClose(body io.ReadCloser) {
	if body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	_ = body.Close()
}

// errEmptyBody is the problem of a 2xx response with no content (or JSON null)
// where the method promises a result.
var errEmptyBody = errors.New("empty body where a result was expected")

// decodeBody decodes a 2xx body into out. An empty body, or null, is an error
// unless allowEmpty (the endpoint may legitimately answer with nothing).
func decodeBody(body []byte, contentType string, out any, allowEmpty bool) error {
	if out == nil {
		return nil
	}
	if rb, ok := out.(*rawBody); ok {
		rb.data = bytes.Clone(body)
		rb.contentType = contentType
		return nil
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		if !allowEmpty {
			return errEmptyBody
		}
		if len(trimmed) == 0 {
			return nil
		}
	}
	if trimmed[0] == '<' {
		return errors.New("got HTML or XML where JSON was expected")
	}
	var err error
	if u, ok := onePassModel(out); ok {
		err = u.UnmarshalJSON(trimmed)
	} else {
		err = json.Unmarshal(trimmed, out)
	}
	if err != nil {
		return fmt.Errorf("decoding JSON: %w", err)
	}
	return nil
}

// redactorFor returns the redactor of a call, built on first use and again when
// the call has sent a new token since.
func (c *Client) redactorFor(st *callState) *redactor {
	tokens := st.secretValues()
	if st.red == nil || st.redTokens != len(tokens) {
		st.red = newRedactor(c.secretsFor(st, st.url, st.header, st.body))
		st.redTokens = len(tokens)
	}
	return st.red
}

// requestID returns the server's request id from h, with the call's secrets
// masked: a proxy may echo a credential into it.
func (c *Client) requestID(st *callState, h http.Header) string {
	id := requestIDFromHeader(h)
	if id == "" || !c.mayShowSecret(st, id) {
		return id
	}
	return c.redactorFor(st).apply(id)
}

// mayShowSecret is false when s certainly holds none of the call's secrets in any
// form, which it tells without building the redactor: s is made of URL-unreserved
// bytes only (so an escaped form that differs from the raw one cannot be in it),
// holds no credential or token, and shares no 4 bytes with the query or the body
// (where any other secret would appear as it is).
func (c *Client) mayShowSecret(st *callState, s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.' || b == '~') {
			return true
		}
	}
	in := func(v string) bool { return len(v) >= 4 && strings.Contains(s, v) }
	for _, v := range c.secrets {
		if in(v) {
			return true
		}
	}
	for _, v := range st.secretValues() {
		if in(v) {
			return true
		}
	}
	for _, k := range credentialHeaders {
		for _, v := range st.header[k] {
			if in(v) || in(strings.TrimPrefix(v, "Bearer ")) {
				return true
			}
		}
	}
	var w [4]byte
	for i := 0; i+4 <= len(s); i++ {
		if strings.Contains(st.url.RawQuery, s[i:i+4]) {
			return true
		}
		copy(w[:], s[i:i+4])
		if bytes.Contains(st.body, w[:]) {
			return true
		}
	}
	return false
}

// retryNotSentError is the error of a call that ended while it waited to retry
// after the server's answer last, before the retry reached the server: its
// context ended (cause is the context's error), or the rate limiter's turn
// would have come after its deadline (cause is a *rateLimitWaitError); or,
// when final is set, of a call whose context ended as last, an answer not
// retried, came. It matches both cause and last.
type retryNotSentError struct {
	cause error
	last  *APIError
	final bool // last is the final answer, not one to retry (endedWithAnswer)
}

// Error reads "connapi: GET /path: context canceled while waiting to retry
// after 503: <the server's message>".
func (e *retryNotSentError) Error() string {
	var b strings.Builder
	b.WriteString("connapi: ")
	e.last.writeRequest(&b)
	b.WriteString(e.cause.Error())
	var rw *rateLimitWaitError
	switch {
	case e.final:
		b.WriteString(" as the server answered ")
	case errors.As(e.cause, &rw):
		b.WriteString("; not retried after ")
	default:
		b.WriteString(" while waiting to retry after ")
	}
	e.last.writeAnswer(&b)
	return oneLine(b.String())
}

// Unwrap returns the reason the call stopped and the last answer.
func (e *retryNotSentError) Unwrap() []error { return []error{e.cause, e.last} }

// lastResponse marks a call that ended (its context, most likely) after the server
// had answered: the status of that answer goes with the error.
type lastResponse struct {
	err    error
	status int
}

func (e *lastResponse) Error() string { return fmt.Sprintf("%v (last response: %d)", e.err, e.status) }
func (e *lastResponse) Unwrap() error { return e.err }
