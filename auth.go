package connapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// TokenSource supplies a bearer token. The client asks for one on every attempt, so
// an implementation that refreshes expired tokens hands out a fresh one on retry.
// If it also implements TokenInvalidator (as the token sources of this package do),
// a 401 answer makes the client hand it the rejected token and retry the request
// once with a fresh one. A source with only a method Invalidate() is called that
// way instead, which drops whatever it holds: prefer InvalidateToken.
// Implementations must be safe for concurrent use. A golang.org/x/oauth2
// TokenSource adapts with OAuth2TokenSource; a function, with TokenSourceFunc.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// TokenInvalidator is implemented by a TokenSource that can forget a token the API
// rejected. When an attempt gets a 401, the client calls InvalidateToken with the
// token that attempt sent, then asks Token for a fresh one and retries once.
//
// InvalidateToken must drop the cached token only if it is still the one given: a
// token fetched after the rejected one was sent is kept. That way many calls that
// get a 401 for the same token, at once or one after the other, share a single
// refresh instead of each forcing a new login.
type TokenInvalidator interface {
	InvalidateToken(token string)
}

// TokenSourceFunc adapts a function to TokenSource.
type TokenSourceFunc func(ctx context.Context) (string, error)

// Token calls f(ctx).
func (f TokenSourceFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

// Credential headers: set only towards the configured host, stripped on redirects to
// any other host, never logged and never part of an error string.
const (
	headerAuthorization = "Authorization"
	headerAPIKey        = "X-Apikey"
	headerConnectionID  = "X-Connection-Id"
	headerIdempotency   = "Idempotency-Key"
)

var credentialHeaders = []string{headerAuthorization, headerAPIKey, headerConnectionID, "Cookie", "Proxy-Authorization"}

// callState is one call: what do() prepared, its request, and what its attempts
// went through. It is the context of the call's requests (the context send is
// given, with the call state as the value of callStateKey), and so travels from
// send through retryablehttp into the transport, the retry policy and the
// response handler. It belongs to one call.
type callState struct {
	// Context is the context of the call, as send was given it.
	context.Context

	op         *Operation
	call       Call // the call as middleware and observers see it: &st.call, no allocation
	method     string
	idempotent bool // may be sent again after it may have reached the server
	oneShot    bool // goes out at most once (a single-use OAuth code)
	timeout    time.Duration
	noRedirect bool
	callerAuth bool           // the caller set Authorization for this call
	authErr    error          // the TokenSource's failure for the coming attempt
	lastResp   *http.Response // the last response seen, body already consumed
	// retryAfter is the last answer the call decided to retry, its body read
	// into buf before the wait, and retryAttempts the attempts counted then:
	// until another attempt reaches the server, that answer is what a call that
	// ends before its retry returns (Client.endedBeforeRetry).
	retryAfter    *http.Response
	retryAttempts int
	// reauthenticated is set once a 401 made the TokenSource forget its token.
	reauthenticated bool
	token           string // the TokenSource's token sent on the current attempt
	// ambiguous is set once an attempt failed in a way that leaves open whether
	// the server applied the request (a failure after it may have been sent, a 5xx
	// other than 503, a body that broke off).
	ambiguous bool
	retryCost int // budget tokens taken by the retry in progress
	// retryPending is set when the retry policy decides a retry, until that
	// retry is handed to the transport, which counts it: a retry stopped before
	// (the rate limiter, the TokenSource, the context) is not counted, and send
	// gives its tokens back.
	retryPending bool

	// Attempt bookkeeping. tries and hops belong to the calling goroutine; the
	// trace hooks run on the transport's goroutines and touch only the atomics,
	// which record the attempt (try) during which something last happened.
	tries    int32 // attempts started
	hops     int   // requests of the current attempt: the first, then redirects
	answered int   // attempts counted without httptrace (transports that do not report it)
	handedIn int32 // the last attempt handed to the transport (the calling goroutine's)
	silentIn int32 // the last attempt a tracing transport failed without reporting anything
	try      atomic.Int32
	wire     atomic.Int32 // requests that reached the wire
	wroteIn  atomic.Int32 // a request was written
	askedIn  atomic.Int32 // a connection was asked for
	gotIn    atomic.Int32 // a connection was obtained
	reusedIn atomic.Int32 // the connection obtained had served requests before
	stats    *clientStats

	secrets atomic.Pointer[[]string] // token values sent, for redaction

	// What the redactor is built from, and the redactor (redactorFor).
	url        *url.URL
	header     http.Header // the call's own headers (WithHeader, a middleware's)
	extraQuery url.Values  // the query values given with WithQuery
	body       []byte
	red        *redactor
	redTokens  int

	// The request as do prepared it, for send.
	displayPath    string // the escaped path, for errors
	hasBody        bool
	out            any // where a 2xx body is decoded
	idempotencyKey string
	allowEmpty     bool
	sent           bool // send ran: a middleware did not answer in its place
	bodyRead       bool // the current attempt's answer was read (the response handler ran)

	// The attempt the observers were told of (startAttempt), until it ends.
	attemptOpen   bool
	attemptStart  time.Time
	attemptCtx    context.Context
	rateLimitWait time.Duration // the current attempt's wait for the rate limits

	// Room for what a call needs once, in the call state's own allocation.
	rc      requestConfig         // the call's RequestOptions, applied
	u       url.URL               // the request's URL (url points here)
	scratch [64]byte              // the query string on its way
	rreq    retryablehttp.Request // the request retryablehttp sends
	bodyRd  bytes.Reader          // the first attempt's body
	trace   httptrace.ClientTrace // the hooks that count requests on the wire
	limited io.LimitedReader      // the cap on the body being read

	// The answer read inside the attempt (Client.readAttempt), into buf (set
	// while send runs).
	buf     *bytes.Buffer
	readErr error
	readFor *http.Response // the response buf holds the body of
}

// Value returns st itself for callStateKey{}: the call state is the context of
// its requests.
func (st *callState) Value(key any) any {
	if _, ok := key.(callStateKey); ok {
		return st
	}
	return st.Context.Value(key)
}

// attempts returns how many attempts of the call may have reached the server
// (Response.Attempts): the attempts the SDK made (not the redirects it followed),
// each counted once its request was handed to a connection, and taken back when
// net/http reports that nothing of it was written (unsent).
func (st *callState) attempts() int {
	return int(st.wire.Load()) + st.answered
}

// countUntraced counts the attempt that just ended as sent when the transport
// reported nothing through httptrace (a test double, a RoundTripper of the
// caller's) but answered, or failed otherwise than by dialing. A transport
// known to report what it writes (traces: an *http.Transport) that failed
// without reporting anything sent nothing: its own check of an ended context,
// say.
func (st *callState) countUntraced(err error, traces bool) {
	try := st.try.Load()
	if st.wroteIn.Load() == try || st.askedIn.Load() == try {
		return // traced: the hooks counted what reached the wire
	}
	if err == nil || (!traces && !isDialError(err)) {
		st.answered++
		st.stats.attempts.Add(1)
	}
	if err != nil && traces {
		st.silentIn = try
	}
}

// maySent reports whether the current attempt, which failed with err, may have
// reached the server. Only an attempt that was never handed to the transport,
// that never obtained a connection, that failed to dial, or that a transport
// known to report what it writes failed without reporting anything, certainly
// did not.
func (st *callState) maySent(err error) bool {
	try := st.try.Load()
	if st.wroteIn.Load() == try {
		return true
	}
	if st.handedIn != try || st.silentIn == try {
		return false
	}
	if st.askedIn.Load() == try && st.gotIn.Load() != try {
		return false
	}
	return !isDialError(err)
}

// reusedConn reports whether the current attempt went out on a kept-alive
// connection: when such an attempt fails, a new connection, not time, is what the
// retry needs.
func (st *callState) reusedConn() bool {
	return st.reusedIn.Load() == st.try.Load()
}

// traced returns ctx with the hooks that count the call's requests on the wire:
// the context of the call's requests (newRequest). Every attempt carries it; the
// hooks tell them apart by st.try.
func (st *callState) traced(ctx context.Context) context.Context {
	st.trace = httptrace.ClientTrace{
		GetConn: func(string) {
			// net/http's Transport asks again, within one attempt, only after
			// the connection it had failed before anything was written (a
			// kept-alive connection the server had closed, an HTTP/2 connection
			// it could not use): that request reached nobody.
			st.unsent(st.try.Load())
			st.askedIn.Store(st.try.Load())
		},
		GotConn: func(info httptrace.GotConnInfo) {
			try := st.try.Load()
			st.gotIn.Store(try)
			if info.Reused {
				st.reusedIn.Store(try)
			}
		},
		WroteHeaders: func() {
			st.wire.Add(1)
			st.stats.attempts.Add(1)
			st.wroteIn.Store(st.try.Load())
		},
	}
	return httptrace.WithClientTrace(ctx, &st.trace)
}

// unsent takes back the count of attempt try's request, if it was counted: its
// headers were handed to a connection (WroteHeaders fires before they are
// flushed), but nothing of it was written. The attempt's connection is
// forgotten too, so that maySent sees an attempt that reached nobody.
func (st *callState) unsent(try int32) {
	if st.wroteIn.CompareAndSwap(try, 0) {
		st.wire.Add(-1)
		st.stats.attempts.Add(-1)
	}
	st.gotIn.CompareAndSwap(try, 0)
	st.reusedIn.CompareAndSwap(try, 0)
}

// nothingWritten reports whether err is net/http's Transport saying that the
// request it failed to send had not a byte written: a failed write on a
// kept-alive connection the server had closed, which the Transport re-sends by
// itself only when it can without replaying a body it judges replayable (so not
// for the SDK's GETs and keyed requests, which come back here). The type is
// unexported; its name is what identifies it.
func nothingWritten(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if reflect.TypeOf(e).String() == "http.nothingWrittenError" {
			return true
		}
	}
	return false
}

