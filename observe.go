package connapi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// Invoker carries a call on: through the middlewares after the one it is handed
// to, then through the client's own work (the attempts and their retries, reading
// and decoding the answer). A middleware calls it at most once.
type Invoker func(ctx context.Context, call *Call) (*Response, error)

// Middleware wraps every call of a client (WithMiddleware): it runs after the
// call's arguments were checked (a call refused with ErrInvalidParams or
// ErrWrongPlatform never reaches it) and around all its attempts, so it sees the
// call once, whatever the retries. It may:
//
//   - observe: call.Operation() names the operation, its platform, HTTP method
//     and path template (never the filled-in path); after next returns,
//     call.Attempts() and the final *Response and error are known;
//   - add headers to every attempt, through call.Header() before calling next;
//   - pass on a context of its own to next (a trace span, a deadline);
//   - short-circuit: return without calling next. An error is then the call's
//     error as it is. A *Response (with its *http.Response) stands for the
//     server's answer and is handled like one: a status other than 2xx becomes an
//     *APIError, a 2xx body is decoded into the method's result.
//
// Whether it called next or not, a middleware that returns neither an error nor
// a *Response with its *http.Response fails the call with an error, so a caller
// never gets a nil *Response with a nil error; next given a nil context returns
// an error matching ErrInvalidParams.
//
// Per-attempt concerns (a request's bytes, connection reuse, a proxy) belong to an
// http.RoundTripper given with WithHTTPClient, which the client calls once per
// attempt and per redirect followed; what happens between attempts (retries, their
// reasons and waits) is reported to an Observer.
type Middleware func(ctx context.Context, call *Call, next Invoker) (*Response, error)

// Call is one call of a service method, as a Middleware and an Observer see it.
// It is valid while the call runs.
type Call struct{ st *callState }

// Operation returns the endpoint called: its name ("ConnectorInstances.Get"),
// platform, HTTP method and path template ("/connectors/{connectorId}").
func (c *Call) Operation() *Operation { return c.st.op }

// Header returns the headers sent with every attempt of the call, which a
// Middleware may add to before it calls next: those set with WithHeader, never
// the client's credentials (which are added later). A credential header set here
// replaces the client's for this call, as with WithHeader, and is redacted in
// errors and logs the same way.
func (c *Call) Header() http.Header {
	if c.st.header == nil {
		c.st.header = make(http.Header)
	}
	return c.st.header
}

// Attempts returns how many attempts of the call may have reached the server so far (see
// Response.Attempts). Read it from the goroutine of the call: in a Middleware after
// next returns, or in an Observer callback.
func (c *Call) Attempts() int { return c.st.attempts() }

// Server returns the host the call is sent to and its port (the scheme's default
// when the base URL names none): the base URL's, for OpenTelemetry's
// server.address and server.port.
func (c *Call) Server() (address string, port int) {
	u := c.st.url
	if p, err := strconv.Atoi(u.Port()); err == nil {
		return u.Hostname(), p
	}
	if u.Scheme == "https" {
		return u.Hostname(), 443
	}
	return u.Hostname(), 80
}

// WithMiddleware wraps every call of the client in mw, the first given outermost.
// Several WithMiddleware options add up, in order. See Middleware; a client
// without middleware spends nothing on it.
func WithMiddleware(mw ...Middleware) Option {
	return func(c *clientConfig) error {
		for _, m := range mw {
			if m == nil {
				return errors.New("WithMiddleware: nil Middleware")
			}
		}
		c.middleware = append(c.middleware, mw...)
		return nil
	}
}

// chainMiddleware returns an Invoker that runs mws around last. The chain is built
// once per client, so a call allocates nothing for it.
func chainMiddleware(mws []Middleware, last Invoker) Invoker {
	next := last
	for i := len(mws) - 1; i >= 0; i-- {
		mw, n := mws[i], next
		next = func(ctx context.Context, call *Call) (*Response, error) { return mw(ctx, call, n) }
	}
	return next
}

