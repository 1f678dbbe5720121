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
//   - No goroutines and no channels.
//
// A server that never lets the walk end is caught, and the walk ends with
// ErrPaginationStalled instead of looping forever. Detected are:
//
//   - a cursor (page token, cursor, offset or page number) already used anywhere
//     earlier in the walk;
//   - a page that starts with the same item (compared with reflect.DeepEqual) as
//     any of the last StallWindow non-empty pages: a server that ignores the
//     offset or page number it is sent, or that cycles A, B, A, B while the cursor
//     keeps advancing (the repeated page is not yielded);
//   - more than MaxEmptyPages empty pages in a row.
//
// Pages that overlap are not an error: when a page begins with the items the page
// before ended with (a server that numbers pages by the limit it was sent but
// returns more items than that, or items shifting under an offset walk), the
// repeated items are dropped, so no item is yielded twice across a page boundary.
// Offset walks in connapi advance by the items received, never by the limit.
package pagination

import (
	"context"
	"errors"
	"iter"
	"reflect"
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

// Pages returns a lazy iterator over whole pages, starting at start.
func Pages[T any, C comparable](ctx context.Context, start C, fetch FetchFunc[T, C]) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		if ctx == nil {
			yield(nil, ErrNilContext)
			return
		}
		cursor := start
		seen := map[C]struct{}{cursor: {}}
		empty := 0
		var firsts []T // first items of the latest non-empty pages, oldest first
		var prev []T   // the latest non-empty page, as served
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			items, next, more, err := fetch(ctx, cursor)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(items) > 0 {
				for _, f := range firsts {
					if reflect.DeepEqual(items[0], f) {
						yield(nil, ErrPaginationStalled) // a page served before
						return
					}
				}
				if len(firsts) == StallWindow {
					firsts = append(firsts[:0], firsts[1:]...)
				}
				firsts = append(firsts, items[0])
				page := items[overlap(prev, items):]
				prev = items
				if len(page) > 0 {
					empty = 0
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

// overlap returns how many items at the start of page repeat the items prev ended
// with: the longest suffix of prev that is a prefix of page.
func overlap[T any](prev, page []T) int {
	for j := max(len(prev)-len(page), 0); j < len(prev); j++ {
		if !reflect.DeepEqual(prev[j], page[0]) {
			continue
		}
		n := len(prev) - j
		match := true
		for k := 1; k < n; k++ {
			if !reflect.DeepEqual(prev[j+k], page[k]) {
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
func Items[T any, C comparable](ctx context.Context, start C, fetch FetchFunc[T, C]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page, err := range Pages(ctx, start, fetch) {
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
