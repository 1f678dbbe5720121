package connapi_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
)

// oauth2Func adapts a function to oauth2.TokenSource, counting calls.
type oauth2Func struct {
	mu    sync.Mutex
	calls int
	f     func() (*oauth2.Token, error)
}

func (s *oauth2Func) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
	return s.f()
}

func TestOAuth2TokenSourceNil(t *testing.T) {
	t.Parallel()
	assert.Nil(t, connapi.OAuth2TokenSource(nil))
	_, err := connapi.NewClient(connapi.WithBaseURL("https://api.example.test/"), connapi.WithTokenSource(connapi.OAuth2TokenSource(nil)))
	require.Error(t, err, "a nil oauth2 source is refused when the client is built, not on its first call")
}

func TestOAuth2TokenSourceToken(t *testing.T) {
	t.Parallel()
	retrieve := &oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, ErrorCode: "invalid_grant"}
	for name, tc := range map[string]struct {
		tok     *oauth2.Token
		err     error
		want    string // the token, or a word of the error
		wantErr bool
	}{
		"bearer":              {tok: &oauth2.Token{AccessToken: "at-1", TokenType: "Bearer"}, want: "at-1"},
		"lower-case bearer":   {tok: &oauth2.Token{AccessToken: "at-2", TokenType: "bearer"}, want: "at-2"},
		"no type is bearer":   {tok: &oauth2.Token{AccessToken: "at-3"}, want: "at-3"},
		"MAC token":           {tok: &oauth2.Token{AccessToken: "at-4", TokenType: "mac"}, want: "MAC", wantErr: true},
		"empty access token":  {tok: &oauth2.Token{TokenType: "Bearer"}, want: "empty access token", wantErr: true},
		"nil token, nil err":  {want: "no token", wantErr: true},
		"token endpoint said": {err: retrieve, want: "invalid_grant", wantErr: true},
	} {
		src := &oauth2Func{f: func() (*oauth2.Token, error) { return tc.tok, tc.err }}
		got, err := connapi.OAuth2TokenSource(src).Token(context.Background())
		if !tc.wantErr {
			require.NoError(t, err, name)
			assert.Equal(t, tc.want, got, name)
			continue
		}
		require.Error(t, err, name)
		assert.Empty(t, got, name)
		assert.Contains(t, err.Error(), tc.want, name)
		assert.NotContains(t, err.Error(), "at-4", name)
	}

	// The token endpoint's answer stays reachable.
	src := &oauth2Func{f: func() (*oauth2.Token, error) { return nil, retrieve }}
	_, err := connapi.OAuth2TokenSource(src).Token(context.Background())
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "invalid_grant", re.ErrorCode)
}

func TestOAuth2TokenSourceChecksContextFirst(t *testing.T) {
	t.Parallel()
	src := &oauth2Func{f: func() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: "at"}, nil }}
	ts := connapi.OAuth2TokenSource(src)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ts.Token(ctx)
	require.ErrorIs(t, err, context.Canceled)

	var nilCtx context.Context
	_, err = ts.Token(nilCtx)
	require.ErrorIs(t, err, connapi.ErrInvalidParams)
	assert.Zero(t, src.calls, "the oauth2 source is not asked for a done or nil context")
}

// A source that cannot forget a token: a 401 goes back to the caller after one
// request, instead of a retry with the very token the server refused.
func TestOAuth2TokenSource401IsNotRetriedWithTheSameToken(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer()
	t.Cleanup(srv.Close)
	const revoked = "revoked-token-7d2e"
	src := &oauth2Func{f: func() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: revoked}, nil }}
	ts := connapi.OAuth2TokenSource(src)
	_, ok := ts.(connapi.TokenInvalidator)
	assert.False(t, ok, "the adapter of a plain oauth2 source claims no invalidation")

	c, err := connapi.NewClient(connapi.WithBaseURL(srv.StackAIURL()), connapi.WithTokenSource(ts), connapi.WithRetryWait(0, 0))
	require.NoError(t, err)
	_, resp, err := c.Connections.List(context.Background(), nil)
	require.ErrorIs(t, err, connapi.ErrUnauthorized)
	require.NotNil(t, resp)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, 1, srv.RequestCount("GET", "/connections"))
	assert.NotContains(t, err.Error(), revoked)
}

// invalidatingSource is an oauth2.TokenSource of the program's own that can drop a
// rejected token: the adapter passes InvalidateToken on.
type invalidatingSource struct {
	mu          sync.Mutex
	current     string
	fresh       string
	invalidated []string
}

func (s *invalidatingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &oauth2.Token{AccessToken: s.current, Expiry: time.Now().Add(time.Hour)}, nil
}

func (s *invalidatingSource) InvalidateToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, tok)
	if tok == s.current {
		s.current = s.fresh
	}
}

func TestOAuth2TokenSource401RetriedWhenTheSourceCanInvalidate(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	t.Cleanup(srv.Close)
	src := &invalidatingSource{current: "stale-token-91ab", fresh: srv.Token()}
	ts := connapi.OAuth2TokenSource(src)
	_, ok := ts.(connapi.TokenInvalidator)
	require.True(t, ok)

	c, err := connapi.NewClient(connapi.WithBaseURL(srv.StackAIURL()), connapi.WithTokenSource(ts), connapi.WithRetryWait(0, 0))
	require.NoError(t, err)
	conns, resp, err := c.Connections.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, conns, 1)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []string{"stale-token-91ab"}, src.invalidated, "the rejected token, and only it")
	assert.Equal(t, 2, srv.RequestCount("GET", "/connections"))
}

// The adapter is safe for concurrent use when the oauth2 source is (ReuseTokenSource is).
func TestOAuth2TokenSourceConcurrent(t *testing.T) {
	t.Parallel()
	var fetches int
	var mu sync.Mutex
	base := &oauth2Func{f: func() (*oauth2.Token, error) {
		mu.Lock()
		defer mu.Unlock()
		fetches++
		return &oauth2.Token{AccessToken: "shared", Expiry: time.Now().Add(time.Hour)}, nil
	}}
	ts := connapi.OAuth2TokenSource(oauth2.ReuseTokenSource(nil, base))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := ts.Token(context.Background())
			if err == nil && tok != "shared" {
				err = errors.New("got " + tok)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, fetches, "ReuseTokenSource fetched once for all")
}
