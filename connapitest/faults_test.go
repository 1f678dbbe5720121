package connapitest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func statuses(t *testing.T, s *Server, method, url string, n int) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i], _, _ = send(t, s, method, url, nil)
	}
	return out
}

func TestFaultSequence(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	id := s.Faults().Add(Rule{Method: "GET", Path: "/api/v1/connectors", Sequence: []Fault{Status(503), Status(503)}})
	url := s.PipesHubURL() + "connectors?scope=team"

	status, _, b := send(t, s, "GET", url, nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "HTTP_SERVICE_UNAVAILABLE", sub(t, obj(t, b), "error")["code"], "faults speak the family's error shape")
	assert.Equal(t, []int{503, 200, 200}, statuses(t, s, "GET", url, 3))
	assert.Equal(t, 2, s.Faults().Fired(id))

	// Pass() inside a sequence lets one request through; other routes are untouched.
	s.Faults().Add(Rule{Path: "/v0/*", Sequence: []Fault{Pass(), Status(500), Pass(), Status(502)}})
	assert.Equal(t, []int{200, 500, 200, 502, 200}, statuses(t, s, "GET", s.OpenIntURL()+"core/connection", 5))
	assert.Equal(t, []int{200}, statuses(t, s, "GET", s.StackAIURL()+"connections", 1))
}

func TestFaultRouteMatching(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(2))
	s.Faults().Add(Rule{Method: "GET", Path: "/connections/{id}", Fault: Status(500), Times: 2})
	one := s.StackAIURL() + "connections/" + stackUUID(1)
	assert.Equal(t, []int{200, 200}, statuses(t, s, "GET", s.StackAIURL()+"connections", 2), "other paths pass")
	assert.Equal(t, []int{200}, statuses(t, s, "GET", one+"/health", 1), "segments must match one by one")
	assert.Equal(t, []int{204}, statuses(t, s, "DELETE", s.StackAIURL()+"connections/"+stackUUID(2), 1), "other methods pass")
	assert.Equal(t, []int{500, 500, 200}, statuses(t, s, "GET", one, 3), "Times limits the rule")

	status, _, b := send(t, s, "GET", one, nil)
	assert.Equal(t, 200, status)
	assert.Equal(t, stackUUID(1), obj(t, b)["connection_id"])

	// Each family's error shape.
	s.Faults().Add(Rule{Fault: Status(500)})
	_, _, b = send(t, s, "GET", s.InstillURL()+"v1beta/integrations", nil)
	assert.EqualValues(t, 13, obj(t, b)["code"])
	_, _, b = send(t, s, "GET", s.OpenIntURL()+"core/connection", nil)
	assert.Equal(t, "INTERNAL_SERVER_ERROR", obj(t, b)["code"])
	_, _, b = send(t, s, "GET", s.StackAIURL()+"connections", nil)
	assert.Equal(t, "injected fault: Internal Server Error", obj(t, b)["detail"])
	status, _, b = send(t, s, "POST", s.URL()+"/oauth/token", "grant_type=password", "Content-Type", "application/x-www-form-urlencoded")
	assert.Equal(t, 500, status)
	assert.Equal(t, "server_error", obj(t, b)["error"])
}

// TestFaultRuleMatchesAnEscapedSlashAsOneSegment: an id holding "/" is sent
// path-escaped (%2F), and the server routes it as one {id} segment; a rule on
// the route's pattern, and RequestCount with it, must see the same one segment.
// Both compared the unescaped path, in which the id became two segments, so the
// rule never fired for such an id and RequestCount did not count it.
func TestFaultRuleMatchesAnEscapedSlashAsOneSegment(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	const pattern = "/v0/core/connection/{id}"
	s.Faults().Add(Rule{Method: "GET", Path: pattern, Fault: Status(http.StatusTeapot)})
	for _, id := range []string{"conn_a", "conn_a%2Fb", "conn_%2F%2F"} {
		status, _, b := send(t, s, "GET", s.OpenIntURL()+"core/connection/"+id, nil)
		assert.Equal(t, http.StatusTeapot, status, "%s: %s", id, b)
	}
	assert.Equal(t, 3, s.RequestCount("GET", pattern))
	assert.Equal(t, 3, s.RequestCount("GET", "/v0/*"), "a prefix pattern still matches")
	assert.Equal(t, 0, s.RequestCount("GET", "/v0/core/connection/conn_a/b"), "the path has three segments after connection/, not four")
	assert.Equal(t, 1, s.RequestCount("GET", "/v0/core/connection/conn_a"), "a literal segment matches the unescaped id")

	s.Faults().Clear()
	status, _, b := send(t, s, "GET", s.OpenIntURL()+"core/connection/conn_a%2Fb", nil)
	assert.Equal(t, http.StatusNotFound, status, "the route itself takes conn_a/b as its id: %s", b)
	assert.Contains(t, string(b), "conn_a/b")
}

func TestMatchPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"", "/x", true},
		{"*", "/x", true},
		{"/v0/*", "/v0/core/connection", true},
		{"/v0/*", "/v1beta/x", false},
		{"/connections/{id}", "/connections/abc", true},
		{"/connections/{id}", "/connections/", false},
		{"/connections/{id}", "/connections/abc/health", false},
		{"/connections", "/connections", true},
		{"/connections", "/connections/x", false},
	} {
		assert.Equal(t, tc.want, matchPath(tc.pattern, tc.path), "%q %q", tc.pattern, tc.path)
	}
}

func TestFaultRateIsDeterministic(t *testing.T) {
	t.Parallel()
	run := func(seed int64) []int {
		s := newTestServer(t, WithFaultSeed(seed))
		s.Faults().Add(Rule{Path: "/v1beta/*", Rate: 0.3, Fault: Status(503)})
		return statuses(t, s, "GET", s.InstillURL()+"v1beta/integrations", 60)
	}
	a, b, c := run(7), run(7), run(8)
	assert.Equal(t, a, b, "same seed, same faults")
	assert.NotEqual(t, a, c, "another seed, other faults")
	failed := 0
	for _, st := range a {
		if st == 503 {
			failed++
		}
	}
	assert.Greater(t, failed, 5)
	assert.Less(t, failed, 35)
}

// Clear restarts the rules' random streams: the same rules added again draw the
// same faults, as they would on a fresh server with the same fault seed. Remove
// does not restart them.
func TestFaultRateReproducibleAfterClear(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithFaultSeed(7))
	url := s.PipesHubURL() + "connectors/active"
	rules := []Rule{
		{Path: "/api/v1/*", Rate: 0.5, Fault: Status(503)},
		{Path: "/api/v1/*", Rate: 0.5, Fault: Status(502)},
	}
	add := func() {
		for _, r := range rules {
			s.Faults().Add(r)
		}
	}
	add()
	first := statuses(t, s, "GET", url, 40)
	assert.Contains(t, first, 503)
	assert.Contains(t, first, 200)

	s.Faults().Clear()
	add()
	assert.Equal(t, first, statuses(t, s, "GET", url, 40), "same seed, same rules after Clear: same faults")

	fresh := newTestServer(t, WithFaultSeed(7))
	for _, r := range rules {
		fresh.Faults().Add(r)
	}
	assert.Equal(t, first, statuses(t, fresh, "GET", fresh.PipesHubURL()+"connectors/active", 40), "as on a fresh server")

	// IDs are not reused after Clear: a stale ID does not remove a new rule.
	s.Faults().Clear()
	old := s.Faults().Add(rules[0])
	s.Faults().Clear()
	s.Faults().Add(rules[0])
	assert.False(t, s.Faults().Remove(old))
	assert.Equal(t, 1, s.Faults().Len())
}

func TestFaultRateLimited(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.Faults().Add(Rule{Sequence: []Fault{RateLimited(1500 * time.Millisecond), {Kind: FaultStatus, Status: 429}}})
	status, hdr, b := send(t, s, "GET", s.OpenIntURL()+"core/connection", nil)
	require.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "2", hdr.Get("Retry-After"), "whole seconds, rounded up")
	assert.Equal(t, "TOO_MANY_REQUESTS", obj(t, b)["code"])
	status, hdr, _ = send(t, s, "GET", s.OpenIntURL()+"core/connection", nil)
	require.Equal(t, http.StatusTooManyRequests, status)
	assert.Empty(t, hdr.Get("Retry-After"))
}

