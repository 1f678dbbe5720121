package connapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	stackEmail    = "ana@example.com"
	stackPassword = "hunter2-S3cret!pw"
	stackAnonKey  = "anon-key-eyJhbGciOiJIUzI1NiJ9"
)

// stackClock is a settable clock for the token caches.
type stackClock struct {
	mu sync.Mutex
	t  time.Time
}

func newStackClock() *stackClock {
	return &stackClock{t: time.Date(2025, 11, 10, 12, 0, 0, 0, time.UTC)}
}

func (c *stackClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stackClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// stackTokenServer is a token endpoint whose answer per grant type is set by the
// test; it counts requests per grant type.
type stackTokenServer struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	count map[string]int
	// handle answers a request whose grant type and parsed parameters (form or
	// JSON body) are given.
	handle func(w http.ResponseWriter, r *http.Request, grant string, params map[string]any)
}

func newStackTokenServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, grant string, params map[string]any)) *stackTokenServer {
	t.Helper()
	s := &stackTokenServer{t: t, count: map[string]int{}, handle: handle}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, http.MethodPost, r.Method)
		params := map[string]any{}
		grant := r.URL.Query().Get("grant_type")
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			b, _ := io.ReadAll(r.Body)
			require.NoError(t, json.Unmarshal(b, &params), string(b))
		} else {
			require.NoError(t, r.ParseForm())
			for k := range r.PostForm {
				params[k] = r.PostForm.Get(k)
			}
			grant = r.PostForm.Get("grant_type")
		}
		s.mu.Lock()
		s.count[grant]++
		s.mu.Unlock()
		s.handle(w, r, grant, params)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *stackTokenServer) n(grant string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[grant]
}

func stackTokenJSON(access, refresh string, expiresIn int) string {
	m := map[string]any{"access_token": access, "token_type": "bearer"}
	if refresh != "" {
		m["refresh_token"] = refresh
	}
	if expiresIn > 0 {
		m["expires_in"] = expiresIn
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func newTestPasswordGrant(t *testing.T, srv *stackTokenServer, clk *stackClock, mut func(*PasswordGrantConfig)) *PasswordGrantTokenSource {
	t.Helper()
	cfg := PasswordGrantConfig{TokenURL: srv.srv.URL + "/oauth/token", Username: stackEmail, Password: stackPassword}
	if mut != nil {
		mut(&cfg)
	}
	ts, err := NewPasswordGrantTokenSource(cfg)
	require.NoError(t, err)
	ts.cache.now = clk.Now
	return ts
}

func newTestGoTrue(t *testing.T, srv *stackTokenServer, clk *stackClock) *GoTrueTokenSource {
	t.Helper()
	ts, err := NewGoTrueTokenSource(GoTrueConfig{
		TokenURL: srv.srv.URL + "/auth/v1/token", APIKey: stackAnonKey, Email: stackEmail, Password: stackPassword,
	})
	require.NoError(t, err)
	ts.cache.now = clk.Now
	return ts
}

// assertNoSecrets checks that err's message carries none of the credentials.
func assertNoSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	require.Error(t, err)
	for _, s := range append([]string{stackPassword, stackAnonKey}, secrets...) {
		assert.NotContains(t, err.Error(), s)
	}
	var ae *APIError
	if errors.As(err, &ae) {
		for _, s := range append([]string{stackPassword}, secrets...) {
			assert.NotContains(t, string(ae.Body), s)
			assert.NotContains(t, ae.Message, s)
		}
	}
}

func TestPasswordGrantTokenSourceCachesAndRefreshes(t *testing.T) {
	t.Parallel()
	clk := newStackClock()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
		_, _, basic := r.BasicAuth()
		assert.False(t, basic, "no client secret: no Basic auth")
		switch grant {
		case "password":
			assert.Equal(t, map[string]any{
				"grant_type": "password", "username": stackEmail, "password": stackPassword,
				"scope": "openid connections", "client_id": "stack-cli",
			}, p)
			writeJSON(w, http.StatusOK, stackTokenJSON("at-1", "rt-1", 3600))
		case "refresh_token":
			assert.Equal(t, map[string]any{"grant_type": "refresh_token", "refresh_token": "rt-1", "client_id": "stack-cli"}, p)
			writeJSON(w, http.StatusOK, stackTokenJSON("at-2", "rt-2", 3600))
		}
	})
	ts := newTestPasswordGrant(t, srv, clk, func(c *PasswordGrantConfig) {
		c.ClientID = "stack-cli"
		c.Scopes = []string{"openid", "connections"}
	})
	ctx := context.Background()
	assert.Zero(t, srv.n("password"), "nothing is sent before the first Token call")

	for range 3 {
		tok, err := ts.Token(ctx)
		require.NoError(t, err)
		assert.Equal(t, "at-1", tok)
	}
	assert.Equal(t, 1, srv.n("password"))

	clk.Advance(3600*time.Second - 31*time.Second)
	tok, err := ts.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok, "still outside the 30s refresh window")

	clk.Advance(2 * time.Second)
	tok, err = ts.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "at-2", tok, "refreshed 30s before expiry")
	tok, err = ts.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "at-2", tok)
	assert.Equal(t, 1, srv.n("password"))
	assert.Equal(t, 1, srv.n("refresh_token"))
}