type callStateKey struct{}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

// tokenError marks a failure of the TokenSource, which is not retried.
type tokenError struct{ err error }

func (e *tokenError) Error() string {
	return "obtaining token: " + strings.TrimPrefix(e.err.Error(), "connapi: ")
}
func (e *tokenError) Unwrap() error { return e.err }

// authTransport counts and times each attempt, logs it, applies the per-attempt
// timeout, and keeps credentials on the configured origin: a request for another
// origin (a redirect) leaves without any credential header. The headers themselves
// are set before the attempt (do and prepareAttempt), so the common path clones
// nothing. It never implements CloseIdleConnections, so retryablehttp's habit of
// closing idle connections after a failure does not empty a shared pool.
type authTransport struct {
	base http.RoundTripper
	// traces is set when base is an *http.Transport, which reports every
	// request it writes through httptrace (WroteHeaders): an attempt it
	// reported nothing of reached nobody, whatever it returned.
	traces       bool
	scheme, host string  // credentials go to this origin only
	client       *Client // rate limits and observers
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := stateFrom(ctx)
	if st != nil && st.authErr != nil {
		closeBody(req)
		return nil, st.authErr
	}
	r := req
	toBase := strings.EqualFold(r.URL.Scheme, t.scheme) && strings.EqualFold(r.URL.Host, t.host)
	if !toBase {
		r = req.Clone(ctx)
		for _, h := range credentialHeaders {
			r.Header.Del(h)
		}
	}
	first := false
	var cancel context.CancelFunc
	c := t.client
	if st != nil {
		st.hops++
		first = st.hops == 1
		rctx := ctx //nolint:contextcheck // a redirect's becomes st, the call's context, of which ctx derives
		if first {
			// The request's context carries the trace that counts the call's
			// requests on the wire (newRequest): only an attempt's first request
			// counts.
			if c.limiter != nil || c.serverLimit != nil {
				waited, err := c.waitTurn(ctx)
				if err != nil {
					closeBody(req)
					return nil, err
				}
				st.rateLimitWait = waited
			}
			if c.observing() {
				var extra http.Header
				rctx, extra = c.startAttempt(rctx, st, st.rateLimitWait)
				if len(extra) > 0 {
					if r == req {
						cp := *req
						r = &cp
					}
					r.Header = r.Header.Clone()
					for k, v := range extra {
						r.Header[k] = v
					}
				}
			}
		} else {
			rctx = st // a redirect: the call's context, without the trace
		}
		if st.timeout > 0 {
			rctx, cancel = context.WithTimeout(rctx, st.timeout)
		}
		if rctx != ctx {
			r = r.WithContext(rctx)
		}
	}
	if netHTTPWouldReplay(r) {
		// net/http's Transport re-sends a replayable request on its own when a
		// kept-alive connection fails after the request was written, unseen by the
		// retry policy. A body without GetBody makes it not replayable, so every
		// repetition is the SDK's decision.
		var emptyRd *strings.Reader
		if r == req {
			q := &quietRequest{req: *req}
			r, emptyRd = &q.req, &q.body
		}
		r.GetBody = nil
		if r.Body == nil || r.Body == http.NoBody {
			r.Body = emptyBody{}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				// The body is empty, and says so: net/http would otherwise read
				// it on a goroutine of its own, under a 200 ms timer, to find
				// out (transferWriter.probeRequestBody). ["identity"] is no
				// transfer coding (nil means the same), and an empty in-memory
				// reader is one net/http writes without flushing the head
				// first: the request goes out as a GET or HEAD without a body
				// does, neither Content-Length nor Transfer-Encoding, in one
				// write.
				if emptyRd == nil {
					emptyRd = new(strings.Reader)
				}
				r.Body = io.NopCloser(emptyRd)
				r.TransferEncoding = identityEncoding
			}
		}
	}
	if first {
		if err := ctx.Err(); err != nil {
			// The call's context ended before this attempt could go (in the
			// TokenSource's call, an observer's AttemptStart, the last instant
			// of the wait): it is not handed to the transport and reaches
			// nobody. net/http's Transport would return this error without
			// asking for a connection, which countUntraced could not tell from
			// the failure of a transport that reports nothing.
			if cancel != nil {
				cancel()
			}
			closeBody(req)
			return nil, err
		}
		st.handedIn = st.tries
		if st.retryPending {
			st.retryPending = false
			if st.stats != nil {
				st.stats.retries.Add(1)
			}
		}
	}
	resp, err := t.base.RoundTrip(r)
	if first {
		if err != nil && nothingWritten(err) {
			st.unsent(st.try.Load())
		}
		st.countUntraced(err, t.traces)
	}
	if err == nil && resp.Request == nil {
		resp.Request = r // the response handler finds the call state through it
	}
	if toBase && err == nil && c != nil && c.serverLimit != nil {
		c.serverLimit.observe(resp.Header, c.clock().now(), c.retryWaitMax)
	}
	if cancel != nil {
		if err != nil {
			cancel()
		} else {
			resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
		}
	}
	return resp, err
}

