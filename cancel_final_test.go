package connapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A final answer (one not retried: 409, 404, 400) that arrives just as the
// call's context ends returned "context canceled (last response: 409)" over
// httpmock, without the *APIError (the server's message and body lost), and
// the *APIError alone over loopback when its body could not be read. It must
// be one error that matches both, as for an answer the call was waiting to
// retry (cancel_wait_test.go).
func TestContextEndingAsAFinalAnswerArrivesKeepsIt(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		method       string
		status       int
		maybeApplied bool
	}{
		{name: "GET 404", method: http.MethodGet, status: 404},
		{name: "POST 409", method: http.MethodPost, status: 409},
		{name: "PATCH 400", method: http.MethodPatch, status: 400},
		{name: "DELETE 403", method: http.MethodDelete, status: 403},
		// A POST is not retried after a 500; it may have been applied.
		{name: "POST 500", method: http.MethodPost, status: 500, maybeApplied: true},
	}
	for _, tc := range cases {
		t.Run(tc.name+" over mock", func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			mt.RegisterResponder(tc.method, mockBase+"things/1", func(r *http.Request) (*http.Response, error) {
				resp, err := jsonResponder(tc.status, `{"detail":"already there (`+r.URL.RawQuery+`)"}`)(r)
				cancel() // the answer has arrived; the caller gives up at that instant
				return resp, err
			})
			c, err := NewClient(WithBaseURL(mockBase), WithHTTPClient(&http.Client{Transport: mt}), WithBearerToken(testToken), WithRetryWait(0, 0))
			require.NoError(t, err)
			var body any
			if tc.method != http.MethodGet && tc.method != http.MethodDelete {
				body = map[string]any{"name": "a"}
			}
			resp, err := c.do(ctx, testOp(tc.method), "things/1", nil, body, nil, []RequestOption{WithQuery("token", cancelWaitSecret)})
			assertLastAnswerAndContext(t, err, context.Canceled, tc.status, "already there (token=[REDACTED])")
			assert.Contains(t, err.Error(), "connapi: "+tc.method+" /v1/things/1: context canceled as the server answered "+strconv.Itoa(tc.status)+": already there (token=[REDACTED])")
			assert.Equal(t, tc.maybeApplied, errors.Is(err, ErrMaybeApplied), "ErrMaybeApplied: %v", err)
			require.NotNil(t, resp)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, 1, resp.Attempts)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
		t.Run(tc.name+" over loopback", func(t *testing.T) {
			t.Parallel()
			var served atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				served.Add(1)
				writeJSON(w, tc.status, `{"detail":"already there"}`)
			}))
			t.Cleanup(srv.Close)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tr := srv.Client().Transport
			hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				resp, err := tr.RoundTrip(r)
				cancel() // the head has arrived; the caller gives up at that instant
				return resp, err
			})}
			c, err := NewClient(WithBaseURL(srv.URL+"/"), WithHTTPClient(hc), WithBearerToken(testToken), WithRetryWait(0, 0))
			require.NoError(t, err)
			resp, err := c.do(ctx, testOp(tc.method), "things/1", nil, nil, nil, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.Canceled)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "the answer: %v", err)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.maybeApplied, errors.Is(err, ErrMaybeApplied), "ErrMaybeApplied: %v", err)
			require.NotNil(t, resp)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, int32(1), served.Load())
		})
	}
}
