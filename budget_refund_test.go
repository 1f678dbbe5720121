package connapi

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A call that succeeds on a retry puts back what that retry took (RetryBudget's
// contract), not the success refund of a call that succeeded at once: the retry
// policy forgot the retry's cost when it read the successful answer, so the
// bucket got 1 token back for the 5 it lent.
func TestRetryThatSucceedsGivesItsCostBack(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		failures int32
		want     int
	}{
		{name: "first retry", failures: 1, want: 100 - 5 + 5},
		// The first retry failed: its cost is spent; the second's comes back.
		{name: "second retry", failures: 2, want: 100 - 5 - 5 + 5},
		{name: "at once", failures: 0, want: 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t, WithRetryBudget(RetryBudget{Capacity: 100, RetryCost: 5, SuccessRefund: 1}))
			var served atomic.Int32
			mux.HandleFunc("/things/{id}", func(w http.ResponseWriter, r *http.Request) {
				if served.Add(1) <= tc.failures {
					writeJSON(w, 503, `{"detail":"maintenance"}`)
					return
				}
				writeJSON(w, 200, `{}`)
			})
			if tc.failures == 0 {
				// Spend some, so that the success refund shows.
				_, ok := c.budget.take(false)
				require.True(t, ok)
				tc.want = 100 - 5 + 1
			}
			_, resp, err := getThing(context.Background(), c, "1")
			require.NoError(t, err)
			assert.Equal(t, int(tc.failures)+1, resp.Attempts)
			assert.Equal(t, tc.want, c.RetryStats().BudgetTokens)
		})
	}
}
