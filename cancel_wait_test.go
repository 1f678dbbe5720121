package connapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// manualDeadline is a context with a deadline that the test ends by hand, with
// no timer: Done closes and Err says context.DeadlineExceeded once end is
// called. Its deadline (an hour away) never passes during a test.
type manualDeadline struct {
	context.Context
	at   time.Time
	done chan struct{}
	once sync.Once
}

func newManualDeadline(in time.Duration) *manualDeadline {
	return &manualDeadline{Context: context.Background(), at: time.Now().Add(in), done: make(chan struct{})}
}

func (m *manualDeadline) Deadline() (time.Time, bool) { return m.at, true }
func (m *manualDeadline) Done() <-chan struct{}       { return m.done }
func (m *manualDeadline) end()                        { m.once.Do(func() { close(m.done) }) }

func (m *manualDeadline) Err() error {
	select {
	case <-m.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// cancelWaitSecret is a secret query value the server echoes in its error body.
const cancelWaitSecret = "wait-t0ken-secret"

// assertLastAnswerAndContext checks the one error of a call whose context ended
// while it waited to retry after the server's answer status: it matches the
// context's error (want) and holds that answer as an *APIError, with the
// server's message and body, redacted.
func assertLastAnswerAndContext(t *testing.T, err error, want error, status int, message string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, want)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "the last answer: %v", err)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, message)
	assert.Contains(t, string(apiErr.Body), message, "the server's body")
	assert.Contains(t, err.Error(), message, "Error() says what the server said")
	assertNoSecret(t, "error", allTexts(err)+apiErr.Message+string(apiErr.Body), cancelWaitSecret)
	assert.NotContains(t, err.Error(), "\n")
}

// Issue 11 follow-up (K): a call whose context ends while it waits to retry
// after an answer returned an error that matched either the context (over
// httpmock: "context canceled (last response: 503)", no *APIError) or the
// answer (over loopback: "…: 503: Service Unavailable", not context.Canceled,
// the server's message and body lost: they were drained before the wait). It
// must be one error that matches both.
func TestContextEndingInTheRetryWaitKeepsTheLastAnswer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		method       string
		body         any
		status       int
		deadline     bool // the context's deadline passes, rather than a cancel
		maybeApplied bool
	}{
		{name: "GET canceled", method: http.MethodGet, status: 503},
		{name: "GET deadline", method: http.MethodGet, status: 503, deadline: true},
		{name: "GET 429", method: http.MethodGet, status: 429},
		{name: "POST 503", method: http.MethodPost, body: map[string]any{"name": "a"}, status: 503},
		// A 500 may have been applied: the write reads as maybe applied.
		{name: "PUT 500", method: http.MethodPut, body: map[string]any{"name": "a"}, status: 500, maybeApplied: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var served atomic.Int32
			mux.HandleFunc("/things/{id}", func(w http.ResponseWriter, r *http.Request) {
				served.Add(1)
				writeJSON(w, tc.status, `{"detail":"maintenance window (`+r.URL.RawQuery+`)"}`)
			})
			var ctx context.Context
			var end func()
			want := context.Canceled
			if tc.deadline {
				md := newManualDeadline(time.Hour)
				ctx, end, want = md, md.end, context.DeadlineExceeded
			} else {
				cctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				ctx, end = cctx, cancel
			}
			var waits atomic.Int32
			c.waitHook = func(time.Duration) time.Duration {
				waits.Add(1)
				end()
				return time.Hour
			}
			resp, err := c.do(ctx, testOp(tc.method), "things/1", nil, tc.body, nil, []RequestOption{WithQuery("token", cancelWaitSecret)})
			assert.Equal(t, int32(1), waits.Load(), "it was waiting to retry")
			assertLastAnswerAndContext(t, err, want, tc.status, "maintenance window (token=[REDACTED])")
			assert.Contains(t, err.Error(), want.Error()+" while waiting to retry after "+strconv.Itoa(tc.status))
			assert.Equal(t, tc.maybeApplied, errors.Is(err, ErrMaybeApplied), "ErrMaybeApplied: %v", err)
			require.NotNil(t, resp, "the server answered: its answer is kept")
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, int(served.Load()), resp.Attempts)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Equal(t, int32(1), served.Load())
		})
	}
}

// The same over a per-test httpmock transport, whose bodies stay readable after
// the drain: the call returned the context's error with only the status.
func TestContextEndingInTheRetryWaitKeepsTheLastAnswerOverMock(t *testing.T) {
	t.Parallel()
	c, mt, waits := mockClient(t, WithRetryWait(100*time.Millisecond, 2*time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waits.then = cancel
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(503, `{"detail":"maintenance window"}`, "Retry-After", "3600"))
	_, resp, err := getThing(ctx, c, "1")
	assertLastAnswerAndContext(t, err, context.Canceled, 503, "maintenance window")
	assert.Equal(t, "connapi: GET /v1/things/1: context canceled while waiting to retry after 503: maintenance window", err.Error())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	require.NotNil(t, resp)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// The same when the context ends, or its deadline would pass, while the retry
// waits for the client's rate limiter (ratelimit.go): the retry is not sent,
// and the call returns the last answer with the reason it stopped.
func TestContextEndingInTheRateLimitWaitKeepsTheLastAnswer(t *testing.T) {
	t.Parallel()
	newClient := func(t *testing.T) (*Client, *atomic.Int32) {
		// One token, then one an hour: the first attempt goes at once, its
		// retry waits for the limiter.
		c, mux := setup(t, WithRateLimit(rate.Every(time.Hour), 1))
		var served atomic.Int32
		mux.HandleFunc("/things/{id}", func(w http.ResponseWriter, r *http.Request) {
			served.Add(1)
			writeJSON(w, 503, `{"detail":"maintenance window (`+r.URL.RawQuery+`)"}`)
		})
		return c, &served
	}
	opts := []RequestOption{WithQuery("token", cancelWaitSecret)}

	t.Run("canceled", func(t *testing.T) {
		t.Parallel()
		c, served := newClient(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c.clk = cancelingClock{cancel}
		_, resp, err := getThing(ctx, c, "1", opts...)
		assertLastAnswerAndContext(t, err, context.Canceled, 503, "maintenance window (token=[REDACTED])")
		assert.Contains(t, err.Error(), "context canceled while waiting to retry after 503")
		require.NotNil(t, resp)
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, 1, resp.Attempts)
		assert.Equal(t, int32(1), served.Load())
	})
	t.Run("deadline would pass", func(t *testing.T) {
		t.Parallel()
		c, served := newClient(t)
		ctx := newManualDeadline(time.Minute) // the limiter's next token is an hour away
		_, resp, err := getThing(ctx, c, "1", opts...)
		assertLastAnswerAndContext(t, err, context.DeadlineExceeded, 503, "maintenance window (token=[REDACTED])")
		var rw *rateLimitWaitError
		assert.ErrorAs(t, err, &rw)
		assert.Contains(t, err.Error(), "rate limit")
		require.NotNil(t, resp)
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, 1, resp.Attempts)
		assert.Equal(t, int32(1), served.Load())
	})
}
