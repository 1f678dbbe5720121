package connapi

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The exponential backoff does not overflow: with a maximum wait near the
// largest time.Duration (a caller's "no cap"), doubling the minimum past it
// wrapped to a negative wait, and the retries went out at once, every one
// after the 34th with a one-second minimum.
func TestBackoffDoesNotOverflow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ minWait, maxWait time.Duration }{
		{time.Second, math.MaxInt64},
		{time.Second, math.MaxInt64 / 2},
		{1 << 62, math.MaxInt64},
		{math.MaxInt64, math.MaxInt64},
	} {
		prev := time.Duration(0)
		for attempt := range 100 {
			d := computeBackoff(tc.minWait, tc.maxWait, attempt, nil, time.Now())
			require.GreaterOrEqual(t, d, tc.minWait/2, "min %s max %s attempt %d: %s", tc.minWait, tc.maxWait, attempt, d)
			require.LessOrEqual(t, d, tc.maxWait)
			// The jitter keeps at least half the exponential value, which only
			// grows: no wait falls under half the one before... once capped.
			if attempt > 70 {
				assert.GreaterOrEqual(t, d, prev/2)
			}
			prev = d
		}
	}
}
