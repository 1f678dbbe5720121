package connapi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// WithRateLimit makes every attempt of the client's calls, retries included, wait
// for a token of a limiter of its own: limit requests per second on average,
// bursts of at most burst (golang.org/x/time/rate). A wait ends when the call's
// context does; a call whose deadline would pass before its turn fails at once
// with an error matching context.DeadlineExceeded, without a request. Use
// WithRateLimiter to share one limiter between clients.
func WithRateLimit(limit rate.Limit, burst int) Option {
	return func(c *clientConfig) error {
		if !(limit > 0) || math.IsNaN(float64(limit)) {
			return fmt.Errorf("WithRateLimit: limit %v is not positive", limit)
		}
		if burst < 1 {
			return fmt.Errorf("WithRateLimit: burst %d is below 1", burst)
		}
		c.limiter = rate.NewLimiter(limit, burst)
		return nil
	}
}

// WithRateLimiter is WithRateLimit with a limiter of the caller's, which several
// clients (the clients of several credentials of one vendor account, say) may
// share, and which may be retuned while they run (SetLimit, SetBurst). Every
// attempt takes one token. A limiter that lets no request go, whose burst is 0
// or whose limit is 0 once its burst is spent, fails a call at once, without a
// request or a retry, rather than wait for a turn that never comes.
func WithRateLimiter(l *rate.Limiter) Option {
	return func(c *clientConfig) error {
		if l == nil {
			return errors.New("WithRateLimiter: nil *rate.Limiter")
		}
		c.limiter = l
		return nil
	}
}

// WithRateLimitHeaders makes the client slow itself down before the vendor
// refuses it with 429: when an answer says that no request is left in the
// current window, every attempt of the client's calls waits until the window
// resets (at most the maximum wait of WithRetryWait: beyond it, the server's 429
// and its Retry-After decide, as for any 429). It reads the headers of the IETF
// draft (RateLimit-Remaining and RateLimit-Reset, or RateLimit with r= and t=)
// and the common X-RateLimit-Remaining and X-RateLimit-Reset (seconds to wait,
// or the Unix time of the reset). Their numbers are plain decimal numbers: a
// header holding anything else (a sign, an exponent, a date) is ignored. Calls
// already on their way when the window ran out may still get a 429, which is
// retried as usual.
func WithRateLimitHeaders() Option {
	return func(c *clientConfig) error {
		c.rateLimitHeaders = true
		return nil
	}
}

// errRateLimiterRefuses fails an attempt that the client's rate limiter will never
// let go (a burst of 0, or a limit of 0 once the burst is spent): it is not sent,
// and not retried.
var errRateLimiterRefuses = errors.New("the client's rate limiter lets no request go (its limit or burst is 0)")

// rateLimitWaitError is the failure of an attempt that could not get its turn
// before the call's deadline: it was not sent.
type rateLimitWaitError struct{ wait time.Duration }

func (e *rateLimitWaitError) Error() string {
	return fmt.Sprintf("waiting %s for the client's rate limit would pass the context's deadline", e.wait.Round(time.Millisecond))
}

func (e *rateLimitWaitError) Is(target error) bool { return target == context.DeadlineExceeded }

// waitTurn waits until the client's rate limits let an attempt go: the vendor's
// window (WithRateLimitHeaders), then a token of the limiter. It returns how long
// it waited.
func (c *Client) waitTurn(ctx context.Context) (time.Duration, error) {
	clk := c.clock()
	start := clk.now()
	now := start
	if c.serverLimit != nil {
		if until := c.serverLimit.resumeAt(); until.After(now) {
			if err := sleepUntil(ctx, clk, now, until); err != nil {
				return 0, err
			}
			now = clk.now()
		}
	}
	if c.limiter != nil {
		r := c.limiter.ReserveN(now, 1)
		if !r.OK() {
			return 0, errRateLimiterRefuses
		}
		delay := r.DelayFrom(now)
		if delay == rate.InfDuration {
			// A limit of 0, its burst spent: the turn never comes, and no
			// later SetLimit brings a reservation forward.
			r.CancelAt(now)
			return 0, errRateLimiterRefuses
		}
		if at := now.Add(delay); at.After(now) {
			if err := sleepUntil(ctx, clk, now, at); err != nil {
				r.CancelAt(clk.now())
				return 0, err
			}
			now = clk.now()
		}
	}
	return now.Sub(start), nil
}