func TestPasswordGrantTokenSourceClientSecretInHeader(t *testing.T) {
	t.Parallel()
	clk := newStackClock()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		id, secret, ok := r.BasicAuth()
		assert.True(t, ok)
		assert.Equal(t, "stack-cli", id)
		assert.Equal(t, "cl1ent-s3cret", secret)
		assert.NotContains(t, p, "client_secret")
		writeJSON(w, http.StatusOK, stackTokenJSON("at-1", "", 3600))
	})
	ts := newTestPasswordGrant(t, srv, clk, func(c *PasswordGrantConfig) {
		c.ClientID, c.ClientSecret = "stack-cli", "cl1ent-s3cret"
	})
	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok)
}

func TestPasswordGrantTokenSourceRefreshRefusedFallsBackToPassword(t *testing.T) {
	t.Parallel()
	clk := newStackClock()
	var logins atomic.Int32
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		switch grant {
		case "password":
			n := logins.Add(1)
			writeJSON(w, http.StatusOK, stackTokenJSON(fmt.Sprintf("at-%d", n), "rt-old", 60))
		case "refresh_token":
			writeJSON(w, http.StatusBadRequest, `{"error": "invalid_grant", "error_description": "refresh token rt-old expired"}`)
		}
	})
	ts := newTestPasswordGrant(t, srv, clk, nil)
	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok)
	clk.Advance(time.Hour)
	tok, err = ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-2", tok)
	assert.Equal(t, 1, srv.n("refresh_token"))
	assert.Equal(t, 2, srv.n("password"))
}

func TestPasswordGrantTokenSourceErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status  int
		body    string
		code    string
		message string
		is      error
	}{
		"invalid_grant": {http.StatusUnauthorized, `{"error": "invalid_grant", "error_description": "Invalid username or password"}`,
			"invalid_grant", "Invalid username or password", ErrUnauthorized},
		"password echoed": {http.StatusBadRequest, `{"error": "invalid_request", "error_description": "password '` + stackPassword + `' is not accepted"}`,
			"invalid_request", "password '[REDACTED]' is not accepted", nil},
		"server error": {http.StatusBadGateway, `<html><title>502 Bad Gateway</title></html>`, "", "502 Bad Gateway", ErrServer},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
				if strings.HasPrefix(tc.body, "<") {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(tc.status)
					_, _ = io.WriteString(w, tc.body)
					return
				}
				writeJSON(w, tc.status, tc.body)
			})
			ts := newTestPasswordGrant(t, srv, newStackClock(), nil)
			tok, err := ts.Token(context.Background())
			assert.Empty(t, tok)
			var ae *APIError
			require.True(t, errors.As(err, &ae), "%T: %v", err, err)
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, tc.message, ae.Message)
			assert.Equal(t, "/oauth/token", ae.Path)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assertNoSecrets(t, err)
			assert.NotContains(t, err.Error(), "\n")
			assert.Equal(t, 1, srv.n("password"), "one request, no auth-style probing")

			// Errors are not cached: the next call asks again.
			_, err = ts.Token(context.Background())
			require.Error(t, err)
			assert.Equal(t, 2, srv.n("password"))
		})
	}
}

