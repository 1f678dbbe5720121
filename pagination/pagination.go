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
//   - A cursor that does not advance (one already seen) ends the loop with
//     ErrPaginationStalled instead of looping forever; so does a page that starts
//     with the same item as the page before (a server ignoring the offset or page
//     it is sent), and more than MaxEmptyPages empty pages in a row.
//   - No goroutines and no channels.
package pagination

import (
	"context"
	"errors"
	"iter"
	"reflect"
)

// ErrPaginationStalled is yielded when the server hands back a cursor the walk has
// already used, the same page twice, or an endless run of empty pages, so the walk
// would never end.
var ErrPaginationStalled = errors.New("pagination: cursor did not advance")

// MaxEmptyPages is how many empty pages in a row a walk accepts while the server
// says there are more, before it gives up with ErrPaginationStalled.
const MaxEmptyPages = 100

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
		var prevFirst T
		havePrev := false
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
				if havePrev && reflect.DeepEqual(items[0], prevFirst) {
					yield(nil, ErrPaginationStalled) // the same page again
					return
				}
				prevFirst, havePrev = items[0], true
				empty = 0
				if !yield(items, nil) {
					return
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
