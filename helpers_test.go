package connapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hangTimeout is the per-attempt timeout (WithRequestTimeout, a token fetch's
// timeout) of the tests in which every attempt hangs until its own timeout ends it:
// the one thing those tests leave to a clock. No outcome they check depends on how
// far an attempt got before it (the request may or may not have reached the
// server), and a timer never fires early, so it is short.
const hangTimeout = 100 * time.Millisecond

// hangGuard is how long a test waits for something that must happen before it
// calls it a hang and fails. It decides nothing else, so it is far beyond what
// anything takes on the slowest, most loaded machine.
const hangGuard = time.Minute

// heldAttemptTimeout is the per-attempt timeout of a test that ends its attempts
// itself (attemptTimeouts): far longer than any test, so that it ends none.
const heldAttemptTimeout = time.Hour

// attemptHeader carries an attempt's id (attemptTimeouts) to the server.
const attemptHeader = "X-Test-Attempt"

// attemptTimeouts times out a client's attempts when the test says so, not after
// some time, so that an attempt that must time out does so only once the server
// holds it, and one that must not never can. Installed with its Observer, it gives
// each attempt a context of its own and sends the attempt's id in attemptHeader;
// expire ends the attempt with that id as its timeout (WithRequestTimeout) would:
// the transport fails it with context.DeadlineExceeded (its context's cause) while
// the call's context lives on. The attempts' own timeout is heldAttemptTimeout. A
// test calls expire where its server holds the request: the attempt has reached
// the server, and no clock decides anything.
type attemptTimeouts struct {
	mu     sync.Mutex
	next   int
	live   map[string]context.CancelCauseFunc // by id: attempts begun
	ended  []Attempt                          // the attempts that ended, in order
	closed bool
}

// newAttemptTimeouts returns an attemptTimeouts; close it when the test ends.
func newAttemptTimeouts() *attemptTimeouts {
	return &attemptTimeouts{live: map[string]context.CancelCauseFunc{}}
}

// observer is the Observer to install (WithObserver).
func (a *attemptTimeouts) observer() Observer {
	return Observer{
		AttemptStart: func(ctx context.Context, _ *Call, at Attempt) context.Context {
			ctx, cancel := context.WithCancelCause(ctx)
			a.mu.Lock()
			defer a.mu.Unlock()
			if a.closed {
				cancel(nil)
				return ctx
			}
			a.next++
			id := strconv.Itoa(a.next)
			a.live[id] = cancel
			at.Header.Set(attemptHeader, id)
			return ctx
		},
		AttemptEnd: func(_ context.Context, _ *Call, at Attempt) {
			a.mu.Lock()
			a.ended = append(a.ended, at)
			a.mu.Unlock()
		},
	}
}

// expire times out the attempt whose request carries h (its attemptHeader). It
// reports whether there was one.
func (a *attemptTimeouts) expire(h http.Header) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	cancel, ok := a.live[h.Get(attemptHeader)]
	if ok {
		cancel(context.DeadlineExceeded)
	}
	return ok
}

// endedAttempts returns the attempts that ended so far, in order.
func (a *attemptTimeouts) endedAttempts() []Attempt {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Attempt(nil), a.ended...)
}

// close ends every attempt's context (which frees what watches them).
func (a *attemptTimeouts) close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	for _, cancel := range a.live {
		cancel(nil)
	}
	clear(a.live)
}

// holdUntilGone holds a handler until its client has gone away (true) or release
// closes (false). It reads the request body first: net/http's server notices that
// a client went away only once the body has been read, and net/http's client sends
// a bodiless call of the SDK (whose empty body keeps net/http from replaying it) as
// chunked when its 200 ms probe of that body runs late, as it does on a loaded
// machine. A handler that holds without reading would then never see the client
// go, and the server's Close would wait for it for ever.
func holdUntilGone(r *http.Request, release <-chan struct{}) bool {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
		return true
	case <-release:
		return false
	}
}

// releaseAtCleanup returns a channel closed when the test ends, before the
// servers that setup started are closed (cleanups run last-registered first, so
// call it after setup): a held handler (holdUntilGone) lets go then even when the
// test failed before its client went away.
func releaseAtCleanup(t *testing.T) <-chan struct{} {
	t.Helper()
	ch := make(chan struct{})
	t.Cleanup(func() { close(ch) })
	return ch
}

// testPrefix is where setup mounts the API, so that a path the SDK builds as absolute
// (and so escapes the base path) fails loudly with a 404.
const testPrefix = "/prefix/api/v1"

// testToken is the bearer token setup's client sends.
const testToken = "test-token-5f1c"

// setup returns a client whose base URL is an httptest server mounted under
// testPrefix, and the mux (without the prefix) that tests register handlers on.
// Retries wait zero time. Extra options are applied after the defaults.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(testPrefix+"/", http.StripPrefix(testPrefix, mux))
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside base path", http.StatusNotFound)
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	all := append([]Option{
		WithBaseURL(srv.URL + testPrefix + "/"),
		WithBearerToken(testToken),
		WithRetryWait(0, 0),
	}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	return c, mux
}

// noRequestClient returns a client whose transport fails the test on any request,
// and a counter of the requests that reached it. Use it to prove that a call with bad
// arguments sends nothing.
func noRequestClient(t *testing.T) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		t.Errorf("unexpected request: %s %s", r.Method, r.URL)
		return nil, io.ErrUnexpectedEOF
	})}
	c, err := NewClient(WithBaseURL("https://api.example.test/v1/"), WithBearerToken(testToken), WithHTTPClient(hc), WithRetryWait(0, 0))
	require.NoError(t, err)
	return c, &n
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// testMethod asserts the request's method.
func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method, "method")
}

// testQuery asserts the request's query equals want exactly (every key, every value,
// in order per key).
func testQuery(t *testing.T, r *http.Request, want url.Values) {
	t.Helper()
	got := r.URL.Query()
	if len(want) == 0 && len(got) == 0 {
		return
	}
	assert.Equal(t, want, got, "query")
}

// testJSONBody asserts the request body is JSON equal to want (a JSON string).
func testJSONBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.JSONEq(t, want, string(b), "body")
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "content type")
}

// testNoBody asserts the request has no body.
func testNoBody(t *testing.T, r *http.Request) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Empty(t, b, "body")
}

// writeJSON writes status and a JSON body (given as a string).
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// mustJSON marshals v for tests.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// assertInvalidParams asserts err is ErrInvalidParams and mentions each word.
func assertInvalidParams(t *testing.T, err error, words ...string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidParams)
	for _, w := range words {
		assert.Contains(t, strings.ToLower(err.Error()), strings.ToLower(w))
	}
}

// testOp returns an Operation for tests that call do directly: its platform is
// unknown, so no client refuses it.
func testOp(method string) *Operation {
	return &Operation{name: "Test." + method, method: method, path: "/test"}
}
