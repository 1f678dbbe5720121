package connapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const mockBase = "https://api.example.test/v1/"

// mockClient returns a client over a per-test httpmock transport. Retry waits are
// computed with a 10 s cap but never slept: waits records what would have been waited.
func mockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport, *waitRecorder) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]Option{
		WithBaseURL(mockBase),
		WithHTTPClient(&http.Client{Transport: mt}),
		WithBearerToken(testToken),
		WithRetryWait(100*time.Millisecond, 10*time.Second),
	}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	wr := &waitRecorder{}
	c.waitHook = wr.record
	return c, mt, wr
}

type waitRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
	then  func()
}

func (w *waitRecorder) record(d time.Duration) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waits = append(w.waits, d)
	if w.then != nil {
		w.then()
		return d
	}
	return 0
}

func (w *waitRecorder) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}

func jsonResponder(status int, body string, header ...string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

func postThing(ctx context.Context, c *Client, body any, opts ...RequestOption) (*Response, error) {
	return c.do(ctx, testOp(http.MethodPost), "things", nil, body, nil, opts)
}

func TestRetry429HonoursRetryAfter(t *testing.T) {
	t.Parallel()
	c, mt, waits := mockClient(t)
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1",
		jsonResponder(429, `{"detail":"slow down"}`, "Retry-After", "1").Once().
			Then(jsonResponder(200, `{"ok":true}`)))
	out, resp, err := getThing(context.Background(), c, "1")
	require.NoError(t, err)
	assert.Equal(t, true, out["ok"])
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, 2, mt.GetTotalCallCount())
	assert.Equal(t, []time.Duration{time.Second}, waits.all())
}

func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	h := http.Header{"Retry-After": {now.Add(3 * time.Second).Format(http.TimeFormat)}}
	d, ok := parseRetryAfter(h, now)
	require.True(t, ok)
	assert.Equal(t, 3*time.Second, d)
	d, ok = parseRetryAfter(http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, now)
	require.True(t, ok)
	assert.Zero(t, d)
	_, ok = parseRetryAfter(http.Header{"Retry-After": {"soon"}}, now)
	assert.False(t, ok)
	d, ok = parseRetryAfter(http.Header{"Retry-After-Ms": {"250"}}, now)
	require.True(t, ok)
	assert.Equal(t, 250*time.Millisecond, d)
}

func TestRetryAfterAboveCapReturnsAtOnce(t *testing.T) {
	t.Parallel()
	c, mt, waits := mockClient(t)
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1",
		jsonResponder(429, `{"error":{"code":"HTTP_TOO_MANY_REQUESTS","message":"quota"}}`, "Retry-After", "3600"))
	_, resp, err := getThing(context.Background(), c, "1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, 1, mt.GetTotalCallCount())
	assert.Empty(t, waits.all())
}

func TestPOSTNotRetriedOn502(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t)
	mt.RegisterResponder(http.MethodPost, mockBase+"things", jsonResponder(502, `bad gateway`))
	_, err := postThing(context.Background(), c, map[string]int{"a": 1})
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestPOSTWithIdempotencyKeyRetriedOn502AndBodyReplayed(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t)
	var bodies []string
	var keys []string
	calls := 0
	mt.RegisterResponder(http.MethodPost, mockBase+"things", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		calls++
		if calls < 3 {
			return jsonResponder(502, `bad gateway`)(r)
		}
		return jsonResponder(201, `{"id":"x"}`)(r)
	})
	resp, err := postThing(context.Background(), c, map[string]int{"a": 1}, WithIdempotencyKey("idem-1"))
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Attempts)
	assert.Equal(t, []string{`{"a":1}`, `{"a":1}`, `{"a":1}`}, bodies)
	assert.Equal(t, []string{"idem-1", "idem-1", "idem-1"}, keys)
}

