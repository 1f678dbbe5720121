package connapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestNewClientValidatesOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"no base URL", nil, "base URL is required"},
		{"empty base URL", []Option{WithBaseURL("")}, "base URL is required"},
		{"relative base URL", []Option{WithBaseURL("api/v1")}, "http or https"},
		{"bad scheme", []Option{WithBaseURL("ftp://example.com/")}, "http or https"},
		{"unparsable", []Option{WithBaseURL("https://exa mple.com/%zz")}, "bad base URL"},
		{"query in base", []Option{WithBaseURL("https://example.com/?a=1")}, "query"},
		{"userinfo in base", []Option{WithBaseURL("https://u:p@example.com/")}, "user info"},
		{"negative retries", []Option{WithBaseURL("https://example.com/"), WithMaxRetries(-1)}, "negative retry"},
		{"negative wait", []Option{WithBaseURL("https://example.com/"), WithRetryWait(-1, 0)}, "negative wait"},
		{"min above max", []Option{WithBaseURL("https://example.com/"), WithRetryWait(2*time.Second, time.Second)}, "above max"},
		{"empty bearer", []Option{WithBaseURL("https://example.com/"), WithBearerToken(" ")}, "empty token"},
		{"empty api key", []Option{WithBaseURL("https://example.com/"), WithAPIKey("")}, "empty key"},
		{"empty connection id", []Option{WithBaseURL("https://example.com/"), WithConnectionID("")}, "empty connection id"},
		{"nil token source", []Option{WithBaseURL("https://example.com/"), WithTokenSource(nil)}, "nil TokenSource"},
		{"nil http client", []Option{WithBaseURL("https://example.com/"), WithHTTPClient(nil)}, "nil *http.Client"},
		{"nil logger", []Option{WithBaseURL("https://example.com/"), WithLogger(nil)}, "nil *slog.Logger"},
		{"bad user agent", []Option{WithBaseURL("https://example.com/"), WithUserAgent("a\nb")}, "user agent"},
		{"zero response cap", []Option{WithBaseURL("https://example.com/"), WithMaxResponseBytes(0)}, "not positive"},
		{"nil option", []Option{nil}, "nil Option"},
		{"bearer and token source", []Option{WithBaseURL("https://example.com/"), WithBearerToken("abcd"),
			WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) { return "x", nil }))}, "exclusive"},
		{"credentials over plain http", []Option{WithBaseURL("http://api.example.com/"), WithAPIKey("secret-key")}, "plain http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "secret-key")
		})
	}
}

func TestNewClientAcceptsInsecureOptIn(t *testing.T) {
	t.Parallel()
	_, err := NewClient(WithBaseURL("http://api.example.com/"), WithAPIKey("k-123"), WithInsecureHTTP())
	require.NoError(t, err)
	for _, host := range []string{"http://localhost:8080/", "http://127.0.0.1/", "http://[::1]:9/"} {
		_, err := NewClient(WithBaseURL(host), WithAPIKey("k-123"))
		require.NoError(t, err, host)
	}
	// No credential: plain http anywhere is fine.
	_, err = NewClient(WithBaseURL("http://api.example.com/"))
	require.NoError(t, err)
}

func TestBaseURLKeepsPathAndNormalisesSlash(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"https://example.com/api/v1", "https://example.com/api/v1/"} {
		c, err := NewClient(WithBaseURL(in))
		require.NoError(t, err)
		assert.Equal(t, "https://example.com/api/v1/", c.BaseURL())
	}
	c, err := NewClient(WithBaseURL("https://example.com"))
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/", c.BaseURL())
}

func TestRelativePathJoinedUnderBasePath(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "a/b c", r.PathValue("id"))
		assert.Equal(t, "/things/a%2Fb%20c", r.URL.EscapedPath(), "escaped, under the stripped base path")
		writeJSON(w, 200, `{"x":1}`)
	})
	id, err := pathParam("Things.Get", "id", "a/b c")
	require.NoError(t, err)
	var out struct{ X int }
	resp, err := c.do(context.Background(), testOp(http.MethodGet), "things/"+id, nil, nil, &out, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, out.X)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, 200, resp.StatusCode)

	_, err = c.do(context.Background(), testOp(http.MethodGet), "/absolute", nil, nil, nil, nil)
	require.Error(t, err)
}

