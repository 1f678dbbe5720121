package connapitest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnauthorizedPerFamily(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	cases := []struct {
		name, url string
		want      map[string]any
	}{
		{"stackai", s.StackAIURL() + "connections", map[string]any{"detail": "Not authenticated"}},
		{"stackai-v1", s.StackAIURL() + "api/v1/connections", map[string]any{"detail": "Not authenticated"}},
		{"pipeshub", s.PipesHubURL() + "connectors?scope=team", map[string]any{"error": map[string]any{"code": "HTTP_UNAUTHORIZED", "message": "Authentication required"}}},
		{"instill", s.InstillURL() + "v1beta/integrations", map[string]any{"code": 16.0, "message": "Unauthorized", "details": []any{}}},
		{"openint", s.OpenIntURL() + "core/connection", map[string]any{"code": "UNAUTHORIZED", "message": "Invalid credentials"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, hdr := range [][]string{
				{"Authorization", ""},
				{"Authorization", "Bearer wrong"},
				{"Authorization", "Basic " + s.Token()},
			} {
				status, h, b := send(t, s, "GET", tc.url, nil, hdr...)
				require.Equal(t, http.StatusUnauthorized, status, "%v", hdr)
				assert.Equal(t, tc.want, obj(t, b))
				assert.Equal(t, "application/json", h.Get("Content-Type"))
			}
		})
	}
}

func TestAPIKeyOnlyForOpenInt(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithAPIKey("k-1"), WithBearerToken("t-1"))
	assert.Equal(t, "k-1", s.APIKey())
	assert.Equal(t, "t-1", s.Token())
	status, _, _ := send(t, s, "GET", s.OpenIntURL()+"core/connection", nil, "Authorization", "", "X-Apikey", "k-1")
	assert.Equal(t, http.StatusOK, status)
	status, _, _ = send(t, s, "GET", s.OpenIntURL()+"core/connection", nil, "Authorization", "", "X-Apikey", "k-2")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil, "Authorization", "", "X-Apikey", "k-1")
	assert.Equal(t, http.StatusUnauthorized, status, "x-apikey is OpenInt's only")
	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil, "Authorization", "Bearer "+DefaultToken)
	assert.Equal(t, http.StatusUnauthorized, status, "the default token no longer works")
	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil, "Authorization", "bearer t-1")
	assert.Equal(t, http.StatusOK, status, "the scheme is case-insensitive")
}

func postForm(t *testing.T, s *Server, v url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL()+"/oauth/token", strings.NewReader(v.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, obj(t, b)
}

func TestOAuthPasswordGrant(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithUser("ann@example.com", "pw"))
	assert.Equal(t, "ann@example.com", s.Email())
	assert.Equal(t, "pw", s.Password())

	status, m := postForm(t, s, url.Values{"grant_type": {"password"}, "username": {"ann@example.com"}, "password": {"bad"}})
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", m["error"])
	assert.NotEmpty(t, m["error_description"])

	status, m = postForm(t, s, url.Values{"grant_type": {"password"}, "username": {"ann@example.com"}, "password": {"pw"}})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "bearer", m["token_type"])
	assert.EqualValues(t, 3600, m["expires_in"])
	access, refresh := m["access_token"].(string), m["refresh_token"].(string)
	require.NotEmpty(t, refresh)
	status, _, _ = send(t, s, "GET", s.InstillURL()+"v1beta/integrations", nil, "Authorization", "Bearer "+access)
	assert.Equal(t, http.StatusOK, status, "issued tokens are accepted as bearer")

	status, m = postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	require.Equal(t, http.StatusOK, status)
	assert.NotEqual(t, access, m["access_token"])
	status, m = postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	require.Equal(t, http.StatusBadRequest, status, "refresh tokens are single use")
	assert.Equal(t, "invalid_grant", m["error"])

	status, m = postForm(t, s, url.Values{"grant_type": {"client_credentials"}})
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "unsupported_grant_type", m["error"])
	status, m = postForm(t, s, url.Values{})
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_request", m["error"])

	status, _, b := send(t, s, "POST", s.URL()+"/oauth/token", `{"grant_type":"password"}`)
	require.Equal(t, http.StatusBadRequest, status, "JSON is not a form")
	assert.Equal(t, "invalid_request", obj(t, b)["error"])
}

func TestGoTrueGrant(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	u := s.URL() + "/auth/v1/token?grant_type=password"
	creds := map[string]any{"email": s.Email(), "password": s.Password(), "gotrue_meta_security": map[string]any{}}

	status, _, b := send(t, s, "POST", u, creds, "Authorization", "")
	require.Equal(t, http.StatusUnauthorized, status, "the apikey header is required")
	assert.Equal(t, "invalid_client", obj(t, b)["error"])

	status, _, b = send(t, s, "POST", u, map[string]any{"email": s.Email(), "password": "nope"}, "Authorization", "", "Apikey", s.APIKey())
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, map[string]any{"error": "invalid_grant", "error_description": "Invalid login credentials"}, obj(t, b))

	status, _, b = send(t, s, "POST", u, creds, "Authorization", "", "Apikey", s.APIKey())
	require.Equal(t, http.StatusOK, status)
	m := obj(t, b)
	assert.Equal(t, s.Email(), sub(t, m, "user")["email"])
	assert.Contains(t, m, "expires_at")
	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil, "Authorization", "Bearer "+m["access_token"].(string))
	assert.Equal(t, http.StatusOK, status)

	status, _, b = send(t, s, "POST", s.URL()+"/auth/v1/token?grant_type=refresh_token", map[string]any{"refresh_token": m["refresh_token"]}, "Authorization", "", "Apikey", s.APIKey())
	require.Equal(t, http.StatusOK, status)
	assert.NotEqual(t, m["access_token"], obj(t, b)["access_token"])
}

func TestIssuedTokensExpire(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(SeedTime.Unix())
	clock := func() time.Time { return time.Unix(now.Load(), 0) }
	s := newTestServer(t, WithClock(clock), WithTokenTTL(time.Minute))
	status, m := postForm(t, s, url.Values{"grant_type": {"password"}, "username": {s.Email()}, "password": {s.Password()}})
	require.Equal(t, http.StatusOK, status)
	assert.EqualValues(t, 60, m["expires_in"])
	tok := "Bearer " + m["access_token"].(string)

	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil, "Authorization", tok)
	assert.Equal(t, http.StatusOK, status)
	now.Add(61)
	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil, "Authorization", tok)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil)
	assert.Equal(t, http.StatusOK, status, "the static token does not expire")
}
