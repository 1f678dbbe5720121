package connapi

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 11 follow-up (L): a write the server applied read as "did not happen".
// A handler that cancels the call's context and answers 201 to a POST made the
// call return a plain context.Canceled, without ErrMaybeApplied: the retry
// policy, which marks an attempt that may have been applied, was skipped once
// the context had ended. Any write whose context ends after its request reached
// the server reads ErrMaybeApplied (and still matches the context's error); a
// read does not. (A refusal the client read before its context ended, a 503 it
// was about to retry, stays a definite failure: see
// TestContextEndingInTheRetryWaitKeepsTheLastAnswer.)
func TestContextEndingAfterAWriteReachedTheServerReadsMaybeApplied(t *testing.T) {
	t.Parallel()
	kinds := []struct {
		name   string
		method string
		body   any
		opts   []RequestOption
		write  bool // the error must match ErrMaybeApplied
	}{
		{"GET", http.MethodGet, nil, nil, false},
		{"POST", http.MethodPost, map[string]any{"name": "a"}, nil, true},
		{"keyed POST", http.MethodPost, map[string]any{"name": "a"}, []RequestOption{WithIdempotencyKey("key-1")}, true},
		{"PUT", http.MethodPut, map[string]any{"name": "a"}, nil, true},
		{"PATCH", http.MethodPatch, map[string]any{"name": "a"}, nil, true},
		{"DELETE", http.MethodDelete, nil, nil, true},
		{"one-shot POST", http.MethodPost, map[string]any{"code": "c0de"}, []RequestOption{oneShot()}, true},
		{"one-shot GET", http.MethodGet, nil, []RequestOption{oneShot()}, true},
	}
	ends := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request, cancel context.CancelFunc, release <-chan struct{})
	}{
		// The server applies the write, the context ends, the answer follows.
		{"answered 201", func(w http.ResponseWriter, _ *http.Request, cancel context.CancelFunc, _ <-chan struct{}) {
			cancel()
			writeJSON(w, http.StatusCreated, `{"id":"x"}`)
		}},
		// The server has the request; the context ends before any answer.
		{"no answer", func(_ http.ResponseWriter, r *http.Request, cancel context.CancelFunc, release <-chan struct{}) {
			cancel()
			holdUntilGone(r, release)
		}},
	}
	for _, end := range ends {
		for _, k := range kinds {
			t.Run(end.name+"/"+k.name, func(t *testing.T) {
				t.Parallel()
				c, mux := setup(t)
				release := releaseAtCleanup(t)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var served atomic.Int32
				mux.HandleFunc("/things/{id}", func(w http.ResponseWriter, r *http.Request) {
					served.Add(1)
					end.handler(w, r, cancel, release)
				})
				var out map[string]any
				resp, err := c.do(ctx, testOp(k.method), "things/x", nil, k.body, &out, k.opts)
				require.Error(t, err, "the context ended before the answer was read")
				assert.ErrorIs(t, err, context.Canceled)
				assert.Equal(t, k.write, errors.Is(err, ErrMaybeApplied), "ErrMaybeApplied: %v", err)
				assert.Equal(t, int32(1), served.Load())
				if resp != nil {
					assert.Equal(t, 1, resp.Attempts)
				}
			})
		}
	}
}