func TestPathParamRejectsEmptyAndDots(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"", " ", ".", ".."} {
		_, err := pathParam("Things.Get", "id", v)
		assertInvalidParams(t, err, "Things.Get", "id")
	}
	got, err := pathParam("op", "id", "x..y")
	require.NoError(t, err)
	assert.Equal(t, "x..y", got)
}

// getThing is a minimal service-shaped call used to test the core end to end.
func getThing(ctx context.Context, c *Client, id string, opts ...RequestOption) (map[string]any, *Response, error) {
	p, err := pathParam("Things.Get", "id", id)
	if err != nil {
		return nil, nil, err
	}
	var out map[string]any
	resp, err := c.do(ctx, testOp(http.MethodGet), "things/"+p, nil, nil, &out, opts)
	return out, resp, err
}

func TestEmptyIDSendsZeroRequests(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	_, resp, err := getThing(context.Background(), c, "")
	assertInvalidParams(t, err, "id is required")
	assert.Nil(t, resp)
	assert.Zero(t, n.Load())
}

func TestHeadersQueryAndBody(t *testing.T) {
	t.Parallel()
	c, mux := setup(t, WithUserAgent("myapp/1.2"), WithDefaultRequestOptions(WithHeader("X-Team", "default"), WithQuery("d", "1")))
	mux.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "connapi-go/"+Version+" myapp/1.2", r.UserAgent())
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.Equal(t, "call", r.Header.Get("X-Team"), "per-call option wins over the default")
		assert.Equal(t, "key-1", r.Header.Get("Idempotency-Key"))
		testQuery(t, r, url.Values{"limit": {"5"}, "tags": {"a", "b"}, "d": {"1"}, "extra": {"x y"}})
		testJSONBody(t, r, `{"name":"<b>&co</b>"}`)
		w.WriteHeader(http.StatusCreated)
	})
	type q struct {
		Limit int      `url:"limit,omitempty"`
		Tags  []string `url:"tags,omitempty"`
		Skip  string   `url:"skip,omitempty"`
	}
	resp, err := c.do(context.Background(), testOp(http.MethodPost), "things", &q{Limit: 5, Tags: []string{"a", "b"}},
		map[string]string{"name": "<b>&co</b>"}, nil,
		[]RequestOption{WithHeader("x-team", "call"), WithIdempotencyKey("key-1"), WithQuery("extra", "x y")})
	require.NoError(t, err, "an empty 201 body is accepted when no result is expected")
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
}

func TestHTTPClientIsCopiedNotMutated(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) }))
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr, Timeout: time.Hour} // it bounds the call; it ends none
	c, err := NewClient(WithBaseURL(srv.URL), WithHTTPClient(hc), WithBearerToken("tok-1234"))
	require.NoError(t, err)
	_, _, err = getThing(context.Background(), c, "1")
	require.NoError(t, err)
	assert.Same(t, tr, hc.Transport, "caller's transport untouched")
	assert.Nil(t, hc.CheckRedirect, "caller's CheckRedirect untouched")
	assert.Equal(t, time.Hour, hc.Timeout)
}

func TestTokenSourceAskedOnEveryAttempt(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	ts := TokenSourceFunc(func(ctx context.Context) (string, error) {
		return "tok-" + string(rune('0'+calls.Add(1))), nil
	})
	var seen []string
	c, mux := setup(t)
	c2, err := NewClient(WithBaseURL(c.BaseURL()), WithTokenSource(ts), WithRetryWait(0, 0))
	require.NoError(t, err)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		if len(seen) == 1 {
			writeJSON(w, 503, `{"detail":"busy"}`)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	_, resp, err := getThing(context.Background(), c2, "1")
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-2"}, seen)
}

func TestTokenSourceErrorIsNotRetriedAndRedacted(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	c2, err := NewClient(WithBaseURL(c.BaseURL()), WithHTTPClient(&http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		n.Add(1)
		return nil, errors.New("unreachable")
	})}), WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) {
		return "", errors.New("refresh failed")
	})), WithRetryWait(0, 0))
	require.NoError(t, err)
	_, _, err = getThing(context.Background(), c2, "1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refresh failed")
	assert.Zero(t, n.Load())
}

