package connapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"
)

// OAuth2TokenSource adapts a golang.org/x/oauth2 TokenSource to TokenSource, for
// WithTokenSource: each attempt sends the source's current access token as
// "Authorization: Bearer …". Wrap the source in oauth2.ReuseTokenSource (as
// oauth2.Config.TokenSource and clientcredentials.Config.TokenSource already do) so
// that a token is fetched once and refreshed only when it expires.
//
// An oauth2.TokenSource takes no context: the refresh uses the context its config was
// given, so give that context's HTTP client a timeout. The ctx of each call is
// checked before the source is asked, never passed to it.
//
// A token whose type is not Bearer, or whose access token is empty, is an error: the
// client sends bearer tokens only. Errors from the source are wrapped, so
// errors.As(err, new(*oauth2.RetrieveError)) still finds a token endpoint's answer.
//
// x/oauth2 sources cannot be told to forget a token, so by default a 401 is returned
// to the caller (ErrUnauthorized) rather than retried with the same token. If ts
// implements TokenInvalidator itself, the adapter does too, and the client then
// retries a 401 once with a fresh token, as it does for this package's sources.
//
// A nil ts (or one holding a nil pointer or func) gives a nil TokenSource, which
// WithTokenSource refuses.
func OAuth2TokenSource(ts oauth2.TokenSource) TokenSource {
	if isNil(ts) {
		return nil
	}
	a := oauth2Adapter{ts: ts}
	if inv, ok := ts.(TokenInvalidator); ok {
		return &oauth2InvalidatingAdapter{oauth2Adapter: a, inv: inv}
	}
	return &a
}

// oauth2Adapter is OAuth2TokenSource's TokenSource.
type oauth2Adapter struct {
	ts oauth2.TokenSource
}

// Token returns the access token of ts.Token().
func (a *oauth2Adapter) Token(ctx context.Context) (string, error) {
	if ctx == nil {
		return "", fmt.Errorf("connapi: oauth2 token source: %w: nil context", ErrInvalidParams)
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	t, err := a.ts.Token()
	if err != nil {
		return "", fmt.Errorf("connapi: oauth2 token source: %w", err)
	}
	if t == nil {
		return "", errors.New("connapi: oauth2 token source: no token and no error")
	}
	if typ := t.Type(); !strings.EqualFold(typ, "Bearer") {
		return "", fmt.Errorf("connapi: oauth2 token source: token type %q, want Bearer", typ)
	}
	if t.AccessToken == "" {
		return "", errors.New("connapi: oauth2 token source: empty access token")
	}
	return t.AccessToken, nil
}

// oauth2InvalidatingAdapter is OAuth2TokenSource's TokenSource for a source that can
// forget a rejected token.
type oauth2InvalidatingAdapter struct {
	oauth2Adapter
	inv TokenInvalidator
}

// InvalidateToken passes tok on to the wrapped source.
func (a *oauth2InvalidatingAdapter) InvalidateToken(tok string) { a.inv.InvalidateToken(tok) }