// netHTTPWouldReplay mirrors net/http's Request.isReplayable: the requests its
// Transport may send again by itself after a failure on a reused connection.
func netHTTPWouldReplay(r *http.Request) bool {
	if r.Body != nil && r.Body != http.NoBody && r.GetBody == nil {
		return false
	}
	switch r.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	_, k1 := r.Header["Idempotency-Key"]
	_, k2 := r.Header["X-Idempotency-Key"]
	return k1 || k2
}

// quietRequest is a request net/http does not re-send by itself, and the empty
// body of a GET or HEAD among them: one allocation.
type quietRequest struct {
	req  http.Request
	body strings.Reader
}

// identityEncoding is the TransferEncoding of a GET or HEAD given an empty body.
var identityEncoding = []string{"identity"}

// emptyBody is a request body with nothing in it that net/http cannot rewind.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// setStaticCredentials sets the client's fixed credentials on h, once per call,
// leaving alone any the caller set for this call with WithHeader.
func (c *Client) setStaticCredentials(h http.Header) {
	if c.hdrBearer != nil && h.Get(headerAuthorization) == "" {
		h[headerAuthorization] = c.hdrBearer
	}
	if c.hdrAPIKey != nil && h.Get(headerAPIKey) == "" {
		h[headerAPIKey] = c.hdrAPIKey
	}
	if c.hdrConnectionID != nil && h.Get(headerConnectionID) == "" {
		h[headerConnectionID] = c.hdrConnectionID
	}
}

