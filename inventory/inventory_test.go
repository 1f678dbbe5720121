package inventory_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/connapitest/testclient"
	"github.com/connapi/connapi-go/inventory"
	"github.com/connapi/connapi-go/models"
)

// TestMain fails the package if a walk leaves a goroutine behind. The keep-alive
// loops of the clients' connection pools belong to net/http and are ignored.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}

// sources returns one source per platform of srv, in the command line's order.
func sources(t *testing.T, srv *connapitest.Server, opts ...connapi.Option) []inventory.Source {
	t.Helper()
	mk := func(base string, auth connapi.Option) *connapi.Client {
		c, err := connapi.NewClient(append([]connapi.Option{connapi.WithBaseURL(base), auth, connapi.WithRetryWait(0, 0)}, opts...)...)
		require.NoError(t, err)
		t.Cleanup(c.CloseIdleConnections)
		return c
	}
	return []inventory.Source{
		{Profile: "s", Platform: connapi.PlatformStackAI, Client: mk(srv.StackAIURL(), connapi.WithBearerToken(srv.Token()))},
		{Profile: "p", Platform: connapi.PlatformPipesHub, Client: mk(srv.PipesHubURL(), connapi.WithBearerToken(srv.Token()))},
		{Profile: "i", Platform: connapi.PlatformInstill, Client: mk(srv.InstillURL(), connapi.WithBearerToken(srv.Token())), Namespace: connapitest.DefaultNamespace},
		{Profile: "o", Platform: connapi.PlatformOpenInt, Client: mk(srv.OpenIntURL(), connapi.WithAPIKey(srv.APIKey()))},
	}
}

func collect[T any](seq func(func(T, error) bool)) (items []T, errs []error) {
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
	}
	return items, errs
}

func TestConnectionsAllPlatformsInOrder(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(30)) // more than one page everywhere
	defer srv.Close()

	conns, errs := collect(inventory.Connections(t.Context(), sources(t, srv), &inventory.Options{Parallel: 3}))
	require.Empty(t, errs)
	require.Len(t, conns, 4*30)

	var profiles []string
	for _, c := range conns {
		if len(profiles) == 0 || profiles[len(profiles)-1] != c.Profile {
			profiles = append(profiles, c.Profile)
		}
	}
	assert.Equal(t, []string{"s", "p", "i", "o"}, profiles, "source by source, in the order given")

	first := func(p connapi.Platform) *inventory.Connection {
		i := slices.IndexFunc(conns, func(c *inventory.Connection) bool { return c.Platform == p })
		require.GreaterOrEqual(t, i, 0)
		return conns[i]
	}
	seedTime := connapitest.SeedTime.Add(time.Minute)

	s := first(connapi.PlatformStackAI)
	assert.Equal(t, "5a1c0000-0000-4000-8000-000000000001", s.ID)
	assert.Equal(t, "Seed connection 001", s.Name)
	assert.Equal(t, "gdrive", s.Type)
	assert.True(t, s.Created.Equal(seedTime), s.Created)
	assert.IsType(t, &models.Connection{}, s.Object)

	p := first(connapi.PlatformPipesHub)
	assert.Equal(t, "Seed connector 001", p.Name)
	assert.Equal(t, "unconfigured", p.Status, "seed 1 is not configured")
	assert.NotEmpty(t, p.Type)
	assert.IsType(t, &models.ConnectorInstance{}, p.Object)

	i := first(connapi.PlatformInstill)
	assert.Equal(t, "connection-001", i.ID)
	assert.Equal(t, connapitest.DefaultNamespace, i.Namespace)
	assert.NotEmpty(t, i.Type)
	assert.True(t, i.Updated.Equal(seedTime), i.Updated)

	o := first(connapi.PlatformOpenInt)
	assert.Equal(t, "conn_00000001", o.ID)
	assert.Equal(t, "Seed connection 001", o.Name)
	assert.Equal(t, "healthy", o.Status)
	assert.NotEmpty(t, o.Type)
}

