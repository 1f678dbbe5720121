package connapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connapi/connapi-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Defect 1: a Latin-1 error page once panicked the caller ("slice bounds out of
// range"): the <title> offsets were found in a lower-cased copy whose invalid bytes
// had grown to three bytes each.
func TestLatin1HTMLErrorPageDoesNotPanic(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"before title": "<html><head>\xe9\xe9\xe9\xe9\xe9\xe9<TITLE>502 Bad Gateway</TITLE></head></html>",
		"inside title": "<html><head><title>Passerelle d\xe9faillante \xe0 l'entr\xe9e</title></head><body>\xe9\xe9\xe9\xe9</body></html>",
		"many bytes":   "<html>\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8<title>x</title>",
	}
	for name, page := range pages {
		c, mux := setup(t)
		mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(page))
		})
		var err error
		require.NotPanics(t, func() { _, _, err = getThing(context.Background(), c, "1", WithRequestTimeout(0)) }, name)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, name)
		assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode, name)
	}
	// Latin-1 is decoded, so the title reads as the server meant it.
	e := newAPIError(&http.Response{StatusCode: 502, Header: http.Header{"Content-Type": {"text/html; charset=ISO-8859-1"}}},
		[]byte(pages["inside title"]), http.MethodGet, "/x", 1, nil)
	assert.Equal(t, "Passerelle défaillante à l'entrée", e.Message)
}

// Defect 9: a Retry-After too large for any integer type means "longer than the
// cap": the call returns at once with RetryAfter at its maximum, instead of
// ignoring the header and retrying.
func TestHugeRetryAfterReturnsAtOnce(t *testing.T) {
	t.Parallel()
	for _, h := range [][2]string{
		{"Retry-After", "99999999999999999999"},
		{"Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"},
		{"Retry-After-Ms", "1e400"},
		{"Retry-After-Ms", "999999999999999999999999999"},
	} {
		c, mux := setup(t)
		var calls atomic.Int32
		mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.Header().Set(h[0], h[1])
			writeJSON(w, http.StatusTooManyRequests, `{"detail":"slow down"}`)
		})
		_, resp, err := getThing(context.Background(), c, "1")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, h)
		assert.Equal(t, maxRetryAfter, apiErr.RetryAfter, h)
		assert.EqualValues(t, 1, calls.Load(), h)
		assert.Equal(t, 1, resp.Attempts, h)
	}
}

// Defect 8: 64 calls whose 401s arrive one after the other, each after the
// previous call already succeeded with a refreshed token, must share one refresh:
// a 401 makes the token source drop the token that attempt sent, never a newer one.
func TestConcurrent401sShareOneRefresh(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"password grant", "gotrue"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var logins atomic.Int32
			tokens := newStackTokenServer(t, func(w http.ResponseWriter, r *http.Request, grant string, _ map[string]any) {
				writeJSON(w, 200, stackTokenJSON(fmt.Sprintf("tok-%d", logins.Add(1)), "", 3600))
			})
			var ts TokenSource
			if kind == "gotrue" {
				ts = newTestGoTrue(t, tokens, newStackClock())
			} else {
				ts = newTestPasswordGrant(t, tokens, newStackClock(), nil)
			}
			_, err := ts.Token(context.Background()) // tok-1, which the API then revokes
			require.NoError(t, err)

			const calls = 64
			arrived := make(chan struct{}, calls)
			release := make(chan struct{})
			done := make(chan struct{}, calls)
			c, mux, _ := loopback(t, WithTokenSource(ts))
			mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") == "Bearer tok-1" {
					arrived <- struct{}{}
					<-release
					writeJSON(w, http.StatusUnauthorized, `{"detail":"token revoked"}`)
					return
				}
				writeJSON(w, http.StatusOK, `{"ok":true}`)
				done <- struct{}{}
			})
			var wg sync.WaitGroup
			errs := make(chan error, calls)
			for range calls {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, _, err := getThing(context.Background(), c, "1")
					errs <- err
				}()
			}
			for range calls {
				<-arrived // every call is in flight with tok-1
			}
			for range calls {
				release <- struct{}{} // one 401 …
				<-done                // … and that call's retry succeeded before the next 401
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			assert.EqualValues(t, 2, logins.Load(), "one login, then one refresh shared by all 64 calls")
		})
	}
}

