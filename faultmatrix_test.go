package connapi

// The fault matrix (issue 11): every fault of internal/faultserver against every
// kind of call, through real service methods, over real loopback, in front of
// connapitest's stateful fake. The expected outcome of every cell is written down
// in faultRows below, from the documented retry policy (doc.go, docs/RELIABILITY.md),
// not computed from the SDK.

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"go.uber.org/goleak"

	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/internal/faultserver"
	"github.com/connapi/connapi-go/internal/obsattr"
	"github.com/connapi/connapi-go/models"
)

// matrixColumn is one kind of call: an HTTP method and the SDK's retry class.
type matrixColumn struct {
	name string
	// write: the call changes server state, so what the server applied is judged.
	write bool
	// once: a write the platform must never run twice (not idempotent, not
	// deduplicated by a key), so applying it twice is a duplicate.
	once bool
	// setup gets what the call needs (ids, an OAuth state) through warm-up
	// requests, which the fault server neither faults nor records.
	setup func(ctx context.Context, t tb, c *Client) matrixArgs
	call  func(ctx context.Context, c *Client, a matrixArgs, opts ...RequestOption) (*Response, error)
}

type matrixArgs struct{ id, ns, state string }

var warm = WithHeader(faultserver.WarmupHeader, "1")

// The columns: GET, PUT, PATCH, DELETE, POST without a key, POST with a key, and
// the two single-use OAuth code exchanges (a GET and a keyed POST), spread over
// the four families.
var matrixColumns = []matrixColumn{
	{
		name: "GET", // PipesHub ConnectorInstances.Get
		setup: func(ctx context.Context, t tb, c *Client) matrixArgs {
			l, _, err := c.ConnectorInstances.List(ctx, nil, warm)
			mustSetup(t, err, l != nil && len(l.Connectors) > 0)
			return matrixArgs{id: l.Connectors[0].ConnectorID}
		},
		call: func(ctx context.Context, c *Client, a matrixArgs, opts ...RequestOption) (*Response, error) {
			_, resp, err := c.ConnectorInstances.Get(ctx, a.id, nil, opts...)
			return resp, err
		},
	},
	{
		name: "PUT", write: true, // Stack AI Connections.Update
		setup: stackSetup,
		call: func(ctx context.Context, c *Client, a matrixArgs, opts ...RequestOption) (*Response, error) {
			_, resp, err := c.Connections.Update(ctx, a.id, &models.ConnectionRequest{
				Name: "renamed by the matrix", ProviderID: "gdrive", ConnectionTypeID: "gdrive",
			}, opts...)
			return resp, err
		},
	},
	{
		name: "PATCH", write: true, once: true, // Instill NamespaceConnections.Update
		setup: func(ctx context.Context, t tb, c *Client) matrixArgs {
			l, _, err := c.NamespaceConnections.List(ctx, connapitest.DefaultNamespace, nil, warm)
			mustSetup(t, err, l != nil && len(l.Connections) > 0)
			return matrixArgs{ns: connapitest.DefaultNamespace, id: l.Connections[0].ID}
		},
		call: func(ctx context.Context, c *Client, a matrixArgs, opts ...RequestOption) (*Response, error) {
			_, resp, err := c.NamespaceConnections.Update(ctx, a.ns, a.id, &UpdateNamespaceConnectionRequest{
				Scopes: []string{"matrix"},
			}, opts...)
			return resp, err
		},
	},
	{
		name: "DELETE", write: true, // OpenInt CoreConnections.Delete
		setup: func(ctx context.Context, t tb, c *Client) matrixArgs {
			l, _, err := c.CoreConnections.List(ctx, nil, warm)
			mustSetup(t, err, len(l) > 0)
			return matrixArgs{id: l[0].ID}
		},
		call: func(ctx context.Context, c *Client, a matrixArgs, opts ...RequestOption) (*Response, error) {
			return c.CoreConnections.Delete(ctx, a.id, nil, opts...)
		},
	},
	{
		name: "POST", write: true, once: true, // Stack AI Connections.Create
		setup: func(context.Context, tb, *Client) matrixArgs { return matrixArgs{} },
		call: func(ctx context.Context, c *Client, _ matrixArgs, opts ...RequestOption) (*Response, error) {
			_, resp, err := c.Connections.Create(ctx, &models.ConnectionRequest{
				Name: "created by the matrix", ProviderID: "notion", ConnectionTypeID: "notion",
			}, opts...)
			return resp, err
		},
	},
	{
		name: "POST+key", write: true, // OpenInt CoreConnections.Create with an idempotency key
		setup: func(ctx context.Context, t tb, c *Client) matrixArgs {
			l, _, err := c.CoreConnections.List(ctx, nil, warm)
			mustSetup(t, err, len(l) > 0)
			return matrixArgs{id: l[0].ConnectorConfigID}
		},
		call: func(ctx context.Context, c *Client, a matrixArgs, opts ...RequestOption) (*Response, error) {
			opts = append(opts, WithIdempotencyKey("matrix-create-1"))
			_, resp, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: a.id}, opts...)
			return resp, err
		},
	},
	{
		name: "GET once", write: true, once: true, // PipesHub HandleOAuthCallback
		setup: func(ctx context.Context, t tb, c *Client) matrixArgs {
			l, _, err := c.ConnectorInstances.List(ctx, nil, warm)
			mustSetup(t, err, l != nil && len(l.Connectors) > 0)
			for _, in := range l.Connectors {
				if a, _, err := c.ConnectorInstances.AuthorizationURL(ctx, in.ConnectorID, nil, warm); err == nil {
					return matrixArgs{state: a.State}
				}
			}
			t.Fatalf("setup: no OAuth connector instance in the seed")
			return matrixArgs{}
		},
		call: func(ctx context.Context, c *Client, a matrixArgs, opts ...RequestOption) (*Response, error) {
			_, resp, err := c.ConnectorInstances.HandleOAuthCallback(ctx, &ConnectorOAuthCallbackParams{Code: "4/0Amatrix-code", State: a.state}, opts...)
			return resp, err
		},
	},
	{
		name: "POST once+key", write: true, once: true, // Stack AI OAuth.CreateFromCallback with a key
		setup: func(context.Context, tb, *Client) matrixArgs { return matrixArgs{} },
		call: func(ctx context.Context, c *Client, _ matrixArgs, opts ...RequestOption) (*Response, error) {
			opts = append(opts, WithIdempotencyKey("matrix-callback-1"))
			_, resp, err := c.OAuth.CreateFromCallback(ctx, &CreateConnectionFromCallbackRequest{Code: "4/0Amatrix-code", Connection: &models.ConnectionRequest{
				ProviderID: "gdrive", ConnectionTypeID: "gdrive",
			}}, opts...)
			return resp, err
		},
	},
}