// prepareAttempt runs before every attempt as retryablehttp's RequestLogHook, which
// is handed the very request about to be sent. With a TokenSource it asks for a
// token afresh, so a retry carries a refreshed one. The hook cannot fail the
// attempt: a TokenSource error waits in the call state for the transport to return.
func (c *Client) prepareAttempt(_ retryablehttp.Logger, r *http.Request, attempt int) {
	st := stateFrom(r.Context())
	if st == nil {
		return
	}
	st.tries++
	st.try.Store(st.tries)
	st.hops = 0
	st.bodyRead = false
	st.rateLimitWait = 0
	if st.hasBody {
		// Each attempt reads the body from its start. An earlier attempt's
		// reader may still be in the hands of its transport, so only the first
		// uses the one in the call state.
		rd := &st.bodyRd
		if attempt > 0 {
			rd = new(bytes.Reader)
		}
		rd.Reset(st.body)
		r.Body = io.NopCloser(rd)
	}
	if c.tokenSource == nil || st.callerAuth {
		return
	}
	if attempt > 0 {
		r.Header = r.Header.Clone() // shared with the previous attempt's request
	}
	tok, err := c.tokenSource.Token(r.Context())
	switch {
	case err != nil:
		st.authErr = &tokenError{err: err}
	case tok == "":
		st.authErr = &tokenError{err: errors.New("TokenSource returned an empty token")}
	case !validHeaderValue(tok):
		st.authErr = &tokenError{err: errors.New("TokenSource returned a token with a control character, which no header can carry")}
	default:
		st.authErr = nil
		st.token = tok
		st.addSecret(tok)
		r.Header.Set(headerAuthorization, "Bearer "+tok)
	}
}

