package connapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 11 follow-up (M): a retry that starts with the call's context already
// over never reaches the server (net/http's Transport returns the context's
// error before it asks for a connection), but it was counted as an attempt that
// may have: Attempts said 2 where the server saw 1, and a write read as maybe
// applied. Here the context ends in the TokenSource's call for the retry, or in
// an observer's AttemptStart, both just before the retry is handed to the
// transport, after a 503 the server answered at once.
func TestRetryStartingWithTheContextOverIsNotAnAttempt(t *testing.T) {
	t.Parallel()
	for _, hook := range []string{"TokenSource", "AttemptStart"} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			t.Run(hook+"/"+method, func(t *testing.T) {
				t.Parallel()
				var served atomic.Int32
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					served.Add(1)
					writeJSON(w, http.StatusServiceUnavailable, `{"detail":"maintenance window"}`)
				}))
				t.Cleanup(srv.Close)
				tr := &http.Transport{}
				t.Cleanup(tr.CloseIdleConnections)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				opts := []Option{WithBaseURL(srv.URL + "/v1/"), WithHTTPClient(&http.Client{Transport: tr}), WithRetryWait(0, 0)}
				var calls atomic.Int32
				switch hook {
				case "TokenSource":
					opts = append(opts, WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) {
						if calls.Add(1) == 2 {
							cancel() // the retry's token: the context ends here
						}
						return "tok-" + hook, nil
					})))
				case "AttemptStart":
					opts = append(opts, WithBearerToken(testToken), WithObserver(Observer{
						AttemptStart: func(ctx context.Context, _ *Call, a Attempt) context.Context {
							calls.Add(1)
							if a.Number == 2 {
								cancel()
							}
							return ctx
						},
					}))
				}
				c, err := NewClient(opts...)
				require.NoError(t, err)

				var body any
				if method == http.MethodPost {
					body = map[string]any{"name": "a"}
				}
				resp, err := c.do(ctx, testOp(method), "things/x", nil, body, nil, nil)
				require.Equal(t, int32(2), calls.Load(), "the retry was prepared")
				require.Error(t, err)
				assert.ErrorIs(t, err, context.Canceled)
				assert.False(t, errors.Is(err, ErrMaybeApplied), "the server refused the only request it got: %v", err)
				assert.Equal(t, int32(1), served.Load())
				require.NotNil(t, resp)
				assert.Equal(t, int(served.Load()), resp.Attempts, "Response.Attempts")
				assert.Equal(t, int64(served.Load()), c.RetryStats().Attempts, "RetryStats().Attempts")
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr, "the last answer, as for a context that ends in the wait: %v", err)
				assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
				assert.Equal(t, int(served.Load()), apiErr.Attempts, "APIError.Attempts")
			})
		}
	}
}

// The same when the context ends between the client's check and net/http's
// own: an *http.Transport reports every request it writes, so one that failed
// without reporting anything (it returned the context's error before asking
// for a connection) is not counted, nor taken as maybe sent. A transport that
// reports nothing (a test double) is still counted when it fails otherwise
// than by dialing: the client cannot tell whether it sent anything.
func TestSilentFailureOfATracingTransportIsNotAnAttempt(t *testing.T) {
	t.Parallel()
	for _, traces := range []bool{true, false} {
		st := &callState{stats: &clientStats{}}
		st.tries = 1
		st.try.Store(1)
		st.handedIn = 1
		st.countUntraced(context.Canceled, traces)
		assert.Equal(t, !traces, st.attempts() == 1, "counted, traces=%v", traces)
		assert.Equal(t, !traces, st.maySent(context.Canceled), "maybe sent, traces=%v", traces)
	}
}