func TestPasswordGrantTokenSourceTransportError(t *testing.T) {
	t.Parallel()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {})
	ts := newTestPasswordGrant(t, srv, newStackClock(), nil)
	srv.srv.Close()
	_, err := ts.Token(context.Background())
	assertNoSecrets(t, err)
	var ue *url.Error
	assert.True(t, errors.As(err, &ue), "%T", err)
}

func TestPasswordGrantTokenSourceShortAndMissingExpiry(t *testing.T) {
	t.Parallel()
	var expires atomic.Int32
	expires.Store(20)
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		writeJSON(w, http.StatusOK, stackTokenJSON("at", "", int(expires.Load())))
	})
	clk := newStackClock()
	ts := newTestPasswordGrant(t, srv, clk, nil)
	_, err := ts.Token(context.Background())
	require.NoError(t, err)
	clk.Advance(9 * time.Second)
	_, err = ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.n("password"), "a 20s token is kept for half its life")
	clk.Advance(2 * time.Second)
	expires.Store(0)
	_, err = ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, srv.n("password"))

	clk.Advance(1000 * time.Hour)
	_, err = ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, srv.n("password"), "a token without expiry stays cached")

	ts.Invalidate()
	_, err = ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 3, srv.n("password"), "Invalidate forces a new token")
}

func TestPasswordGrantTokenSourceRefusesCrossOriginRedirect(t *testing.T) {
	t.Parallel()
	var stolen atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		writeJSON(w, http.StatusOK, stackTokenJSON("evil", "", 3600))
	}))
	t.Cleanup(evil.Close)
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		http.Redirect(w, r, evil.URL+"/token", http.StatusTemporaryRedirect)
	})
	ts := newTestPasswordGrant(t, srv, newStackClock(), nil)
	_, err := ts.Token(context.Background())
	require.Error(t, err)
	assertNoSecrets(t, err)
	assert.Zero(t, stolen.Load(), "the password never reaches another origin")
}

// stackConcurrentTokens calls Token from 20 goroutines while the token endpoint
// holds the first request, and returns what they got.
func stackConcurrentTokens(t *testing.T, ts TokenSource, entered <-chan struct{}, release chan<- struct{}) []string {
	t.Helper()
	const callers = 20
	var wg sync.WaitGroup
	start := make(chan struct{})
	got := make([]string, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			tok, err := ts.Token(context.Background())
			assert.NoError(t, err)
			got[i] = tok
		}()
	}
	close(start)
	<-entered
	close(release)
	wg.Wait()
	return got
}

func TestPasswordGrantTokenSourceConcurrentCallersShareOneRequest(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		once.Do(func() { close(entered) })
		<-release
		writeJSON(w, http.StatusOK, stackTokenJSON("shared-token", "rt", 3600))
	})
	ts := newTestPasswordGrant(t, srv, newStackClock(), nil)
	for _, tok := range stackConcurrentTokens(t, ts, entered, release) {
		assert.Equal(t, "shared-token", tok)
	}
	assert.Equal(t, 1, srv.n("password"))
}

