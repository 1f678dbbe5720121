package connapitest

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stepClock is a clock the test moves by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestRateLimitWindows(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		style RateLimitHeaders
		want  func(h http.Header) []string
	}{
		{XRateLimitHeaders, func(h http.Header) []string {
			return []string{h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Reset")}
		}},
		{IETFRateLimitHeaders, func(h http.Header) []string {
			return []string{h.Get("RateLimit-Limit"), h.Get("RateLimit-Remaining"), h.Get("RateLimit-Reset"), h.Get("RateLimit-Policy")}
		}},
		{StructuredRateLimitHeaders, func(h http.Header) []string {
			return []string{h.Get("RateLimit"), h.Get("RateLimit-Policy")}
		}},
	} {
		clk := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		s := newTestServer(t, WithRateLimit(2, 2*time.Second, tc.style), WithClock(clk.Now))
		url := s.PipesHubURL() + "connectors?scope=team"
		var got [][]string
		var codes []int
		for _, step := range []time.Duration{0, 500 * time.Millisecond, 500 * time.Millisecond, time.Second, 0} {
			clk.add(step)
			code, h, _ := send(t, s, "GET", url, nil)
			codes = append(codes, code)
			got = append(got, append(tc.want(h), h.Get("Retry-After")))
		}
		assert.Equal(t, []int{200, 200, 429, 200, 200}, codes)
		switch tc.style {
		case XRateLimitHeaders:
			assert.Equal(t, [][]string{{"2", "1", "2", ""}, {"2", "0", "2", ""}, {"2", "0", "1", "1"}, {"2", "1", "2", ""}, {"2", "0", "2", ""}}, got)
		case IETFRateLimitHeaders:
			assert.Equal(t, [][]string{{"2", "1", "2", "2;w=2", ""}, {"2", "0", "2", "2;w=2", ""}, {"2", "0", "1", "2;w=2", "1"},
				{"2", "1", "2", "2;w=2", ""}, {"2", "0", "2", "2;w=2", ""}}, got)
		case StructuredRateLimitHeaders:
			p := `"default";q=2;w=2`
			assert.Equal(t, [][]string{{`"default";r=1;t=2`, p, ""}, {`"default";r=0;t=2`, p, ""}, {`"default";r=0;t=1`, p, "1"},
				{`"default";r=1;t=2`, p, ""}, {`"default";r=0;t=2`, p, ""}}, got)
		}
		// The token endpoints are not limited.
		code, _, _ := send(t, s, "POST", s.OAuthTokenURL(), "grant_type=password&username="+DefaultEmail+"&password="+DefaultPassword,
			"Content-Type", "application/x-www-form-urlencoded", "Authorization", "")
		require.Equal(t, 200, code)
	}
}
