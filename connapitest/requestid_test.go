package connapitest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every answer carries a request id in X-Request-Id (the header PipesHub's backend
// documents; the other pages name none), whatever the status, faulted answers
// included, and the request log records it.
func TestEveryAnswerCarriesARequestID(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	s.Faults().Add(Rule{Method: "GET", Path: "/v0/core/connection", Sequence: []Fault{Status(503)}})
	seen := map[string]bool{}
	for _, c := range []struct {
		method, url string
		hdr         []string
		status      int
	}{
		{"GET", s.StackAIURL() + "connections", nil, 200},
		{"GET", s.StackAIURL() + "connections/available", []string{"Authorization", ""}, 200},
		{"GET", s.StackAIURL() + "connections/x", nil, 422},
		{"GET", s.PipesHubURL() + "connectors?scope=team", nil, 200},
		{"GET", s.PipesHubURL() + "connectors/nope", nil, 404},
		{"GET", s.InstillURL() + "v1beta/integrations", nil, 200},
		{"GET", s.InstillURL() + "v1beta/integrations", []string{"Authorization", ""}, 401},
		{"GET", s.OpenIntURL() + "core/connection", nil, 503},
		{"GET", s.OpenIntURL() + "core/connection", nil, 200},
		{"PUT", s.OpenIntURL() + "core/connection", nil, 405},
		{"GET", s.URL() + "/nothing", nil, 404},
	} {
		status, hdr, b := send(t, s, c.method, c.url, nil, c.hdr...)
		require.Equal(t, c.status, status, "%s %s: %s", c.method, c.url, b)
		id := hdr.Get("X-Request-Id")
		require.NotEmpty(t, id, "%s %s", c.method, c.url)
		assert.False(t, seen[id], "request ids are unique: %s", id)
		seen[id] = true
	}
	log := s.Requests()
	require.Len(t, log, 11)
	for _, r := range log {
		assert.True(t, seen[r.RequestID], "the log records the id answered: %q", r.RequestID)
	}
}

// PipesHub reads the request id "from the X-Request-ID header when supplied,
// otherwise auto-generated"; the other families always make their own.
func TestPipesHubEchoesASuppliedRequestID(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	_, hdr, _ := send(t, s, "GET", s.PipesHubURL()+"connectors?scope=team", nil, "X-Request-Id", "trace-42")
	assert.Equal(t, "trace-42", hdr.Get("X-Request-Id"))
	_, hdr, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil, "X-Request-Id", "trace-42")
	assert.NotEqual(t, "trace-42", hdr.Get("X-Request-Id"))
	assert.NotEmpty(t, hdr.Get("X-Request-Id"))
	long := strings.Repeat("x", 200)
	_, hdr, _ = send(t, s, "GET", s.PipesHubURL()+"connectors?scope=team", nil, "X-Request-Id", long)
	assert.NotEqual(t, long, hdr.Get("X-Request-Id"), "an id over 128 characters is not echoed")
	assert.NotEmpty(t, hdr.Get("X-Request-Id"))
}