func TestConnectionsFailingSourceDoesNotStopTheOthers(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	defer srv.Close()
	srcs := sources(t, srv)
	// PipesHub's second page... there is none with 3; its list fails outright.
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/api/v1/connectors", Fault: connapitest.Status(http.StatusUnauthorized)})
	bad, err := connapi.NewClient(connapi.WithBaseURL(srv.OpenIntURL()), connapi.WithAPIKey("wrong"), connapi.WithRetryWait(0, 0))
	require.NoError(t, err)
	srcs = append(srcs,
		inventory.Source{Profile: "wrong-key", Platform: connapi.PlatformOpenInt, Client: bad},
		inventory.Source{Profile: "no-ns", Platform: connapi.PlatformInstill, Client: bad},
		inventory.Source{Profile: "no-client", Platform: connapi.PlatformStackAI},
		inventory.Source{Profile: "what", Platform: connapi.Platform(9), Client: bad},
	)

	var order []string
	var errs []error
	for c, err := range inventory.Connections(t.Context(), srcs, nil) {
		if err != nil {
			errs = append(errs, err)
			var se *inventory.SourceError
			require.ErrorAs(t, err, &se)
			order = append(order, "error:"+se.Profile)
			continue
		}
		order = append(order, c.Profile)
	}
	assert.Equal(t, []string{"s", "s", "s", "error:p", "i", "i", "i", "o", "o", "o", "error:wrong-key", "error:no-ns", "error:no-client", "error:what"}, order)
	require.Len(t, errs, 5)
	assert.ErrorIs(t, errs[0], connapi.ErrUnauthorized)
	assert.ErrorIs(t, errs[1], connapi.ErrUnauthorized)
	assert.Contains(t, errs[0].Error(), "p (PipesHub): ")
	assert.Contains(t, errs[2].Error(), "namespace")
	assert.Contains(t, errs[3].Error(), "no client")
	assert.Contains(t, errs[4].Error(), `unknown platform Platform(9)`)
}