// Observer receives what happens inside the calls of a client, where no
// Middleware can look: the start and end of each attempt, each retry with its
// reason and wait, and each retry that is not made. Logs (WithLogger), the
// OpenTelemetry package (github.com/connapi/connapi-go/otel) and a metrics
// library of your own all plug in here. Any field may be nil.
//
// The callbacks run on the goroutine of the call, in its course: they must be
// quick and must not block. Their arguments hold no secret, no ID and no
// filled-in path: the operation (through call), numbers, durations, and the
// low-cardinality ErrorType and reason strings documented on Attempt, Retry and
// GiveUp. A client without observers spends nothing on them.
type Observer struct {
	// AttemptStart is called as an attempt is about to be sent, after any wait
	// for the rate limiter. The context it returns (derived from ctx, or ctx
	// itself) is the attempt's: the request carries it, and AttemptEnd receives
	// it. Headers it adds to a.Header are sent with this attempt (trace context
	// propagation).
	AttemptStart func(ctx context.Context, call *Call, a Attempt) context.Context
	// AttemptEnd is called when the attempt's outcome is known: its answer's
	// body read, or its failure. ctx is the one AttemptStart returned.
	AttemptEnd func(ctx context.Context, call *Call, a Attempt)
	// Retry is called when a retry is decided, before the wait that precedes it.
	Retry func(ctx context.Context, call *Call, r Retry)
	// GiveUp is called when an attempt failed in a way that is retried, but the
	// call makes no more attempts (see GiveUp.Reason).
	GiveUp func(ctx context.Context, call *Call, g GiveUp)
}

// WithObserver adds o to the client's observers; each is called in the order
// given. See Observer.
func WithObserver(o Observer) Option {
	return func(c *clientConfig) error {
		if o.AttemptStart == nil && o.AttemptEnd == nil && o.Retry == nil && o.GiveUp == nil {
			return errors.New("WithObserver: Observer with no callback")
		}
		c.observers = append(c.observers, o)
		return nil
	}
}

// Attempt describes one attempt of a call (one request, and the redirects it
// followed).
type Attempt struct {
	// Number is the attempt's number in the call: 1 for the first.
	Number int
	// Start is when the attempt started, after any rate-limit wait.
	Start time.Time
	// RateLimitWait is how long the attempt waited for the client's rate limit
	// (WithRateLimit, WithRateLimiter, WithRateLimitHeaders) before it started.
	RateLimitWait time.Duration
	// Header, at AttemptStart only, collects headers to add to the attempt's
	// request. It starts empty; the request's own headers are not in it.
	Header http.Header

	// The outcome, at AttemptEnd only.

	// Duration is from Start to the outcome: the answer's body read, or the
	// failure.
	Duration time.Duration
	// StatusCode is the status of the attempt's answer; 0 when none came.
	StatusCode int
	// ErrorType is "" for an attempt that got a usable answer below 400. For a
	// status of 400 or more it is the status ("503"); for a failure without a
	// usable answer, its class: "timeout", "canceled", "dns", "dial" (no
	// connection could be made), "connection_reset", "connection_closed" (the
	// answer or its body broke off), "cross_origin_redirect", "token_source",
	// "rate_limit_wait", "response_too_large", or "_OTHER".
	ErrorType string
}

// Retry describes a retry the client decided to make.
type Retry struct {
	// Attempt is the number of the attempt that failed; the retry is Attempt+1.
	Attempt int
	// Reason is why it failed: the ErrorType of that attempt ("503", "429",
	// "timeout", "connection_reset", …); "401" is a retry with a fresh token.
	Reason string
	// Wait is the wait before the retry, Retry-After or backoff.
	Wait time.Duration
	// RetryAfter is true when Wait is what the server asked for (Retry-After,
	// Retry-After-Ms), false when it is the client's backoff.
	RetryAfter bool
}

