package connapitest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestLogRedaction(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	send(t, s, "POST", s.OpenIntURL()+"core/connection?x=1&x=2", map[string]any{"connectorConfigId": "ccfg_slack_01"},
		"X-Apikey", s.APIKey(), "X-Connection-Id", "conn_1", "Cookie", "session=abc", "Apikey", "k", "X-Trace", "t-1")
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, "/v0/core/connection", r.Path)
	assert.Equal(t, url.Values{"x": {"1", "2"}}, r.Query)
	assert.JSONEq(t, `{"connectorConfigId":"ccfg_slack_01"}`, string(r.Body))
	for _, h := range []string{"Authorization", "X-Apikey", "X-Connection-Id", "Cookie", "Apikey"} {
		assert.Equal(t, []string{Redacted}, r.Header[h], h)
	}
	assert.Equal(t, "t-1", r.Header.Get("X-Trace"))
	assert.False(t, r.Time.IsZero())

	// Token endpoint bodies hide passwords and refresh tokens, form or JSON.
	status, _ := postForm(t, s, url.Values{"grant_type": {"password"}, "username": {s.Email()}, "password": {s.Password()}})
	require.Equal(t, http.StatusOK, status)
	send(t, s, "POST", s.URL()+"/auth/v1/token?grant_type=refresh_token", map[string]any{"refresh_token": "r-1"}, "Apikey", s.APIKey())
	reqs = s.Requests()
	require.Len(t, reqs, 3)
	form, err := url.ParseQuery(string(reqs[1].Body))
	require.NoError(t, err)
	assert.Equal(t, Redacted, form.Get("password"))
	assert.Equal(t, s.Email(), form.Get("username"))
	assert.JSONEq(t, `{"refresh_token":"REDACTED"}`, string(reqs[2].Body))
	for _, r := range reqs {
		assert.NotContains(t, string(r.Body), s.Password())
	}

	assert.Equal(t, 1, s.RequestCount("POST", "/v0/*"))
	assert.Equal(t, 1, s.RequestCount("", "/{a}/{b}"))
	assert.Equal(t, 3, s.RequestCount("post", ""))
	s.ResetRequests()
	assert.Empty(t, s.Requests())
}

// Secret query values (tokens, OAuth codes and states, API keys, passwords) are
// redacted in the log, whatever the case of their names; others are kept.
func TestRequestLogRedactsSecretQueryValues(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	secret := []string{"access_token", "Refresh_Token", "id_token", "TOKEN", "_token", "code", "state", "apikey", "API_KEY", "client_secret", "password"}
	q := url.Values{"scope": {"team"}, "limit": {"1"}, "tokens": {"kept"}}
	for _, k := range secret {
		q[k] = []string{"SECRET-1", "SECRET-2"}
	}
	send(t, s, "GET", s.PipesHubURL()+"connectors?"+q.Encode(), nil)
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	got := reqs[0].Query
	for _, k := range secret {
		assert.Equal(t, []string{Redacted, Redacted}, got[k], k)
	}
	assert.Equal(t, "team", got.Get("scope"))
	assert.Equal(t, "1", got.Get("limit"))
	assert.Equal(t, "kept", got.Get("tokens"), "only whole names match")
	assert.NotContains(t, fmt.Sprint(got), "SECRET")
}

func TestRequestLogLimit(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithRequestLogLimit(3))
	for _, p := range []string{"a", "b", "c", "d", "e"} {
		send(t, s, "GET", s.URL()+"/"+p, nil)
	}
	var paths []string
	for _, r := range s.Requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/c", "/d", "/e"}, paths, "the most recent are kept")

	off := newTestServer(t, WithRequestLogLimit(0))
	send(t, off, "GET", off.URL()+"/a", nil)
	assert.Empty(t, off.Requests())
}

func TestRequestBodyTooLarge(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	status, _, b := send(t, s, "POST", s.PipesHubURL()+"connectors", `{"x":"`+strings.Repeat("a", maxBody)+`"}`)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	assert.Equal(t, "HTTP_REQUEST_ENTITY_TOO_LARGE", sub(t, obj(t, b), "error")["code"])
	assert.Len(t, s.Requests()[0].Body, maxLoggedBody)
}
