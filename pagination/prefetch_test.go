package pagination_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/pagination"
)

// guard bounds a wait that must end, so that a broken prefetch fails instead of
// hanging the test. It decides nothing else, so it is far beyond what the wait
// takes on a loaded machine under -race.
const guard = time.Minute

// lockedSource is offsetSource safe for a fetch on another goroutine, which
// also records how many fetches ran at once.
type lockedSource struct {
	mu                    sync.Mutex
	total, size           int
	fetches               int
	inFlight, maxInFlight atomic.Int32
}

func (s *lockedSource) fetch(_ context.Context, off int) ([]int, int, bool, error) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	s.mu.Lock()
	s.fetches++
	s.mu.Unlock()
	var items []int
	for i := off; i < min(off+s.size, s.total); i++ {
		items = append(items, i)
	}
	return items, off + len(items), len(items) == s.size, nil
}

func (s *lockedSource) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches
}

func TestPrefetchWalksTheSameItems(t *testing.T) {
	t.Parallel()
	for _, total := range []int{0, 1, 10, 25, 100} {
		plain := &lockedSource{total: total, size: 10}
		want, err := pagination.Collect(pagination.Items(context.Background(), 0, plain.fetch))
		require.NoError(t, err)
		src := &lockedSource{total: total, size: 10}
		seq := pagination.Items(context.Background(), 0, src.fetch, pagination.Prefetch())
		assert.Zero(t, src.count(), "lazy: no fetch before the first step")
		got, err := pagination.Collect(seq)
		require.NoError(t, err)
		assert.Equal(t, want, got, "total %d", total)
		assert.Equal(t, plain.count(), src.count(), "total %d: the same fetches", total)
		assert.EqualValues(t, 1, src.maxInFlight.Load(), "one fetch at a time")
		again, err := pagination.Collect(seq)
		require.NoError(t, err)
		assert.Equal(t, want, again, "restartable")
	}
}

// gatedPages serves pages of one item at page numbers 1, 2, …, last; the fetch
// of page 2 and later announces itself on started and then waits for release
// (or for its context to end, which it records).
type gatedPages struct {
	last     int
	started  chan int
	release  chan struct{}
	mu       sync.Mutex
	canceled []int
}

func newGatedPages(last int) *gatedPages {
	return &gatedPages{last: last, started: make(chan int, last), release: make(chan struct{})}
}

func (g *gatedPages) fetch(ctx context.Context, page int) ([]int, int, bool, error) {
	if page > 1 {
		g.started <- page
		select {
		case <-g.release:
		case <-ctx.Done():
			g.mu.Lock()
			g.canceled = append(g.canceled, page)
			g.mu.Unlock()
			return nil, 0, false, ctx.Err()
		}
	}
	return []int{page}, page + 1, page < g.last, nil
}

func TestPrefetchFetchesTheNextPageWhileTheCallerWorks(t *testing.T) {
	t.Parallel()
	g := newGatedPages(2)
	var got []int
	for v, err := range pagination.Items(context.Background(), 1, g.fetch, pagination.Prefetch()) {
		require.NoError(t, err)
		got = append(got, v)
		if v == 1 {
			// Still on page 1: page 2 is already being fetched.
			select {
			case p := <-g.started:
				assert.Equal(t, 2, p)
			case <-time.After(guard):
				t.Fatal("page 2 was not fetched while page 1 was being worked on")
			}
			close(g.release)
		}
	}
	assert.Equal(t, []int{1, 2}, got)
}

func TestPrefetchBreakCancelsTheFetchInFlight(t *testing.T) {
	t.Parallel()
	g := newGatedPages(5)
	n := 0
	for _, err := range pagination.Items(context.Background(), 1, g.fetch, pagination.Prefetch()) {
		require.NoError(t, err)
		n++
		select {
		case <-g.started: // page 2 in flight
		case <-time.After(guard):
			t.Fatal("page 2 was not fetched")
		}
		break
	}
	assert.Equal(t, 1, n)
	// The loop has returned: the fetch in flight was cancelled and has ended
	// (TestMain's goleak check fails the package on a goroutine left behind).
	g.mu.Lock()
	assert.Equal(t, []int{2}, g.canceled)
	g.mu.Unlock()
	assert.Empty(t, g.started, "nothing fetched after the break")
}

func TestPrefetchErrorYieldedOnceAfterThePageBefore(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var calls atomic.Int32
	fetch := func(_ context.Context, c string) ([]string, string, bool, error) {
		calls.Add(1)
		if c == "" {
			return []string{"a", "b"}, "t1", true, nil
		}
		return nil, "", false, boom
	}
	var items []string
	var errs []error
	for v, err := range pagination.Items(context.Background(), "", fetch, pagination.Prefetch()) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
	}
	assert.Equal(t, []string{"a", "b"}, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], boom)
	assert.EqualValues(t, 2, calls.Load())
}

func TestPrefetchKeepsTheStallChecks(t *testing.T) {
	t.Parallel()
	// A cursor used before: not prefetched, and the walk stalls.
	cycle := map[string]string{"": "a", "a": "b", "b": "a"}
	var calls atomic.Int32
	_, err := pagination.Collect(pagination.Items(context.Background(), "", func(_ context.Context, c string) ([]string, string, bool, error) {
		calls.Add(1)
		return []string{"x" + c}, cycle[c], true, nil
	}, pagination.Prefetch()))
	require.ErrorIs(t, err, pagination.ErrPaginationStalled)
	assert.EqualValues(t, 3, calls.Load(), "the repeated cursor is never fetched")

	// A server serving the same page again while the offset advances.
	type item struct{ ID string }
	calls.Store(0)
	got, err := pagination.Collect(pagination.Items(context.Background(), 0, func(_ context.Context, off int) ([]*item, int, bool, error) {
		calls.Add(1)
		return []*item{{"a"}, {"b"}}, off + 2, true, nil
	}, pagination.Prefetch()))
	require.ErrorIs(t, err, pagination.ErrPaginationStalled)
	assert.Len(t, got, 2, "the repeated page is not yielded")

	// Endless empty pages.
	_, err = pagination.Collect(pagination.Items(context.Background(), 0, func(_ context.Context, page int) ([]int, int, bool, error) {
		return nil, page + 1, true, nil
	}, pagination.Prefetch()))
	require.ErrorIs(t, err, pagination.ErrPaginationStalled)
}

func TestPrefetchCancelledContextEndsTheWalk(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &lockedSource{total: 100, size: 10}
	n := 0
	var gotErr error
	for _, err := range pagination.Items(ctx, 0, src.fetch, pagination.Prefetch()) {
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
	assert.Equal(t, 10, n, "no item of the prefetched page after the cancel")
}

func TestPrefetchWithPages(t *testing.T) {
	t.Parallel()
	src := &lockedSource{total: 25, size: 10}
	var sizes []int
	for page, err := range pagination.Pages(context.Background(), 0, src.fetch, pagination.Prefetch(), nil) {
		require.NoError(t, err)
		sizes = append(sizes, len(page))
	}
	assert.Equal(t, []int{10, 10, 5}, sizes)
}

func TestPrefetchPanicReachesTheCaller(t *testing.T) {
	t.Parallel()
	defer func() {
		assert.Equal(t, "fetch broke", recover())
	}()
	for _, err := range pagination.Items(context.Background(), 1, func(_ context.Context, page int) ([]int, int, bool, error) {
		if page == 2 {
			panic("fetch broke")
		}
		return []int{page}, page + 1, true, nil
	}, pagination.Prefetch()) {
		require.NoError(t, err)
	}
	t.Fatal("the walk ended without the fetch's panic")
}
