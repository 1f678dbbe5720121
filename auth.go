package connapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
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

// callState travels in the request context from do() through retryablehttp into the
// transport and the retry policy. It belongs to one call.
type callState struct {
	method     string
	idempotent bool
	timeout    time.Duration
	noRedirect bool
	callerAuth bool           // the caller set Authorization for this call
	authErr    error          // the TokenSource's failure for the coming attempt
	lastResp   *http.Response // the last response seen, body already consumed
	// reauthenticated is set once a 401 made the TokenSource forget its token.
	reauthenticated bool
	token           string // the TokenSource's token sent on the current attempt
	attempts        atomic.Int32
	secrets         atomic.Pointer[[]string] // token values sent, for redaction
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
	base         http.RoundTripper
	scheme, host string // credentials go to this origin only
	logger       *slog.Logger
	secrets      []string // static credentials, never logged (a connection id may sit in a path)
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := stateFrom(ctx)
	r := req
	if st != nil {
		if st.authErr != nil {
			closeBody(req)
			return nil, st.authErr
		}
	}
	if !strings.EqualFold(r.URL.Scheme, t.scheme) || !strings.EqualFold(r.URL.Host, t.host) {
		r = req.Clone(ctx)
		for _, h := range credentialHeaders {
			r.Header.Del(h)
		}
	}
	var cancel context.CancelFunc
	if st != nil && st.timeout > 0 {
		var tctx context.Context
		tctx, cancel = context.WithTimeout(ctx, st.timeout)
		r = r.WithContext(tctx)
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	t.logAttempt(ctx, r, st, resp, err, time.Since(start))
	if cancel != nil {
		if err != nil {
			cancel()
		} else {
			resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
		}
	}
	return resp, err
}

// setStaticCredentials sets the client's fixed credentials on h, once per call,
// leaving alone any the caller set for this call with WithHeader.
func (c *Client) setStaticCredentials(h http.Header) {
	if c.bearer != "" && h.Get(headerAuthorization) == "" {
		h.Set(headerAuthorization, "Bearer "+c.bearer)
	}
	if c.apiKey != "" && h.Get(headerAPIKey) == "" {
		h.Set(headerAPIKey, c.apiKey)
	}
	if c.connectionID != "" && h.Get(headerConnectionID) == "" {
		h.Set(headerConnectionID, c.connectionID)
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
	st.attempts.Add(1) // here, not in the transport, so a followed redirect is no attempt
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

func (t *authTransport) logAttempt(ctx context.Context, r *http.Request, st *callState, resp *http.Response, err error, d time.Duration) {
	if !t.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", redactValues(r.URL.EscapedPath(), t.secrets)),
		slog.Duration("duration", d),
	}
	if st != nil {
		attrs = append(attrs, slog.Int("attempt", int(st.attempts.Load())))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", errorKind(err)))
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := requestIDFromHeader(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	t.logger.LogAttrs(ctx, slog.LevelDebug, "connapi: attempt", attrs...)
}

// errorKind describes a transport error without any URL, header or token in it.
func errorKind(err error) string {
	var te *tokenError
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &te):
		return "token source failed"
	case errors.Is(err, context.Canceled):
		return "context canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline exceeded"
	case errors.As(err, &oe):
		return "network error: " + oe.Op
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	}
	return "transport error"
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

// checkRedirect refuses to carry credentials to another origin: Go's client drops
// Authorization on a cross-host redirect but forwards custom headers such as
// x-apikey. The transport already adds credentials only towards the configured
// origin; this removes any that the copied headers would carry, and then defers to
// the caller's own CheckRedirect, if any.
func checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if st := stateFrom(req.Context()); st != nil && st.noRedirect {
			return http.ErrUseLastResponse
		}
		if len(via) > 0 {
			first := via[0].URL
			if !strings.EqualFold(req.URL.Host, first.Host) || (first.Scheme == "https" && req.URL.Scheme != "https") {
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

// isLoopbackHost reports whether host (without port) names this machine.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