func TestPasswordGrantTokenSourceWithClient(t *testing.T) {
	t.Parallel()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		writeJSON(w, http.StatusOK, stackTokenJSON("api-token-123", "", 3600))
	})
	ts := newTestPasswordGrant(t, srv, newStackClock(), nil)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer api-token-123", r.Header.Get("Authorization"))
		assert.Equal(t, "/connections", r.URL.Path)
		writeJSON(w, http.StatusOK, `[]`)
	}))
	t.Cleanup(api.Close)
	c, err := NewClient(WithBaseURL(api.URL), WithTokenSource(ts), WithRetryWait(0, 0))
	require.NoError(t, err)
	for range 3 {
		_, _, err = c.Connections.List(context.Background(), nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.n("password"))
}

func TestGoTrueTokenSourceLoginAndRefresh(t *testing.T) {
	t.Parallel()
	clk := newStackClock()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		assert.Equal(t, "/auth/v1/token", r.URL.Path)
		assert.Equal(t, stackAnonKey, r.Header.Get("apikey"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Empty(t, r.Header.Get("Authorization"))
		switch grant {
		case "password":
			assert.Equal(t, url.Values{"grant_type": {"password"}}, r.URL.Query())
			assert.Equal(t, map[string]any{"email": stackEmail, "password": stackPassword, "gotrue_meta_security": map[string]any{}}, p)
			writeJSON(w, http.StatusOK, `{"access_token": "eyJ.at-1", "token_type": "bearer", "expires_in": 3600,
				"expires_at": 1762779600, "refresh_token": "v1.rt-1",
				"user": {"id": "`+stackUserID+`", "aud": "authenticated", "email": "`+stackEmail+`"}}`)
		case "refresh_token":
			assert.Equal(t, url.Values{"grant_type": {"refresh_token"}}, r.URL.Query())
			assert.Equal(t, map[string]any{"refresh_token": "v1.rt-1"}, p)
			writeJSON(w, http.StatusOK, `{"access_token": "eyJ.at-2", "token_type": "bearer", "expires_in": "3600", "refresh_token": "v1.rt-2"}`)
		default:
			t.Errorf("unexpected grant %q", grant)
		}
	})
	ts := newTestGoTrue(t, srv, clk)
	ctx := context.Background()
	for range 3 {
		tok, err := ts.Token(ctx)
		require.NoError(t, err)
		assert.Equal(t, "eyJ.at-1", tok)
	}
	clk.Advance(3570 * time.Second)
	tok, err := ts.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "eyJ.at-2", tok)
	assert.Equal(t, 1, srv.n("password"))
	assert.Equal(t, 1, srv.n("refresh_token"))

	clk.Advance(3569 * time.Second)
	tok, err = ts.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "eyJ.at-2", tok, "expires_in given as a string is read too")
}

func TestGoTrueTokenSourceWithoutRefreshTokenLogsInAgain(t *testing.T) {
	t.Parallel()
	clk := newStackClock()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		writeJSON(w, http.StatusOK, stackTokenJSON("at", "", 3600))
	})
	ts := newTestGoTrue(t, srv, clk)
	_, err := ts.Token(context.Background())
	require.NoError(t, err)
	clk.Advance(time.Hour)
	_, err = ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, srv.n("password"))
	assert.Zero(t, srv.n("refresh_token"))
}

func TestGoTrueTokenSourceRefreshFailures(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status    int
		body      string
		wantErr   error
		passwords int
	}{
		"refused refresh token logs in again": {http.StatusBadRequest,
			`{"code": 400, "error_code": "refresh_token_already_used", "msg": "Invalid Refresh Token: Already Used"}`, nil, 2},
		"server error is returned": {http.StatusServiceUnavailable, `{"message": "upstream unavailable"}`, ErrServer, 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clk := newStackClock()
			srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
				if grant == "refresh_token" {
					writeJSON(w, tc.status, tc.body)
					return
				}
				writeJSON(w, http.StatusOK, stackTokenJSON("at", "v1.rt-used", 3600))
			})
			ts := newTestGoTrue(t, srv, clk)
			_, err := ts.Token(context.Background())
			require.NoError(t, err)
			clk.Advance(time.Hour)
			_, err = ts.Token(context.Background())
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
				assertNoSecrets(t, err, "v1.rt-used")
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, 1, srv.n("refresh_token"))
			assert.Equal(t, tc.passwords, srv.n("password"))
		})
	}
}

func TestGoTrueTokenSourceErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status  int
		body    string
		code    string
		message string
		is      error
	}{
		"newer gotrue body": {http.StatusBadRequest, `{"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"}`,
			"invalid_credentials", "Invalid login credentials", nil},
		"rfc 6749 body": {http.StatusBadRequest, `{"error": "invalid_grant", "error_description": "Invalid login credentials"}`,
			"invalid_grant", "Invalid login credentials", nil},
		"bad api key": {http.StatusUnauthorized, `{"message": "Invalid API key", "hint": "Double check your Supabase anon key"}`,
			"", "Invalid API key", ErrUnauthorized},
		"rate limited": {http.StatusTooManyRequests, `{"code": 429, "error_code": "over_request_rate_limit", "msg": "Request rate limit reached"}`,
			"over_request_rate_limit", "Request rate limit reached", ErrRateLimited},
		"echoes secrets": {http.StatusBadRequest, `{"error": "invalid_request", "error_description": "bad password ` + stackPassword + ` for apikey ` + stackAnonKey + `"}`,
			"invalid_request", "bad password [REDACTED] for apikey [REDACTED]", nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
				writeJSON(w, tc.status, tc.body)
			})
			ts := newTestGoTrue(t, srv, newStackClock())
			_, err := ts.Token(context.Background())
			var ae *APIError
			require.True(t, errors.As(err, &ae), "%T: %v", err, err)
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, tc.message, ae.Message)
			assert.Equal(t, http.MethodPost, ae.Method)
			assert.Equal(t, "/auth/v1/token", ae.Path)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assertNoSecrets(t, err)
		})
	}
}

