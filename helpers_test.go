package connapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attemptTimeout is the per-attempt timeout (WithRequestTimeout, a token fetch's
// timeout) of the tests in which an attempt hangs until the client gives up on it.
// Only the hanging attempt waits it out: the server holds that one until the
// client's timeout ends it, and answers every other attempt at once. It is long
// enough that an answering attempt never reaches it, and a hanging one always
// reaches the server before it: on a loaded two-core CI machine under -race a
// loopback round trip on a new connection has taken over half a second, so it is
// a second (and the tests that use it run in parallel), not tens of milliseconds.
const attemptTimeout = time.Second

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
