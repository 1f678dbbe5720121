package connapi

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deadWriteDialer dials real loopback connections whose first Write fails, with
// nothing written, once armed and only on a connection that has already carried
// a request: a kept-alive connection the server has just closed, as the client
// sees it when the reset is already there.
//
// The dead connection's read side holds its failure until the test ends: net/http
// says that nothing was written when its writer reports the failure first, and
// drops the fact when its reader does (the SDK then counts the attempt as one that
// may have reached the server). The test pins the first order.
type deadWriteDialer struct {
	d       net.Dialer
	armed   atomic.Bool
	fired   atomic.Int32
	release chan struct{}
}

func (d *deadWriteDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &deadWriteConn{Conn: c, d: d}, nil
}

type deadWriteConn struct {
	net.Conn
	d      *deadWriteDialer
	mu     sync.Mutex
	writes int
	dead   atomic.Bool
}

func (c *deadWriteConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	reused := c.writes > 0
	c.writes++
	c.mu.Unlock()
	if reused && c.d.armed.CompareAndSwap(true, false) {
		c.dead.Store(true)
		c.d.fired.Add(1)
		return 0, &net.OpError{Op: "write", Net: "tcp", Addr: c.RemoteAddr(), Err: syscall.ECONNRESET}
	}
	return c.Conn.Write(p)
}

func (c *deadWriteConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil && c.dead.Load() {
		<-c.d.release
	}
	return n, err
}

// Defect 2 of issue 11, the rest of it: an attempt whose request was handed to a
// kept-alive connection that turned out dead, with nothing written, reached
// nobody. net/http's Transport re-sends such a request on a new connection by
// itself (a write without a key, a DELETE), and httptrace's WroteHeaders fires
// for both: Attempts said 2 where the server saw 1. A request net/http does not
// re-send (a GET, a keyed write) comes back to the SDK, whose retry was counted
// on top of the request that never left. Attempts, APIError.Attempts and
// RetryStats must count the requests the server received.
func TestAttemptsCountOnlyRequestsThatReachedTheServer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		method string
		body   any
		opts   []RequestOption
	}{
		{"GET", http.MethodGet, nil, nil},
		{"keyed POST", http.MethodPost, map[string]any{"name": "a"}, []RequestOption{WithIdempotencyKey("key-1")}},
		{"one-shot GET", http.MethodGet, nil, []RequestOption{oneShot()}},
		{"one-shot POST", http.MethodPost, map[string]any{"code": "c"}, []RequestOption{oneShot()}},
		{"POST without a key", http.MethodPost, map[string]any{"name": "a"}, nil},
		{"PUT", http.MethodPut, map[string]any{"name": "a"}, nil},
		{"DELETE", http.MethodDelete, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var served atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/v1/things/x" {
					served.Add(1)
				}
				writeJSON(w, 200, `{"id":"x"}`)
			}))
			t.Cleanup(srv.Close)
			d := &deadWriteDialer{release: make(chan struct{})}
			t.Cleanup(func() { close(d.release) })
			// One connection per host: the call under test gets the kept-alive
			// one the warm-up call left, never a fresh one.
			tr := &http.Transport{DialContext: d.DialContext, MaxConnsPerHost: 1}
			t.Cleanup(tr.CloseIdleConnections)
			c, err := NewClient(WithBaseURL(srv.URL+"/v1/"), WithBearerToken(testToken),
				WithHTTPClient(&http.Client{Transport: tr}), WithRetryWait(0, 0))
			require.NoError(t, err)

			_, _, err = getThing(context.Background(), c, "warm")
			require.NoError(t, err)
			before := c.RetryStats().Attempts

			d.armed.Store(true)
			var out map[string]any
			resp, err := c.do(context.Background(), testOp(tc.method), "things/x", nil, tc.body, &out, tc.opts)
			require.Equal(t, int32(1), d.fired.Load(), "the dead connection was not the one reused")
			require.NoError(t, err)
			assert.Equal(t, int32(1), served.Load())
			assert.Equal(t, int(served.Load()), resp.Attempts, "Response.Attempts")
			assert.Equal(t, int64(served.Load()), c.RetryStats().Attempts-before, "RetryStats().Attempts")
		})
	}
}