func (st *callState) addSecret(s string) {
	if len(s) < 4 {
		return
	}
	for {
		old := st.secrets.Load()
		var next []string
		if old != nil {
			for _, v := range *old {
				if v == s {
					return
				}
			}
			next = append(next, *old...)
		}
		next = append(next, s)
		if st.secrets.CompareAndSwap(old, &next) {
			return
		}
	}
}

func (st *callState) secretValues() []string {
	if st == nil {
		return nil
	}
	if p := st.secrets.Load(); p != nil {
		return *p
	}
	return nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// checkRedirect keeps bodies and credentials on the configured origin. A request
// other than GET or HEAD is never redirected to another origin: its body (a client
// secret, say) would be sent there, and the write reported done while the
// configured host applied nothing; it fails with a redirectError instead. A GET or
// HEAD follows, without credentials: Go's client drops Authorization on a
// cross-host redirect but forwards custom headers such as x-apikey, so this removes
// them (the transport adds credentials only towards the configured origin). It
// then defers to the caller's own CheckRedirect, if any.
func checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if st := stateFrom(req.Context()); st != nil && st.noRedirect {
			return http.ErrUseLastResponse
		}
		if len(via) > 0 {
			first := via[0]
			if !sameOrigin(req.URL, first.URL) {
				if first.Method != http.MethodGet && first.Method != http.MethodHead {
					status := 0
					if req.Response != nil {
						status = req.Response.StatusCode
					}
					return &redirectError{status: status, method: first.Method, host: req.URL.Host}
				}
				for _, h := range credentialHeaders {
					req.Header.Del(h)
				}
			}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return fmt.Errorf("stopped after %d redirects", len(via))
		}
		return nil
	}
}

// sameOrigin reports whether a and b have the same scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOrDefault(a) == portOrDefault(b)
}

func portOrDefault(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// redirectError is a redirect to another origin that a write did not follow. It
// names the status and the target host, never the target's path or query.
type redirectError struct {
	status       int
	method, host string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("%d redirect of a %s to %s: %v", e.status, e.method, e.host, ErrCrossOriginRedirect)
}

func (e *redirectError) Unwrap() error { return ErrCrossOriginRedirect }

// isLoopbackHost reports whether host (without port) names this machine.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