// The reasons of GiveUp.
const (
	// GiveUpRetriesExhausted: the attempt was the last one WithMaxRetries allows.
	GiveUpRetriesExhausted = "retries_exhausted"
	// GiveUpRetryBudget: the client's retry budget refused the retry (RetryBudget).
	GiveUpRetryBudget = "retry_budget"
	// GiveUpRetryAfterTooLong: the server asked for a wait longer than the maximum
	// of WithRetryWait.
	GiveUpRetryAfterTooLong = "retry_after_too_long"
	// GiveUpContext: the call's context ended during the wait before the retry.
	GiveUpContext = "context"
)

// GiveUp describes a call that stops retrying although its last attempt failed in
// a way that is retried.
type GiveUp struct {
	// Attempt is the number of the last attempt.
	Attempt int
	// Reason is why no retry is made: GiveUpRetriesExhausted, GiveUpRetryBudget,
	// GiveUpRetryAfterTooLong or GiveUpContext.
	Reason string
	// Cause is how the last attempt failed, as Retry.Reason.
	Cause string
}

// observing reports whether the client has any observer.
func (c *Client) observing() bool { return len(c.observers) > 0 }

// startAttempt tells the observers that the attempt of st is starting, and returns
// the attempt's context and the headers they want added.
func (c *Client) startAttempt(ctx context.Context, st *callState, waited time.Duration) (context.Context, http.Header) {
	st.attemptStart = time.Now()
	st.attemptOpen = true
	a := Attempt{Number: int(st.tries), Start: st.attemptStart, RateLimitWait: waited, Header: make(http.Header)}
	for _, o := range c.observers {
		if o.AttemptStart != nil {
			if next := o.AttemptStart(ctx, &st.call, a); next != nil {
				ctx = next
			}
		}
	}
	st.attemptCtx = ctx
	return ctx, a.Header
}

// endAttempt tells the observers how the open attempt of st ended.
func (c *Client) endAttempt(st *callState, resp *http.Response, err error) {
	if !st.attemptOpen {
		return
	}
	st.attemptOpen = false
	a := Attempt{Number: int(st.tries), Start: st.attemptStart, Duration: time.Since(st.attemptStart), ErrorType: outcomeType(resp, err)}
	if resp != nil {
		a.StatusCode = resp.StatusCode
	}
	ctx := st.attemptCtx
	st.attemptCtx = nil
	for _, o := range c.observers {
		if o.AttemptEnd != nil {
			o.AttemptEnd(ctx, &st.call, a)
		}
	}
}

func (c *Client) reportRetry(ctx context.Context, st *callState, r Retry) {
	for _, o := range c.observers {
		if o.Retry != nil {
			o.Retry(ctx, &st.call, r)
		}
	}
}

func (c *Client) reportGiveUp(ctx context.Context, st *callState, g GiveUp) {
	for _, o := range c.observers {
		if o.GiveUp != nil {
			o.GiveUp(ctx, &st.call, g)
		}
	}
}

// outcomeType is the ErrorType of an attempt that got resp or failed with err.
func outcomeType(resp *http.Response, err error) string {
	if err == nil {
		if resp != nil && resp.StatusCode >= 400 {
			return strconv.Itoa(resp.StatusCode)
		}
		return ""
	}
	return errorType(err)
}

// errorType classes a failure without a usable answer, without any URL, header or
// token in the result.
func errorType(err error) string {
	var te *tokenError
	var rw *rateLimitWaitError
	var dnsErr *net.DNSError
	var oe *net.OpError
	var ne net.Error
	switch {
	case errors.As(err, &te):
		return "token_source"
	case errors.As(err, &rw), errors.Is(err, errRateLimiterRefuses):
		return "rate_limit_wait"
	case errors.Is(err, ErrCrossOriginRedirect):
		return "cross_origin_redirect"
	case errors.Is(err, ErrResponseTooLarge):
		return "response_too_large"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &dnsErr):
		return "dns"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection_reset"
	case errors.As(err, &oe) && oe.Op == "dial":
		return "dial"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection_closed"
	}
	return "_OTHER"
}
