package connapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Rate-limit headers whose numbers are not plain decimal numbers are ignored,
// as other garbage is: a Remaining of "NaN" said the window was used up, and Go's
// float syntax ("0x1p3", "1_000", "Inf") passed for a count or a number of seconds.
func TestRateLimitHeaderGarbageIsIgnored(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, h := range []http.Header{
		{"X-Ratelimit-Remaining": {"NaN"}, "X-Ratelimit-Reset": {"5"}},
		{"X-Ratelimit-Remaining": {"-Inf"}, "X-Ratelimit-Reset": {"5"}},
		{"X-Ratelimit-Remaining": {"-1"}, "X-Ratelimit-Reset": {"5"}},
		{"X-Ratelimit-Remaining": {"0x0"}, "X-Ratelimit-Reset": {"5"}},
		{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"0x1p3"}},
		{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1_000"}},
		{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"Inf"}},
		{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1e3"}},
		{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"Tue, 01 Dec 2026 09:00:30 GMT"}},
		{"Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {"+5"}},
		{"Ratelimit": {`"a";r=-1;t=5`}},
		{"Ratelimit": {`"a";r=0;t=+5`}},
	} {
		got, ok := exhaustedFor(h, now)
		assert.False(t, ok, "%v", h)
		assert.Zero(t, got, "%v", h)
	}
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"X-Ratelimit-Remaining": {" 0 "}, "X-Ratelimit-Reset": {" 2.5 "}}, 2500 * time.Millisecond},
		{http.Header{"X-Ratelimit-Remaining": {"0.0"}, "X-Ratelimit-Reset": {"00"}}, 0},
		{http.Header{"Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {"7"}}, 7 * time.Second},
	} {
		got, ok := exhaustedFor(tc.h, now)
		assert.True(t, ok, "%v", tc.h)
		assert.Equal(t, tc.want, got, "%v", tc.h)
	}
	// A Unix time past int64's range is far away on every platform (the float's
	// conversion to int64 is not defined there: on amd64 it was the minimum, a
	// reset in the past).
	got, ok := exhaustedFor(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"90000000000000000000000"}}, now)
	assert.True(t, ok)
	assert.Greater(t, got, 24*time.Hour)
}
