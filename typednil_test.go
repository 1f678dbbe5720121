package connapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// nilOAuth2Source is an oauth2.TokenSource whose Token dereferences its
// receiver, as most do.
type nilOAuth2Source struct{ tok *oauth2.Token }

func (s *nilOAuth2Source) Token() (*oauth2.Token, error) { return s.tok, nil }

// A nil TokenSource inside a non-nil interface — the result of a constructor
// whose error was not checked (var ts *PasswordGrantTokenSource), or a nil
// TokenSourceFunc — is refused by NewClient, as a nil one is: it was accepted,
// and the first call panicked in prepareAttempt with a nil dereference, taking
// the caller's goroutine down (NewClient promises a bad option is an error).
func TestTypedNilTokenSourceIsRefused(t *testing.T) {
	t.Parallel()
	var pg *PasswordGrantTokenSource
	var gt *GoTrueTokenSource
	var o2 *nilOAuth2Source
	for name, ts := range map[string]TokenSource{
		"*PasswordGrantTokenSource": pg,
		"*GoTrueTokenSource":        gt,
		"TokenSourceFunc":           TokenSourceFunc(nil),
		"OAuth2TokenSource":         OAuth2TokenSource(o2),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var c *Client
			var err error
			require.NotPanics(t, func() {
				c, err = NewClient(WithBaseURL("https://api.example.test/"), WithTokenSource(ts))
			})
			if err == nil {
				// It would panic here.
				assert.NotPanics(t, func() { _, _, _ = getThing(context.Background(), c, "1") })
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "WithTokenSource: nil TokenSource")
		})
	}
}

// A client whose Transport is a nil *http.Transport is refused: net/http
// panicked on it at the first call.
func TestTypedNilTransportIsRefused(t *testing.T) {
	t.Parallel()
	var tr *http.Transport
	var c *Client
	var err error
	require.NotPanics(t, func() {
		c, err = NewClient(WithBaseURL("https://api.example.test/"), WithHTTPClient(&http.Client{Transport: tr}))
	})
	if err == nil {
		assert.NotPanics(t, func() { _, _, _ = getThing(context.Background(), c, "1") })
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithHTTPClient")
}
