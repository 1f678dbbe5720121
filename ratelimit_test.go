package connapi

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/connapi/connapi-go/connapitest"
)

// fakeClock is a clock for the rate-limit waits that moves only when every one of
// its workers is asleep on it: it then jumps to the earliest wake-up time. A
// worker is running from join until leave, except while it sleeps. So no time
// passes while a request is on its way, and a test of many seconds of waits
// runs at once, without a sleep, and as exactly as the limiter allows.
type fakeClock struct {
	mu       sync.Mutex
	t        time.Time
	running  int
	sleepers []*sleeper
}

type sleeper struct {
	at   time.Time
	wake chan struct{}
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// join counts n more workers running.
func (f *fakeClock) join(n int) {
	f.mu.Lock()
	f.running += n
	f.mu.Unlock()
}

// leave counts a worker out.
func (f *fakeClock) leave() {
	f.mu.Lock()
	f.running--
	f.advance()
	f.mu.Unlock()
}

func (f *fakeClock) sleepUntil(ctx context.Context, at time.Time) error {
	f.mu.Lock()
	if !at.After(f.t) {
		f.mu.Unlock()
		return nil
	}
	s := &sleeper{at: at, wake: make(chan struct{})}
	f.sleepers = append(f.sleepers, s)
	f.running--
	f.advance()
	f.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, x := range f.sleepers {
			if x == s {
				f.sleepers = append(f.sleepers[:i], f.sleepers[i+1:]...)
				f.running++
				return ctx.Err()
			}
		}
		return nil // woken meanwhile
	}
}

// advance moves the time to the earliest wake-up when no worker runs, and wakes
// every sleeper due; f.mu is held.
func (f *fakeClock) advance() {
	if f.running > 0 || len(f.sleepers) == 0 {
		return
	}
	next := f.sleepers[0].at
	for _, s := range f.sleepers[1:] {
		if s.at.Before(next) {
			next = s.at
		}
	}
	f.t = next
	kept := f.sleepers[:0]
	for _, s := range f.sleepers {
		if s.at.After(f.t) {
			kept = append(kept, s)
			continue
		}
		f.running++
		close(s.wake)
	}
	f.sleepers = kept
}