func TestCredentialsHeaders(t *testing.T) {
	t.Parallel()
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		writeJSON(w, 200, `{}`)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/v0"), WithAPIKey("key-abc"), WithConnectionID("conn_123"))
	require.NoError(t, err)
	_, _, err = getThing(context.Background(), c, "1")
	require.NoError(t, err)
	assert.Equal(t, "key-abc", got.Get("x-apikey"))
	assert.Equal(t, "conn_123", got.Get("x-connection-id"))
	assert.Empty(t, got.Get("Authorization"))
}

func TestCrossHostRedirectDropsCredentials(t *testing.T) {
	t.Parallel()
	var other http.Header
	otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other = r.Header.Clone()
		writeJSON(w, 200, `{"landed":true}`)
	}))
	t.Cleanup(otherSrv.Close)
	var first http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first = r.Header.Clone()
		http.Redirect(w, r, otherSrv.URL+"/landing", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	// 127.0.0.1 and localhost are different hosts to the redirect guard.
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	c, err := NewClient(WithBaseURL(base), WithBearerToken("bearer-xyz"), WithAPIKey("key-xyz"), WithConnectionID("conn_xyz"))
	require.NoError(t, err)
	out, _, err := getThing(context.Background(), c, "1", WithHeader("X-Apikey", "per-call-key"))
	require.NoError(t, err)
	assert.Equal(t, true, out["landed"])
	assert.Equal(t, "Bearer bearer-xyz", first.Get("Authorization"))
	assert.Equal(t, "per-call-key", first.Get("X-Apikey"))
	assert.Equal(t, "conn_xyz", first.Get("X-Connection-Id"))
	require.NotNil(t, other)
	for _, h := range []string{"Authorization", "X-Apikey", "X-Connection-Id"} {
		assert.Empty(t, other.Get(h), h)
	}
}

func TestSameHostRedirectKeepsCredentials(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /things/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, testPrefix+"/things/new", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /things/new", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		writeJSON(w, 200, `{"ok":true}`)
	})
	out, _, err := getThing(context.Background(), c, "old")
	require.NoError(t, err)
	assert.Equal(t, true, out["ok"])
}

