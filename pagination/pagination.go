// Package pagination holds the one loop behind every …Iter method of connapi, for
// all four paging styles: an int offset, an int page number, a string page token and
// a string cursor. It has no dependency on the rest of the SDK.
//
// The iterators it returns follow these rules:
//
//   - Lazy: nothing is fetched before the first step of a range loop.
//   - Restartable: each range starts again from the start cursor.
//   - An early break stops all I/O: no page is fetched after it.
//   - An error is yielded once, with the zero item, and ends the loop.
//   - Empty pages are walked through while the fetch function says there are more.
//   - No goroutines and no channels, unless Prefetch is asked for (see there): then
//     one fetch at a time runs on a goroutine of its own, which never outlives the
//     range loop.
//
// A server that never lets the walk end is caught, and the walk ends with
// ErrPaginationStalled instead of looping forever. Detected are:
//
//   - a cursor (page token, cursor, offset or page number) already used anywhere
//     earlier in the walk;
//   - a page that starts with the same item as any of the last StallWindow
//     non-empty pages: a server that ignores the offset or page number it is
//     sent, or that cycles A, B, A, B while the cursor keeps advancing (the
//     repeated page is not yielded);
//   - more than MaxEmptyPages empty pages in a row.
//
// Pages that overlap are not an error: when a page begins with the items the page
// before ended with (a server that numbers pages by the limit it was sent but
// returns more items than that, or items shifting under an offset walk), the
// repeated items are dropped, so no item is yielded twice across a page boundary.
// Offset walks in connapi advance by the items received, never by the limit. One
// shift cannot be told from a stalled server: when exactly a page's worth of items
// is inserted ahead of an offset walk between two fetches (newest first, while
// others create), the next page repeats the last one whole, and the walk ends with
// ErrPaginationStalled as it must for a server that ignores the offset. Walk again,
// or walk a list ordered oldest first, where new items come at the end.
//
// Items are the same when reflect.DeepEqual finds them equal, as the server served
// them. The walk compares them through a 64-bit fingerprint of each item's value
// (two different items share one with a probability of 2⁻⁶⁴), so that it holds
// no item of a page it has handed over, only a few bytes per item of the last
// page: a walk keeps one page in memory, the one the caller is working on (two
// with Prefetch). Where reflect.DeepEqual finds a value equal to itself only
// through the same pointer (a NaN, a func that is not nil), items holding it are
// never the same as another.
package pagination

import (
	"context"
	"errors"
	"iter"
)

// ErrPaginationStalled is yielded when the server hands back a cursor the walk has
// already used, a page it has already served, or an endless run of empty pages,
// so the walk would never end.
var ErrPaginationStalled = errors.New("pagination: cursor did not advance")

// MaxEmptyPages is how many empty pages in a row a walk accepts while the server
// says there are more, before it gives up with ErrPaginationStalled.
const MaxEmptyPages = 100

// StallWindow is how many of the latest non-empty pages a new page is compared
// with to detect a server serving the same pages again.
const StallWindow = 32

// FetchFunc fetches the page at cursor. It returns the page's items, the cursor of
// the next page, and whether there is a next page.
type FetchFunc[T any, C comparable] func(ctx context.Context, cursor C) (items []T, next C, more bool, err error)

// ErrNilContext is yielded, once, by an iterator given a nil context.
var ErrNilContext = errors.New("pagination: nil context")

// Option changes how Pages and Items walk.
type Option func(*options)

type options struct {
	prefetch bool
}

// Prefetch makes the walk fetch page n+1 while the caller works on page n: as
// soon as page n is fetched and checked, and before it is handed over, the next
// fetch starts on a goroutine of its own. A caller that spends time on each
// page's items then waits less, or not at all, for the next page. It holds two
// pages at once instead of one.
//
// The iterator rules stay: nothing is fetched before the first step; the first
// page is fetched in the caller's goroutine; a break (or the end of the walk)
// cancels the context of a fetch still in flight and waits for it to return, so
// that no I/O and no goroutine outlives the range loop; an error of a prefetched
// page is yielded once, after the page before it; the stall checks are the same.
// fetch runs on another goroutine than the caller's, one call at a time.
func Prefetch() Option {
	return func(o *options) { o.prefetch = true }
}

// fetched is the outcome of one fetch.
type fetched[T any, C comparable] struct {
	items []T
	next  C
	more  bool
	err   error
	// panicked holds what the fetch panicked with, to panic with it again in the
	// caller's goroutine.
	panicked any
}

// prefetcher is one fetch running on its own goroutine.
type prefetcher[T any, C comparable] struct {
	cancel context.CancelFunc
	done   chan fetched[T, C]
}