// loopback is setup without the bearer token, returning the server too.
func loopback(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(testPrefix+"/", http.StripPrefix(testPrefix, mux))
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	c, err := NewClient(append([]Option{WithBaseURL(srv.URL + testPrefix + "/"), WithRetryWait(0, 0)}, opts...)...)
	require.NoError(t, err)
	return c, mux, srv
}

// resetConn reads the request in full, then resets its connection: the server has
// seen the request, the client gets no answer.
func resetConn(t *testing.T, w http.ResponseWriter, r *http.Request) {
	t.Helper()
	_, _ = io.Copy(io.Discard, r.Body)
	conn, _, err := http.NewResponseController(w).Hijack()
	require.NoError(t, err)
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST, not FIN
	}
	_ = conn.Close()
}

// Defect 2: when a reused keep-alive connection is reset after the server read
// the request, net/http re-sent on its own every request it judged replayable
// (GET, or any request with an Idempotency-Key): single-use codes went out twice,
// WithoutRetries sent two requests, and Attempts said 1. Now every attempt is the
// SDK's own, and Attempts counts the requests that reached the wire.
func TestResetOnReusedConnectionIsNeverReplayedBehindTheSDK(t *testing.T) {
	t.Parallel()
	req := stackOAuthRequest
	tests := []struct {
		name    string
		opts    []Option
		pattern string
		call    func(c *Client) (*Response, error)
		resets  int32 // requests reset before the server answers
		want    int32 // requests the server sees
		wantErr bool
	}{
		{"GET without retries", []Option{WithoutRetries()}, "GET /things/{id}", func(c *Client) (*Response, error) {
			_, resp, err := getThing(context.Background(), c, "1")
			return resp, err
		}, 1, 1, true},
		{"keyed POST without retries", []Option{WithoutRetries()}, "POST /things", func(c *Client) (*Response, error) {
			return postThing(context.Background(), c, map[string]int{"a": 1}, WithIdempotencyKey("idem-1"))
		}, 1, 1, true},
		{"HandleOAuthCallback", nil, "GET /connectors/oauth/callback", func(c *Client) (*Response, error) {
			_, resp, err := c.ConnectorInstances.HandleOAuthCallback(context.Background(), &ConnectorOAuthCallbackParams{Code: "c0de-1234", State: "st4te-5678"})
			return resp, err
		}, 1, 1, true},
		{"CreateFromCallback", nil, "POST /connections/oauth/callback", func(c *Client) (*Response, error) {
			_, resp, err := c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: "4/0Aab-code", Connection: req})
			return resp, err
		}, 1, 1, true},
		{"CreateFromCallback with a key", nil, "POST /connections/oauth/callback", func(c *Client) (*Response, error) {
			_, resp, err := c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: "4/0Aab-code", Connection: req}, WithIdempotencyKey("idem-2"))
			return resp, err
		}, 1, 1, true},
		{"UpdateFromCallback with a key", nil, "PUT /connections/oauth/callback/{id}", func(c *Client) (*Response, error) {
			_, resp, err := c.OAuth.UpdateFromCallback(context.Background(), stackConnID, &UpdateConnectionFromCallbackRequest{Code: "4/0Aab-code", Connection: req}, WithIdempotencyKey("idem-3"))
			return resp, err
		}, 1, 1, true},
		{"GET with retries", nil, "GET /things/{id}", func(c *Client) (*Response, error) {
			_, resp, err := getThing(context.Background(), c, "1")
			return resp, err
		}, 1, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux, _ := loopback(t, append([]Option{WithBearerToken(testToken)}, tt.opts...)...)
			mux.HandleFunc("GET /warm", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
			var n atomic.Int32
			mux.HandleFunc(tt.pattern, func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) <= tt.resets {
					resetConn(t, w, r)
					return
				}
				_, _ = io.Copy(io.Discard, r.Body)
				writeJSON(w, 200, `{"id":"x","connection_id":"`+stackConnID+`"}`)
			})
			// Warm up: the call under test then goes out on a reused connection.
			_, err := c.do(context.Background(), testOp(http.MethodGet), "warm", nil, nil, nil, nil)
			require.NoError(t, err)
			resp, err := tt.call(c)
			assert.Equal(t, tt.want, n.Load(), "requests the server saw")
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, int(tt.want), resp.Attempts, "Attempts equals the requests that reached the wire")
		})
	}
}