func TestResponseBodyProblemsAreTypedErrors(t *testing.T) {
	t.Parallel()
	c, mux := setup(t, WithMaxResponseBytes(1024))
	mux.HandleFunc("GET /things/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html><body>proxy</body></html>")
	})
	mux.HandleFunc("GET /things/invalid", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"a":`) })
	mux.HandleFunc("GET /things/wrongshape", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `[1,2]`) })
	mux.HandleFunc("GET /things/huge", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"a":"`+strings.Repeat("x", 4096)+`"}`)
	})
	mux.HandleFunc("GET /things/hugechunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for range 8 {
			_, _ = io.WriteString(w, strings.Repeat(" ", 512))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("GET /things/truncated", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"a":1`)
	})
	mux.HandleFunc("GET /things/empty", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	for id, want := range map[string]error{
		"html": nil, "invalid": nil, "wrongshape": nil, "huge": ErrResponseTooLarge,
		"hugechunked": ErrResponseTooLarge, "truncated": io.ErrUnexpectedEOF,
	} {
		_, resp, err := getThing(context.Background(), c, id)
		var re *ResponseError
		require.ErrorAs(t, err, &re, id)
		assert.Equal(t, 200, re.StatusCode, id)
		require.NotNil(t, resp, id)
		if want != nil {
			assert.ErrorIs(t, err, want, id)
		}
		assert.NotContains(t, err.Error(), "\n")
	}
	// A method that promises a result does not hand back a zero value for nothing.
	mux.HandleFunc("GET /things/null", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "null") })
	for _, id := range []string{"empty", "null"} {
		_, _, err := getThing(context.Background(), c, id)
		var re *ResponseError
		require.ErrorAs(t, err, &re, id)
		assert.ErrorIs(t, err, errEmptyBody, id)
		out, _, err := getThing(context.Background(), c, id, emptyOK())
		require.NoError(t, err, "where the endpoint may answer nothing")
		assert.Nil(t, out)
	}
}

func TestLoggerGetsAttemptsWithoutSecrets(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mux := setup(t, WithLogger(logger))
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-42")
		writeJSON(w, 200, `{}`)
	})
	_, _, err := getThing(context.Background(), c, "1", WithQuery("access_token", "qs-secret"))
	require.NoError(t, err)
	out := buf.String()
	assert.Contains(t, out, "connapi: attempt")
	assert.Contains(t, out, "http.response.status_code=200")
	assert.Contains(t, out, "connapi.request_id=req-42")
	assert.NotContains(t, out, testToken)
	assert.NotContains(t, out, "qs-secret")
}

// Every attempt hangs until its own timeout ends it, on the real clock. The
// timeout is the attempt's, not the call's: the timed-out attempt is retried (the
// call's context lives on), and the retry runs a whole timeout of its own. Only
// attempts that must time out wait for a timer, and a timer never fires early, so
// nothing here depends on how fast the machine is.
func TestRequestTimeoutIsPerAttempt(t *testing.T) {
	t.Parallel()
	c, mux := setup(t, WithMaxRetries(1))
	release := releaseAtCleanup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		holdUntilGone(r, release) // until the client gives up on this attempt
	})
	var retries atomic.Int32
	c.waitHook = func(time.Duration) time.Duration {
		retries.Add(1)
		return 0
	}
	start := time.Now()
	_, _, err := getThing(context.Background(), c, "1", WithRequestTimeout(hangTimeout))
	elapsed := time.Since(start)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.EqualValues(t, 1, retries.Load(), "the timed-out attempt is retried: a per-call timeout would have ended the call")
	assert.GreaterOrEqual(t, elapsed, 2*hangTimeout, "each attempt ran out a timeout of its own")
	assert.LessOrEqual(t, calls.Load(), int32(2))
}

// A retry after an attempt that timed out answers, and the call succeeds. The
// first attempt times out where the server holds it (attemptTimeouts), so the
// server certainly saw it, and the retry has no clock to beat.
func TestRequestTimeoutRetryAnswers(t *testing.T) {
	t.Parallel()
	to := newAttemptTimeouts()
	t.Cleanup(to.close)
	c, mux := setup(t, WithMaxRetries(1), WithObserver(to.observer()))
	var calls atomic.Int32
	release := releaseAtCleanup(t)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			to.expire(r.Header)
			holdUntilGone(r, release) // until the client gives up on this attempt
			return
		}
		writeJSON(w, 200, `{"ok":true}`)
	})
	out, resp, err := getThing(context.Background(), c, "1", WithRequestTimeout(heldAttemptTimeout))
	require.NoError(t, err)
	assert.Equal(t, true, out["ok"])
	assert.Equal(t, 2, resp.Attempts)
	assert.EqualValues(t, 2, calls.Load())
	ended := to.endedAttempts()
	require.Len(t, ended, 2)
	assert.Equal(t, "timeout", ended[0].ErrorType)
	assert.Equal(t, "", ended[1].ErrorType)
}

func TestNilContextIsInvalid(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	//lint:ignore SA1012 testing the guard
	var nilCtx context.Context
	_, err := c.do(nilCtx, testOp(http.MethodGet), "x", nil, nil, nil, nil)
	assert.ErrorIs(t, err, ErrInvalidParams)
	assert.Zero(t, n.Load())
}

func TestRedirectIsNotAnAttempt(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /things/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, testPrefix+"/things/gone", http.StatusFound)
	})
	mux.HandleFunc("GET /things/gone", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 404, `{"detail":"gone"}`) })
	_, resp, err := getThing(context.Background(), c, "old")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, 1, resp.Attempts)
	assert.NotContains(t, err.Error(), "attempts")
}

func TestLogNeverShowsTheConnectionID(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mux := setup(t)
	c2, err := NewClient(WithBaseURL(c.BaseURL()), WithAPIKey("key-1234"), WithConnectionID("conn_secret9"), WithLogger(logger), WithRetryWait(0, 0))
	require.NoError(t, err)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
	_, _, err = getThing(context.Background(), c2, "conn_secret9")
	require.NoError(t, err)
	assert.Contains(t, buf.String(), "connapi: attempt")
	assert.NotContains(t, buf.String(), "conn_secret9")
}
