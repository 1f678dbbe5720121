package connapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// headerSecret stands in the bad values: no error may show it.
const headerSecret = "hdr-s3cret-value"

// A credential that cannot be sent in a header (a control character: a line
// break, NUL, DEL) is refused by NewClient, as a multi-line WithUserAgent is: it
// was accepted, and every call then failed in net/http ("invalid header field
// value"), a transport error rather than a bad option.
func TestCredentialsWithControlCharactersAreRefused(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{headerSecret + "\n", headerSecret + "\r\nX-Evil: 1", "a\x00" + headerSecret, headerSecret + "\x7f"} {
		for name, opt := range map[string]Option{
			"WithBearerToken":  WithBearerToken(bad),
			"WithAPIKey":       WithAPIKey(bad),
			"WithConnectionID": WithConnectionID(bad),
		} {
			_, err := NewClient(WithBaseURL("https://api.example.test/"), opt)
			require.Error(t, err, "%s(%q)", name, bad)
			assert.Contains(t, err.Error(), name)
			assert.NotContains(t, err.Error(), headerSecret)
		}
	}
	// A tab is allowed inside a header value.
	_, err := NewClient(WithBaseURL("https://api.example.test/"), WithBearerToken("a\tb"))
	require.NoError(t, err)
}

// A header or idempotency key that cannot be sent is ErrInvalidParams before
// any request, for a call's own options and the client's defaults alike; it was
// a transport error from net/http.
func TestRequestHeadersThatCannotBeSentAreInvalidParams(t *testing.T) {
	t.Parallel()
	cases := map[string][]RequestOption{
		"value with a line break": {WithHeader("X-Trace", "a\r\n"+headerSecret)},
		"value with NUL":          {WithHeader("X-Trace", headerSecret+"\x00")},
		"credential value":        {WithHeader("Authorization", "Bearer "+headerSecret+"\n")},
		"name with a space":       {WithHeader("Bad Name", headerSecret)},
		"name with a colon":       {WithHeader("X-A:b", headerSecret)},
		"empty name":              {WithHeader("", headerSecret)},
		"idempotency key":         {WithIdempotencyKey(headerSecret + "\n")},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, n := noRequestClient(t)
			_, err := c.do(context.Background(), testOp(http.MethodPost), "things", nil, map[string]any{"a": 1}, nil, opts)
			assertInvalidParams(t, err, "header")
			assert.NotContains(t, allTexts(err), headerSecret)
			assert.False(t, errors.Is(err, ErrMaybeApplied))
			assert.Zero(t, n.Load())
		})
	}
	t.Run("client default", func(t *testing.T) {
		t.Parallel()
		var n atomic.Int32
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n.Add(1)
			return nil, errors.New("sent")
		})}
		c, err := NewClient(WithBaseURL("https://api.example.test/"), WithHTTPClient(hc),
			WithDefaultRequestOptions(WithHeader("X-Team", headerSecret+"\n")))
		require.NoError(t, err)
		_, _, err = getThing(context.Background(), c, "1")
		assertInvalidParams(t, err, "header")
		assert.Zero(t, n.Load())
	})
}

// A token from the TokenSource that cannot be sent fails the call as the
// TokenSource's failure, not sent and without the token in the error.
func TestTokenSourceTokenWithControlCharacters(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		return nil, errors.New("sent")
	})}
	c, err := NewClient(WithBaseURL("https://api.example.test/"), WithHTTPClient(hc),
		WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) { return headerSecret + "\r\n", nil })))
	require.NoError(t, err)
	_, err = postThing(context.Background(), c, map[string]any{"a": 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "obtaining token")
	assert.True(t, strings.Contains(err.Error(), "control character"), "%v", err)
	assert.NotContains(t, allTexts(err), headerSecret)
	assert.False(t, errors.Is(err, ErrMaybeApplied))
	assert.Zero(t, n.Load())
}
