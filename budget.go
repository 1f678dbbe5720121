package connapi

import "sync/atomic"

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

// clientStats counts, for all the calls of one Client, what RetryStats reports.
type clientStats struct {
	attempts atomic.Int64 // requests that reached the wire
	retries  atomic.Int64 // retries made
	denied   atomic.Int64 // retries the budget refused
}