// Defect 3: X-Should-Retry may shorten or stop retries, never widen them beyond
// what the method allows: a single-use OAuth code was sent 3 times on a 500
// carrying "X-Should-Retry: true".
func TestShouldRetryHeaderNeverWidensRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
		status  int
		hint    string
		call    func(c *Client) error
		want    int32
	}{
		{"one-shot on 500", "POST /connections/oauth/callback", 500, "true", func(c *Client) error {
			_, _, err := c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: "4/0Aab-code", Connection: stackOAuthRequest})
			return err
		}, 1},
		{"one-shot with a key on 500", "POST /connections/oauth/callback", 500, "true", func(c *Client) error {
			_, _, err := c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: "4/0Aab-code", Connection: stackOAuthRequest}, WithIdempotencyKey("k"))
			return err
		}, 1},
		{"one-shot GET on 503", "GET /connectors/oauth/callback", 503, "true", func(c *Client) error {
			_, _, err := c.ConnectorInstances.HandleOAuthCallback(context.Background(), &ConnectorOAuthCallbackParams{Code: "c0de-1234", State: "st4te-5678"})
			return err
		}, 1},
		{"POST without a key on 409", "POST /things", 409, "true", func(c *Client) error {
			_, err := postThing(context.Background(), c, map[string]int{})
			return err
		}, 1},
		{"POST without a key on 502", "POST /things", 502, "true", func(c *Client) error {
			_, err := postThing(context.Background(), c, map[string]int{})
			return err
		}, 1},
		{"GET on 409: an idempotent call may be retried on the hint", "GET /things/{id}", 409, "true", func(c *Client) error {
			_, _, err := getThing(context.Background(), c, "1")
			return err
		}, 3},
		{"false stops a POST's 503 retries", "POST /things", 503, "false", func(c *Client) error {
			_, err := postThing(context.Background(), c, map[string]int{})
			return err
		}, 1},
		{"false stops a GET's 500 retries", "GET /things/{id}", 500, "false", func(c *Client) error {
			_, _, err := getThing(context.Background(), c, "1")
			return err
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var n atomic.Int32
			mux.HandleFunc(tt.pattern, func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("X-Should-Retry", tt.hint)
				writeJSON(w, tt.status, `{"detail":"no"}`)
			})
			err := tt.call(c)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.want, n.Load(), "requests the server saw")
			assert.Equal(t, int(tt.want), apiErr.Attempts)
		})
	}
}

// The empty body that keeps net/http from replaying a GET must not change what an
// HTTP/2 server receives: a GET without a body, a keyed POST with its body.
func TestRequestsOverHTTP2(t *testing.T) {
	t.Parallel()
	var protos, bodies []string
	var mu sync.Mutex
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		protos = append(protos, r.Proto)
		bodies = append(bodies, r.Method+" "+string(b))
		mu.Unlock()
		writeJSON(w, 200, `{"ok":true}`)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/"), WithBearerToken(testToken), WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	_, resp, err := getThing(context.Background(), c, "1")
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Attempts)
	resp, err = postThing(context.Background(), c, map[string]int{"a": 1}, WithIdempotencyKey("k"))
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, []string{"HTTP/2.0", "HTTP/2.0"}, protos)
	assert.Equal(t, []string{"GET ", `POST {"a":1}`}, bodies)
}

// Over HTTP/1.1 too, a GET or DELETE goes out as before: no body, no chunked
// encoding.
func TestBodylessRequestsStayBodyless(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var seen []string
	var mu sync.Mutex
	record := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s cl=%d te=%v", r.Method, r.ContentLength, r.TransferEncoding))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}
	mux.HandleFunc("GET /things/{id}", record)
	mux.HandleFunc("DELETE /things/{id}", record)
	_, err := c.do(context.Background(), testOp(http.MethodGet), "things/1", nil, nil, nil, []RequestOption{emptyOK()})
	require.NoError(t, err)
	_, err = c.do(context.Background(), testOp(http.MethodDelete), "things/1", nil, nil, nil, []RequestOption{WithIdempotencyKey("k")})
	require.NoError(t, err)
	assert.Equal(t, []string{"GET cl=0 te=[]", "DELETE cl=0 te=[]"}, seen)
}