func TestPOSTRetriedOn429And503(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 503} {
		c, mt, _ := mockClient(t)
		mt.RegisterResponder(http.MethodPost, mockBase+"things",
			jsonResponder(status, `{}`).Once().Then(jsonResponder(201, `{}`)))
		resp, err := postThing(context.Background(), c, map[string]int{"a": 1})
		require.NoError(t, err, status)
		assert.Equal(t, 2, resp.Attempts, status)
	}
}

func TestPOSTRetriedOnlyOnDialErrors(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t)
	mt.RegisterResponder(http.MethodPost, mockBase+"things",
		httpmock.NewErrorResponder(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}).Once().
			Then(jsonResponder(201, `{}`)))
	resp, err := postThing(context.Background(), c, map[string]int{"a": 1})
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Attempts, "the dial failure never reached a server: Attempts counts requests on the wire")
	assert.Equal(t, 2, mt.GetTotalCallCount())

	c2, mt2, _ := mockClient(t)
	mt2.RegisterResponder(http.MethodPost, mockBase+"things",
		httpmock.NewErrorResponder(&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}))
	_, err = postThing(context.Background(), c2, map[string]int{"a": 1})
	require.Error(t, err)
	var oe *net.OpError
	assert.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, mt2.GetTotalCallCount())
}

func TestGETRetriedOnResetAndExhausts500(t *testing.T) {
	t.Parallel()
	c, mt, waits := mockClient(t)
	n := 0
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", func(r *http.Request) (*http.Response, error) {
		n++
		return jsonResponder(500, `{"detail":"boom `+strconv.Itoa(n)+`"}`, "X-Request-Id", "req-"+strconv.Itoa(n))(r)
	})
	_, resp, err := getThing(context.Background(), c, "1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.Equal(t, 3, resp.Attempts)
	assert.Equal(t, "boom 3", apiErr.Message, "the last body is kept")
	assert.Equal(t, "req-3", apiErr.RequestID)
	assert.JSONEq(t, `{"detail":"boom 3"}`, string(apiErr.Body))
	assert.NotContains(t, err.Error(), "giving up")
	assert.Contains(t, err.Error(), "after 3 attempts")
	require.Len(t, waits.all(), 2)
	for _, w := range waits.all() {
		assert.LessOrEqual(t, w, 10*time.Second)
	}

	c2, mt2, _ := mockClient(t)
	mt2.RegisterResponder(http.MethodGet, mockBase+"things/1",
		httpmock.NewErrorResponder(&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}).Once().
			Then(jsonResponder(200, `{}`)))
	_, resp, err = getThing(context.Background(), c2, "1")
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
}

func TestNonRetryableStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 403, 404, 409, 422, 501} {
		c, mt, _ := mockClient(t)
		mt.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(status, `{}`))
		_, _, err := getThing(context.Background(), c, "1")
		require.Error(t, err)
		assert.Equal(t, 1, mt.GetTotalCallCount(), status)
	}
}

func TestShouldRetryHeader(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t)
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(500, `{}`, "X-Should-Retry", "false"))
	_, _, err := getThing(context.Background(), c, "1")
	require.Error(t, err)
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// "true" may have an idempotent call retried on a status not retried otherwise …
	c2, mt2, _ := mockClient(t)
	mt2.RegisterResponder(http.MethodGet, mockBase+"things/1",
		jsonResponder(409, `{}`, "X-Should-Retry", "true").Once().Then(jsonResponder(200, `{}`)))
	_, resp, err := getThing(context.Background(), c2, "1")
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)

	// … but never a POST without a key (issue 11, defect 3: the hint never widens
	// what the method allows).
	c3, mt3, _ := mockClient(t)
	mt3.RegisterResponder(http.MethodPost, mockBase+"things",
		jsonResponder(409, `{}`, "X-Should-Retry", "true").Once().Then(jsonResponder(200, `{}`)))
	_, err = postThing(context.Background(), c3, map[string]int{})
	assert.ErrorIs(t, err, ErrConflict)
	assert.Equal(t, 1, mt3.GetTotalCallCount())
}

