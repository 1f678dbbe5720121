package pagination_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/connapi/connapi-go/pagination"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// offsetSource serves total items in pages of size, counting fetches.
type offsetSource struct {
	total, size int
	fetches     int
}

func (s *offsetSource) fetch(_ context.Context, off int) ([]int, int, bool, error) {
	s.fetches++
	var items []int
	for i := off; i < min(off+s.size, s.total); i++ {
		items = append(items, i)
	}
	return items, off + len(items), len(items) == s.size, nil
}

func TestItemsWalksAllPages(t *testing.T) {
	t.Parallel()
	src := &offsetSource{total: 25, size: 10}
	got, err := pagination.Collect(pagination.Items(context.Background(), 0, src.fetch))
	require.NoError(t, err)
	assert.Len(t, got, 25)
	assert.Equal(t, 24, got[24])
	assert.Equal(t, 3, src.fetches)
}

func TestItemsIsLazy(t *testing.T) {
	t.Parallel()
	src := &offsetSource{total: 5, size: 2}
	seq := pagination.Items(context.Background(), 0, src.fetch)
	assert.Zero(t, src.fetches, "no request before the first step")
	for _, err := range seq {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, 1, src.fetches, "break after the first item: exactly one fetch")
}

func TestItemsIsRestartable(t *testing.T) {
	t.Parallel()
	src := &offsetSource{total: 5, size: 2}
	seq := pagination.Items(context.Background(), 0, src.fetch)
	a, err := pagination.Collect(seq)
	require.NoError(t, err)
	b, err := pagination.Collect(seq)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.Equal(t, []int{0, 1, 2, 3, 4}, b)
}

func TestErrorYieldedOnceAndEndsLoop(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	calls := 0
	seq := pagination.Items(context.Background(), "", func(_ context.Context, c string) ([]string, string, bool, error) {
		calls++
		if c == "" {
			return []string{"a"}, "t1", true, nil
		}
		return nil, "", false, boom
	})
	var items []string
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
	}
	assert.Equal(t, []string{"a"}, items)
	assert.Equal(t, []error{boom}, errs)
	assert.Equal(t, 2, calls)
	got, err := pagination.Collect(seq)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []string{"a"}, got, "Collect returns what it got before the error")
}

func TestEmptyPagesWithMoreAreWalked(t *testing.T) {
	t.Parallel()
	pages := map[string]struct {
		items []string
		next  string
	}{
		"":   {[]string{"a"}, "t1"},
		"t1": {nil, "t2"},
		"t2": {nil, "t3"},
		"t3": {[]string{"b"}, ""},
	}
	got, err := pagination.Collect(pagination.Items(context.Background(), "", func(_ context.Context, c string) ([]string, string, bool, error) {
		p := pages[c]
		return p.items, p.next, p.next != "", nil
	}))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, got)
}

func TestStalledCursor(t *testing.T) {
	t.Parallel()
	calls := 0
	got, err := pagination.Collect(pagination.Items(context.Background(), "", func(_ context.Context, c string) ([]string, string, bool, error) {
		calls++
		return []string{"x" + c}, "same", true, nil
	}))
	assert.ErrorIs(t, err, pagination.ErrPaginationStalled)
	assert.Equal(t, []string{"x", "xsame"}, got)
	assert.Equal(t, 2, calls)

	// A cycle back to an earlier token also stalls.
	cycle := map[string]string{"": "a", "a": "b", "b": "a"}
	_, err = pagination.Collect(pagination.Items(context.Background(), "", func(_ context.Context, c string) ([]int, string, bool, error) {
		return []int{1}, cycle[c], true, nil
	}))
	assert.ErrorIs(t, err, pagination.ErrPaginationStalled)

	// An offset that does not advance (empty page claiming more) stalls.
	_, err = pagination.Collect(pagination.Items(context.Background(), 0, func(_ context.Context, off int) ([]int, int, bool, error) {
		return nil, off, true, nil
	}))
	assert.ErrorIs(t, err, pagination.ErrPaginationStalled)
}

func TestRepeatedPageStalls(t *testing.T) {
	t.Parallel()
	// A server that ignores the offset: every page is the first one, while the
	// offsets the client sends keep growing.
	type item struct{ ID string }
	calls := 0
	got, err := pagination.Collect(pagination.Items(context.Background(), 0, func(_ context.Context, off int) ([]*item, int, bool, error) {
		calls++
		return []*item{{"a"}, {"b"}}, off + 2, true, nil
	}))
	assert.ErrorIs(t, err, pagination.ErrPaginationStalled)
	assert.Len(t, got, 2, "the repeated page is not yielded")
	assert.Equal(t, 2, calls)
}

func TestEndlessEmptyPagesStall(t *testing.T) {
	t.Parallel()
	calls := 0
	_, err := pagination.Collect(pagination.Items(context.Background(), 0, func(_ context.Context, page int) ([]int, int, bool, error) {
		calls++
		return nil, page + 1, true, nil
	}))
	assert.ErrorIs(t, err, pagination.ErrPaginationStalled)
	assert.Equal(t, pagination.MaxEmptyPages+1, calls)
}