// Defect 4: a DELETE whose first attempt was applied but whose answer was lost (a
// 5xx after the apply, a body cut off) was retried, got 404, and returned
// ErrNotFound: a delete that happened read as failed. A 404 on a retry after such
// an ambiguous failure is success, with Response.AlreadyApplied set.
func TestDeleteAppliedBeforeALostAnswerIsSuccess(t *testing.T) {
	t.Parallel()
	deletes := []struct {
		name    string
		pattern string
		call    func(c *Client) (*Response, error)
	}{
		{"Connections.Delete", "DELETE /connections/{id}", func(c *Client) (*Response, error) {
			return c.Connections.Delete(context.Background(), stackConnID, nil)
		}},
		{"CoreConnections.Delete", "DELETE /core/connection/{id}", func(c *Client) (*Response, error) {
			return c.CoreConnections.Delete(context.Background(), "conn_123", nil)
		}},
		{"NamespaceConnections.Delete", "DELETE /v1beta/namespaces/{ns}/connections/{id}", func(c *Client) (*Response, error) {
			return c.NamespaceConnections.Delete(context.Background(), "ns-1", "conn-1", nil)
		}},
		{"ConnectorInstances.Delete", "DELETE /connectors/{id}", func(c *Client) (*Response, error) {
			return c.ConnectorInstances.Delete(context.Background(), "ci-1", nil)
		}},
		{"RBAC.Delete", "DELETE /api/v1/connections/{id}/rbac", func(c *Client) (*Response, error) {
			return c.RBAC.Delete(context.Background(), stackConnID, &DeleteRBACParams{SubjectType: models.SubjectTypeUser, SubjectID: stackConnID})
		}},
	}
	// first answers the first request, after applying the delete.
	faults := map[string]func(t *testing.T, w http.ResponseWriter, r *http.Request){
		"500": func(t *testing.T, w http.ResponseWriter, r *http.Request) { writeJSON(w, 500, `{"detail":"oops"}`) },
		"502": func(t *testing.T, w http.ResponseWriter, r *http.Request) { writeJSON(w, 502, `bad gateway`) },
		"504": func(t *testing.T, w http.ResponseWriter, r *http.Request) { writeJSON(w, 504, `gateway timeout`) },
		"reset mid-body": func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "40")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"status":"DEL`)
			_ = http.NewResponseController(w).Flush()
			resetConn(t, w, r)
		},
	}
	for _, d := range deletes {
		for fault, first := range faults {
			t.Run(d.name+"/"+fault, func(t *testing.T) {
				t.Parallel()
				c, mux := setup(t)
				var n atomic.Int32
				mux.HandleFunc(d.pattern, func(w http.ResponseWriter, r *http.Request) {
					if n.Add(1) == 1 {
						first(t, w, r) // the object is gone from here on
						return
					}
					writeJSON(w, http.StatusNotFound, `{"detail":"not found"}`)
				})
				resp, err := d.call(c)
				require.NoError(t, err)
				require.NotNil(t, resp)
				assert.True(t, resp.AlreadyApplied)
				assert.Equal(t, http.StatusNotFound, resp.StatusCode)
				assert.Equal(t, 2, resp.Attempts)
				assert.EqualValues(t, 2, n.Load())
			})
		}
	}

	// Not after a failure that means nothing was done (503), nor on a first 404.
	for _, first := range []int{503, 404} {
		c, mux := setup(t)
		mux.HandleFunc("DELETE /connections/{id}", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, first, `{"detail":"x"}`)
			first = 404
		})
		resp, err := c.Connections.Delete(context.Background(), stackConnID, nil)
		require.ErrorIs(t, err, ErrNotFound)
		assert.False(t, resp.AlreadyApplied)
	}
}

