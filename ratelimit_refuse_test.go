package connapi

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/connapi/connapi-go/connapitest"
)

// failingClock fails the test when asked to wait, and ends the wait at once.
type failingClock struct{ t *testing.T }

func (failingClock) now() time.Time { return time.Now() }
func (c failingClock) sleepUntil(_ context.Context, at time.Time) error {
	c.t.Errorf("the client waits %s for a turn that never comes", time.Until(at))
	return context.Canceled
}

// A limiter that lets no request go (a limit of 0 once its burst is spent, or a
// burst of 0) fails the call at once, without a request and without retries: a
// wait for its token would never end (without a deadline, the call hung until
// its context did), and a retry can never get one either.
func TestRateLimiterThatAllowsNothingFailsAtOnce(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	id := firstConnectorID(t, srv)
	for _, tc := range []struct {
		name  string
		l     *rate.Limiter
		first bool // the first call gets the burst's token
	}{
		{"limit 0", rate.NewLimiter(0, 1), true},
		{"burst 0", rate.NewLimiter(10, 0), false},
	} {
		srv.ResetRequests()
		var l eventLog
		c := pipesClient(t, srv, WithRateLimiter(tc.l), WithMaxRetries(3), WithObserver(l.observer()))
		c.clk = failingClock{t}
		if tc.first {
			_, _, err := c.ConnectorInstances.Get(context.Background(), id, nil)
			require.NoError(t, err, tc.name)
		}
		sent := len(srv.Requests())
		_, resp, err := c.ConnectorInstances.Get(context.Background(), id, nil)
		require.Error(t, err, tc.name)
		assert.ErrorContains(t, err, "rate limiter", tc.name)
		assert.NotErrorIs(t, err, context.Canceled, tc.name)
		assert.NotErrorIs(t, err, context.DeadlineExceeded, tc.name)
		assert.Nil(t, resp, tc.name)
		assert.Len(t, srv.Requests(), sent, "%s: nothing sent", tc.name)
		for _, e := range l.get() {
			assert.NotContains(t, e, "retry", "%s: no retry", tc.name)
		}
	}
}