// sleepUntil waits on clk until at, unless ctx ends first, or would end before.
func sleepUntil(ctx context.Context, clk clock, now, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && at.Sub(now) > time.Until(dl) {
		return &rateLimitWaitError{wait: at.Sub(now)}
	}
	return clk.sleepUntil(ctx, at)
}

// clock is the time of the rate-limit waits: the real one, or a test's.
type clock interface {
	now() time.Time
	// sleepUntil returns when the clock reaches t, or with ctx's error when ctx
	// ends first.
	sleepUntil(ctx context.Context, t time.Time) error
}

func (c *Client) clock() clock {
	if c.clk != nil {
		return c.clk
	}
	return realClock{}
}

type realClock struct{}

func (realClock) now() time.Time { return time.Now() }

func (realClock) sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// serverLimit is what the vendor's rate-limit headers said: no request is left
// until resume.
type serverLimit struct {
	mu     sync.Mutex
	resume time.Time
}

func (s *serverLimit) resumeAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resume
}

// observe reads an answer's rate-limit headers at now; when they say that no
// request is left, the client waits for the reset, at most maxWait from now.
func (s *serverLimit) observe(h http.Header, now time.Time, maxWait time.Duration) {
	reset, ok := exhaustedFor(h, now)
	if !ok {
		return
	}
	until := now.Add(min(reset, maxWait))
	s.mu.Lock()
	if until.After(s.resume) {
		s.resume = until
	}
	s.mu.Unlock()
}

// exhaustedFor reports, from an answer's headers at now, whether no request is
// left in the vendor's window, and how long until it resets.
func exhaustedFor(h http.Header, now time.Time) (time.Duration, bool) {
	if v := h.Get("RateLimit"); v != "" { // draft-ietf-httpapi-ratelimit-headers-07 and later
		return structuredExhausted(v)
	}
	for _, pre := range [...]string{"Ratelimit-", "X-Ratelimit-"} {
		rem := strings.TrimSpace(h.Get(pre + "Remaining"))
		if rem == "" {
			continue
		}
		n, ok := plainDecimal(rem)
		if !ok || n > 0 {
			return 0, false
		}
		secs, ok := plainDecimal(strings.TrimSpace(h.Get(pre + "Reset")))
		if !ok {
			return 0, false
		}
		if secs > 1e9 { // a Unix time (GitHub, and many others)
			// Bounded before the conversion, which is undefined past int64: a
			// reset millions of years away is as far as any.
			return max(time.Unix(int64(min(secs, 1e15)), 0).Sub(now), 0), true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	return 0, false
}

// structuredExhausted reads the RateLimit field of the IETF draft
// (`"default";r=0;t=30`, one item per policy): exhausted when a policy has r=0,
// until the latest t of those.
func structuredExhausted(v string) (time.Duration, bool) {
	var reset time.Duration
	found := false
	for _, item := range strings.Split(v, ",") {
		var r, t string
		for _, p := range strings.Split(item, ";")[1:] {
			k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			switch k {
			case "r":
				r = val
			case "t":
				t = val
			}
		}
		if n, err := strconv.Atoi(r); err != nil || n > 0 || !isDigits(r) {
			continue
		}
		secs, err := strconv.Atoi(t)
		if err != nil || !isDigits(t) {
			continue
		}
		found = true
		reset = max(reset, time.Duration(min(secs, int(maxRetryAfter/time.Second)))*time.Second)
	}
	return reset, found
}

// plainDecimal parses a rate-limit header's number: decimal digits, with an
// optional fraction ("30", "1.5"). Anything else (a sign, an exponent, "NaN",
// "Inf", Go's hexadecimal or underscored forms, a date) is garbage, ignored.
func plainDecimal(s string) (float64, bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if !isDigits(whole) || (hasFrac && !isDigits(frac)) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// isDigits reports whether s is one or more ASCII decimal digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
