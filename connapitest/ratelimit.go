package connapitest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimitHeaders names the headers that WithRateLimit sends.
type RateLimitHeaders int

const (
	// XRateLimitHeaders sends X-RateLimit-Limit, X-RateLimit-Remaining and
	// X-RateLimit-Reset (seconds until the window resets), as many APIs do.
	XRateLimitHeaders RateLimitHeaders = iota
	// IETFRateLimitHeaders sends RateLimit-Limit, RateLimit-Remaining,
	// RateLimit-Reset (seconds until the window resets) and RateLimit-Policy
	// ("<limit>;w=<window seconds>"), as in draft 06 of the IETF's RateLimit
	// header fields for HTTP (draft-ietf-httpapi-ratelimit-headers).
	IETFRateLimitHeaders
	// StructuredRateLimitHeaders sends RateLimit (`"default";r=<remaining>;t=<reset>`)
	// and RateLimit-Policy (`"default";q=<limit>;w=<window>`), as in the later
	// drafts' structured fields.
	StructuredRateLimitHeaders
)

// WithRateLimit makes the server accept at most limit requests to the four APIs
// per window (the token endpoints are not limited). Windows are fixed: the first
// starts at the first request, the next at the first request after it ended, by
// the server's clock (WithClock). Every answer carries the rate-limit headers
// that h names; a request over the limit is not run and gets 429 in the family's
// error shape, with Retry-After (whole seconds until the window resets, rounded
// up) and the headers saying that nothing remains. Faults apply after the limit:
// a faulted request counts against it.
func WithRateLimit(limit int, window time.Duration, h RateLimitHeaders) Option {
	return func(c *config) {
		c.rateLimit = &rateWindow{limit: max(limit, 0), window: max(window, time.Millisecond), headers: h}
	}
}

// rateWindow is WithRateLimit's counter.
type rateWindow struct {
	limit   int
	window  time.Duration
	headers RateLimitHeaders

	mu    sync.Mutex
	start time.Time // of the current window
	used  int       // requests admitted in it
}

// admit counts a request arriving at now and sets the rate-limit headers on hdr;
// it reports false when the window has no request left.
func (rw *rateWindow) admit(hdr http.Header, now time.Time) bool {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.start.IsZero() || !now.Before(rw.start.Add(rw.window)) {
		rw.start, rw.used = now, 0
	}
	ok := rw.used < rw.limit
	if ok {
		rw.used++
	}
	remaining := rw.limit - rw.used
	secs := int((rw.start.Add(rw.window).Sub(now) + time.Second - 1) / time.Second)
	limit, reset, rem := strconv.Itoa(rw.limit), strconv.Itoa(secs), strconv.Itoa(remaining)
	window := strconv.Itoa(int((rw.window + time.Second - 1) / time.Second))
	switch rw.headers {
	case IETFRateLimitHeaders:
		hdr.Set("RateLimit-Limit", limit)
		hdr.Set("RateLimit-Remaining", rem)
		hdr.Set("RateLimit-Reset", reset)
		hdr.Set("RateLimit-Policy", limit+";w="+window)
	case StructuredRateLimitHeaders:
		hdr.Set("RateLimit", `"default";r=`+rem+";t="+reset)
		hdr.Set("RateLimit-Policy", `"default";q=`+limit+";w="+window)
	default:
		hdr.Set("X-RateLimit-Limit", limit)
		hdr.Set("X-RateLimit-Remaining", rem)
		hdr.Set("X-RateLimit-Reset", reset)
	}
	if !ok {
		hdr.Set("Retry-After", reset)
	}
	return ok
}
