package connapi

import (
	"errors"
	"sync/atomic"
)

// The default retry budget, AWS SDK for Go v2's numbers.
const (
	// DefaultRetryBudgetCapacity is how many tokens the bucket holds, and starts with.
	DefaultRetryBudgetCapacity = 500
	// DefaultRetryBudgetRetryCost is what a retry takes.
	DefaultRetryBudgetRetryCost = 5
	// DefaultRetryBudgetTimeoutRetryCost is what a retry after an attempt that timed
	// out takes.
	DefaultRetryBudgetTimeoutRetryCost = 10
	// DefaultRetryBudgetSuccessRefund is what a call that succeeds at its first
	// attempt puts back.
	DefaultRetryBudgetSuccessRefund = 1
)

// RetryBudget configures the retry budget of a Client: a token bucket that all its
// calls share. A retry takes RetryCost tokens (TimeoutRetryCost after an attempt
// that timed out); a call that succeeds at its first attempt puts SuccessRefund
// back, and one that succeeds on a retry puts back what that retry took, never
// above Capacity. A retry that finds too few tokens is not made: the call returns
// its last answer at once (the *APIError with its *Response, or the network
// error). During an outage the retries of all calls together are therefore at
// most Capacity/RetryCost, instead of every call retrying to its limit. Retries
// after a 401 with a fresh token are free. A zero field takes its default.
type RetryBudget struct {
	Capacity         int
	RetryCost        int
	TimeoutRetryCost int
	SuccessRefund    int
}

// WithRetryBudget sets the retry budget the client's calls share (see RetryBudget).
// Every client has one unless WithoutRetryBudget is given: the defaults are
// DefaultRetryBudgetCapacity tokens, DefaultRetryBudgetRetryCost a retry,
// DefaultRetryBudgetTimeoutRetryCost a retry after a timeout, and
// DefaultRetryBudgetSuccessRefund back per success.
func WithRetryBudget(b RetryBudget) Option {
	return func(c *clientConfig) error {
		if b.Capacity < 0 || b.RetryCost < 0 || b.TimeoutRetryCost < 0 || b.SuccessRefund < 0 {
			return errors.New("WithRetryBudget: negative value")
		}
		c.budget = b
		c.noBudget = false
		return nil
	}
}

// WithoutRetryBudget turns the retry budget off: each call retries up to its own
// limit (WithMaxRetries) whatever the other calls of the client went through.
func WithoutRetryBudget() Option {
	return func(c *clientConfig) error {
		c.noBudget = true
		return nil
	}
}

// newRetryBudget returns the bucket for b, zero fields taking their defaults.
func newRetryBudget(b RetryBudget) *retryBudget {
	or := func(v, def int) int64 {
		if v == 0 {
			return int64(def)
		}
		return int64(v)
	}
	rb := &retryBudget{
		capacity:    or(b.Capacity, DefaultRetryBudgetCapacity),
		retryCost:   or(b.RetryCost, DefaultRetryBudgetRetryCost),
		timeoutCost: or(b.TimeoutRetryCost, DefaultRetryBudgetTimeoutRetryCost),
		refund:      or(b.SuccessRefund, DefaultRetryBudgetSuccessRefund),
	}
	rb.tokens.Store(rb.capacity)
	return rb
}

// RetryStats counts what the calls of a Client did, together, since it was made.
type RetryStats struct {
	// Attempts is the attempts that may have reached the server, retries included
	// (counted as Response.Attempts is).
	Attempts int64
	// Retries is the retries made.
	Retries int64
	// BudgetDenied is the retries the retry budget refused.
	BudgetDenied int64
	// BudgetTokens is the tokens left in the retry budget, -1 without one.
	BudgetTokens int
}

// RetryStats returns the client's counters: requests on the wire, retries, and
// what the retry budget refused and has left.
func (c *Client) RetryStats() RetryStats {
	return RetryStats{
		Attempts:     c.stats.attempts.Load(),
		Retries:      c.stats.retries.Load(),
		BudgetDenied: c.stats.denied.Load(),
		BudgetTokens: c.budget.available(),
	}
}

// retryBudget is a token bucket shared by all the calls of one Client: each retry
// takes tokens, successes put some back, and a retry that finds too few tokens is
// not made. During an outage the retries of all calls together are thus bounded by
// the bucket, instead of multiplying the load on a failing server. A nil
// *retryBudget never refuses.
type retryBudget struct {
	capacity    int64
	retryCost   int64
	timeoutCost int64
	refund      int64
	tokens      atomic.Int64
}

// take removes the cost of one retry (more after a timeout) and returns it, or
// reports false, taking nothing, when the bucket holds too few tokens.
func (b *retryBudget) take(timeout bool) (int, bool) {
	if b == nil {
		return 0, true
	}
	cost := b.retryCost
	if timeout {
		cost = b.timeoutCost
	}
	for {
		cur := b.tokens.Load()
		if cur < cost {
			return 0, false
		}
		if b.tokens.CompareAndSwap(cur, cur-cost) {
			return int(cost), true
		}
	}
}

// give puts n tokens back, up to the capacity.
func (b *retryBudget) give(n int) {
	if b == nil || n <= 0 {
		return
	}
	for {
		cur := b.tokens.Load()
		next := min(cur+int64(n), b.capacity)
		if next == cur || b.tokens.CompareAndSwap(cur, next) {
			return
		}
	}
}

// succeeded credits a call that succeeded: the cost of the retry that succeeded
// comes back, or, when its first attempt did, the success refund.
func (b *retryBudget) succeeded(retryCost int) {
	if b == nil {
		return
	}
	if retryCost > 0 {
		b.give(retryCost)
		return
	}
	b.give(int(b.refund))
}

// available returns the tokens left, or -1 without a budget.
func (b *retryBudget) available() int {
	if b == nil {
		return -1
	}
	return int(b.tokens.Load())
}

// clientStats counts, for all the calls of one Client, what RetryStats reports.
type clientStats struct {
	attempts atomic.Int64 // requests that reached the wire
	retries  atomic.Int64 // retries made
	denied   atomic.Int64 // retries the budget refused
}