// Defect 5: a write's body followed a cross-host 307 or 308 to the other host (a
// PipesHub clientSecret, say), and the call reported success although the
// configured host applied nothing. A request other than GET or HEAD never follows
// a redirect to another origin: it fails with an error naming the redirect.
func TestWritesNeverFollowACrossOriginRedirect(t *testing.T) {
	t.Parallel()
	const secret = "client-s3cret-value"
	var other atomic.Int32
	otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Add(1)
		writeJSON(w, 200, `{"success":true,"config":{}}`)
	}))
	t.Cleanup(otherSrv.Close)
	target := otherSrv.URL + "/landing?token=redirect-t0ken-value"
	for _, code := range []int{301, 302, 303, 307, 308} {
		c, mux := setup(t)
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, code)
		})
		calls := map[string]func() (*Response, error){
			"UpdateAuthConfig (PUT)": func() (*Response, error) {
				_, resp, err := c.ConnectorInstances.UpdateAuthConfig(context.Background(), "ci-1",
					&UpdateConnectorAuthConfigRequest{Auth: &models.ConnectorAuthConfig{Values: map[string]any{"clientSecret": secret}}})
				return resp, err
			},
			"POST": func() (*Response, error) {
				return postThing(context.Background(), c, map[string]string{"secret": secret})
			},
			"PATCH": func() (*Response, error) {
				return c.do(context.Background(), testOp(http.MethodPatch), "things/1", nil, map[string]string{"s": secret}, nil, nil)
			},
			"DELETE": func() (*Response, error) {
				return c.do(context.Background(), testOp(http.MethodDelete), "things/1", nil, nil, nil, nil)
			},
		}
		for name, call := range calls {
			resp, err := call()
			require.ErrorIs(t, err, ErrCrossOriginRedirect, "%s %d", name, code)
			require.NotNil(t, resp, "%s %d: the redirect response", name, code)
			assert.Equal(t, code, resp.StatusCode)
			msg := err.Error()
			assert.Contains(t, msg, strconv.Itoa(code), name)
			assert.Contains(t, msg, strings.TrimPrefix(otherSrv.URL, "http://"), name)
			assert.NotContains(t, msg, "redirect-t0ken-value", name)
			assert.NotContains(t, msg, secret, name)
			assert.NotContains(t, fmt.Sprintf("%#v %+v", err, err), "redirect-t0ken-value", name)
		}
	}
	assert.Zero(t, other.Load(), "nothing reached the other origin")

	// A GET follows, without credentials; a write follows a redirect on its own origin.
	c, mux := setup(t)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, target, http.StatusFound) })
	var bodies []string
	mux.HandleFunc("PUT /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "old" {
			http.Redirect(w, r, testPrefix+"/things/new", http.StatusTemporaryRedirect)
			return
		}
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		writeJSON(w, 200, `{}`)
	})
	_, _, err := getThing(context.Background(), c, "1")
	require.NoError(t, err)
	assert.EqualValues(t, 1, other.Load())
	_, err = c.do(context.Background(), testOp(http.MethodPut), "things/old", nil, map[string]int{"a": 1}, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{`{"a":1}`}, bodies)
}

// outage runs calls GETs from 16 goroutines against a server that answers 503 to
// everything, and returns how many requests it saw.
func outage(t *testing.T, calls int, opts ...Option) (*Client, int32) {
	t.Helper()
	c, mux := setup(t, opts...)
	var n atomic.Int32
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, http.StatusServiceUnavailable, `{"detail":"down"}`)
	})
	work := make(chan struct{}, calls)
	for range calls {
		work <- struct{}{}
	}
	close(work)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				_, resp, err := getThing(context.Background(), c, "1")
				var apiErr *APIError
				if assert.ErrorAs(t, err, &apiErr) {
					assert.Equal(t, 503, apiErr.StatusCode)
					assert.Equal(t, 503, resp.StatusCode, "a call the budget stops gets the last answer with its response")
				}
			}
		}()
	}
	wg.Wait()
	return c, n.Load()
}