func TestWithoutRetriesAndMaxRetries(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, WithoutRetries())
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(503, `{}`))
	_, _, err := getThing(context.Background(), c, "1")
	require.Error(t, err)
	assert.Equal(t, 1, mt.GetTotalCallCount())

	c2, mt2, _ := mockClient(t, WithMaxRetries(4))
	mt2.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(503, `{}`))
	_, _, err = getThing(context.Background(), c2, "1")
	require.Error(t, err)
	assert.Equal(t, 5, mt2.GetTotalCallCount())
}

func TestContextCancelledDuringBackoffReturnsPromptly(t *testing.T) {
	t.Parallel()
	c, mt, waits := mockClient(t, WithRetryWait(100*time.Millisecond, 2*time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waits.then = cancel // cancel while the client is about to wait the full backoff
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(503, `{}`, "Retry-After", "3600"))
	type result struct {
		resp *Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		_, resp, err := getThing(ctx, c, "1")
		done <- result{resp, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(hangGuard):
		// The wait is an hour: a call that sits it out is caught here.
		t.Fatal("did not return: sat out the hour's wait")
	}
	resp, err := r.resp, r.err
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []time.Duration{time.Hour}, waits.all(), "the wait it was cancelled in")
	require.NotNil(t, resp, "the server answered: its last response is kept")
	assert.Equal(t, 503, resp.StatusCode)
	assert.Contains(t, err.Error(), "while waiting to retry after 503")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestContextAlreadyCancelled(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t)
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(200, `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := getThing(ctx, c, "1")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestBackoffIsExponentialWithJitterAndCapped(t *testing.T) {
	t.Parallel()
	for attempt := range 10 {
		d := computeBackoff(100*time.Millisecond, 2*time.Second, attempt, nil, time.Now())
		full := min(100*time.Millisecond<<attempt, 2*time.Second)
		assert.GreaterOrEqual(t, d, full/2, attempt)
		assert.LessOrEqual(t, d, full, attempt)
	}
	assert.Zero(t, computeBackoff(0, 0, 3, nil, time.Now()))
	resp := &http.Response{Header: http.Header{"Retry-After": {"30"}}}
	assert.Equal(t, 2*time.Second, computeBackoff(0, 2*time.Second, 0, resp, time.Now()))
}

func TestTransportErrorRedactsQuery(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, WithoutRetries())
	mt.RegisterNoResponder(httpmock.NewErrorResponder(errors.New("boom")))
	_, err := c.do(context.Background(), testOp(http.MethodGet), "oauth/callback",
		map[string][]string{"code": {"auth-code-secret"}, "state": {"state-secret"}, "page": {"2"}}, nil, nil, nil)
	require.Error(t, err)
	msg := err.Error()
	assert.NotContains(t, msg, "auth-code-secret")
	assert.NotContains(t, msg, "state-secret")
	assert.True(t, strings.Contains(msg, "REDACTED") || !strings.Contains(msg, "code="), msg)
	assert.NotContains(t, msg, testToken)
}

func TestSuccessIsNeverReplayedWhateverTheHeaders(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t)
	mt.RegisterResponder(http.MethodPost, mockBase+"things", jsonResponder(201, `{"id":"x"}`, "X-Should-Retry", "true"))
	resp, err := postThing(context.Background(), c, map[string]int{"a": 1})
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestOneShotCallIsNotRetriedEvenAsPUT(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t)
	mt.RegisterResponder(http.MethodPut, mockBase+"things/1",
		jsonResponder(502, `bad gateway`).Once().Then(jsonResponder(400, `{"detail":"code already used"}`)))
	_, err := c.do(context.Background(), testOp(http.MethodPut), "things/1", nil, nil, nil, []RequestOption{oneShot()})
	assert.ErrorIs(t, err, ErrServer, "the caller sees the 502, not a replay's complaint")
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// A one-shot call goes out at most once (issue 11): not even a 503 or a 429,
	// which usually mean no work was done, sends the code again.
	for _, status := range []int{429, 503} {
		c2, mt2, _ := mockClient(t)
		mt2.RegisterResponder(http.MethodPut, mockBase+"things/1", jsonResponder(status, `{}`).Once().Then(jsonResponder(200, `{}`)))
		resp, err := c2.do(context.Background(), testOp(http.MethodPut), "things/1", nil, nil, nil, []RequestOption{oneShot()})
		require.Error(t, err)
		assert.Equal(t, 1, resp.Attempts)
		assert.Equal(t, 1, mt2.GetTotalCallCount())
	}

	// One that never reached the server (a dial error) is sent.
	c3, mt3, _ := mockClient(t)
	mt3.RegisterResponder(http.MethodPut, mockBase+"things/1",
		httpmock.NewErrorResponder(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}).Once().
			Then(jsonResponder(200, `{}`)))
	resp, err := c3.do(context.Background(), testOp(http.MethodPut), "things/1", nil, nil, nil, []RequestOption{oneShot()})
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Attempts)
}

// brokenBody fails after a few bytes, like a connection reset mid-body.
type brokenBody struct{ sent bool }

func (b *brokenBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, `{"id":`), nil
	}
	return 0, io.ErrUnexpectedEOF
}
func (b *brokenBody) Close() error { return nil }

func TestBodyReadFailureRetriedForGETOnly(t *testing.T) {
	t.Parallel()
	broken := func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, "")
		resp.Body = &brokenBody{}
		resp.ContentLength = -1
		return resp, nil
	}
	c, mt, _ := mockClient(t)
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", httpmock.Responder(broken).Once().Then(jsonResponder(200, `{"id":"ok"}`)))
	out, resp, err := getThing(context.Background(), c, "1")
	require.NoError(t, err)
	assert.Equal(t, "ok", out["id"])
	assert.Equal(t, 2, resp.Attempts)

	c2, mt2, _ := mockClient(t)
	mt2.RegisterResponder(http.MethodPost, mockBase+"things", broken)
	var out2 map[string]any
	_, err = c2.do(context.Background(), testOp(http.MethodPost), "things", nil, map[string]int{}, &out2, nil)
	var re *ResponseError
	require.ErrorAs(t, err, &re, "the POST reached the server: not repeated")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, 1, mt2.GetTotalCallCount())
}

// The first attempt's answer stalls mid-body, and the attempt times out there: as
// the client reads the body's first bytes (expireOnRead), not after some time, so
// it certainly has the answer's head by then. The retry answers at once and has no
// clock to beat.
func TestSlowBodyHitsPerAttemptTimeoutAndIsRetried(t *testing.T) {
	t.Parallel()
	to := newAttemptTimeouts()
	t.Cleanup(to.close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := tr.RoundTrip(r)
		if err == nil && resp.Header.Get("X-Stall") != "" {
			resp.Body = &expireOnRead{ReadCloser: resp.Body, expire: func() { to.expire(r.Header) }}
		}
		return resp, err
	})}
	c, mux := setup(t, WithMaxRetries(1), WithObserver(to.observer()), WithHTTPClient(hc))
	var calls atomic.Int32
	release := releaseAtCleanup(t)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if calls.Add(1) == 1 {
			w.Header().Set("X-Stall", "1")
			_, _ = io.WriteString(w, `{"id":`)
			w.(http.Flusher).Flush()
			holdUntilGone(r, release) // stall mid-body until the client's attempt times out
			return
		}
		_, _ = io.WriteString(w, `{"id":"ok"}`)
	})
	out, resp, err := getThing(context.Background(), c, "1", WithRequestTimeout(heldAttemptTimeout))
	require.NoError(t, err)
	assert.Equal(t, "ok", out["id"])
	assert.Equal(t, 2, resp.Attempts)
	assert.EqualValues(t, 2, calls.Load())
	ended := to.endedAttempts()
	require.Len(t, ended, 2)
	assert.Equal(t, 200, ended[0].StatusCode, "the first attempt had its answer's head")
	assert.Equal(t, "timeout", ended[0].ErrorType, "and timed out in its body")
	assert.Equal(t, "", ended[1].ErrorType)
}

// expireOnRead calls expire once a read has returned some of the body.
type expireOnRead struct {
	io.ReadCloser
	expire func()
	once   sync.Once
}

func (b *expireOnRead) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.once.Do(b.expire)
	}
	return n, err
}

func TestRetryAfterMsNonFinite(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"inf", "+Inf", "NaN", "1e300"} {
		d, ok := parseRetryAfter(http.Header{"Retry-After-Ms": {v}}, time.Now())
		if ok {
			assert.GreaterOrEqual(t, d, time.Duration(0), v)
			assert.LessOrEqual(t, d, maxRetryAfter, v)
		}
	}
}

type forgetfulSource struct {
	n           atomic.Int32
	invalidated atomic.Int32
}

func (f *forgetfulSource) Token(context.Context) (string, error) {
	return fmt.Sprintf("tok-%d", f.n.Add(1)), nil
}
func (f *forgetfulSource) Invalidate() { f.invalidated.Add(1) }

func TestUnauthorizedGetsOneRetryWithAFreshToken(t *testing.T) {
	t.Parallel()
	ts := &forgetfulSource{}
	mt := httpmock.NewMockTransport()
	c2, err := NewClient(WithBaseURL(mockBase), WithHTTPClient(&http.Client{Transport: mt}), WithTokenSource(ts),
		WithRetryWait(time.Second, 10*time.Second))
	require.NoError(t, err)
	waits := &waitRecorder{}
	c2.waitHook = waits.record
	var seen []string
	mt.RegisterResponder(http.MethodPost, mockBase+"things", func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Header.Get("Authorization"))
		if len(seen) == 1 {
			return jsonResponder(401, `{"detail":"token revoked"}`)(r)
		}
		return jsonResponder(201, `{}`)(r)
	})
	resp, err := postThing(context.Background(), c2, map[string]int{"a": 1})
	require.NoError(t, err, "a POST too: the server refused before doing any work")
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-2"}, seen)
	assert.EqualValues(t, 1, ts.invalidated.Load())
	assert.Equal(t, []time.Duration{0}, waits.all(), "no wait: a fresh token is what the retry needs")

	// A second 401 is the answer: no loop.
	seen = nil
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(401, `{"detail":"no"}`))
	_, resp, err = getThing(context.Background(), c2, "1")
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 2, resp.Attempts)

	// A static bearer token cannot be refreshed: one attempt.
	c3, mt3, _ := mockClient(t)
	mt3.RegisterResponder(http.MethodGet, mockBase+"things/1", jsonResponder(401, `{"detail":"no"}`))
	_, resp, err = getThing(context.Background(), c3, "1")
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 1, resp.Attempts)
}

func TestFinalErrorBodyIsTheLastAttempts(t *testing.T) {
	t.Parallel()
	// Attempt 1: a 200 whose body breaks off (read by the response handler, then
	// retried); attempts 2 and 3: 503s. The error must carry the last 503's body.
	broken := func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, "")
		resp.Body = &brokenBody{}
		resp.ContentLength = -1
		return resp, nil
	}
	c, mt, _ := mockClient(t)
	mt.RegisterResponder(http.MethodGet, mockBase+"things/1", httpmock.Responder(broken).Once().
		Then(jsonResponder(503, `{"detail":"busy 2"}`).Once()).
		Then(jsonResponder(503, `{"detail":"busy 3"}`)))
	_, resp, err := getThing(context.Background(), c, "1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "busy 3", apiErr.Message)
	assert.Equal(t, 3, resp.Attempts)
}