// A source's platform is its client's (connapi.WithPlatform, or a vendor base
// URL) unless Source.Platform says it; the two must agree, and one is needed.
func TestSourcePlatform(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	oi, err := testclient.New(srv, connapi.PlatformOpenInt, connapi.WithRetryWait(0, 0))
	require.NoError(t, err)
	t.Cleanup(oi.CloseIdleConnections)

	conns, errs := collect(inventory.Connections(t.Context(), []inventory.Source{{Profile: "o", Client: oi}}, nil))
	require.Empty(t, errs)
	require.Len(t, conns, 2)
	assert.Equal(t, connapi.PlatformOpenInt, conns[0].Platform)
	// JSON names the platform by its short name.
	b, err := json.Marshal(conns[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"platform":"openint"`)
	var back inventory.Connection
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, connapi.PlatformOpenInt, back.Platform)
	hs, errs := collect(inventory.Check(t.Context(), []inventory.Source{{Profile: "o", Client: oi}}, nil))
	require.Empty(t, errs)
	require.Len(t, hs, 2)
	assert.True(t, hs[0].Healthy, hs[0].Reason)

	plain, err := connapi.NewClient(connapi.WithBaseURL(srv.OpenIntURL()), connapi.WithAPIKey(srv.APIKey()))
	require.NoError(t, err)
	srcs := []inventory.Source{
		{Profile: "contradicts", Platform: connapi.PlatformStackAI, Client: oi},
		{Profile: "none", Client: plain},
		{Profile: "given", Platform: connapi.PlatformOpenInt, Client: plain},
	}
	conns, errs = collect(inventory.Connections(t.Context(), srcs, nil))
	require.Len(t, errs, 2)
	var se *inventory.SourceError
	require.ErrorAs(t, errs[0], &se)
	assert.Equal(t, "contradicts", se.Profile)
	assert.Contains(t, se.Error(), "the source says Stack AI, but its client talks to OpenInt")
	require.ErrorAs(t, errs[1], &se)
	assert.Equal(t, "none", se.Profile)
	assert.Contains(t, se.Error(), "no platform")
	require.Len(t, conns, 2)
	assert.Equal(t, "given", conns[0].Profile)
	assert.Equal(t, connapi.PlatformOpenInt, conns[0].Platform)
}

func TestConnectionsBreakStopsEverything(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(60))
	defer srv.Close()
	// The requests the clients start, counted on their side: the server may
	// still record a request the break cancelled after the loop has returned.
	var started atomic.Int64
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		started.Add(1)
		return tr.RoundTrip(r)
	})}
	n := 0
	for _, err := range inventory.Connections(t.Context(), sources(t, srv, connapi.WithHTTPClient(hc)), nil) {
		require.NoError(t, err)
		if n++; n == 5 {
			break
		}
	}
	// Every goroutine is gone when the loop statement returns (TestMain checks
	// too): nothing runs afterwards, so no request starts.
	before := started.Load()
	conns, errs := collect(inventory.Connections(t.Context(), nil, nil))
	assert.Empty(t, conns, "no sources, no connections")
	assert.Empty(t, errs)
	assert.Equal(t, before, started.Load())
}

func TestConnectionsCancelledContextReportsEachSourceCut(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, errs := collect(inventory.Connections(ctx, sources(t, srv), nil))
	require.Len(t, errs, 4)
	for _, err := range errs {
		assert.ErrorIs(t, err, context.Canceled)
	}
	var nilCtx context.Context
	_, errs = collect(inventory.Connections(nilCtx, nil, nil))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], connapi.ErrInvalidParams)
}

// gate is a RoundTripper that holds each request until want requests are in
// flight together, and records the most it saw: a walk that ran fewer than want
// at once would never pass it (the test's deadline fails it then).
type gate struct {
	next     http.RoundTripper
	want     int
	mu       sync.Mutex
	inFlight int
	max      int
	open     chan struct{}
	once     sync.Once
	total    atomic.Int64
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	g.total.Add(1)
	g.mu.Lock()
	g.inFlight++
	g.max = max(g.max, g.inFlight)
	if g.inFlight >= g.want {
		g.once.Do(func() { close(g.open) })
	}
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.inFlight--
		g.mu.Unlock()
	}()
	select {
	case <-g.open:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	return g.next.RoundTrip(r)
}

func TestConnectionsParallelIsBounded(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	g := &gate{next: http.DefaultTransport, want: 2, open: make(chan struct{})}
	srcs := sources(t, srv, connapi.WithHTTPClient(&http.Client{Transport: g}))
	srcs = append(srcs, sources(t, srv, connapi.WithHTTPClient(&http.Client{Transport: g}))...)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	conns, errs := collect(inventory.Connections(ctx, srcs, &inventory.Options{Parallel: 2}))
	require.Empty(t, errs)
	assert.Len(t, conns, 8*2)
	assert.Equal(t, 2, g.max, "two sources listed at once, never more")
}

func TestHealth(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(4))
	defer srv.Close()
	// One broken connection per platform where the fake can be made to break:
	// Stack AI's health answers 500, OpenInt's check reports a disconnection,
	// Instill's test fails.
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/connections/5a1c0000-0000-4000-8000-000000000002/health", Fault: connapitest.Status(500)})
	srv.Faults().Add(connapitest.Rule{Method: "POST", Path: "/v1beta/namespaces/connapitest/connections/connection-003/test", Fault: connapitest.Status(400)})
	oc, err := connapi.NewClient(connapi.WithBaseURL(srv.OpenIntURL()), connapi.WithAPIKey(srv.APIKey()))
	require.NoError(t, err)
	defer oc.CloseIdleConnections()
	_, _, err = oc.CoreConnections.Check(t.Context(), "conn_00000004", &connapi.CheckCoreConnectionRequest{SandboxSimulateDisconnect: connapi.Ptr(true)})
	require.NoError(t, err)

	broken := map[string]string{}
	var failed []string
	n := 0
	for h, err := range inventory.Check(t.Context(), sources(t, srv), &inventory.Options{Parallel: 3}) {
		require.NoError(t, err)
		n++
		if !h.Healthy {
			broken[h.Profile+"/"+h.ID] = h.Reason
			assert.NotEmpty(t, h.Reason)
		}
		if h.Err != nil {
			failed = append(failed, h.Profile+"/"+h.ID)
		}
	}
	assert.Equal(t, 16, n)
	assert.Contains(t, broken["s/5a1c0000-0000-4000-8000-000000000002"], "500")
	assert.Contains(t, broken["i/connection-003"], "400")
	assert.Equal(t, "status disconnected", broken["o/conn_00000004"])
	// PipesHub seeds: 1 and 3 unconfigured, 2 configured but off, 4 active.
	assert.Equal(t, "not configured", broken["p/b7e1a000-0000-4000-8000-000000000001"])
	assert.Equal(t, "not active", broken["p/b7e1a000-0000-4000-8000-000000000002"])
	assert.NotContains(t, broken, "p/b7e1a000-0000-4000-8000-000000000004")
	assert.Len(t, broken, 6)
	assert.ElementsMatch(t, []string{"s/5a1c0000-0000-4000-8000-000000000002", "i/connection-003"}, failed)
}

func TestHealthReportsSourceErrorsAndStopsOnBreak(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(20))
	defer srv.Close()
	srcs := sources(t, srv)
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/connections", Fault: connapitest.Status(http.StatusForbidden)})
	var errs []error
	n := 0
	for h, err := range inventory.Check(t.Context(), srcs, nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		assert.NotEqual(t, connapi.PlatformStackAI, h.Platform)
		if n++; n == 25 {
			break
		}
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], connapi.ErrForbidden)
	var se *inventory.SourceError
	require.True(t, errors.As(errs[0], &se))
	assert.Equal(t, "s", se.Profile)
}

// Two sources may carry the same profile name (a file's profile "env" and the
// CONNAPI_* variables' account, say): each connection is probed through the
// client of the source it was listed from.
func TestCheckSourcesWithTheSameProfileName(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	all := sources(t, srv)
	srcs := []inventory.Source{all[3], all[0]} // OpenInt, Stack AI
	srcs[0].Profile, srcs[1].Profile = "same", "same"
	hs, errs := collect(inventory.Check(t.Context(), srcs, nil))
	require.Empty(t, errs)
	require.Len(t, hs, 4)
	for _, h := range hs {
		assert.True(t, h.Healthy, "%s %s: %s", h.Platform, h.ID, h.Reason)
	}
}

// meet holds the probe of conn_00000050 and the second page of the list until
// the other one is in flight too, or until a while has passed. The listing runs
// up to 64 connections ahead of the probes, so it asks for the second page (after
// the 100th) while the 50th is probed: a Check that lets both run at once, where
// Parallel allows one request, always meets here, and one that keeps to its
// bound makes one of them wait the while out. It records the most requests in
// flight.
type meet struct {
	next           http.RoundTripper
	lists          atomic.Int64
	probe, page    chan struct{}
	probeO, pageO  sync.Once
	mu             sync.Mutex
	inFlight, most int
}

func (m *meet) RoundTrip(r *http.Request) (*http.Response, error) {
	m.mu.Lock()
	m.inFlight++
	m.most = max(m.most, m.inFlight)
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.inFlight--
		m.mu.Unlock()
	}()
	var mine, other chan struct{}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v0/core/connection/conn_00000050/_check":
		mine, other = m.probe, m.page
		m.probeO.Do(func() { close(mine) })
	case r.Method == http.MethodGet && r.URL.Path == "/v0/core/connection" && m.lists.Add(1) == 2:
		mine, other = m.page, m.probe
		m.pageO.Do(func() { close(mine) })
	}
	if other != nil {
		select {
		case <-other:
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return m.next.RoundTrip(r)
}

// TestCheckParallelBoundsListingAndProbes: Parallel bounds every request of
// Check, the pages of the list as well as the probes (connapi health --parallel
// 1 had a page and a probe in flight at once).
func TestCheckParallelBoundsListingAndProbes(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(120)) // two pages of OpenInt's 100
	defer srv.Close()
	m := &meet{next: http.DefaultTransport, probe: make(chan struct{}), page: make(chan struct{})}
	srcs := sources(t, srv, connapi.WithHTTPClient(&http.Client{Transport: m}))[3:] // OpenInt
	hs, errs := collect(inventory.Check(t.Context(), srcs, &inventory.Options{Parallel: 1}))
	require.Empty(t, errs)
	require.Len(t, hs, 120)
	for _, h := range hs {
		assert.True(t, h.Healthy, "%s: %s", h.ID, h.Reason)
	}
	assert.GreaterOrEqual(t, m.lists.Load(), int64(2), "the list has more than one page")
	assert.Equal(t, 1, m.most, "one request in flight at a time")
}

// roundTripFunc is an http.RoundTripper of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