// The retry budget: under a full outage, the retries of all calls together are
// bounded by the bucket (500 tokens, 5 a retry), not by calls × retries.
func TestRetryBudgetBoundsRetriesDuringAnOutage(t *testing.T) {
	t.Parallel()
	const calls = 200
	c, n := outage(t, calls)
	assert.EqualValues(t, calls+DefaultRetryBudgetCapacity/DefaultRetryBudgetRetryCost, n, "calls + budget/cost")
	st := c.RetryStats()
	assert.EqualValues(t, n, st.Attempts)
	assert.EqualValues(t, DefaultRetryBudgetCapacity/DefaultRetryBudgetRetryCost, st.Retries)
	assert.Positive(t, st.BudgetDenied)
	assert.Zero(t, st.BudgetTokens)

	c, n = outage(t, calls, WithRetryBudget(RetryBudget{Capacity: 50}))
	assert.EqualValues(t, calls+50/DefaultRetryBudgetRetryCost, n)
	assert.EqualValues(t, n, c.RetryStats().Attempts)

	c, n = outage(t, calls, WithoutRetryBudget())
	assert.EqualValues(t, calls*(1+DefaultMaxRetries), n, "without a budget every call retries")
	assert.Equal(t, -1, c.RetryStats().BudgetTokens)
}

// Successes refill the bucket: one token for a call that succeeds at once, the
// cost of the retry for one that succeeds on a retry. A retry after a timeout
// costs more.
func TestRetryBudgetRefillsOnSuccessAndChargesTimeouts(t *testing.T) {
	t.Parallel()
	to := newAttemptTimeouts()
	t.Cleanup(to.close)
	c, mux := setup(t, WithRetryBudget(RetryBudget{Capacity: 10, RetryCost: 5, TimeoutRetryCost: 10, SuccessRefund: 1}),
		WithObserver(to.observer()))
	var fail atomic.Bool
	release := releaseAtCleanup(t)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "slow" {
			to.expire(r.Header)       // the attempt times out once it has reached the server
			holdUntilGone(r, release) // and the client gives up on it
			return
		}
		if fail.Load() {
			writeJSON(w, 503, `{}`)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	fail.Store(true)
	_, resp, _ := getThing(context.Background(), c, "1")
	assert.Equal(t, 3, resp.Attempts, "two retries: 10 tokens spent")
	assert.Zero(t, c.RetryStats().BudgetTokens)
	_, resp, _ = getThing(context.Background(), c, "1")
	assert.Equal(t, 1, resp.Attempts, "the bucket is empty")
	fail.Store(false)
	for range 5 {
		_, _, err := getThing(context.Background(), c, "1")
		require.NoError(t, err)
	}
	assert.Equal(t, 5, c.RetryStats().BudgetTokens, "one token per success")
	fail.Store(true)
	_, resp, _ = getThing(context.Background(), c, "1")
	assert.Equal(t, 2, resp.Attempts, "5 tokens: one retry")

	fail.Store(false)
	for range 10 {
		_, _, err := getThing(context.Background(), c, "1")
		require.NoError(t, err)
	}
	require.Equal(t, 10, c.RetryStats().BudgetTokens)
	before := c.RetryStats().Attempts
	// Both attempts time out, each once the server holds it (RetryStats counts the
	// attempts whose request was written).
	_, _, err := getThing(context.Background(), c, "slow", WithRequestTimeout(heldAttemptTimeout))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.EqualValues(t, 2, c.RetryStats().Attempts-before, "a retry after a timeout costs 10: only one")
}

// allTexts renders err under every verb, and every error along its Unwrap chains
// (single and multiple) the same way, with the URL of any *url.Error.
func allTexts(err error) string {
	var b strings.Builder
	seen := map[error]bool{}
	var walk func(e error)
	walk = func(e error) {
		if e == nil || seen[e] {
			return
		}
		seen[e] = true
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			fmt.Fprintf(&b, verb+"\n", e)
		}
		if ue, ok := e.(*url.Error); ok { //nolint:errorlint // each link on its own
			b.WriteString(ue.URL + "\n")
		}
		switch u := e.(type) { //nolint:errorlint // each link on its own
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		}
	}
	walk(err)
	return b.String()
}

// assertNoSecret fails if any secret, raw, query-escaped or path-escaped, is in text.
func assertNoSecret(t *testing.T, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			assert.NotContains(t, text, form, "%s holds %q", what, form)
		}
	}
}