func stackSetup(ctx context.Context, t tb, c *Client) matrixArgs {
	l, _, err := c.Connections.List(ctx, nil, warm)
	mustSetup(t, err, len(l) > 0)
	return matrixArgs{id: l[0].ConnectionID}
}

func mustSetup(t tb, err error, ok bool) {
	t.Helper()
	if err != nil || !ok {
		t.Fatalf("setup: %v (ok=%v)", err, ok)
	}
}

// faultRow is one fault and the expected outcome of each column, in the order
// of matrixColumns:
//
//	GET | PUT | PATCH | DELETE | POST | POST+key | GET once | POST once+key
//
// An outcome reads "<result> ×<requests> [a<applied>] [o<other origin>]":
//
//	ok        success
//	gone      a DELETE whose first attempt was applied and its answer lost, then
//	          404 on the retry: success with Response.AlreadyApplied
//	NNN       an *APIError with that status
//	resp      a *ResponseError: a 2xx the SDK could not use
//	toolarge  a *ResponseError wrapping ErrResponseTooLarge
//	net       a transport error (no response): not an APIError nor a ResponseError
//	deadline  an error matching context.DeadlineExceeded
//	redirect  ErrCrossOriginRedirect, the redirect as the *Response, not followed
//	loop      a redirect loop stopped after 10 redirects
//	3xx       the redirect itself as the result, not followed (the answer the
//	          PipesHub spec documents for an OAuth callback), so not an ack
//
// ×N is both the requests that reached the server and the Attempts the client
// reports; aN the writes the server applied (writes only); oN the requests that
// reached the other origin (0 unless given).
type faultRow struct {
	name string
	plan faultserver.Plan
	kind faultserver.Kind // the fault the first request must get
	opts []Option         // client options beyond the matrix's
	call []RequestOption  // options of the call
	// deadline gives the call a context whose deadline passes once the server
	// holds its first request (heldDeadline), not after some time.
	deadline bool
	// timeout times an attempt out as the server holds it (attemptTimeouts), as
	// its per-attempt timeout would: the attempt has reached the server, and an
	// attempt that must not time out has no clock to beat. The call's own
	// WithRequestTimeout (heldAttemptTimeout) ends none.
	timeout bool
	// warm keeps the warm-up connection for the call (reused-connection faults);
	// otherwise the call starts on a fresh connection.
	warm bool
	// retryAfter is the wait the server asked for: the first wait of a retried
	// call, or the RetryAfter of the final *APIError.
	retryAfter time.Duration
	want       [8]string
}

