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
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	st := stateFrom(ctx)
	if st != nil && resp != nil {
		st.lastResp = resp // kept for a call that then ends during the wait
	}
	idempotent := st == nil || st.idempotent
	if err != nil {
		var te *tokenError
		if errors.As(err, &te) {
			return false, err
		}
		var be *bodyError
		if errors.As(err, &be) && !idempotent {
			return false, nil // the server answered: a write happened; keep the response
		}
		if !idempotent && !isDialError(err) {
			// The request may have reached the server: repeating a POST could
			// create a second object.
			return false, err
		}
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	if resp.StatusCode < 400 {
		return false, nil // a success is never repeated, whatever the headers say
	}
	if resp.StatusCode == http.StatusUnauthorized {
		// A token the server no longer accepts (revoked, expired early): a
		// TokenSource that can forget its token gets one more try with a fresh one.
		// The server refused before doing any work, so this is safe for any method.
		if st == nil || st.callerAuth || st.reauthenticated || st.token == "" {
			return false, nil
		}
		switch ts := c.tokenSource.(type) {
		case TokenInvalidator:
			ts.InvalidateToken(st.token) // only that token: a newer one is kept
		case interface{ Invalidate() }:
			ts.Invalidate()
		default:
			return false, nil
		}
		st.reauthenticated = true
		return true, nil
	}
	switch v := strings.ToLower(resp.Header.Get("X-Should-Retry")); v {
	case "true":
		return c.withinRetryAfterCap(resp), nil
	case "false":
		return false, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return c.withinRetryAfterCap(resp), nil
	case http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return idempotent && c.withinRetryAfterCap(resp), nil
	}
	return false, nil
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

// backoff returns the wait before the next attempt: Retry-After when the server sent
// one (never above max), otherwise min·2^attempt with equal jitter, capped at max.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	d := computeBackoff(minWait, maxWait, attempt, resp, time.Now())
	if resp != nil && resp.StatusCode == http.StatusUnauthorized {
		d = 0 // a fresh token, not time, is what the retry needs
	}
	if c.waitHook != nil {
		return c.waitHook(d)
	}
	return d
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
