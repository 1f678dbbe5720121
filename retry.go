package connapi

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// isIdempotentMethod reports whether repeating a request with this method is safe.
func isIdempotentMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// checkRetry is the retry policy handed to retryablehttp. Decisions on a status code
// return a nil error so that the final response reaches do() and becomes an APIError.
//
// When it decides to retry, it also waits before returning, because the wait
// depends on the call (why the attempt failed, the retry budget), which
// retryablehttp's Backoff is not given; Backoff then returns 0.
//
// retryablehttp calls it once per attempt, and a second time for an answer it
// does not retry, once the response handler has read its body: an attempt ends
// (for the observers) at its last call.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateFrom(ctx)
	if st == nil { // every request of the client carries its call state
		return false, err
	}
	if resp != nil {
		st.lastResp = resp // kept for a call that then ends during the wait
	}
	// Without a retry, an answer whose body is not read yet is checked again.
	final := resp == nil || err != nil || st.bodyRead
	if ctx.Err() != nil {
		// No retry: the call ends with its context. Whether the server may
		// have applied this attempt still decides how a write reads.
		markAmbiguous(st, resp, err)
		if final {
			c.endAttempt(st, resp, err)
		}
		if err != nil {
			return false, ctxError(ctx, err) // keep what failed
		}
		return false, ctx.Err()
	}
	d := c.policy(ctx, st, resp, err)
	if d.retry && int(st.tries) > c.rc.RetryMax {
		d.retry, d.giveUp = false, GiveUpRetriesExhausted // no retry left
	}
	if d.retry {
		// The retry that led to this attempt failed: what it took is spent.
		// Otherwise its cost stays with the call, for a success to give back.
		st.retryCost = 0
	}
	if d.retry && !d.free {
		cost, ok := c.budget.take(d.timeout)
		if !ok {
			// The client's retry budget is spent: the last answer stands. A
			// refusal is counted once, at the attempt's last check.
			d.retry, d.giveUp = false, GiveUpRetryBudget
			if final {
				c.stats.denied.Add(1)
			}
		}
		st.retryCost = cost
	}
	if !d.retry && !final {
		return false, d.err // its body is read, then this runs again
	}
	if c.observing() {
		c.endAttempt(st, resp, err)
		if d.giveUp != "" {
			c.reportGiveUp(ctx, st, GiveUp{Attempt: int(st.tries), Reason: d.giveUp, Cause: outcomeType(resp, err)})
		}
	}
	if !d.retry {
		return false, d.err
	}
	wait := time.Duration(0)
	if !d.noWait {
		wait = computeBackoff(c.rc.RetryWaitMin, c.rc.RetryWaitMax, int(st.tries)-1, resp, time.Now())
	}
	if c.waitHook != nil {
		wait = c.waitHook(wait)
	}
	if c.observing() {
		r := Retry{Attempt: int(st.tries), Reason: outcomeType(resp, err), Wait: wait}
		if resp != nil && !d.noWait {
			_, r.RetryAfter = parseRetryAfter(resp.Header, time.Now())
		}
		c.reportRetry(ctx, st, r)
	}
	if resp != nil {
		// Read the answer into the call's buffer, which frees the connection
		// before the wait: should the call end before its retry reaches the
		// server, this answer is what it returns, with the server's message.
		c.keepAnswer(st, resp)
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			c.budget.give(st.retryCost) // the retry never happened
			st.retryCost = 0
			if c.observing() {
				c.reportGiveUp(ctx, st, GiveUp{Attempt: int(st.tries), Reason: GiveUpContext, Cause: outcomeType(resp, err)})
			}
			if err != nil {
				return false, ctxError(ctx, err) // keep what failed
			}
			return false, ctx.Err()
		case <-t.C:
		}
	}
	// The retry is counted, and its tokens spent, once it is handed to the
	// transport (authTransport); the rate limiter, the TokenSource or the
	// context may still stop it before (send gives the tokens back).
	st.retryPending = true
	return true, nil
}

// decision is what the policy makes of one attempt's outcome.
type decision struct {
	retry   bool
	err     error  // the error the call ends with when it is not retried (nil: the response)
	free    bool   // a retry the budget does not pay for
	timeout bool   // the attempt timed out: its retry costs the budget more
	noWait  bool   // retry at once: a fresh token or connection is what it needs
	giveUp  string // why a failure that is retried otherwise is not (GiveUp.Reason)
}

