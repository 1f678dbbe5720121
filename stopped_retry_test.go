package connapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// A retry the rate limiter or the TokenSource stops before it is handed to the
// transport was not made: RetryStats does not count it, and the retry budget
// gets back what it took. Only the retry wait that the context ended gave the
// tokens back, and every stopped retry was counted in Retries.
func TestRetryStoppedBeforeItWentIsNotCounted(t *testing.T) {
	t.Parallel()
	serve503 := func(t *testing.T, opts ...Option) (*Client, *atomic.Int32) {
		var served atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			served.Add(1)
			writeJSON(w, 503, `{"detail":"maintenance"}`)
		}))
		t.Cleanup(srv.Close)
		c, err := NewClient(append([]Option{WithBaseURL(srv.URL + "/"), WithRetryWait(0, 0)}, opts...)...)
		require.NoError(t, err)
		return c, &served
	}
	bearer := WithBearerToken(testToken)
	check := func(t *testing.T, c *Client, served *atomic.Int32) {
		t.Helper()
		assert.Equal(t, int32(1), served.Load(), "only the first attempt reached the server")
		st := c.RetryStats()
		assert.Equal(t, int64(0), st.Retries, "a retry that never went is not a retry")
		assert.Equal(t, int64(1), st.Attempts)
		assert.Equal(t, DefaultRetryBudgetCapacity, st.BudgetTokens, "the stopped retry's tokens come back")
	}

	t.Run("rate limit would pass the deadline", func(t *testing.T) {
		t.Parallel()
		c, served := serve503(t, bearer, WithRateLimit(rate.Every(time.Hour), 1))
		_, _, err := getThing(newManualDeadline(time.Minute), c, "1")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		check(t, c, served)
	})
	t.Run("context ends in the rate limit wait", func(t *testing.T) {
		t.Parallel()
		c, served := serve503(t, bearer, WithRateLimit(rate.Every(time.Hour), 1))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c.clk = cancelingClock{cancel}
		_, _, err := getThing(ctx, c, "1")
		require.ErrorIs(t, err, context.Canceled)
		check(t, c, served)
	})
	t.Run("TokenSource fails the retry", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		boom := errors.New("token endpoint down")
		c, served := serve503(t, WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) {
			if calls.Add(1) > 1 {
				return "", boom
			}
			return "tok-first-1234", nil
		})))
		_, _, err := getThing(context.Background(), c, "1")
		require.ErrorIs(t, err, boom)
		check(t, c, served)
	})
	t.Run("context ends in the TokenSource", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var calls atomic.Int32
		c, served := serve503(t, WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) {
			if calls.Add(1) > 1 {
				cancel()
			}
			return "tok-first-1234", nil
		})))
		_, _, err := getThing(ctx, c, "1")
		require.ErrorIs(t, err, context.Canceled)
		check(t, c, served)
	})
}
