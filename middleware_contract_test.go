package connapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/connapitest"
)

// A middleware that hands next a nil context gets an error, as a caller who
// passes one does, not a panic inside the client; nothing is sent.
func TestMiddlewareNilContextIsAnError(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	id := firstConnectorID(t, srv)
	srv.ResetRequests()
	var nextErr error
	c := pipesClient(t, srv, WithMiddleware(func(_ context.Context, call *Call, next Invoker) (*Response, error) {
		var none context.Context
		resp, err := next(none, call) //nolint:contextcheck // the nil context is the point
		nextErr = err
		return resp, err
	}))
	require.NotPanics(t, func() {
		_, resp, err := c.ConnectorInstances.Get(context.Background(), id, nil)
		require.ErrorIs(t, err, ErrInvalidParams)
		assert.ErrorContains(t, err, "nil context to next")
		assert.Nil(t, resp)
	})
	require.ErrorIs(t, nextErr, ErrInvalidParams)
	assert.Empty(t, srv.Requests())
}

// Whether or not it called next, a middleware that returns neither a response
// nor an error (nor a *Response without its *http.Response) fails the call with
// the same error: a caller never gets a nil *Response with a nil error, and the
// methods that read the response (HandleOAuthCallback reads its status) do not
// panic.
func TestMiddlewareReturningNeitherAfterNextIsAnError(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	id := firstConnectorID(t, srv)
	for _, tc := range []struct {
		name string
		ret  *Response
	}{{"nil", nil}, {"empty Response", &Response{}}} {
		c := pipesClient(t, srv, WithMiddleware(func(ctx context.Context, call *Call, next Invoker) (*Response, error) {
			_, _ = next(ctx, call)
			return tc.ret, nil
		}))
		require.NotPanics(t, func() {
			inst, resp, err := c.ConnectorInstances.Get(context.Background(), id, nil)
			require.ErrorContains(t, err, "neither a response nor an error", tc.name)
			assert.Nil(t, inst, tc.name)
			assert.Nil(t, resp, tc.name)
		}, tc.name)
		require.NotPanics(t, func() {
			_, _, err := c.ConnectorInstances.HandleOAuthCallback(context.Background(),
				&ConnectorOAuthCallbackParams{Code: "c", State: "s"})
			require.ErrorContains(t, err, "neither a response nor an error", tc.name)
		}, tc.name)
	}
}