// Defect 6a: %#v printed the unexported list of values to redact (and %#v of an
// error in the chain, its raw fields). Errors are now redacted when built.
func TestErrorsHoldNoSecretUnderAnyVerb(t *testing.T) {
	t.Parallel()
	const code, tok = "4/0Aab-c0de-secret", "srv-t0ken-secret"
	c, mux := setup(t)
	mux.HandleFunc("POST /connections/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"detail":"bad code"}`)
	})
	_, _, err := c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: code, Connection: stackOAuthRequest})
	require.Error(t, err)
	assertNoSecret(t, "APIError", allTexts(err), code, testToken)

	// A transport error after retries, on a call with a TokenSource.
	c2, mux2, _ := loopback(t, WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) { return tok, nil })))
	mux2.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) { resetConn(t, w, r) })
	_, _, err = getThing(context.Background(), c2, "1", WithQuery("code", code))
	require.Error(t, err)
	assertNoSecret(t, "transport error", allTexts(err), code, tok)
}

// Defect 6b: a proxy that echoes Authorization into X-Request-Id put the token in
// the debug log, in Response.RequestID and in APIError.RequestID.
func TestRequestIDsPassTheRedactor(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mux := setup(t, WithLogger(logger))
	status := 200
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-1 "+r.Header.Get("Authorization"))
		writeJSON(w, status, `{}`)
	})
	_, resp, err := getThing(context.Background(), c, "1")
	require.NoError(t, err)
	assert.Contains(t, resp.RequestID, "req-1")
	assertNoSecret(t, "Response.RequestID", resp.RequestID, testToken)
	status = 404
	_, resp, err = getThing(context.Background(), c, "1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assertNoSecret(t, "APIError.RequestID", apiErr.RequestID, testToken)
	assertNoSecret(t, "Response.RequestID", resp.RequestID, testToken)
	mu.Lock()
	assert.Contains(t, logs.String(), "request_id=")
	assertNoSecret(t, "log", logs.String(), testToken)
	mu.Unlock()

	// Echoes made of plain letters and digits, of a query value and of a body
	// credential, are masked too.
	const cursor, secret = "cursorValue12345", "bodySecretValue678"
	mux.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		_ = json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("X-Request-Id", "req_"+r.URL.Query().Get("cursor")+"_"+in["password"])
		writeJSON(w, 200, `{}`)
	})
	resp, err = c.do(context.Background(), testOp(http.MethodPost), "things", url.Values{"cursor": {cursor}}, map[string]string{"password": secret}, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "req_[REDACTED]_[REDACTED]", resp.RequestID)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Defect 6c: when a retried call ended on a transport error, errors.As could
// still reach a raw *url.Error whose URL held token, code or state values.
func TestOnlyRedactedURLsInTheErrorChain(t *testing.T) {
	t.Parallel()
	const code, state, tok = "c0de-value-123", "st4te-value-456", "t0ken-value-789"
	c, mux := setup(t)
	mux.HandleFunc("GET /connectors/oauth/callback", func(w http.ResponseWriter, r *http.Request) { resetConn(t, w, r) })
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) { resetConn(t, w, r) })
	_, _, err := c.ConnectorInstances.HandleOAuthCallback(context.Background(), &ConnectorOAuthCallbackParams{Code: code, State: state})
	require.Error(t, err)
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	assertNoSecret(t, "*url.Error", ue.URL+" "+ue.Error(), code, state)
	assertNoSecret(t, "chain", allTexts(err), code, state)

	// A call that ends while waiting to retry keeps the transport error too.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.waitHook = func(time.Duration) time.Duration { cancel(); return time.Hour }
	_, _, err = getThing(ctx, c, "1", WithQuery("token", tok))
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorAs(t, err, &ue)
	assertNoSecret(t, "*url.Error", ue.URL, tok)
	assertNoSecret(t, "chain", allTexts(err), tok)

	// A retried call (a 503 first) that ends with its context during an attempt:
	// the error carries the last response and the transport error.
	c2, mux2 := setup(t)
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	var n atomic.Int32
	release := releaseAtCleanup(t)
	mux2.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, 503, `{}`)
			return
		}
		cancel2()
		holdUntilGone(r, release)
	})
	_, resp, err := getThing(ctx2, c2, "1", WithQuery("token", tok))
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, resp)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Contains(t, err.Error(), "last response: 503")
	require.ErrorAs(t, err, &ue)
	assertNoSecret(t, "*url.Error", ue.URL, tok)
	assertNoSecret(t, "chain", allTexts(err), tok)
}

