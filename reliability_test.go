package connapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Defect 1: a Latin-1 error page once panicked the caller ("slice bounds out of
// range"): the <title> offsets were found in a lower-cased copy whose invalid bytes
// had grown to three bytes each.
func TestLatin1HTMLErrorPageDoesNotPanic(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"before title": "<html><head>\xe9\xe9\xe9\xe9\xe9\xe9<TITLE>502 Bad Gateway</TITLE></head></html>",
		"inside title": "<html><head><title>Passerelle d\xe9faillante \xe0 l'entr\xe9e</title></head><body>\xe9\xe9\xe9\xe9</body></html>",
		"many bytes":   "<html>\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8<title>x</title>",
	}
	for name, page := range pages {
		c, mux := setup(t)
		mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(page))
		})
		var err error
		require.NotPanics(t, func() { _, _, err = getThing(context.Background(), c, "1", WithRequestTimeout(0)) }, name)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, name)
		assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode, name)
	}
	// Latin-1 is decoded, so the title reads as the server meant it.
	e := newAPIError(&http.Response{StatusCode: 502, Header: http.Header{"Content-Type": {"text/html; charset=ISO-8859-1"}}},
		[]byte(pages["inside title"]), http.MethodGet, "/x", 1, nil)
	assert.Equal(t, "Passerelle défaillante à l'entrée", e.Message)
}

// Defect 9: a Retry-After too large for any integer type means "longer than the
// cap": the call returns at once with RetryAfter at its maximum, instead of
// ignoring the header and retrying.
func TestHugeRetryAfterReturnsAtOnce(t *testing.T) {
	t.Parallel()
	for _, h := range [][2]string{
		{"Retry-After", "99999999999999999999"},
		{"Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"},
		{"Retry-After-Ms", "1e400"},
		{"Retry-After-Ms", "999999999999999999999999999"},
	} {
		c, mux := setup(t)
		var calls atomic.Int32
		mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.Header().Set(h[0], h[1])
			writeJSON(w, http.StatusTooManyRequests, `{"detail":"slow down"}`)
		})
		_, resp, err := getThing(context.Background(), c, "1")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, h)
		assert.Equal(t, maxRetryAfter, apiErr.RetryAfter, h)
		assert.EqualValues(t, 1, calls.Load(), h)
		assert.Equal(t, 1, resp.Attempts, h)
	}
}

// Defect 8: 64 calls whose 401s arrive one after the other, each after the
// previous call already succeeded with a refreshed token, must share one refresh:
// a 401 makes the token source drop the token that attempt sent, never a newer one.
func TestConcurrent401sShareOneRefresh(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"password grant", "gotrue"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var logins atomic.Int32
			tokens := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, _ map[string]any) {
				writeJSON(w, 200, stackTokenJSON(fmt.Sprintf("tok-%d", logins.Add(1)), "", 3600))
			})
			var ts TokenSource
			if kind == "gotrue" {
				ts = newTestGoTrue(t, tokens, newStackClock())
			} else {
				ts = newTestPasswordGrant(t, tokens, newStackClock(), nil)
			}
			_, err := ts.Token(context.Background()) // tok-1, which the API then revokes
			require.NoError(t, err)

			const calls = 64
			arrived := make(chan struct{}, calls)
			release := make(chan struct{})
			done := make(chan struct{}, calls)
			c, mux, _ := loopback(t, WithTokenSource(ts))
			mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") == "Bearer tok-1" {
					arrived <- struct{}{}
					<-release
					writeJSON(w, http.StatusUnauthorized, `{"detail":"token revoked"}`)
					return
				}
				writeJSON(w, http.StatusOK, `{"ok":true}`)
				done <- struct{}{}
			})
			var wg sync.WaitGroup
			errs := make(chan error, calls)
			for range calls {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, _, err := getThing(context.Background(), c, "1")
					errs <- err
				}()
			}
			for range calls {
				<-arrived // every call is in flight with tok-1
			}
			for range calls {
				release <- struct{}{} // one 401 …
				<-done                // … and that call's retry succeeded before the next 401
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			assert.EqualValues(t, 2, logins.Load(), "one login, then one refresh shared by all 64 calls")
		})
	}
}

// loopback is setup without the bearer token, returning the server too.
func loopback(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(testPrefix+"/", http.StripPrefix(testPrefix, mux))
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	c, err := NewClient(append([]Option{WithBaseURL(srv.URL + testPrefix + "/"), WithRetryWait(0, 0)}, opts...)...)
	require.NoError(t, err)
	return c, mux, srv
}