func status(code int, kv ...string) faultserver.Fault {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return faultserver.Fault{Kind: faultserver.Status, Status: code, Header: h,
		Body: []byte(`{"message":"injected ` + strconv.Itoa(code) + `"}`)}
}

// The matrix's client waits at least matrixWaitMin between attempts (an hour; up to
// matrixWaitMax, the cap on Retry-After) where the defaults wait half a second to ten
// seconds. Its waits are recorded, never slept (Client.waitHook), so the values
// change no outcome; they make any wait the client would sleep past the hook far
// longer than matrixBound, which a cell then fails.
const (
	matrixWaitMin = time.Hour
	matrixWaitMax = 2 * time.Hour
)

// matrixBound is the elapsed bound of a cell. A cell takes
// milliseconds; under -race on a loaded two-core machine whole cells have taken
// 15 s. The bound proves that nothing hangs and no retry wait is slept (any wait is
// half an hour or more), so it can afford to be generous.
const matrixBound = time.Minute

func faultRows() []faultRow {
	f := func(k faultserver.Kind) faultserver.Fault { return faultserver.Fault{Kind: k} }
	// An HTTP-date an hour ahead of the moment the request arrives.
	datePlan := func(in faultserver.Info) faultserver.Fault {
		if in.OpSeq > 0 {
			return faultserver.Fault{}
		}
		return status(429, "Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	}
	html := func(ct string, page []byte) faultserver.Fault {
		return faultserver.Fault{Kind: faultserver.HTML, Status: 502, ContentType: ct, Body: page}
	}
	redirect := func(k faultserver.Kind, code int) faultserver.Fault { return faultserver.Fault{Kind: k, Status: code} }
	return []faultRow{
		{name: "429 Retry-After seconds", plan: faultserver.Nth(1, status(429, "Retry-After", "3600")), kind: faultserver.Status, retryAfter: time.Hour,
			want: [8]string{"ok ×2", "ok ×2 a1", "ok ×2 a1", "ok ×2 a1", "ok ×2 a1", "ok ×2 a1", "429 ×1 a0", "429 ×1 a0"}},
		{name: "429 Retry-After date", plan: datePlan, kind: faultserver.Status, retryAfter: time.Hour,
			want: [8]string{"ok ×2", "ok ×2 a1", "ok ×2 a1", "ok ×2 a1", "ok ×2 a1", "ok ×2 a1", "429 ×1 a0", "429 ×1 a0"}},
		{name: "429 Retry-After above the cap", plan: faultserver.Nth(1, status(429, "Retry-After", "10800")), kind: faultserver.Status, retryAfter: 3 * time.Hour,
			want: [8]string{"429 ×1", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0"}},
		{name: "429 Retry-After too large to represent", plan: faultserver.Nth(1, status(429, "Retry-After", "99999999999999999999")), kind: faultserver.Status, retryAfter: 24 * time.Hour,
			want: [8]string{"429 ×1", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0", "429 ×1 a0"}},
		{name: "500 burst", plan: faultserver.Nth(2, status(500)), kind: faultserver.Status,
			want: [8]string{"ok ×3", "ok ×3 a1", "500 ×1 a0", "ok ×3 a1", "500 ×1 a0", "ok ×3 a1", "500 ×1 a0", "500 ×1 a0"}},
		{name: "502 burst", plan: faultserver.Nth(2, status(502)), kind: faultserver.Status,
			want: [8]string{"ok ×3", "ok ×3 a1", "502 ×1 a0", "ok ×3 a1", "502 ×1 a0", "ok ×3 a1", "502 ×1 a0", "502 ×1 a0"}},
		{name: "503 burst", plan: faultserver.Nth(2, status(503)), kind: faultserver.Status,
			want: [8]string{"ok ×3", "ok ×3 a1", "ok ×3 a1", "ok ×3 a1", "ok ×3 a1", "ok ×3 a1", "503 ×1 a0", "503 ×1 a0"}},
		{name: "504 burst", plan: faultserver.Nth(2, status(504)), kind: faultserver.Status,
			want: [8]string{"ok ×3", "ok ×3 a1", "504 ×1 a0", "ok ×3 a1", "504 ×1 a0", "ok ×3 a1", "504 ×1 a0", "504 ×1 a0"}},
		{name: "500 with X-Should-Retry: true", plan: faultserver.Nth(2, status(500, "X-Should-Retry", "true")), kind: faultserver.Status,
			want: [8]string{"ok ×3", "ok ×3 a1", "500 ×1 a0", "ok ×3 a1", "500 ×1 a0", "ok ×3 a1", "500 ×1 a0", "500 ×1 a0"}},
		{name: "503 with X-Should-Retry: false", plan: faultserver.Nth(2, status(503, "X-Should-Retry", "false")), kind: faultserver.Status,
			want: [8]string{"503 ×1", "503 ×1 a0", "503 ×1 a0", "503 ×1 a0", "503 ×1 a0", "503 ×1 a0", "503 ×1 a0", "503 ×1 a0"}},
		{name: "504 after the write was applied", plan: faultserver.Nth(1, faultserver.Fault{Kind: faultserver.StatusAfterApply, Status: 504}), kind: faultserver.StatusAfterApply,
			want: [8]string{"ok ×2", "ok ×2 a2", "504 ×1 a1", "gone ×2 a1", "504 ×1 a1", "ok ×2 a1", "504 ×1 a1", "504 ×1 a1"}},
		{name: "reset before the response", plan: faultserver.Nth(1, f(faultserver.ResetBeforeResponse)), kind: faultserver.ResetBeforeResponse,
			want: [8]string{"ok ×2", "ok ×2 a1", "net ×1 a0", "ok ×2 a1", "net ×1 a0", "ok ×2 a1", "net ×1 a0", "net ×1 a0"}},
		{name: "reset after the request was read, on a reused connection", plan: faultserver.Nth(1, f(faultserver.ResetReused)), kind: faultserver.ResetReused, warm: true,
			want: [8]string{"ok ×2", "ok ×2 a1", "net ×1 a0", "ok ×2 a1", "net ×1 a0", "ok ×2 a1", "net ×1 a0", "net ×1 a0"}},
		{name: "reset on a reused connection, WithoutRetries", plan: faultserver.Nth(1, f(faultserver.ResetReused)), kind: faultserver.ResetReused, warm: true,
			opts: []Option{WithoutRetries()},
			want: [8]string{"net ×1", "net ×1 a0", "net ×1 a0", "net ×1 a0", "net ×1 a0", "net ×1 a0", "net ×1 a0", "net ×1 a0"}},
		{name: "reset mid-body", plan: faultserver.Nth(1, f(faultserver.ResetMidBody)), kind: faultserver.ResetMidBody,
			want: [8]string{"ok ×2", "ok ×2 a2", "resp ×1 a1", "gone ×2 a1", "resp ×1 a1", "ok ×2 a1", "resp ×1 a1", "resp ×1 a1"}},
		{name: "truncated body", plan: faultserver.Nth(1, f(faultserver.Truncate)), kind: faultserver.Truncate,
			want: [8]string{"ok ×2", "ok ×2 a2", "resp ×1 a1", "gone ×2 a1", "resp ×1 a1", "ok ×2 a1", "resp ×1 a1", "resp ×1 a1"}},
		{name: "invalid JSON", plan: faultserver.Nth(1, f(faultserver.InvalidJSON)), kind: faultserver.InvalidJSON,
			want: [8]string{"resp ×1", "resp ×1 a1", "resp ×1 a1", "ok ×1 a1", "resp ×1 a1", "resp ×1 a1", "resp ×1 a1", "resp ×1 a1"}},
		{name: "HTML page, UTF-8", plan: faultserver.Always(html("text/html; charset=utf-8", faultserver.UTF8Page)), kind: faultserver.HTML,
			want: [8]string{"502 ×3", "502 ×3 a0", "502 ×1 a0", "502 ×3 a0", "502 ×1 a0", "502 ×3 a0", "502 ×1 a0", "502 ×1 a0"}},
		{name: "HTML page, Latin-1", plan: faultserver.Always(html("text/html; charset=iso-8859-1", faultserver.Latin1Page)), kind: faultserver.HTML,
			want: [8]string{"502 ×3", "502 ×3 a0", "502 ×1 a0", "502 ×3 a0", "502 ×1 a0", "502 ×3 a0", "502 ×1 a0", "502 ×1 a0"}},
		{name: "oversized body", plan: faultserver.Nth(1, faultserver.Fault{Kind: faultserver.Oversized, Size: 1 << 20}), kind: faultserver.Oversized,
			want: [8]string{"toolarge ×1", "toolarge ×1 a1", "toolarge ×1 a1", "toolarge ×1 a1", "toolarge ×1 a1", "toolarge ×1 a1", "toolarge ×1 a1", "toolarge ×1 a1"}},
		{name: "slow headers past WithRequestTimeout", plan: faultserver.Nth(1, f(faultserver.SlowHeaders)), kind: faultserver.SlowHeaders,
			call: []RequestOption{WithRequestTimeout(heldAttemptTimeout)}, timeout: true,
			want: [8]string{"ok ×2", "ok ×2 a2", "deadline ×1 a1", "gone ×2 a1", "deadline ×1 a1", "ok ×2 a1", "deadline ×1 a1", "deadline ×1 a1"}},
		{name: "hang under a context deadline", plan: faultserver.Always(f(faultserver.Hang)), kind: faultserver.Hang, deadline: true,
			want: [8]string{"deadline ×1", "deadline ×1 a0", "deadline ×1 a0", "deadline ×1 a0", "deadline ×1 a0", "deadline ×1 a0", "deadline ×1 a0", "deadline ×1 a0"}},
		{name: "cross-host 302", plan: faultserver.Nth(1, redirect(faultserver.Redirect, 302)), kind: faultserver.Redirect,
			want: [8]string{"ok ×1 o1", "redirect ×1 a0", "redirect ×1 a0", "redirect ×1 a0", "redirect ×1 a0", "redirect ×1 a0", "3xx ×1 a0", "redirect ×1 a0"}},
		{name: "cross-host 307", plan: faultserver.Nth(1, redirect(faultserver.Redirect, 307)), kind: faultserver.Redirect,
			want: [8]string{"ok ×1 o1", "redirect ×1 a0", "redirect ×1 a0", "redirect ×1 a0", "redirect ×1 a0", "redirect ×1 a0", "3xx ×1 a0", "redirect ×1 a0"}},
		{name: "redirect loop", plan: faultserver.Always(redirect(faultserver.RedirectLoop, 307)), kind: faultserver.RedirectLoop,
			want: [8]string{"loop ×1", "loop ×1 a0", "loop ×1 a0", "loop ×1 a0", "loop ×1 a0", "loop ×1 a0", "3xx ×1 a0", "loop ×1 a0"}},
	}
}

// outcome is a parsed cell.
type outcome struct {
	result   string
	requests int
	applied  int // -1: not judged
	other    int
}

func parseOutcome(t *testing.T, s string) outcome {
	t.Helper()
	o := outcome{applied: -1}
	for i, f := range strings.Fields(s) {
		var err error
		switch {
		case i == 0:
			o.result = f
		case strings.HasPrefix(f, "×"):
			o.requests, err = strconv.Atoi(strings.TrimPrefix(f, "×"))
		case strings.HasPrefix(f, "a"):
			o.applied, err = strconv.Atoi(f[1:])
		case strings.HasPrefix(f, "o"):
			o.other, err = strconv.Atoi(f[1:])
		default:
			err = errors.New("unknown field")
		}
		if err != nil {
			t.Fatalf("bad outcome %q: %q: %v", s, f, err)
		}
	}
	if o.requests == 0 {
		t.Fatalf("bad outcome %q: no ×N", s)
	}
	return o
}

func TestFaultMatrix(t *testing.T) {
	// Not parallel: each cell checks for leaked goroutines, which needs a quiet
	// process. Cells run one after the other; most take a few milliseconds.
	rows := faultRows()
	if len(matrixColumns) != len(rows[0].want) {
		t.Fatalf("%d columns, rows have %d outcomes", len(matrixColumns), len(rows[0].want))
	}
	for _, row := range rows {
		for i, col := range matrixColumns {
			name := row.name + "/" + col.name
			want := parseOutcome(t, row.want[i])
			t.Run(name, func(t *testing.T) {
				runMatrixCell(t, row, col, want)
			})
		}
	}
}

// tb is what a cell needs of *testing.T.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Error(args ...any) // for goleak
}

func runMatrixCell(t tb, row faultRow, col matrixColumn, want outcome) {
	t.Helper()
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	ctx := context.Background()
	callCtx := ctx
	var deadline *heldDeadline
	if row.deadline {
		deadline = newHeldDeadline(ctx)
		callCtx = deadline
	}
	var timeouts *attemptTimeouts
	if row.timeout {
		timeouts = newAttemptTimeouts()
		defer timeouts.close()
	}
	srv := faultserver.New(connapitest.NewHandler(connapitest.WithSeed(1)), faultserver.Options{
		Rewrite: faultserver.OneOrigin,
		// Decodes as the GET column's answer (PipesHub wraps the instance).
		OtherBody: []byte(`{"success":true,"message":"other origin","connector":{"connectorId":"other-origin","name":"other origin"}}`),
		Held: func(rec faultserver.Record) {
			if deadline != nil {
				deadline.expire()
			}
			if timeouts != nil && !timeouts.expire(rec.Header) {
				t.Errorf("the server holds a request of no attempt: %s", rec.RequestURI)
			}
		},
	})
	defer srv.Close()
	logs := &attemptLog{}
	opts := append([]Option{
		WithBaseURL(srv.URL() + "/"),
		WithBearerToken(connapitest.DefaultToken),
		WithMaxResponseBytes(256 << 10),
		WithLogger(slog.New(logs)),
		WithRetryWait(matrixWaitMin, matrixWaitMax),
	}, row.opts...)
	if timeouts != nil {
		opts = append(opts, WithObserver(timeouts.observer()))
	}
	c, err := NewClient(opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	defer c.CloseIdleConnections()
	var waits []time.Duration
	var waitsMu sync.Mutex
	c.waitHook = func(d time.Duration) time.Duration {
		waitsMu.Lock()
		waits = append(waits, d)
		waitsMu.Unlock()
		return 0
	}

	args := col.setup(ctx, t, c)
	if row.warm {
		// A request whose connection stays in the pool for the call.
		_, _, err := c.Connections.ListAvailable(ctx, nil, warm)
		mustSetup(t, err, true)
	} else {
		c.CloseIdleConnections() // the call starts on a fresh connection
	}
	logs.reset()
	srv.SetPlan(row.plan)
	start := time.Now()
	resp, err := callNoPanic(t, func() (*Response, error) { return col.call(callCtx, c, args, row.call...) })
	elapsed := time.Since(start)

	// The outcome.
	checkResult(t, want.result, resp, err)
	if err != nil {
		msg := err.Error()
		if strings.ContainsAny(msg, "\r\n") || !utf8.ValidString(msg) {
			t.Errorf("Error() is not one valid UTF-8 line: %q", msg)
		}
	}

	// Requests that reached the server, and the attempts the client reports.
	recs := srv.Requests()
	got := srv.Attempts("")
	if got != want.requests {
		t.Errorf("server saw %d requests, want %d", got, want.requests)
	}
	if n := clientAttempts(resp, err, logs); n != got {
		t.Errorf("client reports %d attempts, server saw %d requests", n, got)
	}
	if len(recs) == 0 || recs[0].Fault != row.kind {
		k := faultserver.Pass
		if len(recs) > 0 {
			k = recs[0].Fault
		}
		t.Errorf("the first request got fault %q, want %q: the cell tests nothing", k, row.kind)
	}

	// Writes: what the server applied against what the client reported.
	if col.write {
		applied := srv.Applied("")
		if want.applied >= 0 && applied != want.applied {
			t.Errorf("server applied %d writes, want %d", applied, want.applied)
		}
		judgeWrite(t, col, want.result, applied, err)
	}

	// The other origin, and what reached it.
	others := srv.OtherRequests()
	if len(others) != want.other {
		t.Errorf("%d requests reached the other origin, want %d", len(others), want.other)
	}
	for _, o := range others {
		for _, h := range credentialHeaders {
			if o.Header.Get(h) != "" {
				t.Errorf("credential header %s reached the other origin", h)
			}
		}
		if len(o.Body) > 0 {
			t.Errorf("a body reached the other origin: %q", o.Body)
		}
	}

	// Retry waits: asked for, honoured up to the cap, never slept here. An
	// HTTP-date has whole seconds, and the time between the server's clock
	// reading and the client's is within the call: the wait is at most what was
	// asked, and less by no more than a second and the call's elapsed time.
	if row.retryAfter > 0 {
		least := row.retryAfter - time.Second - elapsed
		var apiErr *APIError
		switch {
		case errors.As(err, &apiErr):
			if apiErr.RetryAfter < least {
				t.Errorf("APIError.RetryAfter = %s, want about %s", apiErr.RetryAfter, row.retryAfter)
			}
		case len(waits) == 0:
			t.Errorf("no wait before the retry")
		case waits[0] < least || waits[0] > row.retryAfter:
			t.Errorf("first wait %s, want Retry-After's %s", waits[0], row.retryAfter)
		}
	}
	if elapsed > matrixBound {
		t.Errorf("took %s, bound %s (retry waits are recorded, not slept)", elapsed, matrixBound)
	}
}

// heldDeadline is a call's context whose deadline passes when expire is called,
// which the cell does as the fault server starts to hold the call's request
// (faultserver.Options.Held): the request has certainly arrived, and the cell
// waits for no clock. From then on Err is context.DeadlineExceeded, as for a
// context.WithDeadline whose time has come.
type heldDeadline struct {
	context.Context // the parent's values
	done            chan struct{}
	once            sync.Once
}

func newHeldDeadline(parent context.Context) *heldDeadline {
	return &heldDeadline{Context: parent, done: make(chan struct{})}
}

func (c *heldDeadline) expire() { c.once.Do(func() { close(c.done) }) }

// Deadline reports none: no clock ends this context.
func (c *heldDeadline) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *heldDeadline) Done() <-chan struct{}       { return c.done }
func (c *heldDeadline) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// checkResult asserts the kind of outcome.
func checkResult(t tb, want string, resp *Response, err error) {
	t.Helper()
	var apiErr *APIError
	var respErr *ResponseError
	switch want {
	case "ok", "gone", "3xx":
		if err != nil {
			t.Errorf("want success, got %T: %v", err, err)
		}
		if resp == nil {
			t.Errorf("success without a *Response")
			return
		}
		if resp.AlreadyApplied != (want == "gone") {
			t.Errorf("Response.AlreadyApplied = %v for %q", resp.AlreadyApplied, want)
		}
	case "resp", "toolarge":
		if !errors.As(err, &respErr) {
			t.Errorf("want *ResponseError, got %T: %v", err, err)
			return
		}
		if respErr.StatusCode < 200 || respErr.StatusCode > 299 {
			t.Errorf("ResponseError for status %d", respErr.StatusCode)
		}
		if want == "toolarge" && !errors.Is(err, ErrResponseTooLarge) {
			t.Errorf("want ErrResponseTooLarge, got %v", err)
		}
	case "net":
		if err == nil || errors.As(err, &apiErr) || errors.As(err, &respErr) {
			t.Errorf("want a transport error, got %T: %v", err, err)
		}
	case "deadline":
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("want context.DeadlineExceeded, got %T: %v", err, err)
		}
	case "redirect":
		if !errors.Is(err, ErrCrossOriginRedirect) {
			t.Errorf("want ErrCrossOriginRedirect, got %T: %v", err, err)
		}
		if resp == nil || resp.StatusCode < 300 || resp.StatusCode > 399 {
			t.Errorf("want the redirect as the *Response, got %v", resp)
		}
	case "loop":
		if err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
			t.Errorf("want the redirect loop stopped, got %T: %v", err, err)
		}
		if errors.As(err, &apiErr) || errors.As(err, &respErr) {
			t.Errorf("want a transport error, got %T: %v", err, err)
		}
	default:
		code, convErr := strconv.Atoi(want)
		if convErr != nil {
			t.Fatalf("bad result %q", want)
		}
		if !errors.As(err, &apiErr) {
			t.Errorf("want *APIError %d, got %T: %v", code, err, err)
			return
		}
		if apiErr.StatusCode != code {
			t.Errorf("APIError status %d, want %d", apiErr.StatusCode, code)
		}
	}
}

// judgeWrite checks what the server applied against what the client reported:
// none duplicated, none acknowledged and lost, none applied but reported as a
// definite failure.
func judgeWrite(t tb, col matrixColumn, want string, applied int, err error) {
	t.Helper()
	if col.once && applied > 1 {
		t.Errorf("duplicate: a write that must run once was applied %d times", applied)
	}
	r := classify(err)
	if want == "3xx" {
		r = reportedUnknown
	}
	switch r {
	case reportedApplied:
		if applied == 0 {
			t.Errorf("lost ack: the client reported success, the server applied nothing")
		}
	case reportedFailed:
		if applied > 0 {
			t.Errorf("misreported: the server applied the write, the client reported a definite failure: %v", err)
		}
	}
}

// report is how a call's outcome reads to its caller.
type report int

const (
	reportedApplied report = iota // success, or a 2xx whose body was unusable
	reportedFailed                // a definite failure: the write did not happen
	reportedUnknown               // an ambiguous failure: it may have happened
)

// classify reads the outcome of a write as the documented contract says a caller
// may (docs/RELIABILITY.md, "A write that may have happened"): no error, or a
// *ResponseError (a 2xx the SDK could not use), means it happened; an error
// matching ErrMaybeApplied means it may have; any other error means it did not.
// The judges hold the SDK to it: an ambiguous failure (a 5xx, a network failure
// after the request was sent) that does not match ErrMaybeApplied, for a write the
// server applied, is a misreported write.
func classify(err error) report {
	var respErr *ResponseError
	switch {
	case err == nil, errors.As(err, &respErr):
		return reportedApplied
	case errors.Is(err, ErrMaybeApplied):
		return reportedUnknown
	}
	return reportedFailed
}

// clientAttempts is the number of attempts the client reports: Response.Attempts,
// APIError.Attempts, or, when the call ended without a response, the highest
// attempt number of its debug log.
func clientAttempts(resp *Response, err error, logs *attemptLog) int {
	if resp != nil {
		return resp.Attempts
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Attempts
	}
	return logs.maxAttempt()
}

func callNoPanic(t tb, f func() (*Response, error)) (resp *Response, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("the call panicked: %v", p)
		}
	}()
	return f()
}

// attemptLog is a slog.Handler that keeps the "attempt" of every record.
type attemptLog struct {
	mu       sync.Mutex
	attempts []int
}

func (l *attemptLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *attemptLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == obsattr.Attempt {
			l.mu.Lock()
			l.attempts = append(l.attempts, int(a.Value.Int64()))
			l.mu.Unlock()
		}
		return true
	})
	return nil
}
func (l *attemptLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *attemptLog) WithGroup(string) slog.Handler      { return l }
func (l *attemptLog) reset() {
	l.mu.Lock()
	l.attempts = nil
	l.mu.Unlock()
}
func (l *attemptLog) maxAttempt() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := 0
	for _, a := range l.attempts {
		m = max(m, a)
	}
	return m
}