// policy decides whether an attempt that ended with resp or err is retried. Only
// requests the server cannot have seen, or idempotent ones, are sent again after a
// failure; a one-shot call (a single-use OAuth code) goes out at most once. A
// server's X-Should-Retry may stop retries, and may ask to retry an idempotent call
// on a status not retried otherwise, but never widens what the method allows.
func (c *Client) policy(ctx context.Context, st *callState, resp *http.Response, err error) decision {
	if err != nil {
		var te *tokenError
		var rw *rateLimitWaitError
		if errors.As(err, &te) || errors.Is(err, ErrCrossOriginRedirect) || errors.As(err, &rw) || errors.Is(err, errRateLimiterRefuses) {
			return decision{err: err} // nothing was sent, or nothing may be
		}
		var be *bodyError
		if errors.As(err, &be) {
			// The server answered; reading the body failed. A 2xx or 5xx may have
			// been applied.
			if resp == nil || resp.StatusCode < 400 || (resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable) {
				st.ambiguous = true
			}
			if !st.idempotent {
				return decision{} // keep the response: do() reports what it can
			}
			return decision{retry: true, timeout: isTimeout(err)}
		}
		if st.maySent(err) {
			st.ambiguous = true
			if !st.idempotent {
				// The request may have reached the server: repeating a POST could
				// create a second object, a one-shot call would spend its code twice.
				return decision{err: err}
			}
		}
		if ok, perr := retryablehttp.DefaultRetryPolicy(ctx, nil, err); !ok {
			if perr == nil {
				perr = err
			}
			return decision{err: perr}
		}
		return decision{retry: true, timeout: isTimeout(err), noWait: st.reusedConn()}
	}
	code := resp.StatusCode
	if code < 400 {
		return decision{} // a success is never repeated, whatever the headers say
	}
	if code >= 500 && code != http.StatusServiceUnavailable {
		st.ambiguous = true // the request may have been applied before the failure
	}
	hint := strings.ToLower(strings.TrimSpace(resp.Header.Get("X-Should-Retry")))
	if hint == "false" {
		return decision{}
	}
	if st.oneShot {
		return decision{} // it reached the server: never again
	}
	if code == http.StatusUnauthorized {
		return decision{retry: c.reauthenticate(st), free: true, noWait: true}
	}
	if hint == "true" && st.idempotent {
		return c.retryWithinCap(resp)
	}
	switch code {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		// The server refused before doing any work: safe for every method.
		return c.retryWithinCap(resp)
	case http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		if st.idempotent {
			return c.retryWithinCap(resp)
		}
	}
	return decision{}
}

// markAmbiguous sets st.ambiguous when the attempt that ended with resp or err
// may have been applied, as the policy does, for an attempt not given to the
// policy because the call's context had ended: its request may have reached
// the server (a network failure that is not a dial error, the context's own
// error among them), or the server answered with a success, a redirect, or a
// 5xx other than 503 (an error status below 500, or a 503, says the request was
// not applied).
func markAmbiguous(st *callState, resp *http.Response, err error) {
	switch {
	case resp != nil:
		if resp.StatusCode < 400 || (resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable) {
			st.ambiguous = true
		}
	case err != nil && st.maySent(err):
		st.ambiguous = true
	}
}

// retryWithinCap retries a status that may be retried, unless the server asks
// for a longer wait than the client's maximum.
func (c *Client) retryWithinCap(resp *http.Response) decision {
	if !c.withinRetryAfterCap(resp) {
		return decision{giveUp: GiveUpRetryAfterTooLong}
	}
	return decision{retry: true}
}

// reauthenticate makes the TokenSource forget the token a 401 rejected, once per
// call, and reports whether the call may be retried with a fresh one. The server
// refused before doing any work, so this is safe for any method.
func (c *Client) reauthenticate(st *callState) bool {
	if st.callerAuth || st.reauthenticated || st.token == "" {
		return false
	}
	switch ts := c.tokenSource.(type) {
	case TokenInvalidator:
		ts.InvalidateToken(st.token) // only that token: a newer one is kept
	case interface{ Invalidate() }:
		ts.Invalidate()
	default:
		return false
	}
	st.reauthenticated = true
	return true
}

// withinRetryAfterCap is false when the server asks for a longer wait than the
// client's maximum: the caller then gets the APIError with RetryAfter at once.
func (c *Client) withinRetryAfterCap(resp *http.Response) bool {
	d, ok := parseRetryAfter(resp.Header, time.Now())
	return !ok || d <= c.retryWaitMax
}

// isDialError reports whether err happened before a connection existed, so the
// server cannot have seen the request.
func isDialError(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// isTimeout reports whether an attempt failed by running out of time.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// backoff is retryablehttp's Backoff. checkRetry has already waited.
func (c *Client) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return 0
}

func computeBackoff(minWait, maxWait time.Duration, attempt int, resp *http.Response, now time.Time) time.Duration {
	if maxWait <= 0 {
		return 0
	}
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header, now); ok {
			return min(d, maxWait)
		}
	}
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		if d > maxWait/2 {
			d = maxWait // doubling would pass it, or overflow
			break
		}
		d *= 2
	}
	d = min(d, maxWait)
	if half := d / 2; half > 0 {
		d = half + rand.N(half+1)
	}
	return d
}

// maxRetryAfter bounds what parseRetryAfter reports, so no header overflows a
// time.Duration. A server asking for more (even a number too large for any integer
// type) gets exactly this: a wait longer than any cap, so the call returns at once.
const maxRetryAfter = 365 * 24 * time.Hour

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP-date (RFC 9110
// §10.2.3), and the Retry-After-Ms extension some gateways send. ok is false when
// the header is absent or unreadable; a date in the past gives 0. A value too large
// to represent gives maxRetryAfter.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		// ParseFloat gives ±Inf with ErrRange for a number beyond float64.
		if ms, err := strconv.ParseFloat(v, 64); (err == nil || errors.Is(err, strconv.ErrRange)) && ms >= 0 && !math.IsNaN(ms) {
			if ms >= float64(maxRetryAfter/time.Millisecond) {
				return maxRetryAfter, true
			}
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		// On ErrRange, secs is the largest int64 of the number's sign.
		if secs < 0 {
			return 0, false
		}
		if secs >= int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}