// A limiter of 10 requests per second holds 100 calls from 16 goroutines to 10
// per second, by the server's own clock: the fake clock the client waits on.
func TestRateLimitHoldsTenPerSecond(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	srv := connapitest.NewServer(connapitest.WithSeed(1), connapitest.WithClock(clk.now))
	defer srv.Close()
	id := firstConnectorID(t, srv)
	srv.ResetRequests()
	c := pipesClient(t, srv, WithRateLimit(10, 1))
	c.clk = clk

	const workers, calls = 16, 100
	jobs := make(chan struct{}, calls)
	for range calls {
		jobs <- struct{}{}
	}
	close(jobs)
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	clk.join(workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer clk.leave()
			for range jobs {
				if _, _, err := c.ConnectorInstances.Get(context.Background(), id, nil); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	reqs := srv.Requests()
	require.Len(t, reqs, calls, "one request a call")
	times := make([]time.Time, len(reqs))
	for i, r := range reqs {
		times[i] = r.Time
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	start := times[0]
	perSecond := make([]int, int(times[len(times)-1].Sub(start)/time.Second)+1)
	for _, tm := range times {
		perSecond[int(tm.Sub(start)/time.Second)]++
	}
	t.Logf("requests per second of the server's clock: %v", perSecond)
	require.Len(t, perSecond, 10, "100 requests at 10 a second take 10 seconds")
	for s, n := range perSecond {
		assert.InDelta(t, 10, n, 1, "second %d", s)
	}
	// Any window of one second, wherever it starts, holds at most 10 + 1.
	for i := 0; i+11 < len(times); i++ {
		assert.GreaterOrEqual(t, times[i+11].Sub(times[i]), time.Second, "requests %d to %d", i, i+11)
	}
}

// Retries wait for their token too; a limiter shared by two clients holds their
// requests together.
func TestRateLimitCoversRetriesAndSharedClients(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	srv := connapitest.NewServer(connapitest.WithSeed(1), connapitest.WithClock(clk.now))
	defer srv.Close()
	id := firstConnectorID(t, srv)
	srv.ResetRequests()
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/api/v1/connectors/{id}", Sequence: []connapitest.Fault{connapitest.Status(503)}})
	shared := rate.NewLimiter(2, 1) // one every 500 ms
	a := pipesClient(t, srv, WithRateLimiter(shared))
	b := pipesClient(t, srv, WithRateLimiter(shared))
	a.clk, b.clk = clk, clk
	clk.join(1)
	_, resp, err := a.ConnectorInstances.Get(context.Background(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	_, _, err = b.ConnectorInstances.Get(context.Background(), id, nil)
	require.NoError(t, err)
	clk.leave()
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, []time.Duration{0, 500 * time.Millisecond, time.Second},
		[]time.Duration{0, reqs[1].Time.Sub(reqs[0].Time), reqs[2].Time.Sub(reqs[0].Time)})
}

// The wait for a token ends with the call's context, and a call whose deadline
// comes before its turn fails at once; neither sends a request.
func TestRateLimitWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	id := firstConnectorID(t, srv)
	srv.ResetRequests()
	var l eventLog
	c := pipesClient(t, srv, WithRateLimit(rate.Every(time.Hour), 1), WithObserver(l.observer()))
	_, _, err := c.ConnectorInstances.Get(context.Background(), id, nil)
	require.NoError(t, err, "the first token is there")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, resp, err := c.ConnectorInstances.Get(ctx, id, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded, "an hour's wait would pass the deadline")
	assert.Nil(t, resp)
	var rw *rateLimitWaitError
	require.ErrorAs(t, err, &rw)
	assert.Contains(t, err.Error(), "rate limit")

	ctx, cancel = context.WithCancel(context.Background())
	c.clk = cancelingClock{cancel}
	_, _, err = c.ConnectorInstances.Get(ctx, id, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, srv.Requests(), 1, "only the first call was sent")
	assert.Len(t, l.get(), 2, "only the first call had an attempt: %q", l.get())
}

// cancelingClock cancels the call's context when asked to wait.
type cancelingClock struct{ cancel context.CancelFunc }

func (cancelingClock) now() time.Time { return time.Now() }
func (c cancelingClock) sleepUntil(ctx context.Context, _ time.Time) error {
	c.cancel()
	<-ctx.Done()
	return ctx.Err()
}

// With WithRateLimitHeaders the client waits for the vendor's window to reset
// instead of running into its 429s, whichever headers the vendor sends.
func TestRateLimitHeadersAvoid429(t *testing.T) {
	t.Parallel()
	for _, style := range []connapitest.RateLimitHeaders{connapitest.XRateLimitHeaders, connapitest.IETFRateLimitHeaders, connapitest.StructuredRateLimitHeaders} {
		for _, adaptive := range []bool{true, false} {
			clk := newFakeClock()
			srv := connapitest.NewServer(connapitest.WithSeed(1), connapitest.WithClock(clk.now), connapitest.WithRateLimit(5, 2*time.Second, style))
			opts := []Option{WithoutRetries(), WithRetryWait(0, 10*time.Second)}
			if adaptive {
				opts = append(opts, WithRateLimitHeaders())
			}
			c := pipesClient(t, srv, opts...)
			c.clk = clk
			clk.join(1)
			limited := 0
			for range 12 {
				_, _, err := c.ConnectorInstances.List(context.Background(), nil)
				if errors.Is(err, ErrRateLimited) {
					limited++
				} else {
					require.NoError(t, err)
				}
			}
			clk.leave()
			elapsed := clk.now().Sub(srv.Requests()[0].Time)
			if adaptive {
				assert.Zero(t, limited, "style %d: no 429", style)
				assert.Equal(t, 4*time.Second, elapsed, "style %d: 12 requests in windows of 5 take two resets", style)
			} else {
				assert.Equal(t, 7, limited, "style %d: without the option the client runs into the limit", style)
			}
			srv.Close()
		}
	}
}

func TestRateLimitHeaderParsing(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
		ok   bool
	}{
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"30"}}, 30 * time.Second, true},
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1.5"}}, 1500 * time.Millisecond, true},
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1796115612"}}, time.Unix(1796115612, 0).Sub(now), true},
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1000000001"}}, 0, true}, // a reset in the past
		{http.Header{"X-Ratelimit-Remaining": {"3"}, "X-Ratelimit-Reset": {"30"}}, 0, false},
		{http.Header{"X-Ratelimit-Remaining": {"0"}}, 0, false},
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"soon"}}, 0, false},
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"-4"}}, 0, false},
		{http.Header{"Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {"7"}, "Ratelimit-Policy": {"100;w=60"}}, 7 * time.Second, true},
		{http.Header{"Ratelimit": {`"default";r=0;t=12`}}, 12 * time.Second, true},
		{http.Header{"Ratelimit": {`"burst";r=4;t=1, "daily";r=0;t=3600`}}, time.Hour, true},
		{http.Header{"Ratelimit": {`"default";r=2;t=12`}}, 0, false},
		{http.Header{"Ratelimit": {`"default";r=0;t=99999999999999999999`}}, 0, false},
		{http.Header{"Ratelimit": {`"default";r=0;t=999999999999`}}, maxRetryAfter, true},
		{http.Header{}, 0, false},
	} {
		got, ok := exhaustedFor(tc.h, now)
		assert.Equal(t, tc.ok, ok, "%v", tc.h)
		assert.Equal(t, tc.want, got, "%v", tc.h)
	}
}

// The vendor's reset is waited for at most the longest retry wait.
func TestRateLimitHeadersWaitIsCapped(t *testing.T) {
	t.Parallel()
	var s serverLimit
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s.observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"3600"}}, now, 10*time.Second)
	assert.Equal(t, now.Add(10*time.Second), s.resumeAt())
	s.observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"2"}}, now, 10*time.Second)
	assert.Equal(t, now.Add(10*time.Second), s.resumeAt(), "a later reset is kept")
}

func TestRateLimitOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{WithRateLimit(0, 1), "not positive"},
		{WithRateLimit(-1, 1), "not positive"},
		{WithRateLimit(10, 0), "burst 0"},
		{WithRateLimiter(nil), "nil *rate.Limiter"},
	} {
		_, err := NewClient(WithBaseURL(mockBase), tc.opt)
		assert.ErrorContains(t, err, tc.want)
	}
	c, err := NewClient(WithBaseURL(mockBase), WithRateLimit(rate.Inf, 1))
	require.NoError(t, err)
	assert.NotNil(t, c.limiter)
}