func TestGoTrueTokenSourceUnusableSuccess(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"no access token": `{"token_type": "bearer", "expires_in": 3600}`,
		"not bearer":      `{"access_token": "tok-mac-123", "token_type": "mac"}`,
		"not json":        `access_token=tok-form-123&token_type=bearer`,
		"wrong type":      `{"access_token": ["tok-arr-123"]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
				writeJSON(w, http.StatusOK, body)
			})
			ts := newTestGoTrue(t, srv, newStackClock())
			tok, err := ts.Token(context.Background())
			assert.Empty(t, tok)
			assertNoSecrets(t, err, "tok-mac-123", "tok-form-123", "tok-arr-123")
		})
	}
}

func TestGoTrueTokenSourceConcurrentCallersShareOneRequest(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		once.Do(func() { close(entered) })
		<-release
		writeJSON(w, http.StatusOK, stackTokenJSON("shared-gotrue", "rt", 3600))
	})
	ts := newTestGoTrue(t, srv, newStackClock())
	for _, tok := range stackConcurrentTokens(t, ts, entered, release) {
		assert.Equal(t, "shared-gotrue", tok)
	}
	assert.Equal(t, 1, srv.n("password"))
}

func TestGoTrueTokenSourceCancellation(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		if calls.Add(1) == 1 {
			close(entered)
			<-release // hold the one request until the test lets it go
		}
		writeJSON(w, http.StatusOK, stackTokenJSON("shared", "", 3600))
	})
	ts := newTestGoTrue(t, srv, newStackClock())

	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := ts.Token(leaderCtx)
		leaderErr <- err
	}()
	<-entered

	// A waiter whose own context is done returns at once, without a request.
	done, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ts.Token(done)
	assert.ErrorIs(t, err, context.Canceled)

	// The caller that started the fetch gives up: it returns at once, but the
	// fetch goes on for the others, who get its token without a second request.
	waiter := make(chan string, 1)
	go func() {
		tok, err := ts.Token(context.Background())
		assert.NoError(t, err)
		waiter <- tok
	}()
	cancelLeader()
	assert.ErrorIs(t, <-leaderErr, context.Canceled)
	close(release)
	assert.Equal(t, "shared", <-waiter)
	assert.EqualValues(t, 1, calls.Load())
}

// The first fetch hangs until the fetch's own timeout ends it (the caller has no
// deadline), on the real clock: the one thing left to a clock, and it must happen.
// The next caller then starts a fresh fetch, which the server answers: whether the
// first fetch reached the server before its timeout changes nothing here, so the
// server holds requests while hang is set, not by their count.
func TestTokenSourceHungEndpointDoesNotWedge(t *testing.T) {
	t.Parallel()
	var hang atomic.Bool
	hang.Store(true)
	var answered atomic.Int32
	release := make(chan struct{})
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		if hang.Load() {
			select { // hang until the fetch's own timeout gives up on it
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		answered.Add(1)
		writeJSON(w, http.StatusOK, stackTokenJSON("second", "", 3600))
	})
	t.Cleanup(func() { close(release) })
	ts := newTestGoTrue(t, srv, newStackClock())
	ts.cache.timeout = hangTimeout // shortened, so that the hung fetch ends within the test

	// The first caller has no deadline of its own; the fetch's timeout ends it.
	_, err := ts.Token(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	// The next caller starts a fresh fetch instead of waiting on the hung one. That
	// fetch is answered; it gets the real timeout back (the hung fetch read its
	// timeout before it ended and Token returned).
	hang.Store(false)
	ts.cache.timeout = tokenFetchTimeout
	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "second", tok)
	assert.NotZero(t, answered.Load())
}

func TestTokenSourceKeepsValidTokenWhenRefreshFails(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		if calls.Add(1) == 1 {
			writeJSON(w, http.StatusOK, stackTokenJSON("first", "", 60))
			return
		}
		writeJSON(w, http.StatusServiceUnavailable, `{"error":"temporarily_unavailable"}`)
	})
	clock := newStackClock()
	ts := newTestGoTrue(t, srv, clock)
	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "first", tok)

	clock.Advance(40 * time.Second) // due for refresh (30 s skew), still valid for 20 s
	tok, err = ts.Token(context.Background())
	require.NoError(t, err, "a failed early refresh does not throw away a valid token")
	assert.Equal(t, "first", tok)
	assert.EqualValues(t, 2, calls.Load())

	clock.Advance(30 * time.Second) // now expired: the failure is the caller's
	_, err = ts.Token(context.Background())
	assert.ErrorIs(t, err, ErrServer)
}

func TestTokenSourceConfigValidation(t *testing.T) {
	t.Parallel()
	pg := func(mut func(*PasswordGrantConfig)) error {
		cfg := PasswordGrantConfig{TokenURL: "https://auth.example.com/token", Username: stackEmail, Password: stackPassword}
		mut(&cfg)
		_, err := NewPasswordGrantTokenSource(cfg)
		return err
	}
	gt := func(mut func(*GoTrueConfig)) error {
		cfg := GoTrueConfig{TokenURL: StackAIGoTrueTokenURL, APIKey: stackAnonKey, Email: stackEmail, Password: stackPassword}
		mut(&cfg)
		_, err := NewGoTrueTokenSource(cfg)
		return err
	}
	require.NoError(t, pg(func(*PasswordGrantConfig) {}))
	require.NoError(t, gt(func(*GoTrueConfig) {}))
	require.NoError(t, gt(func(c *GoTrueConfig) { c.APIKey = "" }), "the apikey header is optional")
	require.NoError(t, gt(func(c *GoTrueConfig) { c.TokenURL = "http://127.0.0.1:9999/auth/v1/token" }), "loopback http is fine")
	require.NoError(t, gt(func(c *GoTrueConfig) { c.TokenURL = "http://gotrue.internal/token"; c.AllowInsecureHTTP = true }))

	cases := map[string]struct {
		err   error
		words []string
	}{
		"pg no url":        {pg(func(c *PasswordGrantConfig) { c.TokenURL = " " }), []string{"token URL"}},
		"pg relative url":  {pg(func(c *PasswordGrantConfig) { c.TokenURL = "/oauth/token" }), []string{"absolute"}},
		"pg ftp url":       {pg(func(c *PasswordGrantConfig) { c.TokenURL = "ftp://auth.example.com/token" }), []string{"http"}},
		"pg plain http":    {pg(func(c *PasswordGrantConfig) { c.TokenURL = "http://auth.example.com/token" }), []string{"plain http"}},
		"pg no username":   {pg(func(c *PasswordGrantConfig) { c.Username = "" }), []string{"username"}},
		"pg no password":   {pg(func(c *PasswordGrantConfig) { c.Password = "" }), []string{"password"}},
		"gt no url":        {gt(func(c *GoTrueConfig) { c.TokenURL = "" }), []string{"token URL"}},
		"gt user info":     {gt(func(c *GoTrueConfig) { c.TokenURL = "https://u:p@sb.example.com/token" }), []string{"user info"}},
		"gt no email":      {gt(func(c *GoTrueConfig) { c.Email = "  " }), []string{"email"}},
		"gt no password":   {gt(func(c *GoTrueConfig) { c.Password = "" }), []string{"password"}},
		"gt multiline key": {gt(func(c *GoTrueConfig) { c.APIKey = "a\r\nX-Evil: 1" }), []string{"API key"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			assertInvalidParams(t, tc.err, tc.words...)
			assert.NotContains(t, tc.err.Error(), stackPassword)
		})
	}
}

func TestGoTrueTokenSourceErrorThroughClient(t *testing.T) {
	t.Parallel()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		writeJSON(w, http.StatusUnauthorized, `{"error": "invalid_grant", "error_description": "Invalid login credentials"}`)
	})
	ts := newTestGoTrue(t, srv, newStackClock())
	var apiCalls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { apiCalls.Add(1) }))
	t.Cleanup(api.Close)
	c, err := NewClient(WithBaseURL(api.URL), WithTokenSource(ts), WithRetryWait(0, 0))
	require.NoError(t, err)
	_, _, err = c.Connections.Get(context.Background(), stackConnID, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnauthorized)
	var ae *APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, "invalid_grant", ae.Code)
	assertNoSecrets(t, err)
	assert.Zero(t, apiCalls.Load(), "no API request without a token")
	assert.Equal(t, 1, srv.n("password"), "a token failure is not retried")
}

func TestGoTrueTokenSourceExpiredOnArrival(t *testing.T) {
	t.Parallel()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		writeJSON(w, http.StatusOK, `{"access_token": "stale", "token_type": "bearer", "expires_at": 1000000000}`)
	})
	ts := newTestGoTrue(t, srv, newStackClock())
	for range 2 {
		tok, err := ts.Token(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "stale", tok)
	}
	assert.Equal(t, 2, srv.n("password"), "a token that expired before it arrived is never cached")
}

func TestGoTrueTokenSourceUsesCallerClientWithoutMutatingIt(t *testing.T) {
	t.Parallel()
	srv := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, p map[string]any) {
		writeJSON(w, http.StatusOK, stackTokenJSON("via-custom-client", "", 3600))
	})
	var sent atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return srv.srv.Client().Transport.RoundTrip(r)
	})}
	ts, err := NewGoTrueTokenSource(GoTrueConfig{TokenURL: srv.srv.URL + "/auth/v1/token", Email: stackEmail, Password: stackPassword, HTTPClient: hc})
	require.NoError(t, err)
	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "via-custom-client", tok)
	assert.EqualValues(t, 1, sent.Load())
	assert.Nil(t, hc.CheckRedirect, "the caller's client is copied, not changed")

	ts.Invalidate()
	_, err = ts.Token(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 2, sent.Load())
}
