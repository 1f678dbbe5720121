package connapi

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

const filterOptionsPath = "/api/v1/connectors/{connectorId}/filters/{filterKey}/options"

func optionIDs(t *testing.T, seq func(func(models.ConnectorFilterOption, error) bool)) []string {
	t.Helper()
	var out []string
	for o, err := range seq {
		require.NoError(t, err)
		out = append(out, o.ID)
	}
	return out
}

// Against connapitest, which pages the 45 folders by cursor: lazy, every option
// once, restartable, and a break stops all requests.
func TestFilterOptionsIterWalksEveryOption(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	t.Cleanup(srv.Close)
	c := pipesClient(t, srv)
	id := firstConnectorID(t, srv)
	srv.ResetRequests()

	seq := c.ConnectorInstances.FilterOptionsIter(t.Context(), id, "folders", &ConnectorFilterOptionsParams{Limit: 20})
	assert.Zero(t, srv.RequestCount("GET", filterOptionsPath), "nothing is fetched before the first step")
	want := make([]string, 45)
	for i := range want {
		want[i] = fmt.Sprintf("folder_%02d", i+1)
	}
	assert.Equal(t, want, optionIDs(t, seq))
	assert.Equal(t, 3, srv.RequestCount("GET", filterOptionsPath))
	assert.Equal(t, want, optionIDs(t, seq), "each range starts again")
	assert.Equal(t, 6, srv.RequestCount("GET", filterOptionsPath))

	for o, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, "folder_01", o.ID)
		break
	}
	assert.Equal(t, 7, srv.RequestCount("GET", filterOptionsPath), "a break stops all requests")

	// With prefetch, the same options.
	assert.Equal(t, want, optionIDs(t, c.ConnectorInstances.FilterOptionsIter(t.Context(), id, "folders", &ConnectorFilterOptionsParams{Limit: 20}, WithPrefetch())))

	// Search and a start cursor are kept on every page.
	assert.Equal(t, []string{"folder_07"}, optionIDs(t, c.ConnectorInstances.FilterOptionsIter(t.Context(), id, "folders", &ConnectorFilterOptionsParams{Search: "folder 07"})))

	// An unknown field is the server's 404, yielded once.
	var errs []error
	for _, err := range c.ConnectorInstances.FilterOptionsIter(t.Context(), id, "nosuchfield", nil) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrNotFound)
}

// A server that pages by number (no cursor) is walked page 1, 2, 3 until hasMore
// is false; one that answers with a cursor is sent the cursor alone.
func TestFilterOptionsIterPagesByNumberOrCursor(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/connectors/c1/filters/channels/options": // page numbers, pagination nested
			page := q.Get("page")
			_, _ = fmt.Fprintf(w, `{"success":true,"options":[{"id":"ch-%s"}],"pagination":{"page":%s,"hasMore":%t}}`, page, page, page != "3")
		case q.Get("cursor") == "": // a cursor, flat
			_, _ = io.WriteString(w, `{"success":true,"options":[{"id":"a"}],"hasMore":true,"cursor":"next/+1"}`)
		default:
			_, _ = io.WriteString(w, `{"success":true,"options":[{"id":"b"}],"hasMore":false}`)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithBearerToken("tok"), WithRetryWait(0, 0))
	require.NoError(t, err)

	assert.Equal(t, []string{"ch-1", "ch-2", "ch-3"}, optionIDs(t, c.ConnectorInstances.FilterOptionsIter(t.Context(), "c1", "channels", &ConnectorFilterOptionsParams{Limit: 1, Search: "x"})))
	assert.Equal(t, []string{"a", "b"}, optionIDs(t, c.ConnectorInstances.FilterOptionsIter(t.Context(), "c1", "spaces", &ConnectorFilterOptionsParams{Page: 4})))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"limit=1&page=1&search=x", "limit=1&page=2&search=x", "limit=1&page=3&search=x",
		"page=4", "cursor=" + url.QueryEscape("next/+1")}, queries)
}

// Success false with a Message (the external service failed) is an error, not an
// empty list, and the server's message stays out of it; bad arguments fail before
// any request.
func TestFilterOptionsIterErrors(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"success":false,"options":[],"message":"Slack said invalid_auth for xoxb-leaked-token"}`)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithBearerToken("tok"), WithRetryWait(0, 0))
	require.NoError(t, err)

	var errs []error
	for o, err := range c.ConnectorInstances.FilterOptionsIter(t.Context(), "c1", "channels", nil) {
		assert.Zero(t, o)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	var re *ResponseError
	require.ErrorAs(t, errs[0], &re)
	assert.Equal(t, http.StatusOK, re.StatusCode)
	assert.Equal(t, "/connectors/c1/filters/channels/options", re.Path)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", errs[0], errs[0], re), "xoxb-leaked-token")
	assert.ErrorIs(t, errs[0], errFilterOptionsFailed)

	for name, seq := range map[string]func(func(models.ConnectorFilterOption, error) bool){
		"no connector id": c.ConnectorInstances.FilterOptionsIter(t.Context(), "", "channels", nil),
		"no filter key":   c.ConnectorInstances.FilterOptionsIter(t.Context(), "c1", "", nil),
		"limit 101":       c.ConnectorInstances.FilterOptionsIter(t.Context(), "c1", "channels", &ConnectorFilterOptionsParams{Limit: 101}),
		"page -1":         c.ConnectorInstances.FilterOptionsIter(t.Context(), "c1", "channels", &ConnectorFilterOptionsParams{Page: -1}),
	} {
		assert.ErrorIs(t, firstErr(seq), ErrInvalidParams, name)
	}
	assert.Equal(t, int32(1), n.Load(), "bad arguments send nothing")
}

// With WithPrefetch the next page is fetched while the loop works, and a break
// cancels that request and waits for it: no request, and no goroutine (TestMain's
// goleak check), outlives the loop.
func TestFilterOptionsIterPrefetchBreakCancels(t *testing.T) {
	t.Parallel()
	started := make(chan string, 4)
	canceled := make(chan string, 4)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		started <- page
		if page == "2" {
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
				canceled <- page
			case <-release:
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"success":true,"options":[{"id":"p1-a"},{"id":"p1-b"}],"hasMore":true}`)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithBearerToken("tok"), WithRetryWait(0, 0))
	require.NoError(t, err)

	for o, err := range c.ConnectorInstances.FilterOptionsIter(t.Context(), "c1", "folders", nil, WithPrefetch()) {
		require.NoError(t, err)
		assert.Equal(t, "p1-a", o.ID)
		assert.Equal(t, "1", <-started)
		select {
		case p := <-started:
			assert.Equal(t, "2", p, "page 2 is fetched while page 1 is worked on")
		case <-time.After(10 * time.Second):
			t.Fatal("page 2 was not requested")
		}
		break
	}
	select {
	case p := <-canceled:
		assert.Equal(t, "2", p)
	case <-time.After(10 * time.Second):
		t.Fatal("the request for page 2 was not cancelled")
	}
	assert.Empty(t, started, "no request after the break")
}