func TestPagesYieldsWholePages(t *testing.T) {
	t.Parallel()
	src := &offsetSource{total: 7, size: 3}
	var sizes []int
	for page, err := range pagination.Pages(context.Background(), 0, src.fetch) {
		require.NoError(t, err)
		sizes = append(sizes, len(page))
	}
	assert.Equal(t, []int{3, 3, 1}, sizes)
}

func TestCollectN(t *testing.T) {
	t.Parallel()
	src := &offsetSource{total: 100, size: 10}
	got, err := pagination.CollectN(pagination.Items(context.Background(), 0, src.fetch), 15)
	require.NoError(t, err)
	assert.Len(t, got, 15)
	assert.Equal(t, 2, src.fetches, "stops after the page holding the 15th item")

	src.fetches = 0
	got, err = pagination.CollectN(pagination.Items(context.Background(), 0, src.fetch), 0)
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Zero(t, src.fetches)
}

func TestCancelledContextStopsWalk(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &offsetSource{total: 100, size: 10}
	n := 0
	var gotErr error
	for _, err := range pagination.Items(ctx, 0, src.fetch) {
		if err != nil {
			gotErr = err
			break
		}
		n++
		if n == 10 {
			cancel()
		}
	}
	assert.ErrorIs(t, gotErr, context.Canceled)
	assert.Equal(t, 1, src.fetches)
}

func ExampleItems() {
	// A page-number source of 5 items, 2 per page.
	all := []string{"a", "b", "c", "d", "e"}
	fetch := func(_ context.Context, page int) ([]string, int, bool, error) {
		start := (page - 1) * 2
		end := min(start+2, len(all))
		return all[start:end], page + 1, end < len(all), nil
	}
	for item, err := range pagination.Items(context.Background(), 1, fetch) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(item)
	}
	firstThree, _ := pagination.CollectN(pagination.Items(context.Background(), 1, fetch), 3)
	fmt.Println(firstThree)
	// Output:
	// a
	// b
	// c
	// d
	// e
	// [a b c]
}

// cycleSource serves pages that alternate between the pages of cycle while the
// cursor the walk sends keeps advancing, and always says there is more.
func cycleSource[T any](cycle [][]T, calls *int) func(context.Context, int) ([]T, int, bool, error) {
	return func(_ context.Context, c int) ([]T, int, bool, error) {
		page := cycle[*calls%len(cycle)]
		*calls++
		return page, c + len(page), true, nil
	}
}

func TestAlternatingPagesStall(t *testing.T) {
	t.Parallel()
	type item struct{ ID string }
	a := []*item{{"a1"}, {"a2"}}
	b := []*item{{"b1"}, {"b2"}}
	c := []*item{{"c1"}}
	for name, cycle := range map[string][][]*item{"A,B,A,B": {a, b}, "A,B,C,A": {a, b, c}} {
		// Offset style: the offset grows by the items received.
		calls := 0
		got, err := pagination.Collect(pagination.Items(context.Background(), 0, cycleSource(cycle, &calls)))
		require.ErrorIs(t, err, pagination.ErrPaginationStalled, name)
		assert.Len(t, got, 2*len(cycle)-1+len(cycle[len(cycle)-1])-1, name)
		assert.Equal(t, len(cycle)+1, calls, name)

		// Page-number style: the page number grows by one.
		calls = 0
		got, err = pagination.Collect(pagination.Items(context.Background(), 1, func(ctx context.Context, page int) ([]*item, int, bool, error) {
			items, _, more, err := cycleSource(cycle, &calls)(ctx, page)
			return items, page + 1, more, err
		}))
		require.ErrorIs(t, err, pagination.ErrPaginationStalled, name)
		assert.Equal(t, len(cycle)+1, calls, name)
		seen := map[string]bool{}
		for _, it := range got {
			assert.False(t, seen[it.ID], "%s: %s yielded twice", name, it.ID)
			seen[it.ID] = true
		}
	}
}

func TestOverlappingPagesLargerThanTheLimitYieldNoDuplicates(t *testing.T) {
	t.Parallel()
	// Page-number paging with a limit of 2, by a server that numbers pages by the
	// limit but returns 3 items per page: each page repeats the last item of the
	// page before.
	const total, limit, size = 9, 2, 3
	fetch := func(_ context.Context, page int) ([]int, int, bool, error) {
		start := (page - 1) * limit
		var items []int
		for i := start; i < min(start+size, total); i++ {
			items = append(items, i)
		}
		return items, page + 1, start+size < total, nil
	}
	got, err := pagination.Collect(pagination.Items(context.Background(), 1, fetch))
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}, got)

	// Items shifting under an offset walk (one inserted at the head between two
	// fetches) repeat one item at the boundary: it is yielded once.
	pages := map[int][]string{0: {"c", "d"}, 2: {"d", "e"}, 4: {"f"}}
	strs, err := pagination.Collect(pagination.Items(context.Background(), 0, func(_ context.Context, off int) ([]string, int, bool, error) {
		p := pages[off]
		return p, off + len(p), len(p) == 2, nil
	}))
	require.NoError(t, err)
	assert.Equal(t, []string{"c", "d", "e", "f"}, strs)
}