// startFetch begins fetching cursor on a new goroutine.
func startFetch[T any, C comparable](ctx context.Context, fetch FetchFunc[T, C], cursor C) *prefetcher[T, C] {
	fctx, cancel := context.WithCancel(ctx) //nolint:gosec // G118: cancelled by wait or stop, one of which every walk calls
	p := &prefetcher[T, C]{cancel: cancel, done: make(chan fetched[T, C], 1)}
	go func() {
		var r fetched[T, C]
		defer func() {
			r.panicked = recover()
			p.done <- r
		}()
		r.items, r.next, r.more, r.err = fetch(fctx, cursor)
	}()
	return p
}

// wait returns the fetch's outcome.
func (p *prefetcher[T, C]) wait() fetched[T, C] {
	r := <-p.done
	p.cancel()
	if r.panicked != nil {
		panic(r.panicked)
	}
	return r
}

// stop cancels the fetch and waits for its goroutine to end.
func (p *prefetcher[T, C]) stop() {
	if p != nil {
		p.cancel()
		if r := <-p.done; r.panicked != nil {
			panic(r.panicked)
		}
	}
}

// Pages returns a lazy iterator over whole pages, starting at start.
func Pages[T any, C comparable](ctx context.Context, start C, fetch FetchFunc[T, C], opts ...Option) iter.Seq2[[]T, error] {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return func(yield func([]T, error) bool) {
		if ctx == nil {
			yield(nil, ErrNilContext)
			return
		}
		cursor := start
		seen := map[C]struct{}{cursor: {}}
		empty := 0
		// The checks keep fingerprints, not items (see fingerprinter): the walk
		// holds no page it has handed over while it fetches the next one.
		fp := newFingerprinter()
		var firsts []uint64    // first items of the latest non-empty pages, oldest first
		var prev, cur []uint64 // the items of the latest non-empty page, as served; of this one
		var ahead *prefetcher[T, C]
		defer func() { ahead.stop() }()
		for {
			var items []T
			var next C
			var more bool
			var err error
			if ahead != nil {
				p := ahead
				ahead = nil // waited for here, not by the deferred stop
				r := p.wait()
				items, next, more, err = r.items, r.next, r.more, r.err
				if cerr := ctx.Err(); cerr != nil {
					err = cerr
				}
			} else if err = ctx.Err(); err == nil {
				items, next, more, err = fetch(ctx, cursor)
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if len(items) > 0 {
				cur = cur[:0]
				for _, it := range items {
					cur = append(cur, fp.of(it))
				}
				for _, f := range firsts {
					if cur[0] == f {
						yield(nil, ErrPaginationStalled) // a page served before
						return
					}
				}
				if len(firsts) == StallWindow {
					firsts = append(firsts[:0], firsts[1:]...)
				}
				firsts = append(firsts, cur[0])
				page := items[overlap(prev, cur):]
				prev, cur = cur, prev
				items = nil
				if len(page) > 0 {
					empty = 0
					ahead = prefetchNext(ctx, o, fetch, more, next, seen)
					if !yield(page, nil) {
						return
					}
				} else {
					empty++
				}
			} else {
				empty++
			}
			if !more {
				return
			}
			if _, dup := seen[next]; dup || empty > MaxEmptyPages {
				yield(nil, ErrPaginationStalled)
				return
			}
			seen[next] = struct{}{}
			cursor = next
		}
	}
}

// prefetchNext starts fetching next, with Prefetch, when the walk will go on to
// it: there is more, and next is not a cursor used before.
func prefetchNext[T any, C comparable](ctx context.Context, o options, fetch FetchFunc[T, C], more bool, next C, seen map[C]struct{}) *prefetcher[T, C] {
	if !o.prefetch || !more {
		return nil
	}
	if _, dup := seen[next]; dup {
		return nil
	}
	return startFetch(ctx, fetch, next)
}

// overlap returns how many items at the start of a page repeat the items the page
// before ended with: the longest suffix of prev that is a prefix of page, both
// given as their items' fingerprints.
func overlap(prev, page []uint64) int {
	for j := max(len(prev)-len(page), 0); j < len(prev); j++ {
		if prev[j] != page[0] {
			continue
		}
		n := len(prev) - j
		match := true
		for k := 1; k < n; k++ {
			if prev[j+k] != page[k] {
				match = false
				break
			}
		}
		if match {
			return n
		}
	}
	return 0
}

// Items returns a lazy iterator over every item of every page, starting at start.
func Items[T any, C comparable](ctx context.Context, start C, fetch FetchFunc[T, C], opts ...Option) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page, err := range Pages(ctx, start, fetch, opts...) {
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range page {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}

// Collect drains seq into a slice. Like io.ReadAll, it returns what it got before
// the first error, together with that error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// CollectN collects at most n items, then stops the walk, so no page beyond the one
// holding the n-th item is fetched. n ≤ 0 collects nothing and fetches nothing.
func CollectN[T any](seq iter.Seq2[T, error], n int) ([]T, error) {
	if n <= 0 {
		return nil, nil
	}
	out := make([]T, 0, min(n, 1024))
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
		if len(out) == n {
			break
		}
	}
	return out, nil
}
