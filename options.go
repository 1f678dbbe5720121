package connapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/textproto"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/connapi/connapi-go/pagination"
	"golang.org/x/time/rate"
)

// Default values used by NewClient when the corresponding option is not given.
const (
	// DefaultMaxRetries is the number of retries after the first attempt (3 attempts in all).
	DefaultMaxRetries = 2
	// DefaultRetryWaitMin is the shortest wait between two attempts.
	DefaultRetryWaitMin = 500 * time.Millisecond
	// DefaultRetryWaitMax is the longest wait between two attempts. It also caps
	// Retry-After: a server that asks for a longer wait is not retried.
	DefaultRetryWaitMax = 10 * time.Second
	// DefaultMaxResponseBytes caps how much of a response body the client reads.
	DefaultMaxResponseBytes = 32 << 20
	// DefaultMaxIdleConnsPerHost is how many idle keep-alive connections to the
	// API's host the client's own transport keeps (when WithHTTPClient gives none),
	// or GOMAXPROCS+1 if that is more: 64 callers at once find a connection each
	// when they call again, instead of closing and redialing the ones a smaller
	// pool cannot keep.
	DefaultMaxIdleConnsPerHost = 64
)

// Base URLs of the public deployments of the four platforms, for WithBaseURL.
const (
	StackAIBaseURL  = "https://api.stack-ai.com/"
	PipesHubBaseURL = "https://app.pipeshub.com/api/v1/"
	InstillBaseURL  = "https://api.instill-ai.com/"
	OpenIntBaseURL  = "https://api.openint.dev/v0/"
)

// clientConfig collects what the options set; NewClient validates it as a whole.
type clientConfig struct {
	baseURL          string
	baseURLSet       bool
	httpClient       *http.Client
	bearer           string
	apiKey           string
	connectionID     string
	tokenSource      TokenSource
	userAgent        string
	maxRetries       int
	retryWaitMin     time.Duration
	retryWaitMax     time.Duration
	logger           *slog.Logger
	defaultReqOpts   []RequestOption
	maxResponseBytes int64
	allowInsecure    bool
	budget           RetryBudget
	noBudget         bool
	platform         Platform
	middleware       []Middleware
	observers        []Observer
	limiter          *rate.Limiter
	rateLimitHeaders bool
}

// Option configures a Client. Options are applied in order by NewClient; an option
// given a bad value makes NewClient return an error.
type Option func(*clientConfig) error

// WithBaseURL sets the platform's base URL, for example PipesHubBaseURL or the URL of
// a connapitest server. A base path such as /api/v1 is kept, and a missing trailing
// slash is added, so "https://host/api/v1" and "https://host/api/v1/" are the same.
// The URL must be absolute http or https, without query or fragment.
func WithBaseURL(rawURL string) Option {
	return func(c *clientConfig) error {
		c.baseURL = rawURL
		c.baseURLSet = true
		return nil
	}
}

// WithHTTPClient makes the client send requests through a copy of hc. The caller's
// client is never modified: its Transport, Jar and Timeout are used as they are, and
// the SDK wraps the transport to add credentials and guards redirects in its copy.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *clientConfig) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		if hc.Transport != nil && isNil(hc.Transport) {
			return errors.New("WithHTTPClient: the client's Transport is a nil pointer")
		}
		cp := *hc
		c.httpClient = &cp
		return nil
	}
}

// WithBearerToken sends "Authorization: Bearer <token>" on every request. Use it for
// Stack AI, PipesHub (JWT or personal access token), Instill AI (instill_sk_…) and
// OpenInt customer tokens.
func WithBearerToken(token string) Option {
	return func(c *clientConfig) error {
		if strings.TrimSpace(token) == "" {
			return errors.New("WithBearerToken: empty token")
		}
		if !validHeaderValue(token) {
			return errors.New("WithBearerToken: the token has a control character, which no header can carry")
		}
		c.bearer = token
		return nil
	}
}

// WithAPIKey sends the header "x-apikey: <key>" on every request (OpenInt).
func WithAPIKey(key string) Option {
	return func(c *clientConfig) error {
		if strings.TrimSpace(key) == "" {
			return errors.New("WithAPIKey: empty key")
		}
		if !validHeaderValue(key) {
			return errors.New("WithAPIKey: the key has a control character, which no header can carry")
		}
		c.apiKey = key
		return nil
	}
}

// WithConnectionID sends the header "x-connection-id: <id>" on every request
// (OpenInt). The OpenInt spec marks it as required next to x-apikey, but the server
// needs it only for unified and proxy calls, not for the core connection endpoints.
func WithConnectionID(id string) Option {
	return func(c *clientConfig) error {
		if strings.TrimSpace(id) == "" {
			return errors.New("WithConnectionID: empty connection id")
		}
		if !validHeaderValue(id) {
			return errors.New("WithConnectionID: the connection id has a control character, which no header can carry")
		}
		c.connectionID = id
		return nil
	}
}

