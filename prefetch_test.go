package connapi

import (
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
)

// prefetchServer serves three PipesHub pages of two instances. A request for
// page 2 or 3 is announced on started; with gate set it then waits for gate to
// close, or for the request to end, which it announces on canceled (or for the
// test to end).
type prefetchServer struct {
	started  chan int
	gate     chan struct{}
	canceled chan int
}

func newPrefetchServer(t *testing.T, gated bool, opts ...Option) (*Client, *prefetchServer) {
	t.Helper()
	return newPrefetchServerAt(t, "/connectors", gated, opts...)
}

// newPrefetchServerAt is newPrefetchServer for the PipesHub list at path.
func newPrefetchServerAt(t *testing.T, path string, gated bool, opts ...Option) (*Client, *prefetchServer) {
	t.Helper()
	s := &prefetchServer{started: make(chan int, 8), canceled: make(chan int, 8)}
	if gated {
		s.gate = make(chan struct{})
	}
	c, mux := setup(t, opts...)
	release := releaseAtCleanup(t)
	mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page > 1 {
			s.started <- page
			if s.gate != nil {
				_, _ = io.Copy(io.Discard, r.Body) // to see the client go (holdUntilGone)
				select {
				case <-s.gate:
				case <-r.Context().Done():
					s.canceled <- page
					return
				case <-release:
					return // the test ended
				}
			}
		}
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"success":true,"connectors":[{"_key":"p%[1]d-a"},{"_key":"p%[1]d-b"}],
			"pagination":{"page":%[1]d,"limit":2,"hasNext":%[2]t}}`, page, page < 3))
	})
	return c, s
}

func ids(t *testing.T, c *Client, opts ...RequestOption) []string {
	t.Helper()
	var out []string
	for inst, err := range c.ConnectorInstances.ListIter(t.Context(), &ListConnectorInstancesParams{Limit: 2}, opts...) {
		require.NoError(t, err)
		out = append(out, inst.ConnectorID)
	}
	return out
}

func TestWithPrefetchWalksTheSameItems(t *testing.T) {
	t.Parallel()
	c, _ := newPrefetchServer(t, false)
	want := []string{"p1-a", "p1-b", "p2-a", "p2-b", "p3-a", "p3-b"}
	assert.Equal(t, want, ids(t, c))
	assert.Equal(t, want, ids(t, c, WithPrefetch()))
	d, _ := newPrefetchServer(t, false, WithDefaultRequestOptions(WithPrefetch()))
	assert.Equal(t, want, ids(t, d))
}

func TestWithPrefetchFetchesWhileTheLoopWorks(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string][]Option{
		"WithPrefetch":              nil,
		"WithDefaultRequestOptions": {WithDefaultRequestOptions(WithPrefetch())},
	} {
		c, s := newPrefetchServer(t, true, opts...)
		var reqOpts []RequestOption
		if opts == nil {
			reqOpts = []RequestOption{WithPrefetch()}
		}
		n := 0
		for inst, err := range c.ConnectorInstances.ListIter(t.Context(), &ListConnectorInstancesParams{Limit: 2}, reqOpts...) {
			require.NoError(t, err, name)
			n++
			if inst.ConnectorID == "p1-a" {
				select {
				case p := <-s.started:
					assert.Equal(t, 2, p, name)
				case <-time.After(hangGuard):
					t.Fatalf("%s: page 2 was not requested while page 1 was worked on", name)
				}
				close(s.gate)
			}
		}
		assert.Equal(t, 6, n, name)
	}
}

func TestWithPrefetchBreakCancelsTheRequestInFlight(t *testing.T) {
	t.Parallel()
	c, s := newPrefetchServer(t, true)
	for inst, err := range c.ConnectorInstances.ListIter(t.Context(), nil, WithPrefetch()) {
		require.NoError(t, err)
		assert.Equal(t, "p1-a", inst.ConnectorID)
		select {
		case <-s.started:
		case <-time.After(hangGuard):
			t.Fatal("page 2 was not requested")
		}
		break
	}
	// The loop has returned, and with it the request for page 2 (the goleak check
	// of TestMain fails the package on a goroutine left behind).
	select {
	case p := <-s.canceled:
		assert.Equal(t, 2, p)
	case <-time.After(hangGuard):
		t.Fatal("the request for page 2 was not cancelled")
	}
	assert.Empty(t, s.started, "no request after the break")
}

// The option is ignored by the calls that are not iterators.
func TestWithPrefetchIgnoredOutsideIterators(t *testing.T) {
	t.Parallel()
	c, _ := newPrefetchServer(t, false)
	l, _, err := c.ConnectorInstances.List(t.Context(), &ListConnectorInstancesParams{Limit: 2}, WithPrefetch())
	require.NoError(t, err)
	assert.Len(t, l.Connectors, 2)
	assert.Equal(t, models.ConnectorScope(""), l.Connectors[0].Scope)
}

// Every PipesHub paged list's iterator fetches the next page while the loop
// works on the first, with WithPrefetch (ListActiveAgentsIter ignored it).
func TestWithPrefetchEveryConnectorPageIter(t *testing.T) {
	t.Parallel()
	type walk func(c *Client) iter.Seq2[*models.ConnectorInstance, error]
	for path, w := range map[string]walk{
		"/connectors": func(c *Client) iter.Seq2[*models.ConnectorInstance, error] {
			return c.ConnectorInstances.ListIter(t.Context(), &ListConnectorInstancesParams{Limit: 2}, WithPrefetch())
		},
		"/connectors/configured": func(c *Client) iter.Seq2[*models.ConnectorInstance, error] {
			return c.ConnectorInstances.ListConfiguredIter(t.Context(), &ListConfiguredConnectorsParams{Limit: 2}, WithPrefetch())
		},
		"/connectors/agents/active": func(c *Client) iter.Seq2[*models.ConnectorInstance, error] {
			return c.ConnectorInstances.ListActiveAgentsIter(t.Context(), &ListActiveAgentConnectorsParams{Limit: 2}, WithPrefetch())
		},
	} {
		c, s := newPrefetchServerAt(t, path, true)
		n := 0
		for inst, err := range w(c) {
			require.NoError(t, err, path)
			n++
			if inst.ConnectorID == "p1-a" {
				select {
				case p := <-s.started:
					assert.Equal(t, 2, p, path)
				case <-time.After(hangGuard):
					t.Fatalf("%s: page 2 was not requested while page 1 was worked on", path)
				}
				close(s.gate)
			}
		}
		assert.Equal(t, 6, n, path)
	}
}