var updateReliabilityDoc = flag.Bool("update-reliability-doc", false, "rewrite the fault matrix table in docs/RELIABILITY.md")

const (
	matrixDocBegin = "<!-- fault-matrix:begin (generated by TestReliabilityDocFaultMatrix) -->"
	matrixDocEnd   = "<!-- fault-matrix:end -->"
)

// renderFaultMatrix is the matrix as a Markdown table: the expected outcome of
// every cell, which TestFaultMatrix asserts.
func renderFaultMatrix() string {
	var b strings.Builder
	b.WriteString("| Fault |")
	for _, c := range matrixColumns {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString("\n|---|")
	for range matrixColumns {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, row := range faultRows() {
		b.WriteString("| " + row.name + " |")
		for _, cell := range row.want {
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestReliabilityDocFaultMatrix keeps the fault matrix of docs/RELIABILITY.md
// equal to the one TestFaultMatrix asserts.
func TestReliabilityDocFaultMatrix(t *testing.T) {
	t.Parallel()
	const path = "docs/RELIABILITY.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(doc), matrixDocBegin)
	_, after, ok2 := strings.Cut(rest, matrixDocEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s has no %q … %q section", path, matrixDocBegin, matrixDocEnd)
	}
	want := before + matrixDocBegin + "\n" + renderFaultMatrix() + matrixDocEnd + after
	if want == string(doc) {
		return
	}
	if *updateReliabilityDoc {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(want), fi.Mode().Perm()); err != nil { //nolint:gosec // G703: path is the constant above
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the fault matrix in %s is out of date; rewrite it with\n\tgo test -run TestReliabilityDocFaultMatrix -update-reliability-doc .", path)
}