// WithTokenSource asks ts for a bearer token on every attempt, retries included, so a
// token refreshed between attempts is used at once. It cannot be combined with
// WithBearerToken. A nil ts, or one holding a nil pointer or func (a constructor's
// result whose error went unchecked), is an error.
func WithTokenSource(ts TokenSource) Option {
	return func(c *clientConfig) error {
		if isNil(ts) {
			return errors.New("WithTokenSource: nil TokenSource")
		}
		c.tokenSource = ts
		return nil
	}
}

// WithUserAgent appends product tokens to the User-Agent, which is always
// "connapi-go/<Version>" first: WithUserAgent("myapp/1.2") gives
// "connapi-go/<Version> myapp/1.2".
func WithUserAgent(ua string) Option {
	return func(c *clientConfig) error {
		ua = strings.TrimSpace(ua)
		if ua == "" || !validHeaderValue(ua) {
			return errors.New("WithUserAgent: empty user agent, or one with a control character")
		}
		c.userAgent = ua
		return nil
	}
}

// WithMaxRetries sets how many times a failed request may be retried (0 means one
// attempt only). The default is DefaultMaxRetries. Which failures are retried is
// described in the package documentation under "Retries"; a server's
// X-Should-Retry: false stops them, and X-Should-Retry: true never makes a call
// retried that its method does not allow to repeat.
func WithMaxRetries(n int) Option {
	return func(c *clientConfig) error {
		if n < 0 {
			return fmt.Errorf("WithMaxRetries: negative retry count %d", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithRetryWait sets the shortest and longest wait between attempts. Waits grow
// exponentially from min with jitter, and never exceed max. A Retry-After header is
// honoured up to max; a server asking for more than max is not retried, and the
// APIError carries its RetryAfter. WithRetryWait(0, 0) retries without waiting, which
// is what tests want.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(c *clientConfig) error {
		if minWait < 0 || maxWait < 0 {
			return errors.New("WithRetryWait: negative wait")
		}
		if minWait > maxWait {
			return fmt.Errorf("WithRetryWait: min %s is above max %s", minWait, maxWait)
		}
		c.retryWaitMin, c.retryWaitMax = minWait, maxWait
		return nil
	}
}

// WithoutRetries turns retries off: every call sends exactly one request on the
// wire (net/http's own re-sends on a failed kept-alive connection are prevented
// too), not even a second one after a 401.
func WithoutRetries() Option {
	return func(c *clientConfig) error {
		c.maxRetries = 0
		return nil
	}
}

// WithLogger sends the client's records to l: at Debug one per attempt (its
// number, status or error class, duration and request id), at Info one per retry
// (the attempt that failed, the reason, the wait), at Warn one per call that gives
// up retrying (retries exhausted, the retry budget spent, a Retry-After too long,
// the context ended during the wait). Records name the operation, its platform,
// method and path template, never the filled-in path; headers, bodies and query
// values are never logged, and the request id passes the call's redactor. The
// attribute keys are listed in the package documentation ("Production"). By default
// nothing is logged anywhere.
func WithLogger(l *slog.Logger) Option {
	return func(c *clientConfig) error {
		if l == nil {
			return errors.New("WithLogger: nil *slog.Logger")
		}
		c.logger = l
		return nil
	}
}

// WithDefaultRequestOptions applies opts to every request, before the options given
// to the call itself (which therefore win).
func WithDefaultRequestOptions(opts ...RequestOption) Option {
	return func(c *clientConfig) error {
		for _, o := range opts {
			if o == nil {
				return errors.New("WithDefaultRequestOptions: nil RequestOption")
			}
		}
		c.defaultReqOpts = append(c.defaultReqOpts, opts...)
		return nil
	}
}

// WithMaxResponseBytes caps how many bytes of a response body the client reads
// (default DefaultMaxResponseBytes). A larger body fails with ErrResponseTooLarge
// instead of being read without bound.
func WithMaxResponseBytes(n int64) Option {
	return func(c *clientConfig) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes: %d is not positive", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// WithInsecureHTTP allows credentials to be sent over plain http:// to a host other
// than loopback. Without it, NewClient refuses such a base URL when a credential is
// configured, because the credential would cross the network in clear text.
func WithInsecureHTTP() Option {
	return func(c *clientConfig) error {
		c.allowInsecure = true
		return nil
	}
}

// requestConfig is what RequestOptions set for one call.
type requestConfig struct {
	header         http.Header
	query          url.Values
	idempotencyKey string
	timeout        time.Duration
	// noRedirect hands a 3xx response back to the method instead of following it
	// (set by methods whose answer is the redirect itself).
	noRedirect bool
	// notIdempotent marks a call that must never be repeated blindly whatever its
	// method, such as the exchange of a one-time OAuth code.
	notIdempotent bool
	// allowEmpty accepts a 2xx with no body where the method decodes a result.
	allowEmpty bool
	// prefetch makes an …Iter method fetch the next page while the caller works on
	// the current one.
	prefetch bool
}

// RequestOption changes one call. Pass any number at the end of a service method;
// client-wide defaults come from WithDefaultRequestOptions.
type RequestOption func(*requestConfig)

// WithHeader sets header key to value on this request. Credential headers set here
// (Authorization, x-apikey, x-connection-id) replace the client's for this call, and
// are still dropped on a redirect to another host.
func WithHeader(key, value string) RequestOption {
	return func(rc *requestConfig) {
		if rc.header == nil {
			rc.header = make(http.Header)
		}
		rc.header.Set(textproto.CanonicalMIMEHeaderKey(key), value)
	}
}

// WithIdempotencyKey sends "Idempotency-Key: <key>" and marks the request as safe to
// retry: a POST or PATCH carrying a key is retried on 408, 500, 502 and 504 like a GET,
// and X-Should-Retry: true may have it retried on other statuses. Use it only where
// the platform deduplicates on the key, or where repeating the write is harmless. It
// does not make a single-use OAuth code exchange repeatable: those go out at most
// once. Only the SDK's policy repeats a keyed request, never net/http on its own.
func WithIdempotencyKey(key string) RequestOption {
	return func(rc *requestConfig) { rc.idempotencyKey = key }
}

// WithRequestTimeout bounds each attempt of this request, from sending to the last
// byte of the body, to d. Retries get a fresh d each; the call as a whole is bounded
// by its context.
func WithRequestTimeout(d time.Duration) RequestOption {
	return func(rc *requestConfig) { rc.timeout = d }
}

// withoutRedirects makes the call return a 3xx response as its result instead of
// following it.
func withoutRedirects() RequestOption {
	return func(rc *requestConfig) { rc.noRedirect = true }
}

// oneShot marks a call that goes out at most once (the exchange of a single-use
// OAuth code): it is sent again only when it cannot have reached the server (no
// connection could be made), whatever its method, key or answer.
func oneShot() RequestOption {
	return func(rc *requestConfig) { rc.notIdempotent = true }
}

// emptyOK lets the call succeed on a 2xx without a body.
func emptyOK() RequestOption {
	return func(rc *requestConfig) { rc.allowEmpty = true }
}

// WithQuery adds a query parameter to this request, next to the ones the method's
// parameters produce. It is an escape hatch for parameters the SDK does not model yet.
// The value is treated as a secret: it never shows in an error or a log record,
// even echoed by the server (see the package documentation, "Errors").
func WithQuery(key, value string) RequestOption {
	return func(rc *requestConfig) {
		if rc.query == nil {
			rc.query = make(url.Values)
		}
		rc.query.Add(key, value)
	}
}

// WithPrefetch makes an …Iter method fetch page n+1 while the loop body works on
// the items of page n, so that a caller that spends time on each item waits less
// for the next page. Other methods ignore it. Off by default; the walk then holds
// two pages at once instead of one.
//
// The iterator rules stay: nothing is fetched before the first step; a break
// cancels the request in flight and waits for it to end, so no request and no
// goroutine outlives the loop (a break may therefore have started, and cancelled,
// one more request than without prefetch); an error is yielded once, after the
// items before it; stalled paging is detected as without prefetch. See
// pagination.Prefetch.
func WithPrefetch() RequestOption {
	return func(rc *requestConfig) { rc.prefetch = true }
}

// pageOptions turns the client's default request options and opts into the
// options of a walk.
func (c *Client) pageOptions(opts []RequestOption) []pagination.Option {
	var rc requestConfig
	for _, o := range c.defaultReqOpts {
		o(&rc)
	}
	for _, o := range opts {
		if o != nil {
			o(&rc)
		}
	}
	if rc.prefetch {
		return []pagination.Option{pagination.Prefetch()}
	}
	return nil
}

// validHeaderValue reports whether v can be sent as a header field's value:
// no control character but a tab (RFC 9110 §5.5), as net/http checks before
// it sends a request.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// validHeaderName reports whether k is a header field's name: a token of
// RFC 9110 §5.6.2.
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// checkHeaders refuses, before any request, the headers of a call's options that
// net/http would refuse to send: it names the header, never its value.
func (rc *requestConfig) checkHeaders() error {
	for k, vs := range rc.header {
		if !validHeaderName(k) {
			return fmt.Errorf("header name %q is not a token (RFC 9110 §5.6.2)", k)
		}
		for _, v := range vs {
			if !validHeaderValue(v) {
				return fmt.Errorf("header %s has a control character in its value", k)
			}
		}
	}
	if !validHeaderValue(rc.idempotencyKey) {
		return errors.New("header Idempotency-Key has a control character in its value")
	}
	return nil
}

// isNil reports whether v is nil, or holds a nil pointer, func, map, channel or
// slice: a nil *PasswordGrantTokenSource whose constructor's error went
// unchecked is no TokenSource, and would panic at the first call.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Chan, reflect.Slice, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}
