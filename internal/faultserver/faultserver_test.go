package faultserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// counter is a handler whose POST applies a write and answers 201 {"n": …}, and
// whose GET answers the count.
type counter struct{ n atomic.Int32 }

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodPost {
		n := c.n.Add(1)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"n":`+string(rune('0'+n))+`,"path":"`+r.URL.Path+`"}`)
		return
	}
	_, _ = io.WriteString(w, `{"path":"`+r.URL.Path+`"}`)
}

func newTestServer(t *testing.T, plan Plan) (*Server, *counter, *http.Client) {
	t.Helper()
	return newTestServerWith(t, plan, Options{Rewrite: OneOrigin})
}

func newTestServerWith(t *testing.T, plan Plan, opts Options) (*Server, *counter, *http.Client) {
	t.Helper()
	inner := &counter{}
	s := New(inner, opts)
	t.Cleanup(s.Close)
	s.SetPlan(plan)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return s, inner, &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func do(t *testing.T, hc *http.Client, method, url string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestFaultsDoWhatTheySay(t *testing.T) {
	tests := []struct {
		name    string
		fault   Fault
		applied int
		check   func(t *testing.T, resp *http.Response, body []byte, err error)
	}{
		{"pass", Fault{}, 1, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 201 || !strings.Contains(string(body), `"path":"/api/v1/connectors/x"`) {
				t.Errorf("got %v %v %s", resp, err, body)
			}
		}},
		{"status", Fault{Kind: Status, Status: 429, Header: http.Header{"Retry-After": {"7"}}, Body: []byte(`{"m":1}`)}, 0,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" || string(body) != `{"m":1}` {
					t.Errorf("got %v %v %s", resp, err, body)
				}
			}},
		{"status after apply", Fault{Kind: StatusAfterApply, Status: 504}, 1, func(t *testing.T, resp *http.Response, _ []byte, err error) {
			if err != nil || resp.StatusCode != 504 {
				t.Errorf("got %v %v", resp, err)
			}
		}},
		{"reset before response", Fault{Kind: ResetBeforeResponse}, 0, func(t *testing.T, resp *http.Response, _ []byte, err error) {
			if err == nil {
				t.Errorf("got %v, want a reset", resp.Status)
			}
		}},
		{"reset mid-body", Fault{Kind: ResetMidBody}, 1, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if resp == nil || resp.StatusCode != 201 || err == nil || len(body) == 0 {
				t.Errorf("want a 201 with half a body and an error: %v %v %q", resp, err, body)
			}
		}},
		{"truncate", Fault{Kind: Truncate}, 1, func(t *testing.T, resp *http.Response, _ []byte, err error) {
			if resp == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("want io.ErrUnexpectedEOF, got %v %v", resp, err)
			}
		}},
		{"invalid JSON", Fault{Kind: InvalidJSON}, 1, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 201 || !strings.Contains(string(body), "not JSON") {
				t.Errorf("got %v %v %s", resp, err, body)
			}
		}},
		{"HTML", Fault{Kind: HTML, ContentType: "text/html; charset=iso-8859-1", Body: Latin1Page}, 0,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if err != nil || resp.StatusCode != 502 || string(body) != string(Latin1Page) {
					t.Errorf("got %v %v", resp, err)
				}
			}},
		{"oversized", Fault{Kind: Oversized, Size: 1 << 20}, 1, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.ContentLength != -1 || len(body) < 1<<20 {
				t.Errorf("got %v %v %d bytes", resp, err, len(body))
			}
		}},
		{"slow headers", Fault{Kind: SlowHeaders, Delay: 20 * time.Millisecond}, 1, func(t *testing.T, resp *http.Response, _ []byte, err error) {
			if err != nil || resp.StatusCode != 201 {
				t.Errorf("got %v %v", resp, err)
			}
		}},
		{"redirect", Fault{Kind: Redirect, Status: 307}, 0, func(t *testing.T, resp *http.Response, _ []byte, err error) {
			if err != nil || resp.StatusCode != 307 || !strings.HasSuffix(resp.Header.Get("Location"), "/connectors/x?q=1") {
				t.Errorf("got %v %v", resp, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, inner, hc := newTestServer(t, Nth(1, tt.fault))
			resp, body, err := do(t, hc, http.MethodPost, s.URL()+"/connectors/x?q=1")
			tt.check(t, resp, body, err)
			if got := int(inner.n.Load()); got != tt.applied {
				t.Errorf("handler applied %d, want %d", got, tt.applied)
			}
			if got := s.Applied(""); got != tt.applied {
				t.Errorf("Applied() = %d, want %d", got, tt.applied)
			}
			recs := s.Requests()
			if len(recs) != 1 || recs[0].Fault != tt.fault.Kind {
				t.Errorf("records %+v", recs)
			}
		})
	}
}

func TestResetReusedOnlyOnAReusedConnection(t *testing.T) {
	s, _, hc := newTestServer(t, Nth(2, Fault{Kind: ResetReused}))
	// The first request is on a fresh connection: it passes.
	if _, _, err := do(t, hc, http.MethodGet, s.URL()+"/a"); err != nil {
		t.Fatal(err)
	}
	// The second reuses it, and is reset after the server read it; a GET is
	// replayed by net/http itself, on a new connection, where it passes.
	if _, _, err := do(t, hc, http.MethodGet, s.URL()+"/a"); err != nil {
		t.Fatal(err)
	}
	recs := s.Requests()
	if len(recs) != 3 {
		t.Fatalf("%d requests, want 3 (net/http replayed the reset GET)", len(recs))
	}
	if recs[0].Fault != Pass || recs[1].Fault != ResetReused || recs[2].Fault != Pass {
		t.Errorf("faults %v %v %v", recs[0].Fault, recs[1].Fault, recs[2].Fault)
	}
	if recs[0].Reused || !recs[1].Reused || recs[2].Reused || recs[1].Conn != recs[0].Conn {
		t.Errorf("connections: %+v", recs)
	}
}

func TestIdempotencyKeysAreHonoured(t *testing.T) {
	s, inner, hc := newTestServer(t, nil)
	for range 2 {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL()+"/x", strings.NewReader(`{}`))
		req.Header.Set("Idempotency-Key", "k1")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Errorf("status %d", resp.StatusCode)
		}
	}
	if inner.n.Load() != 1 || s.Applied("") != 1 {
		t.Errorf("applied %d times", inner.n.Load())
	}
	if recs := s.Requests(); !recs[1].Deduped {
		t.Errorf("second request not deduplicated: %+v", recs[1])
	}
}

func TestRedirectLoopAndOtherOrigin(t *testing.T) {
	s, _, _ := newTestServer(t, Always(Fault{Kind: RedirectLoop, Status: 302}))
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	_, _, err := do(t, hc, http.MethodGet, s.URL()+"/loop")
	if err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Fatalf("got %v", err)
	}
	if s.Attempts("") != 1 || len(s.Requests()) != 10 {
		t.Errorf("attempts %d, requests %d", s.Attempts(""), len(s.Requests()))
	}
	if s.URL() == s.OtherURL() {
		t.Error("one origin")
	}
}

// A hang and slow headers without a delay hold the request until the client goes
// away. Options.Held reports the hold with the record complete (the fault, and
// whether the request ran), and the client gives up there, not after some time:
// it gets its own error back.
func TestHoldsEndWithTheClient(t *testing.T) {
	for _, tt := range []struct {
		fault   Fault
		applied bool
	}{
		{Fault{Kind: Hang}, false},
		{Fault{Kind: SlowHeaders}, true},
	} {
		t.Run(tt.fault.Kind.String(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			held := make(chan Record, 1)
			s, inner, hc := newTestServerWith(t, Always(tt.fault), Options{Held: func(r Record) {
				held <- r
				cancel()
			}})
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/h", strings.NewReader(`{}`))
			if _, err := hc.Do(req); !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v", err)
			}
			r := <-held
			if r.Fault != tt.fault.Kind || r.Applied != tt.applied || r.RequestURI != "/h" {
				t.Errorf("held %+v", r)
			}
			if got := inner.n.Load() == 1; got != tt.applied {
				t.Errorf("handler ran: %v, want %v", got, tt.applied)
			}
		})
	}
}