func TestFaultLatencyRespectsCancel(t *testing.T) {
	t.Parallel()
	h := NewHandler()
	entered, returned := make(chan struct{}, 1), make(chan struct{}, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		defer func() { returned <- struct{}{} }() // also when the handler aborts
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	h.Faults().Add(Rule{Fault: Latency(time.Hour)})

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/connections", nil)
	req.Header.Set("Authorization", "Bearer "+h.Token())
	errc := make(chan error, 1)
	go func() {
		resp, err := ts.Client().Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		errc <- err
	}()
	<-entered
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
	<-returned // the handler gave up its hour-long wait

	// A short latency lets the request through.
	h.Faults().Clear()
	h.Faults().Add(Rule{Fault: Latency(time.Millisecond)})
	req, _ = http.NewRequestWithContext(t.Context(), "GET", ts.URL+"/connections", nil)
	req.Header.Set("Authorization", "Bearer "+h.Token())
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	<-entered
	<-returned
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestShutdownEndsLatency(t *testing.T) {
	t.Parallel()
	h := NewHandler()
	h.Faults().Add(Rule{Fault: Latency(time.Hour)})
	entered, returned := make(chan struct{}), make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		defer close(returned) // runs while the abort unwinds
		h.ServeHTTP(w, r)
		t.Error("a latency cut short by Shutdown must abort the handler, not return")
	}))
	t.Cleanup(ts.Close)
	errc := make(chan error, 1)
	go func() {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+"/connections", nil)
		if err != nil {
			errc <- err
			return
		}
		resp, err := ts.Client().Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		errc <- err
	}()
	<-entered
	h.Shutdown() // what Server.Close does first
	<-returned
	assert.Error(t, <-errc, "the client sees a transport error, not an empty 200")
}

// A request held by a latency fault when the server shuts down is never run and
// never answered: the client gets a transport error, not a success it could take
// for "done". Here a DELETE cut short leaves the connection in place.
func TestShutdownDuringLatencyDoesNotRunRequest(t *testing.T) {
	t.Parallel()
	h := NewHandler(WithSeed(1))
	deleting := make(chan struct{})
	var once sync.Once
	s := &Server{Handler: h, ts: httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			once.Do(func() { close(deleting) })
		}
		h.ServeHTTP(w, r)
	}))}
	t.Cleanup(s.Close)
	one := s.InstillURL() + "v1beta/namespaces/" + DefaultNamespace + "/connections/"
	_, _, b := send(t, s, "GET", s.InstillURL()+"v1beta/namespaces/"+DefaultNamespace+"/connections", nil)
	one += field(list(t, obj(t, b), "connections"), "id")[0]
	s.Faults().Add(Rule{Method: "DELETE", Fault: Latency(time.Hour)})

	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		req, _ := http.NewRequestWithContext(t.Context(), "DELETE", one, nil)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		resp, err := s.Client().Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		_ = resp.Body.Close()
		done <- result{status: resp.StatusCode}
	}()
	<-deleting // the DELETE reached the handler, whose hour-long latency holds it
	s.Shutdown()
	res := <-done
	assert.Error(t, res.err, "want a transport error, got status %d", res.status)
	assert.Equal(t, 1, s.RequestCount("DELETE", "*"), "the DELETE was received")

	s.Faults().Clear()
	status, _, _ := send(t, s, "GET", one, nil)
	assert.Equal(t, http.StatusOK, status, "the DELETE never ran")
}

func TestFaultReset(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.Faults().Add(Rule{Sequence: []Fault{Reset()}})
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", s.StackAIURL()+"connections", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	resp, err := c.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	require.Error(t, err)
	assert.Equal(t, 1, s.RequestCount("", "/connections"))
	assert.Equal(t, []int{200}, statuses(t, s, "GET", s.StackAIURL()+"connections", 1))
}

func TestFaultTruncate(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.Faults().Add(Rule{Method: "POST", Path: "/connections", Sequence: []Fault{Truncate()}})
	body := `{"name":"half","provider_id":"notion","connection_type_id":"notion","connection_provider_data":{}}`
	req, _ := http.NewRequestWithContext(t.Context(), "POST", s.StackAIURL()+"connections", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.Token())
	resp, err := s.Client().Do(req)
	require.NoError(t, err, "status and headers arrive")
	defer func() { _ = resp.Body.Close() }()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Greater(t, resp.ContentLength, int64(10))
	b, err := io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, int(resp.ContentLength)/2, len(b))

	// The request ran: the connection exists.
	_, _, list := send(t, s, "GET", s.StackAIURL()+"connections", nil)
	assert.Equal(t, []string{"half"}, field(arr(t, list), "name"))
}

func TestFaultInvalidJSONAndHTML(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.Faults().Add(Rule{Sequence: []Fault{InvalidJSON(), HTMLError(502), {Kind: FaultHTML, RetryAfter: time.Second}}})
	url := s.InstillURL() + "v1beta/integrations"

	status, hdr, b := send(t, s, "GET", url, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "application/json", hdr.Get("Content-Type"))
	var v any
	assert.Error(t, json.Unmarshal(b, &v))

	status, hdr, b = send(t, s, "GET", url, nil)
	require.Equal(t, http.StatusBadGateway, status)
	assert.Contains(t, hdr.Get("Content-Type"), "text/html")
	assert.Contains(t, string(b), "<h1>502 Bad Gateway</h1>")

	status, hdr, _ = send(t, s, "GET", url, nil)
	assert.Equal(t, http.StatusBadGateway, status, "HTML defaults to 502")
	assert.Equal(t, "1", hdr.Get("Retry-After"))
}

