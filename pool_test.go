package connapi

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDefaultPoolKeepsAConnectionPerCaller: with the default transport, 64 callers
// at once, then 64 callers at once again, use the same 64 connections: the
// second round dials none. The server holds every request of a round until all
// 64 have arrived, so each round really has 64 requests in flight.
func TestDefaultPoolKeepsAConnectionPerCaller(t *testing.T) {
	t.Parallel()
	const callers = 64
	var dialed atomic.Int32
	var mu sync.Mutex
	inRound := 0
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inRound++
		ch := release
		if inRound == callers {
			close(release)
			inRound, release = 0, make(chan struct{})
		}
		mu.Unlock()
		select {
		case <-ch:
		case <-r.Context().Done():
			return
		}
		writeJSON(w, http.StatusOK, `{"success":true,"connector":{"_key":"c1","name":"n","type":"Drive"}}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dialed.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/api/v1/"), WithBearerToken(testToken), WithRetryWait(0, 0))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)

	round := func() {
		var wg sync.WaitGroup
		for range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := c.ConnectorInstances.Get(context.Background(), "c1", nil)
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
	}
	round()
	require.EqualValues(t, callers, dialed.Load(), "the first round opens one connection per caller")
	round()
	assert.EqualValues(t, callers, dialed.Load(), "the second round reuses the idle connections: none dialed")
}