// Defect 6d: a percent-encoded echo of a secret escaped redaction, e.g. a Google
// code 4/0A… echoed as 4%2F0A….
func TestEscapedEchoesAreRedacted(t *testing.T) {
	t.Parallel()
	const code = "4/0AeanS0b+code=xyz"
	c, mux := setup(t)
	mux.HandleFunc("POST /connections/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"detail":"bad code `+url.QueryEscape(code)+` (path `+url.PathEscape(code)+`, `+strings.ReplaceAll(url.QueryEscape(code), "%2F", "%2f")+`)"}`)
	})
	_, _, err := c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: code, Connection: stackOAuthRequest})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	text := allTexts(err) + apiErr.Message + string(apiErr.Body)
	assertNoSecret(t, "error", text, code)
	assert.NotContains(t, text, strings.ReplaceAll(url.QueryEscape(code), "%2F", "%2f"))
	assert.Contains(t, apiErr.Message, "bad code [REDACTED]")
}

// Defect 6e: a GoTrue or password-grant token URL with ?apikey=… appeared in the
// token source's errors (url.Redacted masks only the userinfo).
func TestTokenURLKeysStayOutOfTokenSourceErrors(t *testing.T) {
	t.Parallel()
	const key = "url-Ap1key-value"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"token_type":"bearer"}`) // no access_token
	}))
	t.Cleanup(srv.Close)
	gt, err := NewGoTrueTokenSource(GoTrueConfig{TokenURL: srv.URL + "/auth/v1/token?apikey=" + key, Email: "a@b.c", Password: "pw-1234"})
	require.NoError(t, err)
	_, err = gt.Token(context.Background())
	require.Error(t, err)
	assertNoSecret(t, "GoTrue error", allTexts(err), key)

	// Nobody listening: a transport error, from GoTrue and from the password grant.
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	gt, err = NewGoTrueTokenSource(GoTrueConfig{TokenURL: closedURL + "/auth/v1/token?apikey=" + key, Email: "a@b.c", Password: "pw-1234"})
	require.NoError(t, err)
	_, err = gt.Token(context.Background())
	require.Error(t, err)
	assertNoSecret(t, "GoTrue transport error", allTexts(err), key)
	pg, err := NewPasswordGrantTokenSource(PasswordGrantConfig{TokenURL: closedURL + "/oauth/token?apikey=" + key, Username: "u", Password: "pw-1234"})
	require.NoError(t, err)
	_, err = pg.Token(context.Background())
	require.Error(t, err)
	assertNoSecret(t, "password grant transport error", allTexts(err), key)
}

// Defect 6f: WithQuery values under names outside the fixed list (api-key,
// sessionToken) appeared in transport errors. Every query value is masked in
// URLs, names kept.
func TestEveryQueryValueIsMaskedInErrors(t *testing.T) {
	t.Parallel()
	const apiKey, session, other = "qk-value-1234", "sess-value-5678", "someOtherValue99"
	c, mux := setup(t, WithoutRetries())
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) { resetConn(t, w, r) })
	_, _, err := getThing(context.Background(), c, "1", WithQuery("api-key", apiKey), WithQuery("sessionToken", session), WithQuery("x", other))
	require.Error(t, err)
	text := allTexts(err)
	assertNoSecret(t, "transport error", text, apiKey, session, other)
	assert.Contains(t, err.Error(), "api-key=")
	assert.Contains(t, err.Error(), "sessionToken=")

	// A short WithQuery value, under any name, is masked in a server's echo too.
	c2, mux2 := setup(t)
	mux2.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"detail":"bad x `+r.URL.Query().Get("x")+`"}`)
	})
	_, _, err = getThing(context.Background(), c2, "1", WithQuery("x", "ab12"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad x [REDACTED]")
}