func TestFaultsChangeWhileRunning(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	url := s.OpenIntURL() + "core/connection"
	a := s.Faults().Add(Rule{Fault: Status(500)})
	b := s.Faults().Add(Rule{Fault: Status(502)})
	assert.Equal(t, 2, s.Faults().Len())
	assert.Equal(t, []int{500}, statuses(t, s, "GET", url, 1), "the first rule that fires wins")
	assert.True(t, s.Faults().Remove(a))
	assert.False(t, s.Faults().Remove(a))
	assert.Equal(t, []int{502}, statuses(t, s, "GET", url, 1))
	assert.Equal(t, 1, s.Faults().Fired(b))
	s.Faults().Clear()
	assert.Equal(t, 0, s.Faults().Fired(b))
	assert.Equal(t, []int{200}, statuses(t, s, "GET", url, 1))

	// Rules change under concurrent traffic.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
				req.Header.Set("X-Apikey", s.APIKey())
				resp, err := s.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 503 {
					t.Errorf("status %d", resp.StatusCode)
				}
			}
		}()
	}
	for i := range 50 {
		id := s.Faults().Add(Rule{Rate: 0.5, Fault: Status(503)})
		if i%2 == 0 {
			s.Faults().Remove(id)
		} else {
			s.Faults().Clear()
		}
	}
	close(stop)
	wg.Wait()
}

func TestApplyFaultWithoutHijacker(t *testing.T) {
	t.Parallel()
	h := NewHandler()
	h.Faults().Add(Rule{Fault: Reset()})
	rec := httptest.NewRecorder() // not a Hijacker
	req := httptest.NewRequestWithContext(t.Context(), "GET", "/connections", nil)
	defer func() {
		assert.True(t, errors.Is(recover().(error), http.ErrAbortHandler))
	}()
	h.ServeHTTP(rec, req)
}

// TestFaultsAddRefusesAFaultItCannotServe: a status Go's server cannot write
// (Status(42), Status(5003)) made the handler panic with a stack trace in the
// test's output, and the client's transport then retried the idempotent request,
// which passed: the fault was silently not given. An informational status (1xx)
// was followed by a 200, and an unknown kind answered an empty 200. Add refuses
// them at once, naming the rule's fault.
func TestFaultsAddRefusesAFaultItCannotServe(t *testing.T) {
	t.Parallel()
	f := newFaults(1)
	for _, tc := range []struct {
		rule Rule
		msg  string
	}{
		{Rule{Fault: Status(42)}, "Rule.Fault: status 42"},
		{Rule{Fault: Status(5003)}, "Rule.Fault: status 5003"},
		{Rule{Fault: HTMLError(100)}, "Rule.Fault: status 100"},
		{Rule{Sequence: []Fault{Pass(), Fault{Kind: FaultInvalidJSON, Status: -1}}}, "Rule.Sequence[1]: status -1"},
		{Rule{Sequence: []Fault{Status(503), {Kind: 99}}}, "Rule.Sequence[1]: unknown FaultKind 99"},
	} {
		assert.PanicsWithValue(t, "connapitest: Faults.Add: "+tc.msg+faultStatusHint(tc.msg), func() { f.Add(tc.rule) })
	}
	assert.Zero(t, f.Len(), "a refused rule is not added")
	for _, ok := range []Fault{Status(0), Status(200), Status(204), Status(599), Status(999), HTMLError(0), InvalidJSON(), Reset(), Truncate(), Pass(), Latency(time.Millisecond), RateLimited(time.Second), {Kind: FaultReset, Status: 42}} {
		assert.NotPanics(t, func() { f.Add(Rule{Fault: ok}) }, "%+v", ok)
	}

	s := newTestServer(t)
	s.Faults().Add(Rule{Sequence: []Fault{Status(999)}})
	assert.Equal(t, []int{999, 200}, statuses(t, s, "GET", s.OpenIntURL()+"core/connection", 2))
}

func faultStatusHint(msg string) string {
	if strings.Contains(msg, "status") {
		return " is not an HTTP status a response can end with (200 to 999; 0 for the fault's default)"
	}
	return ""
}
